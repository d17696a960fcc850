//! Job modes and the job_statuses endpoints over real HTTP (facts §6, §2; design.md "Time,
//! jobs and lifecycle"): manual and immediate modes, the list, show_many, unknown ids, and
//! the events a job logs.

mod common;
mod jobs;

use common::Mock;
use common::assert::{assert_completed_message, assert_job_forms};
use common::world::freeze_clock;
use common::{job_id, results};
use jobs::{completed, found_by_email, queued_job, set_job_mode, user_body};
use serde_json::{Value, json};

fn job_path(id: &str) -> String {
    format!("/api/v2/job_statuses/{id}.json")
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
