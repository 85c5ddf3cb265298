//! Telling a badge scanner from a person. Scanners are keyboard wedges: a
//! burst of keys a few milliseconds apart, ending in Enter or in an idle
//! gap (vCards carry line breaks inside). A person types slower.
//!
//! The first key of a burst is handled at once, so typing never lags; the
//! state before it is kept. Further keys inside the burst are held. When
//! the burst ends, a scan-like burst becomes one `Scan` on the kept state
//! (undoing the first key), and anything else is replayed key by key.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Keys closer together than this belong to one burst.
pub const BURST_GAP: Duration = Duration::from_millis(50);
/// A burst shorter than this is a person, not a scanner.
const MIN_SCAN_KEYS: usize = 4;

pub struct Burst<S> {
    pub snapshot: S,
    pub last: Instant,
    pub text: String,
    pub held: Vec<KeyEvent>,
    keys: usize,
    only_text: bool,
}

/// A finished burst. If it looks like a scan, the runner looks it up and,
/// when it is a badge, restores `snapshot` and treats `text` as a scan;
/// otherwise it replays the `held` keys.
pub struct Finished<S> {
    pub scan_like: bool,
    pub snapshot: S,
    pub text: String,
    pub held: Vec<KeyEvent>,
    pub last: Instant,
}

pub struct ScanDetector<S> {
    burst: Option<Burst<S>>,
}

impl<S> Default for ScanDetector<S> {
    fn default() -> Self {
        ScanDetector { burst: None }
    }
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

impl<S> ScanDetector<S> {
    /// When the current burst will be over if no key comes.
    pub fn deadline(&self) -> Option<Instant> {
        self.burst.as_ref().map(|b| b.last + BURST_GAP)
    }

    /// A key arrived at `at`. Returns true if it must be handled now (the
    /// first key of a burst); false if it is held. `snapshot` is called
    /// only when a new burst starts. A burst still open from before is
    /// returned finished first.
    pub fn key(
        &mut self,
        key: KeyEvent,
        at: Instant,
        snapshot: impl FnOnce() -> S,
    ) -> (Option<Finished<S>>, bool) {
        if let Some(b) = self.burst.as_mut()
            && at.saturating_duration_since(b.last) <= BURST_GAP
        {
            b.last = at;
            b.keys += 1;
            match scan_char(&key) {
                Some(c) => b.text.push(c),
                None => b.only_text = false,
            }
            b.held.push(key);
            return (None, false);
        }
        let finished = self.finish();
        let c = scan_char(&key);
        self.burst = Some(Burst {
            snapshot: snapshot(),
            last: at,
            text: c.map(String::from).unwrap_or_default(),
            held: Vec::new(),
            keys: 1,
            only_text: c.is_some() && c != Some('\n'),
        });
        (finished, true)
    }

    /// Ends the burst if its gap has passed by `now`.
    pub fn poll(&mut self, now: Instant) -> Option<Finished<S>> {
        match self.deadline() {
            Some(d) if now >= d => self.finish(),
            _ => None,
        }
    }

    fn finish(&mut self) -> Option<Finished<S>> {
        let b = self.burst.take()?;
        let printable = b.text.chars().filter(|c| !c.is_whitespace()).count();
        Some(Finished {
            scan_like: b.only_text && b.keys >= MIN_SCAN_KEYS && printable >= MIN_SCAN_KEYS - 1,
            snapshot: b.snapshot,
            text: b.text,
            held: b.held,
            last: b.last,
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
        let mut d = ScanDetector::<u32>::default();
        let (f, now) = d.key(k('A'), t0, || 7);
        assert!(f.is_none() && now);
        for (i, c) in "0012345".chars().enumerate() {
            let (f, now) = d.key(k(c), t0 + Duration::from_millis(8 * (i as u64 + 1)), || 0);
            assert!(f.is_none() && !now);
        }
        d.key(enter(), t0 + Duration::from_millis(70), || 0);
        assert!(d.poll(t0 + Duration::from_millis(80)).is_none());
        let f = d.poll(t0 + Duration::from_millis(200)).unwrap();
        assert!(f.scan_like);
        assert_eq!(f.snapshot, 7);
        assert_eq!(f.text, "A0012345\n");
        assert_eq!(f.held.len(), 8);
    }

    #[test]
    fn vcard_with_line_breaks_ends_on_the_gap() {
        let t0 = Instant::now();
        let mut d = ScanDetector::<()>::default();
        let card = "BEGIN:VCARD\nUID:A1\nEND:VCARD";
        for (i, c) in card.chars().enumerate() {
            let key = if c == '\n' { enter() } else { k(c) };
            d.key(key, t0 + Duration::from_millis(5 * i as u64), || ());
        }
        let f = d.poll(t0 + Duration::from_secs(1)).unwrap();
        assert!(f.scan_like);
        assert_eq!(f.text, card);
    }

    #[test]
    fn a_person_typing_is_not_a_scan() {
        let t0 = Instant::now();
        let mut d = ScanDetector::<()>::default();
        for (i, c) in "lung".chars().enumerate() {
            let (f, now) = d.key(k(c), t0 + Duration::from_millis(150 * i as u64), || ());
            assert!(now, "each slow key is handled at once");
            if i > 0 {
                let f = f.unwrap();
                assert!(!f.scan_like && f.held.is_empty());
            }
        }
        // Two quick keys are replayed, not taken as a scan.
        let mut d = ScanDetector::<()>::default();
        d.key(k('a'), t0, || ());
        d.key(enter(), t0 + Duration::from_millis(10), || ());
        let f = d.poll(t0 + Duration::from_secs(1)).unwrap();
        assert!(!f.scan_like);
        assert_eq!(f.held, vec![enter()]);
    }
}
