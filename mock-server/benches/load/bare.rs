//! The physical-limit baseline: a minimal axum server on the same tokio runtime the mock's
//! binary uses (`#[tokio::main]`: multi-threaded, one worker per core), with the mix's five
//! routes, each answering a fixed body — the bytes the mock answered that operation with, so
//! both servers write the same sizes. No accounts, no authentication, no JSON: the HTTP stack
//! alone.

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One operation's fixed answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// The answers, per operation of the mix (see [`super::mix::Op`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Answers {
    pub show_user: Answer,
    pub list_users: Answer,
    pub create_ticket: Answer,
    pub search: Answer,
    pub soft_delete: Answer,
}

/// A fixed answer, ready to send again and again (`Bytes` clones share the buffer).
#[derive(Clone)]
struct Fixed(StatusCode, Bytes);

impl Fixed {
    fn new(answer: &Answer) -> Self {
        let status = StatusCode::from_u16(answer.status).expect("a status the mock sent");
        Self(status, Bytes::from(answer.body.clone().into_bytes()))
    }

    fn response(&self) -> Response {
        if self.1.is_empty() {
            return self.0.into_response();
        }
        let json = [(header::CONTENT_TYPE, "application/json; charset=utf-8")];
        (self.0, json, self.1.clone()).into_response()
    }
}

/// Serves the bare routes on `port` until killed.
pub fn run(port: u16, bodies: &Path) {
    let text = std::fs::read_to_string(bodies).expect("the bodies file");
    let answers: Answers = serde_json::from_str(&text).expect("bodies JSON");
    let [show, list, create, search, destroy] = [
        &answers.show_user,
        &answers.list_users,
        &answers.create_ticket,
        &answers.search,
        &answers.soft_delete,
    ]
    .map(Fixed::new);
    let app = Router::new()
        .route(
            "/api/v2/users/{id}",
            get(move || std::future::ready(show.response())),
        )
        .route(
            "/api/v2/users.json",
            get(move || std::future::ready(list.response())),
        )
        .route(
            "/api/v2/tickets.json",
            post(move |_body: Bytes| std::future::ready(create.response())),
        )
        .route(
            "/api/v2/search.json",
            get(move || std::future::ready(search.response())),
        )
        .route(
            "/api/v2/tickets/{id}",
            delete(move || std::future::ready(destroy.response())),
        );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the bare port");
        axum::serve(listener, app).await.expect("serve");
    });
}
