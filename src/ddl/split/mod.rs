//! Splitting SQL text into statements with their file and line.
//!
//! INTERFACE CONTRACT: `Split`, `RawStatement`, `SplitError` and `split` keep these names and
//! signatures. The body below is a first, simple implementation.

use std::fmt;

use crate::model::{Location, Note};

/// One SQL statement as written, without its terminating `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    pub text: String,
    /// Where the statement's first token is.
    pub location: Location,
}

/// The statements of one file, plus notes about what was skipped (psql meta-commands,
/// down sections …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub statements: Vec<RawStatement>,
    pub notes: Vec<Note>,
}

/// Text that cannot be split (an unterminated quote, dollar quote or comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for SplitError {}

/// Split `text` (the contents of `file`) into statements.
pub fn split(text: &str, file: &str) -> Result<Split, SplitError> {
    let bytes = text.as_bytes();
    let mut out = Split::default();
    let mut i = 0;
    let mut line = 1;
    let mut start: Option<(usize, usize)> = None;
    let err = |line: usize, message: &str| SplitError {
        location: Location {
            file: file.to_string(),
            line,
        },
        message: message.to_string(),
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let open = line;
                let mut depth = 0;
                loop {
                    if i >= bytes.len() {
                        return Err(err(open, "unterminated /* comment"));
                    }
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if bytes[i] == b'\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            b';' => {
                if let Some((s, l)) = start.take() {
                    out.statements.push(RawStatement {
                        text: text[s..i].trim().to_string(),
                        location: Location {
                            file: file.to_string(),
                            line: l,
                        },
                    });
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                if start.is_none() {
                    start = Some((i, line));
                }
                match c {
                    b'\'' | b'"' => {
                        let open = line;
                        i += 1;
                        loop {
                            if i >= bytes.len() {
                                return Err(err(open, "unterminated quoted string"));
                            }
                            if bytes[i] == c {
                                if bytes.get(i + 1) == Some(&c) {
                                    i += 2;
                                    continue;
                                }
                                i += 1;
                                break;
                            }
                            if bytes[i] == b'\n' {
                                line += 1;
                            }
                            i += 1;
                        }
                    }
                    b'$' => {
                        let tag_end = bytes[i + 1..]
                            .iter()
                            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                            .map(|p| i + 1 + p);
                        match tag_end {
                            Some(e) if bytes[e] == b'$' => {
                                let tag = &text[i..=e];
                                let open = line;
                                match text[e + 1..].find(tag) {
                                    Some(p) => {
                                        let close = e + 1 + p + tag.len();
                                        line += text[i..close].matches('\n').count();
                                        i = close;
                                    }
                                    None => return Err(err(open, "unterminated dollar quote")),
                                }
                            }
                            _ => i += 1,
                        }
                    }
                    _ => i += 1,
                }
            }
        }
    }
    if let Some((s, l)) = start {
        out.statements.push(RawStatement {
            text: text[s..].trim().to_string(),
            location: Location {
                file: file.to_string(),
                line: l,
            },
        });
    }
    Ok(out)
}
