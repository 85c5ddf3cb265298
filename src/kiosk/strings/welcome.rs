//! Words of the Welcome screen: the attendee confirms who they are.

pub const WELCOME_PREFIX: &str = "Welcome, ";
pub const WELCOME_QUESTION: &str = "Is this you?";

/// Footer of Welcome.
pub const YES_THATS_ME: &str = "Yes, that's me";
pub const NOT_ME: &str = "Not me";
