//! Column definitions as PostgreSQL stores them: the canonical type, NOT NULL, the default,
//! identity and generated expressions, collation; `serial` expanded into an owned sequence,
//! a `nextval(…)` default and NOT NULL; inline constraints handed on as pending ones.

use sqlparser::ast::{
    ColumnDef, ColumnOption, DataType, GeneratedAs, GeneratedExpressionMode, Ident,
};

use super::constraints::Pending;
use super::render::collation_text;
use super::resolve::ident;
use super::state::{ColumnSrc, ExprSrc, SequenceState};
use super::{Apply, Fail, ReplayResult};
use crate::ddl::canon;
use crate::ddl::parse::parse_expr;
use crate::model::naming::choose_name;
use crate::model::{Column, Generated, Identity, NoteKind, QualifiedName};

/// A column being defined, before it joins its table.
#[derive(Debug, Clone)]
pub(crate) struct ColumnBuild {
    pub column: Column,
    pub src: ColumnSrc,
    /// `serial` types: a sequence and a `nextval` default are still to be added.
    pub serial: bool,
    pub constraints: Vec<Pending>,
    /// Where the column is written (orders inline constraints among table constraints).
    pub position: (u64, u64),
    /// Copied from an INHERITS parent (the table's own definition may merge into it).
    pub inherited: bool,
    /// The `SEQUENCE NAME` given for an identity column.
    pub sequence_name: Option<sqlparser::ast::ObjectName>,
}

impl Apply<'_> {
    /// Read a column definition of `table`; `columns` are the ones before it (for
    /// generated expressions, all of them are needed: those render later).
    pub(crate) fn build_column(
        &mut self,
        table: &QualifiedName,
        def: &ColumnDef,
    ) -> ReplayResult<ColumnBuild> {
        let name = ident(&def.name);
        let (type_text, serial) = if def.data_type == DataType::Unspecified {
            (String::new(), false)
        } else {
            self.column_type(table, &def.data_type)?
        };
        let mut build = ColumnBuild {
            column: Column::new(name.clone(), type_text),
            src: ColumnSrc {
                data_type: (def.data_type != DataType::Unspecified).then(|| def.data_type.clone()),
                type_path: self.path.clone(),
                default: None,
                generated: None,
            },
            serial,
            constraints: Vec::new(),
            position: (def.name.span.start.line, def.name.span.start.column),
            inherited: false,
            sequence_name: None,
        };
        for option in &def.options {
            self.column_option(&mut build, option.name.as_ref(), &option.option)?;
        }
        if serial {
            build.column.not_null = true;
        }
        Ok(build)
    }

    /// The canonical text of a declared type, and whether it was a `serial` type. A type
    /// canon cannot render keeps its written spelling, with a note: losing the whole
    /// statement for one exotic type would be worse.
    pub(crate) fn column_type(
        &mut self,
        table: &QualifiedName,
        data_type: &DataType,
    ) -> ReplayResult<(String, bool)> {
        let result = {
            let scope = self.state.scope(&self.path, Some(table), &[]);
            canon::data_type(data_type, &scope)
        };
        match result {
            Ok(canon) => Ok((canon.text, canon.serial)),
            Err(e) => {
                let written = data_type.to_string().to_lowercase();
                self.note(
                    NoteKind::Info,
                    format!("type {written} kept as written: {}", e.message),
                );
                Ok((written, false))
            }
        }
    }

    fn column_option(
        &self,
        build: &mut ColumnBuild,
        name: Option<&Ident>,
        option: &ColumnOption,
    ) -> ReplayResult<()> {
        let column = build.column.name.clone();
        match option {
            ColumnOption::Null => build.column.not_null = false,
            ColumnOption::NotNull => build.column.not_null = true,
            // Whether the default is stored at all (`DEFAULT NULL` on `text` is not, on
            // `varchar(50)` it is) is decided when it is rendered (`canon::column_default`).
            ColumnOption::Default(expr) => {
                build.src.default = Some(ExprSrc::new(expr.clone(), self.path.clone()));
            }
            ColumnOption::Collation(collation) => {
                let text = collation_text(collation);
                build.column.collation = (text != "default").then_some(text);
            }
            ColumnOption::Generated {
                generated_as,
                generation_expr: None,
                ..
            } => {
                build.column.identity = Some(match generated_as {
                    GeneratedAs::ByDefault => Identity::ByDefault,
                    _ => Identity::Always,
                });
                build.column.not_null = true;
            }
            ColumnOption::Generated {
                generation_expr: Some(expr),
                generation_expr_mode,
                ..
            } => {
                // PostgreSQL 18 made VIRTUAL the default; before it STORED was mandatory.
                let stored = match generation_expr_mode {
                    Some(GeneratedExpressionMode::Stored) => true,
                    Some(GeneratedExpressionMode::Virtual) => false,
                    None => self.state.version.major() < 18,
                };
                build.column.generated = Some(Generated {
                    expression: String::new(),
                    stored,
                });
                build.src.generated = Some(ExprSrc::new(expr.clone(), self.path.clone()));
            }
            ColumnOption::PrimaryKey(_)
            | ColumnOption::Unique(_)
            | ColumnOption::ForeignKey(_)
            | ColumnOption::Check(_) => {
                if let Some(pending) = Pending::from_column_option(&column, name, option)? {
                    build.constraints.push(pending);
                }
            }
            ColumnOption::Comment(_) | ColumnOption::Options(_) => {}
            other => {
                return Err(Fail::new(format!(
                    "column option {other} is not PostgreSQL syntax pgdrift knows"
                )))
            }
        }
        Ok(())
    }

    /// Render a built column's default and generated expressions (`columns` is the whole
    /// table, for generated expressions that use other columns).
    pub(crate) fn render_column_exprs(
        &self,
        table: &QualifiedName,
        build: &mut ColumnBuild,
        columns: &[Column],
    ) {
        if let Some(src) = &build.src.default {
            build.column.default =
                self.state
                    .render_default(Some(table), columns, src, &build.column.data_type);
        }
        if let (Some(src), Some(generated)) = (&build.src.generated, &mut build.column.generated) {
            generated.expression =
                self.state
                    .render_generated(Some(table), columns, src, &build.column.data_type);
        }
    }

    /// The sequence a serial or identity column gets: `ChooseRelationName(table, column,
    /// "seq")`, owned by the column. Returns its name.
    pub(crate) fn create_owned_sequence(
        &mut self,
        table: &QualifiedName,
        column: &str,
    ) -> QualifiedName {
        let schema = table.schema.clone();
        let name = choose_name(&table.name, Some(column), "seq", |n| {
            self.state.relation_taken(&schema, n)
        });
        let qn = QualifiedName::new(schema, name);
        self.state.relations.insert(qn.clone());
        self.state.sequences.insert(
            qn.clone(),
            SequenceState {
                owned_by: Some((table.clone(), column.to_string())),
            },
        );
        qn
    }

    /// A sequence given by `SEQUENCE NAME` for an identity column (unqualified: the
    /// creation schema, as `generateSerialExtraStmts` chooses it).
    pub(crate) fn create_named_sequence(
        &mut self,
        table: &QualifiedName,
        column: &str,
        name: &sqlparser::ast::ObjectName,
    ) -> ReplayResult<QualifiedName> {
        let qn = self.state.creation_name(name, &self.path)?;
        if self.state.relation_taken(&qn.schema, &qn.name) {
            return Err(Fail::new(format!(
                "relation \"{}\" already exists",
                qn.name
            )));
        }
        self.state.relations.insert(qn.clone());
        self.state.sequences.insert(
            qn.clone(),
            SequenceState {
                owned_by: Some((table.clone(), column.to_string())),
            },
        );
        Ok(qn)
    }

    /// A serial column's default: `nextval('schema.seq'::regclass)` through canon.
    pub(crate) fn serial_default(
        &self,
        table: &QualifiedName,
        sequence: &QualifiedName,
        column_type: &str,
    ) -> (ExprSrc, String) {
        let literal = crate::model::quote_literal(&sequence.quoted(self.state.version));
        let text = format!("nextval({literal}::regclass)");
        let expr = parse_expr(&text)
            .unwrap_or_else(|_| sqlparser::ast::Expr::Identifier(Ident::new("nextval")));
        let src = ExprSrc::new(expr, self.path.clone());
        let rendered = self
            .state
            .render_default(Some(table), &[], &src, column_type)
            .unwrap_or(text);
        (src, rendered)
    }
}
