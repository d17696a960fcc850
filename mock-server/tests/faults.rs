//! Injected faults over real HTTP (`/__mock/faults`, design.md "Control API"): what each effect
//! does to the request — the statuses and their bodies, counts, seeded probability, latency,
//! dropped connections, and jobs failing part-way. The API itself (list, delete, bad specs,
//! patterns, accounts) is in `faults_control.rs`.

mod common;
mod fault_api;

use common::{Mock, wait_for_job};
use fault_api::{add_fault, list_faults, me_status};
use serde_json::{Value, json};

const RATE_LIMITED: &str = "Number of allowed API requests per minute exceeded";
const INTERNAL: &str = r#"{"status":500,"error":"Internal Server Error"}"#;
const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
const UNAVAILABLE: &str = "Service Unavailable";
const ITEM_DETAILS: &str = "The item could not be processed. Please try again.";

#[tokio::test]
async fn each_injected_status_answers_with_its_zendesk_body_and_retry_after() {
    // (status, retry_after in the spec, content type, body, Retry-After sent)
    let cases = [
        (429, None, "text/plain", RATE_LIMITED, Some("60")),
        (429, Some(7), "text/plain", RATE_LIMITED, Some("7")),
        (500, None, "application/json", INTERNAL, None),
        (502, None, "text/html", BAD_GATEWAY, None),
        (503, None, "text/plain", UNAVAILABLE, None),
        (503, Some(120), "text/plain", UNAVAILABLE, Some("120")),
    ];
    let mock = Mock::empty().await;
    let admin = mock.admin();
    for (status, retry_after, content_type, body, sent_retry_after) in cases {
        let case = format!("{status} with retry_after {retry_after:?}");
        let mut spec = json!({"method": "GET", "path": "/api/v2/users/me", "status": status,
            "count": 1});
        if let Some(seconds) = retry_after {
            spec["retry_after"] = json!(seconds);
        }
        add_fault(&admin, spec).await;
        let reply = admin.get("/api/v2/users/me.json").await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text);
        assert_eq!(reply.text, body, "{case}");
        let sent_type = reply.header("content-type").unwrap_or_default();
        assert!(sent_type.starts_with(content_type), "{case}: {sent_type}");
        assert_eq!(reply.header("retry-after"), sent_retry_after, "{case}");
        assert!(
            reply.header("x-rate-limit").is_some(),
            "{case}: rate-limit headers"
        );
        assert_eq!(me_status(&admin).await, 200, "{case}: count 1 is spent");
    }
}

#[tokio::test]
async fn a_counted_fault_fires_count_times_then_the_request_runs_normally() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let spec = json!({"method": "GET", "path": "/api/v2/users/me", "status": 503, "count": 2});
    let fault = add_fault(&admin, spec).await;
    assert_eq!(
        (fault["hits"].clone(), fault["remaining"].clone()),
        (json!(0), json!(2))
    );
    let statuses = [
        me_status(&admin).await,
        me_status(&admin).await,
        me_status(&admin).await,
    ];
    assert_eq!(statuses, [503, 503, 200]);
    let listed = &list_faults(&admin).await[0];
    assert_eq!(
        (listed["hits"].clone(), listed["remaining"].clone()),
        (json!(2), json!(0))
    );
}

/// 32 requests against a fresh server with one seeded fault: the statuses they get.
async fn statuses_with_seed(seed: Option<u64>) -> (Vec<u16>, Value) {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let mut spec =
        json!({"method": "GET", "path": "/api/v2/users/me", "status": 503, "probability": 0.5});
    if let Some(seed) = seed {
        spec["seed"] = json!(seed);
    }
    add_fault(&admin, spec).await;
    let mut statuses = Vec::new();
    for _ in 0..32 {
        statuses.push(me_status(&admin).await);
    }
    (statuses, list_faults(&admin).await[0].clone())
}

#[tokio::test]
async fn a_seeded_probability_fires_on_the_same_requests_on_two_fresh_servers() {
    let (first, fault) = statuses_with_seed(Some(7)).await;
    let (second, _) = statuses_with_seed(Some(7)).await;
    assert_eq!(first, second, "same seed, same requests");
    let fired = first.iter().filter(|s| **s == 503).count();
    assert!(
        fired > 0 && fired < 32,
        "p=0.5 fired {fired} of 32: {first:?}"
    );
    assert!(first.iter().all(|s| *s == 503 || *s == 200), "{first:?}");
    assert_eq!(fault["hits"], json!(fired), "{fault}");
    assert_eq!(
        (fault["seed"].clone(), fault["remaining"].clone()),
        (json!(7), Value::Null)
    );
    let (other_seed, _) = statuses_with_seed(Some(8)).await;
    assert_ne!(first, other_seed, "another seed draws another sequence");
    let (default_seed, fault) = statuses_with_seed(None).await;
    assert_eq!(
        fault["seed"],
        json!(0),
        "the default seed is listed: {fault}"
    );
    assert_eq!(default_seed, statuses_with_seed(Some(0)).await.0);
}

#[tokio::test]
async fn latency_delays_the_request_as_the_journal_shows_alone_or_before_a_status() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let slow = json!({"method": "GET", "path": "/api/v2/users/me", "latency_ms": 150, "count": 1});
    add_fault(&admin, slow).await;
    let slow_error = json!({"method": "GET", "path": "/api/v2/users/*", "latency_ms": 60,
        "status": 500, "count": 1});
    add_fault(&admin, slow_error).await;
    assert_eq!(
        me_status(&admin).await,
        200,
        "latency alone, then the request runs"
    );
    assert_eq!(admin.get("/api/v2/users/me").await.status, 500);
    let journal = admin.get("/__mock/journal").await.json["journal"].clone();
    let entries: Vec<(u64, u64)> = journal
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["path"].as_str().unwrap().starts_with("/api/v2/users/me"))
        .map(|e| {
            (
                e["status"].as_u64().unwrap(),
                e["duration_us"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries.len(), 2, "{journal}");
    assert_eq!(entries[0].0, 200);
    assert!(entries[0].1 >= 150_000, "latency applied: {entries:?}");
    assert_eq!(entries[1].0, 500);
    assert!(
        entries[1].1 >= 60_000,
        "latency applied before the status: {entries:?}"
    );
}

#[tokio::test]
async fn drop_connection_breaks_the_connection_and_the_server_carries_on() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let spec = json!({"method": "GET", "path": "/api/v2/users/me", "drop_connection": true,
        "count": 1});
    add_fault(&admin, spec).await;
    let sent = mock
        .http
        .get(format!("{}/api/v2/users/me.json", mock.url))
        .basic_auth("admin@example.com/token", Some("demo-token"))
        .send()
        .await;
    let outcome = match sent {
        Err(error) => Err(error),
        Ok(response) => response.bytes().await.map(|_| ()),
    };
    outcome.expect_err("the client must see a broken connection");
    assert_eq!(me_status(&admin).await, 200, "the next request is served");
    assert_eq!(list_faults(&admin).await[0]["hits"], json!(1));
}

#[tokio::test]
async fn fail_job_items_fails_the_last_items_of_the_next_job_which_still_completes() {
    for mode in ["immediate", "background", "manual"] {
        let mock = Mock::empty().await;
        let admin = mock.admin();
        let settings = admin
            .patch("/__mock/settings", json!({"job_mode": mode}))
            .await;
        assert_eq!(settings.status, 200, "{mode}: {}", settings.text);
        let mut ids = Vec::new();
        for n in 1..=4 {
            ids.push(
                mock.create_user(&format!("U{n}"), &format!("u{n}@example.com"))
                    .await,
            );
        }
        let spec = json!({"method": "DELETE", "path": "/api/v2/users/destroy_many",
            "fail_job_items": 2, "count": 1});
        add_fault(&admin, spec).await;
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let path = format!("/api/v2/users/destroy_many.json?ids={}", list.join(","));
        let reply = admin.delete(&path).await;
        assert_eq!(reply.status, 200, "{mode}: {}", reply.text);
        admin.post("/__mock/jobs/release", json!({})).await;
        let job = wait_for_job(&admin, reply.json["job_status"]["id"].as_str().unwrap()).await;
        assert_eq!(job["status"], "completed", "{mode}: {job}");
        assert_eq!(
            (&job["total"], &job["progress"]),
            (&json!(4), &json!(4)),
            "{mode}"
        );
        let expected: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| {
                if n < 2 {
                    json!({"id": id, "action": "delete", "status": "Deleted", "success": true})
                } else {
                    json!({"id": id, "action": "delete", "success": false,
                        "error": "InternalError", "details": ITEM_DETAILS})
                }
            })
            .collect();
        assert_eq!(job["results"], json!(expected), "{mode}");
        for (n, id) in ids.iter().enumerate() {
            let user = admin.get(&format!("/api/v2/users/{id}.json")).await.json["user"].clone();
            assert_eq!(
                user["active"],
                json!(n >= 2),
                "{mode}: user {n}: failed, not applied"
            );
        }
        let again = format!("/api/v2/users/destroy_many.json?ids={}", ids[2]);
        let reply = admin.delete(&again).await;
        admin.post("/__mock/jobs/release", json!({})).await;
        let job = wait_for_job(&admin, reply.json["job_status"]["id"].as_str().unwrap()).await;
        assert_eq!(
            job["results"][0]["success"], true,
            "{mode}: fault spent: {job}"
        );
    }
}

#[tokio::test]
async fn fail_job_items_on_a_request_that_queues_no_job_leaves_later_jobs_alone() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let id = mock.create_user("Later", "later@example.com").await;
    let spec = json!({"method": "GET", "path": "/api/v2/users/me", "fail_job_items": 1});
    add_fault(&admin, spec).await;
    assert_eq!(me_status(&admin).await, 200);
    let reply = admin
        .delete(&format!("/api/v2/users/destroy_many.json?ids={id}"))
        .await;
    let job = wait_for_job(&admin, reply.json["job_status"]["id"].as_str().unwrap()).await;
    assert_eq!(job["results"][0]["success"], true, "{job}");
    assert_eq!(list_faults(&admin).await[0]["hits"], json!(1));
}
