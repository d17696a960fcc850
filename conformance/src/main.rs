//! `zendesk-conformance`: checks Zendesk-compatible servers and the tools that use them.
//! `check` runs the documented-rule checks, `model` the model-based run, `scenario` the YAML
//! stories; `shape` validates JSON against Zendesk's published schemas. The command line lives in [`zendesk_conformance::cli`].

fn main() -> std::process::ExitCode {
    zendesk_conformance::cli::main()
}
