//! Every object of the ticket surface matches its OAS schema: tickets (`TicketObject`) and
//! their audits, comments (`TicketCommentObject`) before and after redaction, attachments and
//! uploads, deleted and suspended tickets, requests (`RequestObject`), and the job statuses of
//! ticket jobs; the approach is described in `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use shapes::tickets::{
    comments_and_attachments, deleted_tickets, requests, suspended_tickets, ticket_jobs, tickets,
};

#[tokio::test]
async fn tickets_in_create_update_show_list_and_show_many_answers_match_ticket_object() {
    let mock = Mock::start().await;
    tickets(&mock).await.assert_conform();
}

#[tokio::test]
async fn comments_attachments_uploads_and_redacted_comments_match_their_schemas() {
    let mock = Mock::start().await;
    comments_and_attachments(&mock).await.assert_conform();
}

#[tokio::test]
async fn requests_listed_shown_and_created_match_request_object() {
    let mock = Mock::start().await;
    requests(&mock).await.assert_conform();
}

#[tokio::test]
async fn suspended_tickets_match_suspended_ticket_object() {
    let mock = Mock::start().await;
    suspended_tickets(&mock).await.assert_conform();
}

#[tokio::test]
async fn deleted_tickets_match_list_deleted_tickets_response() {
    let mock = Mock::start().await;
    deleted_tickets(&mock).await.assert_conform();
}

#[tokio::test]
async fn ticket_job_statuses_match_job_status_object() {
    let mock = Mock::start().await;
    ticket_jobs(&mock).await.assert_conform();
}
