//! Words of the Evaluation screen around the configured questions.

use super::{Words, n, words};

words! {
    required,
    optional_skip,
    answer_required,
    /// Footer of a text question.
    continue_empty_skips,
}

impl Words {
    /// The title of a text answer's box.
    pub fn your_answer(self) -> String {
        format!(" {} ", self.tr("your_answer"))
    }

    /// After the option already chosen.
    pub fn chosen(self) -> String {
        format!("   ✓ {}", self.tr("chosen"))
    }

    /// The heading: "Evaluation — Question 2 of 5".
    pub fn evaluation_heading(self, k: usize, total: usize) -> String {
        self.tr_args(
            "evaluation_heading",
            &[("k", n(k as i64)), ("n", n(total as i64))],
        )
    }
}
