//! The signature of `CREATE FUNCTION`: each parameter's mode, type and whether it has a
//! default, and the result type, as written (the replay resolves the types when it records
//! the function, so that calls of it in defaults, checks and indexes resolve as
//! PostgreSQL resolves them).

use sqlparser::ast::DataType;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{parser, word, ParserExt};

/// `argmode` of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamMode {
    In,
    Out,
    InOut,
    Variadic,
}

/// One parameter of a routine.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutineParam {
    pub mode: ParamMode,
    pub data_type: DataType,
    pub has_default: bool,
}

/// What a routine takes and gives, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutineSignature {
    pub params: Vec<RoutineParam>,
    /// `RETURNS type`; `None` for `RETURNS SETOF …`, `RETURNS TABLE (…)` and no `RETURNS`.
    pub returns: Option<DataType>,
    /// Whether a `RETURNS` clause was written at all (a function with `OUT` parameters may
    /// leave it out).
    pub returns_written: bool,
}

/// Words that start a type of several words (`double precision`, `character varying`,
/// `time with time zone`): PostgreSQL's grammar does not take them as parameter names.
const TYPE_WORDS: [&str; 9] = [
    "BIT",
    "CHARACTER",
    "CHAR",
    "DOUBLE",
    "NATIONAL",
    "NCHAR",
    "TIME",
    "TIMESTAMP",
    "INTERVAL",
];

/// The signature of a routine, read from the parser positioned just after its name;
/// `None` when any part does not read (`%TYPE` references, for one).
pub(super) fn signature(p: &mut Parser<'_>) -> Option<RoutineSignature> {
    let params = parameter_list(p)?
        .iter()
        .map(|tokens| parameter(tokens))
        .collect::<Option<Vec<_>>>()?;
    let (returns, returns_written) = result_type(p);
    Some(RoutineSignature {
        params,
        returns,
        returns_written,
    })
}

/// The tokens of each parameter between the parentheses (whitespace and comments left out).
fn parameter_list(p: &mut Parser<'_>) -> Option<Vec<Vec<TokenWithSpan>>> {
    if !p.consume_token(&Token::LParen) {
        return None;
    }
    let mut params: Vec<Vec<TokenWithSpan>> = Vec::new();
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut depth = 0usize;
    loop {
        let token = p.next_token();
        match &token.token {
            Token::EOF => return None,
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen if depth == 0 => break,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                params.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(token);
    }
    if !current.is_empty() || !params.is_empty() {
        params.push(current);
    }
    Some(params)
}

fn mode_of(token: &TokenWithSpan) -> Option<ParamMode> {
    match word(&token.token)?.as_str() {
        "IN" => Some(ParamMode::In),
        "OUT" => Some(ParamMode::Out),
        "INOUT" => Some(ParamMode::InOut),
        "VARIADIC" => Some(ParamMode::Variadic),
        _ => None,
    }
}

/// `[argmode] [argname] argtype [{DEFAULT | =} expr]`, or `argname argmode argtype …`.
fn parameter(tokens: &[TokenWithSpan]) -> Option<RoutineParam> {
    let mut rest = tokens;
    let mut mode = ParamMode::In;
    let mut named = false;
    if let Some(m) = rest.first().and_then(mode_of) {
        mode = m;
        rest = &rest[1..];
        // `IN OUT` is `INOUT`.
        if m == ParamMode::In && rest.first().and_then(mode_of) == Some(ParamMode::Out) {
            mode = ParamMode::InOut;
            rest = &rest[1..];
        }
    } else if let Some(m) = rest.get(1).and_then(mode_of) {
        // `name IN type`: the mode after the name (a type is never followed by a mode).
        if rest.len() > 2 {
            mode = m;
            rest = &rest[2..];
            named = true;
        }
    }
    let default_at = top_level_position(rest, |t| {
        matches!(t, Token::Eq) || word(t).as_deref() == Some("DEFAULT")
    });
    let has_default = default_at.is_some();
    let rest = &rest[..default_at.unwrap_or(rest.len())];
    let data_type = if named {
        whole_type(rest)?
    } else {
        type_after_optional_name(rest)?
    };
    Some(RoutineParam {
        mode,
        data_type,
        has_default,
    })
}

/// The type of `[name] type`: when the first word can be a name and the rest reads as a
/// type on its own, the first word is the name.
fn type_after_optional_name(tokens: &[TokenWithSpan]) -> Option<DataType> {
    let first_is_type_word = tokens
        .first()
        .and_then(|t| word(&t.token))
        .is_some_and(|w| TYPE_WORDS.contains(&w.as_str()));
    let first_is_name = matches!(tokens.first().map(|t| &t.token), Some(Token::Word(_)));
    if tokens.len() >= 2 && first_is_name && !first_is_type_word {
        if let Some(t) = whole_type(&tokens[1..]) {
            return Some(t);
        }
    }
    whole_type(tokens)
}

/// `tokens` read as exactly one type.
fn whole_type(tokens: &[TokenWithSpan]) -> Option<DataType> {
    if tokens.is_empty() {
        return None;
    }
    let mut p = parser(tokens.to_vec());
    let data_type = p.parse_data_type().ok()?;
    p.expect_end().ok()?;
    Some(data_type)
}

fn top_level_position(tokens: &[TokenWithSpan], is: impl Fn(&Token) -> bool) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ if depth == 0 && is(&t.token) => return Some(i),
            _ => {}
        }
    }
    None
}

/// `RETURNS type` anywhere among the routine's options (they come in any order).
fn result_type(p: &mut Parser<'_>) -> (Option<DataType>, bool) {
    while !p.at_end() {
        if p.eat_word("RETURNS") {
            if p.peek_is(0, "SETOF") || p.peek_is(0, "TABLE") {
                return (None, true);
            }
            return (p.parse_data_type().ok(), true);
        }
        p.next_token();
    }
    (None, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::parse::cursor::tokenize;

    fn sig(sql: &str) -> Option<RoutineSignature> {
        let tokens = tokenize(sql).ok()?;
        let mut p = parser(tokens);
        p.eat_words(&["CREATE", "FUNCTION"]);
        p.parse_object_name(false).ok()?;
        signature(&mut p)
    }

    fn types(s: &RoutineSignature) -> Vec<String> {
        s.params
            .iter()
            .map(|p| {
                format!(
                    "{:?} {}{}",
                    p.mode,
                    p.data_type,
                    if p.has_default { " =" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn parameters_read_with_or_without_names() {
        let s = sig("CREATE FUNCTION f(text, n integer, double precision, x character varying(5), \
                     OUT y bigint, z IN numeric(10,2), VARIADIC w text[], a int DEFAULT 1, b int = 2) \
                     RETURNS SETOF record AS $$ x $$ LANGUAGE sql")
        .unwrap();
        assert_eq!(
            types(&s),
            [
                "In TEXT",
                "In INTEGER",
                "In DOUBLE PRECISION",
                "In CHARACTER VARYING(5)",
                "Out BIGINT",
                "In NUMERIC(10,2)",
                "Variadic TEXT[]",
                "In INT =",
                "In INT =",
            ]
        );
        assert_eq!(s.returns, None);
        assert!(s.returns_written);
    }

    #[test]
    fn result_types() {
        let s = sig("CREATE FUNCTION f() RETURNS public.my_type LANGUAGE sql AS 'x'").unwrap();
        assert!(s.params.is_empty());
        assert_eq!(
            s.returns.map(|t| t.to_string()).as_deref(),
            Some("public.my_type")
        );
        let s = sig("CREATE FUNCTION f(a int, OUT b int) LANGUAGE sql AS 'x'").unwrap();
        assert!(!s.returns_written);
        assert!(sig("CREATE FUNCTION f(a users.email%TYPE) RETURNS int AS 'x'").is_none());
    }
}
