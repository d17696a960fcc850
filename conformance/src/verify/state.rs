//! [`AccountState`]: the parts of an account's snapshot (`GET /__mock/snapshot`, plus
//! `GET /__mock/ticket_records`) the verifier reads, keyed by id. Unknown snapshot fields are
//! ignored, so a newer mock still reads.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A user record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserState {
    pub id: i64,
    pub name: String,
    /// `{"state": "active" | "soft_deleted" | "permanently_deleted", ...}`.
    pub lifecycle: Value,
    #[serde(default)]
    pub suspended: bool,
    pub phone: Option<String>,
    pub details: Option<String>,
}

impl UserState {
    /// `active`, `soft_deleted` or `permanently_deleted`.
    pub fn lifecycle(&self) -> &str {
        self.lifecycle["state"].as_str().unwrap_or("unknown")
    }
}

/// An identity.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdentityState {
    pub id: i64,
    pub user_id: i64,
    pub value: String,
}

/// A ticket.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TicketState {
    pub id: i64,
    pub status: String,
    pub requester_id: i64,
    /// `"Active"` or `{"SoftDeleted": {...}}`.
    pub state: Value,
    #[serde(default)]
    pub comment_ids: Vec<i64>,
}

impl TicketState {
    /// Whether it sits in the Deleted Tickets view.
    pub fn soft_deleted(&self) -> bool {
        self.state.get("SoftDeleted").is_some()
    }
}

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommentState {
    pub id: i64,
    pub ticket_id: i64,
    pub body: String,
    pub html_body: String,
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// An attachment (its content base64, as the snapshot has it: compared, never decoded).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AttachmentState {
    pub id: i64,
    pub file_name: String,
    pub content: String,
    pub ticket_id: Option<i64>,
}

/// An audit (only which ticket it belongs to).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditState {
    pub id: i64,
    pub ticket_id: i64,
}

/// A held email.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SuspendedState {
    pub id: i64,
    pub author_email: String,
    pub content: String,
}

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(default)]
    users: Vec<UserState>,
    #[serde(default)]
    identities: Vec<IdentityState>,
    #[serde(default)]
    tickets: Vec<TicketState>,
    #[serde(default)]
    comments: Vec<CommentState>,
    #[serde(default)]
    attachments: Vec<AttachmentState>,
    #[serde(default)]
    audits: Vec<AuditState>,
    #[serde(default)]
    suspended_tickets: Vec<SuspendedState>,
}

/// One account's state, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountState {
    pub users: BTreeMap<i64, UserState>,
    pub identities: BTreeMap<i64, IdentityState>,
    pub tickets: BTreeMap<i64, TicketState>,
    pub comments: BTreeMap<i64, CommentState>,
    pub attachments: BTreeMap<i64, AttachmentState>,
    pub audits: BTreeMap<i64, AuditState>,
    pub suspended: BTreeMap<i64, SuspendedState>,
    /// Ids of permanently deleted tickets (`GET /__mock/ticket_records`).
    pub ticket_records: Vec<i64>,
}

impl AccountState {
    /// Reads `{"version":1,"accounts":[{...}]}` and the ticket records reply
    /// (`{"ticket_records":[{"id",...}]}`).
    pub fn from_snapshot(snapshot: &Value, records: &Value) -> Result<Self, String> {
        let account = snapshot
            .pointer("/accounts/0")
            .ok_or("the snapshot has no account")?;
        let raw: Raw =
            serde_json::from_value(account.clone()).map_err(|e| format!("snapshot: {e}"))?;
        let ticket_records = records["ticket_records"]
            .as_array()
            .map(|all| all.iter().filter_map(|r| r["id"].as_i64()).collect())
            .unwrap_or_default();
        Ok(Self {
            users: raw.users.into_iter().map(|u| (u.id, u)).collect(),
            identities: raw.identities.into_iter().map(|i| (i.id, i)).collect(),
            tickets: raw.tickets.into_iter().map(|t| (t.id, t)).collect(),
            comments: raw.comments.into_iter().map(|c| (c.id, c)).collect(),
            attachments: raw.attachments.into_iter().map(|a| (a.id, a)).collect(),
            audits: raw.audits.into_iter().map(|a| (a.id, a)).collect(),
            suspended: raw
                .suspended_tickets
                .into_iter()
                .map(|s| (s.id, s))
                .collect(),
            ticket_records,
        })
    }

    /// The identity values of a user, sorted.
    pub fn identity_values(&self, user_id: i64) -> Vec<String> {
        let mut values: Vec<String> = self
            .identities
            .values()
            .filter(|i| i.user_id == user_id)
            .map(|i| i.value.clone())
            .collect();
        values.sort();
        values
    }

    /// Whether a ticket was permanently deleted: gone from the store (its record kept).
    pub fn permanently_deleted(&self, ticket_id: i64) -> bool {
        !self.tickets.contains_key(&ticket_id)
    }
}
