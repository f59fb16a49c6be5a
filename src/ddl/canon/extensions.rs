//! Objects of common extensions (citext, hstore, ltree, pg_trgm, uuid-ossp, pgcrypto …),
//! generated with the catalog from real servers. An extension's operators, functions and
//! casts take part in resolution when an operand has one of its types (they live in that
//! type's schema), and its functions when a call names one that `pg_catalog` lacks.

use std::collections::BTreeMap;

use super::catalog::{CastRow, ExtType, TypeRef};
use super::types::{Env, Ty, UserKind, UserTy};
use crate::model::QualifiedName;

/// The schema each active extension lives in, by extension name.
pub(crate) type ActiveExtensions = BTreeMap<&'static str, String>;

impl Env<'_> {
    /// The extension type `ty` is (a type outside pg_catalog named like one), and its name.
    pub fn ext_type_of(&self, ty: &Ty) -> Option<(&'static ExtType, QualifiedName)> {
        match ty {
            Ty::User(u) if u.kind == UserKind::Other => {
                self.cat.ext_type(&u.name.name).map(|t| (t, u.name.clone()))
            }
            _ => None,
        }
    }

    /// The extensions whose types appear among `types` (or their element types).
    pub fn active_extensions(&self, types: &[Ty]) -> ActiveExtensions {
        let mut active = ActiveExtensions::new();
        for ty in types {
            let base = self.base(ty);
            let elem = match &base {
                Ty::UserArray(u) => Some(Ty::User(u.clone())),
                _ => None,
            };
            for t in [Some(base), elem].into_iter().flatten() {
                if let Some((ext, name)) = self.ext_type_of(&t) {
                    active.entry(ext.extension).or_insert(name.schema);
                }
            }
        }
        active
    }

    /// The type an extension object names; the extension's own types live in the schema
    /// the extension is active in, else where the search path finds them.
    pub fn ty_of_ref(&self, r: &TypeRef, active: &ActiveExtensions) -> Ty {
        match r {
            TypeRef::Builtin(o) => Ty::Builtin(*o),
            TypeRef::Ext { name, array } => {
                let schema = self
                    .cat
                    .ext_type(name)
                    .and_then(|t| active.get(t.extension).cloned());
                let ty = match schema {
                    Some(schema) => Ty::User(Box::new(UserTy {
                        name: QualifiedName::new(schema, *name),
                        kind: UserKind::Other,
                    })),
                    None => self
                        .lookup_type_name(&[name.to_string()])
                        .unwrap_or(Ty::Opaque),
                };
                match (ty, array) {
                    (Ty::User(u), true) => Ty::UserArray(u),
                    (other, _) => other,
                }
            }
        }
    }

    /// Whether `r` names `ty`.
    fn ref_matches(&self, r: &TypeRef, ty: &Ty) -> bool {
        match (r, ty) {
            (TypeRef::Builtin(o), Ty::Builtin(t)) => o == t,
            (TypeRef::Ext { name, array: false }, Ty::User(u)) => u.name.name == *name,
            (TypeRef::Ext { name, array: true }, Ty::UserArray(u)) => u.name.name == *name,
            _ => false,
        }
    }

    /// A cast an extension creates between `source` and `target` (base types).
    pub fn ext_cast(&self, source: &Ty, target: &Ty) -> Option<CastRow> {
        let involved = |t: &Ty| matches!(t, Ty::User(_) | Ty::UserArray(_));
        if !involved(source) && !involved(target) {
            return None;
        }
        self.cat
            .ext_casts()
            .iter()
            .find(|c| self.ref_matches(&c.source, source) && self.ref_matches(&c.target, target))
            .map(|c| c.cast)
    }
}
