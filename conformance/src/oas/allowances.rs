//! Documented deviations from the published document, and how they relax the converted
//! schemas before they are compiled.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value, json};

use super::convert::{COMBINATOR_KEYWORDS, allow_null_value};
use super::violations::{SchemaViolation, ViolationKind};

/// One documented deviation: `property` of `schema` may also be `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullableAllowance {
    /// A name under `components.schemas`.
    pub schema: String,
    /// A property that schema declares.
    pub property: String,
    /// Why live Zendesk differs from the document, with the source of that knowledge.
    pub reason: String,
}

/// One documented deviation: `property` of `schema` may also be `value`, a member its `enum`
/// does not list (Zendesk's exports list deleted tickets with `status: "deleted"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueAllowance {
    /// A name under `components.schemas`.
    pub schema: String,
    /// A property that schema declares.
    pub property: String,
    /// The extra value the property may take.
    pub value: Value,
    /// Why live Zendesk differs from the document, with the source of that knowledge.
    pub reason: String,
}

/// Documented deviations from the published document, applied when validating.
///
/// The published document is stricter than live Zendesk in places; every relaxation names
/// what it relaxes and why, so the list doubles as documentation of the differences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowances {
    nullable: Vec<NullableAllowance>,
    values: Vec<ValueAllowance>,
}

impl Allowances {
    /// No allowances: validate exactly as published.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets `property` of `schema` be `null` as well as what the document says.
    ///
    /// The property is looked up in the schema's own `properties` and in those of its inline
    /// `allOf`/`anyOf`/`oneOf` members; a property inherited through a `$ref` belongs to the
    /// referenced schema, so name that one. An allowance whose schema exists but is not
    /// reachable from the schema being validated has no effect, so one set can serve many
    /// schemas; one naming a missing schema or property is reported as a
    /// [`ViolationKind::InvalidAllowance`].
    ///
    /// # Panics
    ///
    /// If `reason` is blank: every allowance must say why it exists.
    #[must_use]
    pub fn nullable(
        mut self,
        schema: impl Into<String>,
        property: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        let allowance = NullableAllowance {
            schema: schema.into(),
            property: property.into(),
            reason: reason.into(),
        };
        assert!(
            !allowance.reason.trim().is_empty(),
            "the allowance for {}.{} needs a reason (what differs, and the source)",
            allowance.schema,
            allowance.property
        );
        self.nullable.push(allowance);
        self
    }

    /// Lets `property` of `schema` take `value` as well as what the document says: an enum
    /// member it does not list. The property is looked up as for [`Allowances::nullable`], and
    /// an allowance naming nothing is reported the same way.
    ///
    /// # Panics
    ///
    /// If `reason` is blank: every allowance must say why it exists.
    #[must_use]
    pub fn value(
        mut self,
        schema: impl Into<String>,
        property: impl Into<String>,
        value: impl Into<Value>,
        reason: impl Into<String>,
    ) -> Self {
        let allowance = ValueAllowance {
            schema: schema.into(),
            property: property.into(),
            value: value.into(),
            reason: reason.into(),
        };
        assert!(
            !allowance.reason.trim().is_empty(),
            "the allowance for {}.{} = {} needs a reason (what differs, and the source)",
            allowance.schema,
            allowance.property,
            allowance.value
        );
        self.values.push(allowance);
        self
    }

    /// Adds every allowance of `other`, e.g. a per-test set on top of a shared baseline.
    #[must_use]
    pub fn merge(mut self, other: &Allowances) -> Self {
        self.nullable.extend(other.nullable.iter().cloned());
        self.values.extend(other.values.iter().cloned());
        self
    }

    /// The nullable-property allowances, in the order they were added.
    #[must_use]
    pub fn nullable_properties(&self) -> &[NullableAllowance] {
        &self.nullable
    }

    /// The extra-value allowances, in the order they were added.
    #[must_use]
    pub fn value_properties(&self) -> &[ValueAllowance] {
        &self.values
    }

    /// Whether there are no allowances at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nullable.is_empty() && self.values.is_empty()
    }

    /// The (schema, property) pairs, sorted and deduplicated: what the compiled validator
    /// depends on. Reasons are documentation and do not change validation.
    pub(super) fn nullable_pairs(&self) -> Vec<(String, String)> {
        let pairs: BTreeSet<_> = self
            .nullable
            .iter()
            .map(|a| (a.schema.clone(), a.property.clone()))
            .collect();
        pairs.into_iter().collect()
    }

    /// The (schema, property, value as JSON text) triples, sorted and deduplicated.
    pub(super) fn value_triples(&self) -> Vec<(String, String, String)> {
        let triples: BTreeSet<_> = self
            .values
            .iter()
            .map(|a| (a.schema.clone(), a.property.clone(), a.value.to_string()))
            .collect();
        triples.into_iter().collect()
    }
}

impl fmt::Display for Allowances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("(none)");
        }
        let nullable = self
            .nullable
            .iter()
            .map(|a| format!("{}.{} may be null: {}", a.schema, a.property, a.reason));
        let values = self.values.iter().map(|a| {
            let (schema, property, value) = (&a.schema, &a.property, &a.value);
            format!("{schema}.{property} may be {value}: {}", a.reason)
        });
        let lines: Vec<String> = nullable.chain(values).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// Makes each allowed property nullable, or open to its extra value, in `defs` (the schemas
/// reachable from the root). `exists` tells whether a schema name is in the document at all.
pub(super) fn apply_allowances(
    defs: &mut Map<String, Value>,
    allowances: &Allowances,
    exists: impl Fn(&str) -> bool,
) -> Result<(), Vec<SchemaViolation>> {
    let nullable = allowances
        .nullable_pairs()
        .into_iter()
        .map(|(schema, property)| (schema, property, None));
    let values = allowances
        .values
        .iter()
        .map(|a| (a.schema.clone(), a.property.clone(), Some(a.value.clone())));
    let mut problems = Vec::new();
    for (schema, property, value) in nullable.chain(values) {
        if !exists(&schema) {
            problems.push(SchemaViolation::setup(
                ViolationKind::InvalidAllowance,
                format!("an allowance names schema `{schema}`, which the document lacks"),
            ));
            continue;
        }
        // Not reachable from the root being validated: nothing to relax.
        let Some(def) = defs.get_mut(&schema) else {
            continue;
        };
        let changed = match &value {
            None => patch_property(def, &property, &allow_null_value),
            Some(value) => patch_property(
                def,
                &property,
                &|schema| json!({"anyOf": [schema, {"const": value}]}),
            ),
        };
        if changed == 0 {
            problems.push(SchemaViolation::setup(
                ViolationKind::InvalidAllowance,
                format!(
                    "an allowance names `{schema}.{property}`, but `{schema}` declares no \
                     property `{property}` (if it inherits it through a $ref, name that schema)"
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Rewrites `property` with `patch` wherever `schema` declares it: in its own `properties` and
/// in those of its inline `allOf`/`anyOf`/`oneOf` members (not through `$ref`). Returns how
/// many declarations it changed.
fn patch_property(schema: &mut Value, property: &str, patch: &dyn Fn(Value) -> Value) -> usize {
    let Some(object) = schema.as_object_mut() else {
        return 0;
    };
    let mut changed = 0;
    if let Some(slot) = object
        .get_mut("properties")
        .and_then(|properties| properties.get_mut(property))
    {
        *slot = patch(slot.take());
        changed += 1;
    }
    for keyword in COMBINATOR_KEYWORDS {
        if let Some(Value::Array(members)) = object.get_mut(keyword) {
            for member in members {
                changed += patch_property(member, property, patch);
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    //! Allowances applied to a small hand-written document.

    use serde_json::json;

    use crate::oas::fixtures::mini;
    use crate::oas::{Allowances, ViolationKind};

    #[test]
    fn allowances_patch_inline_all_of_members() {
        let oas = mini();
        let value = json!({"id": 1, "note": null});
        assert!(oas.validate("Mixed", &value).is_err());
        let allow = Allowances::new().nullable("Mixed", "note", "test");
        assert!(oas.validate_with("Mixed", &value, &allow).is_ok());
    }

    #[test]
    fn allowance_for_an_inherited_property_is_invalid() {
        let allow = Allowances::new().nullable("Mixed", "id", "test");
        let errors = mini()
            .validate_with("Mixed", &json!({"id": null}), &allow)
            .expect_err("id is declared by Owner, not Mixed");
        assert_eq!(errors[0].kind, ViolationKind::InvalidAllowance);
    }

    #[test]
    fn allowance_for_a_missing_schema_is_invalid() {
        let allow = Allowances::new().nullable("Ghost", "id", "test");
        let errors = mini()
            .validate_with("Owner", &json!({"id": 1}), &allow)
            .expect_err("Ghost does not exist");
        assert_eq!(errors[0].kind, ViolationKind::InvalidAllowance);
    }

    #[test]
    fn allowance_for_an_unreachable_schema_is_ignored() {
        let allow = Allowances::new().nullable("Thing", "name", "test");
        assert!(
            mini()
                .validate_with("Owner", &json!({"id": 1}), &allow)
                .is_ok()
        );
    }

    #[test]
    #[should_panic(expected = "needs a reason")]
    fn allowance_without_reason_panics() {
        let _ = Allowances::new().nullable("Thing", "name", "  ");
    }

    #[test]
    fn a_value_allowance_admits_one_more_value_and_no_other() {
        let oas = mini();
        let value = json!({"id": 1, "kind": "c"});
        assert!(oas.validate("Thing", &value).is_err(), "kind is a or b");
        let allow = Allowances::new().value("Thing", "kind", "c", "test");
        assert!(oas.validate_with("Thing", &value, &allow).is_ok());
        assert!(
            oas.validate_with("Thing", &json!({"id": 1, "kind": "a"}), &allow)
                .is_ok()
        );
        let other = json!({"id": 1, "kind": "d"});
        assert!(oas.validate_with("Thing", &other, &allow).is_err());
    }

    #[test]
    fn a_value_allowance_for_a_missing_property_is_invalid() {
        let allow = Allowances::new().value("Thing", "ghost", "x", "test");
        let errors = mini()
            .validate_with("Thing", &json!({"id": 1}), &allow)
            .expect_err("Thing declares no ghost");
        assert_eq!(errors[0].kind, ViolationKind::InvalidAllowance);
    }

    #[test]
    fn merged_allowances_apply_together() {
        let base = Allowances::new().nullable("Thing", "email", "test");
        let allow = Allowances::new()
            .nullable("Owner", "id", "test")
            .merge(&base);
        assert_eq!(allow.nullable_properties().len(), 2);
        let value = json!({"id": 1, "email": null, "owner": {"id": null}});
        assert!(mini().validate("Thing", &value).is_err());
        assert!(mini().validate_with("Thing", &value, &allow).is_ok());
    }
}
