//! The CE office's report downloads, `/reports/{name}`, and the marks
//! that a file was uploaded, `POST /reports/{system}/submitted`, behind
//! the admin token or a signed-in session. What each report holds is in
//! `hub::reports`; this file picks one by name and sends it as a file no
//! shared cache keeps.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::{Admin, Signed};
use super::error::{ApiError, ApiResult};
use crate::hub::db;
use crate::hub::db::System;
use crate::hub::office::pages;
use crate::hub::reports::{self, Format};

/// `?all=1`: every current row as an Add, not only what changed since
/// the last file marked as uploaded.
#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    all: Option<String>,
}

impl ReportQuery {
    fn all(&self) -> bool {
        matches!(self.all.as_deref(), Some("1" | "true" | "yes"))
    }
}

const NAMES: &str = "reports: pars.xlsx, pars.tsv, pars.csv, cpe-monitor.csv, pars-prevalidation.xlsx, deadlines.csv, credits.csv, held.csv\n";

fn file(kind: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response()
}

fn today(hub: &Shared) -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(hub.config.tz.clone())
        .date()
}

pub async fn report(
    State(hub): State<Shared>,
    Path(name): Path<String>,
    Query(q): Query<ReportQuery>,
    Admin(account): Admin,
) -> ApiResult {
    // A download by a signed-in account is audited (a script's, with the
    // admin token, is the script's owner's business).
    if let Some(account) = &account {
        db::audit(&hub.pool, account, "download", &name).await?;
    }
    const CSV: &str = "text/csv; charset=utf-8";
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if name == "held.csv" {
        let held = db::held_claims(&hub.pool).await?;
        return Ok(file(CSV, reports::held(&held)?));
    }
    let upload = match name.as_str() {
        "pars.xlsx" => Some((System::Pars, Format::Xlsx, XLSX)),
        "pars.tsv" => Some((
            System::Pars,
            Format::Tsv,
            "text/tab-separated-values; charset=utf-8",
        )),
        "pars.csv" => Some((System::Pars, Format::Csv, CSV)),
        "cpe-monitor.csv" => Some((System::CpeMonitor, Format::Csv, CSV)),
        "credits.csv" | "deadlines.csv" | "pars-prevalidation.xlsx" => None,
        _ => return Err(ApiError::NotFound(NAMES)),
    };
    let learners = db::learners(&hub.pool).await?;
    let config = &hub.config;
    if let Some((system, format, kind)) = upload {
        let current = records(&hub, system, &learners);
        let sent = db::standing(&hub.pool, system).await?;
        let rows = reports::changes(&current, &sent, q.all());
        let body = match system {
            System::Pars => reports::pars_file(&rows, format)?,
            System::CpeMonitor => reports::cpe_file(&rows)?,
        };
        return Ok(file(kind, body));
    }
    Ok(match name.as_str() {
        "credits.csv" => file(CSV, reports::credits(config, &learners)?),
        "pars-prevalidation.xlsx" => file(XLSX, reports::prevalidation(config, &learners)?),
        _ => {
            let sent = db::standing_all(&hub.pool).await?;
            let mut rows = records(&hub, System::Pars, &learners);
            rows.extend(records(&hub, System::CpeMonitor, &learners));
            file(
                CSV,
                reports::deadlines_csv(&reports::deadlines(rows, &sent, today(&hub)))?,
            )
        }
    })
}

fn records(
    hub: &Shared,
    system: System,
    learners: &std::collections::HashMap<String, db::Learner>,
) -> Vec<reports::CurrentRow> {
    match system {
        System::Pars => reports::pars_records(&hub.config, learners),
        System::CpeMonitor => reports::cpe_records(&hub.config, learners),
    }
}

/// The button's form token, `csrf=…` in a urlencoded body (a session's
/// token is URL-safe, so it needs no decoding).
fn form_token(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|kv| kv.strip_prefix("csrf="))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// `POST /reports/{system}/submitted`: the CE office uploaded the file the
/// hub gives now for that system (`?all=1`: the whole file); the hub keeps
/// its rows as sent, so the next file holds only what changed since.
/// With the admin token (a script) or from the Reports page's button (a
/// session, with its form token); audited either way.
pub async fn submitted(
    State(hub): State<Shared>,
    Path(system): Path<String>,
    Query(q): Query<ReportQuery>,
    headers: HeaderMap,
    Admin(account): Admin,
    signed: Result<Signed, Response>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let Some(system) = System::parse(&system) else {
        return Err(ApiError::NotFound(
            "mark as uploaded: /reports/pars/submitted or /reports/cpe-monitor/submitted\n",
        ));
    };
    // A browser's session must show the page's form token: a cookie alone
    // is what another site's form would carry.
    let from_page = account.is_some();
    if from_page {
        match &signed {
            Ok(s) => s.check_form(&headers, &form_token(&body))?,
            Err(_) => return Err(ApiError::Unauthorized),
        }
    }
    let who = account.clone().unwrap_or_else(|| "admin token".into());
    let learners = db::learners(&hub.pool).await?;
    let current = records(&hub, system, &learners);
    let all = q.all();
    let marked = db::mark(&hub.pool, system, &who, all, |sent| {
        reports::changes(&current, sent, all)
    })
    .await?;
    let summary = marked.summary(system);
    db::audit(&hub.pool, &who, "mark uploaded", &summary).await?;
    hub.figures.stale_everywhere(&hub.pool).await;
    if from_page {
        return Ok((
            axum::http::StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                format!("/admin/reports?marked={}", pages::url_value(&summary)),
            )],
        )
            .into_response());
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{summary}\n"),
    )
        .into_response())
}
