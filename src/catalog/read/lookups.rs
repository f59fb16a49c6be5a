//! Small catalogs (operator classes, types, binary casts, collations) and the server's rules
//! that decide whether `pg_get_indexdef` prints a key's operator class: `GetDefaultOpClass`
//! (indexcmds.c) over `IsBinaryCoercible` (parse_coerce.c), ported so that index keys can be
//! rendered from structured columns instead of asking the server to deparse every index.

use std::collections::{BTreeMap, BTreeSet};

use tokio_postgres::Row;

use super::rows::{code, Rows};
use crate::catalog::error::CatalogError;

// Pseudo-type OIDs (pg_type.dat); stable across versions.
const ANY: u32 = 2276;
const ANYELEMENT: u32 = 2283;
const ANYARRAY: u32 = 2277;
const ANYNONARRAY: u32 = 2776;
const ANYENUM: u32 = 3500;
const ANYRANGE: u32 = 3831;
const ANYMULTIRANGE: u32 = 4537;
const ANYCOMPATIBLE: u32 = 5077;
const ANYCOMPATIBLEARRAY: u32 = 5078;
const ANYCOMPATIBLENONARRAY: u32 = 5079;
const ANYCOMPATIBLERANGE: u32 = 5080;
const ANYCOMPATIBLEMULTIRANGE: u32 = 4538;
const RECORD: u32 = 2249;
const RECORDARRAY: u32 = 2287;

/// `DEFAULT_COLLATION_OID`.
pub const DEFAULT_COLLATION: u32 = 100;

#[derive(Debug, Clone)]
pub struct OpClass {
    pub method: u32,
    pub input_type: u32,
    pub key_type: u32,
    pub default: bool,
    /// As `get_opclass_name` prints it.
    pub name: String,
}

#[derive(Debug, Clone)]
struct TypeInfo {
    typtype: char,
    base: u32,
    is_array: bool,
    category: char,
    preferred: bool,
    element_typtype: Option<char>,
    collation: u32,
}

#[derive(Debug, Default)]
pub struct Lookups {
    opclasses: BTreeMap<u32, OpClass>,
    defaults_by_method: BTreeMap<u32, Vec<u32>>,
    types: BTreeMap<u32, TypeInfo>,
    binary_casts: BTreeSet<(u32, u32)>,
    collations: BTreeMap<u32, String>,
}

impl Lookups {
    /// Every operator class (`opclasses.sql`).
    pub fn add_opclasses(&mut self, rows: &[Row], target: &str) -> Result<(), CatalogError> {
        let d = Rows {
            target,
            query: "operator classes",
        };
        for row in rows {
            let oid: u32 = d.get(row, "oid")?;
            let class = OpClass {
                method: d.get(row, "opcmethod")?,
                input_type: d.get(row, "opcintype")?,
                key_type: d.get(row, "opckeytype")?,
                default: d.get(row, "opcdefault")?,
                name: d.get(row, "name")?,
            };
            if class.default {
                self.defaults_by_method
                    .entry(class.method)
                    .or_default()
                    .push(oid);
            }
            self.opclasses.insert(oid, class);
        }
        Ok(())
    }

    /// Types and binary casts (`types.sql`).
    pub fn add_types(&mut self, rows: &[Row], target: &str) -> Result<(), CatalogError> {
        let d = Rows {
            target,
            query: "types",
        };
        for row in rows {
            let kind: &str = d.get(row, "kind")?;
            let oid: u32 = d.get(row, "oid")?;
            let base: u32 = d.get(row, "base")?;
            if kind == "c" {
                self.binary_casts.insert((oid, base));
                continue;
            }
            self.types.insert(
                oid,
                TypeInfo {
                    typtype: code(d.get::<&str>(row, "typtype")?),
                    base,
                    is_array: d.get(row, "is_array")?,
                    category: code(d.get::<&str>(row, "category")?),
                    preferred: d.get(row, "preferred")?,
                    element_typtype: d.get::<Option<&str>>(row, "element_typtype")?.map(code),
                    collation: d.get(row, "typcollation")?,
                },
            );
        }
        Ok(())
    }

    /// Collation names (`collations.sql`).
    pub fn add_collations(&mut self, rows: &[Row], target: &str) -> Result<(), CatalogError> {
        let d = Rows {
            target,
            query: "collations",
        };
        for row in rows {
            self.collations
                .insert(d.get(row, "oid")?, d.get(row, "name")?);
        }
        Ok(())
    }

    pub fn opclass(&self, oid: u32) -> Option<&OpClass> {
        self.opclasses.get(&oid)
    }

    pub fn collation_name(&self, oid: u32) -> Option<&str> {
        self.collations.get(&oid).map(String::as_str)
    }

    /// The collation of type `oid` (`typcollation`); 0 for a type not collatable, or not
    /// listed (table row types and their arrays are not, and are not collatable).
    pub fn type_collation(&self, oid: u32) -> u32 {
        self.types.get(&oid).map_or(0, |t| t.collation)
    }

    /// `getBaseType`: follow domains down to their base type (`None` when a type is unknown).
    fn base_type(&self, mut oid: u32) -> Option<u32> {
        for _ in 0..32 {
            let info = self.types.get(&oid)?;
            if info.typtype != 'd' {
                return Some(oid);
            }
            oid = info.base;
        }
        None
    }

    /// `IsBinaryCoercible(source, target)`, `None` when the source type is unknown.
    fn is_binary_coercible(&self, source: u32, target: u32) -> Option<bool> {
        if source == target || matches!(target, ANY | ANYELEMENT | ANYCOMPATIBLE) {
            return Some(true);
        }
        let source = self.base_type(source)?;
        if source == target {
            return Some(true);
        }
        let info = self.types.get(&source)?;
        let yes = match target {
            ANYARRAY | ANYCOMPATIBLEARRAY => info.is_array,
            ANYNONARRAY | ANYCOMPATIBLENONARRAY => !info.is_array,
            ANYENUM => info.typtype == 'e',
            ANYRANGE | ANYCOMPATIBLERANGE => info.typtype == 'r',
            ANYMULTIRANGE | ANYCOMPATIBLEMULTIRANGE => info.typtype == 'm',
            RECORD => info.typtype == 'c',
            RECORDARRAY => info.is_array && info.element_typtype == Some('c'),
            _ => false,
        };
        Some(yes || self.binary_casts.contains(&(source, target)))
    }

    /// `IsPreferredType(category, type)`.
    fn is_preferred(&self, category: char, oid: u32) -> bool {
        self.types
            .get(&oid)
            .is_some_and(|t| (t.category == category || category == '\0') && t.preferred)
    }

    /// `GetDefaultOpClass(type, method)`: `Some(0)` when there is none, `None` when a type is
    /// unknown.
    fn default_opclass(&self, type_oid: u32, method: u32) -> Option<u32> {
        let base = self.base_type(type_oid)?;
        let category = self.types.get(&base)?.category;
        let (mut exact, mut compatible, mut preferred) = (Vec::new(), Vec::new(), Vec::new());
        for oid in self.defaults_by_method.get(&method).into_iter().flatten() {
            let class = self.opclasses.get(oid)?;
            if class.input_type == base {
                exact.push(*oid);
            } else if self.is_binary_coercible(base, class.input_type)? {
                if self.is_preferred(category, class.input_type) {
                    preferred.push(*oid);
                } else {
                    compatible.push(*oid);
                }
            }
        }
        Some(
            match (
                exact.as_slice(),
                preferred.as_slice(),
                compatible.as_slice(),
            ) {
                ([only], _, _) => *only,
                ([], [only], _) => *only,
                ([], [], [only]) => *only,
                _ => 0,
            },
        )
    }

    /// Whether `get_opclass_name` prints operator class `opclass` for a key of type
    /// `key_type`: when it is not the type's default for the access method. `None` when the
    /// catalog data at hand cannot tell.
    pub fn opclass_shown(&self, opclass: u32, key_type: Option<u32>) -> Option<bool> {
        let class = self.opclasses.get(&opclass)?;
        if !class.default {
            return Some(true);
        }
        let key_type = key_type?;
        if class.input_type == self.base_type(key_type)? {
            // At most one default operator class per type and access method.
            return Some(false);
        }
        Some(self.default_opclass(key_type, class.method)? != opclass)
    }
}
