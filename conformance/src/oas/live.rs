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
    })
}
