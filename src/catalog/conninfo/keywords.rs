//! libpq keyword/value connection strings (`host=db port=5432 password='a b'`), parsed as
//! libpq's `conninfo_parse` does: whitespace around `=` allowed, values single-quoted or
//! bare, a backslash escaping the next character in both.

use super::super::error::ConnInfoError;

/// The keyword/value pairs of `source`, in order (later entries win).
pub fn parse(source: &str) -> Result<Vec<(String, String)>, ConnInfoError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut name = String::new();
        while i < n && chars[i] != '=' && !chars[i].is_whitespace() {
            name.push(chars[i]);
            i += 1;
        }
        while i < n && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= n || chars[i] != '=' {
            return Err(ConnInfoError::InvalidKeywords(format!(
                "missing \"=\" after \"{name}\""
            )));
        }
        i += 1;
        while i < n && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < n && chars[i] == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(ConnInfoError::InvalidKeywords(format!(
                            "unterminated quoted string in the value of \"{name}\""
                        )))
                    }
                    Some('\\') => {
                        if let Some(&c) = chars.get(i + 1) {
                            value.push(c);
                            i += 2;
                        } else {
                            i += 1;
                        }
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < n && !chars[i].is_whitespace() {
                if chars[i] == '\\' {
                    if let Some(&c) = chars.get(i + 1) {
                        value.push(c);
                    }
                    i += 2;
                } else {
                    value.push(chars[i]);
                    i += 1;
                }
            }
        }
        out.push((name, value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(source: &str) -> Vec<(String, String)> {
        parse(source).unwrap()
    }

    #[test]
    fn bare_and_quoted_values() {
        assert_eq!(
            kv("host=db port = 5432  password='a b\\'c' user=me\\ you dbname=''"),
            vec![
                ("host".into(), "db".into()),
                ("port".into(), "5432".into()),
                ("password".into(), "a b'c".into()),
                ("user".into(), "me you".into()),
                ("dbname".into(), String::new()),
            ]
        );
    }

    #[test]
    fn backslash_escapes_backslash() {
        assert_eq!(
            kv("password='x\\\\y'"),
            vec![("password".into(), "x\\y".into())]
        );
    }

    #[test]
    fn malformed_strings_are_errors_without_the_value() {
        let e = parse("host=h password").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid connection string: missing \"=\" after \"password\""
        );
        let e = parse("password='secret").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
