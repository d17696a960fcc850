//! `{{var}}` templates in scenario paths, queries, bodies and expected values.
//!
//! A string that is exactly one `{{var}}` becomes the variable's JSON value, type and all: a
//! captured id stays a number in a body, a captured object stays an object. Inside a longer
//! string a variable is written as text: a string as itself, a number or boolean as JSON, an
//! array as its elements joined by commas (so `ids={{ticket_ids}}` is a Zendesk id list), an
//! object as compact JSON. `null` cannot be written into text: that is almost always a
//! capture that found nothing useful, and the error says which variable it was.
//!
//! ```
//! use serde_json::json;
//! use zendesk_conformance::scenario::template::Vars;
//!
//! let mut vars = Vars::default();
//! vars.set("users.jane", json!(7));
//! vars.set("ids", json!([1, 2, 3]));
//! assert_eq!(vars.render_str("/api/v2/users/{{users.jane}}.json").unwrap(), "/api/v2/users/7.json");
//! assert_eq!(vars.render_str("ids={{ ids }}").unwrap(), "ids=1,2,3");
//! assert_eq!(vars.render(&json!({"id": "{{users.jane}}"})).unwrap(), json!({"id": 7}));
//! ```

use serde_json::Value;
use std::collections::BTreeMap;

/// The variables of a running scenario: the world's ids and the captures so far.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    values: BTreeMap<String, Value>,
}

impl Vars {
    /// Sets (or replaces) a variable.
    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        self.values.insert(name.into(), value);
    }

    /// A variable's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// The names of every variable, sorted (for "unknown variable" messages).
    pub fn names(&self) -> Vec<&str> {
        self.values.keys().map(String::as_str).collect()
    }

    /// `value` with every template in its strings (not its keys) rendered.
    pub fn render(&self, value: &Value) -> Result<Value, String> {
        Ok(match value {
            Value::String(text) => match whole_variable(text)? {
                Some(name) => self.lookup(name)?.clone(),
                None => Value::String(self.render_str(text)?),
            },
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| self.render(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.render(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => other.clone(),
        })
    }

    /// `text` with every `{{var}}` written as text.
    pub fn render_str(&self, text: &str) -> Result<String, String> {
        let mut out = String::new();
        for piece in pieces(text)? {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Var(name) => out.push_str(&as_text(name, self.lookup(name)?)?),
            }
        }
        Ok(out)
    }

    fn lookup(&self, name: &str) -> Result<&Value, String> {
        self.values.get(name).ok_or_else(|| {
            format!(
                "unknown variable {{{{{name}}}}} (known: {})",
                self.names().join(", ")
            )
        })
    }
}

/// The variables a text uses, in order (for checking a scenario before it runs).
pub fn variables(text: &str) -> Result<Vec<&str>, String> {
    Ok(pieces(text)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Var(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect())
}

/// Every variable used in the strings of `value`.
pub fn variables_in(value: &Value) -> Result<Vec<&str>, String> {
    let mut found = Vec::new();
    match value {
        Value::String(text) => found.extend(variables(text)?),
        Value::Array(items) => {
            for item in items {
                found.extend(variables_in(item)?);
            }
        }
        Value::Object(members) => {
            for item in members.values() {
                found.extend(variables_in(item)?);
            }
        }
        _ => {}
    }
    Ok(found)
}

enum Piece<'a> {
    Text(&'a str),
    Var(&'a str),
}

/// Splits `text` into literal text and `{{name}}`s; an unclosed `{{` or an empty or malformed
/// name is an error.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            pieces.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| format!("`{{{{` without `}}}}` in `{text}`"))?;
        let name = after[..close].trim();
        if !is_name(name) {
            return Err(format!(
                "`{{{{{}}}}}` in `{text}` is not a variable name (letters, digits, `_`, `-`, `.`)",
                &after[..close]
            ));
        }
        pieces.push(Piece::Var(name));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// The variable when `text` is exactly one `{{name}}` (spaces allowed inside).
fn whole_variable(text: &str) -> Result<Option<&str>, String> {
    let pieces = pieces(text)?;
    Ok(match pieces.as_slice() {
        [Piece::Var(name)] => Some(name),
        _ => None,
    })
}

/// Whether `name` can be a variable: a letter or `_` first, then letters, digits, `_`, `-`, `.`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// A value written into text (see the module doc).
fn as_text(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::Null => Err(format!(
            "variable {{{{{name}}}}} is null; it cannot be written into text"
        )),
        Value::String(s) => Ok(s.clone()),
        Value::Array(items) => Ok(items
            .iter()
            .map(|item| as_text(name, item))
            .collect::<Result<Vec<_>, _>>()?
            .join(",")),
        other => Ok(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Vars {
        let mut vars = Vars::default();
        vars.set("n", json!(5));
        vars.set("s", json!("jane@example.com"));
        vars.set("list", json!([1, "two", 3]));
        vars.set("object", json!({"a": 1}));
        vars.set("nothing", Value::Null);
        vars
    }

    #[test]
    fn whole_string_templates_keep_the_json_type() {
        let body = json!({"user": {"id": "{{n}}", "tags": ["{{ s }}", "x{{n}}"], "o": "{{object}}"}, "k": 1});
        assert_eq!(
            vars().render(&body).expect("renders"),
            json!({"user": {"id": 5, "tags": ["jane@example.com", "x5"], "o": {"a": 1}}, "k": 1})
        );
        assert_eq!(
            vars().render(&json!("{{nothing}}")).expect("renders"),
            Value::Null
        );
    }

    #[test]
    fn values_are_written_into_text_as_documented() {
        let cases = [
            ("plain", "plain"),
            ("{{n}}/{{s}}", "5/jane@example.com"),
            ("ids={{list}}", "ids=1,two,3"),
            ("o={{object}}", "o={\"a\":1}"),
        ];
        for (template, expected) in cases {
            assert_eq!(vars().render_str(template).expect(template), expected);
        }
    }

    #[test]
    fn template_errors_name_the_problem() {
        let cases = [
            (
                "{{missing}}",
                "unknown variable {{missing}} (known: list, n, nothing, object, s)",
            ),
            ("a {{n", "`{{` without `}}`"),
            ("{{}}", "is not a variable name"),
            ("{{1abc}}", "is not a variable name"),
            ("x{{nothing}}", "variable {{nothing}} is null"),
        ];
        for (template, wanted) in cases {
            let error = vars().render_str(template).expect_err(template);
            assert!(error.contains(wanted), "{template}: {error}");
        }
    }

    #[test]
    fn variables_are_listed_in_order() {
        let value = json!({"a": "{{x}} and {{ y.z }}", "b": ["{{w}}"], "c": 3});
        assert_eq!(variables_in(&value).expect("lists"), ["x", "y.z", "w"]);
    }
}
