//! Runs generated sequences against the model and a target: each step's response must be one
//! the model allows, and after the sequence the full listings must agree. proptest-state-machine
//! generates and shrinks the sequences; this runner executes them (instead of its
//! `StateMachineTest`, whose static functions cannot carry a target) and keeps the shrinking
//! contract: the shared counter is bumped before each step runs.

use super::machine::sequences;
use super::ops::Op;
use super::report::{Coverage, Disagreement, Failure, ModelReport, StepLine, Verdict};
use super::state::{Model, Rules};
use super::sut::{Clients, Sut, SutError};
use crate::target::Target;
use proptest::test_runner::{
    Config, FileFailurePersistence, RngSeed, TestCaseError, TestError, TestRunner,
};
use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// What a model run does.
#[derive(Debug, Clone)]
pub struct ModelConfig {
    /// Sequences to generate (proptest's `cases`).
    pub cases: u32,
    /// The RNG seed; a fresh one (reported) when `None`.
    pub seed: Option<u64>,
    /// Each sequence has 1 to this many steps.
    pub max_steps: usize,
    /// The model's schedule. Zendesk's unless a test wants a model it knows to be wrong.
    pub rules: Rules,
    /// A proptest regressions file: failing seeds are saved there and replayed first.
    pub regressions: Option<PathBuf>,
    /// Shrinking stops after this many attempts…
    pub max_shrink_iters: u32,
    /// …or this long.
    pub max_shrink_time: Duration,
    /// Runs on each fresh account before its sequence. `None` normally; a test's way into an
    /// in-process server (e.g. to switch one of its rules off and prove the run notices).
    pub on_account: Option<AccountHook>,
}

/// A function given each fresh account's subdomain.
#[derive(Clone)]
pub struct AccountHook(pub Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for AccountHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountHook(..)")
    }
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            cases: 64,
            seed: None,
            max_steps: 30,
            rules: Rules::ZENDESK,
            regressions: None,
            max_shrink_iters: 512,
            max_shrink_time: Duration::from_secs(300),
            on_account: None,
        }
    }
}

/// Runs the model against `target` (which needs the mock's control API: each sequence runs on
/// a fresh account with a frozen clock). Call it from a multi-threaded tokio runtime: the
/// sequences run on a blocking thread, their requests on the caller's runtime — which is also
/// where an in-process target's server runs.
pub async fn run(target: &Target, config: &ModelConfig) -> ModelReport {
    let seed = config.seed.unwrap_or_else(fresh_seed);
    if !target.control {
        return ModelReport {
            seed,
            cases: config.cases,
            sequences_run: 0,
            steps_run: 0,
            elapsed: Duration::ZERO,
            coverage: Coverage::new(),
            verdict: Verdict::Skipped(
                "the model run needs the mock's control API (a fresh account per sequence, a \
                 frozen clock); this target has none"
                    .to_owned(),
            ),
        };
    }
    let (target, config) = (target.clone(), config.clone());
    let handle = Handle::current();
    let blocking =
        tokio::task::spawn_blocking(move || run_blocking(&handle, &target, &config, seed));
    match blocking.await {
        Ok(report) => report,
        Err(e) => ModelReport {
            seed,
            cases: 0,
            sequences_run: 0,
            steps_run: 0,
            elapsed: Duration::ZERO,
            coverage: Coverage::new(),
            verdict: Verdict::Aborted(format!("the model run panicked: {e}")),
        },
    }
}

fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Truncation is fine: any 64 bits of the time make a seed.
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

/// Counts what ran, across shrinking attempts.
#[derive(Default)]
struct Tally {
    sequences: Cell<u64>,
    steps: Cell<u64>,
    coverage: RefCell<Coverage>,
}

fn run_blocking(handle: &Handle, target: &Target, config: &ModelConfig, seed: u64) -> ModelReport {
    let started = Instant::now();
    let persistence = config.regressions.as_ref().map(|path| {
        // proptest takes the path as `&'static str`; one small leak per run.
        let path: &'static str = Box::leak(path.display().to_string().into_boxed_str());
        Box::new(FileFailurePersistence::Direct(path)) as _
    });
    let proptest_config = Config {
        cases: config.cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: persistence,
        max_shrink_iters: config.max_shrink_iters,
        max_shrink_time: u32::try_from(config.max_shrink_time.as_millis()).unwrap_or(u32::MAX),
        ..Config::default()
    };
    let mut runner = TestRunner::new(proptest_config);
    let clients = Clients::new(target);
    let tally = Tally::default();
    let last_failure: RefCell<Option<Failure>> = RefCell::new(None);
    let result = runner.run(
        &sequences(config.rules, 1..=config.max_steps.max(1)),
        |(model, ops, seen)| {
            tally.sequences.set(tally.sequences.get() + 1);
            let hook = config.on_account.as_ref();
            match handle.block_on(run_sequence(
                &clients,
                hook,
                model,
                &ops,
                seen.as_ref(),
                &tally,
            )) {
                Ok(()) => Ok(()),
                Err(failure) => {
                    let message = failure.to_string();
                    *last_failure.borrow_mut() = Some(failure);
                    Err(TestCaseError::fail(message))
                }
            }
        },
    );
    let verdict = match result {
        Ok(()) => Verdict::Passed,
        Err(TestError::Fail(reason, _)) => match last_failure.into_inner() {
            Some(failure) => Verdict::Failed(failure),
            None => Verdict::Aborted(reason.to_string()),
        },
        Err(TestError::Abort(reason)) => Verdict::Aborted(reason.to_string()),
    };
    ModelReport {
        seed,
        cases: config.cases,
        sequences_run: tally.sequences.get(),
        steps_run: tally.steps.get(),
        elapsed: started.elapsed(),
        coverage: tally.coverage.into_inner(),
        verdict,
    }
}

/// One sequence on a fresh account; the account is dropped afterwards whatever happened.
async fn run_sequence(
    clients: &Clients,
    hook: Option<&AccountHook>,
    model: Model,
    ops: &[Op],
    seen: Option<&Arc<AtomicUsize>>,
    tally: &Tally,
) -> Result<(), Failure> {
    let mut sut = Sut::open(clients).await.map_err(|e| Failure {
        steps: Vec::new(),
        disagreement: Disagreement::Target(format!("setting up a fresh account: {e}")),
    })?;
    if let Some(hook) = hook {
        (hook.0)(sut.subdomain());
    }
    let outcome = drive(&mut sut, model, ops, seen, tally).await;
    // A leftover account is harmless (it is the target's memory, not the verdict).
    let _closed = sut.close().await;
    outcome
}

async fn drive(
    sut: &mut Sut,
    mut model: Model,
    ops: &[Op],
    seen: Option<&Arc<AtomicUsize>>,
    tally: &Tally,
) -> Result<(), Failure> {
    let mut steps: Vec<StepLine> = Vec::new();
    let target_failed = |steps: &[StepLine], e: SutError| Failure {
        steps: steps.to_vec(),
        disagreement: Disagreement::Target(e.to_string()),
    };
    for op in ops {
        if let Some(seen) = seen {
            seen.fetch_add(1, Ordering::SeqCst);
        }
        // The strategy only yields sequences whose preconditions hold.
        let Some(step) = op.resolve(&model) else {
            continue;
        };
        let expected = model.apply(&step);
        steps.push(StepLine {
            step: step.to_string(),
            expected: expected.to_string(),
        });
        tally.steps.set(tally.steps.get() + 1);
        *tally
            .coverage
            .borrow_mut()
            .entry(step.kind())
            .or_default()
            .entry(expected.label())
            .or_default() += 1;
        let observed = sut
            .perform(&step)
            .await
            .map_err(|e| target_failed(&steps, e))?;
        if !expected.admits(&observed) {
            return Err(Failure {
                steps,
                disagreement: Disagreement::Response {
                    expected: expected.to_string(),
                    observed: observed.to_string(),
                },
            });
        }
    }
    let observed = sut.listing().await.map_err(|e| target_failed(&steps, e))?;
    let differences = model.listing().differences(&observed);
    if differences.is_empty() {
        Ok(())
    } else {
        Err(Failure {
            steps,
            disagreement: Disagreement::Listing(differences),
        })
    }
}
