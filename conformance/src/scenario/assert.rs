//! Checking a step's expectations against an answer's body. Every failing expectation is
//! reported (not only the first), each as `path: expected …, got …`.

use super::format::Expect;
use super::jsonpath::JsonPath;
use super::template::Vars;
use serde_json::Value;

/// The expectations of `expect` after `status` that `body` does not meet, as messages.
/// Expected values are rendered with `vars` first; a template that cannot be rendered is
/// reported as a failure too.
pub fn check(expect: &Expect, body: &Value, vars: &Vars) -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |path: &JsonPath, message: String| failures.push(format!("{path}: {message}"));
    for (path, wanted) in &expect.equals {
        match (vars.render(wanted), value_at(path, body)) {
            (Err(e), _) => fail(path, e),
            (Ok(wanted), None) => fail(path, format!("expected {}, found nothing", show(&wanted))),
            (Ok(wanted), Some(got)) if got != wanted => {
                fail(
                    path,
                    format!("expected {}, got {}", show(&wanted), show(&got)),
                );
            }
            _ => {}
        }
    }
    for (negate, list) in [(false, &expect.contains), (true, &expect.excludes)] {
        for (path, wanted) in list {
            let verb = if negate {
                "not to contain"
            } else {
                "to contain"
            };
            match (vars.render(wanted), value_at(path, body)) {
                (Err(e), _) => fail(path, e),
                (Ok(wanted), None) => {
                    fail(
                        path,
                        format!("expected {verb} {}, found nothing", show(&wanted)),
                    );
                }
                (Ok(wanted), Some(got)) => match contains(&got, &wanted) {
                    Err(why) => fail(path, why),
                    Ok(found) if found == negate => {
                        fail(
                            path,
                            format!("expected {verb} {}, got {}", show(&wanted), show(&got)),
                        );
                    }
                    Ok(_) => {}
                },
            }
        }
    }
    for (path, wanted) in &expect.length {
        match value_at(path, body) {
            None => fail(path, format!("expected length {wanted}, found nothing")),
            Some(got) => match length(&got) {
                Some(n) if n == *wanted => {}
                Some(n) => fail(
                    path,
                    format!("expected length {wanted}, got {n}: {}", show(&got)),
                ),
                None => fail(
                    path,
                    format!("expected length {wanted}, but {} has no length", show(&got)),
                ),
            },
        }
    }
    for path in &expect.absent {
        match path.select(body).to_value() {
            Some(Value::Array(found)) if path.is_multi() && found.is_empty() => {}
            None => {}
            Some(got) => fail(path, format!("expected nothing, got {}", show(&got))),
        }
    }
    for (path, pattern) in &expect.matches {
        let re = &pattern.0;
        match value_at(path, body) {
            Some(Value::String(text)) if re.is_match(&text) => {}
            Some(got) => fail(
                path,
                format!("expected to match /{re}/, got {}", show(&got)),
            ),
            None => fail(path, format!("expected to match /{re}/, found nothing")),
        }
    }
    failures
}

/// What `path` selects in `body` as one value (`[*]` paths give an array).
fn value_at(path: &JsonPath, body: &Value) -> Option<Value> {
    path.select(body).to_value()
}

/// Whether `actual` contains `wanted`: a substring of a string, an element of an array that
/// includes it, or (for objects) inclusion. `Err` when `actual` cannot contain anything.
pub fn contains(actual: &Value, wanted: &Value) -> Result<bool, String> {
    match (actual, wanted) {
        (Value::String(text), Value::String(part)) => Ok(text.contains(part.as_str())),
        (Value::String(_), _) => Err(format!(
            "a string contains only strings, not {}",
            show(wanted)
        )),
        (Value::Array(items), _) => Ok(items.iter().any(|item| includes(item, wanted))),
        (Value::Object(_), Value::Object(_)) => Ok(includes(actual, wanted)),
        _ => Err(format!("{} cannot contain {}", show(actual), show(wanted))),
    }
}

/// Whether `actual` includes `wanted`: objects member by member (extra members allowed),
/// arrays element by element (each wanted element included by some actual one), anything
/// else by equality.
pub fn includes(actual: &Value, wanted: &Value) -> bool {
    match (actual, wanted) {
        (Value::Object(have), Value::Object(want)) => want
            .iter()
            .all(|(key, w)| have.get(key).is_some_and(|h| includes(h, w))),
        (Value::Array(have), Value::Array(want)) => {
            want.iter().all(|w| have.iter().any(|h| includes(h, w)))
        }
        _ => actual == wanted,
    }
}

fn length(value: &Value) -> Option<usize> {
    match value {
        Value::Array(items) => Some(items.len()),
        Value::String(text) => Some(text.chars().count()),
        Value::Object(members) => Some(members.len()),
        _ => None,
    }
}

/// A value for a message, cut at 300 characters.
pub fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 300 {
        text
    } else {
        format!("{}…", text.chars().take(300).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expect(yaml: &str) -> Expect {
        serde_norway::from_str(yaml).expect(yaml)
    }

    fn body() -> Value {
        json!({
            "users": [
                {"id": 1, "name": "Jane", "email": "jane@example.com", "tags": ["a", "b"]},
                {"id": 2, "name": "Jane", "email": null}
            ],
            "count": 2,
            "note": "Reach me at ▇▇▇▇"
        })
    }

    #[test]
    fn met_expectations_report_nothing() {
        let mut vars = Vars::default();
        vars.set("jane", json!(1));
        let met = expect(
            "status: 200\nequals:\n  $.users[0].id: '{{jane}}'\n  $.users[1].email: null\n  $.users[*].id: [1, 2]\ncontains:\n  $.users: {email: jane@example.com, tags: [b]}\n  $.note: '▇▇'\n  $.users[0].tags: a\nexcludes:\n  $.users: {email: jim@example.com}\n  $.note: '@'\nlength:\n  $.users: 2\n  $.users[0]: 4\n  $.note: 16\n  $.users[*].missing: 0\nabsent:\n  - $.users[2]\n  - $.users[*].phone\n  - $.missing\nmatches:\n  $.users[0].email: '^jane@'\n",
        );
        assert_eq!(check(&met, &body(), &vars), Vec::<String>::new());
    }

    #[test]
    fn each_unmet_expectation_is_reported_with_its_path() {
        let unmet = expect(
            "status: 200\nequals:\n  $.count: 3\n  $.nope: 1\n  $.users[0].id: '{{unknown}}'\ncontains:\n  $.users: {email: jim@example.com}\n  $.note: 5\n  $.count: 2\nexcludes:\n  $.note: '▇'\n  $.gone: x\nlength:\n  $.users: 3\n  $.count: 1\n  $.nope: 1\nabsent:\n  - $.users[1].email\n  - $.users[*].id\nmatches:\n  $.users[0].email: '^jim'\n  $.count: '2'\n  $.nope: x\n",
        );
        let failures = check(&unmet, &body(), &Vars::default());
        let wanted = [
            "$.count: expected 3, got 2",
            "$.nope: expected 1, found nothing",
            "$.users[0].id: unknown variable {{unknown}} (known: )",
            "$.users: expected to contain {\"email\":\"jim@example.com\"}, got [",
            "$.note: a string contains only strings, not 5",
            "$.count: 2 cannot contain 2",
            "$.note: expected not to contain \"▇\", got \"Reach me at ▇▇▇▇\"",
            "$.gone: expected not to contain \"x\", found nothing",
            "$.users: expected length 3, got 2: [",
            "$.count: expected length 1, but 2 has no length",
            "$.nope: expected length 1, found nothing",
            "$.users[1].email: expected nothing, got null",
            "$.users[*].id: expected nothing, got [1,2]",
            "$.users[0].email: expected to match /^jim/, got \"jane@example.com\"",
            "$.count: expected to match /2/, got 2",
            "$.nope: expected to match /x/, found nothing",
        ];
        assert_eq!(failures.len(), wanted.len(), "{failures:#?}");
        for (failure, wanted) in failures.iter().zip(wanted) {
            assert!(
                failure.starts_with(wanted),
                "wanted {wanted:?}, got {failure:?}"
            );
        }
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = json!("x".repeat(400));
        assert_eq!(show(&long).chars().count(), 301);
        assert!(show(&long).ends_with('…'));
    }
}
