//! Memory at scale (issue #9): the resident memory an account costs per user, per ticket and per
//! comment, up to 100,000 users, 100,000 tickets and 500,000 comments, seeded the way
//! `POST /__mock/seed` and `--seed` do (`AccountData::seed` under `Account::write`, which also
//! builds the search index). Results and the machine: `BENCHMARKS.md`.
//!
//! ```text
//! cargo bench -p zendesk-mock --bench scale
//! ```
//!
//! Each stage runs in a fresh process (this executable again), so that memory one stage freed
//! but the allocator kept cannot count against the next: it generates its world, reads `VmRSS`,
//! seeds, reads `VmRSS` again, and prints one line of JSON. The generated world stays allocated
//! across the measurement, so the difference is the account's own memory (plus whatever the
//! seed freed and the allocator kept, which only makes the figures pessimistic).
//!
//! - `users`: 100,000 users — a name, an email identity, every third a phone identity too.
//! - `tickets`: the same users and 100,000 tickets with one two-byte comment: a ticket with one
//!   comment, with next to no comment text (the issue's "excluding comment text").
//! - `comments`: the same users and tickets with five comments each (500,000), of realistic
//!   sentences (58–86 bytes each).
//!
//! Per entity: users = `users` / 100k; a ticket with one comment = (`tickets` − `users`) / 100k;
//! a further comment = (`comments` − `tickets`) / 400k. The search index's own estimate
//! (`search_index_stats`) is reported beside each, since it grows with the text.

#[path = "common/system.rs"]
mod system;

use serde_json::{Value, json};
use std::process::Command;
use std::time::Instant;
use zendesk_mock::store::seed::World;
use zendesk_mock::store::{Limits, OwnerSpec, Registry};

const USERS: usize = 100_000;
const TICKETS: usize = 100_000;
const COMMENTS_PER_TICKET: usize = 5;
const STAGE_VAR: &str = "SCALE_BENCH_STAGE";

const SENTENCES: [&str; 6] = [
    "My parcel has not arrived yet and the tracking page shows nothing new.",
    "Please change the delivery address on my last order to the new one.",
    "I was charged twice for the same order, could you refund one of them?",
    "The app crashes whenever I open the settings page on my phone.",
    "Could you send me a copy of my invoice for March, please?",
    "Thanks, that solved it. You can close this ticket now.",
];

fn main() {
    if let Ok(stage) = std::env::var(STAGE_VAR) {
        run_stage(&stage);
        return;
    }
    println!("machine: {}", system::machine());
    let mut results: Vec<Value> = Vec::new();
    for stage in ["users", "tickets", "comments"] {
        let output = Command::new(std::env::current_exe().expect("own executable"))
            .env(STAGE_VAR, stage)
            .output()
            .expect("run a stage");
        assert!(
            output.status.success(),
            "stage {stage} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = String::from_utf8(output.stdout).expect("UTF-8");
        let result: Value = serde_json::from_str(line.trim()).expect("the stage's JSON line");
        println!("{result}");
        results.push(result);
    }
    report(&results);
}

fn kib(stage: &Value, key: &str) -> f64 {
    stage[key].as_f64().expect("a number")
}

/// Bytes the account added in a stage, by RSS.
fn account_bytes(stage: &Value) -> f64 {
    (kib(stage, "rss_after_kib") - kib(stage, "rss_before_kib")) * 1024.0
}

fn index_bytes(stage: &Value) -> f64 {
    stage["index_bytes"].as_f64().expect("a number")
}

fn report(results: &[Value]) {
    let [users, tickets, comments] = results else {
        unreachable!("three stages")
    };
    println!();
    println!("| stage | entities | seeded in | RSS added | of which the search index (estimate) |");
    println!("|-------|----------|----------:|----------:|-------------------------------------:|");
    for stage in results {
        println!(
            "| {} | {} | {:.1} s | {:.1} MiB | {:.1} MiB |",
            stage["stage"].as_str().unwrap_or(""),
            stage["entities"].as_str().unwrap_or(""),
            stage["seed_seconds"].as_f64().unwrap_or(0.0),
            account_bytes(stage) / 1_048_576.0,
            index_bytes(stage) / 1_048_576.0,
        );
    }
    let per_user = account_bytes(users) / USERS as f64;
    let per_ticket = (account_bytes(tickets) - account_bytes(users)) / TICKETS as f64;
    let per_ticket_index = (index_bytes(tickets) - index_bytes(users)) / TICKETS as f64;
    let extra_comments = (TICKETS * (COMMENTS_PER_TICKET - 1)) as f64;
    let per_comment = (account_bytes(comments) - account_bytes(tickets)) / extra_comments;
    let per_comment_index = (index_bytes(comments) - index_bytes(tickets)) / extra_comments;
    let text = kib(comments, "comment_text_bytes") - kib(tickets, "comment_text_bytes");
    println!();
    println!("| entity | bytes (RSS) | of which search index | target |");
    println!("|--------|------------:|----------------------:|--------|");
    println!(
        "| user (name, email, a phone for one in three) | {per_user:.0} | {:.0} | < 1024 |",
        index_bytes(users) / USERS as f64
    );
    println!(
        "| ticket with one comment (2-byte text) | {per_ticket:.0} | {per_ticket_index:.0} | < 2048 |"
    );
    println!(
        "| further comment (text {:.0} bytes stored as body + HTML) | {per_comment:.0} | {per_comment_index:.0} | |",
        text / extra_comments
    );
}

fn run_stage(stage: &str) {
    let registry = Registry::new(Limits::default());
    let owner = OwnerSpec {
        name: "Scale Admin".to_owned(),
        email: "admin@scale.example.com".to_owned(),
        token: "scale-token".to_owned(),
    };
    let account = registry.create_account("scale", &owner).expect("account");
    let (tickets, per_ticket) = match stage {
        "users" => (0, 0),
        "tickets" => (TICKETS, 1),
        "comments" => (TICKETS, COMMENTS_PER_TICKET),
        other => panic!("unknown stage {other}"),
    };
    let world = world(tickets, per_ticket);
    let rss_before = system::rss_kib("self");
    let started = Instant::now();
    let report = account.write(|data| data.seed(&world)).expect("seed");
    let seed_seconds = started.elapsed().as_secs_f64();
    let rss_after = system::rss_kib("self");
    let (stats, text_bytes) = account.read(|data| {
        let stats = data.search_index_stats();
        let caller = data.caller_for(data.owner_id).expect("owner");
        let text: usize = report["refs"]
            .as_object()
            .map(|refs| {
                refs.iter()
                    .filter(|(name, _)| name.starts_with('t'))
                    .filter_map(|(_, id)| id.as_i64())
                    .flat_map(|id| data.comments_of(&caller, id).expect("comments"))
                    .map(|c| c.body.len() + c.html_body.len())
                    .sum()
            })
            .unwrap_or(0);
        (stats, text)
    });
    let entities = format!(
        "{USERS} users, {tickets} tickets, {} comments",
        tickets * per_ticket
    );
    println!(
        "{}",
        json!({
            "stage": stage,
            "entities": entities,
            "rss_before_kib": rss_before,
            "rss_after_kib": rss_after,
            "seed_seconds": seed_seconds,
            "index_bytes": stats.doc_bytes + stats.posting_bytes,
            "index": {
                "records": stats.records,
                "vocabulary": stats.vocabulary,
                "postings": stats.postings,
                "doc_bytes": stats.doc_bytes,
                "posting_bytes": stats.posting_bytes,
                "pair_bytes": stats.pair_bytes,
            },
            "comment_text_bytes": text_bytes,
        })
    );
    drop(world);
}

/// The users, and `tickets` tickets of `per_ticket` comments each (a two-byte comment when
/// there is one). Tickets have refs `t{n}`, so their comments can be measured afterwards.
fn world(tickets: usize, per_ticket: usize) -> World {
    let users: Vec<Value> = (0..USERS)
        .map(|i| {
            let mut user = json!({
                "ref": format!("u{i}"),
                "name": format!("Customer {i} Lindqvist"),
                "email": format!("customer{i}@scale.example.net"),
                "verified": true,
            });
            if i % 3 == 0 {
                user["phone"] = json!(format!(
                    "+46 70 {:03} {:02} {:02}",
                    i / 10_000,
                    (i / 100) % 100,
                    i % 100
                ));
            }
            user
        })
        .collect();
    let tickets: Vec<Value> = (0..tickets)
        .map(|t| {
            let comments: Vec<Value> = (0..per_ticket)
                .map(|c| {
                    let body = if per_ticket == 1 {
                        "Hi".to_owned()
                    } else {
                        SENTENCES[(t + c) % SENTENCES.len()].to_owned()
                    };
                    json!({"body": body})
                })
                .collect();
            let status = ["new", "open", "pending", "solved"][t % 4];
            json!({
                "ref": format!("t{t}"),
                "subject": format!("Order {t} problem"),
                "requester": format!("u{}", t % USERS),
                "status": status,
                "comments": comments,
            })
        })
        .collect();
    World::from_json(json!({"users": users, "tickets": tickets})).expect("a valid world")
}
