//! [`Evidence`]: what the verifier knows of a run, gathered through the mock's control API —
//! so it works the same against the in-process server and a `--target` mock. A [`Baseline`]
//! is taken after seeding, before the tool runs (the world's ids, the state, where the event
//! log and the journal stand); [`Evidence::gather`] takes the rest once it has finished.

use super::Task;
use super::state::AccountState;
use crate::client::{Client, ClientError, ClientResult, Reply};
use crate::world::{Party, World};
use serde_json::{Value, json};

/// Server ids of the world's entities, by position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    pub subject: i64,
    /// `world.people[i]`'s id.
    pub people: Vec<i64>,
    pub tickets: Vec<i64>,
    /// `[ticket][comment]`.
    pub comments: Vec<Vec<i64>>,
    /// `[ticket][comment][attachment]`.
    pub attachments: Vec<Vec<Vec<i64>>>,
    pub suspended: Vec<i64>,
}

impl Ids {
    /// The id of a party.
    pub fn of(&self, party: Party) -> i64 {
        match party {
            Party::Subject => self.subject,
            Party::Person(i) => self.people[i],
        }
    }

    /// The position of a ticket id.
    pub fn ticket(&self, id: i64) -> Option<usize> {
        self.tickets.iter().position(|&t| t == id)
    }

    /// The (ticket, comment) position of a comment id.
    pub fn comment(&self, id: i64) -> Option<(usize, usize)> {
        self.comments
            .iter()
            .enumerate()
            .find_map(|(t, cs)| cs.iter().position(|&c| c == id).map(|c| (t, c)))
    }

    /// The (ticket, comment, attachment) position of an attachment id.
    pub fn attachment(&self, id: i64) -> Option<(usize, usize, usize)> {
        for (t, comments) in self.attachments.iter().enumerate() {
            for (c, attachments) in comments.iter().enumerate() {
                if let Some(a) = attachments.iter().position(|&x| x == id) {
                    return Some((t, c, a));
                }
            }
        }
        None
    }

    /// The position of a suspended ticket id.
    pub fn suspended(&self, id: i64) -> Option<usize> {
        self.suspended.iter().position(|&s| s == id)
    }

    /// The position of a person's id (`None` for the subject and strangers).
    pub fn person(&self, id: i64) -> Option<usize> {
        self.people.iter().position(|&p| p == id)
    }
}

/// One place a needle was found (`POST /__mock/residue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub needle: String,
    /// `user`, `identity`, `ticket`, `comment`, `audit`, `attachment`, `suspended_ticket`,
    /// `upload`, `job`, `search_index`.
    pub kind: String,
    pub id: String,
    pub field: String,
}

/// One request the account received (`GET /__mock/journal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub seq: u64,
    /// Account-clock seconds.
    pub at: i64,
    pub method: String,
    pub path: String,
    /// The raw query string.
    pub query: String,
    pub status: u16,
    pub user_id: Option<i64>,
    pub retry_after: Option<i64>,
    /// The newest event when the request was answered (`None` from a mock too old to say).
    pub events_seq: Option<u64>,
}

impl JournalEntry {
    fn from_json(entry: &Value) -> Self {
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        let at = time::OffsetDateTime::parse(
            &text("at"),
            &time::format_description::well_known::Rfc3339,
        )
        .map_or(0, time::OffsetDateTime::unix_timestamp);
        Self {
            seq: entry["seq"].as_u64().unwrap_or(0),
            at,
            method: text("method"),
            path: text("path"),
            query: text("query"),
            status: entry["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(0),
            user_id: entry["user_id"].as_i64(),
            retry_after: entry["retry_after"].as_i64(),
            events_seq: entry["events_seq"].as_u64(),
        }
    }

    /// The query's parameters, decoded.
    pub fn params(&self) -> Vec<(String, String)> {
        reqwest::Url::parse(&format!("http://x/?{}", self.query))
            .map(|url| {
                url.query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The path without `.json` and a trailing slash.
    pub fn route(&self) -> &str {
        let path = self.path.trim_end_matches('/');
        path.strip_suffix(".json").unwrap_or(path)
    }

    /// `METHOD path?query → status`.
    pub fn describe(&self) -> String {
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!("{} {}{query} → {}", self.method, self.path, self.status)
    }
}

/// An email the verifier sent in as the subject after an objection run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub email: String,
    /// Landed in suspended tickets.
    pub suspended: bool,
    /// The mock's answer.
    pub reply: String,
}

/// Where things stood after seeding, before the tool ran.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub ids: Ids,
    pub state: AccountState,
    /// The newest event's `seq`: the run's events come after it.
    pub events_seq: u64,
    /// The newest journal entry's `seq`: the run's requests come after it.
    pub journal_seq: u64,
}

/// Everything the verifier reads about one run.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub ids: Ids,
    pub before: AccountState,
    pub after: AccountState,
    /// Where the subject's identifiers remain.
    pub residue: Vec<Hit>,
    /// The run's semantic events, oldest first (`{"seq","type",...}`).
    pub events: Vec<Value>,
    /// The run's requests, oldest first.
    pub journal: Vec<JournalEntry>,
    /// The export the tool wrote (export task): its JSON, or why there is none.
    pub export: Option<Result<Value, String>>,
    /// Emails sent in as the subject after the run (suspend task).
    pub inbound: Vec<Inbound>,
}

fn ok_json(reply: Reply, what: &str) -> ClientResult<Value> {
    if reply.status == 200 {
        Ok(reply.body)
    } else {
        Err(ClientError::unexpected(
            format!("{what}: expected 200"),
            &reply,
        ))
    }
}

async fn state(admin: &Client) -> ClientResult<AccountState> {
    let snapshot = admin.get("/__mock/snapshot", &[]).await?;
    let records = ok_json(
        admin.get("/__mock/ticket_records", &[]).await?,
        "ticket records",
    )?;
    AccountState::from_snapshot(&snapshot.body, &records)
        .map_err(|e| ClientError::unexpected(format!("an account snapshot ({e})"), &snapshot))
}

async fn log_after(admin: &Client, path: &str, key: &str, after: u64) -> ClientResult<Vec<Value>> {
    let body = ok_json(admin.get(path, &[("after", after.to_string())]).await?, key)?;
    Ok(body[key].as_array().cloned().unwrap_or_default())
}

fn last_seq(entries: &[Value]) -> u64 {
    entries.last().and_then(|e| e["seq"].as_u64()).unwrap_or(0)
}

impl Baseline {
    /// Reads the ids the seed assigned (`seeded`: the seed's reply) and the state, and where
    /// the logs stand.
    pub async fn take(admin: &Client, world: &World, seeded: &Value) -> ClientResult<Self> {
        let state = state(admin).await?;
        let reference = |name: &str| seeded["refs"][name].as_i64().unwrap_or(0);
        let tickets: Vec<i64> = (0..world.tickets.len())
            .map(|t| reference(&format!("ticket-{t}")))
            .collect();
        let comments: Vec<Vec<i64>> = tickets
            .iter()
            .map(|id| {
                state
                    .tickets
                    .get(id)
                    .map(|t| t.comment_ids.clone())
                    .unwrap_or_default()
            })
            .collect();
        let attachments = comments
            .iter()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        state
                            .comments
                            .get(c)
                            .map(|c| c.attachment_ids.clone())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        let ids = Ids {
            subject: reference(crate::world::SUBJECT_REF),
            people: world
                .people
                .iter()
                .map(|p| reference(&p.reference))
                .collect(),
            tickets,
            comments,
            attachments,
            suspended: seeded["suspended_tickets"]
                .as_array()
                .map(|all| all.iter().filter_map(Value::as_i64).collect())
                .unwrap_or_default(),
        };
        let events = log_after(admin, "/__mock/events", "events", 0).await?;
        let journal = log_after(admin, "/__mock/journal", "journal", 0).await?;
        Ok(Self {
            ids,
            state,
            events_seq: last_seq(&events),
            // The journal call above is journaled too, after its answer: skip it.
            journal_seq: last_seq(&journal) + 1,
        })
    }
}

impl Evidence {
    /// Gathers what the run did: its requests first (so the verifier's own calls are not
    /// among them), its events, the state, the residue of the subject's identifiers, and for
    /// an objection, what happens to emails the subject sends in now.
    pub async fn gather(
        admin: &Client,
        world: &World,
        task: Task,
        baseline: Baseline,
        export: Option<Result<Value, String>>,
    ) -> ClientResult<Self> {
        let journal = log_after(admin, "/__mock/journal", "journal", baseline.journal_seq)
            .await?
            .iter()
            .map(JournalEntry::from_json)
            .collect();
        let events = log_after(admin, "/__mock/events", "events", baseline.events_seq).await?;
        let after = state(admin).await?;
        let residue = admin
            .residue(
                &world
                    .subject
                    .needles()
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
            .await?;
        let residue = residue
            .iter()
            .map(|h| Hit {
                needle: h["needle"].as_str().unwrap_or_default().to_owned(),
                kind: h["kind"].as_str().unwrap_or_default().to_owned(),
                id: h["id"]
                    .as_str()
                    .map_or_else(|| h["id"].to_string(), str::to_owned),
                field: h["field"].as_str().unwrap_or_default().to_owned(),
            })
            .collect();
        let mut inbound = Vec::new();
        if task == Task::Suspend {
            for email in &world.subject.emails {
                let reply = admin
                    .post(
                        "/__mock/inbound/email",
                        json!({"name": world.subject.name, "email": email,
                               "subject": "Objection check", "body": "Is anyone reading this?"}),
                    )
                    .await?;
                inbound.push(Inbound {
                    email: email.clone(),
                    suspended: reply.at("/suspended_ticket_id").is_i64(),
                    reply: format!("{} {}", reply.status, reply.body_snippet(200)),
                });
            }
        }
        Ok(Self {
            ids: baseline.ids,
            before: baseline.state,
            after,
            residue,
            events,
            journal,
            export,
            inbound,
        })
    }

    /// The run's events of a type, in order.
    pub fn events_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.events.iter().filter(move |e| e["type"] == kind)
    }
}
