//! Shape checks shared by the `oas_*` test files: every kind of object the server returns,
//! fetched over real HTTP, matches Zendesk's published OpenAPI description
//! (`zendesk_conformance::oas`): users in the admin and the end-user view, identities of each
//! type, deleted users (soft-deleted and the permanently deleted placeholder), job statuses
//! (queued, completed, with a failed item), the ticket surface (tickets, audits, comments,
//! attachments, redactions, deleted and suspended tickets, requests, ticket jobs), and the
//! envelopes around them.
//!
//! The OAS is stricter than live Zendesk in places: it says string, integer or object where
//! live responses carry `null`. [`live_allowances`] is the one list of those relaxations, each
//! with its evidence; `every_allowance_is_still_needed_by_some_object` (in `oas_allowances.rs`)
//! fails as soon as one of them no longer is, so the list cannot silently grow stale.
//!
//! Each test drives one server and collects its objects as [`Samples`], then validates them all
//! at once, so a failure lists every mismatching object rather than the first. Each submodule
//! gathers the samples of one resource, for its own test file and for `oas_allowances.rs`,
//! which needs them all; every other test binary uses only some of this module.
//!
//! [`live_allowances`]: zendesk_conformance::oas::live_allowances
//! [`Samples`]: zendesk_conformance::oas::Samples
#![allow(dead_code)]

pub mod deleted_users;
pub mod identities;
pub mod jobs;
pub mod tickets;
pub mod users;

use crate::common::Mock;
use crate::common::assert::expect;
use serde_json::Value;

/// The array under `key`, or a panic naming the case.
#[track_caller]
pub fn items<'v>(body: &'v Value, key: &str, what: &str) -> &'v [Value] {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no `{key}` array in {body}"))
}

/// Asserts that some object of `objects` has the property the test promises to cover.
#[track_caller]
pub fn assert_covers(objects: &[Value], kind: &str, has: impl Fn(&Value) -> bool) {
    assert!(
        objects.iter().any(has),
        "the objects checked include no {kind}: {}",
        Value::Array(objects.to_vec())
    );
}

/// The id of the deleted user called `name`, from `GET /deleted_users`.
pub async fn deleted_user_id(mock: &Mock, name: &str) -> i64 {
    let list = expect(
        mock.admin().get("/api/v2/deleted_users.json").await,
        200,
        "GET /deleted_users",
    );
    items(&list, "deleted_users", "GET /deleted_users")
        .iter()
        .find(|u| u["name"] == name)
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("no deleted user named {name}: {list}"))
}
