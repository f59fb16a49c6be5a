//! What a statement's expressions imply: the functions they call (a default calling a
//! volatile function makes `ADD COLUMN` rewrite the table; a function outside `pg_catalog`
//! must exist before the statement runs) and the sequence a `nextval` default uses. Works on
//! the canonical text `pg_get_expr` prints, where everything outside `pg_catalog` is
//! schema-qualified.

/// `pg_catalog` functions marked volatile (`provolatile = 'v'`) that defaults commonly call.
/// Stable ones (`now()`, `CURRENT_TIMESTAMP`) are evaluated once by `ADD COLUMN`.
const VOLATILE: &[&str] = &[
    "clock_timestamp",
    "gen_random_uuid",
    "nextval",
    "random",
    "random_normal",
    "timeofday",
    "txid_current",
    "uuidv4",
    "uuidv7",
];

/// A function an expression calls: `(schema, name)`, schema empty when unqualified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Call {
    pub schema: String,
    pub name: String,
}

impl Call {
    /// As written in the expression: `public.uuid_generate_v4`, `nextval`.
    pub fn display(&self) -> String {
        if self.schema.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.schema, self.name)
        }
    }

    fn in_catalog(&self) -> bool {
        self.schema.is_empty() || self.schema == "pg_catalog"
    }
}

/// The function calls in `expr`, in order of appearance (string literals skipped).
pub fn calls(expr: &str) -> Vec<Call> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // The identifier chain being read: `a.b` → ["a", "b"].
    let mut chain: Vec<String> = Vec::new();
    let mut after_dot = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            chain.clear();
            after_dot = false;
        } else if c == '"' {
            let mut word = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        word.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                word.push(chars[i]);
                i += 1;
            }
            i += 1;
            if !after_dot {
                chain.clear();
            }
            chain.push(word);
            after_dot = false;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            if !after_dot {
                chain.clear();
            }
            chain.push(chars[start..i].iter().collect());
            after_dot = false;
        } else if c == '.' && !chain.is_empty() {
            after_dot = true;
            i += 1;
        } else {
            if c == '(' && !chain.is_empty() {
                let name = chain.pop().unwrap_or_default();
                let schema = chain.pop().unwrap_or_default();
                out.push(Call { schema, name });
            }
            if !c.is_whitespace() || c == '(' {
                chain.clear();
            }
            after_dot = false;
            i += 1;
        }
    }
    out
}

/// Whether an expression calls a function known to be volatile, and which functions of
/// unknown volatility (outside `pg_catalog`) it calls.
pub fn volatility(expr: &str) -> (Vec<String>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for call in calls(expr) {
        if call.in_catalog() {
            if VOLATILE.contains(&call.name.as_str()) && !known.contains(&call.name) {
                known.push(call.name.clone());
            }
        } else if !unknown.contains(&call.display()) {
            unknown.push(call.display());
        }
    }
    (known, unknown)
}

/// The functions outside `pg_catalog` an expression calls: they must exist first.
pub fn needed_functions(expr: &str) -> Vec<String> {
    volatility(expr).1
}

/// The sequence a `nextval('…'::regclass)` default uses, as the regclass text (already
/// quoted and qualified as SQL: `public."Users_id_seq"`).
pub fn nextval_sequence(default: &str) -> Option<String> {
    let start = default.find("nextval('")? + "nextval('".len();
    let rest = &default[start..];
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                out.push('\'');
                chars.next();
                continue;
            }
            let tail: String = chars.collect();
            return tail.starts_with("::regclass").then_some(out);
        }
        out.push(c);
    }
    None
}

/// Comment lines for a default (or generation expression) added to a populated table.
pub fn rewrite_comments(expr: &str, what: &str) -> Vec<String> {
    let (known, unknown) = volatility(expr);
    let mut out = Vec::new();
    if !known.is_empty() {
        out.push(format!(
            "⚠ {what} calls volatile {}: ADD COLUMN rewrites the whole table under an ACCESS EXCLUSIVE lock.",
            known.join(", ")
        ));
    } else if !unknown.is_empty() {
        out.push(format!(
            "⚠ if {} is volatile, ADD COLUMN rewrites the whole table under an ACCESS EXCLUSIVE lock.",
            unknown.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_found_outside_literals() {
        let found: Vec<String> =
            calls("(public.uuid_generate_v4() || lower('x(y)') || \"My Schema\".\"f\"(a, now()))")
                .iter()
                .map(Call::display)
                .collect();
        assert_eq!(
            found,
            ["public.uuid_generate_v4", "lower", "My Schema.f", "now"]
        );
    }

    #[test]
    fn volatile_defaults_are_recognised() {
        assert_eq!(
            volatility("nextval('public.t_id_seq'::regclass)"),
            (vec!["nextval".to_string()], vec![])
        );
        assert_eq!(volatility("now()"), (vec![], vec![]));
        assert_eq!(volatility("CURRENT_TIMESTAMP"), (vec![], vec![]));
        assert_eq!(
            volatility("public.uuid_generate_v4()"),
            (vec![], vec!["public.uuid_generate_v4".to_string()])
        );
        assert!(rewrite_comments("gen_random_uuid()", "the default")[0].contains("rewrites"));
        assert!(rewrite_comments("(now() + '7 days'::interval)", "the default").is_empty());
    }

    #[test]
    fn nextval_names_its_sequence() {
        assert_eq!(
            nextval_sequence("nextval('public.users_id_seq'::regclass)").as_deref(),
            Some("public.users_id_seq")
        );
        assert_eq!(
            nextval_sequence("nextval('public.\"it''s_seq\"'::regclass)").as_deref(),
            Some("public.\"it's_seq\"")
        );
        assert_eq!(nextval_sequence("now()"), None);
    }
}
