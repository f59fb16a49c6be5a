//! The SQL a report offers: read-only verification queries that check every claim against
//! `pg_catalog` (`verify`, written from `checks` inside the `pin` frame) and the suggested fix
//! per environment (`fix`). Both are written from the models kept in the `Audit`, never from
//! the text of findings.

mod checks;
pub mod fix;
mod pin;
pub mod verify;

pub use fix::{FixStep, Phase};
pub use verify::{checks, environment_query, Check};

use super::matrix::Matrix;
use super::Audit;

/// Put a `verify_sql` on every finding and a `fix_sql` where one exists.
pub(super) fn fill(audit: &mut Audit) {
    let matrix = Matrix::build(audit);
    for e in 0..audit.environments.len() {
        let verify = verify::finding_sql(audit, &matrix, e);
        let steps = fix::steps(audit, &matrix, e);
        let fixes: Vec<Option<String>> = (0..audit.environments[e].findings.len())
            .map(|i| fix::finding_sql(&steps, i))
            .collect();
        for (i, reported) in audit.environments[e].findings.iter_mut().enumerate() {
            reported.verify_sql = verify.get(i).filter(|s| !s.is_empty()).cloned();
            reported.fix_sql = fixes[i].clone();
        }
    }
}
