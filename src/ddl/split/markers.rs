//! Section markers that migration tools put in SQL comments: goose (`-- +goose Up`,
//! `-- +goose StatementBegin` …), sql-migrate (`-- +migrate Up`), dbmate (`-- migrate:up`)
//! and node-pg-migrate (`-- Up Migration`). Only a `--` comment that starts its line counts,
//! as the tools match whole lines.

use super::{Section, Splitter};

/// What a marker comment tells the splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    /// The up section starts.
    Up(Tool),
    /// The down section starts: statements until the next up marker are not applied.
    Down(Tool),
    /// The lines until `StatementEnd` are one statement, semicolons and all.
    StatementBegin,
    StatementEnd,
    /// `-- +goose ENVSUB ON`: `${VAR}` references are replaced from the environment.
    EnvSubOn,
    /// Markers without effect on the schema (`NO TRANSACTION`, `ENVSUB OFF`).
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tool {
    Goose,
    SqlMigrate,
    Dbmate,
    NodePgMigrate,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Goose => "goose",
            Tool::SqlMigrate => "sql-migrate",
            Tool::Dbmate => "dbmate",
            Tool::NodePgMigrate => "node-pg-migrate",
        }
    }
}

/// The marker in a line comment's text (what follows `--`), if it is one.
pub(super) fn parse(comment: &str) -> Option<Marker> {
    let body = comment.trim();
    let lower = body.to_ascii_lowercase();
    for (prefix, tool) in [("+goose", Tool::Goose), ("+migrate", Tool::SqlMigrate)] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            if !rest.starts_with(char::is_whitespace) {
                return None;
            }
            let words: Vec<&str> = rest.split_whitespace().collect();
            return Some(match words.as_slice() {
                ["up", ..] => Marker::Up(tool),
                ["down", ..] => Marker::Down(tool),
                ["statementbegin"] => Marker::StatementBegin,
                ["statementend"] => Marker::StatementEnd,
                ["envsub", "on"] => Marker::EnvSubOn,
                _ => Marker::Ignored,
            });
        }
    }
    // dbmate: `^--\s*migrate:up(.*)$` (options such as `transaction:false` may follow).
    if let Some(rest) = lower.strip_prefix("migrate:") {
        if rest.starts_with("up") && !rest[2..].starts_with(|c: char| c.is_alphanumeric()) {
            return Some(Marker::Up(Tool::Dbmate));
        }
        if rest.starts_with("down") && !rest[4..].starts_with(|c: char| c.is_alphanumeric()) {
            return Some(Marker::Down(Tool::Dbmate));
        }
        return None;
    }
    // node-pg-migrate: `^\s*--[\s-]*up\s+migration` (case-insensitive).
    let rest = lower.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
    let mut words = rest.split_whitespace();
    match (words.next(), words.next()) {
        (Some("up"), Some(w)) if w.starts_with("migration") => {
            Some(Marker::Up(Tool::NodePgMigrate))
        }
        (Some("down"), Some(w)) if w.starts_with("migration") => {
            Some(Marker::Down(Tool::NodePgMigrate))
        }
        _ => None,
    }
}

impl Splitter<'_> {
    pub(super) fn marker(&mut self, marker: Marker) {
        let line = self.lx.line;
        match marker {
            Marker::Up(tool) => {
                // A section marker also ends an unfinished StatementBegin block.
                self.block = None;
                self.finish();
                self.close_down_section(line.saturating_sub(1));
                if self.section == Section::Unmarked && !self.out.statements.is_empty() {
                    let before = std::mem::take(&mut self.out.statements);
                    self.note(
                        before[0].location.line,
                        format!(
                            "{} statement(s) before the up marker on line {line} skipped: {} runs \
                             only the up section",
                            before.len(),
                            tool.name()
                        ),
                    );
                }
                self.section = Section::Up;
            }
            Marker::Down(tool) => {
                self.block = None;
                self.finish();
                self.close_down_section(line.saturating_sub(1));
                self.section = Section::Down {
                    tool,
                    line,
                    dropped: 0,
                };
            }
            Marker::StatementBegin => {
                self.finish();
                self.block = Some(line);
            }
            Marker::StatementEnd => {
                if self.block.take().is_some() {
                    self.finish();
                }
            }
            Marker::EnvSubOn => {
                if !self.envsub_noted {
                    self.envsub_noted = true;
                    self.note(
                        line,
                        "goose ENVSUB ON: `${VAR}` references in the statements after it are \
                         read as written, not replaced from the environment"
                            .into(),
                    );
                }
            }
            Marker::Ignored => {}
        }
    }

    /// Leaving a down section (at an up marker or the end of the text), whose last line is
    /// `last`: one note for it.
    pub(super) fn close_down_section(&mut self, last: usize) {
        if let Section::Down {
            tool,
            line,
            dropped,
        } = self.section
        {
            self.note(
                line,
                format!(
                    "down section skipped (lines {line}–{last}, {dropped} statement(s)): {} \
                     applies it only when rolling back",
                    tool.name()
                ),
            );
            self.section = Section::Up;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_parse() {
        let cases = [
            (" +goose Up", Some(Marker::Up(Tool::Goose))),
            (" +goose up", Some(Marker::Up(Tool::Goose))),
            (" +goose Down", Some(Marker::Down(Tool::Goose))),
            (" +goose StatementBegin", Some(Marker::StatementBegin)),
            (" +goose StatementEnd", Some(Marker::StatementEnd)),
            (" +goose NO TRANSACTION", Some(Marker::Ignored)),
            (" +goose ENVSUB ON", Some(Marker::EnvSubOn)),
            (" +goose ENVSUB OFF", Some(Marker::Ignored)),
            ("+goose Up", Some(Marker::Up(Tool::Goose))),
            (" +gooseUp", None),
            (
                " +migrate Up notransaction",
                Some(Marker::Up(Tool::SqlMigrate)),
            ),
            (" +migrate Down", Some(Marker::Down(Tool::SqlMigrate))),
            (" +migrate StatementBegin", Some(Marker::StatementBegin)),
            (" migrate:up", Some(Marker::Up(Tool::Dbmate))),
            (
                "migrate:up transaction:false",
                Some(Marker::Up(Tool::Dbmate)),
            ),
            (" migrate:down", Some(Marker::Down(Tool::Dbmate))),
            (" migrate:upgrade", None),
            (" Up Migration", Some(Marker::Up(Tool::NodePgMigrate))),
            ("-- Down Migration", Some(Marker::Down(Tool::NodePgMigrate))),
            (" upgrade the schema", None),
            (" Create table users", None),
            (" down", None),
            ("", None),
        ];
        for (comment, expected) in cases {
            assert_eq!(parse(comment), expected, "{comment:?}");
        }
    }
}
