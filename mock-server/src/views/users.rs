//! Users as agents and admins see them (`UserForAdmin`), as end users see them
//! (`UserForEndUser`), as deleted users (`DeletedUserObject`), and the anonymous pseudo-user.

use super::api_url;
use crate::store::AccountData;
use crate::store::clock::iso8601;
use crate::store::users::{Role, User};
use crate::store::{Caller, Id};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Zendesk's numeric locale ids for the locales the mock knows; others read as en-US's.
fn locale_id(locale: &str) -> i64 {
    match locale {
        "en-US" => 1,
        "es" => 2,
        "de" => 8,
        "fr" => 16,
        "it" => 22,
        "pt-BR" => 19,
        "ja" => 67,
        _ => 1,
    }
}

/// `iana_time_zone`: IANA names pass through; Rails names map to their zone.
fn iana(time_zone: &str) -> &str {
    match time_zone {
        "Eastern Time (US & Canada)" => "America/New_York",
        "Central Time (US & Canada)" => "America/Chicago",
        "Pacific Time (US & Canada)" => "America/Los_Angeles",
        "London" => "Europe/London",
        "Rome" => "Europe/Rome",
        "UTC" => "Etc/UTC",
        other => other,
    }
}

/// The admin/agent view (`UserForAdmin`), keys in the recorded order.
///
/// A typed view rather than a `json!` value: the fields borrow from the store and serialize
/// straight to bytes, with no map built and dropped per user. Show user and list users are the
/// mock's hottest calls (issue #9 measured half their CPU in building and dropping the value);
/// [`UserView::to_value`] serves the callers that embed a user in a larger `Value`.
#[derive(Debug, Serialize)]
pub struct UserView<'a> {
    id: Id,
    url: String,
    name: &'a str,
    email: Option<&'a str>,
    created_at: String,
    updated_at: String,
    time_zone: &'a str,
    iana_time_zone: &'a str,
    phone: Option<&'a str>,
    shared_phone_number: Option<bool>,
    photo: Option<()>,
    locale_id: i64,
    locale: &'a str,
    organization_id: Option<Id>,
    role: &'static str,
    verified: bool,
    external_id: Option<&'a str>,
    tags: &'a [String],
    alias: Option<&'a str>,
    active: bool,
    shared: bool,
    shared_agent: bool,
    last_login_at: Option<String>,
    two_factor_auth_enabled: Option<bool>,
    signature: Option<&'a str>,
    details: Option<&'a str>,
    notes: Option<&'a str>,
    role_type: Option<i64>,
    custom_role_id: Option<Id>,
    moderator: bool,
    ticket_restriction: Option<&'a str>,
    only_private_comments: bool,
    restricted_agent: bool,
    suspended: bool,
    default_group_id: Option<Id>,
    report_csv: bool,
    user_fields: &'a Map<String, Value>,
}

/// The end-user view: the reduced field set of `UserForEndUser`.
#[derive(Debug, Serialize)]
pub struct EndUserView<'a> {
    id: Id,
    url: String,
    name: &'a str,
    email: Option<&'a str>,
    created_at: String,
    updated_at: String,
    time_zone: &'a str,
    iana_time_zone: &'a str,
    locale: &'a str,
    locale_id: i64,
    organization_id: Option<Id>,
    phone: Option<&'a str>,
    shared_phone_number: Option<bool>,
    photo: Option<()>,
    role: &'static str,
    verified: bool,
}

/// A user as some caller sees it: the admin view or the end-user view.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum UserFor<'a> {
    Staff(UserView<'a>),
    EndUser(EndUserView<'a>),
}

impl UserView<'_> {
    pub fn to_value(&self) -> Value {
        super::to_value(self)
    }
}

impl UserFor<'_> {
    pub fn to_value(&self) -> Value {
        super::to_value(self)
    }
}

/// The admin/agent view. Role-dependent defaults follow the recorded end user and admin
/// (`role_type` 4, `moderator`, `report_csv` for admins).
pub fn user<'a>(data: &'a AccountData, user: &'a User, origin: &str) -> UserView<'a> {
    let admin = user.role == Role::Admin;
    UserView {
        id: user.id,
        url: api_url(origin, &format!("users/{}", user.id)),
        name: &user.name,
        email: data.primary_email(user.id),
        created_at: iso8601(user.created_at),
        updated_at: iso8601(user.updated_at),
        time_zone: &user.time_zone,
        iana_time_zone: iana(&user.time_zone),
        phone: user.phone.as_deref(),
        shared_phone_number: user.shared_phone_number,
        photo: None,
        locale_id: locale_id(&user.locale),
        locale: &user.locale,
        organization_id: user.organization_id,
        role: user.role.as_str(),
        verified: data.user_verified(user.id),
        external_id: user.external_id.as_deref(),
        tags: &user.tags,
        alias: user.alias.as_deref(),
        active: user.is_active(),
        shared: false,
        shared_agent: false,
        last_login_at: user.last_login_at.map(iso8601),
        two_factor_auth_enabled: (!user.role.is_staff()).then_some(false),
        signature: user.signature.as_deref(),
        details: user.details.as_deref(),
        notes: user.notes.as_deref(),
        role_type: match user.role {
            Role::EndUser => None,
            Role::Agent => Some(0),
            Role::Admin => Some(4),
        },
        custom_role_id: user.custom_role_id,
        moderator: user.moderator || admin,
        ticket_restriction: user.ticket_restriction.as_deref(),
        only_private_comments: user.only_private_comments,
        restricted_agent: user.role == Role::EndUser,
        suspended: user.suspended,
        default_group_id: user.default_group_id,
        report_csv: admin,
        user_fields: &user.user_fields,
    }
}

/// The user as `caller` sees it: the admin view for staff, the end-user view otherwise.
pub fn for_caller<'a>(
    data: &'a AccountData,
    user: &'a User,
    caller: &Caller,
    origin: &str,
) -> UserFor<'a> {
    if caller.role.is_staff() {
        UserFor::Staff(self::user(data, user, origin))
    } else {
        UserFor::EndUser(end_user(data, user, origin))
    }
}

/// The end-user view.
pub fn end_user<'a>(data: &'a AccountData, user: &'a User, origin: &str) -> EndUserView<'a> {
    EndUserView {
        id: user.id,
        url: api_url(origin, &format!("users/{}", user.id)),
        name: &user.name,
        email: data.primary_email(user.id),
        created_at: iso8601(user.created_at),
        updated_at: iso8601(user.updated_at),
        time_zone: &user.time_zone,
        iana_time_zone: iana(&user.time_zone),
        locale: &user.locale,
        locale_id: locale_id(&user.locale),
        organization_id: user.organization_id,
        phone: user.phone.as_deref(),
        shared_phone_number: user.shared_phone_number,
        photo: None,
        role: user.role.as_str(),
        verified: data.user_verified(user.id),
    }
}

/// `DeletedUserObject`. A permanently deleted user renders its scrubbed record: the
/// placeholder name and null personal fields. `shared_phone_number` is null here: the schema
/// types it string-or-null (unlike the boolean of the user views) and its example shows null.
pub fn deleted_user(data: &AccountData, user: &User, origin: &str) -> Value {
    json!({
        "id": user.id,
        "url": api_url(origin, &format!("deleted_users/{}", user.id)),
        "name": user.name,
        "email": data.primary_email(user.id),
        "created_at": iso8601(user.created_at),
        "updated_at": iso8601(user.updated_at),
        "time_zone": user.time_zone,
        "phone": user.phone,
        "shared_phone_number": null,
        "photo": null,
        "locale_id": locale_id(&user.locale),
        "locale": user.locale,
        "organization_id": user.organization_id,
        "role": user.role.as_str(),
        "active": false,
    })
}

/// `authenticity_token` of `/users/me`: a CSRF token for help-center JavaScript. Any stable
/// opaque string serves; it is derived from the user id so snapshots stay deterministic.
pub fn authenticity_token(user_id: Option<i64>) -> String {
    let seed = crate::store::account::splitmix64(user_id.unwrap_or(0) as u64);
    format!(
        "{seed:016x}{:016x}",
        crate::store::account::splitmix64(seed)
    )
}

/// `/users/me` for a caller without credentials: live Zendesk answers 200 with a user named
/// "Anonymous user" (recorded); the other fields are INFERRED (null id, end-user role).
pub fn anonymous(locale: &str, time_zone: &str) -> Value {
    json!({
        "id": null, "url": null, "name": "Anonymous user", "email": null,
        "created_at": null, "updated_at": null, "time_zone": time_zone, "iana_time_zone": iana(time_zone),
        "locale": locale, "locale_id": locale_id(locale), "organization_id": null, "phone": null,
        "shared_phone_number": null, "photo": null, "role": "end-user", "verified": false,
        "authenticity_token": authenticity_token(None),
    })
}
