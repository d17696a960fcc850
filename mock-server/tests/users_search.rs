//! Searching users over HTTP (facts §7): by email through any identity, by name prefix, by
//! phone, by external id, and autocomplete.

mod common;
mod users;

use common::json::ids_of;
use common::{Mock, Reply};
use users::q;

fn names_of(reply: &Reply) -> Vec<String> {
    reply.json["users"]
        .as_array()
        .unwrap_or_else(|| panic!("no users array: {}", reply.text))
        .iter()
        .map(|u| u["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn search_by_email_finds_the_user_through_any_identity() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("primary email", "jane.doe@example.com"),
        ("secondary email", "jane@personal.example.org"),
    ];
    for (case, email) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/users/search.json?query={}", q(email)))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(
            ids_of(&reply, "users"),
            vec![jane],
            "{case}: {}",
            reply.text
        );
        assert_eq!(
            reply.json["users"][0]["email"], "jane.doe@example.com",
            "{case}: the primary email is shown"
        );
        assert_eq!(reply.json["count"], 1, "{case}: {}", reply.text);
    }
}

#[tokio::test]
async fn search_by_name_prefix_finds_every_namesake() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let namesake = mock.user_id("jane.doe@other.example.net").await;
    let reply = mock
        .admin()
        .get("/api/v2/users/search.json?query=Jan")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut found = ids_of(&reply, "users");
    found.sort_unstable();
    let mut expected = vec![jane, namesake];
    expected.sort_unstable();
    assert_eq!(found, expected, "{}", reply.text);

    // A prefix, not an infix: "oe" is inside "Doe" but starts no word.
    let infix = mock.admin().get("/api/v2/users/search.json?query=oe").await;
    assert_eq!(infix.status, 200, "{}", infix.text);
    assert!(
        !ids_of(&infix, "users").contains(&jane),
        "infix matched: {}",
        infix.text
    );
}

#[tokio::test]
async fn search_by_phone_in_e164_form_finds_the_user() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    // Stored as "+1 202 555 0100"; numbers compare by their digits.
    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/users/search.json?query={}",
            q("+12025550100")
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "users"), vec![jane], "{}", reply.text);
    assert_eq!(reply.json["users"][0]["phone"], "+1 202 555 0100");
}

/// Facts §7: `"double quotes"` search an exact phrase; the number as stored is one.
#[tokio::test]
async fn search_by_phone_as_a_quoted_phrase_finds_the_user() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let reply = mock
        .admin()
        .get(&format!(
            "/api/v2/users/search.json?query={}",
            q("\"+1 202 555 0100\"")
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "users"), vec![jane], "{}", reply.text);
}

#[tokio::test]
async fn search_by_external_id_parameter_matches_exactly_ignoring_case() {
    let mock = Mock::start().await;
    let jane = mock.user_id("jane.doe@example.com").await;
    let cases = [
        ("exact", "crm-1001", vec![jane]),
        ("other case", "CRM-1001", vec![jane]),
        ("prefix only", "crm-100", vec![]),
        ("unknown", "crm-9999", vec![]),
    ];
    for (case, external_id, expected) in cases {
        let reply = mock
            .admin()
            .get(&format!(
                "/api/v2/users/search.json?external_id={external_id}"
            ))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(ids_of(&reply, "users"), expected, "{case}: {}", reply.text);
    }
}

#[tokio::test]
async fn autocomplete_matches_name_prefixes() {
    let mock = Mock::start().await;
    let john = mock.user_id("john.smith@example.com").await;
    let cases = [
        ("first name prefix", "jo", vec!["John Smith"]),
        ("last name prefix", "smi", vec!["John Smith"]),
        ("both namesakes", "jane", vec!["Jane Doe", "Jane Doe"]),
        ("no match", "zz", vec![]),
    ];
    for (case, name, expected) in cases {
        let reply = mock
            .admin()
            .get(&format!("/api/v2/users/autocomplete.json?name={name}"))
            .await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(names_of(&reply), expected, "{case}: {}", reply.text);
    }
    let reply = mock
        .admin()
        .get("/api/v2/users/autocomplete.json?name=jo")
        .await;
    assert_eq!(ids_of(&reply, "users"), vec![john]);
}
