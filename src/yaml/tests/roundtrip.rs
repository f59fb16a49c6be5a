//! write → read gives back the model it was written from; writing is deterministic; the
//! JSON form is the same document.

use super::fixture::rich_model;
use crate::model::{Loaded, PgVersion};
use crate::yaml::{read, read_meta, to_json, write, write_json, SnapshotMeta, YamlSource};

fn meta() -> SnapshotMeta {
    SnapshotMeta {
        source: Some("postgres://auditor:s3cret-Pa55@db.example:5432/prod".into()),
        server_version_num: Some(150018),
        generated_at: None,
    }
}

fn read_canonical(text: &str) -> Loaded {
    match read(text, "snapshot.yaml") {
        Ok(YamlSource::Canonical(loaded)) => loaded,
        Ok(other) => panic!("not read as a snapshot: {other:?}"),
        Err(e) => panic!("{e}\n---\n{text}"),
    }
}

#[test]
fn rich_model_round_trips() {
    let model = rich_model();
    let text = write(&model, &meta());
    assert_eq!(read_canonical(&text), model, "\n{text}");
}

#[test]
fn empty_model_round_trips() {
    let model = Loaded::default();
    let text = write(&model, &SnapshotMeta::default());
    assert_eq!(read_canonical(&text), model, "\n{text}");
}

#[test]
fn writing_is_deterministic() {
    let a = write(&rich_model(), &meta());
    let b = write(&rich_model(), &meta());
    assert_eq!(a, b);
    // A second round gives the same text again.
    let again = write(&read_canonical(&a), &meta());
    assert_eq!(a, again);
}

#[test]
fn snapshot_text_is_stable() {
    insta::assert_snapshot!(write(&rich_model(), &meta()));
}

#[test]
fn header_carries_meta_without_password() {
    let text = write(&rich_model(), &meta());
    assert!(!text.contains("s3cret"), "{text}");
    let read_back = read_meta(&text, "snapshot.yaml").unwrap().unwrap();
    assert_eq!(
        read_back.source.as_deref(),
        Some("postgres://auditor@db.example:5432/prod")
    );
    assert_eq!(read_back.server_version_num, Some(150018));
    let with_time = SnapshotMeta {
        generated_at: Some("2024-05-01T12:00:00Z".into()),
        ..meta()
    };
    let text = write(&rich_model(), &with_time);
    assert_eq!(text.matches("2024-05-01T12:00:00Z").count(), 1);
    assert_eq!(read_canonical(&text), rich_model());
}

#[test]
fn the_model_version_wins_over_a_disagreeing_meta() {
    let mut model = rich_model();
    model.server_version = Some(PgVersion(16));
    let text = write(&model, &meta()); // meta says 15.18
    assert_eq!(read_canonical(&text).server_version, Some(PgVersion(16)));
    model.server_version = None;
    let text = write(&model, &meta());
    assert_eq!(read_canonical(&text).server_version, None);
}

#[test]
fn json_is_the_same_document() {
    let model = rich_model();
    let yaml = write(&model, &meta());
    let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).unwrap();
    assert_eq!(from_yaml, to_json(&model, &meta()));
}

#[test]
fn streamed_json_is_the_same_document_in_yaml_key_order() {
    let model = rich_model();
    let mut out = Vec::new();
    write_json::<()>(&model, &meta(), None, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value, to_json(&model, &meta()));
    // The header comes first and the schemas after it, as in the YAML.
    assert!(text.find("\"pgdrift\"").unwrap() < text.find("\"schemas\"").unwrap());

    let order = serde_json::json!({"layout": "plain"});
    let mut out = Vec::new();
    write_json(&model, &meta(), Some(&order), &mut out).unwrap();
    let mut with_order: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(with_order["order"], order);
    with_order.as_object_mut().unwrap().remove("order");
    assert_eq!(with_order, to_json(&model, &meta()));
}

#[test]
fn streamed_json_keeps_a_closed_pipe_a_closed_pipe() {
    // `pgdrift inspect … --format json | head` ends quietly only if the kind survives.
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let e = write_json::<()>(&rich_model(), &meta(), None, &mut Closed).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
}

#[test]
fn a_snapshot_read_by_another_yaml_parser_has_the_same_strings() {
    // Every name and SQL text survives any YAML reader, not only ours.
    let model = rich_model();
    let yaml = write(&model, &meta());
    let value: serde_json::Value = serde_norway::from_str(&yaml).unwrap();
    let users = &value["schemas"]["public"]["tables"]["users"];
    assert_eq!(users["columns"][15]["name"], "null");
    assert_eq!(users["columns"][16]["name"], "5");
    assert_eq!(users["columns"][14]["name"], "a: b # c");
    assert_eq!(
        value["schemas"]["public"]["enums"]["odd labels"][0],
        serde_json::Value::String("yes".into())
    );
}
