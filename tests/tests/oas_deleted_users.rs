//! Soft-deleted users and the permanently deleted placeholder match `DeletedUserObject`; the
//! approach is described in `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use common::assert::expect;
use shapes::deleted_users::deleted_users;
use zendesk_conformance::oas::Samples;

#[tokio::test]
async fn soft_deleted_users_and_the_permanent_placeholder_match_deleted_user_object() {
    let mock = Mock::start().await;
    deleted_users(&mock).await.assert_conform();
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
