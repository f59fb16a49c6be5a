//! Raw flags → a validated plan, without I/O: source specs classified, environment names
//! checked, output options resolved. Anything wrong here is a usage error (exit 2).

use std::fmt;
use std::path::PathBuf;

/// Where a model comes from, as the user named it.
#[derive(Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A postgres:// URL or a libpq keyword string (kept raw: it may hold a password).
    Database(String),
    /// A SQL file, a YAML file, or a folder of migrations.
    Path(PathBuf),
}

impl SourceSpec {
    /// Classify what the user typed. URLs and `key=value` strings are databases; everything
    /// else is a path (checked for existence only when read).
    pub fn classify(raw: &str) -> SourceSpec {
        let trimmed = raw.trim();
        if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
            return SourceSpec::Database(trimmed.to_string());
        }
        if looks_like_keywords(trimmed) && !std::path::Path::new(trimmed).exists() {
            return SourceSpec::Database(trimmed.to_string());
        }
        SourceSpec::Path(PathBuf::from(raw))
    }

    pub fn is_database(&self) -> bool {
        matches!(self, SourceSpec::Database(_))
    }
}

/// Never shows a password: databases are shown redacted.
impl fmt::Debug for SourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceSpec::Database(raw) => write!(f, "Database({})", redact(raw)),
            SourceSpec::Path(p) => write!(f, "Path({})", p.display()),
        }
    }
}

/// A libpq keyword/value string starts with `keyword=` (letters and underscores).
fn looks_like_keywords(raw: &str) -> bool {
    let Some((key, _)) = raw.split_once('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// Mask any password in text the user typed before it goes into a message: the userinfo
/// password of a URL and `password=…` in keyword strings.
pub fn redact(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // URL form: scheme://user:password@host…
    if let Some(scheme_end) = raw.find("://") {
        let (head, rest) = raw.split_at(scheme_end + 3);
        out.push_str(head);
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                let user = userinfo.split(':').next().unwrap_or("");
                out.push_str(user);
                if userinfo.contains(':') {
                    out.push_str(":***");
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        out.push_str(&redact_keywords(tail));
        return out;
    }
    redact_keywords(raw)
}

/// Replace the value of every `password=` (keyword strings and URL query parameters).
fn redact_keywords(raw: &str) -> String {
    let lower = raw.to_ascii_lowercase();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(pos) = lower[i..].find("password") {
        let start = i + pos;
        let after = start + "password".len();
        let rest = &raw[after..];
        let eq = rest.len() - rest.trim_start().len();
        if rest.trim_start().starts_with('=') {
            let value_start = after + eq + 1;
            let value = &raw[value_start..];
            let value_trim = value.len() - value.trim_start().len();
            let v = &value[value_trim..];
            let value_len = if let Some(quoted) = v.strip_prefix('\'') {
                // libpq quoting: backslash escapes, ends at an unescaped quote.
                let mut len = 1;
                let mut chars = quoted.chars();
                while let Some(c) = chars.next() {
                    len += c.len_utf8();
                    if c == '\\' {
                        if let Some(n) = chars.next() {
                            len += n.len_utf8();
                        }
                    } else if c == '\'' {
                        break;
                    }
                }
                len
            } else {
                v.find([' ', '&', '\t', '\n']).unwrap_or(v.len())
            };
            out.push_str(&raw[i..value_start + value_trim]);
            out.push_str("***");
            i = value_start + value_trim + value_len;
        } else {
            out.push_str(&raw[i..after]);
            i = after;
        }
    }
    out.push_str(&raw[i..]);
    out
}

/// `NAME=SRC` of `--env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSpec {
    pub name: String,
    pub source: SourceSpec,
}

/// A usage error found while planning (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(pub String);

/// Parse the `--env` values: names are unique, made of letters, digits, `_` and `-`.
pub fn parse_envs(values: &[String]) -> Result<Vec<EnvSpec>, PlanError> {
    let mut envs: Vec<EnvSpec> = Vec::with_capacity(values.len());
    for value in values {
        let bad = || {
            PlanError(format!(
                "--env expects NAME=SRC (for example prod=postgres://user@host/db), got '{}'",
                redact(value)
            ))
        };
        let (name, source) = value.split_once('=').ok_or_else(bad)?;
        let name = name.trim();
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid_name || source.trim().is_empty() {
            return Err(bad());
        }
        if envs.iter().any(|e| e.name == name) {
            return Err(PlanError(format!(
                "environment '{name}' is given twice; each --env needs its own name"
            )));
        }
        envs.push(EnvSpec {
            name: name.to_string(),
            source: SourceSpec::classify(source),
        });
    }
    Ok(envs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_keyword_strings_are_databases() {
        assert!(SourceSpec::classify("postgres://u@h/db").is_database());
        assert!(SourceSpec::classify("postgresql://h").is_database());
        assert!(SourceSpec::classify("host=localhost dbname=app").is_database());
        assert!(!SourceSpec::classify("migrations/").is_database());
        assert!(!SourceSpec::classify("schema.yaml").is_database());
    }

    #[test]
    fn passwords_are_masked_in_messages() {
        assert_eq!(
            redact("postgres://auditor:s3cret-Pa55@127.0.0.1:5432/prod"),
            "postgres://auditor:***@127.0.0.1:5432/prod"
        );
        assert_eq!(
            redact("postgres://h/db?sslmode=require&password=s3cret"),
            "postgres://h/db?sslmode=require&password=***"
        );
        assert_eq!(
            redact("host=h password='a b\\' c' dbname=x"),
            "host=h password=*** dbname=x"
        );
        assert_eq!(redact("host=h PASSWORD = pw"), "host=h PASSWORD = ***");
        assert_eq!(redact("migrations/"), "migrations/");
    }

    #[test]
    fn env_specs_need_unique_names() {
        let envs = parse_envs(&["dev=postgres://h/dev".into(), "prod=migrations".into()]).unwrap();
        assert_eq!(envs[0].name, "dev");
        assert!(envs[0].source.is_database());
        assert!(!envs[1].source.is_database());
        assert!(parse_envs(&["dev=a".into(), "dev=b".into()]).is_err());
        let err = parse_envs(&["postgres://u:pw@h/db?sslmode=require".into()]).unwrap_err();
        assert!(!err.0.contains("pw@"), "{}", err.0);
        assert!(parse_envs(&["prod=".into()]).is_err());
    }
}
