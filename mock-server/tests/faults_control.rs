//! The fault API over real HTTP (`/__mock/faults`): list, show, delete one, clear and reset;
//! bad specs; path patterns; per-account isolation; the control API never faulted.

mod common;
mod fault_api;

use common::Mock;
use fault_api::{add_fault, list_faults, me_status};
use serde_json::{Value, json};

#[tokio::test]
async fn path_patterns_match_one_segment_per_star_with_or_without_json() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    add_fault(
        &admin,
        json!({"method": "get", "path": "/api/v2/users/*.json", "status": 500}),
    )
    .await;
    add_fault(
        &admin,
        json!({"method": "*", "path": "/api/v2/*/1/identities", "status": 502}),
    )
    .await;
    let cases = [
        ("GET /users/me.json", "GET", "/api/v2/users/me.json", 500),
        ("GET /users/me", "GET", "/api/v2/users/me", 500),
        ("GET /users/123", "GET", "/api/v2/users/123", 500),
        ("GET /users (too short)", "GET", "/api/v2/users.json", 200),
        (
            "GET /users/me/identities (too long)",
            "GET",
            "/api/v2/users/me/identities",
            404,
        ),
        (
            "PUT /users/me (other method)",
            "PUT",
            "/api/v2/users/me.json",
            404,
        ),
        (
            "any method, star in the middle",
            "DELETE",
            "/api/v2/users/1/identities.json",
            502,
        ),
        (
            "star in the middle, other id",
            "GET",
            "/api/v2/users/2/identities",
            404,
        ),
    ];
    for (case, method, path, status) in cases {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let reply = admin.send(method, path, None).await;
        match status {
            500 | 502 => assert_eq!(reply.status, status, "{case}: {}", reply.text),
            _ => assert!(
                ![500, 502].contains(&reply.status),
                "{case}: {}",
                reply.text
            ),
        }
    }
}

#[tokio::test]
async fn faults_belong_to_one_account_and_never_hit_another() {
    let mock = Mock::empty().await;
    let created = mock
        .anonymous()
        .post("/__mock/accounts", json!({"subdomain": "acme"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let admin = &created.json["account"]["admin"];
    let acme = mock
        .as_token(
            admin["email"].as_str().unwrap(),
            admin["token"].as_str().unwrap(),
        )
        .host("acme.localhost");
    add_fault(
        &acme,
        json!({"method": "GET", "path": "/api/v2/users/me", "status": 503}),
    )
    .await;
    let default = mock.admin();
    assert_eq!(
        me_status(&default).await,
        200,
        "the default account is not faulted"
    );
    assert!(list_faults(&default).await.is_empty());
    assert_eq!(me_status(&acme).await, 503);
    assert_eq!(list_faults(&acme).await[0]["hits"], json!(1));
}

#[tokio::test]
async fn faults_are_listed_shown_deleted_one_by_one_cleared_and_reset() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let spec = json!({"method": "GET", "path": "/api/v2/users/me.json", "status": 429,
        "count": 3});
    let reply = admin.post("/__mock/faults", spec).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let first = reply.json["fault"].clone();
    assert_eq!(
        first,
        json!({"id": 1, "method": "GET", "path": "/api/v2/users/me", "status": 429,
            "retry_after": 60, "latency_ms": null, "drop_connection": false,
            "fail_job_items": null, "count": 3, "probability": null, "seed": null,
            "hits": 0, "remaining": 3})
    );
    assert_eq!(reply.header("location"), Some("/__mock/faults/1"));
    let second = add_fault(
        &admin,
        json!({"method": "DELETE", "path": "/api/v2/users/*",
        "latency_ms": 10, "probability": 0.25}),
    )
    .await;
    assert_eq!(second["id"], 2);
    assert_eq!(
        (second["seed"].clone(), second["remaining"].clone()),
        (json!(0), Value::Null)
    );
    assert_eq!(
        list_faults(&admin).await,
        vec![first.clone(), second.clone()]
    );
    assert_eq!(admin.get("/__mock/faults/2").await.json["fault"], second);
    assert_eq!(admin.delete("/__mock/faults/1").await.status, 204);
    assert_eq!(
        admin.delete("/__mock/faults/1").await.status,
        404,
        "already gone"
    );
    assert_eq!(admin.get("/__mock/faults/1").await.status, 404);
    assert_eq!(list_faults(&admin).await, vec![second]);
    assert_eq!(
        me_status(&admin).await,
        200,
        "the deleted fault no longer fires"
    );
    assert_eq!(admin.delete("/__mock/faults").await.status, 204);
    assert!(list_faults(&admin).await.is_empty());
    let third = add_fault(
        &admin,
        json!({"method": "GET", "path": "/a", "status": 500}),
    )
    .await;
    assert_eq!(third["id"], 3, "ids are never reused");
    assert_eq!(admin.post("/__mock/reset", json!({})).await.status, 200);
    assert!(list_faults(&admin).await.is_empty(), "reset clears faults");
}

#[tokio::test]
async fn bad_fault_specs_are_400_and_add_nothing() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    let base = json!({"method": "GET", "path": "/api/v2/users/me"});
    let cases: [(&str, Value); 20] = [
        ("no effect", json!({})),
        ("status 404 has no fault body", json!({"status": 404})),
        ("status 200", json!({"status": 200})),
        (
            "status and drop_connection",
            json!({"status": 503, "drop_connection": true}),
        ),
        (
            "status and fail_job_items",
            json!({"status": 503, "fail_job_items": 1}),
        ),
        (
            "drop_connection false alone",
            json!({"drop_connection": false}),
        ),
        ("probability 0", json!({"status": 503, "probability": 0.0})),
        (
            "probability above 1",
            json!({"status": 503, "probability": 1.5}),
        ),
        (
            "seed without probability",
            json!({"status": 503, "seed": 3}),
        ),
        ("count 0", json!({"status": 503, "count": 0})),
        ("negative count", json!({"status": 503, "count": -1})),
        (
            "retry_after on a 500",
            json!({"status": 500, "retry_after": 5}),
        ),
        ("latency 0", json!({"latency_ms": 0})),
        ("latency over 5 minutes", json!({"latency_ms": 300_001})),
        ("fail_job_items 0", json!({"fail_job_items": 0})),
        ("unknown method", json!({"method": "FETCH", "status": 503})),
        (
            "relative path",
            json!({"path": "api/v2/users/me", "status": 503}),
        ),
        (
            "path with a query",
            json!({"path": "/api/v2/users?page=2", "status": 503}),
        ),
        (
            "control API path",
            json!({"path": "/__mock/faults", "status": 503}),
        ),
        ("unknown field", json!({"status": 503, "times": 2})),
    ];
    for (case, fields) in cases {
        let mut spec = base.clone();
        spec.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let reply = admin.post("/__mock/faults", spec).await;
        assert_eq!(reply.status, 400, "{case}: {}", reply.text);
        assert!(
            reply.json["error"].is_string(),
            "{case}: Zendesk error shape: {}",
            reply.text
        );
    }
    let missing = admin.post("/__mock/faults", json!({"status": 503})).await;
    assert_eq!(
        missing.status, 400,
        "method and path are required: {}",
        missing.text
    );
    assert!(list_faults(&admin).await.is_empty());
}

#[tokio::test]
async fn the_control_api_is_never_faulted() {
    let mock = Mock::empty().await;
    let admin = mock.admin();
    for path in ["/*", "/*/*", "/*/*/*"] {
        add_fault(&admin, json!({"method": "*", "path": path, "status": 503})).await;
    }
    assert_eq!(
        admin.get("/api/v2").await.status,
        503,
        "the faults are live"
    );
    assert_eq!(admin.get("/__mock/faults").await.status, 200);
    assert_eq!(
        admin.post("/__mock/jobs/release", json!({})).await.status,
        200
    );
    assert_eq!(admin.get("/__mock/journal").await.status, 200);
    assert_eq!(
        list_faults(&admin).await[1]["hits"],
        json!(1),
        "only the API request hit"
    );
    assert_eq!(admin.delete("/__mock/faults").await.status, 204);
    assert_eq!(admin.get("/api/v2").await.status, 404);
}
