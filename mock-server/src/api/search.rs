//! Search — <https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/>
//! (facts §7). The engine is [`crate::store::search`]; these handlers read parameters, apply
//! the documented paging limits and render each result as its resource plus `result_type`.

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::Params;
use crate::http::pagination::{PageRequest, Style, paginate};
use crate::http::respond::{Listed, ok, ok_typed};
use crate::store::AccountData;
use crate::store::search::Order;
use crate::store::search::document::DocKey;
use crate::store::search::export::{ExportCursor, MAX_EXPORT_PAGE};
use crate::store::search::query::{Kind, Query};
use crate::views;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// At most this many results can be read through `GET /search` (facts §7).
pub const SEARCH_RESPONSE_LIMIT: usize = 1_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/search", get(search))
        .route("/api/v2/search/count", get(count))
        .route("/api/v2/search/export", get(export))
}

/// The `query` parameter, parsed on the account's clock. A missing or blank query finds nothing
/// (INFERRED: an empty result rather than an error).
fn parse_query(data: &AccountData, params: &Params) -> ApiResult<Query> {
    Query::parse(params.get("query").unwrap_or_default(), data.now())
}

/// GET /api/v2/search — List Search Results (offset pagination only, 100 per page, and no
/// further than the first 1,000 results).
async fn search(authed: Authed, params: Params) -> ApiResult<Response> {
    let request = PageRequest::from_params(&params, Style::OffsetOnly, "id")?;
    let PageRequest::Offset { page, per_page } = request else {
        return Err(ApiError::invalid_pagination("search pages by offset only"));
    };
    let end = page.saturating_mul(per_page);
    if end > SEARCH_RESPONSE_LIMIT {
        return Err(ApiError::search_response_limit());
    }
    // The engine needs the write lock (it takes in writes whose index lag has passed); the
    // page is rendered under the read lock, beside other readers. A write in between shows in
    // the rendered records, as a lagging hit shows its record as it is now.
    let (keys, fields) = authed.account.write(|data| {
        let query = parse_query(data, &params)?;
        let order = Order::of(&query, params.get("sort_by"), params.get("sort_order"));
        // Every match is counted; only those up to the end of this page are ranked.
        let (count, ranked) = data.search_page(&authed.caller, &query, order, end)?;
        // The page's links and count need only the number of results: units cost nothing.
        let paged = paginate(
            vec![(); count],
            |_| Vec::new(),
            &request,
            &authed.links(&params),
            "id",
        );
        let keys: Vec<DocKey> = ranked
            .iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(paged.items.len())
            .map(|hit| hit.key)
            .collect();
        ApiResult::Ok((keys, paged.fields))
    })?;
    authed.account.read(|data| {
        let mut rest = Map::new();
        rest.insert("facets".to_owned(), Value::Null);
        rest.extend(fields);
        Ok(ok_typed(Listed {
            key: "results",
            items: keys
                .iter()
                .filter_map(|key| render(data, *key, &authed))
                .collect(),
            fields: rest,
        }))
    })
}

/// GET /api/v2/search/count — Show Results Count.
async fn count(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.write(|data| {
        let query = parse_query(data, &params)?;
        let count = data.search_count(&authed.caller, &query)?;
        Ok(ok(json!({"count": count})))
    })
}

/// GET /api/v2/search/export — Export Search Results (cursor only, `filter[type]` required,
/// `page[size]` up to 1,000, sorted by `created_at`).
async fn export(authed: Authed, params: Params) -> ApiResult<Response> {
    let kind = params
        .get("filter[type]")
        .and_then(Kind::parse)
        .ok_or_else(|| {
            ApiError::invalid_search(
                "filter[type] must be one of ticket, user, organization, group",
            )
        })?;
    let size = match params.get("page[size]") {
        None => 100,
        Some(text) => text
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ApiError::invalid_pagination("page[size] is not valid"))?
            .min(MAX_EXPORT_PAGE),
    };
    let after = match params.get("page[after]").filter(|t| !t.is_empty()) {
        None => None,
        Some(text) => Some(
            ExportCursor::decode(text)
                .ok_or_else(|| ApiError::invalid_pagination("page[after] is not valid"))?,
        ),
    };
    let (keys, after_cursor) = authed.account.write(|data| {
        let query = parse_query(data, &params)?;
        let page = data.search_export(&authed.caller, &query, kind, after, size)?;
        let keys: Vec<DocKey> = page.hits.iter().map(|hit| hit.key).collect();
        ApiResult::Ok((keys, page.next.map(|c| c.encode())))
    })?;
    let next = after_cursor.as_ref().map(|cursor| {
        authed.links(&params).with(&[
            ("page[after]", cursor.clone()),
            ("page[size]", size.to_string()),
        ])
    });
    let mut rest = Map::new();
    rest.insert("facets".to_owned(), Value::Null);
    rest.insert(
        "meta".to_owned(),
        json!({"has_more": after_cursor.is_some(), "after_cursor": after_cursor, "before_cursor": null}),
    );
    rest.insert("links".to_owned(), json!({"prev": null, "next": next}));
    authed.account.read(|data| {
        Ok(ok_typed(Listed {
            key: "results",
            items: keys
                .iter()
                .filter_map(|key| render(data, *key, &authed))
                .collect(),
            fields: rest,
        }))
    })
}

/// A result: the record as its own endpoint shows it now, plus `result_type`. A lagging index
/// can hold hits whose record has since changed or been deleted: they show as the record is now,
/// and a record that no longer exists is left out of the page (though still counted).
fn render<'a>(data: &'a AccountData, key: DocKey, authed: &Authed) -> Option<Found<'a>> {
    Some(match key {
        DocKey::Ticket(id) => Found {
            record: Record::Ticket(views::tickets::ticket(
                data,
                data.search_hit_ticket(id)?,
                &authed.origin,
            )),
            result_type: "ticket",
        },
        DocKey::User(id) => Found {
            record: Record::User(views::users::for_caller(
                data,
                data.search_hit_user(id)?,
                &authed.caller,
                &authed.origin,
            )),
            result_type: "user",
        },
    })
}

/// A result on the wire: the record's own view, then `result_type`.
#[derive(Serialize)]
struct Found<'a> {
    #[serde(flatten)]
    record: Record<'a>,
    result_type: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Record<'a> {
    Ticket(views::tickets::TicketView<'a>),
    User(views::users::UserFor<'a>),
}
