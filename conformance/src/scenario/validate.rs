//! Checks a parsed scenario before anything runs: every `{{var}}` is defined by the world or
//! captured by an earlier step, paths start where they should, `as` names a world user, and
//! capture names do not shadow the world's. Errors point at the step.

use super::error::{At, ScenarioError};
use super::format::{Scenario, Step};
use super::template;
use serde_json::Value;
use std::collections::BTreeSet;

/// The variables every scenario starts with, besides the world's refs.
pub const BUILT_IN: [&str; 2] = ["admin.id", "admin.email"];

/// Prefixes reserved for the world's ids (and the built-ins).
const RESERVED: [&str; 3] = ["users.", "tickets.", "admin."];

/// Checks `scenario` (see the module doc).
pub fn validate(scenario: &Scenario) -> Result<(), ScenarioError> {
    let file = scenario.file.as_str();
    let world_error = |message: String| ScenarioError::new(file, At::World, message);
    if !scenario.world.is_object() {
        return Err(world_error(
            "the world must be a mapping (the body of POST /__mock/seed)".to_owned(),
        ));
    }
    if scenario.steps.is_empty() {
        return Err(ScenarioError::new(
            file,
            At::File,
            "a scenario needs at least one step",
        ));
    }
    let user_refs = refs(&scenario.world, "users");
    let mut known: BTreeSet<String> = BUILT_IN.iter().map(|s| (*s).to_owned()).collect();
    known.extend(user_refs.iter().map(|r| format!("users.{r}")));
    known.extend(
        refs(&scenario.world, "tickets")
            .iter()
            .map(|r| format!("tickets.{r}")),
    );
    for (index, step) in scenario.steps.iter().enumerate() {
        let at = At::Step {
            number: index + 1,
            name: step.name.clone(),
        };
        check_step(step, &known, &user_refs).map_err(|m| ScenarioError::new(file, at, m))?;
        known.extend(step.capture.iter().map(|(name, _)| name.clone()));
    }
    for (needle, _) in &scenario.residue {
        if needle.trim().is_empty() {
            return Err(ScenarioError::new(
                file,
                At::Residue,
                "a needle must not be blank",
            ));
        }
    }
    Ok(())
}

fn check_step(
    step: &Step,
    known: &BTreeSet<String>,
    user_refs: &BTreeSet<String>,
) -> Result<(), String> {
    let request = &step.request;
    let path = request.path.as_str();
    match (request.control, path) {
        (true, p) if p.starts_with("/__mock/") => {}
        (true, _) => {
            return Err(format!(
                "a control request's path starts with /__mock/, not `{path}`"
            ));
        }
        (false, p) if p.starts_with("/__mock") => {
            return Err(format!(
                "`{path}` is the mock's control API: mark the request `control: true`"
            ));
        }
        (false, p) if p.starts_with("/api/v2/") || p.starts_with("{{") => {}
        (false, _) => {
            return Err(format!(
                "a request's path starts with /api/v2/ (or is a captured URL like \
                 {{{{next_page}}}}), not `{path}`"
            ));
        }
    }
    match (&request.as_user, request.control) {
        (Some(_), true) => return Err(
            "`as` cannot be used with `control: true` (control calls act as the account's admin)"
                .to_owned(),
        ),
        (Some(user), false) if !user.contains('@') && !user_refs.contains(user) => {
            return Err(format!(
                "`as: {user}` is neither a world user's ref ({}) nor an email",
                list(user_refs)
            ));
        }
        _ => {}
    }
    let mut used = template::variables(path)?;
    for (_, value) in &request.query {
        used.extend(template::variables_in(value)?);
    }
    if let Some(body) = &request.body {
        used.extend(template::variables_in(body)?);
    }
    let expect = &step.expect;
    for (_, value) in expect
        .equals
        .iter()
        .chain(&expect.contains)
        .chain(&expect.excludes)
    {
        used.extend(template::variables_in(value)?);
    }
    if let Some(name) = used.into_iter().find(|name| !known.contains(*name)) {
        return Err(format!(
            "unknown variable {{{{{name}}}}} (defined before this step: {})",
            list(known)
        ));
    }
    for (name, _) in &step.capture {
        if !template::is_name(name) {
            return Err(format!(
                "capture name `{name}` is not a variable name (letters, digits, `_`, `-`, `.`)"
            ));
        }
        if RESERVED.iter().any(|prefix| name.starts_with(prefix)) {
            return Err(format!(
                "capture name `{name}` would shadow the world's ids (users.*, tickets.*, admin.*)"
            ));
        }
    }
    Ok(())
}

/// The `ref`s of the world's `users` or `tickets`.
fn refs(world: &Value, list: &str) -> BTreeSet<String> {
    world[list]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["ref"].as_str().map(str::to_owned))
        .collect()
}

fn list(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::Scenario;

    const HEAD: &str = "name: n\nobligation: access\nsource: s\nworld:\n  users:\n    - {ref: jane, name: Jane, email: jane@example.com}\n  tickets:\n    - {ref: order, requester: jane, comments: [{body: hi}]}\nsteps:\n";

    fn error(steps: &str) -> String {
        Scenario::parse("t.yaml", &format!("{HEAD}{steps}"))
            .expect_err(steps)
            .to_string()
    }

    #[test]
    fn a_well_formed_scenario_passes_validation() {
        let steps = "  - name: show\n    request: {method: GET, path: '/api/v2/users/{{users.jane}}', as: jane}\n    expect: {status: 200}\n    capture: {next: $.next_page}\n  - name: follow\n    request: {method: GET, path: '{{next}}', query: {t: '{{tickets.order}}'}}\n    expect: {status: 200, equals: {$.x: '{{admin.id}}'}}\n";
        let scenario = Scenario::parse("t.yaml", &format!("{HEAD}{steps}")).expect("valid");
        assert_eq!(scenario.id(), "t");
        assert_eq!(scenario.steps.len(), 2);
    }

    #[test]
    fn invalid_steps_are_refused_naming_the_step() {
        let cases = [
            (
                "  - name: a\n    request: {method: GET, path: '/api/v2/users/{{users.jon}}'}\n    expect: {status: 200}\n",
                "t.yaml: step 1 \"a\": unknown variable {{users.jon}} (defined before this step: admin.email, admin.id, tickets.order, users.jane)",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect: {status: 200, equals: {$.a: '{{later}}'}}\n  - name: b\n    request: {method: GET, path: /api/v2/x}\n    expect: {status: 200}\n    capture: {later: $.a}\n",
                "t.yaml: step 1 \"a\": unknown variable {{later}}",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /users}\n    expect: {status: 200}\n",
                "t.yaml: step 1 \"a\": a request's path starts with /api/v2/",
            ),
            (
                "  - name: a\n    request: {method: POST, path: /__mock/residue}\n    expect: {status: 200}\n",
                "mark the request `control: true`",
            ),
            (
                "  - name: a\n    request: {method: POST, path: /api/v2/x, control: true}\n    expect: {status: 200}\n",
                "a control request's path starts with /__mock/",
            ),
            (
                "  - name: a\n    request: {method: POST, path: /__mock/x, control: true, as: jane}\n    expect: {status: 200}\n",
                "`as` cannot be used with `control: true`",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x, as: john}\n    expect: {status: 200}\n",
                "`as: john` is neither a world user's ref (jane) nor an email",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect: {status: 200}\n    capture: {users.x: $.a}\n",
                "capture name `users.x` would shadow the world's ids",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect: {status: 200}\n    capture: {'1x': $.a}\n",
                "capture name `1x` is not a variable name",
            ),
            (
                "  - name: a\n    request: {method: GET, path: '/api/v2/{{x'}\n    expect: {status: 200}\n",
                "`{{` without `}}`",
            ),
            ("  []\n", "t.yaml: a scenario needs at least one step"),
        ];
        for (steps, wanted) in cases {
            let error = error(steps);
            assert!(error.contains(wanted), "wanted {wanted:?} in:\n{error}");
        }
    }

    #[test]
    fn yaml_mistakes_name_the_file_line_and_column() {
        let cases = [
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect: {statu: 200}\n",
                "t.yaml: steps[0].expect: unknown field `statu`",
                "line 12 column 14",
            ),
            (
                "  - name: a\n    request: {method: GOT, path: /api/v2/x}\n    expect: {status: 200}\n",
                "unknown variant `GOT`",
                "line 11 column 23",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect:\n      status: 200\n      equals:\n        users[0]: 1\n",
                "path `users[0]` must start with `$`",
                "line 15",
            ),
            (
                "  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect:\n      status: 200\n      matches:\n        $.a: '(unclosed'\n",
                "bad regular expression",
                "line 15",
            ),
            ("  - name: a\n    request: [\n", "t.yaml: ", "line"),
        ];
        for (steps, wanted, line) in cases {
            let error = error(steps);
            assert!(error.contains(wanted), "wanted {wanted:?} in:\n{error}");
            assert!(error.contains(line), "wanted {line:?} in:\n{error}");
        }
        let world = Scenario::parse(
            "w.yaml",
            "name: n\nobligation: access\nsource: s\nworld: [1]\nsteps: []\n",
        )
        .expect_err("a list is no world");
        assert!(
            world
                .to_string()
                .starts_with("w.yaml: world: the world must be a mapping")
        );
        let residue = Scenario::parse(
            "r.yaml",
            "name: n\nobligation: erasure\nsource: s\nsteps:\n  - name: a\n    request: {method: GET, path: /api/v2/x}\n    expect: {status: 200}\nresidue:\n  ' ': []\n",
        )
        .expect_err("a blank needle");
        assert_eq!(
            residue.to_string(),
            "r.yaml: residue: a needle must not be blank"
        );
    }
}
