//! Bulk creates and updates over real HTTP (facts §3.3, §6): create_many, create_or_update_many
//! and update_many answer with a queued job status and complete with a result per item.

mod common;
mod jobs;

use common::Mock;
use common::assert::assert_job_forms;
use common::json::comma_list;
use common::results;
use jobs::{completed, create_users, found_by_email, job_count, queued_job, show_user, user_body};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// create_many

#[tokio::test]
async fn create_many_answers_with_a_queued_job_status() {
    let mock = Mock::start().await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [
                user_body("Bulk One", "bulk.one@example.com"),
                user_body("Bulk Two", "bulk.two@example.com"),
            ]}),
        )
        .await;
    let job = queued_job(&reply, 2, "create_many");
    assert_job_forms(&mock, &job);
    assert!(
        job["url"].as_str().is_some_and(|u| u.ends_with(".json")),
        "url ends .json"
    );
    insta::assert_json_snapshot!("queued_job_status", reply.json, {
        ".job_status.id" => "[job id]",
        ".job_status.url" => "[job url]",
    });
}

#[tokio::test]
async fn create_many_completes_with_a_created_result_per_user_and_the_users_exist() {
    let mock = Mock::start().await;
    let people = [
        ("Bulk One", "bulk.one@example.com"),
        ("Bulk Two", "bulk.two@example.com"),
    ];
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": people.iter().map(|(n, e)| user_body(n, e)).collect::<Vec<_>>()}),
        )
        .await;
    let job = queued_job(&reply, 2, "create_many");
    let done = completed(&mock, &job).await;
    assert_job_forms(&mock, &done);
    assert_eq!(done["id"], job["id"], "same job");

    let items = results(&done);
    assert_eq!(items.len(), people.len(), "one result per user: {done}");
    for (index, ((name, email), item)) in people.iter().zip(&items).enumerate() {
        let id = item["id"].as_i64().expect("result id is an integer");
        assert_eq!(
            item,
            &json!({"id": id, "index": index, "status": "Created"}),
            "result {index}"
        );
        let user = show_user(&mock, &item["id"]).await;
        assert_eq!(user["name"], *name, "user {index}");
        assert_eq!(user["email"], *email, "user {index}");
        assert_eq!(user["active"], true, "user {index}");
    }
    insta::assert_json_snapshot!("completed_create_many_job_status", done, {
        ".id" => "[job id]",
        ".url" => "[job url]",
        ".message" => "[Completed at]",
        ".results[].id" => "[user id]",
    });
}

#[tokio::test]
async fn create_many_with_101_users_is_400_and_queues_nothing() {
    let mock = Mock::start().await;
    let users: Vec<Value> = (0..101)
        .map(|n| user_body(&format!("User {n}"), &format!("user{n}@example.com")))
        .collect();
    let reply = mock
        .admin()
        .post("/api/v2/users/create_many.json", json!({ "users": users }))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "TooManyValues", "description": "Maximum 100 users may be created per call"})
    );
    assert_eq!(job_count(&mock).await, 0, "no job queued");
    assert_eq!(found_by_email(&mock, "user0@example.com").await, 0);
}

#[tokio::test]
async fn create_many_item_with_a_taken_email_fails_and_the_others_are_created() {
    // (case, email of the middle item; the first item uses `first`)
    let cases = [
        ("email held by an existing user", "jane.doe@example.com"),
        ("email repeated within the call", "first@example.com"),
        ("taken email in other case", "JANE.DOE@EXAMPLE.COM"),
    ];
    for (case, taken) in cases {
        let mock = Mock::start().await;
        let reply = mock
            .admin()
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [
                    user_body("First", "first@example.com"),
                    user_body("Clash", taken),
                    user_body("Third", "third@example.com"),
                ]}),
            )
            .await;
        let done = completed(&mock, &queued_job(&reply, 3, case)).await;
        let items = results(&done);
        assert_eq!(items.len(), 3, "case: {case}: {done}");

        for (index, email) in [(0, "first@example.com"), (2, "third@example.com")] {
            assert_eq!(
                items[index]["status"], "Created",
                "case: {case}: item {index}"
            );
            assert_eq!(items[index]["index"], index, "case: {case}: item {index}");
            let user = show_user(&mock, &items[index]["id"]).await;
            assert_eq!(user["email"], email, "case: {case}: item {index}");
        }

        let failed = &items[1];
        assert_eq!(failed["success"], false, "case: {case}: {failed}");
        assert_eq!(failed["index"], 1, "case: {case}: {failed}");
        assert!(
            failed["error"].as_str().is_some_and(|e| !e.is_empty()),
            "case: {case}: error names the failure: {failed}"
        );
        let details = failed["details"].as_str().unwrap_or_default();
        assert!(
            details.to_lowercase().contains(&taken.to_lowercase())
                && details.contains("already being used"),
            "case: {case}: details explain the clash: {failed}"
        );
        assert_eq!(
            found_by_email(&mock, taken).await,
            1,
            "case: {case}: still one holder of {taken}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// create_or_update_many

#[tokio::test]
async fn create_or_update_many_updates_known_emails_and_creates_the_rest() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update_many.json",
            json!({"users": [
                {"name": "Jane Renamed", "email": "jane.doe@example.com"},
                {"name": "Fresh Person", "email": "fresh@example.com"},
            ]}),
        )
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "create_or_update_many")).await;
    let items = results(&done);
    assert_eq!(items.len(), 2, "{done}");

    assert_eq!(items[0]["id"], jane, "the existing user is matched: {done}");
    assert_eq!(items[0]["status"], "Updated", "{done}");
    assert_eq!(items[0]["action"], "update", "{done}");
    assert_eq!(items[0]["success"], true, "{done}");
    assert!(
        items[0].get("index").is_none(),
        "an update item has the update shape only: {done}"
    );
    assert_eq!(
        show_user(&mock, &items[0]["id"]).await["name"],
        "Jane Renamed"
    );

    assert_ne!(items[1]["id"], jane);
    assert_eq!(items[1]["index"], 1);
    assert_eq!(items[1]["status"], "Created", "{done}");
    let fresh = show_user(&mock, &items[1]["id"]).await;
    assert_eq!(fresh["name"], "Fresh Person");
    assert_eq!(fresh["email"], "fresh@example.com");
}

// ---------------------------------------------------------------------------------------------
// update_many

#[tokio::test]
async fn update_many_with_ids_applies_one_change_to_every_user() {
    let mock = Mock::start().await;
    let ids = create_users(
        &mock,
        &[
            ("Up One", "up.one@example.com"),
            ("Up Two", "up.two@example.com"),
        ],
    )
    .await;
    let untouched = mock.create_user("Up Three", "up.three@example.com").await;

    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/update_many.json?ids={}", comma_list(&ids)),
            json!({"user": {"notes": "bulk note"}}),
        )
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "update_many ids")).await;
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "action": "update", "status": "Updated", "success": true}))
        .collect();
    assert_eq!(results(&done), expected);
    for id in &ids {
        assert_eq!(
            show_user(&mock, &json!(id)).await["notes"],
            "bulk note",
            "user {id}"
        );
    }
    assert_eq!(
        show_user(&mock, &json!(untouched)).await["notes"],
        Value::Null,
        "a user not named is left alone"
    );
}

#[tokio::test]
async fn update_many_with_a_users_batch_applies_each_change() {
    let mock = Mock::start().await;
    let ids = create_users(
        &mock,
        &[
            ("Batch One", "batch.one@example.com"),
            ("Batch Two", "batch.two@example.com"),
        ],
    )
    .await;

    let reply = mock
        .admin()
        .put(
            "/api/v2/users/update_many.json",
            json!({"users": [
                {"id": ids[0], "name": "Batch One Renamed"},
                {"id": ids[1], "notes": "only two"},
            ]}),
        )
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "update_many batch")).await;
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "action": "update", "status": "Updated", "success": true}))
        .collect();
    assert_eq!(results(&done), expected);

    let one = show_user(&mock, &json!(ids[0])).await;
    let two = show_user(&mock, &json!(ids[1])).await;
    assert_eq!(one["name"], "Batch One Renamed");
    assert_eq!(one["notes"], Value::Null, "one's notes untouched");
    assert_eq!(two["name"], "Batch Two", "two's name untouched");
    assert_eq!(two["notes"], "only two");
}
