//! The JSON report: the run and every check's result, with provenance and source.

use crate::runner::{Report, Status};
use serde_json::{Value, json};

/// The report as JSON: `{"target","control","started_at","seconds","summary":{…},"results":[…]}`.
pub fn to_json(report: &Report) -> Value {
    let mut value = serde_json::to_value(report).unwrap_or_else(|_| json!({}));
    value["summary"] = json!({
        "total": report.results.len(),
        "passed": report.count(Status::Passed),
        "failed": report.count(Status::Failed),
        "skipped": report.count(Status::Skipped),
    });
    value
}
