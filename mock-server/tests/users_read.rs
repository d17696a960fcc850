//! Reading users over HTTP (facts §3.1–3.2): show, list with role filters and cursor pages,
//! show_many, count, and an end user reading only their own record.

mod common;
mod users;

use common::Mock;
use common::assert::{assert_timestamp, is_timestamp};
use common::bodies::{forbidden, not_found};
use common::json::{ids_of, keys, path_of};
use common::world::my_id;
use serde_json::json;
use users::{ADMIN_VIEW_KEYS, END_USER_VIEW_KEYS, assert_user_volatiles, q};

// The checker is shared (`common/assert.rs`); its own test runs once, here.
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
        assert_eq!(reply.json, not_found(), "{case}");
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
        assert_eq!(reply.json, forbidden(), "{case}");
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
