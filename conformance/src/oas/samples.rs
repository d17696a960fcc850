//! A collector of the JSON objects a test fetched, checked against the published schemas all at
//! once so that a failure lists every mismatching object rather than the first.

use serde_json::Value;

use super::{Allowances, Oas, live_allowances};

/// One object to check: what it is (for failure messages), its schema, the JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// What the object is and where it came from, e.g. `GET /users/me as the admin: user`.
    pub case: String,
    /// The name under `components.schemas` the object must match.
    pub schema: &'static str,
    /// The object.
    pub value: Value,
}

/// The objects a test collected while driving a server, validated against the shared document
/// ([`Oas::shared`]).
#[derive(Debug, Clone, Default)]
pub struct Samples(Vec<Sample>);

impl Samples {
    /// Adds `value`, to be checked as `schema`; `case` names it in failure messages.
    ///
    /// # Panics
    ///
    /// If the shared document has no schema `schema`, or `value` is not a JSON object: both are
    /// mistakes in the test rather than in the server. Also as [`Oas::shared`].
    #[track_caller]
    pub fn add(&mut self, case: impl Into<String>, schema: &'static str, value: &Value) {
        let case = case.into();
        assert!(
            Oas::shared().has_schema(schema),
            "{case}: the OAS has no schema `{schema}`"
        );
        assert!(
            value.is_object(),
            "{case}: expected a JSON object to check as `{schema}`, got {value}"
        );
        self.0.push(Sample {
            case,
            schema,
            value: value.clone(),
        });
    }

    /// Adds every sample of `other`, after those already collected.
    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// The samples, in the order they were added.
    #[must_use]
    pub fn samples(&self) -> &[Sample] {
        &self.0
    }

    /// One message per sample that does not match its schema under `allowances`.
    ///
    /// # Panics
    ///
    /// As [`Oas::shared`].
    #[must_use]
    pub fn failures(&self, allowances: &Allowances) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|sample| {
                let violations = Oas::shared()
                    .validate_with(sample.schema, &sample.value, allowances)
                    .err()?;
                let reasons: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
                Some(format!(
                    "{} (as {}):\n{}\n  value: {}",
                    sample.case,
                    sample.schema,
                    reasons.join("\n"),
                    sample.value
                ))
            })
            .collect()
    }

    /// Panics listing every sample that does not match its schema under [`live_allowances`].
    ///
    /// # Panics
    ///
    /// If any sample does not match; also as [`Oas::shared`].
    #[track_caller]
    pub fn assert_conform(&self) {
        let failures = self.failures(live_allowances());
        assert!(
            failures.is_empty(),
            "{} of {} objects do not match the OAS.\n\n{}\n\nAllowances in effect:\n{}",
            failures.len(),
            self.0.len(),
            failures.join("\n\n"),
            live_allowances()
        );
    }
}
