//! Staff mode: the PIN, then a menu of what staff do at a kiosk — find an
//! attendee, reissue a QR, void a claim, add a walk-in, upload, read the
//! audit log, lock the kiosk, quit. Every action goes to the runner as a
//! request (`StaffRequest`), is carried out on the store and audited there,
//! and comes back as a `StaffReply` (the exchange is
//! `kiosk::staff_exchange`, which the runner and the app share too). The
//! PIN screen, the staff screen's state and its drawing have a file each.

mod pin;
mod state;
mod view;

pub use pin::PinState;
pub use state::{StaffState, StaffView, WalkInForm};
