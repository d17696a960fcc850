//! User identities: the emails, phone numbers and handles a user is known by (facts §3.5).
//!
//! Uniqueness is enforced through `identity_index`, which holds only the identities of *active*
//! users: soft-deleting a user releases its identities for reuse (facts §3.4, ZD2 run live),
//! while the records themselves stay until the permanent delete scrubs them.

use super::account::AccountData;
use super::clock::Timestamp;
use super::events::Event;
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};

/// Identity types Zendesk knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityType {
    Email,
    Twitter,
    Facebook,
    Google,
    PhoneNumber,
    AgentForwarding,
    AnyChannel,
    Foreign,
    Sdk,
    Messaging,
}

impl IdentityType {
    /// Parses a type name; unknown names are a validation error (INFERRED wording).
    pub fn parse(text: &str) -> ApiResult<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_owned()))
            .map_err(|_| ApiError::record_invalid("type", format!("Type: {text} is not valid")))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Twitter => "twitter",
            Self::Facebook => "facebook",
            Self::Google => "google",
            Self::PhoneNumber => "phone_number",
            Self::AgentForwarding => "agent_forwarding",
            Self::AnyChannel => "any_channel",
            Self::Foreign => "foreign",
            Self::Sdk => "sdk",
            Self::Messaging => "messaging",
        }
    }

    /// The form used for uniqueness: emails and handles ignore case, phone numbers keep only
    /// `+` and digits, so `+1 202 555 0100` and `+12025550100` are the same number.
    pub fn normalize(self, value: &str) -> String {
        match self {
            Self::PhoneNumber => value
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
            _ => value.trim().to_lowercase(),
        }
    }
}

/// An identity record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub id: Id,
    pub user_id: Id,
    pub kind: IdentityType,
    pub value: String,
    pub verified: bool,
    pub primary: bool,
    pub verified_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The `identity` object clients send on create (also used inside `user.identities`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewIdentity {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub verified: Option<bool>,
    pub primary: Option<bool>,
}

impl NewIdentity {
    pub fn new(kind: IdentityType, value: &str, verified: bool) -> Self {
        Self {
            kind: kind.as_str().to_owned(),
            value: value.to_owned(),
            verified: Some(verified),
            primary: None,
        }
    }
}

/// The writable fields of `PUT /users/{user_id}/identities/{id}`. `primary` is not among them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IdentityPatch {
    pub value: Option<String>,
    pub verified: Option<bool>,
}

impl AccountData {
    /// Adds an identity to a user, enforcing format and uniqueness. The first identity of a type
    /// becomes primary; a later one only when it asks to (`primary` is writable on create only).
    pub fn add_identity(&mut self, user_id: Id, new: NewIdentity) -> ApiResult<Id> {
        let kind = IdentityType::parse(&new.kind)?;
        let value = validate_value(kind, &new.value)?;
        self.check_identity_free(kind, &value, None)?;
        let has_primary = self
            .identities_of_user(user_id)
            .any(|i| i.kind == kind && i.primary);
        let primary = !has_primary || new.primary == Some(true);
        if primary {
            self.clear_primary(user_id, kind);
        }
        let now = self.now();
        let verified = new.verified.unwrap_or(false);
        let id = self.ids.next_id();
        self.identity_index
            .insert((kind, kind.normalize(&value)), id);
        self.identities_by_user.insert((user_id, id));
        self.identities.insert(
            id,
            Identity {
                id,
                user_id,
                kind,
                value,
                verified,
                primary,
                verified_at: verified.then_some(now),
                created_at: now,
                updated_at: now,
            },
        );
        self.events.push(
            now,
            Event::IdentityCreated {
                user_id,
                identity_id: id,
            },
        );
        self.touch_user(user_id, now);
        Ok(id)
    }

    /// `POST /users/{user_id}/identities`.
    pub fn create_identity(
        &mut self,
        caller: &Caller,
        user_id: Id,
        new: NewIdentity,
    ) -> ApiResult<Id> {
        self.writable_user(caller, user_id)?;
        self.add_identity(user_id, new)
    }

    /// The identities of a user, oldest first, optionally of the given types only.
    pub fn identities_of(
        &self,
        caller: &Caller,
        user_id: Id,
        types: &[IdentityType],
    ) -> ApiResult<Vec<&Identity>> {
        self.readable_user(caller, user_id)?;
        Ok(self
            .identities_of_user(user_id)
            .filter(|i| types.is_empty() || types.contains(&i.kind))
            .filter(|i| visible_to(caller, i))
            .collect())
    }

    /// `GET /users/{user_id}/identities/{id}`.
    pub fn identity(&self, caller: &Caller, user_id: Id, id: Id) -> ApiResult<&Identity> {
        self.readable_user(caller, user_id)?;
        // What the caller's list hides, a show hides too: 404, not visible (facts §2).
        self.owned_identity(user_id, id)
            .ok()
            .filter(|i| visible_to(caller, i))
            .ok_or(ApiError::RecordNotFound)
    }

    /// `PUT /users/{user_id}/identities/{id}`: value and verified only.
    pub fn update_identity(
        &mut self,
        caller: &Caller,
        user_id: Id,
        id: Id,
        patch: &IdentityPatch,
    ) -> ApiResult<()> {
        self.writable_user(caller, user_id)?;
        let (kind, old_value) = {
            let identity = self.owned_identity(user_id, id)?;
            (identity.kind, identity.value.clone())
        };
        let now = self.now();
        if let Some(value) = &patch.value {
            let value = validate_value(kind, value)?;
            self.check_identity_free(kind, &value, Some(id))?;
            self.identity_index
                .remove(&(kind, kind.normalize(&old_value)));
            self.identity_index
                .insert((kind, kind.normalize(&value)), id);
            self.identity_mut(id)?.value = value;
        }
        let identity = self.identity_mut(id)?;
        if let Some(verified) = patch.verified {
            identity.verified = verified;
            identity.verified_at = verified.then_some(now);
        }
        identity.updated_at = now;
        self.events.push(
            now,
            Event::IdentityUpdated {
                user_id,
                identity_id: id,
            },
        );
        self.touch_user(user_id, now);
        Ok(())
    }

    /// `DELETE /users/{user_id}/identities/{id}`. Deleting the primary is allowed and nothing is
    /// promoted in its place (facts §3.5, ZD2 run live): the user then has no primary email.
    pub fn delete_identity(&mut self, caller: &Caller, user_id: Id, id: Id) -> ApiResult<()> {
        self.writable_user(caller, user_id)?;
        let identity = self.owned_identity(user_id, id)?;
        let key = (identity.kind, identity.kind.normalize(&identity.value));
        self.identity_index.remove(&key);
        self.identities.remove(&id);
        self.identities_by_user.remove(&(user_id, id));
        let now = self.now();
        self.events.push(
            now,
            Event::IdentityDeleted {
                user_id,
                identity_id: id,
            },
        );
        self.touch_user(user_id, now);
        Ok(())
    }

    /// `PUT .../identities/{id}/make_primary`: exactly one primary of that type afterwards.
    /// Primary is per type, so a user keeps a primary email and a primary phone (INFERRED: the
    /// agent UI offers "make primary" among identities of one type).
    pub fn make_primary(&mut self, caller: &Caller, user_id: Id, id: Id) -> ApiResult<()> {
        self.writable_user(caller, user_id)?;
        let identity = self.owned_identity(user_id, id)?;
        // End users may only promote a verified identity (facts §3.5).
        if !caller.role.is_staff() && !identity.verified {
            return Err(ApiError::Forbidden);
        }
        let kind = identity.kind;
        self.clear_primary(user_id, kind);
        let now = self.now();
        let identity = self.identity_mut(id)?;
        identity.primary = true;
        identity.updated_at = now;
        self.events.push(
            now,
            Event::IdentityMadePrimary {
                user_id,
                identity_id: id,
            },
        );
        self.touch_user(user_id, now);
        Ok(())
    }

    /// `PUT .../identities/{id}/verify`. Not allowed on the account owner's email (OAS), which
    /// we answer with 403 (INFERRED).
    pub fn verify_identity(&mut self, caller: &Caller, user_id: Id, id: Id) -> ApiResult<()> {
        self.writable_user(caller, user_id)?;
        let identity = self.owned_identity(user_id, id)?;
        if user_id == self.owner_id && identity.kind == IdentityType::Email {
            return Err(ApiError::Forbidden);
        }
        let now = self.now();
        let identity = self.identity_mut(id)?;
        identity.verified = true;
        identity.verified_at = Some(now);
        identity.updated_at = now;
        self.events.push(
            now,
            Event::IdentityVerified {
                user_id,
                identity_id: id,
            },
        );
        self.touch_user(user_id, now);
        Ok(())
    }

    /// `PUT .../identities/{id}/request_verification`: Zendesk sends an email; we record it.
    pub fn request_verification(&mut self, caller: &Caller, user_id: Id, id: Id) -> ApiResult<()> {
        self.writable_user(caller, user_id)?;
        self.owned_identity(user_id, id)?;
        let now = self.now();
        self.events.push(
            now,
            Event::VerificationRequested {
                user_id,
                identity_id: id,
            },
        );
        Ok(())
    }

    /// Checks a batch of identities about to be added to a new user: formats, uniqueness
    /// against the account, and no value twice within the batch.
    pub(crate) fn precheck_identities(&self, wanted: &[(IdentityType, String)]) -> ApiResult<()> {
        let mut seen = std::collections::HashSet::new();
        for (kind, value) in wanted {
            let value = validate_value(*kind, value)?;
            self.check_identity_free(*kind, &value, None)?;
            if !seen.insert((*kind, kind.normalize(&value))) {
                return Err(ApiError::record_invalid(
                    "value",
                    format!("Value: {value} is already being used by another user"),
                ));
            }
        }
        Ok(())
    }

    /// `Ok` when no active user holds `value` (of this type) other than identity `except`;
    /// otherwise the recorded "already being used" 422.
    pub fn check_identity_free(
        &self,
        kind: IdentityType,
        value: &str,
        except: Option<Id>,
    ) -> ApiResult<()> {
        let unique = self.keeps(super::BrokenRule::UniqueIdentities);
        match self.identity_index.get(&(kind, kind.normalize(value))) {
            Some(holder) if Some(*holder) != except && unique => Err(ApiError::record_invalid(
                "value",
                format!(
                    "Value: {} is already being used by another user",
                    value.trim()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The active user holding this identity value, if any.
    pub fn active_user_by_identity(&self, kind: IdentityType, value: &str) -> Option<Id> {
        let id = self.identity_index.get(&(kind, kind.normalize(value)))?;
        self.identities.get(id).map(|i| i.user_id)
    }

    pub fn user_has_identity(&self, user_id: Id, kind: IdentityType, value: &str) -> bool {
        let wanted = kind.normalize(value);
        self.identities_of_user(user_id)
            .any(|i| i.kind == kind && kind.normalize(&i.value) == wanted)
    }

    /// `user.email`: the value of the user's primary email identity.
    pub fn primary_email(&self, user_id: Id) -> Option<&str> {
        self.identities_of_user(user_id)
            .find(|i| i.kind == IdentityType::Email && i.primary)
            .map(|i| i.value.as_str())
    }

    /// `user.verified`: true if any identity is verified (facts §3.1).
    pub fn user_verified(&self, user_id: Id) -> bool {
        self.identities_of_user(user_id).any(|i| i.verified)
    }

    /// Panics unless `identities_by_user` holds exactly the identities' (user, id) pairs.
    #[cfg(debug_assertions)]
    pub(crate) fn assert_derived_consistent(&self) {
        let derived: std::collections::BTreeSet<(Id, Id)> = self
            .identities
            .values()
            .map(|i| (i.user_id, i.id))
            .collect();
        assert_eq!(
            self.identities_by_user, derived,
            "identities_by_user out of step with identities"
        );
    }

    /// A user's identities, oldest first.
    pub(crate) fn identities_of_user(&self, user_id: Id) -> impl Iterator<Item = &Identity> + '_ {
        self.identities_by_user
            .range((user_id, Id::MIN)..=(user_id, Id::MAX))
            .filter_map(|(_, id)| self.identities.get(id))
    }

    /// Frees a user's identity values for reuse (soft delete).
    pub(crate) fn release_identities(&mut self, user_id: Id) {
        let keys: Vec<(IdentityType, String)> = self
            .identities_of_user(user_id)
            .map(|i| (i.kind, i.kind.normalize(&i.value)))
            .collect();
        for key in keys {
            // Only if the value is indexed to this user's identity (another active user may
            // hold it since this one's soft delete freed it).
            if let Some(id) = self.identity_index.get(&key)
                && self
                    .identities
                    .get(id)
                    .is_some_and(|i| i.user_id == user_id)
            {
                self.identity_index.remove(&key);
            }
        }
    }

    /// Rebuilds `identity_index` from the identities of active users. The index is not part
    /// of a snapshot (its keys are tuples, and it is derived data), so a loaded account derives
    /// it here; two active users holding one value is refused, naming it.
    pub(crate) fn rebuild_identity_index(&mut self) -> Result<(), String> {
        let mut index = std::collections::HashMap::new();
        let active = self
            .identities
            .values()
            .filter(|i| self.users.get(&i.user_id).is_some_and(|u| u.is_active()));
        for identity in active {
            let key = (identity.kind, identity.kind.normalize(&identity.value));
            if let Some(other) = index.insert(key, identity.id) {
                return Err(format!(
                    "identities {other} and {} of active users share the {} `{}`",
                    identity.id,
                    identity.kind.as_str(),
                    identity.value
                ));
            }
        }
        self.identity_index = index;
        self.identities_by_user = self
            .identities
            .values()
            .map(|i| (i.user_id, i.id))
            .collect();
        Ok(())
    }

    /// Removes a user's identities altogether (permanent delete).
    pub(crate) fn remove_identities(&mut self, user_id: Id) {
        self.release_identities(user_id);
        let ids: Vec<Id> = self.identities_of_user(user_id).map(|i| i.id).collect();
        for id in ids {
            self.identities.remove(&id);
            self.identities_by_user.remove(&(user_id, id));
        }
    }

    fn clear_primary(&mut self, user_id: Id, kind: IdentityType) {
        let ids: Vec<Id> = self.identities_of_user(user_id).map(|i| i.id).collect();
        for id in ids {
            if let Some(identity) = self.identities.get_mut(&id).filter(|i| i.kind == kind) {
                identity.primary = false;
            }
        }
    }

    /// Identity `id`, if it belongs to `user_id` (another user's identity id is 404).
    fn owned_identity(&self, user_id: Id, id: Id) -> ApiResult<&Identity> {
        self.identities
            .get(&id)
            .filter(|i| i.user_id == user_id)
            .ok_or(ApiError::RecordNotFound)
    }

    fn identity_mut(&mut self, id: Id) -> ApiResult<&mut Identity> {
        self.identities.get_mut(&id).ok_or(ApiError::RecordNotFound)
    }
}

/// End users see only their email and phone identities (facts §3.5); staff see all.
fn visible_to(caller: &Caller, identity: &Identity) -> bool {
    caller.role.is_staff()
        || matches!(
            identity.kind,
            IdentityType::Email | IdentityType::PhoneNumber
        )
}

/// Trims the value and checks its format; emails are stored lowercased (INFERRED: Zendesk
/// returns emails in lower case whatever the case sent).
fn validate_value(kind: IdentityType, value: &str) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::record_invalid("value", "Value: cannot be blank"));
    }
    if kind == IdentityType::Email {
        if !is_email(value) {
            return Err(ApiError::record_invalid(
                "value",
                format!("Value: {value} is not properly formatted"),
            ));
        }
        return Ok(value.to_lowercase());
    }
    Ok(value.to_owned())
}

/// A deliberately simple address check: one `@`, a non-empty local part, a dotted domain, no
/// white space — what Zendesk's "is not properly formatted" rejects in practice.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
}
