//! Words of the Evaluation screen around the configured questions.

use super::{n, tr, tr_args, words};

words! {
    required,
    optional_skip,
    answer_required,
    /// Footer of a text question.
    continue_empty_skips,
}

/// The title of a text answer's box.
pub fn your_answer() -> String {
    format!(" {} ", tr("your_answer"))
}

/// After the option already chosen.
pub fn chosen() -> String {
    format!("   ✓ {}", tr("chosen"))
}

/// The heading: "Evaluation — Question 2 of 5".
pub fn evaluation_heading(k: usize, total: usize) -> String {
    tr_args(
        "evaluation_heading",
        &[("k", n(k as i64)), ("n", n(total as i64))],
    )
}
