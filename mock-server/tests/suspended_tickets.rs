//! Suspension and the suspended-tickets queue over real HTTP (facts §3.6; the guide's
//! "Meeting the objection obligation"): what a suspended user's email becomes, recovering and
//! deleting held tickets, bulk limits, and the 422 on tickets for suspended requesters.

mod common;
mod ticket_privacy;

use common::Mock;
use common::assert::{assert_forbidden, assert_not_found, assert_timestamp};
use common::bodies::too_many_values;
use common::json::{comma_list, keys};
use common::world::show_ticket;
use reqwest::Method;
use serde_json::{Value, json};
use ticket_privacy::{
    active_ticket_ids, as_user, call, inbound_email, set_suspended, suspended_queue,
};

const SAM: &str = "sam.suspended@example.com";
const JOHN: &str = "john.smith@example.com";
const CAUSE: &str = "Received from suspended user";

/// The id of the queue's item from `email`, with `subject`.
async fn held_id(mock: &Mock, email: &str, subject: &str) -> i64 {
    let queue = suspended_queue(mock).await;
    queue
        .iter()
        .find(|held| held["author"]["email"] == email && held["subject"] == subject)
        .and_then(|held| held["id"].as_i64())
        .unwrap_or_else(|| panic!("nothing held from {email} about {subject:?}: {queue:?}"))
}

/// Suspends John and has him email in: the id of the held ticket.
async fn held_from_suspended_john(mock: &Mock) -> i64 {
    set_suspended(mock, mock.user_id(JOHN).await, true).await;
    let reply = inbound_email(mock, "John Smith", JOHN, "Unsubscribe me", "Stop, please.").await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json["suspended_ticket_id"]
        .as_i64()
        .expect("suspended_ticket_id")
}

#[tokio::test]
async fn the_demo_queue_holds_the_email_of_suspended_sam() {
    let mock = Mock::start().await;
    let sam = mock.user_id(SAM).await;
    let reply = mock.admin().get("/api/v2/suspended_tickets.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json["count"], 1, "{}", reply.text);
    let held = &reply.json["suspended_tickets"][0];
    let id = held["id"].as_i64().expect("numeric id");
    let url = format!("{}/api/v2/suspended_tickets/{id}.json", mock.url);
    assert_eq!(held["url"], url);
    let author = json!({"id": sam, "name": "Sam Suspended", "email": SAM});
    assert_eq!(held["author"], author);
    assert_eq!(held["cause"], CAUSE);
    assert_eq!(held["content"], "I am Sam, my number is +1 202 555 0199.");
    assert_eq!(held["message_id"], format!("<{id}@demo.mock>"));
    assert_timestamp(&held["created_at"], "created_at");
    assert_timestamp(&held["updated_at"], "updated_at");

    let shown = call(
        &mock.admin(),
        &Method::GET,
        &format!("suspended_tickets/{id}"),
    )
    .await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(
        &shown.json["suspended_ticket"], held,
        "show matches the list"
    );
    insta::assert_json_snapshot!("suspended_ticket", shown.json, {
        ".suspended_ticket.url" => "[url]",
        ".suspended_ticket.id" => "[id]",
        ".suspended_ticket.author.id" => "[user id]",
        ".suspended_ticket.message_id" => "[message id]",
        ".suspended_ticket.created_at" => "[timestamp]",
        ".suspended_ticket.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn email_from_a_user_suspended_over_the_api_is_held_not_ticketed() {
    let mock = Mock::start().await;
    let john = mock.user_id(JOHN).await;
    let tickets_before = active_ticket_ids(&mock).await;
    set_suspended(&mock, john, true).await;
    let reply = inbound_email(&mock, "John Smith", JOHN, "Unsubscribe me", "Stop, please.").await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["suspended_ticket_id"]);
    let id = reply.json["suspended_ticket_id"].as_i64().expect("id");
    let location = format!("{}/api/v2/suspended_tickets/{id}.json", mock.url);
    assert_eq!(reply.header("location"), Some(location.as_str()));

    let queue = suspended_queue(&mock).await;
    let held = queue
        .iter()
        .find(|h| h["id"] == id)
        .expect("listed in the queue");
    assert_eq!(
        held["author"],
        json!({"id": john, "name": "John Smith", "email": JOHN})
    );
    assert_eq!(held["subject"], "Unsubscribe me");
    assert_eq!(held["content"], "Stop, please.");
    assert_eq!(held["cause"], CAUSE);
    assert_eq!(
        active_ticket_ids(&mock).await,
        tickets_before,
        "no ticket made"
    );
}

#[tokio::test]
async fn email_from_a_sender_who_is_not_suspended_becomes_their_ticket() {
    let mock = Mock::start().await;
    let omar = mock.user_id("omar.haddad@example.com").await;
    set_suspended(&mock, omar, true).await;
    set_suspended(&mock, omar, false).await;
    let cases = [
        (
            "never suspended",
            "John Smith",
            JOHN,
            mock.user_id(JOHN).await,
        ),
        (
            "suspended then unsuspended",
            "Omar Haddad",
            "omar.haddad@example.com",
            omar,
        ),
    ];
    for (case, name, email, user) in cases {
        let reply = inbound_email(&mock, name, email, "Hello", "A question.").await;
        assert_eq!(reply.status, 201, "{case}: {}", reply.text);
        assert_eq!(keys(&reply.json), ["ticket_id"], "{case}");
        let ticket = show_ticket(&mock, reply.json["ticket_id"].as_i64().expect("id")).await;
        assert_eq!(ticket["requester_id"], user, "{case}");
        assert_eq!(ticket["description"], "A question.", "{case}");
        assert_eq!(ticket["via"]["channel"], "email", "{case}");
    }
    assert_eq!(suspended_queue(&mock).await.len(), 1, "only sam's is held");
}

#[tokio::test]
async fn email_from_an_unknown_sender_creates_an_end_user_as_requester() {
    let mock = Mock::start().await;
    let reply = inbound_email(&mock, "Nia New", "nia.new@example.org", "Hi", "First mail.").await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let ticket = show_ticket(&mock, reply.json["ticket_id"].as_i64().expect("id")).await;
    let nia = mock.user_id("nia.new@example.org").await;
    assert_eq!(ticket["requester_id"], nia);
    let user = mock.admin().get(&format!("/api/v2/users/{nia}.json")).await;
    assert_eq!(user.json["user"]["name"], "Nia New", "{}", user.text);
    assert_eq!(user.json["user"]["role"], "end-user");
}

#[tokio::test]
async fn suspended_tickets_are_404_when_unknown_and_403_to_end_users() {
    let mock = Mock::start().await;
    let sam_held = held_id(&mock, SAM, "Please reopen my account").await;
    let admin = mock.admin();
    let maria = as_user(&mock, "maria.rossi@example.it");
    let unknown = 987_654_321;
    let missing = [
        ("show", Method::GET, format!("suspended_tickets/{unknown}")),
        (
            "recover",
            Method::PUT,
            format!("suspended_tickets/{unknown}/recover"),
        ),
        (
            "delete",
            Method::DELETE,
            format!("suspended_tickets/{unknown}"),
        ),
    ];
    for (case, method, path) in &missing {
        assert_not_found(&call(&admin, method, path).await, case);
    }
    let forbidden = [
        ("list", Method::GET, "suspended_tickets".to_owned()),
        ("show", Method::GET, format!("suspended_tickets/{sam_held}")),
        (
            "recover",
            Method::PUT,
            format!("suspended_tickets/{sam_held}/recover"),
        ),
        (
            "delete",
            Method::DELETE,
            format!("suspended_tickets/{sam_held}"),
        ),
    ];
    for (case, method, path) in &forbidden {
        assert_forbidden(
            &call(&maria, method, path).await,
            &format!("end user: {case}"),
        );
    }
    assert_eq!(suspended_queue(&mock).await.len(), 1, "sam's still held");
}

#[tokio::test]
async fn recover_makes_a_ticket_whose_requester_is_the_calling_agent() {
    let mock = Mock::start().await;
    let held = held_id(&mock, SAM, "Please reopen my account").await;
    let agent = as_user(&mock, "agent@example.com");
    let reply = call(
        &agent,
        &Method::PUT,
        &format!("suspended_tickets/{held}/recover"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let ticket = &reply.json["ticket"];
    assert_eq!(
        ticket["requester_id"],
        mock.user_id("agent@example.com").await
    );
    assert_eq!(ticket["subject"], "Please reopen my account");
    assert_eq!(
        ticket["description"],
        "I am Sam, my number is +1 202 555 0199."
    );
    let id = ticket["id"].as_i64().expect("ticket id");
    assert_eq!(show_ticket(&mock, id).await["id"], id, "a real ticket");
    assert_eq!(
        suspended_queue(&mock).await,
        Vec::<Value>::new(),
        "left the queue"
    );
}

#[tokio::test]
async fn recover_many_keeps_the_original_requester() {
    let mock = Mock::start().await;
    let held = held_from_suspended_john(&mock).await;
    let john = mock.user_id(JOHN).await;
    set_suspended(&mock, john, false).await;
    let path = format!("suspended_tickets/recover_many?ids={held}");
    let reply = call(&mock.admin(), &Method::PUT, &path).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let tickets = reply.json["tickets"].as_array().expect("tickets");
    assert_eq!(tickets.len(), 1, "{}", reply.text);
    assert_eq!(tickets[0]["requester_id"], john, "the original requester");
    assert_eq!(tickets[0]["description"], "Stop, please.");
    let queue = suspended_queue(&mock).await;
    assert!(queue.iter().all(|h| h["id"] != held), "left the queue");
}

#[tokio::test]
async fn recover_many_of_a_still_suspended_author_is_422_with_the_suspended_tickets() {
    let mock = Mock::start().await;
    let held = held_id(&mock, SAM, "Please reopen my account").await;
    let tickets_before = active_ticket_ids(&mock).await;
    let path = format!("suspended_tickets/recover_many?ids={held}");
    let reply = call(&mock.admin(), &Method::PUT, &path).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    let failed = reply.json["suspended_tickets"]
        .as_array()
        .expect("suspended_tickets");
    let failed_ids: Vec<&Value> = failed.iter().map(|h| &h["id"]).collect();
    assert_eq!(failed_ids, [&json!(held)], "{}", reply.text);
    assert_eq!(suspended_queue(&mock).await.len(), 1, "still held");
    assert_eq!(
        active_ticket_ids(&mock).await,
        tickets_before,
        "no ticket made"
    );
}

#[tokio::test]
async fn bulk_calls_over_100_ids_are_refused_and_change_nothing() {
    let mock = Mock::start().await;
    let held = held_id(&mock, SAM, "Please reopen my account").await;
    let ids = comma_list(
        &std::iter::once(held)
            .chain(1_000..1_100)
            .collect::<Vec<_>>(),
    );
    let cases = [
        ("recover_many", Method::PUT, "recover_many", 422),
        ("destroy_many", Method::DELETE, "destroy_many", 400),
    ];
    for (case, method, action, status) in &cases {
        let path = format!("suspended_tickets/{action}?ids={ids}");
        let reply = call(&mock.admin(), method, &path).await;
        assert_eq!(reply.status, *status, "{case}: {}", reply.text);
        if *status == 400 {
            assert_eq!(reply.json, too_many_values(), "{case}");
        }
        assert_eq!(suspended_queue(&mock).await.len(), 1, "{case}: still held");
    }
}

#[tokio::test]
async fn delete_is_204_and_the_suspended_ticket_is_gone() {
    let mock = Mock::start().await;
    let held = held_id(&mock, SAM, "Please reopen my account").await;
    let path = format!("suspended_tickets/{held}");
    let reply = call(&mock.admin(), &Method::DELETE, &path).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(reply.text, "", "no body");
    assert_not_found(&call(&mock.admin(), &Method::GET, &path).await, "show");
    assert_not_found(&call(&mock.admin(), &Method::DELETE, &path).await, "again");
}

#[tokio::test]
async fn destroy_many_deletes_every_named_suspended_ticket() {
    let mock = Mock::start().await;
    let sam_held = held_id(&mock, SAM, "Please reopen my account").await;
    let john_held = held_from_suspended_john(&mock).await;
    let path = format!("suspended_tickets/destroy_many?ids={sam_held},{john_held}");
    let reply = call(&mock.admin(), &Method::DELETE, &path).await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    assert_eq!(
        suspended_queue(&mock).await,
        Vec::<Value>::new(),
        "queue emptied"
    );
}

#[tokio::test]
async fn creating_a_ticket_for_a_suspended_requester_is_422() {
    let mock = Mock::start().await;
    let sam = mock.user_id(SAM).await;
    let before = active_ticket_ids(&mock).await;
    let expected = json!({"error": "RecordInvalid", "description": "Record validation errors",
        "details": {"requester": [{"description": "Requester: Sam Suspended is suspended."}]}});
    let cases = [
        ("requester_id", "requester_id", json!(sam)),
        ("requester email", "requester", json!(SAM)),
        (
            "requester object",
            "requester",
            json!({"name": "Sam", "email": SAM}),
        ),
    ];
    let agent = as_user(&mock, "agent@example.com");
    for (case, key, requester) in cases {
        let mut ticket = json!({"subject": "For Sam", "comment": {"body": "Hello"}});
        ticket[key] = requester;
        let reply = agent
            .post("/api/v2/tickets.json", json!({ "ticket": ticket }))
            .await;
        assert_eq!(reply.status, 422, "{case}: {}", reply.text);
        assert_eq!(reply.json, expected, "{case}");
    }
    assert_eq!(active_ticket_ids(&mock).await, before, "no ticket made");
}
