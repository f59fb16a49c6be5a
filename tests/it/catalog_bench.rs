//! The 2,000-table benchmark (ignored by default: building the database takes a minute or
//! two). `cargo test --test it catalog_bench -- --ignored --nocapture` builds it on the test
//! server, checks every object against the server's own rendering, and prints the median
//! read time and round trips.

use std::time::Instant;

use pgdrift::catalog::ReadOptions;

use crate::catalog_common::{runtime, session};
use crate::catalog_oracle::{compare_with_server, flat_tables};
use crate::harness::fresh_db;

/// 2,000 tables of 12 columns: serial key, varchar, enum and jsonb columns with defaults,
/// two checks, a unique constraint, a foreign key to the previous table, and five indexes
/// (multi-column DESC, unique partial expression, non-default operator class, gin, plain).
pub fn bench_sql(tables: usize) -> String {
    let mut sql =
        String::from("CREATE TYPE public.status AS ENUM ('active', 'suspended', 'deleted');\n");
    for i in 1..=tables {
        let reference = if i > 1 {
            format!("REFERENCES public.t{} (id) ON DELETE SET NULL", i - 1)
        } else {
            String::new()
        };
        sql.push_str(&format!(
            "CREATE TABLE public.t{i} (id bigserial PRIMARY KEY, tenant_id int NOT NULL, name varchar(255) NOT NULL, \
             email text, status public.status NOT NULL DEFAULT 'active', kind text DEFAULT 'x' CHECK (kind IN ('x', 'y', 'z')), \
             created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz, \
             amount numeric(10,2) DEFAULT 0 CHECK (amount >= 0), data jsonb DEFAULT '{{}}'::jsonb, \
             parent_id bigint {reference}, code varchar(32) UNIQUE);\n\
             CREATE INDEX ON public.t{i} (tenant_id, created_at DESC);\n\
             CREATE UNIQUE INDEX ON public.t{i} (lower(email)) WHERE email IS NOT NULL;\n\
             CREATE INDEX ON public.t{i} (name varchar_pattern_ops);\n\
             CREATE INDEX ON public.t{i} USING gin (data);\n\
             CREATE INDEX ON public.t{i} (parent_id);\n"
        ));
    }
    sql
}

#[test]
#[ignore = "builds a 2,000-table database; run explicitly"]
fn two_thousand_tables() {
    let db = fresh_db("catalog_bench");
    let file = std::env::temp_dir().join(format!("pgdrift-bench-{}.sql", std::process::id()));
    std::fs::write(&file, bench_sql(2000)).unwrap();
    let started = Instant::now();
    db.load_file(&file);
    let _ = std::fs::remove_file(&file);
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());

    let rt = runtime();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..7 {
        // A fresh session each time: a first read has cold caches, as a real run has.
        let s = session(&rt, &db.url());
        let before = s.round_trips();
        let started = Instant::now();
        let loaded = rt.block_on(s.read(&ReadOptions::default())).unwrap();
        times.push(started.elapsed());
        assert_eq!(s.round_trips() - before, 2);
        last = Some(loaded);
    }
    times.sort();
    let loaded = last.unwrap();
    let tables = flat_tables(&loaded);
    let indexes: usize = tables.iter().map(|t| t.table.indexes.len()).sum();
    let constraints: usize = tables.iter().map(|t| t.table.constraints.len()).sum();
    let columns: usize = tables.iter().map(|t| t.table.columns.len()).sum();
    eprintln!(
        "PostgreSQL {}: {} tables, {columns} columns, {constraints} constraints, {indexes} indexes; \
         read (connect excluded) median of 7: {:.0} ms, min {:.0} ms, 2 round trips",
        db.server.major(),
        tables.len(),
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
    );
    let problems = compare_with_server(&db, &loaded);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
