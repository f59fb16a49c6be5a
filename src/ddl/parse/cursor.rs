//! Small helpers over sqlparser's tokenizer and parser for the statements pgdrift reads
//! itself: matching PostgreSQL words sqlparser has no `Keyword` for, and skipping clauses.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// The dialect every statement is read with.
pub(crate) static DIALECT: PostgreSqlDialect = PostgreSqlDialect {};

/// Tokenize `text` with locations; whitespace and comments are kept (the parser skips them).
/// Plain SQL takes the fast path (`fast_lex`), which gives the same tokens.
pub(crate) fn tokenize(text: &str) -> Result<Vec<TokenWithSpan>, String> {
    if let Some(tokens) = super::fast_lex::tokenize(text) {
        return Ok(tokens);
    }
    Tokenizer::new(&DIALECT, text)
        .tokenize_with_location()
        .map_err(|e| e.to_string())
}

/// The tokens that are not whitespace or comments.
pub(crate) fn significant(tokens: &[TokenWithSpan]) -> Vec<&Token> {
    tokens
        .iter()
        .map(|t| &t.token)
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::EOF))
        .collect()
}

/// An unquoted word, upper-cased (keywords are matched this way).
pub(crate) fn word(token: &Token) -> Option<String> {
    match token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// Whether `token` is the unquoted word `w` (given in upper case): `word(token) == w`
/// without allocating.
pub(crate) fn is_word(token: &Token, w: &str) -> bool {
    debug_assert!(!w.bytes().any(|b| b.is_ascii_lowercase()), "{w}");
    matches!(token, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w))
}

/// The message of a sqlparser error without its generic prefix.
pub(crate) fn error_text(e: &ParserError) -> String {
    let text = e.to_string();
    text.strip_prefix("sql parser error: ")
        .unwrap_or(&text)
        .to_string()
}

/// The tokens a parser was given, for reporting on a statement that did not read (so the
/// caller need not keep a copy of them for the rare failure).
pub(crate) fn tokens_of(p: &Parser<'_>) -> Vec<TokenWithSpan> {
    let mut out = Vec::new();
    loop {
        let t = p.token_at(out.len());
        if t.token == Token::EOF {
            return out;
        }
        out.push(t.clone());
    }
}

/// A parser over already tokenized text.
pub(crate) fn parser(tokens: Vec<TokenWithSpan>) -> Parser<'static> {
    Parser::new(&DIALECT).with_tokens_with_locations(tokens)
}

/// PostgreSQL words sqlparser has no keyword for, matched by text.
pub(crate) trait ParserExt {
    /// The `n`-th upcoming token as an unquoted upper-case word.
    fn peek_word(&self, n: usize) -> Option<String>;
    /// Whether the `n`-th upcoming token is the unquoted word `w` (upper case).
    fn peek_is(&self, n: usize, w: &str) -> bool;
    /// Consume `words` if the upcoming tokens are exactly these unquoted words.
    fn eat_words(&mut self, words: &[&str]) -> bool;
    fn eat_word(&mut self, w: &str) -> bool {
        self.eat_words(&[w])
    }
    fn expect_words(&mut self, words: &[&str]) -> Result<(), ParserError>;
    /// Skip to the next top-level `,` or the end (the comma is not consumed).
    fn skip_clause(&mut self) -> Vec<String>;
    /// Skip everything up to the end of the statement.
    fn skip_rest(&mut self);
    fn at_end(&self) -> bool;
    fn expect_end(&mut self) -> Result<(), ParserError>;
    /// An object name that may be followed by a `*` (inheritance marker, ignored).
    fn parse_relation_name(&mut self) -> Result<ObjectName, ParserError>;
}

impl ParserExt for Parser<'_> {
    fn peek_word(&self, n: usize) -> Option<String> {
        word(&self.peek_nth_token_ref(n).token)
    }

    fn peek_is(&self, n: usize, w: &str) -> bool {
        is_word(&self.peek_nth_token_ref(n).token, w)
    }

    fn eat_words(&mut self, words: &[&str]) -> bool {
        let all = words.iter().enumerate().all(|(i, w)| self.peek_is(i, w));
        if all {
            for _ in words {
                self.next_token();
            }
        }
        all
    }

    fn expect_words(&mut self, words: &[&str]) -> Result<(), ParserError> {
        if self.eat_words(words) {
            Ok(())
        } else {
            let found = self.peek_token();
            Err(ParserError::ParserError(format!(
                "Expected: {}, found: {} at {}",
                words.join(" "),
                found.token,
                found.span.start
            )))
        }
    }

    fn skip_clause(&mut self) -> Vec<String> {
        let mut depth = 0usize;
        let mut words = Vec::new();
        loop {
            let token = self.peek_token().token;
            match token {
                Token::EOF | Token::SemiColon => break,
                Token::Comma if depth == 0 => break,
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            if words.len() < 8 {
                words.push(token.to_string());
            }
            self.next_token();
        }
        words
    }

    fn skip_rest(&mut self) {
        while !matches!(self.peek_token().token, Token::EOF) {
            self.next_token();
        }
    }

    fn at_end(&self) -> bool {
        matches!(self.peek_token().token, Token::EOF | Token::SemiColon)
    }

    fn expect_end(&mut self) -> Result<(), ParserError> {
        while self.consume_token(&Token::SemiColon) {}
        if self.at_end() {
            Ok(())
        } else {
            let found = self.peek_token();
            Err(ParserError::ParserError(format!(
                "Expected: end of statement, found: {} at {}",
                found.token, found.span.start
            )))
        }
    }

    fn parse_relation_name(&mut self) -> Result<ObjectName, ParserError> {
        let name = self.parse_object_name(false)?;
        let _ = self.consume_token(&Token::Mul);
        Ok(name)
    }
}

/// The identifiers of an object name (function parts, which PostgreSQL lacks, are skipped).
pub(crate) fn name_parts(name: &ObjectName) -> Vec<&Ident> {
    name.0
        .iter()
        .filter_map(|p| match p {
            ObjectNamePart::Identifier(id) => Some(id),
            ObjectNamePart::Function(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_case_insensitively_and_only_unquoted() {
        let tokens = tokenize("attach Partition \"FOR\" x").unwrap();
        let mut p = parser(tokens);
        assert!(p.eat_words(&["ATTACH", "PARTITION"]));
        assert!(!p.eat_word("FOR"));
        assert_eq!(p.peek_word(1).as_deref(), Some("X"));
    }

    #[test]
    fn skip_clause_stops_at_top_level_comma() {
        let tokens = tokenize("SET (a = 1, b = 2), DROP c").unwrap();
        let mut p = parser(tokens);
        p.skip_clause();
        assert!(p.consume_token(&Token::Comma));
        assert!(p.eat_words(&["DROP", "C"]));
        assert!(p.at_end());
    }
}
