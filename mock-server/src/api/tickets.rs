//! Tickets — <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/> (facts §4.2).

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::Authed;
use crate::http::extract::{Body, Ids, Params};
use crate::http::pagination::{Key, PageRequest, Style, paginate};
use crate::http::respond::{Keyed, Listed, created, ok, ok_typed, warn_unpermitted};
use crate::store::jobs::JobWork;
use crate::store::ticket_queries::Relation;
use crate::store::tickets::{Ticket, TicketInput};
use crate::store::{AccountData, Caller, Id};
use crate::views;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/tickets", get(list_tickets).post(create_ticket))
        .route("/api/v2/tickets/show_many", get(show_many_tickets))
        .route("/api/v2/tickets/count", get(count_tickets))
        .route("/api/v2/tickets/create_many", post(create_many_tickets))
        .route("/api/v2/tickets/update_many", put(update_many_tickets))
        .route("/api/v2/tickets/destroy_many", delete(destroy_many_tickets))
        .route(
            "/api/v2/tickets/{id}",
            get(show_ticket).put(update_ticket).delete(delete_ticket),
        )
        .route(
            "/api/v2/users/{id}/tickets/{relation}",
            get(list_user_tickets),
        )
}

#[derive(Debug, Deserialize)]
struct TicketBody {
    ticket: Option<TicketInput>,
    tickets: Option<Vec<TicketInput>>,
}

fn parse_body(raw: &Value) -> ApiResult<TicketBody> {
    serde_json::from_value(raw.clone()).map_err(|e| {
        ApiError::invalid_json(format!(
            "The request body does not have the expected shape: {e}"
        ))
    })
}

fn ticket_input(raw: &Value) -> ApiResult<TicketInput> {
    parse_body(raw)?
        .ticket
        .ok_or_else(|| ApiError::parameter_missing("ticket"))
}

/// Keys Zendesk would drop, inside `ticket` and at the top level, for `X-Zendesk-API-Warn`.
fn dropped_keys(raw: &Value, input: &TicketInput) -> Vec<String> {
    let mut keys: Vec<String> = input
        .unknown
        .keys()
        .map(|k| format!("ticket.{k}"))
        .collect();
    keys.extend(crate::http::respond::unpermitted(raw, &["ticket"]));
    keys
}

/// `{"ticket": {...}}`, with `users` side-loaded when `include=users` asks for them.
fn render_one(data: &AccountData, ticket: &Ticket, authed: &Authed, params: &Params) -> Value {
    let mut body =
        json!({"ticket": views::tickets::ticket(data, ticket, &authed.origin).to_value()});
    if includes_users(params) {
        body["users"] = views::tickets::side_loaded_users(
            data,
            views::tickets::ticket_user_ids(ticket),
            &authed.caller,
            &authed.origin,
        );
    }
    body
}

pub fn includes_users(params: &Params) -> bool {
    params.all("include").iter().any(|i| i == "users")
}

/// A page of tickets, `include=users` honoured: typed views, serialized straight to bytes.
fn render_page(
    data: &AccountData,
    tickets: Vec<&Ticket>,
    authed: &Authed,
    params: &Params,
) -> ApiResult<Response> {
    let (request, order) = ticket_order(params)?;
    let mut tickets = tickets;
    tickets.sort_by_key(|t| order.key(t));
    let page = paginate(
        tickets,
        |t| order.key(t),
        &request,
        &authed.links(params),
        &order.name,
    );
    let mut fields = page.fields;
    if includes_users(params) {
        let ids: Vec<Id> = page
            .items
            .iter()
            .flat_map(|t| views::tickets::ticket_user_ids(t))
            .collect();
        let users = views::tickets::side_loaded_users(data, ids, &authed.caller, &authed.origin);
        fields.insert("users".to_owned(), users);
    }
    Ok(ok_typed(Listed {
        key: "tickets",
        items: page
            .items
            .iter()
            .map(|t| views::tickets::ticket(data, t, &authed.origin))
            .collect(),
        fields,
    }))
}

/// The sort of a ticket list: offset `sort_by`/`sort_order`, or cursor `sort=[-]field`.
struct Order {
    field: String,
    descending: bool,
    name: String,
}

impl Order {
    fn key(&self, ticket: &Ticket) -> Key {
        let value = match self.field.as_str() {
            "created_at" => ticket.created_at,
            "updated_at" => ticket.updated_at,
            "status" => ticket.status as i64,
            _ => ticket.id,
        };
        let sign = if self.descending { -1 } else { 1 };
        vec![sign * value, sign * ticket.id]
    }
}

fn ticket_order(params: &Params) -> ApiResult<(PageRequest, Order)> {
    let (field, descending) = match params.get("sort") {
        Some(sort) => (
            sort.trim_start_matches('-').to_owned(),
            sort.starts_with('-'),
        ),
        None => (
            params.get("sort_by").unwrap_or("id").to_owned(),
            params.get("sort_order") == Some("desc"),
        ),
    };
    if !matches!(
        field.as_str(),
        "id" | "created_at" | "updated_at" | "status"
    ) {
        return Err(ApiError::invalid_pagination(format!(
            "sort field {field} is not supported"
        )));
    }
    let name = format!("{}{field}", if descending { "-" } else { "" });
    let request = PageRequest::from_params(params, Style::Both, &name)?;
    Ok((
        request,
        Order {
            field,
            descending,
            name,
        },
    ))
}

/// GET /api/v2/tickets — List Tickets (cursor or offset; `sort_by`, `sort_order`, `sort`).
async fn list_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let tickets = data.list_tickets(&authed.caller, params.get("external_id"))?;
        render_page(data, tickets, &authed, &params)
    })
}

/// GET /api/v2/users/{id}/tickets/{requested|ccd|assigned} — List a user's tickets.
async fn list_user_tickets(
    authed: Authed,
    Path((id, relation)): Path<(String, String)>,
    params: Params,
) -> ApiResult<Response> {
    let id = crate::http::extract::parse_id(&id)?;
    let relation = Relation::parse(&relation)?;
    authed.account.read(|data| {
        let tickets = data.user_tickets(&authed.caller, id, relation)?;
        render_page(data, tickets, &authed, &params)
    })
}

/// GET /api/v2/tickets/{id} — Show Ticket. Soft-deleted tickets are 404.
async fn show_ticket(authed: Authed, Ids([id]): Ids<1>, params: Params) -> ApiResult<Response> {
    authed.account.read(|data| {
        let ticket = data.show_ticket(&authed.caller, id)?;
        Ok(ok(render_one(data, ticket, &authed, &params)))
    })
}

/// GET /api/v2/tickets/show_many — Show Multiple Tickets (at most 100 ids).
async fn show_many_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = params
        .id_list("ids")?
        .ok_or_else(|| ApiError::parameter_missing("ids"))?;
    authed.account.read(|data| {
        let tickets = data.tickets_by_ids(&authed.caller, &ids)?;
        Ok(ok_typed(Keyed(
            "tickets",
            tickets
                .iter()
                .map(|t| views::tickets::ticket(data, t, &authed.origin))
                .collect::<Vec<_>>(),
        )))
    })
}

/// GET /api/v2/tickets/count — Count Tickets.
async fn count_tickets(authed: Authed) -> ApiResult<Response> {
    authed.account.read(|data| {
        let count = data.list_tickets(&authed.caller, None)?.len();
        Ok(ok(json!({"count": {"value": count, "refreshed_at": crate::store::clock::iso8601(data.now())}})))
    })
}

/// The ticket and its audit, as create and update answer.
fn ticket_and_audit(
    data: &AccountData,
    ticket_id: Id,
    audit_id: Option<Id>,
    origin: &str,
) -> ApiResult<Value> {
    let ticket = data.active_ticket(ticket_id)?;
    let audit = audit_id
        .and_then(|id| data.audit(id))
        .map(|a| views::comments::audit(data, a, origin));
    Ok(json!({"ticket": views::tickets::ticket(data, ticket, origin).to_value(), "audit": audit}))
}

/// POST /api/v2/tickets — Create Ticket: 201 with the ticket, its audit and `Location`.
async fn create_ticket(authed: Authed, Body(raw): Body<Value>) -> ApiResult<Response> {
    let input = ticket_input(&raw)?;
    let (body, id) = authed.account.write(|data| {
        let (id, audit_id) = data.create_ticket(&authed.caller, &input, "api")?;
        ApiResult::Ok((
            ticket_and_audit(data, id, Some(audit_id), &authed.origin)?,
            id,
        ))
    })?;
    let location = views::api_url(&authed.origin, &format!("tickets/{id}"));
    Ok(warn_unpermitted(
        created(body, &location),
        "tickets",
        "create",
        &dropped_keys(&raw, &input),
    ))
}

/// PUT /api/v2/tickets/{id} — Update Ticket. A closed ticket refuses every update.
async fn update_ticket(
    authed: Authed,
    Ids([id]): Ids<1>,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let input = ticket_input(&raw)?;
    let body = authed.account.write(|data| {
        let audit_id = data.update_ticket(&authed.caller, id, &input)?;
        ticket_and_audit(data, id, audit_id, &authed.origin)
    })?;
    Ok(warn_unpermitted(
        ok(body),
        "tickets",
        "update",
        &dropped_keys(&raw, &input),
    ))
}

/// DELETE /api/v2/tickets/{id} — Delete Ticket (soft): 204.
async fn delete_ticket(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed
        .account
        .write(|data| data.soft_delete_ticket(&authed.caller, id))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Checks the caller may do bulk ticket work, then queues it.
fn enqueue(
    authed: &Authed,
    work: JobWork,
    check: impl FnOnce(&AccountData, &Caller) -> ApiResult<()>,
) -> ApiResult<Response> {
    authed.account.read(|data| check(data, &authed.caller))?;
    super::users::enqueue(authed, work)
}

/// POST /api/v2/tickets/create_many — Create Many Tickets: a job (at most 100).
async fn create_many_tickets(authed: Authed, Body(raw): Body<Value>) -> ApiResult<Response> {
    let tickets = parse_body(&raw)?
        .tickets
        .ok_or_else(|| ApiError::parameter_missing("tickets"))?;
    let limited = authed
        .account
        .read(|d| d.keeps(crate::store::BrokenRule::BulkLimit));
    if tickets.len() > 100 && limited {
        return Err(ApiError::too_many_values());
    }
    enqueue(&authed, JobWork::CreateTickets(tickets), |_, caller| {
        caller.require_staff()
    })
}

/// PUT /api/v2/tickets/update_many — Update Many Tickets: the same change to `ids`
/// (`{"ticket":{...}}`), or a batch (`{"tickets":[{"id":1,...}]}`).
async fn update_many_tickets(
    authed: Authed,
    params: Params,
    Body(raw): Body<Value>,
) -> ApiResult<Response> {
    let body = parse_body(&raw)?;
    let items: Vec<(Id, TicketInput)> = match (params.id_list("ids")?, body.ticket, body.tickets) {
        (Some(ids), Some(change), _) => ids.into_iter().map(|id| (id, change.clone())).collect(),
        (None, _, Some(batch)) => {
            if batch.len() > 100 {
                return Err(ApiError::too_many_values());
            }
            batch
                .into_iter()
                .map(|t| {
                    t.id.map(|id| (id, t))
                        .ok_or_else(|| ApiError::parameter_missing("tickets[].id"))
                })
                .collect::<ApiResult<_>>()?
        }
        (Some(_), None, _) => return Err(ApiError::parameter_missing("ticket")),
        (None, _, None) => return Err(ApiError::parameter_missing("ids")),
    };
    enqueue(&authed, JobWork::UpdateTickets(items), |_, caller| {
        caller.require_staff()
    })
}

/// DELETE /api/v2/tickets/destroy_many — Bulk Delete Tickets (soft): a job, at most 100.
async fn destroy_many_tickets(authed: Authed, params: Params) -> ApiResult<Response> {
    let ids = params
        .id_list("ids")?
        .ok_or_else(|| ApiError::parameter_missing("ids"))?;
    enqueue(
        &authed,
        JobWork::DestroyTickets(ids),
        AccountData::require_ticket_deleter,
    )
}
