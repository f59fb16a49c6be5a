//! The one-line verdict and the counts every report format shows, so that terminal, JSON
//! and Markdown say the same thing in the same words.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::{Finding, FindingKind, Severity};

use super::Audit;

/// Findings counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }

    pub fn worst(&self) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| self.get(*s) > 0)
    }
}

/// The verdict of an audit: its worst severity and one line saying what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub worst: Option<Severity>,
    /// `✅ READY: no drift (dev matches)`, `❌ NOT READY: prod lacks 2 tables and 5 columns; dev
    /// matches` …
    pub text: String,
}

/// What a finding says about its object, for counting: lacking, differing, unexpected,
/// unseen, or merely named or ordered differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Lacks,
    Differs,
    Unexpected,
    Invisible,
    Info,
}

/// The group of a kind and the noun (singular, plural) its object is counted as.
fn classify(kind: FindingKind) -> (Group, &'static str, &'static str) {
    use FindingKind::*;
    match kind {
        TableMissing => (Group::Lacks, "table", "tables"),
        ColumnMissing => (Group::Lacks, "column", "columns"),
        IndexMissing => (Group::Lacks, "index", "indexes"),
        ConstraintMissing => (Group::Lacks, "constraint", "constraints"),
        EnumMissing => (Group::Lacks, "enum type", "enum types"),
        PartitionMissing => (Group::Lacks, "partition", "partitions"),
        TableUnexpected => (Group::Unexpected, "table", "tables"),
        ColumnUnexpected => (Group::Unexpected, "column", "columns"),
        IndexUnexpected => (Group::Unexpected, "index", "indexes"),
        ConstraintUnexpected => (Group::Unexpected, "constraint", "constraints"),
        EnumUnexpected => (Group::Unexpected, "enum type", "enum types"),
        PartitionUnexpected => (Group::Unexpected, "partition", "partitions"),
        ColumnType | ColumnNullable | ColumnDefault | ColumnIdentity | ColumnGenerated
        | ColumnCollation => (Group::Differs, "column", "columns"),
        IndexDefinition => (Group::Differs, "index", "indexes"),
        ConstraintDefinition => (Group::Differs, "constraint", "constraints"),
        EnumValues => (Group::Differs, "enum type", "enum types"),
        PartitionBound => (Group::Differs, "partition", "partitions"),
        PartitionKey => (Group::Differs, "partitioned table", "partitioned tables"),
        ObjectInvisible => (Group::Invisible, "object", "objects"),
        IndexRenamed => (Group::Info, "renamed index", "renamed indexes"),
        ConstraintRenamed => (Group::Info, "renamed constraint", "renamed constraints"),
        ColumnOrder => (
            Group::Info,
            "table with another column order",
            "tables with another column order",
        ),
    }
}

fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Per noun (ranked, singular): its plural and the distinct objects counted under it.
type Nouns = BTreeMap<(usize, &'static str), (&'static str, BTreeSet<String>)>;

/// The rank of a noun when several are listed: tables before columns before indexes …
fn noun_rank(singular: &str) -> usize {
    const ORDER: &[&str] = &[
        "table",
        "partitioned table",
        "column",
        "index",
        "constraint",
        "enum type",
        "partition",
    ];
    ORDER
        .iter()
        .position(|n| *n == singular)
        .unwrap_or(ORDER.len())
}

/// What one environment's findings amount to, in words: `lacks 2 tables and 5 columns,
/// has 1 differing column, and has 1 unexpected index`. Information (renames, column
/// order) is mentioned only when there is nothing else. `None` when there are no findings.
pub fn environment_phrase<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Option<String> {
    // Distinct objects per group and noun.
    let mut objects: BTreeMap<Group, Nouns> = BTreeMap::new();
    for f in findings {
        let (group, singular, plural) = classify(f.kind);
        objects
            .entry(group)
            .or_default()
            .entry((noun_rank(singular), singular))
            .or_insert_with(|| (plural, BTreeSet::new()))
            .1
            .insert(f.object.to_string());
    }
    if objects.keys().any(|g| *g != Group::Info) {
        objects.remove(&Group::Info);
    }
    if objects.is_empty() {
        return None;
    }
    let parts: Vec<String> = objects
        .iter()
        .map(|(group, nouns)| {
            let adjective = match group {
                Group::Differs => "differing ",
                Group::Unexpected => "unexpected ",
                _ => "",
            };
            let counted: Vec<String> = nouns
                .iter()
                .map(|((_, singular), (plural, list))| {
                    count(
                        list.len(),
                        &format!("{adjective}{singular}"),
                        &format!("{adjective}{plural}"),
                    )
                })
                .collect();
            let verb = match group {
                Group::Lacks => "lacks",
                Group::Invisible => "cannot show",
                Group::Differs | Group::Unexpected | Group::Info => "has",
            };
            format!("{verb} {}", join_and(&counted))
        })
        .collect();
    Some(match parts.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
        [] => String::new(),
    })
}

/// The verdict line of an audit. `❌` when any environment has an error finding, `⚠️`
/// when the worst is a warning, `✅` otherwise (information is not drift).
pub fn verdict(audit: &Audit) -> Verdict {
    let worst = audit.worst();
    let phrases: Vec<String> = audit
        .environments
        .iter()
        .map(|env| match environment_phrase(env.findings()) {
            Some(phrase) => format!("{} {phrase}", env.name),
            None => format!("{} matches", env.name),
        })
        .collect();
    let all = phrases.join("; ");
    // A reviewer reads this first: is it safe to merge or deploy?
    let text = match worst {
        Some(Severity::Error) => format!("❌ NOT READY: {all}"),
        Some(Severity::Warning) => format!("⚠️ READY WITH WARNINGS: {all}"),
        Some(Severity::Info) => format!("✅ READY: no drift ({all})"),
        None if audit.environments.is_empty() => {
            "✅ READY: no drift (no environment compared)".to_string()
        }
        None => format!("✅ READY: no drift ({all})"),
    };
    Verdict { worst, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_classified_under_a_noun() {
        for kind in FindingKind::ALL {
            let (_, singular, plural) = classify(*kind);
            assert!(!singular.is_empty() && plural.len() >= singular.len());
        }
    }

    #[test]
    fn the_verdict_of_the_shared_fixture() {
        let audit = super::super::fixture::audit();
        let v = verdict(&audit);
        assert_eq!(v.worst, Some(Severity::Error));
        insta::assert_snapshot!(v.text);
    }
}
