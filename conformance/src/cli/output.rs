//! The report files and exit code shared by `check` and `scenario`.

use crate::report::{json, junit, text};
use crate::runner::Report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `--json` and `--junit`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the report as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

impl ReportArgs {
    /// Prints the summary, writes the asked-for report files, and answers the exit code: 0 all
    /// passed, 1 something failed, 2 a report could not be written.
    pub fn finish(&self, report: &Report) -> ExitCode {
        print!("{}", text::summary(report));
        let mut written = true;
        if let Some(path) = &self.json {
            let body = serde_json::to_string_pretty(&json::to_json(report)).unwrap_or_default();
            written &= write(path, &body);
        }
        if let Some(path) = &self.junit {
            written &= write(path, &junit::to_junit(report));
        }
        match (report.passed(), written) {
            (_, false) => ExitCode::from(2),
            (true, true) => ExitCode::SUCCESS,
            (false, true) => ExitCode::FAILURE,
        }
    }
}

/// Writes `body` to `path`, saying why not on stderr.
pub(crate) fn write(path: &Path, body: &str) -> bool {
    match std::fs::write(path, body) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            false
        }
    }
}
