//! Users: the record, its input shape, and the create/update rules (facts §3.1–3.3, §3.5–3.6).
//! Deletion lives in [`super::user_deletion`], look-ups in [`super::user_queries`].

use super::account::AccountData;
use super::clock::Timestamp;
use super::events::Event;
use super::identities::{IdentityType, NewIdentity, is_email};
use super::{Caller, Id};
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A user's role. The account owner is an admin that [`AccountData::owner_id`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    EndUser,
    Agent,
    Admin,
}

impl Role {
    /// Parses Zendesk's role names; anything else is a validation error.
    pub fn parse(text: &str) -> ApiResult<Self> {
        match text {
            "end-user" | "end_user" => Ok(Self::EndUser),
            "agent" => Ok(Self::Agent),
            "admin" => Ok(Self::Admin),
            other => Err(ApiError::record_invalid(
                "role",
                format!("Role: {other} is not valid"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndUser => "end-user",
            Self::Agent => "agent",
            Self::Admin => "admin",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Self::EndUser
    }
}

/// Where a user is in the deletion lifecycle (facts §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum Lifecycle {
    Active,
    /// Soft-deleted: still shown by `GET /users/{id}` with `active:false`, listed in deleted_users.
    SoftDeleted {
        at: Timestamp,
    },
    /// Permanently deleted: every personal field scrubbed; only the placeholder remains.
    PermanentlyDeleted {
        at: Timestamp,
        soft_deleted_at: Timestamp,
    },
}

/// The name every view shows once a user is permanently deleted.
pub const PLACEHOLDER_NAME: &str = "Permanently Deleted User";

/// A user record. `email` is not stored: it is the value of the primary email identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: Id,
    pub name: String,
    pub role: Role,
    pub lifecycle: Lifecycle,
    pub external_id: Option<String>,
    pub alias: Option<String>,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub signature: Option<String>,
    pub phone: Option<String>,
    pub shared_phone_number: Option<bool>,
    pub time_zone: String,
    pub locale: String,
    pub organization_id: Option<Id>,
    pub default_group_id: Option<Id>,
    pub custom_role_id: Option<Id>,
    pub tags: Vec<String>,
    pub user_fields: Map<String, Value>,
    pub suspended: bool,
    pub moderator: bool,
    pub only_private_comments: bool,
    pub ticket_restriction: Option<String>,
    /// Only consulted when the account allows password authentication.
    pub password: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
}

impl User {
    pub fn is_active(&self) -> bool {
        self.lifecycle == Lifecycle::Active
    }

    pub fn is_permanently_deleted(&self) -> bool {
        matches!(self.lifecycle, Lifecycle::PermanentlyDeleted { .. })
    }
}

/// Deserializes a present field — `null` included — as `Some(..)`, so a patch can tell
/// "absent" (`None`) from "set to null" (`Some(None)`).
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Reads a boolean the way Rails coerces parameters: `true`/`false`, and also the strings
/// `"true"`/`"false"`/`"1"`/`"0"` and the numbers 1/0 — real clients send `"verified": "true"`
/// (ethyca/fides' Zendesk fixtures), and Zendesk accepts it.
pub(crate) fn lenient_bool<'de, D>(deserializer: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Option::<Value>::deserialize(deserializer)?;
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) if matches!(s.as_str(), "true" | "1") => Ok(Some(true)),
        Some(Value::String(s)) if matches!(s.as_str(), "false" | "0" | "") => Ok(Some(false)),
        Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected a boolean, got {other}"
        ))),
    }
}

/// The `user` object clients send to create, update, create_or_update and the bulk forms.
/// Absent fields are left alone; unknown keys are collected for the `X-Zendesk-API-Warn` header.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserInput {
    pub id: Option<Id>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub alias: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub details: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub notes: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub signature: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub organization_id: Option<Option<Id>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_group_id: Option<Option<Id>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_role_id: Option<Option<Id>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub ticket_restriction: Option<Option<String>>,
    pub time_zone: Option<String>,
    pub locale: Option<String>,
    pub tags: Option<Vec<String>>,
    pub user_fields: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub verified: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub suspended: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub moderator: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub only_private_comments: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub skip_verify_email: Option<bool>,
    pub password: Option<String>,
    pub identities: Option<Vec<NewIdentity>>,
    /// Keys Zendesk would drop with an `X-Zendesk-API-Warn` header.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

/// What create_or_update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Created(Id),
    Updated(Id),
}

impl AccountData {
    /// `POST /users`: validates, creates the user and its identities, records the event.
    pub fn create_user(&mut self, caller: Option<&Caller>, input: &UserInput) -> ApiResult<Id> {
        let role = input
            .role
            .as_deref()
            .map(Role::parse)
            .transpose()?
            .unwrap_or(Role::EndUser);
        if let Some(caller) = caller {
            caller.require_staff()?;
            // Only admins create agents and admins (Zendesk: "Agents can only create end users").
            if role.is_staff() && caller.role != Role::Admin {
                return Err(ApiError::Forbidden);
            }
        }
        let name = input.name.as_deref().map(str::trim).unwrap_or("");
        if name.is_empty() {
            // INFERRED wording, modelled on the recorded "Requester: Name:  is too short" (facts §2).
            return Err(ApiError::record_invalid(
                "name",
                "Name:  is too short (minimum is 1 character)",
            ));
        }
        let email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if let Some(email) = email {
            self.check_new_email(email)?;
        }
        if let Some(Some(external_id)) = &input.external_id {
            self.check_external_id_free(external_id, None)?;
        }
        // Every identity is checked before anything is written, so a failure leaves no trace.
        let mut wanted: Vec<(IdentityType, String)> = email
            .map(|e| (IdentityType::Email, e.to_owned()))
            .into_iter()
            .collect();
        for identity in input.identities.iter().flatten() {
            wanted.push((IdentityType::parse(&identity.kind)?, identity.value.clone()));
        }
        self.precheck_identities(&wanted)?;
        let now = self.now();
        let id = self.ids.next_id();
        let user = User {
            id,
            name: name.to_owned(),
            role,
            lifecycle: Lifecycle::Active,
            external_id: None,
            alias: None,
            details: None,
            notes: None,
            signature: None,
            phone: None,
            shared_phone_number: None,
            time_zone: self.settings.time_zone.clone(),
            locale: self.settings.locale.clone(),
            organization_id: None,
            default_group_id: None,
            custom_role_id: None,
            tags: Vec::new(),
            user_fields: Map::new(),
            suspended: false,
            moderator: false,
            only_private_comments: false,
            ticket_restriction: (role == Role::EndUser).then(|| "requested".to_owned()),
            password: None,
            created_at: now,
            updated_at: now,
            last_login_at: None,
        };
        self.users.insert(id, user);
        // Recorded before the identities, so the log reads in causal order.
        self.events.push(now, Event::UserCreated { user_id: id });
        let verified = input.verified.unwrap_or(false);
        if let Some(email) = email {
            self.add_identity(id, NewIdentity::new(IdentityType::Email, email, verified))?;
        }
        for identity in input.identities.iter().flatten() {
            let mut identity = identity.clone();
            identity.verified = Some(identity.verified.unwrap_or(verified));
            self.add_identity(id, identity)?;
        }
        self.apply_user_fields(id, input)?;
        Ok(id)
    }

    /// `PUT /users/{id}`: applies the present fields. `email` adds a secondary identity rather
    /// than replacing the primary one (facts §3.5, "Rectification rule").
    pub fn update_user(&mut self, caller: &Caller, id: Id, input: &UserInput) -> ApiResult<()> {
        let target = self.writable_user(caller, id)?;
        if let Some(role) = input.role.as_deref().map(Role::parse).transpose()?
            && role != target.role
            && caller.role != Role::Admin
        {
            return Err(ApiError::Forbidden);
        }
        let was_suspended = target.suspended;
        let new_email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty() && !self.user_has_identity(id, IdentityType::Email, e));
        // Every check runs before the first write, so a refused update changes nothing.
        if let Some(email) = new_email {
            self.check_new_email(email)?;
        }
        if let Some(Some(external_id)) = &input.external_id {
            self.check_external_id_free(external_id, Some(id))?;
        }
        if let Some(email) = new_email {
            self.add_identity(id, NewIdentity::new(IdentityType::Email, email, false))?;
        }
        self.apply_user_fields(id, input)?;
        let now = self.now();
        let user = self.user_mut(id)?;
        user.updated_at = now;
        let suspended = user.suspended;
        self.events.push(now, Event::UserUpdated { user_id: id });
        if suspended != was_suspended {
            let event = if suspended {
                Event::UserSuspended { user_id: id }
            } else {
                Event::UserUnsuspended { user_id: id }
            };
            self.events.push(now, event);
        }
        Ok(())
    }

    /// `POST /users/create_or_update`: matches an active user by external_id, then by any email
    /// identity (case-insensitive), and updates it; otherwise creates one.
    pub fn create_or_update_user(
        &mut self,
        caller: &Caller,
        input: &UserInput,
    ) -> ApiResult<Upsert> {
        let by_external = input
            .external_id
            .clone()
            .flatten()
            .and_then(|external_id| self.active_user_by_external_id(&external_id));
        let by_email = || {
            input
                .email
                .as_deref()
                .and_then(|email| self.active_user_by_identity(IdentityType::Email, email))
        };
        match by_external.or_else(by_email) {
            Some(id) => {
                self.update_user(caller, id, input)?;
                Ok(Upsert::Updated(id))
            }
            None => self.create_user(Some(caller), input).map(Upsert::Created),
        }
    }

    /// Writes the plain fields of `input` onto user `id`, checking external_id uniqueness.
    fn apply_user_fields(&mut self, id: Id, input: &UserInput) -> ApiResult<()> {
        if let Some(Some(external_id)) = &input.external_id {
            self.check_external_id_free(external_id, Some(id))?;
        }
        if let Some(Some(phone)) = &input.phone {
            let phone = phone.trim();
            if !phone.is_empty() && !self.user_has_identity(id, IdentityType::PhoneNumber, phone) {
                // Zendesk lets several users share a phone number; the second holder gets no
                // identity and `shared_phone_number:true` (INFERRED from the field's meaning).
                if self
                    .check_identity_free(IdentityType::PhoneNumber, phone, None)
                    .is_ok()
                {
                    self.add_identity(
                        id,
                        NewIdentity::new(IdentityType::PhoneNumber, phone, false),
                    )?;
                    self.user_mut(id)?.shared_phone_number = Some(false);
                } else {
                    self.user_mut(id)?.shared_phone_number = Some(true);
                }
            }
        }
        let user = self.user_mut(id)?;
        if let Some(name) = input
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            name.clone_into(&mut user.name);
        }
        if let Some(role) = input.role.as_deref().map(Role::parse).transpose()? {
            user.role = role;
            user.ticket_restriction = (role == Role::EndUser).then(|| "requested".to_owned());
        }
        let set = |slot: &mut Option<String>, value: &Option<Option<String>>| {
            if let Some(value) = value {
                *slot = value
                    .as_deref()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned);
            }
        };
        set(&mut user.external_id, &input.external_id);
        set(&mut user.alias, &input.alias);
        set(&mut user.details, &input.details);
        set(&mut user.notes, &input.notes);
        set(&mut user.signature, &input.signature);
        set(&mut user.phone, &input.phone);
        set(&mut user.ticket_restriction, &input.ticket_restriction);
        if user.phone.is_none() {
            user.shared_phone_number = None;
        }
        if let Some(value) = input.organization_id {
            user.organization_id = value;
        }
        if let Some(value) = input.default_group_id {
            user.default_group_id = value;
        }
        if let Some(value) = input.custom_role_id {
            user.custom_role_id = value;
        }
        if let Some(time_zone) = &input.time_zone {
            time_zone.clone_into(&mut user.time_zone);
        }
        if let Some(locale) = &input.locale {
            locale.clone_into(&mut user.locale);
        }
        if let Some(tags) = &input.tags {
            user.tags = normalize_tags(tags);
        }
        if let Some(fields) = &input.user_fields {
            user.user_fields.extend(fields.clone());
        }
        if let Some(value) = input.suspended {
            user.suspended = value;
        }
        if let Some(value) = input.moderator {
            user.moderator = value;
        }
        if let Some(value) = input.only_private_comments {
            user.only_private_comments = value;
        }
        if let Some(password) = &input.password {
            user.password = Some(password.clone());
        }
        Ok(())
    }

    /// The `email` field's own checks, with the field-named messages Zendesk gives (facts §2).
    fn check_new_email(&self, email: &str) -> ApiResult<()> {
        if !is_email(email) {
            return Err(ApiError::record_invalid(
                "email",
                format!("Email: {email} is not properly formatted"),
            ));
        }
        self.check_identity_free(IdentityType::Email, email, None)
            .map_err(|_| {
                ApiError::record_invalid(
                    "email",
                    format!("Email: {email} is already being used by another user"),
                )
            })
    }

    fn check_external_id_free(&self, external_id: &str, owner: Option<Id>) -> ApiResult<()> {
        match self.active_user_by_external_id(external_id) {
            Some(holder) if Some(holder) != owner => {
                // The key really is `name` in the recorded body (facts §2, ZD2 run live).
                Err(ApiError::record_invalid(
                    "name",
                    "External has already been taken",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The active user whose external_id matches, case-insensitively (facts §3.1).
    pub fn active_user_by_external_id(&self, external_id: &str) -> Option<Id> {
        let wanted = external_id.trim().to_lowercase();
        self.users
            .values()
            .find(|u| {
                u.is_active()
                    && u.external_id
                        .as_deref()
                        .is_some_and(|e| e.to_lowercase() == wanted)
            })
            .map(|u| u.id)
    }

    /// A user by id, in any lifecycle state.
    /// Marks a user changed at `now` by a change to their identities, so incremental exports
    /// carry the new email or phone (INFERRED).
    pub(crate) fn touch_user(&mut self, id: Id, now: super::clock::Timestamp) {
        if let Some(user) = self.users.get_mut(&id) {
            user.updated_at = user.updated_at.max(now);
        }
    }

    pub fn user(&self, id: Id) -> ApiResult<&User> {
        self.users.get(&id).ok_or(ApiError::RecordNotFound)
    }

    pub(crate) fn user_mut(&mut self, id: Id) -> ApiResult<&mut User> {
        self.users.get_mut(&id).ok_or(ApiError::RecordNotFound)
    }
}

/// Zendesk stores tags lowercased and without duplicates; a space inside a tag string splits it
/// into two tags.
pub fn normalize_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().flat_map(|t| t.split_whitespace()) {
        let tag = tag.to_lowercase();
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}
