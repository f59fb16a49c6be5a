//! `range_in` → `range_out` for the built-in range types: bounds normalised by the
//! subtype, discrete ranges (int4range, int8range, daterange) canonicalised to `[)`,
//! empty ranges printed `empty`.

use super::datetime::date_add_days;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::types::Ty;
use crate::ddl::canon::CanonError;

fn bad(raw: &str) -> CanonError {
    CanonError::new(format!("malformed range literal: \"{raw}\""))
}

/// One bound as written: `None` when infinite.
fn parse_bound(chars: &[char], i: &mut usize, delims: &[char]) -> Option<String> {
    let mut out = String::new();
    let mut any = false;
    while let Some(&c) = chars.get(*i) {
        if delims.contains(&c) {
            break;
        }
        any = true;
        match c {
            '"' => {
                *i += 1;
                while let Some(&q) = chars.get(*i) {
                    *i += 1;
                    match q {
                        '"' if chars.get(*i) == Some(&'"') => {
                            out.push('"');
                            *i += 1;
                        }
                        '"' => break,
                        '\\' => {
                            if let Some(&e) = chars.get(*i) {
                                out.push(e);
                                *i += 1;
                            }
                        }
                        q => out.push(q),
                    }
                }
            }
            '\\' => {
                *i += 1;
                if let Some(&e) = chars.get(*i) {
                    out.push(e);
                    *i += 1;
                }
            }
            c => {
                out.push(c);
                *i += 1;
            }
        }
    }
    any.then_some(out)
}

/// `range_bound_escape`.
fn quote_bound(v: &str) -> String {
    let needs = v.is_empty()
        || v.chars()
            .any(|c| matches!(c, '"' | '\\' | '(' | ')' | '[' | ']' | ',') || c.is_whitespace());
    if !needs {
        return v.to_string();
    }
    let mut out = String::from("\"");
    for c in v.chars() {
        if c == '"' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Compare two normalised subtype values.
fn compare(subtype: u32, a: &str, b: &str) -> Option<std::cmp::Ordering> {
    match subtype {
        oid::INT4 | oid::INT8 => Some(a.parse::<i64>().ok()?.cmp(&b.parse::<i64>().ok()?)),
        oid::NUMERIC => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
        // ISO dates and timestamps (AD, UTC for timestamptz) sort as text.
        _ if !a.ends_with(" BC") && !b.ends_with(" BC") => Some(a.cmp(b)),
        _ => None,
    }
}

/// The next value of a discrete subtype.
fn next(subtype: u32, v: &str) -> Option<String> {
    match subtype {
        oid::INT4 | oid::INT8 => Some((v.parse::<i64>().ok()? + 1).to_string()),
        oid::DATE => date_add_days(v, 1),
        _ => None,
    }
}

pub(crate) fn range_input(
    subtype: &Ty,
    raw: &str,
    input: &dyn Fn(&str) -> Result<String, CanonError>,
) -> Result<String, CanonError> {
    let s = raw.trim();
    if s.eq_ignore_ascii_case("empty") {
        return Ok("empty".into());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut lower_inc = match chars.first() {
        Some('[') => true,
        Some('(') => false,
        _ => return Err(bad(raw)),
    };
    let mut upper_inc = match chars.last() {
        Some(']') => true,
        Some(')') => false,
        _ => return Err(bad(raw)),
    };
    let mut i = 1;
    let lower = parse_bound(&chars, &mut i, &[',']);
    if chars.get(i) != Some(&',') {
        return Err(bad(raw));
    }
    i += 1;
    let body_end = chars.len() - 1;
    let upper = parse_bound(&chars[..body_end], &mut i, &[]);
    if i != body_end {
        return Err(bad(raw));
    }
    let mut lower = lower.map(|v| input(v.trim())).transpose()?;
    let mut upper = upper.map(|v| input(v.trim())).transpose()?;
    let sub = subtype.oid().unwrap_or(0);
    let discrete = matches!(sub, oid::INT4 | oid::INT8 | oid::DATE);
    if discrete {
        if let (Some(l), false) = (&lower, lower_inc) {
            lower = Some(next(sub, l).ok_or_else(|| bad(raw))?);
            lower_inc = true;
        }
        if let (Some(u), true) = (&upper, upper_inc) {
            upper = Some(next(sub, u).ok_or_else(|| bad(raw))?);
            upper_inc = false;
        }
    }
    if lower.is_none() {
        lower_inc = false;
    }
    if upper.is_none() {
        upper_inc = false;
    }
    if let (Some(l), Some(u)) = (&lower, &upper) {
        match compare(sub, l, u) {
            Some(std::cmp::Ordering::Greater) => return Err(bad(raw)),
            Some(std::cmp::Ordering::Equal) if !(lower_inc && upper_inc) => {
                return Ok("empty".into())
            }
            _ => {}
        }
    }
    Ok(format!(
        "{}{},{}{}",
        if lower_inc { '[' } else { '(' },
        lower.as_deref().map(quote_bound).unwrap_or_default(),
        upper.as_deref().map(quote_bound).unwrap_or_default(),
        if upper_inc { ']' } else { ')' },
    ))
}
