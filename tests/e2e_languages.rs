//! End to end in another language: the real kiosk binary in tmux, an
//! attendee choosing Español or 日本語 on Scan with F2, claiming in it
//! (the evaluation and the attestation in their language too), reading the
//! QR code off the screen, and the next attendee finding the kiosk back in
//! English. The expected words are the translations' own, written here as
//! an attendee would look for them.

mod common;

use std::time::Duration;

use common::qr::read_qr;
use common::tmux::{Kiosk, SCAN, SHORT, Style, heading, url_base};

static STYLE: Style = Style {
    name: "e2e-languages",
    needed_by: "the end-to-end language tests",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

const AMELIA: &str = "A0012345";

/// What an attendee reading one language looks for on each screen.
struct Words {
    /// How many F2 presses from English reach it in the demo's list.
    presses: usize,
    scan: &'static str,
    welcome: &'static str,
    credit: &'static str,
    sessions: &'static str,
    /// In the heading of every question.
    question: &'static str,
    /// Words of the first objective question, from event.{code}.toml.
    objective: &'static str,
    /// The title of a text answer's box.
    your_answer: &'static str,
    required: &'static str,
    attest: &'static str,
    /// A few words of the translated attestation sentence.
    attestation: &'static str,
    certificate: &'static str,
}

const SPANISH: Words = Words {
    presses: 1,
    scan: "Escanee su credencial",
    welcome: "Bienvenido/a, Amelia Okafor",
    credit: "Créditos",
    sessions: "Sesiones",
    question: "pregunta",
    objective: "Esta actividad me ayudó a",
    your_answer: "su respuesta",
    required: "Obligatoria",
    attest: "Declaración",
    attestation: "Declaro que asistí",
    certificate: "Certificado",
};

const JAPANESE: Words = Words {
    presses: 6,
    scan: "参加証をスキャンしてください",
    welcome: "ようこそ、Amelia Okafor 様",
    credit: "単位",
    sessions: "セッション",
    question: "質問",
    objective: "本プログラムは",
    your_answer: "回答",
    required: "必須",
    attest: "確認",
    attestation: "誓約します",
    certificate: "修了証",
};

fn claim_in(name: &str, w: &Words) {
    let dir = tempfile::tempdir().unwrap();
    let k = Kiosk::launch(&STYLE, name, 120, 33, &[], dir);
    k.wait_for(SCAN, Duration::from_secs(15));
    for _ in 0..w.presses {
        k.press("F2");
        std::thread::sleep(Duration::from_millis(150));
    }
    k.wait_until("the Scan screen in the chosen language", SHORT, |s| {
        heading(s) == w.scan
    });
    k.type_like_scanner(AMELIA);
    k.wait_until("Welcome", SHORT, |s| heading(s) == w.welcome);
    k.press("Enter");
    k.wait_until("Credit", SHORT, |s| heading(s).starts_with(w.credit));
    k.press("Enter");
    k.wait_until("Sessions", SHORT, |s| heading(s).starts_with(w.sessions));
    // The first session that takes a tick.
    let ticked = |s: &str| s.lines().filter(|l| l.contains("[✓]")).count();
    for _ in 0..12 {
        k.press("Space");
        std::thread::sleep(Duration::from_millis(150));
        if ticked(&k.capture()) > 0 {
            break;
        }
        k.press("Down");
    }
    k.press("Enter");
    let mut screen = k.wait_until("the first question", SHORT, |s| {
        heading(s).contains(w.question)
    });
    if !screen.contains(w.objective) {
        k.fail_with(
            "the objective question is not in the chosen language",
            &screen,
        );
    }
    for _ in 0..40 {
        if heading(&screen).starts_with(w.attest) {
            break;
        }
        let before = heading(&screen).to_string();
        if screen.contains(w.your_answer) {
            if screen.lines().any(|l| l.trim() == w.required) {
                k.send_literal("Compartir con mi equipo 共有");
                std::thread::sleep(Duration::from_millis(200));
            }
            k.press("Enter");
        } else {
            k.press("2");
        }
        screen = k.wait_until("the next question or Attest", SHORT, |s| {
            heading(s) != before
        });
    }
    if !screen.contains(w.attestation) {
        k.fail_with("the attestation is not in the chosen language", &screen);
    }
    k.press("Enter");
    let screen = k.wait_until("the Certificate with its QR code", SHORT, |s| {
        heading(s).starts_with(w.certificate) && s.contains('█')
    });
    std::thread::sleep(Duration::from_millis(100));
    let again = k.capture();
    let url = read_qr(
        &k,
        if again.contains('█') {
            &again
        } else {
            &screen
        },
    );
    if !url.starts_with(&url_base()) {
        k.fail_with(&format!("the QR code holds {url:?}"), &screen);
    }
    let id = &url[url_base().len()..];
    if k.count(&format!(
        "SELECT count(*) FROM certificates WHERE certificate_id = '{id}' AND badge_id = '{AMELIA}'"
    )) != 1
    {
        k.fail_with("the certificate the QR names is not on disk", &screen);
    }
    // The certificate goes to the hub with the language it was claimed in,
    // so its page opens in it.
    if k.count(&format!(
        "SELECT count(*) FROM outbox WHERE kind = 'certificate' AND record_id = '{id}' \
         AND json_extract(payload, '$.language') = '{name}'"
    )) != 1
    {
        k.fail_with(
            &format!("the certificate is not recorded in {name}"),
            &screen,
        );
    }
    // Done: the next attendee meets the kiosk's default language.
    k.press("Enter");
    k.wait_until("Scan, back in English", SHORT, |s| heading(s) == SCAN);
}

#[test]
fn an_attendee_claims_in_spanish() {
    claim_in("es", &SPANISH);
}

#[test]
fn an_attendee_claims_in_japanese() {
    claim_in("ja", &JAPANESE);
}
