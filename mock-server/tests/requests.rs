//! Requests — tickets as their requesters see them — over real HTTP (facts §10: end users reach
//! their own data through `/requests`; §3.6: a suspended sender's submission is held): an end
//! user's own list, show and public comments, what she may not see, and creating requests
//! signed in and anonymously.

mod common;
mod ticket_privacy;

use common::Mock;
use common::assert::{assert_not_found, assert_timestamp};
use common::json::{ids_of, keys};
use common::world::{
    ANA_CLOSED, KENJI_DELETED, MARIA_OPEN, deleted_ticket_id, show_ticket, ticket_id,
};
use reqwest::Method;
use serde_json::json;
use ticket_privacy::{active_ticket_ids, as_user, call, suspended_queue};

const MARIA: &str = "maria.rossi@example.it";
const MARIA_FIRST_COMMENT: &str = "Buongiorno, sono Maria Rossi. Il mio numero di telefono è +39 06 1234 5678 e l'ordine non è arrivato.";
const AGENT_REPLY: &str = "Thanks Maria, we are checking the courier.";

#[tokio::test]
async fn an_end_user_lists_only_her_own_requests() {
    let mock = Mock::start().await;
    let maria_id = mock.user_id(MARIA).await;
    let maria_ticket = ticket_id(&mock, MARIA_OPEN).await;
    assert!(
        active_ticket_ids(&mock).await.len() > 1,
        "others have tickets too"
    );
    let reply = as_user(&mock, MARIA).get("/api/v2/requests.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(ids_of(&reply, "requests"), [maria_ticket], "{}", reply.text);
    assert_eq!(reply.json["requests"][0]["requester_id"], maria_id);
    assert_eq!(reply.json["count"], 1);
}

#[tokio::test]
async fn an_end_user_shows_her_request() {
    let mock = Mock::start().await;
    let maria_id = mock.user_id(MARIA).await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let reply = call(
        &as_user(&mock, MARIA),
        &Method::GET,
        &format!("requests/{id}"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["request"]);
    let request = &reply.json["request"];
    assert_eq!(request["id"], id);
    assert_eq!(
        request["url"],
        format!("{}/api/v2/requests/{id}.json", mock.url)
    );
    assert_eq!(request["requester_id"], maria_id);
    assert_eq!(request["subject"], MARIA_OPEN);
    assert_eq!(request["description"], MARIA_FIRST_COMMENT);
    assert_timestamp(&request["created_at"], "created_at");
    assert_timestamp(&request["updated_at"], "updated_at");
    insta::assert_json_snapshot!("request", reply.json, {
        ".request.url" => "[url]",
        ".request.id" => "[ticket id]",
        ".request.requester_id" => "[user id]",
        ".request.created_at" => "[timestamp]",
        ".request.updated_at" => "[timestamp]",
    });
}

#[tokio::test]
async fn request_comments_show_the_end_user_only_public_comments() {
    let mock = Mock::start().await;
    let id = ticket_id(&mock, MARIA_OPEN).await;
    let note =
        json!({"ticket": {"comment": {"body": "Internal: courier lost it", "public": false}}});
    let added = mock
        .admin()
        .put(&format!("/api/v2/tickets/{id}.json"), note)
        .await;
    assert_eq!(added.status, 200, "private note: {}", added.text);
    let all = call(
        &mock.admin(),
        &Method::GET,
        &format!("tickets/{id}/comments"),
    )
    .await;
    assert_eq!(
        all.json["count"], 3,
        "the agent sees the note: {}",
        all.text
    );

    let reply = call(
        &as_user(&mock, MARIA),
        &Method::GET,
        &format!("requests/{id}/comments"),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let bodies: Vec<&str> = reply.json["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        bodies,
        [MARIA_FIRST_COMMENT, AGENT_REPLY],
        "no private note"
    );
    assert_eq!(reply.json["count"], 2);
}

#[tokio::test]
async fn an_end_user_cannot_see_requests_that_are_not_hers() {
    let mock = Mock::start().await;
    let ana = ticket_id(&mock, ANA_CLOSED).await;
    let kenji = deleted_ticket_id(&mock, KENJI_DELETED).await;
    let maria = as_user(&mock, MARIA);
    let cases = [
        ("another user's request", format!("requests/{ana}")),
        (
            "another user's comments",
            format!("requests/{ana}/comments"),
        ),
        ("a soft-deleted ticket", format!("requests/{kenji}")),
        ("an unknown id", "requests/987654321".to_owned()),
    ];
    for (case, path) in &cases {
        assert_not_found(&call(&maria, &Method::GET, path).await, case);
    }
    let anonymous = mock.anonymous().get("/api/v2/requests.json").await;
    assert_eq!(anonymous.status, 401, "anonymous list: {}", anonymous.text);
}

#[tokio::test]
async fn an_end_user_creates_a_request_she_is_the_requester_of() {
    let mock = Mock::start().await;
    let maria_id = mock.user_id(MARIA).await;
    let maria = as_user(&mock, MARIA);
    let body =
        json!({"request": {"subject": "Cancel my order", "comment": {"body": "Please cancel."}}});
    let reply = maria.post("/api/v2/requests.json", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["request"]);
    let request = &reply.json["request"];
    let id = request["id"].as_i64().expect("id");
    let location = format!("{}/api/v2/requests/{id}.json", mock.url);
    assert_eq!(reply.header("location"), Some(location.as_str()));
    assert_eq!(request["requester_id"], maria_id);
    assert_eq!(request["subject"], "Cancel my order");
    assert_eq!(request["description"], "Please cancel.");

    let ticket = show_ticket(&mock, id).await;
    assert_eq!(ticket["requester_id"], maria_id, "the agent's view agrees");
    assert_eq!(ticket["submitter_id"], maria_id, "she submitted it");
    let listed = maria.get("/api/v2/requests.json").await;
    assert!(ids_of(&listed, "requests").contains(&id), "{}", listed.text);
}

#[tokio::test]
async fn an_anonymous_request_from_a_suspended_user_is_held() {
    let mock = Mock::start().await;
    let sam = mock.user_id("sam.suspended@example.com").await;
    let tickets_before = active_ticket_ids(&mock).await;
    assert_eq!(suspended_queue(&mock).await.len(), 1, "sam's demo email");
    let body = json!({"request": {
        "subject": "Still here",
        "comment": {"body": "Let me back in."},
        "requester": {"name": "Sam Suspended", "email": "sam.suspended@example.com"}
    }});
    let reply = mock.anonymous().post("/api/v2/requests.json", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(keys(&reply.json), ["suspended_ticket"]);
    let held = &reply.json["suspended_ticket"];
    assert_eq!(held["author"]["id"], sam);
    assert_eq!(held["subject"], "Still here");
    assert_eq!(held["content"], "Let me back in.");
    assert_eq!(held["cause"], "Received from suspended user");

    let queue = suspended_queue(&mock).await;
    assert_eq!(queue.len(), 2, "the queue grew");
    assert!(queue.iter().any(|h| h["id"] == held["id"]), "listed");
    assert_eq!(
        active_ticket_ids(&mock).await,
        tickets_before,
        "no ticket made"
    );
}

#[tokio::test]
async fn an_anonymous_request_from_a_new_email_creates_a_ticket_and_an_end_user() {
    let mock = Mock::start().await;
    let tickets_before = active_ticket_ids(&mock).await;
    let body = json!({"request": {
        "subject": "Do you ship to Malta?",
        "comment": {"body": "Asking before I order."},
        "requester": {"name": "Lea Newcomer", "email": "lea.newcomer@example.mt"}
    }});
    let reply = mock.anonymous().post("/api/v2/requests.json", body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let request = &reply.json["request"];
    let id = request["id"].as_i64().expect("id");

    let lea = mock.user_id("lea.newcomer@example.mt").await;
    assert_eq!(request["requester_id"], lea);
    let user = mock.admin().get(&format!("/api/v2/users/{lea}.json")).await;
    assert_eq!(user.json["user"]["name"], "Lea Newcomer", "{}", user.text);
    assert_eq!(user.json["user"]["role"], "end-user");
    let tickets_after = active_ticket_ids(&mock).await;
    assert_eq!(tickets_after.len(), tickets_before.len() + 1);
    assert_eq!(show_ticket(&mock, id).await["requester_id"], lea);
}

#[tokio::test]
async fn soft_deleted_tickets_are_not_among_their_requesters_requests() {
    let mock = Mock::start().await;
    let kenji = as_user(&mock, "kenji.sato@example.jp");
    let reply = kenji.get("/api/v2/requests.json").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        ids_of(&reply, "requests"),
        Vec::<i64>::new(),
        "his only ticket is deleted"
    );
}

#[tokio::test]
async fn a_suspended_user_cannot_sign_in_to_read_or_submit_requests() {
    let mock = Mock::start().await;
    let sam = as_user(&mock, "sam.suspended@example.com");
    let body = json!({"request": {"subject": "Hi", "comment": {"body": "Let me in."}}});
    let cases = [
        ("list", sam.get("/api/v2/requests.json").await),
        ("create", sam.post("/api/v2/requests.json", body).await),
    ];
    for (case, reply) in &cases {
        assert_eq!(reply.status, 401, "{case}: {}", reply.text);
        assert_eq!(
            reply.json,
            json!({"error": "Couldn't authenticate you"}),
            "{case}"
        );
    }
}

#[tokio::test]
async fn requests_without_text_or_requester_are_refused() {
    let mock = Mock::start().await;
    let before = active_ticket_ids(&mock).await;
    let maria = as_user(&mock, MARIA);
    let anonymous = mock.anonymous();
    let blank = json!({"request": {"subject": "Hi", "comment": {"body": "  "}}});
    let nameless = json!({"request": {"subject": "Hi", "comment": {"body": "Hello"}}});
    let cases = [
        ("no request key", &maria, json!({}), 400),
        ("a blank comment", &maria, blank, 422),
        ("anonymous without a requester", &anonymous, nameless, 422),
    ];
    for (case, client, body, status) in cases {
        let reply = client.post("/api/v2/requests.json", body).await;
        assert_eq!(reply.status, status, "{case}: {}", reply.text);
    }
    assert_eq!(active_ticket_ids(&mock).await, before, "no ticket made");
}
