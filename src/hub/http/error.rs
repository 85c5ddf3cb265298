//! The one error the hub's handlers return. Each way a request can fail
//! has its status here, so every handler answers a failure the same way
//! and a server fault is always logged, never shown.

use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why the hub did not do what a request asked.
#[derive(Debug)]
pub enum ApiError {
    /// No token, or not one this hub accepts for that path: 401.
    Unauthorized,
    /// Not allowed from where it came (another site, a stale form): 403.
    Forbidden(String),
    /// The request itself is wrong (the text says how): 400.
    BadRequest(String),
    /// The request is for another event: 409.
    Conflict(String),
    /// More records in a page than the hub takes: 413.
    TooLarge(String),
    /// No such thing at this path: 404.
    NotFound(&'static str),
    /// The database cannot be reached (for `/healthz`): 503.
    Unavailable(String),
    /// The body could not be read (over the limit, say): answered as axum
    /// answers it, 413 for a body too large.
    Body(BytesRejection),
    /// Anything else: logged with its cause, answered 500 without it.
    Internal(anyhow::Error),
}

/// What a handler returns.
pub type ApiResult<T = Response> = Result<T, ApiError>;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Unauthorized => {
                (StatusCode::UNAUTHORIZED, "a valid token is required\n").into_response()
            }
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, m).into_response(),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m).into_response(),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m).into_response(),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m).into_response(),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m).into_response(),
            ApiError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, m).into_response(),
            ApiError::Body(r) => r.into_response(),
            ApiError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "hub request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the hub could not do that; it is logged\n",
                )
                    .into_response()
            }
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::Internal(e)
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> ApiError {
        ApiError::Body(r)
    }
}
