//! Identities of every type match `UserIdentityObject`; the approach is described in
//! `shapes/mod.rs`.

#[path = "../../mock-server/tests/common/mod.rs"]
mod common;
mod shapes;

use common::Mock;
use shapes::identities::identities;

#[tokio::test]
async fn identities_of_every_type_match_user_identity_object() {
    let mock = Mock::start().await;
    identities(&mock).await.assert_conform();
}
