//! `zendesk-conformance check`: runs the documented-rule checks, a progress line per check on
//! standard error, the summary on standard output, and optional JSON and JUnit reports.
//! Exit code 0 when nothing failed, 1 when a check failed, 2 when the run could not start.

use super::TargetArgs;
use super::output::ReportArgs;
use crate::checks::{self, Check};
use crate::report::text;
use crate::runner::{self, RunOptions};
use std::process::ExitCode;

/// Flags of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Run only the checks whose name contains this text (e.g. `users.delete`, `redact`).
    #[arg(long)]
    pub filter: Option<String>,
    /// Stop at the first failing check.
    #[arg(long)]
    pub fail_fast: bool,
    #[command(flatten)]
    pub report: ReportArgs,
    /// List the checks (name, provenance, rule) and exit.
    #[arg(long)]
    pub list: bool,
}

/// Runs `check`.
pub fn run(args: Args) -> ExitCode {
    let selected = checks::matching(args.filter.as_deref());
    if args.list {
        for check in &selected {
            println!("{:<58} {:<10} {}", check.name, check.provenance, check.rule);
        }
        return ExitCode::SUCCESS;
    }
    if selected.is_empty() {
        eprintln!(
            "no check matches --filter {:?}",
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
    runtime.block_on(run_checks(&args, &selected))
}

async fn run_checks(args: &Args, selected: &[Check]) -> ExitCode {
    let target = match args.target.resolve().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let kind = match (target.server().is_some(), target.control) {
        (true, _) => "an in-process zendesk-mock",
        (false, true) => "zendesk-mock, with its control API",
        (false, false) => "a server without the control API (checks needing it skip)",
    };
    eprintln!(
        "running {} check(s) against {} ({kind})",
        selected.len(),
        target.base_url
    );
    let options = RunOptions {
        fail_fast: args.fail_fast,
        ..RunOptions::default()
    };
    let mut progress = text::TextProgress::new(std::io::stderr());
    let report = runner::run(&target, selected, &options, &mut progress).await;
    args.report.finish(&report)
}
