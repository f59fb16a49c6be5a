//! Types as analysis sees them (`Ty`), the environment every step consults (`Env`: the
//! version's catalog and the replay's scope, search path), and the type properties
//! resolution relies on: category, preferred, element and array types, domains' base
//! types, ranges. Declared types are read in `declared`, printed in `format_type`.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use super::catalog::{oid, Catalog};
use super::{CanonError, Scope};
use crate::model::{PgVersion, QualifiedName};

/// A type as expression analysis knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A `pg_catalog` type by OID (arrays and pseudo-types included).
    Builtin(u32),
    /// A type outside `pg_catalog`: created by the migrations or by an extension.
    User(Box<UserTy>),
    /// An array of a type outside `pg_catalog`.
    UserArray(Box<UserTy>),
    /// A type pgdrift cannot know statically (the result of a function it has no
    /// signature for).
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserTy {
    pub name: QualifiedName,
    pub kind: UserKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UserKind {
    Enum,
    Domain {
        base: Ty,
        typmod: i32,
    },
    Composite,
    Range,
    /// Unknown to the migrations (an extension's type) or some other kind.
    Other,
}

impl Ty {
    pub const UNKNOWN: Ty = Ty::Builtin(oid::UNKNOWN);
    pub const TEXT: Ty = Ty::Builtin(oid::TEXT);
    pub const BOOL: Ty = Ty::Builtin(oid::BOOL);
    pub const INT4: Ty = Ty::Builtin(oid::INT4);

    pub fn is(&self, type_oid: u32) -> bool {
        matches!(self, Ty::Builtin(o) if *o == type_oid)
    }

    pub fn oid(&self) -> Option<u32> {
        match self {
            Ty::Builtin(o) => Some(*o),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        self.is(oid::UNKNOWN)
    }

    pub fn is_domain(&self) -> bool {
        matches!(self, Ty::User(u) if matches!(u.kind, UserKind::Domain { .. }))
    }

    pub fn is_enum(&self) -> bool {
        matches!(self, Ty::User(u) if u.kind == UserKind::Enum)
    }

    /// Composite types (`ISCOMPLEX`).
    pub fn is_complex(&self) -> bool {
        matches!(self, Ty::User(u) if u.kind == UserKind::Composite)
    }
}

/// Polymorphic pseudo-types (`IsPolymorphicType`).
pub(crate) fn is_polymorphic(type_oid: u32) -> bool {
    matches!(
        type_oid,
        oid::ANYELEMENT
            | oid::ANYARRAY
            | oid::ANYNONARRAY
            | oid::ANYENUM
            | oid::ANYRANGE
            | oid::ANYMULTIRANGE
            | oid::ANYCOMPATIBLE
            | oid::ANYCOMPATIBLEARRAY
            | oid::ANYCOMPATIBLENONARRAY
            | oid::ANYCOMPATIBLERANGE
            | oid::ANYCOMPATIBLEMULTIRANGE
    )
}

/// A resolved declared type: the type, its typmod, and how it was written when that matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    pub ty: Ty,
    pub typmod: i32,
    /// `smallserial`/`serial`/`bigserial` (the type is then the integer type).
    pub serial: bool,
    /// Type modifiers of a type outside `pg_catalog`, printed verbatim (`public.vector(3)`):
    /// their meaning belongs to the extension's typmod functions.
    pub raw_modifiers: Option<String>,
}

/// Everything analysis consults: the version's catalog and the replay's scope.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub cat: &'static Catalog,
    pub scope: &'a Scope<'a>,
    pub version: PgVersion,
}

pub(crate) const VARHDRSZ: i32 = 4;
pub(crate) const INTERVAL_FULL_RANGE: i32 = 0x7FFF;
pub(crate) const INTERVAL_FULL_PRECISION: i32 = 0xFFFF;
// Interval field bits (datetime.h).
pub(crate) const MONTH: i32 = 1 << 1;
pub(crate) const YEAR: i32 = 1 << 2;
pub(crate) const DAY: i32 = 1 << 3;
pub(crate) const HOUR: i32 = 1 << 10;
pub(crate) const MINUTE: i32 = 1 << 11;
pub(crate) const SECOND: i32 = 1 << 12;

/// PostgreSQL's identifier folding: unquoted names are lower-cased (ASCII only, as
/// `downcase_identifier` does for multibyte encodings) and truncated to 63 bytes.
pub(crate) fn ident_name(ident: &Ident) -> String {
    let name = if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_ascii_lowercase()
    };
    truncate_identifier(name)
}

/// `truncate_identifier`: names longer than NAMEDATALEN-1 bytes are cut at a character
/// boundary.
pub(crate) fn truncate_identifier(mut name: String) -> String {
    if name.len() > 63 {
        let mut end = 63;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    name
}

/// The folded parts of an object name (`public."Foo"` → `["public", "Foo"]`).
pub(crate) fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => ident_name(ident),
            other => other.to_string(),
        })
        .collect()
}

impl<'a> Env<'a> {
    pub fn new(scope: &'a Scope<'a>) -> Env<'a> {
        Env {
            cat: super::catalog::catalog(scope.version),
            scope,
            version: scope.version,
        }
    }

    pub fn major(&self) -> u32 {
        self.version.major()
    }

    /// The schemas searched for unqualified names, `pg_catalog` first unless the path
    /// names it elsewhere.
    pub fn search_path(&self) -> Vec<&'a str> {
        let mut path: Vec<&str> = self.scope.search_path.iter().map(String::as_str).collect();
        if !path.contains(&"pg_catalog") {
            path.insert(0, "pg_catalog");
        }
        path
    }

    /// The schema an unknown unqualified object (an extension's function or type) most
    /// likely lives in: the first schema of the search path.
    pub fn default_schema(&self) -> String {
        self.scope
            .search_path
            .iter()
            .find(|s| s.as_str() != "pg_catalog")
            .cloned()
            .unwrap_or_else(|| "public".to_string())
    }

    // ----- type properties -------------------------------------------------------------

    /// `TypeCategory`.
    pub fn category(&self, ty: &Ty) -> u8 {
        match ty {
            Ty::Builtin(o) => self.cat.type_row(*o).map(|t| t.category).unwrap_or(b'U'),
            Ty::User(u) => match &u.kind {
                UserKind::Enum => b'E',
                UserKind::Composite => b'C',
                UserKind::Range => b'R',
                // A domain takes its base type's category (DefineDomain).
                UserKind::Domain { base, .. } => self.category(base),
                UserKind::Other => self.cat.ext_type(&u.name.name).map_or(b'U', |t| t.category),
            },
            Ty::UserArray(_) => b'A',
            Ty::Opaque => b'U',
        }
    }

    /// `IsPreferredType` within the type's own category.
    pub fn preferred(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(o) => self.cat.type_row(*o).is_some_and(|t| t.preferred),
            Ty::User(u) if u.kind == UserKind::Other => {
                self.cat.ext_type(&u.name.name).is_some_and(|t| t.preferred)
            }
            _ => false,
        }
    }

    /// `getBaseType`: a domain's base type (recursively), else the type itself.
    pub fn base(&self, ty: &Ty) -> Ty {
        self.base_and_typmod(ty, -1).0
    }

    /// `getBaseTypeAndTypmod`.
    pub fn base_and_typmod(&self, ty: &Ty, typmod: i32) -> (Ty, i32) {
        let mut current = ty.clone();
        let mut typmod = typmod;
        for _ in 0..16 {
            match current {
                Ty::User(ref u) => match &u.kind {
                    UserKind::Domain { base, typmod: t } => {
                        typmod = *t;
                        current = base.clone();
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        (current, typmod)
    }

    /// `get_element_type`: the element type of a true array type.
    pub fn elem(&self, ty: &Ty) -> Option<Ty> {
        match ty {
            Ty::Builtin(o) => {
                let row = self.cat.type_row(*o)?;
                (row.elem != 0 && row.len == -1).then_some(Ty::Builtin(row.elem))
            }
            Ty::UserArray(u) => Some(Ty::User(u.clone())),
            _ => None,
        }
    }

    /// `get_base_element_type`: the element type of an array or a domain over an array.
    pub fn base_elem(&self, ty: &Ty) -> Option<Ty> {
        self.elem(&self.base(ty))
    }

    /// `get_array_type`.
    pub fn array_of(&self, ty: &Ty) -> Option<Ty> {
        match ty {
            Ty::Builtin(o) => {
                let row = self.cat.type_row(*o)?;
                (row.array != 0).then_some(Ty::Builtin(row.array))
            }
            Ty::User(u) => Some(Ty::UserArray(u.clone())),
            _ => None,
        }
    }

    /// `type_is_array_domain`.
    pub fn is_array_or_array_domain(&self, ty: &Ty) -> bool {
        self.elem(&self.base(ty)).is_some()
    }

    pub fn is_collatable(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(o) => self.cat.type_row(*o).is_some_and(|t| t.collatable),
            Ty::User(u) => match &u.kind {
                UserKind::Domain { base, .. } => self.is_collatable(base),
                _ => false,
            },
            _ => false,
        }
    }

    /// The range type's subtype, for the built-in range types.
    pub fn range_subtype(&self, ty: &Ty) -> Option<Ty> {
        let sub = match ty.oid()? {
            3904 | 4451 => oid::INT4,
            3926 | 4536 => oid::INT8,
            3906 | 4532 => oid::NUMERIC,
            3908 | 4533 => oid::TIMESTAMP,
            3910 | 4534 => oid::TIMESTAMPTZ,
            3912 | 4535 => oid::DATE,
            _ => return None,
        };
        Some(Ty::Builtin(sub))
    }

    /// The range type of a built-in multirange type.
    pub fn multirange_range(&self, ty: &Ty) -> Option<Ty> {
        let r = RANGE_MULTIRANGE.iter().find(|(_, m)| ty.is(*m))?.0;
        Some(Ty::Builtin(r))
    }

    /// The multirange type of a built-in range type (14+).
    pub fn range_multirange(&self, ty: &Ty) -> Option<Ty> {
        let m = RANGE_MULTIRANGE.iter().find(|(r, _)| ty.is(*r))?.1;
        self.cat.type_row(m).map(|_| Ty::Builtin(m))
    }

    /// `typtype = 'r'` (or a user range).
    pub fn is_range(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(o) => self.cat.type_row(*o).is_some_and(|t| t.typtype == b'r'),
            Ty::User(u) => u.kind == UserKind::Range,
            _ => false,
        }
    }

    pub fn is_multirange(&self, ty: &Ty) -> bool {
        matches!(ty, Ty::Builtin(o) if self.cat.type_row(*o).is_some_and(|t| t.typtype == b'm'))
    }

    // ----- format_type -----------------------------------------------------------------
}

/// Built-in range types and their multirange types.
const RANGE_MULTIRANGE: [(u32, u32); 6] = [
    (3904, 4451),
    (3926, 4536),
    (3906, 4532),
    (3908, 4533),
    (3910, 4534),
    (3912, 4535),
];

/// Interval range bits, for value normalization.
pub(crate) mod interval_bits {
    pub const MONTH: i32 = super::MONTH;
    pub const YEAR: i32 = super::YEAR;
    pub const DAY: i32 = super::DAY;
    pub const HOUR: i32 = super::HOUR;
    pub const MINUTE: i32 = super::MINUTE;
    pub const SECOND: i32 = super::SECOND;
}

impl CanonError {
    pub(crate) fn new(message: impl Into<String>) -> CanonError {
        CanonError {
            message: message.into(),
        }
    }
}
