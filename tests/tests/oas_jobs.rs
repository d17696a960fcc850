//! Queued and completed job statuses, and the results of failed and mixed bulk items, match
//! `JobStatusObject`; the approach is described in `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::assert::expect;
use common::{Mock, wait_for_job};
use serde_json::{Value, json};
use shapes::items;
use shapes::jobs::job_statuses;
use zendesk_conformance::oas::{Samples, live_allowances};

#[tokio::test]
async fn queued_and_completed_job_statuses_match_job_status_object() {
    let mock = Mock::start().await;
    job_statuses(&mock).await.assert_conform();
}

#[tokio::test]
async fn failed_job_items_match_failed_result_with_a_null_id_when_no_record_exists() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let mut samples = Samples::default();

    let what = "create_many with an email already in use";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [{"name": "Jane Again", "email": "jane.doe@example.com"}]}),
            )
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    assert_eq!(job["results"][0]["success"], false, "{what}: {job}");
    samples.add(what, "JobStatusObject", &job);

    let what = "destroy_many with an unknown external id";
    let queued = expect(
        admin
            .delete("/api/v2/users/destroy_many.json?external_ids=no-such-user")
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    assert_eq!(job["results"][0]["success"], false, "{what}: {job}");
    samples.add(what, "JobStatusObject", &job);
    // A failed create, or an external id that names nobody, has no record id to report.
    let allowances = live_allowances().clone().nullable(
        "FailedResult",
        "id",
        "a failed bulk create or an unknown external id names no record, so the failed item's \
         id is null (INFERRED: no live recording of such an item; FailedResult requires an id)",
    );
    let failures = samples.failures(&allowances);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn create_or_update_many_results_match_exactly_one_job_result_shape() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let what = "create_or_update_many updating one user and creating another";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_or_update_many.json",
                json!({"users": [
                    {"name": "Priya P. Patel", "email": "priya.patel@example.com"},
                    {"name": "Newcomer", "email": "newcomer@example.com"},
                ]}),
            )
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    let statuses: Vec<&Value> = items(&job, "results", what)
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("Updated"), &json!("Created")],
        "{what}: {job}"
    );
    let mut samples = Samples::default();
    samples.add(what, "JobStatusObject", &job);
    samples.assert_conform();
}
