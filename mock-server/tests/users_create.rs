//! Creating users over HTTP (facts §3.1–3.3; design.md decisions): `POST /users` answers 201
//! with the admin view, adds every identity sent, rejects missing names, taken or malformed
//! emails and taken external ids, and accepts unknown keys with an API warning.

mod common;
mod users;

use common::Mock;
use common::assert::assert_id;
use common::json::keys;
use serde_json::json;
use users::{ADMIN_VIEW_KEYS, assert_user_volatiles, create};

#[tokio::test]
async fn create_user_is_201_with_location_and_the_admin_view() {
    let mock = Mock::start().await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Rosa Banks", "email": "rosa.banks@example.com",
                            "external_id": "crm-2001", "tags": ["new", "GDPR"],
                            "notes": "Signed up at the fair."}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let user = &reply.json["user"];
    let id = assert_user_volatiles(&mock, user);
    let location = reply.header("location").expect("Location header");
    assert!(
        location.ends_with(&format!("/api/v2/users/{id}.json")),
        "Location {location} does not name user {id}"
    );
    assert_eq!(keys(user), ADMIN_VIEW_KEYS, "admin view keys and order");
    assert!(
        user["last_login_at"].is_null(),
        "a new user never logged in"
    );
    assert!(
        reply.header("x-zendesk-api-warn").is_none(),
        "no ignored keys, so no warning: {:?}",
        reply.header("x-zendesk-api-warn")
    );
    insta::assert_json_snapshot!("create_user", reply.json, {
        ".user.id" => "[id]",
        ".user.url" => "[url]",
        ".user.created_at" => "[timestamp]",
        ".user.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn create_user_with_identities_and_phone_adds_every_identity() {
    let mock = Mock::start().await;
    let id = create(
        &mock,
        json!({"name": "Ivy Moss", "email": "ivy.moss@example.com", "phone": "+1 303 555 0199",
               "identities": [{"type": "email", "value": "ivy@home.example.org"},
                              {"type": "twitter", "value": "ivy_moss"}]}),
    )
    .await;
    let user = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(user.status, 200, "{}", user.text);
    assert_eq!(user.json["user"]["email"], "ivy.moss@example.com");
    assert_eq!(user.json["user"]["phone"], "+1 303 555 0199");

    let identities = mock
        .admin()
        .get(&format!("/api/v2/users/{id}/identities.json"))
        .await;
    assert_eq!(identities.status, 200, "{}", identities.text);
    let mut found: Vec<(String, String, bool)> = identities.json["identities"]
        .as_array()
        .expect("identities array")
        .iter()
        .map(|i| {
            assert_eq!(i["user_id"], id, "identity of the wrong user: {i}");
            (
                i["type"].as_str().unwrap_or_default().to_owned(),
                i["value"].as_str().unwrap_or_default().to_owned(),
                i["primary"].as_bool().unwrap_or_default(),
            )
        })
        .filter(|(kind, _, _)| kind != "twitter")
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("email".to_owned(), "ivy.moss@example.com".to_owned(), true),
            ("email".to_owned(), "ivy@home.example.org".to_owned(), false),
            (
                "phone_number".to_owned(),
                "+1 303 555 0199".to_owned(),
                true
            ),
        ],
        "{}",
        identities.text
    );
    let twitter = identities.json["identities"]
        .as_array()
        .expect("identities array")
        .iter()
        .filter(|i| i["type"] == "twitter" && i["value"] == "ivy_moss")
        .count();
    assert_eq!(twitter, 1, "twitter identity: {}", identities.text);

    // The secondary email is the user's too: it is taken.
    let taken = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Other", "email": "ivy@home.example.org"}}),
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.text);
}

#[tokio::test]
async fn create_user_with_only_an_email_identity_makes_it_the_primary_email() {
    let mock = Mock::start().await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Roger Wilco",
                            "identities": [{"type": "email", "value": "roger@user.example.com"},
                                           {"type": "twitter", "value": "tester84"}]}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json["user"]["email"], "roger@user.example.com");
}

#[tokio::test]
async fn create_user_without_a_name_is_422_on_name() {
    let mock = Mock::start().await;
    let cases = [
        (
            "name missing",
            json!({"user": {"email": "noname1@example.com"}}),
        ),
        (
            "name empty",
            json!({"user": {"name": "", "email": "noname2@example.com"}}),
        ),
        (
            "name blank",
            json!({"user": {"name": "   ", "email": "noname3@example.com"}}),
        ),
    ];
    for (case, request) in cases {
        let reply = mock.admin().post("/api/v2/users.json", request).await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(
            reply.json["error"], "RecordInvalid",
            "{case}: {}",
            reply.text
        );
        assert_eq!(
            reply.json["description"], "Record validation errors",
            "{case}: {}",
            reply.text
        );
        assert!(
            reply.json["details"]["name"][0]["description"].is_string(),
            "{case}: no details.name: {}",
            reply.text
        );
    }
    // Nothing was created along the way.
    let search = mock
        .admin()
        .get("/api/v2/users/search.json?query=noname1@example.com")
        .await;
    assert_eq!(search.json["users"], json!([]), "{}", search.text);
}

#[tokio::test]
async fn create_user_with_a_taken_email_is_422_with_the_recorded_body() {
    let mock = Mock::start().await;
    let cases = [
        ("another user's primary email", "jane.doe@example.com"),
        (
            "another user's secondary email",
            "jane@personal.example.org",
        ),
        ("the agent's email", "agent@example.com"),
    ];
    for (case, email) in cases {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": "Copycat", "email": email}}),
            )
            .await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        let expected = json!({"error": "RecordInvalid", "description": "Record validation errors",
            "details": {"email": [{"description":
                format!("Email: {email} is already being used by another user")}]}});
        assert_eq!(reply.json, expected, "{case}");
    }
    // Case does not make an address new.
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Copycat", "email": "JANE.DOE@example.com"}}),
        )
        .await;
    assert_eq!(reply.status, 422, "upper-case copy: {}", reply.text);
    assert!(
        reply.json["details"]["email"][0]["description"]
            .as_str()
            .is_some_and(|d| d.ends_with("is already being used by another user")),
        "upper-case copy: {}",
        reply.text
    );
}

#[tokio::test]
async fn create_user_with_a_malformed_email_is_422_on_email() {
    let mock = Mock::start().await;
    let cases = [
        ("no at sign", "rosa.example.com"),
        ("no local part", "@example.com"),
        ("no dot in the domain", "rosa@localhost"),
        ("two at signs", "rosa@@example.com"),
        ("white space", "rosa banks@example.com"),
    ];
    for (case, email) in cases {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": "Rosa", "email": email}}),
            )
            .await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(
            reply.json["error"], "RecordInvalid",
            "{case}: {}",
            reply.text
        );
        assert!(
            reply.json["details"]["email"][0]["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Email: ")),
            "{case}: no details.email: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn create_user_with_a_taken_external_id_is_422_on_name() {
    let mock = Mock::start().await;
    let cases = [
        ("same external id", "crm-1001"),
        ("external id in another case", "CRM-1001"),
    ];
    for (case, external_id) in cases {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": "Copycat", "email": "copy@example.com",
                                "external_id": external_id}}),
            )
            .await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(
            reply.json["error"], "RecordInvalid",
            "{case}: {}",
            reply.text
        );
        assert_eq!(
            reply.json["details"]["name"][0]["description"], "External has already been taken",
            "{case}: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn unknown_user_keys_are_accepted_with_an_api_warn_header() {
    let mock = Mock::start().await;
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Warned", "email": "warned@example.com",
                            "favourite_colour": "teal"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let warn = reply
        .header("x-zendesk-api-warn")
        .expect("X-Zendesk-API-Warn header");
    assert!(warn.contains(r#""user.favourite_colour""#), "{warn}");
    assert!(warn.contains(r#":controller=>"users""#), "{warn}");
    assert!(
        reply.json["user"].get("favourite_colour").is_none(),
        "the unknown key must not be stored: {}",
        reply.text
    );
    let id = assert_id(&reply.json["user"]["id"], "user.id");

    let update = mock
        .admin()
        .put(
            &format!("/api/v2/users/{id}.json"),
            json!({"user": {"notes": "still here", "shoe_size": 9}}),
        )
        .await;
    assert_eq!(update.status, 200, "{}", update.text);
    assert_eq!(update.json["user"]["notes"], "still here");
    let warn = update
        .header("x-zendesk-api-warn")
        .expect("X-Zendesk-API-Warn header on update");
    assert!(warn.contains(r#""user.shoe_size""#), "{warn}");
}
