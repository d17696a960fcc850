//! Scenarios that fail, and how they say so: a wrong expectation names the file and the step
//! and shows the exchange; every other way a run can fail (a capture that finds nothing, a job
//! that is not there, a refused world, residue left behind, …) names where too. The CLI runs
//! the wrong scenario with exit code 1, and refuses what it cannot run with exit code 2.

use std::path::PathBuf;
use std::process::Command;
use zendesk_conformance::Target;
use zendesk_conformance::scenario::{At, Scenario, runner};

const WRONG: &str = "tests/data/scenario_wrong_status.yaml";

#[tokio::test]
async fn a_wrong_expectation_fails_naming_the_file_and_the_step() {
    let target = Target::in_process().await;
    let scenario = Scenario::load(WRONG.as_ref()).expect("the file reads");
    let error = runner::run(&target, &scenario)
        .await
        .expect_err("the scenario is wrong");
    assert_eq!(error.file, WRONG);
    assert_eq!(
        error.at,
        At::Step {
            number: 2,
            name: "delete the user".to_owned()
        }
    );
    let message = error.to_string();
    let mut lines = message.lines();
    assert_eq!(
        lines.next(),
        Some(
            "tests/data/scenario_wrong_status.yaml: step 2 \"delete the user\": expected status \
             200, got 422"
        ),
        "{message}"
    );
    let request = lines.next().expect("the request line");
    assert!(
        request.starts_with("    DELETE http://") && request.ends_with(" → 422"),
        "{message}"
    );
    assert!(
        message.contains("User is requester on 1 ticket(s) that are not closed."),
        "the body is shown: {message}"
    );
}

/// A scenario around `steps`, with a world of one user, `jane`, and one open ticket.
fn scenario(steps: &str, residue: &str) -> Scenario {
    let text = format!(
        "name: n\nobligation: erasure\nsource: s\nworld:\n  users:\n    - {{ref: jane, name: Jane \
         Doe, email: jane@example.com, verified: true}}\n  tickets:\n    - {{ref: open, \
         requester: jane, comments: [{{body: hi}}]}}\nsteps:\n{steps}{residue}"
    );
    Scenario::parse("inline.yaml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[tokio::test]
async fn every_failure_names_where_it_happened() {
    let target = Target::in_process().await;
    let show_jane =
        "  - name: show\n    request: {method: GET, path: '/api/v2/users/{{users.jane}}'}\n";
    let cases: [(&str, String, &str, &[&str]); 9] = [
        (
            "an unmet assertion, with its path and both values",
            format!("{show_jane}    expect: {{status: 200, equals: {{$.user.name: Jim}}}}\n"),
            "",
            &[
                "inline.yaml: step 1 \"show\": $.user.name: expected \"Jim\", got \"Jane Doe\"",
                "got: {\"user\":",
            ],
        ),
        (
            "every unmet assertion of the step",
            format!(
                "{show_jane}    expect:\n      status: 200\n      absent: [$.user.id]\n      length: {{$.user.name: 3}}\n"
            ),
            "",
            &[
                "step 1 \"show\": $.user.name: expected length 3, got 8: \"Jane Doe\"",
                "\n  $.user.id: expected nothing, got ",
            ],
        ),
        (
            "a capture that finds nothing",
            format!("{show_jane}    expect: {{status: 200}}\n    capture: {{x: $.user.nope}}\n"),
            "",
            &["inline.yaml: step 1 \"show\": capture `x`: nothing at $.user.nope"],
        ),
        (
            "waiting for a job the answer does not hold",
            format!("{show_jane}    wait_for_job: true\n    expect: {{status: 200}}\n"),
            "",
            &["step 1 \"show\": waiting for the job: expected a job_status with a string id"],
        ),
        (
            "a captured value that is not a path on the target",
            format!(
                "{show_jane}    expect: {{status: 200}}\n    capture: {{name: $.user.name}}\n  - name: follow\n    request: {{method: GET, path: '{{{{name}}}}'}}\n    expect: {{status: 200}}\n"
            ),
            "",
            &["step 2 \"follow\": `Jane Doe` is not a path under /api/v2/ or a URL on the target"],
        ),
        (
            "a null written into a path",
            format!(
                "{show_jane}    expect: {{status: 200}}\n    capture: {{phone: $.user.phone}}\n  - name: use\n    request: {{method: GET, path: '/api/v2/users/{{{{phone}}}}'}}\n    expect: {{status: 200}}\n"
            ),
            "",
            &["step 2 \"use\": variable {{phone}} is null; it cannot be written into text"],
        ),
        (
            "acting as a world user who no longer exists",
            "  - name: close\n    request: {method: PUT, path: '/api/v2/tickets/{{tickets.open}}', body: {ticket: {status: closed}}}\n    expect: {status: 200}\n  - name: delete\n    request: {method: DELETE, path: '/api/v2/users/{{users.jane}}'}\n    expect: {status: 200}\n  - name: purge\n    request: {method: DELETE, path: '/api/v2/deleted_users/{{users.jane}}'}\n    expect: {status: 200}\n  - name: as jane\n    request: {method: GET, path: /api/v2/users/me, as: jane}\n    expect: {status: 200}\n".to_owned(),
            "",
            &["step 4 \"as jane\": `as: jane`: cannot find the email of user ", " → 404 "],
        ),
        (
            "residue left behind",
            format!("{show_jane}    expect: {{status: 200}}\n"),
            "residue:\n  jane@example.com: []\n",
            &["inline.yaml: residue: \"jane@example.com\": still found at {\"needle\":\"jane@example.com\",\"kind\":\"identity\""],
        ),
        (
            "an expected residue hit that is not there",
            format!("{show_jane}    expect: {{status: 200}}\n"),
            "residue:\n  nobody@example.com: [{kind: user}]\n",
            &["inline.yaml: residue: \"nobody@example.com\": expected a hit like {\"kind\":\"user\"}, found none among []"],
        ),
    ];
    for (case, steps, residue, wanted) in cases {
        let scenario = scenario(&steps, residue);
        let message = runner::run(&target, &scenario)
            .await
            .expect_err(case)
            .to_string();
        for part in wanted {
            assert!(
                message.contains(part),
                "{case}: wanted {part:?} in:\n{message}"
            );
        }
    }
}

#[tokio::test]
async fn a_refused_world_fails_at_the_world() {
    let target = Target::in_process().await;
    let text = "name: n\nobligation: access\nsource: s\nworld:\n  users:\n    - {ref: jane, name: Jane, shoe_size: 38}\nsteps:\n  - name: a\n    request: {method: GET, path: /api/v2/users/me}\n    expect: {status: 200}\n";
    let scenario = Scenario::parse("world.yaml", text).expect("valid YAML");
    let error = runner::run(&target, &scenario).await.expect_err("refused");
    assert_eq!(error.at, At::World);
    let message = error.to_string();
    assert!(
        message.starts_with("world.yaml: world: the seed was refused (400)"),
        "{message}"
    );
    assert!(message.contains("shoe_size"), "{message}");
}

#[tokio::test]
async fn a_target_without_the_control_api_cannot_run_scenarios() {
    let target = Target::in_process().await.with_control(false);
    let scenario = Scenario::load(WRONG.as_ref()).expect("the file reads");
    let error = runner::run(&target, &scenario)
        .await
        .expect_err("no control");
    assert_eq!(
        error.to_string(),
        "tests/data/scenario_wrong_status.yaml: world: needs the mock's control API (a fresh \
         account and a seeded world)"
    );
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_zendesk-conformance"))
        .arg("scenario")
        .args(args)
        .env_remove("ZENDESK_URL")
        .output()
        .expect("the CLI runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_cli_fails_a_wrong_scenario_with_exit_code_1_naming_file_and_step() {
    let (code, stdout, stderr) = cli(&[WRONG, "../scenarios/erasure_blocked.yaml"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("FAIL scenario.scenario_wrong_status"),
        "{stderr}"
    );
    assert!(stderr.contains("PASS scenario.erasure_blocked"), "{stderr}");
    assert!(
        stdout.contains(
            "tests/data/scenario_wrong_status.yaml: step 2 \"delete the user\": expected status 200, got 422"
        ),
        "{stdout}"
    );
}

#[test]
fn the_cli_runs_a_filtered_directory_and_writes_reports() {
    let dir = scratch("reports");
    let junit = dir.join("scenarios.xml");
    let json = dir.join("scenarios.json");
    let (code, stdout, stderr) = cli(&[
        "../scenarios",
        "--filter",
        "objection",
        "--junit",
        junit.to_str().expect("utf-8"),
        "--json",
        json.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("running 1 scenario(s)"), "{stderr}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains("<testcase name=\"scenario.objection_suspend\""),
        "{xml}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written")).expect("JSON");
    assert_eq!(report["summary"]["passed"], 1, "{report}");
    assert_eq!(report["results"][0]["provenance"], "documented", "{report}");
}

#[test]
fn the_cli_lists_scenarios_and_refuses_what_it_cannot_run() {
    let (code, stdout, _) = cli(&["../scenarios", "--list"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("erasure_blocked ") && l.contains(" erasure ")),
        "{stdout}"
    );

    let (code, _, stderr) = cli(&["no/such/dir"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim(), "no/such/dir: no such file or directory");

    let (code, _, stderr) = cli(&["../scenarios", "--filter", "nothing-matches-this"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no scenario matches --filter"), "{stderr}");

    let empty = scratch("empty");
    let (code, _, stderr) = cli(&[empty.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no *.yaml scenario in"), "{stderr}");
}

#[test]
fn the_cli_reports_an_unreadable_file_with_its_line() {
    let dir = scratch("unreadable");
    let file = dir.join("typo.yaml");
    std::fs::write(
        &file,
        "name: n\nobligation: erasure\nsource: s\nsteps:\n  - name: a\n    request: {method: GET, path: /api/v2/users/me}\n    expect: {statuss: 200}\n",
    )
    .expect("written");
    let path = file.to_str().expect("utf-8");
    let (code, stdout, stderr) = cli(&[path]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("steps[0].expect: unknown field `statuss`") && stdout.contains("at line 7"),
        "{stdout}"
    );
    let (code, stdout, _) = cli(&[path, "--list"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("UNREADABLE"), "{stdout}");
}

/// A fresh, empty directory under the target's temp space for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("zc-scenario-errors-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}
