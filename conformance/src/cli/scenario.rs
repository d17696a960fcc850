//! `zendesk-conformance scenario [PATHS...]`: runs scenario files (default `scenarios/`)
//! against a target, a progress line per scenario on standard error, the summary on standard
//! output, and optional JSON and JUnit reports (a scenario is a test case). Exit code 0 when
//! every scenario passed, 1 when one failed (or could not be read), 2 when the run could not
//! start.

use super::TargetArgs;
use super::output::ReportArgs;
use crate::report::text;
use crate::scenario::{self, Loaded};
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `scenario`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files, or directories whose `*.yaml` files are scenarios.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Run only the scenarios whose file name or `name` contains this text (e.g. `erasure`).
    #[arg(long)]
    pub filter: Option<String>,
    /// Stop at the first failing scenario.
    #[arg(long)]
    pub fail_fast: bool,
    #[command(flatten)]
    pub report: ReportArgs,
    /// List the scenarios (file name, obligation, name) and exit.
    #[arg(long)]
    pub list: bool,
}

/// Runs `scenario`.
pub fn run(args: Args) -> ExitCode {
    let files = match scenario::discover(&args.paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let selected: Vec<Loaded> = scenario::load(&files)
        .into_iter()
        .filter(|loaded| matches(loaded, args.filter.as_deref()))
        .collect();
    if args.list {
        return list(&selected);
    }
    if selected.is_empty() {
        eprintln!(
            "no scenario matches --filter {:?}",
            args.filter.unwrap_or_default()
        );
        return ExitCode::from(2);
    }
    let runtime = match super::runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run_scenarios(&args, &selected))
}

/// Whether a scenario passes `--filter`: its file name or its `name` contains the text.
fn matches(loaded: &Loaded, filter: Option<&str>) -> bool {
    let Some(filter) = filter else {
        return true;
    };
    loaded.id.contains(filter)
        || loaded
            .scenario
            .as_ref()
            .is_ok_and(|s| s.name.contains(filter))
}

fn list(selected: &[Loaded]) -> ExitCode {
    let mut readable = true;
    for loaded in selected {
        match &loaded.scenario {
            Ok(s) => println!("{:<28} {:<14} {}", loaded.id, s.obligation, s.name),
            Err(e) => {
                readable = false;
                println!("{:<28} {:<14} {e}", loaded.id, "UNREADABLE");
            }
        }
    }
    if readable {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run_scenarios(args: &Args, selected: &[Loaded]) -> ExitCode {
    let target = match args.target.resolve().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if !target.control {
        eprintln!(
            "{} has no control API (or --no-control was given): scenarios need it for a fresh \
             account and their world",
            target.base_url
        );
        return ExitCode::from(2);
    }
    eprintln!(
        "running {} scenario(s) against {}",
        selected.len(),
        target.base_url
    );
    let mut progress = text::TextProgress::new(std::io::stderr());
    let report = scenario::run_all(&target, selected, args.fail_fast, &mut progress).await;
    args.report.finish(&report)
}
