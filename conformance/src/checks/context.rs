//! [`Ctx`]: what a running check works with — a client acting as the account's admin, names
//! unique to the run, fixtures that remember what they made, and the clean-up of all of it.

use super::expect::{self, Outcome, fail};
use crate::client::{Client, ClientError};
use serde_json::{Value, json};
use std::time::Duration;

/// A user a check made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// A ticket a check made, with its first comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRef {
    pub id: i64,
    pub comment_id: i64,
}

/// Something to remove once the check is over.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Made {
    User(i64),
    Ticket(i64),
    Upload(String),
    SuspendedTicket(i64),
}

/// The context of one check run.
#[derive(Debug)]
pub struct Ctx {
    /// Acts as the account's admin.
    pub client: Client,
    /// Whether the mock's control API is there (the client's account is then a fresh one).
    pub control: bool,
    /// How long a bulk job may take to finish.
    pub job_timeout: Duration,
    tag: String,
    counter: u32,
    made: Vec<Made>,
}

impl Ctx {
    /// A context for `client`; `tag` makes names and emails unique to this run.
    pub fn new(client: Client, control: bool, tag: &str) -> Self {
        Self {
            client,
            control,
            job_timeout: Duration::from_secs(30),
            tag: tag.to_owned(),
            counter: 0,
            made: Vec::new(),
        }
    }

    /// A value unique to this run: `{label}-{tag}-{n}`.
    pub fn unique(&mut self, label: &str) -> String {
        self.counter += 1;
        format!("{label}-{}-{}", self.tag, self.counter)
    }

    /// A unique email address at example.com.
    pub fn email(&mut self, label: &str) -> String {
        format!("{}@example.com", self.unique(label))
    }

    /// Creates a verified user (`role`: `end-user`, `agent`, `admin`) with `extra` fields
    /// merged in; removed at clean-up.
    pub async fn user_with(&mut self, role: &str, extra: Value) -> Outcome<Person> {
        let name = format!("Conformance {}", self.unique(role));
        let email = self.email(role);
        let mut user = json!({"name": name, "email": email, "role": role, "verified": true});
        if let (Some(user), Some(extra)) = (user.as_object_mut(), extra.as_object()) {
            user.extend(extra.clone());
        }
        let reply = self.client.create_user(user).await?;
        expect::status(&reply, 201, "creating a fixture user")?;
        let id = reply.require_id("/user/id")?;
        self.made.push(Made::User(id));
        Ok(Person { id, name, email })
    }

    /// Adds a user made some other way to what clean-up removes.
    pub fn adopt_user(&mut self, id: i64) {
        self.made.push(Made::User(id));
    }

    /// Adds a ticket made some other way to what clean-up removes.
    pub fn adopt_ticket(&mut self, id: i64) {
        self.made.push(Made::Ticket(id));
    }

    /// Adds a suspended ticket to what clean-up removes.
    pub fn adopt_suspended_ticket(&mut self, id: i64) {
        self.made.push(Made::SuspendedTicket(id));
    }

    /// A verified end user.
    pub async fn end_user(&mut self) -> Outcome<Person> {
        self.user_with("end-user", json!({})).await
    }

    /// A verified agent.
    pub async fn agent(&mut self) -> Outcome<Person> {
        self.user_with("agent", json!({})).await
    }

    /// A client acting as `person` (the account's API token with their email).
    pub fn as_person(&self, person: &Person) -> Client {
        self.client.as_user(&person.email)
    }

    /// Creates a ticket requested by `requester` in `status` whose first comment is `body`,
    /// with `extra` merged into the ticket; removed at clean-up.
    pub async fn ticket_with(
        &mut self,
        requester: i64,
        status: &str,
        body: &str,
        extra: Value,
    ) -> Outcome<TicketRef> {
        let subject = format!("Conformance {}", self.unique("ticket"));
        let mut ticket = json!({
            "subject": subject,
            "comment": {"body": body},
            "requester_id": requester,
            "status": status,
        });
        if let (Some(ticket), Some(extra)) = (ticket.as_object_mut(), extra.as_object()) {
            for (key, value) in extra {
                if key == "comment" {
                    if let (Some(c), Some(v)) =
                        (ticket["comment"].as_object_mut(), value.as_object())
                    {
                        c.extend(v.clone());
                    }
                } else {
                    ticket.insert(key.clone(), value.clone());
                }
            }
        }
        let reply = self.client.create_ticket(ticket).await?;
        expect::status(&reply, 201, "creating a fixture ticket")?;
        let id = reply.require_id("/ticket/id")?;
        self.made.push(Made::Ticket(id));
        let comments = self.client.list_comments(id, &[]).await?;
        expect::status(&comments, 200, "listing the fixture ticket's comments")?;
        let comment_id = comments.require_id("/comments/0/id")?;
        Ok(TicketRef { id, comment_id })
    }

    /// A ticket with one comment, `body`.
    pub async fn ticket(&mut self, requester: i64, status: &str, body: &str) -> Outcome<TicketRef> {
        self.ticket_with(requester, status, body, json!({})).await
    }

    /// Uploads a file and returns its upload token (for `comment.uploads`).
    pub async fn upload(&mut self, file_name: &str, content: &str) -> Outcome<String> {
        let reply = self
            .client
            .upload(file_name, "text/plain", content.as_bytes().to_vec(), None)
            .await?;
        expect::status(&reply, 201, "uploading a fixture file")?;
        let token = reply
            .at("/upload/token")
            .as_str()
            .ok_or_else(|| expect::mismatch("expected upload.token", &reply))?
            .to_owned();
        self.made.push(Made::Upload(token.clone()));
        Ok(token)
    }

    /// Waits for the job a bulk call answered with and returns the finished `job_status`.
    pub async fn job(&self, reply: &crate::client::Reply) -> Outcome<Value> {
        expect::status(reply, 200, "a bulk call answers with a job")?;
        Ok(self
            .client
            .wait_for_reply_job(reply, self.job_timeout)
            .await?)
    }

    /// Removes what the check made: tickets (soft, then permanently), then users (soft, then
    /// permanently), then suspended tickets and unused uploads. What is gone already is fine; anything else is a
    /// problem, reported per item.
    pub async fn clean_up(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        let made = std::mem::take(&mut self.made);
        let tickets = made.iter().filter_map(|m| match m {
            Made::Ticket(id) => Some(*id),
            _ => None,
        });
        for id in tickets {
            if let Err(e) = self.remove_ticket(id).await {
                problems.push(format!("ticket {id}: {e}"));
            }
        }
        let users = made.iter().rev().filter_map(|m| match m {
            Made::User(id) => Some(*id),
            _ => None,
        });
        for id in users {
            if let Err(e) = self.remove_user(id).await {
                problems.push(format!("user {id}: {e}"));
            }
        }
        for made in &made {
            let reply = match made {
                Made::Upload(token) => self.client.delete_upload(token).await,
                Made::SuspendedTicket(id) => self.client.delete_suspended_ticket(*id).await,
                Made::User(_) | Made::Ticket(_) => continue,
            };
            match reply {
                Ok(r) if matches!(r.status, 204 | 404) => {}
                Ok(r) => problems.push(format!("{made:?}: {r}")),
                Err(e) => problems.push(format!("{made:?}: {e}")),
            }
        }
        problems
    }

    async fn remove_ticket(&self, id: i64) -> Result<(), ClientError> {
        let soft = self.client.delete_ticket(id).await?;
        if !matches!(soft.status, 204 | 404) {
            return Err(ClientError::unexpected("soft delete", &soft));
        }
        let hard = self.client.delete_ticket_permanently(id).await?;
        match hard.status {
            404 => Ok(()),
            200 => self
                .client
                .wait_for_reply_job(&hard, self.job_timeout)
                .await
                .map(|_| ()),
            _ => Err(ClientError::unexpected("permanent delete", &hard)),
        }
    }

    async fn remove_user(&self, id: i64) -> Result<(), ClientError> {
        let soft = self.client.delete_user(id).await?;
        if !matches!(soft.status, 200 | 404) {
            return Err(ClientError::unexpected("soft delete", &soft));
        }
        let hard = self.client.permanently_delete_user(id).await?;
        if matches!(hard.status, 200 | 404) {
            Ok(())
        } else {
            Err(ClientError::unexpected("permanent delete", &hard))
        }
    }
}

/// A step that needs something the reply should carry (`what` names it).
pub fn need<T>(value: Option<T>, what: &str) -> Outcome<T> {
    value.ok_or_else(|| fail(format!("expected {what}")))
}
