//! Words of the Sessions screen: the list, why a session cannot be
//! ticked, and the running totals (also shown on Attest and Certificate).

use super::{Words, n, s, words};

words! {
    sessions_heading,
    filter,
    filter_hint,
    no_match,
    claimed_earlier,
    not_ended,
    no_credit,
    simultaneous,
    /// Beside a session the attendee was scanned into at the door.
    scanned_at_door,
    /// Above the list, when the attendee was scanned into sessions at the
    /// door.
    scanned_note,
    /// Beside an ACPE session's claimed hours: no +/− for it.
    whole,
    select_first,
    acpe_whole,
    why_claimed_earlier,
    why_not_ended,
    why_no_credit,
    why_no_uan,
    why_simultaneous_acpe,
    totals,
    overlap_note,
    cap_note,
    nothing_selected,
    /// Beside the filter while it has the keys.
    filter_to_list,
    /// Footer of Sessions while the filter has the keys: Tab to the list.
    to_list,
    /// Footer of Sessions.
    select,
    more,
    less,
}

impl Words {
    /// On Sessions, when the claim could not be recorded because the
    /// attendee's records changed meanwhile.
    pub fn records_changed(self, dropped: &[String]) -> String {
        if dropped.is_empty() {
            self.tr("records_changed")
        } else {
            self.tr_args(
                "records_changed_dropped",
                &[("dropped", s(&dropped.join("; ")))],
            )
        }
    }

    /// A session's credits on its line: "1.5 cr".
    pub fn credits_short(self, amount: &str) -> String {
        self.tr_args("credits_short", &[("amount", s(amount))])
    }

    /// A ticked session claimed in part: "1.25 of 1.5".
    pub fn claimed_of(self, claimed: &str, designated: &str) -> String {
        self.tr_args(
            "claimed_of",
            &[("claimed", s(claimed)), ("designated", s(designated))],
        )
    }

    /// A line of the totals: "of 8 AMA PRA Category 1 Credit™" after the
    /// amount awarded.
    pub fn of_max(self, max: &str, credit_name: &str) -> String {
        self.tr_args("of_max", &[("max", s(max)), ("credit", s(credit_name))])
    }

    /// A day's heading in the list: "Monday 23 November" in each language's
    /// own order, from the weekday (Monday 1) and the day and month numbers.
    pub fn day_heading(self, weekday: i8, day: i8, month: i8) -> String {
        let weekday = self.tr_args("weekday", &[("d", n(weekday))]);
        let month_name = self.tr_args("month", &[("m", n(month))]);
        self.tr_args(
            "day_heading",
            &[
                ("weekday", s(&weekday)),
                ("day", n(day)),
                ("month", n(month)),
                ("month_name", s(&month_name)),
            ],
        )
    }

    /// A weekday in short, on a line that names a session's day ("Wed").
    pub fn weekday_short(self, weekday: i8) -> String {
        self.tr_args("weekday_short", &[("d", n(weekday))])
    }
}
