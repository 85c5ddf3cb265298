//! Every word the kiosk shows, in one place, so that translating it (or
//! changing a word) touches nothing else. One file per screen; every item
//! is re-exported here, so code writes `strings::SCAN_HEADING` whichever
//! file holds it.

mod attest;
mod certificate;
mod common;
mod credit;
mod evaluation;
mod scan;
mod sessions;
mod staff;
mod welcome;

pub use attest::*;
pub use certificate::*;
pub use common::*;
pub use credit::*;
pub use evaluation::*;
pub use scan::*;
pub use sessions::*;
pub use staff::*;
pub use welcome::*;
