//! The README's first request works against a fresh server.

mod common;

use common::Mock;

#[tokio::test]
async fn readme_curl_answers_with_the_demo_admin() {
    let mock = Mock::start().await;
    let reply = mock.admin().get("/api/v2/users/me.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["user"]["email"], "admin@example.com");
    assert_eq!(reply.json["user"]["role"], "admin");
}
