//! The hub's front page and the health check a load balancer or a script
//! polls: neither needs a token.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};

use super::Shared;
use super::error::{ApiError, ApiResult};
use crate::hub::certificate;

pub async fn home(State(hub): State<Shared>) -> Html<String> {
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>cekiosk hub</title><p>cekiosk hub for {}.</p>",
        certificate::esc(&hub.config.event.title)
    ))
}

/// 200 while the database answers, 503 with its error otherwise.
pub async fn healthz(State(hub): State<Shared>) -> ApiResult {
    let unavailable = |e: &dyn std::fmt::Display| ApiError::Unavailable(format!("database: {e}\n"));
    let c = hub.pool.get().await.map_err(|e| unavailable(&e))?;
    c.query_one("SELECT 1", &[])
        .await
        .map_err(|e| unavailable(&e))?;
    Ok((StatusCode::OK, "ok\n").into_response())
}
