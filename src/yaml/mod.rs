//! The YAML schema format: one format for hand-written intent and for snapshots.
