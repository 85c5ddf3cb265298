//! Validation of what attendees type at the Credit screen, and the random
//! identifiers the kiosk creates.

use base64::Engine;

/// NABP e-Profile ID: digits only.
pub fn validate_epid(s: &str) -> Result<String, String> {
    validate_digits(s, "e-Profile ID")
}

/// ABIM ID: digits only.
pub fn validate_abim_id(s: &str) -> Result<String, String> {
    validate_digits(s, "ABIM ID")
}

fn validate_digits(s: &str, what: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("enter your {what}"));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the {what} has digits only"));
    }
    if !(4..=10).contains(&t.len()) {
        return Err(format!("the {what} is 4 to 10 digits"));
    }
    Ok(t.to_string())
}

/// Birth month and day as MMDD; a real date (29 February is one).
pub fn validate_mmdd(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("birth month and day as MMDD, e.g. 0314".into());
    }
    let month: u32 = t[..2].parse().map_err(|_| "month 01 to 12".to_string())?;
    let day: u32 = t[2..].parse().map_err(|_| "day 01 to 31".to_string())?;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return Err(format!("month {:02} is not 01 to 12", month)),
    };
    if day == 0 || day > days {
        return Err(format!("{month:02}/{day:02} is not a real date"));
    }
    Ok(t.to_string())
}

/// A source of randomness, injectable so tests can fix identifiers.
pub trait IdSource {
    fn fill(&mut self, buf: &mut [u8]);
}

/// The operating system's random generator.
pub struct OsRandom;

impl IdSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        // The OS generator failing is not something a kiosk can recover
        // from or work around; ids must never be predictable.
        getrandom::fill(buf).expect("the operating system's random generator failed");
    }
}

/// A 128-bit random id, base64url without padding (22 characters): URL-safe,
/// unguessable, and carrying no personal data.
pub fn new_id(rng: &mut dyn IdSource) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// A short code a person can read out to staff: 8 characters of Crockford
/// base32 (no I, L, O, U), shown as `XXXX-XXXX`.
pub fn new_short_code(rng: &mut dyn IdSource) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut b = [0u8; 8];
    rng.fill(&mut b);
    let chars: String = b
        .iter()
        .map(|x| ALPHABET[(*x & 31) as usize] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmdd_must_be_a_real_date() {
        assert!(validate_mmdd("0229").is_ok());
        assert!(validate_mmdd("1231").is_ok());
        assert!(validate_mmdd("0230").is_err());
        assert!(validate_mmdd("0431").is_err());
        assert!(validate_mmdd("1301").is_err());
        assert!(validate_mmdd("0000").is_err());
        assert!(validate_mmdd("314").is_err());
        assert!(validate_mmdd("03-1").is_err());
    }

    #[test]
    fn profile_ids_are_digits() {
        assert_eq!(validate_epid(" 1234567 ").unwrap(), "1234567");
        assert!(validate_epid("12a4567").unwrap_err().contains("digits"));
        assert!(validate_epid("").is_err());
        assert!(validate_abim_id("123").is_err());
        assert!(validate_abim_id("123456").is_ok());
    }

    #[test]
    fn ids_are_long_url_safe_and_distinct() {
        let a = new_id(&mut OsRandom);
        let b = new_id(&mut OsRandom);
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        let code = new_short_code(&mut OsRandom);
        assert_eq!(code.len(), 9);
    }
}
