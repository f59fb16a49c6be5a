//! The generator's own picture of the schema it writes: enough to render SQL, to choose changes
//! PostgreSQL accepts, and to predict what the catalog will count. Deliberately not pgdrift's
//! model: the benchmark must not depend on the code it measures.

use std::collections::BTreeSet;

pub use super::naming::{q, truncate};

/// What a column holds; decides which defaults, checks, indexes and changes make sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Int,
    BigInt,
    Numeric,
    Double,
    Text,
    Varchar,
    Char,
    Bool,
    Timestamptz,
    Timestamp,
    Date,
    Interval,
    Uuid,
    Jsonb,
    TextArray,
    IntArray,
    Inet,
    Bytea,
    Enum,
    TsRange,
    TsVector,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// The type as the migration writes it (`varchar(120)`, `timestamptz`, `bigserial`).
    pub ty: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// `ALWAYS` or `BY DEFAULT`.
    pub identity: Option<&'static str>,
    /// Written as `serial`/`bigserial`: the default and NOT NULL come with the type.
    pub serial: bool,
    /// `GENERATED ALWAYS AS (…) STORED` expression.
    pub generated: Option<String>,
    /// `Plan::enums[i]` for enum columns.
    pub enum_type: Option<usize>,
}

impl Column {
    pub fn new(name: &str, kind: Kind, ty: &str) -> Column {
        Column {
            name: name.to_string(),
            kind,
            ty: ty.to_string(),
            not_null: false,
            default: None,
            identity: None,
            serial: false,
            generated: None,
            enum_type: None,
        }
    }

    /// Columns whose default or nullability PostgreSQL ties to something else.
    pub fn is_special(&self) -> bool {
        self.serial || self.identity.is_some() || self.generated.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConKind {
    Primary,
    Unique,
    Check,
    /// References `tables[table]`.
    Foreign {
        table: usize,
    },
    Exclude,
}

/// Where a constraint is written: on its column, at the end of CREATE TABLE, or in a later
/// `ALTER TABLE … ADD CONSTRAINT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Inline,
    TableLevel,
    Alter,
}

#[derive(Clone, Debug)]
pub struct Constraint {
    pub name: String,
    /// Left for PostgreSQL to choose (`t_col_key`, `t_col_fkey` …); `name` is what it picks.
    pub implicit_name: bool,
    pub kind: ConKind,
    /// Every column the constraint mentions.
    pub cols: Vec<String>,
    /// Table-constraint form: `FOREIGN KEY (a) REFERENCES t (id) ON DELETE CASCADE`.
    pub body: String,
    /// Column-constraint form (`REFERENCES t (id)`, `UNIQUE`, `CHECK (…)`) when inline.
    pub inline_body: String,
    pub placement: Placement,
}

impl Constraint {
    /// PRIMARY KEY, UNIQUE and EXCLUDE constraints are backed by an index (`pg_index` row).
    pub fn has_index(&self) -> bool {
        matches!(
            self.kind,
            ConKind::Primary | ConKind::Unique | ConKind::Exclude
        )
    }
}

#[derive(Clone, Debug)]
pub struct Index {
    pub name: String,
    /// Written without a name (`CREATE INDEX ON t (a)`): PostgreSQL picks `name`.
    pub implicit_name: bool,
    pub unique: bool,
    /// Everything after `ON table`: `USING gin (tags)`, `(lower(email)) WHERE …`.
    pub tail: String,
    /// Every column the keys, INCLUDE list or predicate mention.
    pub cols: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Partitioning {
    /// `RANGE (event_date)`.
    pub by: String,
    /// (partition name, bound: `FOR VALUES …` or `DEFAULT`).
    pub partitions: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub schema: String,
    pub name: String,
    /// Written `public.t` rather than `t` (other schemas are always qualified).
    pub qualify: bool,
    /// Prisma style: every identifier quoted, PascalCase/camelCase names.
    pub prisma: bool,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Index>,
    pub partitioning: Option<Partitioning>,
    /// Columns something we do not model depends on (a view, a generated column, the
    /// partition key): never dropped, retyped or renamed.
    pub pinned: BTreeSet<String>,
    /// The single-column primary key a foreign key may reference: (column, kind).
    pub pk: Option<(String, Kind)>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }

    /// Whether any index, constraint or unmodelled object depends on the column.
    pub fn in_use(&self, name: &str) -> bool {
        let name = name.to_string();
        self.pinned.contains(&name)
            || self.constraints.iter().any(|c| c.cols.contains(&name))
            || self.indexes.iter().any(|i| i.cols.contains(&name))
    }

    /// The relation as the migration names it.
    pub fn qname(&self) -> String {
        if self.schema == "public" && !self.qualify {
            q(&self.name, self.prisma)
        } else {
            format!(
                "{}.{}",
                q(&self.schema, self.prisma),
                q(&self.name, self.prisma)
            )
        }
    }

    /// A column name as the migration writes it.
    pub fn col(&self, name: &str) -> String {
        q(name, self.prisma)
    }

    pub fn relations(&self) -> usize {
        1 + self.partitioning.as_ref().map_or(0, |p| p.partitions.len())
    }
}

#[derive(Clone, Debug)]
pub struct EnumType {
    pub schema: String,
    pub name: String,
    pub labels: Vec<String>,
    pub prisma: bool,
}

impl EnumType {
    pub fn qname(&self) -> String {
        format!(
            "{}.{}",
            q(&self.schema, self.prisma),
            q(&self.name, self.prisma)
        )
    }
}

/// What one database holds, counted the way `scripts/bench/counts.sql` counts the catalog:
/// partitions are tables and carry their own copies of columns, indexes and constraints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tables: usize,
    pub partitions: usize,
    pub columns: usize,
    pub indexes: usize,
    pub constraints: usize,
    pub enums: usize,
}

impl Counts {
    pub fn objects(&self) -> usize {
        self.tables + self.columns + self.indexes + self.constraints + self.enums
    }
}

#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub enums: Vec<EnumType>,
    pub tables: Vec<Table>,
    /// Names taken in each schema's relation namespace (tables, indexes, sequences, views)
    /// and by constraints: PostgreSQL's implicit names must avoid both.
    pub relation_names: BTreeSet<(String, String)>,
    pub constraint_names: BTreeSet<(String, String)>,
    /// Table names across all schemas: the generator keeps them unique everywhere.
    pub table_names: BTreeSet<String>,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            enums: self.enums.len(),
            ..Counts::default()
        };
        for table in &self.tables {
            let rels = table.relations();
            let indexed = table.constraints.iter().filter(|c| c.has_index()).count();
            counts.tables += rels;
            counts.partitions += rels - 1;
            counts.columns += rels * table.columns.len();
            counts.indexes += rels * (table.indexes.len() + indexed);
            counts.constraints += rels * table.constraints.len();
        }
        counts
    }
}
