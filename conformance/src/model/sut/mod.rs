//! The target side: runs [`Step`]s over HTTP through [`crate::client`] on a fresh mock account
//! and reduces each answer to a [`Response`] by position, exactly like the model's.
//!
//! A fresh account per sequence comes from the control API (`POST /__mock/accounts`), its
//! clock frozen, its jobs run at once (`job_mode: immediate`; every job is still polled to
//! completion, as a client must), rate limits off. The step's positions map to server ids
//! through lists kept in creation order, so a shrunk sequence never names an id it did not
//! create. Clock advances go through `POST /__mock/clock/advance`.

mod read;

use super::ops::Step;
use super::state::{Pos, Rules};
use super::views::{JobResults, Response, UserView};
use crate::client::{Auth, Client, ClientError, MockAccount, Reply};
use crate::target::Target;
use read::{array, comment_id, comment_response, comment_view, error};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Where the frozen clock of every sequence starts.
pub const EPOCH: &str = "2024-01-01T00:00:00Z";

/// Ids that name no entity: far above any id the mock (about 10^13) or Zendesk (about 1.4 ×
/// 10^13) assigns. The k-th unknown id of a bulk call is `UNKNOWN_IDS + k`.
pub const UNKNOWN_IDS: i64 = 900_000_000_000_000;

/// How long a job may take before the run gives up on the target.
const JOB_TIMEOUT: Duration = Duration::from_secs(30);

/// Listings are read 100 per page; this many pages is more than a sequence can fill.
const MAX_PAGES: usize = 50;

/// Something went wrong that is not a disagreement about semantics: the target could not be
/// reached, set up, or answered something that cannot be read as the step's response.
#[derive(Debug, thiserror::Error)]
pub enum SutError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("{0}")]
    Unreadable(String),
}

type SutResult<T> = Result<T, SutError>;

fn unreadable(what: impl Into<String>, reply: &Reply) -> SutError {
    SutError::Unreadable(format!("{}: {reply}", what.into()))
}

/// The clients of a run, built once: building one is slow (TLS roots are loaded), while
/// clients made from them with other credentials share their connection pool.
#[derive(Debug, Clone)]
pub struct Clients {
    /// The target's admin.
    base: Client,
    /// Server-wide control calls (creating and dropping accounts).
    control: Client,
}

impl Clients {
    pub fn new(target: &Target) -> Self {
        let base = target.client();
        let control = match &target.control_token {
            Some(token) => base.with_auth(Auth::Bearer(token.clone())),
            None => base.clone(),
        };
        Self { base, control }
    }
}

/// A ticket's server id and its comments' ids, in creation order.
#[derive(Debug, Clone)]
struct TicketIds {
    id: i64,
    comments: Vec<i64>,
}

/// A fresh account on the target, and the position → id lists.
#[derive(Debug)]
pub struct Sut {
    control: Client,
    client: Client,
    account: MockAccount,
    owner_name: String,
    owner_email: String,
    users: Vec<i64>,
    tickets: Vec<TicketIds>,
}

/// A subdomain no other run (in this process or another) uses.
fn fresh_subdomain() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("model-{}-{n}-{nanos:x}", std::process::id())
}

impl Sut {
    /// A fresh account on the target: clock frozen at [`EPOCH`], jobs immediate, rate limits
    /// off, Zendesk's default solved-to-closed automation.
    pub async fn open(clients: &Clients) -> SutResult<Self> {
        let control = clients.control.clone();
        let account = control.create_account(&fresh_subdomain()).await?;
        let client = account.client(&clients.base);
        let clock = client.set_clock(EPOCH, true).await?;
        if clock.status != 200 {
            return Err(unreadable("freezing the account's clock", &clock));
        }
        let settings = client
            .update_mock_settings(json!({
                "job_mode": "immediate",
                "rate_limits": "off",
                "solved_to_closed_days": Rules::ZENDESK.solved_to_closed_days,
            }))
            .await?;
        if settings.status != 200 {
            return Err(unreadable("setting the account up", &settings));
        }
        let owner = client.show_user(account.admin_id).await?;
        let (Some(name), Some(email)) = (
            owner.at("/user/name").as_str(),
            owner.at("/user/email").as_str(),
        ) else {
            return Err(unreadable("reading the owner admin", &owner));
        };
        Ok(Self {
            owner_name: name.to_owned(),
            owner_email: email.to_owned(),
            users: vec![account.admin_id],
            tickets: Vec::new(),
            control,
            client,
            account,
        })
    }

    /// The fresh account's subdomain.
    pub fn subdomain(&self) -> &str {
        &self.account.subdomain
    }

    /// Drops the account.
    pub async fn close(self) -> SutResult<()> {
        self.control.delete_account(&self.account.subdomain).await?;
        Ok(())
    }

    /// Runs `step` and reads the answer.
    pub async fn perform(&mut self, step: &Step) -> SutResult<Response> {
        let c = &self.client;
        let reply = match step {
            Step::CreateUser {
                name, email, phone, ..
            } => {
                let mut user = json!({ "name": name });
                if let Some(email) = email {
                    user["email"] = json!(email);
                }
                if let Some(phone) = phone {
                    user["phone"] = json!(phone);
                }
                let reply = c.create_user(user).await?;
                if reply.status == 201 {
                    let id = reply
                        .id_at("/user/id")
                        .ok_or_else(|| unreadable("a created user without an id", &reply))?;
                    self.users.push(id);
                }
                return self.read(&reply, Self::user);
            }
            Step::UpdateUser { user, name, email } => {
                let mut change = json!({});
                if let Some(name) = name {
                    change["name"] = json!(name);
                }
                if let Some(email) = email {
                    change["email"] = json!(email);
                }
                c.update_user(self.users[*user], change).await?
            }
            Step::AddIdentity { user, email } => {
                let reply = c
                    .create_identity(
                        self.users[*user],
                        json!({ "type": "email", "value": email }),
                    )
                    .await?;
                return self.read(&reply, |sut, body| sut.identity(&body["identity"]));
            }
            Step::Suspend { user, suspended } => {
                c.update_user(self.users[*user], json!({ "suspended": suspended }))
                    .await?
            }
            Step::CreateTicket {
                requester,
                status,
                subject,
                body,
                ..
            } => {
                let mut ticket = json!({
                    "subject": subject,
                    "comment": { "body": body },
                    "requester_id": self.users[*requester],
                });
                if let Some(status) = status {
                    ticket["status"] = json!(status.as_str());
                }
                let reply = c.create_ticket(ticket).await?;
                if reply.status == 201 {
                    let id = reply
                        .id_at("/ticket/id")
                        .ok_or_else(|| unreadable("a created ticket without an id", &reply))?;
                    let comment = comment_id(&reply)?;
                    self.tickets.push(TicketIds {
                        id,
                        comments: vec![comment],
                    });
                }
                return self.read(&reply, Self::ticket);
            }
            Step::SetStatus { ticket, status } => {
                c.update_ticket(
                    self.ticket_id(*ticket),
                    json!({ "status": status.as_str() }),
                )
                .await?
            }
            Step::AddComment {
                ticket,
                body,
                public,
            } => {
                let reply = c
                    .update_ticket(
                        self.ticket_id(*ticket),
                        json!({ "comment": { "body": body, "public": public } }),
                    )
                    .await?;
                if reply.status == 200 {
                    let comment = comment_id(&reply)?;
                    self.tickets[*ticket].comments.push(comment);
                }
                reply
            }
            Step::RedactText {
                ticket,
                comment,
                text,
            } => {
                let ids = &self.tickets[*ticket];
                let reply = c
                    .redact_comment_string(ids.id, ids.comments[*comment], text)
                    .await?;
                return self.read(&reply, |_, body| comment_response(&body["comment"]));
            }
            Step::RedactMarkup {
                ticket,
                comment,
                text,
            } => {
                let ids = &self.tickets[*ticket];
                let comment_id = ids.comments[*comment];
                let html = self.marked_html(ids.id, comment_id, text).await?;
                let reply = c
                    .redact_comment(ids.id, comment_id, json!({ "html_body": html }))
                    .await?;
                return self.read(&reply, |_, body| comment_response(&body["comment"]));
            }
            Step::DeleteUser { user } => c.delete_user(self.users[*user]).await?,
            Step::PermanentlyDeleteUser { user } => {
                let reply = c.permanently_delete_user(self.users[*user]).await?;
                return self.read(&reply, |sut, body| {
                    sut.deleted_user(&body["deleted_user"])
                        .map(|user| Response::DeletedUser { status: 200, user })
                });
            }
            Step::DestroyManyUsers { users, unknown } => {
                let mut ids: Vec<i64> = users.iter().map(|&u| self.users[u]).collect();
                ids.extend(unknown_ids(*unknown));
                let reply = c.destroy_many_users(&ids).await?;
                return self.job(&reply).await;
            }
            Step::DeleteTicket { ticket } => c.delete_ticket(self.ticket_id(*ticket)).await?,
            Step::RestoreTicket { ticket } => {
                let reply = c.restore_deleted_ticket(self.ticket_id(*ticket)).await?;
                // Let the account's schedule catch up (a solved ticket whose days ran out
                // while it was deleted closes now): the comparison is made at rest.
                self.advance(0).await?;
                reply
            }
            Step::PermanentlyDeleteTicket { ticket } => {
                let reply = c.delete_ticket_permanently(self.ticket_id(*ticket)).await?;
                return self.job(&reply).await;
            }
            Step::DestroyManyTickets { tickets, unknown } => {
                let mut ids: Vec<i64> = tickets.iter().map(|&t| self.ticket_id(t)).collect();
                ids.extend(unknown_ids(*unknown));
                let reply = c.destroy_many_tickets(&ids).await?;
                return self.job(&reply).await;
            }
            Step::AdvanceClock { days } => {
                self.advance(days * super::state::DAY).await?;
                return Ok(Response::ClockMoved);
            }
            Step::ShowUser { user } => c.show_user(self.users[*user]).await?,
            Step::RequestedTickets { user } => {
                let reply = c.user_tickets(self.users[*user], "requested", &[]).await?;
                return self.read(&reply, |sut, body| sut.tickets_at(body, "tickets"));
            }
            Step::ShowDeletedUser { user } => {
                let reply = c.show_deleted_user(self.users[*user]).await?;
                return self.read(&reply, |sut, body| {
                    sut.deleted_user(&body["deleted_user"])
                        .map(|user| Response::DeletedUser { status: 200, user })
                });
            }
            Step::ShowTicket { ticket } => c.show_ticket(self.ticket_id(*ticket)).await?,
            Step::SearchUsers { query } => {
                let reply = c.search_users(query).await?;
                return self.read(&reply, |sut, body| {
                    let users = array(body, "users")?
                        .iter()
                        .map(|u| sut.user_view(u))
                        .collect::<SutResult<Vec<_>>>()?;
                    Ok(Response::Users {
                        status: 200,
                        users: sorted_by_position(users),
                    })
                });
            }
            Step::SearchTickets { word } => {
                let reply = c.search(&format!("type:ticket {word}"), &[]).await?;
                return self.read(&reply, |sut, body| sut.tickets_at(body, "results"));
            }
            Step::ListComments { ticket } => {
                let reply = c.list_comments(self.ticket_id(*ticket), &[]).await?;
                return self.read(&reply, |_, body| {
                    let comments = array(body, "comments")?
                        .iter()
                        .map(comment_view)
                        .collect::<SutResult<Vec<_>>>()?;
                    Ok(Response::Comments {
                        status: 200,
                        comments,
                    })
                });
            }
        };
        self.read(&reply, |sut, body| {
            if body.get("user").is_some() {
                sut.user(body)
            } else if body.get("ticket").is_some() {
                sut.ticket(body)
            } else {
                Ok(Response::Empty { status: 0 })
            }
        })
    }

    fn ticket_id(&self, ticket: Pos) -> i64 {
        self.tickets[ticket].id
    }

    async fn advance(&self, seconds: i64) -> SutResult<()> {
        let reply = self.client.advance_clock(seconds).await?;
        if reply.status == 200 {
            Ok(())
        } else {
            Err(unreadable("advancing the clock", &reply))
        }
    }

    /// The comment's `html_body` with every occurrence of `text` in its text (not its markup)
    /// wrapped in `<redact>`, as a client of comment_redactions builds it. When the comment
    /// cannot be read (its ticket is deleted), the text alone, marked: the server must refuse
    /// before looking at it.
    async fn marked_html(&self, ticket: i64, comment: i64, text: &str) -> SutResult<String> {
        let reply = self.client.list_comments(ticket, &[]).await?;
        let html = reply
            .at("/comments")
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"].as_i64() == Some(comment)))
            .and_then(|c| c["html_body"].as_str())
            .map(str::to_owned);
        Ok(match html {
            Some(html) => mark(&html, text),
            None => format!("<redact>{text}</redact>"),
        })
    }

    /// A bulk call or permanent delete: its status, then the finished job's results.
    async fn job(&self, reply: &Reply) -> SutResult<Response> {
        if !reply.is_success() {
            return Ok(error(reply));
        }
        let job = self.client.wait_for_reply_job(reply, JOB_TIMEOUT).await?;
        let results = match &job["results"] {
            Value::Array(items) => JobResults::Items(
                items
                    .iter()
                    .map(|item| {
                        let id = item["id"].as_i64().ok_or_else(|| {
                            SutError::Unreadable(format!("a job result without an id: {item}"))
                        })?;
                        Ok((self.reference(id)?, item["success"].as_bool() == Some(true)))
                    })
                    .collect::<SutResult<_>>()?,
            ),
            Value::Object(result) => JobResults::Single {
                success: result.get("success").and_then(Value::as_bool) == Some(true),
            },
            other => {
                return Err(SutError::Unreadable(format!(
                    "a finished job without results: {other}"
                )));
            }
        };
        Ok(Response::Job {
            status: reply.status,
            total: reply.at("/job_status/total").as_u64(),
            job_status: job["status"].as_str().unwrap_or("").to_owned(),
            results,
        })
    }
}

fn unknown_ids(n: usize) -> impl Iterator<Item = i64> {
    (0..n as i64).map(|k| UNKNOWN_IDS + k)
}

fn sorted_by_position(mut users: Vec<UserView>) -> Vec<UserView> {
    users.sort_by_key(|u| u.user);
    users
}

/// `html` with each occurrence of `text` in its text nodes wrapped in `<redact>…</redact>`.
/// Markup is copied as is; comment text here holds no `<`, `>` or `&`.
pub fn mark(html: &str, text: &str) -> String {
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    while !rest.is_empty() {
        let (segment, tail) = match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if text.is_empty() {
            out.push_str(segment);
        } else {
            out.push_str(&segment.replace(text, &format!("<redact>{text}</redact>")));
        }
        rest = tail;
    }
    out
}
