//! Zendesk's published OpenAPI description as a shape oracle.
//!
//! [`Oas`] loads the OpenAPI 3.0.3 document (`shared/zendesk-oas/support-api.yaml`), converts
//! every entry of `components.schemas` into JSON Schema (draft 2020-12) and validates JSON
//! values against a named schema with the [`jsonschema`] crate:
//!
//! ```no_run
//! use zendesk_conformance::oas::{Allowances, Oas};
//!
//! let body = serde_json::json!({"id": 1, "email": null});
//! let allow = Allowances::new().nullable(
//!     "DeletedUserObject",
//!     "email",
//!     "live Zendesk returns null for a permanently deleted user",
//! );
//! Oas::shared().assert_valid("DeletedUserObject", &body, &allow);
//! ```
//!
//! # From OpenAPI 3.0 to JSON Schema
//!
//! OpenAPI 3.0 schema objects are an "extended subset" of JSON Schema draft-04/05. The
//! conversion keeps the assertion keywords and
//!
//! - turns `nullable: true` into an explicit null alternative: `type: [T, "null"]` (plus
//!   `null` in any `enum`) for plain schemas, `anyOf: [<schema>, {type: null}]` for schemas
//!   built from `$ref`, `allOf`, `anyOf`, `oneOf` or `not`;
//! - rewrites `#/components/schemas/X` references to `#/$defs/X`; each compiled document holds
//!   the schemas reachable from its root under `$defs`;
//! - drops the siblings of a `$ref` (OpenAPI 3.0 says they SHALL be ignored) and every
//!   annotation or OpenAPI-only keyword (`description`, `example`, `discriminator`, `xml`,
//!   `externalDocs`, `deprecated`, `readOnly`, `writeOnly`, `x-*`, ...);
//! - turns the draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` into draft 2020-12
//!   numbers;
//! - drops `writeOnly` properties from `required`, because every value checked here is a
//!   response body and OpenAPI says a required `writeOnly` property applies to requests only.
//!
//! `format` is kept as an annotation, and format assertion is switched off: the document uses
//! non-standard formats such as `format: datetime` and `format: string`. `additionalProperties`
//! is kept as written; objects without it stay open, as in both OpenAPI and JSON Schema.

use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Map, Value, json};

/// Environment variable that overrides where [`Oas::shared`] loads the document from.
pub const OAS_PATH_ENV: &str = "ZENDESK_OAS";

/// Where [`Oas::shared`] looks when [`OAS_PATH_ENV`] is unset: `shared/` sits beside the
/// repository checkout (`/work/main` and `/work/shared` locally; CI clones the same way).
const DEFAULT_OAS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/zendesk-oas/support-api.yaml"
);

/// The prefix of every schema reference in the OpenAPI document.
const OAS_REF_PREFIX: &str = "#/components/schemas/";

/// The prefix the converted references use: each compiled document keeps its schemas in `$defs`.
const DEFS_REF_PREFIX: &str = "#/$defs/";

/// The dialect of the generated documents.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keywords whose value is a single subschema.
const SUBSCHEMA_KEYWORDS: [&str; 3] = ["items", "not", "additionalProperties"];

/// Keywords whose value is a list of subschemas.
const COMBINATOR_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

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

/// Why the OpenAPI document could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum OasError {
    /// The file could not be read.
    #[error("cannot read the OpenAPI document at {}: {source}", path.display())]
    Io {
        /// The path that was read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The text is not YAML (JSON is YAML too, so JSON documents load as well).
    #[error("the OpenAPI document is not valid YAML: {0}")]
    Yaml(#[from] serde_norway::Error),
    /// The document has no `components.schemas` mapping.
    #[error("the OpenAPI document has no `components.schemas` mapping")]
    NoSchemas,
    /// A schema object has a shape the conversion cannot handle.
    #[error("malformed schema at {location}: {message}")]
    MalformedSchema {
        /// JSON pointer into the OpenAPI document.
        location: String,
        /// What is wrong.
        message: String,
    },
}

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
    /// [`Oas::json_schema`]); `""` for problems that are not mismatches.
    pub schema_path: String,
    /// A readable description of the problem.
    pub message: String,
}

impl SchemaViolation {
    /// A problem with the schema or the request rather than with the value.
    fn setup(kind: ViolationKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            instance_path: String::new(),
            schema_path: String::new(),
            message: message.into(),
        }
    }

    /// A value mismatch reported by the validator.
    fn mismatch(error: &ValidationError<'_>, message: String) -> Self {
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

/// Documented deviations from the published document, applied when validating.
///
/// The published document is stricter than live Zendesk in places; every relaxation names
/// what it relaxes and why, so the list doubles as documentation of the differences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowances {
    nullable: Vec<NullableAllowance>,
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

    /// Adds every allowance of `other`, e.g. a per-test set on top of a shared baseline.
    #[must_use]
    pub fn merge(mut self, other: &Allowances) -> Self {
        self.nullable.extend(other.nullable.iter().cloned());
        self
    }

    /// The nullable-property allowances, in the order they were added.
    #[must_use]
    pub fn nullable_properties(&self) -> &[NullableAllowance] {
        &self.nullable
    }

    /// Whether there are no allowances at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nullable.is_empty()
    }

    /// The (schema, property) pairs, sorted and deduplicated: what the compiled validator
    /// depends on. Reasons are documentation and do not change validation.
    fn nullable_pairs(&self) -> Vec<(String, String)> {
        let pairs: BTreeSet<_> = self
            .nullable
            .iter()
            .map(|a| (a.schema.clone(), a.property.clone()))
            .collect();
        pairs.into_iter().collect()
    }
}

impl fmt::Display for Allowances {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("(none)");
        }
        for (i, a) in self.nullable.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}.{} may be null: {}", a.schema, a.property, a.reason)?;
        }
        Ok(())
    }
}

/// A compiled validator, or why there is none (reported on every use).
type Compiled = Result<Validator, Vec<SchemaViolation>>;

/// Cache key: a root schema plus the allowances that shape its compiled document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    schema: String,
    nullable: Vec<(String, String)>,
}

/// One entry of `components.schemas`, converted to JSON Schema.
#[derive(Debug)]
struct ConvertedSchema {
    schema: Value,
    /// Names of the component schemas it refers to directly.
    refs: BTreeSet<String>,
}

/// Zendesk's OpenAPI document, with its schemas converted to JSON Schema and compiled on
/// demand (once per schema name and set of allowances).
pub struct Oas {
    document: Value,
    schemas: HashMap<String, ConvertedSchema>,
    /// One cell per key: the map's lock is held only to find the cell, so compiling one schema
    /// does not block validation against another.
    compiled: Mutex<HashMap<CacheKey, Arc<OnceLock<Compiled>>>>,
}

impl fmt::Debug for Oas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Oas")
            .field("schemas", &self.schemas.len())
            .finish_non_exhaustive()
    }
}

impl Oas {
    /// Reads and converts the OpenAPI document at `path` (YAML or JSON).
    ///
    /// # Errors
    ///
    /// [`OasError::Io`] if the file cannot be read; otherwise as [`Oas::from_yaml_str`].
    pub fn load(path: &Path) -> Result<Self, OasError> {
        let text = std::fs::read_to_string(path).map_err(|source| OasError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_yaml_str(&text)
    }

    /// Parses and converts an OpenAPI document given as YAML (or JSON) text.
    ///
    /// The published file is YAML 1.2. Around line 25,486 it has a bare `change: =`, which
    /// YAML 1.1 loaders such as PyYAML's read as the special "value" tag and reject.
    /// `serde_norway` (libyaml's parser with YAML 1.2 core-schema scalar resolution) reads it
    /// as the string `"="`, so no workaround is needed; a test pins that down.
    ///
    /// # Errors
    ///
    /// [`OasError::Yaml`] if the text is not YAML; otherwise as [`Oas::from_document`].
    pub fn from_yaml_str(yaml: &str) -> Result<Self, OasError> {
        let document: Value = serde_norway::from_str(yaml)?;
        Self::from_document(document)
    }

    /// Converts an OpenAPI document that is already parsed.
    ///
    /// # Errors
    ///
    /// [`OasError::NoSchemas`] without a `components.schemas` mapping;
    /// [`OasError::MalformedSchema`] if a schema is not an object, a `properties` is not a
    /// mapping, a combinator is not a list, or a `$ref` points outside `components.schemas`.
    pub fn from_document(document: Value) -> Result<Self, OasError> {
        let raw = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .ok_or(OasError::NoSchemas)?;
        let mut schemas = HashMap::with_capacity(raw.len());
        for (name, schema) in raw {
            let mut refs = BTreeSet::new();
            let location = pointer_child("/components/schemas", name);
            let schema = convert_schema(schema, &location, &mut refs)?;
            schemas.insert(name.clone(), ConvertedSchema { schema, refs });
        }
        Ok(Self {
            document,
            schemas,
            compiled: Mutex::default(),
        })
    }

    /// The document shared by all tests in this process, loaded on first use from the path in
    /// [`OAS_PATH_ENV`] (`ZENDESK_OAS`) or else from `shared/zendesk-oas/support-api.yaml`
    /// beside the repository.
    ///
    /// # Panics
    ///
    /// If the document cannot be loaded: this is test tooling, and without the oracle no
    /// shape test can run.
    pub fn shared() -> &'static Oas {
        static SHARED: OnceLock<Oas> = OnceLock::new();
        SHARED.get_or_init(|| {
            let path = std::env::var_os(OAS_PATH_ENV)
                .map_or_else(|| PathBuf::from(DEFAULT_OAS_PATH), PathBuf::from);
            Oas::load(&path).unwrap_or_else(|error| {
                panic!(
                    "cannot load Zendesk's OpenAPI document from {}: {error}\n\
                     Set {OAS_PATH_ENV} to the path of support-api.yaml, or check out the \
                     shared/ directory beside the repository.",
                    path.display()
                )
            })
        })
    }

    /// The whole OpenAPI document as parsed (paths, operations, original schemas).
    #[must_use]
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The names under `components.schemas`, in document order.
    pub fn schema_names(&self) -> impl Iterator<Item = &str> {
        self.raw_schemas()
            .into_iter()
            .flat_map(|schemas| schemas.keys().map(String::as_str))
    }

    /// Whether `components.schemas` has an entry called `name`.
    #[must_use]
    pub fn has_schema(&self, name: &str) -> bool {
        self.schemas.contains_key(name)
    }

    /// The schema `name` as published (OpenAPI dialect, with `example` and descriptions).
    #[must_use]
    pub fn oas_schema(&self, name: &str) -> Option<&Value> {
        self.raw_schemas()?.get(name)
    }

    /// The self-contained JSON Schema document that `name` is validated with under
    /// `allowances`: `{"$schema", "$ref": "#/$defs/<name>", "$defs": {...}}`, holding every
    /// schema reachable from `name`. Useful to debug a violation's `schema_path`.
    ///
    /// # Errors
    ///
    /// The non-[`Mismatch`](ViolationKind::Mismatch) violations [`Oas::validate_with`] would
    /// report: unknown schema, missing referenced schema, invalid allowance.
    pub fn json_schema(
        &self,
        name: &str,
        allowances: &Allowances,
    ) -> Result<Value, Vec<SchemaViolation>> {
        if !self.has_schema(name) {
            return Err(vec![unknown_schema(name)]);
        }
        let mut defs = self.reachable_defs(name)?;
        apply_nullable_allowances(&mut defs, allowances, |s| self.has_schema(s))?;
        Ok(json!({
            "$schema": DIALECT,
            "$ref": format!("{DEFS_REF_PREFIX}{name}"),
            "$defs": defs,
        }))
    }

    /// Validates `value` against `components.schemas.<schema>` exactly as published.
    ///
    /// # Errors
    ///
    /// Every violation found; see [`Oas::validate_with`].
    pub fn validate(&self, schema: &str, value: &Value) -> Result<(), Vec<SchemaViolation>> {
        self.validate_with(schema, value, &Allowances::new())
    }

    /// Validates `value` against `components.schemas.<schema>`, relaxed by `allowances`.
    ///
    /// Every problem is returned, not just the first. An unknown schema name, an allowance
    /// that names nothing, or a schema that cannot be compiled is reported as a violation too
    /// (see [`ViolationKind`]), never as a panic.
    ///
    /// # Errors
    ///
    /// Every violation found.
    pub fn validate_with(
        &self,
        schema: &str,
        value: &Value,
        allowances: &Allowances,
    ) -> Result<(), Vec<SchemaViolation>> {
        let cell = self.compiled_cell(schema, allowances);
        let validator = match cell.get_or_init(|| self.compile(schema, allowances)) {
            Ok(validator) => validator,
            Err(problems) => return Err(problems.clone()),
        };
        let mut violations = Vec::new();
        for error in validator.iter_errors(value) {
            collect_violations(&error, &mut violations);
        }
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }

    /// Like [`Oas::validate_with`], but panics with every violation, the allowances in effect
    /// and the pretty-printed value. For tests.
    ///
    /// # Panics
    ///
    /// If `value` does not match, or the check itself cannot run (see [`ViolationKind`]).
    #[track_caller]
    pub fn assert_valid(&self, schema: &str, value: &Value, allowances: &Allowances) {
        if let Err(violations) = self.validate_with(schema, value, allowances) {
            panic!("{}", failure_report(schema, value, allowances, &violations));
        }
    }

    fn raw_schemas(&self) -> Option<&Map<String, Value>> {
        self.document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
    }

    /// The cache cell for `schema` under `allowances`, created empty if new.
    fn compiled_cell(&self, schema: &str, allowances: &Allowances) -> Arc<OnceLock<Compiled>> {
        let key = CacheKey {
            schema: schema.to_owned(),
            nullable: allowances.nullable_pairs(),
        };
        // A panic elsewhere while the lock was held cannot leave the map inconsistent (we
        // only insert empty cells), so a poisoned lock is safe to reuse.
        let mut compiled = self.compiled.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(compiled.entry(key).or_default())
    }

    fn compile(&self, schema: &str, allowances: &Allowances) -> Compiled {
        let document = self.json_schema(schema, allowances)?;
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(false)
            .build(&document)
            .map_err(|error| {
                vec![SchemaViolation::setup(
                    ViolationKind::BrokenSchema,
                    format!("the JSON Schema generated for `{schema}` does not compile: {error}"),
                )]
            })
    }

    /// The converted schemas reachable from `root` through references, keyed by name.
    fn reachable_defs(&self, root: &str) -> Result<Map<String, Value>, Vec<SchemaViolation>> {
        let mut defs = Map::new();
        let mut missing = Vec::new();
        let mut pending = vec![root.to_owned()];
        while let Some(name) = pending.pop() {
            if defs.contains_key(&name) {
                continue;
            }
            let Some(converted) = self.schemas.get(&name) else {
                missing.push(name);
                continue;
            };
            pending.extend(converted.refs.iter().cloned());
            defs.insert(name, converted.schema.clone());
        }
        if missing.is_empty() {
            Ok(defs)
        } else {
            Err(missing.iter().map(|m| missing_reference(root, m)).collect())
        }
    }
}

fn unknown_schema(name: &str) -> SchemaViolation {
    SchemaViolation::setup(
        ViolationKind::UnknownSchema,
        format!("the OpenAPI document has no schema `{name}` under components.schemas"),
    )
}

fn missing_reference(root: &str, missing: &str) -> SchemaViolation {
    SchemaViolation::setup(
        ViolationKind::BrokenSchema,
        format!("`{root}` refers (perhaps indirectly) to `{missing}`, which the document lacks"),
    )
}

/// The panic message of [`Oas::assert_valid`].
fn failure_report(
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

// ---------------------------------------------------------------------------------------------
// Conversion: OpenAPI 3.0 schema object -> JSON Schema 2020-12
// ---------------------------------------------------------------------------------------------

/// Converts one OpenAPI 3.0 schema object into JSON Schema 2020-12, recording the names of
/// the component schemas it refers to in `refs`. `location` is its JSON pointer in the
/// OpenAPI document, for error messages.
fn convert_schema(
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
fn allow_null_value(schema: Value) -> Value {
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
fn pointer_child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

// ---------------------------------------------------------------------------------------------
// Allowances: patching the converted schemas before compiling
// ---------------------------------------------------------------------------------------------

/// Makes each allowed property nullable in `defs` (the schemas reachable from the root).
/// `exists` tells whether a schema name is in the document at all.
fn apply_nullable_allowances(
    defs: &mut Map<String, Value>,
    allowances: &Allowances,
    exists: impl Fn(&str) -> bool,
) -> Result<(), Vec<SchemaViolation>> {
    let mut problems = Vec::new();
    for (schema, property) in allowances.nullable_pairs() {
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
        if make_property_nullable(def, &property) == 0 {
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

/// Makes `property` nullable wherever `schema` declares it: in its own `properties` and in
/// those of its inline `allOf`/`anyOf`/`oneOf` members (not through `$ref`). Returns how many
/// declarations it changed.
fn make_property_nullable(schema: &mut Value, property: &str) -> usize {
    let Some(object) = schema.as_object_mut() else {
        return 0;
    };
    let mut changed = 0;
    if let Some(slot) = object
        .get_mut("properties")
        .and_then(|properties| properties.get_mut(property))
    {
        *slot = allow_null_value(slot.take());
        changed += 1;
    }
    for keyword in COMBINATOR_KEYWORDS {
        if let Some(Value::Array(members)) = object.get_mut(keyword) {
            for member in members {
                changed += make_property_nullable(member, property);
            }
        }
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// Reporting: validator errors -> violations
// ---------------------------------------------------------------------------------------------

/// Turns one validator error into violations.
///
/// A failed `anyOf`/`oneOf` only says "none of the alternatives matched". When every
/// alternative but one rejected the value for its type alone — the usual case for a nullable
/// `$ref` (`anyOf: [{$ref}, {type: null}]`) or for `oneOf: [array, object]` — the remaining
/// alternative's errors are the informative ones, and they are reported instead.
fn collect_violations(error: &ValidationError<'_>, out: &mut Vec<SchemaViolation>) {
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
/// message of [`Oas::assert_valid`] prints the whole value once); scalars are.
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
    //! Conversion and reporting on small hand-written documents; the published document is
    //! exercised in `tests/oas.rs`.

    use super::*;

    const MINI: &str = r"
openapi: 3.0.3
components:
  schemas:
    Thing:
      type: object
      required: [id, secret]
      properties:
        id: {type: integer, readOnly: true, example: 5}
        name: {type: string, nullable: true}
        kind: {type: string, enum: [a, b], nullable: true}
        email: {type: string, format: datetime}
        owner:
          $ref: '#/components/schemas/Owner'
        maybe_owner:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/Owner'
        secret: {type: string, writeOnly: true}
        score: {type: number, maximum: 10, exclusiveMaximum: true}
      example: {id: 1}
      x-zendesk: ignored
    Owner:
      type: object
      required: [id]
      properties:
        id: {type: integer}
    Mixed:
      allOf:
        - $ref: '#/components/schemas/Owner'
        - type: object
          properties:
            note: {type: string}
    Dangling:
      $ref: '#/components/schemas/Nowhere'
";

    fn mini() -> Oas {
        Oas::from_yaml_str(MINI).expect("mini document loads")
    }

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
    #[should_panic(expected = "needs a reason")]
    fn allowance_without_reason_panics() {
        let _ = Allowances::new().nullable("Thing", "name", "  ");
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

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_child("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
