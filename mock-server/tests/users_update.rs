//! Changing users over HTTP (facts §3.3; design.md decisions): create_or_update matching by
//! email or external id, update of the fields sent, an email update that adds an identity,
//! taken external ids, and who may change a role.

mod common;
mod users;

use common::Mock;
use common::assert::{assert_id, assert_timestamp};
use common::bodies::forbidden;
use serde_json::json;
use users::create;

/// A user's email identities as (value, primary), sorted.
async fn email_identities(mock: &Mock, id: i64) -> Vec<(String, bool)> {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/{id}/identities.json?type[]=email"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut emails: Vec<(String, bool)> = reply.json["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .map(|i| {
            (
                i["value"].as_str().unwrap_or_default().to_owned(),
                i["primary"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn create_or_update_creates_then_updates_matching_by_email() {
    let mock = Mock::start().await;
    let first = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Una First", "email": "una@example.com"}}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let id = assert_id(&first.json["user"]["id"], "created id");
    let location = first.header("location").expect("Location on create");
    assert!(
        location.ends_with(&format!("/api/v2/users/{id}.json")),
        "{location}"
    );

    let second = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Una Second", "email": "UNA@example.com"}}),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.json["user"]["id"], id, "{}", second.text);
    assert_eq!(second.json["user"]["name"], "Una Second");
    assert_eq!(second.json["user"]["email"], "una@example.com");
    let location = second.header("location").expect("Location on update");
    assert!(
        location.ends_with(&format!("/api/v2/users/{id}.json")),
        "{location}"
    );

    // A demo user is matched through their email too.
    let john = mock.user_id("john.smith@example.com").await;
    let demo = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Johnny Smith", "email": "john.smith@example.com"}}),
        )
        .await;
    assert_eq!(demo.status, 200, "{}", demo.text);
    assert_eq!(demo.json["user"]["id"], john);
    assert_eq!(demo.json["user"]["name"], "Johnny Smith");
}

#[tokio::test]
async fn create_or_update_matches_by_external_id_and_takes_its_case() {
    let mock = Mock::start().await;
    let first = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Ext One", "external_id": "ext-77"}}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let id = assert_id(&first.json["user"]["id"], "created id");

    let second = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Ext Two", "external_id": "EXT-77"}}),
        )
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    assert_eq!(second.json["user"]["id"], id);
    assert_eq!(second.json["user"]["name"], "Ext Two");
    assert_eq!(
        second.json["user"]["external_id"], "EXT-77",
        "matching rewrites the external id's case to the case sent (facts §3.3)"
    );

    let jane = mock.user_id("jane.doe@example.com").await;
    let demo = mock
        .admin()
        .post(
            "/api/v2/users/create_or_update.json",
            json!({"user": {"name": "Jane Q. Doe", "external_id": "crm-1001"}}),
        )
        .await;
    assert_eq!(demo.status, 200, "{}", demo.text);
    assert_eq!(demo.json["user"]["id"], jane);
}

#[tokio::test]
async fn update_changes_the_fields_sent_and_leaves_the_rest() {
    let mock = Mock::start().await;
    let id = create(
        &mock,
        json!({"name": "Val Before", "email": "val@example.com", "notes": "old",
               "tags": ["keep"]}),
    )
    .await;
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{id}.json"),
            json!({"user": {"name": "Val After", "details": "Moved to Leeds",
                            "phone": "+44 113 496 0000", "tags": ["Moved", "uk"],
                            "time_zone": "London", "user_fields": {"tier": "gold"}}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert_eq!(user["id"], id);
    assert_eq!(user["name"], "Val After");
    assert_eq!(user["details"], "Moved to Leeds");
    assert_eq!(user["phone"], "+44 113 496 0000");
    assert_eq!(user["tags"], json!(["moved", "uk"]));
    assert_eq!(user["time_zone"], "London");
    assert_eq!(user["iana_time_zone"], "Europe/London");
    assert_eq!(user["user_fields"], json!({"tier": "gold"}));
    assert_eq!(user["notes"], "old", "absent fields stay");
    assert_eq!(user["email"], "val@example.com");
    assert_timestamp(&user["updated_at"], "updated_at");

    let shown = mock.admin().get(&format!("/api/v2/users/{id}.json")).await;
    assert_eq!(shown.json, reply.json, "the update was stored");

    // The admin may change roles.
    let promoted = mock
        .admin()
        .put(
            &format!("/api/v2/users/{id}.json"),
            json!({"user": {"role": "agent"}}),
        )
        .await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    assert_eq!(promoted.json["user"]["role"], "agent");
}

#[tokio::test]
async fn update_with_email_adds_a_secondary_identity_and_keeps_the_primary() {
    let mock = Mock::start().await;
    let id = mock.create_user("Wes Old", "wes.old@example.com").await;
    for attempt in ["first", "repeated"] {
        let reply = mock
            .admin()
            .put(
                &format!("/api/v2/users/{id}.json"),
                json!({"user": {"email": "wes.new@example.com"}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{attempt}: {}", reply.text);
        assert_eq!(
            reply.json["user"]["email"], "wes.old@example.com",
            "{attempt}: user.email stays the old primary"
        );
        assert_eq!(
            email_identities(&mock, id).await,
            vec![
                ("wes.new@example.com".to_owned(), false),
                ("wes.old@example.com".to_owned(), true),
            ],
            "{attempt} update"
        );
    }
    // The new address is now taken.
    let taken = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Other", "email": "wes.new@example.com"}}),
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.text);
}

#[tokio::test]
async fn update_to_a_taken_external_id_is_422_on_name() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let cases = [
        ("another user's external id", "crm-1001"),
        ("another user's external id in another case", "Crm-1002"),
    ];
    for (case, external_id) in cases {
        let reply = mock
            .admin()
            .put(
                &format!("/api/v2/users/{john}.json"),
                json!({"user": {"external_id": external_id}}),
            )
            .await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(
            reply.json["details"]["name"][0]["description"], "External has already been taken",
            "{case}: {}",
            reply.text
        );
    }
    // Sending one's own external id again is no conflict.
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{john}.json"),
            json!({"user": {"external_id": "crm-1003"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["user"]["external_id"], "crm-1003");
}

#[tokio::test]
async fn agent_changing_a_role_is_403() {
    let mock = Mock::start().await;
    let agent = mock.as_token("agent@example.com", common::ADMIN_TOKEN);
    let agent_id = mock.user_id("agent@example.com").await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("end user promoted to agent", jane, "agent"),
        ("end user promoted to admin", jane, "admin"),
        ("agent promotes itself to admin", agent_id, "admin"),
        ("agent demotes itself to end user", agent_id, "end-user"),
    ];
    for (case, target, role) in cases {
        let reply = agent
            .put(
                &format!("/api/v2/users/{target}.json"),
                json!({"user": {"role": role}}),
            )
            .await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.text);
        assert_eq!(reply.json, forbidden(), "{case}");
    }
    let jane_now = mock
        .admin()
        .get(&format!("/api/v2/users/{jane}.json"))
        .await;
    assert_eq!(jane_now.json["user"]["role"], "end-user");
    let agent_now = mock
        .admin()
        .get(&format!("/api/v2/users/{agent_id}.json"))
        .await;
    assert_eq!(agent_now.json["user"]["role"], "agent");

    // Other changes to an end user are the agent's to make.
    let notes = agent
        .put(
            &format!("/api/v2/users/{jane}.json"),
            json!({"user": {"notes": "Called back."}}),
        )
        .await;
    assert_eq!(notes.status, 200, "{}", notes.text);
    assert_eq!(notes.json["user"]["notes"], "Called back.");
}

/// Regression: an update that adds an email and then fails on a taken external id used to
/// keep the new email identity. Every check now runs before the first write.
#[tokio::test]
async fn a_refused_update_changes_nothing_not_even_the_email_it_would_add() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let before = email_identities(&mock, john).await;
    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{john}.json"),
            json!({"user": {"email": "john.new@example.com", "external_id": "crm-1001", "notes": "changed"}}),
        )
        .await;
    assert_eq!(reply.status, 422, "crm-1001 is Jane's: {}", reply.text);
    assert_eq!(
        reply.json["details"]["name"][0]["description"],
        "External has already been taken"
    );
    assert_eq!(
        email_identities(&mock, john).await,
        before,
        "no identity was added"
    );
    let shown = mock
        .admin()
        .get(&format!("/api/v2/users/{john}.json"))
        .await;
    assert_ne!(
        shown.json["user"]["notes"], "changed",
        "no field was written"
    );
    let taken = mock
        .create_user("Someone Else", "john.new@example.com")
        .await;
    assert!(taken > 0, "the email was never claimed");
}

/// Rails coerces parameter strings, and real clients rely on it: ethyca/fides creates users
/// with `"verified": "true"`.
#[tokio::test]
async fn boolean_fields_accept_rails_style_strings() {
    let mock = Mock::start().await;
    let cases = [
        ("\"true\"", json!("true"), true),
        ("\"1\"", json!("1"), true),
        ("1", json!(1), true),
        ("\"false\"", json!("false"), false),
    ];
    for (n, (case, verified, expected)) in cases.into_iter().enumerate() {
        let email = format!("string-bool-{n}@example.com");
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": "Flag", "email": email, "verified": verified}}),
            )
            .await;
        assert_eq!(reply.status, 201, "verified: {case}: {}", reply.text);
        assert_eq!(reply.json["user"]["verified"], expected, "verified: {case}");
    }
    let reply = mock
        .admin()
        .post(
            "/api/v2/users.json",
            json!({"user": {"name": "Flag", "verified": "maybe"}}),
        )
        .await;
    assert_eq!(
        reply.status, 400,
        "a non-boolean string is refused: {}",
        reply.text
    );
}
