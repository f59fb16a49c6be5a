//! Error messages for bad documents, as a user sees them (file:line:column: message).

use crate::yaml::{read, YamlError};

fn error(text: &str) -> YamlError {
    match read(text, "models.yaml") {
        Ok(ok) => panic!("expected an error, got {ok:?}"),
        Err(e) => e,
    }
}

const CASES: &[(&str, &str)] = &[
    (
        "unknown_key",
        "tables:
  users:
    columns:
      - {name: id, type: serial, primary_key: true}
      - {name: email, type: text}
      - {name: token, type: text, nullabel: false}
",
    ),
    (
        "wrong_type_boolean",
        "tables:
  users:
    columns:
      - {name: email, type: text, unique: yes}
",
    ),
    (
        "wrong_type_columns",
        "tables:
  users:
    columns: {name: id, type: integer}
",
    ),
    (
        "bad_indentation",
        "tables:
  users:
    columns:
      - {name: id, type: integer}
     indexes: []
",
    ),
    (
        "bad_indentation_of_a_key",
        "tables:
  users:
    columns:
      - name: id
         type: integer
",
    ),
    ("tab", "tables:\n\tusers:\n\t\tcolumns: []\n"),
    (
        "duplicate_key",
        "tables:
  users:
    columns: []
  users:
    columns: []
",
    ),
    ("empty_file", ""),
    ("only_comments", "# nothing here yet\n"),
    ("top_level_list", "- users\n- orders\n"),
    (
        "missing_type",
        "tables:
  users:
    columns:
      - {name: id}
",
    ),
    (
        "unterminated_flow",
        "tables:
  users:
    columns:
      - {name: id, type: integer
",
    ),
    (
        "unterminated_quote",
        "tables:
  users:
    columns:
      - {name: id, type: integer, default: 'x}
",
    ),
    (
        "second_document",
        "tables: {}
---
tables: {}
",
    ),
    (
        "future_format",
        "pgdrift: {format: 2}
tables: {}
",
    ),
    (
        "canonical_with_shorthand",
        "pgdrift: {format: 1, canonical: true}
schemas:
  public:
    tables:
      users:
        columns:
          - {name: id, type: integer, not_null: true, primary_key: true}
",
    ),
    (
        "canonical_with_sql_references",
        "pgdrift: {format: 1, canonical: true}
schemas:
  public:
    tables:
      users:
        columns:
          - {name: org_id, type: integer}
        constraints:
          users_org_id_fkey: {foreign_key: [org_id], references: orgs(id)}
",
    ),
    (
        "canonical_unnamed_index",
        "pgdrift: {format: 1, canonical: true}
schemas:
  public:
    tables:
      users:
        columns:
          - {name: email, type: text}
        indexes:
          - {columns: [email]}
",
    ),
    (
        "unknown_column_in_key",
        "tables:
  users:
    columns:
      - {name: id, type: integer}
    primary_key: [idd]
",
    ),
    (
        "unknown_column_in_index",
        "tables:
  users:
    columns:
      - {name: email, type: text}
    indexes:
      - {columns: [emial]}
",
    ),
    (
        "two_constraint_kinds",
        "tables:
  users:
    columns:
      - {name: id, type: integer}
    constraints:
      users_id: {primary_key: [id], unique: [id]}
",
    ),
    (
        "nullable_primary_key",
        "tables:
  users:
    columns:
      - {name: id, type: integer, primary_key: true, nullable: true}
",
    ),
    (
        "unknown_action",
        "tables:
  users:
    columns:
      - {name: org_id, type: integer, references: orgs(id), on_delete: nothing}
",
    ),
    (
        "unique_mixes_names_and_lists",
        "tables:
  users:
    columns:
      - {name: a, type: integer}
      - {name: b, type: integer}
    unique: [[a], b]
",
    ),
    (
        "notes_in_hand_written_file",
        "notes: []
tables: {}
",
    ),
    (
        "unknown_top_level_key",
        "table:
  users:
    columns: []
",
    ),
    (
        "column_twice",
        "tables:
  users:
    columns:
      - {name: id, type: integer}
      - {name: id, type: bigint}
",
    ),
    (
        "unknown_alias",
        "tables:
  users: *base
",
    ),
    (
        "tagged_value",
        "tables:
  users: !table {columns: []}
",
    ),
    (
        "table_without_columns",
        "tables:
  users:
    indexes:
      - {columns: [email]}
",
    ),
    (
        "default_lost_its_quotes",
        "tables:
  users:
    columns:
      - {name: kind, type: text, default: 'brand'}
",
    ),
    (
        "bad_partition_name",
        "pgdrift: {canonical: true}
schemas:
  public:
    tables:
      t:
        columns: []
        partition_by: RANGE (a)
        partitions:
          a.b.c: {bound: DEFAULT, columns: []}
",
    ),
];

#[test]
fn bad_documents_give_located_messages() {
    let mut out = String::new();
    for (name, text) in CASES {
        let e = error(text);
        assert!(e.line >= 1, "{name}: no line in {e:?}");
        out.push_str(&format!("{name}:\n  {e}\n  path: {:?}\n", e.path));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_brief_example_reads_as_promised() {
    let e = error(CASES[0].1);
    assert_eq!((e.line, e.column), (6, 35));
    assert_eq!(e.path, "tables.users.columns[2]");
    assert!(e.to_string().starts_with(
        "models.yaml:6:35: unknown key 'nullabel' in tables.users.columns[2] (expected one of: name, type, nullable,"
    ), "{e}");
    assert!(e.to_string().ends_with("did you mean 'nullable'?"), "{e}");
}

#[test]
fn random_token_soup_never_panics() {
    // A deterministic xorshift generator; documents built from the format's own words and
    // YAML's punctuation, read both as hand-written files and as snapshots.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let tokens = [
        "tables",
        "schemas",
        "public",
        "columns",
        "constraints",
        "indexes",
        "partitions",
        "partition_by",
        "bound",
        "name",
        "type",
        "not_null",
        "nullable",
        "default",
        "unique",
        "primary_key",
        "references",
        "foreign_key",
        "check",
        "checks",
        "foreign_keys",
        "exclude",
        "include",
        "where",
        "using",
        "with",
        "inherited",
        "identity",
        "generated",
        "expression",
        "column",
        "order",
        "nulls",
        "enums",
        "pgdrift",
        "canonical",
        "format",
        "notes",
        "recorded_migrations",
        "table",
        "id",
        "true",
        "false",
        "1",
        "~",
        "users(id)",
        "a.b",
        "\"x\"",
        "'y'",
        ": ",
        ", ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\n",
        "\n  ",
        "\n    ",
        "&a ",
        "*a",
        "<<: ",
        "#",
        "\t",
        "!",
        "|",
        ">",
        "?",
        "---",
        "\"",
    ];
    for round in 0..4000 {
        let len = (next() % 40) as usize;
        let mut text = String::new();
        if round % 2 == 0 {
            text.push_str("pgdrift: {canonical: true}\n");
        }
        for _ in 0..len {
            text.push_str(tokens[(next() % tokens.len() as u64) as usize]);
        }
        let _ = read(&text, "soup.yaml");
    }
}

#[test]
fn odd_bytes_are_errors_or_read_fine() {
    for text in [
        "\0",
        "a: \0",
        "\u{feff}tables: {}",
        "a: \u{1}",
        "\r\n\r\n",
        "{",
        "}",
        "]",
        "? x",
    ] {
        let _ = read(text, "odd.yaml");
    }
    let long = format!(
        "tables: {{t: {{columns: [{}]}}}}",
        "{name: c, type: int}, ".repeat(5000)
    );
    assert!(read(&long, "long.yaml").is_err()); // duplicate column c
                                                // Windows line ends read like Unix ones, with the same lines.
    let unix =
        include_str!("../../../tests/fixtures/scenarios/hand-made-tables/intended/models.yaml");
    let windows = unix.replace('\n', "\r\n");
    assert_eq!(
        read(unix, "m.yaml").unwrap(),
        read(&windows, "m.yaml").unwrap()
    );
}

#[test]
fn no_input_panics() {
    // Truncations and byte flips of a valid document: every one reads or errors, never panics.
    let valid =
        include_str!("../../../tests/fixtures/scenarios/hand-made-tables/intended/models.yaml");
    for end in 0..valid.len() {
        if valid.is_char_boundary(end) {
            let _ = read(&valid[..end], "cut.yaml");
        }
    }
    let bytes = valid.as_bytes();
    let replacements = [
        b'\t', b'"', b'\'', b'{', b'[', b':', b'-', b'#', b'&', b'*', b'!', b'\n', b' ',
    ];
    for (i, r) in (0..bytes.len()).step_by(7).zip(replacements.iter().cycle()) {
        let mut copy = bytes.to_vec();
        copy[i] = *r;
        if let Ok(text) = String::from_utf8(copy) {
            let _ = read(&text, "flipped.yaml");
        }
    }
}
