//! Staff PINs: stored only as Argon2id hashes in PHC string form.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("a PIN has 4 to 32 characters")]
    Length,
    #[error("staff_pin_hash is not an Argon2 hash ({0}); make one with `cekiosk hash-pin`")]
    BadHash(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

pub fn hash(pin: &str) -> Result<String, PinError> {
    if !(4..=32).contains(&pin.chars().count()) {
        return Err(PinError::Length);
    }
    Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Checks that a configured hash is a well-formed Argon2 PHC string.
pub fn check_hash(phc: &str) -> Result<(), PinError> {
    let parsed = PasswordHash::new(phc).map_err(|e| PinError::BadHash(e.to_string()))?;
    if !parsed.algorithm.as_str().starts_with("argon2") {
        return Err(PinError::BadHash(format!("algorithm {}", parsed.algorithm)));
    }
    if parsed.hash.is_none() {
        return Err(PinError::BadHash("no hash value".into()));
    }
    Ok(())
}

pub fn verify(pin: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("2468").unwrap();
        assert!(h.starts_with("$argon2id$"));
        check_hash(&h).unwrap();
        assert!(verify("2468", &h));
        assert!(!verify("2469", &h));
        assert!(hash("12").is_err());
        assert!(check_hash("not a hash").is_err());
        assert!(!verify("2468", "garbage"));
    }
}

// The lockout rule, in one place: the kiosk's messages ("5 wrong PINs",
// "locks for 5 minutes") are formatted from these.
/// Wrong PINs in a row before staff mode locks.
pub const MAX_FAILURES: u32 = 5;
/// How long staff mode stays locked, in minutes.
pub const LOCK_MINUTES: i64 = 5;
/// How long staff mode stays locked.
pub const LOCK_SECONDS: i64 = LOCK_MINUTES * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    Accepted,
    Wrong { left: u32 },
    Locked { until: jiff::Timestamp },
}

/// The lockout rule: given the failures so far, whether staff mode is
/// locked until some time, and this attempt's result, what happens and
/// what to remember. While locked, even the right PIN is refused.
pub fn attempt(
    failures: u32,
    locked_until: Option<jiff::Timestamp>,
    pin_ok: bool,
    now: jiff::Timestamp,
) -> (PinOutcome, u32, Option<jiff::Timestamp>) {
    if let Some(until) = locked_until.filter(|u| now < *u) {
        return (PinOutcome::Locked { until }, failures, Some(until));
    }
    if pin_ok {
        return (PinOutcome::Accepted, 0, None);
    }
    let failures = failures + 1;
    if failures >= MAX_FAILURES {
        let until = now
            .checked_add(jiff::SignedDuration::from_secs(LOCK_SECONDS))
            .unwrap_or(now);
        (PinOutcome::Locked { until }, 0, Some(until))
    } else {
        (
            PinOutcome::Wrong {
                left: MAX_FAILURES - failures,
            },
            failures,
            None,
        )
    }
}

#[cfg(test)]
mod lockout_tests {
    use super::*;

    #[test]
    fn five_wrong_pins_lock_for_five_minutes() {
        let t0: jiff::Timestamp = "2026-11-25T18:00:00Z".parse().unwrap();
        let (mut failures, mut until) = (0, None);
        for n in 1..5 {
            let (o, f, u) = attempt(failures, until, false, t0);
            assert_eq!(o, PinOutcome::Wrong { left: 5 - n });
            (failures, until) = (f, u);
        }
        let (o, f, u) = attempt(failures, until, false, t0);
        let lock_end: jiff::Timestamp = "2026-11-25T18:05:00Z".parse().unwrap();
        assert_eq!(o, PinOutcome::Locked { until: lock_end });
        (failures, until) = (f, u);
        // Even the right PIN is refused while locked.
        let later: jiff::Timestamp = "2026-11-25T18:04:59Z".parse().unwrap();
        assert!(matches!(
            attempt(failures, until, true, later).0,
            PinOutcome::Locked { .. }
        ));
        // After five minutes the right PIN works and the count starts over.
        let (o, f, u) = attempt(failures, until, true, lock_end);
        assert_eq!((o, f, u), (PinOutcome::Accepted, 0, None));
        // A right PIN resets the count of wrong ones.
        let (_, f, _) = attempt(3, None, true, t0);
        assert_eq!(f, 0);
    }
}
