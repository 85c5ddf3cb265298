//! Words of the Certificate screen.

use super::words;

words! {
    cert_heading,
    cert_code,
    cert_done,
    /// Footer of Certificate.
    done,
}
