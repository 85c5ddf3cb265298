//! What a kiosk database must hold after a power cut, for tests/crash.rs:
//! the counts a visit's commit changes (in the whole database and for one
//! attendee), the whole-database rules no crash may break (integrity,
//! foreign keys, every certificate with its visit, every claim and
//! certificate with its outbox row), and everything one committed visit
//! must have written. Each check returns a list of what is wrong.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

fn one(c: &Connection, sql: &str, badge: &str) -> i64 {
    let n = sql.matches("?1").count();
    if n == 0 {
        c.query_row(sql, [], |r| r.get(0)).unwrap()
    } else {
        c.query_row(sql, [badge], |r| r.get(0)).unwrap()
    }
}

fn strings(c: &Connection, sql: &str, badge: &str) -> BTreeSet<String> {
    let mut stmt = c.prepare(sql).unwrap();
    stmt.query_map([badge], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Counts of every table a commit writes, in the whole database and for
/// one attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub claims: i64,
    pub certificates: i64,
    pub visits: i64,
    pub profiles: i64,
    pub answers: i64,
    pub outbox: i64,
    pub outbox_seq: i64,
    pub badge_claims: i64,
    pub badge_profile: i64,
    pub badge_certificates: BTreeSet<String>,
    pub badge_visits: BTreeSet<String>,
}

impl Snapshot {
    pub fn of(c: &Connection, badge: &str) -> Snapshot {
        Snapshot {
            claims: one(c, "SELECT count(*) FROM claims", badge),
            certificates: one(c, "SELECT count(*) FROM certificates", badge),
            visits: one(c, "SELECT count(*) FROM visits", badge),
            profiles: one(c, "SELECT count(*) FROM profiles", badge),
            answers: one(c, "SELECT count(*) FROM answers", badge),
            outbox: one(c, "SELECT count(*) FROM outbox", badge),
            outbox_seq: one(c, "SELECT coalesce(max(seq), 0) FROM outbox", badge),
            badge_claims: one(c, "SELECT count(*) FROM claims WHERE badge_id = ?1", badge),
            badge_profile: one(
                c,
                "SELECT count(*) FROM profiles WHERE badge_id = ?1",
                badge,
            ),
            badge_certificates: strings(
                c,
                "SELECT certificate_id FROM certificates WHERE badge_id = ?1",
                badge,
            ),
            badge_visits: strings(c, "SELECT visit_id FROM visits WHERE badge_id = ?1", badge),
        }
    }
}

/// Whole-database rules no crash may break; each query counts breaches.
const RULES: &[(&str, &str)] = &[
    (
        "certificates without their visit",
        "SELECT count(*) FROM certificates c
         WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.visit_id = c.visit_id)",
    ),
    (
        "visits without a claim",
        "SELECT count(*) FROM visits v
         WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.visit_id = v.visit_id)",
    ),
    (
        "visits without a certificate",
        "SELECT count(*) FROM visits v
         WHERE NOT EXISTS (SELECT 1 FROM certificates c WHERE c.visit_id = v.visit_id)",
    ),
    (
        "claims without their visit",
        "SELECT count(*) FROM claims c
         WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.visit_id = c.visit_id)",
    ),
    (
        "visits without the attendee's profile",
        "SELECT count(*) FROM visits v
         WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.badge_id = v.badge_id)",
    ),
    (
        "claims without their outbox row",
        "SELECT count(*) FROM claims c WHERE NOT EXISTS
         (SELECT 1 FROM outbox o WHERE o.kind = 'claim' AND o.record_id = c.claim_id)",
    ),
    (
        "certificates without their outbox row",
        "SELECT count(*) FROM certificates c WHERE NOT EXISTS
         (SELECT 1 FROM outbox o WHERE o.kind = 'certificate' AND o.record_id = c.certificate_id)",
    ),
    (
        "profiles without an outbox row",
        "SELECT count(*) FROM profiles p WHERE NOT EXISTS
         (SELECT 1 FROM outbox o WHERE o.kind = 'profile' AND o.record_id = p.badge_id)",
    ),
    (
        "outbox claim rows without their claim",
        "SELECT count(*) FROM outbox o WHERE o.kind = 'claim' AND NOT EXISTS
         (SELECT 1 FROM claims c WHERE c.claim_id = o.record_id)",
    ),
    (
        "outbox certificate rows without their certificate",
        "SELECT count(*) FROM outbox o WHERE o.kind = 'certificate' AND NOT EXISTS
         (SELECT 1 FROM certificates c WHERE c.certificate_id = o.record_id)",
    ),
];

/// Integrity and the whole-database rules; a list of what is wrong.
pub fn database_problems(c: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    let integrity: Vec<String> = c
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    if integrity != ["ok"] {
        problems.push(format!("PRAGMA integrity_check: {integrity:?}"));
    }
    let fk: Option<String> = c
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    if let Some(table) = fk {
        problems.push(format!(
            "PRAGMA foreign_key_check: a row of {table} breaks its key"
        ));
    }
    for (what, sql) in RULES {
        let n: i64 = c.query_row(sql, [], |r| r.get(0)).unwrap();
        if n != 0 {
            problems.push(format!("{n} {what}"));
        }
    }
    problems
}

/// The rows of the one visit committed since `before`: everything it must
/// have, as a list of what is missing or wrong.
pub fn committed_visit_problems(
    c: &Connection,
    badge: &str,
    before: &Snapshot,
    after: &Snapshot,
    selected: i64,
) -> Vec<String> {
    let mut problems = Vec::new();
    let new_visits: Vec<&String> = after
        .badge_visits
        .difference(&before.badge_visits)
        .collect();
    let new_certs: Vec<&String> = after
        .badge_certificates
        .difference(&before.badge_certificates)
        .collect();
    if new_visits.len() != 1 || new_certs.len() != 1 {
        problems.push(format!(
            "{} new visits and {} new certificates for {badge}, not 1 and 1",
            new_visits.len(),
            new_certs.len()
        ));
        return problems;
    }
    let (visit, cert) = (new_visits[0], new_certs[0]);
    let grew = after.badge_claims - before.badge_claims;
    if grew != selected {
        problems.push(format!(
            "{badge}'s claims grew by {grew}, not by the {selected} selected"
        ));
    }
    let of_visit: i64 = c
        .query_row(
            "SELECT count(*) FROM claims WHERE visit_id = ?1 AND badge_id = ?2",
            [visit, badge],
            |r| r.get(0),
        )
        .unwrap();
    if of_visit != selected {
        problems.push(format!(
            "the new visit {visit} has {of_visit} claims, not {selected}"
        ));
    }
    let cert_visit: String = c
        .query_row(
            "SELECT visit_id FROM certificates WHERE certificate_id = ?1",
            [cert],
            |r| r.get(0),
        )
        .unwrap();
    if cert_visit != *visit {
        problems.push(format!(
            "certificate {cert} is of visit {cert_visit}, not of the new visit {visit}"
        ));
    }
    if after.badge_profile != 1 {
        problems.push(format!("{badge} has no profile after a committed visit"));
    }
    // Outbox: the profile, each claim, the certificate (no evaluation: it
    // was complete before).
    let new_outbox: Vec<(String, String)> = {
        let mut stmt = c
            .prepare("SELECT kind, record_id FROM outbox WHERE seq > ?1 ORDER BY seq")
            .unwrap();
        stmt.query_map([before.outbox_seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let want_claims: BTreeSet<String> = {
        let mut stmt = c
            .prepare("SELECT claim_id FROM claims WHERE visit_id = ?1")
            .unwrap();
        stmt.query_map([visit], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let got_claims: BTreeSet<String> = new_outbox
        .iter()
        .filter(|(k, _)| k == "claim")
        .map(|(_, r)| r.clone())
        .collect();
    if got_claims != want_claims {
        problems.push(format!(
            "new outbox claim rows {got_claims:?} are not the visit's claims {want_claims:?}"
        ));
    }
    if !new_outbox.contains(&("certificate".into(), cert.clone())) {
        problems.push(format!("no new outbox row for certificate {cert}"));
    }
    if !new_outbox.contains(&("profile".into(), badge.to_string())) {
        problems.push(format!("no new outbox row for {badge}'s profile"));
    }
    let expected_outbox = 2 + selected;
    if new_outbox.len() as i64 != expected_outbox {
        problems.push(format!(
            "{} new outbox rows ({new_outbox:?}), not {expected_outbox}",
            new_outbox.len()
        ));
    }
    // Nobody else changed.
    let profile_added = after.badge_profile - before.badge_profile;
    let totals = [
        ("claims", after.claims - before.claims, selected),
        ("certificates", after.certificates - before.certificates, 1),
        ("visits", after.visits - before.visits, 1),
        ("profiles", after.profiles - before.profiles, profile_added),
        ("answers", after.answers - before.answers, 0),
        ("outbox", after.outbox - before.outbox, expected_outbox),
    ];
    for (table, grew, want) in totals {
        if grew != want {
            problems.push(format!("{table} grew by {grew}, not {want}"));
        }
    }
    problems
}
