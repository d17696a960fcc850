//! The human report: a line per check as it finishes, then the failures in full, the counts,
//! and — against a target without the control API, i.e. a real Zendesk — which of the mock's
//! inferred rules the service agrees with.

use crate::checks::{Check, Provenance};
use crate::runner::{CheckResult, Progress, Report, Status};
use std::fmt::Write as _;
use std::io::Write;

/// Writes `[ 3/48] PASS users.delete.soft_returns_inactive_user  12 ms` per check.
#[derive(Debug)]
pub struct TextProgress<W: Write> {
    out: W,
}

impl<W: Write> TextProgress<W> {
    /// Progress lines to `out` (the CLI passes standard error).
    pub fn new(out: W) -> Self {
        Self { out }
    }
}

impl<W: Write> Progress for TextProgress<W> {
    fn started(&mut self, _: usize, _: usize, _: &Check) {}

    fn finished(&mut self, index: usize, total: usize, result: &CheckResult) {
        let width = total.to_string().len();
        let tag = match result.status {
            Status::Passed => "PASS",
            Status::Failed => "FAIL",
            Status::Skipped => "SKIP",
        };
        let detail = match (result.status, &result.message) {
            (Status::Skipped, Some(reason)) => format!("({reason})"),
            _ => format!("{:.0} ms", result.seconds * 1000.0),
        };
        // A progress line that cannot be written is not worth stopping the run for.
        let _ = writeln!(
            self.out,
            "[{:>width$}/{total}] {tag} {}  {detail}",
            index + 1,
            result.name,
        );
        let _ = self.out.flush();
    }
}

/// The summary after the run.
pub fn summary(report: &Report) -> String {
    let mut out = String::new();
    let failed: Vec<&CheckResult> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Failed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\nFailures:\n");
        for result in &failed {
            let _ = writeln!(out, "{result}\n    source: {}\n", result.source);
        }
    }
    if !report.control {
        let _ = writeln!(out, "{}", inferred_agreement(report));
    }
    let _ = writeln!(
        out,
        "{} checks against {}{}: {} passed, {} failed, {} skipped ({:.1} s)",
        report.results.len(),
        report.target,
        if report.control { " (mock)" } else { "" },
        report.count(Status::Passed),
        report.count(Status::Failed),
        report.count(Status::Skipped),
        report.seconds,
    );
    out
}

/// Per inferred rule that ran: whether the target agrees with the mock's guess.
pub fn inferred_agreement(report: &Report) -> String {
    let mut out = String::from("Inferred rules (the mock's guesses) against this service:\n");
    let inferred = report
        .results
        .iter()
        .filter(|r| r.provenance == Provenance::Inferred);
    for result in inferred {
        let verdict = match result.status {
            Status::Passed => "agrees",
            Status::Failed => "DIFFERS",
            Status::Skipped => "not checked",
        };
        let _ = writeln!(out, "  {verdict:<11} {}: {}", result.name, result.rule);
    }
    out
}
