//! `cekiosk check`: looks a machine over after setup (config, staff PIN,
//! database, roster, catalog, clock, hub) and prints one line per item, so
//! whoever sets up a kiosk sees what to fix before the doors open.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::config::Config;
use crate::store::Store;

/// One line of `cekiosk check`.
fn report(ok: Option<bool>, what: &str, detail: impl std::fmt::Display) {
    let mark = match ok {
        Some(true) => "ok  ",
        Some(false) => "FAIL",
        None => "warn",
    };
    println!("{mark}  {what:<10} {detail}");
}

pub(super) fn check(config_dir: &Path, db: &Path) -> Result<ExitCode> {
    let mut failed = false;
    let mut config = match Config::load(config_dir) {
        Ok(c) => {
            report(
                Some(true),
                "config",
                format_args!(
                    "{} valid: event {}, kiosk {}, time zone {}",
                    config_dir.join(crate::config::EVENT_FILE).display(),
                    c.event.id,
                    c.kiosk.id,
                    c.event.timezone
                ),
            );
            c
        }
        Err(e) => {
            report(Some(false), "config", e);
            return Ok(ExitCode::FAILURE);
        }
    };
    // Each language offered: what its attendees would read in English.
    for lang in &config.languages {
        let missing = config.missing_text(*lang);
        let file = crate::config::text_file(*lang);
        if *lang == crate::domain::lang::Lang::En {
            continue;
        }
        if missing.is_empty() {
            report(
                Some(true),
                "language",
                format_args!("{lang}: the event's text is all in {file}"),
            );
        } else {
            report(
                None,
                "language",
                format_args!(
                    "{lang}: shown in English, missing from {file}: {}",
                    missing.join(", ")
                ),
            );
        }
    }
    match crate::domain::pin::check_hash(&config.kiosk.staff_pin_hash) {
        Ok(()) => report(Some(true), "staff PIN", "staff_pin_hash is an Argon2 hash"),
        Err(e) => {
            failed = true;
            report(Some(false), "staff PIN", e);
        }
    }
    let (len, summary) = (config.certificate.url_base.len(), config.summary_budget());
    match config.check_url_base_fits() {
        Ok(()) if len <= summary => report(
            Some(true),
            "QR code",
            format_args!(
                "url_base is {len} of the {summary} bytes that leave room for the verified summary at 80×24"
            ),
        ),
        Ok(()) => report(
            None,
            "QR code",
            format_args!(
                "url_base is {len} bytes, over the {summary} that leave room for the verified summary \
                 at 80×24: certificate ids are plain, and the page says nothing until the upload"
            ),
        ),
        Err(e) => {
            failed = true;
            report(Some(false), "QR code", e);
        }
    }
    let store = match Store::open(db).and_then(|s| {
        s.set_meta("last_check", &crate::store::now_text())
            .map(|_| s)
    }) {
        Ok(s) => {
            report(
                Some(true),
                "database",
                format_args!(
                    "{} opens and takes writes (schema {})",
                    db.display(),
                    s.schema_version()?
                ),
            );
            Some(s)
        }
        Err(e) => {
            failed = true;
            report(Some(false), "database", e);
            None
        }
    };
    if let Some(store) = &store {
        let counts = store.counts()?;
        let roster_ok = counts.attendees > 0;
        failed |= !roster_ok;
        report(
            Some(roster_ok),
            "roster",
            if roster_ok {
                format!("{} attendees", counts.attendees)
            } else {
                "no attendees: run `cekiosk import attendees FILE` (or start the kiosk once to load config/attendees.csv)".into()
            },
        );
        let now_min = jiff::Timestamp::now().as_second().div_euclid(60);
        let catalog = crate::kiosk::catalog::Catalog::new(store.sessions()?, &config);
        let ended = catalog
            .sessions
            .iter()
            .filter(|s| s.span.end <= now_min)
            .count();
        let catalog_ok = counts.sessions > 0;
        failed |= !catalog_ok;
        report(
            Some(catalog_ok),
            "catalog",
            if catalog_ok {
                format!("{} sessions, {ended} ended by now", counts.sessions)
            } else {
                "no sessions: run `cekiosk import sessions FILE`".into()
            },
        );
        report(
            Some(true),
            "uploads",
            format!("{} records not yet uploaded", counts.not_uploaded),
        );
        match store.credentials()? {
            Some(c) => {
                report(
                    Some(true),
                    "credentials",
                    format_args!(
                        "this kiosk's own: enrolled as kiosk {} at {} on {}",
                        c.kiosk_id,
                        c.hub_url,
                        config.local_short(&c.enrolled_at)
                    ),
                );
                config = super::with_enrolment(config, store)?;
            }
            None if !config.sync.token.is_empty() => report(
                None,
                "credentials",
                "the fleet's shared secret (CEKIOSK_SYNC_TOKEN): every kiosk can act as every other, \
                 and one stolen kiosk is the whole fleet. Enrol each kiosk: `cekiosk hub add-kiosk ID` \
                 at the hub, then `cekiosk enrol --hub URL CODE` here",
            ),
            None => report(
                None,
                "credentials",
                "none: this kiosk cannot upload. Enrol it: `cekiosk hub add-kiosk ID` at the hub, \
                 then `cekiosk enrol --hub URL CODE` here",
            ),
        }
    }
    let now = jiff::Timestamp::now().to_zoned_datetime(config.tz.clone());
    let today = now.date();
    let in_event = today >= config.event.start_date && today <= config.event.end_date;
    report(
        if in_event { Some(true) } else { None },
        "clock",
        format_args!(
            "{} {} (UTC{}); the event runs {} to {}{}",
            now.strftime("%Y-%m-%d %H:%M"),
            config.event.timezone,
            now.offset(),
            config.event.start_date,
            config.event.end_date,
            if in_event {
                ""
            } else {
                " — today is outside the event: check the date, or this is a rehearsal"
            }
        ),
    );
    if config.sync.hub_url.is_empty() {
        report(
            None,
            "hub",
            "no hub configured ([sync] hub_url): records stay on this kiosk",
        );
    } else {
        match reachable(&config.sync.hub_url) {
            Ok(addr) => report(
                Some(true),
                "hub",
                format_args!("{} reachable at {addr}", config.sync.hub_url),
            ),
            Err(e) => report(
                None,
                "hub",
                format_args!("{} not reachable: {e}", config.sync.hub_url),
            ),
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether something accepts TCP connections at the URL's host and port.
fn reachable(url: &str) -> Result<std::net::SocketAddr> {
    use std::net::{TcpStream, ToSocketAddrs};
    let (default_port, rest) = match url.split_once("://") {
        Some(("https", r)) => (443, r),
        Some((_, r)) => (80, r),
        None => (80, url),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_string()
    } else {
        format!("{authority}:{default_port}")
    };
    let mut last = anyhow::anyhow!("no address for {authority}");
    for addr in with_port.to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2)) {
            Ok(_) => return Ok(addr),
            Err(e) => last = e.into(),
        }
    }
    Err(last)
}
