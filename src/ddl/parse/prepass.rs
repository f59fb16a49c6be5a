//! Token surgery before sqlparser reads a statement: clauses it rejects are cut out of the
//! token stream and what they said is returned alongside — identity options (`SEQUENCE NAME`
//! matters, `START WITH 1 INCREMENT BY 1` does not), `ON DELETE SET NULL (cols)` column
//! lists (PostgreSQL 15), and storage clauses of constraint indexes (`WITH (fillfactor=…)`,
//! `USING INDEX TABLESPACE x`) and of indexes (`TABLESPACE x`), which the model does not hold.
//! One pass rewrites instead: sqlparser reads generated columns only with `STORED`, so
//! PostgreSQL 18's `VIRTUAL` (and a generation with no kind written, virtual on 18) become
//! `STORED` for it, and the kind written is returned alongside.

use sqlparser::ast::{ColumnDef, ColumnOption, GeneratedExpressionMode, Ident, ObjectName};
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor;

/// A position in the statement: (line, column) of a token.
pub type Position = (u64, u64);

/// What the pre-passes cut out of one statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cut {
    /// `SEQUENCE NAME x` of identity columns, where the options were written.
    pub identity_sequences: Vec<(Position, ObjectName)>,
    /// `ON DELETE SET NULL | SET DEFAULT (cols)` column lists, in text order.
    pub fk_set_columns: Vec<(Position, Vec<Ident>)>,
    /// Clauses read but not modelled (`WITH (fillfactor=70)` on a constraint index …).
    pub not_modelled: Vec<String>,
    /// Generated columns not written `STORED`, at their `GENERATED` keyword: `true` when
    /// written `VIRTUAL`, `false` when no kind was written (virtual from PostgreSQL 18 on).
    pub virtual_generated: Vec<(Position, bool)>,
}

/// Put back on each generated column the kind the pre-pass rewrote to `STORED` for sqlparser
/// (`Virtual`, or none written): a kind belongs to the last column named before it.
pub fn restore_generated_kinds<'a>(
    columns: impl IntoIterator<Item = &'a mut ColumnDef>,
    kinds: &[(Position, bool)],
) {
    if kinds.is_empty() {
        return;
    }
    let mut columns: Vec<&mut ColumnDef> = columns.into_iter().collect();
    for (at, written_virtual) in kinds {
        let owner = columns
            .iter_mut()
            .filter(|c| (c.name.span.start.line, c.name.span.start.column) <= *at)
            .max_by_key(|c| (c.name.span.start.line, c.name.span.start.column));
        let Some(column) = owner else { continue };
        for option in &mut column.options {
            if let ColumnOption::Generated {
                generation_expr: Some(_),
                generation_expr_mode,
                ..
            } = &mut option.option
            {
                *generation_expr_mode = written_virtual.then_some(GeneratedExpressionMode::Virtual);
            }
        }
    }
}

/// The indices of the tokens that are not whitespace.
fn significant(tokens: &[TokenWithSpan]) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect()
}

fn is_word(tokens: &[TokenWithSpan], i: Option<&usize>, w: &str) -> bool {
    i.is_some_and(|&i| cursor::is_word(&tokens[i].token, w))
}

/// From the `(` at significant index `k`, the significant index of its matching `)`.
fn matching_paren(tokens: &[TokenWithSpan], sig: &[usize], k: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &i) in sig.iter().enumerate().skip(k) {
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

fn position(t: &TokenWithSpan) -> Position {
    (t.span.start.line, t.span.start.column)
}

fn text(tokens: &[TokenWithSpan], from: usize, to: usize) -> String {
    tokens[from..=to]
        .iter()
        .map(|t| t.token.to_string())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run every pre-pass; `constraint_depth` is the parenthesis depth at which constraint
/// clauses sit (1 inside `CREATE TABLE (…)`, 0 in `ALTER TABLE … ADD`).
pub fn cut(tokens: Vec<TokenWithSpan>, constraint_depth: usize) -> (Vec<TokenWithSpan>, Cut) {
    let (kept, out, _) = cut_keeping(tokens, constraint_depth);
    (kept, out)
}

/// Like [`cut`], also giving back the tokens as written when a clause was cut out (when
/// nothing was, the tokens returned are those given).
pub fn cut_keeping(
    tokens: Vec<TokenWithSpan>,
    constraint_depth: usize,
) -> (Vec<TokenWithSpan>, Cut, Option<Vec<TokenWithSpan>>) {
    let sig = significant(&tokens);
    let mut out = Cut::default();
    let mut remove: Vec<(usize, usize)> = Vec::new(); // token index ranges, inclusive
    let mut add_stored: Vec<usize> = Vec::new(); // token indexes to write STORED after
    let mut depth = 0usize;
    let mut k = 0;
    while k < sig.len() {
        let i = sig[k];
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        // AS IDENTITY ( options ): the whole list goes; SEQUENCE NAME is kept aside.
        if is_word(&tokens, Some(&i), "IDENTITY")
            && is_word(&tokens, k.checked_sub(1).and_then(|p| sig.get(p)), "AS")
            && sig
                .get(k + 1)
                .is_some_and(|&n| tokens[n].token == Token::LParen)
        {
            if let Some(close) = matching_paren(&tokens, &sig, k + 1) {
                let mut j = k + 2;
                while j < close {
                    if is_word(&tokens, sig.get(j), "SEQUENCE")
                        && is_word(&tokens, sig.get(j + 1), "NAME")
                    {
                        let (name, next) = object_name_at(&tokens, &sig, j + 2);
                        if let Some(name) = name {
                            out.identity_sequences
                                .push((position(&tokens[sig[k + 1]]), name));
                        }
                        j = next;
                    } else {
                        j += 1;
                    }
                }
                remove.push((sig[k + 1], sig[close]));
                k = close + 1;
                continue;
            }
        }
        // GENERATED ALWAYS AS ( expr ) with neither STORED nor VIRTUAL (PostgreSQL 18+).
        if is_word(&tokens, Some(&i), "AS")
            && is_word(&tokens, k.checked_sub(1).and_then(|p| sig.get(p)), "ALWAYS")
            && is_word(
                &tokens,
                k.checked_sub(2).and_then(|p| sig.get(p)),
                "GENERATED",
            )
            && sig
                .get(k + 1)
                .is_some_and(|&n| tokens[n].token == Token::LParen)
        {
            if let Some(close) = matching_paren(&tokens, &sig, k + 1) {
                let next = sig.get(close + 1);
                let at = position(&tokens[sig[k - 2]]);
                if is_word(&tokens, next, "VIRTUAL") {
                    out.virtual_generated.push((at, true));
                    if let Some(&n) = next {
                        remove.push((n, n));
                    }
                    add_stored.push(sig[close]);
                } else if !is_word(&tokens, next, "STORED") {
                    out.virtual_generated.push((at, false));
                    add_stored.push(sig[close]);
                }
            }
        }
        // ON DELETE SET NULL | SET DEFAULT ( cols )
        if is_word(&tokens, Some(&i), "SET")
            && (is_word(&tokens, sig.get(k + 1), "NULL")
                || is_word(&tokens, sig.get(k + 1), "DEFAULT"))
            && is_word(&tokens, k.checked_sub(1).and_then(|p| sig.get(p)), "DELETE")
            && sig
                .get(k + 2)
                .is_some_and(|&n| tokens[n].token == Token::LParen)
        {
            if let Some(close) = matching_paren(&tokens, &sig, k + 2) {
                let columns: Vec<Ident> = sig[k + 3..close]
                    .iter()
                    .filter_map(|&c| match &tokens[c].token {
                        Token::Word(w) => Some(Ident {
                            value: w.value.clone(),
                            quote_style: w.quote_style,
                            span: tokens[c].span,
                        }),
                        _ => None,
                    })
                    .collect();
                let at = k
                    .checked_sub(2)
                    .map(|p| position(&tokens[sig[p]]))
                    .unwrap_or((0, 0));
                out.fk_set_columns.push((at, columns));
                remove.push((sig[k + 2], sig[close]));
                k = close + 1;
                continue;
            }
        }
        // USING INDEX TABLESPACE name
        if is_word(&tokens, Some(&i), "USING")
            && is_word(&tokens, sig.get(k + 1), "INDEX")
            && is_word(&tokens, sig.get(k + 2), "TABLESPACE")
            && sig.get(k + 3).is_some()
        {
            out.not_modelled.push(text(&tokens, i, sig[k + 3]));
            remove.push((i, sig[k + 3]));
            k += 4;
            continue;
        }
        // ) WITH ( storage parameters ) of a constraint's index, at the constraints' depth.
        if is_word(&tokens, Some(&i), "WITH")
            && depth == constraint_depth
            && k.checked_sub(1)
                .is_some_and(|p| tokens[sig[p]].token == Token::RParen)
            && sig
                .get(k + 1)
                .is_some_and(|&n| tokens[n].token == Token::LParen)
        {
            if let Some(close) = matching_paren(&tokens, &sig, k + 1) {
                out.not_modelled.push(text(&tokens, i, sig[close]));
                remove.push((i, sig[close]));
                k = close + 1;
                continue;
            }
        }
        k += 1;
    }
    if remove.is_empty() && add_stored.is_empty() {
        return (tokens, out, None);
    }
    let mut kept = Vec::with_capacity(tokens.len() + 2 * add_stored.len());
    for (i, token) in tokens.iter().enumerate() {
        if remove.iter().any(|(a, b)| *a <= i && i <= *b) {
            continue;
        }
        kept.push(token.clone());
        if add_stored.contains(&i) {
            kept.push(TokenWithSpan::new(
                Token::Whitespace(sqlparser::tokenizer::Whitespace::Space),
                token.span,
            ));
            kept.push(TokenWithSpan::new(
                Token::make_keyword("STORED"),
                token.span,
            ));
        }
    }
    (kept, out, Some(tokens))
}

/// Operator class parameters of a `CREATE INDEX` key (`name gist_trgm_ops (siglen=32)`,
/// PostgreSQL 13+), which sqlparser does not read: cut out, and returned by key position as
/// `pg_get_indexdef` prints them (`siglen='32'`: names as stored, values quoted unless they
/// read as identifiers, as `get_reloptions` does).
pub fn cut_opclass_options(
    tokens: Vec<TokenWithSpan>,
) -> (Vec<TokenWithSpan>, Vec<(usize, String)>) {
    let sig = significant(&tokens);
    let Some(on) = sig.iter().position(|&i| is_word(&tokens, Some(&i), "ON")) else {
        return (tokens, Vec::new());
    };
    let Some(open) = (on..sig.len()).find(|&k| tokens[sig[k]].token == Token::LParen) else {
        return (tokens, Vec::new());
    };
    let mut found = Vec::new();
    let mut remove = Vec::new();
    let mut depth = 0usize;
    let mut key = 0usize;
    let mut k = open;
    while k < sig.len() {
        match tokens[sig[k]].token {
            Token::LParen => {
                depth += 1;
                if depth == 2 && follows_a_key(&tokens, &sig, k, open) {
                    if let Some((close, options)) = option_list(&tokens, &sig, k) {
                        found.push((key, options));
                        remove.push((sig[k], sig[close]));
                        k = close + 1;
                        depth -= 1;
                        continue;
                    }
                }
            }
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Token::Comma if depth == 1 => key += 1,
            _ => {}
        }
        k += 1;
    }
    if remove.is_empty() {
        return (tokens, found);
    }
    let kept = tokens
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !remove.iter().any(|(a, b)| a <= i && i <= b))
        .map(|(_, t)| t)
        .collect();
    (kept, found)
}

/// Whether the parenthesis at significant index `k` follows an operator class name that
/// itself follows a key (a column, a parenthesised expression, a COLLATE name): a function
/// call instead starts its key (after the list's `(` or a `,`).
fn follows_a_key(tokens: &[TokenWithSpan], sig: &[usize], k: usize, open: usize) -> bool {
    let is_name = |j: usize| matches!(tokens[sig[j]].token, Token::Word(_));
    let mut j = k - 1;
    if j <= open || !is_name(j) {
        return false;
    }
    while j >= open + 3 && tokens[sig[j - 1]].token == Token::Period && is_name(j - 2) {
        j -= 2;
    }
    j > open + 1 && matches!(tokens[sig[j - 1]].token, Token::Word(_) | Token::RParen)
}

/// `( name = value [, …] )` from significant index `k`: where it closes, and the options as
/// PostgreSQL prints them.
fn option_list(tokens: &[TokenWithSpan], sig: &[usize], k: usize) -> Option<(usize, String)> {
    let version = crate::model::PgVersion::DEFAULT;
    let mut options = Vec::new();
    let mut j = k + 1;
    loop {
        let name = match &tokens[*sig.get(j)?].token {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_lowercase(),
            Token::Word(w) => w.value.clone(),
            _ => return None,
        };
        if tokens[*sig.get(j + 1)?].token != Token::Eq {
            return None;
        }
        let value = match &tokens[*sig.get(j + 2)?].token {
            Token::Number(n, _) => n.clone(),
            Token::SingleQuotedString(v) => v.clone(),
            Token::Word(w) if w.quote_style.is_none() => w.value.to_lowercase(),
            _ => return None,
        };
        let value = if crate::model::quote_ident(&value, version) == value {
            value
        } else {
            format!("'{}'", value.replace('\'', "''"))
        };
        options.push(format!(
            "{}={value}",
            crate::model::quote_ident(&name, version)
        ));
        match tokens[*sig.get(j + 3)?].token {
            Token::Comma => j += 4,
            Token::RParen => return Some((j + 3, options.join(", "))),
            _ => return None,
        }
    }
}

/// `TABLESPACE name` of a `CREATE INDEX` (after its key list, at the top level).
pub fn cut_index_tablespace(tokens: Vec<TokenWithSpan>) -> (Vec<TokenWithSpan>, Vec<String>) {
    let sig = significant(&tokens);
    let mut depth = 0usize;
    let mut remove = None;
    for (k, &i) in sig.iter().enumerate() {
        match tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth == 0 && is_word(&tokens, Some(&i), "TABLESPACE") && sig.get(k + 1).is_some() {
            remove = Some((i, sig[k + 1]));
            break;
        }
    }
    let Some((a, b)) = remove else {
        return (tokens, Vec::new());
    };
    let note = text(&tokens, a, b);
    let kept = tokens
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i < a || *i > b)
        .map(|(_, t)| t)
        .collect();
    (kept, vec![note])
}

/// `word (. word)*` from significant index `j`: the name and the index after it.
fn object_name_at(
    tokens: &[TokenWithSpan],
    sig: &[usize],
    mut j: usize,
) -> (Option<ObjectName>, usize) {
    let mut parts = Vec::new();
    while let Some(&i) = sig.get(j) {
        let Token::Word(w) = &tokens[i].token else {
            break;
        };
        parts.push(Ident {
            value: w.value.clone(),
            quote_style: w.quote_style,
            span: tokens[i].span,
        });
        j += 1;
        match sig.get(j).map(|&n| &tokens[n].token) {
            Some(Token::Period) => j += 1,
            _ => break,
        }
    }
    let name = (!parts.is_empty()).then(|| ObjectName::from(parts));
    (name, j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::parse::cursor::tokenize;

    fn run(sql: &str, depth: usize) -> (String, Cut) {
        let (tokens, cut) = cut(tokenize(sql).unwrap(), depth);
        let text: String = tokens.iter().map(|t| t.token.to_string()).collect();
        (text, cut)
    }

    #[test]
    fn identity_options_go_and_sequence_names_stay() {
        let (text, cut) = run(
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME s.q START WITH 1 INCREMENT BY 1), b int)",
            1,
        );
        assert_eq!(
            text,
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY , b int)"
        );
        assert_eq!(cut.identity_sequences[0].1.to_string(), "s.q");
    }

    #[test]
    fn fk_set_columns_and_index_storage() {
        let (text, cut) = run(
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES r ON DELETE SET NULL (b), ADD PRIMARY KEY (a) WITH (fillfactor=80) USING INDEX TABLESPACE x",
            0,
        );
        assert_eq!(
            text,
            "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a, b) REFERENCES r ON DELETE SET NULL , ADD PRIMARY KEY (a)  "
        );
        assert_eq!(cut.fk_set_columns[0].1, vec![Ident::new("b")]);
        assert_eq!(
            cut.not_modelled,
            vec!["WITH (fillfactor=80)", "USING INDEX TABLESPACE x"]
        );
    }

    #[test]
    fn virtual_generated_columns_read_as_stored_with_their_kind_aside() {
        let (sql, cut) = run(
            "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1),\n c int GENERATED ALWAYS AS (a) STORED, d int GENERATED ALWAYS AS (a) VIRTUAL)",
            1,
        );
        assert_eq!(
            sql,
            "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) STORED,\n c int GENERATED ALWAYS AS (a) STORED, d int GENERATED ALWAYS AS (a) STORED )"
        );
        assert_eq!(
            cut.virtual_generated,
            vec![((1, 30), false), ((2, 46), true)]
        );
    }

    #[test]
    fn table_options_are_left_alone() {
        let (text, cut) = run(
            "CREATE TABLE t (a int, PRIMARY KEY (a)) WITH (fillfactor=70)",
            1,
        );
        assert_eq!(
            text,
            "CREATE TABLE t (a int, PRIMARY KEY (a)) WITH (fillfactor=70)"
        );
        assert!(cut.not_modelled.is_empty());
    }
}
