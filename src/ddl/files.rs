//! Migration folder layouts and their apply order.
