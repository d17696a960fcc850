//! The typed client against an in-process mock: replies carry status, headers and body;
//! jobs are waited for; pages are followed; fresh accounts come from the control API.

use serde_json::json;
use std::time::Duration;
use zendesk_conformance::Target;

#[tokio::test]
async fn a_user_round_trip_through_the_client() {
    let target = Target::in_process().await;
    let client = target.client();
    let created = client
        .create_user(json!({"name": "Jane Roe", "email": "jane@example.org"}))
        .await
        .unwrap();
    assert_eq!(created.status, 201, "{created}");
    assert!(created.header("location").is_some(), "{created}");
    let id = created.require_id("/user/id").unwrap();
    let shown = client.show_user(id).await.unwrap();
    assert_eq!(shown.at("/user/email"), "jane@example.org");
    let deleted = client.delete_user(id).await.unwrap();
    assert_eq!(deleted.at("/user/active"), false, "{deleted}");
}

#[tokio::test]
async fn bulk_jobs_are_waited_for_until_completed() {
    let target = Target::in_process().await;
    let client = target.client();
    let users = (0..3)
        .map(|n| json!({"name": format!("Bulk {n}"), "email": format!("bulk{n}@example.org")}))
        .collect();
    let reply = client.create_many_users(users).await.unwrap();
    let job = client
        .wait_for_reply_job(&reply, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["results"].as_array().map(Vec::len), Some(3), "{job}");
}

#[tokio::test]
async fn pages_are_followed_by_cursor_and_by_offset() {
    let target = Target::in_process().await;
    let client = target.client();
    for n in 0..5 {
        let user = json!({"name": format!("Paged {n}"), "email": format!("p{n}@example.org")});
        assert_eq!(client.create_user(user).await.unwrap().status, 201);
    }
    let cursor = client
        .collect_pages("users", &[("page[size]", "2".to_owned())], "users", 10)
        .await
        .unwrap();
    let offset = client
        .collect_pages("users", &[("per_page", "2".to_owned())], "users", 10)
        .await
        .unwrap();
    // Five users and the owner admin, three pages of two either way.
    assert_eq!(cursor.items.len(), 6);
    assert_eq!(cursor.replies.len(), 3);
    assert_eq!(offset.items, cursor.items);
}

#[tokio::test]
async fn a_fresh_account_is_isolated_and_has_control() {
    let target = Target::in_process().await;
    let client = target.client();
    assert!(client.has_control_api().await.unwrap());
    let account = target
        .control_client()
        .create_account("fresh")
        .await
        .unwrap();
    let fresh = account.client(&client);
    let users = fresh.list_users(&[]).await.unwrap();
    assert_eq!(
        users.at("/users").as_array().map(Vec::len),
        Some(1),
        "{users}"
    );
    assert_eq!(users.at("/users/0/id"), account.admin_id);
    let residue = fresh.residue(&[&account.email]).await.unwrap();
    assert!(!residue.is_empty(), "the owner's email is in the account");
}
