//! Conformance checks for Zendesk-compatible servers and the privacy tools that use them.
//!
//! ## A tour, in reading order
//!
//! - [`target`] — the server under test: URL, credentials, and whether the mock's control API
//!   is there; or a mock server started in-process.
//! - [`client`] — a typed Zendesk client (reqwest), one file per resource; every call answers a
//!   [`client::Reply`] with status, headers and JSON body.
//! - [`checks`] — one named check per documented rule, with its provenance and source.
//! - [`runner`] — runs checks against a target (a fresh mock account per check when it can)
//!   and gathers a [`runner::Report`]; [`report`] renders it as text, JSON or JUnit XML.
//! - [`model`] — a pure reference model of the semantics, and model-based testing against a
//!   target with proptest-state-machine.
//! - [`scenario`] — declarative YAML stories of the privacy workflows, run step by step.
//! - [`world`], [`verify`], [`client_run`] — checking a privacy tool: generated worlds with
//!   ground truth, the verifier's per-property verdicts, and the runner that shrinks failures.
//! - [`cli`] — the `zendesk-conformance` command line (`check`, `client`, `model`, `scenario`,
//!   `shape`).
//! - [`oas`] — the shape oracle: validates JSON values against the schemas in Zendesk's
//!   published OpenAPI description.

pub mod checks;
pub mod cli;
pub mod client;
pub mod client_run;
pub mod model;
pub mod oas;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod target;
pub mod verify;
pub mod world;

pub use client::{Client, Reply};
pub use target::Target;
