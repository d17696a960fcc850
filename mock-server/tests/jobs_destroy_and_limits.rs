//! destroy_many over real HTTP (facts §3.3, §6), and the 100-item limit every bulk user
//! endpoint shares.

mod common;
mod jobs;

use common::assert::assert_job_forms;
use common::bodies::{forbidden, too_many_values};
use common::json::comma_list;
use common::results;
use common::{ADMIN_TOKEN, Mock};
use jobs::{
    assert_every_user_deleted, completed, create_users, job_count, queued_job, set_job_mode,
    show_user, user_body,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The 100-item limit of the generic bulk endpoints

#[tokio::test]
async fn bulk_calls_over_100_items_are_400_too_many_values_and_queue_nothing() {
    let mock = Mock::start().await;
    let victim = mock.create_user("Victim", "victim@example.com").await;
    // 101 ids, the first a real user, so a partial run would show.
    let ids: Vec<i64> = std::iter::once(victim)
        .chain((1..=100).map(|n| 90_000_000_000_000 + n))
        .collect();
    let externals: Vec<String> = (0..101).map(|n| format!("ext-{n}")).collect();
    let admin = mock.admin();
    let cases = [
        (
            "update_many ?ids=",
            admin
                .put(
                    &format!("/api/v2/users/update_many.json?ids={}", comma_list(&ids)),
                    json!({"user": {"notes": "should not happen"}}),
                )
                .await,
        ),
        (
            "update_many ?external_ids=",
            admin
                .put(
                    &format!(
                        "/api/v2/users/update_many.json?external_ids={}",
                        externals.join(",")
                    ),
                    json!({"user": {"notes": "should not happen"}}),
                )
                .await,
        ),
        (
            "update_many users batch",
            admin
                .put(
                    "/api/v2/users/update_many.json",
                    json!({"users": ids
                        .iter()
                        .map(|id| json!({"id": id, "notes": "should not happen"}))
                        .collect::<Vec<_>>()}),
                )
                .await,
        ),
        (
            "destroy_many ?ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?ids={}",
                    comma_list(&ids)
                ))
                .await,
        ),
        (
            "destroy_many ?external_ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?external_ids={}",
                    externals.join(",")
                ))
                .await,
        ),
    ];
    for (case, reply) in &cases {
        assert_eq!(reply.status, 400, "case: {case}: {}", reply.text);
        assert_eq!(reply.json, too_many_values(), "case: {case}");
    }
    assert_eq!(job_count(&mock).await, 0, "no job queued");
    let user = show_user(&mock, &json!(victim)).await;
    assert_eq!(user["active"], true, "victim not deleted");
    assert_eq!(user["notes"], Value::Null, "victim not updated");
}

#[tokio::test]
async fn bulk_calls_with_exactly_100_items_are_accepted() {
    let mock = Mock::start().await;
    // Held jobs: the limit is checked on the request, the items never need to run.
    set_job_mode(&mock, "manual").await;
    let ids: Vec<i64> = (1..=100).map(|n| 90_000_000_000_000 + n).collect();
    let users: Vec<Value> = (0..100)
        .map(|n| user_body(&format!("User {n}"), &format!("user{n}@example.com")))
        .collect();
    let admin = mock.admin();
    let cases = [
        (
            "create_many",
            admin
                .post(
                    "/api/v2/users/create_many.json",
                    json!({ "users": users.clone() }),
                )
                .await,
        ),
        (
            "create_or_update_many",
            admin
                .post(
                    "/api/v2/users/create_or_update_many.json",
                    json!({ "users": users }),
                )
                .await,
        ),
        (
            "update_many ?ids=",
            admin
                .put(
                    &format!("/api/v2/users/update_many.json?ids={}", comma_list(&ids)),
                    json!({"user": {"notes": "n"}}),
                )
                .await,
        ),
        (
            "destroy_many ?ids=",
            admin
                .delete(&format!(
                    "/api/v2/users/destroy_many.json?ids={}",
                    comma_list(&ids)
                ))
                .await,
        ),
    ];
    for (case, reply) in &cases {
        queued_job(reply, 100, case);
    }
    assert_eq!(job_count(&mock).await, cases.len(), "one job per call");
}

// ---------------------------------------------------------------------------------------------
// destroy_many

#[tokio::test]
async fn destroy_many_by_ids_soft_deletes_every_user() {
    let mock = Mock::start().await;
    let ids = create_users(
        &mock,
        &[
            ("Del One", "del.one@example.com"),
            ("Del Two", "del.two@example.com"),
        ],
    )
    .await;
    let reply = mock
        .admin()
        .delete(&format!(
            "/api/v2/users/destroy_many.json?ids={}",
            comma_list(&ids)
        ))
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "destroy_many ids")).await;
    assert_every_user_deleted(&mock, &done, &ids).await;
}

#[tokio::test]
async fn destroy_many_by_external_ids_soft_deletes_every_user() {
    let mock = Mock::start().await;
    let mut ids = Vec::new();
    for (name, email, external) in [
        ("Ext One", "ext.one@example.com", "ext-one"),
        ("Ext Two", "ext.two@example.com", "ext-two"),
    ] {
        let reply = mock
            .admin()
            .post(
                "/api/v2/users.json",
                json!({"user": {"name": name, "email": email, "external_id": external}}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.json["user"]["id"].as_i64().expect("id"));
    }
    let reply = mock
        .admin()
        .delete("/api/v2/users/destroy_many.json?external_ids=ext-one,ext-two")
        .await;
    let done = completed(&mock, &queued_job(&reply, 2, "destroy_many external_ids")).await;
    assert_every_user_deleted(&mock, &done, &ids).await;
}

#[tokio::test]
async fn destroy_many_including_the_owner_fails_that_item_and_deletes_the_others() {
    let mock = Mock::start().await;
    let me = mock.admin().get("/api/v2/users/me.json").await;
    let owner = me.json["user"]["id"].as_i64().expect("owner id");
    let ids = create_users(
        &mock,
        &[
            ("Gone One", "gone.one@example.com"),
            ("Gone Two", "gone.two@example.com"),
        ],
    )
    .await;

    let reply = mock
        .admin()
        .delete(&format!(
            "/api/v2/users/destroy_many.json?ids={},{owner},{}",
            ids[0], ids[1]
        ))
        .await;
    let done = completed(&mock, &queued_job(&reply, 3, "destroy_many with owner")).await;
    assert_job_forms(&mock, &done);
    let items = results(&done);
    assert_eq!(items.len(), 3, "{done}");
    for (index, id) in [(0, ids[0]), (2, ids[1])] {
        assert_eq!(
            items[index],
            json!({"id": id, "action": "delete", "status": "Deleted", "success": true}),
            "item {index}"
        );
        assert_eq!(show_user(&mock, &json!(id)).await["active"], false);
    }
    assert_eq!(items[1]["id"], owner, "{done}");
    assert_eq!(items[1]["success"], false, "{done}");
    assert_eq!(items[1]["error"], "Forbidden", "{done}");
    assert!(
        items[1]["details"].as_str().is_some_and(|d| !d.is_empty()),
        "details say why: {done}"
    );
    assert_eq!(show_user(&mock, &json!(owner)).await["active"], true);

    insta::assert_json_snapshot!("completed_destroy_many_with_failed_item", done, {
        ".id" => "[job id]",
        ".url" => "[job url]",
        ".message" => "[Completed at]",
        ".results[].id" => "[user id]",
    });
}

#[tokio::test]
async fn destroy_many_as_an_agent_is_403_and_deletes_nobody() {
    let mock = Mock::start().await;
    let victim = mock.create_user("End User", "end.user@example.com").await;
    let agent = mock.as_token("agent@example.com", ADMIN_TOKEN);
    let reply = agent
        .delete(&format!("/api/v2/users/destroy_many.json?ids={victim}"))
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.json, forbidden());
    assert_eq!(job_count(&mock).await, 0, "no job queued");
    assert_eq!(show_user(&mock, &json!(victim)).await["active"], true);
}
