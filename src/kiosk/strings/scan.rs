//! Words of the Scan screen, where every visit starts.

pub const SCAN_HEADING: &str = "Scan your badge";
pub const SCAN_HELP: &str =
    "Hold your badge under the scanner, or type your badge number and press Enter.";
pub const SCAN_FIELD: &str = "Badge number";
pub const BADGE_UNKNOWN: &str = "Badge not recognised — please see staff at the CE help desk.";

/// Footer of Scan and of the locked screen.
pub const STAFF: &str = "Staff";
