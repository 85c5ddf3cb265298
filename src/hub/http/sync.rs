//! The sync API kiosks call (docs/sync.md): enrolment, hello, a device's
//! state at the hub, the upload of a page of records, the change feed, and
//! an attendee's certificate for a reissue. Every path but enrolment needs
//! a kiosk's credentials, and the kiosk a request acts as is the one its
//! credentials name: a device id belongs to one kiosk for good, and a
//! request about another kiosk's device is refused (403).
//!
//! A path's or query's own errors are answered before the token is looked
//! at; an upload's body is read only once the token is known to be good.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::KioskCaller;
use super::error::{ApiError, ApiResult};
use crate::hub::db;
use crate::hub::in_flight::HELD_WAIT;
use crate::hub::upload::{self, PageRefusal};
use crate::sync::protocol::{
    CHANGES_PAGE, CertificateAnswer, Cursor, DeviceReport, DeviceState, EnrolAnswer, EnrolRequest,
    Hello, Upload,
};

fn valid_device(id: &str) -> ApiResult<()> {
    if !crate::domain::ids::is_url_safe_id(id, 1..=64) {
        return Err(ApiError::BadRequest("not a device id\n".into()));
    }
    if id == db::OFFICE_DEVICE {
        return Err(ApiError::Forbidden(
            "that device id is the CE office's own\n".into(),
        ));
    }
    Ok(())
}

/// Refuses a request about a device that belongs to another kiosk than
/// the one the credentials name. With the shared secret a request that
/// names no kiosk (an older kiosk) cannot be told apart, and passes.
async fn check_device(
    hub: &Shared,
    kiosk: &KioskCaller,
    headers: &HeaderMap,
    device: &str,
) -> ApiResult<()> {
    valid_device(device)?;
    let acting = match kiosk {
        KioskCaller::Shared if KioskCaller::named(headers).is_none() => return Ok(()),
        _ => kiosk.acting_as(KioskCaller::named(headers))?,
    };
    match db::device_kiosk(&hub.pool, device).await? {
        Some(owner) if owner != acting => Err(not_yours(device, &owner, &acting)),
        _ => Ok(()),
    }
}

fn not_yours(device: &str, owner: &str, acting: &str) -> ApiError {
    ApiError::Forbidden(format!(
        "device {device} belongs to kiosk {owner}; these credentials are kiosk {acting}'s\n"
    ))
}

pub async fn hello(State(hub): State<Shared>, _: KioskCaller) -> Json<Hello> {
    Json(Hello {
        event_id: hub.config.event.id.clone(),
        event_title: hub.config.event.title.clone(),
    })
}

/// `POST /api/v1/enrol`: the one-time code for the kiosk's credentials.
pub async fn enrol(
    State(hub): State<Shared>,
    Json(req): Json<EnrolRequest>,
) -> ApiResult<Json<EnrolAnswer>> {
    if req.event_id != hub.config.event.id {
        return Err(ApiError::Conflict(format!(
            "this hub serves event '{}', not '{}'\n",
            hub.config.event.id, req.event_id
        )));
    }
    if req.nonce.len() > 100 || req.code.len() > 100 {
        return Err(ApiError::BadRequest("not an enrolment\n".into()));
    }
    match db::enrol(&hub.pool, &req.code, &req.nonce).await? {
        Ok(c) => {
            tracing::info!(kiosk = %c.kiosk_id, key = c.key_id, "kiosk enrolled");
            Ok(Json(EnrolAnswer {
                kiosk_id: c.kiosk_id,
                key_id: c.key_id,
                token: c.token,
                summary_key: base64::Engine::encode(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                    c.summary_key,
                ),
            }))
        }
        Err(refusal) => Err(ApiError::Forbidden(format!("{refusal}\n"))),
    }
}

/// `?held=false`: the device's state without its held claims (a sync asks
/// for those after its upload only). `?wait=N`: the held claims may wait
/// up to N seconds (at most [`HELD_WAIT`]) for the uploads being taken;
/// without it they are worked out at once.
#[derive(Deserialize)]
pub struct DeviceQuery {
    #[serde(default = "yes")]
    held: bool,
    #[serde(default)]
    wait: u64,
}

fn yes() -> bool {
    true
}

pub async fn device(
    State(hub): State<Shared>,
    Path(device): Path<String>,
    Query(q): Query<DeviceQuery>,
    kiosk: KioskCaller,
    headers: HeaderMap,
) -> ApiResult<Json<DeviceState>> {
    let started = std::time::Instant::now();
    check_device(&hub, &kiosk, &headers, &device).await?;
    if q.held && q.wait > 0 {
        let most = std::time::Duration::from_secs(q.wait).min(HELD_WAIT);
        hub.uploads.none_or_after(most).await;
    }
    let d = db::device_state(&hub.pool, &device, q.held).await?;
    tracing::info!(
        device = %device,
        handler_ms = started.elapsed().as_secs_f64() * 1000.0,
        "device state timing"
    );
    Ok(Json(DeviceState {
        device_id: device,
        high_seq: d.high_seq,
        rejected: d.rejected,
        held: d.held,
    }))
}

pub async fn upload(
    State(hub): State<Shared>,
    Path(device): Path<String>,
    kiosk: KioskCaller,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    valid_device(&device)?;
    let _taking = hub.uploads.start();
    let started = std::time::Instant::now();
    let body = body?;
    let page: Upload = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("not an upload page: {e}\n")))?;
    let parsed = started.elapsed();
    upload::check_page(&page, &hub.config.event.id).map_err(|refusal| {
        let text = format!("{refusal}\n");
        match refusal {
            PageRefusal::OtherEvent { .. } => ApiError::Conflict(text),
            PageRefusal::TooLarge => ApiError::TooLarge(text),
            PageRefusal::RepeatedSeq | PageRefusal::SeqNotPositive => ApiError::BadRequest(text),
        }
    })?;
    let named = crate::domain::sanitize(&page.kiosk_id);
    let acting = kiosk.acting_as(Some(&named))?;
    let sender = db::Sender {
        kiosk_id: &acting,
        enrolled: matches!(kiosk, KioskCaller::Enrolled { .. }),
        received: jiff::Timestamp::now(),
    };
    let checking = std::time::Instant::now();
    let checked = upload::check_records(&page.records, &sender);
    let check = checking.elapsed();
    let result = match db::ingest(&hub.pool, &device, &sender, checked).await? {
        db::Ingested::Taken(result, t) => {
            // One line a page, in milliseconds: where the upload's time
            // goes (docs/sync.md; the congress bench reads these).
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            tracing::info!(
                device = %device,
                records = page.records.len(),
                bytes = body.len(),
                parse_ms = ms(parsed),
                check_ms = ms(check),
                wait_ms = ms(t.wait),
                lock_ms = ms(t.lock),
                old_ms = ms(t.old),
                copy_ms = ms(t.copy),
                rest_ms = ms(t.rest),
                commit_ms = ms(t.commit),
                handler_ms = ms(started.elapsed()),
                "upload timing"
            );
            result
        }
        db::Ingested::NotYours { owner } => return Err(not_yours(&device, &owner, &acting)),
    };
    // A page that conflicts with what the hub holds is answered 409 with
    // the whole result, so the kiosk learns which sequences conflict.
    Ok(if result.conflicts.is_empty() {
        Json(result).into_response()
    } else {
        (StatusCode::CONFLICT, Json(result)).into_response()
    })
}

/// A kiosk's word about itself, kept for the CE office's fleet page.
pub async fn report(
    State(hub): State<Shared>,
    Path(device): Path<String>,
    kiosk: KioskCaller,
    Json(r): Json<DeviceReport>,
) -> ApiResult {
    valid_device(&device)?;
    let started = std::time::Instant::now();
    let clean = |s: &str, n: usize| {
        crate::domain::sanitize(s)
            .chars()
            .take(n)
            .collect::<String>()
    };
    let acting = kiosk.acting_as(Some(&clean(&r.kiosk_id, 64)))?;
    let r = DeviceReport {
        kiosk_id: acting.clone(),
        version: clean(&r.version, 40),
        clock: clean(&r.clock, 40),
        last_result: clean(&r.last_result, 300),
        ..r
    };
    let client = hub.pool.get().await.map_err(anyhow::Error::from)?;
    let owner = db::device_owner(&**client, &device, &acting).await?;
    if owner != acting {
        return Err(not_yours(&device, &owner, &acting));
    }
    drop(client);
    db::note_report(&hub.pool, &device, &r).await?;
    tracing::info!(
        device = %device,
        handler_ms = started.elapsed().as_secs_f64() * 1000.0,
        "report timing"
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
pub struct ChangesQuery {
    since: String,
    device: String,
}

pub async fn changes(
    State(hub): State<Shared>,
    Query(q): Query<ChangesQuery>,
    kiosk: KioskCaller,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let since: Cursor = q
        .since
        .parse()
        .map_err(|e| ApiError::BadRequest(format!("since: {e}\n")))?;
    check_device(&hub, &kiosk, &headers, &q.device).await?;
    let body = db::changes_json(&hub.pool, since, &q.device, CHANGES_PAGE).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// An attendee's latest certificate, for a kiosk reissuing the QR of
/// someone who never visited it. Each look-up is in the office's audit.
pub async fn certificate_of(
    State(hub): State<Shared>,
    Path(badge): Path<String>,
    kiosk: KioskCaller,
    headers: HeaderMap,
) -> ApiResult<Json<CertificateAnswer>> {
    if badge.is_empty() || badge.chars().count() > 200 {
        return Err(ApiError::BadRequest("not a badge id\n".into()));
    }
    let acting = match &kiosk {
        KioskCaller::Shared => KioskCaller::named(&headers)
            .map(crate::domain::sanitize)
            .unwrap_or_else(|| "a kiosk (shared secret)".into()),
        KioskCaller::Enrolled { kiosk_id } => kiosk_id.clone(),
    };
    let found = db::latest_certificate(&hub.pool, &badge).await?;
    db::audit(
        &hub.pool,
        &acting,
        "reissue look-up",
        &format!(
            "badge {}: {}",
            crate::domain::sanitize(&badge),
            if found.is_some() { "found" } else { "none" }
        ),
    )
    .await?;
    found.map(Json).ok_or(ApiError::NotFound(
        "the hub holds no certificate for that badge\n",
    ))
}
