//! `format_type_with_typemod` with `search_path = ''`: the SQL spellings of the built-in
//! types (`character varying(255)`, `timestamp(3) with time zone`, `numeric(10,2)`), `[]`
//! for true arrays, quoted names, and every type outside `pg_catalog` schema-qualified.

use super::catalog::oid;
use super::types::{
    Env, Ty, DAY, HOUR, INTERVAL_FULL_PRECISION, MINUTE, MONTH, SECOND, VARHDRSZ, YEAR,
};
use crate::model::quote_ident;

impl Env<'_> {
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
