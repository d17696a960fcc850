//! The whole documented-rule suite passes against an in-process mock, each check in a fresh
//! account; names are unique and every check says where its rule comes from.

use zendesk_conformance::Target;
use zendesk_conformance::checks::{self, Provenance};
use zendesk_conformance::report::text;
use zendesk_conformance::runner::{self, Quiet, RunOptions, Status};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_check_passes_against_an_in_process_mock() {
    let target = Target::in_process().await;
    let all = checks::all();
    let report = runner::run(&target, &all, &RunOptions::default(), &mut Quiet).await;
    let failed: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.status != Status::Passed)
        .map(ToString::to_string)
        .collect();
    assert!(
        failed.is_empty(),
        "{}\n{}",
        failed.join("\n\n"),
        text::summary(&report)
    );
    assert_eq!(report.results.len(), all.len());
}

#[test]
fn check_names_are_unique_and_sourced() {
    let all = checks::all();
    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "duplicate check names");
    for check in &all {
        let parts: Vec<&str> = check.name.split('.').collect();
        let snake = |p: &&str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        assert!(
            (2..=3).contains(&parts.len()) && parts.iter().all(snake),
            "{} is area[.subject].rule in snake_case",
            check.name
        );
        assert!(
            !check.source.trim().is_empty(),
            "{} names its source",
            check.name
        );
        assert!(
            check.rule.trim_end_matches('`').ends_with('.'),
            "{} states its rule as a sentence",
            check.name
        );
    }
    for provenance in [
        Provenance::Documented,
        Provenance::Recorded,
        Provenance::Inferred,
    ] {
        assert!(
            all.iter().any(|c| c.provenance == provenance),
            "some {provenance} rules"
        );
    }
}
