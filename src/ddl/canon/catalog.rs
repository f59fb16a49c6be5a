//! The slice of `pg_catalog` that static type resolution needs — built-in types, functions,
//! operators and casts — per server major version.
//!
//! The rows come from `data/catalog.txt`, generated from real servers by
//! `scripts/gen-canon-catalog.sh`; each row carries the set of versions (13 … 18) it exists in.
//! The text is parsed once per version on first use.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::model::PgVersion;

const DATA: &str = include_str!("data/catalog.txt");

/// The first and last major versions the data file describes.
pub(crate) const FIRST_VERSION: u32 = 13;
pub(crate) const LAST_VERSION: u32 = 18;

/// Well-known type OIDs (stable across versions: `src/include/catalog/pg_type.dat`).
pub(crate) mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const NAME: u32 = 19;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT2VECTOR: u32 = 22;
    pub const INT4: u32 = 23;
    pub const TEXT: u32 = 25;
    pub const OID: u32 = 26;
    pub const OIDVECTOR: u32 = 30;
    pub const JSON: u32 = 114;
    pub const CIDR: u32 = 650;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const UNKNOWN: u32 = 705;
    pub const MACADDR: u32 = 829;
    pub const INET: u32 = 869;
    pub const BPCHAR: u32 = 1042;
    pub const VARCHAR: u32 = 1043;
    pub const DATE: u32 = 1082;
    pub const TIME: u32 = 1083;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const INTERVAL: u32 = 1186;
    pub const TIMETZ: u32 = 1266;
    pub const BIT: u32 = 1560;
    pub const VARBIT: u32 = 1562;
    pub const NUMERIC: u32 = 1700;
    pub const REGCLASS: u32 = 2205;
    pub const REGTYPE: u32 = 2206;
    pub const RECORD: u32 = 2249;
    pub const ANY: u32 = 2276;
    pub const ANYARRAY: u32 = 2277;
    pub const ANYELEMENT: u32 = 2283;
    pub const ANYNONARRAY: u32 = 2776;
    pub const UUID: u32 = 2950;
    pub const ANYENUM: u32 = 3500;
    pub const JSONB: u32 = 3802;
    pub const ANYRANGE: u32 = 3831;
    pub const ANYMULTIRANGE: u32 = 4537;
    pub const ANYCOMPATIBLEMULTIRANGE: u32 = 4538;
    pub const ANYCOMPATIBLE: u32 = 5077;
    pub const ANYCOMPATIBLEARRAY: u32 = 5078;
    pub const ANYCOMPATIBLENONARRAY: u32 = 5079;
    pub const ANYCOMPATIBLERANGE: u32 = 5080;
}

/// One `pg_type` row of `pg_catalog`.
#[derive(Debug, Clone)]
pub(crate) struct TypeRow {
    pub oid: u32,
    pub name: &'static str,
    /// `typtype`: b(ase), c(omposite), d(omain), e(num), p(seudo), r(ange), m(ultirange).
    pub typtype: u8,
    pub category: u8,
    pub preferred: bool,
    pub elem: u32,
    pub array: u32,
    pub len: i32,
    pub collatable: bool,
}

/// One `pg_proc` row (`prokind = 'f'`) of `pg_catalog`.
#[derive(Debug, Clone)]
pub(crate) struct ProcRow {
    pub ret: u32,
    /// `provariadic`: the element type of the variadic parameter, 0 if none.
    pub variadic: u32,
    pub nargdefaults: usize,
    pub args: Vec<u32>,
}

/// One `pg_operator` row of `pg_catalog`.
#[derive(Debug, Clone)]
pub(crate) struct OperRow {
    /// `b` (binary) or `l` (prefix); `r` (postfix) on 13 only.
    pub kind: u8,
    pub left: u32,
    pub right: u32,
    pub result: u32,
}

/// One `pg_cast` row between built-in types.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CastRow {
    /// `i` (implicit), `a` (assignment) or `e` (explicit).
    pub context: u8,
    /// `f` (function), `b` (binary coercible) or `i` (I/O).
    pub method: u8,
    /// Number of arguments of the cast function (2 or 3 for typmod-taking ones), 0 if none.
    pub func_nargs: u8,
}

/// A type named by an extension's object: built in (by OID) or one of the extension's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeRef {
    Builtin(u32),
    Ext { name: &'static str, array: bool },
}

impl TypeRef {
    fn parse(s: &'static str) -> TypeRef {
        match s.strip_prefix('@') {
            Some(name) => match name.strip_suffix("[]") {
                Some(elem) => TypeRef::Ext {
                    name: elem,
                    array: true,
                },
                None => TypeRef::Ext { name, array: false },
            },
            None => TypeRef::Builtin(num(s)),
        }
    }
}

/// A type an extension creates (`citext`, `hstore`, `ltree` …).
#[derive(Debug, Clone)]
pub(crate) struct ExtType {
    pub extension: &'static str,
    pub category: u8,
    pub preferred: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ExtProc {
    pub extension: &'static str,
    pub ret: TypeRef,
    pub variadic: TypeRef,
    pub nargdefaults: usize,
    pub args: Vec<TypeRef>,
}

#[derive(Debug, Clone)]
pub(crate) struct ExtOper {
    pub extension: &'static str,
    pub kind: u8,
    pub left: TypeRef,
    pub right: TypeRef,
    pub result: TypeRef,
}

#[derive(Debug, Clone)]
pub(crate) struct ExtCast {
    pub source: TypeRef,
    pub target: TypeRef,
    pub cast: CastRow,
}

/// The catalog of one major version.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    types: BTreeMap<u32, TypeRow>,
    type_names: BTreeMap<&'static str, u32>,
    procs: BTreeMap<&'static str, Vec<ProcRow>>,
    opers: BTreeMap<&'static str, Vec<OperRow>>,
    casts: BTreeMap<(u32, u32), CastRow>,
    ext_types: BTreeMap<&'static str, ExtType>,
    ext_procs: BTreeMap<&'static str, Vec<ExtProc>>,
    ext_opers: BTreeMap<&'static str, Vec<ExtOper>>,
    ext_casts: Vec<ExtCast>,
}

impl Catalog {
    pub fn type_row(&self, oid: u32) -> Option<&TypeRow> {
        self.types.get(&oid)
    }

    /// A `pg_catalog` type by its `typname` (`int4`, `varchar`, `_text` …).
    pub fn type_by_name(&self, name: &str) -> Option<u32> {
        self.type_names.get(name).copied()
    }

    pub fn procs(&self, name: &str) -> &[ProcRow] {
        self.procs.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn has_proc(&self, name: &str) -> bool {
        self.procs.contains_key(name)
    }

    pub fn opers(&self, name: &str) -> &[OperRow] {
        self.opers.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn cast(&self, source: u32, target: u32) -> Option<&CastRow> {
        self.casts.get(&(source, target))
    }

    /// A type created by one of the common extensions, by name.
    pub fn ext_type(&self, name: &str) -> Option<&ExtType> {
        self.ext_types.get(name)
    }

    pub fn ext_procs(&self, name: &str) -> &[ExtProc] {
        self.ext_procs.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn ext_opers(&self, name: &str) -> &[ExtOper] {
        self.ext_opers.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn ext_casts(&self) -> &[ExtCast] {
        &self.ext_casts
    }
}

/// The catalog of `version` (clamped to the versions the data describes).
pub(crate) fn catalog(version: PgVersion) -> &'static Catalog {
    static CATALOGS: [OnceLock<Catalog>; (LAST_VERSION - FIRST_VERSION + 1) as usize] =
        [const { OnceLock::new() }; (LAST_VERSION - FIRST_VERSION + 1) as usize];
    let major = version.major().clamp(FIRST_VERSION, LAST_VERSION);
    CATALOGS[(major - FIRST_VERSION) as usize].get_or_init(|| load(major))
}

fn load(major: u32) -> Catalog {
    let bit = 1u32 << (major - FIRST_VERSION);
    let mut cat = Catalog::default();
    for line in DATA.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').collect();
        if fields.len() < 2 {
            continue;
        }
        let mask = u32::from_str_radix(fields[1], 16).unwrap_or(0);
        if mask & bit == 0 {
            continue;
        }
        let f = &fields[2..];
        match fields[0] {
            "T" if f.len() >= 9 => {
                let row = TypeRow {
                    oid: num(f[0]),
                    name: f[1],
                    typtype: f[2].as_bytes().first().copied().unwrap_or(b'b'),
                    category: f[3].as_bytes().first().copied().unwrap_or(b'U'),
                    preferred: f[4] == "1",
                    elem: num(f[5]),
                    array: num(f[6]),
                    len: f[7].parse().unwrap_or(-1),
                    collatable: f[8] == "1",
                };
                cat.type_names.insert(row.name, row.oid);
                cat.types.insert(row.oid, row);
            }
            "P" if f.len() >= 6 => {
                let args = if f[5] == "-" {
                    Vec::new()
                } else {
                    f[5].split(',').map(num).collect()
                };
                cat.procs.entry(f[0]).or_default().push(ProcRow {
                    ret: num(f[1]),
                    variadic: num(f[3]),
                    nargdefaults: f[4].parse().unwrap_or(0),
                    args,
                });
            }
            "O" if f.len() >= 5 => {
                cat.opers.entry(f[0]).or_default().push(OperRow {
                    kind: f[1].as_bytes().first().copied().unwrap_or(b'b'),
                    left: num(f[2]),
                    right: num(f[3]),
                    result: num(f[4]),
                });
            }
            "C" if f.len() >= 5 => {
                cat.casts.insert(
                    (num(f[0]), num(f[1])),
                    CastRow {
                        context: f[2].as_bytes().first().copied().unwrap_or(b'e'),
                        method: f[3].as_bytes().first().copied().unwrap_or(b'f'),
                        func_nargs: f[4].parse().unwrap_or(0),
                    },
                );
            }
            "XT" if f.len() >= 5 => {
                cat.ext_types.insert(
                    f[1],
                    ExtType {
                        extension: f[0],
                        category: f[3].as_bytes().first().copied().unwrap_or(b'U'),
                        preferred: f[4] == "1",
                    },
                );
            }
            "XP" if f.len() >= 6 => {
                let args = if f[5] == "-" {
                    Vec::new()
                } else {
                    f[5].split(',').map(TypeRef::parse).collect()
                };
                cat.ext_procs.entry(f[1]).or_default().push(ExtProc {
                    extension: f[0],
                    ret: TypeRef::parse(f[2]),
                    variadic: TypeRef::parse(f[3]),
                    nargdefaults: f[4].parse().unwrap_or(0),
                    args,
                });
            }
            "XO" if f.len() >= 6 => {
                cat.ext_opers.entry(f[1]).or_default().push(ExtOper {
                    extension: f[0],
                    kind: f[2].as_bytes().first().copied().unwrap_or(b'b'),
                    left: TypeRef::parse(f[3]),
                    right: TypeRef::parse(f[4]),
                    result: TypeRef::parse(f[5]),
                });
            }
            "XC" if f.len() >= 6 => cat.ext_casts.push(ExtCast {
                source: TypeRef::parse(f[1]),
                target: TypeRef::parse(f[2]),
                cast: CastRow {
                    context: f[3].as_bytes().first().copied().unwrap_or(b'e'),
                    method: f[4].as_bytes().first().copied().unwrap_or(b'f'),
                    func_nargs: f[5].parse().unwrap_or(0),
                },
            }),
            _ => {}
        }
    }
    cat
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_the_core_rows() {
        for major in FIRST_VERSION..=LAST_VERSION {
            let cat = catalog(PgVersion(major));
            assert_eq!(cat.type_by_name("int4"), Some(oid::INT4), "{major}");
            assert_eq!(cat.type_row(oid::TEXT).map(|t| t.category), Some(b'S'));
            assert!(cat.type_row(oid::TEXT).is_some_and(|t| t.preferred));
            assert!(cat.procs("lower").iter().any(|p| p.args == [oid::TEXT]));
            assert!(cat
                .opers("=")
                .iter()
                .any(|o| o.left == oid::INT4 && o.right == oid::INT4));
            assert_eq!(
                cat.cast(oid::VARCHAR, oid::TEXT).map(|c| c.method),
                Some(b'b')
            );
        }
    }

    #[test]
    fn rows_follow_their_versions() {
        // extract(text, date) returns numeric from PostgreSQL 14 on.
        assert!(catalog(PgVersion(13)).procs("extract").is_empty());
        assert!(!catalog(PgVersion(14)).procs("extract").is_empty());
        // multirange types appeared in 14.
        assert!(catalog(PgVersion(13))
            .type_by_name("int4multirange")
            .is_none());
        assert!(catalog(PgVersion(18))
            .type_by_name("int4multirange")
            .is_some());
    }
}
