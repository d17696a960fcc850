//! Reading user identities over real HTTP (facts §3.5, §9): the list, its type filter and
//! cursor pages, show, and the end-user view.

mod common;
mod identities;

use common::assert::{assert_forbidden, assert_not_found};
use common::{ADMIN_TOKEN, Mock};
use identities::{
    add_identity, all_identities, assert_identity_forms, identities_of, identities_path,
    identity_id, identity_path, values_of,
};
use serde_json::{Value, json};

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
