//! Every kind of object the server returns, fetched over real HTTP, matches Zendesk's published
//! OpenAPI description (`zendesk_conformance::oas`): users in the admin and the end-user view,
//! identities of each type, deleted users (soft-deleted and the permanently deleted
//! placeholder), job statuses (queued, completed, with a failed item), and the envelopes around
//! them.
//!
//! The OAS is stricter than live Zendesk in places: it says string, integer or object where
//! live responses carry `null`. [`allowances`] is the one list of those relaxations, each with
//! its evidence; `every_allowance_is_still_needed_by_some_object` fails as soon as one of them
//! no longer is, so the list cannot silently grow stale.
//!
//! Each test drives one server and collects its objects as [`Samples`], then validates them all
//! at once, so a failure lists every mismatching object rather than the first.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;

use common::{ADMIN_TOKEN, Mock, Reply, wait_for_job};
use serde_json::{Value, json};
use std::sync::OnceLock;
use zendesk_conformance::oas::{Allowances, Oas};

/// The recorded live user that shows which user fields are null in practice: a user created
/// with a name only, as live Zendesk returned it (facts §3.1).
const RECORDED_USER: &str =
    "the recorded live user (zenpy cassette TestUserCreateUpdateDelete, 2023)";

/// Where the published document is stricter than live Zendesk. One shared set for every test
/// in this file; each entry says what differs and where that is known from.
fn allowances() -> &'static Allowances {
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

/// One object to check: what it is (for failure messages), its schema, the JSON.
struct Sample {
    case: String,
    schema: &'static str,
    value: Value,
}

/// The objects a test collected while driving the server.
#[derive(Default)]
struct Samples(Vec<Sample>);

impl Samples {
    #[track_caller]
    fn add(&mut self, case: impl Into<String>, schema: &'static str, value: &Value) {
        let case = case.into();
        assert!(
            Oas::shared().has_schema(schema),
            "{case}: the OAS has no schema `{schema}`"
        );
        assert!(
            value.is_object(),
            "{case}: expected a JSON object to check as `{schema}`, got {value}"
        );
        self.0.push(Sample {
            case,
            schema,
            value: value.clone(),
        });
    }

    fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// One message per sample that does not match its schema under `allowances`.
    fn failures(&self, allowances: &Allowances) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|sample| {
                let violations = Oas::shared()
                    .validate_with(sample.schema, &sample.value, allowances)
                    .err()?;
                let reasons: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
                Some(format!(
                    "{} (as {}):\n{}\n  value: {}",
                    sample.case,
                    sample.schema,
                    reasons.join("\n"),
                    sample.value
                ))
            })
            .collect()
    }

    /// Panics listing every sample that does not match its schema under the shared allowances.
    #[track_caller]
    fn assert_conform(&self) {
        let failures = self.failures(allowances());
        assert!(
            failures.is_empty(),
            "{} of {} objects do not match the OAS.\n\n{}\n\nAllowances in effect:\n{}",
            failures.len(),
            self.0.len(),
            failures.join("\n\n"),
            allowances()
        );
    }
}

/// The body of a reply that must have `status`.
#[track_caller]
fn expect(reply: Reply, status: u16, what: &str) -> Value {
    assert_eq!(reply.status, status, "{what}: {}", reply.text);
    reply.json
}

/// The array under `key`, or a panic naming the case.
#[track_caller]
fn items<'v>(body: &'v Value, key: &str, what: &str) -> &'v [Value] {
    body[key]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no `{key}` array in {body}"))
}

/// Asserts that some object of `objects` has the property the test promises to cover.
#[track_caller]
fn assert_covers(objects: &[Value], kind: &str, has: impl Fn(&Value) -> bool) {
    assert!(
        objects.iter().any(has),
        "the objects checked include no {kind}: {}",
        Value::Array(objects.to_vec())
    );
}

/// The id of the deleted user called `name`, from `GET /deleted_users`.
async fn deleted_user_id(mock: &Mock, name: &str) -> i64 {
    let list = expect(
        mock.admin().get("/api/v2/deleted_users.json").await,
        200,
        "GET /deleted_users",
    );
    items(&list, "deleted_users", "GET /deleted_users")
        .iter()
        .find(|u| u["name"] == name)
        .and_then(|u| u["id"].as_i64())
        .unwrap_or_else(|| panic!("no deleted user named {name}: {list}"))
}

/// Users in the admin view: the owner admin, an agent, end users with phone, external_id and
/// tags, a suspended user, a soft-deleted user, and a user created with a name only.
async fn admin_view(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let mut users = Vec::new();

    let list = expect(admin.get("/api/v2/users.json").await, 200, "GET /users");
    samples.add("GET /users", "UsersResponse", &list);
    for user in items(&list, "users", "GET /users") {
        samples.add(
            format!("GET /users: {}", user["name"]),
            "UserForAdmin",
            user,
        );
        users.push(user.clone());
    }

    let created = expect(
        admin
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": "Nora Nameonly"}}),
            )
            .await,
        201,
        "POST /users with a name only",
    );
    samples.add("POST /users (name only)", "UserResponse", &created);
    samples.add(
        "POST /users (name only): user",
        "UserForAdmin",
        &created["user"],
    );
    users.push(created["user"].clone());

    let me = expect(
        admin.get("/api/v2/users/me.json").await,
        200,
        "GET /users/me as the admin",
    );
    samples.add("GET /users/me as the admin", "CurrentUserResponse", &me);
    samples.add(
        "GET /users/me as the admin: user",
        "UserForAdmin",
        &me["user"],
    );
    users.push(me["user"].clone());

    let dana = deleted_user_id(mock, "Dana Deleted").await;
    let shown = expect(
        admin.get(&format!("/api/v2/users/{dana}.json")).await,
        200,
        "GET /users/{id} of a soft-deleted user",
    );
    samples.add("GET /users/{id} (soft-deleted)", "UserResponse", &shown);
    samples.add(
        "GET /users/{id} (soft-deleted): user",
        "UserForAdmin",
        &shown["user"],
    );
    users.push(shown["user"].clone());

    for role in ["end-user", "agent", "admin"] {
        assert_covers(&users, &format!("user with role {role}"), |u| {
            u["role"] == role
        });
    }
    assert_covers(&users, "suspended user", |u| u["suspended"] == true);
    assert_covers(&users, "soft-deleted user", |u| u["active"] == false);
    assert_covers(&users, "user with a phone", |u| u["phone"].is_string());
    assert_covers(&users, "user with an external_id", |u| {
        u["external_id"].is_string()
    });
    assert_covers(&users, "user with tags", |u| {
        u["tags"].as_array().is_some_and(|t| !t.is_empty())
    });
    assert_covers(&users, "user without an email", |u| u["email"].is_null());
    samples
}

/// Users in the end-user view: `/users/me` and `/users/{own id}` as an end user with a phone
/// and as one without.
async fn end_user_view(mock: &Mock) -> Samples {
    let mut samples = Samples::default();
    let mut users = Vec::new();
    for email in ["jane.doe@example.com", "omar.haddad@example.com"] {
        let client = mock.as_token(email, ADMIN_TOKEN);
        let what = format!("GET /users/me as end user {email}");
        let me = expect(client.get("/api/v2/users/me.json").await, 200, &what);
        samples.add(what.clone(), "CurrentUserResponse", &me);
        samples.add(format!("{what}: user"), "UserForEndUser", &me["user"]);
        users.push(me["user"].clone());

        let id = me["user"]["id"].as_i64().expect("own user id");
        let what = format!("GET /users/{{own id}} as end user {email}");
        let own = expect(
            client.get(&format!("/api/v2/users/{id}.json")).await,
            200,
            &what,
        );
        samples.add(what.clone(), "UserResponse", &own);
        samples.add(format!("{what}: user"), "UserForEndUser", &own["user"]);
        users.push(own["user"].clone());
    }
    // The admin view would pass these schemas too; make sure this is the reduced view.
    for user in &users {
        assert_eq!(user["role"], "end-user", "end-user view of {user}");
        for admin_only in ["external_id", "notes", "role_type", "tags", "active"] {
            assert!(
                user.get(admin_only).is_none(),
                "the end-user view shows the admin-only field `{admin_only}`: {user}"
            );
        }
    }
    assert_covers(&users, "end user with a phone", |u| u["phone"].is_string());
    assert_covers(&users, "end user without a phone", |u| u["phone"].is_null());
    samples
}

/// Identities of each type: email (primary and secondary), phone_number and twitter, listed,
/// shown, and created through the API.
async fn identities(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let mut all = Vec::new();
    for email in ["jane.doe@example.com", "li.wei@example.cn"] {
        let user = mock.user_id(email).await;
        let what = format!("GET /users/{{id}}/identities of {email}");
        let list = expect(
            admin
                .get(&format!("/api/v2/users/{user}/identities.json"))
                .await,
            200,
            &what,
        );
        samples.add(what.clone(), "UserIdentitiesResponse", &list);
        for identity in items(&list, "identities", &what) {
            samples.add(
                format!("{what}: {}", identity["type"]),
                "UserIdentityObject",
                identity,
            );
            all.push(identity.clone());

            let id = identity["id"].as_i64().expect("identity id");
            let what = format!("GET /users/{{id}}/identities/{{id}} ({})", identity["type"]);
            let shown = expect(
                admin
                    .get(&format!("/api/v2/users/{user}/identities/{id}.json"))
                    .await,
                200,
                &what,
            );
            samples.add(what.clone(), "UserIdentityResponse", &shown);
            samples.add(
                format!("{what}: identity"),
                "UserIdentityObject",
                &shown["identity"],
            );
        }
    }

    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let what = "POST /users/{id}/identities (phone_number)";
    let created = expect(
        admin
            .post(
                &format!("/api/v2/users/{kenji}/identities.json"),
                json!({"identity": {"type": "phone_number", "value": "+81 3 1234 5678"}}),
            )
            .await,
        201,
        what,
    );
    samples.add(what, "UserIdentityResponse", &created);
    samples.add(
        format!("{what}: identity"),
        "UserIdentityObject",
        &created["identity"],
    );
    all.push(created["identity"].clone());

    for kind in ["email", "phone_number", "twitter"] {
        assert_covers(&all, &format!("{kind} identity"), |i| i["type"] == kind);
    }
    assert_covers(&all, "secondary email identity", |i| {
        i["type"] == "email" && i["primary"] == false
    });
    samples
}

/// Deleted users: a user soft-deleted through the API, the seeded soft-deleted user, and the
/// placeholder a permanent delete leaves; shown, listed, and as the delete calls return them.
async fn deleted_users(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();

    let soft = mock.create_user("Sid Soft", "sid.soft@example.com").await;
    let what = "DELETE /users/{id}";
    let deleted = expect(
        admin.delete(&format!("/api/v2/users/{soft}.json")).await,
        200,
        what,
    );
    assert_eq!(deleted["user"]["active"], false, "{what}: {deleted}");
    samples.add(what, "UserResponse", &deleted);
    samples.add(format!("{what}: user"), "UserForAdmin", &deleted["user"]);

    let gone = mock
        .create_user("Pat Permanent", "pat.permanent@example.com")
        .await;
    expect(
        admin.delete(&format!("/api/v2/users/{gone}.json")).await,
        200,
        "DELETE /users/{id} before the permanent delete",
    );
    let what = "DELETE /deleted_users/{id}";
    let placeholder = expect(
        admin
            .delete(&format!("/api/v2/deleted_users/{gone}.json"))
            .await,
        200,
        what,
    );
    assert_eq!(
        placeholder["deleted_user"]["name"], "Permanently Deleted User",
        "{what}: {placeholder}"
    );
    assert!(
        placeholder["deleted_user"]["email"].is_null(),
        "{what}: the placeholder keeps an email: {placeholder}"
    );
    samples.add(what, "DeletedUserResponse", &placeholder);
    samples.add(
        format!("{what}: deleted_user"),
        "DeletedUserObject",
        &placeholder["deleted_user"],
    );

    let dana = deleted_user_id(mock, "Dana Deleted").await;
    for (kind, id) in [
        ("soft-deleted", soft),
        ("seeded soft-deleted", dana),
        ("permanently deleted", gone),
    ] {
        let what = format!("GET /deleted_users/{{id}} ({kind})");
        let shown = expect(
            admin.get(&format!("/api/v2/deleted_users/{id}.json")).await,
            200,
            &what,
        );
        samples.add(what.clone(), "DeletedUserResponse", &shown);
        samples.add(
            format!("{what}: deleted_user"),
            "DeletedUserObject",
            &shown["deleted_user"],
        );
    }

    let list = expect(
        admin.get("/api/v2/deleted_users.json").await,
        200,
        "GET /deleted_users",
    );
    samples.add("GET /deleted_users", "DeletedUsersResponse", &list);
    let listed = items(&list, "deleted_users", "GET /deleted_users");
    for user in listed {
        samples.add(
            format!("GET /deleted_users: {}", user["name"]),
            "DeletedUserObject",
            user,
        );
    }
    for name in ["Sid Soft", "Dana Deleted", "Permanently Deleted User"] {
        assert_covers(listed, &format!("deleted user named {name}"), |u| {
            u["name"] == name
        });
    }
    samples
}

/// The result items of a completed job, by the user id each names.
#[track_caller]
fn result_for<'j>(job: &'j Value, id: i64, what: &str) -> &'j Value {
    items(job, "results", what)
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{what}: no result for user {id}: {job}"))
}

/// Job statuses: queued (as the bulk call answers), and completed create_many, update_many and
/// destroy_many — the last with a failed item, since the account owner cannot be deleted; then
/// the same jobs listed, shown and shown many.
async fn job_statuses(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let owner = expect(
        admin.get("/api/v2/users/me.json").await,
        200,
        "GET /users/me",
    )["user"]["id"]
        .as_i64()
        .expect("owner id");

    let what = "POST /users/create_many";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [
                    {"name": "Bulk One", "email": "bulk.one@example.com"},
                    {"name": "Bulk Two", "email": "bulk.two@example.com"},
                ]}),
            )
            .await,
        200,
        what,
    );
    assert_eq!(queued["job_status"]["status"], "queued", "{what}: {queued}");
    assert!(
        queued["job_status"]["results"].is_null(),
        "{what}: a queued job has results: {queued}"
    );
    samples.add(what, "JobStatusResponse", &queued);
    samples.add(
        format!("{what}: queued job_status"),
        "JobStatusObject",
        &queued["job_status"],
    );
    let create_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let created = wait_for_job(&admin, &create_id).await;
    assert_eq!(created["status"], "completed", "{what}: {created}");
    let ids: Vec<i64> = items(&created, "results", what)
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "Created", "{what}: {created}");
            r["id"].as_i64().expect("created id")
        })
        .collect();
    assert_eq!(ids.len(), 2, "{what}: {created}");
    samples.add("completed create_many", "JobStatusObject", &created);

    let what = "PUT /users/update_many";
    let queued = expect(
        admin
            .put(
                &format!("/api/v2/users/update_many.json?ids={},{}", ids[0], ids[1]),
                json!({"user": {"notes": "Updated in bulk"}}),
            )
            .await,
        200,
        what,
    );
    let update_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let updated = wait_for_job(&admin, &update_id).await;
    for id in &ids {
        let result = result_for(&updated, *id, what);
        assert_eq!(result["status"], "Updated", "{what}: {updated}");
    }
    samples.add("completed update_many", "JobStatusObject", &updated);

    let what = "DELETE /users/destroy_many with the owner";
    let queued = expect(
        admin
            .delete(&format!(
                "/api/v2/users/destroy_many.json?ids={},{owner}",
                ids[0]
            ))
            .await,
        200,
        what,
    );
    let destroy_id = queued["job_status"]["id"]
        .as_str()
        .expect("job id")
        .to_owned();
    let destroyed = wait_for_job(&admin, &destroy_id).await;
    assert_eq!(
        result_for(&destroyed, ids[0], what)["success"],
        true,
        "{what}: {destroyed}"
    );
    let failed = result_for(&destroyed, owner, what);
    assert_eq!(failed["success"], false, "{what}: {destroyed}");
    samples.add(
        "completed destroy_many with a failed item",
        "JobStatusObject",
        &destroyed,
    );

    let list = expect(
        admin.get("/api/v2/job_statuses.json").await,
        200,
        "GET /job_statuses",
    );
    samples.add("GET /job_statuses", "JobStatusesResponse", &list);
    let listed = items(&list, "job_statuses", "GET /job_statuses");
    assert_eq!(listed.len(), 3, "GET /job_statuses: {list}");
    for job in listed {
        samples.add(
            format!("GET /job_statuses: {}", job["job_type"]),
            "JobStatusObject",
            job,
        );
    }
    let shown = expect(
        admin
            .get(&format!("/api/v2/job_statuses/{destroy_id}.json"))
            .await,
        200,
        "GET /job_statuses/{id}",
    );
    samples.add("GET /job_statuses/{id}", "JobStatusResponse", &shown);
    let many = expect(
        admin
            .get(&format!(
                "/api/v2/job_statuses/show_many.json?ids={create_id},{update_id},{destroy_id}"
            ))
            .await,
        200,
        "GET /job_statuses/show_many",
    );
    assert_eq!(
        items(&many, "job_statuses", "GET /job_statuses/show_many").len(),
        3,
        "GET /job_statuses/show_many: {many}"
    );
    samples.add("GET /job_statuses/show_many", "JobStatusesResponse", &many);
    samples
}

#[tokio::test]
async fn users_in_the_admin_view_match_user_for_admin() {
    let mock = Mock::start().await;
    admin_view(&mock).await.assert_conform();
}

#[tokio::test]
async fn users_in_the_end_user_view_match_user_for_end_user() {
    let mock = Mock::start().await;
    end_user_view(&mock).await.assert_conform();
}

#[tokio::test]
async fn identities_of_every_type_match_user_identity_object() {
    let mock = Mock::start().await;
    identities(&mock).await.assert_conform();
}

#[tokio::test]
async fn soft_deleted_users_and_the_permanent_placeholder_match_deleted_user_object() {
    let mock = Mock::start().await;
    deleted_users(&mock).await.assert_conform();
}

#[tokio::test]
async fn queued_and_completed_job_statuses_match_job_status_object() {
    let mock = Mock::start().await;
    job_statuses(&mock).await.assert_conform();
}

/// Removing any one allowance must make some object fail: an allowance nothing needs any more
/// hides nothing today, but would hide a regression tomorrow.
#[tokio::test]
async fn every_allowance_is_still_needed_by_some_object() {
    let mock = Mock::start().await;
    let mut samples = admin_view(&mock).await;
    samples.extend(end_user_view(&mock).await);
    samples.extend(identities(&mock).await);
    samples.extend(deleted_users(&mock).await);
    samples.extend(job_statuses(&mock).await);
    let baseline = samples.failures(allowances()).len();

    let all = allowances().nullable_properties();
    let unneeded: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|&(skip, _)| {
            let without = all
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .fold(Allowances::new(), |set, (_, a)| {
                    set.nullable(&a.schema, &a.property, &a.reason)
                });
            samples.failures(&without).len() == baseline
        })
        .map(|(_, a)| format!("{}.{}", a.schema, a.property))
        .collect();
    assert!(
        unneeded.is_empty(),
        "no object needs these allowances any more; remove them: {unneeded:?}"
    );
}

#[tokio::test]
async fn a_soft_deleted_user_with_a_phone_matches_deleted_user_object() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let john = mock.user_id("john.smith@example.com").await;
    expect(
        admin.delete(&format!("/api/v2/users/{john}.json")).await,
        200,
        "DELETE /users/{id} of a user with a phone",
    );
    let what = "GET /deleted_users/{id} (soft-deleted, with a phone)";
    let shown = expect(
        admin
            .get(&format!("/api/v2/deleted_users/{john}.json"))
            .await,
        200,
        what,
    );
    let mut samples = Samples::default();
    samples.add(what, "DeletedUserResponse", &shown);
    samples.add(
        format!("{what}: deleted_user"),
        "DeletedUserObject",
        &shown["deleted_user"],
    );
    samples.assert_conform();
}

#[tokio::test]
async fn failed_job_items_match_failed_result_with_a_null_id_when_no_record_exists() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let mut samples = Samples::default();

    let what = "create_many with an email already in use";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_many.json",
                json!({"users": [{"name": "Jane Again", "email": "jane.doe@example.com"}]}),
            )
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    assert_eq!(job["results"][0]["success"], false, "{what}: {job}");
    samples.add(what, "JobStatusObject", &job);

    let what = "destroy_many with an unknown external id";
    let queued = expect(
        admin
            .delete("/api/v2/users/destroy_many.json?external_ids=no-such-user")
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    assert_eq!(job["results"][0]["success"], false, "{what}: {job}");
    samples.add(what, "JobStatusObject", &job);
    // A failed create, or an external id that names nobody, has no record id to report.
    let allowances = allowances().clone().nullable(
        "FailedResult",
        "id",
        "a failed bulk create or an unknown external id names no record, so the failed item's \
         id is null (INFERRED: no live recording of such an item; FailedResult requires an id)",
    );
    let failures = samples.failures(&allowances);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn create_or_update_many_results_match_exactly_one_job_result_shape() {
    let mock = Mock::start().await;
    let admin = mock.admin();
    let what = "create_or_update_many updating one user and creating another";
    let queued = expect(
        admin
            .post(
                "/api/v2/users/create_or_update_many.json",
                json!({"users": [
                    {"name": "Priya P. Patel", "email": "priya.patel@example.com"},
                    {"name": "Newcomer", "email": "newcomer@example.com"},
                ]}),
            )
            .await,
        200,
        what,
    );
    let job = wait_for_job(&admin, queued["job_status"]["id"].as_str().expect("job id")).await;
    let statuses: Vec<&Value> = items(&job, "results", what)
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!("Updated"), &json!("Created")],
        "{what}: {job}"
    );
    let mut samples = Samples::default();
    samples.add(what, "JobStatusObject", &job);
    samples.assert_conform();
}
