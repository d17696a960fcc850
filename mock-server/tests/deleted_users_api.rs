//! Deleted users over HTTP (facts §3.4; design.md "Decisions where Zendesk's behaviour is not
//! documented"): the soft-deleted list, show and count, permanent delete and its placeholder,
//! and the event log's record of both steps.

mod common;

use common::assert::{assert_id, assert_record_forms, assert_timestamp};
use common::bodies::not_found;
use common::json::{ids_of, keys, path_of};
use common::{Mock, Reply};
use serde_json::json;

/// `DeletedUserObject` fields (facts §3.4), without the optional `separation`.
const DELETED_USER_KEYS: [&str; 15] = [
    "id",
    "url",
    "name",
    "email",
    "created_at",
    "updated_at",
    "time_zone",
    "phone",
    "shared_phone_number",
    "photo",
    "locale_id",
    "locale",
    "organization_id",
    "role",
    "active",
];

const PLACEHOLDER: &str = "Permanently Deleted User";

/// The demo's soft-deleted Dana, found through the deleted users list.
async fn dana(mock: &Mock) -> i64 {
    let reply = mock.admin().get("/api/v2/deleted_users.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let found: Vec<i64> = reply.json["deleted_users"]
        .as_array()
        .expect("deleted_users")
        .iter()
        .filter(|u| u["name"] == "Dana Deleted")
        .map(|u| u["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(found.len(), 1, "Dana once: {}", reply.text);
    found[0]
}

/// Creates a verified end user with an email and a phone, then soft-deletes them.
async fn soft_deleted(mock: &Mock, name: &str, email: &str, phone: &str) -> i64 {
    let created = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": name, "email": email, "phone": phone, "verified": true,
                            "external_id": format!("ext-{email}"), "notes": "PII here"}}),
        )
        .await;
    assert_eq!(created.status, 201, "creating {email}: {}", created.text);
    let id = assert_id(&created.json["user"]["id"], "created id");
    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await;
    assert_eq!(
        deleted.status, 200,
        "soft-deleting {email}: {}",
        deleted.text
    );
    assert_eq!(deleted.json["user"]["active"], false);
    id
}

async fn permanently_delete(mock: &Mock, id: i64) -> Reply {
    mock.admin()
        .delete(&format!("/api/v2/deleted_users/{id}.json"))
        .await
}

// ---------------------------------------------------------------------------------------------
// List, show, count
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn deleted_users_list_shows_soft_deleted_users_including_the_demos_dana() {
    let mock = Mock::start().await;
    let dana = dana(&mock).await;
    let erin = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let reply = mock.admin().get("/api/v2/deleted_users.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        ids_of(&reply, "deleted_users"),
        vec![dana, erin],
        "oldest first: {}",
        reply.text
    );
    assert_eq!(reply.json["count"], 2, "{}", reply.text);
    for user in reply.json["deleted_users"]
        .as_array()
        .expect("deleted_users")
    {
        assert_eq!(keys(user), DELETED_USER_KEYS, "{user}");
        assert_eq!(user["active"], false, "{user}");
        assert_record_forms(&mock, user, "deleted_users");
    }
    assert_eq!(reply.json["deleted_users"][1]["name"], "Erin Erased");

    // Active users are not in it.
    let jane = mock.user_id("jane.doe@example.com").await;
    assert!(!ids_of(&reply, "deleted_users").contains(&jane));
}

#[tokio::test]
async fn deleted_users_list_pages_by_cursor() {
    let mock = Mock::start().await;
    let dana = dana(&mock).await;
    let erin = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let first = mock
        .admin()
        .get("/api/v2/deleted_users.json?page[size]=1")
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(ids_of(&first, "deleted_users"), vec![dana]);
    assert_eq!(first.json["meta"]["has_more"], true, "{}", first.text);
    assert!(
        first.json.get("count").is_none(),
        "cursor pages carry no count"
    );
    assert!(
        first.json["meta"]["after_cursor"].is_string(),
        "{}",
        first.text
    );

    let second = mock
        .admin()
        .get(path_of(&mock, &first.json["links"]["next"]))
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(ids_of(&second, "deleted_users"), vec![erin]);
    assert_eq!(second.json["meta"]["has_more"], false, "{}", second.text);
    assert!(second.json["links"]["prev"].is_string(), "{}", second.text);

    // And back.
    let back = mock
        .admin()
        .get(path_of(&mock, &second.json["links"]["prev"]))
        .await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(ids_of(&back, "deleted_users"), vec![dana]);
}

#[tokio::test]
async fn deleted_users_list_pages_by_offset() {
    let mock = Mock::start().await;
    let dana = dana(&mock).await;
    let erin = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let first = mock
        .admin()
        .get("/api/v2/deleted_users.json?per_page=1")
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(ids_of(&first, "deleted_users"), vec![dana]);
    assert_eq!(first.json["count"], 2);
    assert!(first.json["previous_page"].is_null(), "{}", first.text);

    let second = mock
        .admin()
        .get(path_of(&mock, &first.json["next_page"]))
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(ids_of(&second, "deleted_users"), vec![erin]);
    assert_eq!(second.json["count"], 2);
    assert!(second.json["next_page"].is_null(), "{}", second.text);
    assert!(second.json["previous_page"].is_string(), "{}", second.text);

    let explicit = mock
        .admin()
        .get("/api/v2/deleted_users.json?page=2&per_page=1")
        .await;
    assert_eq!(ids_of(&explicit, "deleted_users"), vec![erin]);
}

#[tokio::test]
async fn show_deleted_user_returns_the_deleted_user_object() {
    let mock = Mock::start().await;
    let dana = dana(&mock).await;
    let reply = mock
        .admin()
        .get(&format!("/api/v2/deleted_users/{dana}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["deleted_user"];
    assert_eq!(assert_record_forms(&mock, user, "deleted_users"), dana);
    assert_eq!(keys(user), DELETED_USER_KEYS);
    assert_eq!(user["name"], "Dana Deleted");
    assert_eq!(user["active"], false);
    insta::assert_json_snapshot!("deleted_user_show", reply.json, {
        ".deleted_user.id" => "[id]",
        ".deleted_user.url" => "[url]",
        ".deleted_user.created_at" => "[timestamp]",
        ".deleted_user.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn deleted_users_count_follows_soft_and_permanent_deletes() {
    let mock = Mock::start().await;
    let count = |reply: &Reply| {
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_timestamp(&reply.json["count"]["refreshed_at"], "refreshed_at");
        reply.json["count"]["value"].as_u64().expect("count.value")
    };
    let path = "/api/v2/deleted_users/count.json";
    assert_eq!(count(&mock.admin().get(path).await), 1, "the demo's Dana");

    let erin = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    assert_eq!(
        count(&mock.admin().get(path).await),
        2,
        "after a soft delete"
    );

    let reply = permanently_delete(&mock, erin).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        count(&mock.admin().get(path).await),
        2,
        "the placeholder still counts"
    );
}

#[tokio::test]
async fn show_deleted_user_of_an_active_or_unknown_user_is_404() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("an active user", jane),
        ("an id never issued", 987_654_321_987),
    ];
    for (case, id) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/deleted_users/{id}.json"))
            .await;
        assert_eq!(reply.status, 404, "{case}: {}", reply.text);
        assert_eq!(reply.json, not_found(), "{case}");
    }
}

#[tokio::test]
async fn end_user_reading_deleted_users_is_403() {
    let mock = Mock::start().await;
    let dana = dana(&mock).await;
    let jane = mock.as_token("jane.doe@example.com", common::ADMIN_TOKEN);
    let cases = [
        ("list", "/api/v2/deleted_users.json".to_owned()),
        ("count", "/api/v2/deleted_users/count.json".to_owned()),
        ("show", format!("/api/v2/deleted_users/{dana}.json")),
    ];
    for (case, path) in cases {
        let reply = jane.get(&path).await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], "Forbidden", "{case}");
    }
    let reply = jane
        .delete(&format!("/api/v2/deleted_users/{dana}.json"))
        .await;
    assert_eq!(reply.status, 403, "permanent delete: {}", reply.text);
}

// ---------------------------------------------------------------------------------------------
// Permanent delete
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn permanent_delete_of_active_user_is_404() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("an active end user", jane),
        ("an id never issued", 987_654_321_987),
    ];
    for (case, id) in cases {
        let reply = permanently_delete(&mock, id).await;
        assert_eq!(reply.status, 404, "{case}: {}", reply.text);
        assert_eq!(reply.json, not_found(), "{case}");
    }
    let still = mock
        .admin()
        .get(&format!("/api/v2/users/{jane}.json"))
        .await;
    assert_eq!(still.status, 200, "{}", still.text);
    assert_eq!(still.json["user"]["active"], true);
    assert_eq!(still.json["user"]["name"], "Jane Doe");
}

#[tokio::test]
async fn permanent_delete_after_soft_delete_leaves_the_placeholder() {
    let mock = Mock::start().await;
    let id = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let reply = permanently_delete(&mock, id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["deleted_user"];
    assert_eq!(assert_record_forms(&mock, user, "deleted_users"), id);
    assert_eq!(keys(user), DELETED_USER_KEYS);
    assert_eq!(user["name"], PLACEHOLDER);
    assert!(user["email"].is_null(), "{}", reply.text);
    assert!(user["phone"].is_null(), "{}", reply.text);
    assert!(user["shared_phone_number"].is_null(), "{}", reply.text);
    assert_eq!(user["active"], false);
    assert!(
        !reply.text.contains("erin") && !reply.text.contains("Erin"),
        "personal data left in {}",
        reply.text
    );
    insta::assert_json_snapshot!("permanently_deleted_placeholder", reply.json, {
        ".deleted_user.id" => "[id]",
        ".deleted_user.url" => "[url]",
        ".deleted_user.created_at" => "[timestamp]",
        ".deleted_user.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn permanently_deleted_user_is_gone_from_users_but_listed_as_placeholder() {
    let mock = Mock::start().await;
    let id = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let identities = mock
        .admin()
        .get(&format!("/api/v2/users/{id}/identities.json"))
        .await;
    assert_eq!(identities.status, 200, "before: {}", identities.text);
    assert!(
        !identities.json["identities"]
            .as_array()
            .expect("identities")
            .is_empty(),
        "a soft-deleted user keeps identity records until the permanent delete"
    );

    let reply = permanently_delete(&mock, id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let gone = [
        ("show user", format!("/api/v2/users/{id}.json")),
        (
            "list identities",
            format!("/api/v2/users/{id}/identities.json"),
        ),
    ];
    for (case, path) in gone {
        let reply = mock.admin().get(&path).await;
        assert_eq!(reply.status, 404, "{case}: {}", reply.text);
        assert_eq!(reply.json, not_found(), "{case}");
    }
    let again = permanently_delete(&mock, id).await;
    assert_eq!(again.status, 404, "second permanent delete: {}", again.text);
    assert_eq!(again.json, not_found());

    let list = mock.admin().get("/api/v2/deleted_users.json").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let placeholder = list.json["deleted_users"]
        .as_array()
        .expect("deleted_users")
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("placeholder not listed: {}", list.text));
    assert_eq!(placeholder["name"], PLACEHOLDER);
    assert!(placeholder["email"].is_null(), "{placeholder}");
    assert!(placeholder["phone"].is_null(), "{placeholder}");

    let show = mock
        .admin()
        .get(&format!("/api/v2/deleted_users/{id}.json"))
        .await;
    assert_eq!(show.status, 200, "{}", show.text);
    assert_eq!(show.json["deleted_user"]["name"], PLACEHOLDER);

    // Nothing about the user is findable any more.
    for query in ["erin@example.com", "Erin", "ext-erin@example.com"] {
        let search = mock
            .admin()
            .get(&format!("/api/v2/users/search.json?query={query}"))
            .await;
        assert_eq!(
            search.json["users"],
            json!([]),
            "search {query}: {}",
            search.text
        );
    }
}

#[tokio::test]
async fn permanent_delete_by_an_agent_is_limited_to_end_users() {
    let mock = Mock::start().await;
    let end_user = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let created = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Gone Agent", "email": "gone.agent@example.com",
                            "role": "agent", "verified": true}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let staff = assert_id(&created.json["user"]["id"], "agent id");
    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{staff}.json"))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    let agent = mock.as_token("agent@example.com", common::ADMIN_TOKEN);
    let reply = agent
        .delete(&format!("/api/v2/deleted_users/{staff}.json"))
        .await;
    assert_eq!(reply.status, 403, "agent purging an agent: {}", reply.text);
    let reply = agent
        .delete(&format!("/api/v2/deleted_users/{end_user}.json"))
        .await;
    assert_eq!(
        reply.status, 200,
        "agent purging an end user: {}",
        reply.text
    );
    assert_eq!(reply.json["deleted_user"]["name"], PLACEHOLDER);
}

#[tokio::test]
async fn events_log_records_soft_then_permanent_delete_in_order() {
    let mock = Mock::start().await;
    let id = soft_deleted(&mock, "Erin Erased", "erin@example.com", "+1 404 555 0111").await;
    let reply = permanently_delete(&mock, id).await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let events = mock.admin().get("/__mock/events").await;
    assert_eq!(events.status, 200, "{}", events.text);
    let mine: Vec<(String, u64)> = events.json["events"]
        .as_array()
        .unwrap_or_else(|| panic!("no events array: {}", events.text))
        .iter()
        .filter(|e| e["user_id"] == id)
        .map(|e| {
            (
                e["type"].as_str().unwrap_or_default().to_owned(),
                e["seq"].as_u64().expect("seq"),
            )
        })
        .collect();
    let deletions: Vec<&str> = mine
        .iter()
        .map(|(kind, _)| kind.as_str())
        .filter(|kind| kind.starts_with("UserSoftDeleted") || kind.starts_with("UserPermanently"))
        .collect();
    assert_eq!(
        deletions,
        vec!["UserSoftDeleted", "UserPermanentlyDeleted"],
        "{}",
        events.text
    );
    let kinds: Vec<&str> = mine.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "UserCreated").count(),
        1,
        "{}",
        events.text
    );
    assert!(
        kinds.ends_with(&["UserSoftDeleted", "UserPermanentlyDeleted"]),
        "the two deletions come last, after the user's creation: {kinds:?}"
    );
    assert!(
        mine.windows(2).all(|w| w[0].1 < w[1].1),
        "events out of order: {mine:?}"
    );
    // Events carry ids only: the log holds no personal data.
    assert!(!events.text.contains("erin"), "{}", events.text);
}
