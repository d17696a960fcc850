//! Scenarios: declarative YAML stories of Zendesk's privacy workflows — a world, then steps
//! (a request, the expected status, assertions over JSON paths, captures reused as
//! `{{var}}`), then what may remain of the subject (residue). `scenarios/README.md` at the
//! workspace root is the cookbook; `scenarios/*.yaml` cover each obligation of the guide.
//!
//! In reading order: [`format`](mod@format) (the file format, as serde types), [`validate`]
//! (checks before running), [`jsonpath`] and [`template`] (the two small languages inside a
//! file), [`assert`](mod@assert) (expectations against an answer), [`runner`] (one scenario
//! against a target), [`error`] (failures that name the file and the step). This module finds
//! files ([`discover`]), reads them ([`load`]) and runs them into a [`Report`] ([`run_all`]),
//! which the report module renders like a `check` run — one test case per scenario.
//!
//! ```no_run
//! # async fn example() {
//! use zendesk_conformance::Target;
//! use zendesk_conformance::scenario::{self, Scenario};
//!
//! let target = Target::in_process().await;
//! let scenario = Scenario::load("scenarios/erasure_blocked.yaml".as_ref()).unwrap();
//! if let Err(failure) = scenario::runner::run(&target, &scenario).await {
//!     panic!("{failure}"); // scenarios/erasure_blocked.yaml: step 3 "...": expected status 422, got 200 …
//! }
//! # }
//! ```

pub mod assert;
pub mod error;
pub mod format;
pub mod jsonpath;
pub mod runner;
pub mod template;
pub mod validate;

pub use error::{At, ScenarioError};
pub use format::{Obligation, Scenario};

use crate::checks::Provenance;
use crate::runner::{CheckResult, Progress, Report, Status};
use crate::target::Target;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The file extensions of scenario files.
pub const EXTENSIONS: [&str; 2] = ["yaml", "yml"];

/// How long one scenario may take.
pub const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);

/// The scenario files `paths` name: a file as given, a directory's `*.yaml` and `*.yml` files
/// (not its subdirectories), each directory's sorted by name. A path that does not exist,
/// or a directory without scenarios, is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_scenario_file(p))
                .collect();
            if found.is_empty() {
                return Err(format!("no *.yaml scenario in {}", path.display()));
            }
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(format!("{}: no such file or directory", path.display()));
        }
    }
    Ok(files)
}

fn is_scenario_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
}

/// A scenario file, read or not.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file name without extension: the scenario's name in reports and test lists.
    pub id: String,
    /// The scenario, or why the file could not be read.
    pub scenario: Result<Scenario, ScenarioError>,
}

/// Reads each file (an unreadable one is kept, with its error, to be reported as failed).
pub fn load(files: &[PathBuf]) -> Vec<Loaded> {
    files
        .iter()
        .map(|file| Loaded {
            id: format::stem(file),
            scenario: Scenario::load(file),
        })
        .collect()
}

/// Runs `scenarios` in order against `target` into a report (one result per scenario, named
/// `scenario.<id>`); a file that could not be read fails, naming its error.
pub async fn run_all(
    target: &Target,
    scenarios: &[Loaded],
    fail_fast: bool,
    progress: &mut dyn Progress,
) -> Report {
    let started = Instant::now();
    let started_at = crate::runner::timestamp();
    let mut results = Vec::with_capacity(scenarios.len());
    let mut stopped = false;
    for (index, loaded) in scenarios.iter().enumerate() {
        let clock = Instant::now();
        let (status, message) = if stopped {
            (
                Status::Skipped,
                Some("not run: an earlier scenario failed (--fail-fast)".to_owned()),
            )
        } else if !target.control {
            (
                Status::Skipped,
                Some("needs the mock's control API".to_owned()),
            )
        } else {
            match run_loaded(target, loaded).await {
                Ok(()) => (Status::Passed, None),
                Err(message) => (Status::Failed, Some(message)),
            }
        };
        let result = CheckResult {
            name: format!("scenario.{}", loaded.id),
            rule: loaded.scenario.as_ref().map_or_else(
                |_| "(unreadable scenario file)".to_owned(),
                |s| s.name.clone(),
            ),
            provenance: Provenance::Documented,
            source: loaded
                .scenario
                .as_ref()
                .map_or_else(|e| e.file.clone(), |s| s.source.clone()),
            status,
            message,
            seconds: clock.elapsed().as_secs_f64(),
        };
        stopped |= fail_fast && status == Status::Failed;
        progress.finished(index, scenarios.len(), &result);
        results.push(result);
    }
    Report {
        target: target.base_url.clone(),
        control: target.control,
        started_at,
        seconds: started.elapsed().as_secs_f64(),
        results,
    }
}

async fn run_loaded(target: &Target, loaded: &Loaded) -> Result<(), String> {
    let scenario = loaded.scenario.as_ref().map_err(ToString::to_string)?;
    tokio::time::timeout(SCENARIO_TIMEOUT, runner::run(target, scenario))
        .await
        .map_err(|_| format!("{}: timed out after {SCENARIO_TIMEOUT:?}", scenario.file))?
        .map_err(|e| e.to_string())
}
