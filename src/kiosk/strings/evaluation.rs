//! Words of the Evaluation screen around the configured questions.

pub const QUESTION: &str = "Question";
pub const REQUIRED: &str = "Required";
pub const OPTIONAL_SKIP: &str = "Optional — Enter on an empty answer skips it.";
pub const ANSWER_REQUIRED: &str = "This question needs an answer.";

/// The heading: "Evaluation — Question 2 of 5".
pub fn evaluation_heading(k: usize, n: usize) -> String {
    format!("Evaluation — {QUESTION} {k} of {n}")
}
/// Footer of a text question.
pub const CONTINUE_EMPTY_SKIPS: &str = "Continue (empty skips)";
/// The title of a text answer's box.
pub const YOUR_ANSWER: &str = " your answer ";
/// After the option already chosen.
pub const CHOSEN: &str = "   ✓ chosen";
