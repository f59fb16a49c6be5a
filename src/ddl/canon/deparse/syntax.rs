//! `get_func_sql_syntax`: calls parsed from SQL's special syntaxes print in that syntax
//! (`EXTRACT(year FROM d)`, `POSITION(('@'::text) IN (email))`, `TRIM(BOTH FROM x)`,
//! `(ts AT TIME ZONE 'UTC'::text)` …), their arguments without implicit casts.

use super::Deparser;
use crate::ddl::canon::node::{Node, Syntax};

impl Deparser<'_, '_> {
    /// `get_func_sql_syntax`.
    pub(super) fn sql_syntax(&mut self, syntax: Syntax, args: &[Node]) -> bool {
        let arg = |i: usize| args.get(i);
        match syntax {
            Syntax::AtTimeZone => {
                let (Some(zone), Some(ts)) = (arg(0), arg(1)) else {
                    return false;
                };
                self.push("(");
                self.expr(ts, false);
                self.push(" AT TIME ZONE ");
                self.expr(zone, false);
                self.push(")");
            }
            Syntax::Extract => {
                let (Some(Node::Const(field)), Some(source)) = (arg(0), arg(1)) else {
                    return false;
                };
                self.push("EXTRACT(");
                self.push(field.value.as_deref().unwrap_or(""));
                self.push(" FROM ");
                self.expr(source, false);
                self.push(")");
            }
            Syntax::Position => {
                let (Some(haystack), Some(needle)) = (arg(0), arg(1)) else {
                    return false;
                };
                self.push("POSITION((");
                self.expr(needle, false);
                self.push(") IN (");
                self.expr(haystack, false);
                self.push("))");
            }
            Syntax::Substring => {
                let (Some(s), Some(from)) = (arg(0), arg(1)) else {
                    return false;
                };
                self.push("SUBSTRING(");
                self.expr(s, false);
                self.push(" FROM ");
                self.expr(from, false);
                if let Some(len) = arg(2) {
                    self.push(" FOR ");
                    self.expr(len, false);
                }
                self.push(")");
            }
            Syntax::Overlay => {
                let (Some(a), Some(b), Some(c)) = (arg(0), arg(1), arg(2)) else {
                    return false;
                };
                self.push("OVERLAY(");
                self.expr(a, false);
                self.push(" PLACING ");
                self.expr(b, false);
                self.push(" FROM ");
                self.expr(c, false);
                if let Some(d) = arg(3) {
                    self.push(" FOR ");
                    self.expr(d, false);
                }
                self.push(")");
            }
            Syntax::Trim(keyword) => {
                let Some(s) = arg(0) else {
                    return false;
                };
                self.push("TRIM(");
                self.push(keyword);
                if let Some(chars) = arg(1) {
                    self.push(" ");
                    self.expr(chars, false);
                }
                self.push(" FROM ");
                self.expr(s, false);
                self.push(")");
            }
            Syntax::Normalize => {
                let Some(s) = arg(0) else {
                    return false;
                };
                self.push("NORMALIZE(");
                self.expr(s, false);
                if let Some(Node::Const(form)) = arg(1) {
                    self.push(", ");
                    self.push(form.value.as_deref().unwrap_or(""));
                }
                self.push(")");
            }
            Syntax::IsNormalized => {
                let Some(s) = arg(0) else {
                    return false;
                };
                self.push("(");
                self.expr(s, false);
                self.push(" IS");
                if let Some(Node::Const(form)) = arg(1) {
                    self.push(" ");
                    self.push(form.value.as_deref().unwrap_or(""));
                }
                self.push(" NORMALIZED)");
            }
            Syntax::SystemUser => self.push("SYSTEM_USER"),
        }
        true
    }
}
