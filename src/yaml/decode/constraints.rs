//! YAML tree → constraints: the named `constraints:` collection of both forms, the
//! shorthand table keys (`primary_key`, `unique`, `foreign_keys`, `checks`), foreign-key
//! targets and actions.

use super::super::access::{self, items, Cx, Fields, Keys};
use super::super::dto::{ActionDoc, ConstraintDoc, Item, MatchDoc, Named, ReferencesDoc};
use super::super::error::{join_index, where_, YamlError};
use super::super::tree::{Node, Value};
use super::{decode_named, word};

const KINDS: [&str; 5] = ["primary_key", "unique", "foreign_key", "check", "exclude"];

const CONSTRAINT_KEYS: Keys = Keys {
    common: &[
        "primary_key",
        "unique",
        "foreign_key",
        "check",
        "exclude",
        "include",
        "nulls_not_distinct",
        "references",
        "match",
        "on_update",
        "on_delete",
        "on_delete_set",
        "no_inherit",
        "deferrable",
        "initially_deferred",
        "not_valid",
        "inherited",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

const LISTED_CONSTRAINT_KEYS: Keys = Keys {
    common: &[
        "name",
        "primary_key",
        "unique",
        "foreign_key",
        "check",
        "exclude",
        "include",
        "nulls_not_distinct",
        "references",
        "match",
        "on_update",
        "on_delete",
        "on_delete_set",
        "no_inherit",
        "deferrable",
        "initially_deferred",
        "not_valid",
        "inherited",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// `constraints:` — a mapping from name to constraint, or a list of constraints with an
/// optional `name:` each (hand-written files; PostgreSQL names the rest).
pub(crate) fn decode_constraints(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Named<ConstraintDoc>, YamlError> {
    decode_named(cx, node, path, "constraint", |cx, node, path, listed| {
        let keys = if listed {
            &LISTED_CONSTRAINT_KEYS
        } else {
            &CONSTRAINT_KEYS
        };
        let f = Fields::open(cx, node, path, "a constraint", keys)?;
        let c = decode_constraint_fields(&f)?;
        Ok((listed.then(|| f.string("name")).transpose()?.flatten(), c))
    })
}

fn decode_constraint_fields(f: &Fields<'_, '_>) -> Result<ConstraintDoc, YamlError> {
    let given: Vec<&str> = KINDS.iter().copied().filter(|k| f.has(k)).collect();
    if given.len() != 1 {
        let message = if given.is_empty() {
            format!(
                "a constraint needs one of: {} {}",
                KINDS.join(", "),
                where_(&f.path)
            )
        } else {
            format!(
                "a constraint has exactly one kind, but this one gives {} {}",
                given.join(" and "),
                where_(&f.path)
            )
        };
        return Err(f.cx.error(f.node.pos, &f.path, message));
    }
    let kind = given[0];
    let mut c = ConstraintDoc {
        include: f.names("include")?,
        nulls_not_distinct: f.flag("nulls_not_distinct")?,
        references: match f.value("references") {
            None => None,
            Some(node) => Some(decode_references(f.cx, node, &f.child_path("references"))?),
        },
        match_type: decode_match(f, "match")?,
        on_update: decode_action(f, "on_update")?,
        on_delete: decode_action(f, "on_delete")?,
        on_delete_set: f.names("on_delete_set")?,
        no_inherit: f.flag("no_inherit")?,
        deferrable: f.flag("deferrable")?,
        initially_deferred: f.flag("initially_deferred")?,
        not_valid: f.flag("not_valid")?,
        inherited: f.flag("inherited")?,
        columns_pos: f.value(kind).map_or(f.node.pos, |n| n.pos),
        ..ConstraintDoc::default()
    };
    let columns = |key: &str| -> Result<Vec<String>, YamlError> {
        let cols = f.names(key)?;
        if cols.is_empty() {
            return Err(f.error_at(key, format!("'{key}' needs at least one column")));
        }
        Ok(cols)
    };
    match kind {
        "primary_key" => c.primary_key = Some(columns("primary_key")?),
        "unique" => c.unique = Some(columns("unique")?),
        "foreign_key" => c.foreign_key = Some(columns("foreign_key")?),
        "check" => c.check = Some(f.required_string("check")?),
        _ => c.exclude = Some(f.required_string("exclude")?),
    }
    check_fits(f, kind, &c)?;
    Ok(c)
}

/// Keys that mean nothing for the constraint's kind are errors, not silently dropped.
fn check_fits(f: &Fields<'_, '_>, kind: &str, c: &ConstraintDoc) -> Result<(), YamlError> {
    let only = |keys: &[&str], kinds: &[&str], label: &str| -> Result<(), YamlError> {
        if kinds.contains(&kind) {
            return Ok(());
        }
        for key in keys {
            if f.value(key).is_some() {
                return Err(f.error_at(
                    key,
                    format!("'{key}' only applies to {label}, not to a {kind} constraint"),
                ));
            }
        }
        Ok(())
    };
    only(
        &["include", "nulls_not_distinct"],
        &["primary_key", "unique"],
        "primary_key and unique",
    )?;
    only(
        &[
            "references",
            "match",
            "on_update",
            "on_delete",
            "on_delete_set",
        ],
        &["foreign_key"],
        "foreign_key",
    )?;
    only(&["no_inherit"], &["check"], "check")?;
    only(
        &["deferrable", "initially_deferred"],
        &["primary_key", "unique", "foreign_key", "exclude"],
        "primary_key, unique, foreign_key and exclude (PostgreSQL cannot defer a check)",
    )?;
    if kind == "foreign_key" && c.references.is_none() {
        return Err(f.missing("references"));
    }
    if c.initially_deferred && !c.deferrable {
        return Err(f.error_at(
            "initially_deferred",
            "initially_deferred needs deferrable: true (PostgreSQL: INITIALLY DEFERRED implies DEFERRABLE; say both)",
        ));
    }
    Ok(())
}

const TARGET_KEYS: Keys = Keys {
    common: &["table", "columns"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// `references: users(id) on delete set null` (SQL, shorthand) or
/// `references: {table: public.users, columns: [id]}` (exact names).
pub(crate) fn decode_references(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<ReferencesDoc, YamlError> {
    match &node.value {
        Value::Scalar(s) => {
            if cx.canonical {
                return Err(cx.error(
                    node.pos,
                    path,
                    format!(
                        "a canonical snapshot writes references as {{table: schema.name, \
                         columns: [...]}}, not as SQL ('{}') {}",
                        s.text,
                        where_(path)
                    ),
                ));
            }
            Ok(ReferencesDoc::Sql(s.text.clone()))
        }
        Value::Map(_) => {
            let f = Fields::open(cx, node, path, "a referenced table", &TARGET_KEYS)?;
            let table = f.required_string("table")?;
            let columns = f.names("columns")?;
            if columns.is_empty() && cx.canonical {
                return Err(f.missing("columns"));
            }
            Ok(ReferencesDoc::Target { table, columns })
        }
        _ => Err(cx.wrong_type(
            node,
            path,
            "SQL such as 'users(id)', or {table: …, columns: [...]}",
        )),
    }
}

pub(crate) fn decode_action(f: &Fields<'_, '_>, key: &str) -> Result<Option<ActionDoc>, YamlError> {
    let Some(text) = f.string(key)? else {
        return Ok(None);
    };
    Ok(Some(match word(&text).as_str() {
        "no action" => ActionDoc::NoAction,
        "restrict" => ActionDoc::Restrict,
        "cascade" => ActionDoc::Cascade,
        "set null" => ActionDoc::SetNull,
        "set default" => ActionDoc::SetDefault,
        _ => {
            return Err(f.error_at(
                key,
                format!(
                    "unknown action '{text}' for {key} (expected one of: no action, restrict, \
                     cascade, set null, set default)"
                ),
            ))
        }
    }))
}

pub(crate) fn decode_match(f: &Fields<'_, '_>, key: &str) -> Result<Option<MatchDoc>, YamlError> {
    let Some(text) = f.string(key)? else {
        return Ok(None);
    };
    Ok(Some(match word(&text).as_str() {
        "simple" => MatchDoc::Simple,
        "full" => MatchDoc::Full,
        "partial" => MatchDoc::Partial,
        _ => {
            return Err(f.error_at(
                key,
                format!("unknown match type '{text}' (expected one of: simple, full, partial)"),
            ))
        }
    }))
}

const KEY_SHORTHAND_KEYS: Keys = Keys {
    common: &[
        "name",
        "columns",
        "include",
        "nulls_not_distinct",
        "deferrable",
        "initially_deferred",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// One primary key or unique constraint of the shorthand: `[a, b]` or
/// `{name: x, columns: [a, b], include: [...]}`.
fn decode_key_shorthand(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
    primary: bool,
) -> Result<Item<ConstraintDoc>, YamlError> {
    let (name, columns, mut c) = match &node.value {
        Value::Scalar(_) | Value::Seq(_) => (
            None,
            access::names(cx, node, path)?,
            ConstraintDoc::default(),
        ),
        Value::Map(_) => {
            let f = Fields::open(cx, node, path, "a key constraint", &KEY_SHORTHAND_KEYS)?;
            if primary && f.has("nulls_not_distinct") {
                return Err(f.error_at(
                    "nulls_not_distinct",
                    "nulls_not_distinct only applies to unique constraints",
                ));
            }
            let c = ConstraintDoc {
                include: f.names("include")?,
                nulls_not_distinct: f.flag("nulls_not_distinct")?,
                deferrable: f.flag("deferrable")?,
                initially_deferred: f.flag("initially_deferred")?,
                ..ConstraintDoc::default()
            };
            (f.string("name")?, f.names("columns")?, c)
        }
        _ => return Err(cx.wrong_type(node, path, "a list of columns")),
    };
    if columns.is_empty() {
        return Err(cx.error(
            node.pos,
            path,
            format!("a key needs at least one column {}", where_(path)),
        ));
    }
    c.columns_pos = node.pos;
    if primary {
        c.primary_key = Some(columns);
    } else {
        c.unique = Some(columns);
    }
    Ok(Item {
        name,
        pos: node.pos,
        value: c,
    })
}

/// `primary_key: [a, b]` or `primary_key: {name: …, columns: [...]}`.
pub(crate) fn decode_primary_key(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Item<ConstraintDoc>, YamlError> {
    decode_key_shorthand(cx, node, path, true)
}

/// `unique: [a, b]` is one constraint on both columns (like `primary_key`); a list of lists
/// or mappings is one constraint each: `unique: [[a], [b, c], {name: x, columns: [d]}]`.
pub(crate) fn decode_unique(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Named<ConstraintDoc>, YamlError> {
    let mut out = Named::default();
    match &node.value {
        Value::Seq(list) if list.iter().all(|n| matches!(n.value, Value::Scalar(_))) => {
            out.0.push(decode_key_shorthand(cx, node, path, false)?);
        }
        Value::Seq(list) => {
            for (i, item) in list.iter().enumerate() {
                let item_path = join_index(path, i);
                if matches!(item.value, Value::Scalar(_)) {
                    return Err(cx.error(
                        item.pos,
                        &item_path,
                        format!(
                            "'unique' mixes column names and constraints {}: write [a, b] for \
                             one constraint on both columns, or [[a], [b]] for two",
                            where_(path)
                        ),
                    ));
                }
                out.0
                    .push(decode_key_shorthand(cx, item, &item_path, false)?);
            }
        }
        _ => out.0.push(decode_key_shorthand(cx, node, path, false)?),
    }
    Ok(out)
}

const FK_SHORTHAND_KEYS: Keys = Keys {
    common: &[
        "name",
        "columns",
        "references",
        "match",
        "on_update",
        "on_delete",
        "on_delete_set",
        "deferrable",
        "initially_deferred",
        "not_valid",
    ],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// `foreign_keys: [{columns: [org_id], references: "orgs(id) on delete cascade"}]`.
pub(crate) fn decode_foreign_keys(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Named<ConstraintDoc>, YamlError> {
    let mut out = Named::default();
    for (i, item) in items(cx, node, path, "a list of foreign keys")?
        .iter()
        .enumerate()
    {
        let item_path = join_index(path, i);
        let f = Fields::open(cx, item, &item_path, "a foreign key", &FK_SHORTHAND_KEYS)?;
        let columns = f.names("columns")?;
        if columns.is_empty() {
            return Err(f.missing("columns"));
        }
        let references = match f.value("references") {
            Some(node) => decode_references(cx, node, &f.child_path("references"))?,
            None => return Err(f.missing("references")),
        };
        let c = ConstraintDoc {
            foreign_key: Some(columns),
            references: Some(references),
            match_type: decode_match(&f, "match")?,
            on_update: decode_action(&f, "on_update")?,
            on_delete: decode_action(&f, "on_delete")?,
            on_delete_set: f.names("on_delete_set")?,
            deferrable: f.flag("deferrable")?,
            initially_deferred: f.flag("initially_deferred")?,
            not_valid: f.flag("not_valid")?,
            columns_pos: f.value("columns").map_or(item.pos, |n| n.pos),
            ..ConstraintDoc::default()
        };
        out.0.push(Item {
            name: f.string("name")?,
            pos: item.pos,
            value: c,
        });
    }
    Ok(out)
}

const CHECK_SHORTHAND_KEYS: Keys = Keys {
    common: &["name", "check", "no_inherit", "not_valid"],
    shorthand: &[],
    canonical_hint: "",
    snapshot_only: &[],
};

/// `checks: ["price > 0", {name: positive_qty, check: "qty > 0"}]`.
pub(crate) fn decode_checks(
    cx: Cx<'_>,
    node: &Node,
    path: &str,
) -> Result<Named<ConstraintDoc>, YamlError> {
    let mut out = Named::default();
    for (i, item) in items(cx, node, path, "a list of checks")?
        .iter()
        .enumerate()
    {
        let item_path = join_index(path, i);
        let (name, c) = match &item.value {
            Value::Scalar(s) => (
                None,
                ConstraintDoc {
                    check: Some(s.text.clone()),
                    columns_pos: item.pos,
                    ..ConstraintDoc::default()
                },
            ),
            _ => {
                let f = Fields::open(cx, item, &item_path, "a check", &CHECK_SHORTHAND_KEYS)?;
                (
                    f.string("name")?,
                    ConstraintDoc {
                        check: Some(f.required_string("check")?),
                        no_inherit: f.flag("no_inherit")?,
                        not_valid: f.flag("not_valid")?,
                        columns_pos: item.pos,
                        ..ConstraintDoc::default()
                    },
                )
            }
        };
        out.0.push(Item {
            name,
            pos: item.pos,
            value: c,
        });
    }
    Ok(out)
}
