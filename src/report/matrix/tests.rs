use super::resolve::Models;
use super::*;
use crate::model::{Schema, Table};
use crate::report::fixture;

#[test]
fn rows_cover_findings_and_folded_objects() {
    let audit = fixture::audit();
    let matrix = Matrix::build(&audit);
    let labels: Vec<String> = matrix.rows.iter().map(|r| r.label()).collect();
    // Every finding's object has a row, and so does what is folded into a finding.
    for env in &audit.environments {
        for f in env.findings() {
            assert!(
                matrix.rows.iter().any(|r| r.object == f.object),
                "no row for {}",
                f.object
            );
            for folded in &f.folded {
                assert!(matrix.rows.iter().any(|r| r.object == folded.object));
            }
        }
    }
    assert!(labels.contains(&"no column public.users.beta_flag".to_string()));
    assert!(labels.contains(&"table public.workspace_invites".to_string()));
    assert!(labels.contains(&"enum public.InviteStatus".to_string()));
    assert!(labels.contains(
        &"index public.user_sent_invitations_log.idx_sent_invitations_pending".to_string()
    ));
    // Sorted by path.
    let mut sorted = matrix.rows.clone();
    sorted.sort_by(|a, b| (&a.object, a.class).cmp(&(&b.object, b.class)));
    assert_eq!(sorted, matrix.rows);
}

#[test]
fn cells_say_how_each_environment_stands() {
    let audit = fixture::audit();
    let matrix = Matrix::build(&audit);
    let row = |label: &str| {
        matrix
            .rows
            .iter()
            .find(|r| r.label() == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let states = |label: &str| -> Vec<State> { row(label).cells.iter().map(|c| c.state).collect() };
    // dev, prod, staging
    assert_eq!(
        states("no column public.users.beta_flag"),
        [State::Unexpected, State::Matches, State::Matches]
    );
    assert_eq!(
        states("table public.workspace_invites"),
        [State::Matches, State::Missing, State::Matches]
    );
    assert_eq!(
        states("index public.users.users_email_key"),
        [State::Info, State::Matches, State::Matches]
    );
    assert_eq!(
        states("table public.audit_log"),
        [State::Matches, State::Unknown, State::Matches]
    );
    // Folded into the column-type finding: differs too.
    assert_eq!(
        states("index public.user_sent_invitations_log.idx_sent_invitations_pending"),
        [State::Matches, State::Differs, State::Matches]
    );
    // The renamed index's other name is left to the rename.
    let users = ObjectPath::object(&QualifiedName::new("public", "users"));
    assert!(matrix
        .covered
        .contains(&(users.child("IDX_users_email"), ObjectClass::Index)));
}

#[test]
fn partition_paths_resolve_to_the_partition() {
    let mut schema = Schema::default();
    let mut parent = Table {
        partition_by: Some("RANGE (d)".into()),
        ..Default::default()
    };
    parent.partitions.insert(
        QualifiedName::new("archive", "p1"),
        crate::model::Partition {
            bound: "DEFAULT".into(),
            table: Table::default(),
        },
    );
    schema
        .namespace_mut("public")
        .tables
        .insert("t".into(), parent);
    let audit = Audit {
        tool_version: String::new(),
        generated_at: String::new(),
        expected: crate::report::ExpectedSource::new(
            "x",
            &crate::model::Loaded {
                schema,
                ..Default::default()
            },
        ),
        environments: Vec::new(),
    };
    let models = Models::new(&audit);
    let path = ObjectPath::object(&QualifiedName::new("public", "t"))
        .child("archive.p1")
        .child("p1_pkey");
    assert_eq!(
        models.target(&path, ObjectClass::Constraint),
        Target::Constraint {
            table: QualifiedName::new("archive", "p1"),
            name: "p1_pkey".into()
        }
    );
    assert!(models.expected_has(&Target::Partition {
        parent: QualifiedName::new("public", "t"),
        partition: QualifiedName::new("archive", "p1")
    }));
}
