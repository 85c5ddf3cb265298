//! The demo day `scripts/try-hub` loads, so every page and every report
//! of the hub has rows to show: visits recorded at a kiosk's database the
//! way the kiosk records them (one transaction per visit, through the
//! store), then uploaded by `cekiosk sync`.
//!
//!     cargo run --release --example demo_day -- CONFIG_DIR KIOSK_DB KIOSK_ID visits
//!     cargo run --release --example demo_day -- CONFIG_DIR KIOSK_DB KIOSK_ID voids
//!
//! `visits` records a day at kiosk K01, K02 or K03: physicians reporting
//! MOC, physicians, nurses, a physician assistant, a participant, a
//! pharmacist with two UANs, and (at K03) a claim for a session only that
//! kiosk has, which the hub holds until the session is imported there.
//! `voids` (at K01, after the office marked the files as uploaded) voids
//! one session of the first MOC physician, every claim of the second and
//! one of the pharmacist's, so the next PARS and CPE Monitor files carry
//! corrections.

use std::path::Path;

use anyhow::{Context, bail};
use cekiosk::config::Config;
use cekiosk::domain::ids::OsRandom;
use cekiosk::domain::{CodeSet, CreditCode, Profession};
use cekiosk::records::{AttendeeRow, SessionRow};
use cekiosk::store::{CreditChoices, NewVisit, Store};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [config, db, kiosk, what] = args.as_slice() else {
        bail!("usage: demo_day CONFIG_DIR KIOSK_DB KIOSK_ID visits|voids");
    };
    let config = Config::load(Path::new(config))?;
    let db = Path::new(db);
    match what.as_str() {
        "visits" => visits(&config, db, kiosk),
        "voids" => voids(&config, db, kiosk),
        other => bail!("'{other}' is not visits or voids"),
    }
}

/// The roster and the catalog as the kiosk imported them.
fn demo(config: &Config) -> anyhow::Result<(Vec<AttendeeRow>, Vec<SessionRow>)> {
    let attendees = cekiosk::import::read_attendees(&config.dir.join("attendees.csv"))?;
    let sessions = cekiosk::import::read_sessions(&config.dir.join("sessions.csv"), config)?;
    Ok((attendees, sessions))
}

fn of(attendees: &[AttendeeRow], profession: Profession, n: usize) -> anyhow::Result<String> {
    attendees
        .iter()
        .filter(|a| a.profession == profession)
        .nth(n)
        .map(|a| a.badge_id.clone())
        .with_context(|| format!("the roster has no {n}th {profession:?}"))
}

/// `count` sessions listing `code`, none at the same time as another,
/// starting from the `skip`th, each claimed whole.
fn sessions(all: &[SessionRow], code: CreditCode, skip: usize, count: usize) -> Vec<(String, u32)> {
    let mut of: Vec<&SessionRow> = all
        .iter()
        .filter(|s| s.credit_types.contains(code))
        .filter(|s| code != CreditCode::ACPE || s.acpe_uan.contains("-P"))
        .collect();
    of.sort_by(|a, b| a.ends_at.cmp(&b.ends_at));
    let mut apart: Vec<&SessionRow> = Vec::new();
    for s in of {
        if apart
            .iter()
            .all(|o| s.ends_at <= o.starts_at || o.ends_at <= s.starts_at)
        {
            apart.push(s);
        }
    }
    apart
        .into_iter()
        .skip(skip)
        .take(count)
        .map(|s| (s.session_id.clone(), s.credits))
        .collect()
}

/// One attendee's visit: badge, choices, claims (session, quarter hours).
type Visit = (String, CreditChoices, Vec<(String, u32)>);

fn profile(codes: &str) -> CreditChoices {
    CreditChoices {
        codes: CodeSet::parse_list(codes).unwrap_or_default(),
        ..CreditChoices::default()
    }
}

fn moc(abim: &str, birth: &str) -> CreditChoices {
    CreditChoices {
        moc_consent: true,
        abim_id: Some(abim.into()),
        birth_mmdd: Some(birth.into()),
        ..profile("AMA;MOC")
    }
}

fn visits(config: &Config, db: &Path, kiosk: &str) -> anyhow::Result<()> {
    let (people, all) = demo(config)?;
    let mut store = Store::open(db)?;
    let device = store.device_id(&mut OsRandom)?;
    let physician = |n| of(&people, Profession::Physician, n);
    let mut day: Vec<Visit> = Vec::new();
    match kiosk {
        "K01" => {
            day.push((
                physician(0)?,
                moc("918273", "0229"),
                sessions(&all, CreditCode::MOC, 0, 3),
            ));
            day.push((
                physician(1)?,
                moc("123456", "0704"),
                sessions(&all, CreditCode::MOC, 3, 1),
            ));
            day.push((
                of(&people, Profession::Pharmacist, 0)?,
                CreditChoices {
                    epid: Some("7654321".into()),
                    birth_mmdd: Some("1108".into()),
                    pharm_role: Some("pharmacist".into()),
                    ..profile("ACPE")
                },
                sessions(&all, CreditCode::ACPE, 0, 2),
            ));
            day.push((
                of(&people, Profession::Nurse, 0)?,
                profile("ANCC"),
                sessions(&all, CreditCode::ANCC, 0, 4),
            ));
        }
        "K02" => {
            day.push((
                physician(2)?,
                moc("246810", "1231"),
                sessions(&all, CreditCode::MOC, 5, 4),
            ));
            day.push((
                physician(3)?,
                profile("AMA"),
                sessions(&all, CreditCode::AMA, 2, 5),
            ));
            day.push((
                of(&people, Profession::Nurse, 1)?,
                profile("ANCC"),
                sessions(&all, CreditCode::ANCC, 6, 3),
            ));
            day.push((
                of(&people, Profession::PhysicianAssistant, 0)?,
                profile("AAPA"),
                sessions(&all, CreditCode::AMA, 8, 3),
            ));
        }
        "K03" => {
            day.push((
                physician(4)?,
                moc("135791", "0512"),
                sessions(&all, CreditCode::MOC, 10, 2),
            ));
            day.push((
                of(&people, Profession::Other, 0)?,
                profile("COP"),
                sessions(&all, CreditCode::AMA, 1, 2),
            ));
            // A session added at this kiosk only: the hub holds the claim
            // until the CE office imports the session there.
            let mut late = sessions(&all, CreditCode::AMA, 4, 1);
            late.push(("X901".into(), 4));
            day.push((physician(5)?, profile("AMA"), late));
        }
        other => bail!("the demo day has kiosks K01, K02 and K03, not {other}"),
    }
    for (badge, profile, claims) in day {
        let mut answers: Vec<(String, String)> = config
            .questions
            .iter()
            .filter(|q| q.required && q.show_if.is_none())
            .map(|q| {
                let answer = match &q.kind {
                    cekiosk::domain::evaluation::Kind::Choice(options) => {
                        options.first().cloned().unwrap_or_default()
                    }
                    cekiosk::domain::evaluation::Kind::Text => "Screen earlier".into(),
                };
                (q.id.clone(), answer)
            })
            .collect();
        answers.retain(|(id, _)| profile.moc_consent || id != "moc_reflection");
        store.commit_visit(
            &NewVisit {
                badge_id: badge,
                kiosk_id: kiosk.to_string(),
                device_id: device.clone(),
                profile,
                claims,
                answers,
                summary: None,
                language: None,
                mail_declined: false,
            },
            &mut OsRandom,
        )?;
    }
    Ok(())
}

fn voids(config: &Config, db: &Path, kiosk: &str) -> anyhow::Result<()> {
    let (people, _) = demo(config)?;
    let claims = |badge: &str| -> anyhow::Result<Vec<String>> {
        let c = rusqlite::Connection::open(db)?;
        let mut q = c.prepare(
            "SELECT claim_id FROM claims WHERE badge_id = ?1 AND voided_at IS NULL ORDER BY session_id",
        )?;
        let ids = q
            .query_map([badge], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    };
    let mut store = Store::open(db)?;
    let first = of(&people, Profession::Physician, 0)?;
    let second = of(&people, Profession::Physician, 1)?;
    let pharmacist = of(&people, Profession::Pharmacist, 0)?;
    for id in claims(&first)?.into_iter().take(1) {
        store.void_claim(&id, "left before the session began", kiosk)?;
    }
    for id in claims(&second)? {
        store.void_claim(&id, "scanned in by mistake", kiosk)?;
    }
    for id in claims(&pharmacist)?.into_iter().take(1) {
        store.void_claim(&id, "attended another session", kiosk)?;
    }
    Ok(())
}
