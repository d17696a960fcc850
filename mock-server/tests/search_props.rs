//! The search index against the brute-force scan, as a property: for random worlds, random
//! writes (ticket and user updates, comments, redactions, deletes, restores, new identities,
//! clock moves) and random queries from the supported grammar, the index and a scan of the
//! store return the same records — after every write with no lag, and once the lag has passed
//! with one.
//!
//! Worlds are built in-process through the library, so a case takes milliseconds.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use zendesk_mock::store::clock::Clock;
use zendesk_mock::store::identities::{IdentityType, NewIdentity};
use zendesk_mock::store::search::Order;
use zendesk_mock::store::search::document::DocKey;
use zendesk_mock::store::search::query::Query;
use zendesk_mock::store::tickets::TicketInput;
use zendesk_mock::store::users::UserInput;
use zendesk_mock::store::{Account, AccountData, Limits, OwnerSpec, Registry};

/// A small vocabulary, so that random queries hit; `the`, `of`, `my` and `a` are common words
/// (the index posts the pairs they begin).
const WORDS: &[&str] = &[
    "top", "topology", "desktop", "tip", "mop", "order", "ordering", "jane", "roe", "refund",
    "passport", "café", "Zürich", "42", "4242", "the", "The", "of", "my", "a",
];
const STATUSES: &[&str] = &["new", "open", "pending", "hold", "solved", "closed"];
const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];
const TAGS: &[&str] = &["vip", "vip_gold", "billing", "eu"];
const START: i64 = 1_700_000_000;

fn phrase(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(WORDS), 1..=max).prop_map(|w| w.join(" "))
}

/// Text with the vocabulary and punctuation Zendesk's tokenizer must split on.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (select(WORDS), select(&[" ", "-", ". ", ", ", "@", "/"][..])),
        1..8,
    )
    .prop_map(|parts| parts.into_iter().map(|(w, s)| format!("{w}{s}")).collect())
}

#[derive(Debug, Clone)]
struct UserSpec {
    name: String,
    phone: Option<String>,
    tags: Vec<&'static str>,
    notes: Option<String>,
    role: &'static str,
}

#[derive(Debug, Clone)]
struct TicketSpec {
    subject: String,
    requester: Index,
    assignee: bool,
    status: &'static str,
    priority: Option<&'static str>,
    tags: Vec<&'static str>,
    comments: Vec<String>,
    age_days: i64,
}

#[derive(Debug, Clone)]
enum Write {
    Subject(Index, String),
    Status(Index, &'static str),
    Tags(Index, Vec<&'static str>),
    Comment(Index, String),
    /// Redacts one of the words of the ticket's first comment.
    Redact(Index, Index),
    SoftDeleteTicket(Index),
    RestoreTicket(Index),
    RenameUser(Index, String),
    AddEmail(Index, &'static str),
    SoftDeleteUser(Index),
    Advance(i64),
}

fn user() -> impl Strategy<Value = UserSpec> {
    (
        phrase(2),
        prop::option::of(select(
            &["+1 202 555 0100", "+41 44 668 1800", "(212) 555-0199"][..],
        )),
        prop::collection::vec(select(TAGS), 0..3),
        prop::option::of(text()),
        select(&["end-user", "end-user", "agent"][..]),
    )
        .prop_map(|(name, phone, tags, notes, role)| UserSpec {
            name,
            phone: phone.map(str::to_owned),
            tags,
            notes,
            role,
        })
}

fn ticket() -> impl Strategy<Value = TicketSpec> {
    (
        (phrase(3), any::<Index>(), any::<bool>(), select(STATUSES)),
        prop::option::of(select(PRIORITIES)),
        prop::collection::vec(select(TAGS), 0..3),
        prop::collection::vec(text(), 1..4),
        0..40i64,
    )
        .prop_map(
            |((subject, requester, assignee, status), priority, tags, comments, age_days)| {
                TicketSpec {
                    subject,
                    requester,
                    assignee,
                    status,
                    priority,
                    tags,
                    comments,
                    age_days,
                }
            },
        )
}

fn write() -> impl Strategy<Value = Write> {
    prop_oneof![
        1 => (any::<Index>(), phrase(3)).prop_map(|(t, s)| Write::Subject(t, s)),
        1 => (any::<Index>(), select(STATUSES)).prop_map(|(t, s)| Write::Status(t, s)),
        1 => (any::<Index>(), prop::collection::vec(select(TAGS), 0..3)).prop_map(|(t, g)| Write::Tags(t, g)),
        1 => (any::<Index>(), text()).prop_map(|(t, c)| Write::Comment(t, c)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(t, w)| Write::Redact(t, w)),
        1 => any::<Index>().prop_map(Write::SoftDeleteTicket),
        1 => any::<Index>().prop_map(Write::RestoreTicket),
        1 => (any::<Index>(), phrase(2)).prop_map(|(u, n)| Write::RenameUser(u, n)),
        1 => (any::<Index>(), select(&["tip@top.example", "jane.roe@mail.example", "order@desk.example"][..]))
            .prop_map(|(u, e)| Write::AddEmail(u, e)),
        1 => any::<Index>().prop_map(Write::SoftDeleteUser),
        1 => (0..4_000i64).prop_map(Write::Advance),
    ]
}

/// A query from the supported grammar: 1–3 clauses, each possibly negated.
fn query() -> impl Strategy<Value = String> {
    let word = select(WORDS).prop_map(str::to_lowercase);
    let prefix = select(WORDS).prop_map(|w| {
        let w = w.to_lowercase();
        let cut = w.char_indices().nth(2).map_or(w.len(), |(i, _)| i);
        w[..cut].to_owned()
    });
    let clause = prop_oneof![
        4 => word.clone(),
        1 => prefix.clone().prop_map(|p| format!("{p}*")),
        // A run of words ending in a prefix (a bare term is one).
        1 => (phrase(3), prefix.clone()).prop_map(|(p, x)| format!("{}-{x}", p.replace(' ', "-"))),
        2 => prefix,
        1 => phrase(2).prop_map(|p| format!("\"{p}\"")),
        1 => phrase(4).prop_map(|p| format!("\"{p}\"")),
        1 => (select(&["subject", "comment", "description", "name", "notes"][..]), phrase(3))
            .prop_map(|(k, p)| format!("{k}:\"{p}\"")),
        1 => (select(&["subject", "comment", "description", "name", "notes"][..]), word.clone())
            .prop_map(|(k, w)| format!("{k}:{w}")),
        1 => (select(&[":", "<", ">", "<=", ">="][..]), select(STATUSES)).prop_map(|(op, s)| format!("status{op}{s}")),
        1 => (select(&[":", "<", ">"][..]), select(PRIORITIES)).prop_map(|(op, p)| format!("priority{op}{p}")),
        1 => select(TAGS).prop_map(|t| format!("tags:{t}")),
        1 => select(&["type:ticket", "type:user", "role:agent", "role:end-user", "assignee:none",
                 "requester:jane.roe@mail.example", "email:tip@top.example", "phone:12025550100",
                 "\"202 555 0100\"", "(212) 555-0199", "requester:jane", "organization:none"][..])
            .prop_map(str::to_owned),
        1 => (select(&["created", "updated"][..]), select(&[">", "<", ":"][..]), 0..40i64)
            .prop_map(|(k, op, d)| format!("{k}{op}{}", day(START - d * 86_400))),
    ];
    prop::collection::vec((prop::bool::weighted(0.2), clause), 1..5).prop_map(|clauses| {
        clauses
            .into_iter()
            .map(|(neg, c)| if neg { format!("-{c}") } else { c })
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// A single text clause, most of them runs with pairs of common words: phrases of two to four
/// words (whole, or searched in one field) and runs ending in a prefix.
fn run_query() -> impl Strategy<Value = String> {
    let common = select(&["the", "of", "my", "a"][..]);
    let prefix = select(WORDS).prop_map(|w| {
        let w = w.to_lowercase();
        let cut = w.char_indices().nth(2).map_or(w.len(), |(i, _)| i);
        w[..cut].to_owned()
    });
    prop_oneof![
        (common.clone(), phrase(3)).prop_map(|(c, p)| format!("\"{c} {p}\"")),
        phrase(4).prop_map(|p| format!("\"{p}\"")),
        (phrase(2), common, prefix)
            .prop_map(|(p, c, x)| format!("{}-{c}-{x}", p.replace(' ', "-"))),
        (
            select(&["subject", "comment", "description"][..]),
            phrase(3)
        )
            .prop_map(|(k, p)| format!("{k}:\"{p}\"")),
    ]
}

fn day(at: i64) -> String {
    zendesk_mock::store::clock::iso8601(at)[..10].to_owned()
}

fn seed(users: &[UserSpec], tickets: &[TicketSpec]) -> Value {
    let users: Vec<Value> = users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            json!({"ref": format!("u{i}"), "name": u.name, "email": format!("user{i}@example.org"),
                   "phone": u.phone, "tags": u.tags, "notes": u.notes, "role": u.role})
        })
        .collect();
    let tickets: Vec<Value> = tickets
        .iter()
        .map(|t| {
            let requester = format!("u{}", t.requester.index(users.len()));
            json!({
                "subject": t.subject, "requester": requester, "status": t.status,
                "priority": t.priority, "tags": t.tags,
                "assignee": if t.assignee { Value::from("admin@prop.test") } else { Value::Null },
                "created_at": zendesk_mock::store::clock::iso8601(START - t.age_days * 86_400),
                "comments": t.comments.iter().map(|c| json!({"body": c})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"users": users, "tickets": tickets})
}

fn build(users: &[UserSpec], tickets: &[TicketSpec], lag: u64) -> std::sync::Arc<Account> {
    let registry = Registry::new(Limits {
        journal_entries: 4,
        events: 64,
    });
    let owner = OwnerSpec {
        name: "Owner".to_owned(),
        email: "admin@prop.test".to_owned(),
        token: "prop-token".to_owned(),
    };
    let account = registry.create_account("prop", &owner).expect("account");
    let world = zendesk_mock::store::seed::World::from_json(seed(users, tickets)).expect("seed");
    account.write(|data| {
        data.clock = Clock::frozen(START);
        data.settings.solved_to_closed_days = None;
        data.seed(&world)
            .unwrap_or_else(|e| panic!("seed: {}", e.summary()));
        data.settings.search_lag_seconds = lag;
    });
    account
}

fn ids(data: &AccountData, ticket: bool) -> Vec<i64> {
    let query = Query::parse(if ticket { "type:ticket" } else { "type:user" }, data.now()).unwrap();
    let order = Order {
        field: None,
        descending: true,
    };
    let mut all: Vec<i64> = data
        .search_by_scan(&query, data.owner_id, order)
        .into_iter()
        .map(|k| match k {
            DocKey::Ticket(id) | DocKey::User(id) => id,
        })
        .collect();
    all.sort_unstable();
    all
}

/// Applies one write through the same store methods the API calls; refusals (a closed ticket,
/// the deletion guard) are part of the game and leave the account unchanged.
fn apply(account: &Account, write: &Write, tickets: &[i64], users: &[i64]) {
    account.write(|data| {
        let owner = data.caller_for(data.owner_id).expect("owner");
        let pick = |list: &[i64], i: &Index| list[i.index(list.len())];
        let ticket_input =
            |v: Value| -> TicketInput { serde_json::from_value(v).expect("ticket input") };
        let _ = match write {
            Write::Subject(t, s) => data
                .update_ticket(
                    &owner,
                    pick(tickets, t),
                    &ticket_input(json!({"subject": s})),
                )
                .map(drop),
            Write::Status(t, s) => data
                .update_ticket(
                    &owner,
                    pick(tickets, t),
                    &ticket_input(json!({"status": s})),
                )
                .map(drop),
            Write::Tags(t, g) => data
                .update_ticket(&owner, pick(tickets, t), &ticket_input(json!({"tags": g})))
                .map(drop),
            Write::Comment(t, c) => data
                .update_ticket(
                    &owner,
                    pick(tickets, t),
                    &ticket_input(json!({"comment": {"body": c, "public": false}})),
                )
                .map(drop),
            Write::Redact(t, w) => {
                let id = pick(tickets, t);
                let first = data
                    .comments_of(&owner, id)
                    .ok()
                    .and_then(|c| c.first().map(|c| (c.id, c.body.clone())));
                match first {
                    Some((comment, body)) => {
                        let words: Vec<&str> = body
                            .split(|c: char| !c.is_alphanumeric())
                            .filter(|w| !w.is_empty())
                            .collect();
                        if words.is_empty() {
                            Ok(())
                        } else {
                            data.redact_comment_text(
                                &owner,
                                id,
                                comment,
                                words[w.index(words.len())],
                            )
                        }
                    }
                    None => Ok(()),
                }
            }
            Write::SoftDeleteTicket(t) => data.soft_delete_ticket(&owner, pick(tickets, t)),
            Write::RestoreTicket(t) => data.restore_ticket(&owner, pick(tickets, t)),
            Write::RenameUser(u, n) => {
                let input: UserInput =
                    serde_json::from_value(json!({"name": n})).expect("user input");
                data.update_user(&owner, pick(users, u), &input)
            }
            Write::AddEmail(u, e) => data
                .create_identity(
                    &owner,
                    pick(users, u),
                    NewIdentity::new(IdentityType::Email, e, true),
                )
                .map(drop),
            Write::SoftDeleteUser(u) => data.soft_delete_user(&owner, pick(users, u)),
            Write::Advance(s) => {
                let to = data.now() + s;
                data.move_clock(to, true);
                Ok(())
            }
        };
    });
}

/// The index's answer and the scan's, as sets of records.
fn both(account: &Account, query: &str) -> (BTreeSet<DocKey>, BTreeSet<DocKey>) {
    account.write(|data| {
        let parsed = Query::parse(query, data.now()).expect("the grammar only makes valid queries");
        let order = Order {
            field: None,
            descending: true,
        };
        let owner = data.caller_for(data.owner_id).expect("owner");
        let indexed = data
            .search(&owner, &parsed, order)
            .expect("search")
            .into_iter()
            .map(|d| d.key)
            .collect();
        let scanned = data
            .search_by_scan(&parsed, data.owner_id, order)
            .into_iter()
            .collect();
        (indexed, scanned)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_index_agrees_with_a_scan_of_the_store(
        users in prop::collection::vec(user(), 1..6),
        tickets in prop::collection::vec(ticket(), 1..8),
        writes in prop::collection::vec(write(), 0..12),
        queries in prop::collection::vec(query(), 1..6),
        lagged in prop::bool::weighted(0.3),
    ) {
        let lag = if lagged { 90 } else { 0 };
        let account = build(&users, &tickets, lag);
        let (ticket_ids, user_ids) = account.read(|data| (ids(data, true), ids(data, false)));
        prop_assume!(!ticket_ids.is_empty() && !user_ids.is_empty());
        for (step, write) in writes.iter().enumerate() {
            apply(&account, write, &ticket_ids, &user_ids);
            if lag == 0 {
                for query in &queries {
                    let (indexed, scanned) = both(&account, query);
                    prop_assert_eq!(indexed, scanned, "after write {} ({:?}), query {:?}", step, write, query);
                }
            }
        }
        if lag > 0 {
            apply(&account, &Write::Advance(lag as i64), &ticket_ids, &user_ids);
        }
        for query in &queries {
            let (indexed, scanned) = both(&account, query);
            prop_assert_eq!(indexed, scanned, "at the end, query {:?}", query);
        }
    }

    /// The same with only runs of words queried, one clause at a time, so that a wrong answer
    /// is never hidden by another clause.
    #[test]
    fn runs_with_pairs_agree_with_a_scan_of_the_store(
        users in prop::collection::vec(user(), 1..4),
        tickets in prop::collection::vec(ticket(), 1..8),
        writes in prop::collection::vec(write(), 0..8),
        queries in prop::collection::vec(run_query(), 1..8),
    ) {
        let account = build(&users, &tickets, 0);
        let (ticket_ids, user_ids) = account.read(|data| (ids(data, true), ids(data, false)));
        prop_assume!(!ticket_ids.is_empty() && !user_ids.is_empty());
        for (step, write) in writes.iter().enumerate() {
            apply(&account, write, &ticket_ids, &user_ids);
            for query in &queries {
                let (indexed, scanned) = both(&account, query);
                prop_assert_eq!(indexed, scanned, "after write {} ({:?}), query {:?}", step, write, query);
            }
        }
        for query in &queries {
            let (indexed, scanned) = both(&account, query);
            prop_assert_eq!(indexed, scanned, "query {:?}", query);
        }
    }
}
