//! The path syntax scenario assertions and captures use to point into a JSON reply — a small,
//! documented subset of JSONPath:
//!
//! | piece | selects |
//! | --- | --- |
//! | `$` | the whole body (every path starts with it) |
//! | `.name` | the member `name` of an object (`name`: letters, digits, `_`, `-`) |
//! | `['any key']` or `["any key"]` | a member whose name has other characters |
//! | `[2]` | the third element of an array; `[-1]` is the last |
//! | `[*]` | every element of an array (every value of an object) |
//!
//! A path without `[*]` selects one value or nothing; a path with `[*]` selects a list (the
//! values found, in order), so `$.users[*].id` is the list of the users' ids.
//!
//! ```
//! use serde_json::json;
//! use zendesk_conformance::scenario::jsonpath::{JsonPath, Selection};
//!
//! let body = json!({"users": [{"id": 1, "email": "a@x.test"}, {"id": 2}]});
//! let path = JsonPath::parse("$.users[-1].id").unwrap();
//! assert_eq!(path.select(&body), Selection::One(&json!(2)));
//! let ids = JsonPath::parse("$.users[*].id").unwrap();
//! assert_eq!(ids.select(&body), Selection::Many(vec![&json!(1), &json!(2)]));
//! let missing = JsonPath::parse("$.users[1].email").unwrap();
//! assert_eq!(missing.select(&body), Selection::Missing);
//! ```

use serde_json::Value;
use std::fmt;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(i64),
    Wildcard,
}

/// A parsed path; [`fmt::Display`] gives back the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
    segments: Vec<Segment>,
}

/// What a path selects in a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection<'a> {
    /// A path without `[*]` that found its value.
    One(&'a Value),
    /// A path without `[*]` that found nothing (a missing member, an index out of range, or a
    /// step into something that is not an object or array).
    Missing,
    /// A path with `[*]`: every value found, possibly none.
    Many(Vec<&'a Value>),
}

impl Selection<'_> {
    /// The selection as one JSON value: the value, the list as an array, or `None` when a
    /// single-value path found nothing.
    pub fn to_value(&self) -> Option<Value> {
        match self {
            Self::One(value) => Some((*value).clone()),
            Self::Missing => None,
            Self::Many(values) => Some(Value::Array(values.iter().map(|v| (*v).clone()).collect())),
        }
    }
}

impl JsonPath {
    /// Parses `text`; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Self, String> {
        let rest = text
            .strip_prefix('$')
            .ok_or_else(|| format!("path `{text}` must start with `$`"))?;
        let mut segments = Vec::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '.' => {
                    let mut name = String::new();
                    while let Some(&(_, c)) = chars.peek() {
                        if c.is_alphanumeric() || c == '_' || c == '-' {
                            name.push(c);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    if name.is_empty() {
                        return Err(format!(
                            "path `{text}`: a name must follow `.` at character {}",
                            at + 2
                        ));
                    }
                    segments.push(Segment::Key(name));
                }
                '[' => {
                    let close = rest[at..].find(']').ok_or_else(|| {
                        format!("path `{text}`: `[` at character {} is never closed", at + 2)
                    })?;
                    let inner = &rest[at + 1..at + close];
                    segments.push(bracket(text, inner)?);
                    // Skip what the bracket held, up to and including `]`.
                    while chars.next_if(|&(i, _)| i <= at + close).is_some() {}
                }
                other => {
                    return Err(format!(
                        "path `{text}`: unexpected `{other}` at character {} (use `.name`, \
                         `['name']`, `[n]` or `[*]`)",
                        at + 2
                    ));
                }
            }
        }
        Ok(Self {
            text: text.to_owned(),
            segments,
        })
    }

    /// Whether the path holds a `[*]` (selects a list).
    pub fn is_multi(&self) -> bool {
        self.segments.contains(&Segment::Wildcard)
    }

    /// What the path selects in `root`.
    pub fn select<'a>(&self, root: &'a Value) -> Selection<'a> {
        let mut current = vec![root];
        for segment in &self.segments {
            let mut next = Vec::new();
            for value in current {
                match segment {
                    Segment::Key(key) => next.extend(value.get(key.as_str())),
                    Segment::Index(index) => next.extend(element(value, *index)),
                    Segment::Wildcard => match value {
                        Value::Array(items) => next.extend(items.iter()),
                        Value::Object(members) => next.extend(members.values()),
                        _ => {}
                    },
                }
            }
            current = next;
        }
        if self.is_multi() {
            Selection::Many(current)
        } else {
            current
                .first()
                .map_or(Selection::Missing, |v| Selection::One(v))
        }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The segment a `[...]` holds.
fn bracket(text: &str, inner: &str) -> Result<Segment, String> {
    let inner = inner.trim();
    if inner == "*" {
        return Ok(Segment::Wildcard);
    }
    for quote in ['\'', '"'] {
        if let Some(key) = inner
            .strip_prefix(quote)
            .and_then(|s| s.strip_suffix(quote))
        {
            return Ok(Segment::Key(key.to_owned()));
        }
    }
    inner
        .parse::<i64>()
        .map(Segment::Index)
        .map_err(|_| format!("path `{text}`: `[{inner}]` is not an index, `*` or a quoted name"))
}

/// Element `index` of an array (negative counts from the end).
fn element(value: &Value, index: i64) -> Option<&Value> {
    let items = value.as_array()?;
    let position = if index < 0 {
        items
            .len()
            .checked_sub(usize::try_from(index.unsigned_abs()).ok()?)?
    } else {
        usize::try_from(index).ok()?
    };
    items.get(position)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn select(path: &str, body: &Value) -> Option<Value> {
        JsonPath::parse(path).expect(path).select(body).to_value()
    }

    #[test]
    fn paths_select_members_indexes_quoted_keys_and_wildcards() {
        let body = json!({
            "a": {"b-c": [10, 20, 30]},
            "odd key": {"x.y": true},
            "list": [{"id": 1}, {"id": 2}, {"other": 3}]
        });
        let cases = [
            ("$", Some(body.clone())),
            ("$.a.b-c[0]", Some(json!(10))),
            ("$.a.b-c[-1]", Some(json!(30))),
            ("$.a.b-c[3]", None),
            ("$.a.b-c[-4]", None),
            ("$['odd key'][\"x.y\"]", Some(json!(true))),
            ("$.list[*].id", Some(json!([1, 2]))),
            ("$.list[*].missing", Some(json!([]))),
            ("$.a[*][1]", Some(json!([20]))),
            ("$.missing.deeper", None),
            ("$.a.b-c.name", None),
        ];
        for (path, expected) in cases {
            assert_eq!(select(path, &body), expected, "{path}");
        }
    }

    #[test]
    fn malformed_paths_are_refused_with_the_reason() {
        let cases = [
            ("users[0]", "must start with `$`"),
            ("$.", "a name must follow `.` at character 2"),
            ("$.users[0", "`[` at character 8 is never closed"),
            ("$.users[x]", "`[x]` is not an index"),
            ("$users", "unexpected `u` at character 2"),
        ];
        for (path, wanted) in cases {
            let error = JsonPath::parse(path).expect_err(path);
            assert!(error.contains(wanted), "{path}: {error}");
        }
    }

    #[test]
    fn a_path_displays_as_written() {
        let text = "$.users[*]['e mail']";
        assert_eq!(JsonPath::parse(text).expect("parses").to_string(), text);
        assert!(JsonPath::parse(text).expect("parses").is_multi());
    }
}
