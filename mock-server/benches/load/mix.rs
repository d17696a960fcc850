//! The load: connections sending a fixed cycle of operations back to back for a while, each
//! request timed from its first byte written to its last byte read.

use super::client::{Conn, request};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The operations of the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    ShowUser,
    ListUsers,
    CreateTicket,
    SearchPhrase,
    SoftDelete,
}

impl Op {
    pub const ALL: [Op; 5] = [
        Op::ShowUser,
        Op::ListUsers,
        Op::CreateTicket,
        Op::SearchPhrase,
        Op::SoftDelete,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Op::ShowUser => "show user",
            Op::ListUsers => "list users (page of 100)",
            Op::CreateTicket => "create ticket with comment",
            Op::SearchPhrase => "search phrase",
            Op::SoftDelete => "soft delete ticket",
        }
    }

    pub fn expected_status(self) -> u16 {
        match self {
            Op::CreateTicket => 201,
            Op::SoftDelete => 204,
            _ => 200,
        }
    }
}

/// The mix: 20 operations per cycle — 8 show user, 3 each of the others — interleaved so a
/// ticket is deleted a few steps after it is created. Each connection starts at its own place
/// in the cycle.
pub const MIX: [Op; 20] = {
    use Op::*;
    [
        ShowUser,
        CreateTicket,
        ListUsers,
        ShowUser,
        SearchPhrase,
        ShowUser,
        SoftDelete,
        ShowUser,
        CreateTicket,
        ListUsers,
        ShowUser,
        SearchPhrase,
        ShowUser,
        SoftDelete,
        ShowUser,
        CreateTicket,
        ListUsers,
        SearchPhrase,
        SoftDelete,
        ShowUser,
    ]
};

/// The phrase searched for (the load world plants it in some comments).
pub const PHRASE: &str = "reset my password";

/// What every connection sends.
pub struct Requests {
    pub basic: String,
    /// One show-user request per user id, used in turn.
    pub show_user: Vec<Vec<u8>>,
    pub list_users: Vec<u8>,
    pub create_ticket: Vec<u8>,
    pub search: Vec<u8>,
}

impl Requests {
    pub fn new(basic: &str, user_ids: &[i64]) -> Self {
        let ticket = serde_json::json!({"ticket": {
            "subject": "Order 1234 never arrived",
            "comment": {"body": format!("Hello, I cannot {PHRASE} and I need to track my order.")},
        }});
        let query = format!("%22{}%22", PHRASE.replace(' ', "%20"));
        Self {
            basic: basic.to_owned(),
            show_user: user_ids
                .iter()
                .map(|id| request("GET", &format!("/api/v2/users/{id}.json"), basic, None))
                .collect(),
            list_users: request("GET", "/api/v2/users.json", basic, None),
            create_ticket: request(
                "POST",
                "/api/v2/tickets.json",
                basic,
                Some(&ticket.to_string()),
            ),
            search: request(
                "GET",
                &format!("/api/v2/search.json?query={query}"),
                basic,
                None,
            ),
        }
    }
}

/// One timed request.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub op: Op,
    pub latency: Duration,
}

/// What a run of the load produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub samples: Vec<Sample>,
    /// Requests answered with another status than expected, and the first such answer.
    pub errors: usize,
    pub first_error: Option<String>,
    /// The measured window (after the warm-up).
    pub window: Duration,
    /// Requests sent during the warm-up (not in `samples`).
    pub warm_up_requests: usize,
}

/// Runs `connections` connections against `port`, each cycling through `cycle`, for `warm_up`
/// (not recorded) and then `measure`. Must run inside a current-thread runtime's `LocalSet`.
pub async fn run(
    port: u16,
    requests: Rc<Requests>,
    cycle: &'static [Op],
    connections: usize,
    warm_up: Duration,
    measure: Duration,
) -> Outcome {
    let start = Instant::now();
    let recording = start + warm_up;
    let deadline = recording + measure;
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            let requests = requests.clone();
            tokio::task::spawn_local(async move {
                connection(port, &requests, cycle, c, recording, deadline).await
            })
        })
        .collect();
    let mut outcome = Outcome {
        window: measure,
        ..Outcome::default()
    };
    for task in tasks {
        let part = task.await.expect("a connection task");
        outcome.samples.extend(part.samples);
        outcome.errors += part.errors;
        outcome.warm_up_requests += part.warm_up_requests;
        if outcome.first_error.is_none() {
            outcome.first_error = part.first_error;
        }
    }
    outcome
}

async fn connection(
    port: u16,
    requests: &Requests,
    cycle: &[Op],
    number: usize,
    recording: Instant,
    deadline: Instant,
) -> Outcome {
    let mut conn = Conn::connect(port).await.expect("connect");
    let mut outcome = Outcome::default();
    let mut created: VecDeque<i64> = VecDeque::new();
    let mut step = number * 7;
    let mut user = number * 13;
    loop {
        let op = cycle[step % cycle.len()];
        step += 1;
        let delete;
        let bytes: &[u8] = match op {
            Op::ShowUser => {
                user += 1;
                &requests.show_user[user % requests.show_user.len()]
            }
            Op::ListUsers => &requests.list_users,
            Op::CreateTicket => &requests.create_ticket,
            Op::SearchPhrase => &requests.search,
            Op::SoftDelete => {
                let Some(id) = created.pop_front() else {
                    continue;
                };
                let path = format!("/api/v2/tickets/{id}.json");
                delete = request("DELETE", &path, &requests.basic, None);
                &delete
            }
        };
        let sent = Instant::now();
        if sent >= deadline {
            break;
        }
        let response = conn.send(bytes).await.expect("a response");
        let latency = sent.elapsed();
        if response.status != op.expected_status() {
            outcome.errors += 1;
            if outcome.first_error.is_none() {
                let body = String::from_utf8_lossy(conn.body(&response)).into_owned();
                outcome.first_error = Some(format!(
                    "{}: status {}: {body}",
                    op.label(),
                    response.status
                ));
            }
        } else if op == Op::CreateTicket {
            let body: serde_json::Value =
                serde_json::from_slice(conn.body(&response)).expect("a created ticket");
            created.push_back(body["ticket"]["id"].as_i64().expect("ticket id"));
        }
        if sent >= recording {
            outcome.samples.push(Sample { op, latency });
        } else {
            outcome.warm_up_requests += 1;
        }
    }
    outcome
}
