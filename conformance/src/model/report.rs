//! What a model run reports: how much ran, and when the target disagreed, the shrunk sequence
//! as readable steps, each with the response the model expects, ending at the disagreement.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// How often each operation got each expected response (shrinking attempts included): what
/// the run really exercised.
pub type Coverage = BTreeMap<&'static str, BTreeMap<String, u64>>;

/// One step of a failing sequence as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    /// The step, e.g. `delete u1`.
    pub step: String,
    /// The response the model expects (and the target gave, for every step before the last).
    pub expected: String,
}

/// Where a sequence went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disagreement {
    /// The response to the last step is not what the model expects.
    Response { expected: String, observed: String },
    /// After the whole sequence, the listings differ (one line per difference).
    Listing(Vec<String>),
    /// The target could not be driven (not a semantic disagreement): no answer, or an answer
    /// that cannot be read as the step's response.
    Target(String),
}

/// A failing sequence (the minimal one, after shrinking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The steps run, the last being the one that failed (for a response disagreement).
    pub steps: Vec<StepLine>,
    pub disagreement: Disagreement,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.steps.len();
        match &self.disagreement {
            Disagreement::Response { .. } => {
                writeln!(f, "the target disagrees with the model at step {n}:")?;
            }
            Disagreement::Listing(_) => {
                writeln!(f, "the listings disagree after {n} step(s):")?;
            }
            Disagreement::Target(_) => writeln!(f, "the target failed after {n} step(s):")?,
        }
        for (i, line) in self.steps.iter().enumerate() {
            writeln!(f, "  {:>2}. {}", i + 1, line.step)?;
            let last = i + 1 == n;
            match &self.disagreement {
                Disagreement::Response { expected, observed } if last => {
                    writeln!(f, "        expected: {expected}")?;
                    writeln!(f, "        target:   {observed}")?;
                }
                _ => writeln!(f, "        → {}", line.expected)?,
            }
        }
        match &self.disagreement {
            Disagreement::Response { .. } => Ok(()),
            Disagreement::Listing(differences) => {
                writeln!(f, "  then the listings:")?;
                for d in differences {
                    writeln!(f, "    {d}")?;
                }
                Ok(())
            }
            Disagreement::Target(message) => writeln!(f, "  then: {message}"),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every sequence agreed with the model.
    Passed,
    /// A sequence disagreed; this is the shrunk one.
    Failed(Failure),
    /// The run cannot happen on this target (no control API): nothing was checked.
    Skipped(String),
    /// The run could not proceed (e.g. too many rejected sequences).
    Aborted(String),
}

/// The result of [`super::run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelReport {
    /// The seed: `--seed` with this value replays the run.
    pub seed: u64,
    /// The number of sequences asked for.
    pub cases: u32,
    /// Sequences run against the target, shrinking attempts included.
    pub sequences_run: u64,
    /// Steps run against the target, shrinking attempts included.
    pub steps_run: u64,
    pub elapsed: Duration,
    pub coverage: Coverage,
    pub verdict: Verdict,
}

impl ModelReport {
    /// Whether the run passed. A skipped run did not.
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Passed
    }

    /// The shrunk failing sequence, when there is one.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.verdict {
            Verdict::Failed(failure) => Some(failure),
            _ => None,
        }
    }
}

impl fmt::Display for ModelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summary = format!(
            "{} sequence(s), {} step(s) in {:.1}s (seed {})",
            self.sequences_run,
            self.steps_run,
            self.elapsed.as_secs_f64(),
            self.seed
        );
        match &self.verdict {
            Verdict::Passed => writeln!(
                f,
                "model: PASSED — {} case(s) agreed; {summary}",
                self.cases
            ),
            Verdict::Failed(failure) => {
                writeln!(f, "model: FAILED — {summary}")?;
                write!(f, "{failure}")?;
                writeln!(f, "replay with: --seed {}", self.seed)
            }
            Verdict::Skipped(reason) => writeln!(f, "model: SKIPPED — {reason}"),
            Verdict::Aborted(reason) => writeln!(f, "model: ABORTED — {reason}; {summary}"),
        }
    }
}

impl ModelReport {
    /// The coverage as a table: one line per operation, its expected responses and counts.
    pub fn coverage_table(&self) -> String {
        let mut out = String::new();
        for (kind, labels) in &self.coverage {
            let counts: Vec<String> = labels.iter().map(|(l, n)| format!("{l}: {n}")).collect();
            out.push_str(&format!("  {kind:<26} {}\n", counts.join(", ")));
        }
        out
    }
}
