//! Reading one SQL statement into something the replay can apply: sqlparser 0.63 with the
//! PostgreSQL dialect, plus targeted pre-passes for the PostgreSQL statements it lacks or
//! misreads (`CREATE SEQUENCE` options in any order, `ALTER SEQUENCE`, `ALTER TABLE … ATTACH
//! PARTITION` / `SET SCHEMA` / `DROP IDENTITY`, `CREATE INDEX … ON ONLY`, `DROP INDEX
//! CONCURRENTLY`, `ALTER INDEX IF EXISTS`, `CREATE DOMAIN … NOT NULL`, …).
//!
//! Routing is by the statement's leading keywords (read with sqlparser's tokenizer), so a
//! statement pgdrift does not model is recognised as such even when sqlparser cannot parse
//! it. Nothing here knows the schema: names are returned as written.

mod alter_table;
pub(crate) mod cursor;
mod fast_lex;
mod hints;
mod objects;
pub mod plpgsql;
pub mod prepass;
mod routine;
mod session;
mod statements;
mod tables;

use sqlparser::ast::{Expr, ForValues, Statement};
use sqlparser::tokenizer::TokenWithSpan;

pub use alter_table::{AlterAction, AlterTableStmt};
pub use hints::{first_words, Hints};
pub use routine::{ParamMode, RoutineParam, RoutineSignature};
pub use statements::*;

use cursor::{error_text, parser, significant, tokenize, tokens_of, word};

/// What one statement is, as far as pgdrift is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A statement that changes (or names) objects the replay tracks.
    Ddl(Ddl),
    /// A statement recognised as one pgdrift does not model (functions' effects, grants,
    /// comments, data changes …).
    Other(Other),
    /// Text neither sqlparser nor pgdrift's pre-passes can read.
    Unparsed(Unparsed),
}

/// A statement pgdrift does not model.
#[derive(Debug, Clone, PartialEq)]
pub struct Other {
    /// The leading keywords: `CREATE TRIGGER`, `GRANT`, `COMMENT ON`, `DO` …
    pub kind: String,
    pub hints: Hints,
}

/// A statement that could not be parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unparsed {
    pub error: String,
    pub hints: Hints,
}

/// Read one statement (the text `split` produced, without its `;`).
pub fn parse(text: &str) -> Parsed {
    let tokens = match tokenize(text) {
        Ok(tokens) => tokens,
        Err(error) => {
            return Parsed::Unparsed(Unparsed {
                error,
                hints: Hints::default(),
            })
        }
    };
    let words: Vec<String> = significant(&tokens)
        .iter()
        .take(6)
        .map(|t| word(t).unwrap_or_default())
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    // The statements most migrations are made of take the tokens without a copy.
    let tokens = match w(0) {
        "CREATE" => match create(tokens, &words) {
            Ok(parsed) => return parsed,
            Err(tokens) => tokens,
        },
        "ALTER" => match alter(tokens, &words) {
            Ok(parsed) => return parsed,
            Err(tokens) => tokens,
        },
        "DROP" => return objects::drop(tokens),
        _ => tokens,
    };
    let routed =
        match w(0) {
            "BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT"
            | "RELEASE" => session::transaction(&words),
            "SET" | "RESET" => session::set(tokens.clone(), &words),
            "SELECT" => session::select(text, &tokens),
            "DO" => Some(match plpgsql::do_block(&tokens) {
                Some(block) => Parsed::Ddl(Ddl::DoBlock(block)),
                None => other("DO", hints::body_hints(&tokens)),
            }),
            "CALL" => Some(other("CALL", hints::call_hints(&tokens))),
            "COMMENT" | "GRANT" | "REVOKE" | "INSERT" | "UPDATE" | "DELETE" | "COPY"
            | "TRUNCATE" | "ANALYZE" | "ANALYSE" | "VACUUM" | "CLUSTER" | "REINDEX" | "REFRESH"
            | "LOCK" | "NOTIFY" | "LISTEN" | "UNLISTEN" | "EXPLAIN" | "SECURITY" | "DISCARD"
            | "CHECKPOINT" | "PREPARE" | "EXECUTE" | "DEALLOCATE" | "WITH" | "MERGE" | "IMPORT"
            | "REASSIGN" | "LOAD" | "VALUES" | "TABLE" | "FETCH" | "MOVE" | "CLOSE" | "DECLARE"
            | "SHOW" => Some(other(&leading(&words, 1), Hints::default())),
            _ => None,
        };
    match routed {
        Some(parsed) => parsed,
        None => fallback(tokens, &words),
    }
}

/// Statements not routed by keyword: sqlparser decides whether they are statements at all.
fn fallback(tokens: Vec<TokenWithSpan>, words: &[String]) -> Parsed {
    let hints = hints::relation_hints(&tokens);
    match parser(tokens).parse_statement() {
        Ok(_) => other(&leading(words, 2), hints),
        Err(e) => Parsed::Unparsed(Unparsed {
            error: error_text(&e),
            hints,
        }),
    }
}

fn other(kind: &str, hints: Hints) -> Parsed {
    Parsed::Other(Other {
        kind: kind.to_string(),
        hints,
    })
}

/// The first `n` leading words joined: `COMMENT ON`.
fn leading(words: &[String], n: usize) -> String {
    words
        .iter()
        .take(n)
        .filter(|w| !w.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Modifiers that may sit between `CREATE` and the object word.
const CREATE_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "GLOBAL",
    "LOCAL",
    "UNLOGGED",
    "UNIQUE",
    "RECURSIVE",
    "MATERIALIZED",
    "TRUSTED",
    "PROCEDURAL",
    "CONSTRAINT",
    "DEFAULT",
    "FOREIGN",
];

/// `CREATE …`; the tokens come back when there is no object word.
fn create(tokens: Vec<TokenWithSpan>, words: &[String]) -> Result<Parsed, Vec<TokenWithSpan>> {
    let object = words[1..]
        .iter()
        .find(|w| !CREATE_MODIFIERS.contains(&w.as_str()))
        .cloned()
        .unwrap_or_default();
    let temporary = words
        .iter()
        .take_while(|w| **w != object)
        .any(|w| w == "TEMP" || w == "TEMPORARY");
    let foreign = words
        .iter()
        .take_while(|w| **w != object)
        .any(|w| w == "FOREIGN");
    Ok(match object.as_str() {
        "TABLE" if foreign => other("CREATE FOREIGN TABLE", hints::relation_hints(&tokens)),
        "TABLE" => tables::create_table(tokens, temporary),
        "INDEX" => tables::create_index(tokens),
        "SEQUENCE" => objects::create_sequence(tokens),
        "VIEW" => objects::create_view(tokens),
        "SCHEMA" => objects::create_schema(tokens),
        "TYPE" => objects::create_type(tokens),
        "DOMAIN" => objects::create_domain(tokens),
        "FUNCTION" | "PROCEDURE" | "AGGREGATE" => objects::create_routine(tokens, &object),
        "EXTENSION" => objects::create_extension(tokens),
        "" => return Err(tokens),
        _ => other(&format!("CREATE {object}"), hints::relation_hints(&tokens)),
    })
}

/// `ALTER …`; the tokens come back when there is no object word.
fn alter(tokens: Vec<TokenWithSpan>, words: &[String]) -> Result<Parsed, Vec<TokenWithSpan>> {
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    Ok(match (w(1), w(2)) {
        ("TABLE", "ALL") | ("INDEX", "ALL") => other(&leading(words, 2), Hints::default()),
        ("TABLE", _) => alter_table::parse(tokens),
        ("INDEX", _) => objects::alter_index(tokens),
        ("SEQUENCE", _) => objects::alter_sequence(tokens),
        ("TYPE", _) => objects::alter_type(tokens),
        ("SCHEMA", _) => objects::alter_schema(tokens),
        ("VIEW", _) | ("MATERIALIZED", "VIEW") => objects::alter_view(tokens),
        ("FOREIGN", "TABLE") => other("ALTER FOREIGN TABLE", hints::relation_hints(&tokens)),
        ("", _) => return Err(tokens),
        (object, _) => other(&format!("ALTER {object}"), Hints::default()),
    })
}

/// A parse failure with the relations the statement names, for the note.
fn unparsed(tokens: &[TokenWithSpan], error: String) -> Parsed {
    Parsed::Unparsed(Unparsed {
        error,
        hints: hints::relation_hints(tokens),
    })
}

/// Parse a statement sqlparser handles, converting it with `f`.
fn with_sqlparser(
    tokens: Vec<TokenWithSpan>,
    f: impl FnOnce(Statement) -> Option<Parsed>,
) -> Parsed {
    let mut p = parser(tokens);
    match p.parse_statement() {
        Ok(statement) => {
            use cursor::ParserExt;
            if let Err(e) = p.expect_end() {
                return unparsed(&tokens_of(&p), error_text(&e));
            }
            f(statement).unwrap_or_else(|| {
                let tokens = tokens_of(&p);
                other(
                    &leading(&hints::leading_words(&tokens), 2),
                    hints::relation_hints(&tokens),
                )
            })
        }
        Err(e) => unparsed(&tokens_of(&p), error_text(&e)),
    }
}

/// A partition bound, `FOR VALUES …` or `DEFAULT`, read with sqlparser's expression parser.
pub(crate) fn parse_for_values(
    p: &mut sqlparser::parser::Parser<'_>,
) -> Result<ForValues, sqlparser::parser::ParserError> {
    use cursor::ParserExt;
    use sqlparser::ast::PartitionBoundValue;
    use sqlparser::tokenizer::Token;
    if p.eat_word("DEFAULT") {
        return Ok(ForValues::Default);
    }
    p.expect_words(&["FOR", "VALUES"])?;
    let bound_value = |p: &mut sqlparser::parser::Parser<'_>| {
        if p.eat_word("MINVALUE") {
            Ok(PartitionBoundValue::MinValue)
        } else if p.eat_word("MAXVALUE") {
            Ok(PartitionBoundValue::MaxValue)
        } else {
            p.parse_expr().map(PartitionBoundValue::Expr)
        }
    };
    if p.eat_word("IN") {
        p.expect_token(&Token::LParen)?;
        let values = p.parse_comma_separated(|p| p.parse_expr())?;
        p.expect_token(&Token::RParen)?;
        Ok(ForValues::In(values))
    } else if p.eat_word("FROM") {
        p.expect_token(&Token::LParen)?;
        let from = p.parse_comma_separated(bound_value)?;
        p.expect_token(&Token::RParen)?;
        p.expect_words(&["TO"])?;
        p.expect_token(&Token::LParen)?;
        let to = p.parse_comma_separated(bound_value)?;
        p.expect_token(&Token::RParen)?;
        Ok(ForValues::From { from, to })
    } else {
        p.expect_words(&["WITH"])?;
        p.expect_token(&Token::LParen)?;
        p.expect_words(&["MODULUS"])?;
        let modulus = p.parse_literal_uint()?;
        p.expect_token(&Token::Comma)?;
        p.expect_words(&["REMAINDER"])?;
        let remainder = p.parse_literal_uint()?;
        p.expect_token(&Token::RParen)?;
        Ok(ForValues::With { modulus, remainder })
    }
}

/// An expression that is not a statement: used by tests and by the replay to build
/// expressions (a serial column's `nextval(…)` default).
pub(crate) fn parse_expr(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut p = parser(tokens);
    let expr = p.parse_expr().map_err(|e| error_text(&e))?;
    use cursor::ParserExt;
    p.expect_end().map_err(|e| error_text(&e))?;
    Ok(expr)
}

#[cfg(test)]
mod tests;
