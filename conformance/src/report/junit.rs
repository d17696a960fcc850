//! The JUnit XML report, in the Apache Ant form most CI systems read (and the
//! `windyroad/JUnit-Schema` XSD describes): one `<testsuite>` in `<testsuites>`, one
//! `<testcase>` per check, `classname` the check's area, a `<failure>` or `<skipped>` child
//! where it applies.

use crate::runner::{Report, Status};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

const SUITE: &str = "zendesk-conformance";

/// The report as a JUnit XML document.
pub fn to_junit(report: &Report) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing to a Vec cannot fail; the results are ignored on that ground.
    let _ = write(&mut writer, report);
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

fn write(writer: &mut Writer<Vec<u8>>, report: &Report) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.write_event(Event::Start(BytesStart::new("testsuites")))?;
    let hostname = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let counts = [
        ("tests", report.results.len().to_string()),
        ("failures", report.count(Status::Failed).to_string()),
        ("errors", "0".to_owned()),
        ("skipped", report.count(Status::Skipped).to_string()),
    ];
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", SUITE));
    suite.push_attribute(("package", SUITE));
    suite.push_attribute(("id", "0"));
    suite.push_attribute(("timestamp", report.started_at.as_str()));
    suite.push_attribute(("hostname", hostname.as_str()));
    for (name, value) in &counts {
        suite.push_attribute((*name, value.as_str()));
    }
    suite.push_attribute(("time", format!("{:.3}", report.seconds).as_str()));
    writer.write_event(Event::Start(suite))?;

    writer.write_event(Event::Start(BytesStart::new("properties")))?;
    let control = report.control.to_string();
    for (name, value) in [
        ("target", report.target.as_str()),
        ("control", control.as_str()),
    ] {
        let mut property = BytesStart::new("property");
        property.push_attribute(("name", name));
        property.push_attribute(("value", value));
        writer.write_event(Event::Empty(property))?;
    }
    writer.write_event(Event::End(BytesEnd::new("properties")))?;

    for result in &report.results {
        let area = result.name.split('.').next().unwrap_or(SUITE);
        let classname = format!("{SUITE}.{area}");
        let mut case = BytesStart::new("testcase");
        case.push_attribute(("name", result.name.as_str()));
        case.push_attribute(("classname", classname.as_str()));
        case.push_attribute(("time", format!("{:.3}", result.seconds).as_str()));
        let message = result.message.as_deref().unwrap_or("");
        match result.status {
            Status::Passed => writer.write_event(Event::Empty(case))?,
            Status::Skipped => {
                writer.write_event(Event::Start(case))?;
                let mut skipped = BytesStart::new("skipped");
                skipped.push_attribute(("message", message));
                writer.write_event(Event::Empty(skipped))?;
                writer.write_event(Event::End(BytesEnd::new("testcase")))?;
            }
            Status::Failed => {
                writer.write_event(Event::Start(case))?;
                let mut failure = BytesStart::new("failure");
                let first = message.lines().next().unwrap_or("failed");
                failure.push_attribute(("message", first));
                failure.push_attribute(("type", result.provenance.to_string().as_str()));
                writer.write_event(Event::Start(failure))?;
                let text = format!("{}\n{message}\nsource: {}", result.rule, result.source);
                writer.write_event(Event::Text(BytesText::new(&text)))?;
                writer.write_event(Event::End(BytesEnd::new("failure")))?;
                writer.write_event(Event::End(BytesEnd::new("testcase")))?;
            }
        }
    }
    writer.write_event(Event::Empty(BytesStart::new("system-out")))?;
    writer.write_event(Event::Empty(BytesStart::new("system-err")))?;
    writer.write_event(Event::End(BytesEnd::new("testsuite")))?;
    writer.write_event(Event::End(BytesEnd::new("testsuites")))?;
    Ok(())
}
