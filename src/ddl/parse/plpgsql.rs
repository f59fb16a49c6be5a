//! `DO` blocks the replay can run: the PL/pgSQL migration tools and people write to make DDL
//! idempotent.
//!
//! ```sql
//! DO $$ BEGIN
//!   CREATE TYPE "public"."role" AS ENUM('admin', 'user');
//! EXCEPTION
//!   WHEN duplicate_object THEN null;
//! END $$;
//!
//! DO $$ BEGIN
//!   IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'storage') THEN
//!     CREATE SCHEMA storage;
//!   END IF;
//! END $$;
//! ```
//!
//! (Drizzle writes every enum and foreign key the first way.) A body of `BEGIN`, SQL
//! statements, `IF cond THEN … [ELSIF …] [ELSE …] END IF`, nested `BEGIN … END` blocks,
//! `EXECUTE` of a constant string, `NULL` and `RAISE NOTICE`, with optional `EXCEPTION`
//! sections whose handlers do nothing, is read into a tree; the conditions are kept as
//! text for the replay to evaluate. Anything else (variables, loops, `PERFORM`, `SELECT …
//! INTO`, dynamic SQL built at run time …) is left to a note.

use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::cursor::{tokenize, word};

/// A `DO` block the replay can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoBlock {
    pub body: Block,
}

/// `BEGIN … [EXCEPTION …] END`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// `DECLARE name type [:= expr]`: each variable with its initial expression's text.
    pub declares: Vec<(String, Option<String>)>,
    pub statements: Vec<PlStmt>,
    /// The conditions of an `EXCEPTION WHEN … THEN NULL` section, lower-cased
    /// (`duplicate_object`, `others`, `sqlstate 42710` …); empty when there is none.
    pub swallows: Vec<String>,
}

/// One statement of a block. Lines are relative to the `DO` statement's first line (1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlStmt {
    /// A SQL statement, or the constant string an `EXECUTE` runs (`dynamic`).
    Sql {
        line: usize,
        text: String,
        dynamic: bool,
    },
    /// `IF c THEN … ELSIF c THEN … ELSE … END IF`: the branches in order, with their
    /// condition's text; `otherwise` is the `ELSE` branch (empty when there is none).
    If {
        line: usize,
        branches: Vec<(String, Vec<PlStmt>)>,
        otherwise: Vec<PlStmt>,
    },
    /// A nested `BEGIN … END` (a subtransaction when it has an `EXCEPTION` section).
    Block { line: usize, block: Block },
    /// `SELECT expr INTO var FROM …` (`query` is the statement without `INTO var`) or
    /// `var := expr` (`query` is `SELECT expr`).
    Assign {
        line: usize,
        var: String,
        query: String,
    },
    /// `NULL;`, `RAISE NOTICE …;`: nothing happens.
    Nothing,
}

/// Words that start PL/pgSQL logic the replay does not run.
const LOGIC: &[&str] = &[
    "CASE", "LOOP", "WHILE", "FOR", "FOREACH", "EXIT", "CONTINUE", "RETURN", "PERFORM", "GET",
    "OPEN", "FETCH", "CLOSE", "CALL", "ASSERT", "DECLARE", "COMMIT", "ROLLBACK", "WITH", "MOVE",
];

/// Read a `DO` statement's tokens as a block the replay can run, if it is one.
pub(crate) fn do_block(tokens: &[TokenWithSpan]) -> Option<DoBlock> {
    // DO [LANGUAGE plpgsql] body [LANGUAGE plpgsql]
    let sig: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .collect();
    let mut body: Option<(String, usize)> = None;
    let mut k = 1;
    while k < sig.len() {
        match &sig[k].token {
            Token::DollarQuotedString(s) => {
                body = Some((s.value.clone(), sig[k].span.start.line as usize))
            }
            Token::SingleQuotedString(s) => {
                body = Some((s.clone(), sig[k].span.start.line as usize))
            }
            Token::SemiColon => {}
            t if word(t).as_deref() == Some("LANGUAGE") => {
                let language = sig.get(k + 1).map(|l| l.token.to_string().to_lowercase());
                if !matches!(language.as_deref(), Some("plpgsql" | "'plpgsql'")) {
                    return None;
                }
                k += 1;
            }
            _ => return None,
        }
        k += 1;
    }
    let (body, body_line) = body?;
    read_body(&body, body_line)
}

/// The byte offset of a 1-based (line, column) position in `text`.
fn byte_offset(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// `BEGIN … END [;]`, the whole body.
fn read_body(body: &str, body_line: usize) -> Option<DoBlock> {
    let tokens = tokenize(body).ok()?;
    let sig: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .collect();
    let mut reader = Reader {
        body,
        body_line,
        sig,
        k: 0,
    };
    let block = reader.block()?;
    reader.eat_semicolon();
    if reader.k != reader.sig.len() {
        return None;
    }
    Some(DoBlock { body: block })
}

struct Reader<'a> {
    body: &'a str,
    body_line: usize,
    sig: Vec<&'a TokenWithSpan>,
    k: usize,
}

impl Reader<'_> {
    fn word_at(&self, k: usize) -> Option<String> {
        self.sig.get(k).and_then(|t| word(&t.token))
    }

    fn w(&self) -> Option<String> {
        self.word_at(self.k)
    }

    fn is(&self, w: &str) -> bool {
        self.w().as_deref() == Some(w)
    }

    fn expect(&mut self, w: &str) -> Option<()> {
        self.is(w).then(|| self.k += 1)
    }

    fn at_semicolon(&self) -> bool {
        matches!(
            self.sig.get(self.k).map(|t| &t.token),
            Some(Token::SemiColon)
        )
    }

    fn eat_semicolon(&mut self) -> bool {
        let at = self.at_semicolon();
        if at {
            self.k += 1;
        }
        at
    }

    /// The line of token `k`, relative to the `DO` statement.
    fn line(&self, k: usize) -> usize {
        self.sig.get(k).map_or(self.body_line, |t| {
            t.span.start.line as usize + self.body_line - 1
        })
    }

    fn offset(&self, k: usize) -> usize {
        match self.sig.get(k) {
            Some(t) => byte_offset(self.body, t.span.start.line, t.span.start.column),
            None => self.body.len(),
        }
    }

    /// The text from token `from` up to (not including) token `to`.
    fn text(&self, from: usize, to: usize) -> String {
        self.body[self.offset(from)..self.offset(to).max(self.offset(from))]
            .trim()
            .to_string()
    }

    /// `BEGIN stmts [EXCEPTION handlers] END [label]` (the `;` after it is the caller's).
    fn block(&mut self) -> Option<Block> {
        // An optional label: `<<name>>`.
        if matches!(
            self.sig.get(self.k).map(|t| &t.token),
            Some(Token::ShiftLeft)
        ) {
            if !matches!(
                self.sig.get(self.k + 2).map(|t| &t.token),
                Some(Token::ShiftRight)
            ) {
                return None;
            }
            self.k += 3;
        }
        let declares = if self.is("DECLARE") {
            self.k += 1;
            self.declares()?
        } else {
            Vec::new()
        };
        self.expect("BEGIN")?;
        let statements = self.statements(&["END", "EXCEPTION"])?;
        let swallows = if self.is("EXCEPTION") {
            self.k += 1;
            self.handlers()?
        } else {
            Vec::new()
        };
        self.expect("END")?;
        // An optional block label.
        if !self.at_semicolon() && self.k < self.sig.len() {
            match self.sig.get(self.k).map(|t| &t.token) {
                Some(Token::Word(_)) => self.k += 1,
                _ => return None,
            }
        }
        Some(Block {
            declares,
            statements,
            swallows,
        })
    }

    /// `name [CONSTANT] type [NOT NULL] [{:= | = | DEFAULT} expr];` … up to `BEGIN`.
    fn declares(&mut self) -> Option<Vec<(String, Option<String>)>> {
        let mut out = Vec::new();
        while !self.is("BEGIN") {
            let name = match &self.sig.get(self.k)?.token {
                Token::Word(w) if w.quote_style.is_none() => w.value.to_lowercase(),
                _ => return None,
            };
            self.k += 1;
            let start = self.k;
            let end = self.skip_statement()?;
            let mut init = None;
            for k in start..end {
                let t = &self.sig[k].token;
                if matches!(
                    self.word_at(k).as_deref(),
                    Some("CURSOR" | "ALIAS" | "REFCURSOR")
                ) {
                    return None;
                }
                if matches!(t, Token::Assignment | Token::Eq)
                    || self.word_at(k).as_deref() == Some("DEFAULT")
                {
                    init = Some(self.text(k + 1, end));
                    break;
                }
            }
            out.push((name, init));
        }
        Some(out)
    }

    /// `SELECT … INTO var …;` or `var := expr;` at token `start` (not consumed when it is
    /// neither).
    fn assignment(&mut self, start: usize) -> Option<Option<PlStmt>> {
        let line = self.line(start);
        if let (Some(Token::Word(w)), Some(Token::Assignment | Token::Eq)) = (
            self.sig.get(start).map(|t| &t.token),
            self.sig.get(start + 1).map(|t| &t.token),
        ) {
            if w.quote_style.is_some() {
                return None;
            }
            let var = w.value.to_lowercase();
            self.k = start + 2;
            let end = self.skip_statement()?;
            let query = format!("SELECT {}", self.text(start + 2, end));
            return Some(Some(PlStmt::Assign { line, var, query }));
        }
        if self.word_at(start).as_deref() != Some("SELECT") {
            return Some(None);
        }
        let end = self.skip_statement()?;
        let mut depth = 0i32;
        let into = (start..end).find(|&k| {
            match self.sig[k].token {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
            depth == 0 && self.word_at(k).as_deref() == Some("INTO")
        })?;
        let var = match &self.sig.get(into + 1)?.token {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_lowercase(),
            _ => return None,
        };
        if matches!(
            self.sig.get(into + 2).map(|t| &t.token),
            Some(Token::Comma | Token::Period)
        ) || self.word_at(into + 1).as_deref() == Some("STRICT")
        {
            return None;
        }
        let query = format!("{} {}", self.text(start, into), self.text(into + 2, end));
        Some(Some(PlStmt::Assign { line, var, query }))
    }

    /// Statements up to one of the `stops` words (not consumed).
    fn statements(&mut self, stops: &[&str]) -> Option<Vec<PlStmt>> {
        let mut out = Vec::new();
        loop {
            let start = self.k;
            let first = self.w();
            match first.as_deref() {
                None if self.k >= self.sig.len() => return None,
                Some(w) if stops.contains(&w) => return Some(out),
                Some("BEGIN") => {
                    let line = self.line(start);
                    let block = self.block()?;
                    if !self.eat_semicolon() {
                        return None;
                    }
                    out.push(PlStmt::Block { line, block });
                }
                Some("IF") => out.push(self.if_stmt()?),
                Some("NULL") => {
                    self.k += 1;
                    if !self.eat_semicolon() {
                        return None;
                    }
                    out.push(PlStmt::Nothing);
                }
                Some("RAISE") => {
                    if !matches!(
                        self.word_at(self.k + 1).as_deref(),
                        Some("NOTICE" | "DEBUG" | "LOG" | "INFO" | "WARNING")
                    ) {
                        return None;
                    }
                    self.skip_statement()?;
                    out.push(PlStmt::Nothing);
                }
                Some("EXECUTE") => out.push(self.execute()?),
                Some(w) if LOGIC.contains(&w) => return None,
                _ if matches!(
                    self.sig.get(start + 1).map(|t| &t.token),
                    Some(Token::Assignment)
                ) || self.is("SELECT") =>
                {
                    out.push(self.assignment(start)??);
                }
                _ => {
                    let end = self.skip_statement()?;
                    let text = self.text(start, end);
                    if text.is_empty() || text.contains(":=") {
                        return None;
                    }
                    // Data changes run as notes; one that sets a variable does not.
                    if matches!(first.as_deref(), Some("INSERT" | "UPDATE" | "DELETE"))
                        && (start..end).any(|k| self.word_at(k).as_deref() == Some("RETURNING"))
                    {
                        return None;
                    }
                    out.push(PlStmt::Sql {
                        line: self.line(start),
                        text,
                        dynamic: false,
                    });
                }
            }
        }
    }

    /// Move past the next `;` (outside parentheses); returns the index of the `;`.
    fn skip_statement(&mut self) -> Option<usize> {
        let mut depth = 0i32;
        while let Some(t) = self.sig.get(self.k) {
            match t.token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth -= 1,
                Token::SemiColon if depth <= 0 => {
                    let at = self.k;
                    self.k += 1;
                    return Some(at);
                }
                _ => {}
            }
            self.k += 1;
        }
        None
    }

    /// `EXECUTE 'constant' [|| 'constant' …];`.
    fn execute(&mut self) -> Option<PlStmt> {
        let line = self.line(self.k);
        self.k += 1;
        let mut text = String::new();
        loop {
            match &self.sig.get(self.k)?.token {
                Token::SingleQuotedString(s) => text.push_str(s),
                Token::DollarQuotedString(s) => text.push_str(&s.value),
                Token::EscapedStringLiteral(s) => text.push_str(s),
                _ => return None,
            }
            self.k += 1;
            if matches!(
                self.sig.get(self.k).map(|t| &t.token),
                Some(Token::StringConcat)
            ) {
                self.k += 1;
            } else {
                break;
            }
        }
        if !self.eat_semicolon() {
            return None;
        }
        let text = text.trim().trim_end_matches(';').trim().to_string();
        if text.is_empty() {
            return None;
        }
        Some(PlStmt::Sql {
            line,
            text,
            dynamic: true,
        })
    }

    /// A condition up to `THEN` (outside parentheses and `CASE … END`).
    fn condition(&mut self) -> Option<String> {
        let start = self.k;
        let mut depth = 0i32;
        let mut cases = 0;
        while let Some(t) = self.sig.get(self.k) {
            match &t.token {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                Token::SemiColon => return None,
                token => match word(token).as_deref() {
                    Some("CASE") => cases += 1,
                    Some("END") if cases > 0 => cases -= 1,
                    Some("THEN") if depth == 0 && cases == 0 => {
                        let text = self.text(start, self.k);
                        self.k += 1;
                        return (!text.is_empty()).then_some(text);
                    }
                    _ => {}
                },
            }
            self.k += 1;
        }
        None
    }

    /// `IF c THEN … [ELSIF c THEN …]… [ELSE …] END IF;`
    fn if_stmt(&mut self) -> Option<PlStmt> {
        let line = self.line(self.k);
        self.k += 1;
        let mut branches = Vec::new();
        let mut otherwise = Vec::new();
        let stops = ["ELSIF", "ELSEIF", "ELSE", "END"];
        let condition = self.condition()?;
        branches.push((condition, self.statements(&stops)?));
        loop {
            match self.w().as_deref() {
                Some("ELSIF" | "ELSEIF") => {
                    self.k += 1;
                    let condition = self.condition()?;
                    branches.push((condition, self.statements(&stops)?));
                }
                Some("ELSE") => {
                    self.k += 1;
                    otherwise = self.statements(&["END"])?;
                }
                Some("END") => {
                    self.k += 1;
                    self.expect("IF")?;
                    if !self.eat_semicolon() {
                        return None;
                    }
                    return Some(PlStmt::If {
                        line,
                        branches,
                        otherwise,
                    });
                }
                _ => return None,
            }
        }
    }

    /// `WHEN cond [OR cond] THEN NULL; …` up to the block's `END`.
    fn handlers(&mut self) -> Option<Vec<String>> {
        let mut swallows = Vec::new();
        while !self.is("END") {
            self.expect("WHEN")?;
            loop {
                let condition = self.w()?;
                if condition == "SQLSTATE" {
                    let Token::SingleQuotedString(code) = &self.sig.get(self.k + 1)?.token else {
                        return None;
                    };
                    swallows.push(format!("sqlstate {code}"));
                    self.k += 2;
                } else {
                    swallows.push(condition.to_lowercase());
                    self.k += 1;
                }
                if self.is("OR") {
                    self.k += 1;
                } else {
                    break;
                }
            }
            self.expect("THEN")?;
            // Handlers that do nothing: NULL; or RAISE NOTICE …;
            loop {
                match self.w().as_deref() {
                    Some("NULL") => {
                        self.k += 1;
                        if !self.eat_semicolon() {
                            return None;
                        }
                    }
                    Some("RAISE")
                        if matches!(
                            self.word_at(self.k + 1).as_deref(),
                            Some("NOTICE" | "DEBUG" | "LOG" | "INFO" | "WARNING")
                        ) =>
                    {
                        self.skip_statement()?;
                    }
                    _ => return None,
                }
                if self.is("WHEN") || self.is("END") {
                    break;
                }
            }
        }
        Some(swallows)
    }
}

impl Block {
    /// Every SQL statement of the block, in text order, nested ones included.
    pub fn sql(&self) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        collect_sql(&self.statements, &mut out);
        out
    }
}

fn collect_sql<'a>(statements: &'a [PlStmt], out: &mut Vec<(usize, &'a str)>) {
    for s in statements {
        match s {
            PlStmt::Sql { line, text, .. } => out.push((*line, text)),
            PlStmt::If {
                branches,
                otherwise,
                ..
            } => {
                for (_, b) in branches {
                    collect_sql(b, out);
                }
                collect_sql(otherwise, out);
            }
            PlStmt::Block { block, .. } => collect_sql(&block.statements, out),
            PlStmt::Assign { .. } | PlStmt::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(sql: &str) -> Option<DoBlock> {
        do_block(&tokenize(sql).unwrap())
    }

    fn sql(line: usize, text: &str) -> PlStmt {
        PlStmt::Sql {
            line,
            text: text.into(),
            dynamic: false,
        }
    }

    #[test]
    fn drizzle_blocks_are_read() {
        let b = block(
            "DO $$ BEGIN\n CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user');\nEXCEPTION\n WHEN duplicate_object THEN null;\nEND $$",
        )
        .unwrap();
        assert_eq!(
            b.body.statements,
            vec![sql(
                2,
                "CREATE TYPE \"public\".\"role\" AS ENUM('admin', 'user')"
            )]
        );
        assert_eq!(b.body.swallows, vec!["duplicate_object"]);
        let b = block(
            "DO $$\nBEGIN\n  ALTER TABLE a ADD x int;\n  ALTER TABLE b ADD y int;\nEND;\n$$ LANGUAGE plpgsql",
        )
        .unwrap();
        assert_eq!(b.body.sql().len(), 2);
        assert_eq!(b.body.sql()[1].0, 4);
        assert!(b.body.swallows.is_empty());
    }

    #[test]
    fn guards_nested_blocks_and_constant_dynamic_sql_are_read() {
        let b = block(
            "DO LANGUAGE plpgsql $body$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'x') THEN\n    CREATE SCHEMA x;\n  ELSIF (SELECT CASE WHEN true THEN 1 END) = 1 THEN NULL;\n  ELSE RAISE NOTICE 'exists';\n  END IF;\n  BEGIN EXECUTE 'CREATE TABLE x.t ()' || ';'; EXCEPTION WHEN duplicate_table OR SQLSTATE '42710' THEN NULL; END;\nEND\n$body$",
        )
        .unwrap();
        let [PlStmt::If {
            line: 3,
            branches,
            otherwise,
        }, PlStmt::Block { line: 8, block }] = b.body.statements.as_slice()
        else {
            panic!("{b:?}")
        };
        assert_eq!(
            branches[0].0,
            "NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'x')"
        );
        assert_eq!(branches[0].1, vec![sql(4, "CREATE SCHEMA x")]);
        assert_eq!(branches[1].1, vec![PlStmt::Nothing]);
        assert_eq!(otherwise, &vec![PlStmt::Nothing]);
        assert_eq!(
            block.statements,
            vec![PlStmt::Sql {
                line: 8,
                text: "CREATE TABLE x.t ()".into(),
                dynamic: true
            }]
        );
        assert_eq!(block.swallows, vec!["duplicate_table", "sqlstate 42710"]);
    }

    #[test]
    fn variables_select_into_and_assignments_are_read() {
        let b = block(
            "DO $$\n<<lbl>>\nDECLARE\n  col_exist boolean := false;\n  n int;\nBEGIN\n  SELECT count(*) != 0 INTO col_exist FROM information_schema.columns WHERE table_name = 't';\n  n := 2;\n  IF col_exist THEN ALTER TABLE t ADD x int; END IF;\nEND lbl $$",
        )
        .unwrap();
        assert_eq!(
            b.body.declares,
            vec![
                ("col_exist".into(), Some("false".into())),
                ("n".into(), None)
            ]
        );
        assert_eq!(
            b.body.statements[0],
            PlStmt::Assign {
                line: 7,
                var: "col_exist".into(),
                query:
                    "SELECT count(*) != 0 FROM information_schema.columns WHERE table_name = 't'"
                        .into()
            }
        );
        assert!(
            matches!(&b.body.statements[1], PlStmt::Assign { var, query, .. } if var == "n" && query == "SELECT 2")
        );
    }

    #[test]
    fn blocks_with_other_logic_are_not() {
        assert!(
            block("DO $$ DECLARE c CURSOR FOR SELECT 1; BEGIN CREATE TABLE t (); END $$").is_none()
        );
        assert!(block("DO $$ BEGIN SELECT a, b INTO x, y FROM t; END $$").is_none());
        assert!(block("DO $$ BEGIN EXECUTE 'CREATE TABLE ' || t; END $$").is_none());
        assert!(block("DO $$ BEGIN PERFORM f(); END $$").is_none());
        assert!(block("DO $$ BEGIN FOR r IN SELECT 1 LOOP NULL; END LOOP; END $$").is_none());
        assert!(block(
            "DO $$ BEGIN CREATE TABLE t (); EXCEPTION WHEN others THEN RAISE EXCEPTION 'x'; END $$"
        )
        .is_none());
        assert!(block("DO $$ BEGIN IF x THEN RAISE EXCEPTION 'no'; END IF; END $$").is_none());
        assert!(block("DO LANGUAGE plperl $$ BEGIN CREATE TABLE t (); END $$").is_none());
        assert!(block("DO $$ BEGIN IF x THEN CREATE TABLE t (); END $$").is_none());
    }
}
