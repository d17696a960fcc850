//! Changing user identities over real HTTP (facts §3.5): update, make_primary, verify and
//! request_verification, and who may do them.

mod common;
mod identities;

use common::assert::assert_forbidden;
use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock};
use identities::{
    add_identity, all_identities, assert_identity_forms, identities_of, identities_path,
    identity_id, identity_path, user_email,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Update

#[tokio::test]
async fn update_changes_the_value_and_user_email_follows_the_primary() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let id = identity_id(&mock, john, "john.smith@example.com").await;

    let reply = mock
        .admin()
        .put(
            &identity_path(john, id),
            json!({"identity": {"value": "john.renamed@example.com"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["identity"]["id"], id);
    assert_eq!(reply.json["identity"]["value"], "john.renamed@example.com");
    assert_eq!(reply.json["identity"]["primary"], true);
    assert_eq!(user_email(&mock, john).await, "john.renamed@example.com");

    // The old value is free again; the new one is taken.
    let jane = mock.user_id("jane.doe@example.com").await;
    add_identity(
        &mock,
        jane,
        json!({"type": "email", "value": "john.smith@example.com"}),
    )
    .await;
    let taken = mock
        .admin()
        .post(
            &identities_path(jane),
            json!({"identity": {"type": "email", "value": "john.renamed@example.com"}}),
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.text);
}

#[tokio::test]
async fn update_rejects_bad_values_with_422_and_changes_nothing() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let id = identity_id(&mock, john, "john.smith@example.com").await;
    // (case, new value, description compared case-insensitively)
    let cases = [
        (
            "email held by another user, in other case",
            "JANE.DOE@example.com",
            "Value: jane.doe@example.com is already being used by another user",
        ),
        (
            "secondary email of another user",
            "jane@personal.example.org",
            "Value: jane@personal.example.org is already being used by another user",
        ),
        (
            "malformed email",
            "john at example.com",
            "Value: john at example.com is not properly formatted",
        ),
    ];
    for (case, value, description) in cases {
        let reply = mock
            .admin()
            .put(
                &identity_path(john, id),
                json!({"identity": {"value": value}}),
            )
            .await;
        assert_eq!(reply.status, 422, "case: {case}: {}", reply.text);
        assert_eq!(reply.json["error"], "RecordInvalid", "case: {case}");
        let got = reply.json["details"]["value"][0]["description"]
            .as_str()
            .unwrap_or_default();
        assert!(
            got.eq_ignore_ascii_case(description),
            "case: {case}: description {got:?}, expected {description:?}"
        );
        let shown = mock.admin().get(&identity_path(john, id)).await;
        assert_eq!(
            shown.json["identity"]["value"], "john.smith@example.com",
            "case: {case}: value unchanged"
        );
    }
}

#[tokio::test]
async fn update_ignores_primary_in_the_body() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let secondary = identity_id(&mock, jane, "jane@personal.example.org").await;
    let primary = identity_id(&mock, jane, "jane.doe@example.com").await;

    let promote = mock
        .admin()
        .put(
            &identity_path(jane, secondary),
            json!({"identity": {"primary": true}}),
        )
        .await;
    assert_eq!(promote.status, 200, "{}", promote.text);
    assert_eq!(promote.json["identity"]["primary"], false, "not promoted");

    let demote = mock
        .admin()
        .put(
            &identity_path(jane, primary),
            json!({"identity": {"primary": false}}),
        )
        .await;
    assert_eq!(demote.status, 200, "{}", demote.text);
    assert_eq!(demote.json["identity"]["primary"], true, "not demoted");
    assert_eq!(user_email(&mock, jane).await, "jane.doe@example.com");
}

// ---------------------------------------------------------------------------------------------
// make_primary, verify, request_verification

#[tokio::test]
async fn make_primary_answers_with_the_whole_list_and_moves_user_email() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let secondary = identity_id(&mock, jane, "jane@personal.example.org").await;

    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{jane}/identities/{secondary}/make_primary.json"),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let identities = identities_of(&reply, "make_primary");
    assert_eq!(
        identities,
        all_identities(&mock, jane).await,
        "the reply is the user's whole list"
    );
    let primary_emails: Vec<&str> = identities
        .iter()
        .filter(|i| i["type"] == "email" && i["primary"] == true)
        .map(|i| i["value"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(primary_emails, vec!["jane@personal.example.org"]);
    assert_eq!(user_email(&mock, jane).await, "jane@personal.example.org");

    for identity in &identities {
        assert_identity_forms(&mock, identity, jane);
    }
    insta::assert_json_snapshot!("make_primary_list", reply.json, {
        ".identities[].id" => "[identity id]",
        ".identities[].user_id" => "[user id]",
        ".identities[].url" => "[identity url]",
        ".identities[].created_at" => "[timestamp]",
        ".identities[].updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn end_user_may_make_only_a_verified_email_primary() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let unverified = add_identity(
        &mock,
        john,
        json!({"type": "email", "value": "john.unverified@example.com", "verified": false}),
    )
    .await;
    let verified = add_identity(
        &mock,
        john,
        json!({"type": "email", "value": "john.verified@example.com", "verified": true}),
    )
    .await;
    let as_john = mock.as_token("john.smith@example.com", ADMIN_TOKEN);
    let make_primary = |identity: &Value| {
        format!(
            "/api/v2/end_users/{john}/identities/{}/make_primary.json",
            identity["id"]
        )
    };

    let refused = as_john.put(&make_primary(&unverified), json!({})).await;
    assert_forbidden(&refused, "promote an unverified email");
    assert_eq!(user_email(&mock, john).await, "john.smith@example.com");

    let allowed = as_john.put(&make_primary(&verified), json!({})).await;
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    assert_eq!(user_email(&mock, john).await, "john.verified@example.com");
}

#[tokio::test]
async fn verify_marks_the_identity_verified() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let created = add_identity(
        &mock,
        john,
        json!({"type": "email", "value": "john.unverified@example.com"}),
    )
    .await;
    assert_eq!(
        created["verified"], false,
        "a new identity starts unverified"
    );
    let id = created["id"].as_i64().expect("id");

    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{john}/identities/{id}/verify.json"),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["identity"]["id"], id);
    assert_eq!(reply.json["identity"]["verified"], true);
    let shown = mock.admin().get(&identity_path(john, id)).await;
    assert_eq!(shown.json["identity"]["verified"], true, "verified sticks");
}

#[tokio::test]
async fn verify_on_the_owners_email_is_403() {
    let mock = Mock::start().await;
    let me = mock.admin().get("/api/v2/users/me.json").await;
    let owner = me.json["user"]["id"].as_i64().expect("owner id");
    let id = identity_id(&mock, owner, ADMIN_EMAIL).await;

    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{owner}/identities/{id}/verify.json"),
            json!({}),
        )
        .await;
    assert_forbidden(&reply, "verify the owner's email");
}

#[tokio::test]
async fn request_verification_answers_200_with_an_empty_body_and_records_it() {
    let mock = Mock::start().await;
    let sofia = mock
        .create_user("Sofia Second", "sofia.second@example.com")
        .await;
    let id = identity_id(&mock, sofia, "sofia.second@example.com").await;

    let reply = mock
        .admin()
        .put(
            &format!("/api/v2/users/{sofia}/identities/{id}/request_verification.json"),
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.text, "", "empty body");

    let events = mock.admin().get("/__mock/events").await;
    assert_eq!(events.status, 200, "{}", events.text);
    let requested = events.json["events"]
        .as_array()
        .expect("events")
        .iter()
        .any(|e| {
            e["type"] == "VerificationRequested" && e["user_id"] == sofia && e["identity_id"] == id
        });
    assert!(requested, "no VerificationRequested event: {}", events.text);
}
