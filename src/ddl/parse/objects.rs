//! `CREATE`, `ALTER` and `DROP` of objects other than tables (those are in `tables` and
//! `alter_table`): sqlparser where it reads PostgreSQL correctly (`CREATE TYPE`), pgdrift's
//! own small parsers where it does not (sequences in pg_dump's option order, `DROP INDEX
//! CONCURRENTLY`, `ALTER INDEX IF EXISTS`, domains with `NOT NULL`, `ALTER TYPE … SET
//! SCHEMA`, every `DROP`).

use sqlparser::ast::{Ident, Statement};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, is_word, parser, tokens_of, ParserExt};
use super::hints::{body_hints, scan_body, Hints};
use super::{
    other, unparsed, AlterIndexAction, AlterIndexStmt, AlterSchemaStmt, AlterSequenceAction,
    AlterSequenceStmt, AlterTypeAction, AlterTypeStmt, AlterViewStmt, CreateSchemaStmt,
    CreateTypeStmt, Ddl, DomainStmt, DropKind, DropStmt, ExtensionStmt, OwnedBy, Parsed,
    RoutineStmt, SequenceStmt, ViewStmt,
};

/// Run a hand-written parser over the tokens; a failure becomes `Unparsed` with hints.
fn custom(
    tokens: Vec<TokenWithSpan>,
    f: impl FnOnce(&mut Parser<'static>) -> Result<Parsed, ParserError>,
) -> Parsed {
    let mut p = parser(tokens);
    match f(&mut p).and_then(|parsed| p.expect_end().map(|_| parsed)) {
        Ok(parsed) => parsed,
        Err(e) => unparsed(&tokens_of(&p), error_text(&e)),
    }
}

/// Skip `CREATE` and its modifiers up to and including the object word(s).
fn skip_create_prefix(p: &mut Parser<'_>, object: &[&str]) -> Result<Vec<String>, ParserError> {
    p.expect_words(&["CREATE"])?;
    let mut modifiers = Vec::new();
    while !p.eat_words(object) {
        match p.peek_word(0) {
            Some(w) if super::CREATE_MODIFIERS.contains(&w.as_str()) => {
                modifiers.push(w);
                p.next_token();
            }
            _ => return p.expect_words(object).map(|_| modifiers),
        }
    }
    Ok(modifiers)
}

fn parse_owned_by(p: &mut Parser<'_>) -> Result<OwnedBy, ParserError> {
    if p.eat_word("NONE") {
        Ok(OwnedBy::None)
    } else {
        Ok(OwnedBy::Column(p.parse_object_name(false)?))
    }
}

/// Sequence options in any order; only `OWNED BY` is kept (the rest does not change the
/// schema pgdrift models).
fn sequence_options(p: &mut Parser<'_>) -> Result<Option<OwnedBy>, ParserError> {
    let mut owned_by = None;
    while !p.at_end() {
        if p.eat_words(&["OWNED", "BY"]) {
            owned_by = Some(parse_owned_by(p)?);
        } else if p.consume_token(&Token::LParen) {
            // `SEQUENCE NAME x` inside identity options never reaches here; a stray
            // parenthesis means something pgdrift does not know.
            return Err(ParserError::ParserError("unexpected (".into()));
        } else {
            p.next_token();
        }
    }
    Ok(owned_by)
}

pub(super) fn create_sequence(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        let modifiers = skip_create_prefix(p, &["SEQUENCE"])?;
        let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let owned_by = sequence_options(p)?;
        Ok(Parsed::Ddl(Ddl::CreateSequence(SequenceStmt {
            name,
            if_not_exists,
            temporary: modifiers.iter().any(|m| m == "TEMP" || m == "TEMPORARY"),
            owned_by,
        })))
    })
}

pub(super) fn alter_sequence(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["ALTER", "SEQUENCE"])?;
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let action = if p.eat_words(&["RENAME", "TO"]) {
            AlterSequenceAction::Rename(p.parse_identifier()?)
        } else if p.eat_words(&["SET", "SCHEMA"]) {
            AlterSequenceAction::SetSchema(p.parse_identifier()?)
        } else if p.eat_words(&["OWNER", "TO"])
            || p.eat_words(&["SET", "LOGGED"])
            || p.eat_words(&["SET", "UNLOGGED"])
        {
            p.skip_rest();
            AlterSequenceAction::Other("OWNER TO".into())
        } else {
            AlterSequenceAction::Options {
                owned_by: sequence_options(p)?,
            }
        };
        Ok(Parsed::Ddl(Ddl::AlterSequence(AlterSequenceStmt {
            name,
            if_exists,
            action,
        })))
    })
}

pub(super) fn create_view(tokens: Vec<TokenWithSpan>) -> Parsed {
    let mut p = parser(tokens.clone());
    let result = (|| {
        let modifiers = skip_create_prefix(&mut p, &["VIEW"])?;
        let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let mut mentions: Vec<String> = Vec::new();
        while !p.at_end() {
            if let Token::Word(w) = p.next_token().token {
                let word = match w.quote_style {
                    Some(_) => w.value,
                    None => w.value.to_lowercase(),
                };
                if !mentions.contains(&word) {
                    mentions.push(word);
                }
            }
        }
        Ok::<_, ParserError>(ViewStmt {
            name,
            materialized: modifiers.iter().any(|m| m == "MATERIALIZED"),
            or_replace: modifiers.iter().any(|m| m == "REPLACE"),
            if_not_exists,
            temporary: modifiers.iter().any(|m| m == "TEMP" || m == "TEMPORARY"),
            mentions,
        })
    })();
    // The query itself is not parsed: only the view's name (and what it may depend on)
    // matters to the schema.
    match result {
        Ok(view) => Parsed::Ddl(Ddl::CreateView(view)),
        Err(e) => unparsed(&tokens, error_text(&e)),
    }
}

pub(super) fn alter_view(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["ALTER"])?;
        let materialized = p.eat_word("MATERIALIZED");
        p.expect_words(&["VIEW"])?;
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let mut stmt = AlterViewStmt {
            name,
            materialized,
            if_exists,
            rename_to: None,
            set_schema: None,
        };
        if p.eat_words(&["RENAME", "TO"]) {
            stmt.rename_to = Some(p.parse_identifier()?);
        } else if p.eat_words(&["SET", "SCHEMA"]) {
            stmt.set_schema = Some(p.parse_identifier()?);
        } else {
            p.skip_rest();
        }
        Ok(Parsed::Ddl(Ddl::AlterView(stmt)))
    })
}

/// `CREATE SCHEMA [IF NOT EXISTS] {name [AUTHORIZATION role] | AUTHORIZATION role}`.
pub(super) fn create_schema(tokens: Vec<TokenWithSpan>) -> Parsed {
    // Schema elements start at each top-level CREATE or GRANT after the first word
    // (`CREATE SCHEMA s AUTHORIZATION r CREATE TABLE … CREATE VIEW … GRANT …`).
    let mut starts = Vec::new();
    let mut depth = 0i32;
    for (i, t) in tokens.iter().enumerate().skip(1) {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            token if depth == 0 && (is_word(token, "CREATE") || is_word(token, "GRANT")) => {
                starts.push(i)
            }
            _ => {}
        }
    }
    let mut elements = Vec::new();
    let head_end = starts.first().copied().unwrap_or(tokens.len());
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(tokens.len());
        let text: String = tokens[start..end]
            .iter()
            .map(|t| t.token.to_string())
            .collect();
        elements.push((
            tokens[start].span.start.line as usize,
            text.trim().to_string(),
        ));
    }
    let mut head = tokens;
    head.truncate(head_end);
    custom(head, |p| {
        p.expect_words(&["CREATE", "SCHEMA"])?;
        let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
        let name = if p.eat_word("AUTHORIZATION") {
            p.parse_identifier()?
        } else {
            let name = p.parse_identifier()?;
            if p.eat_word("AUTHORIZATION") {
                p.parse_identifier()?;
            }
            name
        };
        Ok(Parsed::Ddl(Ddl::CreateSchema(CreateSchemaStmt {
            name,
            if_not_exists,
            elements,
        })))
    })
}

pub(super) fn alter_schema(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["ALTER", "SCHEMA"])?;
        let name = p.parse_identifier()?;
        let rename_to = if p.eat_words(&["RENAME", "TO"]) {
            Some(p.parse_identifier()?)
        } else {
            p.skip_rest();
            None
        };
        Ok(Parsed::Ddl(Ddl::AlterSchema(AlterSchemaStmt {
            name,
            rename_to,
        })))
    })
}

/// `CREATE TYPE`: enums, composites and ranges through sqlparser; anything else (base
/// types, shell types) by name only.
pub(super) fn create_type(tokens: Vec<TokenWithSpan>) -> Parsed {
    let mut p = parser(tokens.clone());
    if let Ok(Statement::CreateType {
        name,
        representation,
    }) = p.parse_statement()
    {
        if p.expect_end().is_ok() {
            return Parsed::Ddl(Ddl::CreateType(CreateTypeStmt {
                name,
                representation,
            }));
        }
    }
    custom(tokens, |p| {
        p.expect_words(&["CREATE", "TYPE"])?;
        let name = p.parse_object_name(false)?;
        p.skip_rest();
        Ok(Parsed::Ddl(Ddl::CreateType(CreateTypeStmt {
            name,
            representation: None,
        })))
    })
}

/// `CREATE DOMAIN name [AS] type [COLLATE c] [DEFAULT e] [[CONSTRAINT n] {NOT NULL | NULL |
/// CHECK (e)}]…`.
pub(super) fn create_domain(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["CREATE", "DOMAIN"])?;
        let name = p.parse_object_name(false)?;
        p.eat_word("AS");
        let data_type = p.parse_data_type()?;
        let mut checks = Vec::new();
        let mut constraint_name: Option<Ident> = None;
        while !p.at_end() {
            if p.eat_word("COLLATE") {
                p.parse_object_name(false)?;
            } else if p.eat_word("DEFAULT") {
                p.parse_expr()?;
            } else if p.eat_word("CONSTRAINT") {
                constraint_name = Some(p.parse_identifier()?);
                continue;
            } else if p.eat_words(&["NOT", "NULL"]) || p.eat_word("NULL") {
            } else if p.eat_word("CHECK") {
                p.expect_token(&Token::LParen)?;
                p.parse_expr()?;
                p.expect_token(&Token::RParen)?;
                p.eat_words(&["NOT", "VALID"]);
                checks.push(constraint_name.take());
            } else {
                let found = p.peek_token();
                return Err(ParserError::ParserError(format!(
                    "Expected: a domain constraint, found: {} at {}",
                    found.token, found.span.start
                )));
            }
            constraint_name = None;
        }
        Ok(Parsed::Ddl(Ddl::CreateDomain(DomainStmt {
            name,
            data_type,
            checks,
        })))
    })
}

fn string_literal(p: &mut Parser<'_>) -> Result<String, ParserError> {
    p.parse_literal_string()
}

pub(super) fn alter_type(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["ALTER", "TYPE"])?;
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let action = if p.eat_words(&["RENAME", "TO"]) {
            AlterTypeAction::Rename(p.parse_identifier()?)
        } else if p.eat_words(&["SET", "SCHEMA"]) {
            AlterTypeAction::SetSchema(p.parse_identifier()?)
        } else if p.eat_words(&["ADD", "VALUE"]) {
            let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
            let value = string_literal(p)?;
            let position = if p.eat_word("BEFORE") {
                Some((true, string_literal(p)?))
            } else if p.eat_word("AFTER") {
                Some((false, string_literal(p)?))
            } else {
                None
            };
            AlterTypeAction::AddValue {
                value,
                if_not_exists,
                position,
            }
        } else if p.eat_words(&["RENAME", "VALUE"]) {
            let from = string_literal(p)?;
            p.expect_words(&["TO"])?;
            let to = string_literal(p)?;
            AlterTypeAction::RenameValue { from, to }
        } else {
            let words = p.skip_clause();
            p.skip_rest();
            AlterTypeAction::Other(words.join(" "))
        };
        Ok(Parsed::Ddl(Ddl::AlterType(AlterTypeStmt {
            name,
            if_exists,
            action,
        })))
    })
}

pub(super) fn alter_index(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["ALTER", "INDEX"])?;
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        let name = p.parse_object_name(false)?;
        let action = if p.eat_words(&["RENAME", "TO"]) {
            AlterIndexAction::Rename(p.parse_identifier()?)
        } else if p.eat_words(&["SET", "SCHEMA"]) {
            AlterIndexAction::SetSchema(p.parse_identifier()?)
        } else if p.eat_words(&["ATTACH", "PARTITION"]) {
            AlterIndexAction::AttachPartition(p.parse_object_name(false)?)
        } else {
            let words = p.skip_clause();
            p.skip_rest();
            AlterIndexAction::Other(words.join(" "))
        };
        Ok(Parsed::Ddl(Ddl::AlterIndex(AlterIndexStmt {
            name,
            if_exists,
            action,
        })))
    })
}

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE | AGGREGATE name …`: the name, and the DDL its
/// body contains.
pub(super) fn create_routine(tokens: Vec<TokenWithSpan>, kind: &str) -> Parsed {
    let mut p = parser(tokens.clone());
    let name = skip_create_prefix(&mut p, &[kind]).and_then(|_| p.parse_object_name(false));
    match name {
        Ok(name) => {
            let signature = if kind == "FUNCTION" {
                super::routine::signature(&mut p)
            } else {
                None
            };
            let mut body_ddl = body_hints(&tokens).body_ddl;
            // SQL-standard bodies (`BEGIN ATOMIC … END`) are plain tokens, not a string.
            let text: String = tokens.iter().map(|t| t.token.to_string()).collect();
            if let Some(pos) = text.to_ascii_uppercase().find("BEGIN ATOMIC") {
                scan_body(&text[pos..], 1, &mut body_ddl);
            }
            Parsed::Ddl(Ddl::CreateRoutine(RoutineStmt {
                kind: kind.to_string(),
                name,
                signature,
                body_ddl,
            }))
        }
        Err(e) => unparsed(&tokens, error_text(&e)),
    }
}

pub(super) fn create_extension(tokens: Vec<TokenWithSpan>) -> Parsed {
    custom(tokens, |p| {
        p.expect_words(&["CREATE", "EXTENSION"])?;
        let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
        let name = p.parse_identifier()?;
        p.eat_word("WITH");
        let mut schema = None;
        while !p.at_end() {
            if p.eat_word("SCHEMA") {
                schema = Some(p.parse_identifier()?);
            } else {
                p.next_token();
            }
        }
        Ok(Parsed::Ddl(Ddl::CreateExtension(ExtensionStmt {
            name,
            schema,
            if_not_exists,
        })))
    })
}

/// Every `DROP`: `DROP kind [CONCURRENTLY] [IF EXISTS] name [, …] [CASCADE | RESTRICT]`.
pub(super) fn drop(tokens: Vec<TokenWithSpan>) -> Parsed {
    let mut p = parser(tokens.clone());
    let _ = p.eat_word("DROP");
    let kinds: &[(&[&str], DropKind)] = &[
        (&["TABLE"], DropKind::Table),
        (&["INDEX"], DropKind::Index),
        (&["SEQUENCE"], DropKind::Sequence),
        (&["VIEW"], DropKind::View),
        (&["MATERIALIZED", "VIEW"], DropKind::MaterializedView),
        (&["TYPE"], DropKind::Type),
        (&["DOMAIN"], DropKind::Domain),
        (&["SCHEMA"], DropKind::Schema),
        (&["FUNCTION"], DropKind::Function),
        (&["PROCEDURE"], DropKind::Procedure),
        (&["ROUTINE"], DropKind::Function),
        (&["AGGREGATE"], DropKind::Aggregate),
        (&["EXTENSION"], DropKind::Extension),
    ];
    let Some((words, kind)) = kinds.iter().find(|(w, _)| p.eat_words(w)) else {
        let words = super::hints::leading_words(&tokens);
        let kind = format!("DROP {}", words.get(1).cloned().unwrap_or_default());
        return other(kind.trim(), Hints::default());
    };
    let words = format!("DROP {}", words.join(" "));
    let result = (|| {
        p.eat_word("CONCURRENTLY");
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        let mut names = Vec::new();
        loop {
            names.push(p.parse_object_name(false)?);
            if p.consume_token(&Token::LParen) {
                // A routine's argument list: not needed, names are not overloaded here.
                let mut depth = 1;
                while depth > 0 {
                    match p.next_token().token {
                        Token::LParen => depth += 1,
                        Token::RParen => depth -= 1,
                        Token::EOF => return Err(ParserError::ParserError("unclosed (".into())),
                        _ => {}
                    }
                }
            }
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        let cascade = p.eat_word("CASCADE");
        p.eat_word("RESTRICT");
        p.expect_end()?;
        Ok::<_, ParserError>(DropStmt {
            kind: *kind,
            words: words.clone(),
            if_exists,
            names,
            cascade,
        })
    })();
    match result {
        Ok(stmt) => Parsed::Ddl(Ddl::Drop(stmt)),
        Err(e) => unparsed(&tokens, error_text(&e)),
    }
}
