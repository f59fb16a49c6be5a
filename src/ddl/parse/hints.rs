//! What a statement pgdrift cannot apply might change, read from its tokens: the relations
//! an `ALTER TABLE` names, the DDL inside a `DO` block or function body (including dynamic
//! SQL in string literals), the functions a `SELECT` calls. Used to word located notes.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{significant, tokenize, word};

/// Hints for the note about a statement that is not applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// Relations the statement acts on, as written (`ALTER TABLE x`, `CREATE INDEX … ON x`).
    pub relations: Vec<ObjectName>,
    /// Whether the statement would create the relation rather than change it.
    pub creates: bool,
    /// Schema-changing statements found in a body: `ALTER TABLE users`, `CREATE TABLE
    /// (dynamic SQL)`.
    pub body_ddl: Vec<String>,
    /// Functions or procedures the statement calls (`SELECT f(…)`, `CALL p(…)`).
    pub calls: Vec<ObjectName>,
    /// For a body that runs nothing pgdrift models, what it runs instead (`GRANT`,
    /// `ALTER DEFAULT PRIVILEGES`, `OWNER TO`); empty otherwise.
    pub body_harmless: Vec<String>,
}

/// The statement's first words for a note: whitespace collapsed, cut before a dollar-quoted
/// body (its opening delimiter kept) and at about 60 characters.
pub fn first_words(text: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c == '$' {
            if let Some(len) = dollar_tag_len(&text[i..]) {
                out.push_str(&text[i..i + len]);
                return out;
            }
        }
        out.push(c);
        if out.len() > 80 {
            break;
        }
    }
    if out.len() > 60 {
        let mut limit = 60;
        while !out.is_char_boundary(limit) {
            limit -= 1;
        }
        match out[..limit].rfind(' ') {
            Some(cut) if cut >= 40 => out.truncate(cut),
            _ => out.truncate(limit),
        }
    }
    out
}

/// The length of a `$tag$` delimiter at the start of `s`, if there is one.
fn dollar_tag_len(s: &str) -> Option<usize> {
    let rest = &s[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    let valid = tag
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
    valid.then_some(end + 2)
}

/// The first unquoted words of a statement, upper-cased (empty for non-words).
pub(crate) fn leading_words(tokens: &[TokenWithSpan]) -> Vec<String> {
    significant(tokens)
        .iter()
        .take(6)
        .map(|t| word(t).unwrap_or_default())
        .collect()
}

/// Read `name[.name…]` starting at `tokens[i]`; returns the name and the next index.
fn object_name_at(tokens: &[&Token], mut i: usize) -> Option<(ObjectName, usize)> {
    let mut parts = Vec::new();
    loop {
        match tokens.get(i) {
            Some(Token::Word(w)) => {
                parts.push(ObjectNamePart::Identifier(Ident {
                    value: w.value.clone(),
                    quote_style: w.quote_style,
                    span: sqlparser::tokenizer::Span::empty(),
                }));
                i += 1;
            }
            _ => return None,
        }
        if matches!(tokens.get(i), Some(Token::Period)) {
            i += 1;
        } else {
            return Some((ObjectName(parts), i));
        }
    }
}

fn is_word(token: Option<&&Token>, w: &str) -> bool {
    token.is_some_and(|t| super::cursor::is_word(t, w))
}

/// Skip the optional words at `i` (in order, each at most once).
fn skip_words(tokens: &[&Token], mut i: usize, optional: &[&[&str]]) -> usize {
    for words in optional {
        if words
            .iter()
            .enumerate()
            .all(|(k, w)| is_word(tokens.get(i + k), w))
        {
            i += words.len();
        }
    }
    i
}

/// The relations a (possibly unparsable) table statement acts on.
pub(crate) fn relation_hints(tokens: &[TokenWithSpan]) -> Hints {
    let tokens = significant(tokens);
    let mut hints = Hints::default();
    let w = |i: usize| tokens.get(i).and_then(|t| word(t)).unwrap_or_default();
    match (w(0).as_str(), w(1).as_str()) {
        ("ALTER", "TABLE") => {
            let i = skip_words(&tokens, 2, &[&["IF", "EXISTS"], &["ONLY"]]);
            hints
                .relations
                .extend(object_name_at(&tokens, i).map(|n| n.0));
        }
        ("DROP", "TABLE") => {
            let mut i = skip_words(&tokens, 2, &[&["IF", "EXISTS"]]);
            while let Some((name, next)) = object_name_at(&tokens, i) {
                hints.relations.push(name);
                i = next;
                if !matches!(tokens.get(i), Some(Token::Comma)) {
                    break;
                }
                i += 1;
            }
        }
        ("CREATE", _) => {
            let pos = tokens
                .iter()
                .position(|t| matches!(word(t).as_deref(), Some("TABLE" | "INDEX")));
            match pos {
                Some(p) if w(p) == "TABLE" => {
                    let temporary = (1..p).any(|k| matches!(w(k).as_str(), "TEMP" | "TEMPORARY"));
                    let i = skip_words(&tokens, p + 1, &[&["IF", "NOT", "EXISTS"]]);
                    if !temporary {
                        hints
                            .relations
                            .extend(object_name_at(&tokens, i).map(|n| n.0));
                        hints.creates = true;
                    }
                }
                Some(p) => {
                    if let Some(on) = (p..tokens.len()).find(|k| w(*k) == "ON") {
                        let i = skip_words(&tokens, on + 1, &[&["ONLY"]]);
                        hints
                            .relations
                            .extend(object_name_at(&tokens, i).map(|n| n.0));
                    }
                }
                None => {}
            }
        }
        _ => {}
    }
    hints
}

/// The schema-changing DDL inside a `DO` block's body (or any string literal of the
/// statement: dynamic SQL is found the same way).
pub(crate) fn body_hints(tokens: &[TokenWithSpan]) -> Hints {
    let mut hints = Hints::default();
    let mut scan = BodyScan::default();
    for token in significant(tokens) {
        if let Some(body) = string_content(token) {
            scan_statements(body, 0, &mut scan);
        }
    }
    hints.body_ddl = scan.ddl;
    if hints.body_ddl.is_empty() && !scan.opaque {
        hints.body_harmless = scan.harmless;
    }
    hints
}

/// The functions a `CALL` or `SELECT` invokes.
pub(crate) fn call_hints(tokens: &[TokenWithSpan]) -> Hints {
    let tokens = significant(tokens);
    let mut hints = Hints::default();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((name, next)) = object_name_at(&tokens, i) {
            if matches!(tokens.get(next), Some(Token::LParen)) {
                hints.calls.push(name);
            }
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    hints
}

fn string_content(token: &Token) -> Option<&str> {
    match token {
        Token::DollarQuotedString(s) => Some(&s.value),
        Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Some(s),
        _ => None,
    }
}

/// Object words whose DDL changes what pgdrift models.
const MODELLED_OBJECTS: &[&str] = &["TABLE", "INDEX", "TYPE", "SCHEMA", "DOMAIN"];

/// Words that may sit between the verb and the object word (`CREATE UNIQUE INDEX`).
const OBJECT_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "UNIQUE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "MATERIALIZED",
    "FOREIGN",
];

/// `ALTER TABLE` actions that change nothing pgdrift models.
const HARMLESS_ALTER_TABLE: &[&str] = &[
    "OWNER", "ENABLE", "DISABLE", "FORCE", "NO", "REPLICA", "CLUSTER", "SET", "RESET",
];

/// Words after which a new PL/pgSQL statement starts.
const STATEMENT_STARTS: &[&str] = &["BEGIN", "THEN", "ELSE", "LOOP", "DECLARE"];

/// What a body's statements do, as far as notes are concerned.
#[derive(Debug, Default)]
pub(crate) struct BodyScan {
    /// Schema-changing statements, summarised: `ALTER TABLE posts ALTER COLUMN props TYPE jsonb`.
    pub ddl: Vec<String>,
    /// Statements that change nothing pgdrift models (`GRANT`, `ALTER DEFAULT PRIVILEGES`,
    /// `ALTER TABLE … OWNER TO`), by kind.
    pub harmless: Vec<String>,
    /// Statements whose effect cannot be told (`PERFORM`, `CALL`, `SELECT`, dynamic SQL
    /// built from something else than its literal).
    pub opaque: bool,
}

fn push_unique(list: &mut Vec<String>, entry: String) {
    if !list.contains(&entry) {
        list.push(entry);
    }
}

/// Find `CREATE/ALTER/DROP … TABLE|INDEX|TYPE|SCHEMA|DOMAIN name` in `body`, recursing into
/// its string literals (dynamic SQL) a few levels deep.
pub(crate) fn scan_body(body: &str, depth: usize, found: &mut Vec<String>) {
    let mut scan = BodyScan::default();
    scan_statements(body, depth, &mut scan);
    for entry in scan.ddl {
        push_unique(found, entry);
    }
}

/// Scan a body's statements (statement starts only: an `ALTER COLUMN … TYPE` is not an
/// `ALTER TYPE`).
pub(crate) fn scan_statements(body: &str, depth: usize, scan: &mut BodyScan) {
    let Ok(tokens) = tokenize(body) else {
        scan.opaque = true;
        return;
    };
    let tokens = significant(&tokens);
    let w = |i: usize| tokens.get(i).and_then(|t| word(t)).unwrap_or_default();
    // Temporary tables the body creates: dropping them again changes nothing.
    let mut temporary: Vec<String> = Vec::new();
    let mut paren = 0i32;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::LParen => paren += 1,
            Token::RParen => paren -= 1,
            _ => {}
        }
        if depth < 3 {
            if let Some(inner) = string_content(token) {
                scan_statements(inner, depth + 1, scan);
            }
        }
        let starts = i == 0
            || matches!(tokens[i - 1], Token::SemiColon)
            || STATEMENT_STARTS.contains(&w(i - 1).as_str());
        if !starts || paren > 0 {
            continue;
        }
        let verb = w(i);
        match verb.as_str() {
            "GRANT" | "REVOKE" | "COMMENT" | "REASSIGN" | "SECURITY" | "INSERT" | "UPDATE"
            | "DELETE" | "TRUNCATE" => {
                push_unique(&mut scan.harmless, verb.clone());
                continue;
            }
            "PERFORM" | "CALL" | "SELECT" => {
                scan.opaque = true;
                continue;
            }
            "EXECUTE" => {
                // Dynamic SQL is read from its first literal; anything else is opaque.
                if tokens.get(i + 1).and_then(|t| string_content(t)).is_none() {
                    scan.opaque = true;
                }
                continue;
            }
            "CREATE" | "ALTER" | "DROP" => {}
            _ => continue,
        }
        if verb == "ALTER" && w(i + 1) == "DEFAULT" {
            push_unique(&mut scan.harmless, "ALTER DEFAULT PRIVILEGES".into());
            continue;
        }
        if matches!(w(i + 1).as_str(), "ROLE" | "USER" | "GROUP" | "DATABASE") {
            push_unique(&mut scan.harmless, format!("{verb} {}", w(i + 1)));
            continue;
        }
        let mut k = i + 1;
        while OBJECT_MODIFIERS.contains(&w(k).as_str()) {
            k += 1;
        }
        let object = w(k);
        if !MODELLED_OBJECTS.contains(&object.as_str()) {
            continue;
        }
        if (i + 1..k).any(|m| matches!(w(m).as_str(), "TEMP" | "TEMPORARY")) {
            if let Some((name, _)) = object_name_at(
                &tokens,
                skip_words(&tokens, k + 1, &[&["IF", "NOT", "EXISTS"]]),
            ) {
                temporary.push(name.to_string().to_lowercase());
            }
            continue;
        }
        let mut n = skip_words(
            &tokens,
            k + 1,
            &[
                &["CONCURRENTLY"],
                &["IF", "NOT", "EXISTS"],
                &["IF", "EXISTS"],
                &["ONLY"],
            ],
        );
        if object == "INDEX" && verb == "CREATE" {
            if let Some(on) = (n..tokens.len().min(n + 4)).find(|m| w(*m) == "ON") {
                n = skip_words(&tokens, on + 1, &[&["ONLY"]]);
            }
        }
        let Some((name, after)) = object_name_at(&tokens, n) else {
            push_unique(&mut scan.ddl, format!("{verb} {object} (dynamic SQL)"));
            continue;
        };
        let name = name.to_string();
        if verb == "DROP" && temporary.contains(&name.to_lowercase()) {
            continue;
        }
        if verb == "ALTER" {
            let actions = actions(&tokens, after);
            let harmless = !actions.is_empty()
                && actions.iter().all(|a| {
                    let first = a.split(' ').next().unwrap_or_default().to_ascii_uppercase();
                    HARMLESS_ALTER_TABLE.contains(&first.as_str())
                        && !a.to_ascii_uppercase().starts_with("SET SCHEMA")
                        && !a.to_ascii_uppercase().starts_with("SET DATA")
                        && !a.to_ascii_uppercase().starts_with("SET NOT NULL")
                        && !a.to_ascii_uppercase().starts_with("SET DEFAULT")
                });
            if harmless {
                let first = actions[0].split(' ').next().unwrap_or_default();
                let kind = if first.eq_ignore_ascii_case("OWNER") {
                    "OWNER TO".to_string()
                } else {
                    format!("ALTER {object} … {}", first.to_ascii_uppercase())
                };
                push_unique(&mut scan.harmless, kind);
                continue;
            }
            if object == "TABLE" && !actions.is_empty() {
                push_unique(
                    &mut scan.ddl,
                    format!("{verb} {object} {name} {}", actions.join(", ")),
                );
                continue;
            }
        }
        push_unique(&mut scan.ddl, format!("{verb} {object} {name}"));
    }
}

/// The actions of an `ALTER` from token `i` to the statement's end, each cut to its first
/// few tokens: `ALTER COLUMN props TYPE jsonb`, `DROP COLUMN parentid`.
fn actions(tokens: &[&Token], mut i: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut words = 0;
    let mut depth = 0i32;
    let mut cut = false;
    while let Some(t) = tokens.get(i) {
        i += 1;
        match t {
            Token::SemiColon => break,
            Token::Comma if depth == 0 => {
                out.push(std::mem::take(&mut current));
                words = 0;
                cut = false;
                continue;
            }
            _ => {}
        }
        if depth == 0
            && (word(t)
                .as_deref()
                .is_some_and(|w| w == "USING" || w == "COLLATE")
                || words >= 6)
        {
            cut = true;
        }
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ => {}
        }
        if cut {
            continue;
        }
        let tight =
            matches!(t, Token::LParen | Token::RParen | Token::Comma) || current.ends_with('(');
        if !current.is_empty() && !tight {
            current.push(' ');
        }
        current.push_str(&t.to_string());
        if depth == 0 && !matches!(t, Token::RParen) {
            words += 1;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.retain(|a| !a.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_stop_at_dollar_bodies() {
        assert_eq!(
            first_words("DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN RAISE; END IF;\nEND $$"),
            "DO $$"
        );
        assert_eq!(
            first_words("CREATE FUNCTION f() RETURNS trigger AS $body$ begin end $body$"),
            "CREATE FUNCTION f() RETURNS trigger AS $body$"
        );
        assert_eq!(
            first_words("ALTER TABLE  users\n  ADD x int"),
            "ALTER TABLE users ADD x int"
        );
        let long = first_words(
            "ALTER TABLE public.some_very_long_table_name ADD CONSTRAINT some_constraint_name FOREIGN KEY (a) REFERENCES b(c)",
        );
        assert!(long.len() <= 60, "{long}");
        assert!(long.starts_with("ALTER TABLE public.some_very_long_table_name ADD"));
    }

    #[test]
    fn relations_of_unparsable_table_statements() {
        let tokens = tokenize("ALTER TABLE IF EXISTS ONLY public.users FROB x").unwrap();
        assert_eq!(
            relation_hints(&tokens).relations,
            vec![ObjectName::from(vec![
                Ident::new("public"),
                Ident::new("users")
            ])]
        );
        let tokens = tokenize("CREATE UNIQUE INDEX CONCURRENTLY i ON ONLY t USING x").unwrap();
        assert_eq!(relation_hints(&tokens).relations.len(), 1);
        let tokens = tokenize("CREATE TEMP TABLE t (a int)").unwrap();
        assert!(relation_hints(&tokens).relations.is_empty());
    }

    #[test]
    fn ddl_in_bodies_and_dynamic_sql() {
        let mut found = Vec::new();
        scan_body(
            "BEGIN ALTER TABLE users ADD COLUMN x int; EXECUTE 'CREATE INDEX ON ' || t; \
             CREATE TEMPORARY TABLE tmp (a int); CREATE TRIGGER x AFTER INSERT ON t; DROP TABLE tmp; END",
            0,
            &mut found,
        );
        assert_eq!(
            found,
            vec![
                "ALTER TABLE users ADD COLUMN x int",
                "CREATE INDEX (dynamic SQL)"
            ]
        );
    }

    #[test]
    fn alter_column_type_is_not_alter_type() {
        let mut found = Vec::new();
        scan_body(
            "BEGIN IF (SELECT 1) = 1 THEN ALTER TABLE teams ALTER COLUMN type TYPE varchar(255), DROP COLUMN ParentId; END IF; END",
            0,
            &mut found,
        );
        assert_eq!(
            found,
            vec!["ALTER TABLE teams ALTER COLUMN type TYPE varchar(255), DROP COLUMN ParentId"]
        );
    }
}
