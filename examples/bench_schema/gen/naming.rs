//! Names the way PostgreSQL chooses them (`ChooseRelationName`, `ChooseConstraintName`:
//! `t_col_key`, then `t_col_key1` …) and the way the generator picks its own explicit ones;
//! quoting as a migration author writes it.

use std::collections::BTreeSet;

use super::plan::Plan;

impl Plan {
    /// PostgreSQL's choice for an implicit relation name (`ChooseRelationName`): `base`, then
    /// `base1`, `base2` … on collision (label digits are appended, the stem is kept).
    pub fn choose_relation_name(&mut self, schema: &str, stem: &str, label: &str) -> String {
        let name = choose(&self.relation_names, schema, stem, label);
        self.relation_names
            .insert((schema.to_string(), name.clone()));
        name
    }

    /// `ChooseConstraintName`: like relation names, but constraint names are their own
    /// namespace; UNIQUE and PRIMARY KEY also name an index, so both must be free.
    pub fn choose_constraint_name(
        &mut self,
        schema: &str,
        stem: &str,
        label: &str,
        indexed: bool,
    ) -> String {
        let mut pass = 0;
        let name = loop {
            let candidate = suffixed(stem, label, pass);
            let key = (schema.to_string(), candidate.clone());
            let taken = self.constraint_names.contains(&key)
                || (indexed && self.relation_names.contains(&key));
            if !taken {
                break candidate;
            }
            pass += 1;
        };
        self.constraint_names
            .insert((schema.to_string(), name.clone()));
        if indexed {
            self.relation_names
                .insert((schema.to_string(), name.clone()));
        }
        name
    }

    /// Take an explicit name, making it unique with `_2`, `_3` … (the generator's own habit,
    /// not PostgreSQL's) and keeping it within 63 bytes.
    pub fn take_relation_name(&mut self, schema: &str, wanted: &str) -> String {
        let name = unique_explicit(&self.relation_names, &self.constraint_names, schema, wanted);
        self.relation_names
            .insert((schema.to_string(), name.clone()));
        name
    }

    pub fn take_constraint_name(&mut self, schema: &str, wanted: &str, indexed: bool) -> String {
        let name = unique_explicit(&self.relation_names, &self.constraint_names, schema, wanted);
        self.constraint_names
            .insert((schema.to_string(), name.clone()));
        if indexed {
            self.relation_names
                .insert((schema.to_string(), name.clone()));
        }
        name
    }
}

fn suffixed(stem: &str, label: &str, pass: usize) -> String {
    if pass == 0 {
        format!("{stem}_{label}")
    } else {
        format!("{stem}_{label}{pass}")
    }
}

fn choose(taken: &BTreeSet<(String, String)>, schema: &str, stem: &str, label: &str) -> String {
    let mut pass = 0;
    loop {
        let candidate = suffixed(stem, label, pass);
        if !taken.contains(&(schema.to_string(), candidate.clone())) {
            return candidate;
        }
        pass += 1;
    }
}

fn unique_explicit(
    relations: &BTreeSet<(String, String)>,
    constraints: &BTreeSet<(String, String)>,
    schema: &str,
    wanted: &str,
) -> String {
    let base = truncate(wanted, 59);
    let mut name = base.clone();
    let mut n = 2;
    while relations.contains(&(schema.to_string(), name.clone()))
        || constraints.contains(&(schema.to_string(), name.clone()))
    {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// Cut an ASCII name to at most `max` bytes, without a trailing underscore.
pub fn truncate(name: &str, max: usize) -> String {
    let mut s: String = name.chars().take(max).collect();
    while s.ends_with('_') {
        s.pop();
    }
    s
}

/// Quote an identifier the way a migration author would: always in Prisma style, else only
/// when PostgreSQL needs it (every name the generator invents is lower-case and no keyword).
pub fn q(name: &str, always: bool) -> String {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if always || !plain {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}
