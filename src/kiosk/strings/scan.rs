//! Words of the Scan screen, where every visit starts.

use super::words;

words! {
    scan_heading,
    scan_help,
    scan_field,
    badge_unknown,
    /// Footer of Scan and of the locked screen.
    staff,
    /// Footer of Scan: the key that moves to the next language.
    next_language,
    /// Above the list of languages on Scan.
    choose_language,
}
