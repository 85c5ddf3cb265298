//! Words of the Credit screen: credit types and the IDs each needs.

use super::{Words, n, s, words};
use crate::domain::ids::IdError;

words! {
    credit_heading,
    credit_none,
    moc_name,
    moc_consent,
    moc_consent_needed,
    epid,
    birth_mmdd,
    abim_id,
    role,
    role_pharmacist,
    role_technician,
    on_file,
    /// Footer of Credit.
    next,
    tick_untick,
    /// Beside the pharmacy role, and the walk-in form's profession.
    space_changes,
}

impl Words {
    /// Beside an empty ID field whose value the hub holds.
    pub fn on_file_ending(self, ending: &str) -> String {
        self.tr_args("on_file_ending", &[("ending", s(ending))])
    }

    /// The line above the credit types, for a profession (its code, such as
    /// `physician_assistant`).
    pub fn credit_intro(self, profession: &str) -> String {
        self.tr_args("credit_intro", &[("profession", s(profession))])
    }

    /// A profession's name, from its code.
    pub fn profession(self, code: &str) -> String {
        self.tr_args("profession", &[("profession", s(code))])
    }
}

words! {
    /// The IDs as a sentence names them ("enter your e-Profile ID").
    epid_short,
    abim_short,
}

impl Words {
    /// What is wrong with the ID in the field named `field`.
    pub fn id_problem(self, e: IdError, field: &str) -> String {
        match e {
            IdError::Missing => self.tr_args("id_missing", &[("field", s(field))]),
            IdError::NotDigits => self.tr_args("id_not_digits", &[("field", s(field))]),
            IdError::Length { lo, hi } => self.tr_args(
                if lo == hi {
                    "id_length_exact"
                } else {
                    "id_length_range"
                },
                &[
                    ("field", s(field)),
                    ("lo", n(lo as i64)),
                    ("hi", n(hi as i64)),
                ],
            ),
            IdError::NotMmdd => self.tr("mmdd_format"),
            IdError::Month(m) => self.tr_args("mmdd_month", &[("month", s(&format!("{m:02}")))]),
            IdError::NotADate { month, day } => self.tr_args(
                "mmdd_not_a_date",
                &[("date", s(&format!("{month:02}/{day:02}")))],
            ),
        }
    }
}
