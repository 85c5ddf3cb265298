//! The hub: the system of record on PostgreSQL. Kiosks upload to it over
//! the sync API (docs/sync.md); it serves the certificate pages the QR codes
//! point to, and the CE office's reports.

pub mod award;
pub mod certificate;
pub mod db;
pub mod reports;
pub mod schema;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use deadpool_postgres::Pool;
use serde::Deserialize;

use crate::config::Config;
use crate::sync::protocol::{
    API, CHANGES_PAGE, Cursor, DeviceState, Hello, MAX_BODY, PAGE, Upload,
};

pub struct Hub {
    pub pool: Pool,
    pub config: Config,
    tokens: Vec<String>,
    admin_token: String,
}

type Shared = Arc<Hub>;

impl Hub {
    pub fn new(pool: Pool, config: Config) -> Hub {
        Hub {
            tokens: config.kiosk_tokens(),
            admin_token: config.hub.admin_token.clone(),
            pool,
            config,
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

fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "a valid token is required\n").into_response()
}

fn server_error(e: anyhow::Error) -> Response {
    tracing::error!(error = %format!("{e:#}"), "hub request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the hub could not do that; it is logged\n",
    )
        .into_response()
}

pub fn router(hub: Shared) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(healthz))
        .route("/c/{id}", get(certificate_page))
        .route(&format!("{API}/hello"), get(hello))
        .route(&format!("{API}/devices/{{device}}"), get(device))
        .route(&format!("{API}/devices/{{device}}/records"), post(upload))
        .route(&format!("{API}/changes"), get(changes))
        .route("/reports/{name}", get(report))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(hub)
}

async fn home(State(hub): State<Shared>) -> Html<String> {
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>cekiosk hub</title><p>cekiosk hub for {}.</p>",
        certificate::esc(&hub.config.event.title)
    ))
}

async fn healthz(State(hub): State<Shared>) -> Response {
    match hub.pool.get().await {
        Ok(c) => match c.query_one("SELECT 1", &[]).await {
            Ok(_) => (StatusCode::OK, "ok\n").into_response(),
            Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}\n")).into_response(),
        },
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}\n")).into_response(),
    }
}

async fn hello(State(hub): State<Shared>, headers: HeaderMap) -> Response {
    if !allowed(bearer(&headers), &hub.tokens) {
        return unauthorized();
    }
    axum::Json(Hello {
        event_id: hub.config.event.id.clone(),
        event_title: hub.config.event.title.clone(),
    })
    .into_response()
}

fn valid_device(id: &str) -> bool {
    crate::domain::ids::is_url_safe_id(id, 1..=64)
}

async fn device(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Path(device): Path<String>,
) -> Response {
    if !allowed(bearer(&headers), &hub.tokens) {
        return unauthorized();
    }
    if !valid_device(&device) {
        return (StatusCode::BAD_REQUEST, "not a device id\n").into_response();
    }
    match db::device_state(&hub.pool, &device).await {
        Ok(d) => axum::Json(DeviceState {
            device_id: device,
            high_seq: d.high_seq,
            rejected: d.rejected,
            held: d.held,
        })
        .into_response(),
        Err(e) => server_error(e),
    }
}

async fn upload(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Path(device): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if !allowed(bearer(&headers), &hub.tokens) {
        return unauthorized();
    }
    if !valid_device(&device) {
        return (StatusCode::BAD_REQUEST, "not a device id\n").into_response();
    }
    let page: Upload = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("not an upload page: {e}\n"),
            )
                .into_response();
        }
    };
    if page.event_id != hub.config.event.id {
        return (
            StatusCode::CONFLICT,
            format!(
                "this hub serves event '{}', not '{}'\n",
                hub.config.event.id, page.event_id
            ),
        )
            .into_response();
    }
    if page.records.len() > PAGE * 4 {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("at most {} records a page\n", PAGE * 4),
        )
            .into_response();
    }
    let mut seqs: Vec<i64> = page.records.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    if seqs.windows(2).any(|w| w[0] == w[1]) {
        return (
            StatusCode::BAD_REQUEST,
            "a sequence number repeats within the page\n",
        )
            .into_response();
    }
    let kiosk = crate::domain::sanitize(&page.kiosk_id);
    if kiosk.is_empty() || kiosk.chars().count() > 64 || page.records.iter().any(|r| r.seq < 1) {
        return (
            StatusCode::BAD_REQUEST,
            "kiosk_id and positive sequence numbers are required\n",
        )
            .into_response();
    }
    match db::ingest(&hub.pool, &device, &kiosk, &page.records).await {
        Ok(result) if !result.conflicts.is_empty() => {
            (StatusCode::CONFLICT, axum::Json(result)).into_response()
        }
        Ok(result) => axum::Json(result).into_response(),
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
struct ChangesQuery {
    since: String,
    device: String,
}

async fn changes(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ChangesQuery>,
) -> Response {
    if !allowed(bearer(&headers), &hub.tokens) {
        return unauthorized();
    }
    if !valid_device(&q.device) {
        return (StatusCode::BAD_REQUEST, "not a device id\n").into_response();
    }
    let since: Cursor = match q.since.parse() {
        Ok(c) => c,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("since: {e}\n")).into_response(),
    };
    match db::changes_json(&hub.pool, since, &q.device, CHANGES_PAGE).await {
        Ok(body) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => server_error(e),
    }
}

async fn certificate_page(State(hub): State<Shared>, Path(id): Path<String>) -> Response {
    let (id, as_pdf) = match id.strip_suffix(".pdf") {
        Some(base) => (base.to_string(), true),
        None => (id, false),
    };
    // Only an unguessable id opens a certificate; anything else is "not yet".
    let plausible = crate::domain::ids::is_url_safe_id(&id, 16..=64);
    let data = if plausible {
        match db::cert_data(&hub.pool, &id).await {
            Ok(d) => d,
            Err(e) => return server_error(e),
        }
    } else {
        None
    };
    let Some(data) = data else {
        return (
            StatusCode::NOT_FOUND,
            Html(certificate::pending_html(&hub.config)),
        )
            .into_response();
    };
    // Never a certificate without the attendee's name: until the roster
    // has them, the page says what is being checked.
    if data.attendee.is_none() {
        let mut r = Html(certificate::checking_html(&hub.config)).into_response();
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return r;
    }
    let view = certificate::build(&hub.config, &data);
    let mut resp = if as_pdf {
        let mut r = certificate::pdf(&view).into_response();
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
    resp
}

/// `?since=YYYY-MM-DD` on a PARS report marks the rows changed since then.
#[derive(Deserialize)]
struct ReportQuery {
    since: Option<String>,
}

async fn report(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Response {
    if hub.admin_token.is_empty()
        || !allowed(bearer(&headers), std::slice::from_ref(&hub.admin_token))
    {
        return unauthorized();
    }
    let since = match q.since.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                return (
                    StatusCode::BAD_REQUEST,
                    format!("since '{s}' is not a date as YYYY-MM-DD\n"),
                )
                    .into_response();
            }
        },
    };
    if name == "held.csv" {
        return match db::held_claims(&hub.pool)
            .await
            .and_then(|h| reports::held(&h))
        {
            Ok(b) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                b,
            )
                .into_response(),
            Err(e) => server_error(e),
        };
    }
    let learners = match db::learners(&hub.pool).await {
        Ok(l) => l,
        Err(e) => return server_error(e),
    };
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
            return (
                StatusCode::NOT_FOUND,
                "reports: credits.csv, cpe-monitor.csv, pars.tsv, pars.csv, held.csv\n",
            )
                .into_response();
        }
    };
    match body {
        Ok(b) => (
            [
                (header::CONTENT_TYPE, kind),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            b,
        )
            .into_response(),
        Err(e) => server_error(e),
    }
}

/// Readies a hub database: its migrations, then what the config folder's
/// roster and catalog add (never undoing what was imported at the hub).
async fn prepare(pool: &Pool, config: &Config) -> Result<()> {
    db::migrate(pool).await?;
    load_config_roster(pool, config).await
}

/// Adds the roster and catalog shipped in the config folder, if any, to
/// what the hub holds: rows the hub has already are left as they are.
pub async fn load_config_roster(pool: &Pool, config: &Config) -> Result<()> {
    let attendees_file = config.dir.join("attendees.csv");
    let sessions_file = config.dir.join("sessions.csv");
    let attendees = if attendees_file.exists() {
        crate::import::read_attendees(&attendees_file)?
    } else {
        Vec::new()
    };
    let sessions = if sessions_file.exists() {
        crate::import::read_sessions(&sessions_file, config)?
    } else {
        Vec::new()
    };
    let l = db::load_roster(pool, config, &attendees, &sessions, db::Load::OnlyNew).await?;
    tracing::info!(
        attendees_added = l.attendees_changed,
        sessions_added = l.sessions_changed,
        "config roster loaded"
    );
    Ok(())
}

/// What `cekiosk hub import attendees|sessions` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roster {
    Attendees,
    Sessions,
}

/// What a roster or catalog import did, for the person who ran it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub what: Roster,
    pub rows: usize,
    pub changed: usize,
    /// Claims held before the import that count now.
    pub released: i64,
    /// Claims that counted before and are held now (a session moved, its
    /// designation lowered).
    pub newly_held: i64,
}

impl Imported {
    pub fn summary(&self, file: &std::path::Path) -> String {
        let noun = match self.what {
            Roster::Attendees => "attendees",
            Roster::Sessions => "sessions",
        };
        let mut out = format!(
            "{}: {} {noun} read, {} new or changed at the hub; kiosks receive them at their next sync",
            file.display(),
            self.rows,
            self.changed
        );
        if self.released > 0 {
            out.push_str(&format!("\n{} held claims now count", self.released));
        }
        if self.newly_held > 0 {
            out.push_str(&format!(
                "\n{} claims no longer fit and are held for the CE office: see `cekiosk hub held`",
                self.newly_held
            ));
        }
        out
    }
}

/// `cekiosk hub import attendees|sessions FILE`: the hub's roster or
/// catalog, validated as the kiosk's import is (all or nothing, errors as
/// `FILE:LINE: what is wrong`), kept in PostgreSQL.
pub fn import_roster(
    config: &Config,
    database: &str,
    what: Roster,
    file: &std::path::Path,
) -> Result<Imported> {
    let (attendees, sessions) = match what {
        Roster::Attendees => (crate::import::read_attendees(file)?, Vec::new()),
        Roster::Sessions => (Vec::new(), crate::import::read_sessions(file, config)?),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pool = db::pool(database, 2)?;
        prepare(&pool, config).await?;
        let before = db::held_ids(&pool).await?;
        let l = db::load_roster(&pool, config, &attendees, &sessions, db::Load::Update).await?;
        let after = db::held_ids(&pool).await?;
        Ok(Imported {
            what,
            rows: attendees.len() + sessions.len(),
            changed: l.attendees_changed + l.sessions_changed,
            released: before.difference(&after).count() as i64,
            newly_held: after.difference(&before).count() as i64,
        })
    })
}

/// `cekiosk hub held`: every claim the hub holds, with its reason.
pub fn held(config: &Config, database: &str) -> Result<Vec<db::HeldClaim>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pool = db::pool(database, 2)?;
        prepare(&pool, config).await?;
        db::held_claims(&pool).await
    })
}

/// `cekiosk hub --listen ADDR --database URL`.
pub fn serve(config: Config, database: &str, listen: &str) -> Result<()> {
    let addr: SocketAddr = listen
        .parse()
        .with_context(|| format!("--listen '{listen}' is not an address such as 127.0.0.1:8787"))?;
    if config.kiosk_tokens().is_empty() {
        tracing::warn!("no kiosk tokens configured: every upload will be refused");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        // PostgreSQL's share of the hub's work is CPU-bound: a few
        // connections per core keep the cores busy, and twenty kiosks'
        // uploads queue for them instead of thrashing (on 2 cores, 4
        // connections took the bench's upload from 0.68 s to 0.57 s).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = db::pool(database, (2 * cores).max(4))?;
        prepare(&pool, &config).await?;
        let hub = Arc::new(Hub::new(pool, config));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // Scripts and tests read this line to learn the port.
        println!("cekiosk hub listening on http://{local}");
        tracing::info!(%local, "hub listening");
        axum::serve(listener, router(hub))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

/// `cekiosk hub import FILE`: a bundle carried by hand, exactly once.
pub fn import_bundle(
    config: &Config,
    database: &str,
    file: &std::path::Path,
) -> Result<crate::sync::protocol::UploadResult> {
    let bundle = crate::sync::read_bundle(file)?;
    if bundle.event_id != config.event.id {
        anyhow::bail!(
            "{}: the bundle is for event '{}', this hub serves '{}'",
            file.display(),
            bundle.event_id,
            config.event.id
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let pool = db::pool(database, 2)?;
        prepare(&pool, config).await?;
        let mut total = crate::sync::protocol::UploadResult {
            high_seq: 0,
            inserted: 0,
            repeated: 0,
            rejected: vec![],
            conflicts: vec![],
        };
        for page in bundle.records.chunks(PAGE) {
            let r = db::ingest(&pool, &bundle.device_id, &bundle.kiosk_id, page).await?;
            if !r.conflicts.is_empty() {
                anyhow::bail!(
                    "{}: the hub already holds other records at {} of this bundle's sequence numbers \
                     for device {} (a kiosk restored from a backup, or cloned); they are kept for the \
                     CE office (`cekiosk hub held`). Run `cekiosk sync` on that kiosk instead: it \
                     sends them again under a new device id",
                    file.display(),
                    r.conflicts.len(),
                    bundle.device_id
                );
            }
            total.high_seq = r.high_seq;
            total.inserted += r.inserted;
            total.repeated += r.repeated;
            total.rejected.extend(r.rejected);
        }
        Ok(total)
    })
}
