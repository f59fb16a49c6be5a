//! The statements the parse layer hands to the replay: sqlparser's AST where it reads
//! PostgreSQL correctly, pgdrift's own types where it does not.

use sqlparser::ast::{
    CreateIndex, CreateTable, DataType, Ident, ObjectName, UserDefinedTypeRepresentation,
};

use super::plpgsql::DoBlock;
use super::prepass::Cut;
use super::AlterTableStmt;

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
    /// A `DO` block that is plain DDL (see `plpgsql`).
    DoBlock(DoBlock),
}

/// `CREATE TABLE`, with its `LIKE` elements read by pgdrift (sqlparser reads neither their
/// options nor a `LIKE` among columns).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTableStmt {
    pub table: CreateTable,
    pub likes: Vec<LikeClause>,
    /// What the pre-passes cut out (identity options, `ON DELETE SET NULL (cols)`, storage
    /// clauses of constraint indexes).
    pub cut: Cut,
    /// Elements sqlparser could not read, left out: (text, error).
    pub skipped: Vec<(String, String)>,
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
    /// Clauses read but not modelled (`TABLESPACE x`).
    pub not_modelled: Vec<String>,
    /// Operator class parameters by key position, as PostgreSQL prints them (`siglen='32'`).
    pub opclass_options: Vec<(usize, String)>,
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
    /// Schema elements (`CREATE SCHEMA s CREATE TABLE … CREATE INDEX … GRANT …`), as
    /// written: each element's text and its line relative to the statement's first (1).
    pub elements: Vec<(usize, String)>,
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
    /// Every name the query mentions (lower-cased unless quoted): which relations the view
    /// may depend on, for `DROP … CASCADE`.
    pub mentions: Vec<String>,
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
    /// Parameters and result of a `FUNCTION`; `None` for other kinds and for signatures
    /// that do not read.
    pub signature: Option<super::routine::RoutineSignature>,
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
    /// `SET ROLE x` / `SET SESSION AUTHORIZATION x` (`None`: back to the session user): the
    /// role `"$user"` in the search path stands for.
    Role(Option<String>),
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
