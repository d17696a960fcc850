//! Authentication and account resolution over real HTTP (facts §10, §2; design.md "request
//! flow", steps 2–3): API tokens, OAuth bearers and their scopes, password auth behind a setting,
//! callers who may not sign in, and which account a request lands in.

mod common;

use common::bodies::forbidden;
use common::world::{NewAccount, create_account, listed_emails};
use common::{ADMIN_TOKEN, Mock, Reply};
use serde_json::{Value, json};

const DEMO_OAUTH: &str = "demo-oauth-token";
const READ_ONLY_OAUTH: &str = "demo-readonly-token";

fn could_not_authenticate() -> Value {
    json!({"error": "Couldn't authenticate you"})
}

fn invalid_token() -> Value {
    json!({
        "error": "invalid_token",
        "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."
    })
}

fn assert_basic_401(reply: &Reply, case: &str) {
    assert_eq!(reply.status, 401, "{case}: {}", reply.text);
    assert_eq!(reply.json, could_not_authenticate(), "{case}");
    assert_eq!(
        reply.header("www-authenticate"),
        Some("Basic realm=\"Web Password\""),
        "{case}: a Basic failure names the realm"
    );
}

/// Sends `GET path` with a raw `Authorization` header (the harness only builds valid ones).
async fn with_authorization(mock: &Mock, value: &str, path: &str) -> (u16, Value) {
    let response = mock
        .http
        .get(format!("{}{path}", mock.url))
        .header("authorization", value)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body read");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn api_token_basic_auth_signs_in_any_verified_user_with_their_role() {
    let mock = Mock::start().await;
    for (email, role) in [
        ("admin@example.com", "admin"),
        ("agent@example.com", "agent"),
        ("john.smith@example.com", "end-user"),
    ] {
        let reply = mock
            .as_token(email, ADMIN_TOKEN)
            .get("/api/v2/users/me.json")
            .await;
        assert_eq!(reply.status, 200, "{email}: {}", reply.text);
        assert_eq!(reply.json["user"]["email"], email);
        assert_eq!(reply.json["user"]["role"], role, "{email}");
    }
}

#[tokio::test]
async fn callers_who_may_not_sign_in_get_401_with_the_account_token() {
    let mock = Mock::start().await;
    let cases = [
        ("unverified user", "sofia.novak@example.com", "demo-token"),
        ("suspended user", "sam.suspended@example.com", "demo-token"),
        (
            "soft-deleted user",
            "dana.deleted@example.com",
            "demo-token",
        ),
        ("unknown email", "nobody@example.com", "demo-token"),
        ("wrong token", "admin@example.com", "not-the-token"),
    ];
    for (case, email, token) in cases {
        let reply = mock
            .as_token(email, token)
            .get("/api/v2/users/me.json")
            .await;
        assert_basic_401(&reply, case);
    }
}

#[tokio::test]
async fn oauth_bearer_token_acts_as_its_user() {
    let mock = Mock::start().await;
    let bearer = mock.bearer(DEMO_OAUTH);
    let me = bearer.get("/api/v2/users/me.json").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json["user"]["email"], "admin@example.com");

    let john = mock.user_id("john.smith@example.com").await;
    let update = bearer
        .put(
            &format!("/api/v2/users/{john}.json"),
            json!({"user": {"notes": "Updated over OAuth."}}),
        )
        .await;
    assert_eq!(
        update.status, 200,
        "a read+write token writes: {}",
        update.text
    );
    assert_eq!(update.json["user"]["notes"], "Updated over OAuth.");
}

#[tokio::test]
async fn read_only_bearer_token_reads_but_every_write_is_forbidden() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let reader = mock.bearer(READ_ONLY_OAUTH);

    let list = reader.get("/api/v2/users.json").await;
    assert_eq!(list.status, 200, "read scope reads: {}", list.text);
    let show = reader.get(&format!("/api/v2/users/{john}.json")).await;
    assert_eq!(show.status, 200, "{}", show.text);

    let user_path = format!("/api/v2/users/{john}.json");
    let writes = [
        (
            "PUT",
            reader
                .put(&user_path, json!({"user": {"notes": "read-only write"}}))
                .await,
        ),
        (
            "POST",
            reader
                .post(
                    "/api/v2/users.json",
                    json!({"user": {"name": "Nope", "email": "nope@example.com"}}),
                )
                .await,
        ),
        ("DELETE", reader.delete(&user_path).await),
    ];
    for (method, reply) in writes {
        assert_eq!(reply.status, 403, "{method}: {}", reply.text);
        assert_eq!(reply.json, forbidden(), "{method}");
    }

    let after = mock.admin().get(&user_path).await;
    assert_eq!(
        after.json["user"]["active"], true,
        "DELETE must not have run"
    );
    assert_ne!(after.json["user"]["notes"], "read-only write", "PUT ran");
    let created = mock
        .admin()
        .get("/api/v2/users/search.json?query=nope@example.com")
        .await;
    assert_eq!(created.json["count"], 0, "POST must not have run");
}

#[tokio::test]
async fn unknown_bearer_token_is_401_invalid_token() {
    let mock = Mock::start().await;
    for path in ["/api/v2/users.json", "/api/v2/users/me.json"] {
        let reply = mock.bearer("no-such-token").get(path).await;
        assert_eq!(reply.status, 401, "{path}: {}", reply.text);
        assert_eq!(reply.json, invalid_token(), "{path}");
    }
}

#[tokio::test]
async fn garbage_authorization_headers_are_401() {
    let mock = Mock::start().await;
    let cases = [
        ("unknown scheme", "Garbage xyz", could_not_authenticate()),
        (
            "Basic with non-base64",
            "Basic !!!not-base64!!!",
            could_not_authenticate(),
        ),
        // base64("no-colon-here"): no user:secret split.
        (
            "Basic without a colon",
            "Basic bm8tY29sb24taGVyZQ==",
            could_not_authenticate(),
        ),
        ("Basic with nothing", "Basic", could_not_authenticate()),
        ("Bearer with nothing", "Bearer", invalid_token()),
    ];
    for (case, header, body) in cases {
        let (status, json) = with_authorization(&mock, header, "/api/v2/users.json").await;
        assert_eq!(status, 401, "{case}: {json}");
        assert_eq!(json, body, "{case}");
    }
}

#[tokio::test]
async fn password_basic_auth_is_rejected_until_the_account_enables_it() {
    let mock = Mock::start().await;
    let seeded = mock
        .admin()
        .post(
            "/__mock/seed",
            json!({"users": [{
                "name": "Pat Password", "email": "pat@example.com",
                "verified": true, "password": "s3cret-pass"
            }]}),
        )
        .await;
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    let pat = seeded.json["users"][0].as_i64().expect("pat's id");
    let own = format!("/api/v2/users/{pat}.json");

    let before = mock
        .password("pat@example.com", "s3cret-pass")
        .get(&own)
        .await;
    assert_basic_401(&before, "password auth off by default");

    let enabled = mock
        .admin()
        .patch("/__mock/settings", json!({"password_auth": true}))
        .await;
    assert_eq!(enabled.status, 200, "{}", enabled.text);
    assert_eq!(enabled.json["settings"]["password_auth"], true);

    let after = mock
        .password("pat@example.com", "s3cret-pass")
        .get(&own)
        .await;
    assert_eq!(after.status, 200, "{}", after.text);
    assert_eq!(after.json["user"]["id"], pat);
    let me = mock
        .password("pat@example.com", "s3cret-pass")
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(me.json["user"]["id"], pat, "{}", me.text);

    let wrong = mock.password("pat@example.com", "guess").get(&own).await;
    assert_basic_401(&wrong, "wrong password with password auth on");
}

#[tokio::test]
async fn agents_and_end_users_cannot_call_the_control_api() {
    let mock = Mock::start().await;
    let agent = mock.as_token("agent@example.com", ADMIN_TOKEN);
    let end_user = mock.as_token("john.smith@example.com", ADMIN_TOKEN);
    for (who, client) in [("agent", &agent), ("end user", &end_user)] {
        let replies = [
            ("GET /__mock/settings", client.get("/__mock/settings").await),
            (
                "PATCH /__mock/settings",
                client
                    .patch("/__mock/settings", json!({"password_auth": true}))
                    .await,
            ),
            ("GET /__mock/journal", client.get("/__mock/journal").await),
            (
                "POST /__mock/reset",
                client.post("/__mock/reset", json!({})).await,
            ),
            (
                "POST /__mock/seed",
                client
                    .post(
                        "/__mock/seed",
                        json!({"users": [{"name": "X", "email": "x@example.com"}]}),
                    )
                    .await,
            ),
        ];
        for (call, reply) in replies {
            assert_eq!(reply.status, 403, "{who} {call}: {}", reply.text);
            assert_eq!(reply.json, forbidden(), "{who} {call}");
        }
    }
    let settings = mock.admin().get("/__mock/settings").await;
    assert_eq!(
        settings.json["settings"]["password_auth"], false,
        "PATCH ran"
    );
    let jane = mock
        .admin()
        .get("/api/v2/users/search.json?query=jane.doe@example.com")
        .await;
    assert_eq!(jane.json["count"], 1, "reset ran: {}", jane.text);
}

#[tokio::test]
async fn host_subdomain_or_token_selects_the_account() {
    let mock = Mock::start().await;
    let NewAccount {
        email,
        token,
        host: acme_host,
    } = create_account(&mock, "acme").await;
    let by_host = mock.as_token(&email, &token).host(&acme_host);

    let created = by_host
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Road Runner", "email": "road.runner@acme.example.com"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let acme_users = vec![email.clone(), "road.runner@acme.example.com".to_owned()];
    assert_eq!(
        listed_emails(&by_host).await,
        acme_users,
        "Host acme.localhost"
    );

    let by_token = mock.as_token(&email, &token);
    assert_eq!(
        listed_emails(&by_token).await,
        acme_users,
        "acme's token with an IP host resolves to acme"
    );

    let demo = listed_emails(&mock.admin()).await;
    assert!(demo.contains(&"jane.doe@example.com".to_owned()));
    assert!(
        !demo.contains(&"road.runner@acme.example.com".to_owned()),
        "acme's user leaked into the demo account"
    );
}

#[tokio::test]
async fn credentials_of_one_account_fail_against_another_accounts_host() {
    let mock = Mock::start().await;
    let NewAccount { email, token, .. } = create_account(&mock, "acme").await;
    let port = mock.port();
    let cases = [
        (
            "demo token on acme's host",
            mock.admin().host(&format!("acme.localhost:{port}")),
        ),
        (
            "acme token on demo's host",
            mock.as_token(&email, &token)
                .host(&format!("demo.localhost:{port}")),
        ),
    ];
    for (case, client) in cases {
        let reply = client.get("/api/v2/users.json").await;
        assert_basic_401(&reply, case);
    }
    let demo_bearer = mock
        .bearer(DEMO_OAUTH)
        .host(&format!("acme.localhost:{port}"))
        .get("/api/v2/users.json")
        .await;
    assert_eq!(demo_bearer.status, 401, "{}", demo_bearer.text);
    assert_eq!(demo_bearer.json, invalid_token());
}
