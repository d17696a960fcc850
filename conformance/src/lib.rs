//! Conformance checks for Zendesk-compatible servers and the privacy tools that use them.
//!
//! [`oas`] is the shape oracle: it validates JSON values against the schemas in Zendesk's
//! published OpenAPI description.

pub mod oas;
