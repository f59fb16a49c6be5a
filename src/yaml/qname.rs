//! Qualified names as YAML text: `schema.name`, each part exact (case kept, no folding).
//! A part that contains a `.` or a `"`, or is empty, is written in double quotes with `""`
//! for a quote inside (`"my.schema".Users`), so every name round-trips.

use crate::model::QualifiedName;

/// `schema.name`, quoting only the parts that need it.
pub(crate) fn format(name: &QualifiedName) -> String {
    format!("{}.{}", part(&name.schema), part(&name.name))
}

fn part(text: &str) -> String {
    if text.is_empty() || text.contains('.') || text.contains('"') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Split `schema.name` or `name` into its exact parts: `(Some(schema), name)` or
/// `(None, name)`. The error says what is wrong with the text.
pub(crate) fn parse(text: &str) -> Result<(Option<String>, String), String> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut current = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        current.push('"');
                    }
                    Some('"') => break,
                    Some(c) => current.push(c),
                    None => return Err(format!("unterminated quoted name in '{text}'")),
                }
            }
            match chars.peek() {
                None | Some('.') => {}
                Some(_) => {
                    return Err(format!(
                        "'{text}': after a quoted part comes '.' or the end"
                    ))
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(format!(
                        "'{text}': a '\"' may only open a quoted part (\"a.b\".c)"
                    ));
                }
                current.push(c);
                chars.next();
            }
            if current.is_empty() {
                return Err(format!("'{text}' has an empty name part"));
            }
        }
        parts.push(current);
        match chars.next() {
            None => break,
            Some(_) => continue, // the '.'
        }
    }
    match parts.len() {
        1 => Ok((None, parts.remove(0))),
        2 => {
            let name = parts.remove(1);
            Ok((Some(parts.remove(0)), name))
        }
        _ => Err(format!(
            "'{text}' has more than two parts; write schema.name (quote a part that \
             contains a dot: \"a.b\".c)"
        )),
    }
}

/// `parse`, with `default_schema` for an unqualified name.
pub(crate) fn parse_in(text: &str, default_schema: &str) -> Result<QualifiedName, String> {
    let (schema, name) = parse(text)?;
    Ok(QualifiedName::new(
        schema.unwrap_or_else(|| default_schema.to_string()),
        name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_names_stay_bare_and_exact() {
        let q = QualifiedName::new("public", "InviteStatus");
        assert_eq!(format(&q), "public.InviteStatus");
        assert_eq!(parse_in("public.InviteStatus", "x").unwrap(), q);
        assert_eq!(
            parse_in("users", "app").unwrap(),
            QualifiedName::new("app", "users")
        );
    }

    #[test]
    fn unusual_names_round_trip() {
        for (schema, name) in [
            ("my.schema", "a\"b"),
            ("", "x"),
            ("s", "with space"),
            ("\"", "."),
        ] {
            let q = QualifiedName::new(schema, name);
            assert_eq!(
                parse_in(&format(&q), "public").unwrap(),
                q,
                "{}",
                format(&q)
            );
        }
    }

    #[test]
    fn malformed_names_are_errors() {
        assert!(parse("a.b.c").is_err());
        assert!(parse("a..b").is_err());
        assert!(parse("\"a").is_err());
        assert!(parse("\"a\"b").is_err());
        assert!(parse("").is_err());
    }
}
