//! Snapshots: an account's whole state as versioned JSON (`GET`/`PUT /__mock/snapshot`), and
//! every account's in the state file (`--state FILE`, [`file`]).
//!
//! A snapshot holds, per account, everything [`AccountData`] holds: subdomain, clock,
//! settings, id counters, owner, API and OAuth tokens, users, identities, tickets, comments,
//! audits, attachments (bytes as base64), uploads, records of permanently deleted tickets,
//! suspended tickets, jobs (with the work and caller of unfinished ones) and the event log.
//! Collections are arrays of records in id order, so a duplicate id is visible and refused.
//!
//! Not in it, by design: the request journal (traffic, not state; it starts empty), injected
//! faults and rate-limit counters (test scaffolding and per-minute windows, cleared on reset
//! too), and the identity index (derived: rebuilt from the identities of active users).
//!
//! Loading is all or nothing: [`AccountSnapshot::into_data`] builds complete accounts and
//! checks them (ids unique, references resolvable, counters ahead of every id, one active
//! holder per identity value) before anything is swapped in. A document of another format
//! version is refused: [`FORMAT_VERSION`] goes up whenever the shape changes, and an older
//! version will be migrated when a newer one exists.

mod file;
mod restore;
#[cfg(test)]
mod tests;

pub use file::{Saved, StateFileError, load, save_atomically};

use super::account::{Account, AccountData, IdGen, Settings};
use super::attachments::{Attachment, Upload};
use super::clock::Clock;
use super::comments::{Audit, Comment};
use super::events::Recorded;
use super::identities::Identity;
use super::jobs::{Job, JobState, dispatch};
use super::suspended_tickets::SuspendedTicket;
use super::ticket_deletion::TicketRecord;
use super::tickets::Ticket;
use super::users::User;
use super::{Id, Registry};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// The snapshot format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A versioned document of accounts: `{"version":1,"default_account":"demo","accounts":[…]}`
/// (`default_account` only in a whole-server snapshot).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub version: u32,
    /// The account requests without a subdomain or token resolve to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_account: Option<String>,
    pub accounts: Vec<AccountSnapshot>,
}

/// One account's whole state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSnapshot {
    pub subdomain: String,
    pub clock: Clock,
    pub settings: Settings,
    /// The id counters and the account's salt (job ids, tokens, the account id).
    pub ids: IdGen,
    pub owner_id: Id,
    pub api_tokens: Vec<String>,
    /// Sorted by token.
    pub oauth_tokens: Vec<OAuthGrant>,
    pub users: Vec<User>,
    pub identities: Vec<Identity>,
    pub tickets: Vec<Ticket>,
    pub comments: Vec<Comment>,
    pub audits: Vec<Audit>,
    pub attachments: Vec<Attachment>,
    pub uploads: Vec<Upload>,
    pub ticket_records: Vec<TicketRecord>,
    pub suspended_tickets: Vec<SuspendedTicket>,
    pub jobs: Vec<Job>,
    pub events: EventsSnapshot,
}

/// An OAuth access token and the user it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthGrant {
    pub token: String,
    pub user_id: Id,
    pub scopes: Vec<String>,
}

/// The event log: its entries, oldest first, and the number the next one gets. Its capacity
/// is the loading server's (`--event-entries`), not the snapshot's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsSnapshot {
    pub next_seq: u64,
    /// As `GET /__mock/events` lists them (`{"seq","at","type",…}`), `at` in epoch seconds.
    pub entries: Vec<Recorded>,
}

impl Snapshot {
    /// One account, as `GET /__mock/snapshot` returns it.
    pub fn of_account(account: &Account) -> Self {
        Self {
            version: FORMAT_VERSION,
            default_account: None,
            accounts: vec![account.read(AccountSnapshot::capture)],
        }
    }

    /// Reads a snapshot file's bytes: JSON, of this [`FORMAT_VERSION`], with no unknown field.
    /// The error says what is wrong (with line and column when the JSON is at fault).
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
        check_version(&value)?;
        let snapshot = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        check_nothing_ignored(&value, &snapshot)?;
        Ok(snapshot)
    }

    /// Reads a snapshot document already parsed as JSON (a `PUT /__mock/snapshot` body).
    pub fn from_value(value: Value) -> Result<Self, String> {
        check_version(&value)?;
        let snapshot = Self::deserialize(&value).map_err(|e| e.to_string())?;
        check_nothing_ignored(&value, &snapshot)?;
        Ok(snapshot)
    }
}

/// Most records refuse unknown fields as they are read; a few shapes serde cannot make strict
/// (a unit variant of a tagged enum, a flattened event) would ignore one. Writing the snapshot
/// back and finding each key of the document in it closes that gap.
fn check_nothing_ignored(document: &Value, snapshot: &Snapshot) -> Result<(), String> {
    let written = serde_json::to_value(snapshot).map_err(|e| e.to_string())?;
    match ignored_key(document, &written) {
        Some(pointer) => Err(format!("unknown field at {pointer}")),
        None => Ok(()),
    }
}

/// The JSON pointer of the first key of `document` that `written` lacks.
fn ignored_key(document: &Value, written: &Value) -> Option<String> {
    match (document, written) {
        (Value::Object(document), Value::Object(written)) => {
            document
                .iter()
                .find_map(|(key, value)| match written.get(key) {
                    None => Some(format!("/{key}")),
                    Some(same) => ignored_key(value, same).map(|rest| format!("/{key}{rest}")),
                })
        }
        (Value::Array(document), Value::Array(written)) => document
            .iter()
            .zip(written)
            .enumerate()
            .find_map(|(i, (value, same))| {
                ignored_key(value, same).map(|rest| format!("/{i}{rest}"))
            }),
        _ => None,
    }
}

/// The version is checked before the shape, so a newer file says so instead of failing on
/// whichever field changed.
fn check_version(value: &Value) -> Result<(), String> {
    let Value::Object(fields) = value else {
        return Err("not a snapshot: expected an object with `version` and `accounts`".into());
    };
    let Some(version) = fields.get("version") else {
        return Err("no `version`: not a zendesk-mock snapshot".into());
    };
    match version.as_u64() {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        Some(v) if v > u64::from(FORMAT_VERSION) => Err(format!(
            "format version {v} is newer than this zendesk-mock reads ({FORMAT_VERSION}); \
             load it with a newer zendesk-mock"
        )),
        _ => Err(format!(
            "unknown format version {version}; this zendesk-mock reads version {FORMAT_VERSION}"
        )),
    }
}

impl AccountSnapshot {
    /// Copies an account's state (call it under the account's lock, via [`Account::read`]).
    pub fn capture(data: &AccountData) -> Self {
        let mut oauth_tokens: Vec<OAuthGrant> = data
            .oauth_tokens
            .iter()
            .map(|(token, grant)| OAuthGrant {
                token: token.clone(),
                user_id: grant.user_id,
                scopes: grant.scopes.clone(),
            })
            .collect();
        oauth_tokens.sort_by(|a, b| a.token.cmp(&b.token));
        Self {
            subdomain: data.subdomain.clone(),
            clock: data.clock.clone(),
            settings: data.settings.clone(),
            ids: data.ids.clone(),
            owner_id: data.owner_id,
            api_tokens: data.api_tokens.clone(),
            oauth_tokens,
            users: data.users.values().cloned().collect(),
            identities: data.identities.values().cloned().collect(),
            tickets: data.tickets.values().cloned().collect(),
            comments: data.comments.values().cloned().collect(),
            audits: data.audits.values().cloned().collect(),
            attachments: data.attachments.values().cloned().collect(),
            uploads: data.uploads.values().cloned().collect(),
            ticket_records: data.ticket_records.clone(),
            suspended_tickets: data.suspended_tickets.values().cloned().collect(),
            jobs: data.jobs.values().cloned().collect(),
            events: EventsSnapshot {
                next_seq: data.events.next_seq(),
                entries: data.events.iter().cloned().collect(),
            },
        }
    }
}

/// A refused snapshot: 400 InvalidJSON naming the reason.
fn invalid(reason: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_json(format!("Invalid snapshot: {reason}"))
}

impl Registry {
    /// Every account's state, by subdomain, with the default account named.
    pub fn snapshot(&self) -> Snapshot {
        let accounts = self
            .subdomains()
            .iter()
            .filter_map(|s| self.get(s))
            .map(|account| account.read(AccountSnapshot::capture))
            .collect();
        Snapshot {
            version: FORMAT_VERSION,
            default_account: self.default_subdomain.read().clone(),
            accounts,
        }
    }

    /// Replaces every account with the snapshot's, all or nothing: each account is built and
    /// checked, subdomains and tokens must be unique across accounts, and only then are the
    /// accounts, the token index and the default account swapped in. Meant for start-up
    /// (`--state`): requests served meanwhile could see the swap half done.
    pub fn restore(&self, snapshot: Snapshot) -> ApiResult<()> {
        if snapshot.version != FORMAT_VERSION {
            return Err(invalid(format!("format version {}", snapshot.version)));
        }
        if let Some(default) = &snapshot.default_account
            && !snapshot.accounts.iter().any(|a| &a.subdomain == default)
        {
            return Err(invalid(format!(
                "no account `{default}`, the default account"
            )));
        }
        let mut built: Vec<AccountData> = Vec::new();
        let mut owners = std::collections::HashMap::new();
        for account in snapshot.accounts {
            let subdomain = account.subdomain.clone();
            let data = account
                .into_data(self.limits.events)
                .map_err(|reason| invalid(format!("account `{subdomain}`: {reason}")))?;
            if built.iter().any(|d| d.subdomain == subdomain) {
                return Err(invalid(format!("two accounts `{subdomain}`")));
            }
            for token in restore::tokens(&data) {
                if let Some(other) = owners.insert(token, subdomain.clone()) {
                    return Err(invalid(format!(
                        "accounts `{other}` and `{subdomain}` share a token"
                    )));
                }
            }
            built.push(data);
        }
        self.accounts.clear();
        self.tokens.clear();
        for data in built {
            let account = Arc::new(Account::new(data, self.limits.journal_entries));
            self.accounts.insert(account.subdomain.clone(), account);
        }
        for (token, subdomain) in owners {
            self.tokens.insert(token, subdomain);
        }
        *self.default_subdomain.write() = snapshot.default_account;
        Ok(())
    }

    /// Replaces one account's state with the single account of `snapshot` (`PUT
    /// /__mock/snapshot`), all or nothing. The account keeps its subdomain; the state takes the
    /// document's tokens, which no other account may hold. Journal, faults and rate-limit
    /// counters are left alone.
    pub fn restore_account(&self, account: &Account, snapshot: Snapshot) -> ApiResult<()> {
        if snapshot.version != FORMAT_VERSION {
            return Err(invalid(format!("format version {}", snapshot.version)));
        }
        let [mut state] = <[AccountSnapshot; 1]>::try_from(snapshot.accounts)
            .map_err(|all| invalid(format!("{} accounts; PUT takes one", all.len())))?;
        account.subdomain.clone_into(&mut state.subdomain);
        let data = state.into_data(self.limits.events).map_err(invalid)?;
        for token in restore::tokens(&data) {
            if let Some(owner) = self.tokens.get(&token)
                && *owner != account.subdomain
            {
                return Err(invalid(format!(
                    "a token of the snapshot belongs to account `{}`",
                    *owner
                )));
            }
        }
        let old = account.write(|current| {
            let old = restore::tokens(current);
            *current = data;
            old
        });
        self.reindex_tokens(account, &old);
        Ok(())
    }

    /// Writes [`Self::snapshot`] to `path` atomically ([`save_atomically`]). Saves run one at
    /// a time, each taking its snapshot inside the turn, so the file ends with the newest.
    pub fn save_to(&self, path: &Path) -> Result<Saved, StateFileError> {
        static SAVING: parking_lot::Mutex<()> = parking_lot::Mutex::new(());
        let _turn = SAVING.lock();
        let snapshot = self.snapshot();
        let bytes = save_atomically(path, &snapshot)?;
        Ok(Saved {
            path: path.to_owned(),
            accounts: snapshot.accounts.len(),
            bytes,
        })
    }
}

/// Starts the unfinished jobs of a loaded account as its job mode says (immediate: now;
/// background: on a task, so call it inside the runtime; manual: they stay held).
pub fn resume_jobs(account: &Arc<Account>) {
    let unfinished: Vec<String> = account.read(|data| {
        data.jobs
            .values()
            .filter(|j| matches!(j.state, JobState::Queued | JobState::Working))
            .map(|j| j.id.clone())
            .collect()
    });
    for id in unfinished {
        dispatch(account, &id);
    }
}

/// Attachment bytes as standard base64 text.
pub(crate) mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text)
            .map_err(|e| serde::de::Error::custom(format!("content is not base64: {e}")))
    }
}
