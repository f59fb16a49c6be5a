//! The password file (`~/.pgpass`, `PGPASSFILE`, `passfile=`), read as libpq's
//! `passwordFromFile` does: `host:port:database:user:password` lines, `*` matching anything
//! in the first four fields, `\:` and `\\` escapes, `#` comments, the first match winning,
//! and the whole file ignored (with a warning) when it is not a plain file or when its group
//! or others may read it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What looking up a password in the file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    NotFound,
    /// The file exists but libpq would not use it; the message says why.
    Ignored(String),
}

/// Look up the password for `host:port:database:user` in the file at `path`.
pub fn lookup(path: &Path, host: &str, port: &str, database: &str, user: &str) -> Lookup {
    let Ok(meta) = std::fs::metadata(path) else {
        return Lookup::NotFound;
    };
    if !meta.is_file() {
        return Lookup::Ignored(format!(
            "password file \"{}\" is not a plain file",
            path.display()
        ));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Lookup::Ignored(format!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            path.display()
        ));
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return Lookup::NotFound;
    };
    match find(&text, host, port, database, user) {
        Some(p) => Lookup::Found(p),
        None => Lookup::NotFound,
    }
}

/// The password of the first line matching all four keys.
pub fn find(text: &str, host: &str, port: &str, database: &str, user: &str) -> Option<String> {
    text.lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .find_map(|line| {
            let rest = match_field(line, host)?;
            let rest = match_field(rest, port)?;
            let rest = match_field(rest, database)?;
            let rest = match_field(rest, user)?;
            Some(unescape_password(rest))
        })
}

/// libpq's `pwdfMatchesString`: if the field at the start of `line` matches `value` (or is
/// `*`), the rest of the line after its ':'.
fn match_field<'a>(line: &'a str, value: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix("*:") {
        return Some(rest);
    }
    let mut expected = value.chars();
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        let c = match c {
            ':' => {
                return expected.next().is_none().then(|| &line[i + 1..]);
            }
            '\\' => match chars.next() {
                Some((_, escaped)) => escaped,
                None => return None,
            },
            c => c,
        };
        if expected.next() != Some(c) {
            return None;
        }
    }
    None
}

/// The password field ends at an unescaped ':'; backslashes escape the next character.
fn unescape_password(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ':' => break,
            '\\' if chars.peek().is_some() => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# comment\n\
        db.example.com:5432:app:alice:first\n\
        db.example.com:5432:*:alice:second\n\
        *:*:*:bob:b\\:o\\\\b:ignored\n\
        weird\\:host:5432:app:carol:c\r\n";

    #[test]
    fn first_match_wins_with_wildcards() {
        assert_eq!(
            find(FILE, "db.example.com", "5432", "app", "alice").as_deref(),
            Some("first")
        );
        assert_eq!(
            find(FILE, "db.example.com", "5432", "other", "alice").as_deref(),
            Some("second")
        );
        assert_eq!(find(FILE, "db.example.com", "5433", "app", "alice"), None);
    }

    #[test]
    fn escapes_in_fields_and_password() {
        assert_eq!(
            find(FILE, "anywhere", "1", "x", "bob").as_deref(),
            Some("b:o\\b")
        );
        assert_eq!(
            find(FILE, "weird:host", "5432", "app", "carol").as_deref(),
            Some("c")
        );
    }

    #[test]
    fn prefixes_do_not_match() {
        assert_eq!(
            find("host:5432:app:al:pw\n", "host", "5432", "app", "alice"),
            None
        );
        assert_eq!(
            find("host:5432:app:alice:pw\n", "host", "5432", "app", "al"),
            None
        );
    }

    #[test]
    fn group_readable_files_are_ignored() {
        let dir = std::env::temp_dir().join(format!("pgdrift-pgpass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pgpass");
        std::fs::write(&path, "*:*:*:*:pw\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            matches!(lookup(&path, "h", "5432", "d", "u"), Lookup::Ignored(m) if m.contains("group or world"))
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            lookup(&path, "h", "5432", "d", "u"),
            Lookup::Found("pw".into())
        );
        assert_eq!(
            lookup(&dir.join("missing"), "h", "5432", "d", "u"),
            Lookup::NotFound
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
