//! Users in the admin and the end-user view match `UserForAdmin` and `UserForEndUser`; the
//! approach is described in `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use shapes::users::{admin_view, end_user_view};

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
