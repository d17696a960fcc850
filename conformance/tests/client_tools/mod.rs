//! Privacy tools written in Rust with the typed client, for checking the verifier through
//! `Session::verify_tool`: an erasure, an export and a suspension done right — and, by
//! turning one knob each, done wrong in a way one property must catch.

#![allow(dead_code)]

pub mod erase;
pub mod export;

use serde_json::Value;
use std::time::Duration;
use zendesk_conformance::Client;
use zendesk_conformance::client::{ClientResult, Reply};
use zendesk_conformance::client_run::ToolEnv;

/// How long a tool waits for a job.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(20);

/// A reply as a tool error unless it is 2xx.
pub fn ok(reply: ClientResult<Reply>, what: &str) -> Result<Reply, String> {
    match reply {
        Ok(reply) if reply.is_success() => Ok(reply),
        Ok(reply) => Err(format!("{what}: {reply}")),
        Err(e) => Err(format!("{what}: {e}")),
    }
}

/// Sends `call` again while it is answered 429: after its `Retry-After` when `honour`,
/// at once otherwise.
pub async fn retrying<F, Fut>(honour: bool, call: F) -> ClientResult<Reply>
where
    F: Fn() -> Fut,
    Fut: Future<Output = ClientResult<Reply>>,
{
    let mut reply = call().await?;
    for _ in 0..5 {
        if reply.status != 429 {
            break;
        }
        if honour {
            let wait: u64 = reply
                .header("retry-after")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(wait)).await;
        }
        reply = call().await?;
    }
    Ok(reply)
}

/// The items of every page of a list.
pub async fn all(client: &Client, path: &str, key: &str) -> Result<Vec<Value>, String> {
    client
        .collect_pages(path, &[], key, 100)
        .await
        .map(|pages| pages.items)
        .map_err(|e| format!("listing {path}: {e}"))
}

/// The subject as a tool finds them: user record, name, identifiers only they have.
pub struct Subject {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub unique: Vec<String>,
}

impl Subject {
    /// Reads the user and their identities; the address lives in `details`.
    pub async fn find(env: &ToolEnv, honour_retry_after: bool) -> Result<Self, String> {
        let client = &env.client;
        let id = env.subject_id;
        let user = ok(
            retrying(honour_retry_after, || client.show_user(id)).await,
            "the subject",
        )?;
        let identities = all(client, &format!("users/{id}/identities"), "identities").await?;
        let value = |i: &Value| i["value"].as_str().unwrap_or_default().to_owned();
        let emails: Vec<String> = identities
            .iter()
            .filter(|i| i["type"] == "email")
            .map(value)
            .collect();
        let mut unique = emails.clone();
        unique.extend(
            identities
                .iter()
                .filter(|i| i["type"] == "phone_number")
                .map(value),
        );
        for field in ["/user/phone", "/user/details"] {
            if let Some(text) = user
                .at(field)
                .as_str()
                .filter(|t| !unique.iter().any(|u| u == t))
            {
                unique.push(text.to_owned());
            }
        }
        Ok(Self {
            id,
            name: user
                .at("/user/name")
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            emails,
            unique,
        })
    }

    /// Whether a text holds an identifier only the subject has.
    pub fn holds(&self, text: &str) -> bool {
        let low = text.to_lowercase();
        self.unique.iter().any(|u| low.contains(&u.to_lowercase()))
    }

    /// Whether a comment (its text or an attachment) holds the subject's data.
    pub async fn comment_holds(&self, client: &Client, comment: &Value) -> bool {
        self.holds(comment["html_body"].as_str().unwrap_or_default())
            || self.attachment_holds(client, comment).await
    }

    /// Whether an attachment of a comment holds the subject's data (attachments are not
    /// searchable: each is read).
    pub async fn attachment_holds(&self, client: &Client, comment: &Value) -> bool {
        for attachment in comment["attachments"].as_array().into_iter().flatten() {
            let url = attachment["content_url"].as_str().unwrap_or_default();
            if let Ok(reply) = client.attachment_content(url).await
                && self.holds(&reply.text)
            {
                return true;
            }
        }
        false
    }
}

/// Live tickets (other than `skip`) whose conversation search finds one of the subject's
/// identifiers in.
pub async fn mentioning(
    client: &Client,
    subject: &Subject,
    skip: &[i64],
) -> Result<Vec<Value>, String> {
    let mut found: Vec<Value> = Vec::new();
    for needle in &subject.unique {
        let query = format!("type:ticket \"{needle}\"");
        let reply = ok(client.search(&query, &[]).await, "search")?;
        for ticket in reply.at("/results").as_array().into_iter().flatten() {
            let id = ticket["id"].as_i64().unwrap_or_default();
            if !skip.contains(&id) && !found.iter().any(|t| t["id"] == id) {
                found.push(ticket.clone());
            }
        }
    }
    Ok(found)
}

/// The ids of live tickets a user requested.
pub async fn requested(client: &Client, user: i64) -> Result<Vec<i64>, String> {
    let tickets = all(
        client,
        &format!("users/{user}/tickets/requested"),
        "tickets",
    )
    .await?;
    Ok(tickets.iter().filter_map(|t| t["id"].as_i64()).collect())
}

/// The subject's held emails (suspended tickets), by id.
pub async fn held_emails(client: &Client, subject: &Subject) -> Result<Vec<Value>, String> {
    let held = all(client, "suspended_tickets", "suspended_tickets").await?;
    Ok(held
        .into_iter()
        .filter(|t| {
            let author = t["author"]["email"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase();
            subject.emails.iter().any(|e| e.to_lowercase() == author)
                || subject.holds(t["content"].as_str().unwrap_or_default())
        })
        .collect())
}
