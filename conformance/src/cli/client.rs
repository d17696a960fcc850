//! `zendesk-conformance client`: checks a privacy tool (the client of the API) on generated
//! worlds — `--cmd` is run once per world with `ZENDESK_URL`, `ZENDESK_EMAIL`,
//! `ZENDESK_TOKEN`, `SUBJECT_EMAIL`, `SUBJECT_ID` (and `EXPORT_PATH` for `--task export`) in
//! its environment, against a fresh account of an in-process mock or a `--target` mock.
//! A failure is shrunk to the smallest world that still fails and printed with its verdicts
//! and its seed file. Exit code 0 when every world passed, 1 on a failure, 2 when the run
//! could not start. `--print-world` prints the worlds' seed files instead.

use super::TargetArgs;
use crate::client_run::{ClientConfig, Session, world_for_case};
use crate::verify::{ErasePolicy, Task};
use crate::world::Sizes;
use std::process::ExitCode;
use std::time::Duration;

/// Flags of `client`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tool to check, run with `sh -c` once per world.
    #[arg(long, value_name = "COMMAND", required_unless_present = "print_world")]
    pub cmd: Option<String>,
    /// What the tool is asked to do with the subject.
    #[arg(long, value_enum, default_value = "erase")]
    pub task: Task,
    /// How many worlds.
    #[arg(long, default_value_t = 20)]
    pub cases: u32,
    /// The seed the worlds are generated from (default: from the clock, and printed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only this case of the seed (to reproduce a failure).
    #[arg(long)]
    pub case: Option<u32>,
    /// Seconds the tool may take on one world.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// For `erase`: must the user end permanently deleted, or is a soft delete enough?
    #[arg(long, value_enum, default_value = "permanent")]
    pub policy: ErasePolicy,
    /// Answer each world's first request to a user with 429 and `Retry-After: 1`.
    #[arg(long)]
    pub throttle: bool,
    /// Most tickets in a world.
    #[arg(long, default_value_t = Sizes::default().max_tickets)]
    pub max_tickets: usize,
    /// Most comments on a ticket.
    #[arg(long, default_value_t = Sizes::default().max_comments)]
    pub max_comments: usize,
    /// Most tool runs spent shrinking a failure.
    #[arg(long, default_value_t = ClientConfig::default().max_shrink_iters)]
    pub shrink_iters: u32,
    /// Print each world (readable, on stderr) and its seed file (JSON, on stdout) instead of
    /// running a tool; with `--case K`, only that one.
    #[arg(long)]
    pub print_world: bool,
    #[command(flatten)]
    pub target: TargetArgs,
}

impl Args {
    fn config(&self, seed: u64) -> ClientConfig {
        ClientConfig {
            task: self.task,
            cases: if self.case.is_some() { 1 } else { self.cases },
            first_case: self.case.unwrap_or(0),
            seed,
            timeout: Duration::from_secs(self.timeout),
            sizes: Sizes {
                max_tickets: self.max_tickets,
                max_comments: self.max_comments.max(1),
                ..Sizes::default()
            },
            policy: self.policy,
            throttle: self.throttle,
            max_shrink_iters: self.shrink_iters,
            progress: true,
            ..ClientConfig::default()
        }
    }
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() % 1_000_000)
}

/// Runs `client`.
pub fn run(args: Args) -> ExitCode {
    let seed = args.seed.unwrap_or_else(clock_seed);
    let config = args.config(seed);
    let cases = config.first_case..config.first_case.saturating_add(config.cases);
    if args.print_world {
        for case in cases {
            let world = world_for_case(seed, case, config.sizes);
            eprintln!("# case {case} of seed {seed}\n{world}");
            println!(
                "{}",
                serde_json::to_string_pretty(&world.to_seed()).unwrap_or_default()
            );
        }
        return ExitCode::SUCCESS;
    }
    let Some(command) = &args.cmd else {
        eprintln!("--cmd is required");
        return ExitCode::from(2);
    };
    let session = match Session::start(Some(&args.target)) {
        Ok(session) => session,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "checking `{command}` ({}) on {} world(s) from seed {seed}, against {}",
        config.task.as_str(),
        config.cases,
        session.target().base_url
    );
    match session.verify_command(&config, command) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            println!("{failure}");
            ExitCode::from(1)
        }
    }
}
