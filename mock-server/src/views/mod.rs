//! JSON views: how each record looks on the wire, field for field and in the live key order
//! (facts §3–§6, recorded responses). Views read the store; they never change it.

pub mod comments;
pub mod identities;
pub mod incremental;
pub mod jobs;
pub mod tickets;
pub mod users;

/// `{origin}/api/v2/{path}.json` — live `url` fields end in `.json` (facts §1).
pub fn api_url(origin: &str, path: &str) -> String {
    format!("{origin}/api/v2/{path}.json")
}

/// A typed view as a `Value`, for callers that build a larger `Value` around it.
fn to_value(view: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(view).expect("a view is plain JSON")
}
