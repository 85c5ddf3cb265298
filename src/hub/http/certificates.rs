//! The page a certificate's QR code points to, `/c/{id}`, and its PDF,
//! `/c/{id}.pdf`. No token: the unguessable id is the key, and the answer
//! is never cached by anyone but the attendee's browser.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::Digest;

use super::Shared;
use super::error::ApiResult;
use crate::domain::certificate_id::{self, Opened};
use crate::domain::lang::Lang;
use crate::hub::{certificate, credential, db};

/// What `/c/{id}` is asked for: the page, `.pdf` or `.jwt` (the Open
/// Badges credential).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Page,
    Pdf,
    Credential,
}

/// `?lang=ja`: the page in another language than the one recorded.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

pub async fn certificate_page(
    State(hub): State<Shared>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult {
    let (id, form) = if let Some(base) = id.strip_suffix(".pdf") {
        (base.to_string(), Form::Pdf)
    } else if let Some(base) = id.strip_suffix(".jwt") {
        (base.to_string(), Form::Credential)
    } else {
        (id, Form::Page)
    };
    let as_pdf = form != Form::Page;
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
        let opened = if plausible {
            Some(open_summary(&hub, &id).await?)
        } else {
            None
        };
        let page = match opened {
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
    let mut resp = match form {
        Form::Pdf => {
            let mut r = certificate::pdf(&view, &hub.fonts)?.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            r
        }
        Form::Credential => {
            let subject = hub.signer.subject_id(&hub.config.event.id, &data.badge_id);
            let mut vc = credential::open_badge(&hub.config, &view, &subject);
            // What this credential says and which claims it counted: the
            // same again is the same credential, with the same place in
            // the status list; a void of one of those claims revokes it.
            let mut content = sha2::Sha256::new();
            content.update(vc.to_string().as_bytes());
            for claim in &data.counted_claims {
                content.update(b"\0");
                content.update(claim.as_bytes());
            }
            let index = db::credential_index(
                &hub.pool,
                &data.certificate_id,
                &data.badge_id,
                &content.finalize(),
                &data.counted_claims,
            )
            .await?;
            credential::add_status(&hub.config, &mut vc, index);
            let jwt = hub
                .signer
                .sign(&credential::key_url(&hub.config, &hub.signer), &vc);
            let mut r = jwt.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jwt"),
            );
            let name = format!(
                "attachment; filename=\"certificate-{}.jwt\"",
                view.short_code
            );
            if let Ok(v) = HeaderValue::from_str(&name) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Form::Page => {
            // The language asked for, else the attendee's at the kiosk,
            // else English; a code the hub does not speak is English.
            let lang = query
                .lang
                .as_deref()
                .or(data.language.as_deref())
                .and_then(|l| l.parse::<Lang>().ok())
                .unwrap_or_default();
            Html(certificate::html(&hub.config, &view, lang)).into_response()
        }
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

/// Opens a summary id with the keys of the kiosk it names that were in
/// use at its minute of issue, and no other kiosk's: a summary dated after
/// its kiosk's key was retired (the kiosk enrolled again, or the office
/// revoked it) is not verified. With the fleet's shared secret, a kiosk
/// that had not enrolled by then signed with a key derived from it.
async fn open_summary(hub: &crate::hub::Hub, id: &str) -> ApiResult<Opened> {
    let Some(summary) = certificate_id::peek(id) else {
        // A plain id, or one that cannot be read as a summary.
        return Ok(certificate_id::open(id, &[]));
    };
    let (mut keys, _) = db::summary_keys(&hub.pool, &summary.kiosk, summary.issued).await?;
    if !hub.shared_tokens().is_empty()
        && !db::enrolled_before(&hub.pool, &summary.kiosk, summary.issued).await?
    {
        keys.extend(
            hub.shared_tokens()
                .iter()
                .map(|t| certificate_id::kiosk_key(t, &summary.kiosk)),
        );
    }
    Ok(certificate_id::open(id, &keys))
}

/// The hub's public keys as a set, for anyone verifying a credential it
/// signed.
pub async fn jwks(State(hub): State<Shared>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/jwk-set+json")],
        credential::jwks(&hub.config, &hub.signer).to_string(),
    )
}

/// `/keys/{thumbprint}`: the key a credential's `kid` names, as a JWK.
pub async fn key(State(hub): State<Shared>, Path(thumbprint): Path<String>) -> Response {
    if thumbprint != hub.signer.thumbprint() {
        return (StatusCode::NOT_FOUND, "no such key\n").into_response();
    }
    let kid = credential::key_url(&hub.config, &hub.signer);
    (
        [(header::CONTENT_TYPE, "application/jwk+json")],
        hub.signer.public_jwk(&kid).to_string(),
    )
        .into_response()
}

/// The issuer's Open Badges profile, which the credentials name, listing
/// the key that signs for it.
pub async fn issuer(State(hub): State<Shared>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        credential::issuer_profile(&hub.config, &hub.signer).to_string(),
    )
}

/// `/status/{n}`: status list `n`, signed as the credentials are; an
/// entry is set once a claim its credential counted is void.
pub async fn status_list(State(hub): State<Shared>, Path(list): Path<String>) -> ApiResult {
    let list = list.parse::<u32>().ok();
    let revoked = match list {
        Some(n) => db::revoked(&hub.pool, n).await?,
        None => None,
    };
    let (Some(list), Some(revoked)) = (list, revoked) else {
        return Ok((StatusCode::NOT_FOUND, "no such status list\n").into_response());
    };
    let vc = credential::status_list(&hub.config, list, &revoked, jiff::Timestamp::now());
    let jwt = hub
        .signer
        .sign(&credential::key_url(&hub.config, &hub.signer), &vc);
    let mut r = jwt.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jwt"),
    );
    // As the list's own `ttl` says.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    Ok(r)
}
