//! Committing a visit — claims, answers, the remembered profile, the
//! certificate and their outbox rows — in one transaction, and reading an
//! attendee's history back.

use crate::records::{self, Body};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError, StoreResult};
use crate::domain::certificate_id::{Summary, mint};
use crate::domain::evaluation::Answers;
use crate::domain::ids::{IdSource, new_id, new_short_code};
use crate::domain::{CodeSet, CreditCode, Quarters};

/// What an attendee chose at the Credit screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreditChoices {
    pub codes: CodeSet,
    pub epid: Option<String>,
    pub birth_mmdd: Option<String>,
    /// `pharmacist` or `technician`.
    pub pharm_role: Option<String>,
    pub moc_consent: bool,
    pub abim_id: Option<String>,
    /// What is on file at the hub but not on this kiosk, from a visit at
    /// another kiosk: the hub sends kiosks only that an ID is on file and
    /// its last two digits, never its value (docs/security.md).
    pub on_file: OnFile,
}

/// IDs on file at the hub, as far as a kiosk may know them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnFile {
    /// The last two digits of the NABP e-Profile ID on file.
    pub epid_ending: Option<String>,
    /// The last two digits of the ABIM ID on file.
    pub abim_ending: Option<String>,
    /// A birth month and day is on file.
    pub birth: bool,
}

impl CreditChoices {
    /// What this profile tells another kiosk: the endings of the IDs it
    /// holds or knows to be on file.
    pub fn on_file_now(&self) -> OnFile {
        let ending = |v: &Option<String>, known: &Option<String>| {
            v.as_deref().map(id_ending).or_else(|| known.clone())
        };
        OnFile {
            epid_ending: ending(&self.epid, &self.on_file.epid_ending),
            abim_ending: ending(&self.abim_id, &self.on_file.abim_ending),
            birth: self.birth_mmdd.is_some() || self.on_file.birth,
        }
    }
}

/// The last two characters of an ID, enough for its owner to recognise it.
pub fn id_ending(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    chars[chars.len().saturating_sub(2)..].iter().collect()
}

/// Everything one pass through the kiosk commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub badge_id: String,
    pub kiosk_id: String,
    pub device_id: String,
    pub profile: CreditChoices,
    /// (session id, claimed quarters)
    pub claims: Vec<(String, Quarters)>,
    /// New or changed answers.
    pub answers: Vec<(String, String)>,
    /// What the certificate id carries, signed (docs/security.md); None: a
    /// plain random id.
    pub summary: Option<SummaryKey>,
    /// The language the attendee used, carried with the certificate.
    pub language: Option<crate::domain::lang::Lang>,
    /// The attendee declined the certificate by e-mail for this visit.
    pub mail_declined: bool,
}

/// The kiosk's key and the credits by type the Certificate screen shows,
/// for a certificate id with a verified summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryKey {
    pub key: [u8; 32],
    pub credits: Vec<(CreditCode, Quarters)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub claim_id: String,
    pub session_id: String,
    pub credits: Quarters,
    pub claimed_at: String,
    pub voided: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    pub certificate_id: String,
    pub short_code: String,
    pub badge_id: String,
    pub issued_at: String,
}

pub(super) fn certificate_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CertificateRow> {
    Ok(CertificateRow {
        certificate_id: r.get(0)?,
        short_code: r.get(1)?,
        badge_id: r.get(2)?,
        issued_at: r.get(3)?,
    })
}

/// Queues a record for the hub, in the caller's transaction: the record
/// is written with the change it describes, or not at all.
pub(super) fn push_outbox(
    tx: &Transaction<'_>,
    record: impl Into<Body>,
    record_id: &str,
    now: &str,
) -> rusqlite::Result<()> {
    let record = record.into();
    tx.execute(
        "INSERT INTO outbox(kind, record_id, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![record.kind(), record_id, record.to_json(), now],
    )?;
    Ok(())
}

enum CommitError {
    Sql(rusqlite::Error),
    Rule(String),
}

impl From<rusqlite::Error> for CommitError {
    fn from(e: rusqlite::Error) -> Self {
        CommitError::Sql(e)
    }
}

impl Store {
    /// Commits a visit in one transaction: all of it or none of it. Refuses
    /// a session the attendee already holds a claim for, or a claim above
    /// the session's designation.
    pub fn commit_visit(
        &mut self,
        v: &NewVisit,
        rng: &mut dyn IdSource,
    ) -> StoreResult<CertificateRow> {
        let issued = jiff::Timestamp::now();
        let now = issued.to_string();
        let visit_id = new_id(rng);
        let summary = v.summary.as_ref().and_then(|s| {
            let mut random = [0u8; 12];
            rng.fill(&mut random);
            let summary = Summary {
                kiosk: v.kiosk_id.clone(),
                issued,
                credits: s.credits.clone(),
            };
            mint(&s.key, &summary, random)
        });
        let certificate = CertificateRow {
            certificate_id: summary.unwrap_or_else(|| new_id(rng)),
            short_code: new_short_code(rng),
            badge_id: v.badge_id.clone(),
            issued_at: now.clone(),
        };
        let claim_ids: Vec<String> = v.claims.iter().map(|_| new_id(rng)).collect();
        let (tx, wrap) = self.begin()?;
        let result = (|| -> std::result::Result<(), CommitError> {
            let codes = v.profile.codes.to_list();
            tx.execute(
                "INSERT INTO visits(visit_id, badge_id, device_id, kiosk_id, codes, committed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![visit_id, v.badge_id, v.device_id, v.kiosk_id, codes, now],
            )?;
            let p = &v.profile;
            let known = p.on_file_now();
            tx.execute(
                "INSERT INTO profiles(badge_id, codes, epid, birth_mmdd, pharm_role, moc_consent, abim_id, updated_at,
                                      epid_ending, abim_ending, birth_on_file)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(badge_id) DO UPDATE SET codes = excluded.codes, epid = excluded.epid,
                   birth_mmdd = excluded.birth_mmdd, pharm_role = excluded.pharm_role,
                   moc_consent = excluded.moc_consent, abim_id = excluded.abim_id,
                   updated_at = excluded.updated_at, epid_ending = excluded.epid_ending,
                   abim_ending = excluded.abim_ending, birth_on_file = excluded.birth_on_file",
                params![v.badge_id, codes, p.epid, p.birth_mmdd, p.pharm_role, p.moc_consent, p.abim_id, now,
                        known.epid_ending, known.abim_ending, known.birth],
            )?;
            // An ID left as it was on file goes as null: the hub keeps the
            // value it has.
            push_outbox(
                &tx,
                records::Profile {
                    abim_ending: known.abim_ending.clone(),
                    abim_id: p.abim_id.clone(),
                    at: now.clone(),
                    badge_id: v.badge_id.clone(),
                    birth_mmdd: p.birth_mmdd.clone(),
                    birth_on_file: known.birth,
                    codes: codes.clone(),
                    epid: p.epid.clone(),
                    epid_ending: known.epid_ending.clone(),
                    moc_consent: p.moc_consent,
                    pharm_role: p.pharm_role.clone(),
                },
                &v.badge_id,
                &now,
            )?;
            for ((session_id, credits), claim_id) in v.claims.iter().zip(&claim_ids) {
                let designated: Option<u32> = tx
                    .query_row(
                        "SELECT credits_q FROM sessions WHERE session_id = ?1",
                        [session_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(designated) = designated else {
                    return Err(CommitError::Rule(format!(
                        "session {session_id} is not in the catalog"
                    )));
                };
                if !crate::domain::credits::claim_fits(i64::from(*credits), designated) {
                    return Err(CommitError::Rule(format!(
                        "claim of {credits} quarter hours for session {session_id} is outside 1..={designated}"
                    )));
                }
                let held: bool = tx
                    .prepare_cached(
                        "SELECT 1 FROM claims WHERE badge_id = ?1 AND session_id = ?2 AND voided_at IS NULL",
                    )?
                    .exists(params![v.badge_id, session_id])?;
                if held {
                    return Err(CommitError::Rule(format!(
                        "session {session_id} is already claimed by {}",
                        v.badge_id
                    )));
                }
                tx.execute(
                    "INSERT INTO claims(claim_id, visit_id, badge_id, session_id, credits_q, claimed_at, device_id, kiosk_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![claim_id, visit_id, v.badge_id, session_id, credits, now, v.device_id, v.kiosk_id],
                )?;
                push_outbox(
                    &tx,
                    records::Claim {
                        badge_id: v.badge_id.clone(),
                        claim_id: claim_id.clone(),
                        claimed_at: now.clone(),
                        credits_q: i64::from(*credits),
                        kiosk_id: v.kiosk_id.clone(),
                        session_id: session_id.clone(),
                        visit_id: visit_id.clone(),
                    },
                    claim_id,
                    &now,
                )?;
            }
            for (question, answer) in &v.answers {
                tx.execute(
                    "INSERT INTO answers(badge_id, question_id, answer, answered_at, visit_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(badge_id, question_id) DO UPDATE SET answer = excluded.answer,
                       answered_at = excluded.answered_at, visit_id = excluded.visit_id",
                    params![v.badge_id, question, answer, now, visit_id],
                )?;
            }
            if !v.answers.is_empty() {
                push_outbox(
                    &tx,
                    records::Evaluation {
                        answered: Vec::new(),
                        answers: v.answers.iter().cloned().collect(),
                        at: now.clone(),
                        badge_id: v.badge_id.clone(),
                        visit_id: visit_id.clone(),
                    },
                    &visit_id,
                    &now,
                )?;
            }
            tx.execute(
                "INSERT INTO certificates(certificate_id, short_code, badge_id, visit_id, issued_at, device_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![certificate.certificate_id, certificate.short_code, v.badge_id, visit_id, now, v.device_id],
            )?;
            push_outbox(
                &tx,
                records::Certificate {
                    badge_id: v.badge_id.clone(),
                    certificate_id: certificate.certificate_id.clone(),
                    codes,
                    issued_at: now.clone(),
                    kiosk_id: v.kiosk_id.clone(),
                    language: v.language.map(|l| l.code().to_string()),
                    mail_declined: v.mail_declined,
                    short_code: certificate.short_code.clone(),
                    visit_id: visit_id.clone(),
                },
                &certificate.certificate_id,
                &now,
            )?;
            Ok(())
        })();
        match result {
            Ok(()) => {
                tx.commit().map_err(&wrap)?;
                Ok(certificate)
            }
            // Dropping the transaction rolls it back.
            Err(CommitError::Rule(m)) => Err(StoreError::Rule(m)),
            Err(CommitError::Sql(e)) => Err(wrap(e)),
        }
    }

    pub fn claims_of(&self, badge_id: &str) -> StoreResult<Vec<ClaimRow>> {
        self.query_all(
            "SELECT claim_id, session_id, credits_q, claimed_at, voided_at IS NOT NULL
                 FROM claims WHERE badge_id = ?1 ORDER BY claimed_at, claim_id",
            [badge_id],
            |r| {
                Ok(ClaimRow {
                    claim_id: r.get(0)?,
                    session_id: r.get(1)?,
                    credits: r.get(2)?,
                    claimed_at: r.get(3)?,
                    voided: r.get(4)?,
                })
            },
        )
    }

    pub fn answers_of(&self, badge_id: &str) -> StoreResult<Answers> {
        self.query_all(
            "SELECT question_id, answer FROM answers WHERE badge_id = ?1",
            [badge_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    pub fn profile(&self, badge_id: &str) -> StoreResult<Option<CreditChoices>> {
        self.conn
            .query_row(
                "SELECT codes, epid, birth_mmdd, pharm_role, moc_consent, abim_id,
                        epid_ending, abim_ending, birth_on_file
                 FROM profiles WHERE badge_id = ?1",
                [badge_id],
                |r| {
                    Ok(CreditChoices {
                        codes: CodeSet::parse_list(&r.get::<_, String>(0)?).unwrap_or_default(),
                        epid: r.get(1)?,
                        birth_mmdd: r.get(2)?,
                        pharm_role: r.get(3)?,
                        moc_consent: r.get(4)?,
                        abim_id: r.get(5)?,
                        on_file: OnFile {
                            epid_ending: r.get(6)?,
                            abim_ending: r.get(7)?,
                            birth: r.get(8)?,
                        },
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn certificate(&self, certificate_id: &str) -> StoreResult<Option<CertificateRow>> {
        self.conn
            .query_row(
                "SELECT certificate_id, short_code, badge_id, issued_at FROM certificates
                 WHERE certificate_id = ?1",
                [certificate_id],
                certificate_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Profession;
    use crate::domain::ids::OsRandom;
    use crate::records::{AttendeeRow, SessionRow};

    fn seeded() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("k.db")).unwrap();
        s.upsert_attendees(
            &[AttendeeRow {
                badge_id: "A1".into(),
                first_name: "Ana".into(),
                last_name: "Núñez".into(),
                degree: "MD".into(),
                profession: Profession::Physician,
                email: "ana@example.org".into(),
            }],
            &mut |_| {},
        )
        .unwrap();
        let session = |id: &str, credits| SessionRow {
            session_id: id.into(),
            title: format!("Session {id}"),
            starts_at: "2026-11-23T08:00".into(),
            ends_at: "2026-11-23T09:00".into(),
            credits,
            credit_types: CodeSet::parse_list("AMA").unwrap(),
            track: String::new(),
            room: String::new(),
            acpe_uan: String::new(),
        };
        s.upsert_sessions(&[session("S1", 4), session("S2", 4)])
            .unwrap();
        (dir, s)
    }

    fn visit(claims: &[(&str, u32)]) -> NewVisit {
        NewVisit {
            badge_id: "A1".into(),
            kiosk_id: "K01".into(),
            device_id: "dev".into(),
            profile: CreditChoices {
                codes: CodeSet::parse_list("AMA").unwrap(),
                ..CreditChoices::default()
            },
            claims: claims.iter().map(|(s, q)| (s.to_string(), *q)).collect(),
            answers: vec![("fair".into(), "Yes".into())],
            summary: None,
            language: None,
            mail_declined: false,
        }
    }

    #[test]
    fn a_visit_commits_everything_with_its_outbox_rows() {
        let (_d, mut s) = seeded();
        let cert = s
            .commit_visit(&visit(&[("S1", 4), ("S2", 3)]), &mut OsRandom)
            .unwrap();
        assert_eq!(
            s.certificate(&cert.certificate_id)
                .unwrap()
                .unwrap()
                .badge_id,
            "A1"
        );
        let claims = s.claims_of("A1").unwrap();
        assert_eq!(claims.len(), 2);
        assert_eq!(s.answers_of("A1").unwrap()["fair"], "Yes");
        assert_eq!(s.profile("A1").unwrap().unwrap().codes.to_list(), "AMA");
        let c = s.counts().unwrap();
        assert_eq!((c.claims, c.certificates), (2, 1));
        // profile + 2 claims + evaluation + certificate
        assert_eq!(c.not_uploaded, 5);
    }

    #[test]
    fn a_refused_visit_writes_nothing() {
        let (_d, mut s) = seeded();
        s.commit_visit(&visit(&[("S1", 4)]), &mut OsRandom).unwrap();
        let before = s.counts().unwrap();
        // S2 is new but S1 is held already: the whole visit is refused.
        let e = s
            .commit_visit(&visit(&[("S2", 4), ("S1", 2)]), &mut OsRandom)
            .unwrap_err();
        assert!(e.to_string().contains("already claimed"), "{e}");
        assert_eq!(s.counts().unwrap(), before);
        let e = s
            .commit_visit(&visit(&[("S2", 5)]), &mut OsRandom)
            .unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
        let e = s
            .commit_visit(&visit(&[("S9", 1)]), &mut OsRandom)
            .unwrap_err();
        assert!(e.to_string().contains("not in the catalog"), "{e}");
        assert_eq!(s.counts().unwrap(), before);
    }
}
