//! The `--json` and `--junit` reports of a `check` run: JSON with every check's result and
//! provenance; JUnit XML valid against the common (Apache Ant) JUnit schema, one test case
//! per check — checked with `xmllint --schema` (package libxml2-utils).

use std::path::Path;
use std::process::Command;
use zendesk_conformance::checks::{self, Provenance};
use zendesk_conformance::report::junit;
use zendesk_conformance::runner::{CheckResult, Report, Status};

fn xmllint_validates(xml: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("zc-junit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join(format!("report-{}.xml", xml.len()));
    std::fs::write(&file, xml).map_err(|e| e.to_string())?;
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/junit.xsd");
    let output = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .map_err(|e| format!("xmllint is needed (Debian package libxml2-utils): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn json_and_junit_reports_of_a_cli_run() {
    let dir = std::env::temp_dir().join(format!("zc-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let (json_path, junit_path) = (dir.join("report.json"), dir.join("report.xml"));
    let output = Command::new(env!("CARGO_BIN_EXE_zendesk-conformance"))
        .args(["check", "--filter", "users."])
        .arg("--json")
        .arg(&json_path)
        .arg("--junit")
        .arg(&junit_path)
        .env_remove("ZENDESK_URL")
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected: Vec<&str> = checks::matching(Some("users."))
        .iter()
        .map(|c| c.name)
        .collect();

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("json written"))
            .expect("JSON");
    let names: Vec<&str> = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(json["summary"]["passed"], expected.len());
    assert_eq!(json["control"], true);
    let first = &json["results"][0];
    for key in ["rule", "provenance", "source", "status", "seconds"] {
        assert!(first.get(key).is_some(), "results carry {key}: {first}");
    }

    let xml = std::fs::read_to_string(&junit_path).expect("junit written");
    xmllint_validates(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(xml.matches("<testcase ").count(), expected.len(), "{xml}");
    for name in &expected {
        assert!(
            xml.contains(&format!("name=\"{name}\"")),
            "a test case for {name}"
        );
    }
}

#[test]
fn junit_with_failures_and_skips_is_valid_and_escaped() {
    let result = |name: &str, status, message: Option<&str>| CheckResult {
        name: name.to_owned(),
        rule: "A rule with <markup> & \"quotes\".".to_owned(),
        provenance: Provenance::Inferred,
        source: "facts §13".to_owned(),
        status,
        message: message.map(str::to_owned),
        seconds: 0.25,
    };
    let report = Report {
        target: "http://127.0.0.1:1".to_owned(),
        control: false,
        started_at: "2026-01-02T03:04:05".to_owned(),
        seconds: 1.5,
        results: vec![
            result("users.a.passes", Status::Passed, None),
            result(
                "users.b.fails",
                Status::Failed,
                Some("expected 422, got 200 <body>\n  request: PUT /x"),
            ),
            result(
                "lifecycle.c.skips",
                Status::Skipped,
                Some("needs the mock's control API"),
            ),
        ],
    };
    let xml = junit::to_junit(&report);
    xmllint_validates(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        xml.contains("tests=\"3\"")
            && xml.contains("failures=\"1\"")
            && xml.contains("skipped=\"1\""),
        "{xml}"
    );
    assert!(
        xml.contains("message=\"expected 422, got 200 &lt;body&gt;\""),
        "{xml}"
    );
    assert!(
        xml.contains("classname=\"zendesk-conformance.lifecycle\""),
        "{xml}"
    );
}
