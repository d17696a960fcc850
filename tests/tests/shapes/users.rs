//! Users in the admin view and in the end-user view.

use super::{assert_covers, deleted_user_id, items};
use crate::common::assert::expect;
use crate::common::{ADMIN_TOKEN, Mock};
use serde_json::json;
use zendesk_conformance::oas::Samples;

/// Users in the admin view: the owner admin, an agent, end users with phone, external_id and
/// tags, a suspended user, a soft-deleted user, and a user created with a name only.
pub async fn admin_view(mock: &Mock) -> Samples {
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
pub async fn end_user_view(mock: &Mock) -> Samples {
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
