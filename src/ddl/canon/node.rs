//! The analysed expression tree: the subset of PostgreSQL's primitive nodes (`primnodes.h`)
//! that stored defaults, checks, index expressions and predicates are made of, with the
//! types parse analysis gave them (`exprType` / `exprTypmod`).

use super::types::Ty;

/// `CoercionForm`: how a function call or coercion is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `f(x)`
    ExplicitCall,
    /// `x::type`
    ExplicitCast,
    /// Not displayed unless the caller wants implicit casts shown.
    ImplicitCast,
    /// One of SQL's special syntaxes (`EXTRACT(… FROM …)`, `x AT TIME ZONE y` …).
    SqlSyntax,
}

/// What kind of coercion node a cast is (they deparse alike, but differ in typmod
/// behaviour and in how they nest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CastKind {
    /// A cast function (`FuncExpr` with a cast format); `length` for the typmod-taking
    /// (length coercion) functions.
    Func { length: bool },
    /// `RelabelType`: binary-coercible types.
    Relabel,
    /// `CoerceViaIO`.
    Io,
    /// `ArrayCoerceExpr`.
    ArrayCoerce,
    /// `CoerceToDomain`.
    Domain,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Const {
    pub ty: Ty,
    pub typmod: i32,
    /// The type's output-function text; `None` for NULL.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cast {
    pub arg: Node,
    pub ty: Ty,
    /// `exprTypmod` of the result.
    pub typmod: i32,
    pub form: Form,
    pub kind: CastKind,
}

impl Cast {
    /// The typmod `get_coercion_expr` prints after `::`.
    pub fn shown_typmod(&self) -> i32 {
        match self.kind {
            CastKind::Func { length } => {
                if length {
                    self.typmod
                } else {
                    -1
                }
            }
            CastKind::Relabel | CastKind::ArrayCoerce => self.typmod,
            CastKind::Io | CastKind::Domain => -1,
        }
    }
}

/// Which SQL-syntax form a `COERCE_SQL_SYNTAX` function call prints as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    AtTimeZone,
    Extract,
    Position,
    Substring,
    Overlay,
    Trim(&'static str),
    Normalize,
    IsNormalized,
    SystemUser,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FuncExpr {
    pub name: String,
    /// Set when the function lives outside `pg_catalog` (printed qualified).
    pub schema: Option<String>,
    pub args: Vec<Node>,
    pub ret: Ty,
    pub form: Form,
    pub syntax: Option<Syntax>,
    /// A merged variadic array argument: printed as `VARIADIC ARRAY[…]`.
    pub variadic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OpExpr {
    pub name: String,
    /// Set when the operator lives outside `pg_catalog`: `OPERATOR(schema.op)`.
    pub schema: Option<String>,
    /// `None` for a prefix operator.
    pub left: Option<Node>,
    pub right: Node,
    pub ret: Ty,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScalarArrayOp {
    pub name: String,
    pub schema: Option<String>,
    pub use_or: bool,
    pub left: Node,
    pub right: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BoolOp {
    And,
    Or,
    Not,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CaseExpr {
    pub ty: Ty,
    pub arg: Option<Node>,
    /// (condition, result); for a simple CASE the condition is `CaseTest = value`.
    pub whens: Vec<(Node, Node)>,
    pub default: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SqlValue {
    CurrentDate,
    CurrentTime(Option<i32>),
    CurrentTimestamp(Option<i32>),
    LocalTime(Option<i32>),
    LocalTimestamp(Option<i32>),
    CurrentRole,
    CurrentUser,
    User,
    SessionUser,
    CurrentCatalog,
    CurrentSchema,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Subscript {
    pub lower: Option<Node>,
    pub upper: Option<Node>,
    pub is_slice: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Const(Const),
    Var {
        name: String,
        ty: Ty,
        typmod: i32,
    },
    /// `VALUE` in a domain's CHECK constraint.
    DomainValue {
        ty: Ty,
        typmod: i32,
    },
    /// The placeholder for a simple CASE's test value.
    CaseTest {
        ty: Ty,
        typmod: i32,
    },
    Func(Box<FuncExpr>),
    Named {
        name: String,
        arg: Box<Node>,
    },
    Op(Box<OpExpr>),
    /// `a IS DISTINCT FROM b` (an `=` operator underneath).
    Distinct(Box<OpExpr>),
    /// `NULLIF(a, b)` (an `=` operator underneath); its type is the first argument's.
    NullIf(Box<OpExpr>),
    ScalarArrayOp(Box<ScalarArrayOp>),
    Bool(BoolOp, Vec<Node>),
    Cast(Box<Cast>),
    /// `arg COLLATE name` (the name as printed).
    Collate(Box<Node>, String),
    Case(Box<CaseExpr>),
    Array {
        ty: Ty,
        elements: Vec<Node>,
    },
    Row {
        args: Vec<Node>,
        /// Printed `ROW(…)::type` when the row was cast explicitly to a composite type.
        cast_to: Option<Ty>,
    },
    Coalesce {
        ty: Ty,
        args: Vec<Node>,
    },
    MinMax {
        ty: Ty,
        greatest: bool,
        args: Vec<Node>,
    },
    SqlValue(SqlValue),
    NullTest {
        arg: Box<Node>,
        is_null: bool,
        /// The argument is a row (prints `IS [NOT] DISTINCT FROM NULL` when tested as a scalar).
        row: bool,
    },
    BoolTest {
        arg: Box<Node>,
        test: &'static str,
    },
    Subscripting {
        container: Box<Node>,
        ty: Ty,
        typmod: i32,
        subscripts: Vec<Subscript>,
    },
    FieldSelect {
        arg: Box<Node>,
        field: String,
        ty: Ty,
    },
    /// `x IS JSON [SCALAR|ARRAY|OBJECT] [WITH UNIQUE KEYS]` (16+).
    JsonIs {
        arg: Box<Node>,
        item: Option<&'static str>,
        unique_keys: bool,
    },
    /// Something pgdrift cannot analyse, printed as written.
    Raw {
        text: String,
        ty: Ty,
    },
}

impl Node {
    /// `exprType`.
    pub fn ty(&self) -> Ty {
        match self {
            Node::Const(c) => c.ty.clone(),
            Node::Var { ty, .. }
            | Node::DomainValue { ty, .. }
            | Node::CaseTest { ty, .. }
            | Node::Array { ty, .. }
            | Node::Coalesce { ty, .. }
            | Node::MinMax { ty, .. }
            | Node::Subscripting { ty, .. }
            | Node::FieldSelect { ty, .. }
            | Node::Raw { ty, .. } => ty.clone(),
            Node::Func(f) => f.ret.clone(),
            Node::Named { arg, .. } => arg.ty(),
            Node::Op(o) => o.ret.clone(),
            Node::Distinct(_) | Node::ScalarArrayOp(_) | Node::Bool(..) => Ty::BOOL,
            Node::NullTest { .. } | Node::BoolTest { .. } | Node::JsonIs { .. } => Ty::BOOL,
            Node::NullIf(o) => o.left.as_ref().map(Node::ty).unwrap_or(Ty::Opaque),
            Node::Cast(c) => c.ty.clone(),
            Node::Collate(arg, _) => arg.ty(),
            Node::Case(c) => c.ty.clone(),
            Node::Row { cast_to, .. } => cast_to
                .clone()
                .unwrap_or(Ty::Builtin(super::catalog::oid::RECORD)),
            Node::SqlValue(v) => Ty::Builtin(sql_value_type(*v)),
        }
    }

    /// `exprTypmod`.
    pub fn typmod(&self) -> i32 {
        match self {
            Node::Const(c) => c.typmod,
            Node::Var { typmod, .. }
            | Node::DomainValue { typmod, .. }
            | Node::CaseTest { typmod, .. }
            | Node::Subscripting { typmod, .. } => *typmod,
            Node::Cast(c) => c.typmod,
            Node::Collate(arg, _) | Node::Named { arg, .. } => arg.typmod(),
            Node::NullIf(o) => o.left.as_ref().map(Node::typmod).unwrap_or(-1),
            Node::Case(c) => {
                // All results must agree on the typmod (exprTypmod on CaseExpr).
                let t = c.default.typmod();
                let ty = c.ty.clone();
                if c.default.ty() != ty {
                    return -1;
                }
                if c.whens.iter().all(|(_, r)| r.ty() == ty && r.typmod() == t) {
                    t
                } else {
                    -1
                }
            }
            Node::Array { elements, .. } => common_typmod(elements),
            Node::Coalesce { ty, args } | Node::MinMax { ty, args, .. }
                if args.iter().all(|a| a.ty() == *ty) =>
            {
                common_typmod(args)
            }
            Node::SqlValue(
                SqlValue::CurrentTime(Some(p))
                | SqlValue::CurrentTimestamp(Some(p))
                | SqlValue::LocalTime(Some(p))
                | SqlValue::LocalTimestamp(Some(p)),
            ) => *p,
            _ => -1,
        }
    }
}

fn common_typmod(nodes: &[Node]) -> i32 {
    let Some(first) = nodes.first() else {
        return -1;
    };
    let t = first.typmod();
    if nodes.iter().all(|n| n.typmod() == t) {
        t
    } else {
        -1
    }
}

pub(crate) fn sql_value_type(v: SqlValue) -> u32 {
    use super::catalog::oid;
    match v {
        SqlValue::CurrentDate => oid::DATE,
        SqlValue::CurrentTime(_) => oid::TIMETZ,
        SqlValue::CurrentTimestamp(_) => oid::TIMESTAMPTZ,
        SqlValue::LocalTime(_) => oid::TIME,
        SqlValue::LocalTimestamp(_) => oid::TIMESTAMP,
        _ => oid::NAME,
    }
}
