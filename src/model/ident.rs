//! Identifiers: qualified names and PostgreSQL's `quote_ident` rule, per server version.

use std::fmt;

use super::keywords::NON_UNRESERVED;

/// The PostgreSQL major version whose rendering rules apply (13 … 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PgVersion(pub u32);

impl PgVersion {
    /// The version pgdrift assumes when nothing tells it otherwise (Debian 12's server).
    pub const DEFAULT: PgVersion = PgVersion(15);

    /// From `server_version_num` (e.g. 150018 → 15).
    pub fn from_version_num(num: u32) -> PgVersion {
        PgVersion(num / 10_000)
    }

    pub fn major(self) -> u32 {
        self.0
    }
}

impl Default for PgVersion {
    fn default() -> Self {
        PgVersion::DEFAULT
    }
}

impl fmt::Display for PgVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A schema-qualified object name. Both parts are exact (case kept, never quoted).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// `schema.name` with each part quoted as PostgreSQL's `quote_ident` would.
    pub fn quoted(&self, version: PgVersion) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.schema, version),
            quote_ident(&self.name, version)
        )
    }
}

/// Object paths are written unquoted with their case kept: `public.InviteStatus`.
impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

/// Whether `word` is a keyword that `quote_ident` quotes on `version`.
pub fn is_quoted_keyword(word: &str, version: PgVersion) -> bool {
    NON_UNRESERVED
        .binary_search_by(|(kw, _)| (*kw).cmp(word))
        .map(|i| NON_UNRESERVED[i].1 <= version.0)
        .unwrap_or(false)
}

/// PostgreSQL's `quote_identifier`: leave `ident` bare only when it is lower-case ASCII
/// letters, digits and underscores, starts with a letter or underscore, and is not a keyword
/// (other than an unreserved one); otherwise wrap it in double quotes, doubling any inside.
pub fn quote_ident(ident: &str, version: PgVersion) -> String {
    let mut chars = ident.chars();
    let safe_start = matches!(chars.next(), Some('a'..='z' | '_'));
    let safe = safe_start
        && ident
            .chars()
            .all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !is_quoted_keyword(ident, version);
    if safe {
        ident.to_string()
    } else {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }
}

/// Quote a SQL string literal the way PostgreSQL's `quote_literal` prints it in deparsed
/// expressions: single quotes doubled; a backslash makes it an `E''` string with doubled
/// backslashes.
pub fn quote_literal(value: &str) -> String {
    if value.contains('\\') {
        format!("E'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V15: PgVersion = PgVersion(15);

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(NON_UNRESERVED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn quote_ident_follows_postgres() {
        assert_eq!(quote_ident("users", V15), "users");
        assert_eq!(quote_ident("_x1", V15), "_x1");
        assert_eq!(quote_ident("workspaceId", V15), "\"workspaceId\"");
        assert_eq!(quote_ident("1abc", V15), "\"1abc\"");
        assert_eq!(quote_ident("user", V15), "\"user\"");
        assert_eq!(quote_ident("order", V15), "\"order\"");
        // unreserved keywords stay bare
        assert_eq!(quote_ident("name", V15), "name");
        assert_eq!(quote_ident("action", V15), "action");
        assert_eq!(quote_ident("bıgınt", V15), "\"bıgınt\"");
        assert_eq!(quote_ident("a\"b", V15), "\"a\"\"b\"");
        assert_eq!(quote_ident("with space", V15), "\"with space\"");
    }

    #[test]
    fn keyword_set_depends_on_version() {
        assert_eq!(quote_ident("system_user", PgVersion(15)), "system_user");
        assert_eq!(quote_ident("system_user", PgVersion(16)), "\"system_user\"");
        assert_eq!(quote_ident("json", PgVersion(16)), "json");
        assert_eq!(quote_ident("json", PgVersion(17)), "\"json\"");
    }

    #[test]
    fn qualified_names_display_unquoted_and_quote_on_demand() {
        let name = QualifiedName::new("public", "InviteStatus");
        assert_eq!(name.to_string(), "public.InviteStatus");
        assert_eq!(name.quoted(V15), "public.\"InviteStatus\"");
    }

    #[test]
    fn literals_are_quoted_like_postgres() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
    }
}
