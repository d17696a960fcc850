//! What an account per test costs, and what the request journal costs, each measured against a
//! baseline taken in the same run (the project's rule: performance claims are ratios from a
//! benchmark, never timed assertions in tests). Results and the machine: `BENCHMARKS.md`.
//!
//! ```text
//! cargo bench -p zendesk-mock --bench accounts
//! ```
//!
//! - `account/*` — the store calls behind `/__mock/accounts`, `/__mock/seed`, `/__mock/reset`
//!   and `DELETE /__mock/accounts/{subdomain}`, in a registry that already holds [`RESIDENTS`]
//!   accounts (a shared test server in the middle of a suite run).
//! - `http/*` — one request per iteration over real loopback HTTP (keep-alive, in-process
//!   servers on port 0): `show_user` with the journal on (default [`Limits`]) and off
//!   (`journal_entries: 0`), and `bare`, a minimal axum route with a fixed small JSON body —
//!   the floor the HTTP stack itself sets on this machine.
//!
//! Each benchmark also records its samples here, so the run ends by printing the medians and
//! the ratios (criterion's median is the median of its per-sample means, which is what
//! [`Samples`] computes).

use criterion::{BenchmarkId, Criterion, Throughput};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zendesk_mock::store::identities::IdentityType;
use zendesk_mock::store::seed::World;
use zendesk_mock::store::{AccountData, Limits, OwnerSpec, Registry};
use zendesk_mock::{Options, build_state};

/// Other accounts in the registry while one is created, reset or deleted.
const RESIDENTS: usize = 64;

/// Samples per benchmark, set on each group so that a command-line `--sample-size` cannot make
/// [`Samples`] pick the wrong calls.
const SAMPLES: usize = 50;
const WARM_UP: Duration = Duration::from_secs(1);
/// Store calls take microseconds and vary little; requests vary more with other load on the
/// machine, so they get the longer measurement. The whole run takes about two minutes on a
/// 2-core machine.
const ACCOUNT_MEASUREMENT: Duration = Duration::from_secs(3);
const HTTP_MEASUREMENT: Duration = Duration::from_secs(10);

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(WARM_UP)
        .configure_from_args();
    let samples = Samples::default();
    accounts(&mut criterion, &samples);
    http(&mut criterion, &samples);
    criterion.final_summary();
    samples.report();
}

// ---------------------------------------------------------------------------------------------
// account/*

fn owner(subdomain: &str) -> OwnerSpec {
    OwnerSpec {
        name: "Admin".to_owned(),
        email: format!("admin@{subdomain}.example.com"),
        token: format!("token-{subdomain}"),
    }
}

/// A registry holding [`RESIDENTS`] fresh accounts.
fn populated_registry() -> Registry {
    let registry = Registry::new(Limits::default());
    for i in 0..RESIDENTS {
        let subdomain = format!("resident-{i}");
        registry
            .create_account(&subdomain, &owner(&subdomain))
            .expect("resident account");
    }
    registry
}

/// Fifty records: 25 users (every one with an email and a phone identity, 5 of them agents, one
/// left soft-deleted), 24 tickets with two comments each across open, pending and solved, and
/// one attachment.
fn world_50() -> World {
    let users: Vec<Value> = (0..25)
        .map(|i| {
            let mut user = json!({
                "ref": format!("u{i}"),
                "name": format!("User {i}"),
                "email": format!("user{i}@example.com"),
                "verified": true,
                "identities": [{"type": "phone_number", "value": format!("+1 202 555 {i:04}")}],
            });
            if i < 5 {
                user["role"] = json!("agent");
            }
            if i == 24 {
                user["deleted"] = json!("soft");
            }
            user
        })
        .collect();
    let tickets: Vec<Value> = (0..24)
        .map(|i| {
            let mut reply = json!({"author": format!("u{}", i % 5), "body": "We are on it."});
            if i == 0 {
                reply["attachments"] =
                    json!([{"file_name": "invoice.txt", "content": "Invoice 1001 for User 0"}]);
            }
            let status = ["open", "pending", "solved"][i % 3];
            json!({
                "subject": format!("Order {i} did not arrive"),
                "requester": format!("u{i}"),
                "assignee": format!("u{}", i % 5),
                "status": status,
                "comments": [
                    {"body": format!("Hello, my phone is +1 202 555 {i:04}; where is order {i}?")},
                    reply,
                ],
            })
        })
        .collect();
    World::from_json(json!({"users": users, "tickets": tickets})).expect("the 50-record world")
}

/// Seeds `world` into the account, as `POST /__mock/seed` does.
fn seed(registry: &Registry, subdomain: &str, world: &World) {
    let account = registry.get(subdomain).expect("account");
    let old: Vec<String> = account.read(|data| data.api_tokens().to_vec());
    account.write(|data| data.seed(world)).expect("seed");
    registry.reindex_tokens(&account, &old);
}

/// The data of `subdomain` (owned by [`owner`]) with `world` seeded: resetting or deleting an
/// account that holds a copy is resetting or deleting one just seeded, without paying for the
/// seed on every iteration.
fn seeded_data(subdomain: &str, world: &World) -> AccountData {
    let scratch = Registry::new(Limits::default());
    scratch
        .create_account(subdomain, &owner(subdomain))
        .expect("scratch account");
    seed(&scratch, subdomain, world);
    scratch
        .get(subdomain)
        .expect("account")
        .read(AccountData::clone)
}

fn accounts(criterion: &mut Criterion, samples: &Samples) {
    let registry = populated_registry();
    let world = world_50();
    let mut group = criterion.benchmark_group("account");
    group
        .sample_size(SAMPLES)
        .measurement_time(ACCOUNT_MEASUREMENT);
    let mut n = 0_u64;
    let mut fresh = move || {
        n += 1;
        let subdomain = format!("test-{n}");
        let owner = owner(&subdomain);
        (subdomain, owner)
    };

    // Each iteration is timed alone, so that the registry can be put back (out of the timing)
    // to RESIDENTS accounts; the two clock reads add ~50 ns to microsecond operations.
    group.bench_function("create", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (subdomain, owner) = fresh();
                let start = Instant::now();
                let account = registry.create_account(&subdomain, &owner);
                total += start.elapsed();
                black_box(account.expect("create"));
                registry.remove(&subdomain);
            }
            samples.record("account/create", iters, total)
        });
    });

    group.bench_function("create_seed_50", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (subdomain, owner) = fresh();
                let start = Instant::now();
                registry.create_account(&subdomain, &owner).expect("create");
                seed(&registry, &subdomain, &world);
                total += start.elapsed();
                registry.remove(&subdomain);
            }
            samples.record("account/create_seed_50", iters, total)
        });
    });

    let subdomain = "seeded";
    let template = seeded_data(subdomain, &world);
    let account = registry
        .create_account(subdomain, &owner(subdomain))
        .expect("create");
    group.bench_function("reset", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                account.write(|data| *data = template.clone());
                let start = Instant::now();
                registry.reset_account(&account).expect("reset");
                total += start.elapsed();
            }
            samples.record("account/reset", iters, total)
        });
    });
    drop(account);
    registry.remove(subdomain);

    // The account's last reference goes with the registry's, so the timing includes freeing
    // the seeded data — what the server does when a test deletes its account.
    group.bench_function("delete", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let account = registry
                    .create_account(subdomain, &owner(subdomain))
                    .expect("create");
                account.write(|data| *data = template.clone());
                drop(account);
                let start = Instant::now();
                let removed = registry.remove(subdomain);
                total += start.elapsed();
                assert!(removed, "the account was there to delete");
            }
            samples.record("account/delete", iters, total)
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// http/*

const ADMIN_EMAIL: &str = "admin@example.com";
const ADMIN_TOKEN: &str = "demo-token";

/// A server on a loopback port until dropped.
struct Server {
    url: String,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl Server {
    async fn start(
        serve: impl FnOnce(
            tokio::net::TcpListener,
            tokio::sync::oneshot::Receiver<()>,
        ) -> tokio::task::JoinHandle<()>,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel();
        serve(listener, rx);
        Self { url, _shutdown: tx }
    }

    /// The mock with the demo account and these limits; returns it with Jane Doe's show URL.
    async fn mock(limits: Limits) -> (Self, String) {
        let state = build_state(&Options {
            limits,
            ..Options::default()
        })
        .expect("server state");
        let jane = state
            .registry
            .default_account()
            .expect("demo account")
            .read(|data| data.active_user_by_identity(IdentityType::Email, "jane.doe@example.com"))
            .expect("Jane Doe in the demo world");
        let server = Self::start(|listener, rx| {
            tokio::spawn(async move {
                let _ = zendesk_mock::serve(listener, state, async {
                    let _ = rx.await;
                })
                .await;
            })
        })
        .await;
        let url = format!("{}/api/v2/users/{jane}.json", server.url);
        (server, url)
    }

    /// The baseline: the same path answered by one axum route with a fixed body.
    async fn bare() -> (Self, String) {
        let server = Self::start(|listener, rx| {
            let app = axum::Router::new().route(
                "/api/v2/users/{id}",
                axum::routing::get(|| async {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        r#"{"user":{"id":1,"name":"Bare"}}"#,
                    )
                }),
            );
            tokio::spawn(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            })
        })
        .await;
        let url = format!("{}/api/v2/users/1.json", server.url);
        (server, url)
    }
}

/// One authenticated GET, body read whole.
async fn get(client: &reqwest::Client, url: &str) {
    let response = client
        .get(url)
        .basic_auth(format!("{ADMIN_EMAIL}/token"), Some(ADMIN_TOKEN))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200, "GET {url}");
    black_box(response.bytes().await.expect("body read"));
}

fn http(criterion: &mut Criterion, samples: &Samples) {
    // One current-thread runtime drives the client and the servers, as `#[tokio::test]` does:
    // a request's time is all the CPU it costs (client, both ends of the socket, server), with
    // no wake-ups across threads. With a multi-thread runtime on 2 cores a benchmark's median
    // moved by up to 2× from run to run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (_bare, bare_url) = runtime.block_on(Server::bare());
    let (_on, on_url) = runtime.block_on(Server::mock(Limits::default()));
    let (_off, off_url) = runtime.block_on(Server::mock(Limits {
        journal_entries: 0,
        ..Limits::default()
    }));
    // One client, so every server is reached over the same kind of pooled keep-alive connection.
    let client = reqwest::Client::new();

    let mut group = criterion.benchmark_group("http");
    group
        .sample_size(SAMPLES)
        .measurement_time(HTTP_MEASUREMENT);
    group.throughput(Throughput::Elements(1));
    // Criterion measures these one after another, ten seconds each, so load that comes and
    // goes on the machine lands on one of them; `interleaved` below measures the ratios again
    // with the servers milliseconds apart.
    let cases = [
        ("http/bare", BenchmarkId::from_parameter("bare"), &bare_url),
        (
            "http/show_user/journal_on",
            BenchmarkId::new("show_user", "journal_on"),
            &on_url,
        ),
        (
            "http/show_user/journal_off",
            BenchmarkId::new("show_user", "journal_off"),
            &off_url,
        ),
    ];
    for (name, id, url) in cases {
        group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        get(&client, url).await;
                    }
                    samples.record(name, iters, start.elapsed())
                })
            });
        });
    }
    group.finish();
    let measured = [
        "http/bare",
        "http/show_user/journal_on",
        "http/show_user/journal_off",
    ]
    .iter()
    .all(|name| samples.median(name).is_some());
    if measured {
        let urls = [&bare_url, &on_url, &off_url].map(String::as_str);
        let [bare_over_on, on_over_off] = runtime.block_on(interleaved(&client, urls));
        samples.note("journal off / on, throughput", on_over_off);
        samples.note("show_user (journal on) / bare, throughput", bare_over_on);
    }
}

/// Rounds of the interleaved measurement, and requests to each server per round.
const ROUNDS: usize = 300;
const BLOCK: u32 = 40;

/// The HTTP ratios again, measured so that other load on the machine cancels out: each round
/// sends [`BLOCK`] requests to each of `[bare, journal on, journal off]` back to back, starting
/// with a different server each round, and yields one time ratio per pair; the result is the
/// median over [`ROUNDS`] rounds. Criterion measures the servers ten seconds apart, these
/// milliseconds apart. Returns `[bare / on, on / off]`.
async fn interleaved(client: &reqwest::Client, urls: [&str; 3]) -> [f64; 2] {
    let mut ratios = [Vec::new(), Vec::new()];
    for round in 0..ROUNDS {
        let mut times = [0.0; 3];
        for k in 0..3 {
            let server = (round + k) % 3;
            let start = Instant::now();
            for _ in 0..BLOCK {
                get(client, urls[server]).await;
            }
            times[server] = start.elapsed().as_secs_f64();
        }
        ratios[0].push(times[0] / times[1]);
        ratios[1].push(times[1] / times[2]);
    }
    ratios.map(|mut r| median(&mut r))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

// ---------------------------------------------------------------------------------------------
// The run's medians and ratios

/// Per-iteration times of every `iter_custom` call, by benchmark. Criterion's warm-up calls come
/// first, so a benchmark's samples are its last [`SAMPLES`] calls.
/// Also the interleaved ratios, to print with the rest.
#[derive(Default)]
struct Samples {
    times: Mutex<BTreeMap<&'static str, Vec<f64>>>,
    interleaved: Mutex<Vec<(&'static str, f64)>>,
}

impl Samples {
    fn record(&self, name: &'static str, iters: u64, elapsed: Duration) -> Duration {
        let mut samples = self.times.lock().expect("samples");
        let per_iter = elapsed.as_nanos() as f64 / iters.max(1) as f64;
        samples.entry(name).or_default().push(per_iter);
        elapsed
    }

    fn note(&self, label: &'static str, ratio: f64) {
        self.interleaved
            .lock()
            .expect("ratios")
            .push((label, ratio));
    }

    /// The median per-iteration time in ns, if the benchmark ran its full sample.
    fn median(&self, name: &str) -> Option<f64> {
        let samples = self.times.lock().expect("samples");
        let all = samples.get(name)?;
        let mut last = all.get(all.len().checked_sub(SAMPLES)?..)?.to_vec();
        Some(median(&mut last))
    }

    /// Prints the medians and the ratios of this run (nothing under `--test` or a filter that
    /// leaves out a ratio's terms).
    fn report(&self) {
        let names: Vec<&'static str> = self
            .times
            .lock()
            .expect("samples")
            .keys()
            .copied()
            .collect();
        let medians: Vec<(&str, f64)> = names
            .iter()
            .filter_map(|name| Some((*name, self.median(name)?)))
            .collect();
        if medians.is_empty() {
            return;
        }
        println!("\nMedians of this run:");
        for (name, ns) in &medians {
            println!("  {name:<28} {:>10.2} µs", ns / 1000.0);
        }
        let ratio = |a: &str, b: &str| Some(self.median(a)? / self.median(b)?);
        let lines = [
            (
                "journal off / on, throughput",
                ratio("http/show_user/journal_on", "http/show_user/journal_off"),
            ),
            (
                "show_user (journal on) / bare, throughput",
                ratio("http/bare", "http/show_user/journal_on"),
            ),
            (
                "create_seed_50 / create, time",
                ratio("account/create_seed_50", "account/create"),
            ),
            (
                "reset / create_seed_50, time",
                ratio("account/reset", "account/create_seed_50"),
            ),
            (
                "create_seed_50 / show_user request, time",
                ratio("account/create_seed_50", "http/show_user/journal_on"),
            ),
        ];
        println!("Ratios of the medians:");
        for (label, value) in lines {
            if let Some(value) = value {
                println!("  {label:<42} {value:>7.3}");
            }
        }
        let interleaved = self.interleaved.lock().expect("ratios");
        if !interleaved.is_empty() {
            println!("Ratios, interleaved ({ROUNDS} rounds of {BLOCK} requests per server):");
            for (label, value) in interleaved.iter() {
                println!("  {label:<42} {value:>7.3}");
            }
        }
        // Other work on a 2-core machine moves the HTTP figures most: say how busy it was.
        if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
            let load: Vec<&str> = load.split_whitespace().take(3).collect();
            println!("Load average (1, 5, 15 min) at the end: {}", load.join(" "));
        }
    }
}
