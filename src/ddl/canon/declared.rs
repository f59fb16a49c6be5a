//! Declared types (`typenameType` + `typenameTypeMod`): a sqlparser `DataType` or type text
//! resolved like the parser resolves a type name — SQL-standard spellings, `pg_catalog`
//! first on the search path, the migrations' types, extension types by name — with the
//! typmod each built-in type's `typmodin` computes.

use std::cell::RefCell;
use std::collections::HashMap;

use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, IntervalFields, ObjectName,
    TimezoneInfo,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::catalog::oid;
use super::types::{
    name_parts, Declared, Env, Ty, UserKind, UserTy, DAY, HOUR, INTERVAL_FULL_PRECISION,
    INTERVAL_FULL_RANGE, MINUTE, MONTH, SECOND, VARHDRSZ, YEAR,
};
use super::{CanonError, UserType};
use crate::model::QualifiedName;

/// How many distinct type texts [`type_syntax`] remembers (a schema has few: the column
/// types, which repeat).
const TYPE_SYNTAX_CACHE: usize = 4096;

thread_local! {
    static TYPE_SYNTAX: RefCell<HashMap<String, Result<DataType, CanonError>>> =
        RefCell::new(HashMap::new());
}

/// Type text read as sqlparser reads a type: pure syntax (nothing is resolved), so it is
/// parsed once per text. Column types are read again for every default, check and index
/// expression that uses the column.
fn type_syntax(text: &str) -> Result<DataType, CanonError> {
    if let Some(found) = TYPE_SYNTAX.with(|c| c.borrow().get(text).cloned()) {
        return found;
    }
    let dialect = PostgreSqlDialect {};
    let parsed = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut parser| parser.parse_data_type())
        .map_err(|e| CanonError::new(format!("type {text}: {e}")));
    TYPE_SYNTAX.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= TYPE_SYNTAX_CACHE {
            cache.clear();
        }
        cache.insert(text.to_string(), parsed.clone());
    });
    parsed
}

impl Env<'_> {
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
        let dt = type_syntax(text)?;
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
}

fn other_type(name: QualifiedName) -> Ty {
    Ty::User(Box::new(UserTy {
        name,
        kind: UserKind::Other,
    }))
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
