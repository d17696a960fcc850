//! The `zendesk-mock` binary as a user runs it: flags, start-up output, demo credentials, a
//! seed file, graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts the binary on a free port; returns the child and its base URL from the banner.
fn start(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let banner = lines.next().expect("a banner line").expect("readable");
    let url = banner.rsplit(' ').next().expect("url in banner").to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "banner names the URL: {banner}"
    );
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

fn get(url: &str, user: &str, token: &str) -> (u16, serde_json::Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(url)
            .basic_auth(user, Some(token))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    })
}

fn terminate(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    child.wait().expect("child exits")
}

#[test]
fn serves_the_demo_account_and_stops_gracefully_on_sigterm() {
    let (child, url) = start(&[]);
    let (status, body) = get(
        &format!("{url}/api/v2/users/me.json"),
        "admin@example.com/token",
        "demo-token",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["email"], "admin@example.com");
    let exit = terminate(child);
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");
}

#[test]
fn no_demo_starts_without_accounts() {
    let (child, url) = start(&["--no-demo"]);
    let (status, body) = get(
        &format!("{url}/api/v2/users/me.json"),
        "admin@example.com/token",
        "demo-token",
    );
    assert_eq!(
        status, 401,
        "no account means no credentials to accept: {body}"
    );
    terminate(child);
}

#[test]
fn seed_file_loads_into_the_default_account_with_custom_credentials() {
    let dir = std::env::temp_dir().join(format!("zendesk-mock-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let seed = dir.join("world.json");
    std::fs::write(
        &seed,
        r#"{"users":[{"name":"Seeded Person","email":"seeded@example.com","verified":true}]}"#,
    )
    .expect("seed written");
    let seed_arg = seed.to_string_lossy().into_owned();
    let (child, url) = start(&[
        "--no-demo",
        "--seed",
        &seed_arg,
        "--admin-email",
        "owner@corp.example",
        "--admin-token",
        "t0k3n",
    ]);
    let (status, body) = get(
        &format!("{url}/api/v2/users/search.json?query=seeded@example.com"),
        "owner@corp.example/token",
        "t0k3n",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["count"], 1, "the seeded user is there: {body}");
    terminate(child);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_seed_file_is_refused_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .args(["--addr", "127.0.0.1:0", "--seed", "/nonexistent/world.json"])
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read seed"),
        "stderr explains: {stderr}"
    );
}

#[test]
fn version_and_help_describe_the_binary() {
    let version = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .arg("--version")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    let help = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .arg("--help")
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in ["--addr", "--seed", "--no-demo", "--control-token"] {
        assert!(help.contains(flag), "--help mentions {flag}");
    }
}

#[test]
fn json_logs_record_each_request_on_stderr() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .args(["--addr", "127.0.0.1:0", "--log-format", "json"])
        .env("RUST_LOG", "zendesk_mock=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let banner = lines.next().expect("banner").expect("readable");
    // Keep draining stdout so the child never writes to a closed pipe.
    std::thread::spawn(move || for _ in lines {});
    let url = banner.rsplit(' ').next().expect("url").to_owned();
    let (status, _) = get(
        &format!("{url}/api/v2/users/me.json"),
        "admin@example.com/token",
        "demo-token",
    );
    assert_eq!(status, 200);
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs")
            .success()
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr read");
    assert!(child.wait().expect("exits").success());
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!lines.is_empty(), "every stderr line is JSON: {stderr}");
    let request = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request")
        .unwrap_or_else(|| panic!("a request line in {stderr}"));
    assert_eq!(request["fields"]["path"], "/api/v2/users/me.json");
    assert_eq!(request["fields"]["status"], 200);
    assert_eq!(request["fields"]["account"], "demo");
}
