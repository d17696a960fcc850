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
//!
//! # Live Zendesk and the published document
//!
//! The document is stricter than live Zendesk in places. [`live_allowances`] lists each known
//! difference with its evidence, and [`Samples`] collects the objects a test fetched and checks
//! them all at once under that list, so a failure names every mismatching object.

mod allowances;
mod convert;
#[cfg(test)]
mod fixtures;
mod live;
mod samples;
mod violations;

pub use allowances::{Allowances, NullableAllowance, ValueAllowance};
pub use live::live_allowances;
pub use samples::{Sample, Samples};
pub use violations::{SchemaViolation, ViolationKind};

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

use allowances::apply_allowances;
use convert::{ConvertedSchema, DEFS_REF_PREFIX, convert_schema, pointer_child};
use violations::{collect_violations, failure_report, missing_reference, unknown_schema};

/// Environment variable that overrides where [`Oas::shared`] loads the document from.
pub const OAS_PATH_ENV: &str = "ZENDESK_OAS";

/// Where [`Oas::shared`] looks when [`OAS_PATH_ENV`] is unset: `shared/` sits beside the
/// repository checkout (`/work/main` and `/work/shared` locally; CI clones the same way).
const DEFAULT_OAS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/zendesk-oas/support-api.yaml"
);

/// The dialect of the generated documents.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

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

/// A compiled validator, or why there is none (reported on every use).
type Compiled = Result<Validator, Vec<SchemaViolation>>;

/// Cache key: a root schema plus the allowances that shape its compiled document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    schema: String,
    nullable: Vec<(String, String)>,
    values: Vec<(String, String, String)>,
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
        apply_allowances(&mut defs, allowances, |s| self.has_schema(s))?;
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
            values: allowances.value_triples(),
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
