//! The names PostgreSQL chooses for objects the user did not name (`t_pkey`, `t_col_key`,
//! `t_col_fkey`, `t_col_check`, `t_col_idx`, `t_col_seq`), ported from `makeObjectName`,
//! `ChooseRelationName`, `ChooseConstraintName` and `ChooseIndexNameAddition`
//! (src/backend/commands/indexcmds.c and catalog/pg_constraint.c).

/// `NAMEDATALEN - 1`: the longest identifier PostgreSQL stores, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Truncate `name` to at most `max` bytes without splitting a character (`pg_mbcliplen`).
pub fn clip_bytes(name: &str, max: usize) -> &str {
    if name.len() <= max {
        return name;
    }
    let mut end = max;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// Truncate an identifier the way the parser does when it is longer than 63 bytes.
pub fn truncate_identifier(name: &str) -> &str {
    clip_bytes(name, MAX_IDENTIFIER_BYTES)
}

/// `makeObjectName(name1, name2, label)`: `name1_name2_label`, shortening the longer of
/// `name1`/`name2` one byte at a time until the result fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    if let Some(label) = label {
        overhead += label.len() + 1;
    }
    if name2.is_some() {
        overhead += 1;
    }
    let avail = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut len1 = name1.len();
    let mut len2 = name2.map_or(0, str::len);
    while len1 + len2 > avail {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let mut out = clip_bytes(name1, len1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip_bytes(name2, len2));
    }
    if let Some(label) = label {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of `label`, `label1`, `label2` …
/// whose object name is not taken.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    mut is_taken: impl FnMut(&str) -> bool,
) -> String {
    let mut pass = 0;
    let mut modlabel = label.to_string();
    loop {
        let candidate = make_object_name(name1, name2, Some(&modlabel));
        if !is_taken(&candidate) {
            return candidate;
        }
        pass += 1;
        modlabel = format!("{label}{pass}");
    }
}

/// `ChooseIndexNameAddition` (also `ChooseForeignKeyConstraintNameAddition`): the column
/// names joined with `_`, stopping once the result reaches 64 bytes.
pub fn name_addition<S: AsRef<str>>(columns: &[S]) -> String {
    let mut buf = String::new();
    for name in columns {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip_bytes(name.as_ref(), MAX_IDENTIFIER_BYTES));
        if buf.len() > MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_joined() {
        assert_eq!(
            make_object_name("users", Some("email"), Some("key")),
            "users_email_key"
        );
        assert_eq!(make_object_name("users", None, Some("pkey")), "users_pkey");
    }

    #[test]
    fn long_names_shorten_the_longer_part_first() {
        let table = "a".repeat(40);
        let column = "b".repeat(40);
        let name = make_object_name(&table, Some(&column), Some("fkey"));
        assert_eq!(name.len(), 63);
        // 63 - "_fkey" - "_" = 57 bytes shared: 29 + 28, the longer side shrinks first.
        assert_eq!(name, format!("{}_{}_fkey", "a".repeat(29), "b".repeat(28)));
    }

    #[test]
    fn truncation_never_splits_a_character() {
        let table = "é".repeat(40); // 80 bytes
        let name = make_object_name(&table, None, Some("pkey"));
        assert!(name.len() <= 63);
        assert!(name.ends_with("_pkey"));
    }

    #[test]
    fn collisions_get_numeric_suffixes() {
        let taken = ["t_a_key", "t_a_key1"];
        let name = choose_name("t", Some("a"), "key", |n| taken.contains(&n));
        assert_eq!(name, "t_a_key2");
    }

    #[test]
    fn name_addition_joins_columns() {
        assert_eq!(name_addition(&["a", "b"]), "a_b");
        let long = vec!["c".repeat(40), "d".repeat(40), "e".repeat(40)];
        assert_eq!(name_addition(&long).len(), 81);
    }
}
