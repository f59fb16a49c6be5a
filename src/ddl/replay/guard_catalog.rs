//! The system catalogs an existence guard in a `DO` block asks (`pg_namespace`, `pg_class`,
//! `pg_type`, `pg_constraint`, `information_schema.columns` …), answered from the replay
//! state as the rows PostgreSQL would hold at that point. Only the columns a guard compares
//! are provided; asking for another one makes the guard unevaluable (never a guess).

use super::state::{OtherRelation, State};
use crate::ddl::canon::UserType;
use crate::model::{Column, ConstraintKind, QualifiedName};

/// A value a guard computes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    /// A schema's oid (`pg_namespace.oid`, `relnamespace`, `'x'::regnamespace`).
    Ns(String),
    /// A relation's oid (`pg_class.oid`, `conrelid`, `'x'::regclass`).
    Rel(QualifiedName),
    /// A type's oid (`pg_type.oid`, `enumtypid`, `'x'::regtype`).
    Type(QualifiedName),
    /// `current_database()`, `table_catalog`: equal to itself, unknown otherwise.
    CurrentDb,
}

/// The catalogs a guard may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Catalog {
    Namespace,
    Schemata,
    Class,
    Tables,
    Views,
    Matviews,
    Indexes,
    InfoTables,
    InfoViews,
    Type,
    Enum,
    Constraint,
    InfoTableConstraints,
    InfoColumns,
    Attribute,
    Extension,
    Sequences,
    InfoSequences,
}

impl Catalog {
    /// The catalog a (folded) relation name in `FROM` names.
    pub fn named(parts: &[String]) -> Option<Catalog> {
        let (schema, name) = match parts {
            [name] => (None, name.as_str()),
            [schema, name] => (Some(schema.as_str()), name.as_str()),
            _ => return None,
        };
        let catalog = matches!(schema, None | Some("pg_catalog"));
        let info = schema == Some("information_schema");
        Some(match name {
            "pg_namespace" if catalog => Catalog::Namespace,
            "pg_class" if catalog => Catalog::Class,
            "pg_tables" if catalog => Catalog::Tables,
            "pg_views" if catalog => Catalog::Views,
            "pg_matviews" if catalog => Catalog::Matviews,
            "pg_indexes" if catalog => Catalog::Indexes,
            "pg_type" if catalog => Catalog::Type,
            "pg_enum" if catalog => Catalog::Enum,
            "pg_constraint" if catalog => Catalog::Constraint,
            "pg_attribute" if catalog => Catalog::Attribute,
            "pg_extension" if catalog => Catalog::Extension,
            "pg_sequences" if catalog => Catalog::Sequences,
            "schemata" if info => Catalog::Schemata,
            "tables" if info => Catalog::InfoTables,
            "views" if info => Catalog::InfoViews,
            "table_constraints" if info => Catalog::InfoTableConstraints,
            "columns" if info => Catalog::InfoColumns,
            "sequences" if info => Catalog::InfoSequences,
            _ => return None,
        })
    }

    /// Whether the catalog has a column of this name that guards can read.
    pub fn has(self, column: &str) -> bool {
        let probe = Item::Probe;
        Row {
            catalog: self,
            item: probe,
        }
        .get(column, &State::new(crate::model::PgVersion(15)))
        .is_some()
    }
}

/// What one catalog row describes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item<'a> {
    /// A row of no object: only answers which columns exist.
    Probe,
    Schema(&'a str),
    Relation(&'a QualifiedName, char),
    Type(&'a QualifiedName, char),
    Label(&'a QualifiedName, &'a str, usize),
    Constraint {
        schema: &'a str,
        name: &'a str,
        table: Option<&'a QualifiedName>,
        kind: char,
    },
    Column(&'a QualifiedName, &'a Column, usize),
    Index(&'a QualifiedName, &'a QualifiedName),
    Extension(&'a str),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'a> {
    pub catalog: Catalog,
    pub item: Item<'a>,
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

impl Row<'_> {
    /// The value of `column` in this row; `None` for a column guards cannot read.
    pub fn get(&self, column: &str, state: &State) -> Option<Value> {
        use Catalog as C;
        use Item as I;
        let probe = matches!(self.item, I::Probe);
        // Every column a catalog supports is listed with its value; a probe row answers
        // `Null` for each, so `has` can ask.
        macro_rules! col {
            ($($name:literal => $value:expr),* $(,)?) => {
                match column {
                    $($name => Some(if probe { Value::Null } else { $value }),)*
                    _ => None,
                }
            };
        }
        let name = |qn: &QualifiedName| text(&qn.name);
        let schema = |qn: &QualifiedName| text(&qn.schema);
        match (self.catalog, self.item) {
            (C::Namespace, _) => {
                let s = if let I::Schema(s) = self.item { s } else { "" };
                col!("nspname" => text(s), "oid" => Value::Ns(s.to_string()))
            }
            (C::Schemata, _) => {
                let s = if let I::Schema(s) = self.item { s } else { "" };
                col!("schema_name" => text(s), "catalog_name" => Value::CurrentDb)
            }
            (C::Class, _) => {
                let (qn, kind) = rel(self.item)?;
                col!(
                    "relname" => name(qn),
                    "relnamespace" => Value::Ns(qn.schema.clone()),
                    "relkind" => text(&kind.to_string()),
                    "oid" => Value::Rel(qn.clone()),
                )
            }
            (C::Tables, _) => {
                let (qn, _) = rel(self.item)?;
                col!("schemaname" => schema(qn), "tablename" => name(qn))
            }
            (C::Views, _) => {
                let (qn, _) = rel(self.item)?;
                col!("schemaname" => schema(qn), "viewname" => name(qn))
            }
            (C::Matviews, _) => {
                let (qn, _) = rel(self.item)?;
                col!("schemaname" => schema(qn), "matviewname" => name(qn))
            }
            (C::Sequences, _) => {
                let (qn, _) = rel(self.item)?;
                col!("schemaname" => schema(qn), "sequencename" => name(qn))
            }
            (C::InfoSequences, _) => {
                let (qn, _) = rel(self.item)?;
                col!(
                    "sequence_schema" => schema(qn),
                    "sequence_name" => name(qn),
                    "sequence_catalog" => Value::CurrentDb,
                )
            }
            (C::InfoTables, _) | (C::InfoViews, _) => {
                let (qn, kind) = rel(self.item)?;
                let kind = if kind == 'v' { "VIEW" } else { "BASE TABLE" };
                col!(
                    "table_schema" => schema(qn),
                    "table_name" => name(qn),
                    "table_type" => text(kind),
                    "table_catalog" => Value::CurrentDb,
                )
            }
            (C::Indexes, _) => {
                let (index, table) = match self.item {
                    I::Index(i, t) => (i, t),
                    _ if probe => (&PROBE, &PROBE),
                    _ => return None,
                };
                col!(
                    "schemaname" => schema(index),
                    "tablename" => name(table),
                    "indexname" => name(index),
                )
            }
            (C::Type, _) => {
                let (qn, kind) = match self.item {
                    I::Type(qn, kind) => (qn, kind),
                    _ if probe => (&PROBE, 'b'),
                    _ => return None,
                };
                col!(
                    "typname" => name(qn),
                    "typnamespace" => Value::Ns(qn.schema.clone()),
                    "typtype" => text(&kind.to_string()),
                    "oid" => Value::Type(qn.clone()),
                )
            }
            (C::Enum, _) => {
                let (qn, label, order) = match self.item {
                    I::Label(qn, label, order) => (qn, label, order),
                    _ if probe => (&PROBE, "", 0),
                    _ => return None,
                };
                col!(
                    "enumtypid" => Value::Type(qn.clone()),
                    "enumlabel" => text(label),
                    "enumsortorder" => Value::Int(order as i64 + 1),
                )
            }
            (C::Constraint, _) | (C::InfoTableConstraints, _) => {
                let (schema_name, conname, table, kind) = match self.item {
                    I::Constraint {
                        schema,
                        name,
                        table,
                        kind,
                    } => (schema, name, table, kind),
                    _ if probe => ("", "", Some(&PROBE), 'c'),
                    _ => return None,
                };
                if self.catalog == C::Constraint {
                    col!(
                        "conname" => text(conname),
                        "connamespace" => Value::Ns(schema_name.to_string()),
                        "conrelid" => table.map_or(Value::Int(0), |t| Value::Rel(t.clone())),
                        "contype" => text(&kind.to_string()),
                    )
                } else {
                    let table = table?;
                    let kind = match kind {
                        'p' => "PRIMARY KEY",
                        'u' => "UNIQUE",
                        'f' => "FOREIGN KEY",
                        _ => "CHECK",
                    };
                    col!(
                        "constraint_schema" => text(schema_name),
                        "constraint_name" => text(conname),
                        "table_schema" => schema(table),
                        "table_name" => name(table),
                        "constraint_type" => text(kind),
                        "constraint_catalog" => Value::CurrentDb,
                        "table_catalog" => Value::CurrentDb,
                    )
                }
            }
            (C::InfoColumns, _) | (C::Attribute, _) => {
                let probe_column = Column::new("", "");
                let (table, c, ordinal) = match self.item {
                    I::Column(t, c, o) => (t, c, o),
                    _ if probe => (&PROBE, &probe_column, 0),
                    _ => return None,
                };
                if self.catalog == C::Attribute {
                    col!(
                        "attrelid" => Value::Rel(table.clone()),
                        "attname" => text(&c.name),
                        "attnum" => Value::Int(ordinal as i64 + 1),
                        "attisdropped" => Value::Bool(false),
                        "attnotnull" => Value::Bool(c.not_null),
                    )
                } else {
                    col!(
                        "table_schema" => schema(table),
                        "table_name" => name(table),
                        "column_name" => text(&c.name),
                        "ordinal_position" => Value::Int(ordinal as i64 + 1),
                        "is_nullable" => text(if c.not_null { "NO" } else { "YES" }),
                        "data_type" => text(&data_type(state, &c.data_type)),
                        "character_maximum_length" => max_length(&c.data_type),
                        "table_catalog" => Value::CurrentDb,
                    )
                }
            }
            (C::Extension, _) => {
                let e = if let I::Extension(e) = self.item {
                    e
                } else {
                    ""
                };
                col!("extname" => text(e))
            }
        }
    }
}

static PROBE: QualifiedName = QualifiedName {
    schema: String::new(),
    name: String::new(),
};

fn rel(item: Item<'_>) -> Option<(&QualifiedName, char)> {
    match item {
        Item::Relation(qn, kind) => Some((qn, kind)),
        Item::Probe => Some((&PROBE, 'r')),
        _ => None,
    }
}

/// `information_schema.columns.data_type` of a column of type `format_type` text: the type
/// without its modifiers, `ARRAY`, `USER-DEFINED`, or a domain's base type.
fn data_type(state: &State, format_type: &str) -> String {
    if format_type.ends_with("[]") {
        return "ARRAY".into();
    }
    if let Some((schema, name)) = split_qualified(format_type) {
        return match state.types.types.get(&QualifiedName::new(schema, name)) {
            Some(UserType::Domain { base }) => data_type(state, base),
            _ => "USER-DEFINED".into(),
        };
    }
    if format_type.starts_with("interval") {
        return "interval".into();
    }
    // `character varying(255)`, `timestamp(3) with time zone`, `numeric(10,2)`.
    let mut out = String::new();
    let mut depth = 0;
    for c in format_type.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `information_schema.columns.character_maximum_length`: the length of a `character
/// varying(n)` / `character(n)` / `bit(n)` column, else NULL.
fn max_length(format_type: &str) -> Value {
    for prefix in ["character varying(", "character(", "bit varying(", "bit("] {
        if let Some(rest) = format_type.strip_prefix(prefix) {
            if let Some(n) = rest.strip_suffix(')').and_then(|n| n.parse().ok()) {
                return Value::Int(n);
            }
        }
    }
    Value::Null
}

/// `schema.name` / `"Schema"."Name"` of a qualified `format_type` text.
fn split_qualified(text: &str) -> Option<(String, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            '(' if !quoted => return None,
            _ => current.push(c),
        }
    }
    parts.push(current);
    match parts.as_slice() {
        [schema, name] => Some((schema.clone(), name.clone())),
        _ => None,
    }
}

/// The rows of `catalog` in the replay state.
pub(crate) fn rows(state: &State, catalog: Catalog) -> Vec<Row<'_>> {
    use Catalog as C;
    let row = |item| Row { catalog, item };
    let mut out = Vec::new();
    let kind_of = |qn: &QualifiedName| -> char {
        if let Some(t) = state.tables.get(qn) {
            return if t.table.partition_by.is_some() {
                'p'
            } else {
                'r'
            };
        }
        if state.sequences.contains_key(qn) {
            return 'S';
        }
        match state.others.get(qn) {
            Some(OtherRelation::View) => 'v',
            Some(OtherRelation::MaterializedView) => 'm',
            Some(OtherRelation::CompositeType) => 'c',
            Some(OtherRelation::OpaqueTable) => 'r',
            None => match state.index_owner.get(qn).and_then(|t| state.tables.get(t)) {
                Some(t) if t.table.partition_by.is_some() => 'I',
                _ => 'i',
            },
        }
    };
    match catalog {
        C::Namespace | C::Schemata => {
            for s in ["pg_catalog", "information_schema"] {
                out.push(row(Item::Schema(s)));
            }
            if catalog == C::Namespace {
                out.push(row(Item::Schema("pg_toast")));
            }
            out.extend(state.schemas.iter().map(|s| row(Item::Schema(s))));
        }
        C::Class | C::Tables | C::Views | C::Matviews | C::Sequences | C::InfoSequences => {
            for qn in state.relations.iter() {
                let kind = kind_of(qn);
                let keep = match catalog {
                    C::Tables => matches!(kind, 'r' | 'p'),
                    C::Views => kind == 'v',
                    C::Matviews => kind == 'm',
                    C::Sequences | C::InfoSequences => kind == 'S',
                    _ => true,
                };
                if keep {
                    out.push(row(Item::Relation(qn, kind)));
                }
            }
        }
        C::InfoTables | C::InfoViews => {
            for qn in state.relations.iter() {
                let kind = kind_of(qn);
                let keep = match catalog {
                    C::InfoViews => kind == 'v',
                    _ => matches!(kind, 'r' | 'p' | 'v'),
                };
                if keep {
                    out.push(row(Item::Relation(qn, kind)));
                }
            }
        }
        C::Indexes => {
            for (index, table) in state.index_owner.iter() {
                out.push(row(Item::Index(index, table)));
            }
        }
        C::Type => {
            for (qn, t) in state.types.types.iter() {
                let kind = match t {
                    UserType::Enum => 'e',
                    UserType::Domain { .. } => 'd',
                    UserType::Composite => 'c',
                    UserType::Range => 'r',
                    UserType::Other => 'b',
                };
                out.push(row(Item::Type(qn, kind)));
            }
        }
        C::Enum => {
            for (qn, e) in state.enums.iter() {
                for (i, label) in e.labels.iter().enumerate() {
                    out.push(row(Item::Label(qn, label, i)));
                }
            }
        }
        C::Constraint | C::InfoTableConstraints => {
            for (qn, t) in state.tables.iter() {
                for (name, c) in &t.table.constraints {
                    let kind = match c.kind {
                        ConstraintKind::PrimaryKey(_) => 'p',
                        ConstraintKind::Unique(_) => 'u',
                        ConstraintKind::ForeignKey(_) => 'f',
                        ConstraintKind::Check(_) => 'c',
                        ConstraintKind::Exclusion(_) => 'x',
                    };
                    if catalog == C::InfoTableConstraints && kind == 'x' {
                        continue;
                    }
                    out.push(row(Item::Constraint {
                        schema: &qn.schema,
                        name,
                        table: Some(qn),
                        kind,
                    }));
                }
            }
            if catalog == C::Constraint {
                for (qn, _) in state.domain_constraints.iter() {
                    out.push(row(Item::Constraint {
                        schema: &qn.schema,
                        name: &qn.name,
                        table: None,
                        kind: 'c',
                    }));
                }
            }
        }
        C::InfoColumns | C::Attribute => {
            for (qn, t) in state.tables.iter() {
                for (i, c) in t.table.columns.iter().enumerate() {
                    out.push(row(Item::Column(qn, c, i)));
                }
            }
        }
        C::Extension => {
            out.extend(state.extensions.keys().map(|e| row(Item::Extension(e))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn information_schema_data_types() {
        let state = State::new(crate::model::PgVersion(15));
        assert_eq!(
            data_type(&state, "character varying(255)"),
            "character varying"
        );
        assert_eq!(
            data_type(&state, "timestamp(3) with time zone"),
            "timestamp with time zone"
        );
        assert_eq!(data_type(&state, "numeric(10,2)"), "numeric");
        assert_eq!(data_type(&state, "integer[]"), "ARRAY");
        assert_eq!(data_type(&state, "public.\"Role\""), "USER-DEFINED");
        assert_eq!(data_type(&state, "interval day to second(3)"), "interval");
        assert_eq!(data_type(&state, "jsonb"), "jsonb");
    }

    #[test]
    fn catalogs_know_their_columns() {
        assert!(Catalog::Namespace.has("nspname"));
        assert!(!Catalog::Namespace.has("nspowner"));
        assert!(Catalog::InfoColumns.has("data_type"));
        assert!(Catalog::Class.has("relkind"));
        assert_eq!(
            Catalog::named(&["information_schema".into(), "schemata".into()]),
            Some(Catalog::Schemata)
        );
        assert_eq!(Catalog::named(&["schemata".into()]), None);
    }
}
