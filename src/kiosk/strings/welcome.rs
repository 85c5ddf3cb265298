//! Words of the Welcome screen: the attendee confirms who they are.

use super::{Words, s, words};

impl Words {
    /// "Welcome, {name}": the heading, with the attendee's name and degree.
    pub fn welcome(self, name: &str) -> String {
        self.tr_args("welcome", &[("name", s(name))])
    }
}

words! {
    welcome_question,
    /// Footer of Welcome.
    yes_thats_me,
    not_me,
}
