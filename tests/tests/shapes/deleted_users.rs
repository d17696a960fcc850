//! Soft-deleted users and the placeholder a permanent delete leaves.

use super::{assert_covers, deleted_user_id, items};
use crate::common::Mock;
use crate::common::assert::expect;
use zendesk_conformance::oas::Samples;

/// Deleted users: a user soft-deleted through the API, the seeded soft-deleted user, and the
/// placeholder a permanent delete leaves; shown, listed, and as the delete calls return them.
pub async fn deleted_users(mock: &Mock) -> Samples {
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
