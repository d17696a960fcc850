//! Model-based testing (issue #6): a pure reference model of Zendesk's privacy-relevant
//! semantics, and random operation sequences run against it and a target.
//!
//! ## A tour, in reading order
//!
//! - [`state`] — what the model holds: users and identities, tickets and comments, the clock.
//! - [`users`], [`tickets`], [`lifecycle`] — the rules, written from the facts sheet and
//!   design.md's decisions (not from the mock's code): duplicate identities, the rectification
//!   rule, suspension, the delete guard, the owner, soft and permanent deletes, the
//!   placeholder, redaction with ▇, the closed-ticket rule, bulk limits, the 30-day purge and
//!   the solved-to-closed automation; and what search finds (users by email or name word,
//!   tickets by a word or word prefix of their subject and comments, nothing by an infix,
//!   nothing redacted, nothing deleted).
//! - [`apply`] — a resolved step in, the expected [`views::Response`] out; the expected
//!   [`views::Listing`].
//! - [`ops`] — the generated operations ([`ops::Op`], entities named by position) and their
//!   resolved, printable form ([`ops::Step`]).
//! - [`machine`] — the model as a proptest-state-machine reference machine.
//! - [`views`] — what is compared, by position, and how leniently.
//! - [`sut`] — the target side: a fresh mock account per sequence, each step over HTTP through
//!   [`crate::client`], each answer reduced to a [`views::Response`].
//! - [`runner`] — [`run`]: proptest drives sequences through both and shrinks a disagreement.
//! - [`report`] — [`ModelReport`]: what ran, and the shrunk sequence as readable steps.
//!
//! ```no_run
//! # async fn demo() {
//! use zendesk_conformance::model::{self, ModelConfig};
//! use zendesk_conformance::Target;
//!
//! let target = Target::in_process().await;
//! let report = model::run(&target, &ModelConfig { cases: 32, ..ModelConfig::default() }).await;
//! assert!(report.passed(), "{report}");
//! # }
//! ```

pub mod apply;
pub mod lifecycle;
pub mod machine;
pub mod ops;
pub mod pools;
pub mod report;
pub mod runner;
pub mod state;
pub mod sut;
pub mod tickets;
pub mod users;
pub mod views;

pub use ops::{Op, Step};
pub use report::{ModelReport, Verdict};
pub use runner::{AccountHook, ModelConfig, run};
pub use state::{Model, Rules};
pub use views::{Listing, Response};
