//! Users over HTTP (facts §3.1–3.3, §3.4 soft delete, §10 authentication; design.md decisions):
//! create, show, list, show_many, count, search, autocomplete, create_or_update, update, me,
//! soft delete and who may do what, against the demo world.

mod common;

use common::{Mock, Reply};
use serde_json::{Value, json};

/// The recorded key order of the agent/admin view (facts §3.1, live 2023 recording).
const ADMIN_VIEW_KEYS: [&str; 37] = [
    "id",
    "url",
    "name",
    "email",
    "created_at",
    "updated_at",
    "time_zone",
    "iana_time_zone",
    "phone",
    "shared_phone_number",
    "photo",
    "locale_id",
    "locale",
    "organization_id",
    "role",
    "verified",
    "external_id",
    "tags",
    "alias",
    "active",
    "shared",
    "shared_agent",
    "last_login_at",
    "two_factor_auth_enabled",
    "signature",
    "details",
    "notes",
    "role_type",
    "custom_role_id",
    "moderator",
    "ticket_restriction",
    "only_private_comments",
    "restricted_agent",
    "suspended",
    "default_group_id",
    "report_csv",
    "user_fields",
];

/// `UserForEndUser` (facts §3.2).
const END_USER_VIEW_KEYS: [&str; 16] = [
    "id",
    "url",
    "name",
    "email",
    "created_at",
    "updated_at",
    "time_zone",
    "iana_time_zone",
    "locale",
    "locale_id",
    "organization_id",
    "phone",
    "shared_phone_number",
    "photo",
    "role",
    "verified",
];

const NOT_FOUND: &str = r#"{"error":"RecordNotFound","description":"Not found"}"#;
const FORBIDDEN: &str = r#"{"error":"Forbidden","description":"You do not have access to this page. Please contact the account owner of this help desk for further help."}"#;

fn body(text: &str) -> Value {
    serde_json::from_str(text).expect("expected body is JSON")
}

/// `YYYY-MM-DDTHH:MM:SSZ`: ISO-8601 UTC with seconds and no fraction (facts §1).
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn timestamp_checker_rejects_near_misses() {
    assert!(is_timestamp("2023-09-18T23:28:11Z"));
    for bad in [
        "2023-09-18T23:28:11",
        "2023-09-18T23:28:11.123Z",
        "2023-09-18 23:28:11Z",
        "2023-9-18T23:28:11Z",
        "2023-09-18T23:28:1xZ",
    ] {
        assert!(!is_timestamp(bad), "{bad} must not pass");
    }
}

fn assert_timestamp(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    assert!(is_timestamp(text), "{what} is not a UTC timestamp: {text}");
}

fn assert_id(value: &Value, what: &str) -> i64 {
    let id = value
        .as_i64()
        .unwrap_or_else(|| panic!("{what} is not an integer: {value}"));
    assert!(id > 0, "{what} is not positive: {id}");
    id
}

/// Checks the volatile fields of a user object (either view) before a snapshot redacts them:
/// a positive id, the live-form url, second-precision UTC timestamps. Returns the id.
fn assert_user_volatiles(mock: &Mock, user: &Value) -> i64 {
    let id = assert_id(&user["id"], "user.id");
    assert_eq!(
        user["url"],
        format!("{}/api/v2/users/{id}.json", mock.url),
        "user.url"
    );
    assert_timestamp(&user["created_at"], "user.created_at");
    assert_timestamp(&user["updated_at"], "user.updated_at");
    id
}

fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// Percent-encodes a query value.
fn q(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The path (and query) of an absolute URL this server produced.
fn path_of<'a>(mock: &Mock, url: &'a Value) -> &'a str {
    let url = url.as_str().unwrap_or_else(|| panic!("not a URL: {url}"));
    url.strip_prefix(mock.url.as_str())
        .unwrap_or_else(|| panic!("{url} is not on {}", mock.url))
}

fn ids_of(reply: &Reply, key: &str) -> Vec<i64> {
    reply.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {}", reply.text))
        .iter()
        .map(|u| u["id"].as_i64().expect("user id"))
        .collect()
}

fn names_of(reply: &Reply) -> Vec<String> {
    reply.json["users"]
        .as_array()
        .unwrap_or_else(|| panic!("no users array: {}", reply.text))
        .iter()
        .map(|u| u["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Creates a user as the admin from a whole `user` object; returns its id.
async fn create(mock: &Mock, user: Value) -> i64 {
    let reply = mock
        .admin()
        .post("/api/v2/users.json", json!({ "user": user }))
        .await;
    assert_eq!(reply.status, 201, "creating {user}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "created user id")
}

async fn my_id(mock: &Mock, email: &str) -> i64 {
    let reply = mock
        .as_token(email, common::ADMIN_TOKEN)
        .get("/api/v2/users/me.json")
        .await;
    assert_eq!(reply.status, 200, "me as {email}: {}", reply.text);
    assert_id(&reply.json["user"]["id"], "me.id")
}

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

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Show, list, show_many, count
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn show_user_returns_the_admin_view() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let reply = mock
        .admin()
        .get(&format!("/api/v2/users/{jane}.json"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.json["user"];
    assert_eq!(assert_user_volatiles(&mock, user), jane);
    assert_eq!(keys(user), ADMIN_VIEW_KEYS, "admin view keys and order");
    assert!(user["last_login_at"].is_null(), "{}", reply.text);

    // The path without `.json` answers the same (facts §1).
    let bare = mock.admin().get(&format!("/api/v2/users/{jane}")).await;
    assert_eq!(bare.status, 200, "{}", bare.text);
    assert_eq!(bare.json, reply.json);

    insta::assert_json_snapshot!("show_user_admin_view", reply.json, {
        ".user.id" => "[id]",
        ".user.url" => "[url]",
        ".user.created_at" => "[timestamp]",
        ".user.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn show_of_unknown_user_is_404_record_not_found() {
    let mock = Mock::start().await;
    let cases = [
        ("id never issued", "/api/v2/users/987654321987.json"),
        ("id not a number", "/api/v2/users/jane.json"),
        ("id past int64", "/api/v2/users/99999999999999999999.json"),
    ];
    for (case, path) in cases {
        let reply = mock.admin().get(path).await;
        assert_eq!(reply.status, 404, "{case}: {}", reply.text);
        assert_eq!(reply.json, body(NOT_FOUND), "{case}");
    }
}

#[tokio::test]
async fn list_users_filters_by_role_and_role_brackets() {
    let mock = Mock::start().await;
    let all = mock.admin().get("/api/v2/users.json").await;
    assert_eq!(all.status, 200, "{}", all.text);
    let all_ids = ids_of(&all, "users");
    assert_eq!(all.json["count"], all_ids.len(), "{}", all.text);

    let agent = mock.user_id("agent@example.com").await;
    let admin = my_id(&mock, common::ADMIN_EMAIL).await;
    let jane = mock.user_id("jane.doe@example.com").await;

    let agents = mock.admin().get("/api/v2/users.json?role=agent").await;
    assert_eq!(agents.status, 200, "{}", agents.text);
    assert_eq!(ids_of(&agents, "users"), vec![agent], "{}", agents.text);

    let staff = mock
        .admin()
        .get("/api/v2/users.json?role[]=agent&role[]=admin")
        .await;
    assert_eq!(staff.status, 200, "{}", staff.text);
    let mut staff_ids = ids_of(&staff, "users");
    staff_ids.sort_unstable();
    let mut expected = vec![agent, admin];
    expected.sort_unstable();
    assert_eq!(staff_ids, expected, "{}", staff.text);

    let end_users = mock.admin().get("/api/v2/users.json?role=end-user").await;
    assert_eq!(end_users.status, 200, "{}", end_users.text);
    let end_user_ids = ids_of(&end_users, "users");
    assert!(end_user_ids.contains(&jane), "{}", end_users.text);
    assert!(
        end_users.json["users"]
            .as_array()
            .expect("users")
            .iter()
            .all(|u| u["role"] == "end-user"),
        "{}",
        end_users.text
    );
    assert_eq!(
        end_user_ids.len() + staff_ids.len(),
        all_ids.len(),
        "the roles partition the list"
    );
}

#[tokio::test]
async fn users_list_cursor_page_has_meta_and_links() {
    let mock = Mock::start().await;
    let first = mock.admin().get("/api/v2/users.json?page[size]=2").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(
        first.json.get("count").is_none(),
        "cursor pages carry no count"
    );
    assert_eq!(first.json["meta"]["has_more"], true, "{}", first.text);
    assert!(first.json["links"]["prev"].is_null(), "{}", first.text);
    let page_one = ids_of(&first, "users");
    assert_eq!(page_one.len(), 2);
    for user in first.json["users"].as_array().expect("users") {
        assert_user_volatiles(&mock, user);
        assert!(user["last_login_at"].is_null(), "{user}");
    }
    let after = first.json["meta"]["after_cursor"]
        .as_str()
        .expect("after_cursor");
    let before = first.json["meta"]["before_cursor"]
        .as_str()
        .expect("before_cursor");
    for cursor in [after, before] {
        assert!(
            !cursor.is_empty()
                && cursor
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "cursor is not base64: {cursor}"
        );
    }
    assert_ne!(after, before);

    // links.next and page[after] lead to the same next page, after the first one.
    let next = mock
        .admin()
        .get(path_of(&mock, &first.json["links"]["next"]))
        .await;
    assert_eq!(next.status, 200, "{}", next.text);
    let by_cursor = mock
        .admin()
        .get(&format!(
            "/api/v2/users.json?page[size]=2&page[after]={}",
            q(after)
        ))
        .await;
    assert_eq!(by_cursor.status, 200, "{}", by_cursor.text);
    let page_two = ids_of(&next, "users");
    assert_eq!(page_two, ids_of(&by_cursor, "users"));
    assert_eq!(page_two.len(), 2);
    assert!(
        page_two.iter().all(|id| id > &page_one[1]),
        "pages overlap or go backwards: {page_one:?} then {page_two:?}"
    );

    insta::assert_json_snapshot!("users_list_cursor_page", first.json, {
        ".users[].id" => "[id]",
        ".users[].url" => "[url]",
        ".users[].created_at" => "[timestamp]",
        ".users[].updated_at" => "[timestamp]",
        ".meta.after_cursor" => "[cursor]",
        ".meta.before_cursor" => "[cursor]",
        ".links.next" => "[url]",
    });
}

#[tokio::test]
async fn show_many_returns_users_in_the_order_asked() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let agent = mock.user_id("agent@example.com").await;

    let by_ids = mock
        .admin()
        .get(&format!(
            "/api/v2/users/show_many.json?ids={john},{agent},{jane}"
        ))
        .await;
    assert_eq!(by_ids.status, 200, "{}", by_ids.text);
    assert_eq!(ids_of(&by_ids, "users"), vec![john, agent, jane]);

    let by_external = mock
        .admin()
        .get("/api/v2/users/show_many.json?external_ids=crm-1003,crm-1001")
        .await;
    assert_eq!(by_external.status, 200, "{}", by_external.text);
    assert_eq!(ids_of(&by_external, "users"), vec![john, jane]);
}

#[tokio::test]
async fn show_many_with_101_ids_is_400_too_many_values() {
    let mock = Mock::start().await;
    let cases = [("ids", "ids"), ("external_ids", "external_ids")];
    for (case, parameter) in cases {
        let values: Vec<String> = (1..=101).map(|n| n.to_string()).collect();
        let reply = mock
            .admin()
            .get(&format!(
                "/api/v2/users/show_many.json?{parameter}={}",
                values.join(",")
            ))
            .await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert_eq!(
            reply.json,
            json!({"error": "TooManyValues",
                   "description": "Parameter  cannot specify more than 100 values",
                   "max_count": 100}),
            "{case}"
        );
    }
    // One hundred is still allowed.
    let values: Vec<String> = (1..=100).map(|n| n.to_string()).collect();
    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/users/show_many.json?ids={}",
            values.join(",")
        ))
        .await;
    assert_eq!(reply.status, 200, "100 ids: {}", reply.text);
}

#[tokio::test]
async fn count_users_matches_the_list_and_follows_creates() {
    let mock = Mock::start().await;
    let list = mock.admin().get("/api/v2/users.json").await;
    let listed = ids_of(&list, "users").len();
    let count = mock.admin().get("/api/v2/users/count.json").await;
    assert_eq!(count.status, 200, "{}", count.text);
    assert_eq!(count.json["count"]["value"], listed, "{}", count.text);
    assert_timestamp(&count.json["count"]["refreshed_at"], "refreshed_at");

    mock.create_user("Counted Once", "counted@example.com")
        .await;
    let again = mock.admin().get("/api/v2/users/count.json").await;
    assert_eq!(again.json["count"]["value"], listed + 1, "{}", again.text);
}

// ---------------------------------------------------------------------------------------------
// Search and autocomplete
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn search_by_email_finds_the_user_through_any_identity() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("primary email", "jane.doe@example.com"),
        ("secondary email", "jane@personal.example.org"),
    ];
    for (case, email) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/users/search.json?query={}", q(email)))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(
            ids_of(&reply, "users"),
            vec![jane],
            "{case}: {}",
            reply.text
        );
        assert_eq!(
            reply.json["users"][0]["email"], "jane.doe@example.com",
            "{case}: the primary email is shown"
        );
        assert_eq!(reply.json["count"], 1, "{case}: {}", reply.text);
    }
}

#[tokio::test]
async fn search_by_name_prefix_finds_every_namesake() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let namesake = mock.user_id("jane.doe@other.example.net").await;
    let reply = mock
        .admin()
        .get("/api/v2/users/search.json?query=Jan")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut found = ids_of(&reply, "users");
    found.sort_unstable();
    let mut expected = vec![jane, namesake];
    expected.sort_unstable();
    assert_eq!(found, expected, "{}", reply.text);

    // A prefix, not an infix: "oe" is inside "Doe" but starts no word.
    let infix = mock.admin().get("/api/v2/users/search.json?query=oe").await;
    assert_eq!(infix.status, 200, "{}", infix.text);
    assert!(
        !ids_of(&infix, "users").contains(&jane),
        "infix matched: {}",
        infix.text
    );
}

#[tokio::test]
async fn search_by_phone_in_e164_form_finds_the_user() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    // Stored as "+1 202 555 0100"; numbers compare by their digits.
    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/users/search.json?query={}",
            q("+12025550100")
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "users"), vec![jane], "{}", reply.text);
    assert_eq!(reply.json["users"][0]["phone"], "+1 202 555 0100");
}

/// Facts §7: `"double quotes"` search an exact phrase; the number as stored is one.
#[tokio::test]
async fn search_by_phone_as_a_quoted_phrase_finds_the_user() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/users/search.json?query={}",
            q("\"+1 202 555 0100\"")
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "users"), vec![jane], "{}", reply.text);
}

#[tokio::test]
async fn search_by_external_id_parameter_matches_exactly_ignoring_case() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("exact", "crm-1001", vec![jane]),
        ("other case", "CRM-1001", vec![jane]),
        ("prefix only", "crm-100", vec![]),
        ("unknown", "crm-9999", vec![]),
    ];
    for (case, external_id, expected) in cases {
        let reply = mock
            .admin()
            .get(&format!(
                "/api/v2/users/search.json?external_id={external_id}"
            ))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(ids_of(&reply, "users"), expected, "{case}: {}", reply.text);
    }
}

#[tokio::test]
async fn autocomplete_matches_name_prefixes() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let cases = [
        ("first name prefix", "jo", vec!["John Smith"]),
        ("last name prefix", "smi", vec!["John Smith"]),
        ("both namesakes", "jane", vec!["Jane Doe", "Jane Doe"]),
        ("no match", "zz", vec![]),
    ];
    for (case, name, expected) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/users/autocomplete.json?name={name}"))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(names_of(&reply), expected, "{case}: {}", reply.text);
    }
    let reply = mock
        .admin()
        .get("/api/v2/users/autocomplete.json?name=jo")
        .await;
    assert_eq!(ids_of(&reply, "users"), vec![john]);
}

// ---------------------------------------------------------------------------------------------
// create_or_update and update
// ---------------------------------------------------------------------------------------------

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
        assert_eq!(reply.json, body(FORBIDDEN), "{case}");
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

// ---------------------------------------------------------------------------------------------
// me and authentication
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Soft delete and who may delete
// ---------------------------------------------------------------------------------------------

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
    assert_eq!(reply.json, body(FORBIDDEN));
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
        assert_eq!(reply.json, body(FORBIDDEN), "{case}");
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

#[tokio::test]
async fn end_user_listing_users_is_403() {
    let mock = Mock::start().await;
    let jane = mock.as_token("jane.doe@example.com", common::ADMIN_TOKEN);
    let john = mock.user_id("john.smith@example.com").await;
    let cases = [
        ("list", "/api/v2/users.json".to_owned()),
        ("list by role", "/api/v2/users.json?role=agent".to_owned()),
        ("count", "/api/v2/users/count.json".to_owned()),
        ("search", "/api/v2/users/search.json?query=john".to_owned()),
        (
            "show_many",
            format!("/api/v2/users/show_many.json?ids={john}"),
        ),
        (
            "autocomplete",
            "/api/v2/users/autocomplete.json?name=jo".to_owned(),
        ),
        (
            "another user's record",
            format!("/api/v2/users/{john}.json"),
        ),
    ];
    for (case, path) in cases {
        let reply = jane.get(&path).await;
        assert_eq!(reply.status, 403, "{case}: {}", reply.text);
        assert_eq!(reply.json, body(FORBIDDEN), "{case}");
    }
    // Their own record is theirs to read, in the end-user view.
    let own = mock.user_id("jane.doe@example.com").await;
    let reply = jane.get(&format!("/api/v2/users/{own}.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut got = keys(&reply.json["user"]);
    got.sort_unstable();
    let mut expected = END_USER_VIEW_KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(got, expected);
}
