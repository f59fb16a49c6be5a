//! A last line of defence against passwords in snapshot headers: the caller passes a
//! redacted source, and the writer strips any password that still slipped through.

/// `postgres://user:secret@host/db?password=x` → `postgres://user@host/db`; a libpq keyword
/// string loses its `password=…` pair.
pub(crate) fn redact_source(source: &str) -> String {
    if let Some((scheme, rest)) = source.split_once("://") {
        let (authority_end, _) = rest
            .char_indices()
            .find(|(_, c)| matches!(c, '/' | '?' | '#'))
            .unwrap_or((rest.len(), ' '));
        let (authority, tail) = rest.split_at(authority_end);
        let authority = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split(':').next().unwrap_or("");
                format!("{user}@{host}")
            }
            None => authority.to_string(),
        };
        let tail = match tail.split_once('?') {
            Some((path, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
                    .collect();
                if kept.is_empty() {
                    path.to_string()
                } else {
                    format!("{path}?{}", kept.join("&"))
                }
            }
            None => tail.to_string(),
        };
        return format!("{scheme}://{authority}{tail}");
    }
    redact_keywords(source)
}

/// Drop `password = value` (value bare or single-quoted with `\'` escapes) from a libpq
/// keyword/value string.
fn redact_keywords(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    let Some(start) = find_keyword(&lower, "password") else {
        return source.to_string();
    };
    let bytes = source.as_bytes();
    let mut i = start + "password".len();
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'=' {
        i += 1;
    }
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'\'' {
        i += 1;
        while i < bytes.len() && bytes[i] != b'\'' {
            if bytes[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        i += 1;
    } else {
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
    }
    let end = i.min(source.len());
    let rest = format!(
        "{}{}",
        source.get(..start).unwrap_or(""),
        source.get(end..).unwrap_or("")
    );
    let cleaned = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    redact_keywords(&cleaned)
}

/// The byte offset of `word` as a whole keyword (start of text or after whitespace).
fn find_keyword(lower: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = lower.get(from..)?.find(word) {
        let at = from + found;
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower.get(at + word.len()..).unwrap_or("").trim_start();
        if before_ok && after.starts_with('=') {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(
            redact_source("postgres://auditor:s3cret-Pa55@127.0.0.1:5432/prod"),
            "postgres://auditor@127.0.0.1:5432/prod"
        );
        assert_eq!(
            redact_source("postgresql://u@h/db?sslmode=require&password=x"),
            "postgresql://u@h/db?sslmode=require"
        );
        assert_eq!(redact_source("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn keyword_strings_lose_their_password() {
        assert_eq!(
            redact_source("host=h password='a b\\' c' user=u"),
            "host=h user=u"
        );
        assert_eq!(redact_source("password = x dbname=d"), "dbname=d");
        assert_eq!(redact_source("host=h dbname=d"), "host=h dbname=d");
    }
}
