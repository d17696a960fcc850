//! The verifier: given a [`World`] (with its ground truth), what the tool under test did to the
//! account — gathered as [`Evidence`] through the mock's control API — answers one [`Verdict`]
//! per property. Each property is a module with a pure `check`:
//!
//! | property | module | reads | fails when |
//! | --- | --- | --- | --- |
//! | residue | [`residue`] | `POST /__mock/residue` with the subject's identifiers | any of them remains: store-wide, soft-deleted tickets awaiting their scrub, audits, attachments, suspended tickets and a lagging search index included |
//! | precision | [`precision`] | snapshots before and after | someone else's data was deleted, redacted or changed although it held none of the subject's |
//! | ordering | [`ordering`] | the run's semantic events | ticket data was erased after the user was deleted, or the user permanently deleted without a soft delete first |
//! | limits and jobs | [`limits_jobs`] | the run's request journal and events | a batch named more than 100 ids, a job was not polled to completion before the user's deletion relied on it, a `Retry-After` was not waited out, or the tool used the mock's control API |
//! | outcome | [`outcome`] | the final snapshot | the user is not (permanently) deleted, a closed ticket or one with the subject's data in an attachment was not permanently deleted |
//! | export | [`export`] | the file at `EXPORT_PATH` | some of the subject's data is missing, or anyone else's is there |
//! | objection | [`objection`] | the final snapshot; emails sent in afterwards | the subject is not suspended, or their new emails do not land in suspended tickets |
//!
//! Which properties a [`Task`] is judged on: [`Task::properties`].

pub mod evidence;
pub mod export;
pub mod limits_jobs;
pub mod objection;
pub mod ordering;
pub mod outcome;
pub mod precision;
pub mod residue;
pub mod state;
#[cfg(test)]
mod tests;
pub mod text;

pub use evidence::{Evidence, Ids};

use crate::world::World;
use std::fmt;

/// What the tool under test is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Task {
    /// Erasure (right to be forgotten): the guide's order — ticket data, then the user.
    Erase,
    /// Access and portability: write the subject's data as JSON to `EXPORT_PATH`.
    Export,
    /// Objection: suspend the subject, so new requests go to suspended tickets.
    Suspend,
}

impl Task {
    /// The properties a run of this task is judged on (besides [`Property::Run`]).
    pub fn properties(self) -> &'static [Property] {
        match self {
            Task::Erase => &[
                Property::Residue,
                Property::Precision,
                Property::Ordering,
                Property::LimitsJobs,
                Property::Outcome,
            ],
            Task::Export => &[Property::Export, Property::Precision, Property::LimitsJobs],
            Task::Suspend => &[
                Property::Objection,
                Property::Precision,
                Property::LimitsJobs,
            ],
        }
    }

    /// The task's name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Erase => "erase",
            Task::Export => "export",
            Task::Suspend => "suspend",
        }
    }
}

/// How far an erasure must go with the user record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ErasePolicy {
    /// Soft delete, then permanent delete (the guide's full erasure).
    #[default]
    Permanent,
    /// Soft delete is enough: the 30-day purge finishes the job. The user record itself is
    /// then not residue.
    Soft,
}

/// A property a run is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Property {
    /// The tool ran to its end: exit status 0 (or `Ok` from a closure) within the timeout.
    Run,
    Residue,
    Precision,
    Ordering,
    LimitsJobs,
    Outcome,
    Export,
    Objection,
}

impl Property {
    /// The property's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Property::Run => "run",
            Property::Residue => "residue",
            Property::Precision => "precision",
            Property::Ordering => "ordering",
            Property::LimitsJobs => "limits-and-jobs",
            Property::Outcome => "outcome",
            Property::Export => "export",
            Property::Objection => "objection",
        }
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property's judgement: passed, or the findings that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub property: Property,
    pub passed: bool,
    pub findings: Vec<String>,
}

impl Verdict {
    /// Passed when there are no findings.
    pub fn from_findings(property: Property, findings: Vec<String>) -> Self {
        Self {
            property,
            passed: findings.is_empty(),
            findings,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.passed { "pass" } else { "FAIL" };
        write!(f, "{mark} {}", self.property)?;
        for finding in &self.findings {
            write!(f, "\n       - {finding}")?;
        }
        Ok(())
    }
}

/// Judges a run of `task` on `world` from what was gathered: one verdict per property of the
/// task, in [`Task::properties`] order.
pub fn verify(task: Task, policy: ErasePolicy, world: &World, evidence: &Evidence) -> Vec<Verdict> {
    task.properties()
        .iter()
        .map(|property| match property {
            Property::Residue => residue::check(world, evidence, policy),
            Property::Precision => precision::check(world, evidence),
            Property::Ordering => ordering::check(world, evidence),
            Property::LimitsJobs => limits_jobs::check(world, evidence),
            Property::Outcome => outcome::check(world, evidence, policy),
            Property::Export => export::check(world, evidence),
            Property::Objection => objection::check(world, evidence),
            Property::Run => Verdict::from_findings(Property::Run, Vec::new()),
        })
        .collect()
}
