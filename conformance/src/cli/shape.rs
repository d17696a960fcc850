//! `zendesk-conformance shape SCHEMA FILE`: validates a JSON value against a schema of
//! Zendesk's OAS.

use crate::oas::{Allowances, Oas};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `shape`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A name under components.schemas, e.g. UserForAdmin, UserIdentityObject.
    pub schema: String,
    /// The JSON file; `-` reads standard input.
    pub file: PathBuf,
    /// The OpenAPI file (default: $ZENDESK_OAS, else ../shared/zendesk-oas/support-api.yaml).
    #[arg(long)]
    pub oas: Option<PathBuf>,
}

/// Runs `shape`: 0 valid, 1 violations (listed), 2 unreadable input.
pub fn run(args: Args) -> ExitCode {
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        text
    } else {
        match std::fs::read_to_string(&args.file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {}: {e}", args.file.display());
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
    let oas = match &args.oas {
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
    let schema = &args.schema;
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
