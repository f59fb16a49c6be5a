//! `CREATE`, `ALTER` and `DROP` of objects other than tables: sqlparser where it reads
//! PostgreSQL correctly (`CREATE TABLE`, `CREATE INDEX`, `CREATE TYPE`), pgdrift's own small
//! parsers where it does not (sequences in pg_dump's option order, `ON ONLY`, `DROP INDEX
//! CONCURRENTLY`, `ALTER INDEX IF EXISTS`, domains with `NOT NULL`, `ALTER TYPE … SET
//! SCHEMA`, every `DROP`).

use sqlparser::ast::{Ident, Statement};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, parser, ParserExt};
use super::hints::{body_hints, scan_body, Hints};
use super::{
    other, unparsed, with_sqlparser, AlterIndexAction, AlterIndexStmt, AlterSchemaStmt,
    AlterSequenceAction, AlterSequenceStmt, AlterTypeAction, AlterTypeStmt, AlterViewStmt,
    CreateIndexStmt, CreateSchemaStmt, CreateTableStmt, CreateTypeStmt, Ddl, DomainStmt, DropKind,
    DropStmt, ExtensionStmt, LikeClause, OwnedBy, Parsed, RoutineStmt, SequenceStmt, ViewStmt,
};

/// Run a hand-written parser over the tokens; a failure becomes `Unparsed` with hints.
fn custom(
    tokens: Vec<TokenWithSpan>,
    f: impl FnOnce(&mut Parser<'static>) -> Result<Parsed, ParserError>,
) -> Parsed {
    let mut p = parser(tokens.clone());
    match f(&mut p).and_then(|parsed| p.expect_end().map(|_| parsed)) {
        Ok(parsed) => parsed,
        Err(e) => unparsed(&tokens, error_text(&e)),
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

pub(super) fn create_table(tokens: Vec<TokenWithSpan>, _temporary: bool) -> Parsed {
    let (tokens, likes) = match extract_likes(tokens) {
        Ok(extracted) => extracted,
        Err((tokens, error)) => return unparsed(&tokens, error),
    };
    let (tokens, identity_sequences) = extract_sequence_names(tokens);
    with_sqlparser(tokens, |statement| match statement {
        Statement::CreateTable(table) => {
            Some(Parsed::Ddl(Ddl::CreateTable(Box::new(CreateTableStmt {
                table,
                likes,
                identity_sequences,
            }))))
        }
        _ => None,
    })
}

const LIKE_OPTIONS: &[&str] = &[
    "COMMENTS",
    "COMPRESSION",
    "CONSTRAINTS",
    "DEFAULTS",
    "GENERATED",
    "IDENTITY",
    "INDEXES",
    "STATISTICS",
    "STORAGE",
];

type Extracted = (Vec<TokenWithSpan>, Vec<LikeClause>);

/// Take the `LIKE …` elements out of a `CREATE TABLE`'s element list (sqlparser cannot read
/// them among columns or with their options) and read them here.
fn extract_likes(tokens: Vec<TokenWithSpan>) -> Result<Extracted, (Vec<TokenWithSpan>, String)> {
    // The element list is the first top-level parenthesis.
    let Some(open) = tokens.iter().position(|t| t.token == Token::LParen) else {
        return Ok((tokens, Vec::new()));
    };
    let mut elements: Vec<(usize, usize)> = Vec::new(); // [start, end) of each element
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut close = None;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    elements.push((start, i));
                    close = Some(i);
                    break;
                }
            }
            Token::Comma if depth == 1 => {
                elements.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return Ok((tokens, Vec::new()));
    };
    let first_word = |range: &(usize, usize)| {
        tokens[range.0..range.1]
            .iter()
            .find(|t| !matches!(t.token, Token::Whitespace(_)))
            .and_then(|t| super::cursor::word(&t.token))
    };
    if !elements
        .iter()
        .any(|e| first_word(e).as_deref() == Some("LIKE"))
    {
        return Ok((tokens, Vec::new()));
    }
    let mut likes = Vec::new();
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut columns_before = 0;
    for element in &elements {
        match first_word(element).as_deref() {
            Some("LIKE") => {
                let mut p = parser(tokens[element.0..element.1].to_vec());
                let like = (|| {
                    p.expect_words(&["LIKE"])?;
                    let source = p.parse_object_name(false)?;
                    let mut including: Vec<String> = Vec::new();
                    while !p.at_end() {
                        let include = if p.eat_word("INCLUDING") {
                            true
                        } else {
                            p.expect_words(&["EXCLUDING"])?;
                            false
                        };
                        let option = p.peek_word(0).unwrap_or_default();
                        p.next_token();
                        let options: Vec<String> = if option == "ALL" {
                            LIKE_OPTIONS.iter().map(|o| o.to_string()).collect()
                        } else if LIKE_OPTIONS.contains(&option.as_str()) {
                            vec![option]
                        } else {
                            return Err(ParserError::ParserError(format!(
                                "unknown LIKE option {option}"
                            )));
                        };
                        for o in options {
                            including.retain(|x| *x != o);
                            if include {
                                including.push(o);
                            }
                        }
                    }
                    Ok::<_, ParserError>(LikeClause {
                        source,
                        including,
                        columns_before,
                    })
                })();
                match like {
                    Ok(like) => likes.push(like),
                    Err(e) => return Err((tokens.clone(), error_text(&e))),
                }
            }
            Some("CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "EXCLUDE") => {
                kept.push(*element)
            }
            _ => {
                columns_before += 1;
                kept.push(*element);
            }
        }
    }
    let mut out: Vec<TokenWithSpan> = tokens[..=open].to_vec();
    for (i, (a, b)) in kept.iter().enumerate() {
        if i > 0 {
            out.push(TokenWithSpan::wrap(Token::Comma));
        }
        out.extend_from_slice(&tokens[*a..*b]);
    }
    out.extend_from_slice(&tokens[close..]);
    Ok((out, likes))
}

/// `CREATE [UNIQUE] INDEX … ON [ONLY] t`: sqlparser does not know `ONLY`, so the word is
/// removed before parsing and remembered.
pub(super) fn create_index(mut tokens: Vec<TokenWithSpan>) -> Parsed {
    let mut only = false;
    let mut previous_on = false;
    let mut remove = None;
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.token, Token::Whitespace(_)) {
            continue;
        }
        let w = super::cursor::word(&t.token);
        if previous_on && w.as_deref() == Some("ONLY") {
            remove = Some(i);
            break;
        }
        previous_on = w.as_deref() == Some("ON");
        if matches!(t.token, Token::LParen) {
            break;
        }
    }
    if let Some(i) = remove {
        tokens.remove(i);
        only = true;
    }
    with_sqlparser(tokens, |statement| match statement {
        Statement::CreateIndex(index) => {
            Some(Parsed::Ddl(Ddl::CreateIndex(Box::new(CreateIndexStmt {
                index,
                only,
            }))))
        }
        _ => None,
    })
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
        Ok::<_, ParserError>(ViewStmt {
            name,
            materialized: modifiers.iter().any(|m| m == "MATERIALIZED"),
            or_replace: modifiers.iter().any(|m| m == "REPLACE"),
            if_not_exists,
            temporary: modifiers.iter().any(|m| m == "TEMP" || m == "TEMPORARY"),
        })
    })();
    // The query itself is not read: only the relation name matters to the schema.
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
    custom(tokens, |p| {
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
        if !p.at_end() {
            // Schema elements (`CREATE SCHEMA s CREATE TABLE …`) are rare; say so.
            return Err(ParserError::ParserError(
                "schema elements inside CREATE SCHEMA are not supported".into(),
            ));
        }
        Ok(Parsed::Ddl(Ddl::CreateSchema(CreateSchemaStmt {
            name,
            if_not_exists,
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
            let mut body_ddl = body_hints(&tokens).body_ddl;
            // SQL-standard bodies (`BEGIN ATOMIC … END`) are plain tokens, not a string.
            let text: String = tokens.iter().map(|t| t.token.to_string()).collect();
            if let Some(pos) = text.to_ascii_uppercase().find("BEGIN ATOMIC") {
                scan_body(&text[pos..], 1, &mut body_ddl);
            }
            Parsed::Ddl(Ddl::CreateRoutine(RoutineStmt {
                kind: kind.to_string(),
                name,
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

type SequenceNames = Vec<((u64, u64), sqlparser::ast::ObjectName)>;

/// Take `SEQUENCE NAME x` out of identity options (an emptied `( )` goes too) and return
/// each name with where it was written.
fn extract_sequence_names(tokens: Vec<TokenWithSpan>) -> (Vec<TokenWithSpan>, SequenceNames) {
    let is_word = |t: &TokenWithSpan, w: &str| super::cursor::word(&t.token).as_deref() == Some(w);
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect();
    let mut remove: Vec<(usize, usize)> = Vec::new(); // inclusive token index ranges
    let mut found = Vec::new();
    let mut k = 0;
    while k + 2 < significant.len() {
        let (a, b) = (significant[k], significant[k + 1]);
        if !(is_word(&tokens[a], "SEQUENCE") && is_word(&tokens[b], "NAME")) {
            k += 1;
            continue;
        }
        // The name: word (. word)*
        let mut j = k + 2;
        let mut parts = Vec::new();
        while let Some(&idx) = significant.get(j) {
            let Token::Word(w) = &tokens[idx].token else {
                break;
            };
            parts.push(Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: tokens[idx].span,
            });
            j += 1;
            match significant.get(j).map(|&i| &tokens[i].token) {
                Some(Token::Period) => j += 1,
                _ => break,
            }
        }
        if parts.is_empty() {
            k += 1;
            continue;
        }
        let start = tokens[a].span.start;
        found.push((
            (start.line, start.column),
            sqlparser::ast::ObjectName::from(parts),
        ));
        let last = significant[j - 1];
        let before = k.checked_sub(1).map(|p| significant[p]);
        let after = significant.get(j).copied();
        match (before, after) {
            (Some(open), Some(close))
                if tokens[open].token == Token::LParen && tokens[close].token == Token::RParen =>
            {
                remove.push((open, close));
            }
            _ => remove.push((a, last)),
        }
        k = j;
    }
    if remove.is_empty() {
        return (tokens, found);
    }
    let out = tokens
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !remove.iter().any(|(a, b)| a <= i && i <= b))
        .map(|(_, t)| t)
        .collect();
    (out, found)
}
