//! Deleted tickets: the Deleted Tickets view, restore, permanent deletion (facts §4.3).

use super::expect::{self, Outcome};
use super::{Check, Ctx, check};
use serde_json::json;

/// The checks of this area.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "deleted_tickets.restore.returns_previous_status",
            Recorded,
            "facts §4.3 [REC TestDeletedTickets.test_delete_and_restore]",
            "A soft-deleted ticket is listed in /deleted_tickets with its previous_state; \
             restore answers 200 {} and the ticket is back with its status.",
            restore_returns_previous_status
        ),
        check!(
            "deleted_tickets.permanent_delete.requires_soft_delete",
            Documented,
            "https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#delete-ticket-permanently (facts §4.3)",
            "DELETE /deleted_tickets/{id} of a ticket that is not soft-deleted is refused; \
             the ticket is untouched.",
            permanent_requires_soft_delete
        ),
        check!(
            "deleted_tickets.permanent_delete.job_then_gone",
            Recorded,
            "facts §4.3 [REC TestDeletedTickets: job_status, results {\"success\":true}, restore 404]",
            "DELETE /deleted_tickets/{id} answers 200 with a queued job that completes with \
             results {\"success\":true}; restoring it afterwards is 404.",
            permanent_job_then_gone
        ),
    ]
}

async fn restore_returns_previous_status(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "pending", "Restore me").await?;
    let deleted = ctx.client.delete_ticket(ticket.id).await?;
    expect::status(&deleted, 204, "soft-delete")?;
    let pages = ctx
        .client
        .collect_pages(
            "deleted_tickets",
            &[("page[size]", "100".to_owned())],
            "deleted_tickets",
            100,
        )
        .await?;
    let listed = pages.items.iter().find(|t| t["id"] == ticket.id).cloned();
    let last = pages.replies.last().expect("a page");
    let listed = listed.ok_or_else(|| {
        expect::mismatch(&format!("ticket {} in /deleted_tickets", ticket.id), last)
    })?;
    expect::equal(
        &listed["previous_state"],
        &json!("pending"),
        "the deleted ticket's previous_state",
    )?;
    let restored = ctx.client.restore_deleted_ticket(ticket.id).await?;
    expect::status(&restored, 200, "restore")?;
    expect::that(restored.body == json!({}), "an empty object", &restored)?;
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(&shown, "/ticket/status", "pending", "the restored ticket")
}

async fn permanent_requires_soft_delete(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Still active").await?;
    let reply = ctx.client.delete_ticket_permanently(ticket.id).await?;
    expect::that(
        (400..500).contains(&reply.status),
        "a refusal (4xx) to permanently delete an active ticket",
        &reply,
    )?;
    if reply.status == 200 {
        // A job that ran anyway: let it finish so the readback below means something.
        let _ = ctx.job(&reply).await;
    }
    let shown = ctx.client.show_ticket(ticket.id).await?;
    expect::field(
        &shown,
        "/ticket/status",
        "open",
        "the ticket after the refusal",
    )
}

async fn permanent_job_then_gone(ctx: &mut Ctx) -> Outcome {
    let user = ctx.end_user().await?;
    let ticket = ctx.ticket(user.id, "open", "Gone for good").await?;
    let deleted = ctx.client.delete_ticket(ticket.id).await?;
    expect::status(&deleted, 204, "soft-delete")?;
    let reply = ctx.client.delete_ticket_permanently(ticket.id).await?;
    let what = "permanently delete the soft-deleted ticket";
    expect::status(&reply, 200, what)?;
    expect::field(&reply, "/job_status/status", "queued", what)?;
    let job = ctx.job(&reply).await?;
    expect::equal(
        &job["status"],
        &json!("completed"),
        "the job's final status",
    )?;
    expect::equal(
        &job["results"],
        &json!({"success": true}),
        "the job's results",
    )?;
    let restore = ctx.client.restore_deleted_ticket(ticket.id).await?;
    expect::error(
        &restore,
        404,
        "RecordNotFound",
        "restore a permanently deleted ticket",
    )
}
