//! Function calls (`ParseFuncOrColumn`, `func_get_detail`): built-in and extension
//! functions resolved against the catalog (variadics, defaults, polymorphics), functions the
//! migrations created kept as written and qualified, `typename(x)` read as a cast.

use sqlparser::ast::{Function, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectNamePart};

use super::coerce::{Ctx, Path};
use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::node::{Form, FuncExpr, Node, Syntax};
use crate::ddl::canon::types::{is_polymorphic, name_parts, Ty};
use crate::ddl::canon::CanonError;

/// One candidate of `FuncnameGetCandidates` (variadics expanded, defaults dropped).
struct Candidate {
    args: Vec<Ty>,
    /// The declared types of the parameters left to their defaults.
    defaults: Vec<Ty>,
    ret: Ty,
    nvargs: usize,
    /// The variadic parameter's element type (`"any"` keeps its arguments apart).
    variadic: Option<Ty>,
    /// `Some` for an extension's function (printed qualified with that schema).
    schema: Option<String>,
    /// The last argument is the variadic array itself (`f(a, VARIADIC arr)`).
    merged_variadic: bool,
}

/// A function signature before candidate expansion.
struct Signature {
    args: Vec<Ty>,
    ret: Ty,
    variadic: Option<Ty>,
    nargdefaults: usize,
    schema: Option<String>,
}

impl Analyzer<'_> {
    pub(crate) fn function(&self, f: &Function) -> Result<Node, CanonError> {
        if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
            return Ok(Node::Raw {
                text: f.to_string(),
                ty: Ty::Opaque,
            });
        }
        let parts = name_parts(&f.name);
        let unquoted = f.name.0.iter().all(|p| match p {
            ObjectNamePart::Identifier(i) => i.quote_style.is_none(),
            _ => false,
        });
        let raw_args: Vec<&FunctionArg> = match &f.args {
            FunctionArguments::List(list) => list.args.iter().collect(),
            FunctionArguments::None => Vec::new(),
            FunctionArguments::Subquery(_) => {
                return Ok(Node::Raw {
                    text: f.to_string(),
                    ty: Ty::Opaque,
                })
            }
        };
        let no_parens = matches!(f.args, FunctionArguments::None);
        if let ([name], true) = (parts.as_slice(), unquoted) {
            if let Some(node) = self.keyword_function(name, &raw_args, no_parens)? {
                return Ok(node);
            }
        }
        let mut args = Vec::with_capacity(raw_args.len());
        for arg in raw_args {
            args.push(self.function_arg(arg)?);
        }
        let (schema, name) = match parts.as_slice() {
            [name] => (None, name.clone()),
            [schema, name] => (Some(schema.clone()), name.clone()),
            [_, schema, name] => (Some(schema.clone()), name.clone()),
            _ => return Err(CanonError::new("improper function name")),
        };
        self.resolve_call(&name, schema.as_deref(), args, Form::ExplicitCall, None)
    }

    pub(crate) fn function_arg(&self, arg: &FunctionArg) -> Result<Node, CanonError> {
        let expr_of = |a: &FunctionArgExpr| -> Result<Node, CanonError> {
            match a {
                FunctionArgExpr::Expr(e) => self.expr(e),
                other => Ok(Node::Raw {
                    text: other.to_string(),
                    ty: Ty::Opaque,
                }),
            }
        };
        Ok(match arg {
            FunctionArg::Unnamed(a) => expr_of(a)?,
            FunctionArg::Named { name, arg, .. } => Node::Named {
                name: crate::ddl::canon::types::ident_name(name),
                arg: Box::new(expr_of(arg)?),
            },
            FunctionArg::ExprNamed { name, arg, .. } => Node::Named {
                name: name.to_string(),
                arg: Box::new(expr_of(arg)?),
            },
        })
    }

    /// Resolve a call of `name` (qualified by `schema` or not) on analysed arguments.
    pub(crate) fn resolve_call(
        &self,
        name: &str,
        schema: Option<&str>,
        args: Vec<Node>,
        form: Form,
        syntax: Option<Syntax>,
    ) -> Result<Node, CanonError> {
        let builtin_schema = schema.is_none() || schema == Some("pg_catalog");
        if let Some(node) = self.catalog_call(
            name,
            schema,
            &args,
            form,
            syntax,
            builtin_schema && schema.is_none(),
        )? {
            return Ok(node);
        }
        // A function pgdrift has no signature for (created by the migrations): untyped
        // literals are taken as text, the usual parameter type, other arguments stay as
        // they are.
        let schema = match schema {
            Some(s) => s.to_string(),
            None => self.function_schema(name),
        };
        let args = args
            .into_iter()
            .map(|a| {
                if a.ty().is_unknown() && matches!(a, Node::Const(_)) {
                    self.coerce_to_common_type(a, &Ty::TEXT)
                } else {
                    Ok(a)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Node::Func(Box::new(FuncExpr {
            name: name.to_string(),
            schema: Some(schema),
            args,
            ret: Ty::Opaque,
            form: Form::ExplicitCall,
            syntax: None,
            variadic: false,
        })))
    }

    /// The schema an unqualified non-built-in function resolves to: the first schema on
    /// the search path where the migrations created it, else the first schema of the path.
    fn function_schema(&self, name: &str) -> String {
        for schema in self.env.search_path() {
            let qn = crate::model::QualifiedName::new(schema, name);
            if self.env.scope.functions.contains_key(&qn) {
                return schema.to_string();
            }
        }
        self.env.default_schema()
    }

    /// The signatures a call may resolve to: `pg_catalog`'s (unless the call names another
    /// schema) and those of the extensions whose types the arguments have — or, for a name
    /// `pg_catalog` lacks and the migrations did not create, any extension's.
    fn signatures(&self, name: &str, schema: Option<&str>, actual: &[Ty]) -> Vec<Signature> {
        let mut out = Vec::new();
        let builtin = schema.is_none() || schema == Some("pg_catalog");
        if builtin {
            for p in self.env.cat.procs(name) {
                out.push(Signature {
                    args: p.args.iter().map(|&o| Ty::Builtin(o)).collect(),
                    ret: Ty::Builtin(p.ret),
                    variadic: (p.variadic != 0).then_some(Ty::Builtin(p.variadic)),
                    nargdefaults: p.nargdefaults,
                    schema: None,
                });
            }
        }
        if schema == Some("pg_catalog") {
            return out;
        }
        let created_by_migrations = self.migration_signatures(name, schema, &mut out);
        let mut active = self.env.active_extensions(actual);
        let any_extension = out.is_empty() && (schema.is_some() || !created_by_migrations);
        for p in self.env.cat.ext_procs(name) {
            let home = match (active.get(p.extension), schema) {
                (_, Some(s)) => s.to_string(),
                (Some(s), None) => s.clone(),
                // The schema the extension was created in, when the migrations created it.
                (None, None) if any_extension => match self.env.scope.extensions.get(p.extension) {
                    Some(installed) => installed.schema.clone(),
                    None => self.function_schema(name),
                },
                (None, None) => continue,
            };
            if schema.is_some() || any_extension {
                active.entry(p.extension).or_insert_with(|| home.clone());
            }
            out.push(Signature {
                args: p
                    .args
                    .iter()
                    .map(|r| self.env.ty_of_ref(r, &active))
                    .collect(),
                ret: self.env.ty_of_ref(&p.ret, &active),
                variadic: match &p.variadic {
                    crate::ddl::canon::catalog::TypeRef::Builtin(0) => None,
                    r => Some(self.env.ty_of_ref(r, &active)),
                },
                nargdefaults: p.nargdefaults,
                schema: Some(home),
            });
        }
        out
    }

    /// The signatures of the functions named `name` the migrations created, in the schema
    /// given or on the search path (in path order, as `FuncnameGetCandidates` visits it),
    /// appended to `out`. Whether the migrations created such a function at all: if one
    /// overload's signature could not be read, none is offered, and the call is kept as
    /// written rather than resolved against a partial list.
    fn migration_signatures(
        &self,
        name: &str,
        schema: Option<&str>,
        out: &mut Vec<Signature>,
    ) -> bool {
        let schemas: Vec<&str> = match schema {
            Some(s) => vec![s],
            None => self.env.search_path().into_iter().collect(),
        };
        let mut found = Vec::new();
        let mut complete = true;
        for s in schemas {
            let qn = crate::model::QualifiedName::new(s, name);
            let Some(routines) = self.env.scope.functions.get(&qn) else {
                continue;
            };
            for routine in routines {
                match self.signature_of(routine, s) {
                    Some(signature) => found.push(signature),
                    None => complete = false,
                }
            }
        }
        let created = !found.is_empty() || !complete;
        if complete {
            out.extend(found);
        }
        created
    }

    /// A routine's signature as types, or `None` when a type does not resolve.
    fn signature_of(
        &self,
        routine: &crate::ddl::canon::Routine,
        schema: &str,
    ) -> Option<Signature> {
        let args: Vec<Ty> = routine
            .args
            .as_ref()?
            .iter()
            .map(|text| self.env.parse_type_text(text).ok().map(|d| d.ty))
            .collect::<Option<_>>()?;
        let variadic = if routine.variadic {
            Some(self.env.elem(args.last()?)?)
        } else {
            None
        };
        let ret = match &routine.returns {
            Some(text) => self.env.parse_type_text(text).ok()?.ty,
            None => Ty::Opaque,
        };
        Some(Signature {
            args,
            ret,
            variadic,
            nargdefaults: routine.defaults,
            schema: Some(schema.to_string()),
        })
    }

    /// `FuncnameGetCandidates` with variadic expansion and defaults.
    fn candidates(&self, signatures: Vec<Signature>, nargs: usize) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        for p in signatures {
            let pronargs = p.args.len();
            // PostgreSQL prints a merged variadic array as `VARIADIC ARRAY[…]`, which
            // sqlparser cannot read: text prepared for it passes the array itself.
            if let (Some(v), true) = (&p.variadic, pronargs == nargs && pronargs > 0) {
                if !v.is(oid::ANY) {
                    out.push(Candidate {
                        args: p.args.clone(),
                        defaults: Vec::new(),
                        ret: p.ret.clone(),
                        nvargs: 0,
                        variadic: p.variadic.clone(),
                        schema: p.schema.clone(),
                        merged_variadic: true,
                    });
                }
            }
            let cand = match &p.variadic {
                Some(v) if pronargs <= nargs && pronargs > 0 => {
                    let mut args: Vec<Ty> = p.args[..pronargs - 1].to_vec();
                    let nvargs = nargs - (pronargs - 1);
                    args.extend(std::iter::repeat_n(v.clone(), nvargs));
                    Candidate {
                        args,
                        defaults: Vec::new(),
                        ret: p.ret,
                        nvargs,
                        variadic: p.variadic,
                        schema: p.schema,
                        merged_variadic: false,
                    }
                }
                _ if pronargs == nargs => Candidate {
                    args: p.args,
                    defaults: Vec::new(),
                    ret: p.ret,
                    nvargs: 0,
                    variadic: p.variadic,
                    schema: p.schema,
                    merged_variadic: false,
                },
                _ if nargs < pronargs && p.nargdefaults >= pronargs - nargs => Candidate {
                    args: p.args[..nargs].to_vec(),
                    defaults: p.args[nargs..].to_vec(),
                    ret: p.ret,
                    nvargs: 0,
                    variadic: p.variadic,
                    schema: p.schema,
                    merged_variadic: false,
                },
                _ => continue,
            };
            // The same argument types twice: prefer the non-variadic match (and the
            // earlier schema, pg_catalog first).
            if let Some(existing) = out.iter_mut().find(|c| c.args == cand.args) {
                if existing.nvargs > 0 && cand.nvargs == 0 {
                    *existing = cand;
                }
                continue;
            }
            out.push(cand);
        }
        out
    }

    /// `func_get_detail` against the catalog (built-in and extension functions), then the
    /// typed `FuncExpr`.
    fn catalog_call(
        &self,
        name: &str,
        schema: Option<&str>,
        args: &[Node],
        form: Form,
        syntax: Option<Syntax>,
        allow_type_coercion: bool,
    ) -> Result<Option<Node>, CanonError> {
        if args.iter().any(|a| matches!(a, Node::Named { .. })) {
            // Named notation needs parameter names pgdrift does not keep: take the function
            // as built-in when the name is, leaving the arguments as written.
            if schema.is_none() && self.env.cat.has_proc(name) {
                return Ok(Some(Node::Func(Box::new(FuncExpr {
                    name: name.to_string(),
                    schema: None,
                    args: args.to_vec(),
                    ret: Ty::Opaque,
                    form,
                    syntax: None,
                    variadic: false,
                }))));
            }
            return Ok(None);
        }
        let actual: Vec<Ty> = args.iter().map(Node::ty).collect();
        let inputs = self.env.resolution_inputs(&actual);
        let signatures = self.signatures(name, schema, &actual);
        let candidates = self.candidates(signatures, args.len());
        let exact = candidates.iter().position(|c| c.args == actual);
        let chosen = match exact {
            Some(i) => Some(i),
            None => {
                if allow_type_coercion && args.len() == 1 {
                    if let Some(node) = self.function_style_cast(name, &args[0])? {
                        return Ok(Some(node));
                    }
                }
                let arg_lists: Vec<Vec<Ty>> = candidates.iter().map(|c| c.args.clone()).collect();
                let matching = self.env.match_argtypes(&inputs, &arg_lists);
                let chosen = match matching.len() {
                    0 => None,
                    1 => Some(matching[0]),
                    _ => self.env.select_candidate(&inputs, &arg_lists, &matching),
                };
                if chosen.is_none() && actual.contains(&Ty::Opaque) && !matching.is_empty() {
                    return self
                        .ambiguous_call(name, args, &candidates, &matching, form)
                        .map(Some);
                }
                chosen
            }
        };
        let Some(chosen) = chosen else {
            return Ok(None);
        };
        let cand = &candidates[chosen];
        let mut all_actual = actual.clone();
        all_actual.extend(cand.defaults.iter().cloned());
        let mut all_declared = cand.args.clone();
        all_declared.extend(cand.defaults.iter().cloned());
        let (declared, ret) =
            match self
                .env
                .resolve_generics(&all_actual, &all_declared, Some(&cand.ret))
            {
                Some((d, r)) => (d, r.unwrap_or(Ty::Opaque)),
                None => (all_declared, cand.ret.clone()),
            };
        let declared = declared[..args.len()].to_vec();
        let mut coerced = self.make_fn_arguments(args.to_vec(), &actual, &declared)?;
        let mut variadic = cand.merged_variadic;
        if cand.nvargs > 0 && cand.variadic.as_ref().is_some_and(|v| !v.is(oid::ANY)) {
            // Non-"any" variadic arguments are collected into an array (printed VARIADIC).
            let split = coerced.len() - cand.nvargs;
            let vargs = coerced.split_off(split);
            let elem = vargs.first().map(Node::ty).unwrap_or(Ty::Opaque);
            let ty = self.env.array_of(&elem).unwrap_or(Ty::Opaque);
            coerced.push(Node::Array {
                ty,
                elements: vargs,
            });
            variadic = true;
        }
        let syntax = syntax.filter(|s| super::syntax::sql_syntax_applies(*s, name, &declared));
        let form = if syntax.is_some() {
            form
        } else if form == Form::SqlSyntax {
            Form::ExplicitCall
        } else {
            form
        };
        Ok(Some(Node::Func(Box::new(FuncExpr {
            name: name.to_string(),
            schema: cand.schema.clone(),
            args: coerced,
            ret,
            form,
            syntax,
            variadic,
        }))))
    }

    /// A call PostgreSQL would resolve with argument types pgdrift does not know (an
    /// argument from a function without signature): the candidates that fit are all of
    /// this name, so the call is printed as theirs, untyped literals taking the parameter
    /// type every candidate agrees on, the result typed only if they all agree.
    fn ambiguous_call(
        &self,
        name: &str,
        args: &[Node],
        candidates: &[Candidate],
        matching: &[usize],
        form: Form,
    ) -> Result<Node, CanonError> {
        let schema = candidates[matching[0]].schema.clone();
        let agreed = |f: &dyn Fn(&Candidate) -> Ty| -> Option<Ty> {
            let first = f(&candidates[matching[0]]);
            matching
                .iter()
                .all(|&m| f(&candidates[m]) == first)
                .then_some(first)
        };
        let ret = agreed(&|c| c.ret.clone())
            .filter(|t| !t.oid().is_some_and(is_polymorphic))
            .unwrap_or(Ty::Opaque);
        let mut coerced = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let declared = agreed(&|c| c.args[i].clone())
                .filter(|t| !t.oid().is_some_and(is_polymorphic) && !t.is(oid::ANY));
            match declared {
                Some(d) if a.ty().is_unknown() => {
                    coerced.push(self.coerce_to_common_type(a.clone(), &d)?)
                }
                _ => coerced.push(a.clone()),
            }
        }
        Ok(Node::Func(Box::new(FuncExpr {
            name: name.to_string(),
            schema,
            args: coerced,
            ret,
            form: if form == Form::SqlSyntax {
                Form::ExplicitCall
            } else {
                form
            },
            syntax: None,
            variadic: false,
        })))
    }

    /// `typename(arg)` read as a cast when no function matches exactly (func_get_detail's
    /// FUNCDETAIL_COERCION): for untyped literals, and binary or I/O coercions.
    fn function_style_cast(&self, name: &str, arg: &Node) -> Result<Option<Node>, CanonError> {
        let Some(type_oid) = self.env.cat.type_by_name(name) else {
            return Ok(None);
        };
        let target = Ty::Builtin(type_oid);
        let source = arg.ty();
        let is_coercion = if source.is_unknown() && matches!(arg, Node::Const(_)) {
            true
        } else {
            match self.env.coercion_path(&target, &source, Ctx::Explicit) {
                Path::Relabel => true,
                Path::Io => {
                    !((source.is(oid::RECORD) || source.is_complex())
                        && self.env.category(&target) == b'S')
                }
                _ => false,
            }
        };
        if !is_coercion {
            return Ok(None);
        }
        Ok(Some(self.coerce_type(
            arg.clone(),
            &source,
            &target,
            -1,
            Ctx::Explicit,
            Form::ExplicitCall,
        )?))
    }
}
