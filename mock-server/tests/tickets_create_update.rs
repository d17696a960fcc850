//! Creating and updating tickets over real HTTP (facts §2, §4.1–4.2, §5.1): the 201 with its
//! audit and Location, defaults, requesters, comments, and the rules that refuse an update.

mod common;
mod tickets;

use common::assert::assert_not_found;
use common::bodies::{closed_prevents_update, record_invalid};
use common::json::keys;
use common::world::{
    ANA_CLOSED, KENJI_DELETED, MARIA_OPEN, comments, deleted_ticket_id, freeze_clock, my_id,
    show_ticket, ticket_id,
};
use common::{ADMIN_EMAIL, Mock};
use serde_json::json;
use tickets::{
    FROZEN_AT, FROZEN_ISO, assert_ticket_forms, create, create_id, get, has_event, new_ticket,
    post_ticket, rows, ticket_count, ticket_keys, update, with,
};

#[tokio::test]
async fn create_answers_201_with_the_ticket_its_audit_and_a_location() {
    let world = json!({"users": [{"name": "Rita Requester", "email": "rita@example.com"}]});
    let mock = Mock::seeded(world).await;
    freeze_clock(&mock, FROZEN_AT);
    let (rita, admin) = (
        mock.user_id("rita@example.com").await,
        my_id(&mock, ADMIN_EMAIL).await,
    );
    let body = json!({"subject": "My data", "priority": "normal", "type": "question",
        "tags": ["privacy"], "requester_id": rita,
        "comment": {"body": "Please send me a copy of my data."}});
    let reply = post_ticket(&mock, body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["ticket", "audit"]);
    let created = &reply.json["ticket"];
    let id = assert_ticket_forms(&mock, created);
    assert_eq!(id, 1, "the first ticket is #1");
    let location = format!("{}/api/v2/tickets/1.json", mock.url);
    assert_eq!(reply.header("location"), Some(location.as_str()));
    assert_eq!(keys(created), ticket_keys());
    assert_eq!(created["requester_id"], rita);
    assert_eq!(created["submitter_id"], admin);
    assert_eq!(created["created_at"], FROZEN_ISO);

    let audit = &reply.json["audit"];
    assert_eq!(audit["ticket_id"], id);
    assert_eq!(audit["author_id"], admin);
    let events = audit["events"].as_array().expect("events");
    assert!(events.iter().all(|e| e["id"].is_i64()), "{audit}");
    assert_eq!(events[0]["type"], "Comment");
    assert_eq!(events[0]["author_id"], admin);
    assert_eq!(events[0]["audit_id"], audit["id"]);
    assert!(events[1..].iter().all(|e| e["type"] == "Create"), "{audit}");
    // Comment, then Create subject, status, priority, type, requester_id, tags.
    assert_eq!(events[5]["field_name"], "requester_id", "{audit}");
    // Live audits write ids as strings.
    assert_eq!(events[5]["value"], rita.to_string());
    insta::assert_json_snapshot!("created_ticket_and_audit", reply.json, {
        ".ticket.url" => "[ticket url]",
        ".ticket.requester_id" => "[rita id]",
        ".ticket.submitter_id" => "[admin id]",
        ".audit.id" => "[audit id]",
        ".audit.author_id" => "[admin id]",
        ".audit.events[].id" => "[event id]",
        ".audit.events[0].author_id" => "[admin id]",
        ".audit.events[0].audit_id" => "[audit id]",
        ".audit.events[5].value" => "[rita id]",
    });

    let next = create_id(&mock, new_ticket(rita, "two")).await;
    assert_eq!(next, 2, "ticket ids are small sequential numbers");
}

#[tokio::test]
async fn status_defaults_to_new_open_with_an_assignee_and_closed_is_accepted() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let (agent, admin) = (
        mock.user_id("agent@example.com").await,
        my_id(&mock, ADMIN_EMAIL).await,
    );
    let table = json!([
        {"case": "no status, no assignee", "extra": {}, "status": "new", "assignee": null},
        {"case": "no status, an assignee", "extra": {"assignee_id": agent}, "status": "open", "assignee": agent},
        {"case": "pending, an assignee", "extra": {"assignee_id": agent, "status": "pending"}, "status": "pending", "assignee": agent},
        {"case": "hold", "extra": {"status": "hold"}, "status": "hold", "assignee": null},
        {"case": "closed: the caller is assigned", "extra": {"status": "closed"}, "status": "closed", "assignee": admin},
    ]);
    for (case, row) in rows(&table) {
        let created = create(&mock, with(new_ticket(maria, case), row["extra"].clone())).await;
        assert_eq!(created["ticket"]["status"], row["status"], "{case}");
        assert_eq!(created["ticket"]["assignee_id"], row["assignee"], "{case}");
        let event = json!({"type": "Create", "field_name": "status", "value": row["status"]});
        assert!(has_event(&created["audit"], &event), "{case}: {created}");
    }
}

#[tokio::test]
async fn description_is_the_first_comments_body_and_may_stand_in_for_it() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let id = create_id(&mock, new_ticket(maria, "Desc")).await;
    let reply = update(&mock, id, json!({"comment": {"body": "A later reply."}})).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(show_ticket(&mock, id).await["description"], "About Desc.");

    let body = json!({"requester_id": maria, "description": "Told in description."});
    let id = create_id(&mock, body).await;
    let description = show_ticket(&mock, id).await["description"].clone();
    assert_eq!(description, "Told in description.");
    assert_eq!(comments(&mock, id).await[0]["body"], description);
}

#[tokio::test]
async fn a_comment_given_as_body_or_as_html_body_keeps_all_three_forms() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let html = "<p>Hello <strong>world</strong> &amp; friends</p>";
    let wrapped = "<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">Line one</p><p dir=\"auto\">Line two</p></div>";
    let table = json!([
        {"case": "body", "comment": {"body": "Line one\n\nLine two"}, "text": "Line one\n\nLine two", "html": wrapped},
        {"case": "html_body", "comment": {"html_body": html}, "text": "Hello world & friends", "html": html},
    ]);
    for (case, row) in rows(&table) {
        let id = create_id(
            &mock,
            json!({"requester_id": maria, "comment": row["comment"]}),
        )
        .await;
        let first = &comments(&mock, id).await[0];
        assert_eq!(first["body"], row["text"], "{case}: body");
        assert_eq!(first["plain_body"], row["text"], "{case}: plain_body");
        assert_eq!(first["html_body"], row["html"], "{case}: html_body");
        let description = show_ticket(&mock, id).await["description"].clone();
        assert_eq!(description, row["text"], "{case}: description");
    }
}

#[tokio::test]
async fn requester_may_be_an_id_an_existing_email_or_a_new_person() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let table = json!([
        {"case": "by id", "requester": maria},
        {"case": "by existing email", "requester": "maria.rossi@example.it"},
        {"case": "by existing person", "requester": {"name": "Other", "email": "maria.rossi@example.it"}},
    ]);
    for (case, row) in rows(&table) {
        let body = json!({"requester": row["requester"], "comment": {"body": "Hi"}});
        let created = create(&mock, body).await;
        assert_eq!(created["ticket"]["requester_id"], maria, "{case}");
    }

    let person = json!({"name": "Nina Newcomer", "email": "nina@example.com"});
    let body = json!({"requester": person, "comment": {"body": "Hi"}});
    let requester = create(&mock, body).await["ticket"]["requester_id"].clone();
    assert_eq!(requester, mock.user_id("nina@example.com").await);
    let user = get(&mock, &format!("/api/v2/users/{requester}")).await;
    assert_eq!(user.json["user"]["name"], "Nina Newcomer", "{}", user.text);
    assert_eq!(user.json["user"]["role"], "end-user", "{}", user.text);
}

#[tokio::test]
async fn refused_creates_are_422_and_create_nothing() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let sam = mock.user_id("sam.suspended@example.com").await;
    let before = ticket_count(&mock).await;
    let short = "Requester: Name:  is too short (minimum is 1 character)";
    let suspended = "Requester: Sam Suspended is suspended.";
    let hello = json!({"body": "Hello"});
    let table = json!([
        {"case": "an empty new requester name", "ticket": {"requester": {"name": "", "email": "nobody.new@example.com"}, "comment": hello}, "says": short},
        {"case": "a suspended requester by email", "ticket": {"requester": "sam.suspended@example.com", "comment": hello}, "says": suspended},
        {"case": "a suspended requester by id", "ticket": {"requester_id": sam, "comment": hello}, "says": suspended},
        {"case": "a suspended requester as a person", "ticket": {"requester": {"name": "Sam", "email": "sam.suspended@example.com"}, "comment": hello}, "says": suspended},
        {"case": "no comment", "ticket": {"subject": "Silent", "requester_id": maria}, "says": null},
        {"case": "a blank comment", "ticket": {"requester_id": maria, "comment": {"body": "  "}}, "says": null},
    ]);
    for (case, row) in rows(&table) {
        let reply = post_ticket(&mock, row["ticket"].clone()).await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        match row["says"].as_str() {
            Some(says) => assert_eq!(reply.json, record_invalid("requester", says), "{case}"),
            None => assert_eq!(
                keys(&reply.json["details"]).len(),
                1,
                "{case}: {}",
                reply.text
            ),
        }
    }
    assert_eq!(ticket_count(&mock).await, before, "no ticket was created");
    let search = get(&mock, "/api/v2/users/search?query=nobody.new@example.com").await;
    assert_eq!(search.json["users"], json!([]), "no user was created");
}

#[tokio::test]
async fn status_moves_through_pending_hold_solved_and_closed_with_change_events() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let id = create_id(
        &mock,
        with(new_ticket(maria, "Moves"), json!({"status": "open"})),
    )
    .await;
    let mut from = "open";
    for to in ["pending", "hold", "open", "solved", "closed"] {
        let reply = update(&mock, id, json!({ "status": to })).await;
        assert_eq!(reply.status, 200, "{from} -> {to}: {}", reply.text);
        assert_eq!(reply.json["ticket"]["status"], to, "{from} -> {to}");
        let change =
            json!({"type": "Change", "field_name": "status", "value": to, "previous_value": from});
        let audit = &reply.json["audit"];
        assert!(has_event(audit, &change), "{from} -> {to}: {audit}");
        from = to;
    }
    let solver = my_id(&mock, ADMIN_EMAIL).await;
    let assignee = show_ticket(&mock, id).await["assignee_id"].clone();
    assert_eq!(assignee, solver, "solving assigned the caller");
}

#[tokio::test]
async fn an_update_adds_public_or_private_comments_and_sets_the_assignee() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let agent = mock.user_id("agent@example.com").await;
    let table = json!([
        {"case": "public by default", "comment": {"body": "Default."}, "public": true},
        {"case": "explicitly public", "comment": {"body": "Public.", "public": true}, "public": true},
        {"case": "internal note", "comment": {"body": "Private.", "public": false}, "public": false},
    ]);
    for (case, row) in rows(&table) {
        let reply = update(&mock, id, json!({"comment": row["comment"]})).await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        let event = &reply.json["audit"]["events"][0];
        assert_eq!(event["public"], row["public"], "{case}: audit");
        let last = comments(&mock, id).await.pop().expect("a comment");
        assert_eq!(last["body"], row["comment"]["body"], "{case}");
        assert_eq!(last["public"], row["public"], "{case}");
    }
    let reply = update(&mock, id, json!({ "assignee_id": agent })).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["ticket"]["assignee_id"], agent);
    let change = json!({"type": "Change", "field_name": "assignee_id", "value": agent.to_string(), "previous_value": null});
    assert!(has_event(&reply.json["audit"], &change), "{}", reply.text);
    let description_public = show_ticket(&mock, id).await["is_public"].clone();
    assert_eq!(description_public, true, "the description stays public");
}

#[tokio::test]
async fn every_update_of_a_closed_ticket_is_422_closed_prevents_update() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, ANA_CLOSED).await;
    let admin = my_id(&mock, ADMIN_EMAIL).await;
    let before = show_ticket(&mock, id).await;
    let table = json!([
        {"case": "a comment", "ticket": {"comment": {"body": "Reopen please"}}},
        {"case": "reopening", "ticket": {"status": "open"}},
        {"case": "the same status", "ticket": {"status": "closed"}},
        {"case": "a subject", "ticket": {"subject": "Changed"}},
        {"case": "tags", "ticket": {"additional_tags": ["x"]}},
        {"case": "an assignee", "ticket": {"assignee_id": admin}},
    ]);
    for (case, row) in rows(&table) {
        let reply = update(&mock, id, row["ticket"].clone()).await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(reply.json, closed_prevents_update(), "{case}");
    }
    assert_eq!(show_ticket(&mock, id).await, before, "unchanged");
    assert_eq!(comments(&mock, id).await.len(), 1);
}

#[tokio::test]
async fn refused_updates_answer_with_their_error_and_change_nothing() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let john = mock.user_id("john.smith@example.com").await;
    let before = show_ticket(&mock, id).await;
    let table = json!([
        {"case": "solving with an explicit null assignee", "ticket": {"status": "solved", "assignee_id": null}, "status": 422, "field": "assignee_id"},
        {"case": "an end user as assignee", "ticket": {"assignee_id": john}, "status": 422, "field": "assignee_id"},
        {"case": "an unknown status", "ticket": {"status": "archived"}, "status": 422, "field": "status"},
        {"case": "safe_update with a stale updated_stamp", "ticket": {"subject": "Stale", "safe_update": true, "updated_stamp": "2001-01-01T00:00:00Z"}, "status": 409},
    ]);
    for (case, row) in rows(&table) {
        let reply = update(&mock, id, row["ticket"].clone()).await;
        assert_eq!(reply.status, row["status"], "{case}: {}", reply.text);
        if let Some(field) = row["field"].as_str() {
            assert_eq!(reply.json["error"], "RecordInvalid", "{case}");
            assert!(
                reply.json["details"][field].is_array(),
                "{case}: {}",
                reply.text
            );
        }
    }
    assert_eq!(show_ticket(&mock, id).await, before, "nothing changed");

    let fresh =
        json!({"subject": "Fresh", "safe_update": true, "updated_stamp": before["updated_at"]});
    let reply = update(&mock, id, fresh).await;
    assert_eq!(reply.status, 200, "the current stamp: {}", reply.text);
    assert_eq!(reply.json["ticket"]["subject"], "Fresh");
}

#[tokio::test]
async fn additional_tags_and_remove_tags_edit_the_tag_list() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let tagged = with(
        new_ticket(maria, "Tags"),
        json!({"tags": ["alpha", "beta"]}),
    );
    let id = create_id(&mock, tagged).await;
    let table = json!([
        {"case": "add", "ticket": {"additional_tags": ["gamma", "alpha"]}, "tags": ["alpha", "beta", "gamma"]},
        {"case": "remove", "ticket": {"remove_tags": ["beta", "missing"]}, "tags": ["alpha", "gamma"]},
    ]);
    for (case, row) in rows(&table) {
        let reply = update(&mock, id, row["ticket"].clone()).await;
        assert_eq!(reply.status, 200, "{case}: {}", reply.text);
        assert_eq!(reply.json["ticket"]["tags"], row["tags"], "{case}");
    }
}

#[tokio::test]
async fn unknown_ticket_keys_are_ignored_with_an_api_warn_header() {
    let mock = Mock::start().await;
    let maria = mock.user_id("maria.rossi@example.it").await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let created = post_ticket(&mock, with(new_ticket(maria, "W"), json!({"bogus_key": 1}))).await;
    let updated = update(&mock, id, json!({"subject": "Warned", "bogus_key": 1})).await;
    for (action, reply, status) in [("create", &created, 201), ("update", &updated, 200)] {
        assert_eq!(reply.status, status, "{action}: {}", reply.text);
        let expected = format!(
            "{{:allowed_parameters=>{{:controller=>\"tickets\", :action=>\"{action}\", :unpermitted_keys=>[\"ticket.bogus_key\"], :invalid_values=>[]}}}}"
        );
        let warning = reply.header("x-zendesk-api-warn");
        assert_eq!(warning, Some(expected.as_str()), "{action}");
        assert!(reply.json["ticket"].get("bogus_key").is_none(), "{action}");
    }
    assert_eq!(updated.json["ticket"]["subject"], "Warned");
}

#[tokio::test]
async fn update_of_a_soft_deleted_or_unknown_ticket_is_404() {
    let mock = Mock::start().await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    for (case, id) in [("soft-deleted", kenji), ("unknown", 99_999)] {
        let reply = update(&mock, id, json!({"subject": "Revived?"})).await;
        assert_not_found(&reply, case);
    }
}

#[tokio::test]
async fn unknown_top_level_keys_are_warned_about_too() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let body = json!({"ticket": {"subject": "Top"}, "bogus_top": 1});
    let reply = mock
        .admin()
        .put(&format!("/api/v2/tickets/{id}"), body)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let warning = reply.header("x-zendesk-api-warn").unwrap_or_default();
    assert!(
        warning.contains(r#":unpermitted_keys=>["bogus_top"]"#),
        "{warning:?}"
    );
}
