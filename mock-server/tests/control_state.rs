//! The control API's per-account calls (design.md "Control API") over real HTTP: reset, seed,
//! settings, the journal and the event log.

mod common;
mod control;

use common::world::{event_types, event_types_about, listed_emails};
use common::{ADMIN_EMAIL, Mock};
use control::{journal, search_count};
use serde_json::{Value, json};

// ---- reset and seed ----

#[tokio::test]
async fn reset_empties_the_account_back_to_its_owner() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let before = mock
        .create_user("Before Reset", "before.reset@example.com")
        .await;
    assert!(
        event_types_about(&admin, "user_id", before)
            .await
            .contains(&"UserCreated".to_owned())
    );

    let reply = admin.post("/__mock/reset", json!({})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["account"]["subdomain"], "demo");
    assert_eq!(reply.json["account"]["admin"]["email"], ADMIN_EMAIL);

    assert_eq!(listed_emails(&admin).await, [ADMIN_EMAIL]);
    assert_eq!(
        admin.get("/api/v2/deleted_users.json").await.json["deleted_users"],
        json!([]),
        "soft-deleted demo users are gone too"
    );
    assert_eq!(
        event_types_about(&admin, "user_id", before).await,
        Vec::<String>::new(),
        "events before the reset were cleared"
    );
    assert_eq!(
        event_types(&admin).await.last().map(String::as_str),
        Some("AccountReset")
    );
    let entries = journal(&admin).await;
    assert!(
        !entries
            .iter()
            .any(|(method, path, _)| method == "POST" && path == "/api/v2/users.json"),
        "requests before the reset were cleared from the journal: {entries:?}"
    );
    assert_eq!(
        entries.first(),
        Some(&("POST".to_owned(), "/__mock/reset".to_owned(), 200)),
        "the journal restarts at the reset"
    );
    let me = admin.get("/api/v2/users/me.json").await;
    assert_eq!(me.status, 200, "owner credentials survive: {}", me.text);
    let bearer = mock
        .bearer("demo-oauth-token")
        .get("/api/v2/users.json")
        .await;
    assert_eq!(
        bearer.status, 401,
        "seeded OAuth tokens go: {}",
        bearer.text
    );
}

/// design.md: reset "clears journal, events"; the owner's re-creation is setup, not something a
/// client did (the demo account's log likewise starts empty).
#[tokio::test]
async fn reset_leaves_only_the_reset_in_the_event_log() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let reply = admin.post("/__mock/reset", json!({})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(event_types(&admin).await, ["AccountReset"]);
}

#[tokio::test]
async fn seed_returns_the_ids_it_assigned_in_order_with_refs() {
    let mock = Mock::empty().await;
    let reply = mock
        .admin()
        .post(
            "/__mock/seed",
            json!({"users": [
                {"ref": "ann", "name": "Ann Seed", "email": "ann@seed.test"},
                {"name": "No Ref", "email": "noref@seed.test"},
                {"ref": "bob", "name": "Bob Seed", "email": "bob@seed.test", "role": "agent"},
            ]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ids: Vec<i64> = reply.json["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|v| v.as_i64().expect("numeric id"))
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(reply.json["refs"], json!({"ann": ids[0], "bob": ids[2]}));
    for (id, name, role) in [
        (ids[0], "Ann Seed", "end-user"),
        (ids[1], "No Ref", "end-user"),
        (ids[2], "Bob Seed", "agent"),
    ] {
        let user = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
        assert_eq!(user.json["user"]["name"], name, "{}", user.text);
        assert_eq!(user.json["user"]["role"], role);
    }
}

#[tokio::test]
async fn a_bad_seed_changes_nothing_and_is_a_400() {
    let fresh = json!({"name": "Fresh Face", "email": "fresh@example.com"});
    let cases = [
        (
            "email of an existing user",
            json!({"users": [fresh, {"name": "Dup", "email": "jane.doe@example.com"}]}),
        ),
        (
            "email repeated within the seed",
            json!({"users": [fresh, {"name": "Twin", "email": "fresh@example.com"}]}),
        ),
        (
            "unknown user field",
            json!({"users": [fresh, {"name": "Odd", "email": "odd@example.com", "shoe_size": 9}]}),
        ),
        (
            "unknown deletion kind",
            json!({"users": [fresh, {"name": "Odd", "email": "odd@example.com", "deleted": "mostly"}]}),
        ),
        (
            "OAuth token for an unknown user",
            json!({"users": [fresh], "oauth_tokens": [{"token": "t1", "user": "ghost@example.com"}]}),
        ),
        (
            "unknown top-level key",
            json!({"users": [fresh], "widgets": []}),
        ),
    ];
    let mock = Mock::start().await;
    let admin = mock.admin();
    let before = admin.get("/api/v2/users.json").await.json["count"].clone();
    admin.delete("/__mock/events").await;
    for (case, world) in cases {
        let reply = admin.post("/__mock/seed", world).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], "InvalidJSON", "{case}: {}", reply.text);
        assert_eq!(search_count(&admin, "fresh@example.com").await, 0, "{case}");
        assert_eq!(
            admin.get("/api/v2/users.json").await.json["count"],
            before,
            "{case}: user count changed"
        );
        assert_eq!(event_types(&admin).await, Vec::<String>::new(), "{case}");
    }
    let oauth = mock.bearer("t1").get("/api/v2/users/me.json").await;
    assert_eq!(oauth.status, 401, "a rejected seed granted its token");
}

#[tokio::test]
async fn seed_can_leave_users_soft_or_permanently_deleted() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let reply = admin
        .post(
            "/__mock/seed",
            json!({"users": [
                {"ref": "soft", "name": "Sally Soft", "email": "sally@example.com", "deleted": "soft"},
                {"ref": "gone", "name": "Pete Perm", "email": "pete@example.com", "deleted": "permanent"},
            ]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let soft = reply.json["refs"]["soft"].as_i64().expect("soft id");
    let gone = reply.json["refs"]["gone"].as_i64().expect("gone id");
    assert_eq!(
        listed_emails(&admin).await,
        [ADMIN_EMAIL],
        "neither is active"
    );

    let sally = admin.get(&format!("/api/v2/users/{soft}.json")).await;
    assert_eq!(sally.status, 200, "{}", sally.text);
    assert_eq!(sally.json["user"]["active"], false);
    assert_eq!(sally.json["user"]["name"], "Sally Soft");

    let pete = admin.get(&format!("/api/v2/users/{gone}.json")).await;
    assert_eq!(pete.status, 404, "{}", pete.text);
    let placeholder = admin
        .get(&format!("/api/v2/deleted_users/{gone}.json"))
        .await;
    assert_eq!(placeholder.status, 200, "{}", placeholder.text);
    assert_eq!(
        placeholder.json["deleted_user"]["name"],
        "Permanently Deleted User"
    );
    assert_eq!(placeholder.json["deleted_user"]["email"], Value::Null);

    let listed = admin.get("/api/v2/deleted_users.json").await;
    let deleted: Vec<i64> = listed.json["deleted_users"]
        .as_array()
        .expect("deleted_users")
        .iter()
        .filter_map(|u| u["id"].as_i64())
        .collect();
    assert!(deleted.contains(&soft), "{}", listed.text);
}

// ---- settings ----

#[tokio::test]
async fn settings_read_and_patch() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let shown = admin.get("/__mock/settings").await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    insta::assert_json_snapshot!("settings_default", shown.json);

    let patched = admin
        .patch(
            "/__mock/settings",
            json!({"job_mode": "manual", "plan": "team"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let mut expected = shown.json.clone();
    expected["settings"]["job_mode"] = json!("manual");
    expected["settings"]["plan"] = json!("team");
    assert_eq!(patched.json, expected, "only the named settings change");
    assert_eq!(admin.get("/__mock/settings").await.json, expected);
}

#[tokio::test]
async fn bad_settings_are_400_and_change_nothing() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let before = admin.get("/__mock/settings").await.json;
    let cases = [
        ("unknown setting", json!({"nope": 1})),
        (
            "unknown setting beside a good one",
            json!({"job_mode": "manual", "nope": 1}),
        ),
        ("unknown job mode", json!({"job_mode": "sometimes"})),
        ("unknown plan", json!({"plan": "platinum"})),
        ("boolean as a string", json!({"password_auth": "yes"})),
        ("not an object", json!(["job_mode", "manual"])),
    ];
    for (case, patch) in cases {
        let reply = admin.patch("/__mock/settings", patch).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], "InvalidJSON", "{case}");
        assert_eq!(admin.get("/__mock/settings").await.json, before, "{case}");
    }
    let unknown = admin.patch("/__mock/settings", json!({"nope": 1})).await;
    insta::assert_json_snapshot!("settings_unknown_setting", unknown.json);
}

// ---- journal and events ----

#[tokio::test]
async fn journal_lists_requests_as_sent_and_can_be_cleared() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    admin.get("/api/v2/users/me.json").await;
    admin.get("/api/v2/users/me?x=1").await;
    admin.get("/api/v2/nope.json").await;
    mock.anonymous().get("/api/v2/users.json").await;
    admin
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Journaled", "email": "journaled@example.com"}}),
        )
        .await;

    let reply = admin.get("/__mock/journal").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let entries = reply.json["journal"].as_array().expect("journal");
    let seen: Vec<(&str, &str, &Value, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap_or_default(),
                e["path"].as_str().unwrap_or_default(),
                &e["query"],
                e["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("GET", "/api/v2/users/me.json", &Value::Null, 200),
            ("GET", "/api/v2/users/me", &json!("x=1"), 200),
            ("GET", "/api/v2/nope.json", &Value::Null, 404),
            ("GET", "/api/v2/users.json", &Value::Null, 401),
            ("POST", "/api/v2/users.json", &Value::Null, 201),
        ]
    );
    let seqs: Vec<u64> = entries.iter().filter_map(|e| e["seq"].as_u64()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {seqs:?}"
    );
    let admin_id = mock.user_id(ADMIN_EMAIL).await;
    assert_eq!(entries[0]["user_id"], admin_id);
    assert_eq!(entries[3]["user_id"], Value::Null, "anonymous request");

    let cleared = admin.delete("/__mock/journal").await;
    assert_eq!(cleared.status, 204, "{}", cleared.text);
    let after = journal(&admin).await;
    assert!(
        after
            .iter()
            .all(|(_, path, _)| path.starts_with("/__mock/")),
        "earlier requests remain after clearing: {after:?}"
    );
}

#[tokio::test]
async fn events_list_what_happened_and_can_be_cleared() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    assert_eq!(event_types(&admin).await, Vec::<String>::new());
    let id = mock.create_user("Eve Event", "eve@example.com").await;
    let deleted = admin.delete(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    let reply = admin.get("/__mock/events").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let events = reply.json["events"].as_array().expect("events");
    let about_eve: Vec<&str> = events
        .iter()
        .filter(|e| e["user_id"] == id)
        .filter_map(|e| e["type"].as_str())
        .filter(|t| t.starts_with("User"))
        .collect();
    assert_eq!(about_eve, ["UserCreated", "UserSoftDeleted"]);
    for event in events {
        assert!(event["seq"].is_u64(), "{event}");
        assert!(
            event["at"].as_str().is_some_and(|t| t.ends_with('Z')),
            "{event}"
        );
    }

    let cleared = admin.delete("/__mock/events").await;
    assert_eq!(cleared.status, 204, "{}", cleared.text);
    assert_eq!(event_types(&admin).await, Vec::<String>::new());
}
