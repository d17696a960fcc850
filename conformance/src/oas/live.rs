//! Where live Zendesk is looser than its published OpenAPI document: the one list of
//! relaxations that checks of real responses apply, each with its evidence.
//!
//! "facts §N" refers to `shared/zendesk-api-facts.md` beside the repository.

use std::sync::OnceLock;

use super::Allowances;

/// The recorded live user that shows which user fields are null in practice: a user created
/// with a name only, as live Zendesk returned it (facts §3.1).
const RECORDED_USER: &str =
    "the recorded live user (zenpy cassette TestUserCreateUpdateDelete, 2023)";

/// The recorded live tickets that show which ticket fields are null in practice: tickets created
/// through the API with a subject, a requester and a comment (facts §4.1).
const RECORDED_TICKETS: &str = "the recorded live tickets (zenpy cassettes \
     TestAttachmentUpload.test_redact_attachment-upload-single, 2024, and TestDeletedTickets.*, \
     2023-2024)";

/// A live request as Zendesk answered it, quoted whole in a client's test.
const RECORDED_REQUEST: &str = "the live `POST /requests` answer (2025) quoted in \
     18F/identity-dashboard spec/models/zendesk_request_spec.rb";

/// Why a request may be null where its ticket is.
const REQUEST_IS_TICKET: &str = "a request is its ticket as the requester sees it (OAS \
     RequestObject: \"an end user's perspective on a ticket\")";

/// A live suspended ticket, anonymised and kept as a client's test fixture.
const RECORDED_SUSPENDED: &str = "the anonymised live suspended ticket (2024) kept as a test \
     fixture in aaronellington/zendesk-go @7e24f1c, \
     zendesk/test_files/responses/support/suspended_ticket/show_200.json";

/// Where the published document is stricter than live Zendesk: the properties it declares
/// non-nullable that live responses carry as `null`. Each entry says what differs and where that
/// is known from.
///
/// This is the baseline for checking responses ([`Samples::assert_conform`] applies it); a test
/// that needs more adds its own to a clone, or with [`Allowances::merge`].
/// The workspace's end-to-end tests fail as soon as some entry is no longer needed by any
/// object the mock server returns, so the list cannot silently grow stale.
///
/// [`Samples::assert_conform`]: super::Samples::assert_conform
#[must_use]
pub fn live_allowances() -> &'static Allowances {
    static ALLOWANCES: OnceLock<Allowances> = OnceLock::new();
    ALLOWANCES.get_or_init(|| {
        Allowances::new()
            .nullable(
                "UserForAdmin",
                "email",
                format!(
                    "a user without an email identity has `email: null` (facts §3.1 \"string or \
                     null\"; {RECORDED_USER}, created with a name only)"
                ),
            )
            .nullable(
                "UserForAdmin",
                "alias",
                format!("facts §3.1: alias is \"string or null\"; null in {RECORDED_USER}"),
            )
            .nullable(
                "UserForAdmin",
                "signature",
                format!("facts §3.1: signature is \"string or null\"; null in {RECORDED_USER}"),
            )
            .nullable(
                "UserForAdmin",
                "details",
                format!("facts §3.1: details is \"string or null\"; null in {RECORDED_USER}"),
            )
            .nullable(
                "UserForAdmin",
                "notes",
                format!("facts §3.1: notes is \"string or null\"; null in {RECORDED_USER}"),
            )
            .nullable(
                "UserForAdmin",
                "last_login_at",
                format!("a user who never signed in has `last_login_at: null` in {RECORDED_USER}"),
            )
            .nullable(
                "UserForAdmin",
                "default_group_id",
                format!(
                    "facts §3.1: default_group_id is \"int64 or null\"; null in {RECORDED_USER}"
                ),
            )
            .nullable(
                "UserForEndUser",
                "organization_id",
                format!(
                    "facts §3.1/§3.2: the end-user view shows the same record, whose \
                     organization_id is \"int64 or null\" (UserForAdmin marks it nullable); null \
                     in {RECORDED_USER}"
                ),
            )
            .nullable(
                "UserForEndUser",
                "phone",
                format!(
                    "facts §3.1/§3.2: phone is \"string or null\" (UserForAdmin marks it \
                     nullable); null in {RECORDED_USER}"
                ),
            )
            .nullable(
                "UserForEndUser",
                "shared_phone_number",
                format!(
                    "facts §3.1/§3.2: shared_phone_number is \"bool or null\" (UserForAdmin marks \
                     it nullable); null in {RECORDED_USER}"
                ),
            )
            .nullable(
                "UserForEndUser",
                "photo",
                format!(
                    "facts §3.1/§3.2: photo is \"Attachment object or null\" (UserForAdmin marks \
                     it nullable); null in {RECORDED_USER}"
                ),
            )
            .nullable(
                "DeletedUserObject",
                "email",
                "facts §3.4: permanently deleted users stay in /deleted_users as \"Permanently \
                 Deleted User\" with personal fields (email, phone, ...) null; older OAS examples \
                 of a deleted user show \"email\":null",
            )
            .nullable(
                "DeletedUserObject",
                "organization_id",
                format!(
                    "a user outside any organization has `organization_id: null` (facts §3.1 \
                     \"int64 or null\"; {RECORDED_USER}); older OAS examples of a deleted user \
                     show \"organization_id\":null (facts §3.4)"
                ),
            )
            .nullable(
                "TicketObject",
                "external_id",
                format!(
                    "a ticket created without one has `external_id: null` in {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "type",
                format!(
                    "facts §4.1: type is problem, incident, question, task \"or null\"; null in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "priority",
                format!(
                    "facts §4.1: priority is urgent, high, normal, low \"or null\"; null in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "recipient",
                format!(
                    "a ticket not received by email has `recipient: null` in {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "assignee_id",
                format!("an unassigned ticket has `assignee_id: null` in {RECORDED_TICKETS}"),
            )
            .nullable(
                "TicketObject",
                "organization_id",
                format!(
                    "a ticket whose requester has no organization has `organization_id: null` in \
                     {RECORDED_TICKETS} (TestDeletedTickets.test_values, 2024)"
                ),
            )
            .nullable(
                "TicketObject",
                "group_id",
                format!("a ticket in no group has `group_id: null` in {RECORDED_TICKETS}"),
            )
            .nullable(
                "TicketObject",
                "forum_topic_id",
                format!(
                    "a ticket not from the (deprecated) Web portal has `forum_topic_id: null` in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "problem_id",
                format!(
                    "a ticket that is no incident of a problem has `problem_id: null` in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "TicketObject",
                "satisfaction_rating",
                format!(
                    "facts §4.1 (and the OAS description): null on plans without CSAT; null in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "AttachmentBaseObject",
                "width",
                "a file that is not an image has `width: null` in the upload, comment and \
                 redaction answers of zenpy cassette \
                 TestAttachmentUpload.test_redact_attachment-upload-single (2024); the OAS \
                 description says \"If width is unknown, returns null\"",
            )
            .nullable(
                "AttachmentBaseObject",
                "height",
                "a file that is not an image has `height: null` in the upload, comment and \
                 redaction answers of zenpy cassette \
                 TestAttachmentUpload.test_redact_attachment-upload-single (2024); the OAS \
                 description says \"If height is unknown, returns null\"",
            )
            .nullable(
                "RequestObject",
                "priority",
                format!(
                    "{REQUEST_IS_TICKET}, and TicketObject.priority is \"or null\" (facts §4.1); \
                     null in {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "RequestObject",
                "type",
                format!(
                    "{REQUEST_IS_TICKET}, and TicketObject.type is \"or null\" (facts §4.1); null \
                     in {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "RequestObject",
                "organization_id",
                format!(
                    "{REQUEST_IS_TICKET}, whose organization_id is null when the requester has no \
                     organization, as in {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "RequestObject",
                "recipient",
                format!(
                    "{REQUEST_IS_TICKET}; a request not received by email has `recipient: null` in \
                     {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "RequestObject",
                "assignee_id",
                format!(
                    "{REQUEST_IS_TICKET}; an unassigned request has `assignee_id: null` in \
                     {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "RequestObject",
                "group_id",
                format!(
                    "{REQUEST_IS_TICKET}, whose group_id is null when it is in no group, as in \
                     {RECORDED_TICKETS}"
                ),
            )
            .nullable(
                "RequestObject",
                "due_at",
                format!(
                    "{REQUEST_IS_TICKET}, and TicketObject marks due_at nullable; null in \
                     {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "RequestObject",
                "followup_source_id",
                format!(
                    "{REQUEST_IS_TICKET}; a request that is not a follow-up has \
                     `followup_source_id: null` in {RECORDED_REQUEST}"
                ),
            )
            .nullable(
                "SuspendedTicketObject",
                "ticket_id",
                format!(
                    "a suspended ticket tied to no ticket has `ticket_id: null` (the OAS \
                     description: \"if available\") in {RECORDED_SUSPENDED}"
                ),
            )
            .nullable(
                "SuspendedTicketObject",
                "recipient",
                format!(
                    "a suspended ticket not received by email has `recipient: null` in \
                     {RECORDED_SUSPENDED}"
                ),
            )
    })
}
