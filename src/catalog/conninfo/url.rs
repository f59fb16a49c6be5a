//! `postgres://` and `postgresql://` URIs, parsed as libpq's `conninfo_uri_parse_options`
//! does: `[user[:password]@][host[:port][,host[:port]…]][/dbname][?key=value&…]`, every part
//! percent-decoded, IPv6 hosts in brackets, `ssl=true` meaning `sslmode=require` (JDBC habit).

use super::super::error::ConnInfoError;

const PREFIXES: [&str; 2] = ["postgresql://", "postgres://"];

/// Whether `source` is a connection URI.
pub fn is_uri(source: &str) -> bool {
    PREFIXES.iter().any(|p| source.starts_with(p))
}

/// The libpq keywords a URI sets, in order (later entries win).
pub fn parse(source: &str) -> Result<Vec<(String, String)>, ConnInfoError> {
    let rest = PREFIXES
        .iter()
        .find_map(|p| source.strip_prefix(p))
        .ok_or(ConnInfoError::NotAConnectionString)?;
    let mut out = Vec::new();

    // libpq looks for the credentials designator '@' before any '/', so a password may hold
    // '?' or ':' unencoded but not '@' or '/'.
    let rest = match rest.find(['@', '/']) {
        Some(at) if rest.as_bytes()[at] == b'@' => {
            let cred = &rest[..at];
            let (user, password) = match cred.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (cred, None),
            };
            if !user.is_empty() {
                out.push(("user".into(), decode(user)?));
            }
            if let Some(p) = password {
                if !p.is_empty() {
                    out.push(("password".into(), decode(p)?));
                }
            }
            &rest[at + 1..]
        }
        _ => rest,
    };
    let hostspec_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (hostspec, tail) = rest.split_at(hostspec_end);

    if !hostspec.is_empty() {
        let (hosts, ports) = parse_hosts(hostspec)?;
        if hosts.iter().any(|h| !h.is_empty()) {
            out.push(("host".into(), hosts.join(",")));
        }
        if ports.iter().any(|p| !p.is_empty()) {
            out.push(("port".into(), ports.join(",")));
        }
    }

    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail, None),
    };
    if let Some(db) = path.strip_prefix('/') {
        if !db.is_empty() {
            out.push(("dbname".into(), decode(db)?));
        }
    }
    if let Some(query) = query {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                ConnInfoError::InvalidUri(format!(
                    "missing \"=\" in query parameter \"{}\"",
                    redact_query_key(pair)
                ))
            })?;
            let key = decode(key)?;
            let value = decode(value)?;
            if key == "ssl" {
                if value == "true" {
                    out.push(("sslmode".into(), "require".into()));
                    continue;
                }
                return Err(ConnInfoError::InvalidUri(
                    "query parameter \"ssl\" only accepts \"true\"".into(),
                ));
            }
            out.push((key, value));
        }
    }
    Ok(out)
}

/// A query pair without its value (which may be a password).
fn redact_query_key(pair: &str) -> &str {
    pair.split('=').next().unwrap_or("")
}

/// `h1:5432,[::1]:5433,h3` → hosts and ports as parallel lists (empty = default).
fn parse_hosts(spec: &str) -> Result<(Vec<String>, Vec<String>), ConnInfoError> {
    let mut hosts = Vec::new();
    let mut ports = Vec::new();
    for item in spec.split(',') {
        let (host, port) = if let Some(inner) = item.strip_prefix('[') {
            let (addr, after) = inner.split_once(']').ok_or_else(|| {
                ConnInfoError::InvalidUri(format!("missing \"]\" in IPv6 host address \"{item}\""))
            })?;
            if addr.is_empty() {
                return Err(ConnInfoError::InvalidUri(
                    "IPv6 host address may not be empty".into(),
                ));
            }
            let port = match after {
                "" => "",
                p => p.strip_prefix(':').ok_or_else(|| {
                    ConnInfoError::InvalidUri(format!(
                        "unexpected character after IPv6 host address \"{addr}\""
                    ))
                })?,
            };
            (addr.to_string(), port)
        } else {
            let (h, p) = item.split_once(':').unwrap_or((item, ""));
            (decode(h)?, p)
        };
        hosts.push(host);
        ports.push(decode(port)?);
    }
    Ok((hosts, ports))
}

/// Percent-decoding as libpq does it: `%XX` only, `+` stays a plus, `%00` is refused.
pub fn decode(s: &str) -> Result<String, ConnInfoError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| ConnInfoError::InvalidUri("invalid percent-encoded token".into()))?;
            if hex == 0 {
                return Err(ConnInfoError::InvalidUri(
                    "forbidden value %00 in percent-encoded value".into(),
                ));
            }
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| ConnInfoError::InvalidUri("percent-encoded value is not UTF-8".into()))
}

/// Percent-encode what would break a URI component (for the display form).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(source: &str) -> Vec<(String, String)> {
        parse(source).unwrap()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn full_uri() {
        assert_eq!(
            kv("postgresql://al%40ice:p%3Ass@db.example.com:6432/my%20db?sslmode=verify-full&application_name=x"),
            pairs(&[
                ("user", "al@ice"),
                ("password", "p:ss"),
                ("host", "db.example.com"),
                ("port", "6432"),
                ("dbname", "my db"),
                ("sslmode", "verify-full"),
                ("application_name", "x"),
            ])
        );
    }

    #[test]
    fn credentials_end_at_the_first_at_sign() {
        assert_eq!(
            kv("postgres://u:a%40b?c@h/d"),
            pairs(&[
                ("user", "u"),
                ("password", "a@b?c"),
                ("host", "h"),
                ("dbname", "d")
            ])
        );
    }

    #[test]
    fn socket_directories_and_empty_parts() {
        assert_eq!(kv("postgres://"), pairs(&[]));
        assert_eq!(kv("postgres:///db"), pairs(&[("dbname", "db")]));
        assert_eq!(
            kv("postgres://%2Fvar%2Frun%2Fpostgresql/db"),
            pairs(&[("host", "/var/run/postgresql"), ("dbname", "db")])
        );
        assert_eq!(
            kv("postgres:///db?host=/tmp&port=5433"),
            pairs(&[("dbname", "db"), ("host", "/tmp"), ("port", "5433")])
        );
    }

    #[test]
    fn multiple_hosts_and_ipv6() {
        assert_eq!(
            kv("postgres://[::1]:5433,h2,h3:7/db"),
            pairs(&[("host", "::1,h2,h3"), ("port", "5433,,7"), ("dbname", "db")])
        );
    }

    #[test]
    fn jdbc_ssl_true_means_require() {
        assert_eq!(
            kv("postgres://h/d?ssl=true"),
            pairs(&[("host", "h"), ("dbname", "d"), ("sslmode", "require")])
        );
    }

    #[test]
    fn bad_encodings_are_errors() {
        assert!(parse("postgres://h/%zz").is_err());
        assert!(parse("postgres://h/a%00b").is_err());
        assert!(parse("postgres://[::1/db").is_err());
        assert!(parse("postgres://h/d?novalue").is_err());
    }

    #[test]
    fn plus_is_not_a_space() {
        assert_eq!(decode("a+b").unwrap(), "a+b");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }
}
