//! Telling a badge scanner from a person. Scanners are keyboard wedges: a
//! burst of keys a few milliseconds apart, ending in Enter or in an idle
//! gap (vCards carry line breaks inside). A person types slower.
//!
//! Keys are held until their burst is over (one `BURST_GAP` after the
//! last), so nothing of a scan ever reaches a screen and nothing has to be
//! undone: a scan-like burst becomes one look-up of its text, and anything
//! else is handed on key by key, as typed.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Keys closer together than this belong to one burst.
pub const BURST_GAP: Duration = Duration::from_millis(50);
/// A burst shorter than this is a person, not a scanner.
const MIN_SCAN_KEYS: usize = 4;

/// The keys of a burst still open, with when each arrived.
struct Burst {
    keys: Vec<(KeyEvent, Instant)>,
    text: String,
    only_text: bool,
}

impl Burst {
    fn last(&self) -> Instant {
        self.keys.last().map_or_else(Instant::now, |(_, at)| *at)
    }
}

/// A finished burst: a scan-like one is looked up as a badge (its keys
/// handed on as typed if it is none); anything else is keys as typed.
#[derive(Debug)]
pub struct Finished {
    pub scan_like: bool,
    /// What the keys spell, line breaks included.
    pub text: String,
    /// Every key of the burst, with when it arrived.
    pub keys: Vec<(KeyEvent, Instant)>,
}

impl Finished {
    /// When the burst's last key arrived.
    pub fn last(&self) -> Instant {
        self.keys.last().map_or_else(Instant::now, |(_, at)| *at)
    }
}

#[derive(Default)]
pub struct ScanDetector {
    burst: Option<Burst>,
}

fn scan_char(key: &KeyEvent) -> Option<char> {
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

impl ScanDetector {
    /// When the current burst will be over if no key comes.
    pub fn deadline(&self) -> Option<Instant> {
        self.burst.as_ref().map(|b| b.last() + BURST_GAP)
    }

    /// A key arrived at `at`: it joins the open burst, or starts one; a
    /// burst it does not belong to is returned finished.
    pub fn key(&mut self, key: KeyEvent, at: Instant) -> Option<Finished> {
        if let Some(b) = self.burst.as_mut()
            && at.saturating_duration_since(b.last()) <= BURST_GAP
        {
            match scan_char(&key) {
                Some(c) => b.text.push(c),
                None => b.only_text = false,
            }
            b.keys.push((key, at));
            return None;
        }
        let finished = self.finish();
        let c = scan_char(&key);
        self.burst = Some(Burst {
            keys: vec![(key, at)],
            text: c.map(String::from).unwrap_or_default(),
            only_text: c.is_some() && c != Some('\n'),
        });
        finished
    }

    /// Ends the burst if its gap has passed by `now`.
    pub fn poll(&mut self, now: Instant) -> Option<Finished> {
        match self.deadline() {
            Some(d) if now >= d => self.finish(),
            _ => None,
        }
    }

    fn finish(&mut self) -> Option<Finished> {
        let b = self.burst.take()?;
        let printable = b.text.chars().filter(|c| !c.is_whitespace()).count();
        Some(Finished {
            scan_like: b.only_text
                && b.keys.len() >= MIN_SCAN_KEYS
                && printable >= MIN_SCAN_KEYS - 1,
            text: b.text,
            keys: b.keys,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }
    fn enter() -> KeyEvent {
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
    }

    #[test]
    fn fast_burst_with_enter_is_a_scan() {
        let t0 = Instant::now();
        let mut d = ScanDetector::default();
        assert!(d.key(k('A'), t0).is_none());
        for (i, c) in "0012345".chars().enumerate() {
            let f = d.key(k(c), t0 + Duration::from_millis(8 * (i as u64 + 1)));
            assert!(f.is_none());
        }
        d.key(enter(), t0 + Duration::from_millis(70));
        assert!(d.poll(t0 + Duration::from_millis(80)).is_none());
        let f = d.poll(t0 + Duration::from_millis(200)).unwrap();
        assert!(f.scan_like);
        assert_eq!(f.text, "A0012345\n");
        assert_eq!(f.keys.len(), 9);
        assert_eq!(f.last(), t0 + Duration::from_millis(70));
    }

    #[test]
    fn vcard_with_line_breaks_ends_on_the_gap() {
        let t0 = Instant::now();
        let mut d = ScanDetector::default();
        let card = "BEGIN:VCARD\nUID:A1\nEND:VCARD";
        for (i, c) in card.chars().enumerate() {
            let key = if c == '\n' { enter() } else { k(c) };
            d.key(key, t0 + Duration::from_millis(5 * i as u64));
        }
        let f = d.poll(t0 + Duration::from_secs(1)).unwrap();
        assert!(f.scan_like);
        assert_eq!(f.text, card);
    }

    #[test]
    fn a_person_typing_is_not_a_scan() {
        let t0 = Instant::now();
        let mut d = ScanDetector::default();
        for (i, c) in "lung".chars().enumerate() {
            let f = d.key(k(c), t0 + Duration::from_millis(150 * i as u64));
            if i > 0 {
                let f = f.expect("each slow key is a burst of its own");
                assert!(!f.scan_like && f.keys.len() == 1);
            }
        }
        // Two quick keys are handed on, not taken as a scan.
        let mut d = ScanDetector::default();
        d.key(k('a'), t0);
        d.key(enter(), t0 + Duration::from_millis(10));
        let f = d.poll(t0 + Duration::from_secs(1)).unwrap();
        assert!(!f.scan_like);
        assert_eq!(
            f.keys.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![k('a'), enter()]
        );
    }
}
