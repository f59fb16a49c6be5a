//! Properties on rich generated models: `compare(x, x)` is empty, any single change is
//! seen, output is sorted, and every kind can be produced.

use std::collections::BTreeSet;

use super::*;

// ---- compare(x, x) is empty, and a single change is seen, on rich generated models ----

/// A small deterministic generator (xorshift), so the property tests need no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TYPES: &[&str] = &[
    "integer",
    "bigint",
    "text",
    "character varying(255)",
    "timestamp(3) without time zone",
    "numeric(10,2)",
    "public.\"InviteStatus\"",
    "jsonb",
    "text[]",
];

const NAMES: &[&str] = &[
    "id",
    "email",
    "workspaceId",
    "user",
    "Order",
    "created_at",
    "status",
    "a b",
];

fn rich_table(rng: &mut Rng, table_name: &str) -> Table {
    let mut columns: Vec<Column> = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        if i > 0 && rng.chance(30) {
            continue;
        }
        let mut c = col(name, rng.pick(TYPES));
        c.not_null = rng.chance(50);
        match rng.below(5) {
            0 => c.default = Some(format!("'{name}'::text")),
            1 => {
                c.identity = Some(if rng.chance(50) {
                    Identity::Always
                } else {
                    Identity::ByDefault
                })
            }
            2 => {
                c.generated = Some(Generated {
                    expression: format!("(length(\"{name}\") + 1)"),
                    stored: true,
                })
            }
            3 => c.collation = Some("\"C\"".into()),
            _ => {}
        }
        columns.push(c);
    }
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut t = table(columns);
    t.constraints
        .insert(format!("{table_name}_pkey"), pk(&[&names[0]]));
    if names.len() > 1 {
        let mut u = unique(&[&names[1]]);
        if let ConstraintKind::Unique(k) = &mut u.kind {
            k.nulls_not_distinct = rng.chance(50);
            k.include = vec![names[0].clone()];
        }
        u.deferrable = rng.chance(50);
        t.constraints.insert(format!("{table_name}_u"), u);
        let mut f = fk(&[&names[1]], "other", &["id"]);
        if let ConstraintKind::ForeignKey(k) = &mut f.kind {
            k.on_delete = FkAction::SetNull;
            k.on_delete_set_columns = vec![names[1].clone()];
            k.match_type = MatchType::Full;
        }
        f.validated = rng.chance(50);
        t.constraints.insert(format!("{table_name}_fk"), f);
        let mut i = Index::on_columns([names[1].clone()]);
        i.predicate = Some(format!("(\"{}\" IS NOT NULL)", names[1]));
        i.include = vec![names[0].clone()];
        i.storage_parameters = vec!["fillfactor='70'".into()];
        t.indexes.insert(format!("{table_name}_partial_idx"), i);
    }
    t.constraints.insert(
        format!("{table_name}_check"),
        check(&format!("(length((\"{}\")::text) > 0)", names[0])),
    );
    t.constraints.insert(
        format!("{table_name}_excl"),
        Constraint::new(ConstraintKind::Exclusion(Exclusion {
            definition: "USING gist (during WITH &&)".into(),
        })),
    );
    let mut expr = Index::on_columns(Vec::<String>::new());
    expr.method = "gin".into();
    expr.keys.push(IndexKey {
        expr: IndexExpr::Expression(format!("lower(\"{}\")", names[0])),
        collation: Some("\"C\"".into()),
        opclass: Some("text_pattern_ops".into()),
        descending: true,
        nulls_first: false,
    });
    t.indexes.insert(format!("{table_name}_expr_idx"), expr);
    if rng.chance(40) {
        t.partition_by = Some(format!("RANGE (\"{}\")", names[0]));
        for p in 0..rng.below(3) + 1 {
            let mut child = table(t.columns.clone());
            let mut inherited = pk(&[&names[0]]);
            inherited.inherited = true;
            child
                .constraints
                .insert(format!("{table_name}_p{p}_pkey"), inherited);
            child.indexes.insert(
                format!("{table_name}_p{p}_own_idx"),
                Index::on_columns([names[0].clone()]),
            );
            t.partitions.insert(
                QualifiedName::new("public", format!("{table_name}_p{p}")),
                Partition {
                    bound: format!("FOR VALUES FROM ({p}) TO ({})", p + 1),
                    table: child,
                },
            );
        }
    }
    t
}

fn rich_model(seed: u64) -> Loaded {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut loaded = Loaded::default();
    for schema in ["public", "Billing"] {
        for n in 0..rng.below(4) + 1 {
            let name = format!("t{n}_{}", rng.pick(NAMES));
            let t = rich_table(&mut rng, &name);
            loaded.schema.namespace_mut(schema).tables.insert(name, t);
        }
        loaded.schema.namespace_mut(schema).enums.insert(
            "InviteStatus".into(),
            EnumType {
                labels: vec!["PENDING".into(), "it's".into()],
            },
        );
    }
    loaded
}

#[test]
fn a_rich_model_compared_with_itself_has_no_findings() {
    for seed in 1..=60 {
        let x = rich_model(seed);
        assert!(x.schema.tables().count() >= 2);
        let findings = run(&x, &x.clone());
        assert!(findings.is_empty(), "seed {seed}: {:?}", summary(&findings));
    }
}

#[test]
fn a_single_change_to_a_rich_model_is_always_seen() {
    type Change = fn(&mut Table);
    let changes: &[(&str, Change)] = &[
        ("type", |t| t.columns[0].data_type.push_str("[]")),
        ("nullable", |t| {
            t.columns[0].not_null = !t.columns[0].not_null
        }),
        ("default", |t| {
            let c = t.columns.last_mut().unwrap();
            c.generated = None;
            c.identity = None;
            c.default = Some("42".into());
        }),
        ("drop column", |t| {
            t.columns.pop();
        }),
        ("index predicate", |t| {
            for i in t.indexes.values_mut() {
                i.predicate = Some("(x > 1)".into());
            }
        }),
        ("check", |t| {
            for c in t.constraints.values_mut() {
                if let ConstraintKind::Check(k) = &mut c.kind {
                    k.expression.push_str(" AND true");
                }
            }
        }),
        ("drop constraint", |t| {
            t.constraints.pop_first();
        }),
        ("partition", |t| {
            t.partition_by = Some("LIST (id)".into());
        }),
    ];
    for seed in 1..=20 {
        let expected = rich_model(seed);
        for (what, change) in changes {
            let mut actual = expected.clone();
            let (_, table) = actual
                .schema
                .namespaces
                .get_mut("public")
                .unwrap()
                .tables
                .iter_mut()
                .next()
                .unwrap();
            change(table);
            let findings = run(&expected, &actual);
            assert!(
                !findings.is_empty(),
                "seed {seed}: change `{what}` not seen"
            );
            let tables: BTreeSet<String> = findings
                .iter()
                .map(|f| f.object.top_object().to_string())
                .collect();
            assert_eq!(
                tables.len(),
                1,
                "seed {seed} `{what}`: {:?}",
                summary(&findings)
            );
        }
    }
}

#[test]
fn findings_are_sorted_by_object_then_kind_and_stamped() {
    let x = rich_model(7);
    let mut y = x.clone();
    for ns in y.schema.namespaces.values_mut() {
        for t in ns.tables.values_mut() {
            for c in &mut t.columns {
                c.data_type = "text".into();
                c.not_null = !c.not_null;
            }
        }
    }
    let findings = run(&x, &y);
    assert!(findings.len() > 5);
    assert!(findings
        .windows(2)
        .all(|w| w[0].sort_key() <= w[1].sort_key()));
    assert!(findings.iter().all(|f| f.environment == "prod"));
    assert!(findings.iter().all(|f| f.severity == f.kind.severity()));
}

#[test]
fn every_kind_can_be_produced() {
    let mut seen: BTreeSet<FindingKind> = BTreeSet::new();
    let mut record = |e: &Loaded, a: &Loaded| {
        for f in run(e, a).into_iter().chain(run(a, e)) {
            seen.insert(f.kind);
        }
    };
    // Tables, columns (every property), order, indexes and constraints in all states.
    let mut g = col("g", "integer");
    g.generated = Some(Generated {
        expression: "(a + 1)".into(),
        stored: true,
    });
    let mut d = not_null(col("d", "bigint"));
    d.identity = Some(Identity::Always);
    let mut e = col("e", "text");
    e.collation = Some("\"C\"".into());
    let base = with_index(
        with_index(
            with_constraint(
                with_constraint(
                    table(vec![
                        col("a", "integer"),
                        not_null(col("b", "text")),
                        default(col("c", "text"), "'x'::text"),
                        d,
                        e,
                        g,
                        col("gone", "text"),
                    ]),
                    "t_a_check",
                    check("(a > 0)"),
                ),
                "t_b_key",
                unique(&["b"]),
            ),
            "t_a_idx",
            Index::on_columns(["a"]),
        ),
        "t_c_idx",
        Index::on_columns(["c"]),
    );
    let mut changed = with_index(
        with_constraint(
            with_constraint(
                table(vec![
                    col("b", "text"),
                    col("a", "bigint"),
                    col("c", "text"),
                    col("d", "bigint"),
                    col("e", "text"),
                    col("g", "integer"),
                ]),
                "t_a_check",
                check("(a > 1)"),
            ),
            "t_b_uniq",
            unique(&["b"]),
        ),
        "t_a_idx",
        {
            let mut i = Index::on_columns(["a"]);
            i.unique = true;
            i
        },
    );
    changed
        .constraints
        .insert("t_extra_check".into(), check("(c <> '')"));
    changed
        .indexes
        .insert("t_c_renamed".into(), Index::on_columns(["c"]));
    changed
        .indexes
        .insert("t_extra_idx".into(), Index::on_columns(["d"]));
    record(
        &schema_of(vec![
            ("t", base),
            ("only_expected", table(vec![col("x", "integer")])),
        ]),
        &schema_of(vec![("t", changed)]),
    );
    // Partitions and enums.
    let mut keyed = partitioned(vec![]);
    keyed.partition_by = Some("LIST (id)".into());
    record(
        &schema_of(vec![(
            "payment",
            partitioned(vec![
                ("p1", JAN, partition_table()),
                ("p2", FEB, partition_table()),
            ]),
        )]),
        &schema_of(vec![(
            "payment",
            partitioned(vec![("p1", FEB, partition_table())]),
        )]),
    );
    record(
        &schema_of(vec![("payment", partitioned(vec![]))]),
        &schema_of(vec![("payment", keyed)]),
    );
    record(
        &enum_schema("E", &["a", "b"]),
        &enum_schema("E", &["b", "a"]),
    );
    record(&enum_schema("E", &["a"]), &Loaded::default());
    // Invisible.
    let mut hidden = Loaded::default();
    hidden
        .notes
        .push(Note::invisible(q("h"), "permission denied"));
    record(&schema_of(vec![("h", table(vec![]))]), &hidden);

    let missing: Vec<&str> = FindingKind::ALL
        .iter()
        .filter(|k| !seen.contains(k))
        .map(|k| k.as_str())
        .collect();
    assert!(missing.is_empty(), "kinds never produced: {missing:?}");
}
