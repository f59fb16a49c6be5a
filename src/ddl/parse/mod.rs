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
mod hints;
mod objects;
mod session;

use sqlparser::ast::{
    CreateIndex, CreateTable, DataType, Expr, ForValues, Ident, ObjectName, Statement,
    UserDefinedTypeRepresentation,
};
use sqlparser::tokenizer::TokenWithSpan;

pub use alter_table::{AlterAction, AlterTableStmt};
pub use hints::{first_words, Hints};

use cursor::{error_text, parser, significant, tokenize, word};

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

/// The statements the replay applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Ddl {
    CreateTable(Box<CreateTableStmt>),
    CreateIndex(Box<CreateIndexStmt>),
    AlterTable(AlterTableStmt),
    AlterIndex(AlterIndexStmt),
    Drop(DropStmt),
    CreateSchema(CreateSchemaStmt),
    AlterSchema(AlterSchemaStmt),
    CreateType(CreateTypeStmt),
    CreateDomain(DomainStmt),
    AlterType(AlterTypeStmt),
    CreateSequence(SequenceStmt),
    AlterSequence(AlterSequenceStmt),
    CreateView(ViewStmt),
    AlterView(AlterViewStmt),
    CreateRoutine(RoutineStmt),
    CreateExtension(ExtensionStmt),
    SearchPath(SearchPathStmt),
    Transaction(TransactionStmt),
}

/// `CREATE TABLE`, with its `LIKE` elements read by pgdrift (sqlparser reads neither their
/// options nor a `LIKE` among columns).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTableStmt {
    pub table: CreateTable,
    pub likes: Vec<LikeClause>,
    /// `SEQUENCE NAME x` options of identity columns (sqlparser rejects them), with where
    /// each was written (line, column), to match it to its column.
    pub identity_sequences: Vec<((u64, u64), ObjectName)>,
}

/// `LIKE source [{INCLUDING | EXCLUDING} option …]` inside `CREATE TABLE (…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LikeClause {
    pub source: ObjectName,
    /// Options in effect, upper-cased: `DEFAULTS`, `CONSTRAINTS`, `INDEXES`, `IDENTITY`,
    /// `GENERATED` … (`ALL` expanded).
    pub including: Vec<String>,
    /// How many column definitions come before it.
    pub columns_before: usize,
}

/// `CREATE [UNIQUE] INDEX … ON [ONLY] t …` (sqlparser does not know `ONLY`).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndexStmt {
    pub index: CreateIndex,
    pub only: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlterIndexStmt {
    pub name: ObjectName,
    pub if_exists: bool,
    pub action: AlterIndexAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlterIndexAction {
    Rename(Ident),
    SetSchema(Ident),
    /// `ALTER INDEX parent ATTACH PARTITION child` (pg_dump writes these for partitioned tables).
    AttachPartition(ObjectName),
    /// Storage parameters, tablespace, statistics … (no structural change).
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    Table,
    Index,
    Sequence,
    View,
    MaterializedView,
    Type,
    Domain,
    Schema,
    Function,
    Procedure,
    Aggregate,
    Extension,
    /// Anything else (`DROP TRIGGER`, `DROP POLICY`, `DROP ROLE` …): nothing to apply.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DropStmt {
    pub kind: DropKind,
    /// The leading keywords, for notes: `DROP MATERIALIZED VIEW`.
    pub words: String,
    pub if_exists: bool,
    pub names: Vec<ObjectName>,
    pub cascade: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateSchemaStmt {
    pub name: Ident,
    pub if_not_exists: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlterSchemaStmt {
    pub name: Ident,
    /// `RENAME TO new`; `None` for changes pgdrift does not model (`OWNER TO`).
    pub rename_to: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateTypeStmt {
    pub name: ObjectName,
    /// `None` for a shell type (`CREATE TYPE name`) or a base type pgdrift cannot read.
    pub representation: Option<UserDefinedTypeRepresentation>,
}

/// `CREATE DOMAIN name [AS] type …`: the base type and the names of its CHECK constraints
/// (`None` for an unnamed one), which occupy constraint names in the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainStmt {
    pub name: ObjectName,
    pub data_type: DataType,
    pub checks: Vec<Option<Ident>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlterTypeStmt {
    pub name: ObjectName,
    pub if_exists: bool,
    pub action: AlterTypeAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlterTypeAction {
    Rename(Ident),
    SetSchema(Ident),
    AddValue {
        value: String,
        if_not_exists: bool,
        /// `BEFORE 'x'` (true) or `AFTER 'x'` (false).
        position: Option<(bool, String)>,
    },
    RenameValue {
        from: String,
        to: String,
    },
    /// `OWNER TO`, `ADD ATTRIBUTE` … (kept as words for the note).
    Other(String),
}

/// `OWNED BY table.column` or `OWNED BY NONE`.
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedBy {
    None,
    Column(ObjectName),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SequenceStmt {
    pub name: ObjectName,
    pub if_not_exists: bool,
    pub temporary: bool,
    pub owned_by: Option<OwnedBy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlterSequenceStmt {
    pub name: ObjectName,
    pub if_exists: bool,
    pub action: AlterSequenceAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlterSequenceAction {
    /// Options (`RESTART`, `INCREMENT` …); only `OWNED BY` matters to the schema.
    Options {
        owned_by: Option<OwnedBy>,
    },
    Rename(Ident),
    SetSchema(Ident),
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ViewStmt {
    pub name: ObjectName,
    pub materialized: bool,
    pub or_replace: bool,
    pub if_not_exists: bool,
    pub temporary: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlterViewStmt {
    pub name: ObjectName,
    pub materialized: bool,
    pub if_exists: bool,
    pub rename_to: Option<Ident>,
    pub set_schema: Option<Ident>,
}

/// `CREATE FUNCTION / PROCEDURE / AGGREGATE name …`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutineStmt {
    pub kind: String,
    pub name: ObjectName,
    /// Schema-changing statements its body contains (run only when it is called).
    pub body_ddl: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionStmt {
    pub name: Ident,
    pub schema: Option<Ident>,
    pub if_not_exists: bool,
}

/// `SET search_path …`, `RESET search_path`, `SELECT set_config('search_path', …)`.
#[derive(Debug, Clone, PartialEq)]
pub enum SearchPathStmt {
    /// The schemas as written (exact names; `$user` kept as is).
    Set {
        schemas: Vec<String>,
        local: bool,
    },
    Reset,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TransactionStmt {
    Begin,
    Commit,
    Rollback,
    Savepoint(String),
    RollbackTo(String),
    Release(String),
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
    let routed =
        match w(0) {
            "BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT"
            | "RELEASE" => session::transaction(&words),
            "SET" | "RESET" => session::set(tokens.clone(), &words),
            "SELECT" => session::select(text, &tokens),
            "CREATE" => create(tokens.clone(), &words),
            "ALTER" => alter(tokens.clone(), &words),
            "DROP" => Some(objects::drop(tokens.clone())),
            "DO" => Some(other("DO", hints::body_hints(&tokens))),
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

fn create(tokens: Vec<TokenWithSpan>, words: &[String]) -> Option<Parsed> {
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
    Some(match object.as_str() {
        "TABLE" if foreign => other("CREATE FOREIGN TABLE", hints::relation_hints(&tokens)),
        "TABLE" => objects::create_table(tokens, temporary),
        "INDEX" => objects::create_index(tokens),
        "SEQUENCE" => objects::create_sequence(tokens),
        "VIEW" => objects::create_view(tokens),
        "SCHEMA" => objects::create_schema(tokens),
        "TYPE" => objects::create_type(tokens),
        "DOMAIN" => objects::create_domain(tokens),
        "FUNCTION" | "PROCEDURE" | "AGGREGATE" => objects::create_routine(tokens, &object),
        "EXTENSION" => objects::create_extension(tokens),
        "" => return None,
        _ => other(&format!("CREATE {object}"), hints::relation_hints(&tokens)),
    })
}

fn alter(tokens: Vec<TokenWithSpan>, words: &[String]) -> Option<Parsed> {
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    Some(match (w(1), w(2)) {
        ("TABLE", "ALL") | ("INDEX", "ALL") => other(&leading(words, 2), Hints::default()),
        ("TABLE", _) => alter_table::parse(tokens),
        ("INDEX", _) => objects::alter_index(tokens),
        ("SEQUENCE", _) => objects::alter_sequence(tokens),
        ("TYPE", _) => objects::alter_type(tokens),
        ("SCHEMA", _) => objects::alter_schema(tokens),
        ("VIEW", _) | ("MATERIALIZED", "VIEW") => objects::alter_view(tokens),
        ("FOREIGN", "TABLE") => other("ALTER FOREIGN TABLE", hints::relation_hints(&tokens)),
        ("", _) => return None,
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
    let mut p = parser(tokens.clone());
    match p.parse_statement() {
        Ok(statement) => {
            use cursor::ParserExt;
            if let Err(e) = p.expect_end() {
                return unparsed(&tokens, error_text(&e));
            }
            f(statement).unwrap_or_else(|| {
                other(
                    &leading(&hints::leading_words(&tokens), 2),
                    hints::relation_hints(&tokens),
                )
            })
        }
        Err(e) => unparsed(&tokens, error_text(&e)),
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
