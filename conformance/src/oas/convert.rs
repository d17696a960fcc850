//! OpenAPI 3.0 schema objects to JSON Schema 2020-12, by the rules listed in the
//! [module documentation](super).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::OasError;

/// The prefix of every schema reference in the OpenAPI document.
const OAS_REF_PREFIX: &str = "#/components/schemas/";

/// The prefix the converted references use: each compiled document keeps its schemas in `$defs`.
pub(super) const DEFS_REF_PREFIX: &str = "#/$defs/";

/// Keywords whose value is a single subschema.
const SUBSCHEMA_KEYWORDS: [&str; 3] = ["items", "not", "additionalProperties"];

/// Keywords whose value is a list of subschemas.
pub(super) const COMBINATOR_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Keywords copied verbatim: assertions that mean the same in OpenAPI 3.0 and JSON Schema
/// 2020-12, plus `format`, which stays an annotation because format assertion is off.
const VERBATIM_KEYWORDS: [&str; 14] = [
    "type",
    "enum",
    "format",
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
];

/// One entry of `components.schemas`, converted to JSON Schema.
#[derive(Debug)]
pub(super) struct ConvertedSchema {
    pub(super) schema: Value,
    /// Names of the component schemas it refers to directly.
    pub(super) refs: BTreeSet<String>,
}

/// Converts one OpenAPI 3.0 schema object into JSON Schema 2020-12, recording the names of
/// the component schemas it refers to in `refs`. `location` is its JSON pointer in the
/// OpenAPI document, for error messages.
pub(super) fn convert_schema(
    schema: &Value,
    location: &str,
    refs: &mut BTreeSet<String>,
) -> Result<Value, OasError> {
    let object = match schema {
        // OpenAPI 3.0 only allows booleans for `additionalProperties`; they mean the same.
        Value::Bool(_) => return Ok(schema.clone()),
        Value::Object(object) => object,
        _ => return Err(malformed(location, "a schema must be an object")),
    };
    let converted = match object.get("$ref") {
        // OpenAPI 3.0: properties beside a `$ref` SHALL be ignored. We still honour a
        // `nullable: true` there (below): whoever wrote it meant it, and it only relaxes.
        Some(reference) => convert_ref(reference, location, refs)?,
        None => convert_keywords(object, location, refs)?,
    };
    if object.get("nullable") == Some(&Value::Bool(true)) {
        return Ok(Value::Object(allow_null(converted)));
    }
    Ok(Value::Object(converted))
}

/// `$ref: '#/components/schemas/X[/...]'` becomes `$ref: '#/$defs/X[/...]'`.
fn convert_ref(
    reference: &Value,
    location: &str,
    refs: &mut BTreeSet<String>,
) -> Result<Map<String, Value>, OasError> {
    let target = reference
        .as_str()
        .and_then(|r| r.strip_prefix(OAS_REF_PREFIX))
        .ok_or_else(|| {
            malformed(
                location,
                &format!("only `{OAS_REF_PREFIX}...` references are supported, got {reference}"),
            )
        })?;
    // Component names match `^[a-zA-Z0-9._-]+$` (OpenAPI 3.0.3, Components Object), so the
    // first segment needs no JSON-pointer or percent decoding.
    let name = target.split('/').next().unwrap_or(target);
    refs.insert(name.to_owned());
    let mut converted = Map::new();
    converted.insert(
        "$ref".to_owned(),
        Value::String(format!("{DEFS_REF_PREFIX}{target}")),
    );
    Ok(converted)
}

/// Converts a schema object without `$ref`: keeps assertions, converts subschemas, drops the
/// rest (annotations and OpenAPI-only keywords; `nullable` is handled by the caller).
fn convert_keywords(
    object: &Map<String, Value>,
    location: &str,
    refs: &mut BTreeSet<String>,
) -> Result<Map<String, Value>, OasError> {
    let mut converted = Map::new();
    for (keyword, value) in object {
        let at = pointer_child(location, keyword);
        let value = match keyword.as_str() {
            k if VERBATIM_KEYWORDS.contains(&k) => value.clone(),
            k if SUBSCHEMA_KEYWORDS.contains(&k) => convert_schema(value, &at, refs)?,
            k if COMBINATOR_KEYWORDS.contains(&k) => convert_schema_list(value, &at, refs)?,
            "properties" => convert_properties(value, &at, refs)?,
            "required" => response_required(value, object.get("properties")),
            _ => continue,
        };
        converted.insert(keyword.clone(), value);
    }
    convert_exclusive_bound(object, &mut converted, "maximum", "exclusiveMaximum");
    convert_exclusive_bound(object, &mut converted, "minimum", "exclusiveMinimum");
    Ok(converted)
}

/// Converts every schema of an `allOf`/`anyOf`/`oneOf` list.
fn convert_schema_list(
    list: &Value,
    location: &str,
    refs: &mut BTreeSet<String>,
) -> Result<Value, OasError> {
    let members = list
        .as_array()
        .ok_or_else(|| malformed(location, "expected a list of schemas"))?;
    let converted = members
        .iter()
        .enumerate()
        .map(|(i, member)| convert_schema(member, &pointer_child(location, &i.to_string()), refs))
        .collect::<Result<_, _>>()?;
    Ok(Value::Array(converted))
}

/// Converts the schema of every property.
fn convert_properties(
    properties: &Value,
    location: &str,
    refs: &mut BTreeSet<String>,
) -> Result<Value, OasError> {
    let properties = properties
        .as_object()
        .ok_or_else(|| malformed(location, "`properties` must be a mapping"))?;
    let mut converted = Map::new();
    for (name, schema) in properties {
        let at = pointer_child(location, name);
        converted.insert(name.clone(), convert_schema(schema, &at, refs)?);
    }
    Ok(Value::Object(converted))
}

/// `required` minus the properties marked `writeOnly`: OpenAPI 3.0 says a required
/// write-only property is required in requests only, and we validate responses.
fn response_required(required: &Value, properties: Option<&Value>) -> Value {
    let Value::Array(names) = required else {
        return required.clone();
    };
    let write_only = |name: &Value| {
        name.as_str()
            .and_then(|name| properties?.get(name)?.get("writeOnly"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    Value::Array(names.iter().filter(|n| !write_only(n)).cloned().collect())
}

/// OpenAPI 3.0 (like draft-04) writes `maximum: 5, exclusiveMaximum: true`; draft 2020-12
/// writes `exclusiveMaximum: 5`. `false` means an inclusive bound, which `bound` already is.
fn convert_exclusive_bound(
    object: &Map<String, Value>,
    converted: &mut Map<String, Value>,
    bound: &str,
    exclusive: &str,
) {
    if object.get(exclusive) != Some(&Value::Bool(true)) {
        return;
    }
    if let Some(limit) = converted.remove(bound) {
        converted.insert(exclusive.to_owned(), limit);
    }
}

/// Makes a converted schema accept `null` too.
///
/// A plain schema gets `null` added to its `type` (and to its `enum`, which would otherwise
/// still reject it); a schema that delegates to `$ref` or a combinator cannot be widened in
/// place, so it becomes `anyOf: [<schema>, {type: null}]`. A schema with neither `type` nor
/// `enum` already accepts `null`.
fn allow_null(mut schema: Map<String, Value>) -> Map<String, Value> {
    let delegates = ["$ref", "not"]
        .iter()
        .chain(COMBINATOR_KEYWORDS.iter())
        .any(|k| schema.contains_key(*k));
    if delegates {
        let mut wrapper = Map::new();
        wrapper.insert(
            "anyOf".to_owned(),
            json!([Value::Object(schema), {"type": "null"}]),
        );
        return wrapper;
    }
    if let Some(types) = schema.get_mut("type") {
        add_null_type(types);
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    schema
}

/// `"string"` becomes `["string", "null"]`; a list gains `"null"` if it lacks it.
fn add_null_type(types: &mut Value) {
    let null = Value::String("null".to_owned());
    match types {
        Value::String(single) if single != "null" => *types = json!([single, "null"]),
        Value::Array(list) if !list.contains(&null) => list.push(null),
        _ => {}
    }
}

/// [`allow_null`] for any converted schema value, including boolean schemas.
pub(super) fn allow_null_value(schema: Value) -> Value {
    match schema {
        Value::Object(object) => Value::Object(allow_null(object)),
        Value::Bool(false) => json!({"type": "null"}),
        other => other,
    }
}

fn malformed(location: &str, message: &str) -> OasError {
    OasError::MalformedSchema {
        location: location.to_owned(),
        message: message.to_owned(),
    }
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(super) fn pointer_child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    //! Conversion of small hand-written schemas; the published document is exercised in
    //! `tests/oas.rs`.

    use serde_json::{Value, json};

    use super::pointer_child;
    use crate::oas::fixtures::mini;
    use crate::oas::{Oas, OasError};

    fn converted(oas: &Oas, name: &str) -> Value {
        oas.schemas[name].schema.clone()
    }

    #[test]
    fn nullable_widens_type_and_enum() {
        let thing = converted(&mini(), "Thing");
        assert_eq!(
            thing["properties"]["name"],
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            thing["properties"]["kind"],
            json!({"type": ["string", "null"], "enum": ["a", "b", null]})
        );
    }

    #[test]
    fn nullable_combinator_becomes_any_of_null() {
        let thing = converted(&mini(), "Thing");
        assert_eq!(
            thing["properties"]["maybe_owner"],
            json!({"anyOf": [{"allOf": [{"$ref": "#/$defs/Owner"}]}, {"type": "null"}]})
        );
    }

    #[test]
    fn nullable_ref_becomes_any_of_null() {
        let doc = r"
components:
  schemas:
    A: {$ref: '#/components/schemas/B', nullable: true, description: dropped}
    B: {type: string}
";
        let oas = Oas::from_yaml_str(doc).expect("loads");
        assert_eq!(
            converted(&oas, "A"),
            json!({"anyOf": [{"$ref": "#/$defs/B"}, {"type": "null"}]})
        );
        assert!(oas.validate("A", &Value::Null).is_ok());
        assert!(oas.validate("A", &json!(3)).is_err());
    }

    #[test]
    fn annotations_and_oas_keywords_are_dropped() {
        let thing = converted(&mini(), "Thing");
        assert!(thing.get("example").is_none());
        assert!(thing.get("x-zendesk").is_none());
        assert_eq!(thing["properties"]["id"], json!({"type": "integer"}));
    }

    #[test]
    fn write_only_properties_are_not_required_in_responses() {
        let thing = converted(&mini(), "Thing");
        assert_eq!(thing["required"], json!(["id"]));
    }

    #[test]
    fn exclusive_bounds_become_numbers() {
        let thing = converted(&mini(), "Thing");
        assert_eq!(
            thing["properties"]["score"],
            json!({"type": "number", "exclusiveMaximum": 10})
        );
        let oas = mini();
        assert!(
            oas.validate("Thing", &json!({"id": 1, "score": 9.5}))
                .is_ok()
        );
        assert!(
            oas.validate("Thing", &json!({"id": 1, "score": 10}))
                .is_err()
        );
    }

    #[test]
    fn formats_are_not_asserted() {
        let oas = mini();
        assert!(
            oas.validate("Thing", &json!({"id": 1, "email": "not a date"}))
                .is_ok()
        );
    }

    #[test]
    fn non_component_references_are_rejected_at_load() {
        let doc = "components: {schemas: {A: {$ref: 'other.yaml#/A'}}}";
        let error = Oas::from_yaml_str(doc).expect_err("external refs are unsupported");
        assert!(matches!(error, OasError::MalformedSchema { .. }), "{error}");
    }

    #[test]
    fn document_without_schemas_is_rejected() {
        let error = Oas::from_yaml_str("openapi: 3.0.3\n").expect_err("no schemas");
        assert!(matches!(error, OasError::NoSchemas), "{error}");
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_child("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
