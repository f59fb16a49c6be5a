//! Keyed comparison of two models into findings. Pure: no I/O, no printing.
