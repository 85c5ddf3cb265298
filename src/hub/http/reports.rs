//! The CE office's report downloads, `/reports/{name}`, behind the admin
//! token. What each report holds is in `hub::reports`; this file only
//! picks one by name and sends it as a file no shared cache keeps.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

use super::Shared;
use super::auth::Admin;
use super::error::{ApiError, ApiResult};
use crate::hub::{db, reports};

/// `?since=YYYY-MM-DD` on a PARS report marks the rows changed since then.
#[derive(Deserialize)]
pub struct ReportQuery {
    since: Option<String>,
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
    let since = match q.since.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<jiff::civil::Date>().map_err(|_| {
            ApiError::BadRequest(format!("since '{s}' is not a date as YYYY-MM-DD\n"))
        })?),
    };
    let file = |kind: &'static str, body: Vec<u8>| {
        (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            body,
        )
            .into_response()
    };
    if name == "held.csv" {
        let held = db::held_claims(&hub.pool).await?;
        return Ok(file("text/csv; charset=utf-8", reports::held(&held)?));
    }
    let learners = db::learners(&hub.pool).await?;
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(hub.config.tz.clone())
        .date();
    let (body, kind) = match name.as_str() {
        "credits.csv" => (
            reports::credits(&hub.config, &learners),
            "text/csv; charset=utf-8",
        ),
        "cpe-monitor.csv" => (
            reports::cpe_monitor(&hub.config, &learners, today),
            "text/csv; charset=utf-8",
        ),
        "pars.tsv" => (
            reports::pars(&hub.config, &learners, true, today, since),
            "text/tab-separated-values; charset=utf-8",
        ),
        "pars.csv" => (
            reports::pars(&hub.config, &learners, false, today, since),
            "text/csv; charset=utf-8",
        ),
        _ => {
            return Err(ApiError::NotFound(
                "reports: credits.csv, cpe-monitor.csv, pars.tsv, pars.csv, held.csv\n",
            ));
        }
    };
    Ok(file(kind, body?))
}
