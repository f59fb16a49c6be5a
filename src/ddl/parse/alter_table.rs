//! `ALTER TABLE [IF EXISTS] [ONLY] name action [, …]`, read action by action: pgdrift reads
//! the PostgreSQL actions sqlparser lacks (`ATTACH/DETACH PARTITION`, `SET SCHEMA`,
//! `ALTER COLUMN … DROP IDENTITY / SET GENERATED / DROP EXPRESSION / SET STATISTICS …`,
//! `ALTER CONSTRAINT`, storage and ownership options) and hands the rest to sqlparser's
//! `parse_alter_table_operation`.

use sqlparser::ast::{AlterTableOperation, DataType, Expr, ForValues, Ident, ObjectName};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, parser, tokens_of, ParserExt};
use super::prepass::{self, Cut};
use super::{parse_for_values, unparsed, Ddl, Parsed};
use crate::model::Identity;

#[derive(Debug, Clone, PartialEq)]
pub struct AlterTableStmt {
    pub name: ObjectName,
    pub if_exists: bool,
    pub only: bool,
    pub actions: Vec<AlterAction>,
    /// What the pre-passes cut out (identity options, `ON DELETE SET NULL (cols)`, storage
    /// clauses of constraint indexes).
    pub cut: Cut,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlterAction {
    /// An action sqlparser reads: ADD/DROP COLUMN, ADD/DROP/RENAME/VALIDATE CONSTRAINT,
    /// ALTER COLUMN TYPE / SET DEFAULT / SET NOT NULL / ADD GENERATED, RENAME …
    Sql(AlterTableOperation),
    DropIdentity {
        column: Ident,
        if_exists: bool,
    },
    /// `ALTER COLUMN c SET GENERATED {ALWAYS | BY DEFAULT}` and identity sequence options
    /// (`generated` is `None` when only sequence options change).
    SetIdentity {
        column: Ident,
        generated: Option<Identity>,
    },
    DropExpression {
        column: Ident,
        if_exists: bool,
    },
    SetExpression {
        column: Ident,
        expr: Expr,
    },
    AttachPartition {
        partition: ObjectName,
        bound: ForValues,
    },
    DetachPartition {
        partition: ObjectName,
    },
    SetSchema(Ident),
    AlterConstraint {
        name: Ident,
        deferrable: Option<bool>,
        initially_deferred: Option<bool>,
    },
    /// `ALTER COLUMN c ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]`, with
    /// the `SEQUENCE NAME` option pg_dump writes (sqlparser rejects it).
    AddIdentity {
        column: Ident,
        kind: Identity,
        sequence: Option<ObjectName>,
    },
    /// `ALTER COLUMN c [SET DATA] TYPE t [COLLATE x] [USING e]` (sqlparser lacks COLLATE).
    SetType {
        column: Ident,
        data_type: DataType,
        collation: Option<ObjectName>,
    },
    /// Options that do not change what pgdrift models (storage, statistics, ownership,
    /// triggers, row security, tablespace …).
    Ignored(String),
    /// A change pgdrift does not model but that does change the table (`INHERIT`, `OF`).
    NotModelled(String),
    /// An action that could not be read (the statement's other actions could).
    Unreadable {
        text: String,
        error: String,
    },
}

pub(super) fn parse(tokens: Vec<TokenWithSpan>) -> Parsed {
    let (cut_tokens, cut, written) = prepass::cut_keeping(tokens, 0);
    let mut p = parser(cut_tokens);
    match statement(&mut p) {
        Ok(mut stmt) => {
            restore_kinds(&mut stmt, &cut);
            stmt.cut = cut;
            Parsed::Ddl(Ddl::AlterTable(stmt))
        }
        Err(e) => {
            let tokens = written.unwrap_or_else(|| tokens_of(&p));
            match salvage(&tokens, cut) {
                Some(mut stmt) => {
                    let cut = std::mem::take(&mut stmt.cut);
                    restore_kinds(&mut stmt, &cut);
                    stmt.cut = cut;
                    Parsed::Ddl(Ddl::AlterTable(stmt))
                }
                None => unparsed(&tokens, error_text(&e)),
            }
        }
    }
}

/// Generated columns added by the statement get back the kind the pre-pass rewrote.
fn restore_kinds(stmt: &mut AlterTableStmt, cut: &Cut) {
    let columns = stmt.actions.iter_mut().filter_map(|action| match action {
        AlterAction::Sql(AlterTableOperation::AddColumn { column_def, .. }) => Some(column_def),
        _ => None,
    });
    prepass::restore_generated_kinds(columns, &cut.virtual_generated);
}

/// An `ALTER TABLE` that does not read as a whole, read action by action: the actions that
/// read are applied, the others become `Unreadable` (a note each).
fn salvage(tokens: &[TokenWithSpan], cut: Cut) -> Option<AlterTableStmt> {
    let (tokens, _) = prepass::cut(tokens.to_vec(), 0);
    let mut p = parser(tokens.clone());
    p.expect_words(&["ALTER", "TABLE"]).ok()?;
    let if_exists = p.eat_words(&["IF", "EXISTS"]);
    let only = p.eat_word("ONLY");
    let name = p.parse_relation_name().ok()?;
    let start = p.index();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut from = start;
    for (i, t) in tokens.iter().enumerate().skip(start) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                ranges.push((from, i));
                from = i + 1;
            }
            _ => {}
        }
    }
    ranges.push((from, tokens.len()));
    let mut actions = Vec::new();
    let mut readable = 0;
    for (a, b) in ranges {
        let slice = tokens[a..b].to_vec();
        let mut ap = parser(slice.clone());
        match action(&mut ap).and_then(|act| ap.expect_end().map(|_| act)) {
            Ok(act) => {
                readable += 1;
                actions.push(act);
            }
            Err(e) => {
                let text: String = slice.iter().map(|t| t.token.to_string()).collect();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                actions.push(AlterAction::Unreadable {
                    text: super::first_words(&text),
                    error: error_text(&e),
                });
            }
        }
    }
    (readable > 0).then_some(AlterTableStmt {
        name,
        if_exists,
        only,
        actions,
        cut,
    })
}

fn statement(p: &mut Parser<'_>) -> Result<AlterTableStmt, ParserError> {
    p.expect_words(&["ALTER", "TABLE"])?;
    let if_exists = p.eat_words(&["IF", "EXISTS"]);
    let only = p.eat_word("ONLY");
    let name = p.parse_relation_name()?;
    let mut actions = Vec::new();
    loop {
        actions.push(action(p)?);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    p.expect_end()?;
    Ok(AlterTableStmt {
        name,
        if_exists,
        only,
        actions,
        cut: Cut::default(),
    })
}

/// Table-level clauses with no effect on the modelled structure.
const IGNORED: &[&[&str]] = &[
    &["OWNER", "TO"],
    &["SET", "TABLESPACE"],
    &["SET", "ACCESS", "METHOD"],
    &["SET", "WITHOUT", "CLUSTER"],
    &["SET", "WITHOUT", "OIDS"],
    &["SET", "WITH", "OIDS"],
    &["SET", "LOGGED"],
    &["SET", "UNLOGGED"],
    &["CLUSTER", "ON"],
    &["REPLICA", "IDENTITY"],
    &["ENABLE"],
    &["DISABLE"],
    &["FORCE"],
    &["NO", "FORCE"],
    &["SET", "("],
    &["RESET", "("],
];

fn matches_words(p: &Parser<'_>, words: &[&str]) -> bool {
    words.iter().enumerate().all(|(i, w)| {
        if *w == "(" {
            p.peek_nth_token(i).token == Token::LParen
        } else {
            p.peek_word(i).as_deref() == Some(*w)
        }
    })
}

fn action(p: &mut Parser<'_>) -> Result<AlterAction, ParserError> {
    if p.eat_words(&["ATTACH", "PARTITION"]) {
        let partition = p.parse_object_name(false)?;
        let bound = parse_for_values(p)?;
        return Ok(AlterAction::AttachPartition { partition, bound });
    }
    if p.eat_words(&["DETACH", "PARTITION"]) {
        let partition = p.parse_object_name(false)?;
        p.eat_word("CONCURRENTLY");
        p.eat_word("FINALIZE");
        return Ok(AlterAction::DetachPartition { partition });
    }
    if p.eat_words(&["SET", "SCHEMA"]) {
        return Ok(AlterAction::SetSchema(p.parse_identifier()?));
    }
    if p.eat_words(&["ALTER", "CONSTRAINT"]) {
        return alter_constraint(p);
    }
    // `ADD [CONSTRAINT name] NOT NULL column` (PostgreSQL 18): the column becomes NOT NULL.
    let named = p.peek_word(1).as_deref() == Some("CONSTRAINT");
    let at = if named { 3 } else { 1 };
    if p.peek_word(0).as_deref() == Some("ADD")
        && p.peek_word(at).as_deref() == Some("NOT")
        && p.peek_word(at + 1).as_deref() == Some("NULL")
    {
        for _ in 0..at + 2 {
            p.next_token();
        }
        let column_name = p.parse_identifier()?;
        p.eat_words(&["NO", "INHERIT"]);
        return Ok(AlterAction::Sql(AlterTableOperation::AlterColumn {
            column_name,
            op: sqlparser::ast::AlterColumnOperation::SetNotNull,
        }));
    }
    if matches_words(p, &["INHERIT"])
        || matches_words(p, &["NO", "INHERIT"])
        || matches_words(p, &["OF"])
        || matches_words(p, &["NOT", "OF"])
    {
        return Ok(AlterAction::NotModelled(p.skip_clause().join(" ")));
    }
    if IGNORED.iter().any(|words| matches_words(p, words)) {
        return Ok(AlterAction::Ignored(p.skip_clause().join(" ")));
    }
    if p.peek_word(0).as_deref() == Some("ALTER") {
        if let Some(action) = alter_column(p)? {
            return Ok(action);
        }
    }
    Ok(AlterAction::Sql(p.parse_alter_table_operation()?))
}

/// The `ALTER [COLUMN] c …` actions sqlparser lacks; `None` (nothing consumed) for the
/// ones it reads.
fn alter_column(p: &mut Parser<'_>) -> Result<Option<AlterAction>, ParserError> {
    let skip = if p.peek_word(1).as_deref() == Some("COLUMN") {
        2
    } else {
        1
    };
    let op = |k: usize| p.peek_word(skip + 1 + k);
    let (a, b) = (op(0), op(1));
    let custom = matches!(
        (a.as_deref(), b.as_deref()),
        (Some("TYPE"), _)
            | (Some("ADD"), Some("GENERATED"))
            | (Some("SET"), Some("DATA"))
            | (Some("DROP"), Some("IDENTITY"))
            | (Some("DROP"), Some("EXPRESSION"))
            | (Some("SET"), Some("GENERATED"))
            | (Some("SET"), Some("EXPRESSION"))
            | (Some("SET"), Some("STATISTICS"))
            | (Some("SET"), Some("STORAGE"))
            | (Some("SET"), Some("COMPRESSION"))
            | (Some("SET"), Some("INCREMENT"))
            | (Some("SET"), Some("START"))
            | (Some("SET"), Some("MINVALUE"))
            | (Some("SET"), Some("MAXVALUE"))
            | (Some("SET"), Some("NO"))
            | (Some("SET"), Some("CACHE"))
            | (Some("SET"), Some("CYCLE"))
            | (Some("RESTART"), _)
    ) || (a.as_deref() == Some("SET") || a.as_deref() == Some("RESET"))
        && p.peek_nth_token(skip + 2).token == Token::LParen;
    if !custom {
        return Ok(None);
    }
    for _ in 0..skip {
        p.next_token();
    }
    let column = p.parse_identifier()?;
    if p.eat_words(&["SET", "DATA", "TYPE"]) || p.eat_word("TYPE") {
        let data_type = p.parse_data_type()?;
        let collation = if p.eat_word("COLLATE") {
            Some(p.parse_object_name(false)?)
        } else {
            None
        };
        if p.eat_word("USING") {
            p.parse_expr()?;
        }
        return Ok(Some(AlterAction::SetType {
            column,
            data_type,
            collation,
        }));
    }
    if p.eat_words(&["ADD", "GENERATED"]) {
        let kind = if p.eat_word("ALWAYS") {
            Identity::Always
        } else {
            p.expect_words(&["BY", "DEFAULT"])?;
            Identity::ByDefault
        };
        p.expect_words(&["AS", "IDENTITY"])?;
        let sequence = if p.consume_token(&Token::LParen) {
            identity_options(p)?
        } else {
            None
        };
        return Ok(Some(AlterAction::AddIdentity {
            column,
            kind,
            sequence,
        }));
    }
    if p.eat_words(&["DROP", "IDENTITY"]) {
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        return Ok(Some(AlterAction::DropIdentity { column, if_exists }));
    }
    if p.eat_words(&["DROP", "EXPRESSION"]) {
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        return Ok(Some(AlterAction::DropExpression { column, if_exists }));
    }
    if p.eat_words(&["SET", "EXPRESSION"]) {
        p.expect_words(&["AS"])?;
        p.expect_token(&Token::LParen)?;
        let expr = p.parse_expr()?;
        p.expect_token(&Token::RParen)?;
        return Ok(Some(AlterAction::SetExpression { column, expr }));
    }
    let is_identity_option = |p: &Parser<'_>| {
        matches!(p.peek_word(0).as_deref(), Some("RESTART"))
            || (p.peek_word(0).as_deref() == Some("SET")
                && matches!(
                    p.peek_word(1).as_deref(),
                    Some(
                        "GENERATED"
                            | "INCREMENT"
                            | "START"
                            | "MINVALUE"
                            | "MAXVALUE"
                            | "NO"
                            | "CACHE"
                            | "CYCLE"
                    )
                ))
    };
    if is_identity_option(p) {
        let mut generated = None;
        while is_identity_option(p) {
            if p.eat_words(&["SET", "GENERATED", "ALWAYS"]) {
                generated = Some(Identity::Always);
            } else if p.eat_words(&["SET", "GENERATED", "BY", "DEFAULT"]) {
                generated = Some(Identity::ByDefault);
            } else {
                // A sequence option: its words up to the next option or the end.
                p.next_token();
                loop {
                    if p.at_end() || p.peek_token().token == Token::Comma || is_identity_option(p) {
                        break;
                    }
                    p.next_token();
                }
            }
        }
        return Ok(Some(AlterAction::SetIdentity { column, generated }));
    }
    let words = p.skip_clause();
    Ok(Some(AlterAction::Ignored(format!(
        "ALTER COLUMN {} {}",
        column,
        words.join(" ")
    ))))
}

fn alter_constraint(p: &mut Parser<'_>) -> Result<AlterAction, ParserError> {
    let name = p.parse_identifier()?;
    let mut deferrable = None;
    let mut initially_deferred = None;
    loop {
        if p.eat_words(&["NOT", "DEFERRABLE"]) {
            deferrable = Some(false);
        } else if p.eat_word("DEFERRABLE") {
            deferrable = Some(true);
        } else if p.eat_words(&["INITIALLY", "DEFERRED"]) {
            initially_deferred = Some(true);
        } else if p.eat_words(&["INITIALLY", "IMMEDIATE"]) {
            initially_deferred = Some(false);
        } else if p.eat_words(&["NOT", "ENFORCED"])
            || p.eat_word("ENFORCED")
            || p.eat_words(&["NO", "INHERIT"])
            || p.eat_word("INHERIT")
        {
        } else {
            break;
        }
    }
    Ok(AlterAction::AlterConstraint {
        name,
        deferrable,
        initially_deferred,
    })
}

/// The options of an identity column up to the closing parenthesis: only `SEQUENCE NAME`
/// matters (the sequence gets that name instead of a chosen one).
pub(crate) fn identity_options(p: &mut Parser<'_>) -> Result<Option<ObjectName>, ParserError> {
    let mut sequence = None;
    let mut depth = 1usize;
    while depth > 0 {
        if p.eat_words(&["SEQUENCE", "NAME"]) {
            sequence = Some(p.parse_object_name(false)?);
            continue;
        }
        match p.next_token().token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::EOF => return Err(ParserError::ParserError("unclosed (".into())),
            _ => {}
        }
    }
    Ok(sequence)
}
