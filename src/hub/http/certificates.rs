//! The page a certificate's QR code points to, `/c/{id}`, and its PDF,
//! `/c/{id}.pdf`. No token: the unguessable id is the key, and the answer
//! is never cached by anyone but the attendee's browser.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse};

use super::Shared;
use super::error::ApiResult;
use crate::domain::certificate_id::{self, Opened};
use crate::hub::{certificate, db};

pub async fn certificate_page(State(hub): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let (id, as_pdf) = match id.strip_suffix(".pdf") {
        Some(base) => (base.to_string(), true),
        None => (id, false),
    };
    // Only an unguessable id opens a certificate; anything else is "not yet".
    let plausible = crate::domain::ids::is_url_safe_id(&id, 16..=128);
    let data = if plausible {
        db::cert_data(&hub.pool, &id).await?
    } else {
        None
    };
    let Some(data) = data else {
        // Before the kiosk's upload: what the id itself says, if its
        // signature holds (docs/security.md).
        let page = match plausible.then(|| certificate_id::open(&id, &hub.tokens)) {
            Some(Opened::Verified(summary)) if !as_pdf => (
                StatusCode::OK,
                Html(certificate::verified_html(&hub.config, &summary)),
            ),
            Some(Opened::Unverified) => (
                StatusCode::NOT_FOUND,
                Html(certificate::unverified_html(&hub.config)),
            ),
            _ => (
                StatusCode::NOT_FOUND,
                Html(certificate::pending_html(&hub.config)),
            ),
        };
        let mut r = page.into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(r);
    };
    // Never a certificate without the attendee's name: until the roster
    // has them, the page says what is being checked.
    if data.attendee.is_none() {
        let mut r = Html(certificate::checking_html(&hub.config)).into_response();
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return Ok(r);
    }
    let view = certificate::build(&hub.config, &data);
    let mut resp = if as_pdf {
        let mut r = certificate::pdf(&view, &hub.fonts)?.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        );
        r
    } else {
        Html(certificate::html(&view)).into_response()
    };
    // A certificate page holds personal data: no shared caches.
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    resp.headers_mut()
        .insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    Ok(resp)
}
