//! Words of the Certificate screen.

pub const CERT_HEADING: &str = "Certificate — scan this code with your phone";
pub const CERT_CODE: &str = "Certificate code";
pub const CERT_DONE: &str =
    "Your credit is recorded. Open the link to view or print your certificate.";

/// Footer of Certificate.
pub const DONE: &str = "Done";
