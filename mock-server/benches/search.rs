//! Search at scale (issue #4): one account with 100,000 tickets and 500,000 comments. Reports the
//! index's build time and memory, then the latency of each query class over HTTP, against the
//! brute-force scan ([`AccountData::search_by_scan`]) measured in the same run. Results and the
//! machine: `BENCHMARKS.md`.
//!
//! ```text
//! cargo bench -p zendesk-mock --bench search
//! ```
//!
//! Not criterion: a query's cost depends on its hit count, so each query is its own line, timed
//! request by request (p50, p99, mean over [`REQUESTS`] after [`WARM_UP`]). The world is
//! generated from a fixed seed, so every run searches the same text:
//!
//! - comments of 1–4 sentences over a vocabulary of [`VOCABULARY`] words with Zipf-like
//!   frequencies (about 150 common English words first, then generated ones);
//! - stock phrases planted at known rates ("tracking number", "reset my password",
//!   "credit card");
//! - a data subject, Margot Lindqvist: a user who requests some tickets, and whose name, email
//!   and phone number are planted in a known number of comments.
//!
//! The world is seeded into a detached `AccountData` (the seed does not touch the index), so the
//! wholesale index build — `AccountData::rebuild_search_index`, what seeding does — is timed
//! and its resident memory measured on its own.
//!
//! For profiling: `SEARCH_BENCH_SCALE=0.1` builds a tenth of the world, `SEARCH_BENCH_ONLY=a,b`
//! runs only the queries whose class is, or whose label contains, `a` or `b` (`phrase`,
//! `tra*`), `SEARCH_BENCH_HTTP_ONLY=1` skips the in-process measurements,
//! `SEARCH_BENCH_REQUESTS=n` sends `n` requests per query.

#[path = "common/system.rs"]
mod system;

use serde_json::Value;
use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};
use zendesk_mock::store::clock::{iso8601, parse_rfc3339};
use zendesk_mock::store::search::Order;
use zendesk_mock::store::search::document::DocKey;
use zendesk_mock::store::search::query::Query;
use zendesk_mock::store::seed::World;
use zendesk_mock::store::seed_tickets::{SeedComment, SeedTicket};
use zendesk_mock::store::tickets::TicketInput;
use zendesk_mock::store::{Account, AccountData, Limits, OwnerSpec};
use zendesk_mock::{Options, build_state};

const TICKETS: usize = 100_000;
/// Five per ticket on average: tickets alternate 5 + d and 5 − d comments, d in 0..=2.
const COMMENTS: usize = 500_000;
const PER_TICKET: usize = COMMENTS / TICKETS;
const END_USERS: usize = 2_000;
const AGENTS: usize = 20;
const VOCABULARY: usize = 5_000;
/// Zipf exponent of word frequencies.
const ZIPF: f64 = 1.0;

/// Requests per query over HTTP, after the warm-up.
const REQUESTS: usize = 300;
const WARM_UP: usize = 20;
/// Runs of the in-process index search per query: at least this many, for at least this long.
const ENGINE_RUNS: u32 = 30;
const ENGINE_TIME: Duration = Duration::from_millis(300);
/// Runs of the brute-force scan per query.
const SCAN_RUNS: usize = 3;
/// Incremental index upkeep: ticket updates (one comment each) timed.
const WRITES: usize = 200;

const START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const OWNER_EMAIL: &str = "admin@bench.example";
const OWNER_TOKEN: &str = "bench-token";

/// The data subject a privacy tool searches for.
const SUBJECT_NAME: &str = "Margot Lindqvist";
const SUBJECT_EMAIL: &str = "margot.lindqvist@example.net";
const SUBJECT_PHONE: &str = "+46 70 123 45 67";
/// Per comment: the chance it mentions the subject's name, email, phone.
const NAME_RATE: f64 = 1.0 / 2_500.0;
const EMAIL_RATE: f64 = 1.0 / 5_000.0;
const PHONE_RATE: f64 = 1.0 / 10_000.0;
/// Tickets the subject requests (every 4,000th).
const SUBJECT_TICKET_EVERY: usize = 4_000;
/// Stock phrases and the chance a comment holds each.
const PHRASES: [(&str, f64); 3] = [
    ("tracking number", 0.05),
    ("reset my password", 0.02),
    ("credit card", 0.03),
];

/// The most frequent words, most frequent first (whitespace-separated); generated words
/// follow.
const COMMON: &str = "\
    the to i and a you my is for it of in order we this on have your please not can with \
    be that me was but are thanks do account help at if will so from get just would an \
    as or no any there they all hi hello when what our still been issue know one out \
    time team payment received refund need could email customer support update again \
    delivery today problem yesterday last week package sent shipping invoice which let \
    us check soon back new able should after login error app phone like about by how now \
    see some also did number address item return product service status days message \
    tried working regards best kind dear sorry more than only then here were has had \
    them their subscription cancel charged twice missing damaged wrong size color store \
    website browser screen click button page settings profile";

fn main() {
    let scale: f64 = std::env::var("SEARCH_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let tickets = ((TICKETS as f64 * scale) as usize).max(2 * SUBJECT_TICKET_EVERY);
    let rss_start = system::rss_kib("self");

    // The world: generated, then seeded into a detached account.
    let started = Instant::now();
    let generated = generate(tickets);
    let generate_time = started.elapsed();
    let comments: usize = generated
        .world
        .tickets
        .iter()
        .map(|t| t.comments.len())
        .sum();
    println!(
        "world: {tickets} tickets, {comments} comments, {} users; generated in {:.1} s",
        generated.world.users.len() + 1,
        generate_time.as_secs_f64()
    );
    let state = build_state(&Options {
        demo: false,
        limits: Limits::default(),
        ..Options::default()
    })
    .expect("server state");
    let owner = OwnerSpec {
        name: "Bench Admin".to_owned(),
        email: OWNER_EMAIL.to_owned(),
        token: OWNER_TOKEN.to_owned(),
    };
    let account = state
        .registry
        .create_account("bench", &owner)
        .expect("account");
    let mut data = account.read(AccountData::clone);
    data.settings.solved_to_closed_days = None;
    let started = Instant::now();
    data.seed(&generated.world)
        .unwrap_or_else(|e| panic!("seed: {}", e.summary()));
    let seed_time = started.elapsed();
    let planted = generated.planted;
    // The generated world stays allocated until the index is measured, so that the build
    // cannot reuse its freed memory and hide from the RSS difference.
    let rss_world = system::rss_kib("self");
    println!(
        "seeded in {:.1} s; RSS {} MiB",
        seed_time.as_secs_f64(),
        rss_world / 1024
    );

    // The wholesale build, as seeding does it.
    let (started, cpu_started) = (Instant::now(), cpu_now());
    data.rebuild_search_index();
    let build_time = started.elapsed();
    let build_cpu = cpu_now().saturating_sub(cpu_started);
    let rss_index = system::rss_kib("self");
    let stats = data.search_index_stats();
    drop(generated);
    // The same build split: extracting the records alone.
    let started = Instant::now();
    let docs = black_box(data.all_search_docs());
    let extract_time = started.elapsed();
    drop(docs);
    println!(
        "index built in {:.2} s (extraction alone {:.2} s); RSS {} MiB",
        build_time.as_secs_f64(),
        extract_time.as_secs_f64(),
        rss_index / 1024
    );
    let owner_id = data.owner_id;
    account.write(move |d| *d = data);

    let writes = incremental(&account, owner_id);

    // Queries over HTTP, in-process on the index, and by scan.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (url, _shutdown) = runtime.block_on(start_server(state));
    let client = reqwest::Client::new();
    let mut rows = Vec::new();
    let only = std::env::var("SEARCH_BENCH_ONLY").ok();
    let page_ids = first_page(&account, owner_id);
    for case in cases(&planted, &page_ids) {
        if only.as_deref().is_some_and(|only| {
            !only
                .split(',')
                .any(|o| case.class == o || case.label().contains(o))
        }) {
            continue;
        }
        let row = measure(&runtime, &client, &url, &account, owner_id, &case);
        println!(
            "  {:<8} {:<44} hits {:>6}  p50 {:>9}  CPU {:>9}  scan {:>9}",
            case.class,
            case.label(),
            row.hits,
            ms(row.http.p50),
            ms(row.http.cpu),
            row.scan.map_or("–".to_owned(), ms)
        );
        rows.push(row);
    }

    // The report.
    let world_mib = (rss_world.saturating_sub(rss_start)) as f64 / 1024.0;
    let index_mib = (rss_index.saturating_sub(rss_world)) as f64 / 1024.0;
    println!();
    println!(
        "World: {tickets} tickets, {comments} comments, {} users; generated {:.1} s, seeded {:.1} s, RSS +{world_mib:.0} MiB",
        END_USERS + AGENTS + 2,
        generate_time.as_secs_f64(),
        seed_time.as_secs_f64(),
    );
    println!(
        "Planted: name in {} comments, email in {}, phone in {}; the subject requests {} tickets",
        planted.name, planted.email, planted.phone, planted.requested
    );
    println!(
        "Index build (rebuild_search_index): {:.2} s ({:.2} s CPU), of which extraction {:.2} s",
        build_time.as_secs_f64(),
        build_cpu.as_secs_f64(),
        extract_time.as_secs_f64()
    );
    let estimate = stats.doc_bytes + stats.posting_bytes;
    println!(
        "Index memory: RSS +{index_mib:.0} MiB; estimate {:.0} MiB (records {:.0}, postings {:.0}) = {:.0} B/ticket, {:.0} B/comment",
        mib(estimate),
        mib(stats.doc_bytes),
        mib(stats.posting_bytes),
        estimate as f64 / tickets as f64,
        estimate as f64 / comments as f64,
    );
    println!(
        "Index: {} records, vocabulary {} words, {} postings, {} positions; {} pairs, {} pair postings ({:.0} MiB of the postings)",
        stats.records,
        stats.vocabulary,
        stats.postings,
        stats.positions,
        stats.pairs,
        stats.pair_postings,
        mib(stats.pair_bytes),
    );
    println!(
        "Incremental upkeep per write (median of {WRITES} ticket updates adding a comment): write {}, of which the index {} ({:.0}%)",
        us(writes.total),
        us(writes.index),
        100.0 * writes.index.as_secs_f64() / writes.total.as_secs_f64()
    );
    println!();
    println!(
        "| class  | query                                        |   hits |  HTTP p50 |  HTTP p99 | HTTP mean | HTTP CPU | index CPU |   scan CPU | scan / index | scan / HTTP CPU |"
    );
    println!(
        "|--------|----------------------------------------------|-------:|----------:|----------:|----------:|---------:|----------:|-----------:|-------------:|----------------:|"
    );
    let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.0}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "–".to_owned(),
    };
    for row in &rows {
        println!(
            "| {:<6} | {:<44} | {:>6} | {:>9} | {:>9} | {:>9} | {:>8} | {:>9} | {:>10} | {:>12} | {:>15} |",
            row.class,
            format!("`{}`", row.label),
            row.hits,
            ms(row.http.p50),
            ms(row.http.p99),
            ms(row.http.mean),
            ms(row.http.cpu),
            row.engine.map_or("–".to_owned(), ms),
            row.scan.map_or("–".to_owned(), ms),
            ratio(row.scan, row.engine),
            ratio(row.scan, Some(row.http.cpu)),
        );
    }
    println!(
        "HTTP: {REQUESTS} requests per query after {WARM_UP} warm-up, per_page=100, one keep-alive connection; wall-clock p50/p99/mean, and the mean CPU time per request. Index in-process (search_page with the first 100 ranked, or search_count): mean CPU time over ≥ {ENGINE_RUNS} runs and ≥ {} ms; scan (search_by_scan): mean CPU time of {SCAN_RUNS} runs. Ratios are of CPU times.",
        ENGINE_TIME.as_millis()
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!("Load average (1, 5, 15 min) at the end: {}", load.join(" "));
    }
    // Freeing the world takes seconds and measures nothing.
    std::process::exit(0);
}

// ---------------------------------------------------------------------------------------------
// The world

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Words with Zipf-like frequencies.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut Rng) -> Self {
        let mut words: Vec<String> = COMMON.split_whitespace().map(str::to_owned).collect();
        let mut seen: HashSet<String> = words.iter().cloned().collect();
        for planted in [
            "margot",
            "lindqvist",
            "tracking",
            "reset",
            "password",
            "credit",
            "card",
        ] {
            seen.insert(planted.to_owned());
        }
        const ONSETS: &[&str] = &[
            "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
            "ch", "sh", "th", "st", "tr", "pl", "br", "gr",
        ];
        const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou", "ea", "io"];
        const CODAS: &[&str] = &["", "", "", "n", "r", "s", "t", "l", "m", "x", "nd", "ng"];
        while words.len() < VOCABULARY {
            let syllables = 2 + rng.below(2);
            let mut word = String::new();
            for _ in 0..syllables {
                word.push_str(ONSETS[rng.below(ONSETS.len())]);
                word.push_str(NUCLEI[rng.below(NUCLEI.len())]);
            }
            word.push_str(CODAS[rng.below(CODAS.len())]);
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..words.len())
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(ZIPF);
                total
            })
            .collect::<Vec<f64>>()
            .into_iter()
            .map(|c| c / total)
            .collect();
        Self { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let at = self.cumulative.partition_point(|c| *c < u);
        &self.words[at.min(self.words.len() - 1)]
    }
}

/// How often the data subject was planted.
#[derive(Debug, Clone, Copy, Default)]
struct Planted {
    name: usize,
    email: usize,
    phone: usize,
    requested: usize,
    /// Vocabulary words at a few ranks, for term queries.
    mid_word: &'static str,
    rare_word: &'static str,
}

struct Generated {
    world: World,
    planted: Planted,
}

const FIRST: &str = "\
    Anna Ben Carla David Elena Farid Greta Hugo Ines Jonas Kaito Lena Mateo Nora Oskar \
    Priya Quentin Rosa Samir Tove Uma Viktor Wanda Xavier Yara Zoe Amir Bea Chen Dara \
    Emil Fatima Goran Hana Ivo Julia Karl Lucia Marek Nadia";
const LAST: &str = "\
    Andersson Bauer Costa Dubois Eriksen Fischer Garcia Hansen Ito Jansen Kowalski \
    Larsen Moreau Nakamura Olsen Petrov Quinn Rossi Schmidt Tanaka Ueda Varga Weber Xu \
    Yilmaz Zhang Alves Berg Castro Dahl Engel Ferreira Gruber Holm Ivanova Jovanovic Kim \
    Lund Meyer Novak Ortiz Pereira Richter Silva Torres Urban Vogel Wolf Young Ziegler \
    Nieminen Horvat Popescu Nagy Kovac Brandt Sorensen Lindgren Strand Aalto";
const TAGS: &str = "\
    billing shipping vip refund_request eu us mobile \
    web login_issue damaged returns priority_customer newsletter warranty \
    b2b gift subscription chargeback escalated feedback";
const STATUSES: &[(&str, u32)] = &[
    ("new", 10),
    ("open", 30),
    ("pending", 15),
    ("hold", 5),
    ("solved", 25),
    ("closed", 15),
];

fn weighted<'a>(rng: &mut Rng, items: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.below(total as usize) as u32;
    for (item, weight) in items {
        if at < *weight {
            return item;
        }
        at -= weight;
    }
    items[items.len() - 1].0
}

fn sentence(rng: &mut Rng, vocabulary: &Vocabulary, out: &mut String, len: usize) {
    for i in 0..len {
        let word = vocabulary.pick(rng);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
        if i + 1 < len && rng.chance(0.08) {
            out.push(',');
        }
    }
    out.push_str(". ");
}

fn comment_body(rng: &mut Rng, vocabulary: &Vocabulary, planted: &mut Planted) -> String {
    let mut body = String::new();
    let sentences = 1 + rng.below(4);
    for _ in 0..sentences {
        let len = 6 + rng.below(9);
        sentence(rng, vocabulary, &mut body, len);
    }
    for (phrase, rate) in PHRASES {
        if rng.chance(rate) {
            body.push_str(&format!("The {phrase} is {}. ", vocabulary.pick(rng)));
        }
    }
    if rng.chance(NAME_RATE) {
        planted.name += 1;
        body.push_str(&format!("This is about {SUBJECT_NAME}'s case. "));
    }
    if rng.chance(EMAIL_RATE) {
        planted.email += 1;
        body.push_str(&format!("Reply to {SUBJECT_EMAIL} please. "));
    }
    if rng.chance(PHONE_RATE) {
        planted.phone += 1;
        body.push_str(&format!("Call me on {SUBJECT_PHONE}. "));
    }
    body.truncate(body.trim_end().len());
    body
}

fn generate(tickets: usize) -> Generated {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let vocabulary = Vocabulary::new(&mut rng);
    let mut planted = Planted {
        mid_word: leak(&vocabulary.words[300]),
        rare_word: leak(&vocabulary.words[3_000]),
        ..Planted::default()
    };
    let first_names: Vec<&str> = FIRST.split_whitespace().collect();
    let tags: Vec<&str> = TAGS.split_whitespace().collect();
    let last_names: Vec<&str> = LAST.split_whitespace().collect();
    let mut users = Vec::new();
    for i in 0..END_USERS + AGENTS {
        let first = first_names[rng.below(first_names.len())];
        let last = last_names[rng.below(last_names.len())];
        let role = if i < AGENTS { "agent" } else { "end-user" };
        users.push(serde_json::json!({
            "ref": format!("u{i}"),
            "name": format!("{first} {last}"),
            "email": format!("{}.{}.{i}@example.com", first.to_lowercase(), last.to_lowercase()),
            "role": role,
            "verified": true,
        }));
    }
    users.push(serde_json::json!({
        "ref": "subject",
        "name": SUBJECT_NAME,
        "email": SUBJECT_EMAIL,
        "phone": SUBJECT_PHONE,
        "verified": true,
    }));
    let world_users = World::from_json(serde_json::json!({ "users": users }))
        .expect("users")
        .users;
    let mut seeded = Vec::with_capacity(tickets);
    let mut d = 0;
    for t in 0..tickets {
        // A pair of tickets shares d, so that the pair has exactly 2 × PER_TICKET comments.
        if t % 2 == 0 {
            d = rng.below(3);
        }
        let count = if t % 2 == 0 {
            PER_TICKET + d
        } else {
            PER_TICKET - d
        };
        let requester = if t % SUBJECT_TICKET_EVERY == 0 {
            planted.requested += 1;
            "subject".to_owned()
        } else {
            format!("u{}", AGENTS + rng.below(END_USERS))
        };
        let agent = format!("u{}", rng.below(AGENTS));
        let comments = (0..count)
            .map(|c| SeedComment {
                author: (c % 2 == 1).then(|| agent.clone()),
                body: Some(comment_body(&mut rng, &vocabulary, &mut planted)),
                html_body: None,
                public: None,
                attachments: Vec::new(),
            })
            .collect();
        let mut subject = String::new();
        let len = 3 + rng.below(6);
        sentence(&mut rng, &vocabulary, &mut subject, len);
        subject.truncate(subject.trim_end().trim_end_matches('.').len());
        let status = weighted(&mut rng, STATUSES);
        let priority = match rng.below(5) {
            0 => Some("low"),
            1 => Some("normal"),
            2 => Some("high"),
            3 => Some("urgent"),
            _ => None,
        };
        let tags = (0..rng.below(4))
            .map(|_| tags[rng.below(tags.len())].to_owned())
            .collect();
        let age = rng.below(365 * 86_400) as i64;
        seeded.push(SeedTicket {
            reference: None,
            subject: Some(subject),
            requester,
            assignee: (status != "new").then_some(agent),
            status: Some(status.to_owned()),
            priority: priority.map(str::to_owned),
            tags,
            comments,
            deleted: None,
            created_at: Some(iso8601(START - age)),
        });
    }
    assert!(parse_rfc3339(&iso8601(START)).is_some());
    Generated {
        world: World {
            users: world_users,
            tickets: seeded,
            ..World::default()
        },
        planted,
    }
}

fn leak(word: &str) -> &'static str {
    Box::leak(word.to_owned().into_boxed_str())
}

// ---------------------------------------------------------------------------------------------
// Measurements

/// CPU time this thread has run (`/proc/thread-self/schedstat`). The client and the server
/// share the benchmark's one thread, so the difference across a run of requests is the CPU
/// they cost, whatever else the machine was doing meanwhile. The kernel updates the figure
/// at scheduler ticks (4 ms here), so it is read across runs of ≥ 200 ms, never per request.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

struct Writes {
    total: Duration,
    index: Duration,
}

/// Ticket updates adding a comment, through `Account::write` (which feeds the index): the whole
/// write, and the part after the store's own work (the index's upkeep).
fn incremental(account: &Account, owner_id: i64) -> Writes {
    let ids: Vec<i64> = account.read(|data| {
        let all = data.all_search_docs();
        all.iter()
            .filter_map(|d| match d.key {
                DocKey::Ticket(id) => Some(id),
                DocKey::User(_) => None,
            })
            .collect()
    });
    let mut rng = Rng(42);
    let mut totals = Vec::new();
    let mut index = Vec::new();
    let mut done = 0;
    while done < WRITES {
        let id = ids[rng.below(ids.len())];
        let input: TicketInput = serde_json::from_value(serde_json::json!({
            "comment": {"body": "Any news on the tracking number for this order?", "public": false}
        }))
        .expect("input");
        let started = Instant::now();
        let store = account.write(|data| {
            let caller = data.caller_for(owner_id).expect("owner");
            let started = Instant::now();
            let result = data.update_ticket(&caller, id, &input);
            (result.is_ok(), started.elapsed())
        });
        let total = started.elapsed();
        if store.0 {
            totals.push(total);
            index.push(total.saturating_sub(store.1));
            done += 1;
        }
    }
    Writes {
        total: median(&mut totals),
        index: median(&mut index),
    }
}

/// What a case requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// `GET /search?query=…&per_page=100`.
    Search,
    /// `GET /search/count?query=…`.
    Count,
    /// `GET /tickets/show_many?ids=…` (100 ids): rendering a page of tickets without searching,
    /// the floor under a full page of search results.
    ShowMany,
}

struct Case {
    class: &'static str,
    /// The query, or for [`Endpoint::ShowMany`] the ids.
    query: String,
    endpoint: Endpoint,
}

impl Case {
    fn label(&self) -> String {
        match self.endpoint {
            Endpoint::Search => self.query.clone(),
            Endpoint::Count => format!("count {}", self.query),
            Endpoint::ShowMany => "tickets/show_many, 100 ids".to_owned(),
        }
    }
}

fn cases(planted: &Planted, page_ids: &[i64]) -> Vec<Case> {
    let case = |class, query: &str| Case {
        class,
        query: query.to_owned(),
        endpoint: Endpoint::Search,
    };
    let count = |class, query: &str| Case {
        class,
        query: query.to_owned(),
        endpoint: Endpoint::Count,
    };
    let ids: Vec<String> = page_ids.iter().map(i64::to_string).collect();
    vec![
        case("term", "order"),
        case("term", planted.mid_word),
        case("term", planted.rare_word),
        case("term", "lindqvist"),
        case("phrase", "\"tracking number\""),
        case("phrase", "\"reset my password\""),
        case("phrase", "\"the order\""),
        case("phrase", "\"margot lindqvist\""),
        case("phrase", SUBJECT_EMAIL),
        case("phrase", &format!("\"{SUBJECT_PHONE}\"")),
        case("field", "subject:refund"),
        case("field", "comment:\"credit card\""),
        case("field", &format!("requester:{SUBJECT_EMAIL}")),
        case("field", "status<solved"),
        case("field", "status<solved lindqvist"),
        case("prefix", "lindq*"),
        case("prefix", "marg"),
        case("prefix", "tra*"),
        count("count", "\"tracking number\""),
        count("count", "order"),
        Case {
            class: "floor",
            query: ids.join(","),
            endpoint: Endpoint::ShowMany,
        },
    ]
}

/// Ticket ids of a full page of results, for the show_many floor.
fn first_page(account: &Account, owner_id: i64) -> Vec<i64> {
    account.write(|data| {
        let query = Query::parse("\"tracking number\"", data.now()).expect("query");
        let caller = data.caller_for(owner_id).expect("owner");
        let order = Order::of(&query, None, None);
        data.search_page(&caller, &query, order, 100)
            .expect("search")
            .1
            .into_iter()
            .filter_map(|hit| match hit.key {
                DocKey::Ticket(id) => Some(id),
                DocKey::User(_) => None,
            })
            .collect()
    })
}

struct Latency {
    p50: Duration,
    p99: Duration,
    mean: Duration,
    /// Mean CPU time of a request ([`cpu_now`]).
    cpu: Duration,
}

struct Row {
    class: &'static str,
    label: String,
    hits: u64,
    http: Latency,
    /// The index in-process, and the scan; `None` for the floor (or when skipped).
    engine: Option<Duration>,
    scan: Option<Duration>,
}

fn measure(
    runtime: &tokio::runtime::Runtime,
    client: &reqwest::Client,
    base: &str,
    account: &Account,
    owner_id: i64,
    case: &Case,
) -> Row {
    let request = || {
        let request = match case.endpoint {
            Endpoint::Search => client
                .get(format!("{base}/api/v2/search.json"))
                .query(&[("query", case.query.as_str()), ("per_page", "100")]),
            Endpoint::Count => client
                .get(format!("{base}/api/v2/search/count.json"))
                .query(&[("query", case.query.as_str())]),
            Endpoint::ShowMany => client
                .get(format!("{base}/api/v2/tickets/show_many.json"))
                .query(&[("ids", case.query.as_str())]),
        };
        request.basic_auth(format!("{OWNER_EMAIL}/token"), Some(OWNER_TOKEN))
    };
    let (hits, times) = runtime.block_on(async {
        let first = request().send().await.expect("request");
        assert_eq!(first.status(), 200, "{}", case.label());
        let body: Value = first.json().await.expect("json");
        let hits = match case.endpoint {
            Endpoint::Search => {
                let hits = body["count"].as_u64().expect("count");
                let shown = body["results"].as_array().map_or(0, Vec::len) as u64;
                assert_eq!(shown, hits.min(100), "a full first page for {}", case.query);
                hits
            }
            Endpoint::Count => body["count"].as_u64().expect("count"),
            Endpoint::ShowMany => body["tickets"].as_array().map_or(0, Vec::len) as u64,
        };
        for _ in 0..WARM_UP {
            black_box(
                request()
                    .send()
                    .await
                    .expect("request")
                    .bytes()
                    .await
                    .expect("body"),
            );
        }
        let requests = std::env::var("SEARCH_BENCH_REQUESTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(REQUESTS);
        let mut times = Vec::with_capacity(requests);
        let cpu_started = cpu_now();
        for _ in 0..requests {
            let started = Instant::now();
            let response = request().send().await.expect("request");
            let body = response.bytes().await.expect("body");
            times.push(started.elapsed());
            black_box(body);
        }
        let cpu = cpu_now().saturating_sub(cpu_started) / requests as u32;
        (hits, (times, cpu))
    });
    let (times, cpu) = times;
    let mut sorted = times.clone();
    sorted.sort();
    let http = Latency {
        p50: percentile(&sorted, 0.50),
        p99: percentile(&sorted, 0.99),
        mean: times.iter().sum::<Duration>() / times.len() as u32,
        cpu,
    };
    let mut row = Row {
        class: case.class,
        label: case.label(),
        hits,
        http,
        engine: None,
        scan: None,
    };
    if case.endpoint == Endpoint::ShowMany || std::env::var_os("SEARCH_BENCH_HTTP_ONLY").is_some() {
        return row;
    }
    let (engine, scan) = account.write(|data| {
        let query = Query::parse(&case.query, data.now()).expect("query");
        let order = Order::of(&query, None, None);
        let caller = data.caller_for(owner_id).expect("owner");
        // What the request asks of the engine: every match counted, a page's worth ranked.
        let run = |data: &mut AccountData| match case.endpoint {
            Endpoint::Count => (data.search_count(&caller, &query).expect("count"), vec![]),
            _ => {
                let (count, page) = data
                    .search_page(&caller, &query, order, 100)
                    .expect("search");
                (count, page.into_iter().map(|h| h.key).collect::<Vec<_>>())
            }
        };
        let (started, cpu_started) = (Instant::now(), cpu_now());
        let mut runs = 0;
        let mut page = Vec::new();
        while runs < ENGINE_RUNS || started.elapsed() < ENGINE_TIME {
            let (found, first) = run(data);
            assert_eq!(found as u64, hits, "index, in-process: {}", case.query);
            page = first;
            runs += 1;
        }
        let engine = cpu_now().saturating_sub(cpu_started) / runs;
        let cpu_started = cpu_now();
        for _ in 0..SCAN_RUNS {
            let found = data.search_by_scan(&query, owner_id, order);
            assert_eq!(found.len() as u64, hits, "scan: {}", case.query);
            if case.endpoint == Endpoint::Search {
                let scanned: Vec<DocKey> = found.into_iter().take(100).collect();
                assert_eq!(
                    page, scanned,
                    "the first page, index and scan: {}",
                    case.query
                );
            }
        }
        let scan = cpu_now().saturating_sub(cpu_started) / SCAN_RUNS as u32;
        (engine, scan)
    });
    row.engine = Some(engine);
    row.scan = Some(scan);
    row
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The mock on a loopback port until the sender is dropped.
async fn start_server(
    state: zendesk_mock::http::AppState,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = zendesk_mock::serve(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    (url, tx)
}
