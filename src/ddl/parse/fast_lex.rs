//! A fast path for tokenizing the plain SQL migrations are mostly made of: ASCII words,
//! quoted identifiers, simple strings and numbers, punctuation and `--` comments. It gives
//! exactly the tokens and spans sqlparser's tokenizer gives (PostgreSQL dialect, unescape
//! on) and declines (`None`) anything else, which sqlparser then reads as usual.
//!
//! Why: sqlparser builds every word a character at a time and finds its keyword by a binary
//! search that upper-cases each probe (`keyword_lookup`), which made tokenizing about a
//! quarter of a static read. The rules below mirror `Tokenizer::next_token` (sqlparser
//! 0.63) for the characters they accept; the test `agrees_with_sqlparser` holds them to it
//! over every SQL file of the fixtures.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

/// The longest keyword sqlparser knows is shorter than this; longer words are no keyword.
const MAX_KEYWORD: usize = 64;

/// FNV-1a: the keys are short words hashed once per word of every statement, where
/// SipHash's setup would cost more than the lookup (no untrusted keys: a fixed table).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type KeywordMap = HashMap<&'static [u8], Keyword, BuildHasherDefault<Fnv>>;

fn keywords() -> &'static KeywordMap {
    static MAP: OnceLock<KeywordMap> = OnceLock::new();
    MAP.get_or_init(|| {
        ALL_KEYWORDS
            .iter()
            .zip(ALL_KEYWORDS_INDEX)
            .map(|(w, k)| (w.as_bytes(), *k))
            .collect()
    })
}

/// sqlparser's `keyword_lookup` for an unquoted ASCII word.
fn keyword(word: &str) -> Keyword {
    let bytes = word.as_bytes();
    if bytes.len() >= MAX_KEYWORD {
        return Keyword::NoKeyword;
    }
    let mut upper = [0u8; MAX_KEYWORD];
    for (u, b) in upper.iter_mut().zip(bytes) {
        *u = b.to_ascii_uppercase();
    }
    keywords()
        .get(&upper[..bytes.len()])
        .copied()
        .unwrap_or(Keyword::NoKeyword)
}

/// Characters sqlparser's PostgreSQL dialect lets continue an operator
/// (`is_custom_operator_part`), plus a few more for safety: after an operator character,
/// any of these means the fast path declines.
fn operator_part(b: u8) -> bool {
    matches!(
        b,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
            | b'\\'
    )
}

fn identifier_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u64,
    column: u64,
}

impl Lexer<'_> {
    fn location(&self) -> Location {
        Location {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// Advance over `n` bytes (ASCII: one character each), counting lines as sqlparser's
    /// `State::next` does.
    fn advance(&mut self, n: usize) {
        for &b in &self.bytes[self.pos..self.pos + n] {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.pos += n;
    }

    /// The next token, `Err(())` when the fast path declines.
    fn token(&mut self) -> Result<Token, ()> {
        let b = self.bytes[self.pos];
        let next = self.peek(1);
        let simple = |lexer: &mut Self, len: usize, token: Token| {
            lexer.advance(len);
            Ok(token)
        };
        match b {
            b' ' => simple(self, 1, Token::Whitespace(Whitespace::Space)),
            b'\t' => simple(self, 1, Token::Whitespace(Whitespace::Tab)),
            b'\n' => simple(self, 1, Token::Whitespace(Whitespace::Newline)),
            b'\r' => {
                let len = if next == Some(b'\n') { 2 } else { 1 };
                simple(self, len, Token::Whitespace(Whitespace::Newline))
            }
            // String prefixes (B'', N'', E'', U&'', X'') and quoted forms go to sqlparser.
            b'b' | b'B' | b'n' | b'N' | b'e' | b'E' | b'x' | b'X' | b'u' | b'U'
                if matches!(next, Some(b'\'' | b'"' | b'&')) =>
            {
                Err(())
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let len = self.bytes[self.pos..]
                    .iter()
                    .position(|&c| !identifier_part(c))
                    .unwrap_or(self.bytes.len() - self.pos);
                let value = &self.text[self.pos..self.pos + len];
                let token = Token::Word(Word {
                    value: value.to_string(),
                    quote_style: None,
                    keyword: keyword(value),
                });
                simple(self, len, token)
            }
            b'"' => {
                // `parse_quoted_ident`: a doubled quote is one quote.
                let mut value = String::new();
                let mut i = self.pos + 1;
                loop {
                    match self.bytes.get(i) {
                        None => return Err(()),
                        Some(b'"') if self.bytes.get(i + 1) == Some(&b'"') => {
                            value.push('"');
                            i += 2;
                        }
                        Some(b'"') => break,
                        Some(&c) => {
                            value.push(c as char);
                            i += 1;
                        }
                    }
                }
                let token = Token::Word(Word {
                    value,
                    quote_style: Some('"'),
                    keyword: Keyword::NoKeyword,
                });
                simple(self, i + 1 - self.pos, token)
            }
            b'\'' => {
                // `tokenize_quoted_string` without backslash escapes: `''` is one quote.
                let mut value = String::new();
                let mut i = self.pos + 1;
                loop {
                    match self.bytes.get(i) {
                        None | Some(b'\\') => return Err(()),
                        Some(b'\'') if self.bytes.get(i + 1) == Some(&b'\'') => {
                            value.push('\'');
                            i += 2;
                        }
                        Some(b'\'') => break,
                        Some(&c) => {
                            value.push(c as char);
                            i += 1;
                        }
                    }
                }
                simple(self, i + 1 - self.pos, Token::SingleQuotedString(value))
            }
            b'0'..=b'9' => {
                let digits = |from: usize| {
                    self.bytes[from..]
                        .iter()
                        .position(|c| !c.is_ascii_digit())
                        .map_or(self.bytes.len(), |n| from + n)
                };
                let mut end = digits(self.pos);
                if self.bytes.get(end) == Some(&b'.') {
                    // `1.` and `1.x` have their own rules.
                    if !self.bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                        return Err(());
                    }
                    end = digits(end + 1);
                }
                // Exponents, `0x…`, `1_000`, `1L`, words starting with digits, `1.2.3`.
                if self
                    .bytes
                    .get(end)
                    .is_some_and(|&c| identifier_part(c) || c == b'.' || c >= 0x80)
                {
                    return Err(());
                }
                let value = self.text[self.pos..end].to_string();
                simple(self, end - self.pos, Token::Number(value, false))
            }
            b'.' => match next {
                Some(c) if c.is_ascii_digit() || c == b'_' => Err(()),
                _ => simple(self, 1, Token::Period),
            },
            b'(' => simple(self, 1, Token::LParen),
            b')' => simple(self, 1, Token::RParen),
            b',' => simple(self, 1, Token::Comma),
            b';' => simple(self, 1, Token::SemiColon),
            b'[' => simple(self, 1, Token::LBracket),
            b']' => simple(self, 1, Token::RBracket),
            b'+' => simple(self, 1, Token::Plus),
            b'*' => simple(self, 1, Token::Mul),
            b':' => match next {
                Some(b':') => simple(self, 2, Token::DoubleColon),
                Some(b'=') => simple(self, 2, Token::Assignment),
                _ => simple(self, 1, Token::Colon),
            },
            b'=' => match next {
                Some(b'>') => simple(self, 2, Token::RArrow),
                Some(b'=') => simple(self, 2, Token::DoubleEq),
                _ => simple(self, 1, Token::Eq),
            },
            b'-' if next == Some(b'-') => {
                // `tokenize_single_line_comment`: up to, not including, `\n` or `\r`.
                let start = self.pos + 2;
                let end = self.bytes[start..]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(self.bytes.len(), |n| start + n);
                let token = Token::Whitespace(Whitespace::SingleLineComment {
                    comment: self.text[start..end].to_string(),
                    prefix: "--".to_string(),
                });
                simple(self, end - self.pos, token)
            }
            b'-' | b'/' | b'<' | b'>' => {
                // One- and two-character operators not followed by more operator
                // characters (which would make a custom operator, `start_binop`).
                let (len, token) = match (b, next) {
                    (b'<', Some(b'>')) => (2, Token::Neq),
                    (b'<', Some(b'=')) => (2, Token::LtEq),
                    (b'>', Some(b'=')) => (2, Token::GtEq),
                    (b'-', _) => (1, Token::Minus),
                    (b'/', _) => (1, Token::Div),
                    (b'<', _) => (1, Token::Lt),
                    (_, _) => (1, Token::Gt),
                };
                if self.peek(len).is_some_and(operator_part) {
                    return Err(());
                }
                simple(self, len, token)
            }
            _ => Err(()),
        }
    }
}

/// The tokens of `text` as `Tokenizer::tokenize_with_location` gives them, or `None` when
/// `text` holds something the fast path does not read.
pub(crate) fn tokenize(text: &str) -> Option<Vec<TokenWithSpan>> {
    if !text.is_ascii() {
        return None;
    }
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
        column: 1,
    };
    // About one token per five bytes in migrations (whitespace included).
    let mut out = Vec::with_capacity(text.len() / 4 + 4);
    while lexer.pos < lexer.bytes.len() {
        let start = lexer.location();
        let token = lexer.token().ok()?;
        out.push(TokenWithSpan {
            token,
            span: Span::new(start, lexer.location()),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use sqlparser::tokenizer::Tokenizer;

    use super::tokenize;
    use crate::ddl::parse::cursor::DIALECT;

    /// Compare with sqlparser; true when the fast path read the text.
    fn check(text: &str) -> bool {
        let Some(fast) = tokenize(text) else {
            return false;
        };
        let slow = Tokenizer::new(&DIALECT, text)
            .tokenize_with_location()
            .unwrap_or_else(|e| panic!("fast path read what sqlparser rejects ({e}): {text}"));
        assert_eq!(fast.len(), slow.len(), "{text}");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f.token, s.token, "{text}");
            assert_eq!(f.span, s.span, "{:?} in {text}", f.token);
        }
        true
    }

    fn sql_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                sql_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(path);
            }
        }
    }

    #[test]
    fn agrees_with_sqlparser() {
        let mut files = Vec::new();
        sql_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            &mut files,
        );
        assert!(files.len() > 50, "fixtures not found");
        // More SQL to hold the fast path to (e.g. a generated benchmark folder).
        if let Some(dir) = std::env::var_os("PGDRIFT_FAST_LEX_DIR") {
            sql_files(Path::new(&dir), &mut files);
        }
        let (mut read, mut declined) = (0, 0);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            // Whole files too: more kinds of text (and their positions) side by side.
            check(&text);
            let Ok(split) = crate::ddl::split::split(&text, "f.sql") else {
                continue;
            };
            for statement in split.statements {
                if check(&statement.text) {
                    read += 1;
                } else {
                    declined += 1;
                }
            }
        }
        eprintln!("fast path: {read} statements read, {declined} declined");
        // Most statements of real migrations take the fast path.
        assert!(read > 4 * declined, "read {read}, declined {declined}");
    }

    #[test]
    fn edge_cases_agree_or_decline() {
        for text in [
            "CREATE TABLE \"A\"\"b\" (x int4 DEFAULT 'it''s', y numeric(10,2) DEFAULT 1.50)",
            "select a.b, c::text, d := 1, e => 2, f == g, h <> i, j <= k, l >= m, n < o, p > q",
            "x - y, x -y, x / y, -- a comment\r\nnext\rline\n\t end",
            "a-->b",
            "a <-> b, a <@ b, a @> b, a || b, a ->> 'k', a #> b, a !~ b, a ~* b",
            "1 1.5 1. 1.x .5 ._ a._b 0x1F 1e10 1E-3 1_000 12abc 1L 1.2.3",
            "b'101' B'1' n'x' N'x' e'\\n' E'a' u&'x' U&\"x\" x'1F' X'1f' bx nx ex ux xx",
            "$1 $$ body $$ $tag$ x $tag$ a$b _a __ a_1",
            "'unterminated",
            "\"unterminated",
            "'back\\slash'",
            "/* block */ a /b",
            "[1,2] {a} ; ;",
            "Ünïcödé 'ü'",
            "",
            "   ",
            "-",
            "a -",
            "<",
            "x = -1",
            "select 'a'\n'b'",
            "CREATE INDEX ON t USING gin (payload jsonb_path_ops) WHERE deleted_at IS NULL",
            "END-EXEC",
        ] {
            check(text);
        }
    }

    #[test]
    fn keywords_are_found_in_any_case() {
        let tokens = tokenize("SeLeCt from_x FROM").unwrap_or_default();
        let words: Vec<_> = tokens
            .iter()
            .filter_map(|t| match &t.token {
                sqlparser::tokenizer::Token::Word(w) => Some(w.keyword),
                _ => None,
            })
            .collect();
        use sqlparser::keywords::Keyword;
        assert_eq!(
            words,
            vec![Keyword::SELECT, Keyword::NoKeyword, Keyword::FROM]
        );
    }
}
