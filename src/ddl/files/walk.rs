//! Reading a folder tree into memory: names, files and subfolders, hidden entries left out
//! (and recorded as skipped), symbolic-link loops cut. No ordering decisions here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::classify::REASON_HIDDEN;
use super::{Context, FilesError};

/// A folder and what it holds (hidden entries already removed).
#[derive(Debug)]
pub(crate) struct Tree {
    pub path: PathBuf,
    pub name: String,
    pub files: Vec<Leaf>,
    pub dirs: Vec<Tree>,
}

/// A file in a tree.
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub path: PathBuf,
    pub name: String,
}

impl Tree {
    pub fn file(&self, name: &str) -> Option<&Leaf> {
        self.files.iter().find(|f| f.name == name)
    }

    pub fn has_file(&self, name: &str) -> bool {
        self.file(name).is_some()
    }
}

/// Read the folder at `path` and everything below it.
pub(crate) fn read_tree(path: &Path, ctx: &mut Context) -> Result<Tree, FilesError> {
    let mut visited = BTreeSet::new();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    read_dir(path, name, ctx, &mut visited)
}

fn read_dir(
    path: &Path,
    name: String,
    ctx: &mut Context,
    visited: &mut BTreeSet<PathBuf>,
) -> Result<Tree, FilesError> {
    let mut tree = Tree {
        path: path.to_path_buf(),
        name,
        files: Vec::new(),
        dirs: Vec::new(),
    };
    // A symbolic link back up the tree would otherwise make the walk endless.
    let canonical = std::fs::canonicalize(path).map_err(|e| ctx.io_error(path, &e))?;
    if !visited.insert(canonical) {
        ctx.skip(path, "symbolic link loop (folder already read)");
        return Ok(tree);
    }
    let entries = std::fs::read_dir(path).map_err(|e| ctx.io_error(path, &e))?;
    let mut children = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ctx.io_error(path, &e))?;
        children.push((
            entry.file_name().to_string_lossy().to_string(),
            entry.path(),
        ));
    }
    children.sort();
    for (child_name, child) in children {
        if child_name.starts_with('.') {
            ctx.skip(&child, REASON_HIDDEN);
            continue;
        }
        // `metadata` follows symbolic links: a link to a folder is read as that folder.
        match std::fs::metadata(&child) {
            Ok(meta) if meta.is_dir() => {
                let sub = read_dir(&child, child_name, ctx, visited)?;
                tree.dirs.push(sub);
            }
            Ok(meta) if meta.is_file() => tree.files.push(Leaf {
                path: child,
                name: child_name,
            }),
            Ok(_) => ctx.skip(&child, "not a regular file"),
            Err(_) if std::fs::symlink_metadata(&child).is_ok() => {
                ctx.skip(&child, "broken symbolic link")
            }
            Err(e) => return Err(ctx.io_error(&child, &e)),
        }
    }
    Ok(tree)
}
