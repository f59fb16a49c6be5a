//! Renderers of findings: terminal, JSON, Markdown; verification and fix SQL.
