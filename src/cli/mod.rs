//! Command-line arguments → a resolved plan → run → exit status. Only this module prints.

/// Run the command line and return the process exit status (0 no drift, 1 drift, 2 trouble).
pub fn main() -> i32 {
    2
}
