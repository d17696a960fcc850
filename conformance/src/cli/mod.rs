//! The `zendesk-conformance` command line. `main.rs` only calls [`main`]; each subcommand is a
//! module with an `Args` struct (clap) and a `run(args) -> ExitCode`, listed once in
//! [`Command`] and once in [`main`]'s match. [`TargetArgs`] is how a subcommand names the
//! server under test (flags, environment, or an in-process mock by default).

pub mod check;
pub mod client;
pub mod model;
pub mod output;
pub mod scenario;
pub mod shape;
pub mod target;

pub use target::TargetArgs;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Conformance tooling for Zendesk-compatible servers.
#[derive(Debug, Parser)]
#[command(name = "zendesk-conformance", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the documented-rule checks against a target (an in-process mock by default).
    Check(check::Args),
    /// Run random operation sequences against the reference model and a target (an
    /// in-process mock by default); a disagreement prints as a shrunk sequence of steps.
    Model(model::Args),
    /// Validate a JSON object (a file, or - for stdin) against a schema of Zendesk's OAS,
    /// e.g. `curl ... | jq .user | zendesk-conformance shape UserForAdmin -`.
    Shape(shape::Args),
    /// Run scenario files (default `scenarios/`) against a target.
    Scenario(scenario::Args),
    /// Check a privacy tool (`--cmd`) on generated worlds: erase, export or suspend a subject.
    Client(client::Args),
}

/// Parses the command line and runs the subcommand.
pub fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check(args) => check::run(args),
        Command::Model(args) => model::run(args),
        Command::Shape(args) => shape::run(args),
        Command::Scenario(args) => scenario::run(args),
        Command::Client(args) => client::run(args),
    }
}

/// A tokio runtime for a subcommand (two workers: the in-process server and the client).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}
