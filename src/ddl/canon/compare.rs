//! Comparing expressions modulo casts, for the diff when one side was rendered statically
//! and the exact rendering needed information pgdrift did not have (a function's argument
//! types, an extension's operators): both texts are parsed, every cast is removed
//! (`x::t`, `CAST(x AS t)`), parentheses are normalised, and the results compared.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions_mut, BinaryOperator, Expr, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// The expression with every cast removed and parentheses normalised; for text sqlparser
/// cannot read, the `::type` suffixes are removed textually.
pub fn strip_implicit_casts(text: &str) -> String {
    let dialect = PostgreSqlDialect {};
    let sql = format!("SELECT {}", super::prepare_for_sqlparser(text));
    let parsed = Parser::new(&dialect)
        .try_with_sql(&sql)
        .and_then(|mut p| p.parse_statement());
    match parsed {
        Ok(mut statement) => {
            strip(&mut statement);
            let printed = statement.to_string();
            printed
                .strip_prefix("SELECT ")
                .map(str::to_string)
                .unwrap_or(printed)
        }
        Err(_) => strip_textually(text),
    }
}

/// Whether two expression texts are the same expression once casts are ignored.
pub fn equivalent_modulo_casts(a: &str, b: &str) -> bool {
    a == b || strip_implicit_casts(a) == strip_implicit_casts(b)
}

fn strip(statement: &mut Statement) {
    let _ = visit_expressions_mut(statement, |expr| {
        // OPERATOR(schema.op) names the same operator as op does for a reader.
        if let Expr::BinaryOp { op, .. } = expr {
            if let BinaryOperator::PGCustomBinaryOperator(parts) = op {
                if let Some(last) = parts.last() {
                    *op = custom_operator(last);
                }
            }
        }
        loop {
            let replacement = match expr {
                Expr::Cast { expr: inner, .. } => Some((**inner).clone()),
                Expr::Nested(inner) if !matches!(**inner, Expr::Subquery(_)) => {
                    Some((**inner).clone())
                }
                _ => None,
            };
            match replacement {
                Some(r) => *expr = r,
                None => break,
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// The operator sqlparser gives a bare operator symbol, so both spellings print alike.
fn custom_operator(symbol: &str) -> BinaryOperator {
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect)
        .try_with_sql(&format!("a {symbol} b"))
        .and_then(|mut p| p.parse_expr());
    match parsed {
        Ok(Expr::BinaryOp { op, .. }) => op,
        _ => BinaryOperator::Custom(symbol.to_string()),
    }
}

/// Remove `::type` suffixes (type names with spaces, qualification, quotes, modifiers and
/// array brackets) and all parentheses.
fn strip_textually(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_quote = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            in_quote = !in_quote;
            out.push(c);
            i += 1;
            continue;
        }
        if !in_quote && c == ':' && chars.get(i + 1) == Some(&':') {
            i += 2;
            // Skip the type name: words, dots, quotes, (modifiers), [] and the words of
            // multi-word names ("character varying", "with time zone").
            loop {
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || matches!(chars[i], '_' | '.' | '"' | '[' | ']'))
                {
                    i += 1;
                }
                if chars.get(i) == Some(&'(') {
                    while i < chars.len() && chars[i] != ')' {
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                let rest: String = chars[i..].iter().collect();
                let next_word = ["varying", "precision", "with", "without", "time", "zone"]
                    .into_iter()
                    .find(|w| rest.starts_with(&format!(" {w}")));
                match next_word {
                    Some(w) => i += w.len() + 1,
                    None => break,
                }
            }
            continue;
        }
        if !in_quote && (c == '(' || c == ')') {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_are_ignored() {
        assert!(equivalent_modulo_casts(
            "public.canon_crate_name((name)::text)",
            "public.canon_crate_name(name)"
        ));
        assert!(equivalent_modulo_casts(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "(status = ANY (ARRAY['a', 'b']))"
        ));
        assert!(!equivalent_modulo_casts("(a > 0)", "(a > 1)"));
        assert!(equivalent_modulo_casts(
            "(em OPERATOR(public.=) 'X'::public.citext)",
            "(em = 'X')"
        ));
        assert!(equivalent_modulo_casts(
            "(arr OPERATOR(public.&&) '{1}'::integer[])",
            "(arr && '{1}'::integer[])"
        ));
        assert_eq!(strip_textually("(x)::character varying(10)"), "x");
    }
}
