//! `array_in` → `array_out`: `{…}` literals with quoted and NULL elements and nested
//! dimensions; each element normalised by its type's own input and output functions.

use crate::ddl::canon::CanonError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Null,
    Value(String),
    Nested(Vec<Item>),
}

fn bad(raw: &str) -> CanonError {
    CanonError::new(format!("malformed array literal: \"{raw}\""))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// Parse an array literal into its (possibly nested) items.
pub(crate) fn parse(raw: &str, delim: char) -> Result<Item, CanonError> {
    let s: Vec<char> = raw.trim_matches(is_space).chars().collect();
    if s.first() == Some(&'[') {
        // Explicit dimension bounds are kept as written by the caller.
        return Err(bad(raw));
    }
    let mut pos = 0;
    let item = parse_level(&s, &mut pos, delim).ok_or_else(|| bad(raw))?;
    while pos < s.len() && is_space(s[pos]) {
        pos += 1;
    }
    if pos != s.len() {
        return Err(bad(raw));
    }
    Ok(item)
}

fn parse_level(s: &[char], pos: &mut usize, delim: char) -> Option<Item> {
    if s.get(*pos) != Some(&'{') {
        return None;
    }
    *pos += 1;
    let mut items = Vec::new();
    loop {
        while *pos < s.len() && is_space(s[*pos]) {
            *pos += 1;
        }
        match s.get(*pos)? {
            '}' if items.is_empty() => {
                *pos += 1;
                return Some(Item::Nested(items));
            }
            '{' => items.push(parse_level(s, pos, delim)?),
            _ => items.push(parse_element(s, pos, delim)?),
        }
        while *pos < s.len() && is_space(s[*pos]) {
            *pos += 1;
        }
        match s.get(*pos)? {
            '}' => {
                *pos += 1;
                return Some(Item::Nested(items));
            }
            c if *c == delim => *pos += 1,
            _ => return None,
        }
    }
}

fn parse_element(s: &[char], pos: &mut usize, delim: char) -> Option<Item> {
    let mut out = String::new();
    let mut quoted_any = false;
    let mut pending_space = String::new();
    while let Some(&c) = s.get(*pos) {
        match c {
            '"' => {
                quoted_any = true;
                out.push_str(&pending_space);
                pending_space.clear();
                *pos += 1;
                loop {
                    let c = *s.get(*pos)?;
                    *pos += 1;
                    match c {
                        '"' => break,
                        '\\' => {
                            out.push(*s.get(*pos)?);
                            *pos += 1;
                        }
                        c => out.push(c),
                    }
                }
            }
            '\\' => {
                out.push_str(&pending_space);
                pending_space.clear();
                *pos += 1;
                out.push(*s.get(*pos)?);
                *pos += 1;
                quoted_any = true;
            }
            c if c == delim || c == '}' => break,
            '{' => return None,
            c if is_space(c) => {
                // Whitespace inside an unquoted element is kept; trailing is dropped.
                if !out.is_empty() || quoted_any {
                    pending_space.push(c);
                }
                *pos += 1;
            }
            c => {
                out.push_str(&pending_space);
                pending_space.clear();
                out.push(c);
                *pos += 1;
            }
        }
    }
    if !quoted_any && out.eq_ignore_ascii_case("null") {
        return Some(Item::Null);
    }
    if out.is_empty() && !quoted_any {
        return None;
    }
    Some(Item::Value(out))
}

/// Apply `f` to every element value.
pub(crate) fn map(
    item: Item,
    f: &dyn Fn(&str) -> Result<String, CanonError>,
) -> Result<Item, CanonError> {
    Ok(match item {
        Item::Null => Item::Null,
        Item::Value(v) => Item::Value(f(&v)?),
        Item::Nested(items) => Item::Nested(
            items
                .into_iter()
                .map(|i| map(i, f))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    })
}

/// `array_out`.
pub(crate) fn format(item: &Item, delim: char) -> String {
    match item {
        Item::Null => "NULL".to_string(),
        Item::Value(v) => {
            let needs_quotes = v.is_empty()
                || v.eq_ignore_ascii_case("null")
                || v.chars()
                    .any(|c| matches!(c, '"' | '\\' | '{' | '}') || c == delim || is_space(c));
            if needs_quotes {
                let mut out = String::with_capacity(v.len() + 2);
                out.push('"');
                for c in v.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
                out
            } else {
                v.clone()
            }
        }
        Item::Nested(items) => {
            let inner: Vec<String> = items.iter().map(|i| format(i, delim)).collect();
            format!("{{{}}}", inner.join(&delim.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(raw: &str) -> String {
        format(&parse(raw, ',').unwrap(), ',')
    }

    #[test]
    fn arrays_normalise() {
        assert_eq!(round("{}"), "{}");
        assert_eq!(round("{a, b}"), "{a,b}");
        assert_eq!(round(r#"{"a b",c}"#), r#"{"a b",c}"#);
        assert_eq!(round(r#"{"x",NULL,"NULL",""}"#), r#"{x,NULL,"NULL",""}"#);
        assert_eq!(round("{{1,2},{3,4}}"), "{{1,2},{3,4}}");
        assert_eq!(round(r#"{"a\"b"}"#), r#"{"a\"b"}"#);
        assert_eq!(round("{ hello world , x }"), r#"{"hello world",x}"#);
    }
}
