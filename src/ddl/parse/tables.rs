//! `CREATE TABLE` and `CREATE INDEX` around sqlparser: the `LIKE` elements of a table
//! (sqlparser reads neither their options nor a `LIKE` among columns) and `ON ONLY` of an
//! index (it does not know it) are taken out and read here, other clauses it rejects by
//! `prepass`; a table it still rejects is read element by element, keeping what reads.

use sqlparser::ast::{CreateTable, Statement};
use sqlparser::parser::ParserError;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, parser, tokens_of, ParserExt};
use super::prepass;
use super::{unparsed, with_sqlparser, CreateIndexStmt, CreateTableStmt, Ddl, LikeClause, Parsed};

pub(super) fn create_table(tokens: Vec<TokenWithSpan>, _temporary: bool) -> Parsed {
    let (tokens, likes) = match extract_likes(tokens) {
        Ok(extracted) => extracted,
        Err((tokens, error)) => return unparsed(&tokens, error),
    };
    let (tokens, cut) = prepass::cut(tokens, 1);
    let (mut table, skipped) = match parse_create_table(tokens) {
        Ok(table) => (table, Vec::new()),
        Err((error, tokens)) => match salvage(&tokens) {
            Some(salvaged) => salvaged,
            None => return unparsed(&tokens, error),
        },
    };
    prepass::restore_generated_kinds(table.columns.iter_mut(), &cut.virtual_generated);
    Parsed::Ddl(Ddl::CreateTable(Box::new(CreateTableStmt {
        table,
        likes,
        cut,
        skipped,
    })))
}

/// Read a `CREATE TABLE`; on failure the error, with the tokens back.
fn parse_create_table(
    tokens: Vec<TokenWithSpan>,
) -> Result<CreateTable, (String, Vec<TokenWithSpan>)> {
    let mut p = parser(tokens);
    let statement = match p.parse_statement() {
        Ok(statement) => statement,
        Err(e) => return Err((error_text(&e), tokens_of(&p))),
    };
    if let Err(e) = p.expect_end() {
        return Err((error_text(&e), tokens_of(&p)));
    }
    match statement {
        Statement::CreateTable(table) => Ok(table),
        other => Err((format!("not a CREATE TABLE: {other}"), tokens_of(&p))),
    }
}

/// Where an element list opens, each element's token range, where it closes.
type ElementList = (usize, Vec<(usize, usize)>, usize);

/// The first top-level parenthesis of a `CREATE TABLE` (its element list): where it opens,
/// each element's `[start, end)` token range, and where it closes.
fn element_ranges(tokens: &[TokenWithSpan]) -> Option<ElementList> {
    let open = tokens.iter().position(|t| t.token == Token::LParen)?;
    let mut elements: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    elements.push((start, i));
                    return Some((open, elements, i));
                }
            }
            Token::Comma if depth == 1 => {
                elements.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

fn tokens_text(tokens: &[TokenWithSpan]) -> String {
    let text: String = tokens.iter().map(|t| t.token.to_string()).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    super::first_words(&text)
}

/// A `CREATE TABLE` sqlparser rejects, read element by element: the columns and
/// constraints it reads are kept, the others are returned (text, error) for notes — a
/// table with one exotic column should not vanish from the model.
fn salvage(tokens: &[TokenWithSpan]) -> Option<(CreateTable, Vec<(String, String)>)> {
    let (open, elements, close) = element_ranges(tokens)?;
    let prefix = &tokens[..=open];
    let suffix = &tokens[close..];
    let closing = [TokenWithSpan::wrap(Token::RParen)];
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    for &(a, b) in &elements {
        let candidate: Vec<TokenWithSpan> = prefix
            .iter()
            .chain(&tokens[a..b])
            .chain(&closing)
            .cloned()
            .collect();
        match parse_create_table(candidate) {
            Ok(_) => kept.push((a, b)),
            Err((error, _)) => skipped.push((tokens_text(&tokens[a..b]), error)),
        }
    }
    if kept.is_empty() {
        // Nothing reads: the trouble is before the element list, not in it.
        return None;
    }
    let mut body: Vec<TokenWithSpan> = prefix.to_vec();
    for (i, &(a, b)) in kept.iter().enumerate() {
        if i > 0 {
            body.push(TokenWithSpan::wrap(Token::Comma));
        }
        body.extend_from_slice(&tokens[a..b]);
    }
    let with_suffix: Vec<TokenWithSpan> = body.iter().chain(suffix).cloned().collect();
    match parse_create_table(with_suffix) {
        Ok(table) => Some((table, skipped)),
        Err((error, _)) => {
            // What follows the element list (PARTITION BY, WITH …) is the trouble.
            body.extend_from_slice(&closing);
            let table = parse_create_table(body).ok()?;
            skipped.push((tokens_text(&suffix[1..]), error));
            Some((table, skipped))
        }
    }
}

const LIKE_OPTIONS: &[&str] = &[
    "COMMENTS",
    "COMPRESSION",
    "CONSTRAINTS",
    "DEFAULTS",
    "GENERATED",
    "IDENTITY",
    "INDEXES",
    "STATISTICS",
    "STORAGE",
];

type Extracted = (Vec<TokenWithSpan>, Vec<LikeClause>);

/// Take the `LIKE …` elements out of a `CREATE TABLE`'s element list (sqlparser cannot read
/// them among columns or with their options) and read them here.
fn extract_likes(tokens: Vec<TokenWithSpan>) -> Result<Extracted, (Vec<TokenWithSpan>, String)> {
    let Some((open, elements, close)) = element_ranges(&tokens) else {
        return Ok((tokens, Vec::new()));
    };
    let first_word = |range: &(usize, usize)| {
        tokens[range.0..range.1]
            .iter()
            .find(|t| !matches!(t.token, Token::Whitespace(_)))
            .and_then(|t| super::cursor::word(&t.token))
    };
    if !elements
        .iter()
        .any(|e| first_word(e).as_deref() == Some("LIKE"))
    {
        return Ok((tokens, Vec::new()));
    }
    let mut likes = Vec::new();
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut columns_before = 0;
    for element in &elements {
        match first_word(element).as_deref() {
            Some("LIKE") => {
                let mut p = parser(tokens[element.0..element.1].to_vec());
                let like = (|| {
                    p.expect_words(&["LIKE"])?;
                    let source = p.parse_object_name(false)?;
                    let mut including: Vec<String> = Vec::new();
                    while !p.at_end() {
                        let include = if p.eat_word("INCLUDING") {
                            true
                        } else {
                            p.expect_words(&["EXCLUDING"])?;
                            false
                        };
                        let option = p.peek_word(0).unwrap_or_default();
                        p.next_token();
                        let options: Vec<String> = if option == "ALL" {
                            LIKE_OPTIONS.iter().map(|o| o.to_string()).collect()
                        } else if LIKE_OPTIONS.contains(&option.as_str()) {
                            vec![option]
                        } else {
                            return Err(ParserError::ParserError(format!(
                                "unknown LIKE option {option}"
                            )));
                        };
                        for o in options {
                            including.retain(|x| *x != o);
                            if include {
                                including.push(o);
                            }
                        }
                    }
                    Ok::<_, ParserError>(LikeClause {
                        source,
                        including,
                        columns_before,
                    })
                })();
                match like {
                    Ok(like) => likes.push(like),
                    Err(e) => return Err((tokens.clone(), error_text(&e))),
                }
            }
            Some("CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "EXCLUDE") => {
                kept.push(*element)
            }
            _ => {
                columns_before += 1;
                kept.push(*element);
            }
        }
    }
    let mut out: Vec<TokenWithSpan> = tokens[..=open].to_vec();
    for (i, (a, b)) in kept.iter().enumerate() {
        if i > 0 {
            out.push(TokenWithSpan::wrap(Token::Comma));
        }
        out.extend_from_slice(&tokens[*a..*b]);
    }
    out.extend_from_slice(&tokens[close..]);
    Ok((out, likes))
}

/// `CREATE [UNIQUE] INDEX … ON [ONLY] t`: sqlparser does not know `ONLY`, so the word is
/// removed before parsing and remembered.
pub(super) fn create_index(mut tokens: Vec<TokenWithSpan>) -> Parsed {
    let mut only = false;
    let mut previous_on = false;
    let mut remove = None;
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.token, Token::Whitespace(_)) {
            continue;
        }
        let w = super::cursor::word(&t.token);
        if previous_on && w.as_deref() == Some("ONLY") {
            remove = Some(i);
            break;
        }
        previous_on = w.as_deref() == Some("ON");
        if matches!(t.token, Token::LParen) {
            break;
        }
    }
    if let Some(i) = remove {
        tokens.remove(i);
        only = true;
    }
    let (tokens, not_modelled) = prepass::cut_index_tablespace(tokens);
    let (tokens, opclass_options) = prepass::cut_opclass_options(tokens);
    with_sqlparser(tokens, |statement| match statement {
        Statement::CreateIndex(index) => {
            Some(Parsed::Ddl(Ddl::CreateIndex(Box::new(CreateIndexStmt {
                index,
                only,
                not_modelled,
                opclass_options,
            }))))
        }
        _ => None,
    })
}
