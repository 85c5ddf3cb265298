//! Who may call what, as extractors: a handler that takes [`Kiosk`] is
//! reached only with a kiosk token, one that takes [`Admin`] only with the
//! admin token; anything else is answered 401 before the handler runs.
//! Tokens are compared in constant time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Shared;
use super::error::ApiError;

/// A request that carried one of the configured kiosk tokens.
pub struct Kiosk;

/// A request that carried the admin token (the CE office's reports). With
/// no admin token configured, no request does.
pub struct Admin;

impl FromRequestParts<Shared> for Kiosk {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<Kiosk, ApiError> {
        if allowed(bearer(&parts.headers), &hub.tokens) {
            Ok(Kiosk)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

impl FromRequestParts<Shared> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<Admin, ApiError> {
        if hub.admin_token.is_empty()
            || !allowed(
                bearer(&parts.headers),
                std::slice::from_ref(&hub.admin_token),
            )
        {
            Err(ApiError::Unauthorized)
        } else {
            Ok(Admin)
        }
    }
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell an attacker how much of a guess was right.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= usize::from(a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff));
    }
    diff == 0
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn allowed(given: Option<&str>, accepted: &[String]) -> bool {
    // Every accepted token is compared, so timing does not reveal which
    // one (or whether any) came close.
    let given = given.unwrap_or("");
    let mut ok = false;
    for t in accepted.iter().filter(|t| !t.is_empty()) {
        ok |= same_secret(given, t);
    }
    ok && !given.is_empty()
}
