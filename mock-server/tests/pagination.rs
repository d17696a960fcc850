//! Pagination over real HTTP (facts §9): cursor walks forward and back, offset pages with
//! absolute links built from the request's host, encoded brackets, and cursors that survive
//! writes between pages.

mod common;

use common::{Client, Mock};
use serde_json::{Value, json};
use std::collections::HashSet;

/// A server whose default account holds its owner plus `count` seeded end users.
async fn mock_with_users(count: usize) -> Mock {
    let mock = Mock::empty().await;
    let users: Vec<Value> = (0..count)
        .map(|i| json!({"name": format!("Member {i:03}"), "email": format!("member{i:03}@example.com")}))
        .collect();
    let reply = mock
        .admin()
        .post("/__mock/seed", json!({"users": users}))
        .await;
    assert_eq!(reply.status, 200, "seeding: {}", reply.text);
    assert_eq!(reply.json["users"].as_array().map(Vec::len), Some(count));
    mock
}

fn user_ids(page: &Value) -> Vec<i64> {
    page["users"]
        .as_array()
        .expect("a users array")
        .iter()
        .map(|u| u["id"].as_i64().expect("numeric id"))
        .collect()
}

/// The path and query of an absolute link, checked to start at `origin`.
fn relative<'a>(link: &'a str, origin: &str) -> &'a str {
    link.strip_prefix(origin)
        .unwrap_or_else(|| panic!("link {link} must start with the request's origin {origin}"))
}

/// Follows `links.<direction>` from `first` until it is null; returns every page's body.
async fn walk(client: &Client<'_>, origin: &str, first: &str, direction: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut path = first.to_owned();
    loop {
        let reply = client.get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        let next = reply.json["links"][direction].as_str().map(str::to_owned);
        pages.push(reply.json);
        assert!(pages.len() <= 10, "walk did not end after 10 pages");
        match next {
            Some(link) => path = relative(&link, origin).to_owned(),
            None => return pages,
        }
    }
}

fn assert_no_duplicates(ids: &[i64], what: &str) {
    let unique: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: duplicate ids");
}

#[tokio::test]
async fn cursor_walk_visits_every_user_once_and_ends_with_has_more_false() {
    let mock = mock_with_users(250).await;
    let admin = mock.admin();
    let pages = walk(
        &admin,
        &mock.url,
        "/api/v2/users.json?page[size]=100",
        "next",
    )
    .await;

    let sizes: Vec<usize> = pages.iter().map(|p| user_ids(p).len()).collect();
    assert_eq!(sizes, vec![100, 100, 51]);
    let ids: Vec<i64> = pages.iter().flat_map(user_ids).collect();
    assert_eq!(ids.len(), 251, "250 seeded users plus the owner");
    assert_no_duplicates(&ids, "forward walk");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids ascend: {ids:?}");

    for (index, page) in pages.iter().enumerate() {
        let last = index == pages.len() - 1;
        assert_eq!(
            page["meta"]["has_more"], !last,
            "page {index}: has_more is false only on the last page"
        );
        assert_eq!(
            page["links"]["next"].is_null(),
            last,
            "page {index}: links.next is null only on the last page"
        );
        assert!(
            page.get("count").is_none(),
            "page {index}: cursor pages carry no count"
        );
        let ids = user_ids(page);
        assert_eq!(
            page["meta"]["after_cursor"].as_str().is_some(),
            !ids.is_empty(),
            "page {index}: after_cursor present"
        );
    }
}

#[tokio::test]
async fn cursor_walk_back_with_links_prev_returns_the_same_pages() {
    let mock = mock_with_users(250).await;
    let admin = mock.admin();
    let forward = walk(
        &admin,
        &mock.url,
        "/api/v2/users.json?page[size]=100",
        "next",
    )
    .await;
    let last = forward.last().expect("pages");
    assert!(
        forward[0]["links"]["prev"].is_null(),
        "the first page has no links.prev"
    );
    let prev = last["links"]["prev"]
        .as_str()
        .expect("last page links.prev");
    let backward = walk(&admin, &mock.url, relative(prev, &mock.url), "prev").await;

    let forward_pages: Vec<Vec<i64>> = forward.iter().map(user_ids).collect();
    let mut backward_pages: Vec<Vec<i64>> = backward.iter().map(user_ids).collect();
    backward_pages.reverse();
    assert_eq!(
        backward_pages,
        forward_pages[..forward_pages.len() - 1],
        "walking back from the last page revisits the earlier pages exactly"
    );
    assert_eq!(
        backward.last().expect("pages")["meta"]["has_more"],
        false,
        "walking back, has_more turns false at the first page"
    );
}

#[tokio::test]
async fn offset_pages_link_absolutely_through_the_request_host() {
    let mock = mock_with_users(250).await;
    let host = "localhost:1234";
    let origin = "http://localhost:1234";
    let admin = mock.admin().host(host);

    let mut path = "/api/v2/users.json?per_page=100".to_owned();
    let mut pages = Vec::new();
    loop {
        let reply = admin.get(&path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(reply.json["count"], 251, "{path}: count is the total");
        let next = reply.json["next_page"].as_str().map(str::to_owned);
        pages.push(reply.json);
        assert!(pages.len() <= 10, "walk did not end after 10 pages");
        match next {
            Some(link) => path = relative(&link, origin).to_owned(),
            None => break,
        }
    }

    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[0]["next_page"],
        "http://localhost:1234/api/v2/users.json?page=2&per_page=100"
    );
    assert_eq!(pages[0]["previous_page"], Value::Null);
    assert_eq!(
        pages[2]["previous_page"],
        "http://localhost:1234/api/v2/users.json?page=2&per_page=100"
    );
    assert_eq!(pages[2]["next_page"], Value::Null);
    let ids: Vec<i64> = pages.iter().flat_map(user_ids).collect();
    assert_eq!(ids.len(), 251);
    assert_no_duplicates(&ids, "offset walk");
}

#[tokio::test]
async fn offset_links_keep_other_query_parameters() {
    let mock = mock_with_users(5).await;
    let reply = mock
        .admin()
        .get("/api/v2/users.json?role=end-user&per_page=2&page=2")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["count"], 5, "the owner is not an end user");
    let next = reply.json["next_page"].as_str().expect("next_page");
    let previous = reply.json["previous_page"].as_str().expect("previous_page");
    for link in [next, previous] {
        assert!(
            link.contains("role=end-user"),
            "{link} lost the role filter"
        );
    }
}

#[tokio::test]
async fn url_encoded_brackets_select_cursor_pagination() {
    let mock = mock_with_users(5).await;
    let reply = mock
        .admin()
        .get("/api/v2/users.json?page%5Bsize%5D=2")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(user_ids(&reply.json).len(), 2);
    assert_eq!(reply.json["meta"]["has_more"], true);
    assert!(reply.json.get("count").is_none(), "a cursor page: no count");

    let after = reply.json["meta"]["after_cursor"]
        .as_str()
        .expect("after_cursor");
    let encoded = after
        .replace('=', "%3D")
        .replace('+', "%2B")
        .replace('/', "%2F");
    let second = mock
        .admin()
        .get(&format!(
            "/api/v2/users.json?page%5Bsize%5D=2&page%5Bafter%5D={encoded}"
        ))
        .await;
    assert_eq!(second.status, 200, "{}", second.text);
    let first_ids = user_ids(&reply.json);
    let second_ids = user_ids(&second.json);
    assert_eq!(second_ids.len(), 2);
    assert!(
        second_ids[0] > first_ids[1],
        "page[after] continues past the first page: {first_ids:?} then {second_ids:?}"
    );
}

#[tokio::test]
async fn cursors_stay_valid_when_users_are_created_and_deleted_between_pages() {
    let mock = mock_with_users(250).await;
    let admin = mock.admin();
    let first = admin.get("/api/v2/users.json?page[size]=100").await;
    assert_eq!(first.status, 200, "{}", first.text);
    let seen_first = user_ids(&first.json);

    let mut everyone = Vec::new();
    for page in 1..=3 {
        let reply = admin
            .get(&format!("/api/v2/users.json?per_page=100&page={page}"))
            .await;
        everyone.extend(user_ids(&reply.json));
    }
    assert_eq!(everyone.len(), 251);
    assert_eq!(everyone[..100], seen_first[..], "both styles sort by id");
    // Delete two users already seen (one is the cursor's boundary item), the first of the next
    // page, one further on, and the last; then add two users (new ids sort after every cursor).
    let deleted = [
        seen_first[1],
        seen_first[99],
        everyone[100],
        everyone[150],
        everyone[250],
    ];
    for id in deleted {
        let reply = admin.delete(&format!("/api/v2/users/{id}.json")).await;
        assert_eq!(reply.status, 200, "deleting {id}: {}", reply.text);
    }
    let created = [
        mock.create_user("Late Comer", "late.comer@example.com")
            .await,
        mock.create_user("Later Comer", "later.comer@example.com")
            .await,
    ];

    let next = first.json["links"]["next"].as_str().expect("links.next");
    let rest = walk(&admin, &mock.url, relative(next, &mock.url), "next").await;
    let mut seen: Vec<i64> = seen_first.clone();
    seen.extend(rest.iter().flat_map(user_ids));
    assert_no_duplicates(&seen, "walk across writes");

    let seen_set: HashSet<i64> = seen.iter().copied().collect();
    for id in &everyone[100..] {
        if !deleted.contains(id) {
            assert!(seen_set.contains(id), "surviving user {id} was skipped");
        }
    }
    for id in &deleted[2..] {
        assert!(
            !seen_set.contains(id),
            "user {id}, deleted before its page, was listed"
        );
    }
    for id in created {
        assert!(
            seen_set.contains(&id),
            "user {id}, created mid-walk, was not reached"
        );
    }
}
