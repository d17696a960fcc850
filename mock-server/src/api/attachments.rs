//! Attachments and uploads —
//! <https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/> (facts §5.5).

use crate::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::http::context::{Authed, RequestContext};
use crate::http::extract::{Ids, Params};
use crate::http::respond::{created, ok};
use crate::views;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, Path};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::json;

/// Zendesk accepts attachments up to 50 MB.
const MAX_UPLOAD: usize = 50 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/uploads",
            post(upload_files).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/api/v2/uploads/{token}", delete(delete_upload))
        .route("/api/v2/attachments/{id}", get(show_attachment))
        .route("/attachments/token/{token}", get(attachment_content))
        .route("/attachments/token/{token}/", get(attachment_content))
}

/// POST /api/v2/uploads?filename=NAME[&token=TOKEN] — Upload Files: the raw request body is the
/// file. 201 `{"upload":{"token","expires_at","attachments","attachment"}}`.
async fn upload_files(
    authed: Authed,
    params: Params,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let file_name = params
        .get("filename")
        .ok_or_else(|| ApiError::parameter_missing("filename"))?
        .to_owned();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let response = authed.account.write(|data| {
        let token = data.create_upload(
            &authed.caller,
            &file_name,
            &content_type,
            body.to_vec(),
            params.get("token"),
        )?;
        let upload = data.upload(&token)?;
        let attachments: Vec<_> = upload
            .attachment_ids
            .iter()
            .filter_map(|id| data.attachment_record(*id))
            .map(|a| views::comments::attachment(a, &authed.origin))
            .collect();
        ApiResult::Ok(json!({"upload": {
            "token": token,
            "expires_at": crate::store::clock::iso8601(upload.expires_at),
            "attachment": attachments.last(),
            "attachments": attachments,
        }}))
    })?;
    let location = views::api_url(
        &authed.origin,
        &format!(
            "uploads/{}",
            response["upload"]["token"].as_str().unwrap_or("")
        ),
    );
    Ok(created(response, &location))
}

/// DELETE /api/v2/uploads/{token} — Delete Upload: 204.
async fn delete_upload(authed: Authed, Path(token): Path<String>) -> ApiResult<Response> {
    authed.account.write(|data| data.delete_upload(&token))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET /api/v2/attachments/{id} — Show Attachment.
async fn show_attachment(authed: Authed, Ids([id]): Ids<1>) -> ApiResult<Response> {
    authed.account.read(|data| {
        let attachment = data.attachment(&authed.caller, id)?;
        Ok(ok(
            json!({"attachment": views::comments::attachment(attachment, &authed.origin)}),
        ))
    })
}

/// GET /attachments/token/{token}/?name= — the attachment's bytes. The token in the URL is the
/// credential, as for Zendesk's content URLs.
async fn attachment_content(
    Extension(context): Extension<RequestContext>,
    Path(token): Path<String>,
) -> ApiResult<Response> {
    let account = context.account.ok_or(ApiError::RecordNotFound)?;
    let (content_type, bytes) = account.read(|data| {
        let attachment = data.attachment_by_token(&token)?;
        ApiResult::Ok((attachment.content_type.clone(), attachment.content.clone()))
    })?;
    let mut response = bytes.into_response();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    Ok(response)
}
