//! The replay's picture of the database: tables with the sources of their expressions,
//! every relation name (for PostgreSQL's collision rules), sequences, views, user types,
//! functions and schemas. Tables are kept flat (partitions too) and folded at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sqlparser::ast::{DataType, Expr, ForValues, IndexColumn};

use super::derived::{OwnerIndex, SequenceIndex, TableIndex};
use super::journal::{Journaled, JournaledMap, JournaledSet};
use crate::ddl::canon::{Extensions, Routine, Scope, TypeRegistry, UserType};
use crate::model::{
    Column, ConstraintKind, EnumType, Index, IndexExpr, PgVersion, QualifiedName, Table,
};

/// A search path as it was when something was written; shared by everything one
/// statement wrote (most of a schema's expressions keep one of a handful of paths).
pub(crate) type SearchPath = Arc<[String]>;

/// A type or expression as written, with the search path in effect when it was written, so
/// it can be rendered again after a column rename or type change. (The expression is boxed:
/// a sqlparser `Expr` is large, and most columns, constraints and indexes have none.)
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExprSrc {
    pub expr: Box<Expr>,
    pub search_path: SearchPath,
}

impl ExprSrc {
    pub fn new(expr: Expr, search_path: SearchPath) -> ExprSrc {
        ExprSrc {
            expr: Box::new(expr),
            search_path,
        }
    }
}

/// How a column was declared.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ColumnSrc {
    pub data_type: Option<DataType>,
    pub type_path: SearchPath,
    pub default: Option<ExprSrc>,
    pub generated: Option<ExprSrc>,
}

/// The source of an exclusion constraint, for rendering its definition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExclusionSrc {
    pub method: String,
    pub elements: Vec<(IndexColumn, String)>,
    pub include: Vec<String>,
    pub predicate: Option<Expr>,
    pub search_path: SearchPath,
}

/// What the model's `Constraint` does not say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstraintMeta {
    /// Creation order (PostgreSQL's OID order decides which index a partition clones first).
    pub oid: u64,
    /// Columns of this table the constraint uses (dropping one drops the constraint).
    pub columns: BTreeSet<String>,
    pub check: Option<ExprSrc>,
    pub exclusion: Option<Box<ExclusionSrc>>,
    /// The parent table's constraint this one is inherited from.
    pub parent: Option<u64>,
}

/// What the model's `Index` does not say.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexMeta {
    pub oid: u64,
    pub columns: BTreeSet<String>,
    /// The expression of each key that is not a plain column.
    pub key_exprs: Vec<Option<ExprSrc>>,
    /// The collation written on each key (`COLLATE "C"`), printed only while it differs
    /// from the column's own.
    pub collations: Vec<Option<String>>,
    pub predicate: Option<ExprSrc>,
    /// The parent table's index this one is attached to.
    pub parent: Option<u64>,
    /// `CREATE INDEX … ON ONLY` on a partitioned table (not recursed to partitions).
    pub only: bool,
}

/// `PARTITION BY strategy (keys)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Partitioning {
    pub strategy: String,
    pub keys: Vec<Expr>,
    pub search_path: SearchPath,
}

/// A partition's parent and bound.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PartitionOf {
    pub parent: QualifiedName,
    pub bound: ForValues,
    pub search_path: SearchPath,
    /// The bound as `pg_get_expr(relpartbound)` prints it.
    pub text: String,
}

/// The hidden copy of a foreign key that PostgreSQL adds to the referencing table for each
/// partition of a partitioned table it references (`addFkRecurseReferenced`). Not part of
/// the schema, but its name is taken.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HiddenFk {
    /// The visible foreign key it belongs to.
    pub root: u64,
    pub root_name: String,
    /// The partition it references.
    pub referenced: QualifiedName,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TableState {
    pub oid: u64,
    /// Columns, constraints, indexes and the partition key text; `partitions` stays empty
    /// until the schema is folded.
    pub table: Table,
    pub columns_src: BTreeMap<String, ColumnSrc>,
    pub constraints_meta: BTreeMap<String, ConstraintMeta>,
    pub indexes_meta: BTreeMap<String, IndexMeta>,
    pub partitioning: Option<Partitioning>,
    pub partition_of: Option<PartitionOf>,
    pub hidden_fks: BTreeMap<String, HiddenFk>,
}

impl TableState {
    pub fn new(oid: u64) -> TableState {
        TableState {
            oid,
            table: Table::default(),
            columns_src: BTreeMap::new(),
            constraints_meta: BTreeMap::new(),
            indexes_meta: BTreeMap::new(),
            partitioning: None,
            partition_of: None,
            hidden_fks: BTreeMap::new(),
        }
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.table.column(name).is_some()
    }

    /// Names of the index-like objects (plain indexes and PK/UNIQUE/EXCLUDE constraints).
    pub fn index_like_names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.table.indexes.keys().cloned().collect();
        out.extend(
            self.table
                .constraints
                .iter()
                .filter(|(_, c)| is_index_backed(&c.kind))
                .map(|(n, _)| n.clone()),
        );
        out
    }

    pub fn constraint_oid(&self, name: &str) -> Option<u64> {
        self.constraints_meta.get(name).map(|m| m.oid)
    }
}

/// Constraints that own an index (and so a relation name).
pub(crate) fn is_index_backed(kind: &ConstraintKind) -> bool {
    matches!(
        kind,
        ConstraintKind::PrimaryKey(_) | ConstraintKind::Unique(_) | ConstraintKind::Exclusion(_)
    )
}

/// The columns an index refers to by name.
pub(crate) fn plain_index_columns(index: &Index) -> BTreeSet<String> {
    index
        .keys
        .iter()
        .filter_map(|k| match &k.expr {
            IndexExpr::Column(c) => Some(c.clone()),
            IndexExpr::Expression(_) => None,
        })
        .chain(index.include.iter().cloned())
        .collect()
}

/// Relations that are not tables pgdrift models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtherRelation {
    View,
    MaterializedView,
    /// A standalone composite type (`CREATE TYPE … AS (…)`) has a pg_class row.
    CompositeType,
    /// A table whose columns pgdrift cannot know (`CREATE TABLE … AS SELECT`).
    OpaqueTable,
}

/// A sequence and the column that owns it (serial, identity, `OWNED BY`).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct SequenceState {
    pub owned_by: Option<(QualifiedName, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct State {
    pub version: PgVersion,
    pub schemas: JournaledSet<String>,
    /// The search path as set (exact names, `$user` kept).
    pub search_path: Vec<String>,
    /// The role set by `SET ROLE` / `SET SESSION AUTHORIZATION`: what `"$user"` names.
    pub role: Option<String>,
    /// Inside `BEGIN … COMMIT`.
    pub in_transaction: bool,
    /// The search path to restore at the end of the transaction (`SET LOCAL`).
    pub saved_search_path: Option<Vec<String>>,
    pub tables: JournaledMap<QualifiedName, TableState, TableIndex>,
    pub sequences: JournaledMap<QualifiedName, SequenceState, SequenceIndex>,
    pub others: JournaledMap<QualifiedName, OtherRelation>,
    /// The names a view's query mentions (it may depend on those relations).
    pub view_mentions: JournaledMap<QualifiedName, BTreeSet<String>>,
    /// Every pg_class name: tables, indexes (constraint-backed too), sequences, views …
    pub relations: JournaledSet<QualifiedName>,
    /// Index (or constraint-backed index) → the relation it is on.
    pub index_owner: JournaledMap<QualifiedName, QualifiedName, OwnerIndex>,
    pub types: Journaled<TypeRegistry>,
    pub enums: JournaledMap<QualifiedName, EnumType>,
    /// Constraint names taken by domains (they share the namespace's constraint names),
    /// with the domain that owns each.
    pub domain_constraints: JournaledMap<QualifiedName, QualifiedName>,
    /// Functions the migrations created, every overload with its signature.
    pub functions: JournaledMap<QualifiedName, Vec<Routine>>,
    /// Schema-changing statements in a function's body, for notes about calls to it.
    pub function_ddl: JournaledMap<QualifiedName, Vec<String>>,
    /// Extensions created, with the types registered for them.
    pub extensions: Extensions,
    next_oid: u64,
    /// How many savepoints are open.
    depth: usize,
}

/// A savepoint of the state: the journaled collections record changes from here on, the
/// small fields are copied.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    depth: usize,
    search_path: Vec<String>,
    role: Option<String>,
    in_transaction: bool,
    saved_search_path: Option<Vec<String>>,
    extensions: Extensions,
    next_oid: u64,
}

/// Apply one method to every journaled collection of a state.
macro_rules! each_journaled {
    ($state:expr, $method:ident $(, $arg:expr)?) => {{
        let s = $state;
        s.schemas.$method($($arg)?);
        s.tables.$method($($arg)?);
        s.sequences.$method($($arg)?);
        s.others.$method($($arg)?);
        s.view_mentions.$method($($arg)?);
        s.relations.$method($($arg)?);
        s.index_owner.$method($($arg)?);
        s.types.$method($($arg)?);
        s.enums.$method($($arg)?);
        s.domain_constraints.$method($($arg)?);
        s.functions.$method($($arg)?);
        s.function_ddl.$method($($arg)?);
    }};
}

impl State {
    pub fn new(version: PgVersion) -> State {
        State {
            version,
            schemas: JournaledSet::from_set(BTreeSet::from(["public".to_string()])),
            search_path: vec!["$user".into(), "public".into()],
            role: None,
            in_transaction: false,
            saved_search_path: None,
            tables: Default::default(),
            sequences: Default::default(),
            others: Default::default(),
            view_mentions: Default::default(),
            relations: Default::default(),
            index_owner: Default::default(),
            types: Default::default(),
            enums: Default::default(),
            domain_constraints: Default::default(),
            functions: Default::default(),
            function_ddl: Default::default(),
            extensions: BTreeMap::new(),
            next_oid: 1,
            depth: 0,
        }
    }

    /// Open a savepoint: `rollback_to` returns here, cheaply (nothing is copied but the
    /// small fields).
    pub fn savepoint(&mut self) -> Mark {
        let mark = Mark {
            depth: self.depth,
            search_path: self.search_path.clone(),
            role: self.role.clone(),
            in_transaction: self.in_transaction,
            saved_search_path: self.saved_search_path.clone(),
            extensions: self.extensions.clone(),
            next_oid: self.next_oid,
        };
        each_journaled!(&mut *self, begin);
        self.depth += 1;
        mark
    }

    /// Undo everything since `mark`; the savepoint stays open (savepoints opened after it
    /// close).
    pub fn rollback_to(&mut self, mark: &Mark) {
        if mark.depth >= self.depth {
            return;
        }
        each_journaled!(&mut *self, rollback_to, mark.depth);
        self.search_path = mark.search_path.clone();
        self.role = mark.role.clone();
        self.in_transaction = mark.in_transaction;
        self.saved_search_path = mark.saved_search_path.clone();
        self.extensions = mark.extensions.clone();
        self.next_oid = mark.next_oid;
        self.depth = mark.depth + 1;
    }

    /// Close `mark` and the savepoints opened after it, keeping what they changed.
    pub fn release(&mut self, mark: &Mark) {
        if mark.depth >= self.depth {
            return;
        }
        each_journaled!(&mut *self, release, mark.depth);
        self.depth = mark.depth;
    }

    pub fn oid(&mut self) -> u64 {
        self.next_oid += 1;
        self.next_oid
    }

    /// The schemas of the search path that exist, in order (`pg_catalog` is implicit).
    /// `"$user"` is the role set by `SET ROLE` when a schema of that name exists; otherwise
    /// the static reader cannot know the connecting role, and it names nothing.
    pub fn effective_path(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.search_path {
            let s = if s == "$user" {
                match &self.role {
                    Some(role) => role,
                    None => continue,
                }
            } else {
                s
            };
            if self.schemas.contains(s) && !out.contains(s) {
                out.push(s.clone());
            }
        }
        out
    }

    /// Is `name` taken by a relation in `schema` (ChooseRelationName's pg_class check)?
    pub fn relation_taken(&self, schema: &str, name: &str) -> bool {
        self.relations.contains(&QualifiedName::new(schema, name))
    }

    /// Is `name` taken by a constraint in `schema` (ChooseConstraintName's check)?
    pub fn constraint_taken(&self, schema: &str, name: &str) -> bool {
        if self
            .domain_constraints
            .contains_key(&QualifiedName::new(schema, name))
        {
            return true;
        }
        self.tables.derived().constraint_taken(schema, name)
    }

    pub fn scope<'a>(
        &'a self,
        search_path: &'a [String],
        table: Option<&'a QualifiedName>,
        columns: &'a [Column],
    ) -> Scope<'a> {
        Scope {
            version: self.version,
            search_path,
            types: &self.types,
            relations: &self.relations,
            functions: &self.functions,
            extensions: &self.extensions,
            table,
            columns,
        }
    }

    /// Register a table (its name, its row type) that was built outside the state.
    pub fn insert_table(&mut self, name: QualifiedName, table: TableState) {
        self.relations.insert(name.clone());
        self.types.insert(name.clone(), UserType::Composite);
        for index in table.index_like_names() {
            let qn = QualifiedName::new(name.schema.clone(), index);
            self.relations.insert(qn.clone());
            self.index_owner.insert(qn, name.clone());
        }
        self.tables.insert(name, table);
    }

    /// Remove a table and the relation names of its indexes (not its sequences).
    pub fn remove_table(&mut self, name: &QualifiedName) -> Option<TableState> {
        let table = self.tables.remove(name)?;
        self.relations.remove(name);
        self.types.remove(name);
        for index in table.index_like_names() {
            let qn = QualifiedName::new(name.schema.clone(), index);
            self.relations.remove(&qn);
            self.index_owner.remove(&qn);
        }
        Some(table)
    }

    /// Record an index-like relation of `table`.
    pub fn register_index(&mut self, table: &QualifiedName, index: &str) {
        let qn = QualifiedName::new(table.schema.clone(), index);
        self.relations.insert(qn.clone());
        self.index_owner.insert(qn, table.clone());
    }

    pub fn unregister_index(&mut self, table: &QualifiedName, index: &str) {
        let qn = QualifiedName::new(table.schema.clone(), index);
        self.relations.remove(&qn);
        self.index_owner.remove(&qn);
    }

    /// The partitions of `parent` (direct children), by creation order.
    pub fn partitions_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        // Only a partitioned table has partitions.
        if self
            .tables
            .get(parent)
            .is_none_or(|t| t.table.partition_by.is_none())
        {
            return Vec::new();
        }
        self.tables.derived().children_of(parent)
    }

    /// Every partition below `parent`, depth first.
    pub fn all_partitions_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        let mut out = Vec::new();
        for child in self.partitions_of(parent) {
            out.push(child.clone());
            out.extend(self.all_partitions_of(&child));
        }
        out
    }
}
