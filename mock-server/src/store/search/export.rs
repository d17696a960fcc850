//! `GET /search/export`: every match of one record type, newest first by `created_at`, read
//! with cursors (facts §7; OAS ExportSearchResults). Cursors expire an hour after they were
//! issued, on the account's clock.
//!
//! The cursor is base64 JSON in the live shape (the OAS example decodes to
//! `{"field":"created_at","desc":true,"tieBreakField":"id","tieBreakDesc":false,"sortValues":…,
//! "exportedThusFar":…,"sessionStart":…,"createdAt":…}`); times in it are milliseconds.

use super::document::DocKey;
use super::query::{Kind, Query};
use super::{Hit, Order, SortField};
use crate::error::{ApiError, ApiResult};
use crate::store::account::AccountData;
use crate::store::clock::Timestamp;
use crate::store::{Caller, Id};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// How long an `after_cursor` stays valid (facts §7: one hour).
pub const CURSOR_LIFETIME: Timestamp = 3_600;
/// Largest `page[size]` (facts §7).
pub const MAX_EXPORT_PAGE: usize = 1_000;

/// Where the next page starts: after the record with this `created_at` and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportCursor {
    pub created_at: Timestamp,
    pub id: Id,
    pub exported: usize,
    pub session_start: Timestamp,
    pub issued_at: Timestamp,
}

impl ExportCursor {
    pub fn encode(&self) -> String {
        let body = json!({
            "field": "created_at",
            "desc": true,
            "tieBreakField": "id",
            "tieBreakDesc": false,
            "sortValues": [self.created_at * 1000, self.id],
            "exportedThusFar": self.exported,
            "sessionStart": self.session_start * 1000,
            "createdAt": self.issued_at * 1000,
        });
        STANDARD.encode(body.to_string())
    }

    /// Reads a cursor this server issued; `None` for anything else.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = STANDARD.decode(text.trim()).ok()?;
        let body: Value = serde_json::from_slice(&bytes).ok()?;
        let values = body["sortValues"].as_array()?;
        Some(Self {
            created_at: values.first()?.as_i64()? / 1000,
            id: values.get(1)?.as_i64()?,
            exported: usize::try_from(body["exportedThusFar"].as_u64()?).ok()?,
            session_start: body["sessionStart"].as_i64()? / 1000,
            issued_at: body["createdAt"].as_i64()? / 1000,
        })
    }
}

/// One page of an export.
#[derive(Debug, Clone)]
pub struct ExportPage {
    pub hits: Vec<Hit>,
    /// Set when more records follow.
    pub next: Option<ExportCursor>,
}

impl AccountData {
    /// The page of `kind` records matching `query` that follows `after`, at most `size` long.
    /// A `type:` in the query must agree with `kind` (the docs call any `type:` an error, but a
    /// 2024 recording with `type:user` and `filter[type]=user` succeeded — facts §7).
    pub fn search_export(
        &mut self,
        caller: &Caller,
        query: &Query,
        kind: Kind,
        after: Option<ExportCursor>,
        size: usize,
    ) -> ApiResult<ExportPage> {
        caller.require_staff()?;
        if query.kind().is_some_and(|k| k != kind) {
            return Err(ApiError::invalid_search(
                "type in the query conflicts with filter[type]",
            ));
        }
        let now = self.now();
        if let Some(cursor) = after
            && now - cursor.issued_at > CURSOR_LIFETIME
        {
            return Err(ApiError::invalid_pagination("page[after] has expired"));
        }
        let order = Order {
            field: Some(SortField::CreatedAt),
            descending: true,
        };
        let mut typed = query.clone();
        typed.clauses.push(super::query::Clause {
            negated: false,
            pred: super::query::Pred::Type(kind),
        });
        // Newest first; among equal times the smaller id first, as the live cursor says.
        let all = self.search(caller, &typed, order)?;
        let position = |created_at: Timestamp, id: Id| (std::cmp::Reverse(created_at), id);
        let start = after.map_or(0, |c| {
            all.partition_point(|d| {
                position(d.created_at, id_of(d.key)) <= position(c.created_at, c.id)
            })
        });
        let size = size.clamp(1, MAX_EXPORT_PAGE);
        let end = (start + size).min(all.len());
        let hits: Vec<Hit> = all[start..end].to_vec();
        let exported = after.map_or(0, |c| c.exported) + hits.len();
        let next = (end < all.len()).then(|| {
            let last = &all[end - 1];
            ExportCursor {
                created_at: last.created_at,
                id: id_of(last.key),
                exported,
                session_start: after.map_or(now, |c| c.session_start),
                issued_at: now,
            }
        });
        Ok(ExportPage { hits, next })
    }
}

fn id_of(key: DocKey) -> Id {
    match key {
        DocKey::Ticket(id) | DocKey::User(id) => id,
    }
}
