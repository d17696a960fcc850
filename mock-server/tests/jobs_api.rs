//! Bulk user endpoints and job statuses over real HTTP (facts §3.3, §6, §2; design.md "Time,
//! jobs and lifecycle"): create_many, create_or_update_many, update_many, destroy_many, the
//! 100-item limits, the three job modes, and the job_statuses endpoints.

mod common;

use common::{ADMIN_TOKEN, Mock, Reply, wait_for_job};
use serde_json::{Value, json};
use zendesk_mock::store::clock::Clock;

const FORBIDDEN: &str = "You do not have access to this page. Please contact the account owner of this help desk for further help.";

// ---------------------------------------------------------------------------------------------
// Helpers (local to this file)

fn job_path(id: &str) -> String {
    format!("/api/v2/job_statuses/{id}.json")
}

/// `V3-` and 32 lowercase hex digits, the recorded live form (facts §1).
fn assert_job_id(id: &Value) {
    let text = id
        .as_str()
        .unwrap_or_else(|| panic!("job id is not a string: {id}"));
    let hex = text
        .strip_prefix("V3-")
        .unwrap_or_else(|| panic!("job id {text:?} does not start with V3-"));
    assert!(
        hex.len() == 32
            && hex
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()),
        "job id {text:?} is not V3- plus 32 hex digits"
    );
}

/// Checks the forms of what snapshots redact: the id, and a url on this server ending `.json`.
fn assert_job_forms(mock: &Mock, job: &Value) {
    assert_job_id(&job["id"]);
    let id = job["id"].as_str().unwrap_or_default();
    assert_eq!(
        job["url"],
        format!("{}/api/v2/job_statuses/{id}.json", mock.url),
        "job url"
    );
}

/// `Completed at 2023-09-18 23:24:22 +0000`, the recorded form (facts §6).
fn assert_completed_message(message: &Value) {
    let text = message
        .as_str()
        .unwrap_or_else(|| panic!("message is not a string: {message}"));
    let shape = "Completed at ####-##-## ##:##:## +0000";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(
        ok,
        "message {text:?} is not like \"Completed at 2023-09-18 23:24:22 +0000\""
    );
}

/// The `job_status` of a bulk call's reply, after checking it is the queued status.
fn queued_job(reply: &Reply, total: usize, context: &str) -> Value {
    assert_eq!(reply.status, 200, "{context}: {}", reply.text);
    let job = reply.json["job_status"].clone();
    assert_eq!(job["status"], "queued", "{context}: {}", reply.text);
    assert_eq!(job["total"], total, "{context}: total");
    assert!(
        job["progress"].is_null(),
        "{context}: progress while queued"
    );
    assert!(job["results"].is_null(), "{context}: results while queued");
    job
}

fn job_id(job: &Value) -> String {
    job["id"].as_str().expect("job id").to_owned()
}

/// Polls a job to its end and checks it completed.
async fn completed(mock: &Mock, job: &Value) -> Value {
    let done = wait_for_job(&mock.admin(), &job_id(job)).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["progress"], done["total"], "progress at the end");
    assert_completed_message(&done["message"]);
    done
}

fn results(job: &Value) -> Vec<Value> {
    job["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results are not an array: {job}"))
        .clone()
}

fn user_body(name: &str, email: &str) -> Value {
    json!({"name": name, "email": email})
}

async fn show_user(mock: &Mock, id: &Value) -> Value {
    let reply = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(reply.status, 200, "user {id}: {}", reply.text);
    reply.json["user"].clone()
}

/// Active users whose identities match `email`, via search.
async fn found_by_email(mock: &Mock, email: &str) -> usize {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={email}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["users"].as_array().map_or(0, Vec::len)
}

async fn set_job_mode(mock: &Mock, mode: &str) {
    let reply = mock
        .admin()
        .patch("/__mock/settings", json!({ "job_mode": mode }))
        .await;
    assert_eq!(reply.status, 200, "job_mode {mode}: {}", reply.text);
    assert_eq!(reply.json["settings"]["job_mode"], mode, "{}", reply.text);
}

/// Freezes the default account's clock. There is no clock route in the control API yet, so
/// this reaches into the in-process state the harness exposes.
fn freeze_clock(mock: &Mock, at: i64) {
    mock.state
        .registry
        .default_account()
        .expect("default account")
        .write(|data| data.clock = Clock::frozen(at));
}

async fn job_count(mock: &Mock) -> usize {
    let reply = mock.admin().get("/api/v2/job_statuses.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["job_statuses"].as_array().map_or(0, Vec::len)
}

async fn create_users(mock: &Mock, users: &[(&str, &str)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (name, email) in users {
        ids.push(mock.create_user(name, email).await);
    }
    ids
}

fn comma_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn too_many_values() -> Value {
    json!({
        "error": "TooManyValues",
        "description": "Parameter  cannot specify more than 100 values",
        "max_count": 100
    })
}

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

// ---------------------------------------------------------------------------------------------
// The 100-item limit of the generic bulk endpoints

#[tokio::test]
async fn bulk_calls_over_100_items_are_400_too_many_values_and_queue_nothing() {
    let mock = Mock::start().await;
    let victim = mock.create_user("Victim", "victim@example.com").await;
    // 101 ids, the first a real user, so a partial run would show.
    let ids: Vec<i64> = std::iter::once(victim)
        .chain((1..=100).map(|n| 90_000_000_000_000 + n))
        .collect();
    let externals: Vec<String> = (0..101).map(|n| format!("ext-{n}")).collect();
    let admin = mock.admin();
    let cases = [
        (
            "update_many ?ids=",
            admin
                .put(
                    &format!("/api/v2/users/update_many.json?ids={}", comma_list(&ids)),
                    json!({"user": {"notes": "should not happen"}}),
                )
                .await,
        ),
        (
            "update_many ?external_ids=",
            admin
                .put(
                    &format!(
                        "/api/v2/users/update_many.json?external_ids={}",
                        externals.join(",")
                    ),
                    json!({"user": {"notes": "should not happen"}}),
                )
                .await,
        ),
        (
            "update_many users batch",
            admin
                .put(
                    "/api/v2/users/update_many.json",
                    json!({"users": ids
                        .iter()
                        .map(|id| json!({"id": id, "notes": "should not happen"}))
                        .collect::<Vec<_>>()}),
                )
                .await,
        ),
        (
            "destroy_many ?ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?ids={}",
                    comma_list(&ids)
                ))
                .await,
        ),
        (
            "destroy_many ?external_ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?external_ids={}",
                    externals.join(",")
                ))
                .await,
        ),
    ];
    for (case, reply) in &cases {
        assert_eq!(reply.status, 400, "case: {case}: {}", reply.text);
        assert_eq!(reply.json, too_many_values(), "case: {case}");
    }
    assert_eq!(job_count(&mock).await, 0, "no job queued");
    let user = show_user(&mock, &json!(victim)).await;
    assert_eq!(user["active"], true, "victim not deleted");
    assert_eq!(user["notes"], Value::Null, "victim not updated");
}

#[tokio::test]
async fn bulk_calls_with_exactly_100_items_are_accepted() {
    let mock = Mock::start().await;
    // Held jobs: the limit is checked on the request, the items never need to run.
    set_job_mode(&mock, "manual").await;
    let ids: Vec<i64> = (1..=100).map(|n| 90_000_000_000_000 + n).collect();
    let users: Vec<Value> = (0..100)
        .map(|n| user_body(&format!("User {n}"), &format!("user{n}@example.com")))
        .collect();
    let admin = mock.admin();
    let cases = [
        (
            "create_many",
            admin
                .post(
                    "/api/v2/users/create_many.json",
                    json!({ "users": users.clone() }),
                )
                .await,
        ),
        (
            "create_or_update_many",
            admin
                .post(
                    "/api/v2/users/create_or_update_many.json",
                    json!({ "users": users }),
                )
                .await,
        ),
        (
            "update_many ?ids=",
            admin
                .put(
                    &format!("/api/v2/users/update_many.json?ids={}", comma_list(&ids)),
                    json!({"user": {"notes": "n"}}),
                )
                .await,
        ),
        (
            "destroy_many ?ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?ids={}",
                    comma_list(&ids)
                ))
                .await,
        ),
    ];
    for (case, reply) in &cases {
        queued_job(reply, 100, case);
    }
    assert_eq!(job_count(&mock).await, cases.len(), "one job per call");
}

// ---------------------------------------------------------------------------------------------
// destroy_many

#[tokio::test]
async fn destroy_many_by_ids_soft_deletes_every_user() {
    let mock = Mock::start().await;
    let ids = create_users(
        &mock,
        &[
            ("Del One", "del.one@example.com"),
            ("Del Two", "del.two@example.com"),
        ],
    )
    .await;
    let reply = mock
        .admin()
        .delete(&format!(
            "/api/v2/users/destroy_many.json?ids={}",
            comma_list(&ids)
        ))
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "destroy_many ids")).await;
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "action": "delete", "status": "Deleted", "success": true}))
        .collect();
    assert_eq!(results(&done), expected);
    for id in &ids {
        assert_eq!(
            show_user(&mock, &json!(id)).await["active"],
            false,
            "user {id}"
        );
    }
}

#[tokio::test]
async fn destroy_many_by_external_ids_soft_deletes_every_user() {
    let mock = Mock::start().await;
    let mut ids = Vec::new();
    for (name, email, external) in [
        ("Ext One", "ext.one@example.com", "ext-one"),
        ("Ext Two", "ext.two@example.com", "ext-two"),
    ] {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": name, "email": email, "external_id": external}}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.json["user"]["id"].as_i64().expect("id"));
    }
    let reply = mock
        .admin()
        .delete("/api/v2/users/destroy_many.json?external_ids=ext-one,ext-two")
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "destroy_many external_ids")).await;
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "action": "delete", "status": "Deleted", "success": true}))
        .collect();
    assert_eq!(results(&done), expected);
    for id in &ids {
        assert_eq!(
            show_user(&mock, &json!(id)).await["active"],
            false,
            "user {id}"
        );
    }
}

#[tokio::test]
async fn destroy_many_including_the_owner_fails_that_item_and_deletes_the_others() {
    let mock = Mock::start().await;
    let me = mock.admin().get("/api/v2/users/me.json").await;
    let owner = me.json["user"]["id"].as_i64().expect("owner id");
    let ids = create_users(
        &mock,
        &[
            ("Gone One", "gone.one@example.com"),
            ("Gone Two", "gone.two@example.com"),
        ],
    )
    .await;

    let reply = mock
        .admin()
        .delete(&format!(
            "/api/v2/users/destroy_many.json?ids={},{owner},{}",
            ids[0], ids[1]
        ))
        .await;
    let done = completed(&mock, &queued_job(&reply, 3, "destroy_many with owner")).await;
    assert_job_forms(&mock, &done);
    let items = results(&done);
    assert_eq!(items.len(), 3, "{done}");
    for (index, id) in [(0, ids[0]), (2, ids[1])] {
        assert_eq!(
            items[index],
            json!({"id": id, "action": "delete", "status": "Deleted", "success": true}),
            "item {index}"
        );
        assert_eq!(show_user(&mock, &json!(id)).await["active"], false);
    }
    assert_eq!(items[1]["id"], owner, "{done}");
    assert_eq!(items[1]["success"], false, "{done}");
    assert_eq!(items[1]["error"], "Forbidden", "{done}");
    assert!(
        items[1]["details"].as_str().is_some_and(|d| !d.is_empty()),
        "details say why: {done}"
    );
    assert_eq!(show_user(&mock, &json!(owner)).await["active"], true);

    insta::assert_json_snapshot!("completed_destroy_many_with_failed_item", done, {
        ".id" => "[job id]",
        ".url" => "[job url]",
        ".message" => "[Completed at]",
        ".results[].id" => "[user id]",
    });
}

#[tokio::test]
async fn destroy_many_as_an_agent_is_403_and_deletes_nobody() {
    let mock = Mock::start().await;
    let victim = mock.create_user("End User", "end.user@example.com").await;
    let agent = mock.as_token("agent@example.com", ADMIN_TOKEN);
    let reply = agent
        .delete(&format!("/api/v2/users/destroy_many.json?ids={victim}"))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "Forbidden", "description": FORBIDDEN})
    );
    assert_eq!(job_count(&mock).await, 0, "no job queued");
    assert_eq!(show_user(&mock, &json!(victim)).await["active"], true);
}

// ---------------------------------------------------------------------------------------------
// Job modes

#[tokio::test]
async fn manual_job_mode_holds_a_job_queued_until_released() {
    let mock = Mock::start().await;
    set_job_mode(&mock, "manual").await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Held User", "held@example.com")]}),
        )
        .await;
    let job = queued_job(&reply, 1, "create_many in manual mode");
    let id = job_id(&job);

    for poll in 1..=3 {
        let reply = mock.admin().get(&job_path(&id)).await;
        assert_eq!(reply.status, 200, "poll {poll}: {}", reply.text);
        assert_eq!(reply.json["job_status"], job, "poll {poll}: unchanged");
        tokio::task::yield_now().await;
    }
    assert_eq!(
        found_by_email(&mock, "held@example.com").await,
        0,
        "nothing created while held"
    );

    let released = mock.admin().post("/__mock/jobs/release", json!({})).await;
    assert_eq!(released.status, 200, "{}", released.text);
    assert_eq!(released.json, json!({ "released": [id] }));

    let after = mock.admin().get(&job_path(&id)).await;
    assert_eq!(
        after.json["job_status"]["status"], "completed",
        "{}",
        after.text
    );
    assert_eq!(results(&after.json["job_status"])[0]["status"], "Created");
    assert_eq!(found_by_email(&mock, "held@example.com").await, 1);

    let again = mock.admin().post("/__mock/jobs/release", json!({})).await;
    assert_eq!(
        again.json,
        json!({"released": []}),
        "nothing left to release"
    );
}

#[tokio::test]
async fn immediate_job_mode_answers_queued_and_the_first_poll_is_completed() {
    let mock = Mock::start().await;
    set_job_mode(&mock, "immediate").await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Quick User", "quick@example.com")]}),
        )
        .await;
    let job = queued_job(&reply, 1, "create_many in immediate mode");

    let first = mock.admin().get(&job_path(&job_id(&job))).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let polled = &first.json["job_status"];
    assert_eq!(polled["status"], "completed", "{}", first.text);
    assert_eq!(polled["progress"], 1);
    assert_completed_message(&polled["message"]);
    assert_eq!(results(polled)[0]["status"], "Created");
    assert_eq!(found_by_email(&mock, "quick@example.com").await, 1);
}

// ---------------------------------------------------------------------------------------------
// job_statuses endpoints

#[tokio::test]
async fn job_statuses_list_puts_the_newest_completion_first_and_pages_by_cursor() {
    let mock = Mock::start().await;
    let start = 1_700_000_000; // 2023-11-14T22:13:20Z
    freeze_clock(&mock, start);

    // A is created first but completes last; B is created and completed in between.
    set_job_mode(&mock, "manual").await;
    let a = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Job A", "job.a@example.com")]}),
        )
        .await;
    let a = job_id(&queued_job(&a, 1, "job A"));
    freeze_clock(&mock, start + 10);
    set_job_mode(&mock, "immediate").await;
    let b = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Job B", "job.b@example.com")]}),
        )
        .await;
    let b = job_id(&queued_job(&b, 1, "job B"));
    freeze_clock(&mock, start + 20);
    let released = mock.admin().post("/__mock/jobs/release", json!({})).await;
    assert_eq!(
        released.json,
        json!({ "released": [a] }),
        "{}",
        released.text
    );

    let all = mock.admin().get("/api/v2/job_statuses.json").await;
    assert_eq!(all.status, 200, "{}", all.text);
    let listed: Vec<Value> = all.json["job_statuses"]
        .as_array()
        .expect("job_statuses")
        .clone();
    let order: Vec<&str> = listed
        .iter()
        .map(|j| j["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        order,
        vec![a.as_str(), b.as_str()],
        "newest completion first"
    );
    assert_eq!(
        listed[0]["message"], "Completed at 2023-11-14 22:13:40 +0000",
        "A completed at the frozen time"
    );
    assert_eq!(
        listed[1]["message"],
        "Completed at 2023-11-14 22:13:30 +0000"
    );
    assert!(all.json.get("count").is_none(), "cursor-only: no count");
    assert_eq!(all.json["meta"]["has_more"], false);

    // One per page, following links.next to the end.
    let mut path = "/api/v2/job_statuses.json?page[size]=1".to_owned();
    let mut walked = Vec::new();
    for page in 1..=2 {
        let reply = mock.admin().get(&path).await;
        assert_eq!(reply.status, 200, "page {page}: {}", reply.text);
        let items = reply.json["job_statuses"].as_array().expect("page items");
        assert_eq!(items.len(), 1, "page {page}: {}", reply.text);
        walked.push(items[0]["id"].as_str().unwrap_or_default().to_owned());
        let next = &reply.json["links"]["next"];
        if page == 2 {
            assert_eq!(reply.json["meta"]["has_more"], false, "{}", reply.text);
            assert!(next.is_null(), "last page links onward: {}", reply.text);
        } else {
            assert_eq!(reply.json["meta"]["has_more"], true, "{}", reply.text);
            let next = next.as_str().expect("links.next");
            path = next
                .strip_prefix(&mock.url)
                .unwrap_or_else(|| panic!("links.next {next} is not on this server"))
                .to_owned();
        }
    }
    assert_eq!(walked, vec![a, b]);
}

#[tokio::test]
async fn show_many_returns_each_named_job() {
    let mock = Mock::start().await;
    let mut ids = Vec::new();
    for email in ["many.one@example.com", "many.two@example.com"] {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [user_body("Many", email)]}),
            )
            .await;
        let job = queued_job(&reply, 1, email);
        completed(&mock, &job).await;
        ids.push(job_id(&job));
    }
    let third = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Not Asked", "not.asked@example.com")]}),
        )
        .await;
    let third = job_id(&queued_job(&third, 1, "third job"));

    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/job_statuses/show_many.json?ids={},{}",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let jobs = reply.json["job_statuses"].as_array().expect("job_statuses");
    let mut got: Vec<&str> = jobs
        .iter()
        .map(|j| j["id"].as_str().unwrap_or(""))
        .collect();
    got.sort_unstable();
    let mut wanted: Vec<&str> = ids.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    assert_eq!(got, wanted, "exactly the named jobs");
    assert!(!got.contains(&third.as_str()));
    for job in jobs {
        assert_job_forms(&mock, job);
        assert_eq!(job["status"], "completed");
    }
}

#[tokio::test]
async fn unknown_job_ids_are_404() {
    let mock = Mock::start().await;
    for (case, id) in [
        (
            "well-formed but unknown",
            "V3-00000000000000000000000000000000",
        ),
        ("not a job id at all", "no-such-job"),
    ] {
        let reply = mock.admin().get(&job_path(id)).await;
        assert_eq!(reply.status, 404, "case: {case}: {}", reply.text);
        assert_eq!(
            reply.json,
            json!({"error": "RecordNotFound", "description": "Not found"}),
            "case: {case}"
        );
    }
}

#[tokio::test]
async fn events_log_shows_job_queued_then_the_work_then_job_completed() {
    let mock = Mock::start().await;
    let cleared = mock.admin().delete("/__mock/events").await;
    assert_eq!(cleared.status, 204, "{}", cleared.text);
    let reply = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [user_body("Logged", "logged@example.com")]}),
        )
        .await;
    let done = completed(&mock, &queued_job(&reply, 1, "create_many")).await;
    let id = job_id(&done);
    let user_id = results(&done)[0]["id"].clone();

    let events = mock.admin().get("/__mock/events").await;
    assert_eq!(events.status, 200, "{}", events.text);
    let types: Vec<&str> = events.json["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| {
            e["job_id"] == id.as_str() || (e["type"] == "UserCreated" && e["user_id"] == user_id)
        })
        .map(|e| e["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        vec!["JobQueued", "UserCreated", "JobCompleted"],
        "{}",
        events.text
    );
}
