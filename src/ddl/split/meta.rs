//! psql meta-commands (`\connect`, `\set`, `\i`, `\copy` …): where one ends, what it does to
//! the statement being read, and the note telling a reviewer it was skipped. Parsing follows
//! psql's rules: a command's arguments end at the end of the line or at an unquoted
//! backslash; `\\` ends them and SQL resumes after it.

use super::{CopyState, PsqlState, Splitter};

/// One meta-command as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MetaCommand {
    /// The command name without its backslash: `connect`, `set`, `copy`, `!` …
    pub name: String,
    /// The whole command as written, backslash included, trimmed.
    pub written: String,
    /// The arguments, trimmed.
    pub args: String,
    /// Where the command ends (the `\n`, the next meta-command's `\`, or after `\\`).
    pub end: usize,
}

/// What a meta-command means for the statements around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Effect {
    /// Sends the statement typed so far (`\g`, `\gset`, `\gexec` …), like a `;`.
    Send,
    /// Throws the statement typed so far away (`\r`).
    Reset,
    /// `\copy … from stdin`: data lines follow, up to `\.`.
    CopyFromStdin,
    /// Nothing that changes which statements run.
    None,
}

/// Commands whose argument is the rest of the line, backslashes included
/// (`OT_WHOLE_LINE` in psql's `command.c`).
fn takes_whole_line(name: &str) -> bool {
    matches!(
        name,
        "!" | "copy" | "h" | "help" | "sf" | "sf+" | "sv" | "sv+" | "ef" | "ev"
    )
}

/// Parse the meta-command whose backslash is at `start`.
pub(super) fn parse(text: &str, start: usize) -> MetaCommand {
    let bytes = text.as_bytes();
    let line_end = bytes[start..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(bytes.len(), |p| start + p);
    let name_start = start + 1;
    let mut name_end = name_start;
    match bytes.get(name_start) {
        Some(c) if c.is_ascii_alphanumeric() || *c >= 0x80 => {
            while bytes.get(name_end).is_some_and(|c| {
                !super::lexer::is_space(*c) && *c != b'\\' && *c != b'\'' && *c != b'"'
            }) {
                name_end += 1;
            }
        }
        Some(b'\n') | None => {}
        Some(_) => {
            // `\!`, `\?`, `\.`, `\\`: one character (a multi-byte one is taken whole).
            name_end = name_start + text[name_start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let name = text[name_start..name_end].to_string();
    let (args_end, end) = if name == "\\" {
        // A stray `\\` separates nothing from what follows: SQL resumes after it.
        (name_end, name_end)
    } else if takes_whole_line(&name) {
        (line_end, line_end)
    } else {
        arguments_end(bytes, name_end, line_end)
    };
    MetaCommand {
        written: text[start..args_end].trim().to_string(),
        args: text[name_end..args_end].trim().to_string(),
        name,
        end,
    }
}

/// Where the arguments starting at `from` end, and where scanning resumes: at the end of the
/// line, at an unquoted `\` (the next meta-command), or after `\\` (SQL follows).
fn arguments_end(bytes: &[u8], from: usize, line_end: usize) -> (usize, usize) {
    let mut i = from;
    let mut quote: Option<u8> = None;
    while i < line_end {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'\'' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'\\' if bytes.get(i + 1) == Some(&b'\\') => return (i, i + 2),
                b'\\' => return (i, i),
                _ => {}
            },
        }
        i += 1;
    }
    (line_end, line_end)
}

pub(super) fn effect(command: &MetaCommand) -> Effect {
    match command.name.as_str() {
        "g" | "gx" | "gset" | "gexec" | "gdesc" | "crosstabview" | "watch" => Effect::Send,
        "r" | "reset" => Effect::Reset,
        "copy" if copies_from_stdin(&command.args) => Effect::CopyFromStdin,
        _ => Effect::None,
    }
}

/// `\copy t from stdin …` reads its data from the script itself (`pstdin` would read
/// psql's own standard input instead).
fn copies_from_stdin(args: &str) -> bool {
    let words: Vec<String> = args
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.windows(2).any(|w| w[0] == "from" && w[1] == "stdin")
}

/// The note for a skipped meta-command, saying what it would have done.
pub(super) fn note_message(command: &MetaCommand) -> String {
    let shown = shorten(&command.written, 80);
    match command.name.as_str() {
        "c" | "connect" => format!(
            "psql `{shown}` switches to another database: the statements after it apply to that \
             database, yet pgdrift reads them into this schema"
        ),
        "i" | "include" | "ir" | "include_relative" => format!(
            "psql `{shown}` runs another file in place, which pgdrift does not read: list that \
             file as a source of its own if it holds schema"
        ),
        "gexec" => format!(
            "psql `{shown}` runs each value the statement before it returns as SQL; pgdrift \
             cannot know those statements"
        ),
        "if" | "elif" | "else" | "endif" => format!(
            "psql conditional `{shown}` is not evaluated: pgdrift reads the statements of every \
             branch"
        ),
        "copy" => format!("psql `{shown}` copies data, which is not schema; skipped"),
        _ => format!("psql meta-command `{shown}` is not SQL; skipped"),
    }
}

pub(super) fn shorten(text: &str, max_chars: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max_chars {
        one_line
    } else {
        let cut: String = one_line.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

impl Splitter<'_> {
    /// A backslash outside quotes and comments: `\;`, `\:` or a meta-command.
    pub(super) fn backslash(&mut self, start: usize, line: usize) {
        let next = self.lx.text.as_bytes().get(start + 1).copied();
        if next == Some(b';') {
            // `\;` puts a `;` in psql's buffer without sending it: the server still runs
            // the statements one after the other. Inside parentheses it is part of the text.
            self.lx.pos = start + 2;
            if self.psql.open_parens.is_empty() && self.psql.begin_depth == 0 {
                self.finish();
            }
            return;
        }
        if next == Some(b':') {
            // `\:` is a literal colon (no variable interpolation).
            self.lx.pos = start + 2;
            self.token(start, start + 2, line);
            return;
        }
        let command = parse(self.lx.text, start);
        self.lx.pos = command.end;
        if let Some(pending) = &mut self.pending {
            pending.excluded.push((start, command.end));
        }
        match effect(&command) {
            Effect::Send => {
                if self.pending.is_none() && matches!(command.name.as_str(), "g" | "gx") {
                    self.note(
                        line,
                        format!(
                            "psql `{}` with no statement before it runs the previous statement \
                             again; pgdrift reads it once",
                            shorten(&command.written, 80)
                        ),
                    );
                    return;
                }
                self.finish();
                if command.name == "gexec" {
                    let message = note_message(&command);
                    self.note(line, message);
                }
            }
            Effect::Reset => {
                if let Some(pending) = self.pending.take() {
                    self.psql = PsqlState::default();
                    self.copy = CopyState::default();
                    self.note(
                        line,
                        format!(
                            "psql `{}` discards the unfinished statement from line {}",
                            shorten(&command.written, 80),
                            pending.line
                        ),
                    );
                }
            }
            Effect::CopyFromStdin => {
                self.lx.copy_data_after_newline = true;
                let message = note_message(&command);
                self.note(line, message);
            }
            Effect::None => {
                let message = note_message(&command);
                self.note(line, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse() {
        // (text, name, args, rest of text after the command)
        let cases = [
            (
                "\\set ON_ERROR_STOP on\nSELECT 1;",
                "set",
                "ON_ERROR_STOP on",
                "\nSELECT 1;",
            ),
            ("\\connect mydb", "connect", "mydb", ""),
            ("\\c other\r\nx", "c", "other", "\nx"),
            (
                "\\echo 'a \\\\ b' \\\\ SELECT 1;",
                "echo",
                "'a \\\\ b'",
                " SELECT 1;",
            ),
            ("\\echo a \\g", "echo", "a", "\\g"),
            ("\\! ls \\\\ x\ny", "!", "ls \\\\ x", "\ny"),
            (
                "\\copy t from stdin with csv\n1\n",
                "copy",
                "t from stdin with csv",
                "\n1\n",
            ),
            ("\\.\n", ".", "", "\n"),
            ("\\", "", "", ""),
            ("\\\\ SELECT 1", "\\", "", " SELECT 1"),
            ("\\gset p_", "gset", "p_", ""),
            ("\\é x", "é", "x", ""),
        ];
        for (text, name, args, rest) in cases {
            let command = parse(text, 0);
            assert_eq!(command.name, name, "{text:?}");
            assert_eq!(command.args, args, "{text:?}");
            assert_eq!(&text[command.end..], rest, "{text:?}");
        }
    }

    #[test]
    fn effects() {
        let effect_of = |text: &str| effect(&parse(text, 0));
        assert_eq!(effect_of("\\g"), Effect::Send);
        assert_eq!(effect_of("\\gexec"), Effect::Send);
        assert_eq!(effect_of("\\r"), Effect::Reset);
        assert_eq!(
            effect_of("\\copy t (a, b) FROM STDIN"),
            Effect::CopyFromStdin
        );
        assert_eq!(effect_of("\\copy t from pstdin"), Effect::None);
        assert_eq!(effect_of("\\copy t to 'x.csv'"), Effect::None);
        assert_eq!(effect_of("\\set x 1"), Effect::None);
    }

    #[test]
    fn notes_say_what_was_skipped() {
        let note = |text: &str| note_message(&parse(text, 0));
        assert!(note("\\connect other").contains("switches to another database"));
        assert!(note("\\i schema.sql").contains("does not read"));
        assert_eq!(
            note("\\set ON_ERROR_STOP on"),
            "psql meta-command `\\set ON_ERROR_STOP on` is not SQL; skipped"
        );
        assert!(shorten(&"x".repeat(100), 10).ends_with('…'));
    }
}
