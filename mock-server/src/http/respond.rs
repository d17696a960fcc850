//! Response helpers shared by the resource modules.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// 200 with a JSON body.
pub fn ok(body: Value) -> Response {
    Json(body).into_response()
}

/// 200 with a body serialized straight from typed views (no `Value` built on the way).
pub fn ok_typed(body: impl Serialize) -> Response {
    // A buffer the size of a typical record up front (axum's `Json` starts at 128 bytes and
    // grows by copying).
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, &body) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        // What axum's `Json` answers too; typed views of plain data cannot fail to serialize.
        Err(error) => {
            tracing::error!(%error, "a response body failed to serialize");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `{"<key>": value}`, for [`ok_typed`].
pub struct Keyed<'a, T>(pub &'a str, pub T);

impl<T: Serialize> Serialize for Keyed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}

/// `{"<key>":[items], ...pagination fields}` ([`list`]'s shape), for [`ok_typed`].
pub struct Listed<'a, T> {
    pub key: &'a str,
    pub items: Vec<T>,
    pub fields: Map<String, Value>,
}

impl<T: Serialize> Serialize for Listed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1 + self.fields.len()))?;
        map.serialize_entry(self.key, &self.items)?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// 201 with a JSON body and `Location` pointing at the new resource (facts §1).
pub fn created(body: Value, location: &str) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `{"<key>":[items], ...pagination fields}`.
pub fn list(key: &str, items: Vec<Value>, fields: Map<String, Value>) -> Value {
    let mut body = Map::new();
    body.insert(key.to_owned(), Value::Array(items));
    body.extend(fields);
    Value::Object(body)
}

/// Adds Zendesk's `X-Zendesk-API-Warn` header naming body keys it ignored, in the recorded
/// 2023 form: `{:allowed_parameters=>{:controller=>"users", :action=>"create",
/// :unpermitted_keys=>["user.foo"], :invalid_values=>[]}}`.
pub fn warn_unpermitted(
    mut response: Response,
    controller: &str,
    action: &str,
    keys: &[String],
) -> Response {
    if keys.is_empty() {
        return response;
    }
    let quoted: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
    let text = format!(
        "{{:allowed_parameters=>{{:controller=>\"{controller}\", :action=>\"{action}\", :unpermitted_keys=>[{}], :invalid_values=>[]}}}}",
        quoted.join(", ")
    );
    if let Ok(value) = HeaderValue::from_str(&text) {
        response.headers_mut().insert("x-zendesk-api-warn", value);
    }
    response
}

/// The keys of a JSON body outside `allowed` (top-level names, or `parent.child` for keys
/// inside an allowed object), in the recorded order: children first, then the parent.
pub fn unpermitted(body: &Value, allowed: &[&str]) -> Vec<String> {
    let Value::Object(map) = body else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (key, value) in map {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        if let Value::Object(inner) = value {
            keys.extend(inner.keys().map(|child| format!("{key}.{child}")));
        }
        keys.push(key.clone());
    }
    keys
}
