//! Typed, located access to the YAML tree: "this node is a mapping with these keys", "this
//! key holds a string / a boolean / a list of names", each failure a `YamlError` that names
//! the file, line, column and key path.

use super::error::{did_you_mean, join_index, join_key, where_, YamlError};
use super::events::Pos;
use super::tree::{Entry, Node, Scalar, Value};

/// What a document is read as, and the file name for errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cx<'f> {
    pub file: &'f str,
    /// A snapshot (`pgdrift: {canonical: true}`): shorthand keys are refused.
    pub canonical: bool,
}

impl Cx<'_> {
    pub fn error(&self, pos: Pos, path: &str, message: impl Into<String>) -> YamlError {
        YamlError::at(self.file, pos, path, message)
    }

    /// `expected {what} {where}, found {node}`.
    pub fn wrong_type(&self, node: &Node, path: &str, what: &str) -> YamlError {
        self.error(
            node.pos,
            path,
            format!(
                "expected {what} {}, found {}",
                where_(path),
                node.describe()
            ),
        )
    }
}

/// The keys a mapping may have: those of both forms, and those only hand-written files use.
pub(crate) struct Keys<'k> {
    pub common: &'k [&'k str],
    pub shorthand: &'k [&'k str],
    /// Why shorthand keys are refused in a snapshot, and what to write instead.
    pub canonical_hint: &'k str,
    /// Keys only snapshots have (`notes`, `recorded_migrations`).
    pub snapshot_only: &'k [&'k str],
}

/// A mapping node being read, with its path.
pub(crate) struct Fields<'a, 'f> {
    pub cx: Cx<'f>,
    pub node: &'a Node,
    pub path: String,
    entries: &'a [Entry],
}

impl<'a, 'f> Fields<'a, 'f> {
    /// Open `node` as a mapping (`what` describes it: "a column") whose keys are all in `keys`.
    pub fn open(
        cx: Cx<'f>,
        node: &'a Node,
        path: &str,
        what: &str,
        keys: &Keys<'_>,
    ) -> Result<Fields<'a, 'f>, YamlError> {
        let Value::Map(entries) = &node.value else {
            return Err(cx.wrong_type(node, path, &format!("{what} (a mapping)")));
        };
        let allowed: Vec<&str> = if cx.canonical {
            keys.common
                .iter()
                .chain(keys.snapshot_only)
                .copied()
                .collect()
        } else {
            keys.common.iter().chain(keys.shorthand).copied().collect()
        };
        for entry in entries {
            let key = entry.key.as_str();
            // `x-…` keys at the top level are for the user (anchors to reuse, notes), as
            // in docker-compose files.
            if allowed.contains(&key) || (path.is_empty() && key.starts_with("x-")) {
                continue;
            }
            if !cx.canonical && keys.snapshot_only.contains(&key) {
                return Err(cx.error(
                    entry.key_pos,
                    &join_key(path, key),
                    format!(
                        "'{key}' belongs to snapshots written by pgdrift (pgdrift: {{canonical: \
                         true}}); a hand-written schema file has no {key}"
                    ),
                ));
            }
            if cx.canonical && keys.shorthand.contains(&key) {
                return Err(cx.error(
                    entry.key_pos,
                    path,
                    format!(
                        "'{key}' {} is hand-written shorthand, which a canonical snapshot \
                         (pgdrift: {{canonical: true}}) does not use: {}",
                        where_(path),
                        keys.canonical_hint
                    ),
                ));
            }
            let mut message = format!(
                "unknown key '{key}' {} (expected one of: {})",
                where_(path),
                allowed.join(", ")
            );
            if let Some(near) = did_you_mean(key, &allowed) {
                message.push_str(&format!("; did you mean '{near}'?"));
            }
            return Err(cx.error(entry.key_pos, path, message));
        }
        Ok(Fields {
            cx,
            node,
            path: path.to_string(),
            entries,
        })
    }

    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// The value of `key`, unless absent or null.
    pub fn value(&self, key: &str) -> Option<&'a Node> {
        self.entry(key)
            .map(|e| &e.value)
            .filter(|n| n.value != Value::Null)
    }

    pub fn child_path(&self, key: &str) -> String {
        join_key(&self.path, key)
    }

    pub fn key_pos(&self, key: &str) -> Pos {
        self.entry(key).map_or(self.node.pos, |e| e.key_pos)
    }

    /// An error about the value of `key` (or the mapping, when `key` is absent).
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> YamlError {
        let pos = self.value(key).map_or(self.key_pos(key), |n| n.pos);
        self.cx.error(pos, &self.child_path(key), message)
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, YamlError> {
        match self.value(key) {
            None => Ok(None),
            Some(node) => text(self.cx, node, &self.child_path(key)).map(Some),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<String, YamlError> {
        self.string(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn missing(&self, key: &str) -> YamlError {
        self.cx.error(
            self.node.pos,
            &self.path,
            format!("missing key '{key}' {}", where_(&self.path)),
        )
    }

    /// A boolean; absent or null is `None`.
    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, YamlError> {
        match self.value(key) {
            None => Ok(None),
            Some(node) => boolean(self.cx, node, &self.child_path(key)).map(Some),
        }
    }

    /// A boolean; absent or null is false.
    pub fn flag(&self, key: &str) -> Result<bool, YamlError> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    /// A list of names (a single name is a list of one).
    pub fn names(&self, key: &str) -> Result<Vec<String>, YamlError> {
        match self.value(key) {
            None => Ok(Vec::new()),
            Some(node) => names(self.cx, node, &self.child_path(key)),
        }
    }

    pub fn unsigned(&self, key: &str) -> Result<Option<u64>, YamlError> {
        let Some(node) = self.value(key) else {
            return Ok(None);
        };
        match &node.value {
            Value::Scalar(Scalar { text, plain: true }) => match text.parse::<u64>() {
                Ok(n) => Ok(Some(n)),
                Err(_) => Err(self
                    .cx
                    .wrong_type(node, &self.child_path(key), "a whole number")),
            },
            _ => Err(self
                .cx
                .wrong_type(node, &self.child_path(key), "a whole number")),
        }
    }
}

/// The text of a scalar, exactly as written (a plain `5` is "5").
pub(crate) fn text(cx: Cx<'_>, node: &Node, path: &str) -> Result<String, YamlError> {
    match &node.value {
        Value::Scalar(s) => Ok(s.text.clone()),
        _ => Err(cx.wrong_type(node, path, "a string")),
    }
}

/// YAML 1.2's booleans: `true` / `false` (also capitalised), unquoted.
pub(crate) fn boolean(cx: Cx<'_>, node: &Node, path: &str) -> Result<bool, YamlError> {
    if let Value::Scalar(Scalar { text, plain: true }) = &node.value {
        match text.as_str() {
            "true" | "True" | "TRUE" => return Ok(true),
            "false" | "False" | "FALSE" => return Ok(false),
            _ => {}
        }
    }
    Err(cx.wrong_type(node, path, "true or false"))
}

/// A list of names; a single name stands for a list of one.
pub(crate) fn names(cx: Cx<'_>, node: &Node, path: &str) -> Result<Vec<String>, YamlError> {
    match &node.value {
        Value::Scalar(s) => Ok(vec![s.text.clone()]),
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match &item.value {
                Value::Scalar(s) => Ok(s.text.clone()),
                _ => Err(cx.wrong_type(item, &join_index(path, i), "a name")),
            })
            .collect(),
        _ => Err(cx.wrong_type(node, path, "a list of names")),
    }
}

/// The entries of a mapping whose keys are object names (`tables:`, `enums:` …).
pub(crate) fn named_entries<'a>(
    cx: Cx<'_>,
    node: &'a Node,
    path: &str,
    what: &str,
) -> Result<&'a [Entry], YamlError> {
    match &node.value {
        Value::Map(entries) => Ok(entries),
        Value::Null => Ok(&[]),
        _ => Err(cx.wrong_type(node, path, what)),
    }
}

/// A list's items; a null value is an empty list.
pub(crate) fn items<'a>(
    cx: Cx<'_>,
    node: &'a Node,
    path: &str,
    what: &str,
) -> Result<&'a [Node], YamlError> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(cx.wrong_type(node, path, what)),
    }
}
