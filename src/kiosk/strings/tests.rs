//! The words in every language: each file parses, has every message
//! English has (and no other), uses only the variables the code passes,
//! and every message formats without a fault.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use fluent_syntax::parser;

use super::*;

/// Each message id with the variables it reads, from a language's file.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let resource = parser::parse(source(lang))
        .unwrap_or_else(|(_, errors)| panic!("i18n/{lang}/kiosk.ftl does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                assert!(
                    out.insert(m.id.name.to_string(), vars).is_none(),
                    "i18n/{lang}/kiosk.ftl: '{}' is there twice",
                    m.id.name
                );
            }
            Entry::Junk { content } => panic!("i18n/{lang}/kiosk.ftl: cannot read {content:?}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(p: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

/// Variables the code passes that English happens not to read.
const ALSO_PASSED: &[(&str, &str)] = &[("day_heading", "month")];

#[test]
fn every_language_has_every_message_english_has() {
    let mut english = messages(Lang::En);
    for (id, var) in ALSO_PASSED {
        english
            .get_mut(*id)
            .expect("an English message")
            .insert(var.to_string());
    }
    assert!(english.len() > 100, "the English file is read whole");
    let mut faults = vec![];
    for lang in Lang::ALL {
        let theirs = messages(lang);
        for (id, vars) in &english {
            match theirs.get(id) {
                None => faults.push(format!("{lang}: '{id}' is missing")),
                // A variable the code does not pass would show as an error.
                Some(v) if !v.is_subset(vars) => faults.push(format!(
                    "{lang}: '{id}' uses {:?}; the code passes {vars:?}",
                    v.difference(vars).collect::<Vec<_>>()
                )),
                Some(_) => {}
            }
        }
        for id in theirs.keys().filter(|id| !english.contains_key(*id)) {
            faults.push(format!("{lang}: '{id}' is not an English message"));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn every_language_is_its_own_and_formats_cleanly() {
    for lang in Lang::ALL {
        let word = Words::new(lang);
        // Plurals come from CLDR: a count selects its language's form.
        for k in [0usize, 1, 2, 5, 21] {
            let text = word.sessions(k);
            assert!(text.contains(&k.to_string()), "{lang}: {text}");
        }
        for (w, text) in [
            ("pin_wrong", word.pin_wrong(1)),
            ("pin_locked", word.pin_locked("14:05")),
            ("day_heading", word.day_heading(3, 25, 11)),
            ("credit_intro", word.credit_intro("physician_assistant")),
            ("upload_ok", word.upload_ok(3, 0, 1, 12)),
            (
                "records_changed",
                word.records_changed(&["Breast Cancer Update".into()]),
            ),
        ] {
            assert!(
                !text.contains('{') && !text.contains('\u{2068}'),
                "{lang} {w}: {text}"
            );
        }
        if lang != Lang::En {
            assert_ne!(
                word.scan_heading(),
                format_in(Lang::En, "scan_heading", &[]),
                "{lang} has its own words"
            );
        }
    }
    let word = Words::new(Lang::En);
    // English keeps its singular and plural apart; French counts 0 as one.
    assert_eq!(word.sessions(1), "1 session");
    assert_eq!(word.sessions(2), "2 sessions");
    assert_eq!(format_in(Lang::Fr, "sessions", &[("n", n(0))]), "0 session");
    assert_eq!(
        format_in(Lang::De, "sessions", &[("n", n(0))]),
        "0 Sitzungen"
    );
}
