//! The README's quick start, followed literally: the run command it gives starts the demo
//! server on the address it names, and every `curl` line it shows answers as described. The
//! commands are read from README.md itself, so the README cannot drift from the server.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const README: &str = include_str!("../../README.md");

/// The fenced `sh` blocks of the Quick start section.
fn quick_start_blocks() -> Vec<Vec<String>> {
    let section = README
        .split("## Quick start")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Quick start section");
    section
        .split("```sh")
        .skip(1)
        .map(|block| {
            block
                .split("```")
                .next()
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// `curl -u USER:SECRET URL` → (user, secret, url).
fn parse_curl(line: &str) -> (String, String, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let credentials = words
        .iter()
        .position(|w| *w == "-u")
        .and_then(|i| words.get(i + 1))
        .expect("-u credentials");
    let (user, secret) = credentials.split_once(':').expect("user:secret");
    let url = words.last().expect("a URL").trim_matches('"');
    (user.to_owned(), secret.to_owned(), url.to_owned())
}

#[test]
fn the_quick_start_commands_work_as_written() {
    let blocks = quick_start_blocks();
    let commands = &blocks[0];
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cargo run --release -p zendesk-mock")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("cargo test --workspace")),
        "{commands:?}"
    );
    assert!(
        commands[0].contains("127.0.0.1:8080"),
        "the README names the default address"
    );
    let curls: Vec<&String> = blocks[1].iter().filter(|l| l.starts_with("curl")).collect();
    assert!(curls.len() >= 2, "{:?}", blocks[1]);

    // `cargo run -p zendesk-mock` runs this binary with no flags; only the port is moved off
    // 8080 so parallel test runs never collide.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zendesk-mock"))
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let banner = lines.next().expect("a banner").expect("readable");
    let printed: Vec<String> = lines.by_ref().take(2).map_while(Result::ok).collect();
    std::thread::spawn(move || for _ in lines {});
    let base = banner.rsplit(' ').next().expect("the URL").to_owned();
    assert!(
        printed
            .iter()
            .any(|l| l.contains("admin@example.com") && l.contains("demo-token")),
        "the demo credentials are printed: {printed:?}"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for line in curls {
        let (user, secret, url) = parse_curl(line);
        let url = url.replace("http://localhost:8080", &base);
        let (status, body) = runtime.block_on(async {
            let response = reqwest::Client::new()
                .get(&url)
                .basic_auth(&user, Some(&secret))
                .send()
                .await
                .expect("request");
            (
                response.status().as_u16(),
                response
                    .json::<serde_json::Value>()
                    .await
                    .unwrap_or_default(),
            )
        });
        assert_eq!(status, 200, "{line}: {body}");
        assert!(
            body.get("user").is_some() || body.get("users").is_some(),
            "{line}: {body}"
        );
    }
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let _ = child.wait();
}
