//! Load, startup and baseline (issue #9): the release `zendesk-mock` binary as users run it,
//! against a bare axum server answering the same bytes, on loopback, in the same run.
//! Results and the machine: `BENCHMARKS.md`.
//!
//! ```text
//! cargo bench -p zendesk-mock --bench load
//! ```
//!
//! - **Startup**: from spawning the process to the first `200` of `GET /api/v2/users/me.json`
//!   (the demo account seeded), median of [`STARTS`] runs; the bare server's own start is the
//!   baseline (what spawning any tokio server costs here).
//! - **Load**: [`mix::MIX`] — show user, list users, create ticket with comment, search phrase,
//!   soft delete — and show user alone, from connections on one client thread (this process),
//!   against the mock and then the bare server ([`bare`]), [`ROUNDS`] rounds alternating which
//!   goes first. Each mock round starts from a reset account seeded with [`world::seed`].
//!   Reported: requests/s, p50/p99 per operation, the servers' CPU time per request, and
//!   ours / bare.
//!
//! Not criterion: the point is throughput under concurrency and tail latency, which criterion's
//! one-at-a-time iterations do not show. `LOAD_BENCH_SECONDS` changes the measured seconds per
//! run (default 3); `LOAD_BENCH_ONLY=text` runs only the scenarios whose name contains `text`
//! (for profiling: `perf record -g -p $(pgrep -n zendesk-mock)` while it runs).

mod bare;
mod client;
mod mix;
mod procs;
mod report;
#[path = "../common/system.rs"]
mod system;
mod world;

use base64::Engine;
use client::{Conn, request};
use mix::{MIX, Op, Outcome, Requests};
use procs::Server;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Process starts per server for the startup median.
const STARTS: usize = 20;
/// Rounds per scenario; each round measures both servers.
const ROUNDS: usize = 3;
const WARM_UP: Duration = Duration::from_millis(500);

/// A scenario: which operations, over how many connections.
struct Scenario {
    name: &'static str,
    cycle: &'static [Op],
    connections: usize,
}

const SCENARIOS: [Scenario; 3] = [
    Scenario {
        name: "show user, 1 connection",
        cycle: &[Op::ShowUser],
        connections: 1,
    },
    Scenario {
        name: "show user, 32 connections",
        cycle: &[Op::ShowUser],
        connections: 32,
    },
    Scenario {
        name: "mix, 32 connections",
        cycle: &MIX,
        connections: 32,
    },
];

fn main() {
    if let Ok(port) = std::env::var(procs::BARE_VAR) {
        let bodies = std::env::var(procs::BODIES_VAR).expect("the bodies file");
        bare::run(port.parse().expect("a port"), bodies.as_ref());
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, bench());
}

fn basic() -> String {
    base64::engine::general_purpose::STANDARD.encode("admin@example.com/token:demo-token")
}

async fn bench() {
    println!("machine: {}", system::machine());
    let seconds: u64 = std::env::var("LOAD_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let measure = Duration::from_secs(seconds);

    // The mock, its load account, and the answers the bare server will give.
    let mock = procs::spawn_mock(procs::free_port());
    wait_ready(mock.port).await.expect("the mock starts");
    let user_ids = prepare(mock.port).await;
    let requests = Rc::new(Requests::new(&basic(), &user_ids));
    let answers = probe(mock.port, &requests).await;
    let bodies =
        std::env::temp_dir().join(format!("load-bench-bodies-{}.json", std::process::id()));
    std::fs::write(&bodies, serde_json::to_string(&answers).expect("JSON")).expect("write bodies");

    let startup = startup(&bodies).await;
    report::startup(&startup);

    let bare = procs::spawn_bare(procs::free_port(), &bodies);
    wait_ready(bare.port).await.expect("the bare server starts");
    let mut results = Vec::new();
    let only = std::env::var("LOAD_BENCH_ONLY").unwrap_or_default();
    for scenario in SCENARIOS.iter().filter(|s| s.name.contains(&only)) {
        let mut rounds = Vec::new();
        for round in 0..ROUNDS {
            let ours_first = round % 2 == 0;
            let mut pair = [None, None];
            for turn in 0..2 {
                let ours = (turn == 0) == ours_first;
                let server = if ours { &mock } else { &bare };
                if ours {
                    prepare(mock.port).await;
                }
                let run = measured(server, &requests, scenario, measure).await;
                pair[usize::from(!ours)] = Some(run);
            }
            let [Some(ours), Some(bare)] = pair else {
                unreachable!("both servers ran")
            };
            rounds.push((ours, bare));
        }
        println!("  {}: done ({})", scenario.name, system::load_average());
        results.push((scenario.name, scenario.cycle, rounds));
    }
    let rss = system::rss_kib(&mock.pid().to_string());
    report::load(&results, &answers, rss);
    std::fs::remove_file(&bodies).ok();
}

/// One run against one server, with the servers' and the client's CPU time across it.
pub struct Run {
    pub outcome: Outcome,
    pub server_cpu: Duration,
    pub client_cpu: Duration,
}

async fn measured(
    server: &Server,
    requests: &Rc<Requests>,
    scenario: &Scenario,
    measure: Duration,
) -> Run {
    let pid = server.pid().to_string();
    let (server_before, client_before) = (system::cpu(&pid), system::cpu("self"));
    let outcome = mix::run(
        server.port,
        requests.clone(),
        scenario.cycle,
        scenario.connections,
        WARM_UP,
        measure,
    )
    .await;
    Run {
        server_cpu: system::cpu(&pid) - server_before,
        client_cpu: system::cpu("self") - client_before,
        outcome,
    }
}

/// Polls `GET /api/v2/users/me.json` until it answers 200; how long that took from the call.
async fn wait_ready(port: u16) -> Result<Duration, String> {
    let start = Instant::now();
    let me = request("GET", "/api/v2/users/me.json", &basic(), None);
    while start.elapsed() < Duration::from_secs(10) {
        if let Ok(mut conn) = Conn::connect(port).await
            && let Ok(response) = conn.send(&me).await
            && response.status == 200
        {
            return Ok(start.elapsed());
        }
        tokio::time::sleep(Duration::from_micros(100)).await;
    }
    Err(format!("nothing answered on port {port} within 10 s"))
}

/// Startup times, mock and bare, [`STARTS`] each, alternating.
pub struct Startup {
    pub mock: Vec<Duration>,
    pub bare: Vec<Duration>,
}

async fn startup(bodies: &std::path::Path) -> Startup {
    let mut times = Startup {
        mock: Vec::new(),
        bare: Vec::new(),
    };
    for _ in 0..STARTS {
        let start = Instant::now();
        let server = procs::spawn_mock(procs::free_port());
        wait_ready(server.port).await.expect("the mock starts");
        times.mock.push(start.elapsed());
        drop(server);
        let start = Instant::now();
        let server = procs::spawn_bare(procs::free_port(), bodies);
        wait_ready(server.port)
            .await
            .expect("the bare server starts");
        times.bare.push(start.elapsed());
    }
    times
}

/// Resets the demo account and seeds the load world; the seeded users' ids.
async fn prepare(port: u16) -> Vec<i64> {
    let mut conn = Conn::connect(port).await.expect("connect");
    let reset = conn
        .send(&request("POST", "/__mock/reset", &basic(), Some("{}")))
        .await
        .expect("reset");
    assert_eq!(
        reset.status,
        200,
        "reset: {}",
        String::from_utf8_lossy(conn.body(&reset))
    );
    let seed = world::seed().to_string();
    let seeded = conn
        .send(&request("POST", "/__mock/seed", &basic(), Some(&seed)))
        .await
        .expect("seed");
    let body: serde_json::Value =
        serde_json::from_slice(conn.body(&seeded)).expect("the seed's answer");
    assert_eq!(seeded.status, 200, "seed: {body}");
    world::user_ids(&body)
}

/// One request of each operation to the mock; its answers become the bare server's.
async fn probe(port: u16, requests: &Requests) -> bare::Answers {
    let mut conn = Conn::connect(port).await.expect("connect");
    let mut answer = async |bytes: &[u8], op: Op| {
        let response = conn.send(bytes).await.expect("a response");
        let body = String::from_utf8(conn.body(&response).to_vec()).expect("UTF-8");
        assert_eq!(
            response.status,
            op.expected_status(),
            "{}: {body}",
            op.label()
        );
        bare::Answer {
            status: response.status,
            body,
        }
    };
    let show_user = answer(&requests.show_user[0], Op::ShowUser).await;
    let list_users = answer(&requests.list_users, Op::ListUsers).await;
    let create_ticket = answer(&requests.create_ticket, Op::CreateTicket).await;
    let search = answer(&requests.search, Op::SearchPhrase).await;
    let created: serde_json::Value = serde_json::from_str(&create_ticket.body).expect("JSON");
    let path = format!("/api/v2/tickets/{}.json", created["ticket"]["id"]);
    let soft_delete = answer(&request("DELETE", &path, &basic(), None), Op::SoftDelete).await;
    bare::Answers {
        show_user,
        list_users,
        create_ticket,
        search,
        soft_delete,
    }
}
