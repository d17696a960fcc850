//! The client runner: checks a privacy tool against generated worlds. For each case a world is
//! generated from the seed, seeded into a fresh account, the tool runs against it, and the
//! verifier ([`crate::verify`]) judges the result. A failing world is shrunk by proptest to the
//! smallest world that still fails, and reported with its verdicts ([`Failure`]).
//!
//! Case `k` of seed `s` is always the same world: each case draws from its own ChaCha RNG
//! seeded from `(s, k)` ([`world_for_case`]), whatever the other cases did.
//!
//! ```no_run
//! use zendesk_conformance::client_run::{ClientConfig, Session};
//! use zendesk_conformance::verify::Task;
//!
//! let config = ClientConfig { task: Task::Erase, cases: 20, seed: 7, ..ClientConfig::default() };
//! let session = Session::start(None).expect("an in-process mock");
//! match session.verify_command(&config, "python3 tests/clients/erase_correct.py") {
//!     Ok(summary) => println!("{summary}"),
//!     Err(failure) => eprintln!("{failure}"),
//! }
//! ```

mod case;
mod command;
mod report;

pub use case::CaseResult;
pub use command::ToolRun;
pub use report::{Failure, Summary};

use crate::cli::TargetArgs;
use crate::client::Client;
use crate::target::Target;
use crate::verify::{ErasePolicy, Task};
use crate::world::{Sizes, World, WorldSpec};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How to check a tool.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub task: Task,
    /// How many worlds.
    pub cases: u32,
    /// The first case's number (to rerun one failing case: `first_case: k, cases: 1`).
    pub first_case: u32,
    pub seed: u64,
    /// How long the tool may take on one world.
    pub timeout: Duration,
    pub sizes: Sizes,
    pub policy: ErasePolicy,
    /// Answer each world's first request to a user with 429 `Retry-After: 1` (costs a second
    /// per world with a tool that waits, as it should).
    pub throttle: bool,
    /// Shrinking budget: proptest steps (a step whose world was judged before costs no tool
    /// run) and time.
    pub max_shrink_iters: u32,
    pub max_shrink_time: Duration,
    /// Print a line per world on standard error (the command line does).
    pub progress: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            task: Task::Erase,
            cases: 20,
            first_case: 0,
            seed: 0,
            timeout: Duration::from_secs(60),
            sizes: Sizes::default(),
            policy: ErasePolicy::Permanent,
            throttle: false,
            // A Python tool takes about half a second a world: a few minutes at most.
            max_shrink_iters: 1024,
            max_shrink_time: Duration::from_secs(300),
            progress: false,
        }
    }
}

/// What the tool gets: the account, the subject, and where to write an export. A command gets
/// these as environment variables ([`Self::vars`]).
#[derive(Debug, Clone)]
pub struct ToolEnv {
    /// `ZENDESK_URL`: the server's origin, `http://127.0.0.1:PORT`.
    pub url: String,
    /// `ZENDESK_EMAIL`: an admin of the account.
    pub email: String,
    /// `ZENDESK_TOKEN`: the account's API token.
    pub token: String,
    /// `SUBJECT_EMAIL`: the subject's primary email.
    pub subject_email: String,
    /// `SUBJECT_ID`: the subject's user id.
    pub subject_id: i64,
    /// `EXPORT_PATH` (export task): where to write the export as JSON.
    pub export_path: Option<PathBuf>,
    /// A typed client acting as that admin, for tools written in Rust.
    pub client: Client,
}

impl ToolEnv {
    /// The environment variables a command gets.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        let mut vars = vec![
            ("ZENDESK_URL", self.url.clone()),
            ("ZENDESK_EMAIL", self.email.clone()),
            ("ZENDESK_TOKEN", self.token.clone()),
            ("SUBJECT_EMAIL", self.subject_email.clone()),
            ("SUBJECT_ID", self.subject_id.to_string()),
        ];
        if let Some(path) = &self.export_path {
            vars.push(("EXPORT_PATH", path.display().to_string()));
        }
        vars
    }
}

/// The 32-byte ChaCha seed of case `case` of seed `seed` (SplitMix64 over both).
fn case_rng(seed: u64, case: u32) -> TestRng {
    let mut state = seed ^ (u64::from(case).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut bytes = Vec::with_capacity(32);
    for _ in 0..4 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        bytes.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

fn runner(config: &ClientConfig, case: u32) -> TestRunner {
    let proptest = Config {
        cases: 1,
        max_shrink_iters: config.max_shrink_iters,
        max_shrink_time: u32::try_from(config.max_shrink_time.as_millis()).unwrap_or(u32::MAX),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(proptest, case_rng(config.seed, case))
}

/// The world spec case `case` of `seed` generates, as the runner would.
pub fn spec_for_case(seed: u64, case: u32, sizes: Sizes) -> WorldSpec {
    let config = ClientConfig {
        seed,
        ..ClientConfig::default()
    };
    let mut runner = runner(&config, case);
    WorldSpec::strategy(sizes)
        .new_tree(&mut runner)
        .map(|tree| tree.current())
        .unwrap_or_else(|_| unreachable!("world strategies never reject"))
}

/// The world case `case` of `seed` generates.
pub fn world_for_case(seed: u64, case: u32, sizes: Sizes) -> World {
    World::build(&spec_for_case(seed, case, sizes))
}

/// Why [`verify_tool`] did not pass.
#[derive(Debug)]
pub enum ToolCheckError {
    /// No in-process mock could be started.
    Setup(String),
    /// A world failed: the shrunk world and its verdicts.
    Failed(Box<Failure>),
}

impl std::fmt::Display for ToolCheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Setup(message) => f.write_str(message),
            Self::Failed(failure) => failure.fmt(f),
        }
    }
}

/// Checks a tool written in Rust on an in-process mock: `config.cases` worlds of
/// `config.task`, each given to `tool` as a [`ToolEnv`]; the first failure shrunk. Call it
/// from synchronous code (a `#[test]`, not a `#[tokio::test]`): it runs its own runtime.
///
/// ```no_run
/// use zendesk_conformance::client_run::{ClientConfig, verify_tool};
/// use zendesk_conformance::verify::Task;
///
/// let config = ClientConfig { task: Task::Suspend, cases: 10, ..ClientConfig::default() };
/// let outcome = verify_tool(&config, async |env| {
///     let reply = env.client.update_user(env.subject_id, serde_json::json!({"suspended": true}));
///     reply.await.map(|_| ()).map_err(|e| e.to_string())
/// });
/// if let Err(failure) = outcome {
///     panic!("{failure}");
/// }
/// ```
pub fn verify_tool<F>(config: &ClientConfig, tool: F) -> Result<Summary, ToolCheckError>
where
    F: AsyncFn(&ToolEnv) -> Result<(), String>,
{
    Session::start(None)
        .map_err(ToolCheckError::Setup)?
        .verify_tool(config, tool)
        .map_err(ToolCheckError::Failed)
}

/// A target and the runtime it (and the tool's checks) run on.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    target: Target,
}

impl Session {
    /// A session on `target` (flags naming a running zendesk-mock), or on a mock started in
    /// this process. The target must have the mock's control API: worlds need fresh accounts.
    pub fn start(target: Option<&TargetArgs>) -> Result<Self, String> {
        let runtime = crate::cli::runtime().map_err(|e| format!("cannot start a runtime: {e}"))?;
        let target = match target {
            Some(args) if args.url.is_some() => runtime.block_on(args.resolve())?,
            _ => runtime.block_on(Target::in_process()),
        };
        if !target.control {
            return Err(format!(
                "{} has no /__mock control API: checking a tool needs zendesk-mock (fresh \
                 accounts, seeding, residue)",
                target.base_url
            ));
        }
        Ok(Self { runtime, target })
    }

    /// The target worlds are seeded into.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Checks a shell command (`sh -c`), run with [`ToolEnv::vars`] in its environment.
    pub fn verify_command(
        &self,
        config: &ClientConfig,
        command: &str,
    ) -> Result<Summary, Box<Failure>> {
        self.run(config, async |env: &ToolEnv| {
            command::run_command(command, env, config.timeout).await
        })
    }

    /// Checks a Rust closure: it gets the [`ToolEnv`] (with a typed client) and answers `Ok`
    /// when it has finished, or why it could not.
    pub fn verify_tool<F>(&self, config: &ClientConfig, tool: F) -> Result<Summary, Box<Failure>>
    where
        F: AsyncFn(&ToolEnv) -> Result<(), String>,
    {
        self.run(config, async |env: &ToolEnv| {
            command::run_closure(&tool, env, config.timeout).await
        })
    }

    /// Runs one case's world and judges it.
    pub fn run_world<F>(
        &self,
        config: &ClientConfig,
        world: &World,
        tool: &F,
    ) -> Result<CaseResult, String>
    where
        F: AsyncFn(&ToolEnv) -> ToolRun,
    {
        self.runtime
            .block_on(case::run_case(&self.target, config, world, tool))
            .map_err(|e| format!("could not set the world up: {e}"))
    }

    fn run<F>(&self, config: &ClientConfig, tool: F) -> Result<Summary, Box<Failure>>
    where
        F: AsyncFn(&ToolEnv) -> ToolRun,
    {
        let started = Instant::now();
        let strategy = WorldSpec::strategy(config.sizes);
        for case in config.first_case..config.first_case.saturating_add(config.cases) {
            let mut runner = runner(config, case);
            let tree = strategy
                .new_tree(&mut runner)
                .unwrap_or_else(|_| unreachable!("world strategies never reject"));
            let original = World::build(&tree.current());
            // Shrinking often changes only what does not show in the world (an index past the
            // end of a short list): each distinct world runs the tool once.
            let judged: RefCell<HashMap<String, Result<CaseResult, String>>> = RefCell::default();
            let outcome = runner.run_one(tree, |spec| {
                let world = World::build(&spec);
                let key = world.to_seed().to_string();
                let known = judged.borrow().get(&key).cloned();
                let result = known.unwrap_or_else(|| {
                    let result = self.run_world(config, &world, &tool);
                    judged.borrow_mut().insert(key, result.clone());
                    result
                });
                match result {
                    Ok(result) if result.passed() => Ok(()),
                    Ok(result) => Err(TestCaseError::fail(result.summary())),
                    Err(setup) => Err(TestCaseError::fail(setup)),
                }
            });
            let (reason, spec) = match outcome {
                Ok(_) => {
                    if config.progress {
                        eprintln!("case {case}: passed ({} entities)", original.size());
                    }
                    continue;
                }
                Err(TestError::Fail(reason, spec)) => (reason.message().to_owned(), spec),
                Err(TestError::Abort(reason)) => (
                    reason.message().to_owned(),
                    spec_for_case(config.seed, case, config.sizes),
                ),
            };
            let world = World::build(&spec);
            let judged = judged.into_inner();
            let runs = u32::try_from(judged.len()).unwrap_or(u32::MAX);
            let result = judged
                .get(&world.to_seed().to_string())
                .and_then(|r| r.clone().ok())
                .filter(|r| !r.passed());
            return Err(Box::new(Failure {
                task: config.task,
                seed: config.seed,
                case,
                original_size: original.size(),
                world,
                result,
                reason,
                runs,
            }));
        }
        Ok(Summary {
            task: config.task,
            cases: config.cases,
            seed: config.seed,
            took: started.elapsed(),
        })
    }
}
