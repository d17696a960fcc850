//! What a run of the client runner reports: a [`Summary`] when every world passed, a
//! [`Failure`] — the shrunk world, printed and as a seed file, with its verdicts — when one
//! did not.

use super::case::CaseResult;
use crate::verify::{Property, Task};
use crate::world::World;
use std::fmt;
use std::time::Duration;

/// Every world passed.
#[derive(Debug, Clone)]
pub struct Summary {
    pub task: Task,
    pub cases: u32,
    pub seed: u64,
    pub took: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} generated world(s) passed (seed {}) in {:.1} s",
            self.task.as_str(),
            self.cases,
            self.seed,
            self.took.as_secs_f64()
        )
    }
}

/// A world the tool failed, shrunk.
#[derive(Debug, Clone)]
pub struct Failure {
    pub task: Task,
    pub seed: u64,
    /// Which case of the seed failed first.
    pub case: u32,
    /// How many entities the world had before shrinking ([`World::size`]).
    pub original_size: usize,
    /// The smallest world that still fails.
    pub world: World,
    /// Its verdicts and the tool's output (`None` if it could not be judged: `reason` says why).
    pub result: Option<CaseResult>,
    /// proptest's failure message for the shrunk world.
    pub reason: String,
    /// How many times the tool ran (the case and every shrinking step).
    pub runs: u32,
}

impl Failure {
    /// The properties the shrunk world fails.
    pub fn failed(&self) -> Vec<Property> {
        self.result
            .as_ref()
            .map(CaseResult::failed)
            .unwrap_or_default()
    }

    /// The seed file of the shrunk world, pretty-printed.
    pub fn seed_file(&self) -> String {
        serde_json::to_string_pretty(&self.world.to_seed()).unwrap_or_default()
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed: Vec<&str> = self.failed().iter().map(|p| p.as_str()).collect();
        writeln!(
            f,
            "{} failed on case {} of seed {} (rerun: --seed {} --case {}): {}",
            self.task.as_str(),
            self.case,
            self.seed,
            self.seed,
            self.case,
            if failed.is_empty() {
                self.reason.clone()
            } else {
                failed.join(", ")
            }
        )?;
        writeln!(
            f,
            "shrunk from a world of {} entities to one of {} ({} tool runs):\n",
            self.original_size,
            self.world.size(),
            self.runs
        )?;
        for line in self.world.to_string().lines() {
            writeln!(f, "  {line}")?;
        }
        match &self.result {
            Some(result) => {
                writeln!(f, "\nverdicts:")?;
                for verdict in &result.verdicts {
                    writeln!(f, "  {verdict}")?;
                }
                if !result.output.trim().is_empty() {
                    writeln!(f, "\ntool output (the end):")?;
                    for line in result.output.lines() {
                        writeln!(f, "  | {line}")?;
                    }
                }
            }
            None => writeln!(f, "\n{}", self.reason)?,
        }
        writeln!(
            f,
            "\nseed file (POST /__mock/seed, or zendesk-mock --seed FILE):"
        )?;
        writeln!(f, "{}", self.seed_file())
    }
}
