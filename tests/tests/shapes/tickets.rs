//! The ticket surface: tickets and their audits, comments, attachments and uploads, redactions,
//! deleted and suspended tickets, requests, and the job statuses of ticket jobs.
//!

use super::{assert_covers, items};
use crate::common::assert::expect;
use crate::common::world::ticket_id;
use crate::common::{ADMIN_TOKEN, Client, Mock, wait_for_job};
use reqwest::Method;
use serde_json::{Value, json};
use zendesk_conformance::oas::Samples;

/// Every object of the ticket surface, unmasked.
pub async fn ticket_surface(mock: &Mock) -> Samples {
    let mut samples = tickets(mock).await;
    samples.extend(comments_and_attachments(mock).await);
    samples.extend(requests(mock).await);
    samples.extend(suspended_tickets(mock).await);
    samples.extend(deleted_tickets(mock).await);
    samples.extend(ticket_jobs(mock).await);
    samples
}

/// `GET path` as `client`: the 200 body.
async fn get(client: &Client<'_>, path: &str, what: &str) -> Value {
    expect(client.get(path).await, 200, what)
}

/// `PUT path` with `body` as `client`: the 200 body.
async fn put(client: &Client<'_>, path: &str, body: Value, what: &str) -> Value {
    expect(client.put(path, body).await, 200, what)
}

/// `POST /tickets` with `ticket` as the admin: the 201 body.
async fn create_ticket(mock: &Mock, ticket: Value, what: &str) -> Value {
    let body = json!({ "ticket": ticket });
    expect(
        mock.admin().post("/api/v2/tickets.json", body).await,
        201,
        what,
    )
}

#[track_caller]
fn id_of(value: &Value, what: &str) -> i64 {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{what}: no id in {value}"))
}

/// A property of an answer and the schema of the object it holds.
type Part = (&'static str, &'static str);

const TICKET: Part = ("ticket", "TicketObject");
const ATTACHMENT: Part = ("attachment", "AttachmentObject");
const COMMENT: Part = ("comment", "TicketCommentObject");
const REQUEST: Part = ("request", "RequestObject");
const SUSPENDED: Part = ("suspended_ticket", "SuspendedTicketObject");

/// How the gatherers add what an answer holds.
trait Gather {
    /// Adds `body` as `envelope`, when that has a schema, and `body[key]` as `schema`.
    fn one(&mut self, what: &str, envelope: Option<&'static str>, part: Part, body: &Value);
    /// Adds a list envelope, each of its items, and the users it side-loads; returns the items.
    fn list(&mut self, what: &str, envelope: &'static str, body: &Value) -> Vec<Value>;
    /// Adds the users `body` side-loads (`include=users`, as the admin sees them), if any.
    fn users(&mut self, what: &str, body: &Value);
}

impl Gather for Samples {
    fn one(&mut self, what: &str, envelope: Option<&'static str>, part: Part, body: &Value) {
        if let Some(envelope) = envelope {
            self.add(what, envelope, body);
        }
        let (key, schema) = part;
        self.add(format!("{what}: {key}"), schema, &body[key]);
    }

    fn list(&mut self, what: &str, envelope: &'static str, body: &Value) -> Vec<Value> {
        let (key, schema) = match envelope {
            "TicketsResponse" => ("tickets", "TicketObject"),
            "TicketCommentsResponse" => ("comments", "TicketCommentObject"),
            "TicketAuditsResponseNoneCursor" => ("audits", "TicketAuditObject"),
            "RequestsResponse" => ("requests", "RequestObject"),
            "SuspendedTicketsResponse" => ("suspended_tickets", "SuspendedTicketObject"),
            "JobStatusesResponse" => ("job_statuses", "JobStatusObject"),
            other => panic!("{what}: which items does {other} hold?"),
        };
        self.add(what, envelope, body);
        let listed = items(body, key, what);
        for (i, item) in listed.iter().enumerate() {
            self.add(format!("{what}: {key}[{i}]"), schema, item);
        }
        self.users(what, body);
        listed.to_vec()
    }

    fn users(&mut self, what: &str, body: &Value) {
        if body.get("users").is_some() {
            let users = items(body, "users", what);
            assert!(!users.is_empty(), "{what}: no users side-loaded: {body}");
            for (i, user) in users.iter().enumerate() {
                self.add(format!("{what}: users[{i}]"), "UserForAdmin", user);
            }
        }
    }
}

/// Tickets: one created with tags, a type, an external id and a custom field, then assigned with
/// a private note, with the audits both answers carry; shown, listed and listed per requester
/// with `include=users`; shown many; the audits of a ticket. With the demo tickets this covers
/// every status.
pub async fn tickets(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let agent = mock.user_id("agent@example.com").await;

    let what = "POST /tickets with tags, a type, an external id and a custom field";
    let ticket = json!({
        "subject": "Shape check", "requester_id": kenji, "priority": "high", "type": "incident",
        "tags": ["gdpr"], "external_id": "shape-1",
        "custom_fields": [{"id": 360_001, "value": "gold"}],
        "comment": {"body": "Please check my data."},
    });
    let created = create_ticket(mock, ticket, what).await;
    let id = id_of(&created["ticket"], what);
    samples.one(what, Some("TicketResponse"), TICKET, &created);
    // `TicketResponse` has no audit; `GET /tickets/{id}/audits` lists it as `TicketAuditObject`.
    samples.one(what, None, ("audit", "TicketAuditObject"), &created);

    let what = "PUT /tickets/{id} assigning it with a private note";
    let change = json!({"ticket": {
        "status": "open", "assignee_id": agent,
        "comment": {"body": "Checked.", "public": false},
    }});
    let path = format!("/api/v2/tickets/{id}.json");
    let updated = put(&admin, &path, change, what).await;
    samples.one(what, Some("TicketUpdateResponse"), TICKET, &updated);
    samples.one(what, None, ("audit", "AuditObject"), &updated);
    let mut tickets = vec![created["ticket"].clone(), updated["ticket"].clone()];

    let what = "GET /tickets/{id}?include=users";
    let shown = get(&admin, &format!("{path}?include=users"), what).await;
    samples.one(what, Some("TicketResponse"), TICKET, &shown);
    samples.users(what, &shown);

    let what = "GET /tickets?include=users";
    let list = get(&admin, "/api/v2/tickets.json?include=users", what).await;
    let listed = samples.list(what, "TicketsResponse", &list);
    tickets.extend(listed.iter().cloned());

    let ids: Vec<String> = listed.iter().map(|t| t["id"].to_string()).collect();
    let what = "GET /tickets/show_many";
    let path = format!("/api/v2/tickets/show_many.json?ids={}", ids.join(","));
    let many = get(&admin, &path, what).await;
    assert_eq!(
        samples.list(what, "TicketsResponse", &many).len(),
        ids.len(),
        "{what}: {many}"
    );

    let what = "GET /users/{id}/tickets/requested?include=users";
    let path = format!("/api/v2/users/{kenji}/tickets/requested.json?include=users");
    let requested = get(&admin, &path, what).await;
    samples.list(what, "TicketsResponse", &requested);

    let what = "GET /tickets/{id}/audits";
    let audits = get(&admin, &format!("/api/v2/tickets/{id}/audits.json"), what).await;
    samples.list(what, "TicketAuditsResponseNoneCursor", &audits);

    for status in ["new", "open", "pending", "solved", "closed"] {
        assert_covers(&tickets, &format!("{status} ticket"), |t| {
            t["status"] == status
        });
    }
    assert_covers(&tickets, "unassigned ticket", |t| {
        t["assignee_id"].is_null()
    });
    assert_covers(&tickets, "ticket without a priority", |t| {
        t["priority"].is_null()
    });
    assert_covers(
        &tickets,
        "ticket with tags, a type and an external id",
        |t| {
            t["tags"] == json!(["gdpr"]) && t["type"] == "incident" && t["external_id"] == "shape-1"
        },
    );
    assert_covers(&tickets, "ticket with a custom field", |t| {
        t["custom_fields"].as_array().is_some_and(|f| !f.is_empty())
    });
    samples
}

/// Comments and attachments: an upload; a ticket whose first comment carries it, and a private
/// note, listed with `include=users` and counted; the seeded comment with an attachment; the
/// attachment shown; a comment after legacy redaction, one after `comment_redactions` on a
/// closed ticket; the attachment redacted, as answered and as shown afterwards.
pub async fn comments_and_attachments(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();
    let mut comments = Vec::new();

    let what = "POST /uploads";
    let path = "/api/v2/uploads.json?filename=card.txt";
    let file = "card 4111 1111 1111 1111";
    let reply = admin.send_raw(Method::POST, path, Some("text/plain"), file);
    let upload = expect(reply.await, 201, what);
    samples.add(what, "AttachmentUploadResponse", &upload);
    samples.one(what, None, ATTACHMENT, &upload["upload"]);
    let attachment = id_of(&upload["upload"]["attachment"], what);
    let token = upload["upload"]["token"].as_str().expect("upload token");

    let what = "POST /tickets with an upload";
    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let ticket = json!({
        "subject": "With a file", "requester_id": kenji,
        "comment": {"body": "My card is 4111 1111 1111 1111.", "uploads": [token]},
    });
    let id = id_of(&create_ticket(mock, ticket, what).await["ticket"], what);
    let note = json!({"ticket": {"comment": {"body": "Called back.", "public": false}}});
    let what = "PUT /tickets/{id} with a private note";
    put(&admin, &format!("/api/v2/tickets/{id}.json"), note, what).await;

    let what = "GET /tickets/{id}/comments?include=users";
    let path = format!("/api/v2/tickets/{id}/comments.json?include=users");
    let list = get(&admin, &path, what).await;
    comments.extend(samples.list(what, "TicketCommentsResponse", &list));
    let first = id_of(&comments[0], what);

    let what = "GET /tickets/{id}/comments/count";
    let path = format!("/api/v2/tickets/{id}/comments/count.json");
    let count = get(&admin, &path, what).await;
    assert_eq!(count["count"]["value"], 2, "{what}: {count}");
    samples.add(what, "TicketCommentsCountResponse", &count);

    let what = "GET /tickets/{id}/comments of the seeded ticket with an attachment";
    let priya = ticket_id(mock, "Passport scan for verification").await;
    let path = format!("/api/v2/tickets/{priya}/comments.json");
    let list = get(&admin, &path, what).await;
    comments.extend(samples.list(what, "TicketCommentsResponse", &list));

    let what = "GET /attachments/{id}";
    let path = format!("/api/v2/attachments/{attachment}.json");
    let shown = get(&admin, &path, what).await;
    samples.one(what, Some("AttachmentResponse"), ATTACHMENT, &shown);

    let what = "PUT /tickets/{id}/comments/{id}/redact";
    let redact = format!("/api/v2/tickets/{id}/comments/{first}/redact.json");
    let text = json!({"text": "4111 1111 1111 1111"});
    let redacted = put(&admin, &redact, text, what).await;
    samples.one(what, Some("TicketCommentResponse"), COMMENT, &redacted);
    comments.push(redacted["comment"].clone());

    // Agent Workspace redaction works on closed tickets too (facts §5.4).
    let what = "GET /tickets/{id}/comments of the closed ticket";
    let ana = ticket_id(mock, "Cambio de dirección").await;
    let path = format!("/api/v2/tickets/{ana}/comments.json");
    let list = get(&admin, &path, what).await;
    let phone = "+34 600 000 001";
    let closed = &items(&list, "comments", what)[0];
    let html = closed["html_body"].as_str().unwrap_or_default();
    assert!(html.contains(phone), "{what}: no phone number in {closed}");
    let what = "PUT /comment_redactions/{id} on a closed ticket";
    let markup = html.replace(phone, &format!("<redact>{phone}</redact>"));
    let path = format!("/api/v2/comment_redactions/{}.json", id_of(closed, what));
    let body = json!({"ticket_id": ana, "html_body": markup});
    let redacted = put(&admin, &path, body, what).await;
    samples.one(what, Some("TicketCommentResponse"), COMMENT, &redacted);
    comments.push(redacted["comment"].clone());

    let what = "PUT /tickets/{id}/comments/{id}/attachments/{id}/redact";
    let path =
        format!("/api/v2/tickets/{id}/comments/{first}/attachments/{attachment}/redact.json");
    let redacted = put(&admin, &path, json!({}), what).await;
    samples.one(what, Some("AttachmentResponse"), ATTACHMENT, &redacted);
    let what = "GET /attachments/{id} after its redaction";
    let path = format!("/api/v2/attachments/{attachment}.json");
    let shown = get(&admin, &path, what).await;
    assert_eq!(
        shown["attachment"]["file_name"], "redacted.txt",
        "{what}: {shown}"
    );
    samples.one(what, None, ATTACHMENT, &shown);

    assert_covers(&comments, "comment with an uploaded attachment", |c| {
        c["attachments"][0]["id"] == attachment
    });
    assert_covers(&comments, "comment with a seeded attachment", |c| {
        c["attachments"][0]["file_name"] == "passport.txt"
    });
    assert_covers(&comments, "private comment", |c| c["public"] == false);
    assert_covers(&comments, "comment after legacy redaction", |c| {
        c["id"] == first && c["body"].as_str().is_some_and(|b| b.contains('▇'))
    });
    assert_covers(&comments, "comment after Agent Workspace redaction", |c| {
        c["id"] == closed["id"] && c["body"].as_str().is_some_and(|b| b.contains('▇'))
    });
    samples
}

/// Requests as their requesters see them, listed, shown and with their comments: Maria's and
/// Omar's (solved, assigned); and one Kenji creates (new, unassigned).
pub async fn requests(mock: &Mock) -> Samples {
    let mut samples = Samples::default();
    let mut requests = Vec::new();
    for email in ["maria.rossi@example.it", "omar.haddad@example.com"] {
        let client = mock.as_token(email, ADMIN_TOKEN);
        let what = format!("GET /requests as {email}");
        let list = get(&client, "/api/v2/requests.json", &what).await;
        for listed in samples.list(&what, "RequestsResponse", &list) {
            let id = id_of(&listed, &what);
            let what = format!("GET /requests/{{id}} as {email}");
            let shown = get(&client, &format!("/api/v2/requests/{id}.json"), &what).await;
            samples.one(&what, Some("RequestResponse"), REQUEST, &shown);
            requests.push(shown["request"].clone());

            let what = format!("GET /requests/{{id}}/comments as {email}");
            let path = format!("/api/v2/requests/{id}/comments.json");
            let comments = get(&client, &path, &what).await;
            samples.list(&what, "TicketCommentsResponse", &comments);
        }
    }

    let what = "POST /requests as an end user";
    let body = json!({"request": {
        "subject": "Access request", "comment": {"body": "Please send me my data."},
    }});
    let kenji = mock.as_token("kenji.sato@example.jp", ADMIN_TOKEN);
    let created = expect(kenji.post("/api/v2/requests.json", body).await, 201, what);
    samples.one(what, Some("RequestResponse"), REQUEST, &created);
    requests.push(created["request"].clone());

    assert_covers(&requests, "new, unassigned request", |r| {
        r["status"] == "new" && r["assignee_id"].is_null()
    });
    assert_covers(&requests, "solved, assigned request", |r| {
        r["solved"] == true && r["assignee_id"].is_i64()
    });
    samples
}

/// Suspended tickets: the seeded one (mail from a suspended user) and one a suspended sender
/// submits through `POST /requests`, listed and shown; those `recover_many` refuses while the
/// author is still suspended; the ticket `recover` makes of one.
pub async fn suspended_tickets(mock: &Mock) -> Samples {
    let admin = mock.admin();
    let mut samples = Samples::default();

    // `SuspendedTicketResponse` types `suspended_ticket` as an array, an error of the OAS, so
    // single suspended tickets are checked without their envelope.
    let what = "POST /requests from a suspended sender";
    let body = json!({"request": {
        "subject": "Let me in", "comment": {"body": "Please."},
        "requester": {"name": "Sam Suspended", "email": "sam.suspended@example.com"},
    }});
    let submitted = expect(
        mock.anonymous().post("/api/v2/requests.json", body).await,
        201,
        what,
    );
    samples.one(what, None, SUSPENDED, &submitted);

    let what = "GET /suspended_tickets";
    let list = get(&admin, "/api/v2/suspended_tickets.json", what).await;
    let listed = samples.list(what, "SuspendedTicketsResponse", &list);
    assert_covers(&listed, "seeded suspended ticket", |t| {
        t["subject"] == "Please reopen my account"
    });
    assert_covers(
        &listed,
        "suspended ticket submitted through /requests",
        |t| t["id"] == submitted["suspended_ticket"]["id"],
    );
    let ids: Vec<String> = listed.iter().map(|t| t["id"].to_string()).collect();
    for id in &ids {
        let what = format!("GET /suspended_tickets/{id}");
        let shown = get(
            &admin,
            &format!("/api/v2/suspended_tickets/{id}.json"),
            &what,
        )
        .await;
        samples.one(&what, None, SUSPENDED, &shown);
    }

    let what = "PUT /suspended_tickets/recover_many while the author is suspended";
    let path = format!(
        "/api/v2/suspended_tickets/recover_many.json?ids={}",
        ids.join(",")
    );
    let refused = expect(admin.put(&path, json!({})).await, 422, what);
    for (i, failed) in items(&refused, "suspended_tickets", what)
        .iter()
        .enumerate()
    {
        samples.add(
            format!("{what}: suspended_tickets[{i}]"),
            "SuspendedTicketObject",
            failed,
        );
    }

    // `RecoverSuspendedTicketResponse` types `ticket` as an array too.
    let what = "PUT /suspended_tickets/{id}/recover";
    let path = format!("/api/v2/suspended_tickets/{}/recover.json", ids[0]);
    let recovered = put(&admin, &path, json!({}), what).await;
    samples.one(what, None, TICKET, &recovered);
    samples
}

/// Deleted tickets, listed: the seeded one and one deleted through the API.
pub async fn deleted_tickets(mock: &Mock) -> Samples {
    let mut samples = Samples::default();
    let what = "POST /tickets to delete";
    let kenji = mock.user_id("kenji.sato@example.jp").await;
    let ticket =
        json!({"subject": "To delete", "requester_id": kenji, "comment": {"body": "Bye."}});
    let id = id_of(&create_ticket(mock, ticket, what).await["ticket"], what);
    let reply = mock
        .admin()
        .delete(&format!("/api/v2/tickets/{id}.json"))
        .await;
    assert_eq!(reply.status, 204, "DELETE /tickets/{{id}}: {}", reply.text);

    let what = "GET /deleted_tickets";
    let list = get(&mock.admin(), "/api/v2/deleted_tickets.json", what).await;
    // `ListDeletedTicketsResponse` describes the items inline: they have no schema of their own.
    samples.add(what, "ListDeletedTicketsResponse", &list);
    let listed = items(&list, "deleted_tickets", what);
    assert_covers(listed, "seeded deleted ticket", |t| {
        t["subject"] == "Old question"
    });
    assert_covers(listed, "ticket deleted through the API", |t| t["id"] == id);
    samples
}

/// Runs a ticket job: adds the queued answer and the finished job; returns the latter.
async fn run_job(
    mock: &Mock,
    samples: &mut Samples,
    (method, path, body): (Method, &str, Option<Value>),
    what: &str,
) -> Value {
    let admin = mock.admin();
    let queued = expect(admin.send(method, path, body).await, 200, what);
    samples.add(format!("{what}: queued"), "JobStatusResponse", &queued);
    let id = queued["job_status"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{what}: no job id in {queued}"));
    let done = wait_for_job(&admin, id).await;
    assert_eq!(done["status"], "completed", "{what}: {done}");
    samples.add(format!("{what}: completed"), "JobStatusObject", &done);
    done
}

/// Job statuses of ticket jobs, queued and completed: create_many (results with index, id and
/// account_id), update_many, destroy_many, a permanent delete (results the object
/// `{"success":true}`), a permanent destroy_many with an unknown id (a failed item); then the
/// jobs shown many.
pub async fn ticket_jobs(mock: &Mock) -> Samples {
    let mut samples = Samples::default();
    let mut jobs = Vec::new();
    let kenji = mock.user_id("kenji.sato@example.jp").await;

    let what = "POST /tickets/create_many";
    let body = json!({"tickets": [
        {"subject": "Bulk one", "requester_id": kenji, "comment": {"body": "One."}},
        {"subject": "Bulk two", "requester_id": kenji, "comment": {"body": "Two."}},
    ]});
    let call = (Method::POST, "/api/v2/tickets/create_many.json", Some(body));
    let created = run_job(mock, &mut samples, call, what).await;
    let results = items(&created, "results", what);
    assert!(
        results
            .iter()
            .all(|r| r["index"].is_i64() && r["account_id"].is_i64()),
        "{what}: results without index or account_id: {created}"
    );
    let ids: Vec<String> = results.iter().map(|r| id_of(r, what).to_string()).collect();
    jobs.push(created);

    let what = "PUT /tickets/update_many";
    let path = format!("/api/v2/tickets/update_many.json?ids={}", ids.join(","));
    let change = json!({"ticket": {"status": "pending"}});
    jobs.push(run_job(mock, &mut samples, (Method::PUT, &path, Some(change)), what).await);

    let what = "DELETE /tickets/destroy_many";
    let path = format!("/api/v2/tickets/destroy_many.json?ids={}", ids.join(","));
    jobs.push(run_job(mock, &mut samples, (Method::DELETE, &path, None), what).await);

    let what = "DELETE /deleted_tickets/{id}";
    let path = format!("/api/v2/deleted_tickets/{}.json", ids[0]);
    let purged = run_job(mock, &mut samples, (Method::DELETE, &path, None), what).await;
    assert_eq!(
        purged["results"],
        json!({"success": true}),
        "{what}: {purged}"
    );
    jobs.push(purged);

    let what = "DELETE /deleted_tickets/destroy_many with an unknown id";
    let path = format!(
        "/api/v2/deleted_tickets/destroy_many.json?ids={},999999",
        ids[1]
    );
    let mixed = run_job(mock, &mut samples, (Method::DELETE, &path, None), what).await;
    let success: Vec<&Value> = items(&mixed, "results", what)
        .iter()
        .map(|r| &r["success"])
        .collect();
    assert_eq!(success, [&json!(true), &json!(false)], "{what}: {mixed}");
    jobs.push(mixed);

    let what = "GET /job_statuses/show_many of the ticket jobs";
    let ids: Vec<&str> = jobs.iter().filter_map(|j| j["id"].as_str()).collect();
    let path = format!("/api/v2/job_statuses/show_many.json?ids={}", ids.join(","));
    let many = get(&mock.admin(), &path, what).await;
    let listed = samples.list(what, "JobStatusesResponse", &many);
    assert_eq!(listed.len(), jobs.len(), "{what}: {many}");
    samples
}
