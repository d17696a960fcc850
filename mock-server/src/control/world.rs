//! Looking into an account's data beyond the public API: residue of personal data, records of
//! permanently deleted tickets, and simulated inbound email.

use crate::error::{ApiError, ApiResult};
use crate::http::context::Control;
use crate::http::extract::Body;
use crate::http::respond::{created, ok};
use crate::store::clock::iso8601;
use crate::store::suspended_tickets::{Submission, Submitted};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidueQuery {
    needles: Vec<String>,
}

/// POST /__mock/residue `{"needles":[...]}` — every place any needle still appears, including
/// places the API cannot reach: `{"residue":[{"needle","kind","id","field"}]}`.
pub async fn find_residue(
    control: Control,
    Body(query): Body<ResidueQuery>,
) -> ApiResult<Response> {
    let hits = control.account.write(|data| data.residue(&query.needles));
    Ok(ok(json!({"residue": hits})))
}

/// GET /__mock/ticket_records — what remains of permanently deleted tickets: id, dates and
/// previous status, nothing personal (Zendesk keeps these "for reporting purposes").
pub async fn show_ticket_records(control: Control) -> ApiResult<Response> {
    let records: Vec<Value> = control.account.read(|data| {
        data.ticket_records()
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "created_at": iso8601(r.created_at),
                    "deleted_at": iso8601(r.deleted_at),
                    "previous_status": r.previous_status.as_str(),
                })
            })
            .collect()
    });
    Ok(ok(json!({"ticket_records": records})))
}

/// POST /__mock/inbound/email `{"name","email","subject","body"}` — an email arriving at the
/// support address: a ticket for the sender, or a suspended ticket when the sender is
/// suspended. 201 `{"ticket_id"}` or `{"suspended_ticket_id"}`.
pub async fn receive_email(
    control: Control,
    Body(submission): Body<Submission>,
) -> ApiResult<Response> {
    if submission.body.trim().is_empty() {
        return Err(ApiError::record_invalid("body", "Body: cannot be blank"));
    }
    let outcome = control
        .account
        .write(|data| data.submit(&submission, "email"))?;
    Ok(match outcome {
        Submitted::Ticket(id) => created(
            json!({"ticket_id": id}),
            &format!("{}/api/v2/tickets/{id}.json", control.origin),
        ),
        Submitted::Suspended(id) => created(
            json!({"suspended_ticket_id": id}),
            &format!("{}/api/v2/suspended_tickets/{id}.json", control.origin),
        ),
    })
}
