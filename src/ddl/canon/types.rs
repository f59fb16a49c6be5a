//! Types as the parser sees them: resolving a declared type name to a type and typmod
//! (`typenameType` + `typenameTypeMod`), the type properties resolution consults (category,
//! preferred, element and array types, domains' base types), and `format_type`.

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, Ident, IntervalFields,
    ObjectName, ObjectNamePart, TimezoneInfo,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::catalog::{oid, Catalog};
use super::{CanonError, Scope, UserType};
use crate::model::{quote_ident, PgVersion, QualifiedName};

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

const VARHDRSZ: i32 = 4;
const INTERVAL_FULL_RANGE: i32 = 0x7FFF;
const INTERVAL_FULL_PRECISION: i32 = 0xFFFF;
// Interval field bits (datetime.h).
const MONTH: i32 = 1 << 1;
const YEAR: i32 = 1 << 2;
const DAY: i32 = 1 << 3;
const HOUR: i32 = 1 << 10;
const MINUTE: i32 = 1 << 11;
const SECOND: i32 = 1 << 12;

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

    fn user_type(&self, name: &QualifiedName, depth: usize) -> Option<Ty> {
        let kind = self.scope.types.types.get(name)?;
        let kind = match kind {
            UserType::Enum => UserKind::Enum,
            UserType::Composite => UserKind::Composite,
            UserType::Range => UserKind::Range,
            UserType::Other => UserKind::Other,
            UserType::Domain { base } => {
                let declared = if depth < 8 {
                    self.parse_type_text_at(base, depth + 1).ok()
                } else {
                    None
                };
                match declared {
                    Some(d) => UserKind::Domain {
                        base: d.ty,
                        typmod: d.typmod,
                    },
                    None => UserKind::Other,
                }
            }
        };
        Some(Ty::User(Box::new(UserTy {
            name: name.clone(),
            kind,
        })))
    }

    /// Resolve a (possibly qualified) type name the way `LookupTypeName` does.
    pub fn lookup_type_name(&self, parts: &[String]) -> Result<Ty, CanonError> {
        self.lookup_type_name_at(parts, 0)
    }

    fn lookup_type_name_at(&self, parts: &[String], depth: usize) -> Result<Ty, CanonError> {
        match parts {
            [name] => {
                for schema in self.search_path() {
                    if schema == "pg_catalog" {
                        if let Some(o) = self.cat.type_by_name(name) {
                            return Ok(Ty::Builtin(o));
                        }
                    } else if let Some(t) =
                        self.user_type(&QualifiedName::new(schema, name.clone()), depth)
                    {
                        return Ok(t);
                    }
                }
                Ok(other_type(QualifiedName::new(
                    self.default_schema(),
                    name.clone(),
                )))
            }
            [schema, name] | [_, schema, name] => {
                if schema == "pg_catalog" {
                    return self.cat.type_by_name(name).map(Ty::Builtin).ok_or_else(|| {
                        CanonError::new(format!("type pg_catalog.{name} does not exist"))
                    });
                }
                let qn = QualifiedName::new(schema.clone(), name.clone());
                Ok(self.user_type(&qn, depth).unwrap_or_else(|| other_type(qn)))
            }
            _ => Err(CanonError::new("improper type name")),
        }
    }

    /// Resolve canonical (or any) type text, e.g. a column's `format_type`.
    pub fn parse_type_text(&self, text: &str) -> Result<Declared, CanonError> {
        self.parse_type_text_at(text, 0)
    }

    fn parse_type_text_at(&self, text: &str, depth: usize) -> Result<Declared, CanonError> {
        let dialect = PostgreSqlDialect {};
        let mut parser = Parser::new(&dialect)
            .try_with_sql(text)
            .map_err(|e| CanonError::new(format!("type {text}: {e}")))?;
        let dt = parser
            .parse_data_type()
            .map_err(|e| CanonError::new(format!("type {text}: {e}")))?;
        self.declared_at(&dt, depth)
    }

    /// `typenameType` + `typenameTypeMod` for a declared type.
    pub fn declared(&self, dt: &DataType) -> Result<Declared, CanonError> {
        self.declared_at(dt, 0)
    }

    fn declared_at(&self, dt: &DataType, depth: usize) -> Result<Declared, CanonError> {
        let plain = |o: u32| Declared {
            ty: Ty::Builtin(o),
            typmod: -1,
            serial: false,
            raw_modifiers: None,
        };
        let with_mod = |o: u32, typmod: i32| Declared {
            ty: Ty::Builtin(o),
            typmod,
            serial: false,
            raw_modifiers: None,
        };
        let char_len = |len: &Option<CharacterLength>| -> Result<Option<i32>, CanonError> {
            match len {
                None => Ok(None),
                Some(CharacterLength::IntegerLength { length, .. }) => Ok(Some(
                    i32::try_from(*length).unwrap_or(i32::MAX - 4) + VARHDRSZ,
                )),
                Some(CharacterLength::Max) => {
                    Err(CanonError::new("VARCHAR(MAX) is not PostgreSQL"))
                }
            }
        };
        Ok(match dt {
            DataType::Character(len) | DataType::Char(len) => {
                with_mod(oid::BPCHAR, char_len(len)?.unwrap_or(1 + VARHDRSZ))
            }
            DataType::CharacterVarying(len)
            | DataType::CharVarying(len)
            | DataType::Varchar(len)
            | DataType::Nvarchar(len) => with_mod(oid::VARCHAR, char_len(len)?.unwrap_or(-1)),
            DataType::Uuid => plain(oid::UUID),
            DataType::Text => plain(oid::TEXT),
            DataType::Bytea => plain(oid::BYTEA),
            DataType::Bool | DataType::Boolean => plain(oid::BOOL),
            DataType::Date => plain(oid::DATE),
            DataType::Int(_) | DataType::Int4(_) | DataType::Integer(_) => plain(oid::INT4),
            DataType::Int2(_) | DataType::SmallInt(_) => plain(oid::INT2),
            DataType::Int8(_) | DataType::BigInt(_) => plain(oid::INT8),
            DataType::Float(info) => match info {
                ExactNumberInfo::Precision(p) if *p <= 24 => plain(oid::FLOAT4),
                _ => plain(oid::FLOAT8),
            },
            DataType::Float4 | DataType::Real => plain(oid::FLOAT4),
            DataType::Float8 | DataType::DoublePrecision | DataType::Double(_) => {
                plain(oid::FLOAT8)
            }
            DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
                with_mod(oid::NUMERIC, numeric_typmod(info))
            }
            DataType::Time(p, tz) => {
                let o = if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                    oid::TIMETZ
                } else {
                    oid::TIME
                };
                with_mod(o, precision_typmod(*p))
            }
            DataType::Timestamp(p, tz) => {
                let o = if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                    oid::TIMESTAMPTZ
                } else {
                    oid::TIMESTAMP
                };
                with_mod(o, precision_typmod(*p))
            }
            DataType::Interval { fields, precision } => {
                with_mod(oid::INTERVAL, interval_typmod(fields.as_ref(), *precision))
            }
            DataType::JSON => plain(oid::JSON),
            DataType::JSONB => plain(oid::JSONB),
            DataType::Regclass => plain(oid::REGCLASS),
            DataType::TsVector => plain(3614),
            DataType::TsQuery => plain(3615),
            DataType::Bit(n) => with_mod(oid::BIT, n.map(|n| n as i32).unwrap_or(1)),
            DataType::BitVarying(n) | DataType::VarBit(n) => {
                with_mod(oid::VARBIT, n.map(|n| n as i32).unwrap_or(-1))
            }
            DataType::Array(def) => {
                let inner = match def {
                    ArrayElemTypeDef::SquareBracket(inner, _)
                    | ArrayElemTypeDef::AngleBracket(inner)
                    | ArrayElemTypeDef::Parenthesis(inner)
                    | ArrayElemTypeDef::Qualified(inner, _) => inner,
                    ArrayElemTypeDef::None => {
                        return Err(CanonError::new("ARRAY without an element type"))
                    }
                };
                let elem = self.declared_at(inner, depth)?;
                // int[][] is the same type as int[]: arrays of arrays collapse.
                let ty = if self.elem(&elem.ty).is_some() {
                    elem.ty
                } else {
                    self.array_of(&elem.ty)
                        .ok_or_else(|| CanonError::new(format!("no array type for {inner}")))?
                };
                Declared {
                    ty,
                    typmod: elem.typmod,
                    serial: false,
                    raw_modifiers: elem.raw_modifiers,
                }
            }
            DataType::Custom(name, modifiers) => self.custom_type(name, modifiers, depth)?,
            other => {
                return Err(CanonError::new(format!(
                    "type {other} is not a PostgreSQL type"
                )))
            }
        })
    }

    fn custom_type(
        &self,
        name: &ObjectName,
        modifiers: &[String],
        depth: usize,
    ) -> Result<Declared, CanonError> {
        let parts = name_parts(name);
        if let [single] = parts.as_slice() {
            let serial = match single.as_str() {
                "smallserial" | "serial2" => Some(oid::INT2),
                "serial" | "serial4" => Some(oid::INT4),
                "bigserial" | "serial8" => Some(oid::INT8),
                _ => None,
            };
            if let Some(o) = serial {
                return Ok(Declared {
                    ty: Ty::Builtin(o),
                    typmod: -1,
                    serial: true,
                    raw_modifiers: None,
                });
            }
        }
        let ty = self.lookup_type_name_at(&parts, depth)?;
        let mut declared = Declared {
            ty,
            typmod: -1,
            serial: false,
            raw_modifiers: None,
        };
        if !modifiers.is_empty() {
            match declared.ty {
                Ty::Builtin(o) => {
                    let nums: Vec<i64> = modifiers
                        .iter()
                        .map(|m| m.trim().parse::<i64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| CanonError::new(format!("bad type modifier for {name}")))?;
                    declared.typmod = builtin_typmod(o, &nums)?;
                }
                _ => declared.raw_modifiers = Some(modifiers.join(",")),
            }
        }
        Ok(declared)
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

    /// `format_type_with_typemod(type, typmod)` with `search_path = ''`.
    pub fn format_type(&self, ty: &Ty, typmod: i32) -> String {
        match ty {
            Ty::Builtin(o) => self.format_builtin(*o, typmod),
            Ty::User(u) => u.name.quoted(self.version),
            Ty::UserArray(u) => format!("{}[]", u.name.quoted(self.version)),
            Ty::Opaque => "unknown".to_string(),
        }
    }

    fn format_builtin(&self, type_oid: u32, typmod: i32) -> String {
        let Some(row) = self.cat.type_row(type_oid) else {
            return format!("oid{type_oid}");
        };
        // A "true" array prints as its element type plus []; oidvector and int2vector are
        // plain-storage arrays and print by name.
        if row.elem != 0
            && row.len == -1
            && type_oid != oid::OIDVECTOR
            && type_oid != oid::INT2VECTOR
        {
            return format!("{}[]", self.format_builtin(row.elem, typmod));
        }
        let with_typmod = typmod >= 0;
        match type_oid {
            oid::BIT => {
                if with_typmod {
                    format!("bit({typmod})")
                } else {
                    // bit with typmod -1 is not the same as BIT(1): print the quoted name.
                    "\"bit\"".to_string()
                }
            }
            oid::BOOL => "boolean".to_string(),
            // json became a keyword in 17; format_type still prints the type bare.
            oid::JSON => "json".to_string(),
            oid::BPCHAR => {
                if with_typmod {
                    char_typmod("character", typmod)
                } else {
                    "bpchar".to_string()
                }
            }
            oid::FLOAT4 => "real".to_string(),
            oid::FLOAT8 => "double precision".to_string(),
            oid::INT2 => "smallint".to_string(),
            oid::INT4 => "integer".to_string(),
            oid::INT8 => "bigint".to_string(),
            oid::NUMERIC => {
                if with_typmod {
                    let t = typmod - VARHDRSZ;
                    let precision = (t >> 16) & 0xffff;
                    // The scale is an 11-bit signed field (negative scales from 15 on).
                    let mut scale = t & 0x7ff;
                    if scale > 1023 {
                        scale -= 2048;
                    }
                    format!("numeric({precision},{scale})")
                } else {
                    "numeric".to_string()
                }
            }
            oid::INTERVAL => format!("interval{}", interval_typmod_out(typmod)),
            oid::TIME => time_name("time", typmod, " without time zone"),
            oid::TIMETZ => time_name("time", typmod, " with time zone"),
            oid::TIMESTAMP => time_name("timestamp", typmod, " without time zone"),
            oid::TIMESTAMPTZ => time_name("timestamp", typmod, " with time zone"),
            oid::VARBIT => {
                if with_typmod {
                    format!("bit varying({typmod})")
                } else {
                    "bit varying".to_string()
                }
            }
            oid::VARCHAR => {
                if with_typmod {
                    char_typmod("character varying", typmod)
                } else {
                    "character varying".to_string()
                }
            }
            _ => quote_ident(row.name, self.version),
        }
    }
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

fn other_type(name: QualifiedName) -> Ty {
    Ty::User(Box::new(UserTy {
        name,
        kind: UserKind::Other,
    }))
}

fn char_typmod(name: &str, typmod: i32) -> String {
    if typmod > VARHDRSZ {
        format!("{name}({})", typmod - VARHDRSZ)
    } else {
        name.to_string()
    }
}

fn time_name(name: &str, typmod: i32, tz: &str) -> String {
    if typmod >= 0 {
        format!("{name}({typmod}){tz}")
    } else {
        format!("{name}{tz}")
    }
}

/// `intervaltypmodout`.
fn interval_typmod_out(typmod: i32) -> String {
    if typmod < 0 {
        return String::new();
    }
    let fields = (typmod >> 16) & 0x7FFF;
    let precision = typmod & 0xFFFF;
    let fieldstr = match fields {
        f if f == YEAR => " year",
        f if f == MONTH => " month",
        f if f == DAY => " day",
        f if f == HOUR => " hour",
        f if f == MINUTE => " minute",
        f if f == SECOND => " second",
        f if f == YEAR | MONTH => " year to month",
        f if f == DAY | HOUR => " day to hour",
        f if f == DAY | HOUR | MINUTE => " day to minute",
        f if f == DAY | HOUR | MINUTE | SECOND => " day to second",
        f if f == HOUR | MINUTE => " hour to minute",
        f if f == HOUR | MINUTE | SECOND => " hour to second",
        f if f == MINUTE | SECOND => " minute to second",
        _ => "",
    };
    if precision != INTERVAL_FULL_PRECISION {
        format!("{fieldstr}({precision})")
    } else {
        fieldstr.to_string()
    }
}

fn numeric_typmod(info: &ExactNumberInfo) -> i32 {
    match info {
        ExactNumberInfo::None => -1,
        ExactNumberInfo::Precision(p) => ((*p as i32) << 16) + VARHDRSZ,
        ExactNumberInfo::PrecisionAndScale(p, s) => {
            (((*p as i32) << 16) | ((*s as i32) & 0x7ff)) + VARHDRSZ
        }
    }
}

/// Time precisions above 6 are reduced to 6 (with a warning) by `anytime_typmod_check`.
fn precision_typmod(p: Option<u64>) -> i32 {
    match p {
        None => -1,
        Some(p) => (p as i32).min(6),
    }
}

/// `intervaltypmodin` for `INTERVAL [fields] [(p)]`.
pub(crate) fn interval_typmod(fields: Option<&IntervalFields>, precision: Option<u64>) -> i32 {
    if fields.is_none() && precision.is_none() {
        return -1;
    }
    let range = match fields {
        None => INTERVAL_FULL_RANGE,
        Some(f) => interval_range(f),
    };
    let precision = precision
        .map(|p| (p as i32).min(6))
        .unwrap_or(INTERVAL_FULL_PRECISION);
    ((range & 0x7FFF) << 16) | (precision & 0xFFFF)
}

pub(crate) fn interval_range(f: &IntervalFields) -> i32 {
    match f {
        IntervalFields::Year => YEAR,
        IntervalFields::Month => MONTH,
        IntervalFields::Day => DAY,
        IntervalFields::Hour => HOUR,
        IntervalFields::Minute => MINUTE,
        IntervalFields::Second => SECOND,
        IntervalFields::YearToMonth => YEAR | MONTH,
        IntervalFields::DayToHour => DAY | HOUR,
        IntervalFields::DayToMinute => DAY | HOUR | MINUTE,
        IntervalFields::DayToSecond => DAY | HOUR | MINUTE | SECOND,
        IntervalFields::HourToMinute => HOUR | MINUTE,
        IntervalFields::HourToSecond => HOUR | MINUTE | SECOND,
        IntervalFields::MinuteToSecond => MINUTE | SECOND,
    }
}

/// The interval range bits of an interval typmod, if it restricts the fields.
pub(crate) fn interval_typmod_range(typmod: i32) -> Option<i32> {
    if typmod < 0 {
        return None;
    }
    let range = (typmod >> 16) & 0x7FFF;
    (range != INTERVAL_FULL_RANGE).then_some(range)
}

/// Interval range bits, for value normalization.
pub(crate) mod interval_bits {
    pub const MONTH: i32 = super::MONTH;
    pub const YEAR: i32 = super::YEAR;
    pub const DAY: i32 = super::DAY;
    pub const HOUR: i32 = super::HOUR;
    pub const MINUTE: i32 = super::MINUTE;
    pub const SECOND: i32 = super::SECOND;
}

/// `typmodin` of the built-in types that take modifiers, from the numbers written.
fn builtin_typmod(type_oid: u32, mods: &[i64]) -> Result<i32, CanonError> {
    let bad = || CanonError::new("bad type modifiers");
    Ok(match (type_oid, mods) {
        (oid::VARCHAR | oid::BPCHAR, [n]) => *n as i32 + VARHDRSZ,
        (oid::NUMERIC, [p]) => ((*p as i32) << 16) + VARHDRSZ,
        (oid::NUMERIC, [p, s]) => (((*p as i32) << 16) | ((*s as i32) & 0x7ff)) + VARHDRSZ,
        (oid::TIME | oid::TIMETZ | oid::TIMESTAMP | oid::TIMESTAMPTZ, [p]) => (*p as i32).min(6),
        (oid::INTERVAL, [p]) => interval_typmod(None, Some(*p as u64)),
        (oid::BIT | oid::VARBIT, [n]) => *n as i32,
        _ => return Err(bad()),
    })
}

impl CanonError {
    pub(crate) fn new(message: impl Into<String>) -> CanonError {
        CanonError {
            message: message.into(),
        }
    }
}
