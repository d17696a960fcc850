//! An erasure in the guide's order — and the ways to get it wrong, one knob each.

use super::{JOB_TIMEOUT, Subject, all, held_emails, mentioning, ok, requested};
use serde_json::{Value, json};
use zendesk_conformance::Client;
use zendesk_conformance::client_run::ToolEnv;

/// What the eraser does; [`Eraser::default`] is right.
#[derive(Debug, Clone, Copy, Default)]
pub struct Eraser {
    /// Delete the user before erasing their ticket data (ordering).
    pub user_first: bool,
    /// Redact someone else's closed ticket instead of deleting it (outcome).
    pub redact_closed: bool,
    /// Treat every user with the subject's name as the subject (precision).
    pub by_name: bool,
    /// Forget the subject's soft-deleted tickets (residue).
    pub skip_soft_deleted: bool,
    /// Do not wait for jobs (limits and jobs).
    pub no_polling: bool,
    /// Send a throttled request again at once (limits and jobs).
    pub ignore_retry_after: bool,
}

/// `html` with `<redact>` around each needle in the text and a `redact` attribute on tags
/// whose attributes hold one (a `mailto:` link) — the comment_redactions markup.
pub fn mark(html: &str, needles: &[String]) -> String {
    let lower_needles: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
    let mut out = String::new();
    let mut rest = html;
    while !rest.is_empty() {
        let (part, tail) = match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..end];
                let holds = lower_needles
                    .iter()
                    .any(|n| tag.to_lowercase().contains(n.as_str()));
                if holds && !tag.starts_with("</") {
                    out.push_str(tag.trim_end_matches('>').trim_end_matches('/').trim_end());
                    out.push_str(" redact>");
                } else {
                    out.push_str(tag);
                }
                rest = &rest[end..];
                continue;
            }
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        out.push_str(&wrap(part, &lower_needles));
        rest = tail;
    }
    out
}

/// Text with each needle (case-insensitive, longest first) in `<redact>`.
fn wrap(text: &str, lower_needles: &[String]) -> String {
    let lower = text.to_lowercase();
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        let hit = lower_needles
            .iter()
            .filter(|n| !n.is_empty() && lower[i..].starts_with(n.as_str()))
            .map(String::len)
            .max();
        match hit {
            Some(len) if text.is_char_boundary(i + len) => {
                out.push_str("<redact>");
                out.push_str(&text[i..i + len]);
                out.push_str("</redact>");
                i += len;
            }
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

impl Eraser {
    /// Runs the erasure against `env`'s account.
    pub async fn run(self, env: &ToolEnv) -> Result<(), String> {
        let client = &env.client;
        let subject = Subject::find(env, !self.ignore_retry_after).await?;
        let mut own = requested(client, subject.id).await?;
        if self.by_name {
            let query = format!("type:user \"{}\"", subject.name);
            let users = ok(client.search(&query, &[]).await, "users by name")?;
            for user in users.at("/results").as_array().into_iter().flatten() {
                let id = user["id"].as_i64().unwrap_or_default();
                if id != subject.id && user["name"] == subject.name.as_str() {
                    own.extend(requested(client, id).await?);
                }
            }
        }
        let own_deleted = if self.skip_soft_deleted {
            Vec::new()
        } else {
            self.own_soft_deleted(client, subject.id).await?
        };
        let mut doomed = Vec::new();
        let mut redactions = Vec::new();
        for ticket in mentioning(client, &subject, &own).await? {
            let id = ticket["id"].as_i64().unwrap_or_default();
            let comments = all(client, &format!("tickets/{id}/comments"), "comments").await?;
            let mut in_files = false;
            for comment in &comments {
                in_files |= subject.attachment_holds(client, comment).await;
            }
            if (ticket["status"] == "closed" && !self.redact_closed) || in_files {
                doomed.push(id);
            } else {
                redactions.extend(comments.into_iter().map(|c| (id, c)));
            }
        }
        if self.user_first {
            self.delete_user(client, subject.id).await.ok();
        }
        for (ticket, comment) in &redactions {
            let html = comment["html_body"].as_str().unwrap_or_default();
            if subject.holds(html) {
                let mut needles = subject.unique.clone();
                needles.push(subject.name.clone());
                let body = json!({"html_body": mark(html, &needles)});
                let id = comment["id"].as_i64().unwrap_or_default();
                ok(client.redact_comment(*ticket, id, body).await, "redacting")?;
            }
        }
        let live: Vec<i64> = own.iter().chain(&doomed).copied().collect();
        if !live.is_empty() {
            let job = ok(client.destroy_many_tickets(&live).await, "deleting tickets")?;
            self.wait(client, &job.body).await?;
        }
        let purge: Vec<i64> = live.iter().chain(&own_deleted).copied().collect();
        if !purge.is_empty() {
            let job = ok(
                client.destroy_many_deleted_tickets(&purge).await,
                "purging tickets",
            )?;
            self.wait(client, &job.body).await?;
        }
        for held in held_emails(client, &subject).await? {
            let id = held["id"].as_i64().unwrap_or_default();
            ok(
                client.delete_suspended_ticket(id).await,
                "deleting a held email",
            )?;
        }
        if !self.user_first
            || client
                .show_user(subject.id)
                .await
                .is_ok_and(|r| r.at("/user/active") == true)
        {
            self.delete_user(client, subject.id).await?;
        }
        Ok(())
    }

    /// The subject's soft-deleted tickets, from the incremental ticket export.
    async fn own_soft_deleted(&self, client: &Client, subject: i64) -> Result<Vec<i64>, String> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = ok(
                client
                    .incremental_cursor("tickets", cursor.is_none().then_some(0), cursor.as_deref())
                    .await,
                "incremental export",
            )?;
            for ticket in page.at("/tickets").as_array().into_iter().flatten() {
                if ticket["status"] == "deleted" && ticket["requester_id"] == subject {
                    ids.extend(ticket["id"].as_i64());
                }
            }
            if page.at("/end_of_stream") == true {
                return Ok(ids);
            }
            cursor = page.at("/after_cursor").as_str().map(str::to_owned);
        }
    }

    async fn wait(&self, client: &Client, job: &Value) -> Result<(), String> {
        if self.no_polling {
            return Ok(());
        }
        let id = job["job_status"]["id"].as_str().unwrap_or_default();
        let done = client
            .wait_for_job(id, JOB_TIMEOUT)
            .await
            .map_err(|e| e.to_string())?;
        match done["status"].as_str() {
            Some("completed") => Ok(()),
            other => Err(format!("job {id} ended {other:?}")),
        }
    }

    async fn delete_user(&self, client: &Client, id: i64) -> Result<(), String> {
        ok(client.delete_user(id).await, "soft-deleting the user")?;
        ok(
            client.permanently_delete_user(id).await,
            "permanently deleting the user",
        )?;
        Ok(())
    }
}
