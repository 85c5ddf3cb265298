//! The runner's side of staff mode: checks the PIN against the lockout
//! and carries out each staff request on the store, audited, answering
//! with the messages that report it. (The staff screen is
//! `screens::staff_mode`; the store's staff tables are `store::staff`.)

use std::time::Instant;

use anyhow::Result;

use super::hub_line::HubLine;
use super::msg::Msg;
use super::setup::AttendeeHistory;
use super::staff_exchange::{AttendeeDetail, StaffInfo, StaffReply, StaffRequest};
use super::strings::Words;
use crate::config::Config;
use crate::domain::pin::{self, PinOutcome};
use crate::store::{HubFeedback, Lockout, Store};

const LOCKED_KEY: &str = "kiosk_locked";

pub fn is_locked(store: &Store) -> Result<bool> {
    Ok(store.meta(LOCKED_KEY)?.as_deref() == Some("1"))
}

pub fn perform(
    request: StaffRequest,
    store: &mut Store,
    config: &Config,
    hub: Option<&HubLine>,
    at: Instant,
) -> Vec<Msg> {
    // Staff read the kiosk's own language.
    let words = Words::new(config.default_lang());
    match carry_out(request, store, config, hub, at) {
        Ok(msgs) => msgs,
        Err(e) => {
            tracing::error!(error = %e, "staff action failed");
            vec![Msg::Staff(
                StaffReply::Failed(words.could_not(&e.to_string())),
                at,
            )]
        }
    }
}

fn reply(r: StaffReply, at: Instant) -> Vec<Msg> {
    vec![Msg::Staff(r, at)]
}

/// Does what staff asked; an error becomes a "could not" for staff.
fn carry_out(
    request: StaffRequest,
    store: &mut Store,
    config: &Config,
    hub: Option<&HubLine>,
    at: Instant,
) -> Result<Vec<Msg>> {
    // Staff read the kiosk's own language.
    let words = Words::new(config.default_lang());
    let kiosk = config.kiosk.id.as_str();
    Ok(match request {
        StaffRequest::CheckPin(given) => {
            let lock = store.lockout()?;
            let until = lock
                .locked_until
                .as_deref()
                .and_then(|t| t.parse::<jiff::Timestamp>().ok());
            let now = jiff::Timestamp::now();
            // While locked the hash is not even computed.
            let locked_now = until.is_some_and(|u| now < u);
            let ok = !locked_now && pin::verify(&given, &config.kiosk.staff_pin_hash);
            let (outcome, failures, until) = pin::attempt(lock.failures, until, ok, now);
            store.set_lockout(&Lockout {
                failures,
                locked_until: until.map(|u| u.to_string()),
            })?;
            let local = |t: jiff::Timestamp| {
                t.to_zoned_datetime(config.tz.clone())
                    .strftime("%H:%M")
                    .to_string()
            };
            let (detail, r) = match outcome {
                PinOutcome::Accepted => ("accepted".to_string(), StaffReply::PinOk),
                PinOutcome::Wrong { left } => (
                    format!("wrong PIN ({left} left before lock)"),
                    StaffReply::PinWrong { left },
                ),
                PinOutcome::Locked { until } => (
                    format!("refused: staff mode locked until {until}"),
                    StaffReply::PinLocked {
                        until: local(until),
                    },
                ),
            };
            store.audit(kiosk, "staff.pin", &detail)?;
            reply(r, at)
        }
        StaffRequest::Info => reply(StaffReply::Info(kiosk_info(store, config)?), at),
        StaffRequest::Search(q) => reply(StaffReply::Matches(store.search_attendees(&q, 100)?), at),
        StaffRequest::Attendee(badge) => match attendee_detail(store, &badge)? {
            Some(d) => {
                store.audit(kiosk, "staff.view_attendee", &badge)?;
                reply(StaffReply::Attendee(Box::new(d)), at)
            }
            None => reply(StaffReply::Failed(words.no_attendee_with_badge(&badge)), at),
        },
        StaffRequest::Reissue(badge) => match store.latest_certificate(&badge)? {
            Some(cert) => {
                store.audit(
                    kiosk,
                    "certificate.reissue",
                    &format!("{badge}: {}", cert.short_code),
                )?;
                vec![Msg::Reissue(cert, at)]
            }
            // Kiosks are not sent other kiosks' certificate ids: someone
            // who never visited this kiosk has theirs at the hub.
            None => match hub {
                Some(h) if !config.sync.hub_url.is_empty() && !config.kiosk_token().is_empty() => {
                    h.certificate_of(config, badge);
                    reply(StaffReply::Done(words.asking_the_hub()), at)
                }
                _ => reply(StaffReply::Failed(words.no_certificate_yet()), at),
            },
        },
        StaffRequest::Enrol(code) => {
            if config.sync.hub_url.is_empty() {
                return Ok(reply(StaffReply::Failed(words.no_hub()), at));
            }
            store.audit(kiosk, "kiosk.enrol_requested", &config.sync.hub_url)?;
            match hub {
                Some(h) => {
                    h.enrol(config, code);
                    reply(StaffReply::Done(words.asking_the_hub()), at)
                }
                None => reply(StaffReply::Failed(words.no_hub()), at),
            }
        }
        StaffRequest::Void { claim_id, reason } => {
            store.void_claim(&claim_id, &reason, kiosk)?;
            let badge = store.claim_badge(&claim_id)?;
            let mut msgs = Vec::new();
            if let Some(d) = attendee_detail(store, &badge)? {
                msgs.push(Msg::Staff(StaffReply::Attendee(Box::new(d)), at));
            }
            msgs.push(Msg::Staff(StaffReply::Done(words.claim_voided()), at));
            msgs
        }
        StaffRequest::WalkIn(mut a) => {
            if a.badge_id.is_empty() {
                // Kiosk id plus randomness: two kiosks never make the same one.
                let code = crate::domain::ids::new_short_code(&mut crate::domain::ids::OsRandom);
                a.badge_id = format!(
                    "W-{}-{}",
                    crate::domain::sanitize(kiosk).replace(' ', ""),
                    code.replace('-', "")
                );
            }
            store.add_walk_in(&a, kiosk)?;
            vec![Msg::WalkedIn(
                Box::new(AttendeeHistory {
                    attendee: a,
                    claims: vec![],
                    answers: Default::default(),
                    profile: None,
                    scanned: Default::default(),
                }),
                at,
            )]
        }
        StaffRequest::Audit => reply(StaffReply::Audit(store.recent_audit(200)?), at),
        StaffRequest::Upload => {
            store.audit(kiosk, "sync.upload_requested", "")?;
            let text = match hub {
                Some(h) if h.upload_now() => words.upload_started(),
                _ if config.sync.hub_url.is_empty() => words.no_hub(),
                _ => words.no_sync_token(),
            };
            reply(StaffReply::Done(text), at)
        }
        StaffRequest::Lock => {
            store.set_meta(LOCKED_KEY, "1")?;
            store.audit(kiosk, "kiosk.lock", "out of service")?;
            vec![Msg::Locked]
        }
        StaffRequest::Unlock => {
            store.set_meta(LOCKED_KEY, "0")?;
            store.audit(kiosk, "kiosk.unlock", "")?;
            vec![]
        }
        StaffRequest::Quit => {
            store.audit(kiosk, "kiosk.quit", "")?;
            reply(StaffReply::Quit, at)
        }
    })
}

/// The kiosk's state for the top of the staff screen.
fn kiosk_info(store: &Store, config: &Config) -> Result<StaffInfo> {
    // Staff read the kiosk's own language.
    let words = Words::new(config.default_lang());
    let counts = store.counts()?;
    // "Today" is the event's day, in its time zone.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(config.tz.clone())
        .date()
        .to_datetime(jiff::civil::Time::midnight());
    let since = config
        .local_to_minutes(today)
        .ok()
        .and_then(|m| jiff::Timestamp::from_second(m * 60).ok())
        .map(|t| t.to_string())
        .unwrap_or_default();
    let last_upload = match (
        store.meta("last_upload_at")?,
        store.meta("last_upload_result")?,
    ) {
        (Some(at), Some(result)) => format!("{} — {result}", config.local_short(&at)),
        _ => words.never(),
    };
    Ok(StaffInfo {
        database: store.path().display().to_string(),
        attendees: counts.attendees,
        claims_today: store.claims_since(&since)?,
        certificates: counts.certificates,
        not_uploaded: counts.not_uploaded,
        last_upload,
        standing: feedback_lines(&store.hub_feedback()?, config),
    })
}

/// The hub's view of this kiosk, as lines for staff (and `status`):
/// nothing while all is well.
pub fn feedback_lines(h: &HubFeedback, config: &Config) -> Vec<String> {
    // Staff read the kiosk's own language.
    let words = Words::new(config.default_lang());
    let mut out = Vec::new();
    if h.held > 0 || h.rejected > 0 {
        out.push(format!(
            "{} {} · {} {} · {} {}",
            words.held_at_hub(),
            h.held,
            words.rejected_by_hub(),
            h.rejected,
            words.last_good_upload(),
            h.last_good_upload_at
                .as_deref()
                .map(|t| config.local_short(t))
                .unwrap_or_else(|| words.never())
        ));
    }
    if let Some(n) = &h.notice {
        out.push(format!("{} {n}", words.new_device_id()));
    }
    out
}

/// An attendee as staff see them, each claim with its session's title;
/// none if the badge is unknown.
fn attendee_detail(store: &Store, badge: &str) -> Result<Option<AttendeeDetail>> {
    let Some(attendee) = store.attendee(badge)? else {
        return Ok(None);
    };
    let titles: std::collections::HashMap<String, String> = store
        .sessions()?
        .into_iter()
        .map(|s| (s.session_id, s.title))
        .collect();
    let claims = store
        .claims_of(badge)?
        .into_iter()
        .map(|c| {
            let title = titles
                .get(&c.session_id)
                .cloned()
                .unwrap_or_else(|| c.session_id.clone());
            (c, title)
        })
        .collect();
    Ok(Some(AttendeeDetail {
        attendee,
        claims,
        certificate: store.latest_certificate(badge)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The newest audit actions first, as staff see them.
    fn audited(store: &Store) -> Vec<String> {
        store
            .recent_audit(10)
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect()
    }

    /// The demo config with these environment overrides.
    fn config(env: &[(&str, &str)]) -> Config {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let lookup = |k: &str| {
            env.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        Config::load_with_env(&dir, lookup, std::iter::empty()).unwrap()
    }

    fn config_with_pin(hash: &str) -> Config {
        config(&[("CEKIOSK_KIOSK_STAFF_PIN_HASH", hash)])
    }

    /// The staff reply to a PIN attempt.
    fn check_pin(pin: &str, store: &mut Store, config: &Config) -> StaffReply {
        match perform(
            StaffRequest::CheckPin(pin.into()),
            store,
            config,
            None,
            Instant::now(),
        )
        .into_iter()
        .next()
        {
            Some(Msg::Staff(r, _)) => r,
            _ => panic!("no staff reply"),
        }
    }

    #[test]
    fn wrong_pins_lock_staff_mode_across_a_restart_and_every_attempt_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let config = config_with_pin(&pin::hash("2468").unwrap());
        {
            let mut store = Store::open(&path).unwrap();
            for left in (1..5).rev() {
                let r = check_pin("1111", &mut store, &config);
                assert!(
                    matches!(r, StaffReply::PinWrong { left: l } if l == left),
                    "{r:?}"
                );
            }
            let r = check_pin("0000", &mut store, &config);
            assert!(matches!(r, StaffReply::PinLocked { .. }), "{r:?}");
        }
        // A restart does not clear the lock: even the right PIN is refused.
        let mut store = Store::open(&path).unwrap();
        let r = check_pin("2468", &mut store, &config);
        assert!(matches!(r, StaffReply::PinLocked { .. }), "{r:?}");
        let audit = store.recent_audit(20).unwrap();
        assert_eq!(audit.iter().filter(|a| a.action == "staff.pin").count(), 6);
        assert!(
            audit
                .iter()
                .all(|a| !a.detail.contains("1111") && !a.detail.contains("2468"))
        );
        // Once the lock has passed, the right PIN opens staff mode.
        store
            .set_lockout(&Lockout {
                failures: 0,
                locked_until: Some("2020-01-01T00:00:00Z".into()),
            })
            .unwrap();
        let r = check_pin("2468", &mut store, &config);
        assert!(matches!(r, StaffReply::PinOk), "{r:?}");
    }

    #[test]
    fn lock_survives_a_restart_and_walk_ins_get_a_badge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let config = config_with_pin(&pin::hash("2468").unwrap());
        let at = Instant::now();
        let mut store = Store::open(&path).unwrap();
        assert!(!is_locked(&store).unwrap());
        assert!(matches!(
            perform(StaffRequest::Lock, &mut store, &config, None, at)[0],
            Msg::Locked
        ));
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert!(is_locked(&store).unwrap());
        perform(StaffRequest::Unlock, &mut store, &config, None, at);
        assert!(!is_locked(&store).unwrap());
        let walk_in = crate::records::AttendeeRow {
            badge_id: String::new(),
            first_name: "Zoë".into(),
            last_name: "Ng".into(),
            degree: "RN".into(),
            profession: crate::domain::Profession::Nurse,
            email: String::new(),
        };
        let msgs = perform(StaffRequest::WalkIn(walk_in), &mut store, &config, None, at);
        let Msg::WalkedIn(who, _) = &msgs[0] else {
            panic!("not walked in")
        };
        assert!(
            who.attendee.badge_id.starts_with("W-K01-"),
            "{}",
            who.attendee.badge_id
        );
        assert!(store.attendee(&who.attendee.badge_id).unwrap().is_some());
        let actions = audited(&store);
        assert_eq!(
            actions,
            vec!["attendee.walk_in", "kiosk.unlock", "kiosk.lock"]
        );
    }

    #[test]
    fn upload_quit_search_and_reissue_act_on_the_store_and_are_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        let config = config(&[("CEKIOSK_SYNC_HUB_URL", "")]);
        let at = Instant::now();
        // Upload with no hub: says so, and is audited.
        let msgs = perform(StaffRequest::Upload, &mut store, &config, None, at);
        assert!(
            matches!(&msgs[0], Msg::Staff(StaffReply::Done(t), _) if t.contains("No hub is configured"))
        );
        // Upload with an uploader: it is asked to run.
        let (tx, rx) = std::sync::mpsc::channel();
        let line = HubLine::with_upload(tx);
        perform(StaffRequest::Upload, &mut store, &config, Some(&line), at);
        assert!(rx.try_recv().is_ok(), "the uploader was not asked");
        // Reissue for someone without a certificate: refused, nothing shown.
        let msgs = perform(
            StaffRequest::Reissue("A1".into()),
            &mut store,
            &config,
            None,
            at,
        );
        assert!(matches!(&msgs[0], Msg::Staff(StaffReply::Failed(_), _)));
        // Quit: audited before the program ends.
        let msgs = perform(StaffRequest::Quit, &mut store, &config, None, at);
        assert!(matches!(&msgs[0], Msg::Staff(StaffReply::Quit, _)));
        let actions = audited(&store);
        assert_eq!(
            actions,
            vec![
                "kiosk.quit",
                "sync.upload_requested",
                "sync.upload_requested"
            ]
        );
        // Info counts what is there.
        let msgs = perform(StaffRequest::Info, &mut store, &config, None, at);
        let Msg::Staff(StaffReply::Info(info), _) = &msgs[0] else {
            panic!("no info")
        };
        assert_eq!(info.not_uploaded, 3);
        assert_eq!(info.last_upload, "never");
    }
}
