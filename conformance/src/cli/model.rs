//! `zendesk-conformance model`: model-based testing. Random operation sequences run against
//! the reference model and the target; a disagreement shrinks to a minimal sequence, printed
//! as readable steps. The summary goes to standard output. Exit code 0 when every sequence
//! agreed (or the target has no control API, so nothing could run: reported as SKIPPED), 1 on
//! a disagreement, 2 when the run could not start or was aborted.

use super::TargetArgs;
use crate::model::{self, ModelConfig, Verdict};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Flags of `model`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: TargetArgs,
    /// How many random sequences to run (each on a fresh account; about 30 ms apiece on a
    /// local debug-built mock).
    #[arg(long, default_value_t = 1024)]
    pub cases: u32,
    /// The RNG seed; the report prints the one used, so a run can be replayed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The longest sequence, in steps.
    #[arg(long, default_value_t = 30)]
    pub max_steps: usize,
    /// A proptest regressions file: failing seeds are saved there and replayed first.
    #[arg(long, value_name = "FILE")]
    pub regressions: Option<PathBuf>,
    /// Stop shrinking a failure after this many seconds.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub max_shrink_time: u64,
    /// Also print how often each operation met each expected response.
    #[arg(long)]
    pub coverage: bool,
}

/// Runs `model`.
pub fn run(args: Args) -> ExitCode {
    let runtime = match super::runtime() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(run_model(&args))
}

async fn run_model(args: &Args) -> ExitCode {
    let target = match args.target.resolve().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let kind = if target.server().is_some() {
        "an in-process zendesk-mock"
    } else {
        "zendesk-mock"
    };
    eprintln!(
        "running the model: {} sequence(s) of up to {} step(s) against {} ({kind})",
        args.cases, args.max_steps, target.base_url
    );
    let config = ModelConfig {
        cases: args.cases,
        seed: args.seed,
        max_steps: args.max_steps,
        regressions: args.regressions.clone(),
        max_shrink_time: Duration::from_secs(args.max_shrink_time),
        ..ModelConfig::default()
    };
    let report = model::run(&target, &config).await;
    print!("{report}");
    if args.coverage {
        print!(
            "coverage (operation: expected response × count):\n{}",
            report.coverage_table()
        );
    }
    match report.verdict {
        Verdict::Passed | Verdict::Skipped(_) => ExitCode::SUCCESS,
        Verdict::Failed(_) => ExitCode::FAILURE,
        Verdict::Aborted(_) => ExitCode::from(2),
    }
}
