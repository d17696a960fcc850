//! Every scenario under `scenarios/` as a named test trial (`cargo test -p zendesk-conformance
//! --test scenarios`; add a name to run one: `... -- erasure_blocked`), each in a fresh account
//! of one in-process mock server. Three more trials keep the suite and its cookbook honest:
//! every obligation of the guide has a scenario, the README's list names every scenario file,
//! and the README's complete example runs and passes.

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use zendesk_conformance::Target;
use zendesk_conformance::scenario::{self, Obligation, Scenario};

const README: &str = "scenarios/README.md";

const OBLIGATIONS: [Obligation; 5] = [
    Obligation::Access,
    Obligation::Rectification,
    Obligation::Erasure,
    Obligation::Portability,
    Obligation::Objection,
];

fn main() -> ExitCode {
    let args = Arguments::from_args();
    // Messages name `scenarios/x.yaml`, as they do when the CLI runs from the workspace root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(&root).expect("the workspace root");
    let files = scenario::discover(&[PathBuf::from("scenarios")]).expect("scenario files");
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime"),
    );
    let target = runtime.block_on(Target::in_process());
    let mut trials: Vec<Trial> = files
        .iter()
        .map(|file| {
            let (runtime, target, file) = (runtime.clone(), target.clone(), file.clone());
            let name = file
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            Trial::test(name, move || {
                let scenario = Scenario::load(&file).map_err(|e| e.to_string())?;
                runtime
                    .block_on(scenario::runner::run(&target, &scenario))
                    .map_err(|e| Failed::from(e.to_string()))
            })
            .with_kind("scenario")
        })
        .collect();
    let listed = files.clone();
    trials.push(Trial::test(
        "every_obligation_of_the_guide_has_a_scenario",
        move || every_obligation_has_a_scenario(&listed),
    ));
    trials.push(Trial::test("the_readme_lists_every_scenario", move || {
        readme_lists(&files)
    }));
    trials.push(Trial::test("the_readme_example_runs", move || {
        let readme = std::fs::read_to_string(README).map_err(|e| e.to_string())?;
        let example = readme_example(&readme)?;
        let scenario = Scenario::parse(README, example).map_err(|e| e.to_string())?;
        runtime
            .block_on(scenario::runner::run(&target, &scenario))
            .map_err(|e| Failed::from(e.to_string()))
    }));
    libtest_mimic::run(&args, trials).exit_code()
}

fn every_obligation_has_a_scenario(files: &[PathBuf]) -> Result<(), Failed> {
    let mut covered = BTreeSet::new();
    for file in files {
        let scenario = Scenario::load(file).map_err(|e| e.to_string())?;
        covered.insert(scenario.obligation.to_string());
    }
    let missing: Vec<String> = OBLIGATIONS
        .iter()
        .map(ToString::to_string)
        .filter(|o| !covered.contains(o))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("no scenario covers: {}", missing.join(", ")).into())
    }
}

fn readme_lists(files: &[PathBuf]) -> Result<(), Failed> {
    let readme = std::fs::read_to_string(README).map_err(|e| e.to_string())?;
    let unlisted: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    if unlisted.is_empty() {
        Ok(())
    } else {
        Err(format!("scenarios/README.md does not list: {}", unlisted.join(", ")).into())
    }
}

/// The cookbook's complete example: the first YAML block of "The format, by example".
fn readme_example(readme: &str) -> Result<&str, Failed> {
    let section = readme
        .split_once("## The format, by example")
        .ok_or("no \"The format, by example\" section")?
        .1;
    let block = section.split_once("```yaml\n").ok_or("no YAML block")?.1;
    Ok(block.split_once("```").ok_or("an unclosed YAML block")?.0)
}
