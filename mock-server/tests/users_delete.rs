//! Soft delete over HTTP (facts §3.4): the inactive user it returns, what it hides from list,
//! search and count, the email it frees, and who may delete whom.

mod common;
mod users;

use common::Mock;
use common::bodies::forbidden;
use common::json::{ids_of, keys};
use common::world::my_id;
use serde_json::json;
use users::{ADMIN_VIEW_KEYS, assert_user_volatiles, create};

#[tokio::test]
async fn soft_delete_returns_the_user_inactive_and_show_still_finds_it() {
    let mock = Mock::start().await;
    let id = create(
        &mock,
        json!({"name": "Del Gone", "email": "del.gone@example.com", "verified": true}),
    )
    .await;
    let reply = mock
        .admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert_eq!(assert_user_volatiles(&mock, user), id);
    assert_eq!(user["active"], false);
    assert_eq!(keys(user), ADMIN_VIEW_KEYS);

    let shown = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.json["user"]["active"], false);
    assert_eq!(shown.json["user"]["name"], "Del Gone");

    insta::assert_json_snapshot!("soft_delete_response", reply.json, {
        ".user.id" => "[id]",
        ".user.url" => "[url]",
        ".user.created_at" => "[timestamp]",
        ".user.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn soft_deleted_user_drops_out_of_list_search_and_count() {
    let mock = Mock::start().await;
    let id = create(
        &mock,
        json!({"name": "Xena Vanish", "email": "xena@example.com", "external_id": "x-1"}),
    )
    .await;
    let count_before = mock.admin().get("/api/v2/users/count.json").await.json["count"]["value"]
        .as_u64()
        .expect("count");
    let listed = mock.admin().get("/api/v2/users.json").await;
    assert!(
        ids_of(&listed, "users").contains(&id),
        "listed before delete"
    );

    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{id}.json"))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    let lookups = [
        ("list", "/api/v2/users.json"),
        ("list by external id", "/api/v2/users.json?external_id=x-1"),
        (
            "search by email",
            "/api/v2/users/search.json?query=xena@example.com",
        ),
        ("search by name", "/api/v2/users/search.json?query=Xena"),
        (
            "search by external_id",
            "/api/v2/users/search.json?external_id=x-1",
        ),
        ("autocomplete", "/api/v2/users/autocomplete.json?name=xena"),
    ];
    for (case, path) in lookups {
        let reply = mock.admin().get(path).await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert!(
            !ids_of(&reply, "users").contains(&id),
            "{case} still shows the deleted user: {}",
            reply.text
        );
    }
    let count_after = mock.admin().get("/api/v2/users/count.json").await.json["count"]["value"]
        .as_u64()
        .expect("count");
    assert_eq!(count_after, count_before - 1);
}

#[tokio::test]
async fn soft_deleted_users_email_can_be_used_by_a_new_user() {
    let mock = Mock::start().await;
    let old = mock.create_user("Reuse Me", "reuse@example.com").await;
    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{old}.json"))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    let new = mock
        .create_user("Reuse Me Again", "reuse@example.com")
        .await;
    assert_ne!(new, old);
    let search = mock
        .admin()
        .get("/api/v2/users/search.json?query=reuse@example.com")
        .await;
    assert_eq!(ids_of(&search, "users"), vec![new], "{}", search.text);
}

#[tokio::test]
async fn deleting_the_account_owner_is_403() {
    let mock = Mock::start().await;
    let owner = my_id(&mock, common::ADMIN_EMAIL).await;
    let reply = mock
        .admin()
        .delete(&format!("/api/v2/users/{owner}.json"))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.json, forbidden());
    let shown = mock
        .admin()
        .get(&format!("/api/v2/users/{owner}.json"))
        .await;
    assert_eq!(
        shown.json["user"]["active"], true,
        "the owner is still there"
    );
}

#[tokio::test]
async fn agent_deleting_an_agent_or_admin_is_403() {
    let mock = Mock::start().await;
    let other_agent = create(
        &mock,
        json!({"name": "Second Agent", "email": "agent2@example.com", "role": "agent",
               "verified": true}),
    )
    .await;
    let other_admin = create(
        &mock,
        json!({"name": "Second Admin", "email": "admin2@example.com", "role": "admin",
               "verified": true}),
    )
    .await;
    let owner = my_id(&mock, common::ADMIN_EMAIL).await;
    let itself = mock.user_id("agent@example.com").await;
    let agent = mock.as_token("agent@example.com", common::ADMIN_TOKEN);
    let cases = [
        ("another agent", other_agent),
        ("an admin who is not the owner", other_admin),
        ("the owner", owner),
        ("itself", itself),
    ];
    for (case, target) in cases {
        let reply = agent.delete(&format!("/api/v2/users/{target}.json")).await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.text);
        assert_eq!(reply.json, forbidden(), "{case}");
        let shown = mock
            .admin()
            .get(&format!("/api/v2/users/{target}.json"))
            .await;
        assert_eq!(shown.json["user"]["active"], true, "{case}: still active");
    }
}

#[tokio::test]
async fn agent_deleting_an_end_user_is_200() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let reply = mock
        .as_token("agent@example.com", common::ADMIN_TOKEN)
        .delete(&format!("/api/v2/users/{john}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["user"]["id"], john);
    assert_eq!(reply.json["user"]["active"], false);
}
