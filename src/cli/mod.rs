//! Command-line arguments → a resolved plan → run → exit status. Only this module prints.

pub mod args;
pub mod output;
pub mod plan;

/// Run the command line and return the process exit status (0 no drift, 1 drift, 2 trouble).
pub fn main() -> i32 {
    output::ExitStatus::Trouble.code()
}
