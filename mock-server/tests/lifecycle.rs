//! Virtual time and what a live account does on its own: the clock control API, the 30-day
//! purges of soft-deleted users and tickets, solved tickets closing after 4 days (and so
//! lifting the requester guard), job statuses expiring after a day — all driven by advancing
//! the account's clock, never by waiting.

mod common;

use common::{Mock, wait_for_job};
use serde_json::{Value, json};

const START: &str = "2024-01-01T00:00:00Z";

/// A server whose default account holds `world`, seeded with the clock frozen at [`START`]
/// so every timestamp the seed writes is on the test's own timeline.
async fn frozen(world: Value) -> Mock {
    let mock = Mock::empty().await;
    let reply = mock
        .admin()
        .put("/__mock/clock", json!({"now": START, "frozen": true}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let seeded = mock.admin().post("/__mock/seed", world).await;
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    mock
}

async fn advance(mock: &Mock, body: Value) -> Value {
    let reply = mock
        .admin()
        .post("/__mock/clock/advance", body.clone())
        .await;
    assert_eq!(reply.status, 200, "advance {body}: {}", reply.text);
    reply.json
}

fn person(reference: &str) -> Value {
    json!({"ref": reference, "name": format!("Person {reference}"), "email": format!("{reference}@example.com"), "verified": true})
}

async fn user_state(mock: &Mock, id: i64) -> (u16, Value) {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/deleted_users/{id}.json"))
        .await;
    (reply.status, reply.json["deleted_user"].clone())
}

#[tokio::test]
async fn the_clock_can_be_read_set_frozen_and_advanced() {
    let mock = frozen(json!({})).await;
    let admin = mock.admin();
    let shown = admin.get("/__mock/clock").await;
    assert_eq!(
        shown.json["clock"],
        json!({"now": START, "frozen": true, "offset_seconds": 0})
    );
    let created = mock.create_user("Timed", "timed@example.com").await;
    let user = admin.get(&format!("/api/v2/users/{created}.json")).await;
    assert_eq!(
        user.json["user"]["created_at"], START,
        "timestamps come from the account clock"
    );
    let cases = [
        (json!({"seconds": 30}), "2024-01-01T00:00:30Z"),
        (json!({"minutes": 2}), "2024-01-01T00:02:30Z"),
        (json!({"hours": 1, "minutes": 1}), "2024-01-01T01:03:30Z"),
        (json!({"days": 1}), "2024-01-02T01:03:30Z"),
        (
            json!({"to": "2024-02-01T12:00:00Z"}),
            "2024-02-01T12:00:00Z",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            advance(&mock, body.clone()).await["clock"]["now"],
            expected,
            "advance {body}"
        );
    }
    let running = admin.put("/__mock/clock", json!({"frozen": false})).await;
    assert_eq!(running.json["clock"]["frozen"], false, "{}", running.text);
    assert!(
        running.json["clock"]["offset_seconds"]
            .as_i64()
            .is_some_and(|o| o != 0)
    );
}

#[tokio::test]
async fn bad_clock_requests_are_400_and_move_nothing() {
    let mock = frozen(json!({})).await;
    let admin = mock.admin();
    let cases = [
        (
            "advance backwards",
            "/__mock/clock/advance",
            json!({"days": -1}),
        ),
        (
            "advance to the past",
            "/__mock/clock/advance",
            json!({"to": "2023-01-01T00:00:00Z"}),
        ),
        (
            "advance to a non-date",
            "/__mock/clock/advance",
            json!({"to": "tomorrow"}),
        ),
        ("unknown unit", "/__mock/clock/advance", json!({"weeks": 1})),
        ("set to a non-date", "/__mock/clock", json!({"now": "soon"})),
    ];
    for (case, path, body) in cases {
        let reply = if path.ends_with("advance") {
            admin.post(path, body).await
        } else {
            admin.put(path, body).await
        };
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
    }
    assert_eq!(admin.get("/__mock/clock").await.json["clock"]["now"], START);
    let end_user = mock.as_token("jane@example.com", "demo-token");
    assert_eq!(
        end_user.get("/__mock/clock").await.status,
        401,
        "the clock is the admin's"
    );
}

#[tokio::test]
async fn a_soft_deleted_user_is_permanently_deleted_after_thirty_days_not_before() {
    let mock = frozen(json!({"users": [person("gone")]})).await;
    let id = mock.user_id("gone@example.com").await;
    assert_eq!(
        mock.admin()
            .delete(&format!("/api/v2/users/{id}.json"))
            .await
            .status,
        200
    );
    let day29 = advance(&mock, json!({"days": 29})).await;
    assert_eq!(day29["ran"], json!([]), "nothing is due on day 29");
    let (status, user) = user_state(&mock, id).await;
    assert_eq!(
        (status, user["name"].clone()),
        (200, json!("Person gone")),
        "still soft-deleted on day 29"
    );
    let day30 = advance(&mock, json!({"days": 1})).await;
    assert_eq!(
        day30["ran"],
        json!([{"at": "2024-01-31T00:00:00Z", "task": "user_purged", "id": id.to_string()}])
    );
    let (_, user) = user_state(&mock, id).await;
    assert_eq!(user["name"], "Permanently Deleted User");
    assert_eq!(user["email"], Value::Null);
    assert_eq!(
        mock.admin()
            .get(&format!("/api/v2/users/{id}.json"))
            .await
            .status,
        404
    );
    let events = mock.admin().get("/__mock/events").await.json;
    let purged = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["type"] == "UserPermanentlyDeleted" && e["user_id"] == id);
    assert!(
        purged,
        "the purge records the same event as the API's permanent delete: {events}"
    );
}

#[tokio::test]
async fn a_soft_deleted_ticket_is_scrubbed_after_thirty_days() {
    let world = json!({"users": [person("req")], "tickets": [
        {"subject": "Secret thing", "requester": "req", "comments": [{"body": "my passport is X99"}]}]});
    let mock = frozen(world).await;
    assert_eq!(
        mock.admin().delete("/api/v2/tickets/1.json").await.status,
        204
    );
    advance(&mock, json!({"days": 29, "hours": 23})).await;
    let listed = mock.admin().get("/api/v2/deleted_tickets.json").await;
    assert_eq!(
        listed.json["deleted_tickets"].as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.text
    );
    let ran = advance(&mock, json!({"hours": 1})).await;
    assert_eq!(ran["ran"][0]["task"], "ticket_scrubbed");
    assert_eq!(
        mock.admin()
            .put("/api/v2/deleted_tickets/1/restore.json", json!({}))
            .await
            .status,
        404
    );
    let residue = mock
        .admin()
        .post("/__mock/residue", json!({"needles": ["passport is X99"]}))
        .await;
    assert_eq!(residue.json["residue"], json!([]));
    let records = mock.admin().get("/__mock/ticket_records").await;
    assert_eq!(records.json["ticket_records"][0]["id"], 1);
    assert_eq!(
        records.json["ticket_records"][0]["deleted_at"],
        "2024-01-31T00:00:00Z"
    );
}

#[tokio::test]
async fn a_solved_ticket_closes_after_four_days_and_then_its_requester_can_be_deleted() {
    let world = json!({"users": [person("solver")], "tickets": [
        {"subject": "Fixed", "requester": "solver", "status": "solved", "comments": [{"body": "thanks"}]}]});
    let mock = frozen(world).await;
    let id = mock.user_id("solver@example.com").await;
    let guarded = mock
        .admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await;
    assert_eq!(
        guarded.status, 422,
        "a solved ticket is not closed: {}",
        guarded.text
    );
    advance(&mock, json!({"days": 3, "hours": 23})).await;
    assert_eq!(
        mock.admin().get("/api/v2/tickets/1.json").await.json["ticket"]["status"],
        "solved"
    );
    let ran = advance(&mock, json!({"hours": 1})).await;
    assert_eq!(
        ran["ran"],
        json!([{"at": "2024-01-05T00:00:00Z", "task": "ticket_closed", "id": "1"}])
    );
    let ticket = mock.admin().get("/api/v2/tickets/1.json").await.json["ticket"].clone();
    assert_eq!(
        (ticket["status"].clone(), ticket["updated_at"].clone()),
        (json!("closed"), json!("2024-01-05T00:00:00Z"))
    );
    let audits = mock.admin().get("/api/v2/tickets/1/audits.json").await.json;
    let last = audits["audits"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("an audit");
    assert_eq!(last["author_id"], -1, "the automation writes as the system");
    assert_eq!(last["events"][0]["previous_value"], "solved");
    assert_eq!(
        mock.admin()
            .delete(&format!("/api/v2/users/{id}.json"))
            .await
            .status,
        200,
        "the guard lifts"
    );
}

#[tokio::test]
async fn the_close_automation_follows_its_setting_and_can_be_turned_off() {
    let world = json!({"users": [person("a")], "tickets": [
        {"subject": "One", "requester": "a", "status": "solved", "comments": [{"body": "x"}]}]});
    let mock = frozen(world).await;
    let off = mock
        .admin()
        .patch("/__mock/settings", json!({"solved_to_closed_days": null}))
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    advance(&mock, json!({"days": 100})).await;
    assert_eq!(
        mock.admin().get("/api/v2/tickets/1.json").await.json["ticket"]["status"],
        "solved"
    );
    mock.admin()
        .patch("/__mock/settings", json!({"solved_to_closed_days": 1}))
        .await;
    // Solved on day 0, due on day 1: long past, so the next move of the clock runs it.
    let ran = advance(&mock, json!({"seconds": 1})).await;
    assert_eq!(ran["ran"][0]["task"], "ticket_closed", "{ran}");
}

#[tokio::test]
async fn finished_job_statuses_expire_after_a_day() {
    let mock = frozen(json!({"users": [person("bulk")]})).await;
    let queued = mock
        .admin()
        .post(
            "/api/v2/users/create_many.json",
            json!({"users": [{"name": "N"}]}),
        )
        .await;
    let job = queued.json["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    wait_for_job(&mock.admin(), &job).await;
    advance(&mock, json!({"hours": 23})).await;
    assert_eq!(
        mock.admin()
            .get(&format!("/api/v2/job_statuses/{job}.json"))
            .await
            .status,
        200
    );
    let ran = advance(&mock, json!({"hours": 1})).await;
    assert_eq!(
        ran["ran"][0],
        json!({"at": "2024-01-02T00:00:00Z", "task": "job_expired", "id": job})
    );
    assert_eq!(
        mock.admin()
            .get(&format!("/api/v2/job_statuses/{job}.json"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn one_advance_runs_everything_due_in_time_order() {
    let world = json!({"users": [person("order"), person("other")], "tickets": [
        {"subject": "S", "requester": "other", "status": "solved", "comments": [{"body": "x"}]}]});
    let mock = frozen(world).await;
    let id = mock.user_id("order@example.com").await;
    mock.admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await;
    let ran = advance(&mock, json!({"days": 31})).await;
    let tasks: Vec<(&str, &str)> = ran["ran"]
        .as_array()
        .expect("ran")
        .iter()
        .map(|r| {
            (
                r["task"].as_str().unwrap_or(""),
                r["at"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        tasks,
        vec![
            ("ticket_closed", "2024-01-05T00:00:00Z"),
            ("user_purged", "2024-01-31T00:00:00Z")
        ]
    );
    assert_eq!(ran["clock"]["now"], "2024-02-01T00:00:00Z");
}
