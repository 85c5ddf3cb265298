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
use super::auth::{Signed, same_site, set_session_cookie};
use super::client::Caller;
use super::error::{ApiError, ApiResult};
use crate::domain::sign_in::Refusal;
use crate::hub::award::{Choices, award};
use crate::hub::db::System;
use crate::hub::db::{self, SignIn, VoidError};
use crate::hub::office::pages::{self, Reader};
use crate::hub::reports;

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
    client: Caller,
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
    let address = client.throttle_key();
    let signed = db::sign_in(
        &hub.pool,
        &hub.sign_in,
        user,
        &f.password,
        &address,
        minutes,
    )
    .await?;
    let at = |until: jiff::Timestamp| {
        until
            .to_zoned_datetime(hub.config.tz.clone())
            .strftime("%H:%M")
            .to_string()
    };
    Ok(match signed {
        SignIn::Opened { cookie, .. } => {
            let mut r = see_other("/admin");
            r.headers_mut().insert(
                header::SET_COOKIE,
                set_session_cookie(Some(&cookie), client.tls)?,
            );
            r
        }
        SignIn::Wrong => page(
            StatusCode::UNAUTHORIZED,
            pages::sign_in(title, Some("Wrong user name or password.")),
        ),
        SignIn::Refused(Refusal::Account { until }) => {
            let m = format!(
                "This account is locked after {} wrong passwords in a row from this address, until {} (event time). Try again then, or ask for a new password (cekiosk hub add-user at the hub).",
                crate::domain::pin::MAX_FAILURES,
                at(until)
            );
            page(StatusCode::FORBIDDEN, pages::sign_in(title, Some(&m)))
        }
        SignIn::Refused(r @ (Refusal::Address { until } | Refusal::Flood { until })) => {
            let m = if matches!(r, Refusal::Address { .. }) {
                format!(
                    "Too many wrong passwords from this address: signing in from it is refused until {} (event time).",
                    at(until)
                )
            } else {
                format!(
                    "The hub has had wrong passwords from many addresses, and from this one: signing in from it is refused until {} (event time). Other addresses can sign in.",
                    at(until)
                )
            };
            let wait = (until - jiff::Timestamp::now()).as_secs().max(1);
            let mut r = page(
                StatusCode::TOO_MANY_REQUESTS,
                pages::sign_in(title, Some(&m)),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait));
            r
        }
    })
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(hub): State<Shared>,
    s: Signed,
    client: Caller,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    db::sign_out(&hub.pool, &s.cookie, &s.user).await?;
    let mut r = see_other("/admin/sign-in");
    r.headers_mut()
        .insert(header::SET_COOKIE, set_session_cookie(None, client.tls)?);
    Ok(r)
}

pub async fn overview(State(hub): State<Shared>, s: Signed) -> ApiResult {
    let f = hub.figures.get(&hub.pool, &hub.config).await?;
    let mut body = pages::fleet::overview(&f);
    body.push_str(&mail_overview(&hub).await?);
    Ok(signed_page(&hub, &s, "Overview", "/admin", &body))
}

/// The overview's e-mail figures, read as they are now (a few counts).
async fn mail_overview(hub: &Shared) -> Result<String, ApiError> {
    let counts = db::mail::counts(&hub.pool).await?;
    let refused = db::mail::refused(&hub.pool, &hub.config.event.timezone, 20).await?;
    let enabled = !hub.config.mail.smtp_url.trim().is_empty();
    Ok(pages::mail::overview(enabled, &counts, &refused))
}

pub async fn kiosks(State(hub): State<Shared>, s: Signed) -> ApiResult {
    kiosks_page(&hub, &s, None, None).await
}

/// The Kiosks page: enrolment (with a code just made, shown this once,
/// and what an add or revoke did), then every kiosk database.
async fn kiosks_page(
    hub: &Shared,
    s: &Signed,
    new_code: Option<&db::Code>,
    outcome: Option<Result<String, String>>,
) -> ApiResult {
    let tz = &hub.config.event.timezone;
    let devices = db::devices(&hub.pool, tz).await?;
    let enrolments = db::enrolments(&hub.pool, tz).await?;
    let until = new_code.map(|c| {
        c.expires_at
            .to_zoned_datetime(hub.config.tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    });
    let fleet = pages::fleet::Fleet {
        enrolments: &enrolments,
        shared_secret: !hub.shared_tokens().is_empty(),
        csrf: &s.csrf,
        new_code: new_code
            .zip(until.as_deref())
            .map(|(c, until)| (c.kiosk_id.as_str(), c.code.as_str(), until)),
        outcome,
    };
    let body = format!(
        "{}{}",
        pages::fleet::enrolment(&fleet),
        pages::fleet::kiosks(&devices, hub.config.sync.interval_seconds)
    );
    let mut r = signed_page(hub, s, "Kiosks", "/admin/kiosks", &body);
    if new_code.is_some() {
        // A code shown once: never kept by a cache or the back button.
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(r)
}

#[derive(Deserialize)]
pub struct KioskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kiosk: String,
}

/// Adds a kiosk (or makes a new code for one): the code is shown on the
/// page this once, as text and as a QR code.
pub async fn add_kiosk(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    Form(f): Form<KioskForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    let kiosk = f.kiosk.trim();
    if let Err(e) = db::check_kiosk_id(kiosk) {
        return kiosks_page(&hub, &s, None, Some(Err(format!("No code was made: {e}.")))).await;
    }
    let code = db::add_kiosk(&hub.pool, kiosk, &s.user, db::CODE_MINUTES).await?;
    kiosks_page(&hub, &s, Some(&code), None).await
}

/// Revokes a kiosk: from now on the hub refuses its credentials.
pub async fn revoke_kiosk(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    Form(f): Form<KioskForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    let kiosk = f.kiosk.trim();
    let outcome = if db::revoke_kiosk(&hub.pool, kiosk, &s.user).await? {
        Ok(format!(
            "Kiosk {kiosk} is revoked: the hub refuses its credentials from now on; what it \
             uploaded stays counted. To bring it back, make a new code for it."
        ))
    } else {
        Err(format!("No enrolled kiosk {kiosk} to revoke."))
    };
    kiosks_page(&hub, &s, None, Some(outcome)).await
}

#[derive(Deserialize)]
pub struct AttendeeQuery {
    #[serde(default)]
    q: String,
    /// Set after a void, to say what was done.
    #[serde(default)]
    voided: Option<String>,
    /// Set after "Send the certificate again".
    #[serde(default)]
    resent: Option<String>,
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
                let r = db::attendee_records(&hub.pool, &one.badge_id, &hub.config.event.timezone)
                    .await?;
                let scans = db::attendee_scans(&hub.pool, &one.badge_id).await?;
                let a = award(
                    &hub.config,
                    Choices {
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
                    .map(|claim| format!("Claim {claim} is void. Kiosks receive the void at their next sync; the reports count without it."))
                    .or_else(|| q.resent.is_some().then(|| "The certificate is queued to be e-mailed again now.".to_string()));
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
                let mail =
                    db::mail::history(&hub.pool, &one.badge_id, &hub.config.event.timezone).await?;
                body.push_str(&pages::mail::attendee_section(
                    &mail,
                    &one.badge_id,
                    &one.email,
                    &s.csrf,
                    &hub.config.tz,
                ));
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

#[derive(Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    csrf: String,
    badge: String,
}

/// "Send the certificate again" on an attendee's page: as `cekiosk hub
/// mail --resend`, audited.
pub async fn resend(
    State(hub): State<Shared>,
    s: Signed,
    headers: HeaderMap,
    Form(f): Form<ResendForm>,
) -> ApiResult {
    s.check_form(&headers, &f.csrf)?;
    match db::mail::resend(&hub.pool, f.badge.trim()).await? {
        db::mail::Resend::Queued(address) => {
            db::audit(
                &hub.pool,
                &s.user,
                "resend certificate",
                &format!("{} to {address}", f.badge),
            )
            .await?;
            Ok(see_other(&format!(
                "/admin/attendees?q={}&resent=1",
                pages::url_value(&f.badge)
            )))
        }
        other => {
            let why = match other {
                db::mail::Resend::NoAttendee => "there is no such attendee on the roster",
                db::mail::Resend::NoCertificate => "the attendee has no certificate at the hub yet",
                _ => "the attendee has no e-mail address on the roster",
            };
            let back = format!(
                "<section><p class=error role=alert>Nothing was sent: {why}.</p><p><a href=\"/admin/attendees?q={}\">Back to the attendee</a></p></section>",
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
    let empty = db::SentRows::new();
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
            .filter(|c| c.action == db::RowAction::Add)
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
