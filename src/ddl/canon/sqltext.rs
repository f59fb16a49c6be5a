//! Text PostgreSQL itself prints that sqlparser 0.63 cannot read, rewritten into an
//! equivalent form it can: `TRIM(BOTH FROM x)` (14+) becomes `TRIM(BOTH x)`, and the
//! `VARIADIC` marker ruleutils puts before a merged variadic array is dropped (the
//! analysis recognises the array as the variadic argument). Strings, quoted identifiers
//! and comments are left alone.

/// Rewrite PostgreSQL output (`pg_get_expr`, `pg_get_indexdef`, pg_dump files) so that
/// sqlparser can parse it into the same expression; text without those constructs is
/// returned unchanged.
pub fn prepare_for_sqlparser(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::with_capacity(sql.len());
    // Byte offsets in `out` of the parentheses still open.
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => {
                open.push(out.len());
                out.push(c);
                i += 1;
            }
            ')' => {
                open.pop();
                out.push(c);
                i += 1;
            }
            '\'' | '"' => {
                // Copy a quoted literal or identifier (doubled quotes stay inside).
                out.push(c);
                i += 1;
                while i < chars.len() {
                    out.push(chars[i]);
                    if chars[i] == c {
                        if chars.get(i + 1) == Some(&c) {
                            out.push(c);
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    i += 1;
                }
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            c if is_word_char(c) && (i == 0 || !is_word_char(chars[i - 1])) => {
                let start = i;
                while i < chars.len() && is_word_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let upper = word.to_ascii_uppercase();
                if upper == "OPERATOR" && chars.get(i) == Some(&'(') {
                    // OPERATOR(schema.op) ANY/ALL (…): sqlparser only takes a bare
                    // operator there; the operator is resolved again from the types.
                    if let Some(close) = chars[i..].iter().position(|&c| c == ')') {
                        let inner: String = chars[i + 1..i + close].iter().collect();
                        let after =
                            next_word(&chars, i + close + 1).map(|w| w.to_ascii_uppercase());
                        if matches!(after.as_deref(), Some("ANY" | "ALL" | "SOME")) {
                            let op = inner.rsplit('.').next().unwrap_or(&inner).trim();
                            out.push_str(op);
                            i += close + 1;
                            continue;
                        }
                    }
                }
                if upper == "VARIADIC" && next_word(&chars, i).is_some() {
                    // Drop the marker and the space after it.
                    while i < chars.len() && chars[i] == ' ' {
                        i += 1;
                    }
                    continue;
                }
                if upper == "COLLATE" {
                    // (x::type COLLATE "C"): sqlparser needs the cast in parentheses.
                    if let Some(&start) = open.last() {
                        let inner = out[start + 1..].trim_end();
                        if is_cast_atom(inner) {
                            let wrapped = format!("({inner}) ");
                            out.truncate(start + 1);
                            out.push_str(&wrapped);
                        }
                    }
                }
                out.push_str(&word);
                if matches!(upper.as_str(), "BOTH" | "LEADING" | "TRAILING")
                    && trim_before(start, &chars)
                {
                    // TRIM(BOTH FROM x): drop "FROM".
                    let mut j = i;
                    while j < chars.len() && chars[j] == ' ' {
                        j += 1;
                    }
                    if next_word(&chars, j).is_some_and(|w| w.eq_ignore_ascii_case("from")) {
                        i = j + 4;
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `operand::type` with a single operand (a literal, a name or a parenthesised group) and
/// nothing else: wrapping it in parentheses changes nothing.
fn is_cast_atom(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    match chars.first() {
        Some('\'') | Some('"') => {
            let q = chars[0];
            i = 1;
            loop {
                match chars.get(i) {
                    None => return false,
                    Some(&c) if c == q && chars.get(i + 1) == Some(&q) => i += 2,
                    Some(&c) if c == q => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
        }
        Some('(') => {
            let mut depth = 0;
            while let Some(&c) = chars.get(i) {
                i += 1;
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(&c) if is_word_char(c) => {
            while chars.get(i).is_some_and(|&c| is_word_char(c) || c == '.') {
                i += 1;
            }
        }
        _ => return false,
    }
    if chars.get(i) != Some(&':') || chars.get(i + 1) != Some(&':') {
        return false;
    }
    chars[i + 2..]
        .iter()
        .all(|&c| is_word_char(c) || matches!(c, ' ' | '.' | '"' | '(' | ')' | '[' | ']' | ','))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The word starting at `i` (after spaces), if any.
fn next_word(chars: &[char], mut i: usize) -> Option<String> {
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    let start = i;
    while i < chars.len() && is_word_char(chars[i]) {
        i += 1;
    }
    (i > start).then(|| chars[start..i].iter().collect())
}

/// Whether the word at `start` directly follows `TRIM(`.
fn trim_before(start: usize, chars: &[char]) -> bool {
    let before: String = chars[..start].iter().collect();
    let trimmed = before.trim_end();
    trimmed
        .strip_suffix('(')
        .map(|b| b.trim_end().to_ascii_uppercase().ends_with("TRIM"))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_what_sqlparser_cannot_read() {
        assert_eq!(
            prepare_for_sqlparser("(length(TRIM(BOTH FROM name)) > 0)"),
            "(length(TRIM(BOTH name)) > 0)"
        );
        assert_eq!(
            prepare_for_sqlparser("TRIM(LEADING 'x'::text FROM y)"),
            "TRIM(LEADING 'x'::text FROM y)"
        );
        assert_eq!(
            prepare_for_sqlparser("jsonb_extract_path(j, VARIADIC ARRAY['a'::text])"),
            "jsonb_extract_path(j, ARRAY['a'::text])"
        );
        assert_eq!(
            prepare_for_sqlparser("'VARIADIC x' || \"TRIM(BOTH FROM\""),
            "'VARIADIC x' || \"TRIM(BOTH FROM\""
        );
        assert_eq!(
            prepare_for_sqlparser("a -- VARIADIC b\n"),
            "a -- VARIADIC b\n"
        );
    }
}
