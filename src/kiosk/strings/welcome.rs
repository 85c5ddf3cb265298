//! Words of the Welcome screen: the attendee confirms who they are.

use super::{s, tr_args, words};

/// "Welcome, {name}": the heading, with the attendee's name and degree.
pub fn welcome(name: &str) -> String {
    tr_args("welcome", &[("name", s(name))])
}

words! {
    welcome_question,
    /// Footer of Welcome.
    yes_thats_me,
    not_me,
}
