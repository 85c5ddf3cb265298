//! Turning what a badge scanner sent into the badge ids it may stand for.
//!
//! Scanners send a plain id, a URL ending in the id, a vCard or MECARD, or
//! caret-separated fields. We split the scan into its parts, then apply the
//! configured pattern to each; the caller looks the candidates up in order.

use regex::Regex;

/// Longest scan we look at; anything longer is not a badge.
pub const MAX_SCAN_CHARS: usize = 2048;

/// The parts of a scan that may hold the badge id, most specific first.
fn parts(scan: &str) -> Vec<String> {
    let scan = scan.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    let mut out = Vec::new();
    let upper = scan.to_ascii_uppercase();
    if upper.contains("BEGIN:VCARD") {
        let mut others = Vec::new();
        for line in scan.lines().map(str::trim) {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let name = key.split(';').next().unwrap_or("").to_ascii_uppercase();
            match name.as_str() {
                "UID" => out.push(value.trim().to_string()),
                "BEGIN" | "END" | "VERSION" => {}
                _ => others.push(value.trim().to_string()),
            }
        }
        out.extend(others);
    } else if upper.starts_with("MECARD:") {
        for field in scan[7..].split(';') {
            if let Some((_, value)) = field.split_once(':') {
                out.push(value.trim().to_string());
            }
        }
    } else if scan.contains('^') {
        out.extend(scan.split('^').map(|f| f.trim().to_string()));
    } else if upper.starts_with("HTTP://") || upper.starts_with("HTTPS://") {
        let no_fragment = scan.split('#').next().unwrap_or(scan);
        let (path, query) = no_fragment.split_once('?').unwrap_or((no_fragment, ""));
        if let Some(last) = path.trim_end_matches('/').rsplit('/').next() {
            out.push(last.to_string());
        }
        for pair in query.split('&') {
            if let Some((_, v)) = pair.split_once('=') {
                out.push(v.to_string());
            }
        }
    }
    out.push(scan.to_string());
    out.retain(|p| !p.is_empty());
    out
}

/// The badge ids a scan may stand for, best first. With a pattern, its
/// matches in each part come first (the first capture group if it has one),
/// then the bare parts, so staff badges and typed ids outside the pattern
/// still resolve. An over-long scan stands for nothing.
pub fn candidates(scan: &str, pattern: Option<&Regex>) -> Vec<String> {
    if scan.chars().count() > MAX_SCAN_CHARS {
        return Vec::new();
    }
    let parts = parts(scan);
    let mut out: Vec<String> = Vec::new();
    if let Some(re) = pattern {
        for part in &parts {
            for caps in re.captures_iter(part) {
                let m = caps.get(1).or_else(|| caps.get(0));
                // A pattern that can match nothing must not make an empty id.
                if let Some(m) = m.filter(|m| !m.as_str().is_empty()) {
                    out.push(m.as_str().to_string());
                }
            }
        }
    }
    out.extend(parts);
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| {
        c.chars().count() <= 128 && !c.chars().any(char::is_control) && seen.insert(c.clone())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn re() -> Regex {
        Regex::new("A[0-9]{7}").unwrap()
    }

    fn first(scan: &str) -> Option<String> {
        candidates(scan, Some(&re())).into_iter().next()
    }

    #[test]
    fn plain_id() {
        assert_eq!(first("A0012345").as_deref(), Some("A0012345"));
        assert_eq!(candidates(" A0012345\r", None), vec!["A0012345"]);
    }

    #[test]
    fn url_ending_in_id() {
        assert_eq!(
            first("https://reg.example.org/badge/A0012345").as_deref(),
            Some("A0012345")
        );
        let c = candidates("https://reg.example.org/b/X77/?x=1#top", None);
        assert_eq!(c[0], "X77");
        assert!(c.contains(&"1".to_string()));
    }

    #[test]
    fn vcard_uid_first() {
        let card = "BEGIN:VCARD\nVERSION:3.0\nN:Okafor;Amelia\nFN:Amelia Okafor\nUID:A0012345\nEMAIL:a@example.org\nEND:VCARD";
        assert_eq!(first(card).as_deref(), Some("A0012345"));
        assert_eq!(candidates(card, None)[0], "A0012345");
        let no_uid = "BEGIN:VCARD\r\nFN:Amelia\r\nNOTE:Badge A0012345\r\nEND:VCARD";
        assert_eq!(first(no_uid).as_deref(), Some("A0012345"));
    }

    #[test]
    fn mecard_and_carets() {
        assert_eq!(
            first("MECARD:N:Okafor,Amelia;NOTE:A0012345;;").as_deref(),
            Some("A0012345")
        );
        let c = candidates("A0012345^OKAFOR^AMELIA^MD", None);
        assert_eq!(c[0], "A0012345");
        assert_eq!(first("ONC26^A0012345^OKAFOR").as_deref(), Some("A0012345"));
    }

    #[test]
    fn a_pattern_matching_nothing_makes_no_empty_id() {
        let re = Regex::new("A?[0-9]*").unwrap();
        assert_eq!(candidates("hello", Some(&re)), vec!["hello"]);
    }

    #[test]
    fn capture_group_extracts_inside_match() {
        let re = Regex::new(r"ID=(\d{6})").unwrap();
        assert_eq!(candidates("xx ID=123456 yy", Some(&re))[0], "123456");
    }

    #[test]
    fn huge_or_control_scans_stand_for_nothing_useful() {
        assert!(candidates(&"A".repeat(10_000), Some(&re())).is_empty());
        let c = candidates("\u{1b}[2J\u{1b}]0;x\u{7}", Some(&re()));
        assert!(c.iter().all(|s| !s.chars().any(char::is_control)));
    }

    proptest! {
        #[test]
        fn never_panics_and_yields_clean_short_candidates(s in ".{0,3000}") {
            for c in candidates(&s, Some(&re())) {
                prop_assert!(!c.is_empty());
                prop_assert!(c.chars().count() <= 128);
                prop_assert!(!c.chars().any(char::is_control));
            }
        }
    }
}
