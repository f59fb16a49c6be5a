//! `pgdrift verify`: run every verification query of an audit against the environments and
//! confirm each answer agrees with the audit — `ok = false` where drift is reported, `true`
//! where the object matches. A disagreement is a bug in pgdrift and is reported as one.

use std::collections::BTreeMap;

use crate::catalog::{self, ConnSettings, SystemEnv};
use crate::report::sql::verify::{checks, Check};

use super::args::VerifyArgs;
use super::compare::{self, Built, Comparison};
use super::output::ExitStatus;
use super::plan::{self, SourceSpec};
use super::{live_options, print_error};

/// What one check returned.
enum Answer {
    Agrees,
    Disagrees(Option<bool>),
    Failed(String),
}

pub async fn run(args: VerifyArgs) -> ExitStatus {
    let environments = match plan::parse_envs(&args.envs) {
        Ok(envs) => envs,
        Err(e) => {
            print_error(&e);
            return ExitStatus::Trouble;
        }
    };
    if let Some(env) = environments.iter().find(|e| !e.source.is_database()) {
        print_error(&format!(
            "{}: verify runs queries, so every --env must be a database",
            env.name
        ));
        return ExitStatus::Trouble;
    }
    let comparison = Comparison {
        expected: SourceSpec::classify(&args.expected),
        environments: environments.clone(),
        read: args.read.clone(),
    };
    let Built { audit, mut trouble } = match compare::build(&comparison).await {
        Ok(built) => built,
        Err(status) => return status,
    };
    let mut by_env: BTreeMap<String, Vec<Check>> = BTreeMap::new();
    for check in checks(&audit) {
        by_env
            .entry(check.environment.clone())
            .or_default()
            .push(check);
    }
    let live = live_options(&args.read);
    let mut disagreements = 0;
    for env in &audit.environments {
        let Some(spec) = environments.iter().find(|e| e.name == env.name) else {
            continue;
        };
        let SourceSpec::Database(raw) = &spec.source else {
            continue;
        };
        let env_checks = by_env.remove(&env.name).unwrap_or_default();
        let session = match ConnSettings::parse(raw, &SystemEnv) {
            Ok(mut settings) => {
                if settings.connect_timeout.is_none() {
                    settings.connect_timeout = Some(live.connect_timeout);
                }
                catalog::connect(&settings, &live.connect).await
            }
            Err(e) => Err(e.into()),
        };
        let session = match session {
            Ok(session) => session,
            Err(e) => {
                print_error(&format!("{}: {e}", env.name));
                trouble = true;
                continue;
            }
        };
        let mut agreeing = 0;
        for check in &env_checks {
            let answer = match session.query_rows(&check.sql).await {
                Ok(rows) => {
                    let ok = rows
                        .columns
                        .iter()
                        .position(|c| c == "ok")
                        .and_then(|i| rows.rows.first().and_then(|r| r.get(i).cloned()))
                        .flatten()
                        .map(|v| v == "t");
                    if ok == Some(check.expect_ok) {
                        Answer::Agrees
                    } else {
                        Answer::Disagrees(ok)
                    }
                }
                Err(e) => Answer::Failed(e.to_string()),
            };
            match answer {
                Answer::Agrees => agreeing += 1,
                Answer::Disagrees(got) => {
                    disagreements += 1;
                    let got = match got {
                        Some(true) => "true",
                        Some(false) => "false",
                        None => "no answer",
                    };
                    println!(
                        "✗ {}: {} — the audit expects ok = {}, the query says {got}. This is a bug in \
                         pgdrift; please report it with this query:\n{}\n",
                        env.name, check.label, check.expect_ok, check.sql
                    );
                }
                Answer::Failed(message) => {
                    disagreements += 1;
                    println!(
                        "✗ {}: {} — the verification query failed ({message}). This is a bug in \
                         pgdrift; please report it with this query:\n{}\n",
                        env.name, check.label, check.sql
                    );
                }
            }
        }
        println!(
            "{} {}: {agreeing} of {} checks agree with the audit",
            if agreeing == env_checks.len() {
                "✓"
            } else {
                "✗"
            },
            env.name,
            env_checks.len()
        );
    }
    if trouble {
        ExitStatus::Trouble
    } else if disagreements > 0 {
        ExitStatus::Drift
    } else {
        ExitStatus::Success
    }
}
