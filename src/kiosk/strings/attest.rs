//! Words of the Attest screen: the summary of what will be claimed.

use super::{Words, n, s, words};

words! {
    attest_heading,
    claimed_this_visit,
    claimed_earlier_visits,
    what_counts,
    /// The unit claims are counted in when the credit types have none in
    /// common.
    credits_unit,
    /// Footer of Attest.
    agree,
    /// Before the masked address the certificate is e-mailed to.
    mail_to,
    /// Footer of Attest: decline the e-mail for this visit.
    no_mail,
    /// Footer of Attest, once declined: take it back.
    mail_after_all,
}

impl Words {
    /// The e-mail declined for this visit, with the masked address.
    pub fn mail_declined(self, address: &str) -> String {
        self.tr_args("mail_declined", &[("address", s(address))])
    }

    /// "1 session", "3 sessions".
    pub fn sessions(self, count: usize) -> String {
        self.tr_args("sessions", &[("n", n(count as i64))])
    }

    /// "3 sessions, 3.5 credits": what the attendee claimed, before the rules,
    /// in `unit` (e.g. "contact hours").
    pub fn sessions_and_credits(
        self,
        count: usize,
        q: crate::domain::Quarters,
        unit: &str,
    ) -> String {
        self.tr_args(
            "sessions_and_credits",
            &[
                ("n", n(count as i64)),
                ("amount", s(&self.quarters(q))),
                ("unit", s(unit)),
            ],
        )
    }

    /// "and 4 more" below a list cut short.
    pub fn and_more(self, count: usize) -> String {
        self.tr_args("and_more", &[("n", n(count as i64))])
    }
}
