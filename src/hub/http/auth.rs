//! Who may call what, as extractors: a handler that takes [`KioskCaller`] is
//! reached only with an enrolled kiosk's token (or the fleet's shared
//! secret, where the hub is configured with one), and learns which kiosk
//! it is from the token; one that takes [`Admin`] only with the
//! admin token or a signed-in session, one that takes [`Signed`] only with
//! a signed-in session (a browser without one is sent to sign in); anything
//! else is answered before the handler runs. Tokens are compared in
//! constant time. A form posted from another site is refused by
//! [`same_site`] and by the session's form token ([`Signed::check_form`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::Shared;
use super::error::ApiError;

/// Who a kiosk's request comes from, as the hub knows it from the
/// credentials presented, never from what the request says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KioskCaller {
    /// An enrolled kiosk, by its own token.
    Enrolled { kiosk_id: String },
    /// A kiosk presenting the fleet's shared secret (rehearsal mode, and
    /// only where the hub is configured with it): any kiosk can act as any
    /// other, so the hub takes the kiosk id the request names.
    Shared,
}

/// The header a kiosk names itself in (needed only with the shared
/// secret, where the token says nothing of who sent it).
pub const KIOSK_HEADER: &str = "x-cekiosk-kiosk";

impl KioskCaller {
    /// The kiosk the request acts as: the enrolled kiosk's own id, or
    /// with the shared secret the id it names (`named`), which must be a
    /// kiosk id and never the CE office's.
    pub fn acting_as(&self, named: Option<&str>) -> Result<String, ApiError> {
        match self {
            KioskCaller::Enrolled { kiosk_id } => Ok(kiosk_id.clone()),
            KioskCaller::Shared => {
                let named = named.unwrap_or("");
                crate::hub::db::check_kiosk_id(named)
                    .map_err(|e| ApiError::BadRequest(format!("a kiosk id is required: {e}\n")))?;
                Ok(named.to_string())
            }
        }
    }

    /// The kiosk a request names in its header, with the shared secret.
    pub fn named(parts: &HeaderMap) -> Option<&str> {
        parts
            .get(KIOSK_HEADER)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    }
}

/// A request that carried the admin token (the CE office's scripts), or
/// the cookie of a signed-in session: then the account's name, for the
/// audit. With no admin token configured, only a session does.
pub struct Admin(pub Option<String>);

/// The cookie that holds a signed-in session.
pub const COOKIE: &str = "cekiosk_session";

/// The `Set-Cookie` that opens a session (`Some(value)`) or ends it:
/// never readable by a script nor sent from another site, and `Secure`
/// whenever the browser reached the hub over TLS (`client::over_tls`), so
/// it never then travels in clear.
pub fn set_session_cookie(
    value: Option<&str>,
    secure: bool,
) -> Result<axum::http::HeaderValue, ApiError> {
    let secure = if secure { "; Secure" } else { "" };
    let text = match value {
        Some(v) => format!("{COOKIE}={v}; Path=/; HttpOnly; SameSite=Strict{secure}"),
        None => format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"),
    };
    axum::http::HeaderValue::from_str(&text).map_err(|e| ApiError::Internal(e.into()))
}

/// A request from a signed-in session of the CE office.
pub struct Signed {
    pub user: String,
    pub csrf: String,
    /// The cookie's value, to end the session with.
    pub cookie: String,
}

impl Signed {
    /// A posted form's token must be this session's, and the request must
    /// come from the hub's own pages.
    pub fn check_form(&self, headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
        same_site(headers)?;
        if same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this form is out of date or was not sent from the hub's own pages; reload the page and try again\n".into(),
            ))
        }
    }
}

/// Refuses a request a browser says came from another site: its
/// `Sec-Fetch-Site` is not `same-origin`, or its `Origin` is not this host.
/// A request with neither (a script, an old browser) passes this check;
/// a session's forms also need their token.
pub fn same_site(headers: &HeaderMap) -> Result<(), ApiError> {
    let refuse = || {
        Err(ApiError::Forbidden(
            "refused: this request came from another site\n".into(),
        ))
    };
    if let Some(site) = headers.get("sec-fetch-site")
        && site.as_bytes() != b"same-origin"
    {
        return refuse();
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).map(|h| h.as_bytes());
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, h)| h.as_bytes());
        if origin_host.is_none() || origin_host != host {
            return refuse();
        }
    }
    Ok(())
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| crate::domain::ids::is_url_safe_id(v, 16..=128))
}

/// Why a page was not shown: no session, or one that has ended. A browser
/// is sent to sign in, told which.
pub struct SignInFirst {
    pub ended: bool,
}

impl axum::response::IntoResponse for SignInFirst {
    fn into_response(self) -> axum::response::Response {
        let to = if self.ended {
            "/admin/sign-in?ended=1"
        } else {
            "/admin/sign-in"
        };
        (
            axum::http::StatusCode::SEE_OTHER,
            [(header::LOCATION, to), (header::CACHE_CONTROL, "no-store")],
        )
            .into_response()
    }
}

impl FromRequestParts<Shared> for Signed {
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut Parts,
        hub: &Shared,
    ) -> Result<Signed, axum::response::Response> {
        use axum::response::IntoResponse;
        let Some(cookie) = session_cookie(&parts.headers) else {
            return Err(SignInFirst { ended: false }.into_response());
        };
        match crate::hub::db::session(&hub.pool, &cookie, hub.config.hub.session_minutes).await {
            Ok(Some(s)) => Ok(Signed {
                user: s.user,
                csrf: s.csrf,
                cookie,
            }),
            Ok(None) => Err(SignInFirst { ended: true }.into_response()),
            Err(e) => Err(ApiError::Internal(e).into_response()),
        }
    }
}

impl FromRequestParts<Shared> for KioskCaller {
    type Rejection = ApiError;

    /// An enrolled kiosk's token is looked up (only its SHA-256 is kept);
    /// a retired one is refused with why, so a revoked kiosk's operator
    /// learns it was revoked; the shared secret passes only where the hub
    /// is configured with it.
    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<KioskCaller, ApiError> {
        use crate::hub::db::TokenOwner;
        let given = bearer(&parts.headers).unwrap_or("");
        // The shared secret needs no look-up (and a kiosk's own token,
        // 256 random bits, is never it).
        if allowed(Some(given), &hub.tokens) {
            return Ok(KioskCaller::Shared);
        }
        match crate::hub::db::token_owner(&hub.pool, given).await? {
            TokenOwner::Kiosk { kiosk_id, .. } => Ok(KioskCaller::Enrolled { kiosk_id }),
            TokenOwner::Retired { kiosk_id, why, at } => Err(ApiError::Forbidden(format!(
                "the hub no longer accepts kiosk {kiosk_id}'s credentials: {why}, {at}. What it \
                 uploaded before stays counted; to bring it back, the CE office makes a new \
                 enrolment code (cekiosk hub add-kiosk {kiosk_id}) and the kiosk enrols again \
                 (cekiosk enrol)\n"
            ))),
            TokenOwner::Unknown => Err(ApiError::Unauthorized),
        }
    }
}

impl FromRequestParts<Shared> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<Admin, ApiError> {
        if !hub.admin_token.is_empty()
            && allowed(
                bearer(&parts.headers),
                std::slice::from_ref(&hub.admin_token),
            )
        {
            return Ok(Admin(None));
        }
        if let Some(cookie) = session_cookie(&parts.headers)
            && let Some(s) =
                crate::hub::db::session(&hub.pool, &cookie, hub.config.hub.session_minutes).await?
        {
            return Ok(Admin(Some(s.user)));
        }
        Err(ApiError::Unauthorized)
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
