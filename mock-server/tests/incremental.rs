//! Incremental exports over real HTTP (facts §8): cursor and time walks over hundreds of
//! tickets, what comes again after a change, the excluded last minute, who may export, every
//! bad parameter's error body, and one page of each kind as a snapshot. Deleted tickets and
//! users are in `incremental_deleted.rs`, rate limits and samples in `incremental_limits.rs`.

mod common;
mod exports;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::assert::{assert_id, assert_timestamp, expect};
use common::bodies::forbidden;
use common::json::path_of;
use common::world::freeze_clock;
use exports::{
    T0, comment_at, delete_ticket_at, export, ids, items, mock_at, set_clock, spread_tickets,
    ticket_at, walk,
};
use reqwest::Url;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use zendesk_mock::store::clock::{iso8601, parse_rfc3339};

const TICKETS_CURSOR: &str = "/api/v2/incremental/tickets/cursor.json";
const TICKETS_TIME: &str = "/api/v2/incremental/tickets.json";
const USERS_CURSOR: &str = "/api/v2/incremental/users/cursor.json";
const USERS_TIME: &str = "/api/v2/incremental/users.json";

/// Every export path, as a client may call it.
const ALL_EXPORTS: [&str; 6] = [
    TICKETS_CURSOR,
    TICKETS_TIME,
    "/api/v2/incremental/tickets/sample.json",
    USERS_CURSOR,
    USERS_TIME,
    "/api/v2/incremental/users/sample.json",
];

/// The path of an absolute link.
#[track_caller]
fn path(link: &Value) -> String {
    Url::parse(link.as_str().expect("a link"))
        .expect("a URL")
        .path()
        .to_owned()
}

/// The decoded query pairs of an absolute link as `name=value`, in order.
#[track_caller]
fn query(link: &Value) -> Vec<String> {
    let url = Url::parse(link.as_str().expect("a link")).expect("a URL");
    url.query_pairs().map(|(k, v)| format!("{k}={v}")).collect()
}

fn generated(item: &Value) -> i64 {
    item["generated_timestamp"]
        .as_i64()
        .expect("generated_timestamp")
}

#[tokio::test]
async fn a_cursor_export_walks_260_tickets_returning_each_exactly_once_in_change_order() {
    let mock = mock_at(T0).await;
    let created = spread_tickets(&mock, 260).await;
    set_clock(&mock, T0 + 3_600).await;
    let first = format!("{TICKETS_CURSOR}?start_time={T0}&per_page=100");
    let pages = walk(&mock, &first, "after_url").await;

    let sizes: Vec<usize> = pages.iter().map(|p| items(p, "tickets").len()).collect();
    assert_eq!(sizes, [100, 100, 60]);
    let exported: Vec<i64> = pages.iter().flat_map(|p| ids(p, "tickets")).collect();
    assert_eq!(exported, created, "every ticket once, oldest change first");
    let times: Vec<i64> = pages
        .iter()
        .flat_map(|p| items(p, "tickets").iter().map(generated))
        .collect();
    assert!(times.is_sorted(), "ordered by generated_timestamp");
    for (n, page) in pages.iter().enumerate() {
        assert_eq!(page["end_of_stream"], n == 2, "page {n}");
        assert_eq!(
            (&page["before_cursor"], &page["before_url"]),
            (&Value::Null, &Value::Null)
        );
        let cursor = page["after_cursor"].as_str().expect("after_cursor");
        assert_eq!(path(&page["after_url"]), TICKETS_CURSOR);
        assert_eq!(
            query(&page["after_url"]),
            ["per_page=100".into(), format!("cursor={cursor}")]
        );
    }
    // A cursor stays valid: asking with the first page's again gives the same second page.
    let again = export(&mock, path_of(&mock, &pages[0]["after_url"])).await;
    assert_eq!(again, pages[1]);
}

#[tokio::test]
async fn a_time_export_walks_260_tickets_repeating_only_the_items_of_each_end_time() {
    let mock = mock_at(T0).await;
    let created = spread_tickets(&mock, 260).await;
    set_clock(&mock, T0 + 3_600).await;
    let first = format!("{TICKETS_TIME}?per_page=100&start_time={T0}");
    let pages = walk(&mock, &first, "next_page").await;
    assert!(pages.len() >= 3, "260 tickets take several pages of 100");

    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for (n, page) in pages.iter().enumerate() {
        let listed = items(page, "tickets");
        let end_time = page["end_time"].as_i64().expect("end_time");
        assert_eq!(page["count"], listed.len(), "page {n}: count");
        assert_eq!(
            end_time,
            generated(listed.last().expect("items")),
            "page {n}"
        );
        assert_eq!(path(&page["next_page"]), TICKETS_TIME);
        let next = ["per_page=100".to_owned(), format!("start_time={end_time}")];
        assert_eq!(query(&page["next_page"]), next, "page {n}: next_page");
        assert!(
            listed.len() <= 100,
            "page {n} holds {} tickets",
            listed.len()
        );
        for id in ids(page, "tickets") {
            *seen.entry(id).or_default() += 1;
        }
        if let Some(previous) = n.checked_sub(1).map(|p| &pages[p]) {
            let repeated: BTreeSet<i64> = ids(page, "tickets")
                .into_iter()
                .filter(|id| ids(previous, "tickets").contains(id))
                .collect();
            let boundary: BTreeSet<i64> = items(previous, "tickets")
                .iter()
                .filter(|t| t["generated_timestamp"] == previous["end_time"])
                .map(|t| t["id"].as_i64().expect("id"))
                .collect();
            assert_eq!(
                repeated, boundary,
                "page {n} repeats the previous end_time's tickets"
            );
        }
    }
    let all: Vec<i64> = seen.keys().copied().collect();
    let mut expected = created.clone();
    expected.sort_unstable();
    assert_eq!(all, expected, "every ticket at least once");
    assert!(
        seen.values().all(|n| *n <= 2),
        "nothing comes more than twice: {seen:?}"
    );
}

#[tokio::test]
async fn changes_after_a_full_export_come_again_from_its_cursor_and_from_its_end_time() {
    let mock = mock_at(T0).await;
    let mut t = Vec::new();
    for n in 0..5 {
        t.push(ticket_at(&mock, T0 + n * 10, &format!("Before {n}")).await);
    }
    freeze_clock(&mock, T0 + 50);
    let kept = mock.create_user("Kept Person", "kept@example.org").await;
    let changed = mock
        .create_user("Changed Person", "changed@example.org")
        .await;
    set_clock(&mock, T0 + 600).await;
    let full_cursor = walk(
        &mock,
        &format!("{TICKETS_CURSOR}?start_time={T0}"),
        "after_url",
    )
    .await;
    let full_time = walk(
        &mock,
        &format!("{TICKETS_TIME}?start_time={T0}"),
        "next_page",
    )
    .await;
    let users = export(&mock, &format!("{USERS_CURSOR}?start_time={T0}")).await;
    assert_eq!(ids(&users, "users"), [kept, changed]);
    let last = |pages: &[Value], key: &str| pages.last().expect("pages")[key].clone();

    comment_at(&mock, T0 + 700, t[1]).await;
    delete_ticket_at(&mock, T0 + 710, t[2], false).await;
    delete_ticket_at(&mock, T0 + 720, t[3], true).await;
    freeze_clock(&mock, T0 + 730);
    let added = mock.create_user("Added Person", "added@example.org").await;
    freeze_clock(&mock, T0 + 740);
    let path = format!("/api/v2/users/{changed}.json");
    let update = json!({"user": {"notes": "changed later"}});
    expect(mock.admin().put(&path, update).await, 200, "PUT /users");
    set_clock(&mock, T0 + 900).await;

    let after = path_of(&mock, &last(&full_cursor, "after_url")).to_owned();
    let since = export(&mock, &after).await;
    assert_eq!(
        ids(&since, "tickets"),
        [t[1], t[2], t[3]],
        "what changed, in change order"
    );
    let statuses: Vec<&Value> = items(&since, "tickets")
        .iter()
        .map(|i| &i["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("new"), &json!("deleted"), &json!("deleted")]
    );
    assert_eq!(since["end_of_stream"], true);
    let again = export(&mock, path_of(&mock, &since["after_url"])).await;
    assert_eq!(
        (ids(&again, "tickets"), &again["after_cursor"]),
        (vec![], &since["after_cursor"])
    );

    let end_time = last(&full_time, "end_time");
    assert_eq!(end_time, T0 + 40, "the last ticket's time");
    let next = path_of(&mock, &last(&full_time, "next_page")).to_owned();
    let since = export(&mock, &next).await;
    assert_eq!(
        ids(&since, "tickets"),
        [t[4], t[1], t[2], t[3]],
        "the end_time's ticket again, then what changed"
    );

    let users_after = path_of(&mock, &users["after_url"]).to_owned();
    assert_eq!(
        ids(&export(&mock, &users_after).await, "users"),
        [added, changed]
    );
}

#[tokio::test]
async fn changes_of_the_last_minute_are_exported_once_they_are_a_minute_old() {
    let mock = mock_at(T0).await;
    let id = ticket_at(&mock, T0, "Fresh").await;
    let start = T0 - 60;
    let page = export(&mock, &format!("{TICKETS_TIME}?start_time={start}")).await;
    assert_eq!(
        (ids(&page, "tickets"), &page["end_of_stream"]),
        (vec![], &json!(true))
    );
    assert_eq!(
        page["end_time"], start,
        "an empty page resumes where it started"
    );
    let cursor = export(&mock, &format!("{TICKETS_CURSOR}?start_time={start}")).await;
    assert_eq!(ids(&cursor, "tickets"), Vec::<i64>::new());
    let resume = path_of(&mock, &cursor["after_url"]).to_owned();

    set_clock(&mock, T0 + 59).await;
    assert_eq!(
        ids(&export(&mock, &resume).await, "tickets"),
        Vec::<i64>::new()
    );
    set_clock(&mock, T0 + 60).await;
    assert_eq!(ids(&export(&mock, &resume).await, "tickets"), [id]);
    let next = path_of(&mock, &page["next_page"]).to_owned();
    assert_eq!(ids(&export(&mock, &next).await, "tickets"), [id]);
}

#[tokio::test]
async fn only_admins_may_export() {
    let world = json!({"users": [
        {"name": "Agent", "email": "agent@example.org", "role": "agent", "verified": true},
        {"name": "End User", "email": "end@example.org", "verified": true}]});
    let mock = common::Mock::seeded(world).await;
    set_clock(&mock, T0).await;
    for path in ALL_EXPORTS {
        let path = format!("{path}?start_time={}", T0 - 3_600);
        for email in ["agent@example.org", "end@example.org"] {
            let reply = mock.as_token(email, common::ADMIN_TOKEN).get(&path).await;
            assert_eq!(
                (reply.status, &reply.json),
                (403, &forbidden()),
                "{email}: {path}"
            );
        }
        let anonymous = mock.anonymous().get(&path).await;
        assert_eq!(anonymous.status, 401, "anonymous: {path}");
        assert_eq!(mock.admin().get(&path).await.status, 200, "admin: {path}");
    }
}

#[tokio::test]
async fn bad_export_parameters_get_zendesk_error_bodies() {
    let mock = mock_at(T0).await;
    let invalid = |description: &str| json!({"error": "InvalidValue", "description": description});
    let too_recent = invalid("Too recent start_time. Use a start_time older than 1 minute");
    let not_epoch = invalid("start_time must be a Unix epoch time in whole seconds");
    let per_page = json!({"errors": [{"code": "InvalidPaginationParameter",
        "title": "per_page must be an integer greater than 0"}]});
    let cases = [
        (
            "no start_time",
            TICKETS_TIME,
            String::new(),
            invalid("start_time is required"),
        ),
        (
            "no start_time or cursor",
            USERS_CURSOR,
            String::new(),
            invalid("start_time is required"),
        ),
        (
            "empty start_time",
            TICKETS_CURSOR,
            "start_time=".into(),
            invalid("start_time is required"),
        ),
        (
            "a word",
            TICKETS_TIME,
            "start_time=yesterday".into(),
            not_epoch.clone(),
        ),
        (
            "a fraction",
            USERS_TIME,
            "start_time=1.5".into(),
            not_epoch.clone(),
        ),
        (
            "negative",
            TICKETS_CURSOR,
            "start_time=-1".into(),
            not_epoch.clone(),
        ),
        (
            "past int64",
            TICKETS_TIME,
            "start_time=9223372036854775808".into(),
            not_epoch,
        ),
        (
            "in the future",
            TICKETS_TIME,
            format!("start_time={}", T0 + 10),
            too_recent.clone(),
        ),
        (
            "59 s old",
            USERS_TIME,
            format!("start_time={}", T0 - 59),
            too_recent.clone(),
        ),
        (
            "now",
            TICKETS_CURSOR,
            format!("start_time={T0}"),
            too_recent,
        ),
        (
            "a foreign cursor",
            TICKETS_CURSOR,
            "cursor=bm90LWEtY3Vyc29y".into(),
            invalid("cursor is invalid"),
        ),
        (
            "a garbled cursor",
            USERS_CURSOR,
            "cursor=%%%".into(),
            json!({"error": "InvalidParameter",
            "description": "The query string has invalid %-encoding"}),
        ),
        (
            "per_page 0",
            TICKETS_TIME,
            "start_time=0&per_page=0".into(),
            per_page.clone(),
        ),
        (
            "per_page a word",
            USERS_CURSOR,
            "start_time=0&per_page=all".into(),
            per_page,
        ),
    ];
    for (case, path, query, body) in cases {
        let reply = mock.admin().get(&format!("{path}?{query}")).await;
        assert_eq!(
            (reply.status, &reply.json),
            (400, &body),
            "{case}: {}",
            reply.text
        );
    }
    let oldest = format!("{TICKETS_TIME}?start_time={}", T0 - 60);
    assert_eq!(
        mock.admin().get(&oldest).await.status,
        200,
        "exactly a minute old is fine"
    );
    let both = format!("{TICKETS_CURSOR}?start_time={}&cursor=", T0 - 60);
    assert_eq!(
        mock.admin().get(&both).await.status,
        200,
        "an empty cursor is no cursor: the start_time counts"
    );
}

#[tokio::test]
async fn one_page_of_each_export_has_the_live_shape() {
    let mock = mock_at(T0).await;
    let ticket = ticket_at(&mock, T0, "Printer on fire").await;
    freeze_clock(&mock, T0 + 5);
    let user = mock.create_user("Jane Roe", "jane@example.org").await;
    set_clock(&mock, T0 + 120).await;
    let admin = mock.user_id(common::ADMIN_EMAIL).await;
    for (name, export_path, key, id) in [
        ("tickets_cursor_page", TICKETS_CURSOR, "tickets", ticket),
        ("tickets_time_page", TICKETS_TIME, "tickets", ticket),
        ("users_cursor_page", USERS_CURSOR, "users", user),
        ("users_time_page", USERS_TIME, "users", user),
    ] {
        let page = export(&mock, &format!("{export_path}?start_time={T0}")).await;
        assert_eq!(ids(&page, key), [id], "{name}");
        let record = &items(&page, key)[0];
        assert_id(&record["id"], name);
        assert_eq!(
            record["url"],
            format!("{}/api/v2/{key}/{id}.json", mock.url)
        );
        assert_timestamp(&record["created_at"], name);
        if key == "tickets" {
            assert_eq!(record["requester_id"], admin, "{name}: requester");
            assert_eq!(record["submitter_id"], admin, "{name}: submitter");
        }
        if let Some(cursor) = page["after_cursor"].as_str() {
            let decoded = String::from_utf8(STANDARD.decode(cursor).expect("base64"));
            let changed = record["updated_at"].as_str().and_then(parse_rfc3339);
            let expected = format!("{}.0||{id}|", changed.expect("updated_at"));
            assert_eq!(
                decoded.expect("utf-8"),
                expected,
                "{name}: the live cursor form"
            );
        }
        let (link, pair) = match page["after_cursor"].as_str() {
            Some(cursor) => (&page["after_url"], format!("cursor={cursor}")),
            None => (
                &page["next_page"],
                format!("start_time={}", page["end_time"]),
            ),
        };
        assert!(
            link.as_str().is_some_and(|l| l.starts_with(&mock.url)),
            "{name}: {link}"
        );
        assert_eq!(path(link), export_path, "{name}");
        assert_eq!(query(link), [pair], "{name}");
        insta::assert_json_snapshot!(name, page, {
            ".*[].id" => "[id]",
            ".*[].url" => "[url]",
            ".*[].requester_id" => "[admin id]",
            ".*[].submitter_id" => "[admin id]",
            ".after_cursor" => "[cursor]",
            ".after_url" => "[url]",
            ".next_page" => "[url]",
        });
    }
    assert_eq!(iso8601(T0), "2030-01-01T00:00:00Z", "the snapshots' dates");
}
