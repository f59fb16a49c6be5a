//! `pgdrift inspect SRC`: the model pgdrift reads from a source, the order it applied files
//! in, what it skipped, and its notes — as YAML (the snapshot format) or JSON.

use std::io::Write;

use crate::ddl::SourcePlan;
use crate::model::PgVersion;
use crate::yaml::{self, SnapshotMeta};

use super::args::{InspectArgs, InspectFormat};
use super::output::{self, ExitStatus};
use super::plan::SourceSpec;
use super::progress::Progress;
use super::source;
use super::{live_options, print_error};

pub async fn run(args: InspectArgs) -> ExitStatus {
    let spec = SourceSpec::classify(&args.source);
    let (loaded, plan, meta) = match &spec {
        SourceSpec::Database(raw) => {
            let progress = Progress::start("reading the database…".into());
            let read = source::read_live(raw, &live_options(&args.read)).await;
            progress.finish();
            match read {
                Ok(read) => {
                    let meta = SnapshotMeta {
                        source: Some(read.display.clone()),
                        server_version_num: read.server_version_num,
                        generated_at: None,
                    };
                    (read.loaded, None, meta)
                }
                Err(e) => {
                    print_error(&e);
                    return ExitStatus::Trouble;
                }
            }
        }
        SourceSpec::Path(path) => {
            let version = args.read.pg_version.map(PgVersion).unwrap_or_default();
            match source::read_static(path, version, &args.read.schemas) {
                Ok(read) => {
                    let meta = SnapshotMeta {
                        source: Some(path.display().to_string()),
                        server_version_num: None,
                        generated_at: None,
                    };
                    (read.loaded, read.plan, meta)
                }
                Err(e) => {
                    print_error(&e);
                    return ExitStatus::Trouble;
                }
            }
        }
    };
    let written = output::write_with(args.out.as_deref(), |w| match args.format {
        InspectFormat::Yaml => {
            if let Some(plan) = &plan {
                write_plan_comment(w, plan)?;
            }
            w.write_all(yaml::write(&loaded, &meta).as_bytes())
        }
        InspectFormat::Json => {
            let order = plan.as_ref().map(plan_json);
            yaml::write_json(&loaded, &meta, order.as_ref(), w)?;
            writeln!(w)
        }
    });
    // The process ends right after: freeing the model's many small allocations one by one
    // would cost more than writing it did.
    std::mem::forget(loaded);
    match written {
        Ok(()) => ExitStatus::Success,
        Err(e) => {
            print_error(&format!("cannot write the model: {e}"));
            ExitStatus::Trouble
        }
    }
}

/// The apply order as YAML comments above the model.
fn write_plan_comment(w: &mut dyn Write, plan: &SourcePlan) -> std::io::Result<()> {
    writeln!(w, "# layout: {}", plan.layout)?;
    writeln!(w, "# apply order:")?;
    for (i, file) in plan.sql.iter().enumerate() {
        writeln!(w, "#   {:>3}. {}", i + 1, file.display)?;
    }
    for path in &plan.yaml {
        writeln!(w, "#   yaml {}", path.display())?;
    }
    for skipped in &plan.skipped {
        writeln!(w, "#   skipped {} ({})", skipped.display, skipped.reason)?;
    }
    Ok(())
}

fn plan_json(plan: &SourcePlan) -> serde_json::Value {
    serde_json::json!({
        "layout": plan.layout,
        "sql": plan.sql.iter().map(|f| serde_json::json!({"file": f.display, "key": f.order_key})).collect::<Vec<_>>(),
        "yaml": plan.yaml.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "skipped": plan.skipped.iter().map(|s| serde_json::json!({"file": s.display, "reason": s.reason})).collect::<Vec<_>>(),
    })
}
