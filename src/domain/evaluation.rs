//! The evaluation: which questions an attendee is asked, and when it is
//! complete enough for a certificate.

use std::collections::HashMap;

use super::{CodeSet, CreditCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Answered with one of the options, by digit or tap.
    Choice(Vec<String>),
    /// Free text.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub kind: Kind,
    pub text: String,
    pub required: bool,
    /// Asked only when question `.0` was answered `.1`.
    pub show_if: Option<(String, String)>,
    /// Asked only of attendees claiming this credit type.
    pub only_for: Option<CreditCode>,
}

pub type Answers = HashMap<String, String>;

impl Question {
    /// Whether this question applies, given the answers so far and the
    /// credit types the attendee takes.
    pub fn applies(&self, answers: &Answers, codes: CodeSet) -> bool {
        if self.only_for.is_some_and(|code| !codes.contains(code)) {
            return false;
        }
        match &self.show_if {
            Some((q, a)) => answers.get(q).is_some_and(|given| given == a),
            None => true,
        }
    }

    /// Whether `answer` is a valid answer to this question.
    pub fn accepts(&self, answer: &str) -> bool {
        match &self.kind {
            Kind::Choice(options) => options.iter().any(|o| o == answer),
            Kind::Text => true,
        }
    }
}

/// What a kiosk keeps for a question answered at another kiosk: the hub
/// tells kiosks which questions an attendee answered, never the answers
/// (docs/security.md). It counts as an answer; it matches no option, so a
/// follow-up that depends on the answer's value is not asked on its
/// strength.
pub const ANSWERED_ELSEWHERE: &str = "\u{1}answered at another kiosk";

fn answered(q: &Question, answers: &Answers) -> bool {
    answers
        .get(&q.id)
        .is_some_and(|a| a == ANSWERED_ELSEWHERE || (!a.trim().is_empty() && q.accepts(a)))
}

/// The required questions that apply and have no valid answer.
pub fn missing<'a>(questions: &'a [Question], answers: &Answers, codes: CodeSet) -> Vec<&'a str> {
    questions
        .iter()
        .filter(|q| q.required && q.applies(answers, codes) && !answered(q, answers))
        .map(|q| q.id.as_str())
        .collect()
}

pub fn is_complete(questions: &[Question], answers: &Answers, codes: CodeSet) -> bool {
    missing(questions, answers, codes).is_empty()
}

/// The answers to keep: an answer to a question that no longer applies is
/// dropped, such as "What will you change?" answered after "Yes", when the
/// attendee went back and chose "No". A follow-up of a dropped follow-up
/// goes too. Answers to questions the list does not know are kept.
pub fn applicable(questions: &[Question], answers: &Answers, codes: CodeSet) -> Answers {
    let mut kept = answers.clone();
    loop {
        let before = kept.len();
        let stale: Vec<String> = questions
            .iter()
            .filter(|q| kept.contains_key(&q.id) && !q.applies(&kept, codes))
            .map(|q| q.id.clone())
            .collect();
        for id in stale {
            kept.remove(&id);
        }
        if kept.len() == before {
            return kept;
        }
    }
}

/// The questions to ask on this visit. A first visit is asked everything
/// that applies; once an earlier visit completed the evaluation, only what
/// is newly required (MOC's question when MOC is newly opted in).
pub fn to_ask<'a>(
    questions: &'a [Question],
    earlier: &Answers,
    codes: CodeSet,
) -> Vec<&'a Question> {
    if earlier.is_empty() {
        return questions.iter().collect();
    }
    questions
        .iter()
        .filter(|q| q.required && q.applies(earlier, codes) && !answered(q, earlier))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, kind: Kind, required: bool) -> Question {
        Question {
            id: id.into(),
            kind,
            text: id.into(),
            required,
            show_if: None,
            only_for: None,
        }
    }

    fn model() -> Vec<Question> {
        let yn = Kind::Choice(vec!["Yes".into(), "No".into()]);
        let mut change_what = q("change_what", Kind::Text, false);
        change_what.show_if = Some(("change".into(), "Yes".into()));
        let mut moc = q("moc", Kind::Text, true);
        moc.only_for = Some(CreditCode::MOC);
        vec![
            q("change", yn.clone(), true),
            change_what,
            q("fair", yn, true),
            moc,
        ]
    }

    #[test]
    fn a_follow_up_whose_condition_went_away_is_not_kept() {
        let qs = model();
        let given = answers(&[
            ("change", "No"),
            ("change_what", "Order the test earlier"),
            ("fair", "Yes"),
        ]);
        let kept = applicable(&qs, &given, CodeSet::default());
        assert!(!kept.contains_key("change_what"), "{kept:?}");
        assert_eq!(kept.len(), 2);
        let given = answers(&[("change", "Yes"), ("change_what", "Order the test earlier")]);
        assert_eq!(applicable(&qs, &given, CodeSet::default()), given);
        // MOC's question goes when MOC is no longer claimed.
        let given = answers(&[("moc", "Apply it")]);
        assert!(applicable(&qs, &given, CodeSet::default()).is_empty());
        let moc: CodeSet = [CreditCode::MOC].into_iter().collect();
        assert_eq!(applicable(&qs, &given, moc), given);
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn required_answers_make_it_complete() {
        let qs = model();
        let ama = CodeSet::parse_list("AMA").unwrap();
        assert!(!is_complete(&qs, &answers(&[("change", "Yes")]), ama));
        assert!(is_complete(
            &qs,
            &answers(&[("change", "Yes"), ("fair", "No")]),
            ama
        ));
        // An answer that is not one of the options does not count.
        assert!(!is_complete(
            &qs,
            &answers(&[("change", "Maybe"), ("fair", "No")]),
            ama
        ));
    }

    #[test]
    fn moc_needs_its_reflective_question() {
        let qs = model();
        let moc = CodeSet::parse_list("AMA;MOC").unwrap();
        let base = answers(&[("change", "No"), ("fair", "Yes")]);
        assert_eq!(missing(&qs, &base, moc), vec!["moc"]);
        let mut with = base.clone();
        with.insert("moc".into(), "   ".into());
        assert!(!is_complete(&qs, &with, moc));
        with.insert("moc".into(), "Screen for irAEs at every visit".into());
        assert!(is_complete(&qs, &with, moc));
    }

    #[test]
    fn later_visit_asks_only_what_is_newly_required() {
        let qs = model();
        let ama = CodeSet::parse_list("AMA").unwrap();
        let moc = CodeSet::parse_list("AMA;MOC").unwrap();
        assert_eq!(to_ask(&qs, &Answers::new(), ama).len(), 4);
        let done = answers(&[("change", "No"), ("fair", "Yes")]);
        assert!(to_ask(&qs, &done, ama).is_empty());
        let ids: Vec<_> = to_ask(&qs, &done, moc)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(ids, vec!["moc"]);
    }

    /// A kiosk is told which questions were answered at another, not the
    /// answers: those count as answered, and the visit asks only what is
    /// newly required, as if it held the answers.
    #[test]
    fn answers_given_at_another_kiosk_count_without_their_values() {
        let qs = model();
        let ama = CodeSet::parse_list("AMA").unwrap();
        let moc = CodeSet::parse_list("AMA;MOC").unwrap();
        let elsewhere = answers(&[("change", ANSWERED_ELSEWHERE), ("fair", ANSWERED_ELSEWHERE)]);
        assert!(is_complete(&qs, &elsewhere, ama));
        assert!(to_ask(&qs, &elsewhere, ama).is_empty());
        let ids: Vec<_> = to_ask(&qs, &elsewhere, moc)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(ids, vec!["moc"]);
        // Its value is unknown here: no follow-up is asked on its strength.
        assert!(!qs[1].applies(&elsewhere, ama));
        // Only "fair" answered elsewhere: "change" is still to be asked.
        let half = answers(&[("fair", ANSWERED_ELSEWHERE)]);
        assert_eq!(missing(&qs, &half, ama), vec!["change"]);
    }

    #[test]
    fn follow_up_shown_only_for_its_answer() {
        let qs = model();
        let ama = CodeSet::parse_list("AMA").unwrap();
        assert!(qs[1].applies(&answers(&[("change", "Yes")]), ama));
        assert!(!qs[1].applies(&answers(&[("change", "No")]), ama));
        assert!(!qs[3].applies(&Answers::new(), ama));
    }
}
