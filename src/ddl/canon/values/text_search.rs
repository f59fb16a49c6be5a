//! Constants of text-like types with a normalising output function: `money` (`cash_out`
//! under the C monetary locale: `$1,234.50`), `tsvector` (sorted, de-duplicated, quoted
//! lexemes) and the hstore extension's `hstore` (`"key"=>"value"`, keys sorted).

use crate::ddl::canon::CanonError;

/// `cash_in` → `cash_out` with `lc_monetary = 'C'`: a dollar sign, thousands separators,
/// two decimals rounded half up.
pub(crate) fn money_input(raw: &str) -> Result<String, CanonError> {
    let bad = || CanonError::new(format!("invalid input syntax for type money: \"{raw}\""));
    let mut s = raw.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    }
    s = s.strip_prefix('$').unwrap_or(s).trim_start();
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest;
    }
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let int_digits: String = int_part.chars().filter(|&c| c != ',').collect();
    if (int_digits.is_empty() && frac_part.is_empty())
        || !int_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i128 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().map_err(|_| bad())?
    };
    let mut cents: i128 = 0;
    let f = frac_part.as_bytes();
    for i in 0..2 {
        cents = cents * 10 + f.get(i).map_or(0, |b| (b - b'0') as i128);
    }
    if f.get(2).is_some_and(|&b| b >= b'5') {
        cents += 1;
    }
    let total = whole * 100 + cents;
    let units = (total / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative && total != 0 { "-" } else { "" };
    Ok(format!("{sign}${grouped}.{:02}", total % 100))
}

/// One lexeme with its positions (`3A` = position 3, weight A).
#[derive(Debug, Clone)]
struct Lexeme {
    word: String,
    positions: Vec<(u16, char)>,
}

/// `tsvector_in` → `tsvector_out`.
pub(crate) fn tsvector_input(raw: &str) -> Result<String, CanonError> {
    let bad = || CanonError::new(format!("syntax error in tsvector: \"{raw}\""));
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    let mut lexemes: Vec<Lexeme> = Vec::new();
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut word = String::new();
        if chars[i] == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(bad()),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        word.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some('\\') => {
                        word.push(*chars.get(i + 1).ok_or_else(bad)?);
                        i += 2;
                    }
                    Some(&c) => {
                        word.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while let Some(&c) = chars.get(i) {
                if c.is_whitespace() || c == ':' {
                    break;
                }
                if c == '\\' {
                    word.push(*chars.get(i + 1).ok_or_else(bad)?);
                    i += 2;
                } else {
                    word.push(c);
                    i += 1;
                }
            }
        }
        let mut positions = Vec::new();
        if chars.get(i) == Some(&':') {
            i += 1;
            loop {
                let start = i;
                while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                    i += 1;
                }
                let pos: u16 = chars[start..i]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .map_err(|_| bad())?;
                let weight = match chars.get(i).map(|c| c.to_ascii_uppercase()) {
                    Some(w @ ('A' | 'B' | 'C' | 'D')) => {
                        i += 1;
                        w
                    }
                    _ => 'D',
                };
                positions.push((pos, weight));
                if chars.get(i) == Some(&',') {
                    i += 1;
                } else {
                    break;
                }
            }
        }
        if word.is_empty() {
            return Err(bad());
        }
        lexemes.push(Lexeme { word, positions });
    }
    lexemes.sort_by(|a, b| a.word.as_bytes().cmp(b.word.as_bytes()));
    let mut merged: Vec<Lexeme> = Vec::new();
    for lex in lexemes {
        match merged.last_mut() {
            Some(last) if last.word == lex.word => last.positions.extend(lex.positions),
            _ => merged.push(lex),
        }
    }
    let parts: Vec<String> = merged
        .into_iter()
        .map(|mut lex| {
            lex.positions.sort();
            lex.positions.dedup_by_key(|p| p.0);
            let mut out = format!("'{}'", lex.word.replace('\'', "''"));
            if !lex.positions.is_empty() {
                let ps: Vec<String> = lex
                    .positions
                    .iter()
                    .map(|(p, w)| {
                        if *w == 'D' {
                            p.to_string()
                        } else {
                            format!("{p}{w}")
                        }
                    })
                    .collect();
                out.push(':');
                out.push_str(&ps.join(","));
            }
            out
        })
        .collect();
    Ok(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_in_the_c_locale() {
        assert_eq!(money_input("1234567.891").unwrap(), "$1,234,567.89");
        assert_eq!(money_input("-12.5").unwrap(), "-$12.50");
        assert_eq!(money_input("$1,000").unwrap(), "$1,000.00");
        assert_eq!(money_input("0").unwrap(), "$0.00");
        assert_eq!(money_input("12.345").unwrap(), "$12.35");
    }

    #[test]
    fn tsvector_sorts_and_quotes() {
        assert_eq!(
            tsvector_input("a:1,2 b c:3A").unwrap(),
            "'a':1,2 'b' 'c':3A"
        );
        assert_eq!(tsvector_input("b a a").unwrap(), "'a' 'b'");
        assert_eq!(tsvector_input("ab a b").unwrap(), "'a' 'ab' 'b'");
        assert_eq!(tsvector_input("'it''s' x").unwrap(), "'it''s' 'x'");
        assert_eq!(tsvector_input(" ").unwrap(), "");
        assert_eq!(tsvector_input("abc:1 abc:2").unwrap(), "'abc':1,2");
    }
}

/// `hstore_in` → `hstore_out`: `"key"=>"value"` pairs, keys sorted (shorter first, then
/// bytewise), the first of duplicate keys kept, `NULL` values bare.
pub(crate) fn hstore_input(raw: &str) -> Result<String, CanonError> {
    let bad = || CanonError::new(format!("syntax error in hstore: \"{raw}\""));
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    // One key or value: quoted, or bare up to '=', ',' or whitespace. `None` for bare NULL.
    let item = |i: &mut usize| -> Result<Option<String>, CanonError> {
        let mut out = String::new();
        if chars.get(*i) == Some(&'"') {
            *i += 1;
            loop {
                match chars.get(*i) {
                    None => return Err(bad()),
                    Some('"') => {
                        *i += 1;
                        return Ok(Some(out));
                    }
                    Some('\\') => {
                        out.push(*chars.get(*i + 1).ok_or_else(bad)?);
                        *i += 2;
                    }
                    Some(&c) => {
                        out.push(c);
                        *i += 1;
                    }
                }
            }
        }
        while let Some(&c) = chars.get(*i) {
            if c == '=' || c == ',' || c.is_whitespace() {
                break;
            }
            if c == '\\' {
                out.push(*chars.get(*i + 1).ok_or_else(bad)?);
                *i += 2;
            } else {
                out.push(c);
                *i += 1;
            }
        }
        if out.is_empty() {
            return Err(bad());
        }
        Ok(if out.eq_ignore_ascii_case("null") {
            None
        } else {
            Some(out)
        })
    };
    let mut pairs: Vec<(String, Option<String>)> = Vec::new();
    loop {
        skip_ws(&mut i);
        if i >= chars.len() {
            break;
        }
        let key = item(&mut i)?.unwrap_or_else(|| "NULL".to_string());
        skip_ws(&mut i);
        if chars.get(i) != Some(&'=') || chars.get(i + 1) != Some(&'>') {
            return Err(bad());
        }
        i += 2;
        skip_ws(&mut i);
        let value = item(&mut i)?;
        if !pairs.iter().any(|(k, _)| *k == key) {
            pairs.push((key, value));
        }
        skip_ws(&mut i);
        match chars.get(i) {
            Some(',') => i += 1,
            None => break,
            _ => return Err(bad()),
        }
    }
    pairs.sort_by(|a, b| {
        a.0.len()
            .cmp(&b.0.len())
            .then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
    });
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{}=>{}", quote(k), quote(v)),
            None => format!("{}=>NULL", quote(k)),
        })
        .collect();
    Ok(parts.join(", "))
}

#[cfg(test)]
mod hstore_tests {
    use super::*;

    #[test]
    fn hstore_sorts_keys() {
        assert_eq!(
            hstore_input("b=>1, a=>2").unwrap(),
            "\"a\"=>\"2\", \"b\"=>\"1\""
        );
        assert_eq!(hstore_input("a=>1,a=>2").unwrap(), "\"a\"=>\"1\"");
        assert_eq!(
            hstore_input("\"x y\"=>NULL, z=>\"q\\\"t\"").unwrap(),
            "\"z\"=>\"q\\\"t\", \"x y\"=>NULL"
        );
        assert_eq!(hstore_input("").unwrap(), "");
        assert_eq!(
            hstore_input("aa=>1, b=>2").unwrap(),
            "\"b\"=>\"2\", \"aa\"=>\"1\""
        );
    }
}
