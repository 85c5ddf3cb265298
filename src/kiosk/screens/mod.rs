//! One module per screen: its state, what its keys and taps do, and how it
//! is drawn.

pub mod attest;
pub mod certificate;
pub mod credit;
pub mod evaluation;
pub mod scan;
pub mod sessions;
pub mod staff;
pub mod welcome;
