//! `pgdrift snapshot URL`: a live database's schema as a canonical YAML snapshot.

use crate::yaml::{self, SnapshotMeta};

use super::args::SnapshotArgs;
use super::output::{self, ExitStatus};
use super::plan::SourceSpec;
use super::progress::Progress;
use super::source::{self, SourceError};
use super::{clock, live_options, print_error};

pub async fn run(args: SnapshotArgs) -> ExitStatus {
    let raw = match SourceSpec::classify(&args.source) {
        SourceSpec::Database(raw) => raw,
        SourceSpec::Path(path) => {
            print_error(&SourceError::NotADatabase(path.display().to_string()));
            return ExitStatus::Trouble;
        }
    };
    let progress = Progress::start("reading the database…".into());
    let read = source::read_live(&raw, &live_options(&args.read)).await;
    progress.finish();
    let read = match read {
        Ok(read) => read,
        Err(e) => {
            print_error(&e);
            return ExitStatus::Trouble;
        }
    };
    let meta = SnapshotMeta {
        source: Some(read.display.clone()),
        server_version_num: read.server_version_num,
        generated_at: Some(clock::now_rfc3339()),
    };
    let text = yaml::write(&read.loaded, &meta);
    match output::write_with(args.out.as_deref(), |w| w.write_all(text.as_bytes())) {
        Ok(()) => ExitStatus::Success,
        Err(e) => {
            print_error(&format!("cannot write the snapshot: {e}"));
            ExitStatus::Trouble
        }
    }
}
