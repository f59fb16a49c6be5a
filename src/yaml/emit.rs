//! Laying out a serialised `Document` as YAML text: block style for the containers
//! (schemas, tables, partitions, the lists of columns, constraints and indexes) and one flow
//! line per leaf object (a column, a constraint, an index, an enum), so a snapshot diffs
//! one line per changed object and reads like a hand-written file.

use serde_norway::Value;

use super::scalar::scalar;

/// How the value under a key is laid out, decided by where it sits in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Root,
    /// `schemas:` — each value is a `Namespace`.
    Schemas,
    Namespace,
    /// `tables:` / `partitions:` — each value is a `Table`.
    Tables,
    Table,
    /// A block mapping or list whose entries are each one flow line.
    LinesOfFlow,
    /// `recorded_migrations:` — a list of small block mappings.
    Recorded,
    RecordedItem,
    Flow,
}

fn child(parent: Layout, key: &str) -> Layout {
    match (parent, key) {
        (Layout::Root, "schemas") => Layout::Schemas,
        (Layout::Root | Layout::Namespace, "tables") => Layout::Tables,
        (Layout::Root | Layout::Namespace, "enums") => Layout::LinesOfFlow,
        (Layout::Root, "notes") => Layout::LinesOfFlow,
        (Layout::Root, "recorded_migrations") => Layout::Recorded,
        (Layout::Schemas, _) => Layout::Namespace,
        (Layout::Tables, _) => Layout::Table,
        (Layout::Table, "columns" | "constraints" | "indexes") => Layout::LinesOfFlow,
        (Layout::Table, "partitions") => Layout::Tables,
        (Layout::Recorded, _) => Layout::RecordedItem,
        (Layout::RecordedItem, "applied") => Layout::LinesOfFlow,
        _ => Layout::Flow,
    }
}

/// The YAML text of `value` (a serialised `Document`), after the `comment` lines.
pub(crate) fn emit(value: &Value, comment: &[&str]) -> String {
    let mut out = String::new();
    for line in comment {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    match value {
        Value::Mapping(map) if !map.is_empty() => block_map(&mut out, map, Layout::Root, 0),
        other => {
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => scalar(s),
        other => flow(other),
    }
}

fn is_block(layout: Layout, value: &Value) -> bool {
    let container = match value {
        Value::Mapping(m) => !m.is_empty(),
        Value::Sequence(s) => !s.is_empty(),
        _ => false,
    };
    container && layout != Layout::Flow
}

fn block_map(out: &mut String, map: &serde_norway::Mapping, layout: Layout, level: usize) {
    for (key, value) in map {
        let k = match key {
            Value::String(s) => s.as_str(),
            _ => "",
        };
        let layout = child(layout, k);
        indent(out, level);
        out.push_str(&key_text(key));
        out.push(':');
        block_value(out, value, layout, level);
    }
}

fn block_seq(out: &mut String, items: &[Value], layout: Layout, level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        let item_layout = child(layout, "");
        match item {
            Value::Mapping(m) if item_layout == Layout::RecordedItem && !m.is_empty() => {
                // `- key: value` then the other keys aligned under the first.
                let mut first = true;
                for (key, value) in m {
                    let k = match key {
                        Value::String(s) => s.as_str(),
                        _ => "",
                    };
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, level + 1);
                    }
                    out.push_str(&key_text(key));
                    out.push(':');
                    block_value(out, value, child(item_layout, k), level + 1);
                }
            }
            other => {
                out.push(' ');
                out.push_str(&flow(other));
                out.push('\n');
            }
        }
    }
}

/// The rest of a `key:` line and, for block values, the lines under it.
fn block_value(out: &mut String, value: &Value, layout: Layout, level: usize) {
    if !is_block(layout, value) {
        out.push(' ');
        out.push_str(&flow(value));
        out.push('\n');
        return;
    }
    out.push('\n');
    match value {
        Value::Mapping(m) if layout == Layout::LinesOfFlow => {
            for (key, v) in m {
                indent(out, level + 1);
                out.push_str(&key_text(key));
                out.push_str(": ");
                out.push_str(&flow(v));
                out.push('\n');
            }
        }
        Value::Mapping(m) => block_map(out, m, layout, level + 1),
        Value::Sequence(items) => block_seq(out, items, layout, level + 1),
        _ => {}
    }
}

/// A value on one line: `{name: id, type: integer}`, `[a, b]`, a scalar.
fn flow(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Mapping(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", key_text(k), flow(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Tagged(t) => flow(&t.value),
    }
}
