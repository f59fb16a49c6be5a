//! A spinner on standard error while databases are read — only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use tokio::task::JoinHandle;

/// A running spinner; `finish` clears its line.
pub struct Progress {
    task: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn start(message: String) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { task: None };
        }
        let task = tokio::spawn(async move {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            // A quick read shows nothing at all.
            tokio::time::sleep(Duration::from_millis(150)).await;
            for frame in FRAMES.iter().cycle() {
                {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r{frame} {message}");
                    let _ = err.flush();
                }
                tokio::time::sleep(Duration::from_millis(80)).await;
            }
        });
        Progress { task: Some(task) }
    }

    pub fn finish(self) {
        if let Some(task) = self.task {
            task.abort();
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
