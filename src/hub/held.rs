//! Why the hub keeps a claim or a record without counting it: one enum,
//! each reason with the values it names. The claims views return a held
//! claim's reason as a code (`held`) beside the claim's own columns and
//! the session's designation (`designated_q`), read here into a
//! [`HeldReason`]; the award's rules make the ACPE ones. The words are
//! Fluent messages (`held-*` in `i18n/{code}/certificate.ftl`) in the
//! language of the page that shows them; the CE office's pages, held.csv,
//! `cekiosk hub held` and the kiosks' device state (the sync protocol's
//! `Rejected.reason`) carry the English ones ([`std::fmt::Display`]).

use crate::domain::lang::Lang;
use crate::domain::{Quarters, format_quarters};
use crate::hub::words::word;

/// A claim kept out of a total (held at the hub, or by the award's
/// rules), with its session and the reason shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLine {
    pub session_id: String,
    pub title: String,
    pub reason: HeldReason,
}

/// Why a claim does not count, or a record was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldReason {
    /// The claim's session is not in the hub's catalog (yet).
    SessionNotInCatalog { session_id: String },
    /// The claim's attendee is not on the hub's roster (yet).
    AttendeeNotOnRoster { badge_id: String },
    /// The claim is for more than the session is designated now.
    OverDesignation {
        session_id: String,
        claimed: Quarters,
        designated: Quarters,
    },
    /// The session had not ended by the claim's time, or by when the hub
    /// received it.
    NotEnded {
        session_id: String,
        claimed_at: String,
    },
    /// ACPE: a session earlier in the award already counts this UAN
    /// (`with` is its title).
    SharedUan { with: String },
    /// ACPE: claimed for part of the session's hours.
    AcpePartial {
        claimed: Quarters,
        designated: Quarters,
    },
    /// ACPE: at the same time as another session that counts (its title).
    AcpeSimultaneous { with: String },
    /// ACPE: its hours would pass the activity's ACPE maximum.
    AcpeOverMaximum,
    /// A record at a sequence the hub already holds for `device_id` with
    /// another record (a kiosk restored from a backup, or cloned).
    SequenceConflict { device_id: String },
    /// A record the hub's check refused, with the check's words as the
    /// hub stored them (they travel to the kiosk as they are).
    NotRead { reason: String },
    /// A held claim whose code this build does not know (a hub database
    /// migrated by a newer build): still held, and shown with its code,
    /// never dropped from the lists.
    Unrecognised { code: String },
}

/// A held claim as the claims views return it: the code in `held` and the
/// claim's values the reason names.
#[derive(Debug, Clone, Copy)]
pub struct HeldClaimValues<'a> {
    pub session_id: &'a str,
    pub badge_id: &'a str,
    pub credits_q: i32,
    /// The session's designation in the catalog now, if it is there.
    pub designated_q: Option<i32>,
    pub claimed_at: &'a str,
}

impl HeldReason {
    /// The reason the claims views give as `code` (their `held` column),
    /// with the claim's values; a code they do not return (or one without
    /// the values it names) is kept as [`HeldReason::Unrecognised`].
    pub fn from_view(code: &str, claim: HeldClaimValues) -> HeldReason {
        let quarters = |q: i32| q.max(0) as Quarters;
        let unrecognised = || HeldReason::Unrecognised {
            code: code.to_string(),
        };
        match code {
            "session_not_in_catalog" => HeldReason::SessionNotInCatalog {
                session_id: claim.session_id.to_string(),
            },
            "attendee_not_on_roster" => HeldReason::AttendeeNotOnRoster {
                badge_id: claim.badge_id.to_string(),
            },
            "over_designation" => HeldReason::OverDesignation {
                session_id: claim.session_id.to_string(),
                claimed: quarters(claim.credits_q),
                designated: match claim.designated_q {
                    Some(q) => quarters(q),
                    None => return unrecognised(),
                },
            },
            "not_ended" => HeldReason::NotEnded {
                session_id: claim.session_id.to_string(),
                claimed_at: claim.claimed_at.to_string(),
            },
            _ => unrecognised(),
        }
    }

    /// The Fluent message that words it, with its values; `None` for a
    /// record the check refused (its words are the check's own).
    fn message(&self) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        use HeldReason::*;
        let q = |q: &Quarters| format_quarters(*q);
        Some(match self {
            SessionNotInCatalog { session_id } => (
                "held-session-not-in-catalog",
                vec![("session", session_id.clone())],
            ),
            AttendeeNotOnRoster { badge_id } => (
                "held-attendee-not-on-roster",
                vec![("badge", badge_id.clone())],
            ),
            OverDesignation {
                session_id,
                claimed,
                designated,
            } => (
                "held-over-designation",
                vec![
                    ("session", session_id.clone()),
                    ("claimed", q(claimed)),
                    ("designated", q(designated)),
                ],
            ),
            NotEnded {
                session_id,
                claimed_at,
            } => (
                "held-not-ended",
                vec![("session", session_id.clone()), ("at", claimed_at.clone())],
            ),
            SharedUan { with } => ("held-shared-uan", vec![("title", with.clone())]),
            AcpePartial {
                claimed,
                designated,
            } => (
                "held-acpe-partial",
                vec![("claimed", q(claimed)), ("designated", q(designated))],
            ),
            AcpeSimultaneous { with } => ("held-acpe-simultaneous", vec![("title", with.clone())]),
            AcpeOverMaximum => ("held-acpe-over-maximum", vec![]),
            SequenceConflict { device_id } => (
                "held-sequence-conflict",
                vec![("device", device_id.clone())],
            ),
            NotRead { .. } | Unrecognised { .. } => return None,
        })
    }

    /// The reason in `lang`'s words (not escaped).
    pub fn words(&self, lang: Lang) -> String {
        match (self, self.message()) {
            (_, Some((id, args))) => {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                word(lang, id, &args)
            }
            (HeldReason::NotRead { reason }, None) => reason.clone(),
            (HeldReason::Unrecognised { code }, None) => format!("held at the hub ({code})"),
            (_, None) => String::new(),
        }
    }
}

/// The English words: what the office's pages and files, and the kiosks,
/// are given.
impl std::fmt::Display for HeldReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(code: &str) -> HeldReason {
        HeldReason::from_view(
            code,
            HeldClaimValues {
                session_id: "S008",
                badge_id: "A0012345",
                credits_q: 5,
                designated_q: Some(2),
                claimed_at: "2026-11-23T16:00:00Z",
            },
        )
    }

    /// The English words are the sentences the hub has always given: the
    /// kiosks, held.csv and the office's pages read them.
    #[test]
    fn english_words_are_the_hubs_sentences() {
        let said = |code: &str| claim(code).to_string();
        assert_eq!(
            said("session_not_in_catalog"),
            "session S008 is not in the hub's catalog"
        );
        assert_eq!(
            said("attendee_not_on_roster"),
            "attendee A0012345 is not on the hub's roster"
        );
        assert_eq!(
            said("over_designation"),
            "claims 1.25 of session S008, now designated 0.5"
        );
        assert_eq!(
            said("not_ended"),
            "session S008 had not ended when it was claimed (2026-11-23T16:00:00Z)"
        );
        // A code this build does not know stays held, with its code.
        assert_eq!(said("something else"), "held at the hub (something else)");
        assert_eq!(
            HeldReason::SequenceConflict {
                device_id: "d1".into()
            }
            .to_string(),
            "a different record at a sequence the hub already holds for device d1 \
             (a kiosk restored from a backup, or cloned); the kiosk sends it again under a new device id"
        );
        assert_eq!(
            HeldReason::AcpePartial {
                claimed: 2,
                designated: 4
            }
            .to_string(),
            "claimed for 0.5 of its 1 hours; ACPE sessions are claimed whole"
        );
    }

    /// Every reason has words of its own in every language the hub has.
    #[test]
    fn every_reason_is_worded_in_every_language() {
        let reasons = [
            claim("session_not_in_catalog"),
            claim("attendee_not_on_roster"),
            claim("over_designation"),
            claim("not_ended"),
            HeldReason::SharedUan { with: "T".into() },
            HeldReason::AcpePartial {
                claimed: 2,
                designated: 4,
            },
            HeldReason::AcpeSimultaneous { with: "T".into() },
            HeldReason::AcpeOverMaximum,
            HeldReason::SequenceConflict {
                device_id: "d1".into(),
            },
        ];
        for lang in Lang::ALL {
            for r in &reasons {
                let (id, _) = r.message().unwrap();
                let words = r.words(lang);
                assert!(!words.is_empty() && words != id, "{} {id}", lang.code());
                if lang != Lang::En {
                    assert_ne!(words, r.to_string(), "{} {id} is English", lang.code());
                }
            }
        }
    }
}
