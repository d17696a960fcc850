//! The account the load runs against: the demo account reset and seeded with a few hundred
//! users and tickets, so that a users page is full and the phrase has hits to rank.

use super::mix::PHRASE;
use serde_json::{Value, json};

pub const END_USERS: usize = 300;
pub const AGENTS: usize = 10;
pub const TICKETS: usize = 600;

/// The seed body (`POST /__mock/seed`). Deterministic: the same world every run.
pub fn seed() -> Value {
    let mut users = Vec::new();
    for i in 0..AGENTS {
        users.push(json!({
            "name": format!("Agent {i}"),
            "email": format!("agent{i}@load.example.com"),
            "role": "agent",
            "verified": true,
        }));
    }
    for i in 0..END_USERS {
        users.push(json!({
            "name": format!("Customer {i} Lindqvist"),
            "email": format!("customer{i}@load.example.net"),
            "phone": format!("+46 70 {:03} {:02} {:02}", i % 1000, i % 97, i % 89),
            "verified": true,
            "tags": ["load"],
        }));
    }
    let sentences = [
        "My parcel has not arrived and the tracking number shows nothing.",
        "Please change the delivery address on my last order.",
        "I was charged twice for the same order, please refund one.",
        "The app crashes whenever I open the settings page.",
        "Could you send me a copy of my invoice for March?",
    ];
    let tickets: Vec<Value> = (0..TICKETS)
        .map(|i| {
            let first = if i % 8 == 0 {
                format!("Hello, I need to {PHRASE} because I forgot it.")
            } else {
                sentences[i % sentences.len()].to_owned()
            };
            let status = ["new", "open", "pending", "solved"][i % 4];
            json!({
                "subject": format!("Request {i}: {}", &sentences[(i / 5) % sentences.len()][..20]),
                "requester": format!("customer{}@load.example.net", i % END_USERS),
                "assignee": format!("agent{}@load.example.com", i % AGENTS),
                "status": status,
                "comments": [
                    {"body": first},
                    {"body": sentences[(i + 2) % sentences.len()], "author": format!("agent{}@load.example.com", i % AGENTS)},
                ],
            })
        })
        .collect();
    json!({"users": users, "tickets": tickets})
}

/// The ids of the seeded users, from the seed's answer (`{"users": [ids in seed order]}`).
pub fn user_ids(answer: &Value) -> Vec<i64> {
    answer["users"]
        .as_array()
        .expect("the seed answers with the users' ids")
        .iter()
        .filter_map(Value::as_i64)
        .collect()
}
