//! Type coercion as `parse_coerce.c` does it: which coercions exist
//! (`find_coercion_pathway`, `can_coerce_type`), the nodes they add (`coerce_type`,
//! `coerce_to_target_type`, `coerce_type_typmod`, `coerce_to_domain`), common types
//! (`select_common_type`) and polymorphic resolution (`enforce_generic_type_consistency`).

use super::Analyzer;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::node::{Cast, CastKind, Const, Form, Node};
use crate::ddl::canon::types::{is_polymorphic, Env, Ty};
use crate::ddl::canon::values;
use crate::ddl::canon::CanonError;

/// `CoercionContext`, ordered as PostgreSQL relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ctx {
    Implicit,
    Assignment,
    Explicit,
}

/// `CoercionPathType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    None,
    Relabel,
    /// A cast function taking `nargs` arguments (2 or 3 when it takes a typmod).
    Func(u8),
    ArrayCoerce,
    Io,
}

impl Env<'_> {
    /// `find_coercion_pathway(target, source, ccontext)`.
    pub fn coercion_path(&self, target: &Ty, source: &Ty, ctx: Ctx) -> Path {
        if *source == Ty::Opaque || *target == Ty::Opaque {
            return Path::Relabel;
        }
        let source = self.base(source);
        let target = self.base(target);
        // Domains are always coercible to and from their base type.
        if source == target {
            return Path::Relabel;
        }
        if let (Ty::Builtin(s), Ty::Builtin(t)) = (&source, &target) {
            if let Some(cast) = self.cat.cast(*s, *t) {
                return cast_path(cast.context, cast.method, cast.func_nargs, ctx);
            }
        }
        // A cast an extension created (citext ↔ text …).
        if let Some(cast) = self.ext_cast(&source, &target) {
            return cast_path(cast.context, cast.method, cast.func_nargs, ctx);
        }
        // No pg_cast entry: maybe an array-element coercion …
        if !target.is(oid::OIDVECTOR) && !target.is(oid::INT2VECTOR) {
            if let (Some(te), Some(se)) = (self.elem(&target), self.elem(&source)) {
                if self.coercion_path(&te, &se, ctx) != Path::None {
                    return Path::ArrayCoerce;
                }
            }
        }
        // … or an automatic I/O conversion: assignment to a string type, explicit from one.
        if ctx >= Ctx::Assignment && self.category(&target) == b'S' {
            return Path::Io;
        }
        if ctx >= Ctx::Explicit && self.category(&source) == b'S' {
            return Path::Io;
        }
        Path::None
    }

    /// `find_typmod_coercion_function`: the length-coercion function of a type (or of an
    /// array's element type).
    pub fn typmod_coercion(&self, ty: &Ty) -> Path {
        let (elem, array) = match self.elem(ty) {
            Some(e) => (e, true),
            None => (ty.clone(), false),
        };
        let Ty::Builtin(o) = elem else {
            return Path::None;
        };
        match self.cat.cast(o, o) {
            Some(c) if c.method == b'f' => {
                if array {
                    Path::ArrayCoerce
                } else {
                    Path::Func(c.func_nargs)
                }
            }
            _ => Path::None,
        }
    }

    /// `can_coerce_type`.
    pub fn can_coerce(&self, inputs: &[Ty], targets: &[Ty], ctx: Ctx) -> bool {
        let mut generics = false;
        for (input, target) in inputs.iter().zip(targets) {
            if input == target || target.is(oid::ANY) {
                continue;
            }
            if let Ty::Builtin(t) = target {
                if is_polymorphic(*t) {
                    generics = true;
                    continue;
                }
            }
            if input.is_unknown() || *input == Ty::Opaque {
                continue;
            }
            if self.coercion_path(target, input, ctx) != Path::None {
                continue;
            }
            if input.is(oid::RECORD) && target.is_complex() {
                continue;
            }
            if target.is(oid::RECORD) && input.is_complex() {
                continue;
            }
            return false;
        }
        if generics {
            return self.resolve_generics(inputs, targets, None).is_some();
        }
        true
    }
}

impl Analyzer<'_> {
    /// `coerce_type`: coerce `node` (of type `input`) to `target`.
    pub(crate) fn coerce_type(
        &self,
        node: Node,
        input: &Ty,
        target: &Ty,
        target_typmod: i32,
        ctx: Ctx,
        form: Form,
    ) -> Result<Node, CanonError> {
        if input == target || *input == Ty::Opaque || *target == Ty::Opaque {
            return Ok(node);
        }
        if let Some(t) = target.oid() {
            match t {
                oid::ANY
                | oid::ANYELEMENT
                | oid::ANYNONARRAY
                | oid::ANYCOMPATIBLE
                | oid::ANYCOMPATIBLENONARRAY => return Ok(node),
                oid::ANYARRAY
                | oid::ANYENUM
                | oid::ANYRANGE
                | oid::ANYMULTIRANGE
                | oid::ANYCOMPATIBLEARRAY
                | oid::ANYCOMPATIBLERANGE
                | oid::ANYCOMPATIBLEMULTIRANGE
                    if !input.is_unknown() =>
                {
                    // A domain over an array (enum, range) is relabelled to its base type.
                    let base = self.env.base(input);
                    if base != *input {
                        return Ok(relabel(node, base, -1, form));
                    }
                    return Ok(node);
                }
                _ => {}
            }
        }
        if input.is_unknown() {
            if let Node::Const(c) = node {
                return self.coerce_unknown_const(c, target, target_typmod, ctx, form);
            }
        }
        if let Node::Collate(arg, name) = node {
            let inner = self.coerce_type(*arg, input, target, target_typmod, ctx, form)?;
            return Ok(if self.env.is_collatable(target) {
                Node::Collate(Box::new(inner), name)
            } else {
                inner
            });
        }
        let path = self.env.coercion_path(target, input, ctx);
        if path != Path::None {
            if path != Path::Relabel {
                let (base, base_typmod) = self.env.base_and_typmod(target, target_typmod);
                let result = self.build_coercion(node, path, &base, base_typmod, form)?;
                if base != *target {
                    return Ok(self.coerce_to_domain(result, target, ctx, form, true));
                }
                return Ok(result);
            }
            if target.is_domain() {
                return Ok(self.coerce_to_domain(node, target, ctx, form, false));
            }
            return Ok(relabel(node, target.clone(), -1, form));
        }
        if input.is(oid::RECORD) && target.is_complex() {
            return Ok(node);
        }
        if target.is(oid::RECORD) && input.is_complex() {
            return Ok(node);
        }
        Err(CanonError::new(format!(
            "cannot cast type {} to {}",
            self.env.format_type(input, -1),
            self.env.format_type(target, target_typmod)
        )))
    }

    /// An untyped literal becomes a constant of the target type (its base type's input
    /// function, then the domain's checks).
    fn coerce_unknown_const(
        &self,
        c: Const,
        target: &Ty,
        target_typmod: i32,
        ctx: Ctx,
        form: Form,
    ) -> Result<Node, CanonError> {
        let (base, base_typmod) = self.env.base_and_typmod(target, target_typmod);
        // Only interval gets the typmod at input time (the SQL spec's field rules).
        let input_typmod = if base.is(oid::INTERVAL) {
            base_typmod
        } else {
            -1
        };
        // A value pgdrift cannot normalise keeps its text: the closest reading.
        let value = c
            .value
            .map(|raw| values::input(&self.env, &base, input_typmod, &raw).unwrap_or(raw));
        let node = Node::Const(Const {
            ty: base.clone(),
            typmod: input_typmod,
            value,
        });
        if base != *target {
            return Ok(self.coerce_to_domain(node, target, ctx, form, false));
        }
        Ok(node)
    }

    /// `build_coercion_expression`.
    fn build_coercion(
        &self,
        node: Node,
        path: Path,
        target: &Ty,
        target_typmod: i32,
        form: Form,
    ) -> Result<Node, CanonError> {
        Ok(match path {
            Path::Func(nargs) => Node::Cast(Box::new(Cast {
                typmod: if nargs >= 2 { target_typmod } else { -1 },
                arg: node,
                ty: target.clone(),
                form,
                kind: CastKind::Func { length: nargs >= 2 },
            })),
            Path::Relabel => relabel(node, target.clone(), target_typmod, form),
            Path::Io => Node::Cast(Box::new(Cast {
                arg: node,
                ty: target.clone(),
                typmod: -1,
                form,
                kind: CastKind::Io,
            })),
            Path::ArrayCoerce => {
                // The element coercion carries the typmod when it is a length coercion.
                let typmod = match self.env.elem(target) {
                    Some(e) if matches!(self.env.typmod_coercion(&e), Path::Func(n) if n >= 2) => {
                        target_typmod
                    }
                    _ => -1,
                };
                Node::Cast(Box::new(Cast {
                    arg: node,
                    ty: target.clone(),
                    typmod,
                    form,
                    kind: CastKind::ArrayCoerce,
                }))
            }
            Path::None => node,
        })
    }

    /// `coerce_to_domain`.
    pub(crate) fn coerce_to_domain(
        &self,
        node: Node,
        domain: &Ty,
        _ctx: Ctx,
        form: Form,
        hide_input: bool,
    ) -> Node {
        let (base, base_typmod) = self.env.base_and_typmod(domain, -1);
        if base == *domain {
            return node;
        }
        let mut node = node;
        if hide_input {
            hide_coercion(&mut node);
        }
        // A typmod the domain applies to its base type is a length coercion marked implicit.
        let node = self.coerce_type_typmod(node, &base, base_typmod, Form::ImplicitCast, false);
        Node::Cast(Box::new(Cast {
            arg: node,
            ty: domain.clone(),
            typmod: -1,
            form,
            kind: CastKind::Domain,
        }))
    }

    /// `coerce_type_typmod`.
    pub(crate) fn coerce_type_typmod(
        &self,
        mut node: Node,
        target: &Ty,
        target_typmod: i32,
        form: Form,
        hide_input: bool,
    ) -> Node {
        if target_typmod == node.typmod() {
            return node;
        }
        if hide_input {
            hide_coercion(&mut node);
        }
        let path = if target_typmod < 0 {
            Path::None
        } else {
            self.env.typmod_coercion(target)
        };
        match path {
            Path::None => apply_relabel(node, target.clone(), target_typmod, form),
            Path::Func(_) => Node::Cast(Box::new(Cast {
                arg: node,
                ty: target.clone(),
                typmod: target_typmod,
                form,
                kind: CastKind::Func { length: true },
            })),
            _ => Node::Cast(Box::new(Cast {
                arg: node,
                ty: target.clone(),
                typmod: target_typmod,
                form,
                kind: CastKind::ArrayCoerce,
            })),
        }
    }

    /// `coerce_to_target_type`.
    pub(crate) fn coerce_to_target_type(
        &self,
        node: Node,
        input: &Ty,
        target: &Ty,
        target_typmod: i32,
        ctx: Ctx,
        form: Form,
    ) -> Result<Node, CanonError> {
        if !self.env.can_coerce(
            std::slice::from_ref(input),
            std::slice::from_ref(target),
            ctx,
        ) {
            return Err(CanonError::new(format!(
                "cannot coerce {} to {}",
                self.env.format_type(input, -1),
                self.env.format_type(target, target_typmod)
            )));
        }
        // A COLLATE on top is taken off, the coercion done underneath, and put back.
        let mut collate = None;
        let mut expr = node;
        while let Node::Collate(arg, name) = expr {
            if collate.is_none() {
                collate = Some(name);
            }
            expr = *arg;
        }
        let before = expr.clone();
        let result = self.coerce_type(expr, input, target, target_typmod, ctx, form)?;
        let hide = result != before && !matches!(result, Node::Const(_));
        let result = self.coerce_type_typmod(result, target, target_typmod, form, hide);
        Ok(match collate {
            Some(name) if self.env.is_collatable(target) => Node::Collate(Box::new(result), name),
            _ => result,
        })
    }

    /// `coerce_to_common_type`.
    pub(crate) fn coerce_to_common_type(
        &self,
        node: Node,
        target: &Ty,
    ) -> Result<Node, CanonError> {
        let input = node.ty();
        if input == *target {
            return Ok(node);
        }
        self.coerce_type(node, &input, target, -1, Ctx::Implicit, Form::ImplicitCast)
    }

    /// `coerce_to_boolean`.
    pub(crate) fn coerce_to_boolean(&self, node: Node) -> Result<Node, CanonError> {
        let input = node.ty();
        if input == Ty::BOOL || input == Ty::Opaque {
            return Ok(node);
        }
        self.coerce_to_target_type(
            node,
            &input,
            &Ty::BOOL,
            -1,
            Ctx::Assignment,
            Form::ImplicitCast,
        )
    }

    /// `make_fn_arguments`: coerce each argument to its declared type.
    pub(crate) fn make_fn_arguments(
        &self,
        args: Vec<Node>,
        actual: &[Ty],
        declared: &[Ty],
    ) -> Result<Vec<Node>, CanonError> {
        args.into_iter()
            .enumerate()
            .map(|(i, arg)| {
                let (Some(a), Some(d)) = (actual.get(i), declared.get(i)) else {
                    return Ok(arg);
                };
                if a == d {
                    return Ok(arg);
                }
                match arg {
                    Node::Named { name, arg } => Ok(Node::Named {
                        name,
                        arg: Box::new(self.coerce_type(
                            *arg,
                            a,
                            d,
                            -1,
                            Ctx::Implicit,
                            Form::ImplicitCast,
                        )?),
                    }),
                    other => self.coerce_type(other, a, d, -1, Ctx::Implicit, Form::ImplicitCast),
                }
            })
            .collect()
    }
}

fn relabel(node: Node, ty: Ty, typmod: i32, form: Form) -> Node {
    Node::Cast(Box::new(Cast {
        arg: node,
        ty,
        typmod,
        form,
        kind: CastKind::Relabel,
    }))
}

/// `applyRelabelType`: relabel in place where possible (constants, nets to nothing).
fn apply_relabel(node: Node, ty: Ty, typmod: i32, form: Form) -> Node {
    let mut arg = node;
    while let Node::Cast(c) = arg {
        if c.kind == CastKind::Relabel {
            arg = c.arg;
        } else {
            arg = Node::Cast(c);
            break;
        }
    }
    match arg {
        Node::Const(mut c) => {
            c.ty = ty;
            c.typmod = typmod;
            Node::Const(c)
        }
        other if other.ty() == ty && other.typmod() == typmod => other,
        other => relabel(other, ty, typmod, form),
    }
}

/// `hide_coercion_node`: mark a coercion node implicit so it is not displayed.
fn hide_coercion(node: &mut Node) {
    if let Node::Cast(c) = node {
        c.form = Form::ImplicitCast;
    }
}

/// The path a `pg_cast` row gives in context `ctx`: none when the cast needs a stronger
/// context (`castcontext` i/a/e), else by `castmethod` (function, binary, I/O).
fn cast_path(context: u8, method: u8, func_nargs: u8, ctx: Ctx) -> Path {
    let needed = match context {
        b'i' => Ctx::Implicit,
        b'a' => Ctx::Assignment,
        _ => Ctx::Explicit,
    };
    if ctx < needed {
        return Path::None;
    }
    match method {
        b'f' => Path::Func(func_nargs),
        b'b' => Path::Relabel,
        _ => Path::Io,
    }
}
