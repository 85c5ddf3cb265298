//! The sync API kiosks call (docs/sync.md): hello, a device's state at the
//! hub, the upload of a page of records, and the change feed. Every path
//! needs a kiosk token.
//!
//! A path's or query's own errors are answered before the token is looked
//! at, and an upload's body is read (and refused over the limit, 413)
//! before it too: the extractors come in that order.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::Kiosk;
use super::error::{ApiError, ApiResult};
use crate::hub::db;
use crate::sync::protocol::{CHANGES_PAGE, Cursor, DeviceReport, DeviceState, Hello, PAGE, Upload};

fn valid_device(id: &str) -> ApiResult<()> {
    if crate::domain::ids::is_url_safe_id(id, 1..=64) {
        Ok(())
    } else {
        Err(ApiError::BadRequest("not a device id\n".into()))
    }
}

pub async fn hello(State(hub): State<Shared>, _: Kiosk) -> Json<Hello> {
    Json(Hello {
        event_id: hub.config.event.id.clone(),
        event_title: hub.config.event.title.clone(),
    })
}

pub async fn device(
    State(hub): State<Shared>,
    Path(device): Path<String>,
    _: Kiosk,
) -> ApiResult<Json<DeviceState>> {
    valid_device(&device)?;
    let d = db::device_state(&hub.pool, &device).await?;
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
    kiosk: Result<Kiosk, ApiError>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let body = body?;
    kiosk?;
    valid_device(&device)?;
    let page: Upload = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("not an upload page: {e}\n")))?;
    if page.event_id != hub.config.event.id {
        return Err(ApiError::Conflict(format!(
            "this hub serves event '{}', not '{}'\n",
            hub.config.event.id, page.event_id
        )));
    }
    if page.records.len() > PAGE * 4 {
        return Err(ApiError::TooLarge(format!(
            "at most {} records a page\n",
            PAGE * 4
        )));
    }
    let mut seqs: Vec<i64> = page.records.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    if seqs.windows(2).any(|w| w[0] == w[1]) {
        return Err(ApiError::BadRequest(
            "a sequence number repeats within the page\n".into(),
        ));
    }
    let kiosk = crate::domain::sanitize(&page.kiosk_id);
    if kiosk.is_empty() || kiosk.chars().count() > 64 || page.records.iter().any(|r| r.seq < 1) {
        return Err(ApiError::BadRequest(
            "kiosk_id and positive sequence numbers are required\n".into(),
        ));
    }
    let result = db::ingest(&hub.pool, &device, &kiosk, &page.records).await?;
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
    _: Kiosk,
    Json(r): Json<DeviceReport>,
) -> ApiResult {
    valid_device(&device)?;
    let clean = |s: &str, n: usize| {
        crate::domain::sanitize(s)
            .chars()
            .take(n)
            .collect::<String>()
    };
    let r = DeviceReport {
        kiosk_id: clean(&r.kiosk_id, 64),
        version: clean(&r.version, 40),
        clock: clean(&r.clock, 40),
        last_result: clean(&r.last_result, 300),
        ..r
    };
    if r.kiosk_id.is_empty() {
        return Err(ApiError::BadRequest("kiosk_id is required\n".into()));
    }
    db::note_report(&hub.pool, &device, &r).await?;
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
    _: Kiosk,
) -> ApiResult<Response> {
    valid_device(&q.device)?;
    let since: Cursor = q
        .since
        .parse()
        .map_err(|e| ApiError::BadRequest(format!("since: {e}\n")))?;
    let body = db::changes_json(&hub.pool, since, &q.device, CHANGES_PAGE).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}
