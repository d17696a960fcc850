//! Identities of each type.

use super::{assert_covers, items};
use crate::common::Mock;
use crate::common::assert::expect;
use serde_json::json;
use zendesk_conformance::oas::Samples;

/// Identities of each type: email (primary and secondary), phone_number and twitter, listed,
/// shown, and created through the API.
pub async fn identities(mock: &Mock) -> Samples {
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
