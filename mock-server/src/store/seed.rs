//! Seeding a world from JSON (`POST /__mock/seed`, `--seed FILE`, the embedded demo account).
//! A seed is applied atomically: it runs on a copy of the account and replaces it only if every
//! record was accepted, so a bad seed never leaves half a world behind.

use super::account::AccountData;
use super::clock::parse_rfc3339;
use super::events::Event;
use super::users::{Lifecycle, UserInput};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// A world to load. Later surfaces (tickets, organizations) add their own lists.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// Extra account API tokens.
    #[serde(default)]
    pub api_tokens: Vec<String>,
    #[serde(default)]
    pub oauth_tokens: Vec<SeedOAuthToken>,
    /// Tickets with their comments and attachments ([`super::seed_tickets`]).
    #[serde(default)]
    pub tickets: Vec<super::seed_tickets::SeedTicket>,
    /// Emails from suspended senders, held in the suspended-tickets queue.
    #[serde(default)]
    pub suspended_tickets: Vec<super::suspended_tickets::Submission>,
}

/// A user to create: the API's `user` object plus seed-only keys.
#[derive(Debug, Clone, Deserialize)]
pub struct SeedUser {
    /// A name for this user within the seed, reported back with its id and usable by
    /// `oauth_tokens[].user`.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// `"soft"` or `"permanent"`: leave the user deleted.
    pub deleted: Option<SeedDeletion>,
    /// RFC 3339 creation time (defaults to the account clock's now).
    pub created_at: Option<String>,
    #[serde(flatten)]
    pub user: UserInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeedDeletion {
    Soft,
    Permanent,
}

/// An OAuth token for a seeded user (by `ref` or email).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOAuthToken {
    pub token: String,
    pub user: String,
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    vec!["read".to_owned(), "write".to_owned()]
}

impl World {
    /// Parses a seed document, turning serde's complaint into a Zendesk-style 400.
    pub fn from_json(value: Value) -> ApiResult<Self> {
        serde_json::from_value(value)
            .map_err(|e| ApiError::invalid_json(format!("Invalid seed: {e}")))
    }
}

impl AccountData {
    /// Applies a world to a copy of this account; on success the copy replaces it. Returns
    /// `{"users":[ids in seed order], "refs":{ref: id}}`.
    pub fn seed(&mut self, world: &World) -> ApiResult<Value> {
        let mut next = self.clone();
        let report = next.apply_world(world)?;
        *self = next;
        Ok(report)
    }

    /// Users first, then tickets (their requesters must exist), then held submissions, then
    /// the users' deletions — a seed describes an end state, and a user whose tickets are all
    /// closed may be deleted with them in place (the placeholder scenario).
    fn apply_world(&mut self, world: &World) -> ApiResult<Value> {
        let owner = self
            .caller_for(self.owner_id)
            .ok_or(ApiError::RecordNotFound)?;
        let mut ids: Vec<Id> = Vec::new();
        let mut refs = Map::new();
        for (index, seed) in world.users.iter().enumerate() {
            let id = self
                .seed_user(seed)
                .map_err(|e| seed_error("users", index, &e))?;
            ids.push(id);
            if let Some(reference) = &seed.reference {
                refs.insert(reference.clone(), json!(id));
            }
        }
        let mut ticket_ids = Vec::new();
        for (index, seed) in world.tickets.iter().enumerate() {
            let id = self
                .seed_ticket(&owner, seed, &refs)
                .map_err(|e| seed_error("tickets", index, &e))?;
            ticket_ids.push(id);
            if let Some(reference) = &seed.reference {
                refs.insert(reference.clone(), json!(id));
            }
        }
        let mut suspended_ids = Vec::new();
        for (index, submission) in world.suspended_tickets.iter().enumerate() {
            match self
                .submit(submission, "email")
                .map_err(|e| seed_error("suspended_tickets", index, &e))?
            {
                super::suspended_tickets::Submitted::Suspended(id) => suspended_ids.push(id),
                super::suspended_tickets::Submitted::Ticket(_) => {
                    return Err(ApiError::invalid_json(format!(
                        "Invalid seed: suspended_tickets[{index}]: the sender {} is not a suspended user",
                        submission.email
                    )));
                }
            }
        }
        for (index, (seed, id)) in world.users.iter().zip(&ids).enumerate() {
            self.seed_deletion(&owner, *id, seed.deleted)
                .map_err(|e| seed_error("users", index, &e))?;
        }
        for token in &world.api_tokens {
            if !self.api_tokens.contains(token) {
                self.api_tokens.push(token.clone());
            }
        }
        for grant in &world.oauth_tokens {
            let user_id = self.seed_user_ref(&grant.user, &refs)?;
            self.grant_oauth_token(&grant.token, user_id, grant.scopes.clone())?;
        }
        let now = self.now();
        self.events.push(now, Event::WorldSeeded);
        Ok(
            json!({"users": ids, "tickets": ticket_ids, "suspended_tickets": suspended_ids, "refs": refs}),
        )
    }

    /// A user named in a seed by `ref` or by email.
    pub(crate) fn seed_user_ref(&self, name: &str, refs: &Map<String, Value>) -> ApiResult<Id> {
        refs.get(name)
            .and_then(Value::as_i64)
            .or_else(|| self.active_user_by_identity(super::identities::IdentityType::Email, name))
            .ok_or_else(|| {
                ApiError::invalid_json(format!(
                    "Invalid seed: no user `{name}` (a ref or an email)"
                ))
            })
    }

    fn seed_user(&mut self, seed: &SeedUser) -> ApiResult<Id> {
        if let Some(key) = seed.user.unknown.keys().next() {
            return Err(ApiError::invalid_json(format!(
                "unknown user field `{key}`"
            )));
        }
        let id = self.create_user(None, &seed.user)?;
        if let Some(created_at) = &seed.created_at {
            let at = parse_rfc3339(created_at).ok_or_else(|| {
                ApiError::invalid_json(format!("created_at `{created_at}` is not RFC 3339"))
            })?;
            let user = self.user_mut(id)?;
            user.created_at = at;
            user.updated_at = at;
        }
        Ok(id)
    }
}

impl AccountData {
    fn seed_deletion(
        &mut self,
        owner: &Caller,
        id: Id,
        deletion: Option<SeedDeletion>,
    ) -> ApiResult<()> {
        match deletion {
            None => Ok(()),
            Some(SeedDeletion::Soft) => self.soft_delete_user(owner, id),
            Some(SeedDeletion::Permanent) => {
                self.soft_delete_user(owner, id)?;
                let Lifecycle::SoftDeleted { at } = self.user(id)?.lifecycle else {
                    return Err(ApiError::RecordNotFound);
                };
                self.scrub_user(id, at)
            }
        }
    }
}

/// Says which seed record failed, keeping the Zendesk error shape.
fn seed_error(list: &str, index: usize, error: &ApiError) -> ApiError {
    ApiError::invalid_json(format!(
        "Invalid seed: {list}[{index}]: {}",
        error.summary()
    ))
}
