//! Job statuses, queued and completed.

use super::items;
use crate::common::assert::expect;
use crate::common::{Mock, wait_for_job};
use serde_json::{Value, json};
use zendesk_conformance::oas::Samples;

/// The result items of a completed job, by the user id each names.
#[track_caller]
pub fn result_for<'j>(job: &'j Value, id: i64, what: &str) -> &'j Value {
    items(job, "results", what)
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{what}: no result for user {id}: {job}"))
}

/// Job statuses: queued (as the bulk call answers), and completed create_many, update_many and
/// destroy_many — the last with a failed item, since the account owner cannot be deleted; then
/// the same jobs listed, shown and shown many.
pub async fn job_statuses(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let owner = expect(
        admin.get("/api/v2/users/me.json").await,
        200,
        "GET /users/me",
    )["user"]["id"]
        .as_i64()
        .expect("owner id");

    let what = "POST /users/create_many";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [
                    {"name": "Bulk One", "email": "bulk.one@example.com"},
                    {"name": "Bulk Two", "email": "bulk.two@example.com"},
                ]}),
            )
            .await,
        200,
        what,
    );
    assert_eq!(queued["job_status"]["status"], "queued", "{what}: {queued}");
    assert!(
        queued["job_status"]["results"].is_null(),
        "{what}: a queued job has results: {queued}"
    );
    samples.add(what, "JobStatusResponse", &queued);
    samples.add(
        format!("{what}: queued job_status"),
        "JobStatusObject",
        &queued["job_status"],
    );
    let create_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let created = wait_for_job(&admin, &create_id).await;
    assert_eq!(created["status"], "completed", "{what}: {created}");
    let ids: Vec<i64> = items(&created, "results", what)
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "Created", "{what}: {created}");
            r["id"].as_i64().expect("created id")
        })
        .collect();
    assert_eq!(ids.len(), 2, "{what}: {created}");
    samples.add("completed create_many", "JobStatusObject", &created);

    let what = "PUT /users/update_many";
    let queued = expect(
        admin
            .put(
                &format!("/api/v2/users/update_many.json?ids={},{}", ids[0], ids[1]),
                json!({"user": {"notes": "Updated in bulk"}}),
            )
            .await,
        200,
        what,
    );
    let update_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let updated = wait_for_job(&admin, &update_id).await;
    for id in &ids {
        let result = result_for(&updated, *id, what);
        assert_eq!(result["status"], "Updated", "{what}: {updated}");
    }
    samples.add("completed update_many", "JobStatusObject", &updated);

    let what = "DELETE /users/destroy_many with the owner";
    let queued = expect(
        admin
            .delete(&format!(
                "/api/v2/users/destroy_many.json?ids={},{owner}",
                ids[0]
            ))
            .await,
        200,
        what,
    );
    let destroy_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let destroyed = wait_for_job(&admin, &destroy_id).await;
    assert_eq!(
        result_for(&destroyed, ids[0], what)["success"],
        true,
        "{what}: {destroyed}"
    );
    let failed = result_for(&destroyed, owner, what);
    assert_eq!(failed["success"], false, "{what}: {destroyed}");
    samples.add(
        "completed destroy_many with a failed item",
        "JobStatusObject",
        &destroyed,
    );

    let list = expect(
        admin.get("/api/v2/job_statuses.json").await,
        200,
        "GET /job_statuses",
    );
    samples.add("GET /job_statuses", "JobStatusesResponse", &list);
    let listed = items(&list, "job_statuses", "GET /job_statuses");
    assert_eq!(listed.len(), 3, "GET /job_statuses: {list}");
    for job in listed {
        samples.add(
            format!("GET /job_statuses: {}", job["job_type"]),
            "JobStatusObject",
            job,
        );
    }
    let shown = expect(
        admin
            .get(&format!("/api/v2/job_statuses/{destroy_id}.json"))
            .await,
        200,
        "GET /job_statuses/{id}",
    );
    samples.add("GET /job_statuses/{id}", "JobStatusResponse", &shown);
    let many = expect(
        admin
            .get(&format!(
                "/api/v2/job_statuses/show_many.json?ids={create_id},{update_id},{destroy_id}"
            ))
            .await,
        200,
        "GET /job_statuses/show_many",
    );
    assert_eq!(
        items(&many, "job_statuses", "GET /job_statuses/show_many").len(),
        3,
        "GET /job_statuses/show_many: {many}"
    );
    samples.add("GET /job_statuses/show_many", "JobStatusesResponse", &many);
    samples
}
