//! Hand-written shorthand → SQL statements.
