//! The rules of the product, with no I/O: credit types and who gets them,
//! quarter-hour arithmetic, the overlap and maximum rules, evaluation
//! completeness, badge parsing and the validation of the IDs attendees type.
//! The kiosk and the hub both call these, so there is one implementation.

pub mod badge;
pub mod certificate_id;
pub mod credits;
pub mod email;
pub mod evaluation;
pub mod ids;
pub mod lang;
pub mod pin;
pub mod qr;
pub mod sign_in;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A credit type offered by the activity. The codes appear in files and data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CreditCode {
    AMA,
    AAPA,
    ANCC,
    ACPE,
    MOC,
    COP,
}

impl CreditCode {
    pub const ALL: [CreditCode; 6] = [
        CreditCode::AMA,
        CreditCode::AAPA,
        CreditCode::ANCC,
        CreditCode::ACPE,
        CreditCode::MOC,
        CreditCode::COP,
    ];

    /// Codes a session can list in `credit_types`.
    pub const SESSION_CODES: [CreditCode; 4] = [
        CreditCode::AMA,
        CreditCode::ANCC,
        CreditCode::ACPE,
        CreditCode::MOC,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CreditCode::AMA => "AMA",
            CreditCode::AAPA => "AAPA",
            CreditCode::ANCC => "ANCC",
            CreditCode::ACPE => "ACPE",
            CreditCode::MOC => "MOC",
            CreditCode::COP => "COP",
        }
    }

    /// The session eligibility that governs this credit type: AAPA and COP
    /// follow AMA.
    pub fn follows(self) -> CreditCode {
        match self {
            CreditCode::AAPA | CreditCode::COP => CreditCode::AMA,
            other => other,
        }
    }

    /// MOC is taken only by attendees who opt in.
    pub fn is_opt_in(self) -> bool {
        self == CreditCode::MOC
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CreditCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        CreditCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| {
                format!("credit type '{s}' is not one of AMA, AAPA, ANCC, ACPE, MOC, COP")
            })
    }
}

/// A set of credit codes, small enough to copy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CodeSet(u8);

impl CodeSet {
    pub fn contains(self, code: CreditCode) -> bool {
        self.0 & (1 << code as u8) != 0
    }
    pub fn insert(&mut self, code: CreditCode) {
        self.0 |= 1 << code as u8;
    }
    pub fn remove(&mut self, code: CreditCode) {
        self.0 &= !(1 << code as u8);
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = CreditCode> {
        CreditCode::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
    /// `AMA;ANCC` — the form used in files and in the store.
    pub fn to_list(self) -> String {
        self.iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }
    /// Parses a `;`-separated list; an empty string is the empty set.
    pub fn parse_list(s: &str) -> Result<CodeSet, String> {
        let mut set = CodeSet::default();
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            set.insert(part.parse()?);
        }
        Ok(set)
    }
}

impl FromIterator<CreditCode> for CodeSet {
    fn from_iter<I: IntoIterator<Item = CreditCode>>(iter: I) -> Self {
        let mut set = CodeSet::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    Physician,
    PhysicianAssistant,
    Nurse,
    Pharmacist,
    Other,
}

impl Profession {
    pub const ALL: [Profession; 5] = [
        Profession::Physician,
        Profession::PhysicianAssistant,
        Profession::Nurse,
        Profession::Pharmacist,
        Profession::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Profession::Physician => "physician",
            Profession::PhysicianAssistant => "physician_assistant",
            Profession::Nurse => "nurse",
            Profession::Pharmacist => "pharmacist",
            Profession::Other => "other",
        }
    }
}

impl fmt::Display for Profession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profession {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Profession::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "profession '{s}' is not one of physician, physician_assistant, nurse, pharmacist, other"
                )
            })
    }
}

/// Credits are counted in quarter hours so that sums are exact.
pub type Quarters = u32;

/// Parses a credit amount such as `1.25` or `3` into quarters. Refuses
/// negatives, anything not a multiple of 0.25, and more than two decimals.
pub fn parse_quarters(s: &str) -> Result<Quarters, String> {
    let t = s.trim();
    let bad = || format!("credits '{s}' is not a multiple of 0.25 (e.g. 1, 1.25, 0.75)");
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let whole = if whole.is_empty() && !frac.is_empty() {
        "0"
    } else {
        whole
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 6 {
        return Err(bad());
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    let q = match frac {
        "" => 0,
        "25" => 1,
        "5" => 2,
        "75" => 3,
        _ => return Err(bad()),
    };
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    Ok(whole * 4 + q)
}

/// `5` quarters → `1.25`; whole numbers print without decimals.
pub fn format_quarters(q: Quarters) -> String {
    let whole = q / 4;
    match q % 4 {
        0 => format!("{whole}"),
        1 => format!("{whole}.25"),
        2 => format!("{whole}.5"),
        _ => format!("{whole}.75"),
    }
}

/// An amount with its unit, singular for exactly one: "1 credit",
/// "1.25 credits", "1 contact hour". `unit` is the plural as configured;
/// its last word loses its "s" for one (English's plural rule: only the
/// integer 1 is singular).
pub fn amount(q: Quarters, unit: &str) -> String {
    let n = format_quarters(q);
    if q == 4
        && let Some(one) = unit.strip_suffix('s')
    {
        return format!("{n} {one}");
    }
    format!("{n} {unit}")
}

/// Removes control characters (C0, DEL, C1) so data from files or scans can
/// never move the cursor or change the terminal when drawn.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_and_print() {
        assert_eq!(parse_quarters("1.25"), Ok(5));
        assert_eq!(parse_quarters("3"), Ok(12));
        assert_eq!(parse_quarters("0.5"), Ok(2));
        assert_eq!(parse_quarters(".75"), Ok(3));
        assert_eq!(parse_quarters("38.750"), Ok(155));
        assert!(parse_quarters("1.3").is_err());
        assert!(parse_quarters("-1").is_err());
        assert!(parse_quarters("abc").is_err());
        assert!(parse_quarters("").is_err());
        assert!(parse_quarters("1e3").is_err());
        assert_eq!(format_quarters(155), "38.75");
        assert_eq!(format_quarters(8), "2");
        assert_eq!(format_quarters(2), "0.5");
        assert_eq!(amount(4, "credits"), "1 credit");
        assert_eq!(amount(5, "credits"), "1.25 credits");
        assert_eq!(amount(4, "contact hours"), "1 contact hour");
        assert_eq!(amount(2, "hours"), "0.5 hours");
        assert_eq!(amount(8, "MOC points"), "2 MOC points");
    }

    #[test]
    fn codes_round_trip_and_unknown_is_named() {
        let set = CodeSet::parse_list("AMA; ANCC;MOC").unwrap();
        assert_eq!(set.to_list(), "AMA;ANCC;MOC");
        let err = CodeSet::parse_list("AMA;CME").unwrap_err();
        assert!(err.contains("'CME'"), "{err}");
        assert_eq!(CreditCode::COP.follows(), CreditCode::AMA);
        assert_eq!(CreditCode::AAPA.follows(), CreditCode::AMA);
        assert_eq!(CreditCode::ANCC.follows(), CreditCode::ANCC);
    }

    #[test]
    fn sanitize_strips_escapes() {
        assert_eq!(sanitize("Ann\u{1b}]0;pwned\u{7}e"), "Ann]0;pwnede");
        assert_eq!(sanitize("a\u{9b}31mb\r\nc"), "a31mbc");
        assert_eq!(sanitize("José 王芳"), "José 王芳");
    }
}
