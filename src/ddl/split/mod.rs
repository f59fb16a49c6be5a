//! Splitting SQL text into statements with their file and line, the way psql does when it
//! runs the file: a `;` ends a statement outside quotes, comments, parentheses and the
//! `BEGIN … END` body of a SQL-standard function. psql meta-commands and `COPY … FROM STDIN`
//! data are skipped with notes; goose, sql-migrate, dbmate and node-pg-migrate sections are
//! honoured (only the up section counts). Understanding the statements is `replay`'s job.
//!
//! INTERFACE CONTRACT: `Split`, `RawStatement`, `SplitError` and `split` keep these names and
//! signatures.

mod lexer;
mod markers;
mod meta;

use std::fmt;

use crate::model::{Location, Note, NoteKind};
use lexer::{Event, LexError, Lexer};
use markers::Tool;

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
///
/// Each statement's text runs from its first token to its last, without the `;` and without
/// comments before or after it (comments inside are kept, as is everything else). Its line is
/// the line of its first token.
pub fn split(text: &str, file: &str) -> Result<Split, SplitError> {
    let mut splitter = Splitter::new(text, file);
    match splitter.run() {
        Ok(()) => Ok(splitter.out),
        Err(e) => Err(SplitError {
            location: Location {
                file: file.to_string(),
                line: e.line,
            },
            message: e.message,
        }),
    }
}

/// The statement being read.
#[derive(Debug)]
struct Pending {
    start: usize,
    line: usize,
    /// End of its last token so far.
    end: usize,
    /// Meta-commands inside it, left out of its text.
    excluded: Vec<(usize, usize)>,
}

impl Pending {
    fn text(&self, source: &str) -> String {
        let mut text = String::new();
        let mut from = self.start;
        for &(a, b) in &self.excluded {
            let (a, b) = (a.clamp(from, self.end), b.clamp(from, self.end));
            text.push_str(&source[from..a]);
            from = b;
        }
        text.push_str(&source[from..self.end]);
        text.trim().to_string()
    }
}

/// psql's own state for deciding whether a `;` ends the statement (`psqlscan.l`).
#[derive(Debug, Default)]
struct PsqlState {
    /// Lines of the parentheses still open, outermost first.
    open_parens: Vec<usize>,
    begin_depth: usize,
    begin_line: usize,
    /// The previous word was a `BEGIN` that opens a block if `ATOMIC` follows.
    begin_pending: bool,
    /// First letters of the leading `create`/`or`/`replace`/`function`/`procedure` words.
    identifiers: [u8; 4],
    identifier_count: usize,
}

/// Whether the statement is `COPY … FROM STDIN`, whose data follows it in the file.
#[derive(Debug, Default)]
struct CopyState {
    is_copy: bool,
    after_from: bool,
    from_stdin: bool,
}

/// Where the splitter is with respect to tool sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// No marker seen yet: every statement counts.
    Unmarked,
    Up,
    /// In a down section that began at `line`, with `dropped` statements so far.
    Down {
        tool: Tool,
        line: usize,
        dropped: usize,
    },
}

struct Splitter<'a> {
    lx: Lexer<'a>,
    file: &'a str,
    out: Split,
    pending: Option<Pending>,
    psql: PsqlState,
    copy: CopyState,
    section: Section,
    /// Inside `-- +goose StatementBegin` … `StatementEnd`, from this line.
    block: Option<usize>,
    envsub_noted: bool,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str, file: &'a str) -> Splitter<'a> {
        Splitter {
            lx: Lexer::new(text),
            file,
            out: Split::default(),
            pending: None,
            psql: PsqlState::default(),
            copy: CopyState::default(),
            section: Section::Unmarked,
            block: None,
            envsub_noted: false,
        }
    }

    fn location(&self, line: usize) -> Location {
        Location {
            file: self.file.to_string(),
            line,
        }
    }

    fn note(&mut self, line: usize, message: String) {
        let location = Some(self.location(line));
        self.out
            .notes
            .push(Note::new(NoteKind::NotModelled, location, message));
    }

    fn run(&mut self) -> Result<(), LexError> {
        while let Some(event) = self.lx.next_event()? {
            match event {
                Event::Word { start, end, line } => {
                    self.token(start, end, line);
                    self.word(start, end);
                }
                Event::Token { start, end, line } => {
                    self.token(start, end, line);
                    self.copy.after_from = false;
                }
                Event::OpenParen { start, line } => {
                    self.token(start, start + 1, line);
                    self.psql.open_parens.push(line);
                    self.copy.after_from = false;
                }
                Event::CloseParen { start, line } => {
                    self.token(start, start + 1, line);
                    self.psql.open_parens.pop();
                    self.copy.after_from = false;
                }
                Event::Semicolon { .. } => {
                    let inside = !self.psql.open_parens.is_empty()
                        || self.psql.begin_depth > 0
                        || self.block.is_some();
                    // Inside, the `;` is part of the statement, as in `CREATE RULE … DO
                    // (…; …)` or a `BEGIN ATOMIC … END` body; the token after it extends the
                    // statement over it, and a trailing one stays out of the text.
                    if !inside {
                        self.finish();
                    }
                }
                Event::LineComment { start, end, alone } => {
                    if alone {
                        let body = &self.lx.text[start + 2..end];
                        if let Some(marker) = markers::parse(body) {
                            self.marker(marker);
                        }
                    }
                }
                Event::BlockComment => {}
                Event::Backslash { start, line } => self.backslash(start, line),
                Event::CopyData {
                    first_line,
                    last_line,
                    terminated,
                } => {
                    let end = if terminated {
                        "up to its `\\.` line"
                    } else {
                        "to the end of the file (no `\\.` line)"
                    };
                    let lines = if first_line == last_line {
                        format!("line {first_line}")
                    } else {
                        format!("lines {first_line}–{last_line}")
                    };
                    self.note(first_line, format!("COPY data skipped: {lines}, {end}"));
                }
            }
        }
        self.end_of_text()
    }

    /// A piece of SQL text: starts the statement or extends it.
    fn token(&mut self, start: usize, end: usize, line: usize) {
        match &mut self.pending {
            Some(pending) => pending.end = end,
            None => {
                self.pending = Some(Pending {
                    start,
                    line,
                    end,
                    excluded: Vec::new(),
                })
            }
        }
    }

    /// psql's heuristic for `CREATE [OR REPLACE] {FUNCTION|PROCEDURE} … BEGIN ATOMIC … END`
    /// (psqlscan.l, `{identifier}` rule): inside such a statement, outside parentheses, a
    /// block opens at `BEGIN` (and at `CASE` within one) and closes at `END`.
    ///
    /// One deliberate difference: psql counts every `BEGIN` word, so a function named `begin`
    /// makes it glue the following statements into one query string (which the server then
    /// runs one by one). Here a block opens only at `BEGIN ATOMIC`, the one body form the
    /// server accepts, so each statement stays on its own.
    fn word(&mut self, start: usize, end: usize) {
        let word = &self.lx.text.as_bytes()[start..end];
        let is = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
        let state = &mut self.psql;
        let begin_pending = std::mem::take(&mut state.begin_pending);
        if state.identifier_count == 0 {
            state.identifiers = [0; 4];
            self.copy.is_copy = is("copy");
        }
        if (is("create") || is("function") || is("procedure") || is("or") || is("replace"))
            && state.identifier_count < state.identifiers.len()
        {
            state.identifiers[state.identifier_count] = word[0].to_ascii_lowercase();
        }
        state.identifier_count += 1;
        let ids = state.identifiers;
        let function_like = ids[0] == b'c'
            && (ids[1] == b'f'
                || ids[1] == b'p'
                || (ids[1] == b'o' && ids[2] == b'r' && (ids[3] == b'f' || ids[3] == b'p')));
        if function_like && state.open_parens.is_empty() {
            if is("begin") {
                state.begin_pending = true;
            } else if is("atomic") && begin_pending {
                if state.begin_depth == 0 {
                    state.begin_line = self.lx.line;
                }
                state.begin_depth += 1;
            } else if is("case") {
                if state.begin_depth >= 1 {
                    state.begin_depth += 1;
                }
            } else if is("end") {
                state.begin_depth = state.begin_depth.saturating_sub(1);
            }
        }
        if self.copy.is_copy && self.psql.open_parens.is_empty() {
            if self.copy.after_from && is("stdin") {
                self.copy.from_stdin = true;
            }
            self.copy.after_from = is("from");
        }
    }

    /// End the pending statement (if any) and start afresh.
    fn finish(&mut self) {
        let copy_from_stdin = self.copy.from_stdin;
        self.psql = PsqlState::default();
        self.copy = CopyState::default();
        let Some(pending) = self.pending.take() else {
            return;
        };
        if copy_from_stdin {
            self.lx.copy_data_after_newline = true;
        }
        let text = pending.text(self.lx.text);
        if let Section::Down { dropped, .. } = &mut self.section {
            *dropped += 1;
            return;
        }
        if let Some(on) = standard_conforming_strings(&text) {
            self.lx.standard_strings = on;
        }
        let location = self.location(pending.line);
        self.out.statements.push(RawStatement { text, location });
    }

    fn end_of_text(&mut self) -> Result<(), LexError> {
        let in_down = matches!(self.section, Section::Down { .. });
        if self.pending.is_some() && !in_down && self.block.is_none() {
            if let Some(&line) = self.psql.open_parens.first() {
                return Err(LexError {
                    line,
                    message: "unbalanced parentheses: the ( opened here is never closed, so the \
                              rest of the file would be one statement"
                        .into(),
                });
            }
            if self.psql.begin_depth > 0 {
                return Err(LexError {
                    line: self.psql.begin_line,
                    message: "unterminated BEGIN … END body of a function or procedure: the \
                              BEGIN here has no matching END"
                        .into(),
                });
            }
        }
        if let Some(line) = self.block {
            self.note(
                line,
                "StatementBegin without StatementEnd: the statement runs to the end of the file"
                    .into(),
            );
        }
        self.finish();
        let last = if self.lx.text.ends_with('\n') {
            self.lx.line.saturating_sub(1)
        } else {
            self.lx.line
        };
        self.close_down_section(last);
        Ok(())
    }
}

/// `SET [SESSION] standard_conforming_strings {TO|=} value` and `RESET …`: the new setting,
/// which changes how psql reads `'…'` strings after it.
fn standard_conforming_strings(statement: &str) -> Option<bool> {
    let first = statement.split(char::is_whitespace).next()?;
    if !first.eq_ignore_ascii_case("set") && !first.eq_ignore_ascii_case("reset") {
        return None;
    }
    let lower = statement.to_ascii_lowercase().replace('=', " = ");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let rest = match words.as_slice() {
        ["reset", "standard_conforming_strings"] => return Some(true),
        ["set", "session", "standard_conforming_strings", rest @ ..] => rest,
        ["set", "standard_conforming_strings", rest @ ..] => rest,
        _ => return None,
    };
    match rest {
        ["to" | "=", value] => match value.trim_matches('\'') {
            "on" | "true" | "yes" | "1" | "default" => Some(true),
            "off" | "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests;
