//! Validation of what attendees type at the Credit screen, and the random
//! identifiers the kiosk creates.

use base64::Engine;

// The forms below are checked where the attendee types them, because PARS
// and CPE Monitor refuse a wrong one weeks later, when the attendee is gone.
// ACCME asks providers to collect "the diplomate's specialty board-assigned
// ID" and the date of birth as month/day
// (https://www.accme.org/faq/what-information-should-i-collect-about-each-board-certified-physician-participates-cme);
// ACPE and NABP ask for "the NABP e-Profile ID and date of birth (in MMDD
// format)" (https://www.associationdatabase.com/aws/OPA/pt/sd/news_article/50930/_PARENT/layout_interior_details/true,
// https://www.acpe-accredit.org/your-cpe-credit/). Neither publishes the
// length in those pages; the lengths here are those of the IDs both boards
// issue: ABIM IDs are six digits, NABP e-Profile IDs six or seven (they
// are numbered in sequence and passed a million). Check them against the
// boards' current upload specifications before an event.

/// What is wrong with an ID an attendee typed. Screens put it in the
/// attendee's words; `Display` is the English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Nothing typed.
    Missing,
    /// Something other than digits.
    NotDigits,
    /// The wrong number of digits: `lo` to `hi` are wanted.
    Length { lo: usize, hi: usize },
    /// Not four digits as MMDD.
    NotMmdd,
    /// A month that is not 01 to 12.
    Month(u32),
    /// A month and day that never occur together.
    NotADate { month: u32, day: u32 },
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Missing => write!(f, "enter the ID"),
            IdError::NotDigits => write!(f, "the ID has digits only"),
            IdError::Length { lo, hi } if lo == hi => write!(f, "the ID is {lo} digits"),
            IdError::Length { lo, hi } => write!(f, "the ID is {lo} or {hi} digits"),
            IdError::NotMmdd => write!(f, "birth month and day as MMDD, e.g. 0314"),
            IdError::Month(m) => write!(f, "month {m:02} is not 01 to 12"),
            IdError::NotADate { month, day } => write!(f, "{month:02}/{day:02} is not a real date"),
        }
    }
}

/// NABP e-Profile ID: six or seven digits.
pub fn validate_epid(s: &str) -> Result<String, IdError> {
    validate_digits(s, 6..=7)
}

/// ABIM ID: six digits.
pub fn validate_abim_id(s: &str) -> Result<String, IdError> {
    validate_digits(s, 6..=6)
}

fn validate_digits(s: &str, len: std::ops::RangeInclusive<usize>) -> Result<String, IdError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(IdError::Missing);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    if !len.contains(&t.len()) {
        return Err(IdError::Length {
            lo: *len.start(),
            hi: *len.end(),
        });
    }
    Ok(t.to_string())
}

/// The ACCME activity ID PARS knows the activity by: nine digits.
pub fn validate_accme_activity_id(s: &str) -> Result<(), String> {
    if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("'{s}' is not an ACCME activity ID (9 digits)"))
    }
}

/// The ACPE provider number that begins every UAN: four digits for an
/// ACPE-accredited provider (e.g. 0204), or JA and seven digits for a
/// jointly accredited one (e.g. JA0000534), as in ACPE's UAN format
/// (https://www.acpe-accredit.org/universal-activity-numbers/).
pub fn validate_acpe_provider_number(s: &str) -> Result<(), String> {
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    match s.strip_prefix("JA") {
        Some(rest) if digits(rest, 7) => Ok(()),
        None if digits(s, 4) => Ok(()),
        _ => Err(format!(
            "'{s}' is not an ACPE provider number (4 digits, or JA and 7 digits)"
        )),
    }
}

/// Whether an id that goes into a URL or a path (a certificate id, a
/// device id) has a length in `len` and only URL-safe characters.
pub fn is_url_safe_id(id: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Birth month and day as MMDD; a real date (29 February is one).
pub fn validate_mmdd(s: &str) -> Result<String, IdError> {
    let t = s.trim();
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotMmdd);
    }
    let month: u32 = t[..2].parse().map_err(|_| IdError::NotMmdd)?;
    let day: u32 = t[2..].parse().map_err(|_| IdError::NotMmdd)?;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return Err(IdError::Month(month)),
    };
    if day == 0 || day > days {
        return Err(IdError::NotADate { month, day });
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
        assert!(
            validate_epid("12a4567")
                .unwrap_err()
                .to_string()
                .contains("digits")
        );
        assert!(validate_epid("").is_err());
        assert!(validate_abim_id("123").is_err());
        assert!(validate_abim_id("123456").is_ok());
        // Lengths that PARS and CPE Monitor would refuse weeks later.
        assert!(validate_abim_id("12345").is_err());
        assert!(
            validate_abim_id("1234567")
                .unwrap_err()
                .to_string()
                .contains("6 digits")
        );
        assert!(
            validate_epid("12345")
                .unwrap_err()
                .to_string()
                .contains("6 or 7")
        );
        assert!(validate_epid("918273").is_ok());
        assert!(validate_epid("12345678").is_err());
    }

    #[test]
    fn accreditation_numbers_have_their_published_form() {
        assert!(validate_accme_activity_id("202611230").is_ok());
        assert!(validate_accme_activity_id("20261123").is_err());
        assert!(validate_accme_activity_id("20261123X").is_err());
        assert!(validate_acpe_provider_number("JA0000534").is_ok());
        assert!(validate_acpe_provider_number("0204").is_ok());
        assert!(validate_acpe_provider_number("JA000053").is_err());
        assert!(validate_acpe_provider_number("204").is_err());
        assert!(validate_acpe_provider_number("").is_err());
        assert!(is_url_safe_id("abcdefghijklmnop_-12", 16..=64));
        assert!(!is_url_safe_id("short", 16..=64));
        assert!(!is_url_safe_id("abcdefghijklmnop/..", 16..=64));
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
