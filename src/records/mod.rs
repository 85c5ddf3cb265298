//! Every record that travels between a kiosk and the hub, one type per
//! kind: what the kiosk's store writes to its outbox, what the hub checks
//! and keeps, and what the hub's feed sends back down. Depends on `domain`
//! only, so the store, sync and the hub all meet here and nowhere else.

pub mod envelope;
pub mod roster;

pub use envelope::{Change, Cursor, Record, Rejected};
pub use roster::{AttendeeRow, SessionRow};
