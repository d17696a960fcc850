//! What a check asserts, and how a broken expectation reads: what was expected, what came
//! back, and the request that got it.

use crate::client::{ClientError, Reply};
use serde_json::Value;
use std::fmt;

/// Why a check failed: a readable, multi-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Unexpected { message, reply } => mismatch(&message, &reply),
            other => Self(other.to_string()),
        }
    }
}

/// The outcome of a check, or of one of its steps.
pub type Outcome<T = ()> = Result<T, Failure>;

/// A failure with a message of its own (no reply to show).
pub fn fail(message: impl Into<String>) -> Failure {
    Failure(message.into())
}

/// `what`, then the request and the response.
pub fn mismatch(what: &str, reply: &Reply) -> Failure {
    let sent = reply
        .request_body
        .as_ref()
        .map(|b| format!(" {}", snippet(&b.to_string(), 300)))
        .unwrap_or_default();
    Failure(format!(
        "{what}\n  request:  {}{sent}\n  response: {} {}",
        reply.request,
        reply.status,
        reply.body_snippet(600)
    ))
}

/// Expects `reply` to have `status`.
pub fn status(reply: &Reply, expected: u16, what: &str) -> Outcome {
    if reply.status == expected {
        Ok(())
    } else {
        Err(mismatch(
            &format!("{what}: expected status {expected}, got {}", reply.status),
            reply,
        ))
    }
}

/// Expects the value at `pointer` to equal `expected`.
pub fn field(reply: &Reply, pointer: &str, expected: impl Into<Value>, what: &str) -> Outcome {
    let expected = expected.into();
    let actual = reply.at(pointer);
    if *actual == expected {
        Ok(())
    } else {
        Err(mismatch(
            &format!("{what}: expected {pointer} = {expected}, got {actual}"),
            reply,
        ))
    }
}

/// Expects a status and a Zendesk error body at once: `{"error": error, ...}`.
pub fn error(reply: &Reply, expected_status: u16, error: &str, what: &str) -> Outcome {
    status(reply, expected_status, what)?;
    field(reply, "/error", error, what)
}

/// Expects `details.<key>[0].description` of a RecordInvalid body to be `description`.
pub fn record_invalid(reply: &Reply, key: &str, description: &str, what: &str) -> Outcome {
    error(reply, 422, "RecordInvalid", what)?;
    field(
        reply,
        &format!("/details/{key}/0/description"),
        description,
        what,
    )
}

/// Expects `condition`, described by `what` (phrased as the expectation), about `reply`.
pub fn that(condition: bool, what: &str, reply: &Reply) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(mismatch(&format!("expected {what}"), reply))
    }
}

/// Expects two values to be equal, without a reply to show.
pub fn equal(actual: &Value, expected: &Value, what: &str) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(fail(format!(
            "{what}: expected {}, got {}",
            snippet(&expected.to_string(), 300),
            snippet(&actual.to_string(), 300)
        )))
    }
}

fn snippet(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}
