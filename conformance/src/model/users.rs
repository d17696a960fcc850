//! The rules for users, identities and user deletion, written from the facts sheet (§2, §3)
//! and design.md's decisions. Where Zendesk is silent, the rule says INFERRED and why.

use super::state::{IdentityKind, Model, Pos, UserState};
use super::views::{DeletedUserView, IdentityView, JobResults, Lenient, Ref, Response, UserView};

/// The name a permanently deleted user shows (facts §3.4).
pub const PLACEHOLDER_NAME: &str = "Permanently Deleted User";

/// 404 `RecordNotFound` (facts §2).
pub fn not_found() -> Response {
    error(404, "RecordNotFound", None, None)
}

/// 422 `RecordInvalid` on `field`, with the detail's description when Zendesk's wording is
/// known.
pub fn invalid(field: &str, description: Option<String>) -> Response {
    error(422, "RecordInvalid", Some(field), description)
}

/// 400 `TooManyValues` with the recorded description (the parameter name really is blank).
pub fn too_many_values() -> Response {
    error(
        400,
        "TooManyValues",
        None,
        Some("Parameter  cannot specify more than 100 values".to_owned()),
    )
}

fn error(status: u16, error: &str, field: Option<&str>, description: Option<String>) -> Response {
    Response::Error {
        status,
        error: error.to_owned(),
        field: field.map(str::to_owned),
        description,
    }
}

/// The most ids a bulk call takes (facts §2).
pub const MAX_BULK_IDS: usize = 100;

/// A value Zendesk's sources disagree on keeping after a soft delete: kept, or null.
fn kept_or_null(value: Option<&str>) -> Lenient<String> {
    match value {
        Some(v) => Lenient::NullOr(v.to_owned()),
        None => Lenient::Is(None),
    }
}

impl Model {
    /// `user` as the admin view shows it. A soft-deleted user keeps its name and shows
    /// `active:false`; its email and phone may be null (facts §3.4: sources conflict).
    pub fn user_view(&self, user: Pos) -> UserView {
        let u = &self.users[user];
        let (email, phone) = if u.is_active() {
            (
                Lenient::Is(u.email().map(str::to_owned)),
                Lenient::Is(u.phone.clone()),
            )
        } else {
            (kept_or_null(u.email()), kept_or_null(u.phone.as_deref()))
        };
        UserView {
            user,
            name: u.name.clone(),
            email,
            phone,
            active: u.is_active(),
            suspended: u.suspended,
        }
    }

    /// `deleted_user`: the soft-deleted user, or the placeholder with every personal field
    /// null once permanently deleted (facts §3.4).
    pub fn deleted_user_view(&self, user: Pos) -> DeletedUserView {
        let u = &self.users[user];
        match u.state {
            UserState::PermanentlyDeleted => DeletedUserView {
                user,
                name: PLACEHOLDER_NAME.to_owned(),
                email: Lenient::Is(None),
                phone: Lenient::Is(None),
                active: false,
            },
            _ => DeletedUserView {
                user,
                name: u.name.clone(),
                email: kept_or_null(u.email()),
                phone: kept_or_null(u.phone.as_deref()),
                active: u.is_active(),
            },
        }
    }

    pub fn identity_views(&self, user: Pos) -> Vec<IdentityView> {
        self.users[user]
            .identities
            .iter()
            .map(|i| IdentityView {
                kind: i.kind.as_str().to_owned(),
                value: i.value.clone(),
                primary: i.primary,
            })
            .collect()
    }

    /// `POST /users`: 201; a duplicate email is 422 on `email` (facts §2, ZD2 run live). The
    /// email becomes the primary email identity, the phone a phone identity (INFERRED: the
    /// identity Zendesk keeps for `phone`).
    pub(super) fn create_user(
        &mut self,
        name: &str,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Response {
        if let Some(email) = email
            && self.holder(IdentityKind::Email, email).is_some()
        {
            return invalid(
                "email",
                Some(format!(
                    "Email: {email} is already being used by another user"
                )),
            );
        }
        let mut user = super::state::User {
            name: name.to_owned(),
            owner: false,
            state: UserState::Active,
            suspended: false,
            phone: phone.map(str::to_owned),
            identities: Vec::new(),
        };
        if let Some(email) = email {
            user.add_identity(IdentityKind::Email, email);
        }
        if let Some(phone) = phone {
            user.add_identity(IdentityKind::Phone, phone);
        }
        self.users.push(user);
        Response::User {
            status: 201,
            user: self.user_view(self.users.len() - 1),
        }
    }

    /// `PUT /users/{id}`: `email` adds a secondary identity and never replaces the primary;
    /// repeating it adds nothing (facts §3.5, rectification rule). A user without an email
    /// gets it as primary (the first identity of a type is primary). An email another active
    /// user holds is 422. Deleted users are 404 (INFERRED: Zendesk documents no update of a
    /// deleted user, and the delete cannot be undone).
    pub(super) fn update_user(
        &mut self,
        user: Pos,
        name: Option<&str>,
        email: Option<&str>,
    ) -> Response {
        if !self.users[user].is_active() {
            return not_found();
        }
        let new_email = email.filter(|e| !self.users[user].has_identity(IdentityKind::Email, e));
        if let Some(email) = new_email
            && self.holder(IdentityKind::Email, email).is_some()
        {
            return invalid(
                "email",
                Some(format!(
                    "Email: {email} is already being used by another user"
                )),
            );
        }
        let u = &mut self.users[user];
        if let Some(name) = name {
            name.clone_into(&mut u.name);
        }
        if let Some(email) = new_email {
            u.add_identity(IdentityKind::Email, email);
        }
        Response::User {
            status: 200,
            user: self.user_view(user),
        }
    }

    /// `POST /users/{id}/identities`: 201; a value any active user holds (this one
    /// included) is 422 on `value` (facts §2, ZD2).
    pub(super) fn add_email_identity(&mut self, user: Pos, email: &str) -> Response {
        if !self.users[user].is_active() {
            return not_found();
        }
        if self.holder(IdentityKind::Email, email).is_some() {
            return invalid(
                "value",
                Some(format!(
                    "Value: {email} is already being used by another user"
                )),
            );
        }
        let u = &mut self.users[user];
        u.add_identity(IdentityKind::Email, email);
        let identity = u.identities.last().map(|i| IdentityView {
            kind: i.kind.as_str().to_owned(),
            value: i.value.clone(),
            primary: i.primary,
        });
        match identity {
            Some(identity) => Response::Identity {
                status: 201,
                identity,
            },
            None => not_found(),
        }
    }

    /// `PUT /users/{id} {"user":{"suspended":…}}` (facts §3.6).
    pub(super) fn suspend(&mut self, user: Pos, suspended: bool) -> Response {
        if !self.users[user].is_active() {
            return not_found();
        }
        self.users[user].suspended = suspended;
        Response::User {
            status: 200,
            user: self.user_view(user),
        }
    }

    /// `DELETE /users/{id}`, the soft delete (facts §3.4, design.md):
    /// - a permanently deleted user is 404 (`GET /users/{id}` no longer finds it);
    /// - a soft-deleted user answers 200 again (INFERRED: `GET /users/{id}` still finds it,
    ///   and nothing is left to refuse);
    /// - the owner is 403;
    /// - a requester of any live ticket that is not closed is 422 on `base`, "User is
    ///   requester on N ticket(s) that are not closed." (solved counts; soft-deleted tickets
    ///   do not);
    /// - otherwise 200 with `active:false`, and the identities are freed for reuse.
    pub(super) fn delete_user(&mut self, user: Pos) -> Response {
        match self.users[user].state {
            UserState::PermanentlyDeleted => return not_found(),
            UserState::SoftDeleted { .. } => {
                return Response::User {
                    status: 200,
                    user: self.user_view(user),
                };
            }
            UserState::Active => {}
        }
        if self.users[user].owner {
            return error(403, "Forbidden", None, None);
        }
        let unclosed = self.unclosed_requested(user);
        if unclosed > 0 {
            return invalid(
                "base",
                Some(format!(
                    "User is requester on {unclosed} ticket(s) that are not closed."
                )),
            );
        }
        self.users[user].state = UserState::SoftDeleted { at: self.now };
        Response::User {
            status: 200,
            user: self.user_view(user),
        }
    }

    /// `DELETE /deleted_users/{id}`: only a soft-deleted user qualifies (facts §3.4: "must be
    /// soft-deleted first"; an active or already scrubbed one is 404, INFERRED from the route
    /// resolving deleted users only). 200 with the placeholder.
    pub(super) fn permanently_delete_user(&mut self, user: Pos) -> Response {
        if !matches!(self.users[user].state, UserState::SoftDeleted { .. }) {
            return not_found();
        }
        self.scrub_user(user);
        Response::DeletedUser {
            status: 200,
            user: self.deleted_user_view(user),
        }
    }

    /// What a permanent delete leaves (by the API, or the 30-day purge): the placeholder, no
    /// identities, no phone. The rename happens at once here; live Zendesk does it some time
    /// after (facts §3.4), which a client cannot tell from "soon".
    pub(super) fn scrub_user(&mut self, user: Pos) {
        let u = &mut self.users[user];
        u.state = UserState::PermanentlyDeleted;
        PLACEHOLDER_NAME.clone_into(&mut u.name);
        u.identities.clear();
        u.phone = None;
    }

    /// `DELETE /users/destroy_many?ids=`: more than 100 ids is 400 TooManyValues (facts §2);
    /// otherwise a job whose items obey the single delete's rules, failures reported as failed
    /// items (INFERRED shape, facts §3.3), and ids naming nobody fail.
    pub(super) fn destroy_many_users(&mut self, users: &[Pos], unknown: usize) -> Response {
        if users.len() + unknown > MAX_BULK_IDS {
            return too_many_values();
        }
        let mut items: Vec<(Ref, bool)> = users
            .iter()
            .map(|&user| {
                let ok = matches!(self.delete_user(user), Response::User { status: 200, .. });
                (Ref::User(user), ok)
            })
            .collect();
        items.extend((0..unknown).map(|k| (Ref::Unknown(k), false)));
        Response::Job {
            status: 200,
            total: Some((users.len() + unknown) as u64),
            job_status: "completed".to_owned(),
            results: JobResults::Items(items),
        }
    }

    /// `GET /users/{id}`: soft-deleted users are still shown, with `active:false` (facts §3.3,
    /// RB-live); permanently deleted ones are 404 (design.md).
    pub(super) fn show_user(&self, user: Pos) -> Response {
        if self.users[user].state == UserState::PermanentlyDeleted {
            return not_found();
        }
        Response::User {
            status: 200,
            user: self.user_view(user),
        }
    }

    /// `GET /deleted_users/{id}`: a soft-deleted user, or the placeholder once permanently
    /// deleted (INFERRED: the list keeps them, facts §3.4); a user never deleted is 404
    /// (INFERRED).
    pub(super) fn show_deleted_user(&self, user: Pos) -> Response {
        if self.users[user].is_active() {
            return not_found();
        }
        Response::DeletedUser {
            status: 200,
            user: self.deleted_user_view(user),
        }
    }

    /// `GET /users/{id}/tickets/requested`, what an access request exports: the user's live
    /// tickets (facts §3.3, §11). A soft-deleted user's still list (INFERRED: the user is still
    /// shown); a permanently deleted user is 404 (INFERRED, as `GET /users/{id}`).
    pub(super) fn requested_tickets(&self, user: Pos) -> Response {
        if self.users[user].state == UserState::PermanentlyDeleted {
            return not_found();
        }
        let tickets = (0..self.tickets.len())
            .filter(|&t| self.tickets[t].is_active() && self.tickets[t].requester == user)
            .map(|t| self.ticket_view(t))
            .collect();
        Response::Tickets {
            status: 200,
            tickets,
        }
    }

    /// `GET /users/search?query=`: active users (INFERRED: deleted users are listed apart, in
    /// deleted_users). An email finds the user holding it through any identity and shows the
    /// primary email (facts §3.3, ZD2); a word finds users with a name word starting with it
    /// (facts §7: whole words and prefixes).
    pub(super) fn search_users(&self, query: &str) -> Response {
        let wanted = query.to_lowercase();
        let users = (0..self.users.len())
            .filter(|&p| self.users[p].is_active())
            .filter(|&p| {
                let u = &self.users[p];
                if query.contains('@') {
                    u.has_identity(IdentityKind::Email, query)
                } else {
                    u.name
                        .split_whitespace()
                        .any(|w| w.to_lowercase().starts_with(&wanted))
                }
            })
            .map(|p| self.user_view(p))
            .collect();
        Response::Users { status: 200, users }
    }
}
