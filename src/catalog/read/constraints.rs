//! Constraint rows → `Constraint`s on their tables (NOT NULL stays a column property).

use tokio_postgres::Row;

use super::rows::{code, Col, ObjectPath, Rows};
use super::tables::{info, Relations};
use crate::catalog::error::CatalogError;
use crate::model::{
    Check, Constraint, ConstraintKind, Exclusion, FkAction, ForeignKey, KeyConstraint, MatchType,
    Note, QualifiedName,
};

/// A foreign key whose referenced table was not read (another schema, or an extension's
/// table): its referenced column names come from a follow-up query.
#[derive(Debug, Clone)]
pub struct PendingReference {
    pub relid: u32,
    pub constraint: String,
    pub referenced_relid: u32,
    pub attnums: Vec<i16>,
}

pub fn add_constraints(
    relations: &mut Relations,
    rows: &[Row],
    d: Rows<'_>,
    notes: &mut Vec<Note>,
) -> Result<Vec<PendingReference>, CatalogError> {
    let [c_conrelid, c_conname, c_contype, c_condeferrable, c_condeferred, c_convalidated, c_conislocal, c_has_parent, c_connoinherit, c_enforced, c_period, c_conkey, c_index_keys, c_index_key_count, c_nulls_not_distinct, c_confrelid, c_ref_schema, c_ref_table, c_confkey, c_on_update, c_on_delete, c_match_type, c_on_delete_set_columns, c_check_expression, c_definition] =
        d.columns(
            rows,
            [
                "conrelid",
                "conname",
                "contype",
                "condeferrable",
                "condeferred",
                "convalidated",
                "conislocal",
                "has_parent",
                "connoinherit",
                "enforced",
                "period",
                "conkey",
                "index_keys",
                "index_key_count",
                "nulls_not_distinct",
                "confrelid",
                "ref_schema",
                "ref_table",
                "confkey",
                "on_update",
                "on_delete",
                "match_type",
                "on_delete_set_columns",
                "check_expression",
                "definition",
            ],
        )?;
    let mut pending = Vec::new();
    for row in rows {
        let relid: u32 = d.at(row, c_conrelid)?;
        let Some(relation) = relations.get(&relid) else {
            continue;
        };
        let name: String = d.at(row, c_conname)?;
        let contype = code(d.at(row, c_contype)?);
        let deferrable: bool = d.at(row, c_condeferrable)?;
        let initially_deferred: bool = d.at(row, c_condeferred)?;
        let validated: bool = d.at(row, c_convalidated)?;
        let enforced: bool = d.at(row, c_enforced)?;
        let object = ObjectPath(&relation.name, &name);
        let columns = |column: Col| -> Result<Vec<String>, CatalogError> {
            let attnums: Vec<i16> = d.at::<Option<Vec<i16>>>(row, column)?.unwrap_or_default();
            relation
                .column_names(&attnums)
                .ok_or_else(|| d.error(format!("{object}: {column} names an unknown column")))
        };

        let kind = match contype {
            'n' => {
                // Read only when NOT VALID (PostgreSQL 18): the column counts as NOT NULL,
                // but rows older than the constraint were not checked.
                notes.push(info(format!(
                    "{object}: NOT NULL constraint is NOT VALID (existing rows were not checked); the column is read as NOT NULL"
                )));
                continue;
            }
            'p' | 'u' => {
                let index_keys: Vec<i16> = d
                    .at::<Option<Vec<i16>>>(row, c_index_keys)?
                    .unwrap_or_default();
                let key_count = d
                    .at::<Option<i32>>(row, c_index_key_count)?
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(index_keys.len());
                let include = relation
                    .column_names(index_keys.get(key_count..).unwrap_or_default())
                    .ok_or_else(|| d.error(format!("{object}: INCLUDE names an unknown column")))?;
                let key = KeyConstraint {
                    columns: columns(c_conkey)?,
                    include,
                    nulls_not_distinct: d
                        .at::<Option<bool>>(row, c_nulls_not_distinct)?
                        .unwrap_or(false),
                };
                if contype == 'p' {
                    ConstraintKind::PrimaryKey(key)
                } else {
                    ConstraintKind::Unique(key)
                }
            }
            'f' => {
                let action = |column: Col| -> Result<FkAction, CatalogError> {
                    let c = code(d.at(row, column)?);
                    FkAction::from_catalog_code(c)
                        .ok_or_else(|| d.error(format!("{object}: unknown {column} code {c:?}")))
                };
                let match_code = code(d.at(row, c_match_type)?);
                let referenced_relid: u32 = d.at(row, c_confrelid)?;
                let confkey: Vec<i16> = d
                    .at::<Option<Vec<i16>>>(row, c_confkey)?
                    .unwrap_or_default();
                let referenced_columns = match relations.get(&referenced_relid) {
                    Some(referenced) => referenced.column_names(&confkey).ok_or_else(|| {
                        d.error(format!("{object}: confkey names an unknown column"))
                    })?,
                    None => {
                        pending.push(PendingReference {
                            relid,
                            constraint: name.clone(),
                            referenced_relid,
                            attnums: confkey,
                        });
                        Vec::new()
                    }
                };
                ConstraintKind::ForeignKey(ForeignKey {
                    columns: columns(c_conkey)?,
                    referenced_table: QualifiedName::new(
                        d.at::<Option<String>>(row, c_ref_schema)?
                            .unwrap_or_default(),
                        d.at::<Option<String>>(row, c_ref_table)?
                            .unwrap_or_default(),
                    ),
                    referenced_columns,
                    on_update: action(c_on_update)?,
                    on_delete: action(c_on_delete)?,
                    on_delete_set_columns: columns(c_on_delete_set_columns)?,
                    match_type: MatchType::from_catalog_code(match_code).ok_or_else(|| {
                        d.error(format!("{object}: unknown confmatchtype {match_code:?}"))
                    })?,
                })
            }
            'c' => ConstraintKind::Check(Check {
                expression: d
                    .at::<Option<String>>(row, c_check_expression)?
                    .ok_or_else(|| d.error(format!("{object}: check without expression")))?,
                no_inherit: d.at(row, c_connoinherit)?,
            }),
            'x' => {
                let definition: String = d
                    .at::<Option<String>>(row, c_definition)?
                    .ok_or_else(|| d.error(format!("{object}: exclusion without definition")))?;
                ConstraintKind::Exclusion(Exclusion {
                    definition: exclusion_body(
                        &definition,
                        deferrable,
                        initially_deferred,
                        validated,
                        enforced,
                    ),
                })
            }
            other => return Err(d.error(format!("{object}: unexpected contype {other:?}"))),
        };

        if !enforced {
            notes.push(info(format!(
                "{object}: constraint is NOT ENFORCED (PostgreSQL 18); pgdrift reads it as NOT VALID"
            )));
        }
        if d.at::<bool>(row, c_period)? {
            notes.push(info(format!(
                "{object}: constraint uses WITHOUT OVERLAPS / PERIOD (PostgreSQL 18), which pgdrift does not model yet; it is read without it"
            )));
        }

        // A partition's constraint cloned from its parent's, or any constraint a table
        // holds only because a parent has it (`conislocal` false: a partition's, or an
        // INHERITS child's CHECK): the parent's definition is the one compared.
        let inherited = (relation.is_partition && d.at::<bool>(row, c_has_parent)?)
            || !d.at::<bool>(row, c_conislocal)?;
        let constraint = Constraint {
            kind,
            deferrable,
            initially_deferred,
            validated,
            inherited,
        };
        let Some(relation) = relations.get_mut(&relid) else {
            continue;
        };
        if relation
            .table
            .constraints
            .insert(name.clone(), constraint)
            .is_some()
        {
            notes.push(info(format!(
                "{}: more than one constraint has this name; only one is shown",
                ObjectPath(&relation.name, &name)
            )));
        }
    }
    Ok(pending)
}

/// Fill in the referenced columns of `pending` foreign keys from `names` (attribute names
/// by relation and number).
pub fn resolve_references(
    relations: &mut Relations,
    pending: &[PendingReference],
    names: &std::collections::BTreeMap<(u32, i16), String>,
    notes: &mut Vec<Note>,
) {
    for p in pending {
        let Some(relation) = relations.get_mut(&p.relid) else {
            continue;
        };
        let resolved: Option<Vec<String>> = p
            .attnums
            .iter()
            .map(|n| names.get(&(p.referenced_relid, *n)).cloned())
            .collect();
        let object = format!("{}.{}", relation.name, p.constraint);
        match (resolved, relation.table.constraints.get_mut(&p.constraint)) {
            (Some(columns), Some(constraint)) => {
                if let ConstraintKind::ForeignKey(fk) = &mut constraint.kind {
                    fk.referenced_columns = columns;
                }
            }
            _ => notes.push(info(format!(
                "{object}: the referenced columns could not be read"
            ))),
        }
    }
}

/// What follows `EXCLUDE ` in `pg_get_constraintdef`, without the trailing attributes the
/// model keeps separately (`pg_get_constraintdef_worker` appends them in this order).
fn exclusion_body(
    definition: &str,
    deferrable: bool,
    initially_deferred: bool,
    validated: bool,
    enforced: bool,
) -> String {
    let mut body = definition.strip_prefix("EXCLUDE ").unwrap_or(definition);
    let suffixes = [
        (!enforced, " NOT ENFORCED"),
        (!validated, " NOT VALID"),
        (initially_deferred, " INITIALLY DEFERRED"),
        (deferrable, " DEFERRABLE"),
    ];
    for (present, suffix) in suffixes {
        if present {
            body = body.strip_suffix(suffix).unwrap_or(body);
        }
    }
    body.to_string()
}

#[cfg(test)]
mod tests {
    use super::exclusion_body;

    #[test]
    fn exclusion_body_drops_only_the_flags_that_are_set() {
        assert_eq!(
            exclusion_body(
                "EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED",
                true,
                true,
                true,
                true
            ),
            "USING gist (during WITH &&)"
        );
        assert_eq!(
            exclusion_body(
                "EXCLUDE USING gist (c WITH &&) WHERE ((c IS NOT NULL))",
                false,
                false,
                true,
                true
            ),
            "USING gist (c WITH &&) WHERE ((c IS NOT NULL))"
        );
    }
}
