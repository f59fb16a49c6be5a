//! Constant values: what a type's input function makes of a literal, printed by its output
//! function — the text `get_const_expr` quotes (`'1 week'` → `7 days`, `'yes'` → `t`,
//! `'{"b":1,"a":2}'` → `{"a": 2, "b": 1}`, `'users_id_seq'` → `public.users_id_seq`).
//!
//! Types without a normaliser here (geometric types, money, tsvector …) keep the text as
//! written: the closest static reading.

mod array;
mod datetime;
mod interval;
mod json;
mod number;
mod range;
mod text_search;

pub(crate) use number::numeric_input;

use super::catalog::oid;
use super::types::{Env, Ty, UserKind};
use super::CanonError;
use crate::model::{quote_ident, QualifiedName};

/// The output text of `raw` read by the input function of `ty` (a base type, not a
/// domain) with `typmod` (only interval uses it at input time).
pub(crate) fn input(env: &Env<'_>, ty: &Ty, typmod: i32, raw: &str) -> Result<String, CanonError> {
    match ty {
        Ty::Builtin(o) => builtin_input(env, *o, typmod, raw),
        Ty::UserArray(_) => {
            let elem = env.elem(ty).unwrap_or(Ty::Opaque);
            let item = array::parse(raw, ',')?;
            let item = array::map(item, &|v| input(env, &elem, -1, v))?;
            Ok(array::format(&item, ','))
        }
        Ty::User(u) => match &u.kind {
            UserKind::Domain { base, typmod } => input(env, base, *typmod, raw),
            // Extension types whose output normalises the text.
            UserKind::Other if u.name.name == "hstore" => text_search::hstore_input(raw),
            _ => Ok(raw.to_string()),
        },
        Ty::Opaque => Ok(raw.to_string()),
    }
}

fn builtin_input(
    env: &Env<'_>,
    type_oid: u32,
    typmod: i32,
    raw: &str,
) -> Result<String, CanonError> {
    match type_oid {
        oid::BOOL => bool_input(raw),
        oid::INT2 => number::integer_input(raw, 16),
        oid::INT4 => number::integer_input(raw, 32),
        oid::INT8 => number::integer_input(raw, 64),
        oid::OID => number::integer_input(raw, 64),
        oid::NUMERIC => numeric_input(raw),
        oid::FLOAT4 => number::float_input(raw, true),
        oid::FLOAT8 => number::float_input(raw, false),
        oid::DATE => datetime::date_input(raw),
        oid::TIME => datetime::time_input(raw),
        oid::TIMETZ => datetime::timetz_input(raw),
        oid::TIMESTAMP => datetime::timestamp_input(raw, false),
        oid::TIMESTAMPTZ => datetime::timestamp_input(raw, true),
        oid::INTERVAL => interval::interval_input(raw, typmod),
        oid::UUID => uuid_input(raw),
        oid::BYTEA => bytea_input(raw),
        oid::BIT | oid::VARBIT => bit_input(raw),
        oid::INET => inet_input(raw, false),
        oid::CIDR => inet_input(raw, true),
        oid::MACADDR => macaddr_input(raw),
        oid::JSONB => json::jsonb_input(raw),
        790 => text_search::money_input(raw),
        3614 => text_search::tsvector_input(raw),
        oid::REGCLASS => Ok(regclass_input(env, raw)),
        oid::REGTYPE => env.parse_type_text(raw).map(|d| env.format_type(&d.ty, -1)),
        _ => {
            let ty = Ty::Builtin(type_oid);
            if let (Some(sub), true) = (env.range_subtype(&ty), env.is_range(&ty)) {
                return range::range_input(&sub, raw, &|v| input(env, &sub, -1, v));
            }
            match env.elem(&ty) {
                Some(elem) if env.category(&ty) == b'A' => {
                    // box[] is the only built-in array using ';' between elements.
                    let delim = if elem.is(603) { ';' } else { ',' };
                    let item = array::parse(raw, delim)?;
                    let item = array::map(item, &|v| input(env, &elem, -1, v))?;
                    Ok(array::format(&item, delim))
                }
                _ => Ok(raw.to_string()),
            }
        }
    }
}

/// What a length-coercion function does to a value (`bpchar(x, n)` pads, `numeric(x, t)`
/// rounds to the scale), for constants PostgreSQL folds (partition bounds).
pub(crate) fn apply_typmod(ty: &Ty, typmod: i32, value: &str) -> String {
    match ty.oid() {
        Some(oid::BPCHAR) if typmod > 4 => {
            let n = (typmod - 4) as usize;
            let len = value.chars().count();
            if len < n {
                format!("{value}{}", " ".repeat(n - len))
            } else {
                value.chars().take(n).collect()
            }
        }
        Some(oid::NUMERIC) if typmod >= 4 => {
            let scale = ((typmod - 4) & 0x7ff) as usize;
            number::round_numeric(value, scale).unwrap_or_else(|| value.to_string())
        }
        _ => value.to_string(),
    }
}

/// `boolin`: true/false/yes/no/on/off/1/0 and their unique prefixes.
fn bool_input(raw: &str) -> Result<String, CanonError> {
    let s = raw.trim().to_ascii_lowercase();
    let t = |full: &str, min: usize| s.len() >= min && full.starts_with(s.as_str());
    if t("true", 1) || t("yes", 1) || s == "on" || s == "1" {
        Ok("t".into())
    } else if t("false", 1) || t("no", 1) || t("off", 2) || s == "0" {
        Ok("f".into())
    } else {
        Err(CanonError::new(format!(
            "invalid input syntax for type boolean: \"{raw}\""
        )))
    }
}

/// `uuid_in`: hex digits, optional braces and hyphens after any group of four.
fn uuid_input(raw: &str) -> Result<String, CanonError> {
    let s = raw.trim();
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let hex: String = s.chars().filter(|&c| c != '-').collect();
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CanonError::new(format!(
            "invalid input syntax for type uuid: \"{raw}\""
        )));
    }
    let h = hex.to_ascii_lowercase();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// `byteain` → `byteaout` (hex format): `\x…` or the escape format.
fn bytea_input(raw: &str) -> Result<String, CanonError> {
    let bad = || CanonError::new("invalid input syntax for type bytea");
    let mut bytes: Vec<u8> = Vec::new();
    if let Some(hex) = raw.strip_prefix("\\x").or_else(|| raw.strip_prefix("\\X")) {
        let digits: Vec<char> = hex.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.len().is_multiple_of(2) {
            return Err(bad());
        }
        for pair in digits.chunks(2) {
            let s: String = pair.iter().collect();
            bytes.push(u8::from_str_radix(&s, 16).map_err(|_| bad())?);
        }
    } else {
        let b = raw.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                if b.get(i + 1) == Some(&b'\\') {
                    bytes.push(b'\\');
                    i += 2;
                } else {
                    let oct = std::str::from_utf8(b.get(i + 1..i + 4).ok_or_else(bad)?)
                        .map_err(|_| bad())?;
                    bytes.push(u8::from_str_radix(oct, 8).map_err(|_| bad())?);
                    i += 4;
                }
            } else {
                bytes.push(b[i]);
                i += 1;
            }
        }
    }
    let mut out = String::from("\\x");
    for byte in bytes {
        out.push_str(&format!("{byte:02x}"));
    }
    Ok(out)
}

/// `bit_in`: `b…` binary, `x…` hex, or plain binary digits → binary digits.
pub(crate) fn bit_input(raw: &str) -> Result<String, CanonError> {
    let bad = || CanonError::new(format!("\"{raw}\" is not a valid bit string"));
    let (hex, body) = match raw.as_bytes().first() {
        Some(b'x') | Some(b'X') => (true, &raw[1..]),
        Some(b'b') | Some(b'B') => (false, &raw[1..]),
        _ => (false, raw),
    };
    if hex {
        let mut out = String::new();
        for c in body.chars() {
            let v = c.to_digit(16).ok_or_else(bad)?;
            out.push_str(&format!("{v:04b}"));
        }
        Ok(out)
    } else if body.chars().all(|c| c == '0' || c == '1') {
        Ok(body.to_string())
    } else {
        Err(bad())
    }
}

/// `inet_in`/`cidr_in` → output: IPv4 dotted quads, IPv6 compressed; the mask is shown
/// for cidr always, for inet unless it covers the whole address.
fn inet_input(raw: &str, cidr: bool) -> Result<String, CanonError> {
    let bad = || CanonError::new(format!("invalid input syntax for type inet: \"{raw}\""));
    let s = raw.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u8>().map_err(|_| bad())?)),
        None => (s, None),
    };
    if let Ok(v6) = addr.parse::<std::net::Ipv6Addr>() {
        let max = 128;
        let bits = bits.unwrap_or(max);
        return Ok(if bits == max && !cidr {
            v6.to_string()
        } else {
            format!("{v6}/{bits}")
        });
    }
    // cidr accepts abbreviated IPv4 ("10.1/16").
    let mut octets: Vec<u8> = addr
        .split('.')
        .map(|o| o.parse::<u8>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    if octets.is_empty() || octets.len() > 4 || (!cidr && octets.len() != 4) {
        return Err(bad());
    }
    let given = octets.len() as u8;
    while octets.len() < 4 {
        octets.push(0);
    }
    let bits = bits.unwrap_or(if cidr && given < 4 {
        // Classful default for abbreviated cidr input.
        match octets[0] {
            0..=127 => 8.max(given * 8),
            128..=191 => 16.max(given * 8),
            192..=223 => 24.max(given * 8),
            _ => 32,
        }
    } else {
        32
    });
    let addr = format!("{}.{}.{}.{}", octets[0], octets[1], octets[2], octets[3]);
    Ok(if bits == 32 && !cidr {
        addr
    } else {
        format!("{addr}/{bits}")
    })
}

/// `macaddr_in` → `08:00:2b:01:02:03`.
fn macaddr_input(raw: &str) -> Result<String, CanonError> {
    let hex: String = raw.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    if hex.len() != 12 {
        return Err(CanonError::new("invalid input syntax for type macaddr"));
    }
    let h = hex.to_ascii_lowercase();
    let parts: Vec<&str> = (0..6).map(|i| &h[i * 2..i * 2 + 2]).collect();
    Ok(parts.join(":"))
}

/// Split a possibly quoted, possibly qualified name (`"My Seq"`, `app.seq`) as the
/// parser would: unquoted parts fold to lower case.
pub(crate) fn split_qualified_name(raw: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = raw.trim().chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c if quoted => current.push(c),
            c => current.push(c.to_ascii_lowercase()),
        }
    }
    parts.push(current);
    parts
}

/// `regclassin` → `regclassout` with `search_path = ''`: the relation, qualified.
fn regclass_input(env: &Env<'_>, raw: &str) -> String {
    let parts = split_qualified_name(raw);
    let name = match parts.as_slice() {
        [schema, rel] => QualifiedName::new(schema.clone(), rel.clone()),
        [_, schema, rel] => QualifiedName::new(schema.clone(), rel.clone()),
        [rel] => {
            let found = env
                .search_path()
                .into_iter()
                .map(|s| QualifiedName::new(s, rel.clone()))
                .find(|qn| env.scope.relations.contains(qn));
            found.unwrap_or_else(|| QualifiedName::new(env.default_schema(), rel.clone()))
        }
        _ => return raw.to_string(),
    };
    if name.schema == "pg_catalog" {
        return quote_ident(&name.name, env.version);
    }
    name.quoted(env.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_types_normalise() {
        assert_eq!(bool_input("yes").unwrap(), "t");
        assert_eq!(bool_input(" Off ").unwrap(), "f");
        assert_eq!(
            uuid_input("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}").unwrap(),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        );
        assert_eq!(bytea_input("\\xDEAD").unwrap(), "\\xdead");
        assert_eq!(bytea_input("ab\\\\").unwrap(), "\\x61625c");
        assert_eq!(bit_input("x1F").unwrap(), "00011111");
        assert_eq!(inet_input("192.168.0.1/32", false).unwrap(), "192.168.0.1");
        assert_eq!(inet_input("10.1/16", true).unwrap(), "10.1.0.0/16");
        assert_eq!(inet_input("::1", false).unwrap(), "::1");
        assert_eq!(
            split_qualified_name("App.\"My Seq\""),
            vec!["app", "My Seq"]
        );
    }
    #[test]
    fn odd_input_never_panics() {
        use crate::ddl::canon::{Scope, TypeRegistry};
        use crate::model::PgVersion;
        let registry = TypeRegistry::default();
        let empty = Default::default();
        let functions = Default::default();
        let path = vec!["public".to_string()];
        let scope = Scope {
            version: PgVersion(15),
            search_path: &path,
            types: &registry,
            relations: &empty,
            functions: &functions,
            extensions: &crate::ddl::canon::Extensions::new(),
            table: None,
            columns: &[],
        };
        let env = Env::new(&scope);
        let inputs = [
            "",
            " ",
            "é",
            "é:1",
            "1é:2",
            "+é",
            "12é4",
            "{",
            "}",
            "{\"",
            "[1:2]={1}",
            "\\",
            "\\x",
            "\\xZZ",
            "P",
            "PT",
            "@",
            "ago",
            "1 ago ago",
            "::",
            "1:2:3:4",
            "-",
            "+",
            "e",
            "1e",
            "1e99999",
            "99999999999999999999999",
            "NaN",
            "-infinity",
            "2020-13-45",
            "24:00:00",
            "January",
            "1 2 3",
            "{{1},{2}",
            "{\"a\":}",
            "[",
            "\"",
            "null",
            "x1G",
            "b102",
            "1.2.3.4.5",
            "::1/129",
            "🦀",
            "1 🦀",
            "🦀:00",
            "00:🦀",
            "{🦀}",
            "P1🦀",
            "1 🦀s",
            "10:00🦀",
            "+🦀🦀",
        ];
        for o in [
            oid::BOOL,
            oid::INT2,
            oid::INT4,
            oid::INT8,
            oid::NUMERIC,
            oid::FLOAT4,
            oid::FLOAT8,
            oid::DATE,
            oid::TIME,
            oid::TIMETZ,
            oid::TIMESTAMP,
            oid::TIMESTAMPTZ,
            oid::INTERVAL,
            oid::UUID,
            oid::BYTEA,
            oid::BIT,
            oid::INET,
            oid::CIDR,
            oid::MACADDR,
            oid::JSONB,
            oid::REGCLASS,
            oid::REGTYPE,
            1007,
            1009,
        ] {
            for raw in inputs {
                let _ = input(&env, &Ty::Builtin(o), -1, raw);
                let _ = input(&env, &Ty::Builtin(o), 0x7FFF_0003, raw);
            }
        }
    }
}
