//! The control API's accounts (`/__mock/accounts`, design.md "Control API") over real HTTP:
//! creating, listing and deleting accounts, their isolation, and the server-wide control token.

mod common;
mod control;

use common::world::{create_account, event_types_about, listed_emails};
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock};
use control::{journal, search_count};
use serde_json::json;
use zendesk_mock::Options;

#[tokio::test]
async fn creating_an_account_returns_its_owner_admin_with_working_credentials() {
    let mock = Mock::start().await;
    let reply = mock
        .anonymous()
        .post("/__mock/accounts", json!({"subdomain": "acme"}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.header("location"), Some("/__mock/accounts/acme"));
    let admin = &reply.json["account"]["admin"];
    let id = admin["id"].as_i64().expect("numeric admin id");
    assert!(id > 0);
    let token = admin["token"].as_str().expect("token string");
    assert!(token.len() >= 16, "a token hard to guess: {token}");
    assert_eq!(admin["email"], "admin@acme.example.com");

    let port = mock.port();
    let me = mock
        .as_token("admin@acme.example.com", token)
        .host(&format!("acme.localhost:{port}"))
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json["user"]["id"], id);
    assert_eq!(me.json["user"]["role"], "admin");

    insta::assert_json_snapshot!("account_created", reply.json, {
        ".account.admin.id" => "[id]",
        ".account.admin.token" => "[token]",
    });
}

#[tokio::test]
async fn an_account_may_name_its_owner_and_token() {
    let mock = Mock::start().await;
    let reply = mock
        .anonymous()
        .post(
            "/__mock/accounts",
            json!({"subdomain": "Beta", "admin_name": "Bea Owner",
                   "admin_email": "bea@beta.test", "token": "beta-token"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json["account"]["subdomain"], "beta", "lowercased");
    assert_eq!(reply.json["account"]["admin"]["email"], "bea@beta.test");
    assert_eq!(reply.json["account"]["admin"]["token"], "beta-token");
    let me = mock
        .as_token("bea@beta.test", "beta-token")
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(me.json["user"]["name"], "Bea Owner", "{}", me.text);
}

#[tokio::test]
async fn bad_account_requests_are_rejected() {
    let mock = Mock::start().await;
    create_account(&mock, "acme").await;
    let cases = [
        (
            "duplicate subdomain",
            json!({"subdomain": "acme"}),
            422,
            "RecordInvalid",
        ),
        (
            "duplicate in another case",
            json!({"subdomain": "ACME"}),
            422,
            "RecordInvalid",
        ),
        (
            "the demo account's subdomain",
            json!({"subdomain": "demo"}),
            422,
            "RecordInvalid",
        ),
        (
            "spaces and punctuation",
            json!({"subdomain": "Acme Corp!"}),
            422,
            "RecordInvalid",
        ),
        (
            "leading hyphen",
            json!({"subdomain": "-acme"}),
            422,
            "RecordInvalid",
        ),
        ("dots", json!({"subdomain": "a.b"}), 422, "RecordInvalid"),
        ("empty", json!({"subdomain": ""}), 422, "RecordInvalid"),
        (
            "64 characters",
            json!({"subdomain": "a".repeat(64)}),
            422,
            "RecordInvalid",
        ),
        (
            "token of another account",
            json!({"subdomain": "taken-token", "token": ADMIN_TOKEN}),
            422,
            "RecordInvalid",
        ),
        ("no subdomain", json!({}), 400, "InvalidJSON"),
        (
            "subdomain not a string",
            json!({"subdomain": 7}),
            400,
            "InvalidJSON",
        ),
        (
            "unknown field",
            json!({"subdomain": "x1", "plan": "team"}),
            400,
            "InvalidJSON",
        ),
    ];
    for (case, body, status, error) in cases {
        let reply = mock.anonymous().post("/__mock/accounts", body).await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], error, "{case}: {}", reply.text);
    }
    let listed = mock.anonymous().get("/__mock/accounts").await;
    let subdomains: Vec<&str> = listed.json["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["subdomain"].as_str())
        .collect();
    assert_eq!(
        subdomains,
        ["acme", "demo"],
        "no bad request made an account"
    );

    let duplicate = mock
        .anonymous()
        .post("/__mock/accounts", json!({"subdomain": "acme"}))
        .await;
    insta::assert_json_snapshot!("account_duplicate_subdomain", duplicate.json);
    let invalid = mock
        .anonymous()
        .post("/__mock/accounts", json!({"subdomain": "Acme Corp!"}))
        .await;
    insta::assert_json_snapshot!("account_invalid_subdomain", invalid.json);
}

#[tokio::test]
async fn accounts_are_listed_with_their_owner_admins() {
    let mock = Mock::start().await;
    let acme = create_account(&mock, "acme").await;
    let reply = mock.anonymous().get("/__mock/accounts").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let accounts = reply.json["accounts"].as_array().expect("accounts");
    let summary: Vec<(&str, &str, &str)> = accounts
        .iter()
        .map(|a| {
            (
                a["subdomain"].as_str().unwrap_or_default(),
                a["admin"]["email"].as_str().unwrap_or_default(),
                a["admin"]["token"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("acme", acme.email.as_str(), acme.token.as_str()),
            ("demo", ADMIN_EMAIL, ADMIN_TOKEN),
        ]
    );
}

#[tokio::test]
async fn a_deleted_account_is_gone_and_its_token_stops_working() {
    let mock = Mock::start().await;
    let acme = create_account(&mock, "acme").await;
    assert_eq!(
        acme.admin(&mock).get("/api/v2/users/me.json").await.status,
        200
    );

    let deleted = mock.anonymous().delete("/__mock/accounts/acme").await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(deleted.text, "");

    let again = mock.anonymous().delete("/__mock/accounts/acme").await;
    assert_eq!(again.status, 404, "{}", again.text);
    assert_eq!(
        again.json,
        json!({"error": "RecordNotFound", "description": "Not found"})
    );
    let listed = mock.anonymous().get("/__mock/accounts").await;
    assert_eq!(listed.json["accounts"].as_array().map(Vec::len), Some(1));

    for (case, client) in [
        ("by subdomain", acme.admin(&mock)),
        ("by token", mock.as_token(&acme.email, &acme.token)),
    ] {
        let reply = client.get("/api/v2/users.json").await;
        assert_eq!(reply.status, 401, "{case}: {}", reply.text);
        assert_eq!(reply.json["error"], "Couldn't authenticate you", "{case}");
    }
    assert_eq!(
        mock.admin().get("/api/v2/users/me.json").await.status,
        200,
        "the demo account is untouched"
    );
}

#[tokio::test]
async fn users_created_in_one_account_are_invisible_in_another() {
    let mock = Mock::start().await;
    let alpha = create_account(&mock, "alpha").await;
    let beta = create_account(&mock, "beta").await;
    let created = alpha
        .admin(&mock)
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Only Alpha", "email": "only@alpha.test"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json["user"]["id"].as_i64().expect("id");

    let a = alpha.admin(&mock);
    let b = beta.admin(&mock);
    assert!(
        listed_emails(&a)
            .await
            .contains(&"only@alpha.test".to_owned())
    );
    assert_eq!(listed_emails(&b).await, [beta.email.as_str()]);
    assert_eq!(search_count(&a, "only@alpha.test").await, 1);
    assert_eq!(search_count(&b, "only@alpha.test").await, 0);
    let shown = b.get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(shown.status, 404, "{}", shown.text);
    assert_eq!(shown.json["error"], "RecordNotFound");
    let many = b
        .get(&format!("/api/v2/users/show_many.json?ids={id}"))
        .await;
    assert_eq!(many.json["users"], json!([]), "{}", many.text);

    let alpha_journal = journal(&a).await;
    let beta_journal = journal(&b).await;
    let created_entry = ("POST".to_owned(), "/api/v2/users.json".to_owned(), 201);
    assert!(
        alpha_journal.contains(&created_entry),
        "alpha journals its own request: {alpha_journal:?}"
    );
    assert!(
        !beta_journal.contains(&created_entry),
        "beta's journal holds alpha's request: {beta_journal:?}"
    );
    assert!(
        beta_journal.contains(&("GET".to_owned(), "/api/v2/users.json".to_owned(), 200)),
        "beta journals its own requests: {beta_journal:?}"
    );
    assert!(
        event_types_about(&a, "user_id", id)
            .await
            .contains(&"UserCreated".to_owned())
    );
    assert_eq!(
        event_types_about(&b, "user_id", id).await,
        Vec::<String>::new(),
        "beta's event log tells of alpha's user"
    );
}

// ---- the control token ----

#[tokio::test]
async fn with_a_control_token_account_calls_require_it() {
    let mock = Mock::with(Options {
        control_token: Some("control-secret".to_owned()),
        ..Options::default()
    })
    .await;
    let cases = [
        (
            "no credentials",
            mock.anonymous(),
            401,
            "Couldn't authenticate you",
        ),
        (
            "wrong bearer",
            mock.bearer("not-the-secret"),
            401,
            "invalid_token",
        ),
        ("demo admin", mock.admin(), 403, "Forbidden"),
    ];
    for (case, client, status, error) in cases {
        let create = client
            .post("/__mock/accounts", json!({"subdomain": "acme"}))
            .await;
        assert_eq!(create.status, status, "create, {case}: {}", create.text);
        assert_eq!(create.json["error"], error, "create, {case}");
        let list = client.get("/__mock/accounts").await;
        assert_eq!(list.status, status, "list, {case}: {}", list.text);
        let delete = client.delete("/__mock/accounts/demo").await;
        assert_eq!(delete.status, status, "delete, {case}: {}", delete.text);
    }

    let control = mock.bearer("control-secret");
    let created = control
        .post("/__mock/accounts", json!({"subdomain": "acme"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["account"]["subdomain"], "acme");
    let listed = control.get("/__mock/accounts").await;
    assert_eq!(listed.json["accounts"].as_array().map(Vec::len), Some(2));
    let settings = control.get("/__mock/settings").await;
    assert_eq!(
        settings.status, 200,
        "the control token reaches account calls too: {}",
        settings.text
    );
}
