//! YAML text → a tree of positioned nodes (the one document of a file).
//!
//! This layer knows YAML, not pgdrift: it resolves anchors, aliases and merge keys (`<<`),
//! rejects duplicate keys, non-scalar keys, unsupported tags and multi-document files, and
//! turns libyaml's syntax errors into messages a user can act on. Scalars keep the exact text
//! written (`5`, `false`, `now()`), because most values are SQL fragments copied as written.

use std::collections::HashMap;

use super::events::{Event, Parser, Pos, ScalarStyle, SyntaxError};

/// How deep mappings and sequences may nest (the format needs about ten levels).
const MAX_DEPTH: usize = 128;
/// How many nodes aliases may copy in total, against "billion laughs" documents.
const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// `~`, `null`, or nothing at all.
    Null,
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scalar {
    pub text: String,
    /// Written without quotes (so `true` may be a boolean, `5` a number).
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    /// A short description of what the node is, for "expected …, found …" messages.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing (null)".to_string(),
            Value::Scalar(s) => format!("'{}'", shorten(&s.text)),
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a mapping".to_string(),
        }
    }

    /// Number of nodes in this subtree (for the alias budget).
    fn size(&self) -> usize {
        match &self.value {
            Value::Null | Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|e| 1 + e.value.size()).sum::<usize>(),
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A problem found while reading the YAML structure, before any pgdrift meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TreeError {
    pub pos: Pos,
    pub message: String,
}

/// Parse `text` into its single document. `Ok(None)` when the text holds no document at all
/// (empty, or only comments).
pub(crate) fn parse(text: &str) -> Result<Option<Node>, TreeError> {
    Builder::new(text).run()
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: Option<String>,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: Option<String>,
        entries: Vec<Entry>,
        /// Entries brought in by `<<` merge keys; explicit keys win over them.
        merged: Vec<Entry>,
        /// The key read, waiting for its value (and whether it is the merge key `<<`).
        key: Option<(String, Pos, bool)>,
    },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    anchors: HashMap<String, Node>,
    alias_budget: usize,
    root: Option<Node>,
    documents: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Builder<'t> {
        Builder {
            text,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_budget: MAX_ALIAS_NODES,
            root: None,
            documents: 0,
        }
    }

    fn run(mut self) -> Result<Option<Node>, TreeError> {
        let mut parser = Parser::new(self.text);
        while let Some(event) = parser.next_event() {
            let (event, pos) = event.map_err(|e| syntax_error(self.text, e))?;
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                Event::DocumentStart => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(TreeError {
                            pos,
                            message: "a second YAML document ('---') starts here; a pgdrift \
                                      schema file holds exactly one document"
                                .to_string(),
                        });
                    }
                }
                Event::Alias { anchor } => {
                    let Some(node) = self.anchors.get(&anchor) else {
                        return Err(TreeError {
                            pos,
                            message: format!(
                                "unknown alias '*{anchor}' (no anchor '&{anchor}' before it)"
                            ),
                        });
                    };
                    let size = node.size();
                    if size > self.alias_budget {
                        return Err(TreeError {
                            pos,
                            message: "aliases expand to too many nodes (more than 100000)"
                                .to_string(),
                        });
                    }
                    self.alias_budget -= size;
                    let node = Node {
                        value: node.value.clone(),
                        pos,
                    };
                    self.complete(node, true)?;
                }
                Event::Scalar {
                    anchor,
                    tag,
                    value,
                    style,
                } => {
                    let value = scalar_value(value, style, tag.as_deref(), pos)?;
                    let node = Node { value, pos };
                    self.remember(anchor, &node);
                    self.complete(node, false)?;
                }
                Event::SequenceStart { anchor, tag } => {
                    check_collection_tag(tag.as_deref(), "seq", pos)?;
                    self.push(Frame::Seq {
                        pos,
                        anchor,
                        items: Vec::new(),
                    })?;
                }
                Event::MappingStart { anchor, tag } => {
                    check_collection_tag(tag.as_deref(), "map", pos)?;
                    self.push(Frame::Map {
                        pos,
                        anchor,
                        entries: Vec::new(),
                        merged: Vec::new(),
                        key: None,
                    })?;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    let (node, anchor) = match frame {
                        Frame::Seq { pos, anchor, items } => (
                            Node {
                                value: Value::Seq(items),
                                pos,
                            },
                            anchor,
                        ),
                        Frame::Map {
                            pos,
                            anchor,
                            mut entries,
                            merged,
                            ..
                        } => {
                            for entry in merged {
                                if !entries.iter().any(|e| e.key == entry.key) {
                                    entries.push(entry);
                                }
                            }
                            (
                                Node {
                                    value: Value::Map(entries),
                                    pos,
                                },
                                anchor,
                            )
                        }
                    };
                    self.remember(anchor, &node);
                    self.complete(node, false)?;
                }
            }
        }
        Ok(self.root)
    }

    fn push(&mut self, frame: Frame) -> Result<(), TreeError> {
        if self.stack.len() >= MAX_DEPTH {
            let pos = match &frame {
                Frame::Seq { pos, .. } | Frame::Map { pos, .. } => *pos,
            };
            return Err(TreeError {
                pos,
                message: format!("the document nests deeper than {MAX_DEPTH} levels"),
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn remember(&mut self, anchor: Option<String>, node: &Node) {
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, node.clone());
        }
    }

    /// Attach a finished node to its parent (or make it the document).
    fn complete(&mut self, node: Node, from_alias: bool) -> Result<(), TreeError> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match parent {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map {
                entries,
                merged,
                key,
                ..
            } => match key.take() {
                None => {
                    let (text, plain) = match node.value {
                        Value::Scalar(s) => (s.text, s.plain),
                        Value::Null => {
                            return Err(TreeError {
                                pos: node.pos,
                                message: "a key is empty or null; keys must be names".to_string(),
                            })
                        }
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(TreeError {
                                pos: node.pos,
                                message: "a key is a list or a mapping; keys must be names \
                                          (plain or quoted text)"
                                    .to_string(),
                            })
                        }
                    };
                    // A plain `<<` is YAML's merge key; it may appear more than once.
                    let merge = plain && text == "<<" && !from_alias;
                    if !merge {
                        if let Some(first) = entries.iter().find(|e| e.key == text) {
                            return Err(TreeError {
                                pos: node.pos,
                                message: format!(
                                    "duplicate key '{text}' (first given at line {})",
                                    first.key_pos.line
                                ),
                            });
                        }
                    }
                    *key = Some((text, node.pos, merge));
                }
                Some((k, key_pos, merge)) => {
                    if merge {
                        merge_into(merged, node)?;
                    } else {
                        entries.push(Entry {
                            key: k,
                            key_pos,
                            value: node,
                        });
                    }
                }
            },
        }
        Ok(())
    }
}

/// `<<: *base` or `<<: [*a, *b]`: the entries of the mapping(s) merged in, earlier first.
fn merge_into(merged: &mut Vec<Entry>, node: Node) -> Result<(), TreeError> {
    let pos = node.pos;
    let maps = match node.value {
        Value::Map(entries) => vec![entries],
        Value::Seq(items) => {
            let mut maps = Vec::new();
            for item in items {
                match item.value {
                    Value::Map(entries) => maps.push(entries),
                    _ => return Err(merge_error(item.pos)),
                }
            }
            maps
        }
        _ => return Err(merge_error(pos)),
    };
    for entries in maps {
        for entry in entries {
            if !merged.iter().any(|e| e.key == entry.key) {
                merged.push(entry);
            }
        }
    }
    Ok(())
}

fn merge_error(pos: Pos) -> TreeError {
    TreeError {
        pos,
        message: "a merge key '<<' takes a mapping (or a list of mappings), e.g. '<<: *defaults'"
            .to_string(),
    }
}

const CORE_TAG: &str = "tag:yaml.org,2002:";

fn scalar_value(
    text: String,
    style: ScalarStyle,
    tag: Option<&str>,
    pos: Pos,
) -> Result<Value, TreeError> {
    let mut plain = style == ScalarStyle::Plain;
    match tag {
        None | Some("!") => {}
        Some(t) => match t.strip_prefix(CORE_TAG) {
            Some("str") => plain = false,
            Some("null") => return Ok(Value::Null),
            Some("bool" | "int" | "float") => plain = true,
            _ => return Err(unsupported_tag(t, pos)),
        },
    }
    if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Value::Null);
    }
    Ok(Value::Scalar(Scalar { text, plain }))
}

fn check_collection_tag(tag: Option<&str>, kind: &str, pos: Pos) -> Result<(), TreeError> {
    match tag {
        None | Some("!") => Ok(()),
        Some(t) if t.strip_prefix(CORE_TAG) == Some(kind) => Ok(()),
        Some(t) => Err(unsupported_tag(t, pos)),
    }
}

fn unsupported_tag(tag: &str, pos: Pos) -> TreeError {
    let shown = match tag.strip_prefix(CORE_TAG) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    };
    TreeError {
        pos,
        message: format!("unsupported YAML tag '{shown}' (pgdrift schema files use no tags)"),
    }
}

/// libyaml's message, made specific where we can tell what went wrong.
fn syntax_error(text: &str, e: SyntaxError) -> TreeError {
    let mut pos = e.pos;
    if pos.line == 0 {
        // Reader errors carry only a byte offset.
        let offset = e.offset.unwrap_or(0).min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        pos = Pos {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        };
    }
    let line_text = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
    let at = line_text.chars().nth(pos.column.saturating_sub(1));
    let leading_tab = line_text
        .chars()
        .take_while(|c| c.is_whitespace())
        .any(|c| c == '\t');
    let message =
        if at == Some('\t') || (leading_tab && e.problem.contains("cannot start any token")) {
            "a tab character; YAML indents with spaces only".to_string()
        } else {
            let mut message = e.problem.clone();
            if let Some((context, cpos)) = &e.context {
                message = format!("{context} (from line {}): {message}", cpos.line);
            }
            let indentation = [
                "mapping values are not allowed",
                "did not find expected key",
                "did not find expected '-'",
                "could not find expected ':'",
            ];
            if indentation.iter().any(|p| e.problem.contains(p)) {
                message.push_str(
                    "; check this line's indentation against the lines above, and quote values \
                 that contain ': ' or start with a special character",
                );
            }
            message
        };
    TreeError { pos, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str, plain: bool) -> Value {
        Value::Scalar(Scalar {
            text: text.into(),
            plain,
        })
    }

    fn root(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    fn map(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Map(e) => e,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn scalars_keep_text_and_plainness() {
        let doc = root("a: 5\nb: '5'\nc: ~\nd:\ne: \"x\"\n");
        let e = map(&doc);
        assert_eq!(e[0].value.value, scalar("5", true));
        assert_eq!(e[1].value.value, scalar("5", false));
        assert_eq!(e[2].value.value, Value::Null);
        assert_eq!(e[3].value.value, Value::Null);
        assert_eq!(e[4].value.value, scalar("x", false));
        assert_eq!(e[4].key_pos, Pos { line: 5, column: 1 });
    }

    #[test]
    fn aliases_and_merge_keys_expand() {
        let doc = root("base: &b {x: 1, y: 2}\nt:\n  <<: *b\n  y: 3\n");
        let t = &map(&doc)[1].value;
        let entries = map(t);
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["y", "x"]);
        assert_eq!(entries[0].value.value, scalar("3", true));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 3, column: 1 });
        assert!(err.message.contains("duplicate key 'a'"), "{}", err.message);
    }

    #[test]
    fn empty_text_has_no_document() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn alias_bombs_are_stopped() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..10 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("too many"), "{}", err.message);
    }

    #[test]
    fn tabs_get_a_plain_message() {
        let err = parse("a:\n\tb: 1\n").unwrap_err();
        assert!(err.message.contains("tab"), "{}", err.message);
        assert_eq!(err.pos.line, 2);
    }
}
