//! Splitting speed: `cargo run --example split_bench [STATEMENTS]` splits a generated file of
//! realistic DDL (tables, indexes, comments, plpgsql functions with dollar quotes, views,
//! COMMENT ON strings) and prints statements per second.

use std::fmt::Write;
use std::time::Instant;

use pgdrift::ddl::split;

fn generate(statements: usize) -> String {
    let mut sql = String::from("-- generated benchmark schema\nSET statement_timeout = 0;\n");
    let mut n = 1;
    let mut i = 0;
    while n < statements {
        let _ = write!(
            sql,
            "\n/* table {i}: /* nested */ comment; with a semicolon */\n\
             CREATE TABLE public.\"Table_{i}\" (\n\
             \x20   id bigserial PRIMARY KEY,\n\
             \x20   name character varying(255) NOT NULL DEFAULT 'it''s; {i}',\n\
             \x20   note text DEFAULT E'line\\nbreak; \\'{i}\\'',\n\
             \x20   created_at timestamp with time zone DEFAULT now(), -- when; inserted\n\
             \x20   status text CHECK (status IN ('a', 'b', 'c'))\n\
             );\n\
             CREATE INDEX idx_table_{i}_name ON public.\"Table_{i}\" (lower(name)) WHERE status <> 'c';\n\
             CREATE OR REPLACE FUNCTION public.touch_{i}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n\
             BEGIN\n\
             \x20   NEW.created_at := now(); -- $$ is not the end\n\
             \x20   RAISE NOTICE 'touched; %', $$quoted; text$$;\n\
             \x20   RETURN NEW;\n\
             END;\n\
             $fn$;\n\
             COMMENT ON TABLE public.\"Table_{i}\" IS 'Table {i}; generated';\n\
             CREATE VIEW public.v_{i} AS SELECT id, name FROM public.\"Table_{i}\" WHERE name <> ';';\n"
        );
        n += 5;
        i += 1;
    }
    sql
}

fn main() {
    let wanted: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = generate(wanted);
    let runs = 5;
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let result = split::split(&text, "bench.sql").expect("the generated file splits");
        best = best.min(start.elapsed().as_secs_f64());
        count = result.statements.len();
    }
    println!(
        "{count} statements, {} KiB, {} lines: best of {runs} runs {:.1} ms = {:.0} statements/s ({:.1} MiB/s)",
        text.len() / 1024,
        text.lines().count(),
        best * 1000.0,
        count as f64 / best,
        text.len() as f64 / best / (1024.0 * 1024.0),
    );
}
