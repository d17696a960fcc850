//! User identities over real HTTP (facts §3.5, §2, §9): listing, paging, show, create, update,
//! delete, make_primary, verify, request_verification, the end-user view, and what soft delete
//! does to identities.

mod common;

use common::{ADMIN_EMAIL, ADMIN_TOKEN, Mock, Reply};
use serde_json::{Value, json};

const FORBIDDEN: &str = "You do not have access to this page. Please contact the account owner of this help desk for further help.";

// ---------------------------------------------------------------------------------------------
// Helpers (local to this file)

fn identities_path(user_id: i64) -> String {
    format!("/api/v2/users/{user_id}/identities.json")
}

fn identity_path(user_id: i64, id: i64) -> String {
    format!("/api/v2/users/{user_id}/identities/{id}.json")
}

/// The `identities` array of a list reply, after checking the status.
fn identities_of(reply: &Reply, context: &str) -> Vec<Value> {
    assert_eq!(reply.status, 200, "{context}: {}", reply.text);
    reply.json["identities"]
        .as_array()
        .unwrap_or_else(|| panic!("{context}: no identities array: {}", reply.text))
        .clone()
}

fn values_of(identities: &[Value]) -> Vec<&str> {
    identities
        .iter()
        .map(|i| i["value"].as_str().unwrap_or_default())
        .collect()
}

/// Every identity of a user, as the admin sees them.
async fn all_identities(mock: &Mock, user_id: i64) -> Vec<Value> {
    let reply = mock.admin().get(&identities_path(user_id)).await;
    identities_of(&reply, "listing identities")
}

/// The id of the user's identity with this value.
async fn identity_id(mock: &Mock, user_id: i64, value: &str) -> i64 {
    all_identities(mock, user_id)
        .await
        .iter()
        .find(|i| i["value"] == value)
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("user {user_id} has no identity {value}"))
}

/// Adds an identity as the admin and returns the created identity object.
async fn add_identity(mock: &Mock, user_id: i64, identity: Value) -> Value {
    let reply = mock
        .admin()
        .post(&identities_path(user_id), json!({ "identity": identity }))
        .await;
    assert_eq!(reply.status, 201, "adding {identity}: {}", reply.text);
    reply.json["identity"].clone()
}

/// Creates an end user with no identity at all.
async fn create_user_without_email(mock: &Mock, name: &str) -> i64 {
    let reply = mock
        .admin()
        .post("/api/v2/users.json", json!({"user": {"name": name}}))
        .await;
    assert_eq!(reply.status, 201, "creating {name}: {}", reply.text);
    reply.json["user"]["id"].as_i64().expect("user id")
}

/// `user.email` as the admin sees it.
async fn user_email(mock: &Mock, user_id: i64) -> Value {
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/{user_id}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json["user"]["email"].clone()
}

fn assert_not_found(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 404, "{context}: {}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "RecordNotFound", "description": "Not found"}),
        "{context}"
    );
}

fn assert_forbidden(reply: &Reply, context: &str) {
    assert_eq!(reply.status, 403, "{context}: {}", reply.text);
    assert_eq!(
        reply.json,
        json!({"error": "Forbidden", "description": FORBIDDEN}),
        "{context}"
    );
}

/// `2023-09-18T23:28:11Z`: ISO-8601 UTC, whole seconds.
fn assert_timestamp(value: &Value, context: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{context}: not a string: {value}"));
    let shape = "####-##-##T##:##:##Z";
    let ok = text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            '#' => c.is_ascii_digit(),
            _ => c == s,
        });
    assert!(ok, "{context}: {text:?} is not like 2023-09-18T23:28:11Z");
}

/// Checks the forms of the fields a snapshot redacts: ids are int64, the url is the identity's
/// own `.json` URL on this server, timestamps are ISO-8601.
fn assert_identity_forms(mock: &Mock, identity: &Value, user_id: i64) {
    let id = identity["id"].as_i64().expect("identity id is an integer");
    assert_eq!(identity["user_id"], user_id, "user_id");
    assert_eq!(
        identity["url"],
        format!("{}/api/v2/users/{user_id}/identities/{id}.json", mock.url),
        "url"
    );
    assert_timestamp(&identity["created_at"], "created_at");
    assert_timestamp(&identity["updated_at"], "updated_at");
}

// ---------------------------------------------------------------------------------------------
// List and pagination

#[tokio::test]
async fn list_returns_every_identity_of_the_user_in_creation_order_with_cursor_fields() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;

    let reply = mock.admin().get(&identities_path(jane)).await;
    let identities = identities_of(&reply, "jane's identities");

    let summary: Vec<(Value, Value, Value)> = identities
        .iter()
        .map(|i| (i["type"].clone(), i["value"].clone(), i["primary"].clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (json!("email"), json!("jane.doe@example.com"), json!(true)),
            (
                json!("email"),
                json!("jane@personal.example.org"),
                json!(false)
            ),
            (json!("phone_number"), json!("+1 202 555 0100"), json!(true)),
        ]
    );
    assert!(identities.iter().all(|i| i["user_id"] == jane));
    // Cursor-only (facts §9): meta and links, never an offset `count` or `next_page`.
    assert_eq!(reply.json["meta"]["has_more"], false, "{}", reply.text);
    assert!(reply.json["links"]["next"].is_null(), "{}", reply.text);
    assert!(reply.json.get("count").is_none(), "{}", reply.text);
    assert!(reply.json.get("next_page").is_none(), "{}", reply.text);
}

#[tokio::test]
async fn type_filter_returns_only_identities_of_the_listed_types() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases: [(&str, &str, Vec<&str>); 4] = [
        (
            "one email type",
            "type[]=email",
            vec!["jane.doe@example.com", "jane@personal.example.org"],
        ),
        ("phone only", "type[]=phone_number", vec!["+1 202 555 0100"]),
        (
            "two types",
            "type[]=email&type[]=phone_number",
            vec![
                "jane.doe@example.com",
                "jane@personal.example.org",
                "+1 202 555 0100",
            ],
        ),
        ("a type jane does not have", "type[]=twitter", vec![]),
    ];
    for (case, query, expected) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/users/{jane}/identities.json?{query}"))
            .await;
        let identities = identities_of(&reply, case);
        assert_eq!(values_of(&identities), expected, "case: {case}");
    }
}

#[tokio::test]
async fn cursor_pages_of_one_walk_every_identity_and_the_last_page_has_no_next_link() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let everything = all_identities(&mock, jane).await;
    assert_eq!(everything.len(), 3, "jane's demo identities");

    let mut path = format!("/api/v2/users/{jane}/identities.json?page[size]=1");
    let mut walked = Vec::new();
    for page in 1.. {
        assert!(page <= everything.len(), "more pages than identities");
        let reply = mock.admin().get(&path).await;
        let items = identities_of(&reply, &format!("page {page}"));
        assert_eq!(items.len(), 1, "page {page} size: {}", reply.text);
        assert!(
            reply.json.get("count").is_none(),
            "cursor pages carry no count"
        );
        walked.extend(items);
        let has_more = reply.json["meta"]["has_more"].as_bool().expect("has_more");
        let next = &reply.json["links"]["next"];
        if page == everything.len() {
            assert!(!has_more, "last page says has_more: {}", reply.text);
            assert!(
                next.is_null(),
                "last page still links onward: {}",
                reply.text
            );
            break;
        }
        assert!(has_more, "page {page} says no more: {}", reply.text);
        let next = next.as_str().expect("links.next on a middle page");
        path = next
            .strip_prefix(&mock.url)
            .unwrap_or_else(|| panic!("links.next {next} is not on this server"))
            .to_owned();
    }
    assert_eq!(
        walked, everything,
        "the walk saw each identity once, in order"
    );
}

// ---------------------------------------------------------------------------------------------
// Show

#[tokio::test]
async fn show_returns_the_identity_in_the_live_shape() {
    let mock = Mock::start().await;
    let ida = mock.create_user("Ida Identity", "ida@example.com").await;
    let id = identity_id(&mock, ida, "ida@example.com").await;

    let reply = mock.admin().get(&identity_path(ida, id)).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let identity = &reply.json["identity"];
    assert_identity_forms(&mock, identity, ida);
    insta::assert_json_snapshot!("identity", identity, {
        ".id" => "[identity id]",
        ".user_id" => "[user id]",
        ".url" => "[identity url]",
        ".created_at" => "[timestamp]",
        ".updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn show_of_another_users_identity_id_is_404() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let john = mock.user_id("john.smith@example.com").await;
    let johns_identity = identity_id(&mock, john, "john.smith@example.com").await;

    // The identity exists, but not under jane.
    let own = mock.admin().get(&identity_path(john, johns_identity)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    let reply = mock.admin().get(&identity_path(jane, johns_identity)).await;
    assert_not_found(&reply, "john's identity under jane");
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

// ---------------------------------------------------------------------------------------------
// End users

#[tokio::test]
async fn end_user_sees_only_own_email_and_phone_identities() {
    let mock = Mock::start().await;
    // Li has an email and a twitter handle; add a phone so both visible types are present.
    let li = mock.user_id("li.wei@example.cn").await;
    add_identity(
        &mock,
        li,
        json!({"type": "phone_number", "value": "+86 10 5555 0100"}),
    )
    .await;
    let staff_types: Vec<Value> = all_identities(&mock, li)
        .await
        .iter()
        .map(|i| i["type"].clone())
        .collect();
    assert_eq!(
        staff_types,
        vec![json!("email"), json!("twitter"), json!("phone_number")]
    );

    let as_li = mock.as_token("li.wei@example.cn", ADMIN_TOKEN);
    let reply = as_li
        .get(&format!("/api/v2/end_users/{li}/identities.json"))
        .await;
    let identities = identities_of(&reply, "li's own identities");
    assert_eq!(
        values_of(&identities),
        vec!["li.wei@example.cn", "+86 10 5555 0100"],
        "no twitter handle for the end user"
    );
}

#[tokio::test]
async fn end_user_cannot_show_an_own_identity_the_list_hides() {
    let mock = Mock::start().await;
    let li = mock.user_id("li.wei@example.cn").await;
    let twitter = identity_id(&mock, li, "liwei_example").await;
    let as_li = mock.as_token("li.wei@example.cn", ADMIN_TOKEN);

    // The end-user list hides the handle (facts §3.5); fetching it by id must not reveal it.
    let reply = as_li
        .get(&format!("/api/v2/end_users/{li}/identities/{twitter}.json"))
        .await;
    assert_not_found(&reply, "li's twitter identity by id");
}

#[tokio::test]
async fn end_user_reading_another_users_identities_is_403() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let janes_identity = identity_id(&mock, jane, "jane.doe@example.com").await;
    let as_li = mock.as_token("li.wei@example.cn", ADMIN_TOKEN);
    let cases = [
        (
            "end_users list",
            format!("/api/v2/end_users/{jane}/identities.json"),
        ),
        (
            "users list",
            format!("/api/v2/users/{jane}/identities.json"),
        ),
        (
            "end_users show",
            format!("/api/v2/end_users/{jane}/identities/{janes_identity}.json"),
        ),
    ];
    for (case, path) in cases {
        assert_forbidden(&as_li.get(&path).await, case);
    }
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
