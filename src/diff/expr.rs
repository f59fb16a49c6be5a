//! Expression text as the comparison needs it: equality (optionally modulo the implicit
//! casts a static reader cannot know), equality once every cast is taken out (to tell a
//! rendering that differs only because a column's type differs), and the columns an
//! expression refers to.
//!
//! Works on the text PostgreSQL's deparser prints (`pg_get_expr`, `pg_get_indexdef`,
//! `pg_get_constraintdef`), not on arbitrary SQL: identifiers come out bare or
//! double-quoted, keywords upper-case, type names as `format_type` spells them.

use std::collections::BTreeSet;

/// How two expression texts are compared, decided once per comparison.
#[derive(Debug, Clone, Copy)]
pub struct Exprs {
    /// The caller's "equal modulo implicit casts" test, used only when a side was read
    /// statically (a live server's texts are canonical on both sides and compare exactly).
    pub equivalent: Option<fn(&str, &str) -> bool>,
}

impl Exprs {
    pub fn same(&self, a: &str, b: &str) -> bool {
        a == b
            || self
                .equivalent
                .is_some_and(|f| f(a, b) || same_modulo_zones(a, b, f))
    }

    pub fn same_opt(&self, a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => self.same(a, b),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A bare word: keyword, unquoted identifier or function name.
    Word(String),
    /// A double-quoted identifier, unescaped.
    Quoted(String),
    /// A string literal including its quotes and any prefix (`E'…'`).
    Literal(String),
    Number(String),
    Open(char),
    Close(char),
    Comma,
    Dot,
    Cast,
    Op(String),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Word(s) | Tok::Literal(s) | Tok::Number(s) | Tok::Op(s) => s.clone(),
            Tok::Quoted(s) => format!("\"{}\"", s.replace('"', "\"\"")),
            Tok::Open(c) | Tok::Close(c) => c.to_string(),
            Tok::Comma => ",".into(),
            Tok::Dot => ".".into(),
            Tok::Cast => "::".into(),
        }
    }

    fn identifier(&self) -> Option<&str> {
        match self {
            Tok::Word(s) | Tok::Quoted(s) => Some(s),
            _ => None,
        }
    }
}

const OPERATOR_CHARS: &str = "+-*/<>=~!@#%^&|`?";

fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let end = quoted_end(&chars, i, '\'', false);
            out.push(Tok::Literal(chars[i..end].iter().collect()));
            i = end;
        } else if c == '"' {
            let end = quoted_end(&chars, i, '"', false);
            let inner: String = chars[i + 1..end.saturating_sub(1).max(i + 1)]
                .iter()
                .collect();
            out.push(Tok::Quoted(inner.replace("\"\"", "\"")));
            i = end;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // E'…', B'…', X'…', N'…': a literal with a prefix.
            if i < chars.len()
                && chars[i] == '\''
                && matches!(word.as_str(), "E" | "e" | "B" | "b" | "X" | "x" | "N" | "n")
            {
                let escapes = matches!(word.as_str(), "E" | "e");
                let end = quoted_end(&chars, i, '\'', escapes);
                out.push(Tok::Literal(chars[start..end].iter().collect()));
                i = end;
            } else {
                out.push(Tok::Word(word));
            }
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Number(chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Tok::Cast);
            i += 2;
        } else if c == '(' || c == '[' {
            out.push(Tok::Open(c));
            i += 1;
        } else if c == ')' || c == ']' {
            out.push(Tok::Close(c));
            i += 1;
        } else if c == ',' {
            out.push(Tok::Comma);
            i += 1;
        } else if c == '.' {
            out.push(Tok::Dot);
            i += 1;
        } else if OPERATOR_CHARS.contains(c) {
            let start = i;
            while i < chars.len() && OPERATOR_CHARS.contains(chars[i]) {
                i += 1;
            }
            out.push(Tok::Op(chars[start..i].iter().collect()));
        } else {
            out.push(Tok::Op(c.to_string()));
            i += 1;
        }
    }
    out
}

/// The index just past the quoted text starting at `start` (doubled quotes stay inside;
/// in an `E'…'` string a backslash escapes the next character, elsewhere it is literal as
/// `standard_conforming_strings` has it).
fn quoted_end(chars: &[char], start: usize, quote: char, backslash_escapes: bool) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        if backslash_escapes && chars[i] == '\\' {
            i += 2;
            continue;
        }
        i += 1;
    }
    chars.len()
}

/// Words that continue a multi-word type name after a cast, as `format_type` spells them:
/// `character varying`, `double precision`, `timestamp(3) without time zone`,
/// `interval day to second`. Always lower case; keywords of expressions are upper case.
const TYPE_NAME_WORDS: &[&str] = &[
    "varying",
    "precision",
    "with",
    "without",
    "time",
    "zone",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "to",
];

/// The index just past the type name that starts at `i` (after a `::`).
fn skip_type_name(toks: &[Tok], mut i: usize) -> usize {
    let is_name = |t: Option<&Tok>| matches!(t, Some(Tok::Word(_) | Tok::Quoted(_)));
    if !is_name(toks.get(i)) {
        return i;
    }
    i += 1;
    // schema-qualified: public."InviteStatus"
    if toks.get(i) == Some(&Tok::Dot) && is_name(toks.get(i + 1)) {
        i += 2;
    }
    loop {
        if toks.get(i) == Some(&Tok::Open('(')) {
            i = skip_group(toks, i);
        }
        match toks.get(i) {
            Some(Tok::Word(w)) if TYPE_NAME_WORDS.contains(&w.as_str()) => i += 1,
            _ => break,
        }
    }
    while toks.get(i) == Some(&Tok::Open('[')) {
        i = skip_group(toks, i);
    }
    i
}

/// The index just past the bracketed group opening at `i`.
fn skip_group(toks: &[Tok], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < toks.len() {
        match toks[i] {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// The tokens with every `::type` removed.
fn without_casts(toks: &[Tok]) -> Vec<Tok> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == Tok::Cast {
            i = skip_type_name(toks, i + 1);
        } else {
            out.push(toks[i].clone());
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Tok(Tok),
    Group(char, Vec<Node>),
}

fn tree(toks: &[Tok], i: &mut usize) -> Vec<Node> {
    let mut out = Vec::new();
    while *i < toks.len() {
        match &toks[*i] {
            Tok::Open(c) => {
                *i += 1;
                let inner = tree(toks, i);
                out.push(Node::Group(*c, inner));
            }
            Tok::Close(_) => {
                *i += 1;
                return out;
            }
            t => {
                out.push(Node::Tok(t.clone()));
                *i += 1;
            }
        }
    }
    out
}

/// Whether `nodes` is one operand: a word, literal, number or group, with any call
/// arguments, subscripts or `.name` parts attached — and nothing else.
fn is_single_operand(nodes: &[Node]) -> bool {
    let starts_operand = matches!(
        nodes.first(),
        Some(
            Node::Group(..)
                | Node::Tok(Tok::Word(_) | Tok::Quoted(_) | Tok::Literal(_) | Tok::Number(_))
        )
    );
    if !starts_operand {
        return false;
    }
    let mut i = 1;
    while i < nodes.len() {
        match &nodes[i] {
            Node::Group(..) => i += 1,
            Node::Tok(Tok::Dot) => match nodes.get(i + 1) {
                Some(Node::Tok(Tok::Word(_) | Tok::Quoted(_))) => i += 2,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// Drop parentheses that group a single operand, innermost first: `((status))` and
/// `(status)` both become `status`, `((a + b))` becomes `(a + b)`.
fn without_redundant_parens(nodes: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        match node {
            Node::Group('(', inner) => {
                let inner = without_redundant_parens(inner);
                if is_single_operand(&inner) {
                    out.extend(inner);
                } else {
                    out.push(Node::Group('(', inner));
                }
            }
            Node::Group(c, inner) => out.push(Node::Group(c, without_redundant_parens(inner))),
            tok => out.push(tok),
        }
    }
    out
}

fn flatten(nodes: &[Node], out: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Tok(t) => out.push(t.text()),
            Node::Group(c, inner) => {
                out.push(c.to_string());
                flatten(inner, out);
                out.push(if *c == '(' { ")" } else { "]" }.to_string());
            }
        }
    }
}

/// `text` with every cast and every parenthesis around a single operand removed, as tokens.
fn cast_free_form(text: &str) -> Vec<String> {
    let toks = without_casts(&tokenize(text));
    let mut i = 0;
    let nodes = without_redundant_parens(tree(&toks, &mut i));
    let mut out = Vec::new();
    flatten(&nodes, &mut out);
    out
}

/// Whether two deparsed expressions are equal once every cast is taken out.
///
/// PostgreSQL renders the same SQL differently when a column's type differs: a default
/// `'pending'` on a `character varying` column is stored as `'pending'::character varying`,
/// and `status IN ('a')` becomes `((status)::text = ANY ((ARRAY['a'::character varying])::text[]))`
/// instead of `(status = ANY (ARRAY['a'::text]))` (parse_coerce.c adds the coercions,
/// ruleutils.c prints them). Equal here means "same expression, different types".
pub fn equal_modulo_casts(a: &str, b: &str) -> bool {
    a == b || cast_free_form(a) == cast_free_form(b)
}

/// Whether two texts are the same but for `timestamp with time zone` constants that a
/// static reading fixed in UTC and the server in the TimeZone of the session that ran the
/// migration (see `instant`); the rest must still be `equivalent`.
fn same_modulo_zones(a: &str, b: &str, equivalent: fn(&str, &str) -> bool) -> bool {
    let (ta, tb) = (tokenize(a), tokenize(b));
    if ta.len() != tb.len() {
        return false;
    }
    // Differing constants must all be zone shifts; other differences are left to
    // `equivalent`, on the texts with the constants aligned.
    let mut shifted = false;
    for (x, y) in ta.iter().zip(&tb) {
        if let (Tok::Literal(p), Tok::Literal(q)) = (x, y) {
            if p != q {
                if !super::instant::zone_shifted(p, q) {
                    return false;
                }
                shifted = true;
            }
        }
    }
    if !shifted {
        return false;
    }
    let aligned: String = ta
        .iter()
        .zip(&tb)
        .map(|(x, y)| match (x, y) {
            (Tok::Literal(_), Tok::Literal(q)) => q.clone(),
            _ => x.text(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let other: String = tb.iter().map(Tok::text).collect::<Vec<_>>().join(" ");
    aligned == other || equivalent(&aligned, &other)
}

/// The identifiers an expression refers to as plain names (not function names, not parts
/// of qualified names, not type names after `::`), exactly as PostgreSQL names them.
pub fn referenced_names(text: &str) -> BTreeSet<String> {
    let toks = tokenize(text);
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < toks.len() {
        if toks[i] == Tok::Cast {
            i = skip_type_name(&toks, i + 1);
            continue;
        }
        if let Some(name) = toks[i].identifier() {
            let after = toks.get(i + 1);
            let before = i.checked_sub(1).map(|j| &toks[j]);
            let called = after == Some(&Tok::Open('('));
            let qualified = after == Some(&Tok::Dot) || before == Some(&Tok::Dot);
            if !called && !qualified {
                out.insert(name.to_string());
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_from_a_type_change_are_equal_modulo_casts() {
        // Copied from PostgreSQL 15: the same SQL on a text and on a varchar(20) column.
        assert!(equal_modulo_casts(
            "'pending'::text",
            "'pending'::character varying"
        ));
        assert!(equal_modulo_casts(
            "(status = ANY (ARRAY['a'::text, 'b'::text]))",
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
        ));
        assert!(equal_modulo_casts(
            "(status = 'pending'::text)",
            "((status)::text = 'pending'::text)"
        ));
        assert!(equal_modulo_casts("(n > 0)", "(n > (0)::numeric)"));
        assert!(equal_modulo_casts(
            "((r || 'x'::text))",
            "(((r)::text || 'x'::text))"
        ));
        assert!(equal_modulo_casts("lower(status)", "lower((status)::text)"));
        assert!(equal_modulo_casts(
            "'MEMBER'::public.\"WorkspaceRole\"",
            "'MEMBER'::text"
        ));
        assert!(equal_modulo_casts(
            "'2020-01-01 00:00:00'::timestamp(3) without time zone",
            "'2020-01-01 00:00:00'::timestamp with time zone"
        ));
    }

    #[test]
    fn real_differences_stay_different() {
        assert!(!equal_modulo_casts(
            "(now() + '14 days'::interval)",
            "(now() + '7 days'::interval)"
        ));
        assert!(!equal_modulo_casts("((a + b) * c)", "(a + (b * c))"));
        assert!(!equal_modulo_casts(
            "(status = 'a'::text)",
            "(status <> 'a'::text)"
        ));
        assert!(!equal_modulo_casts("f(a, b)", "f(b, a)"));
        assert!(!equal_modulo_casts("'it''s'::text", "'its'::text"));
        assert!(!equal_modulo_casts("(x IS NULL)", "(x IS NOT NULL)"));
    }

    #[test]
    fn referenced_names_skip_functions_types_and_qualifiers() {
        let names = referenced_names(
            "((status)::text = ANY (public.f(\"workspaceId\", lower(email))::name[])) AND x.y",
        );
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(names, vec!["AND", "email", "status", "workspaceId"]);
    }

    #[test]
    fn literals_and_quoted_names_tokenize_whole() {
        let toks = tokenize("E'a\\'b' || \"we\"\"ird\" || 'x''y' || 'c:\\'");
        assert_eq!(
            toks,
            vec![
                Tok::Literal("E'a\\'b'".into()),
                Tok::Op("||".into()),
                Tok::Quoted("we\"ird".into()),
                Tok::Op("||".into()),
                Tok::Literal("'x''y'".into()),
                Tok::Op("||".into()),
                Tok::Literal("'c:\\'".into()),
            ]
        );
    }

    #[test]
    fn caller_equivalence_applies_only_when_given() {
        fn always(_: &str, _: &str) -> bool {
            true
        }
        let strict = Exprs { equivalent: None };
        let lenient = Exprs {
            equivalent: Some(always),
        };
        assert!(!strict.same("a", "b"));
        assert!(lenient.same("a", "b"));
        assert!(strict.same_opt(None, None));
        assert!(!lenient.same_opt(Some("a"), None));
    }
}
