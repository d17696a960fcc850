//! `zendesk-conformance`: checks Zendesk-compatible servers and the tools that use them.
//! Today it validates JSON against Zendesk's published schemas; the documented-rule checks and
//! the model-based run join as their issues land.

use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use zendesk_conformance::oas::{Allowances, Oas};

/// Conformance tooling for Zendesk-compatible servers.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a JSON object (a file, or - for stdin) against a schema of Zendesk's OAS,
    /// e.g. `curl ... | jq .user | zendesk-conformance shape UserForAdmin -`.
    Shape {
        /// A name under components.schemas, e.g. UserForAdmin, UserIdentityObject.
        schema: String,
        /// The JSON file; `-` reads standard input.
        file: PathBuf,
        /// The OpenAPI file (default: $ZENDESK_OAS, else ../shared/zendesk-oas/support-api.yaml).
        #[arg(long)]
        oas: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Shape { schema, file, oas } => shape(&schema, &file, oas.as_deref()),
    }
}

fn shape(schema: &str, file: &std::path::Path, oas_path: Option<&std::path::Path>) -> ExitCode {
    let text = if file.as_os_str() == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        text
    } else {
        match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            eprintln!("not JSON: {e}");
            return ExitCode::from(2);
        }
    };
    let loaded;
    let oas = match oas_path {
        Some(path) => match Oas::load(path) {
            Ok(oas) => {
                loaded = oas;
                &loaded
            }
            Err(e) => {
                eprintln!("cannot load {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => Oas::shared(),
    };
    match oas.validate_with(schema, &value, &Allowances::new()) {
        Ok(()) => {
            println!("valid {schema}");
            ExitCode::SUCCESS
        }
        Err(violations) => {
            for violation in &violations {
                println!("{violation}");
            }
            println!("{} violation(s) of {schema}", violations.len());
            ExitCode::FAILURE
        }
    }
}
