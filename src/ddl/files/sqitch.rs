//! Sqitch projects: a folder with `sqitch.plan` runs `deploy/<change>.sql` in plan order;
//! `revert/` and `verify/` scripts never change the schema. A change reworked after a tag
//! runs its older script, `deploy/<change>@<tag>.sql`, at its first place in the plan.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::classify::{self, FileClass};
use super::layouts::{join, skip_tree, take_non_sql};
use super::walk::Tree;
use super::{read_text_at, Context, FilesError, Planned};

pub(crate) const PLAN_FILE: &str = "sqitch.plan";

/// One line of the plan: a change to deploy, or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Change { name: String, line: usize },
    Tag(String),
}

/// The plan's changes and tags in order (pragmas, comments and blank lines dropped).
fn parse_plan(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('%') || line.starts_with('#') {
            continue;
        }
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        if let Some(tag) = first.strip_prefix('@') {
            entries.push(Entry::Tag(tag.to_string()));
        } else if let Some(reverted) = first.strip_prefix('-') {
            // `-change` reverts an earlier deploy of the change.
            if let Some(pos) = entries
                .iter()
                .rposition(|e| matches!(e, Entry::Change { name, .. } if name == reverted))
            {
                entries.remove(pos);
            }
        } else {
            let name = first.strip_prefix('+').unwrap_or(first);
            entries.push(Entry::Change {
                name: name.to_string(),
                line: index + 1,
            });
        }
    }
    entries
}

/// The project at `tree`, in plan order.
pub(crate) fn plan(tree: &Tree, rel: &str, ctx: &mut Context) -> Result<Vec<Planned>, FilesError> {
    let plan_path = tree.path.join(PLAN_FILE);
    let plan_display = ctx.display(&plan_path);
    let entries = parse_plan(&read_text_at(&plan_path, &plan_display)?);
    let deploy = tree.path.join("deploy");
    let mut out = Vec::new();
    let mut used: BTreeSet<PathBuf> = BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        let Entry::Change { name, line } = entry else {
            continue;
        };
        // Tags between this change and its next occurrence name the reworked script.
        let mut tags = Vec::new();
        let mut reworked = false;
        for later in &entries[i + 1..] {
            match later {
                Entry::Tag(tag) => tags.push(tag.as_str()),
                Entry::Change { name: other, .. } if other == name => {
                    reworked = true;
                    break;
                }
                Entry::Change { .. } => {}
            }
        }
        let plain = deploy.join(format!("{name}.sql"));
        let path = if reworked && !tags.is_empty() {
            let candidates: Vec<PathBuf> = tags
                .iter()
                .map(|tag| deploy.join(format!("{name}@{tag}.sql")))
                .collect();
            candidates
                .iter()
                .find(|p| p.is_file())
                .unwrap_or(&candidates[0])
                .clone()
        } else {
            plain
        };
        if !path.is_file() {
            return Err(FilesError {
                path: plan_display,
                line: Some(*line),
                message: format!(
                    "the deploy script of change `{name}` is missing: {}",
                    ctx.display(&path)
                ),
            });
        }
        used.insert(path.clone());
        let key = path
            .file_name()
            .map(|n| classify::sql_stem(&n.to_string_lossy()).to_string())
            .unwrap_or_else(|| name.clone());
        out.push(Planned {
            path,
            order_key: key,
        });
    }
    for leaf in &tree.files {
        match classify::classify(&leaf.name) {
            _ if leaf.name == PLAN_FILE => {}
            FileClass::Sql => ctx.skip(&leaf.path, "not a change in sqitch.plan"),
            other => take_non_sql(leaf, rel, other, ctx),
        }
    }
    for dir in &tree.dirs {
        let dir_rel = join(rel, &dir.name);
        match dir.name.as_str() {
            "revert" => skip_tree(dir, &dir_rel, "Sqitch revert script", ctx),
            "verify" => skip_tree(dir, &dir_rel, "Sqitch verify script", ctx),
            "deploy" => skip_unused(dir, &dir_rel, &used, ctx),
            _ => skip_tree(dir, &dir_rel, "not a change in sqitch.plan", ctx),
        }
    }
    ctx.use_layout("sqitch");
    Ok(out)
}

fn skip_unused(tree: &Tree, rel: &str, used: &BTreeSet<PathBuf>, ctx: &mut Context) {
    for leaf in &tree.files {
        match classify::classify(&leaf.name) {
            FileClass::Sql if used.contains(&leaf.path) => {}
            FileClass::Sql => ctx.skip(&leaf.path, "not a change in sqitch.plan"),
            other => take_non_sql(leaf, rel, other, ctx),
        }
    }
    for dir in &tree.dirs {
        skip_unused(dir, &join(rel, &dir.name), used, ctx);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse() {
        let text = "%syntax-version=1.0.0\n%project=flipr\n\n\
            appschema 2013-12-30T23:19:31Z Marge <m@example.com> # App schema\n\
            users [appschema] 2013-12-30T23:49:00Z Marge <m@example.com> # Users\n\
            # a comment\n\
            @v1.0 2013-12-31T00:00:00Z Marge <m@example.com> # Tag\n\
            +flips [users] 2014-01-01T00:00:00Z Marge <m@example.com>\n\
            users [users@v1.0] 2014-01-02T00:00:00Z Marge <m@example.com> # Rework\n";
        let change = |name: &str, line| Entry::Change {
            name: name.into(),
            line,
        };
        assert_eq!(
            parse_plan(text),
            [
                change("appschema", 4),
                change("users", 5),
                Entry::Tag("v1.0".into()),
                change("flips", 8),
                change("users", 9),
            ]
        );
    }
}
