//! The grammar's special forms that become function calls: SQL value keywords
//! (`CURRENT_TIMESTAMP(3)`), COALESCE/GREATEST/LEAST/NULLIF/ROW/NORMALIZE written as calls,
//! and EXTRACT, POSITION, SUBSTRING, TRIM, OVERLAY, AT TIME ZONE, IS NORMALIZED — printed in
//! their SQL syntax from 14 on (`COERCE_SQL_SYNTAX`), as plain calls on 13.

use sqlparser::ast::{
    CeilFloorKind, DateTimeField, Expr, FunctionArg, FunctionArgExpr, NormalizationForm,
    TrimWhereField, Value,
};

use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::node::{Const, Form, Node, SqlValue, Syntax};
use crate::ddl::canon::types::Ty;
use crate::ddl::canon::CanonError;

impl Analyzer<'_> {
    /// The keywords the grammar parses as something other than a function call.
    pub(crate) fn keyword_function(
        &self,
        name: &str,
        args: &[&FunctionArg],
        no_parens: bool,
    ) -> Result<Option<Node>, CanonError> {
        let precision = || -> Option<i32> {
            match args {
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))] => match &v.value {
                    Value::Number(n, _) => n.parse().ok(),
                    _ => None,
                },
                _ => None,
            }
        };
        let timed = |make: fn(Option<i32>) -> SqlValue| -> Option<Node> {
            if no_parens {
                Some(Node::SqlValue(make(None)))
            } else {
                precision().map(|p| Node::SqlValue(make(Some(p.min(6)))))
            }
        };
        let plain = |v: SqlValue| no_parens.then_some(Node::SqlValue(v));
        let node = match name {
            "current_date" => plain(SqlValue::CurrentDate),
            "current_time" => timed(SqlValue::CurrentTime),
            "current_timestamp" => timed(SqlValue::CurrentTimestamp),
            "localtime" => timed(SqlValue::LocalTime),
            "localtimestamp" => timed(SqlValue::LocalTimestamp),
            "current_role" => plain(SqlValue::CurrentRole),
            "current_user" => plain(SqlValue::CurrentUser),
            "user" => plain(SqlValue::User),
            "session_user" => plain(SqlValue::SessionUser),
            "current_catalog" => plain(SqlValue::CurrentCatalog),
            "current_schema" => plain(SqlValue::CurrentSchema),
            "system_user" if no_parens && self.env.major() >= 16 => Some(self.resolve_call(
                "system_user",
                None,
                Vec::new(),
                Form::SqlSyntax,
                Some(Syntax::SystemUser),
            )?),
            "normalize" if !no_parens && (1..=2).contains(&args.len()) => {
                // NORMALIZE(x [, form]): the form is a keyword, passed as a text constant.
                let mut nodes = vec![self.function_arg(args[0])?];
                if let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(form))) = args.get(1) {
                    nodes.push(Node::Const(Const {
                        ty: Ty::UNKNOWN,
                        typmod: -1,
                        // The grammar keeps the form keyword lower-cased before 14.
                        value: Some(if self.env.major() >= 14 {
                            form.to_string().to_uppercase()
                        } else {
                            form.to_string().to_lowercase()
                        }),
                    }));
                }
                Some(self.syntax_call("normalize", nodes, Syntax::Normalize)?)
            }
            "coalesce" | "greatest" | "least" | "nullif" | "row" if !no_parens => {
                let mut nodes = Vec::with_capacity(args.len());
                for a in args {
                    nodes.push(self.function_arg(a)?);
                }
                Some(match name {
                    "coalesce" => self.coalesce(nodes)?,
                    "greatest" => self.min_max(nodes, true)?,
                    "least" => self.min_max(nodes, false)?,
                    "row" => Node::Row {
                        args: nodes,
                        cast_to: None,
                    },
                    _ => {
                        let mut it = nodes.into_iter();
                        match (it.next(), it.next(), it.next()) {
                            (Some(a), Some(b), None) => self.nullif(a, b)?,
                            _ => return Err(CanonError::new("NULLIF takes two arguments")),
                        }
                    }
                })
            }
            _ => None,
        };
        Ok(node)
    }

    fn sql_syntax_form(&self) -> Form {
        if self.env.major() >= 14 {
            Form::SqlSyntax
        } else {
            Form::ExplicitCall
        }
    }

    fn syntax_call(&self, name: &str, args: Vec<Node>, syntax: Syntax) -> Result<Node, CanonError> {
        let form = self.sql_syntax_form();
        let syntax = (form == Form::SqlSyntax).then_some(syntax);
        self.resolve_call(name, None, args, form, syntax)
    }

    pub(crate) fn extract(&self, field: &DateTimeField, expr: &Expr) -> Result<Node, CanonError> {
        let field_name = match field {
            DateTimeField::Custom(ident) => crate::ddl::canon::types::ident_name(ident),
            DateTimeField::Week(_) => "week".to_string(),
            other => other.to_string().to_lowercase(),
        };
        let field_const = Node::Const(Const {
            ty: Ty::UNKNOWN,
            typmod: -1,
            value: Some(field_name),
        });
        let arg = self.expr(expr)?;
        // Before 14, EXTRACT was date_part() and returned double precision.
        if self.env.major() < 14 {
            return self.resolve_call(
                "date_part",
                None,
                vec![field_const, arg],
                Form::ExplicitCall,
                None,
            );
        }
        self.syntax_call("extract", vec![field_const, arg], Syntax::Extract)
    }

    pub(crate) fn position(&self, needle: &Expr, haystack: &Expr) -> Result<Node, CanonError> {
        let args = vec![self.expr(haystack)?, self.expr(needle)?];
        self.syntax_call("position", args, Syntax::Position)
    }

    pub(crate) fn substring(
        &self,
        expr: &Expr,
        from: Option<&Expr>,
        for_: Option<&Expr>,
        special: bool,
        shorthand: bool,
    ) -> Result<Node, CanonError> {
        let mut args = vec![self.expr(expr)?];
        match (from, for_) {
            (Some(f), Some(l)) => {
                args.push(self.expr(f)?);
                args.push(self.expr(l)?);
            }
            (Some(f), None) => args.push(self.expr(f)?),
            (None, Some(l)) => {
                args.push(Node::Const(Const {
                    ty: Ty::INT4,
                    typmod: -1,
                    value: Some("1".into()),
                }));
                args.push(self.expr(l)?);
            }
            (None, None) => {}
        }
        if shorthand {
            return self.resolve_call("substr", None, args, Form::ExplicitCall, None);
        }
        if special {
            // substring(x, 1, 2): an ordinary call.
            return self.resolve_call("substring", None, args, Form::ExplicitCall, None);
        }
        self.syntax_call("substring", args, Syntax::Substring)
    }

    pub(crate) fn trim(
        &self,
        where_: Option<&TrimWhereField>,
        what: Option<&Expr>,
        expr: &Expr,
        characters: Option<&[Expr]>,
    ) -> Result<Node, CanonError> {
        let (name, keyword) = match where_ {
            Some(TrimWhereField::Leading) => ("ltrim", "LEADING"),
            Some(TrimWhereField::Trailing) => ("rtrim", "TRAILING"),
            _ => ("btrim", "BOTH"),
        };
        let mut args = vec![self.expr(expr)?];
        if let Some(w) = what {
            args.push(self.expr(w)?);
        }
        for c in characters.unwrap_or_default() {
            args.push(self.expr(c)?);
        }
        self.syntax_call(name, args, Syntax::Trim(keyword))
    }

    pub(crate) fn overlay(
        &self,
        expr: &Expr,
        what: &Expr,
        from: &Expr,
        for_: Option<&Expr>,
    ) -> Result<Node, CanonError> {
        let mut args = vec![self.expr(expr)?, self.expr(what)?, self.expr(from)?];
        if let Some(f) = for_ {
            args.push(self.expr(f)?);
        }
        self.syntax_call("overlay", args, Syntax::Overlay)
    }

    pub(crate) fn at_time_zone(&self, ts: &Expr, zone: &Expr) -> Result<Node, CanonError> {
        let args = vec![self.expr(zone)?, self.expr(ts)?];
        self.syntax_call("timezone", args, Syntax::AtTimeZone)
    }

    pub(crate) fn ceil_floor(
        &self,
        name: &str,
        expr: &Expr,
        field: &CeilFloorKind,
    ) -> Result<Node, CanonError> {
        let mut args = vec![self.expr(expr)?];
        if let CeilFloorKind::Scale(v) = field {
            args.push(self.literal(&v.value, false)?);
        }
        self.resolve_call(name, None, args, Form::ExplicitCall, None)
    }

    pub(crate) fn is_normalized(
        &self,
        expr: &Expr,
        form: Option<&NormalizationForm>,
        negated: bool,
    ) -> Result<Node, CanonError> {
        let mut args = vec![self.expr(expr)?];
        if let Some(f) = form {
            args.push(Node::Const(Const {
                ty: Ty::UNKNOWN,
                typmod: -1,
                value: Some(if self.env.major() >= 14 {
                    f.to_string()
                } else {
                    f.to_string().to_lowercase()
                }),
            }));
        }
        let call = self.syntax_call("is_normalized", args, Syntax::IsNormalized)?;
        Ok(if negated {
            Node::Bool(crate::ddl::canon::node::BoolOp::Not, vec![call])
        } else {
            call
        })
    }
}

/// Whether the resolved function is one of the variants ruleutils prints in SQL syntax
/// (`get_func_sql_syntax` lists them by OID; here by name and argument types).
pub(crate) fn sql_syntax_applies(syntax: Syntax, name: &str, declared: &[Ty]) -> bool {
    let o: Vec<u32> = declared.iter().map(|t| t.oid().unwrap_or(0)).collect();
    let string_like = |x: u32| matches!(x, oid::TEXT | oid::BYTEA | oid::BIT);
    match syntax {
        Syntax::AtTimeZone => name == "timezone" && o.len() == 2,
        Syntax::Extract => name == "extract" && o.len() == 2,
        Syntax::Position => o.len() == 2 && string_like(o[0]) && o[0] == o[1],
        Syntax::Substring => {
            (o.len() == 2 || o.len() == 3)
                && string_like(o[0])
                && o[1..].iter().all(|&x| x == oid::INT4)
        }
        Syntax::Overlay => {
            (o.len() == 3 || o.len() == 4)
                && string_like(o[0])
                && o[0] == o[1]
                && o[2..].iter().all(|&x| x == oid::INT4)
        }
        Syntax::Trim(_) => {
            (o.len() == 1 && o[0] == oid::TEXT)
                || (o.len() == 2 && (o == [oid::TEXT, oid::TEXT] || o == [oid::BYTEA, oid::BYTEA]))
        }
        Syntax::Normalize | Syntax::IsNormalized | Syntax::SystemUser => true,
    }
}
