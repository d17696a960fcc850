//! Adding and removing user identities over real HTTP (facts §3.5, §2): create and which
//! identity is primary, validation, delete, and what soft delete does to identities.

mod common;
mod identities;

use common::Mock;
use common::assert::assert_not_found;
use identities::{
    add_identity, all_identities, assert_identity_forms, identities_path, identity_id,
    identity_path, user_email, values_of,
};
use serde_json::{Value, json};

/// Creates an end user with no identity at all.
async fn create_user_without_email(mock: &Mock, name: &str) -> i64 {
    let reply = mock
        .admin()
        .post("/api/v2/users.json", json!({"user": {"name": name}}))
        .await;
    assert_eq!(reply.status, 201, "creating {name}: {}", reply.text);
    reply.json["user"]["id"].as_i64().expect("user id")
}

// ---------------------------------------------------------------------------------------------
// Create

#[tokio::test]
async fn create_answers_201_with_the_identity_and_a_location_pointing_at_it() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;

    let reply = mock
        .admin()
        .post(
            &identities_path(john),
            json!({"identity": {"type": "email", "value": "john.alt@example.com"}}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let identity = &reply.json["identity"];
    assert_identity_forms(&mock, identity, john);
    assert_eq!(identity["type"], "email");
    assert_eq!(identity["value"], "john.alt@example.com");
    assert_eq!(
        reply.header("location"),
        identity["url"].as_str(),
        "Location names the new identity"
    );
    let id = identity["id"].as_i64().expect("id");
    let shown = mock.admin().get(&identity_path(john, id)).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(
        &shown.json["identity"], identity,
        "show returns what create did"
    );
}

#[tokio::test]
async fn first_identity_of_a_type_is_primary_and_later_ones_are_not() {
    let mock = Mock::start().await;
    let user = create_user_without_email(&mock, "Nora Noemail").await;

    let first_email = add_identity(
        &mock,
        user,
        json!({"type": "email", "value": "nora@example.com"}),
    )
    .await;
    let second_email = add_identity(
        &mock,
        user,
        json!({"type": "email", "value": "nora.two@example.com"}),
    )
    .await;
    let first_phone = add_identity(
        &mock,
        user,
        json!({"type": "phone_number", "value": "+1 202 555 0199"}),
    )
    .await;

    assert_eq!(first_email["primary"], true, "first email");
    assert_eq!(second_email["primary"], false, "second email");
    assert_eq!(first_phone["primary"], true, "first phone (a new type)");
    assert_eq!(user_email(&mock, user).await, "nora@example.com");
}

#[tokio::test]
async fn create_with_primary_true_takes_primary_from_the_previous_one() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;

    let created = add_identity(
        &mock,
        john,
        json!({"type": "email", "value": "john.new@example.com", "primary": true}),
    )
    .await;
    assert_eq!(created["primary"], true);

    let emails: Vec<(Value, Value)> = all_identities(&mock, john)
        .await
        .iter()
        .filter(|i| i["type"] == "email")
        .map(|i| (i["value"].clone(), i["primary"].clone()))
        .collect();
    assert_eq!(
        emails,
        vec![
            (json!("john.smith@example.com"), json!(false)),
            (json!("john.new@example.com"), json!(true)),
        ]
    );
    assert_eq!(user_email(&mock, john).await, "john.new@example.com");
}

#[tokio::test]
async fn create_with_a_value_another_user_holds_is_422_with_the_recorded_body() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;

    let reply = mock
        .admin()
        .post(
            &identities_path(john),
            json!({"identity": {"type": "email", "value": "jane.doe@example.com"}}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.json,
        json!({
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {"value": [{"description": "Value: jane.doe@example.com is already being used by another user"}]}
        })
    );
}

#[tokio::test]
async fn create_rejects_bad_identities_with_422_and_adds_nothing() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let before = all_identities(&mock, john).await;
    // (case, identity, field in details, description compared case-insensitively)
    let cases = [
        (
            "email held by another user, in other case",
            json!({"type": "email", "value": "Jane.DOE@Example.com"}),
            "value",
            "Value: jane.doe@example.com is already being used by another user",
        ),
        (
            "secondary email of another user",
            json!({"type": "email", "value": "jane@personal.example.org"}),
            "value",
            "Value: jane@personal.example.org is already being used by another user",
        ),
        (
            "email without a domain",
            json!({"type": "email", "value": "not-an-email"}),
            "value",
            "Value: not-an-email is not properly formatted",
        ),
        (
            "email with two at signs",
            json!({"type": "email", "value": "a@b@example.com"}),
            "value",
            "Value: a@b@example.com is not properly formatted",
        ),
        (
            "unknown type",
            json!({"type": "carrier_pigeon", "value": "coo"}),
            "type",
            "Type: carrier_pigeon is not valid",
        ),
    ];
    for (case, identity, field, description) in cases {
        let reply = mock
            .admin()
            .post(&identities_path(john), json!({ "identity": identity }))
            .await;
        assert_eq!(reply.status, 422, "case: {case}: {}", reply.text);
        assert_eq!(reply.json["error"], "RecordInvalid", "case: {case}");
        assert_eq!(
            reply.json["description"], "Record validation errors",
            "case: {case}"
        );
        let details = reply.json["details"][field]
            .as_array()
            .unwrap_or_else(|| panic!("case: {case}: no details.{field}: {}", reply.text));
        assert_eq!(details.len(), 1, "case: {case}: {}", reply.text);
        let got = details[0]["description"].as_str().unwrap_or_default();
        assert!(
            got.eq_ignore_ascii_case(description),
            "case: {case}: description {got:?}, expected {description:?}"
        );
    }
    assert_eq!(
        all_identities(&mock, john).await,
        before,
        "rejected creates added nothing"
    );
}

// ---------------------------------------------------------------------------------------------
// Delete

#[tokio::test]
async fn delete_answers_204_with_an_empty_body_and_the_identity_is_gone() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let id = identity_id(&mock, jane, "jane@personal.example.org").await;

    let reply = mock.admin().delete(&identity_path(jane, id)).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "", "204 has no body");

    assert_not_found(
        &mock.admin().get(&identity_path(jane, id)).await,
        "show after delete",
    );
    assert_not_found(
        &mock.admin().delete(&identity_path(jane, id)).await,
        "delete twice",
    );
    assert!(
        !values_of(&all_identities(&mock, jane).await).contains(&"jane@personal.example.org"),
        "the list no longer has it"
    );
}

#[tokio::test]
async fn deleting_the_primary_email_promotes_nothing_and_user_email_becomes_null() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let primary = identity_id(&mock, jane, "jane.doe@example.com").await;

    let reply = mock.admin().delete(&identity_path(jane, primary)).await;
    assert_eq!(reply.status, 204, "{}", reply.text);

    let emails: Vec<(Value, Value)> = all_identities(&mock, jane)
        .await
        .iter()
        .filter(|i| i["type"] == "email")
        .map(|i| (i["value"].clone(), i["primary"].clone()))
        .collect();
    assert_eq!(
        emails,
        vec![(json!("jane@personal.example.org"), json!(false))],
        "the remaining email stays non-primary (facts §13.6)"
    );
    assert_eq!(user_email(&mock, jane).await, Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Soft-deleted users

#[tokio::test]
async fn identity_writes_on_a_soft_deleted_user_are_404() {
    let mock = Mock::start().await;
    let gone = mock.create_user("Gus Gone", "gus@example.com").await;
    let second = add_identity(
        &mock,
        gone,
        json!({"type": "email", "value": "gus.two@example.com"}),
    )
    .await;
    let id = second["id"].as_i64().expect("id");
    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{gone}.json"))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.json["user"]["active"], false);

    let base = format!("/api/v2/users/{gone}/identities");
    let admin = mock.admin();
    let cases = [
        (
            "create",
            admin
                .post(
                    &format!("{base}.json"),
                    json!({"identity": {"type": "email", "value": "gus.three@example.com"}}),
                )
                .await,
        ),
        (
            "update",
            admin
                .put(
                    &format!("{base}/{id}.json"),
                    json!({"identity": {"value": "gus.four@example.com"}}),
                )
                .await,
        ),
        ("delete", admin.delete(&format!("{base}/{id}.json")).await),
        (
            "make_primary",
            admin
                .put(&format!("{base}/{id}/make_primary.json"), json!({}))
                .await,
        ),
        (
            "verify",
            admin
                .put(&format!("{base}/{id}/verify.json"), json!({}))
                .await,
        ),
        (
            "request_verification",
            admin
                .put(&format!("{base}/{id}/request_verification.json"), json!({}))
                .await,
        ),
    ];
    for (case, reply) in &cases {
        assert_not_found(reply, case);
    }
    let shown = admin.get(&format!("{base}/{id}.json")).await;
    assert_eq!(shown.status, 200, "reads still work: {}", shown.text);
    assert_eq!(shown.json["identity"]["value"], "gus.two@example.com");
}

#[tokio::test]
async fn soft_deleting_a_user_frees_its_email_for_another_user() {
    let mock = Mock::start().await;
    let old = mock.create_user("Olga Old", "olga@example.com").await;
    let new = create_user_without_email(&mock, "Nina New").await;
    let body = json!({"identity": {"type": "email", "value": "olga@example.com"}});

    let while_active = mock.admin().post(&identities_path(new), body.clone()).await;
    assert_eq!(
        while_active.status, 422,
        "taken while olga is active: {}",
        while_active.text
    );

    let deleted = mock
        .admin()
        .delete(&format!("/api/v2/users/{old}.json"))
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);

    let after = mock.admin().post(&identities_path(new), body).await;
    assert_eq!(after.status, 201, "free after soft delete: {}", after.text);
    assert_eq!(after.json["identity"]["primary"], true);
    assert_eq!(user_email(&mock, new).await, "olga@example.com");
}
