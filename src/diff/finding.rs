//! What a comparison yields: `Finding`s, their stable kinds, severities and object paths,
//! and the exit-status rule (`FailOn`) a CI job gates on.

use std::fmt;

use crate::model::QualifiedName;

/// How much a finding matters. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Information, not drift: column order, names of otherwise identical objects.
    Info,
    /// Drift that rarely breaks an application: unexpected objects, default differences.
    Warning,
    /// Drift the application may depend on: missing objects, type, nullability,
    /// identity, generated, constraint and index definition differences.
    Error,
}

impl Severity {
    /// Every severity, most severe first (the order reports list them in).
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The stable lower-case word used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! finding_kinds {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, $severity:ident; )*) => {
        /// The class of a difference. The kebab-case strings are a stable contract: CI users
        /// filter on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingKind {
            $( $(#[$doc])* $variant, )*
        }

        impl FindingKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [FindingKind] = &[$(FindingKind::$variant),*];

            /// The stable kebab-case name (`table-missing`, `column-type` …).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingKind::$variant => $text,)*
                }
            }

            /// The severity every finding of this kind has.
            pub fn severity(self) -> Severity {
                match self {
                    $(FindingKind::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

finding_kinds! {
    /// A table of the expected schema is absent.
    TableMissing = "table-missing", Error;
    /// A table the expected schema does not define.
    TableUnexpected = "table-unexpected", Warning;
    ColumnMissing = "column-missing", Error;
    ColumnUnexpected = "column-unexpected", Warning;
    ColumnType = "column-type", Error;
    ColumnNullable = "column-nullable", Error;
    ColumnDefault = "column-default", Warning;
    ColumnIdentity = "column-identity", Error;
    ColumnGenerated = "column-generated", Error;
    /// The column's collation differs (`COLLATE "C"` versus the type's default).
    ColumnCollation = "column-collation", Error;
    ColumnOrder = "column-order", Info;
    IndexMissing = "index-missing", Error;
    IndexUnexpected = "index-unexpected", Warning;
    IndexDefinition = "index-definition", Error;
    IndexRenamed = "index-renamed", Info;
    ConstraintMissing = "constraint-missing", Error;
    ConstraintUnexpected = "constraint-unexpected", Warning;
    ConstraintDefinition = "constraint-definition", Error;
    ConstraintRenamed = "constraint-renamed", Info;
    /// A table is partitioned differently (`PARTITION BY …`, or partitioned on one side only).
    PartitionKey = "partition-key", Error;
    PartitionMissing = "partition-missing", Error;
    PartitionUnexpected = "partition-unexpected", Warning;
    PartitionBound = "partition-bound", Error;
    EnumMissing = "enum-missing", Error;
    EnumUnexpected = "enum-unexpected", Warning;
    /// The labels of an enum differ, in membership or in order.
    EnumValues = "enum-values", Error;
    /// An object the connecting role cannot see: neither missing nor matching, unknown.
    ObjectInvisible = "object-invisible", Warning;
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is: `schema.table`, `schema.table.column`, `schema.table.index_name`,
/// `schema.enum`, `schema.table.partition` … Each part is an exact name (case kept, never
/// quoted), so paths sort and compare part by part.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectPath {
    parts: Vec<String>,
}

impl ObjectPath {
    /// The path of a schema-level object: a table or a type.
    pub fn object(name: &QualifiedName) -> ObjectPath {
        ObjectPath {
            parts: vec![name.schema.clone(), name.name.clone()],
        }
    }

    /// This path extended by one part (a column, index, constraint or partition name).
    pub fn child(&self, name: impl Into<String>) -> ObjectPath {
        let mut parts = self.parts.clone();
        parts.push(name.into());
        ObjectPath { parts }
    }

    /// The exact names this path is made of.
    pub fn parts(&self) -> &[String] {
        &self.parts
    }

    /// The schema-level object (table or type) this path is in.
    pub fn top_object(&self) -> QualifiedName {
        QualifiedName::new(
            self.parts.first().cloned().unwrap_or_default(),
            self.parts.get(1).cloned().unwrap_or_default(),
        )
    }

    /// Whether `self` is `other` or lies under it.
    pub fn starts_with(&self, other: &ObjectPath) -> bool {
        self.parts.starts_with(&other.parts)
    }
}

/// Object paths print unquoted with case kept: `public.users.email`.
impl fmt::Display for ObjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.parts.join("."))
    }
}

/// A reference to another finding of the same comparison: its kind and object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingRef {
    pub kind: FindingKind,
    pub object: ObjectPath,
}

impl fmt::Display for FindingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.object)
    }
}

/// A difference that would have been a finding of its own but is part of another one:
/// an index of a missing column, a default rendered differently only because the column's
/// type differs, the nullability of a column that should be generated. Remediation uses
/// these to repair everything the finding stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Folded {
    pub kind: FindingKind,
    pub object: ObjectPath,
    pub expected: Option<String>,
    pub actual: Option<String>,
}

/// One difference for one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// The environment (database) the difference is in: `dev`, `prod` …
    pub environment: String,
    pub object: ObjectPath,
    /// What the expected schema has, as PostgreSQL would print it (`None`: nothing).
    pub expected: Option<String>,
    /// What the environment has (`None`: nothing).
    pub actual: Option<String>,
    /// One line for a human: what differs.
    pub message: String,
    /// Further lines: the children of a missing table, the objects folded into this finding,
    /// which parts of a definition differ.
    pub details: Vec<String>,
    /// The differences this finding stands for besides its own.
    pub folded: Vec<Folded>,
    /// The finding this one follows from, when it is a consequence of another.
    pub caused_by: Option<FindingRef>,
}

impl Finding {
    /// A finding of `kind` with its kind's severity and nothing else set.
    pub fn new(kind: FindingKind, object: ObjectPath, message: impl Into<String>) -> Finding {
        Finding {
            kind,
            severity: kind.severity(),
            environment: String::new(),
            object,
            expected: None,
            actual: None,
            message: message.into(),
            details: Vec::new(),
            folded: Vec::new(),
            caused_by: None,
        }
    }

    pub fn expected(mut self, text: Option<String>) -> Finding {
        self.expected = text;
        self
    }

    pub fn actual(mut self, text: Option<String>) -> Finding {
        self.actual = text;
        self
    }

    pub fn details(mut self, details: Vec<String>) -> Finding {
        self.details = details;
        self
    }

    pub fn caused_by(mut self, cause: Option<FindingRef>) -> Finding {
        self.caused_by = cause;
        self
    }

    /// This finding as something another one can point at.
    pub fn reference(&self) -> FindingRef {
        FindingRef {
            kind: self.kind,
            object: self.object.clone(),
        }
    }

    /// The order reports and JSON list findings in: environment, object path, kind.
    pub fn sort_key(&self) -> (&str, &ObjectPath, &'static str) {
        (&self.environment, &self.object, self.kind.as_str())
    }
}

/// The most severe of `findings`, if any.
pub fn worst<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Option<Severity> {
    findings.into_iter().map(|f| f.severity).max()
}

/// Which findings make a run fail (exit status 1), as `--fail-on` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Fail on any error finding (the default).
    #[default]
    Error,
    /// Fail on any warning or error finding.
    Warning,
    /// Never fail because of findings.
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = String;

    /// `error`, `warning` or `never`, as `--fail-on` takes them.
    fn from_str(s: &str) -> Result<FailOn, String> {
        match s {
            "error" => Ok(FailOn::Error),
            "warning" => Ok(FailOn::Warning),
            "never" => Ok(FailOn::Never),
            other => Err(format!(
                "unknown --fail-on value `{other}` (expected error, warning or never)"
            )),
        }
    }
}

impl FailOn {
    /// Whether `findings` hold drift at or above this threshold.
    pub fn fails<'a>(&self, findings: impl IntoIterator<Item = &'a Finding>) -> bool {
        let threshold = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Never => return false,
        };
        worst(findings).is_some_and(|w| w >= threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_kebab_case_and_unique() {
        let mut names: Vec<&str> = FindingKind::ALL.iter().map(|k| k.as_str()).collect();
        for name in &names {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FindingKind::ALL.len());
    }

    #[test]
    fn severities_follow_the_contract() {
        assert_eq!(FindingKind::TableMissing.severity(), Severity::Error);
        assert_eq!(FindingKind::ColumnDefault.severity(), Severity::Warning);
        assert_eq!(FindingKind::ColumnUnexpected.severity(), Severity::Warning);
        assert_eq!(FindingKind::IndexRenamed.severity(), Severity::Info);
        assert_eq!(FindingKind::ColumnOrder.severity(), Severity::Info);
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Error);
    }

    #[test]
    fn paths_print_unquoted_and_sort_part_by_part() {
        let table = ObjectPath::object(&QualifiedName::new("public", "Users"));
        let column = table.child("email");
        assert_eq!(column.to_string(), "public.Users.email");
        assert!(table < column);
        assert!(column.starts_with(&table));
        let other = ObjectPath::object(&QualifiedName::new("public", "Users_x"));
        assert!(column < other);
    }

    #[test]
    fn fail_on_thresholds() {
        let warning = Finding::new(
            FindingKind::ColumnUnexpected,
            ObjectPath::object(&QualifiedName::new("public", "t")).child("c"),
            "",
        );
        let error = Finding::new(
            FindingKind::TableMissing,
            ObjectPath::object(&QualifiedName::new("public", "t")),
            "",
        );
        let warnings = vec![warning.clone()];
        let both = vec![warning, error];
        assert!(!FailOn::Error.fails(&warnings));
        assert!(FailOn::Warning.fails(&warnings));
        assert!(FailOn::Error.fails(&both));
        assert!(!FailOn::Never.fails(&both));
        assert!(!FailOn::Warning.fails(&[]));
        assert_eq!(worst(&both), Some(Severity::Error));
        assert_eq!(worst(&[]), None);
        assert_eq!("warning".parse::<FailOn>(), Ok(FailOn::Warning));
        assert!("errors".parse::<FailOn>().is_err());
    }
}
