//! The CE office's pages under `/admin`: signing in and out, the overview,
//! kiosks, attendees (and a void made there), held records, deadlines,
//! reports and the audit. Every page needs a signed-in session; every form
//! is checked against cross-site posting; every page is sent so no cache
//! keeps it, no other site frames it, and no script runs in it.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::{COOKIE, Signed, same_site};
use super::error::{ApiError, ApiResult};
use crate::hub::award::{Standing, award};
use crate::hub::db::{self, SignIn, VoidError};
use crate::hub::pages::{self, Reader};
use crate::hub::reports::{self, System};

/// A page's answer: no shared cache, no framing, no script, no referrer
/// sent to other sites.
fn page(status: StatusCode, html: String) -> Response {
    let mut r = (status, Html(html)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    // Not no-referrer: under it a browser posts forms with `Origin: null`,
    // which the cross-site check must refuse.
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// A signed-in page in the layout, `path` marked in the navigation.
fn signed_page(hub: &Shared, s: &Signed, title: &str, path: &str, body: &str) -> Response {
    let reader = Reader {
        user: &s.user,
        csrf: &s.csrf,
    };
    page(
        StatusCode::OK,
        pages::layout(&hub.config.event.title, title, path, &reader, body),
    )
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

#[derive(Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    ended: Option<String>,
}

pub async fn sign_in_page(State(hub): State<Shared>, Query(q): Query<SignInQuery>) -> Response {
    let message = q
        .ended
        .map(|_| "Your session has ended. Sign in again to go on.");
    page(
        StatusCode::OK,
        pages::sign_in(&hub.config.event.title, message),
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    user: String,
    password: String,
}

pub async fn sign_in(
    State(hub): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> ApiResult {
    same_site(&headers)?;
    let title = &hub.config.event.title;
    let user = f.user.trim();
    if user.is_empty() || user.chars().count() > 100 || f.password.len() > 1000 {
        return Ok(page(
            StatusCode::UNAUTHORIZED,
            pages::sign_in(title, Some("Wrong user name or password.")),
        ));
    }
    let minutes = hub.config.hub.session_minutes;
    Ok(
        match db::sign_in(&hub.pool, user, &f.password, minutes).await? {
            SignIn::Opened { cookie, .. } => {
                let secure = if hub.config.hub.behind_tls {
                    "; Secure"
                } else {
                    ""
                };
                let mut r = see_other("/admin");
                r.headers_mut().insert(
                    header::SET_COOKIE,
                    HeaderValue::from_str(&format!(
                        "{COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict{secure}"
                    ))
                    .map_err(|e| ApiError::Internal(e.into()))?,
                );
                r
            }
            SignIn::Wrong => page(
                StatusCode::UNAUTHORIZED,
                pages::sign_in(title, Some("Wrong user name or password.")),
            ),
            SignIn::Locked { until } => {
                let local = until.to_zoned_datetime(hub.config.tz.clone());
                let m = format!(
                    "This account is locked after {} wrong passwords in a row, until {} (event time). Try again then, or ask for a new password (cekiosk hub add-user at the hub).",
                    crate::domain::pin::MAX_FAILURES,
                    local.strftime("%H:%M")
                );
                page(StatusCode::FORBIDDEN, pages::sign_in(title, Some(&m)))
            }
        },
    )
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    db::sign_out(&hub.pool, &s.cookie, &s.user).await?;
    let mut r = see_other("/admin/sign-in");
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        ))
        .map_err(|e| ApiError::Internal(e.into()))?,
    );
    Ok(r)
}

pub async fn overview(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let f = hub.figures.get(&hub.pool, &hub.config).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Overview",
        "/admin",
        &pages::fleet::overview(&f),
    ))
}

pub async fn kiosks(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let devices = db::devices(&hub.pool, &hub.config.event.timezone).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Kiosks",
        "/admin/kiosks",
        &pages::fleet::kiosks(&devices, hub.config.sync.interval_seconds),
    ))
}

#[derive(Deserialize)]
pub struct AttendeeQuery {
    #[serde(default)]
    q: String,
    /// Set after a void, to say what was done.
    #[serde(default)]
    voided: Option<String>,
}

pub async fn attendees(
    State(hub): State<Shared>,
    s: Signed,
    Query(q): Query<AttendeeQuery>,
) -> ApiResult {
    let query: String = q.q.trim().chars().take(200).collect();
    let mut body = pages::attendees::search_form(&query);
    if !query.is_empty() {
        let found = db::find_attendees(&hub.pool, &query).await?;
        match found.as_slice() {
            [one] => {
                let r = db::attendee_records(&hub.pool, &one.badge_id).await?;
                let scans = db::attendee_scans(&hub.pool, &one.badge_id).await?;
                let a = award(
                    &hub.config,
                    Standing {
                        profession: Some(one.profession),
                        chosen: r.codes,
                        moc_consent: r.moc_consent,
                        pharm_role: r.pharm_role.as_deref(),
                    },
                    &r.counted,
                );
                let totals = a
                    .totals
                    .iter()
                    .map(|(code, q)| {
                        let name = hub
                            .config
                            .credit(*code)
                            .map_or(code.as_str().to_string(), |c| c.name.clone());
                        (name, *q)
                    })
                    .collect();
                let notice = q
                    .voided
                    .as_deref()
                    .map(|claim| format!("Claim {claim} is void. Kiosks receive the void at their next sync; the reports count without it."));
                body.push_str(&pages::attendees::attendee(&pages::attendees::Attendee {
                    person: one,
                    totals,
                    records: &r,
                    scans: &scans,
                    url_base: &hub.config.certificate.url_base,
                    tz: &hub.config.tz,
                    csrf: &s.csrf,
                    notice: notice.as_deref(),
                }));
                let sent =
                    db::sent_for(&hub.pool, &one.badge_id, &hub.config.event.timezone).await?;
                body.push_str(&pages::attendees::sent(&sent));
            }
            many => body.push_str(&pages::attendees::found(&query, many)),
        }
    }
    Ok(signed_page(
        &hub,
        &s,
        "Attendees",
        "/admin/attendees",
        &body,
    ))
}

#[derive(Deserialize)]
pub struct VoidForm {
    #[serde(default)]
    csrf: String,
    badge: String,
    claim: String,
    #[serde(default)]
    reason: String,
}

pub async fn void(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    Form(f): Form<VoidForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    let reason: String = f.reason.chars().take(500).collect();
    match db::void_claim(&hub.pool, &s.user, &f.badge, &f.claim, &reason).await {
        Ok(_) => {
            hub.figures.stale_everywhere(&hub.pool).await;
            Ok(see_other(&format!(
                "/admin/attendees?q={}&voided={}",
                pages::url_value(&f.badge),
                pages::url_value(&f.claim)
            )))
        }
        Err(VoidError::Store(e)) => Err(ApiError::Internal(e)),
        Err(e) => {
            let back = format!(
                "<section><p class=error role=alert>The claim was not voided: {}.</p>\
<p><a href=\"/admin/attendees?q={}\">Back to the attendee</a></p></section>",
                pages::esc(&e.to_string()),
                pages::url_value(&f.badge)
            );
            let mut r = signed_page(&hub, &s, "Attendees", "/admin/attendees", &back);
            *r.status_mut() = StatusCode::BAD_REQUEST;
            Ok(r)
        }
    }
}

pub async fn held(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let f = hub.figures.get(&hub.pool, &hub.config).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Held records",
        "/admin/held",
        &pages::lists::held(&f.held, &f.at, &hub.config.tz),
    ))
}

pub async fn deadlines(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let f = hub.figures.get(&hub.pool, &hub.config).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Deadlines",
        "/admin/deadlines",
        &pages::lists::deadlines(&f, &hub.config.tz),
    ))
}

#[derive(Deserialize)]
pub struct ReportsQuery {
    /// Set after a file was marked as uploaded, to say what was kept.
    #[serde(default)]
    marked: Option<String>,
}

pub async fn reports(
    State(hub): State<Shared>,
    s: Signed,
    Query(q): Query<ReportsQuery>,
) -> ApiResult {
    // What the next files hold is worked out now, not taken from the
    // figures: right after a mark the page must say what is left.
    let learners = db::learners(&hub.pool).await?;
    let sent = db::standing_all(&hub.pool).await?;
    let empty = reports::Standing::new();
    let pending: Vec<(System, usize, usize)> = [
        (System::Pars, reports::pars_records(&hub.config, &learners)),
        (
            System::CpeMonitor,
            reports::cpe_records(&hub.config, &learners),
        ),
    ]
    .into_iter()
    .map(|(system, records)| {
        let next = reports::changes(&records, sent.get(&system).unwrap_or(&empty), false);
        let adds = next
            .iter()
            .filter(|c| c.action == reports::Action::Add)
            .count();
        (system, adds, next.len() - adds)
    })
    .collect();
    let submissions = db::submissions(&hub.pool, &hub.config.event.timezone, 50).await?;
    let marked: Option<String> = q.marked.map(|m| m.chars().take(300).collect());
    Ok(signed_page(
        &hub,
        &s,
        "Reports",
        "/admin/reports",
        &pages::lists::reports(&pending, &submissions, &s.csrf, marked.as_deref()),
    ))
}

pub async fn audit(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let lines = db::audit_lines(&hub.pool, &hub.config.event.timezone, 200).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Audit",
        "/admin/audit",
        &pages::lists::audit(&lines),
    ))
}

pub async fn scans(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let counts = db::scan_counts(&hub.pool).await?;
    Ok(signed_page(
        &hub,
        &s,
        "Door scans",
        "/admin/scans",
        &pages::lists::scans(counts, &s.csrf, None),
    ))
}

/// A scans file sent from the Door scans page (multipart/form-data, with
/// the form's token beside the file): the same checks and load as
/// `cekiosk hub import scans`, all or nothing.
pub async fn upload_scans(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult {
    let parts = multipart(&headers, &body).ok_or_else(|| {
        ApiError::BadRequest("send the scans file from the Door scans page's form\n".into())
    })?;
    let field = |name: &str| parts.iter().find(|p| p.0 == name);
    let token = field("csrf").map(|p| String::from_utf8_lossy(&p.2).into_owned());
    s.check_form(&headers, token.as_deref().unwrap_or(""))?;
    let Some((_, file_name, bytes)) = field("file") else {
        return Err(ApiError::BadRequest("no file was sent\n".into()));
    };
    let name = crate::domain::sanitize(if file_name.is_empty() {
        "scans.csv"
    } else {
        file_name
    });
    let outcome =
        match crate::hub::load_scans_bytes(&hub.pool, &hub.config, &name, bytes.to_vec()).await {
            Ok(r) => {
                db::audit(&hub.pool, &s.user, "import scans", &r.summary(&name)).await?;
                Ok(r.summary(&name))
            }
            Err(e) => Err(format!("{e:#}")),
        };
    let counts = db::scan_counts(&hub.pool).await?;
    let mut r = signed_page(
        &hub,
        &s,
        "Door scans",
        "/admin/scans",
        &pages::lists::scans(
            counts,
            &s.csrf,
            Some(outcome.as_ref().map(String::as_str).map_err(String::as_str)),
        ),
    );
    if outcome.is_err() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

/// The parts of a multipart/form-data body: (field name, file name, bytes).
fn multipart(headers: &HeaderMap, body: &[u8]) -> Option<Vec<(String, String, Vec<u8>)>> {
    let kind = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = kind
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut out = Vec::new();
    let mut rest = body;
    // Each part follows a delimiter line; the last delimiter ends in "--".
    while let Some(at) = find(rest, d) {
        rest = &rest[at + d.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        // The part's name and file name are in its Content-Disposition line.
        let head = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .unwrap_or_default()
            .to_string();
        let after = &rest[head_end + 4..];
        let end = find(after, d)?;
        let content = after[..end].strip_suffix(b"\r\n").unwrap_or(&after[..end]);
        let value = |key: &str| {
            head.split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        out.push((
            value("name")?,
            value("filename").unwrap_or_default(),
            content.to_vec(),
        ));
        rest = &after[end..];
    }
    Some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
