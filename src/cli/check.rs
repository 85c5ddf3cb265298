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
        let catalog = crate::kiosk::catalog::SessionCatalog::new(store.sessions()?, &config);
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
    speech_and_large_text(&config);
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

/// Speech (F3) and large text (F5): what the kiosk speaks with, whether
/// each offered language has a voice that can read it, and what large
/// text needs of the terminal.
fn speech_and_large_text(config: &Config) {
    use crate::kiosk::speaker::espeak_voice;
    let version = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let first = text.split("  Data").next().unwrap_or_default();
            first.trim().to_string()
        });
    let Some(version) = version else {
        report(
            None,
            "speech",
            "espeak-ng is not installed: F3 says nothing (apt-get install espeak-ng \
             speech-dispatcher speech-dispatcher-espeak-ng)",
        );
        return;
    };
    match &config.kiosk.speech_out {
        Some(dir) => {
            let probe = dir.join(".cekiosk-check");
            let writable = std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&probe, b""))
                .and_then(|()| std::fs::remove_file(&probe));
            match writable {
                Ok(()) => report(
                    None,
                    "speech",
                    format_args!(
                        "speech_out is set: speech goes to WAV files in {}, not to the \
                         headphones",
                        dir.display()
                    ),
                ),
                Err(e) => report(
                    Some(false),
                    "speech",
                    format_args!("speech_out {} cannot be written: {e}", dir.display()),
                ),
            }
        }
        None => {
            let service = std::process::Command::new("speech-dispatcher")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            if service {
                report(
                    Some(true),
                    "speech",
                    format_args!("speech-dispatcher with {version}, to the audio output"),
                );
            } else {
                report(
                    None,
                    "speech",
                    "speech-dispatcher is not installed: F3 says nothing (apt-get install \
                     speech-dispatcher speech-dispatcher-espeak-ng)",
                );
            }
        }
    }
    for lang in &config.languages {
        let sample = format!(
            "{} {}",
            crate::kiosk::strings::format_in(*lang, "scan_heading", &[]),
            crate::kiosk::strings::format_in(*lang, "scan_help", &[])
        );
        let voice = espeak_voice(*lang);
        let out = std::process::Command::new("espeak-ng")
            .args(["-q", "-x", "-v", voice, &sample])
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let share = english_share(&String::from_utf8_lossy(&o.stdout));
                if share > 0.3 {
                    report(
                        None,
                        "speech",
                        format_args!(
                            "{lang}: espeak-ng's {voice} voice reads only part of it: {:.0}% of \
                             the Scan screen comes out as English words (a kanji as 'Chinese \
                             letter', a tone as an English digit), so speech in {lang} is \
                             understood only in part; install a better {lang} voice for \
                             speech-dispatcher",
                            share * 100.0
                        ),
                    );
                } else {
                    report(
                        Some(true),
                        "speech",
                        format_args!("{lang}: espeak-ng voice {voice}"),
                    );
                }
            }
            _ => report(
                None,
                "speech",
                format_args!(
                    "{lang}: espeak-ng has no {voice} voice: speech in {lang} comes in its \
                     default voice"
                ),
            ),
        }
    }
    let points = config.kiosk.font_size;
    report(
        None,
        "large text",
        format_args!(
            "F5 asks the terminal for {} pt ([kiosk] font_size {points}, a point over twice): \
             kitty does it (deploy/cekiosk.service); in foot or on the console F5 changes \
             nothing on screen",
            crate::kiosk::terminal::large_points(points)
        ),
    );
}

/// The share of espeak-ng's phonemes (`-x`) said in English inside text of
/// another language: where its voice falls back to English words for
/// what it cannot read ("(en)tS'aIni:z(ja)l'et@", "Chinese letter").
fn english_share(phonemes: &str) -> f64 {
    let (mut english, mut total) = (0usize, 0usize);
    let mut in_english = false;
    let mut rest = phonemes;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('(')
            && let Some(end) = after.find(')')
        {
            in_english = &after[..end] == "en";
            rest = &after[end + 1..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if !c.is_whitespace() && c != '_' {
            total += 1;
            english += usize::from(in_english);
        }
        rest = &rest[c.len_utf8()..];
    }
    if total == 0 {
        0.0
    } else {
        english as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::english_share;

    #[test]
    fn english_share_counts_what_a_voice_says_in_english() {
        // German with one English loanword; Japanese with its kanji said
        // as "Chinese letter" (espeak-ng 1.51's own output).
        let de = "sk'an@n zi: _|i:r (en)b'adZ(de)";
        let ja = "_:(en)tS'aIni:z(ja)l'et@ _:(en)tS'aIni:z(ja)l'et@ 'o s'u k'i 'a";
        assert!(english_share(de) < 0.3, "{}", english_share(de));
        assert!(english_share(ja) > 0.3, "{}", english_share(ja));
        assert_eq!(english_share("sk'an jU@ b'adZ"), 0.0);
    }
}
