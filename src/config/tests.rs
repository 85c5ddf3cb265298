//! Loading the demo event, environment overrides, and the file-and-key
//! messages for bad values.

use std::path::PathBuf;

use super::*;
use crate::domain::{CreditCode, Profession};

fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config")
}

#[test]
fn staff_see_times_in_the_events_zone() {
    let c = Config::load(&demo_dir()).unwrap();
    // Chicago is UTC-6 in November.
    assert_eq!(c.local_short("2026-11-25T15:00:00Z"), "Wed 09:00");
    // What another kiosk sent that is not a time is shown, cut, and
    // never split inside a character.
    assert_eq!(c.local_short("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣ"), "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠ");
    assert_eq!(c.local_short("a\u{1b}[2Jb"), "a[2Jb");
}

fn load_text(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(EVENT_FILE), text).unwrap();
    let vars: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    Config::load_with_env(dir.path(), lookup, vars.iter().map(|(k, _)| k.clone()))
}

fn demo_text() -> String {
    std::fs::read_to_string(demo_dir().join(EVENT_FILE)).unwrap()
}

fn err_of(text: &str) -> String {
    load_text(text, &[]).unwrap_err().to_string()
}

#[test]
fn demo_config_loads() {
    let c = load_text(&demo_text(), &[]).unwrap();
    assert_eq!(c.event.max_credits, 155);
    assert_eq!(c.event.learning_objectives.len(), 6);
    // Six objective questions, then the model set.
    assert_eq!(c.questions.len(), 6 + 7);
    assert_eq!(c.questions[0].id, "objective_1");
    assert!(c.codes_for(Profession::Physician).contains(CreditCode::MOC));
    assert!(
        c.codes_for(Profession::Pharmacist)
            .contains(CreditCode::ACPE)
    );
    assert_eq!(c.codes_for(Profession::Other).to_list(), "COP");
}

#[test]
fn environment_overrides_kiosk_certificate_and_sync() {
    let c = load_text(
        &demo_text(),
        &[
            ("CEKIOSK_KIOSK_ID", "K07"),
            ("CEKIOSK_KIOSK_IDLE_SECONDS", "90"),
            ("CEKIOSK_KIOSK_STAFF_BADGES", "S1, S2"),
            ("CEKIOSK_CERTIFICATE_URL_BASE", "https://x.example.org/c/"),
            ("CEKIOSK_SYNC_TOKEN", "secret"),
        ],
    )
    .unwrap();
    assert_eq!(c.kiosk.id, "K07");
    assert_eq!(c.kiosk.idle_seconds, 90);
    assert_eq!(c.kiosk.staff_badges, vec!["S1", "S2"]);
    assert_eq!(c.certificate_url("abc"), "https://x.example.org/c/abc");
    assert_eq!(c.sync.token, "secret");
    let e = load_text(&demo_text(), &[("CEKIOSK_KIOSK_IDLE_SECONDS", "soon")]).unwrap_err();
    assert!(e.to_string().contains("CEKIOSK_KIOSK_IDLE_SECONDS"), "{e}");
    let e = load_text(&demo_text(), &[("CEKIOSK_KIOSK_IDD", "K1")]).unwrap_err();
    assert!(e.to_string().contains("CEKIOSK_KIOSK_IDD"), "{e}");
}

#[test]
fn bad_values_name_file_and_key() {
    let t = demo_text();
    let e = err_of(&t.replace("America/Chicago", "Mars/Olympus"));
    assert!(
        e.contains("event.toml") && e.contains("timezone") && e.contains("Mars/Olympus"),
        "{e}"
    );
    let e = err_of(&t.replace("max_credits = 38.75", "max_credits = 38.7"));
    assert!(e.contains("max_credits") && e.contains("0.25"), "{e}");
    let e = err_of(&t.replace("professions = [\"nurse\"]", "professions = [\"doctor\"]"));
    assert!(
        e.contains("[credits.ANCC] professions") && e.contains("'doctor'"),
        "{e}"
    );
    let e = err_of(&t.replace("[credits.COP]", "[credits.CME]"));
    assert!(
        e.contains("[credits.CME]") && e.contains("not one of"),
        "{e}"
    );
    let e = err_of(&t.replace("start_date = \"2026-11-23\"", "start_date = \"2026-11-31\""));
    assert!(e.contains("start_date"), "{e}");
    let e = err_of(&t.replace("badge_pattern = \"A[0-9]{7}\"", "badge_pattern = \"A[0-9\""));
    assert!(e.contains("badge_pattern"), "{e}");
    let e = err_of(&t.replace("idle_seconds = 60", "idle_seconds = \"sixty\""));
    assert!(
        e.contains("event.toml") && e.contains("idle_seconds"),
        "{e}"
    );
    let e = err_of(&t.replace("[sync]", "[sync]\nhub = \"x\""));
    assert!(e.contains("hub"), "{e}");
    let e = err_of(&t.replace("answer = \"Yes\"", "answer = \"Perhaps\""));
    assert!(e.contains("show_if") && e.contains("Perhaps"), "{e}");
    let e = err_of(&t.replace("warning_seconds = 20", "warning_seconds = 15"));
    assert!(
        e.contains("warning_seconds") && e.contains("at least 20"),
        "{e}"
    );
    let e = err_of(&t.replace("\"202611230\"", "\"20261123\""));
    assert!(
        e.contains("accme_activity_id") && e.contains("9 digits"),
        "{e}"
    );
    let e = err_of(&t.replace("\"JA0000534\"", "\"JA534\""));
    assert!(e.contains("acpe_provider_number"), "{e}");
    // Offering MOC without the activity ID PARS needs is refused.
    let e = err_of(&t.replace("accme_activity_id = \"202611230\"", ""));
    assert!(e.contains("accme_activity_id") && e.contains("MOC"), "{e}");
}

#[test]
fn trusted_proxies_are_addresses_or_ranges() {
    let c = load_text(
        &demo_text(),
        &[(
            "CEKIOSK_HUB_TRUSTED_PROXIES",
            "127.0.0.1, 10.0.0.0/8,2001:db8::/32",
        )],
    )
    .unwrap();
    let trusts = |a: &str| c.hub.trusts(a.parse().unwrap());
    assert!(trusts("127.0.0.1") && trusts("10.200.3.4") && trusts("2001:db8:9::1"));
    assert!(!trusts("127.0.0.2") && !trusts("11.0.0.1") && !trusts("2001:db9::1"));
    // Trusting nothing but the peer is the default.
    let c = load_text(&demo_text(), &[]).unwrap();
    assert!(!c.hub.trusts("127.0.0.1".parse().unwrap()));
    for bad in ["proxy.example.org", "10.0.0.0/33", "::1/129"] {
        let e = load_text(&demo_text(), &[("CEKIOSK_HUB_TRUSTED_PROXIES", bad)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("[hub] trusted_proxies") && e.contains(bad.split('/').next().unwrap()),
            "{e}"
        );
    }
}

#[test]
fn languages_are_known_codes_the_first_the_default() {
    use crate::domain::lang::Lang;
    let c = load_text(&demo_text(), &[]).unwrap();
    assert_eq!(c.languages, Lang::ALL.to_vec());
    let c = load_text(&demo_text(), &[("CEKIOSK_KIOSK_LANGUAGES", "ja, en,es")]).unwrap();
    assert_eq!(c.languages, vec![Lang::Ja, Lang::En, Lang::Es]);
    // Left out, the kiosk speaks English only.
    let t = demo_text();
    let start = t.find("languages = [").unwrap();
    let end = start + t[start..].find('\n').unwrap();
    let c = load_text(&format!("{}{}", &t[..start], &t[end..]), &[]).unwrap();
    assert_eq!(c.languages, vec![Lang::En]);
    let e = err_of(&t.replace("\"ja\", \"ko\"", "\"jp\", \"ko\""));
    assert!(
        e.contains("event.toml") && e.contains("[kiosk] languages") && e.contains("'jp'"),
        "{e}"
    );
    assert!(
        e.contains("zh-Hans"),
        "the message lists what is supported: {e}"
    );
    let e = load_text(&t, &[("CEKIOSK_KIOSK_LANGUAGES", "en,fr,en")]).unwrap_err();
    assert!(e.to_string().contains("twice"), "{e}");
    let e = load_text(&t, &[("CEKIOSK_KIOSK_LANGUAGES", " , ")]).unwrap_err();
    assert!(e.to_string().contains("no language"), "{e}");
}

#[test]
fn local_times_round_trip_through_minutes() {
    let c = load_text(&demo_text(), &[]).unwrap();
    let dt = parse_local("2026-11-23T07:30").unwrap();
    let m = c.local_to_minutes(dt).unwrap();
    assert_eq!(c.minutes_to_local(m), dt);
    assert!(parse_local("2026-11-23 07:30").is_err());
    assert!(parse_local("2026-11-23T25:30").is_err());
    assert!(parse_local("2026-11-23T07:30:00").is_err());
}

#[test]
fn certificate_fonts_is_a_folder() {
    // Unset: the hub looks in the system font folders.
    let c = load_text(&demo_text(), &[]).unwrap();
    assert_eq!(c.certificate.fonts, None);
    let fonts = tempfile::tempdir().unwrap();
    let shown = fonts.path().display().to_string();
    let with_key = |dir: &str| {
        demo_text().replace(
            "\n[certificate]\n",
            &format!("\n[certificate]\nfonts = \"{dir}\"\n"),
        )
    };
    let c = load_text(&with_key(&shown), &[]).unwrap();
    assert_eq!(c.certificate.fonts.as_deref(), Some(fonts.path()));
    // The environment overrides it like any other key.
    let c = load_text(&demo_text(), &[("CEKIOSK_CERTIFICATE_FONTS", &shown)]).unwrap();
    assert_eq!(c.certificate.fonts.as_deref(), Some(fonts.path()));
    // A folder that is not there is refused, by key.
    let e = err_of(&with_key("/nonexistent/fonts"));
    assert!(
        e.contains("[certificate] fonts") && e.contains("/nonexistent/fonts"),
        "{e}"
    );
}

/// A kiosk signs its certificate ids only when it has a token and its
/// url_base leaves the QR code room for the summary.
#[test]
fn certificate_ids_carry_a_summary_only_when_it_fits() {
    let token = [("CEKIOSK_SYNC_TOKEN", "t0ken")];
    let c = load_text(&demo_text(), &token).unwrap();
    assert!(c.certificate_key().is_some());
    assert!(
        load_text(&demo_text(), &[])
            .unwrap()
            .certificate_key()
            .is_none()
    );
    let long = "https://certificates.oncology-meeting-2026.org/c/";
    let c = load_text(
        &demo_text(),
        &[token[0], ("CEKIOSK_CERTIFICATE_URL_BASE", long)],
    )
    .unwrap();
    assert!(long.len() > c.summary_budget());
    assert!(c.certificate_key().is_none());
    assert!(c.check_url_base_fits().is_ok());
}

/// The demo event folder copied, with `name` written as `text`.
fn demo_with(name: &str, text: &str) -> (tempfile::TempDir, Result<Config, ConfigError>) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(demo_dir()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join(name), text).unwrap();
    let c = Config::load_with_env(dir.path(), |_| None, std::iter::empty());
    (dir, c)
}

#[test]
fn event_text_comes_in_every_language_with_english_behind_it() {
    use crate::domain::lang::Lang;
    let c = Config::load_with_env(&demo_dir(), |_| None, std::iter::empty()).unwrap();
    for lang in Lang::ALL {
        assert!(
            c.missing_text(lang).is_empty(),
            "{lang}: {:?}",
            c.missing_text(lang)
        );
    }
    let q = &c.questions[0];
    let ja = c.question_text(Lang::Ja, q);
    // The objective is filled into the translated question, not English.
    assert!(
        ja.contains("分子標的療法") && !ja.contains("{objective}"),
        "{ja}"
    );
    assert_eq!(c.question_text(Lang::En, q), q.text);
    assert_eq!(c.option_labels(Lang::Es, q)[0], "Totalmente de acuerdo");
    assert_eq!(
        c.credit_name(Lang::De, CreditCode::ANCC),
        "ANCC-Kontaktstunden"
    );
    // The trademarked name is the same in every language.
    for lang in Lang::ALL {
        assert!(
            c.credit_name(lang, CreditCode::AMA)
                .contains("AMA PRA Category 1 Credits™")
        );
    }
    // A language with only part of its text: the rest is English, and
    // check says what is missing.
    let (_d, c) = demo_with(
        "event.ja.toml",
        "[statements]\nattestation = \"誓約します。\"\n[evaluation.fair]\ntext = \"公正だった\"\n",
    );
    let c = c.unwrap();
    assert_eq!(c.attestation(Lang::Ja), "誓約します。");
    assert_eq!(
        c.credit_name(Lang::Ja, CreditCode::ANCC),
        "ANCC contact hours"
    );
    let fair = c.questions.iter().find(|q| q.id == "fair").unwrap();
    assert_eq!(c.question_text(Lang::Ja, fair), "公正だった");
    assert_eq!(c.option_labels(Lang::Ja, fair), vec!["Yes", "No"]);
    let missing = c.missing_text(Lang::Ja);
    for item in [
        "[event] learning_objectives",
        "[credits.ANCC] name",
        "[evaluation.objective] text",
        "[evaluation.fair] options",
    ] {
        assert!(missing.iter().any(|m| m == item), "{item} in {missing:?}");
    }
    assert!(
        !missing
            .iter()
            .any(|m| m.contains("attestation") || m == "[evaluation.fair] text")
    );
    // The objective question is listed once, as the file writes it.
    assert_eq!(
        missing.iter().filter(|m| m.contains("objective]")).count(),
        2
    );
}

#[test]
fn bad_event_text_names_its_file_and_key() {
    for (text, key, words) in [
        (
            "[credits.AMA]\nname = \"Créditos AMA de categoría 1\"\n",
            "[credits.AMA] name",
            "AMA PRA Category 1 Credits™",
        ),
        (
            "[credits.AAPA]\nname = \"créditos de categoría 1 (PA)\"\n",
            "[credits.AAPA] name",
            "AMA PRA Category 1 Credit™",
        ),
        (
            "[credits.ANCC]\nstatement = \"Esta actividad…\"\n",
            "statement",
            "unknown field",
        ),
        (
            "[statements]\njoint_accreditation = \"En apoyo…\"\n",
            "joint_accreditation",
            "unknown field",
        ),
        (
            "[evaluation.fair]\noptions = [\"Sí\", \"No\", \"Quizás\"]\n",
            "[evaluation.fair] options",
            "has 3 options; event.toml has 2",
        ),
        (
            "[evaluation.fairness]\ntext = \"¿Justo?\"\n",
            "[evaluation.fairness]",
            "no question",
        ),
        (
            "[event]\nlearning_objectives = [\"aplicar\"]\n",
            "learning_objectives",
            "has 1 objectives; event.toml has 6",
        ),
    ] {
        let (_d, c) = demo_with("event.es.toml", text);
        let e = c.unwrap_err().to_string();
        assert!(
            e.contains("event.es.toml") && e.contains(key) && e.contains(words),
            "{text}: {e}"
        );
    }
}

/// `[mail]` from the file and from CEKIOSK_MAIL_*; the timings take
/// fractions; a URL that is no mail server, an address that is none and
/// a negative wait are refused with the key, the password never echoed.
#[test]
fn mail_settings_and_their_overrides() {
    let c = load_text(&demo_text(), &[]).unwrap();
    assert_eq!(c.mail.smtp_url, "", "the demo sends nothing");
    assert_eq!(c.mail.min_interval_minutes, 60.0);
    let c = load_text(
        &demo_text(),
        &[
            (
                "CEKIOSK_MAIL_SMTP_URL",
                "smtps://ce:s3cret@mail.example.org:465",
            ),
            ("CEKIOSK_MAIL_FROM", "CE Office <ce@example.org>"),
            ("CEKIOSK_MAIL_REPLY_TO", "desk@example.org"),
            ("CEKIOSK_MAIL_MIN_INTERVAL_MINUTES", "0.05"),
            ("CEKIOSK_MAIL_RETRY_SECONDS", "0.3"),
            ("CEKIOSK_MAIL_QUIET_SECONDS", "0"),
        ],
    )
    .unwrap();
    assert_eq!(c.mail.smtp_url, "smtps://ce:s3cret@mail.example.org:465");
    assert_eq!(c.mail.reply_to, "desk@example.org");
    assert_eq!(
        (
            c.mail.min_interval_minutes,
            c.mail.retry_seconds,
            c.mail.quiet_seconds
        ),
        (0.05, 0.3, 0.0)
    );
    let e = load_text(
        &demo_text(),
        &[("CEKIOSK_MAIL_SMTP_URL", "http://ce:s3cret@mail.example.org")],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("[mail] smtp_url") && !e.contains("s3cret"),
        "{e}"
    );
    let e = load_text(
        &demo_text(),
        &[
            ("CEKIOSK_MAIL_SMTP_URL", "smtp://127.0.0.1:25"),
            ("CEKIOSK_MAIL_FROM", "the CE office"),
        ],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("[mail] from") && e.contains("not an e-mail address"),
        "{e}"
    );
    let e = load_text(&demo_text(), &[("CEKIOSK_MAIL_RETRY_SECONDS", "-1")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("CEKIOSK_MAIL_RETRY_SECONDS"), "{e}");
    let e = err_of(&demo_text().replace("min_interval_minutes = 60", "min_interval_minutes = -5"));
    assert!(e.contains("[mail] min_interval_minutes"), "{e}");
    let e = load_text(&demo_text(), &[("CEKIOSK_MAIL_SMTP_PORT", "25")])
        .unwrap_err()
        .to_string();
    assert!(e.contains("CEKIOSK_MAIL_SMTP_URL"), "{e}");
}

/// Each credit type has its own maximum (`max` in its section), the
/// event's by default; each statement prints its own, and a bad one names
/// its key.
#[test]
fn each_credit_type_has_its_own_maximum_in_its_statement() {
    let t = demo_text().replace("[credits.MOC]\n", "[credits.MOC]\nmax = 30\n");
    let c = load_text(&t, &[]).unwrap();
    let moc = c.credit(CreditCode::MOC).unwrap();
    let ama = c.credit(CreditCode::AMA).unwrap();
    assert_eq!((moc.max, ama.max), (120, 155));
    assert_eq!(c.maxima().of(CreditCode::MOC), 120);
    assert_eq!(c.maxima().of(CreditCode::ANCC), 155);
    assert!(c.credit_statement(moc).contains("up to 30 MOC points"));
    assert!(c.credit_statement(ama).contains("maximum of 38.75 AMA PRA"));
    let e = err_of(&demo_text().replace("[credits.MOC]\n", "[credits.MOC]\nmax = 3.1\n"));
    assert!(e.contains("[credits.MOC] max") && e.contains("0.25"), "{e}");
}

/// `[event] provider_url` is a web address; `[certificate] paper` is
/// letter or a4, also from CEKIOSK_CERTIFICATE_PAPER.
#[test]
fn provider_url_and_paper() {
    let c = load_text(&demo_text(), &[]).unwrap();
    assert_eq!(c.event.provider_url, "https://ce.example.org");
    assert_eq!(c.certificate.paper, crate::config::Paper::Letter);
    let c = load_text(&demo_text(), &[("CEKIOSK_CERTIFICATE_PAPER", "A4")]).unwrap();
    assert_eq!(c.certificate.paper, crate::config::Paper::A4);
    let c = load_text(
        &demo_text().replace("paper = \"letter\"", "paper = \"a4\""),
        &[],
    )
    .unwrap();
    assert_eq!(c.certificate.paper, crate::config::Paper::A4);
    let e = load_text(&demo_text(), &[("CEKIOSK_CERTIFICATE_PAPER", "legal")]).unwrap_err();
    assert!(e.to_string().contains("CEKIOSK_CERTIFICATE_PAPER"), "{e}");
    let e = err_of(&demo_text().replace("paper = \"letter\"", "paper = \"legal\""));
    assert!(e.contains("paper"), "{e}");
    let e = err_of(&demo_text().replace("\"https://ce.example.org\"", "\"ce.example.org\""));
    assert!(e.contains("[event] provider_url"), "{e}");
}
