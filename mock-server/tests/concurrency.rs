//! Conflicting requests fired from many tasks at once, on a multi-thread runtime, leave the
//! account consistent: uniqueness holds, a delete wins over racing updates and frees the user's
//! identities, and each user is soft-deleted exactly once however many calls race to do it.
//!
//! Every task waits at a barrier before sending, so the requests overlap as much as the
//! runtime allows. Only outcomes are asserted, never timings: whichever order the server
//! happens to serialize the calls in, the invariants must hold.

mod common;

use common::world::events;
use common::{Mock, Reply, wait_for_job};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Barrier;

/// One request of a race, sent as the demo admin.
struct Call {
    label: String,
    method: Method,
    path: String,
    body: Option<Value>,
}

impl Call {
    fn new(label: impl Into<String>, method: Method, path: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            method,
            path: path.into(),
            body: None,
        }
    }

    fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

/// Sends every call from its own task, all released together, and returns each call's label
/// with its reply, in the order the calls were given.
async fn race(mock: &Arc<Mock>, calls: Vec<Call>) -> Vec<(String, Reply)> {
    let barrier = Arc::new(Barrier::new(calls.len()));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|call| {
            let (mock, barrier) = (Arc::clone(mock), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                let reply = mock.admin().send(call.method, &call.path, call.body).await;
                (call.label, reply)
            })
        })
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.expect("a request task panicked"));
    }
    replies
}

/// How many replies had each status, for failure messages.
fn tally<'r>(replies: impl IntoIterator<Item = &'r (String, Reply)>) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for (_, reply) in replies {
        *counts.entry(reply.status).or_default() += 1;
    }
    counts
}

/// Asserts that every reply has one of `allowed` statuses, naming the first call that did not.
#[track_caller]
fn assert_statuses_within(case: &str, replies: &[(String, Reply)], allowed: &[u16]) {
    for (label, reply) in replies {
        assert!(
            allowed.contains(&reply.status),
            "{case}: {label} answered {} (allowed {allowed:?}; all: {:?}): {}",
            reply.status,
            tally(replies),
            reply.text
        );
    }
}

/// The `UserSoftDeleted` events of the account, counted by user id.
async fn soft_delete_events(mock: &Mock) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for event in events(&mock.admin()).await {
        if event["type"] == "UserSoftDeleted" {
            let user = event["user_id"].as_i64().expect("event user_id");
            *counts.entry(user).or_default() += 1;
        }
    }
    counts
}

/// The active users other than the account owner (`GET /users` lists active users only).
async fn active_users_besides_owner(mock: &Mock) -> Vec<Value> {
    let reply = mock.admin().get("/api/v2/users.json").await;
    assert_eq!(reply.status, 200, "GET /users: {}", reply.text);
    reply.json["users"]
        .as_array()
        .expect("users array")
        .iter()
        .filter(|u| u["email"] != common::ADMIN_EMAIL)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_racing_creates_with_one_email_make_exactly_one_user() {
    let case = "32 creates with one email";
    let mock = Arc::new(Mock::empty().await);
    let email = "twin@example.com";
    let calls = (0..32)
        .map(|i| {
            Call::new(format!("create #{i}"), Method::POST, "/api/v2/users.json").with_body(
                json!({"user": {"name": format!("Twin {i}"), "email": email, "verified": true}}),
            )
        })
        .collect();
    let replies = race(&mock, calls).await;

    assert_statuses_within(case, &replies, &[201, 422]);
    let created: Vec<&Reply> = replies
        .iter()
        .filter(|(_, r)| r.status == 201)
        .map(|(_, r)| r)
        .collect();
    assert_eq!(
        created.len(),
        1,
        "{case}: exactly one create must win: {:?}",
        tally(&replies)
    );
    for (label, reply) in replies.iter().filter(|(_, r)| r.status == 422) {
        let description = reply.json["details"]["email"][0]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            description.contains("already being used"),
            "{case}: {label} was refused for another reason: {}",
            reply.text
        );
    }
    let winner = created[0].json["user"]["id"].as_i64().expect("user id");

    let found = mock
        .admin()
        .get(&format!("/api/v2/users/search.json?query={email}"))
        .await;
    assert_eq!(found.status, 200, "{case}: search: {}", found.text);
    let holders: Vec<i64> = found.json["users"]
        .as_array()
        .expect("users array")
        .iter()
        .filter(|u| u["email"] == email)
        .filter_map(|u| u["id"].as_i64())
        .collect();
    assert_eq!(
        holders,
        [winner],
        "{case}: the email must belong to the winner alone: {}",
        found.text
    );
    let others = active_users_besides_owner(&mock).await;
    assert_eq!(
        others.len(),
        1,
        "{case}: a refused create left a user behind: {others:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_updates_and_soft_deletes_leave_the_user_deleted_with_its_identities_free() {
    let case = "16 updates racing 16 soft deletes";
    let mock = Arc::new(Mock::empty().await);
    let phone = "+1 202 555 0199";
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Racer", "email": "racer@example.com", "phone": phone, "verified": true}}),
        )
        .await;
    assert_eq!(
        reply.status, 201,
        "{case}: creating the user: {}",
        reply.text
    );
    let id = reply.json["user"]["id"].as_i64().expect("user id");

    let calls = (0..16)
        .flat_map(|i| {
            [
                Call::new(
                    format!("update #{i}"),
                    Method::PUT,
                    format!("/api/v2/users/{id}.json"),
                )
                .with_body(json!({"user": {
                    "name": format!("Racer {i}"),
                    "email": format!("racer{i}@example.com"),
                }})),
                Call::new(
                    format!("delete #{i}"),
                    Method::DELETE,
                    format!("/api/v2/users/{id}.json"),
                ),
            ]
        })
        .collect();
    let replies = race(&mock, calls).await;
    assert_statuses_within(case, &replies, &[200, 404, 422]);

    let shown = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(shown.status, 200, "{case}: GET the user: {}", shown.text);
    assert_eq!(
        shown.json["user"]["active"], false,
        "{case}: the user must end soft-deleted: {}",
        shown.text
    );

    // Every address the user held, the original and any an update added, is free again.
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Heir", "email": "racer@example.com"}}),
        )
        .await;
    assert_eq!(
        reply.status, 201,
        "{case}: racer@example.com is still held after the delete: {}",
        reply.text
    );
    let heir = reply.json["user"]["id"].as_i64().expect("user id");
    for i in 0..16 {
        let value = format!("racer{i}@example.com");
        let reply = mock
            .admin()
            .post(
                &format!("/api/v2/users/{heir}/identities.json"),
                json!({"identity": {"type": "email", "value": value}}),
            )
            .await;
        assert_eq!(
            reply.status, 201,
            "{case}: {value} is still held after the delete: {}",
            reply.text
        );
    }
    let reply = mock
        .admin()
        .post(
            &format!("/api/v2/users/{heir}/identities.json"),
            json!({"identity": {"type": "phone_number", "value": phone}}),
        )
        .await;
    assert_eq!(
        reply.status, 201,
        "{case}: the phone number is still held after the delete: {}",
        reply.text
    );

    let events = soft_delete_events(&mock).await;
    assert_eq!(
        events.get(&id),
        Some(&1),
        "{case}: the user must be soft-deleted exactly once: {events:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_create_or_update_calls_on_one_external_id_make_exactly_one_user() {
    let case = "16 create_or_update calls on one external_id";
    let mock = Arc::new(Mock::empty().await);
    // External ids match case-insensitively (facts §3.1), so both spellings name one user.
    let calls = (0..16)
        .map(|i| {
            let external_id = if i % 2 == 0 { "crm-race" } else { "CRM-Race" };
            Call::new(
                format!("create_or_update #{i} ({external_id})"),
                Method::POST,
                "/api/v2/users/create_or_update.json",
            )
            .with_body(json!({"user": {"name": format!("Upsert {i}"), "external_id": external_id}}))
        })
        .collect();
    let replies = race(&mock, calls).await;

    assert_statuses_within(case, &replies, &[200, 201]);
    assert_eq!(
        tally(&replies).get(&201),
        Some(&1),
        "{case}: exactly one call must create the user: {:?}",
        tally(&replies)
    );
    let ids: Vec<Option<i64>> = replies
        .iter()
        .map(|(_, r)| r.json["user"]["id"].as_i64())
        .collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] == pair[1]) && ids[0].is_some(),
        "{case}: every call must answer with the same user: {ids:?}"
    );

    let listed = mock
        .admin()
        .get("/api/v2/users.json?external_id=crm-race")
        .await;
    assert_eq!(listed.status, 200, "{case}: list: {}", listed.text);
    let holders: Vec<Option<i64>> = listed.json["users"]
        .as_array()
        .expect("users array")
        .iter()
        .map(|u| u["id"].as_i64())
        .collect();
    assert_eq!(
        holders,
        [ids[0]],
        "{case}: one user must hold the external_id: {}",
        listed.text
    );
    let others = active_users_besides_owner(&mock).await;
    assert_eq!(
        others.len(),
        1,
        "{case}: the race left extra users: {others:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_destroy_many_and_single_deletes_soft_delete_each_user_exactly_once() {
    let case = "destroy_many racing single deletes on 20 users";
    let mock = Arc::new(Mock::empty().await);
    let mut users = Vec::new();
    for i in 0..20 {
        users.push(
            mock.create_user(&format!("Doomed {i}"), &format!("doomed{i}@example.com"))
                .await,
        );
    }
    let ids = users
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut calls: Vec<Call> = (0..2)
        .map(|j| {
            Call::new(
                format!("destroy_many #{j}"),
                Method::DELETE,
                format!("/api/v2/users/destroy_many.json?ids={ids}"),
            )
        })
        .collect();
    calls.extend(users.iter().map(|id| {
        Call::new(
            format!("delete {id}"),
            Method::DELETE,
            format!("/api/v2/users/{id}.json"),
        )
    }));
    let replies = race(&mock, calls).await;

    let (bulk, single): (Vec<_>, Vec<_>) = replies
        .into_iter()
        .partition(|(label, _)| label.starts_with("destroy_many"));
    assert_statuses_within(case, &bulk, &[200]);
    assert_statuses_within(case, &single, &[200, 404]);

    for (label, reply) in &bulk {
        let job_id = reply.json["job_status"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{case}: {label} answered no job: {}", reply.text));
        let job = wait_for_job(&mock.admin(), job_id).await;
        assert_eq!(job["status"], "completed", "{case}: {label}: {job}");
        let mut named: Vec<i64> = job["results"]
            .as_array()
            .unwrap_or_else(|| panic!("{case}: {label} has no results: {job}"))
            .iter()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        named.sort_unstable();
        assert_eq!(
            named, users,
            "{case}: {label} must report each user once: {job}"
        );
    }

    for id in &users {
        let shown = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
        assert_eq!(shown.status, 200, "{case}: GET user {id}: {}", shown.text);
        assert_eq!(
            shown.json["user"]["active"], false,
            "{case}: user {id} must end soft-deleted: {}",
            shown.text
        );
    }
    let events = soft_delete_events(&mock).await;
    let wrong: Vec<(i64, usize)> = users
        .iter()
        .map(|id| (*id, events.get(id).copied().unwrap_or(0)))
        .filter(|&(_, count)| count != 1)
        .collect();
    assert!(
        wrong.is_empty(),
        "{case}: each user needs exactly one UserSoftDeleted event; (user, count): {wrong:?}"
    );
}
