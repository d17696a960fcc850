//! The scenario file format (YAML), as serde types. Unknown keys are refused, paths and
//! patterns are parsed while the file is read, so a typo fails with the file, line and column
//! (``scenarios/x.yaml: steps[2].expect: unknown field `statu` ... at line 20 column 7``)
//! before anything runs. `scenarios/README.md` is the annotated reference.

use super::error::{At, ScenarioError};
use super::jsonpath::JsonPath;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the story shows, as a sentence.
    pub name: String,
    /// The obligation of Zendesk's privacy guide it covers.
    pub obligation: Obligation,
    /// Where the guide (or the facts sheet) says so: a section title or a link.
    pub source: String,
    /// The account's data before the first step: the body of `POST /__mock/seed`.
    #[serde(default = "empty_world")]
    pub world: Value,
    /// What happens, in order.
    pub steps: Vec<Step>,
    /// Checked after the last step: for each needle, the places it may still be found
    /// (`POST /__mock/residue`); usually `[]`, nowhere.
    #[serde(default, deserialize_with = "ordered")]
    pub residue: Vec<(String, Vec<Value>)>,
    /// The file it was read from, as given (for messages).
    #[serde(skip)]
    pub file: String,
}

/// The obligations of Zendesk's privacy guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Obligation {
    Access,
    Rectification,
    Erasure,
    Portability,
    Objection,
}

impl fmt::Display for Obligation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Access => "access",
            Self::Rectification => "rectification",
            Self::Erasure => "erasure",
            Self::Portability => "portability",
            Self::Objection => "objection",
        })
    }
}

/// One request and what its answer must be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the step does, for messages: `step 3 "delete the user"`.
    pub name: String,
    pub request: Request,
    pub expect: Expect,
    /// Values of the answer kept for later steps: variable name → path.
    #[serde(default, deserialize_with = "ordered")]
    pub capture: Vec<(String, JsonPath)>,
    /// The answer carries a `job_status`: poll it until it is finished; the expectations
    /// (after `status`) and captures then read the finished job (`{"job_status": {...}}`).
    #[serde(default)]
    pub wait_for_job: bool,
}

/// An HTTP request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub method: Method,
    /// `/api/v2/...` (or `/__mock/...` with `control: true`), query string allowed; after
    /// templating it may also be an absolute URL on the target (a captured `next_page`).
    pub path: String,
    /// Query parameters, URL-encoded when sent: name → text (templated).
    #[serde(default, deserialize_with = "ordered")]
    pub query: Vec<(String, Value)>,
    /// The JSON body (templated).
    pub body: Option<Value>,
    /// Act as this world user (`ref`) or email, with the account's API token; default the
    /// account's owner admin.
    #[serde(rename = "as")]
    pub as_user: Option<String>,
    /// A call to the mock's control API (`/__mock/...`), made as the account's admin.
    #[serde(default)]
    pub control: bool,
}

/// The HTTP methods a step may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The reqwest method.
    pub fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// What the answer must be. Every map is path → expected; the kinds are checked in the order
/// of the fields below, each map in the order written, and every failure is reported.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The HTTP status.
    pub status: u16,
    /// The value at the path is exactly this JSON value (templated).
    #[serde(default, deserialize_with = "ordered")]
    pub equals: Vec<(JsonPath, Value)>,
    /// The value at the path contains this: a substring of a string, an element of an array,
    /// a subset of an object (objects compare member by member, recursively).
    #[serde(default, deserialize_with = "ordered")]
    pub contains: Vec<(JsonPath, Value)>,
    /// The opposite of `contains`: the value at the path must exist and not contain this.
    #[serde(default, deserialize_with = "ordered")]
    pub excludes: Vec<(JsonPath, Value)>,
    /// The array (or string, or object) at the path has this many elements (characters,
    /// members).
    #[serde(default, deserialize_with = "ordered")]
    pub length: Vec<(JsonPath, usize)>,
    /// Nothing is at these paths (a missing member or index; `null` is a value — use
    /// `equals: null`); with `[*]`, the path selects nothing.
    #[serde(default)]
    pub absent: Vec<JsonPath>,
    /// The string at the path matches this regular expression (Rust `regex` syntax, not
    /// templated, unanchored unless written with `^…$`).
    #[serde(default, deserialize_with = "ordered")]
    pub matches: Vec<(JsonPath, Pattern)>,
}

/// A regular expression, compiled when the file is read.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        regex::Regex::new(&text)
            .map(Pattern)
            .map_err(|e| de::Error::custom(format!("bad regular expression: {e}")))
    }
}

impl<'de> Deserialize<'de> for JsonPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        JsonPath::parse(&text).map_err(de::Error::custom)
    }
}

fn empty_world() -> Value {
    Value::Object(serde_json::Map::new())
}

/// A YAML mapping as a list of pairs, in the order written.
fn ordered<'de, D, K, V>(deserializer: D) -> Result<Vec<(K, V)>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de>,
    V: Deserialize<'de>,
{
    struct Pairs<K, V>(PhantomData<(K, V)>);

    impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Pairs<K, V> {
        type Value = Vec<(K, V)>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some(pair) = map.next_entry()? {
                pairs.push(pair);
            }
            Ok(pairs)
        }
    }

    deserializer.deserialize_map(Pairs(PhantomData))
}

impl Scenario {
    /// Reads a scenario from YAML text; `file` names it in messages. The error is
    /// `file: <what> at line L column C`.
    pub fn parse(file: &str, text: &str) -> Result<Self, ScenarioError> {
        let mut scenario: Self = serde_norway::from_str(text)
            .map_err(|e| ScenarioError::new(file, At::File, e.to_string()))?;
        scenario.file = file.to_owned();
        super::validate::validate(&scenario)?;
        Ok(scenario)
    }

    /// Reads a scenario file.
    pub fn load(path: &std::path::Path) -> Result<Self, ScenarioError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScenarioError::new(&file, At::File, format!("cannot read: {e}")))?;
        Self::parse(&file, &text)
    }

    /// The scenario's short name: its file name without the extension
    /// (`scenarios/erasure_blocked.yaml` → `erasure_blocked`).
    pub fn id(&self) -> String {
        stem(std::path::Path::new(&self.file))
    }
}

/// A file's name without its extension (the whole path when it has no name).
pub(crate) fn stem(path: &std::path::Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}
