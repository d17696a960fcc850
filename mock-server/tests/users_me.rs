//! `GET /users/me` and authentication over HTTP (facts §3.2, §10): the admin, end-user and
//! anonymous views, wrong credentials, and suspended users.

mod common;
mod users;

use common::Mock;
use common::json::keys;
use serde_json::json;
use users::{ADMIN_VIEW_KEYS, END_USER_VIEW_KEYS, assert_user_volatiles};

#[tokio::test]
async fn me_as_admin_has_the_admin_view_and_an_authenticity_token() {
    let mock = Mock::start().await;
    let reply = mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert_user_volatiles(&mock, user);
    assert_eq!(user["email"], common::ADMIN_EMAIL);
    assert_eq!(user["role"], "admin");
    assert_eq!(user["role_type"], 4);
    let token = user["authenticity_token"]
        .as_str()
        .expect("authenticity_token");
    assert!(!token.is_empty(), "empty authenticity_token");
    let mut expected: Vec<&str> = ADMIN_VIEW_KEYS.to_vec();
    expected.push("authenticity_token");
    assert_eq!(keys(user), expected);
}

#[tokio::test]
async fn me_as_end_user_has_only_the_end_user_fields() {
    let mock = Mock::start().await;
    let reply = mock
        .as_token("jane.doe@example.com", common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert_user_volatiles(&mock, user);
    assert_eq!(user["email"], "jane.doe@example.com");
    let mut expected: Vec<&str> = END_USER_VIEW_KEYS.to_vec();
    expected.push("authenticity_token");
    let mut got = keys(user);
    got.sort_unstable();
    expected.sort_unstable();
    assert_eq!(got, expected, "end-user view fields");
    let token = user["authenticity_token"]
        .as_str()
        .expect("authenticity_token");
    assert!(!token.is_empty());
    insta::assert_json_snapshot!("me_end_user", reply.json, {
        ".user.id" => "[id]",
        ".user.url" => "[url]",
        ".user.created_at" => "[timestamp]",
        ".user.updated_at" => "[timestamp]",
        ".user.authenticity_token" => "[token]",
    });
}

#[tokio::test]
async fn me_without_credentials_is_the_anonymous_user() {
    let mock = Mock::start().await;
    let reply = mock.anonymous().get("/api/v2/users/me.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert!(user["id"].is_null(), "{}", reply.text);
    assert_eq!(user["name"], "Anonymous user");
    assert_eq!(user["role"], "end-user");
    assert_eq!(user["verified"], false);
    let token = user["authenticity_token"]
        .as_str()
        .expect("authenticity_token");
    assert!(!token.is_empty());
    insta::assert_json_snapshot!("me_anonymous", reply.json, {
        ".user.authenticity_token" => "[token]",
    });
}

#[tokio::test]
async fn wrong_credentials_are_401_with_www_authenticate() {
    let mock = Mock::start().await;
    let cases = [
        (
            "wrong token on me",
            mock.as_token(common::ADMIN_EMAIL, "not-the-token"),
            "/api/v2/users/me.json",
        ),
        (
            "wrong token on the users list",
            mock.as_token(common::ADMIN_EMAIL, "not-the-token"),
            "/api/v2/users.json",
        ),
        (
            "right token, unknown email",
            mock.as_token("nobody@example.com", common::ADMIN_TOKEN),
            "/api/v2/users/me.json",
        ),
        (
            "right token, unverified user",
            mock.as_token("sofia.novak@example.com", common::ADMIN_TOKEN),
            "/api/v2/users/me.json",
        ),
        (
            "right token, soft-deleted user",
            mock.as_token("dana.deleted@example.com", common::ADMIN_TOKEN),
            "/api/v2/users/me.json",
        ),
    ];
    for (case, client, path) in cases {
        let reply = client.get(path).await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.text);
        assert_eq!(
            reply.json,
            json!({"error": "Couldn't authenticate you"}),
            "{case}"
        );
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Basic realm=\"Web Password\""),
            "{case}"
        );
    }
}

#[tokio::test]
async fn suspended_users_token_is_401() {
    let mock = Mock::start().await;
    let sam = mock
        .as_token("sam.suspended@example.com", common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(sam.status, 401, "{}", sam.text);
    assert_eq!(sam.json, json!({"error": "Couldn't authenticate you"}));

    // Suspending a signed-in user locks them out from the next request on.
    let john = mock.user_id("john.smith@example.com").await;
    let before = mock
        .as_token("john.smith@example.com", common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(before.status, 200, "{}", before.text);
    let suspend = mock
        .admin()
        .put(
            &format!("/api/v2/users/{john}.json"),
            json!({"user": {"suspended": true}}),
        )
        .await;
    assert_eq!(suspend.status, 200, "{}", suspend.text);
    assert_eq!(suspend.json["user"]["suspended"], true);
    let after = mock
        .as_token("john.smith@example.com", common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(after.status, 401, "{}", after.text);
}
