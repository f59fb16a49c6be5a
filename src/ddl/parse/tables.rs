//! `CREATE TABLE` and `CREATE INDEX` before sqlparser reads them: the `LIKE` elements of a
//! table (sqlparser reads neither their options nor a `LIKE` among columns), identity
//! `SEQUENCE NAME` options (it rejects them), and `ON ONLY` of an index (it does not know
//! it) are taken out and read here.

use sqlparser::ast::{Ident, Statement};
use sqlparser::parser::ParserError;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{error_text, parser, ParserExt};
use super::{unparsed, with_sqlparser, CreateIndexStmt, CreateTableStmt, Ddl, LikeClause, Parsed};

pub(super) fn create_table(tokens: Vec<TokenWithSpan>, _temporary: bool) -> Parsed {
    let (tokens, likes) = match extract_likes(tokens) {
        Ok(extracted) => extracted,
        Err((tokens, error)) => return unparsed(&tokens, error),
    };
    let (tokens, identity_sequences) = extract_sequence_names(tokens);
    with_sqlparser(tokens, |statement| match statement {
        Statement::CreateTable(table) => {
            Some(Parsed::Ddl(Ddl::CreateTable(Box::new(CreateTableStmt {
                table,
                likes,
                identity_sequences,
            }))))
        }
        _ => None,
    })
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
    // The element list is the first top-level parenthesis.
    let Some(open) = tokens.iter().position(|t| t.token == Token::LParen) else {
        return Ok((tokens, Vec::new()));
    };
    let mut elements: Vec<(usize, usize)> = Vec::new(); // [start, end) of each element
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut close = None;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    elements.push((start, i));
                    close = Some(i);
                    break;
                }
            }
            Token::Comma if depth == 1 => {
                elements.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    let Some(close) = close else {
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
    with_sqlparser(tokens, |statement| match statement {
        Statement::CreateIndex(index) => {
            Some(Parsed::Ddl(Ddl::CreateIndex(Box::new(CreateIndexStmt {
                index,
                only,
            }))))
        }
        _ => None,
    })
}

type SequenceNames = Vec<((u64, u64), sqlparser::ast::ObjectName)>;

/// Take `SEQUENCE NAME x` out of identity options (an emptied `( )` goes too) and return
/// each name with where it was written.
fn extract_sequence_names(tokens: Vec<TokenWithSpan>) -> (Vec<TokenWithSpan>, SequenceNames) {
    let is_word = |t: &TokenWithSpan, w: &str| super::cursor::word(&t.token).as_deref() == Some(w);
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect();
    let mut remove: Vec<(usize, usize)> = Vec::new(); // inclusive token index ranges
    let mut found = Vec::new();
    let mut k = 0;
    while k + 2 < significant.len() {
        let (a, b) = (significant[k], significant[k + 1]);
        if !(is_word(&tokens[a], "SEQUENCE") && is_word(&tokens[b], "NAME")) {
            k += 1;
            continue;
        }
        // The name: word (. word)*
        let mut j = k + 2;
        let mut parts = Vec::new();
        while let Some(&idx) = significant.get(j) {
            let Token::Word(w) = &tokens[idx].token else {
                break;
            };
            parts.push(Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: tokens[idx].span,
            });
            j += 1;
            match significant.get(j).map(|&i| &tokens[i].token) {
                Some(Token::Period) => j += 1,
                _ => break,
            }
        }
        if parts.is_empty() {
            k += 1;
            continue;
        }
        let start = tokens[a].span.start;
        found.push((
            (start.line, start.column),
            sqlparser::ast::ObjectName::from(parts),
        ));
        let last = significant[j - 1];
        let before = k.checked_sub(1).map(|p| significant[p]);
        let after = significant.get(j).copied();
        match (before, after) {
            (Some(open), Some(close))
                if tokens[open].token == Token::LParen && tokens[close].token == Token::RParen =>
            {
                remove.push((open, close));
            }
            _ => remove.push((a, last)),
        }
        k = j;
    }
    if remove.is_empty() {
        return (tokens, found);
    }
    let out = tokens
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !remove.iter().any(|(a, b)| a <= i && i <= b))
        .map(|(_, t)| t)
        .collect();
    (out, found)
}
