//! The hub's HTTP API: every path it answers, in one table. Each resource
//! has its file of handlers (`sync` for kiosks, `certificates` for the QR
//! codes' pages, `reports` for the CE office's files, `office` for its
//! pages under `/admin`, `home`); who may call them is in `auth`, and how
//! they fail in `error`.

mod auth;
mod certificates;
mod client;
mod error;
mod home;
mod office;
mod reports;
mod sync;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::Hub;
use crate::sync::protocol::{API, MAX_BODY};

pub use auth::same_secret;

/// The state every handler gets.
type Shared = Arc<Hub>;

pub fn router(hub: Shared) -> Router {
    Router::new()
        .route("/", get(home::home))
        .route("/healthz", get(home::healthz))
        .route("/c/{id}", get(certificates::certificate_page))
        .route(crate::hub::credential::JWKS_PATH, get(certificates::jwks))
        .route("/issuer", get(certificates::issuer))
        .route("/keys/{thumbprint}", get(certificates::key))
        .route("/status/{list}", get(certificates::status_list))
        .route(&format!("{API}/hello"), get(sync::hello))
        .route(&format!("{API}/enrol"), post(sync::enrol))
        .route(
            &format!("{API}/attendees/{{badge}}/certificate"),
            get(sync::certificate_of),
        )
        .route(&format!("{API}/devices/{{device}}"), get(sync::device))
        .route(
            &format!("{API}/devices/{{device}}/records"),
            post(sync::upload),
        )
        .route(
            &format!("{API}/devices/{{device}}/report"),
            post(sync::report),
        )
        .route(&format!("{API}/changes"), get(sync::changes))
        .route("/reports/{name}", get(reports::report))
        .route("/reports/{system}/submitted", post(reports::submitted))
        .route("/admin", get(office::overview))
        .route(
            "/admin/sign-in",
            get(office::sign_in_page).post(office::sign_in),
        )
        .route("/admin/sign-out", post(office::sign_out))
        .route("/admin/kiosks", get(office::kiosks))
        .route("/admin/kiosks/add", post(office::add_kiosk))
        .route("/admin/kiosks/revoke", post(office::revoke_kiosk))
        .route("/admin/attendees", get(office::attendees))
        .route("/admin/attendees/void", post(office::void))
        .route("/admin/attendees/resend", post(office::resend))
        .route("/admin/held", get(office::held))
        .route("/admin/deadlines", get(office::deadlines))
        .route(
            "/admin/scans",
            get(office::scans).post(office::upload_scans),
        )
        .route("/admin/reports", get(office::reports))
        .route("/admin/audit", get(office::audit))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(hub)
}
