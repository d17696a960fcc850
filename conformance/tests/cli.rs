//! The `check` command as a user runs it: against a separately started `zendesk-mock` binary,
//! with and without its control API, and against a server that is not the mock (refused
//! without the explicit opt-in; control checks skipped with it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// The workspace's `zendesk-mock` binary, built if needed (beside this test's own binary).
fn mock_binary() -> PathBuf {
    let built = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "zendesk-mock",
            "--bin",
            "zendesk-mock",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "cargo build -p zendesk-mock");
    let exe = std::env::current_exe().expect("this test's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    dir.join(format!("zendesk-mock{}", std::env::consts::EXE_SUFFIX))
}

/// A running `zendesk-mock` on a free port, killed on drop.
struct MockProcess {
    child: Child,
    url: String,
}

impl MockProcess {
    fn start() -> Self {
        let mut child = Command::new(mock_binary())
            .args(["--addr", "127.0.0.1:0", "--no-demo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("zendesk-mock starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let banner = lines.next().expect("a banner").expect("readable");
        let url = banner
            .rsplit(' ')
            .next()
            .expect("the URL ends the banner")
            .to_owned();
        std::thread::spawn(move || for _ in lines {});
        Self { child, url }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zendesk-conformance"))
        .args(args)
        .env_remove("ZENDESK_URL")
        .env_remove("ZENDESK_EMAIL")
        .env_remove("ZENDESK_TOKEN")
        .output()
        .expect("zendesk-conformance runs")
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn check_passes_against_a_separately_started_mock_binary() {
    let mock = MockProcess::start();
    // --no-demo: the server has no account; the checks make their own through /__mock.
    let output = conformance(&[
        "check",
        "--target",
        &mock.url,
        "--email",
        "x@example.com",
        "--token",
        "unused",
    ]);
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("0 failed, 0 skipped"), "{shown}");
    assert!(
        shown.contains("PASS users.permanent_delete.requires_soft_delete"),
        "progress per check: {shown}"
    );
}

#[test]
fn without_control_the_suite_uses_the_given_account_skips_control_checks_and_cleans_up() {
    let mock = MockProcess::start_with_demo();
    let args = [
        "--target",
        mock.url.as_str(),
        "--email",
        "admin@example.com",
        "--token",
        "demo-token",
        "--no-control",
    ];
    let before = conformance_users(&mock.url);
    let output = conformance(&[&["check"], &args[..]].concat());
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("SKIP lifecycle.solved_closes_after_4_days"),
        "{shown}"
    );
    assert!(shown.contains(" 0 failed,"), "{shown}");
    assert!(
        shown.contains("Inferred rules"),
        "the agreement table of a no-control run: {shown}"
    );
    let after = conformance_users(&mock.url);
    assert_eq!(
        after, before,
        "users left behind by the checks (placeholders aside)"
    );
}

impl MockProcess {
    fn start_with_demo() -> Self {
        let mut child = Command::new(mock_binary())
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("zendesk-mock starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let banner = lines.next().expect("a banner").expect("readable");
        let url = banner.rsplit(' ').next().expect("the URL").to_owned();
        std::thread::spawn(move || for _ in lines {});
        Self { child, url }
    }
}

/// The active users of the demo account whose name marks them as made by a check.
fn conformance_users(url: &str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let target = zendesk_conformance::Target::new(url, "admin@example.com", "demo-token")
            .expect("a target");
        let pages = target
            .client()
            .collect_pages("users", &[("page[size]", "100".to_owned())], "users", 100)
            .await
            .expect("users");
        pages
            .items
            .iter()
            .filter_map(|u| u["name"].as_str())
            .filter(|n| {
                n.starts_with("Conformance") || n.contains("Upsert") || n.contains("Located")
            })
            .map(str::to_owned)
            .collect()
    })
}

/// A server that is not the mock: answers every request with 404 and no body.
fn not_a_mock() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    url
}

#[test]
fn a_server_that_is_not_the_mock_needs_the_explicit_opt_in() {
    let url = not_a_mock();
    let args = [
        "check",
        "--target",
        url.as_str(),
        "--email",
        "a@example.com",
        "--token",
        "t",
    ];
    let refused = conformance(&args);
    let shown = text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("--i-understand-this-is-a-real-zendesk"),
        "{shown}"
    );

    let opted_in = conformance(
        &[
            &args[..],
            &[
                "--i-understand-this-is-a-real-zendesk",
                "--filter",
                "lifecycle.",
            ],
        ]
        .concat(),
    );
    let shown = text(&opted_in);
    assert_eq!(
        opted_in.status.code(),
        Some(0),
        "control checks skip, nothing fails: {shown}"
    );
    assert!(
        shown.contains("3 checks against") && shown.contains("3 skipped"),
        "{shown}"
    );
}

#[test]
fn filter_and_fail_fast_and_list() {
    let listed = conformance(&["check", "--list", "--filter", "redact."]);
    let shown = text(&listed);
    assert_eq!(listed.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("redact.legacy.refuses_closed") && shown.contains("inferred"),
        "{shown}"
    );
    assert!(!shown.contains("users.delete"), "{shown}");

    let none = conformance(&["check", "--filter", "no-such-check"]);
    assert_eq!(none.status.code(), Some(2), "{}", text(&none));

    // Against a server that answers 404 to everything, the first check fails and the rest
    // are not run.
    let url = not_a_mock();
    let args = [
        "check",
        "--target",
        url.as_str(),
        "--email",
        "a@example.com",
        "--token",
        "t",
    ];
    let failed = conformance(
        &[
            &args[..],
            &[
                "--i-understand-this-is-a-real-zendesk",
                "--filter",
                "users.",
                "--fail-fast",
            ],
        ]
        .concat(),
    );
    let shown = text(&failed);
    assert_eq!(failed.status.code(), Some(1), "{shown}");
    assert_eq!(
        shown.matches("] FAIL ").count(),
        1,
        "one failure, then stop: {shown}"
    );
    assert!(
        shown.contains("not run: an earlier check failed"),
        "{shown}"
    );
}
