//! Helpers shared by `incremental.rs`, `incremental_deleted.rs` and `subject_access.rs`: an
//! account on a frozen clock, records made at chosen instants, and export walks that follow
//! the links the server gives. Each test binary uses only some of them.
#![allow(dead_code)]

use crate::common::assert::expect;
use crate::common::json::path_of;
use crate::common::world::freeze_clock;
use crate::common::{Mock, wait_for_job};
use serde_json::{Value, json};
use zendesk_mock::store::clock::iso8601;

/// 2030-01-01T00:00:00Z. Later than any real clock reading, so the owner admin (made on the
/// real clock when the server starts) predates every export that starts here.
pub const T0: i64 = 1_893_456_000;

/// A server whose default account holds only its owner, with the clock frozen at `at`.
pub async fn mock_at(at: i64) -> Mock {
    let mock = Mock::empty().await;
    set_clock(&mock, at).await;
    mock
}

/// Moves the frozen clock to `at` through the control API, running whatever fell due.
pub async fn set_clock(mock: &Mock, at: i64) {
    let body = json!({"now": iso8601(at), "frozen": true});
    expect(
        mock.admin().put("/__mock/clock", body).await,
        200,
        "PUT /__mock/clock",
    );
}

/// `POST /tickets` as the admin at clock time `at`; the new ticket's id.
pub async fn ticket_at(mock: &Mock, at: i64, subject: &str) -> i64 {
    freeze_clock(mock, at);
    let body =
        json!({"ticket": {"subject": subject, "comment": {"body": format!("About {subject}")}}});
    let created = expect(
        mock.admin().post("/api/v2/tickets.json", body).await,
        201,
        "POST /tickets",
    );
    created["ticket"]["id"].as_i64().expect("ticket id")
}

/// `n` tickets, three to a second and the seconds 5 apart from `T0`, in creation order.
pub async fn spread_tickets(mock: &Mock, n: i64) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(ticket_at(mock, T0 + (i / 3) * 5, &format!("Ticket {i}")).await);
    }
    ids
}

/// `PUT /tickets/{id}` adding a comment, as the admin at clock time `at`.
pub async fn comment_at(mock: &Mock, at: i64, id: i64) {
    freeze_clock(mock, at);
    let body = json!({"ticket": {"comment": {"body": "One more thing", "public": true}}});
    let path = format!("/api/v2/tickets/{id}.json");
    expect(
        mock.admin().put(&path, body).await,
        200,
        "PUT /tickets/{id}",
    );
}

/// Soft-deletes ticket `id` at `at` and, when `permanently`, deletes it for good right after.
pub async fn delete_ticket_at(mock: &Mock, at: i64, id: i64, permanently: bool) {
    freeze_clock(mock, at);
    let path = format!("/api/v2/tickets/{id}.json");
    expect(
        mock.admin().delete(&path).await,
        204,
        "DELETE /tickets/{id}",
    );
    if permanently {
        let path = format!("/api/v2/deleted_tickets/{id}.json");
        let job = expect(
            mock.admin().delete(&path).await,
            200,
            "DELETE /deleted_tickets",
        );
        let id = job["job_status"]["id"].as_str().expect("job id");
        assert_eq!(wait_for_job(&mock.admin(), id).await["status"], "completed");
    }
}

/// One export request as the admin; 200 expected.
pub async fn export(mock: &Mock, path: &str) -> Value {
    expect(mock.admin().get(path).await, 200, path)
}

/// Every page of an export from `first`, following `next` (`after_url` or `next_page`) until
/// a page says `end_of_stream`.
pub async fn walk(mock: &Mock, first: &str, next: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut path = first.to_owned();
    for _ in 0..50 {
        let page = export(mock, &path).await;
        let done = page["end_of_stream"] == true;
        let following = path_of(mock, &page[next]).to_owned();
        pages.push(page);
        if done {
            return pages;
        }
        path = following;
    }
    panic!("no end_of_stream in 50 pages from {first}");
}

/// The ids of a page's `key` array, in order.
#[track_caller]
pub fn ids(page: &Value, key: &str) -> Vec<i64> {
    items(page, key)
        .iter()
        .map(|item| item["id"].as_i64().expect("integer id"))
        .collect()
}

/// A page's `key` array.
#[track_caller]
pub fn items<'v>(page: &'v Value, key: &str) -> &'v [Value] {
    page[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {page}"))
}

/// The export item with this id, or a panic.
#[track_caller]
pub fn item<'v>(page: &'v Value, key: &str, id: i64) -> &'v Value {
    items(page, key)
        .iter()
        .find(|item| item["id"] == id)
        .unwrap_or_else(|| panic!("no {key} item {id} in {page}"))
}
