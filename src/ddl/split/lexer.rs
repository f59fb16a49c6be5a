//! The token level of splitting, as psql's lexer (`psqlscan.l`) sees SQL: words, quoted
//! strings and identifiers, dollar quotes, comments, parentheses, semicolons and backslashes,
//! each with its line. It never looks at more than the current token, so splitting is linear,
//! and it never panics on any input. Statement boundaries are `split`'s business.

/// What the lexer found next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    /// An unquoted identifier or keyword (`[A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*`).
    Word {
        start: usize,
        end: usize,
        line: usize,
    },
    /// Any other piece of SQL text: a string, quoted identifier, dollar-quoted string,
    /// number, parameter or operator.
    Token {
        start: usize,
        end: usize,
        line: usize,
    },
    OpenParen {
        start: usize,
        line: usize,
    },
    CloseParen {
        start: usize,
        line: usize,
    },
    Semicolon {
        start: usize,
    },
    /// `--` to the end of the line (`end` excludes the newline). `alone` when nothing but
    /// whitespace precedes it on its line.
    LineComment {
        start: usize,
        end: usize,
        alone: bool,
    },
    BlockComment,
    /// A backslash outside quotes and comments: a psql meta-command (or `\;`, `\:`).
    Backslash {
        start: usize,
        line: usize,
    },
    /// `COPY … FROM STDIN` data lines skipped, up to and including a `\.` line.
    CopyData {
        first_line: usize,
        last_line: usize,
        terminated: bool,
    },
}

/// Text the lexer cannot get through: an unterminated quote or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LexError {
    pub line: usize,
    pub message: String,
}

pub(super) struct Lexer<'a> {
    pub text: &'a str,
    bytes: &'a [u8],
    pub pos: usize,
    /// The line `pos` is on (1-based).
    pub line: usize,
    /// psql reads `'…'` without backslash escapes while the server's
    /// `standard_conforming_strings` is on (the default since 9.1).
    pub standard_strings: bool,
    /// Skip `COPY … FROM STDIN` data at the next newline outside any token.
    pub copy_data_after_newline: bool,
    /// Something other than whitespace came before `pos` on the current line.
    busy_line: bool,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Dollar-quote tags may not contain `$` (`dolq_cont` in psqlscan.l).
fn is_tag_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// PostgreSQL's whitespace: space, tab, newline, carriage return, form feed, vertical tab.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\x0b')
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            bytes: text.as_bytes(),
            // A byte-order mark is not part of the first statement.
            pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
            line: 1,
            standard_strings: true,
            copy_data_after_newline: false,
            busy_line: false,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// The next event, `None` at the end of the text.
    pub fn next_event(&mut self) -> Result<Option<Event>, LexError> {
        loop {
            let Some(b) = self.at(self.pos) else {
                return Ok(None);
            };
            if b == b'\n' {
                self.pos += 1;
                self.line += 1;
                self.busy_line = false;
                if self.copy_data_after_newline {
                    self.copy_data_after_newline = false;
                    return Ok(Some(self.skip_copy_data()));
                }
                continue;
            }
            if is_space(b) {
                self.pos += 1;
                continue;
            }
            let alone = !self.busy_line;
            self.busy_line = true;
            let start = self.pos;
            let line = self.line;
            let next = self.at(start + 1);
            let event = match b {
                b'-' if next == Some(b'-') => {
                    let end = self.line_end(start);
                    self.pos = end;
                    Event::LineComment { start, end, alone }
                }
                b'/' if next == Some(b'*') => {
                    self.block_comment()?;
                    Event::BlockComment
                }
                b';' => {
                    self.pos += 1;
                    Event::Semicolon { start }
                }
                b'\\' => {
                    self.pos += 1;
                    Event::Backslash { start, line }
                }
                b'(' => {
                    self.pos += 1;
                    Event::OpenParen { start, line }
                }
                b')' => {
                    self.pos += 1;
                    Event::CloseParen { start, line }
                }
                b'\'' => {
                    self.quoted(start + 1, b'\'', !self.standard_strings)?;
                    Event::Token {
                        start,
                        end: self.pos,
                        line,
                    }
                }
                b'"' => {
                    self.quoted(start + 1, b'"', false)?;
                    Event::Token {
                        start,
                        end: self.pos,
                        line,
                    }
                }
                b'$' => {
                    self.dollar()?;
                    Event::Token {
                        start,
                        end: self.pos,
                        line,
                    }
                }
                b'0'..=b'9' => {
                    // A number, with whatever letters, digits and dots stick to it
                    // (`1e-5` needs no care: `-` is not `--`).
                    self.pos += 1;
                    while self
                        .at(self.pos)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                    {
                        self.pos += 1;
                    }
                    Event::Token {
                        start,
                        end: self.pos,
                        line,
                    }
                }
                _ if is_ident_start(b) => self.word_or_prefixed_string(start, line)?,
                _ => {
                    self.pos += 1;
                    Event::Token {
                        start,
                        end: self.pos,
                        line,
                    }
                }
            };
            return Ok(Some(event));
        }
    }

    /// The end of the line holding `from` (the position of its `\n`, or the end of text).
    pub fn line_end(&self, from: usize) -> usize {
        self.bytes[from.min(self.bytes.len())..]
            .iter()
            .position(|c| *c == b'\n')
            .map_or(self.bytes.len(), |p| from + p)
    }

    /// A word, or a string with a prefix: `E'…'`, `B'…'`, `X'…'`, `N'…'`, `U&'…'`, `U&"…"`.
    fn word_or_prefixed_string(&mut self, start: usize, line: usize) -> Result<Event, LexError> {
        let b = self.bytes[start];
        let next = self.at(start + 1);
        let token = |lx: &Lexer| Event::Token {
            start,
            end: lx.pos,
            line,
        };
        match (b.to_ascii_lowercase(), next) {
            (b'e', Some(b'\'')) => {
                self.quoted(start + 2, b'\'', true)?;
                return Ok(token(self));
            }
            (b'b' | b'x', Some(b'\'')) => {
                self.quoted(start + 2, b'\'', false)?;
                return Ok(token(self));
            }
            (b'n', Some(b'\'')) => {
                self.quoted(start + 2, b'\'', !self.standard_strings)?;
                return Ok(token(self));
            }
            (b'u', Some(b'&')) => {
                if let Some(q @ (b'\'' | b'"')) = self.at(start + 2) {
                    self.quoted(start + 3, q, false)?;
                    return Ok(token(self));
                }
            }
            _ => {}
        }
        self.pos = start + 1;
        while self.at(self.pos).is_some_and(is_ident_cont) {
            self.pos += 1;
        }
        Ok(Event::Word {
            start,
            end: self.pos,
            line,
        })
    }

    /// Scan a quoted string or identifier whose body starts at `from`; a doubled quote is
    /// the quote itself, and with `backslash` a backslash escapes the next byte.
    fn quoted(&mut self, from: usize, quote: u8, backslash: bool) -> Result<(), LexError> {
        let open = self.line;
        let mut i = from;
        loop {
            let Some(c) = self.at(i) else {
                self.pos = self.bytes.len();
                return Err(LexError {
                    line: open,
                    message: if quote == b'"' {
                        "unterminated quoted identifier: the \" opened here is never closed".into()
                    } else {
                        "unterminated string literal: the ' opened here is never closed".into()
                    },
                });
            };
            match c {
                b'\n' => self.line += 1,
                b'\\' if backslash => {
                    if self.at(i + 1) == Some(b'\n') {
                        self.line += 1;
                    }
                    i += 1;
                }
                _ if c == quote => {
                    if self.at(i + 1) == Some(quote) {
                        i += 1;
                    } else {
                        self.pos = i + 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// `$tag$…$tag$`, `$$…$$`, a parameter `$1`, or a lone `$`.
    fn dollar(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        let mut i = start + 1;
        match self.at(i) {
            Some(c) if c.is_ascii_digit() => {
                while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
                self.pos = i;
                return Ok(());
            }
            Some(b'$') => {}
            Some(c) if is_ident_start(c) => {
                while self.at(i).is_some_and(is_tag_cont) {
                    i += 1;
                }
                if self.at(i) != Some(b'$') {
                    // `dolqfailed`: the `$` stands alone and the word after it is lexed anew.
                    self.pos = start + 1;
                    return Ok(());
                }
            }
            _ => {
                self.pos = start + 1;
                return Ok(());
            }
        }
        let body = i + 1;
        let tag = &self.text[start..body];
        match self.text[body..].find(tag) {
            Some(offset) => {
                let end = body + offset + tag.len();
                self.line += count_newlines(&self.bytes[start..end]);
                self.pos = end;
                Ok(())
            }
            None => {
                let open = self.line;
                self.pos = self.bytes.len();
                Err(LexError {
                    line: open,
                    message: format!(
                        "unterminated dollar-quoted string: the {tag} opened here is never closed"
                    ),
                })
            }
        }
    }

    /// `/* … */`, nested as PostgreSQL nests them.
    fn block_comment(&mut self) -> Result<(), LexError> {
        let open = self.line;
        let mut depth = 0usize;
        let mut i = self.pos;
        loop {
            match (self.at(i), self.at(i + 1)) {
                (None, _) => {
                    self.pos = self.bytes.len();
                    return Err(LexError {
                        line: open,
                        message: "unterminated /* comment: the comment opened here is never closed"
                            .into(),
                    });
                }
                (Some(b'/'), Some(b'*')) => {
                    depth += 1;
                    i += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        self.pos = i;
                        return Ok(());
                    }
                }
                (Some(c), _) => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    i += 1;
                }
            }
        }
    }

    /// Skip `COPY … FROM STDIN` data, which starts at `pos` (a line start) and ends with a
    /// line holding only `\.` (psql's `handleCopyIn`), or at the end of the text.
    fn skip_copy_data(&mut self) -> Event {
        let first_line = self.line;
        loop {
            if self.pos >= self.bytes.len() {
                return Event::CopyData {
                    first_line,
                    last_line: self.line.saturating_sub(1).max(first_line),
                    terminated: false,
                };
            }
            let end = self.line_end(self.pos);
            let content = &self.bytes[self.pos..end];
            let content = content.strip_suffix(b"\r").unwrap_or(content);
            let last_line = self.line;
            self.pos = (end + 1).min(self.bytes.len());
            if end < self.bytes.len() {
                self.line += 1;
            }
            if content == b"\\." {
                return Event::CopyData {
                    first_line,
                    last_line,
                    terminated: true,
                };
            }
        }
    }
}

pub(super) fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|c| **c == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Result<Vec<String>, LexError> {
        let mut lx = Lexer::new(text);
        let mut out = Vec::new();
        while let Some(event) = lx.next_event()? {
            out.push(match event {
                Event::Word { start, end, line } => format!("w:{}@{line}", &text[start..end]),
                Event::Token { start, end, line } => format!("t:{}@{line}", &text[start..end]),
                Event::OpenParen { .. } => "(".into(),
                Event::CloseParen { .. } => ")".into(),
                Event::Semicolon { .. } => ";".into(),
                Event::LineComment { start, end, alone } => {
                    format!(
                        "--{}{}",
                        &text[start + 2..end],
                        if alone { "" } else { "(inline)" }
                    )
                }
                Event::BlockComment => "/**/".into(),
                Event::Backslash { line, .. } => format!("\\@{line}"),
                Event::CopyData { .. } => "copy".into(),
            });
        }
        Ok(out)
    }

    #[test]
    fn tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("select 1", &["w:select@1", "t:1@1"]),
            ("'it''s';", &["t:'it''s'@1", ";"]),
            (r"E'it\'s' x", &[r"t:E'it\'s'@1", "w:x@1"]),
            (r"'a\' b", &[r"t:'a\'@1", "w:b@1"]),
            ("U&'\\0041' u&\"x\"", &["t:U&'\\0041'@1", "t:u&\"x\"@1"]),
            (
                "B'0101' X'ff' N'x'",
                &["t:B'0101'@1", "t:X'ff'@1", "t:N'x'@1"],
            ),
            ("\"a\"\"b\" c", &["t:\"a\"\"b\"@1", "w:c@1"]),
            (
                "$$a;b$$ $fn$ $$ ; $fn$",
                &["t:$$a;b$$@1", "t:$fn$ $$ ; $fn$@1"],
            ),
            ("$_$x$_$", &["t:$_$x$_$@1"]),
            ("$1 $23", &["t:$1@1", "t:$23@1"]),
            ("a$b$c", &["w:a$b$c@1"]),
            ("$a b", &["t:$@1", "w:a@1", "w:b@1"]),
            ("x -- c;\ny", &["w:x@1", "-- c;(inline)", "w:y@2"]),
            ("/* a /* b */ ; */ y", &["/**/", "w:y@1"]),
            ("/*/*/ */ */z", &["/**/", "w:z@1"]),
            (
                "1e-5 1.5e+3",
                &["t:1e@1", "t:-@1", "t:5@1", "t:1.5e@1", "t:+@1", "t:3@1"],
            ),
            ("'a\nb' c", &["t:'a\nb'@1", "w:c@2"]),
            ("$q$\n\n$q$ d", &["t:$q$\n\n$q$@1", "w:d@3"]),
            ("\\echo x", &["\\@1", "w:echo@1", "w:x@1"]),
            ("éa 1", &["w:éa@1", "t:1@1"]),
            ("date'2020-01-01'", &["w:date@1", "t:'2020-01-01'@1"]),
            ("(a)", &["(", "w:a@1", ")"]),
        ];
        for (text, expected) in cases {
            assert_eq!(kinds(text).unwrap(), *expected, "{text:?}");
        }
    }

    #[test]
    fn backslash_escapes_follow_standard_conforming_strings() {
        let mut lx = Lexer::new(r"'a\' b' c");
        lx.standard_strings = false;
        assert!(matches!(
            lx.next_event(),
            Ok(Some(Event::Token { end: 7, .. }))
        ));
    }

    #[test]
    fn unterminated_constructs_name_their_opening_line() {
        let cases = [
            ("select\n'abc", 2, "string literal"),
            ("select\n\n\"abc", 3, "quoted identifier"),
            ("x\n$fn$ body $f$", 2, "$fn$"),
            ("x /* a /* b */\n", 1, "/* comment"),
            ("E'abc\\'", 1, "string literal"),
        ];
        for (text, line, what) in cases {
            let err = kinds(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains(what), "{text:?}: {}", err.message);
        }
    }
}
