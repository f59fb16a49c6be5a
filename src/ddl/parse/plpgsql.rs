//! `DO` blocks that are plain DDL, which migration tools write to make DDL idempotent:
//!
//! ```sql
//! DO $$ BEGIN
//!   CREATE TYPE "public"."role" AS ENUM('admin', 'user');
//! EXCEPTION
//!   WHEN duplicate_object THEN null;
//! END $$;
//! ```
//!
//! (Drizzle writes every enum and foreign key this way.) A body of `BEGIN`, SQL statements
//! and an optional `EXCEPTION` section whose handlers do nothing is read into its
//! statements and the conditions it swallows; anything with PL/pgSQL logic (variables, `IF`,
//! loops, `EXECUTE`, `PERFORM` …) is left to a note.

use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{significant, tokenize, word};
use crate::ddl::split::{split, RawStatement};

/// A `DO` block the replay can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoBlock {
    /// The body's statements, located in the file (line) relative to the `DO` statement's
    /// first line.
    pub statements: Vec<(usize, String)>,
    /// The conditions of an `EXCEPTION WHEN … THEN NULL` section, lower-cased
    /// (`duplicate_object`, `others` …); empty when there is none.
    pub swallows: Vec<String>,
}

/// Words that start PL/pgSQL logic rather than a plain SQL statement.
const LOGIC: &[&str] = &[
    "IF", "ELSIF", "ELSE", "CASE", "LOOP", "WHILE", "FOR", "FOREACH", "EXIT", "CONTINUE", "RETURN",
    "PERFORM", "EXECUTE", "RAISE", "GET", "OPEN", "FETCH", "CLOSE", "CALL", "ASSERT", "SELECT",
    "INSERT", "UPDATE", "DELETE", "BEGIN", "DECLARE", "COMMIT", "ROLLBACK", "NULL",
];

/// Read a `DO` statement's tokens as a plain-DDL block, if it is one.
pub(crate) fn do_block(tokens: &[TokenWithSpan]) -> Option<DoBlock> {
    // DO [LANGUAGE plpgsql] body [LANGUAGE plpgsql]
    let sig: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .collect();
    let mut body: Option<(String, usize)> = None;
    let mut k = 1;
    while k < sig.len() {
        match &sig[k].token {
            Token::DollarQuotedString(s) => {
                body = Some((s.value.clone(), sig[k].span.start.line as usize))
            }
            Token::SingleQuotedString(s) => {
                body = Some((s.clone(), sig[k].span.start.line as usize))
            }
            Token::SemiColon => {}
            t if word(t).as_deref() == Some("LANGUAGE") => {
                let language = sig.get(k + 1).map(|l| l.token.to_string().to_lowercase());
                if language.as_deref() != Some("plpgsql") {
                    return None;
                }
                k += 1;
            }
            _ => return None,
        }
        k += 1;
    }
    let (body, body_line) = body?;
    let mut block = read_body(&body)?;
    for (line, _) in &mut block.statements {
        *line += body_line - 1;
    }
    Some(block)
}

/// The byte offset of a 1-based (line, column) position in `text`.
fn byte_offset(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// `BEGIN stmts [EXCEPTION WHEN c [OR c] THEN NULL; …] END [;]`.
fn read_body(body: &str) -> Option<DoBlock> {
    let tokens = tokenize(body).ok()?;
    let sig: Vec<(usize, &TokenWithSpan)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let w = |k: usize| sig.get(k).and_then(|(_, t)| word(&t.token));
    if w(0).as_deref() != Some("BEGIN") {
        return None;
    }
    // The final END (optionally followed by `;`), at the end of the body.
    let mut last = sig.len().checked_sub(1)?;
    if matches!(sig[last].1.token, Token::SemiColon) {
        last = last.checked_sub(1)?;
    }
    if w(last).as_deref() != Some("END") {
        return None;
    }
    // A top-level EXCEPTION word splits statements from handlers.
    let exception = (1..last).find(|&k| w(k).as_deref() == Some("EXCEPTION"));
    let statements_end = exception.unwrap_or(last);
    let offset = |k: usize| {
        let at = sig[k].1.span.start;
        byte_offset(body, at.line, at.column)
    };
    let inner = &body[offset(1)..offset(statements_end).max(offset(1))];
    let line_of_inner = sig[1].1.span.start.line as usize;
    let statements = split(inner, "do").ok()?.statements;
    let mut out = Vec::new();
    for RawStatement { text, location } in statements {
        let first = tokenize(&text)
            .ok()
            .and_then(|t| significant(&t).first().and_then(|tok| word(tok)))?;
        if LOGIC.contains(&first.as_str()) || text.contains(":=") {
            return None;
        }
        out.push((line_of_inner + location.line - 1, text));
    }
    if out.is_empty() {
        return None;
    }
    let mut swallows = Vec::new();
    if let Some(start) = exception {
        // WHEN cond [OR cond] THEN NULL ; …
        let mut k = start + 1;
        while k < last {
            if w(k).as_deref() != Some("WHEN") {
                return None;
            }
            k += 1;
            loop {
                let condition = w(k)?;
                if condition == "SQLSTATE" {
                    // SQLSTATE 'xxxxx'
                    let Token::SingleQuotedString(code) = &sig.get(k + 1)?.1.token else {
                        return None;
                    };
                    swallows.push(format!("sqlstate {code}"));
                    k += 2;
                } else {
                    swallows.push(condition.to_lowercase());
                    k += 1;
                }
                if w(k).as_deref() == Some("OR") {
                    k += 1;
                } else {
                    break;
                }
            }
            if w(k).as_deref() != Some("THEN") {
                return None;
            }
            k += 1;
            // Handlers that do nothing: NULL; or RAISE NOTICE …;
            loop {
                match w(k).as_deref() {
                    Some("NULL") => k += 1,
                    Some("RAISE")
                        if matches!(
                            w(k + 1).as_deref(),
                            Some("NOTICE" | "DEBUG" | "LOG" | "INFO")
                        ) =>
                    {
                        while k < last && !matches!(sig[k].1.token, Token::SemiColon) {
                            k += 1;
                        }
                    }
                    _ => return None,
                }
                if !matches!(sig.get(k).map(|(_, t)| &t.token), Some(Token::SemiColon)) {
                    return None;
                }
                k += 1;
                if k >= last || w(k).as_deref() == Some("WHEN") {
                    break;
                }
            }
        }
    }
    Some(DoBlock {
        statements: out,
        swallows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(sql: &str) -> Option<DoBlock> {
        do_block(&tokenize(sql).unwrap())
    }

    #[test]
    fn drizzle_blocks_are_read() {
        let b = block(
            "DO $$ BEGIN\n CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$",
        )
        .unwrap();
        assert_eq!(
            b.statements,
            vec![(
                2,
                "CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user')".to_string()
            )]
        );
        assert_eq!(b.swallows, vec!["duplicate_object"]);
        let b = block(
            "DO $$\nBEGIN\n  ALTER TABLE a ADD x int;\n  ALTER TABLE b ADD y int;\nEND;\n$$ LANGUAGE plpgsql",
        )
        .unwrap();
        assert_eq!(b.statements.len(), 2);
        assert_eq!(b.statements[1].0, 4);
        assert!(b.swallows.is_empty());
    }

    #[test]
    fn blocks_with_logic_are_not() {
        assert!(block(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE TABLE t (); END IF; END $$"
        )
        .is_none());
        assert!(block("DO $$ DECLARE x int; BEGIN CREATE TABLE t (); END $$").is_none());
        assert!(block("DO $$ BEGIN EXECUTE 'CREATE TABLE t ()'; END $$").is_none());
        assert!(block(
            "DO $$ BEGIN CREATE TABLE t (); EXCEPTION WHEN others THEN RAISE EXCEPTION 'x'; END $$"
        )
        .is_none());
        assert!(block("DO LANGUAGE plperl $$ BEGIN CREATE TABLE t (); END $$").is_none());
    }
}
