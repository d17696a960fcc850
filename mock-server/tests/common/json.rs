//! Small readers of reply bodies, and the comma lists bulk endpoints take.

use super::{Mock, Reply};
use serde_json::Value;

/// The keys of a JSON object, in order.
#[track_caller]
pub fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// The ids of a list reply's `key` array, in order.
#[track_caller]
pub fn ids_of(reply: &Reply, key: &str) -> Vec<i64> {
    reply.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array: {}", reply.text))
        .iter()
        .map(|item| item["id"].as_i64().expect("integer id"))
        .collect()
}

/// The path (and query) of an absolute URL this server produced.
#[track_caller]
pub fn path_of<'a>(mock: &Mock, url: &'a Value) -> &'a str {
    let url = url.as_str().unwrap_or_else(|| panic!("not a URL: {url}"));
    url.strip_prefix(mock.url.as_str())
        .unwrap_or_else(|| panic!("{url} is not on {}", mock.url))
}

/// `1,2,3`: ids as the `ids=` parameter of bulk endpoints takes them.
pub fn comma_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}
