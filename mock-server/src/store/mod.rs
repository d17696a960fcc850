//! The domain: accounts and the Zendesk rules that govern their data. Nothing here knows about
//! HTTP; handlers call these methods and render what they return.
//!
//! Reading order: [`Registry`] (all accounts) → [`account`] (one account, one lock) →
//! [`users`], [`identities`], [`user_deletion`], [`user_queries`] (the rules) → [`jobs`] (bulk
//! work) → [`auth`] (who is calling) → [`events`] and [`journal`] (what happened) → [`seed`]
//! → [`snapshot`] (the whole state as versioned JSON, and the state file) → [`incremental`]
//! (what changed since a time, for exports).

pub mod account;
pub mod attachments;
pub mod auth;
pub mod broken;
pub use broken::BrokenRule;
pub mod clock;
pub mod comment_text;
pub mod comments;
pub mod events;
pub mod faults;
pub mod identities;
pub mod incremental;
pub mod jobs;
pub mod journal;
pub mod lifecycle;
pub mod rate_limits;
pub mod redact_markup;
pub mod redaction;
pub mod residue;
pub mod search;
pub mod seed;
pub mod seed_tickets;
pub mod snapshot;
pub mod suspended_tickets;
pub mod ticket_deletion;
pub mod ticket_queries;
pub mod tickets;
pub mod user_deletion;
pub mod user_queries;
pub mod users;

pub use account::{Account, AccountData, JobMode, Plan, Settings};
pub use auth::{Caller, Credentials, OAuthToken};

use crate::error::{ApiError, ApiResult};
use dashmap::DashMap;
use identities::{IdentityType, NewIdentity};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use users::{Role, UserInput};

/// Zendesk resource ids are int64.
pub type Id = i64;

/// The owner admin every account starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerSpec {
    pub name: String,
    pub email: String,
    pub token: String,
}

/// Capacities for each account's bounded logs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub journal_entries: usize,
    pub events: usize,
}

impl Default for Limits {
    /// About a day of heavy CI use per account stays within a few MB: entries are ~200 bytes.
    fn default() -> Self {
        Self {
            journal_entries: 10_000,
            events: 10_000,
        }
    }
}

/// All accounts of the server, and the index from credentials to the account that owns them
/// (design.md "Account resolution").
#[derive(Debug)]
pub struct Registry {
    accounts: DashMap<String, Arc<Account>>,
    /// API and OAuth tokens → subdomain.
    tokens: DashMap<String, String>,
    default_subdomain: parking_lot::RwLock<Option<String>>,
    pub limits: Limits,
    /// Where `POST /__mock/snapshot/save` and shutdown write every account (`--state`).
    state_file: Option<PathBuf>,
}

impl Registry {
    pub fn new(limits: Limits) -> Self {
        Self {
            accounts: DashMap::new(),
            tokens: DashMap::new(),
            default_subdomain: parking_lot::RwLock::new(None),
            limits,
            state_file: None,
        }
    }

    /// The same registry, saving to `path` ([`Self::save_to`] via [`Self::state_file`]).
    pub fn with_state_file(mut self, path: PathBuf) -> Self {
        self.state_file = Some(path);
        self
    }

    /// The state file, when the server has one (`--state FILE`).
    pub fn state_file(&self) -> Option<&Path> {
        self.state_file.as_deref()
    }

    /// Creates an account with its owner admin (verified email, API token). The first account
    /// created becomes the default account. Subdomains are lowercase DNS labels.
    pub fn create_account(&self, subdomain: &str, owner: &OwnerSpec) -> ApiResult<Arc<Account>> {
        let subdomain = subdomain.trim().to_lowercase();
        if !is_subdomain(&subdomain) {
            return Err(ApiError::record_invalid(
                "subdomain",
                format!("Subdomain: {subdomain} is not a valid subdomain"),
            ));
        }
        if self.tokens.contains_key(&owner.token) {
            return Err(ApiError::record_invalid(
                "token",
                "Token: is already in use by another account",
            ));
        }
        let data = new_account_data(&subdomain, owner, self.limits.events)?;
        let account = Arc::new(Account::new(data, self.limits.journal_entries));
        match self.accounts.entry(subdomain.clone()) {
            dashmap::Entry::Occupied(_) => {
                return Err(ApiError::record_invalid(
                    "subdomain",
                    format!("Subdomain: {subdomain} has already been taken"),
                ));
            }
            dashmap::Entry::Vacant(slot) => {
                slot.insert(account.clone());
            }
        }
        self.tokens.insert(owner.token.clone(), subdomain.clone());
        let mut default = self.default_subdomain.write();
        if default.is_none() {
            *default = Some(subdomain);
        }
        Ok(account)
    }

    /// Empties an account back to its owner admin, keeping its settings and clock.
    pub fn reset_account(&self, account: &Account) -> ApiResult<()> {
        let fresh = account.read(|data| -> ApiResult<AccountData> {
            let owner = data.user(data.owner_id)?;
            let spec = OwnerSpec {
                name: owner.name.clone(),
                email: data.primary_email(owner.id).unwrap_or_default().to_owned(),
                token: data.api_tokens.first().cloned().unwrap_or_default(),
            };
            let mut fresh = new_account_data(&data.subdomain, &spec, self.limits.events)?;
            fresh.settings = data.settings.clone();
            fresh.clock = data.clock.clone();
            Ok(fresh)
        })?;
        let old_tokens = account.write(|data| {
            let old: Vec<String> = data
                .api_tokens
                .iter()
                .chain(data.oauth_tokens.keys())
                .cloned()
                .collect();
            *data = fresh;
            data.events.push(data.now(), events::Event::AccountReset);
            old
        });
        self.reindex_tokens(account, &old_tokens);
        account.journal().clear();
        account.clear_rate_limits();
        account.faults(|faults| faults.clear());
        Ok(())
    }

    /// Brings the token index in line with the account's tokens after a bulk change
    /// (seed, reset): drops `old` tokens, adds the current ones.
    pub fn reindex_tokens(&self, account: &Account, old: &[String]) {
        for token in old {
            self.tokens
                .remove_if(token, |_, owner| *owner == account.subdomain);
        }
        let current: Vec<String> = account.read(|data| {
            data.api_tokens
                .iter()
                .chain(data.oauth_tokens.keys())
                .cloned()
                .collect()
        });
        for token in current {
            self.tokens.insert(token, account.subdomain.clone());
        }
    }

    pub fn get(&self, subdomain: &str) -> Option<Arc<Account>> {
        self.accounts
            .get(&subdomain.to_lowercase())
            .map(|a| a.value().clone())
    }

    /// The account that owns an API or OAuth token.
    pub fn by_token(&self, token: &str) -> Option<Arc<Account>> {
        let subdomain = self.tokens.get(token)?.value().clone();
        self.get(&subdomain)
    }

    pub fn default_account(&self) -> Option<Arc<Account>> {
        let subdomain = self.default_subdomain.read().clone()?;
        self.get(&subdomain)
    }

    /// Removes an account and its tokens. Returns false if there was none.
    pub fn remove(&self, subdomain: &str) -> bool {
        let Some((subdomain, _)) = self.accounts.remove(&subdomain.to_lowercase()) else {
            return false;
        };
        self.tokens.retain(|_, owner| *owner != subdomain);
        let mut default = self.default_subdomain.write();
        if default.as_deref() == Some(subdomain.as_str()) {
            *default = None;
        }
        true
    }

    /// Every account (for the lifecycle ticker).
    pub fn accounts(&self) -> Vec<Arc<Account>> {
        self.accounts.iter().map(|a| a.value().clone()).collect()
    }

    /// Subdomains, sorted.
    pub fn subdomains(&self) -> Vec<String> {
        let mut names: Vec<String> = self.accounts.iter().map(|a| a.key().clone()).collect();
        names.sort();
        names
    }
}

/// A fresh account's data: the owner admin with a verified email identity and the API token.
fn new_account_data(
    subdomain: &str,
    owner: &OwnerSpec,
    event_capacity: usize,
) -> ApiResult<AccountData> {
    // Job ids derive from the subdomain, so the same account replays the same ids.
    let salt = subdomain.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        account::splitmix64(h ^ u64::from(b))
    });
    let mut data = AccountData::empty(subdomain, salt, event_capacity);
    let input = UserInput {
        name: Some(owner.name.clone()),
        role: Some(Role::Admin.as_str().to_owned()),
        identities: Some(vec![NewIdentity::new(
            IdentityType::Email,
            &owner.email,
            true,
        )]),
        ..UserInput::default()
    };
    let owner_id = data.create_user(None, &input)?;
    data.owner_id = owner_id;
    data.api_tokens.push(owner.token.clone());
    // The owner comes with the account; its creation is not an event a test should see.
    data.events.clear();
    Ok(data)
}

/// A DNS label: 1–63 of `a-z0-9-`, not starting or ending with `-`.
fn is_subdomain(text: &str) -> bool {
    (1..=63).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}
