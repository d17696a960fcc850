//! The verifier, proven on Rust tools (`Session::verify_tool`): a correct erasure, export and
//! suspension pass generated worlds; each tool made wrong in one way fails with the property
//! that way breaks named, on a world shrunk to a few entities.
//!
//! Budgets (an in-process mock, debug build, the 2-core CI machine): a correct tool runs
//! `PASSING_CASES` worlds; a wrong one gets up to `FAILING_CASES` worlds to show its fault,
//! then shrinking (every distinct world costs one run). The whole file takes 25–30 s, its
//! tests running side by side.

mod client_tools;

use client_tools::erase::{Eraser, mark};
use client_tools::export::{Exporter, Suspender};
use std::time::Duration;
use zendesk_conformance::client_run::{ClientConfig, Failure, Session, world_for_case};
use zendesk_conformance::verify::{Property, Task};
use zendesk_conformance::world::Sizes;

/// Worlds a correct tool passes in each test (3–6 s per tool).
const PASSING_CASES: u32 = 40;
/// Worlds a wrong tool is given to fail one (it usually does within the first ten).
const FAILING_CASES: u32 = 60;
/// A shrunk world has at most this many entities besides the subject ([`World::size`]).
const SMALL: usize = 6;

fn config(task: Task, cases: u32, seed: u64) -> ClientConfig {
    ClientConfig {
        task,
        cases,
        seed,
        timeout: Duration::from_secs(30),
        ..ClientConfig::default()
    }
}

fn session() -> Session {
    Session::start(None).expect("an in-process mock")
}

/// The failure a wrong tool must produce: `property` named, the world shrunk small.
fn expect_failure(
    outcome: Result<impl std::fmt::Display, Box<Failure>>,
    property: Property,
) -> Box<Failure> {
    let failure = match outcome {
        Ok(summary) => panic!("the wrong tool passed ({summary}); it should fail on {property}"),
        Err(failure) => failure,
    };
    // The shrunk world and its verdicts, for `--nocapture` readers and failure logs.
    eprintln!("{failure}");
    assert!(
        failure.failed().contains(&property),
        "expected a failure on {property}, got:\n{failure}"
    );
    assert!(
        failure.world.size() <= SMALL,
        "the world was not shrunk to a few entities:\n{failure}"
    );
    failure
}

fn expect_pass(outcome: Result<impl std::fmt::Display, Box<Failure>>) {
    if let Err(failure) = outcome {
        panic!("the correct tool failed:\n{failure}");
    }
}

#[test]
fn a_correct_erasure_passes_generated_worlds() {
    let outcome = session().verify_tool(&config(Task::Erase, PASSING_CASES, 1), async |env| {
        Eraser::default().run(env).await
    });
    expect_pass(outcome);
}

#[test]
fn deleting_the_user_before_their_tickets_fails_on_ordering() {
    let wrong = Eraser {
        user_first: true,
        ..Eraser::default()
    };
    let outcome = session().verify_tool(&config(Task::Erase, FAILING_CASES, 2), async |env| {
        wrong.run(env).await
    });
    let failure = expect_failure(outcome, Property::Ordering);
    assert!(!failure.failed().contains(&Property::Residue), "{failure}");
}

#[test]
fn redacting_a_closed_ticket_instead_of_deleting_it_fails_on_outcome() {
    let wrong = Eraser {
        redact_closed: true,
        ..Eraser::default()
    };
    let outcome = session().verify_tool(&config(Task::Erase, FAILING_CASES, 3), async |env| {
        wrong.run(env).await
    });
    let failure = expect_failure(outcome, Property::Outcome);
    assert_eq!(failure.failed(), vec![Property::Outcome], "{failure}");
}

#[test]
fn deleting_a_namesakes_tickets_fails_on_precision() {
    let wrong = Eraser {
        by_name: true,
        ..Eraser::default()
    };
    let outcome = session().verify_tool(&config(Task::Erase, FAILING_CASES, 4), async |env| {
        wrong.run(env).await
    });
    let failure = expect_failure(outcome, Property::Precision);
    assert!(failure.to_string().contains("namesake"), "{failure}");
}

#[test]
fn forgetting_the_subjects_soft_deleted_tickets_fails_on_residue() {
    let wrong = Eraser {
        skip_soft_deleted: true,
        ..Eraser::default()
    };
    let outcome = session().verify_tool(&config(Task::Erase, FAILING_CASES, 5), async |env| {
        wrong.run(env).await
    });
    let failure = expect_failure(outcome, Property::Residue);
    assert!(
        failure.to_string().contains("soft-deleted ticket-0"),
        "{failure}"
    );
}

#[test]
fn not_polling_jobs_fails_on_limits_and_jobs() {
    let wrong = Eraser {
        no_polling: true,
        ..Eraser::default()
    };
    let outcome = session().verify_tool(&config(Task::Erase, FAILING_CASES, 6), async |env| {
        wrong.run(env).await
    });
    let failure = expect_failure(outcome, Property::LimitsJobs);
    assert!(
        failure.to_string().contains("polled to completion"),
        "{failure}"
    );
}

#[test]
fn honouring_retry_after_passes_and_ignoring_it_fails_on_limits_and_jobs() {
    let session = session();
    // Each throttled world costs the waiting tool one second: three worlds.
    let throttled = |cases| ClientConfig {
        throttle: true,
        ..config(Task::Erase, cases, 7)
    };
    expect_pass(session.verify_tool(&throttled(3), async |env| Eraser::default().run(env).await));
    let wrong = Eraser {
        ignore_retry_after: true,
        ..Eraser::default()
    };
    let failure = expect_failure(
        session.verify_tool(&throttled(FAILING_CASES), async |env| wrong.run(env).await),
        Property::LimitsJobs,
    );
    assert!(failure.to_string().contains("Retry-After: 1"), "{failure}");
}

#[test]
fn a_correct_export_passes_and_wrong_ones_fail_on_export() {
    let session = session();
    let export = |seed| config(Task::Export, PASSING_CASES, seed);
    expect_pass(session.verify_tool(&export(8), async |env| Exporter::default().run(env).await));
    let wrongs = [
        (
            "namesakes' tickets",
            Exporter {
                by_name: true,
                ..Exporter::default()
            },
            "namesake",
        ),
        (
            "no held emails",
            Exporter {
                skip_held: true,
                ..Exporter::default()
            },
            "held email",
        ),
        (
            "whole tickets",
            Exporter {
                whole_tickets: true,
                ..Exporter::default()
            },
            "someone else's",
        ),
    ];
    for (case, wrong, said) in wrongs {
        let outcome = session.verify_tool(&config(Task::Export, FAILING_CASES, 9), async |env| {
            wrong.run(env).await
        });
        let failure = expect_failure(outcome, Property::Export);
        assert!(failure.to_string().contains(said), "{case}:\n{failure}");
    }
}

#[test]
fn a_correct_suspension_passes_and_wrong_ones_fail() {
    let session = session();
    expect_pass(
        session.verify_tool(&config(Task::Suspend, PASSING_CASES, 10), async |env| {
            Suspender::default().run(env).await
        }),
    );
    let by_name = Suspender {
        by_name: true,
        ..Suspender::default()
    };
    let outcome = session.verify_tool(&config(Task::Suspend, FAILING_CASES, 11), async |env| {
        by_name.run(env).await
    });
    expect_failure(outcome, Property::Precision);
    let deleting = Suspender {
        delete_instead: true,
        ..Suspender::default()
    };
    let outcome = session.verify_tool(&config(Task::Suspend, FAILING_CASES, 12), async |env| {
        deleting.run(env).await
    });
    let failure = expect_failure(outcome, Property::Objection);
    assert!(failure.to_string().contains("not suspended"), "{failure}");
}

#[test]
fn a_failing_tool_is_reported_on_run_with_the_world_it_failed() {
    let outcome = session().verify_tool(&config(Task::Erase, 5, 13), async |_env| {
        Err("gave up".to_owned())
    });
    let failure = expect_failure(outcome, Property::Run);
    assert_eq!(
        failure.world.size(),
        1,
        "shrunk to the subject and one agent:\n{failure}"
    );
    assert!(
        failure.to_string().contains("returned an error: gave up"),
        "{failure}"
    );
}

#[test]
fn worlds_are_reproducible_from_the_seed_and_cases_differ() {
    let sizes = Sizes::default();
    assert_eq!(world_for_case(42, 3, sizes), world_for_case(42, 3, sizes));
    assert_eq!(
        world_for_case(42, 3, sizes).to_seed(),
        world_for_case(42, 3, sizes).to_seed()
    );
    let distinct: std::collections::HashSet<String> = (0..20)
        .map(|case| world_for_case(42, case, sizes).to_seed().to_string())
        .collect();
    assert!(
        distinct.len() > 15,
        "only {} distinct worlds of 20",
        distinct.len()
    );
}

#[test]
fn redaction_markup_wraps_identifiers_and_marks_links_holding_them() {
    let html = "<p>Mail <a href=\"mailto:JANE@X.ORG\">JANE@X.ORG</a>, Jane Roe</p>";
    let marked = mark(html, &["jane@x.org".to_owned(), "Jane Roe".to_owned()]);
    assert_eq!(
        marked,
        "<p>Mail <a href=\"mailto:JANE@X.ORG\" redact><redact>JANE@X.ORG</redact></a>, <redact>Jane Roe</redact></p>"
    );
}
