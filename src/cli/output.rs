//! Where command output goes (standard output or `--out FILE`), and the exit status.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The process exit status, chosen once at the end (as `diff(1)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// No drift at or above `--fail-on`.
    Success = 0,
    /// Drift at or above `--fail-on`.
    Drift = 1,
    /// Trouble: bad arguments, unreadable input, a database that could not be read.
    Trouble = 2,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// Open the destination of a command's main output.
pub fn open(out: Option<&Path>) -> io::Result<Box<dyn Write>> {
    Ok(match out {
        Some(path) => Box::new(BufWriter::new(File::create(path)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Write `render`'s output to the destination. A closed pipe (`pgdrift … | head`) is not an
/// error: the reader has seen what it wanted.
pub fn write_with(
    out: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut writer = open(out)?;
    let result = render(&mut writer).and_then(|()| writer.flush());
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
