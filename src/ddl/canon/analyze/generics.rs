//! Common types and polymorphism (`parse_coerce.c`): `select_common_type` for CASE,
//! COALESCE, ARRAY and IN lists, and `enforce_generic_type_consistency` for the
//! `anyelement`/`anyarray`/`anyrange`/`anycompatible…` families of pseudo-types.

use super::coerce::Ctx;
use crate::ddl::canon::catalog::oid;
use crate::ddl::canon::types::{Env, Ty};

impl Env<'_> {
    /// `select_common_type` (without error reporting): the type a list of expressions of
    /// `types` resolves to, or `None` when they have no common type.
    pub fn select_common_type(&self, types: &[Ty]) -> Option<Ty> {
        let first = types.first()?;
        if !first.is_unknown() && types.iter().all(|t| t == first) {
            return Some(first.clone());
        }
        let mut ptype = self.base(first);
        let mut pcategory = self.category(&ptype);
        let mut ppreferred = self.preferred(&ptype);
        let start = types.iter().position(|t| t != first).unwrap_or(types.len());
        for t in &types[start..] {
            let ntype = self.base(t);
            if ntype.is_unknown() || ntype == ptype || ntype == Ty::Opaque {
                continue;
            }
            let ncategory = self.category(&ntype);
            let npreferred = self.preferred(&ntype);
            if ptype.is_unknown() || ptype == Ty::Opaque {
                ptype = ntype;
                pcategory = ncategory;
                ppreferred = npreferred;
            } else if ncategory != pcategory {
                return None;
            } else if !ppreferred
                && self.can_coerce(
                    std::slice::from_ref(&ptype),
                    std::slice::from_ref(&ntype),
                    Ctx::Implicit,
                )
                && !self.can_coerce(
                    std::slice::from_ref(&ntype),
                    std::slice::from_ref(&ptype),
                    Ctx::Implicit,
                )
            {
                ptype = ntype;
                pcategory = ncategory;
                ppreferred = npreferred;
            }
        }
        if ptype.is_unknown() {
            ptype = Ty::TEXT;
        }
        Some(ptype)
    }

    /// `verify_common_type`: every input can be coerced implicitly to `common`.
    pub fn verify_common_type(&self, common: &Ty, types: &[Ty]) -> bool {
        types.iter().all(|t| {
            self.can_coerce(
                std::slice::from_ref(t),
                std::slice::from_ref(common),
                Ctx::Implicit,
            )
        })
    }

    /// `check_generic_type_consistency` + `enforce_generic_type_consistency`: resolve the
    /// polymorphic declared types against the actual ones. Returns the declared types with
    /// polymorphic ones replaced, and the resolved return type (when `ret` is given), or
    /// `None` when the actual types are inconsistent.
    pub fn resolve_generics(
        &self,
        actual: &[Ty],
        declared: &[Ty],
        ret: Option<&Ty>,
    ) -> Option<(Vec<Ty>, Option<Ty>)> {
        let mut elem: Option<Ty> = None;
        let mut array: Option<Ty> = None;
        let mut range: Option<Ty> = None;
        let mut multirange: Option<Ty> = None;
        let mut nonarray = false;
        let mut anyenum = false;
        let mut compatible: Vec<Ty> = Vec::new();
        let mut compatible_nonarray = false;
        let mut have_compatible = false;
        let mut have_family1 = false;
        for (a, d) in actual.iter().zip(declared) {
            let Some(d) = d.oid() else { continue };
            let unknown = a.is_unknown() || *a == Ty::Opaque;
            match d {
                oid::ANYELEMENT | oid::ANYNONARRAY | oid::ANYENUM => {
                    have_family1 = true;
                    nonarray |= d == oid::ANYNONARRAY;
                    anyenum |= d == oid::ANYENUM;
                    if unknown {
                        continue;
                    }
                    if elem.as_ref().is_some_and(|e| e != a) {
                        return None;
                    }
                    elem = Some(a.clone());
                }
                oid::ANYARRAY => {
                    have_family1 = true;
                    if unknown {
                        continue;
                    }
                    let b = self.base(a);
                    if array.as_ref().is_some_and(|x| *x != b) {
                        return None;
                    }
                    array = Some(b);
                }
                oid::ANYRANGE => {
                    have_family1 = true;
                    if unknown {
                        continue;
                    }
                    let b = self.base(a);
                    if !self.is_range(&b) || range.as_ref().is_some_and(|x| *x != b) {
                        return None;
                    }
                    range = Some(b);
                }
                oid::ANYMULTIRANGE => {
                    have_family1 = true;
                    if unknown {
                        continue;
                    }
                    let b = self.base(a);
                    if !self.is_multirange(&b) || multirange.as_ref().is_some_and(|x| *x != b) {
                        return None;
                    }
                    multirange = Some(b);
                }
                oid::ANYCOMPATIBLE | oid::ANYCOMPATIBLENONARRAY => {
                    have_compatible = true;
                    compatible_nonarray |= d == oid::ANYCOMPATIBLENONARRAY;
                    if !unknown {
                        compatible.push(a.clone());
                    }
                }
                oid::ANYCOMPATIBLEARRAY => {
                    have_compatible = true;
                    if unknown {
                        continue;
                    }
                    compatible.push(self.elem(&self.base(a))?);
                }
                oid::ANYCOMPATIBLERANGE | oid::ANYCOMPATIBLEMULTIRANGE => {
                    have_compatible = true;
                    if unknown {
                        continue;
                    }
                    compatible.push(self.range_subtype(&self.base(a))?);
                }
                _ => {}
            }
        }
        if let Some(arr) = &array {
            if arr.is(oid::ANYARRAY) {
                // An anyarray input: acceptable, nothing more can be learnt.
            } else {
                let e = self.elem(arr)?;
                match &elem {
                    None => elem = Some(e),
                    Some(x) if *x != e => return None,
                    _ => {}
                }
            }
        }
        if let Some(m) = &multirange {
            let r = self.multirange_range(m);
            match (&range, r) {
                (Some(x), Some(r)) if *x != r => return None,
                (None, r) => range = r,
                _ => {}
            }
        }
        if let Some(r) = &range {
            if let Some(sub) = self.range_subtype(r) {
                match &elem {
                    None => elem = Some(sub),
                    Some(x) if *x != sub => return None,
                    _ => {}
                }
            }
        }
        if have_family1 && elem.is_none() {
            // Every family-1 argument was an untyped literal: PostgreSQL cannot determine
            // the type; resolve as text, the closest reading.
            elem = Some(Ty::TEXT);
        }
        if let Some(e) = &elem {
            if nonarray && self.is_array_or_array_domain(e) {
                return None;
            }
            if anyenum && !self.base(e).is_enum() && !e.is_enum() {
                return None;
            }
        }
        let common = if have_compatible {
            if compatible.is_empty() {
                Some(Ty::TEXT)
            } else {
                let c = self.select_common_type(&compatible)?;
                if !self.verify_common_type(&c, &compatible) {
                    return None;
                }
                if compatible_nonarray && self.is_array_or_array_domain(&c) {
                    return None;
                }
                Some(c)
            }
        } else {
            None
        };
        let array_of_elem = || {
            array
                .clone()
                .filter(|a| !a.is(oid::ANYARRAY))
                .or_else(|| elem.as_ref().and_then(|e| self.array_of(e)))
        };
        let resolve = |d: &Ty| -> Option<Ty> {
            let Some(o) = d.oid() else {
                return Some(d.clone());
            };
            Some(match o {
                oid::ANYELEMENT | oid::ANYNONARRAY | oid::ANYENUM => elem.clone()?,
                oid::ANYARRAY => array_of_elem()?,
                oid::ANYRANGE => range.clone().unwrap_or(Ty::Opaque),
                oid::ANYMULTIRANGE => multirange
                    .clone()
                    .or_else(|| range.as_ref().and_then(|r| self.range_multirange(r)))
                    .unwrap_or(Ty::Opaque),
                oid::ANYCOMPATIBLE | oid::ANYCOMPATIBLENONARRAY => common.clone()?,
                oid::ANYCOMPATIBLEARRAY => self.array_of(common.as_ref()?)?,
                oid::ANYCOMPATIBLERANGE | oid::ANYCOMPATIBLEMULTIRANGE => Ty::Opaque,
                _ => d.clone(),
            })
        };
        let mut resolved = Vec::with_capacity(declared.len());
        for (a, d) in actual.iter().zip(declared) {
            // An actual argument of the polymorphic type itself stays as it is.
            if a == d {
                resolved.push(d.clone());
            } else {
                resolved.push(resolve(d)?);
            }
        }
        let ret = ret.map(|r| resolve(r).unwrap_or(Ty::Opaque));
        Some((resolved, ret))
    }
}
