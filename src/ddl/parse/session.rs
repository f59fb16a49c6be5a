//! Session statements that matter to a replay: transaction control, `SET search_path`,
//! `RESET`, and pg_dump's `SELECT pg_catalog.set_config('search_path', '', false)`.

use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, parser, significant, word};
use super::hints::{call_hints, Hints};
use super::{other, Ddl, Parsed, SearchPathStmt, TransactionStmt, Unparsed};

fn tx(stmt: TransactionStmt) -> Option<Parsed> {
    Some(Parsed::Ddl(Ddl::Transaction(stmt)))
}

/// `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK [TO SAVEPOINT x]`, `ABORT`,
/// `SAVEPOINT x`, `RELEASE [SAVEPOINT] x`. Two-phase commit statements are not modelled.
pub(super) fn transaction(words: &[String]) -> Option<Parsed> {
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let skip_work = |i: usize| {
        if matches!(w(i), "WORK" | "TRANSACTION") {
            i + 1
        } else {
            i
        }
    };
    match w(0) {
        "BEGIN" | "START" => tx(TransactionStmt::Begin),
        "COMMIT" | "ROLLBACK" if w(1) == "PREPARED" => {
            Some(other(&format!("{} PREPARED", w(0)), Hints::default()))
        }
        "COMMIT" | "END" => tx(TransactionStmt::Commit),
        "ROLLBACK" | "ABORT" => {
            let i = skip_work(1);
            if w(i) == "TO" {
                let i = if w(i + 1) == "SAVEPOINT" {
                    i + 2
                } else {
                    i + 1
                };
                tx(TransactionStmt::RollbackTo(w(i).to_string()))
            } else {
                tx(TransactionStmt::Rollback)
            }
        }
        "SAVEPOINT" => tx(TransactionStmt::Savepoint(w(1).to_string())),
        "RELEASE" => {
            let i = if w(1) == "SAVEPOINT" { 2 } else { 1 };
            tx(TransactionStmt::Release(w(i).to_string()))
        }
        _ => None,
    }
}

/// `SET [SESSION | LOCAL] search_path {TO | =} …`, `SET SCHEMA 'x'`, `RESET search_path`,
/// `RESET ALL`. Any other setting is not modelled.
pub(super) fn set(tokens: Vec<TokenWithSpan>, words: &[String]) -> Option<Parsed> {
    let sig = significant(&tokens);
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    if w(0) == "RESET" {
        return Some(match (w(1), w(2)) {
            ("SEARCH_PATH" | "ALL", _) => Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Reset)),
            ("ROLE", _) | ("SESSION", "AUTHORIZATION") => {
                Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Role(None)))
            }
            _ => other("RESET", Hints::default()),
        });
    }
    let role_at = match (w(1), w(2), w(3)) {
        ("ROLE", _, _) => Some(2),
        ("SESSION" | "LOCAL", "ROLE", _) => Some(3),
        ("SESSION", "AUTHORIZATION", _) => Some(3),
        ("SESSION", "SESSION", "AUTHORIZATION") => Some(4),
        _ => None,
    };
    if let Some(at) = role_at {
        let role = match sig.get(at) {
            Some(Token::Word(w)) if w.quote_style.is_some() => Some(w.value.clone()),
            Some(Token::Word(w)) => {
                let v = w.value.to_lowercase();
                (v != "none" && v != "default").then_some(v)
            }
            Some(Token::SingleQuotedString(s)) => Some(s.clone()),
            _ => None,
        };
        return Some(Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Role(role))));
    }
    let mut i = 1;
    let mut local = false;
    match w(1) {
        "SESSION" => i += 1,
        "LOCAL" => {
            local = true;
            i += 1;
        }
        _ => {}
    }
    let value_start = match w(i) {
        "SEARCH_PATH" => match sig.get(i + 1) {
            Some(Token::Eq) => i + 2,
            Some(t) if word(t).as_deref() == Some("TO") => i + 2,
            _ => return Some(unparsed_set(tokens)),
        },
        "SCHEMA" => i + 1,
        _ => return Some(other("SET", Hints::default())),
    };
    if sig.len() == value_start + 1 && word(sig[value_start]).as_deref() == Some("DEFAULT") {
        return Some(Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Reset)));
    }
    let mut schemas = Vec::new();
    let mut k = value_start;
    while k < sig.len() {
        match sig[k] {
            Token::Word(w) if w.quote_style.is_some() => schemas.push(w.value.clone()),
            Token::Word(w) => schemas.push(w.value.to_lowercase()),
            Token::SingleQuotedString(s) => schemas.push(s.clone()),
            Token::SemiColon => break,
            _ => return Some(unparsed_set(tokens)),
        }
        k += 1;
        match sig.get(k) {
            Some(Token::Comma) => k += 1,
            None | Some(Token::SemiColon) => break,
            Some(_) => return Some(unparsed_set(tokens)),
        }
    }
    Some(Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Set {
        schemas,
        local,
    })))
}

fn unparsed_set(_tokens: Vec<TokenWithSpan>) -> Parsed {
    Parsed::Unparsed(Unparsed {
        error: "cannot read this search_path value".into(),
        hints: Hints::default(),
    })
}

/// `SELECT [pg_catalog.]set_config('search_path', 'value', is_local)` changes the search
/// path (pg_dump writes it); any other `SELECT` is not modelled (but the functions it calls
/// are reported, since a function may change tables).
pub(super) fn select(_text: &str, tokens: &[TokenWithSpan]) -> Option<Parsed> {
    let sig = significant(tokens);
    let mut i = 1;
    if word(sig.get(i).copied().unwrap_or(&Token::EOF)).as_deref() == Some("PG_CATALOG")
        && matches!(sig.get(i + 1), Some(Token::Period))
    {
        i += 2;
    }
    let is_set_config = sig.get(i).and_then(|t| word(t)).as_deref() == Some("SET_CONFIG");
    if is_set_config {
        if let (
            Some(Token::LParen),
            Some(Token::SingleQuotedString(name)),
            Some(Token::Comma),
            Some(Token::SingleQuotedString(value)),
            Some(Token::Comma),
            Some(local),
            Some(Token::RParen),
        ) = (
            sig.get(i + 1),
            sig.get(i + 2),
            sig.get(i + 3),
            sig.get(i + 4),
            sig.get(i + 5),
            sig.get(i + 6),
            sig.get(i + 7),
        ) {
            let rest_empty = sig[i + 8..].iter().all(|t| matches!(t, Token::SemiColon));
            if name.eq_ignore_ascii_case("search_path") && rest_empty {
                let local = word(local).as_deref() == Some("TRUE");
                return Some(Parsed::Ddl(Ddl::SearchPath(SearchPathStmt::Set {
                    schemas: parse_path_list(value),
                    local,
                })));
            }
        }
    }
    let hints = call_hints(tokens);
    Some(match parser(tokens.to_vec()).parse_statement() {
        Ok(_) => other("SELECT", hints),
        Err(e) => Parsed::Unparsed(Unparsed {
            error: error_text(&e),
            hints,
        }),
    })
}

/// A search_path setting as a string (`"$user", public`): elements separated by commas,
/// double-quoted ones kept exactly, others folded to lower case (`SplitIdentifierString`).
pub(crate) fn parse_path_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        item.push('"');
                    } else {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
            while chars.peek().is_some_and(|c| *c != ',') {
                chars.next();
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                item.push(c.to_ascii_lowercase());
                chars.next();
            }
            item = item.trim_end().to_string();
        }
        if !item.is_empty() {
            out.push(item);
        }
        if chars.next().is_none() {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_lists_fold_unquoted_names() {
        assert_eq!(parse_path_list(""), Vec::<String>::new());
        assert_eq!(
            parse_path_list("\"$user\", Public, \"My Schema\""),
            vec!["$user", "public", "My Schema"]
        );
    }
}
