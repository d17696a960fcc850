//! Tickets: create, update, the closed-ticket rule, soft delete, comments (facts §4.1, §4.2,
//! §5.2).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use serde_json::json;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "tickets.closed.rejects_update",
            Recorded,
            "facts §2 [Speedygeek/ZendeskApi_v2#59]",
            "Updating a closed ticket is 422 RecordInvalid, details.status \
             `Status: closed prevents ticket update`; the ticket is unchanged.",
            closed_rejects_update
        ),
        check!(
            "tickets.create.accepts_closed_status",
            Recorded,
            "facts §4.2 [ethyca/fides zendesk_fixtures.py]",
            "POST /tickets with status:closed answers 201 and the ticket is closed.",
            create_accepts_closed
        ),
        check!(
            "tickets.create.returns_201_with_audit",
            Recorded,
            "facts §4.2 [REC; DOC requests]",
            "POST /tickets answers 201 with the ticket, its audit (events include the \
             Comment) and a Location header.",
            create_returns_201_with_audit
        ),
        check!(
            "tickets.delete.soft_then_404",
            Recorded,
            "facts §4.2 [REC 204; RB-live ticket_spec it_should_be_deletable]",
            "DELETE /tickets/{id} answers 204 with no body; GET /tickets/{id} is then 404.",
            soft_delete_then_404
        ),
        check!(
            "tickets.create.suspended_requester_422",
            Recorded,
            "facts §2, §3.6 [zendesk_api_client_rb#369; alphagov/notifications-utils#1021]",
            "Creating a ticket for a suspended requester is 422 RecordInvalid, \
             details.requester `Requester: <Name> is suspended.`",
            suspended_requester_422
        ),
        check!(
            "tickets.comments.ascending_by_default",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments (facts §5.2)",
            "GET /tickets/{id}/comments lists oldest first; a comment added by update comes \
             last.",
            comments_ascending
        ),
    ]
}

async fn closed_rejects_update(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "closed", "Closed").await?;
    let reply = ctx
        .client
        .update_ticket(ticket.id, json!({"subject": "Changed", "status": "open"}))
        .await?;
    expect::record_invalid(
        &reply,
        "status",
        "Status: closed prevents ticket update",
        "update a closed ticket",
    )?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(
        &shown,
        "/ticket/status",
        "closed",
        "the closed ticket after the refusal",
    )
}

async fn create_accepts_closed(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "closed", "Born closed").await?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(
        &shown,
        "/ticket/status",
        "closed",
        "a ticket created closed",
    )
}

async fn create_returns_201_with_audit(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let reply = ctx
        .client
        .create_ticket(
            json!({"subject": "Audited", "comment": {"body": "Hello"}, "requester_id": user.id}),
        )
        .await?;
    let id = reply.id_at("/ticket/id");
    if let Some(id) = id {
        ctx.adopt_ticket(id);
    }
    let what = "create a ticket";
    expect::status(&reply, 201, what)?;
    let id = reply.require_id("/ticket/id")?;
    let location = reply.header("location").unwrap_or("");
    expect::that(
        location.contains(&format!("/api/v2/tickets/{id}")),
        &format!("a Location header naming /api/v2/tickets/{id}, got `{location}`"),
        &reply,
    )?;
    let has_comment = reply.at("/audit/events").as_array().is_some_and(|events| {
        events
            .iter()
            .any(|e| e["type"] == "Comment" && e["body"] == "Hello")
    });
    expect::that(has_comment, "audit.events with the Comment", &reply)
}

async fn soft_delete_then_404(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Deleted").await?;
    let reply = ctx.client.delete_ticket(ticket.id).await?;
    expect::status(&reply, 204, "soft-delete a ticket")?;
    expect::that(reply.text.is_empty(), "an empty body", &reply)?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::error(&shown, 404, "RecordNotFound", "show a soft-deleted ticket")
}

async fn suspended_requester_422(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let suspend = ctx
        .client
        .update_user(user.id, json!({"suspended": true}))
        .await?;
    expect::status(&suspend, 200, "suspend the requester")?;
    let reply = ctx
        .client
        .create_ticket(json!({"subject": "From a suspended user", "comment": {"body": "x"}, "requester_id": user.id}))
        .await?;
    if let Some(id) = reply.id_at("/ticket/id") {
        ctx.adopt_ticket(id);
    }
    expect::record_invalid(
        &reply,
        "requester",
        &format!("Requester: {} is suspended.", user.name),
        "create a ticket for a suspended requester",
    )
}

async fn comments_ascending(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "First comment").await?;
    let update = ctx
        .client
        .update_ticket(
            ticket.id,
            json!({"comment": {"body": "Second comment", "public": true}}),
        )
        .await?;
    expect::status(&update, 200, "add a comment")?;
    let reply = ctx.client.list_comments(ticket.id, &[]).await?;
    expect::status(&reply, 200, "list comments")?;
    let bodies: Vec<&str> = reply
        .at("/comments")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["body"].as_str())
        .collect();
    expect::that(
        bodies == ["First comment", "Second comment"],
        &format!("comments oldest first, got {bodies:?}"),
        &reply,
    )
}
