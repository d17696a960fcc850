//! What a failed validation reports: [`SchemaViolation`]s, with readable messages made from
//! the validator's errors.

use std::fmt::{self, Write as _};

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::Allowances;

/// What kind of problem a [`SchemaViolation`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// The value does not match the schema.
    Mismatch,
    /// No schema of that name exists under `components.schemas`.
    UnknownSchema,
    /// An [`Allowances`] entry names a schema or property that does not exist.
    InvalidAllowance,
    /// The schema cannot be compiled, e.g. it refers to a schema the document lacks.
    BrokenSchema,
}

/// One reason a value failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// What kind of problem this is.
    pub kind: ViolationKind,
    /// JSON pointer to the offending part of the validated value; `""` is the value itself.
    pub instance_path: String,
    /// JSON pointer to the failing keyword in the generated JSON Schema document (see
    /// [`Oas::json_schema`](super::Oas::json_schema)); `""` for problems that are not mismatches.
    pub schema_path: String,
    /// A readable description of the problem.
    pub message: String,
}

impl SchemaViolation {
    /// A problem with the schema or the request rather than with the value.
    pub(super) fn setup(kind: ViolationKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            instance_path: String::new(),
            schema_path: String::new(),
            message: message.into(),
        }
    }

    /// A value mismatch reported by the validator.
    pub(super) fn mismatch(error: &ValidationError<'_>, message: String) -> Self {
        Self {
            kind: ViolationKind::Mismatch,
            instance_path: error.instance_path().as_str().to_owned(),
            schema_path: error.schema_path().as_str().to_owned(),
            message,
        }
    }
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_path.is_empty() {
            "(root)"
        } else {
            &self.instance_path
        };
        write!(f, "at {at}: {}", self.message)
    }
}

pub(super) fn unknown_schema(name: &str) -> SchemaViolation {
    SchemaViolation::setup(
        ViolationKind::UnknownSchema,
        format!("the OpenAPI document has no schema `{name}` under components.schemas"),
    )
}

pub(super) fn missing_reference(root: &str, missing: &str) -> SchemaViolation {
    SchemaViolation::setup(
        ViolationKind::BrokenSchema,
        format!("`{root}` refers (perhaps indirectly) to `{missing}`, which the document lacks"),
    )
}

/// The panic message of [`Oas::assert_valid`](super::Oas::assert_valid).
pub(super) fn failure_report(
    schema: &str,
    value: &Value,
    allowances: &Allowances,
    violations: &[SchemaViolation],
) -> String {
    let mut report = format!(
        "value does not match OpenAPI schema `{schema}` ({} violation{}):\n",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" }
    );
    // Writing to a `String` cannot fail, hence the ignored results.
    for violation in violations {
        let _ = writeln!(report, "  - {violation}");
    }
    let _ = writeln!(report, "allowances in effect:\n{allowances}\nvalue:");
    // Serializing a `Value` cannot fail; fall back to the compact form all the same.
    report.push_str(&serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
    report
}

/// Turns one validator error into violations.
///
/// A failed `anyOf`/`oneOf` only says "none of the alternatives matched". When every
/// alternative but one rejected the value for its type alone — the usual case for a nullable
/// `$ref` (`anyOf: [{$ref}, {type: null}]`) or for `oneOf: [array, object]` — the remaining
/// alternative's errors are the informative ones, and they are reported instead.
pub(super) fn collect_violations(error: &ValidationError<'_>, out: &mut Vec<SchemaViolation>) {
    match decisive_alternative(error) {
        Some(errors) => {
            for error in errors {
                collect_violations(error, out);
            }
        }
        None => out.push(SchemaViolation::mismatch(error, describe(error))),
    }
}

/// The per-alternative errors of a failed `anyOf`/`oneOf`, if that is what `error` is.
fn alternatives<'e>(error: &'e ValidationError<'_>) -> Option<&'e [Vec<ValidationError<'static>>]> {
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    }
}

/// The errors of the only alternative that did not reject the value's type outright.
fn decisive_alternative<'e>(
    error: &'e ValidationError<'_>,
) -> Option<&'e [ValidationError<'static>]> {
    let at = error.instance_path().as_str();
    let mut plausible = alternatives(error)?
        .iter()
        .filter(|errors| !rejects_type(errors, at));
    let only = plausible.next()?;
    (plausible.next().is_none() && !only.is_empty()).then_some(only.as_slice())
}

/// Whether an alternative failed only because the value at `at` has the wrong type.
fn rejects_type(errors: &[ValidationError<'_>], at: &str) -> bool {
    matches!(errors, [only] if only.kind().keyword() == "type" && only.instance_path().as_str() == at)
}

/// A readable message for one error. Objects and arrays are not printed inline (the panic
/// message of [`Oas::assert_valid`](super::Oas::assert_valid) prints the whole value once);
/// scalars are.
fn describe(error: &ValidationError<'_>) -> String {
    if let Some(alternatives) = alternatives(error) {
        let at = error.instance_path().as_str();
        return describe_alternatives(error.kind().keyword(), at, alternatives);
    }
    match error.instance().as_ref() {
        Value::Object(_) => error.masked_with("an object").to_string(),
        Value::Array(_) => error.masked_with("an array").to_string(),
        _ => error.to_string(),
    }
}

/// Summarises every alternative, as in "matches none of the 2 `anyOf` alternatives:
/// \[0\] ...; \[1\] ...". `at` is where the alternatives were tried.
fn describe_alternatives(
    keyword: &str,
    at: &str,
    alternatives: &[Vec<ValidationError<'static>>],
) -> String {
    let summaries: Vec<String> = alternatives
        .iter()
        .enumerate()
        .map(|(i, errors)| {
            let reasons: Vec<String> = errors.iter().map(|e| describe_briefly(e, at)).collect();
            format!("[{i}] {}", reasons.join(", "))
        })
        .collect();
    format!(
        "matches none of the {} `{keyword}` alternatives: {}",
        alternatives.len(),
        summaries.join("; ")
    )
}

/// One error of an alternative, prefixed with where it is when that is deeper than `at`,
/// where the alternative was tried.
fn describe_briefly(error: &ValidationError<'_>, at: &str) -> String {
    let location = error.instance_path().as_str();
    if location == at {
        describe(error)
    } else {
        format!("{location}: {}", describe(error))
    }
}

#[cfg(test)]
mod tests {
    //! What validation reports on a small hand-written document.

    use serde_json::json;

    use crate::oas::ViolationKind;
    use crate::oas::fixtures::mini;

    #[test]
    fn refs_resolve_and_errors_point_into_them() {
        let errors = mini()
            .validate("Thing", &json!({"id": 1, "owner": {"id": "x"}}))
            .expect_err("owner.id must be an integer");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].instance_path, "/owner/id");
        assert_eq!(errors[0].kind, ViolationKind::Mismatch);
    }

    #[test]
    fn nullable_ref_errors_report_the_object_branch() {
        let oas = mini();
        assert!(
            oas.validate("Thing", &json!({"id": 1, "maybe_owner": null}))
                .is_ok()
        );
        let errors = oas
            .validate("Thing", &json!({"id": 1, "maybe_owner": {"id": true}}))
            .expect_err("maybe_owner.id must be an integer");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].instance_path, "/maybe_owner/id");
    }

    #[test]
    fn alternatives_that_all_fail_are_summarised() {
        let errors = mini()
            .validate("Thing", &json!({"id": 1, "maybe_owner": "me"}))
            .expect_err("a string is neither an Owner nor null");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].instance_path, "/maybe_owner");
        assert!(errors[0].message.contains("anyOf"), "{}", errors[0].message);
        assert!(errors[0].message.contains("[1]"), "{}", errors[0].message);
    }

    #[test]
    fn dangling_reference_is_a_broken_schema() {
        let errors = mini()
            .validate("Dangling", &json!({}))
            .expect_err("Nowhere does not exist");
        assert_eq!(errors[0].kind, ViolationKind::BrokenSchema);
        assert!(
            errors[0].message.contains("Nowhere"),
            "{}",
            errors[0].message
        );
    }
}
