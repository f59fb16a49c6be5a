//! SQL text for the pieces of a hand-written document: identifiers (always double-quoted:
//! YAML names are exact), column definitions, table constraints, index definitions. SQL
//! fragments from the document (types, defaults, expressions, `references` strings) are
//! copied as written, so they mean what the same SQL in a migration means.

use super::super::dto::{
    ActionDoc, ColumnDoc, ConstraintDoc, IdentityDoc, IndexDoc, IndexKeyDoc, MatchDoc, NullsDoc,
    OrderDoc, ReferencesDoc,
};
use crate::model::QualifiedName;

/// `"name"`: PostgreSQL keeps a double-quoted identifier exactly as written.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) fn qualified(name: &QualifiedName) -> String {
    format!("{}.{}", ident(&name.schema), ident(&name.name))
}

pub(crate) fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `collation: C` names a collation exactly (`"C"`); text that already quotes or qualifies
/// (`"C"`, `pg_catalog."C"`, the canonical form) is SQL and copied as written.
pub(crate) fn collation(text: &str) -> String {
    if text.contains('"') || text.contains('.') {
        text.to_string()
    } else {
        ident(text)
    }
}

pub(crate) fn action_sql(action: ActionDoc) -> &'static str {
    match action {
        ActionDoc::NoAction => "NO ACTION",
        ActionDoc::Restrict => "RESTRICT",
        ActionDoc::Cascade => "CASCADE",
        ActionDoc::SetNull => "SET NULL",
        ActionDoc::SetDefault => "SET DEFAULT",
    }
}

fn match_sql(m: MatchDoc) -> &'static str {
    match m {
        MatchDoc::Simple => "MATCH SIMPLE",
        MatchDoc::Full => "MATCH FULL",
        MatchDoc::Partial => "MATCH PARTIAL",
    }
}

/// `REFERENCES …` with the options given as keys.
pub(crate) fn references_sql(
    target: &ReferencesDoc,
    own_schema: &str,
    match_type: Option<MatchDoc>,
    on_update: Option<ActionDoc>,
    on_delete: Option<ActionDoc>,
    on_delete_set: &[String],
) -> Result<String, String> {
    let mut out = String::from("REFERENCES ");
    match target {
        ReferencesDoc::Sql(text) => out.push_str(text.trim()),
        ReferencesDoc::Target { table, columns } => {
            let name = super::super::qname::parse_in(table, own_schema)?;
            out.push_str(&qualified(&name));
            if !columns.is_empty() {
                out.push_str(&format!(" ({})", ident_list(columns)));
            }
        }
    }
    if let Some(m) = match_type {
        out.push(' ');
        out.push_str(match_sql(m));
    }
    if let Some(a) = on_update {
        out.push_str(" ON UPDATE ");
        out.push_str(action_sql(a));
    }
    if let Some(a) = on_delete {
        out.push_str(" ON DELETE ");
        out.push_str(action_sql(a));
        if !on_delete_set.is_empty() {
            out.push_str(&format!(" ({})", ident_list(on_delete_set)));
        }
    }
    Ok(out)
}

/// The body of a table constraint (without `CONSTRAINT name` and `NOT VALID`).
pub(crate) fn constraint_body(c: &ConstraintDoc, own_schema: &str) -> Result<String, String> {
    let mut out = if let Some(cols) = &c.primary_key {
        key_body("PRIMARY KEY", c, cols)
    } else if let Some(cols) = &c.unique {
        key_body("UNIQUE", c, cols)
    } else if let Some(cols) = &c.foreign_key {
        let target = c
            .references
            .as_ref()
            .ok_or_else(|| "a foreign key needs 'references'".to_string())?;
        format!(
            "FOREIGN KEY ({}) {}",
            ident_list(cols),
            references_sql(
                target,
                own_schema,
                c.match_type,
                c.on_update,
                c.on_delete,
                &c.on_delete_set
            )?
        )
    } else if let Some(expr) = &c.check {
        let mut s = format!("CHECK ({})", expr.trim());
        if c.no_inherit {
            s.push_str(" NO INHERIT");
        }
        s
    } else if let Some(text) = &c.exclude {
        format!("EXCLUDE {}", text.trim())
    } else {
        return Err("a constraint needs a kind".to_string());
    };
    if c.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if c.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    Ok(out)
}

fn key_body(word: &str, c: &ConstraintDoc, cols: &[String]) -> String {
    let mut out = word.to_string();
    if c.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    out.push_str(&format!(" ({})", ident_list(cols)));
    if !c.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", ident_list(&c.include)));
    }
    out
}

/// `CONSTRAINT "name" body`, or just the body when PostgreSQL is to choose the name.
pub(crate) fn named(name: Option<&str>, body: &str) -> String {
    match name {
        Some(n) => format!("CONSTRAINT {} {body}", ident(n)),
        None => body.to_string(),
    }
}

/// The column definition inside CREATE TABLE, with its inline constraints. `data_type` is
/// already resolved (enum names declared in the document are quoted and qualified).
pub(crate) fn column_sql(
    c: &ColumnDoc,
    data_type: &str,
    primary_key_inline: bool,
    references_inline: Option<&str>,
) -> String {
    let mut out = format!("{} {}", ident(&c.name), data_type.trim());
    if let Some(coll) = &c.collation {
        out.push_str(" COLLATE ");
        out.push_str(&collation(coll));
    }
    if let Some(g) = &c.generated {
        let kind = if g.stored() { "STORED" } else { "VIRTUAL" };
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {kind}",
            g.expression().trim()
        ));
    }
    if let Some(identity) = c.identity {
        out.push_str(match identity {
            IdentityDoc::Always => " GENERATED ALWAYS AS IDENTITY",
            IdentityDoc::ByDefault => " GENERATED BY DEFAULT AS IDENTITY",
        });
    }
    if let Some(d) = &c.default {
        out.push_str(" DEFAULT ");
        out.push_str(d.trim());
    }
    if c.not_null == Some(true) {
        out.push_str(" NOT NULL");
    }
    if primary_key_inline {
        out.push_str(" PRIMARY KEY");
    }
    if c.unique {
        out.push_str(" UNIQUE");
    }
    if let Some(check) = &c.check {
        out.push_str(&format!(" CHECK ({})", check.trim()));
    }
    if let Some(r) = references_inline {
        out.push(' ');
        out.push_str(r);
    }
    out
}

/// How one index key is written: a known column is quoted exactly; `col DESC` quotes the
/// column; any other text is SQL (an expression) copied as written.
pub(crate) fn index_key_sql(key: &IndexKeyDoc, columns: &[&str]) -> String {
    match key {
        IndexKeyDoc::Bare(text) => bare_key_sql(text, columns),
        IndexKeyDoc::Spec(spec) => {
            let mut out = match (&spec.column, &spec.expression) {
                (Some(c), _) => ident(c),
                (None, Some(e)) => format!("({})", e.trim()),
                (None, None) => String::new(),
            };
            if let Some(c) = &spec.collation {
                out.push_str(" COLLATE ");
                out.push_str(&collation(c));
            }
            if let Some(op) = &spec.opclass {
                out.push(' ');
                out.push_str(op.trim());
            }
            match spec.order {
                Some(OrderDoc::Desc) => out.push_str(" DESC"),
                Some(OrderDoc::Asc) => out.push_str(" ASC"),
                None => {}
            }
            match spec.nulls {
                Some(NullsDoc::First) => out.push_str(" NULLS FIRST"),
                Some(NullsDoc::Last) => out.push_str(" NULLS LAST"),
                None => {}
            }
            out
        }
    }
}

fn bare_key_sql(text: &str, columns: &[&str]) -> String {
    let text = text.trim();
    if columns.contains(&text) {
        return ident(text);
    }
    if let Some((first, rest)) = text.split_once(char::is_whitespace) {
        if columns.contains(&first) && is_order_suffix(rest) {
            return format!("{} {}", ident(first), rest.trim());
        }
    }
    text.to_string()
}

/// `ASC`, `DESC`, `NULLS FIRST`, `DESC NULLS LAST` … (any case).
pub(crate) fn is_order_suffix(text: &str) -> bool {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    matches!(
        words.as_slice(),
        ["asc"]
            | ["desc"]
            | ["nulls", "first" | "last"]
            | ["asc" | "desc", "nulls", "first" | "last"]
    )
}

/// `CREATE [UNIQUE] INDEX ["name"] ON table [USING m] (…) …`.
pub(crate) fn index_sql(
    name: Option<&str>,
    table: &QualifiedName,
    index: &IndexDoc,
    columns: &[&str],
) -> String {
    let mut out = String::from("CREATE ");
    if index.unique {
        out.push_str("UNIQUE ");
    }
    out.push_str("INDEX ");
    if let Some(n) = name {
        out.push_str(&ident(n));
        out.push(' ');
    }
    out.push_str("ON ");
    out.push_str(&qualified(table));
    if let Some(m) = &index.using {
        out.push_str(" USING ");
        out.push_str(m.trim());
    }
    let keys: Vec<String> = index
        .columns
        .iter()
        .map(|k| index_key_sql(k, columns))
        .collect();
    out.push_str(&format!(" ({})", keys.join(", ")));
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        out.push_str(&format!(" WITH ({})", index.with.join(", ")));
    }
    if let Some(p) = &index.predicate {
        out.push_str(" WHERE ");
        out.push_str(p.trim());
    }
    out
}

/// The table a `references` SQL string points at, as PostgreSQL would resolve it with the
/// default search path (`users(id)` → public.users): the leading, possibly qualified and
/// quoted, identifier chain. None when the text does not start with one.
pub(crate) fn sql_reference_target(text: &str) -> Option<QualifiedName> {
    let mut parts = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let (part, after) = sql_identifier(rest)?;
        parts.push(part);
        rest = after.trim_start();
        match rest.strip_prefix('.') {
            Some(after_dot) => rest = after_dot.trim_start(),
            None => break,
        }
    }
    match parts.len() {
        1 => Some(QualifiedName::new("public", parts.remove(0))),
        2 => {
            let name = parts.remove(1);
            Some(QualifiedName::new(parts.remove(0), name))
        }
        _ => None,
    }
}

/// One SQL identifier: `"Quoted"""` (exact) or `bare` (folded to lower case, as PostgreSQL's
/// `downcase_identifier` does for ASCII letters).
fn sql_identifier(text: &str) -> Option<(String, &str)> {
    if let Some(inner) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if inner[i + 1..].starts_with('"') {
                    out.push('"');
                    chars.next();
                } else {
                    return Some((out, &inner[i + 1..]));
                }
            } else {
                out.push(c);
            }
        }
        return None;
    }
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(text.len(), |(i, _)| i);
    if end == 0 || text.starts_with(|c: char| c.is_ascii_digit() || c == '$') {
        return None;
    }
    Some((text[..end].to_ascii_lowercase(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_targets_follow_sql_rules() {
        assert_eq!(
            sql_reference_target("users(id) on delete set null"),
            Some(QualifiedName::new("public", "users"))
        );
        assert_eq!(
            sql_reference_target("Billing.\"Accounts\" (id)"),
            Some(QualifiedName::new("billing", "Accounts"))
        );
        assert_eq!(sql_reference_target("(id)"), None);
    }

    #[test]
    fn bare_index_keys_quote_known_columns_only() {
        let cols = ["email", "createdAt"];
        assert_eq!(bare_key_sql("email", &cols), "\"email\"");
        assert_eq!(bare_key_sql("createdAt DESC", &cols), "\"createdAt\" DESC");
        assert_eq!(bare_key_sql("lower(email)", &cols), "lower(email)");
        assert_eq!(
            bare_key_sql("email text_pattern_ops", &cols),
            "email text_pattern_ops"
        );
    }
}
