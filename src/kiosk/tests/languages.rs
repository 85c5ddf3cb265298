//! The kiosk in every language it offers: snapshots of every screen in
//! each at 80×24 and 120×33; every screen laid out by display width (no
//! line wider than the terminal, panel borders where English has them,
//! the Sessions columns whole); F2 and a tap choosing a language, and the
//! default coming back when the attendee leaves.

use super::snapshots::attendee_screens;
use super::staff_mode::staff_screens;
use super::*;
use crate::domain::lang::Lang;

use crate::kiosk::widgets::width;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 33)];

/// Every screen, attendee's and staff's, of a kiosk speaking `lang`.
fn every_screen(lang: Lang) -> Vec<(&'static str, World, f64)> {
    let new = move || World::speaking(lang);
    let mut shots = attendee_screens(&new);
    shots.extend(staff_screens(&new).into_iter().map(|(n, w)| (n, w, 1.0)));
    shots
}

#[test]
fn snapshots_of_every_screen_in_every_language() {
    for lang in Lang::ALL {
        for (name, w, secs) in &every_screen(lang) {
            for (cols, rows) in SIZES {
                assert_screen(
                    &format!("i18n__{}__{name}_{cols}x{rows}", lang.code()),
                    w.render(cols, rows, *secs),
                );
            }
        }
    }
}

/// The display columns at which a line has a box-drawing edge.
fn border_columns(line: &str) -> Vec<usize> {
    let mut at = 0;
    let mut out = vec![];
    for c in line.chars() {
        if matches!(c, '│' | '┌' | '┐' | '└' | '┘' | '├' | '┤') {
            out.push(at);
        }
        at += width(c.encode_utf8(&mut [0; 4]));
    }
    out
}

#[test]
fn every_screen_in_every_language_fits_by_display_width() {
    let english: Vec<_> = every_screen(Lang::En);
    for lang in Lang::ALL {
        for ((name, w, secs), (_, en, en_secs)) in every_screen(lang).iter().zip(&english) {
            for (cols, rows) in SIZES {
                let screen = w.render(cols, rows, *secs);
                let reference = en.render(cols, rows, *en_secs);
                let lines: Vec<&str> = screen.lines().collect();
                assert_eq!(lines.len(), usize::from(rows), "{lang} {name}");
                for (y, line) in lines.iter().enumerate() {
                    assert!(
                        width(line) <= usize::from(cols),
                        "{lang} {name} {cols}x{rows} line {y} is {} columns:\n{screen}",
                        width(line)
                    );
                }
                // Panels are laid out by the screen, not by its words: their
                // edges stand in the columns English has them in (a longer
                // text may move a panel down, never sideways).
                let columns = |s: &str| -> std::collections::BTreeSet<usize> {
                    s.lines().flat_map(border_columns).collect()
                };
                assert_eq!(
                    columns(&screen),
                    columns(&reference),
                    "{lang} {name} {cols}x{rows}:\n{screen}\n{reference}"
                );
            }
        }
    }
}

/// What the right-hand column of a session's row may say, in the current
/// language: the check is that it is there whole, at the row's end.
fn right_column_words(w: &World) -> Vec<String> {
    let word = w.app.words();
    let mut words = vec![word.not_ended(), word.no_credit(), word.simultaneous()];
    for s in &w.app.ctx.catalog.sessions {
        let d = word.quarters(s.designated);
        words.push(word.credits_short(&d));
        words.push(word.claimed_of(&d, &d));
    }
    words
}

#[test]
fn sessions_columns_line_up_in_every_language() {
    let time = regex::Regex::new(r"^.{6}\d\d:\d\d–\d\d:\d\d ").unwrap();
    for lang in Lang::ALL {
        let mut w = World::speaking(lang);
        w.walk_to_sessions(physician());
        w.select(&["S2", "S3"]);
        let words = right_column_words(&w);
        for (cols, rows) in SIZES {
            let screen = w.render(cols, rows, 1.0);
            let rows_seen: Vec<&str> = screen.lines().filter(|l| time.is_match(l)).collect();
            assert!(rows_seen.len() >= 5, "{lang} {cols}x{rows}:\n{screen}");
            // The list's right edge: where its panel starts on a wide
            // screen, the terminal's edge on a narrow one.
            for row in rows_seen {
                let list = row.split('│').next().unwrap_or(row).trim_end();
                assert!(
                    words.iter().any(|wd| list.ends_with(wd.as_str())),
                    "{lang} {cols}x{rows}: the row's credits are cut: {row:?}"
                );
                // The Japanese title is cut by columns, with "…".
                if list.contains("免疫") {
                    assert!(list.contains('…'), "{lang} {cols}x{rows}: {row:?}");
                }
            }
        }
    }
}

/// Draws the kiosk and returns what a tap can hit.
fn hits(w: &World) -> view::TapTargets {
    let mut terminal = Terminal::new(TestBackend::new(120, 33)).unwrap();
    let mut hits = vec![];
    terminal
        .draw(|f| hits = view::draw(&w.app, f, w.at(1.0)))
        .unwrap();
    hits
}

/// Taps the name of `lang` on Scan.
fn tap_language(w: &mut World, lang: Lang) {
    let n = w
        .app
        .ctx
        .config
        .languages
        .iter()
        .position(|l| *l == lang)
        .unwrap();
    let (rect, hit) = hits(w)
        .into_iter()
        .find(|(_, h)| *h == TapTarget::Intent(Intent::Language(n)))
        .expect("the language is drawn as a button");
    let screen = w.render(120, 33, 1.0);
    let row = screen.lines().nth(usize::from(rect.y)).unwrap();
    assert!(row.contains(lang.own_name()), "{row}");
    w.app.update(Msg::TapTarget(hit, w.at(1.0)));
}

#[test]
fn f2_and_a_tap_choose_and_leaving_returns_to_the_default() {
    let mut w = World::speaking(Lang::En);
    let english = w.render(120, 33, 1.0);
    assert!(english.contains("Scan your badge"));
    for name in Lang::ALL.map(Lang::own_name) {
        assert!(english.contains(name), "Scan lists {name}:\n{english}");
    }
    // F2 goes through the offered languages in order, and round again.
    let mut seen = vec![];
    for _ in 0..Lang::ALL.len() {
        w.key(KeyCode::F(2));
        seen.push(w.app.lang);
    }
    let mut expected = Lang::ALL[1..].to_vec();
    expected.push(Lang::En);
    assert_eq!(seen, expected);
    // "Not me" on Welcome: back to Scan, in English.
    tap_language(&mut w, Lang::Ja);
    let word = Words::new(Lang::Ja);
    let heading = word.scan_heading();
    assert!(w.render(120, 33, 1.0).contains(&heading));
    w.scan(physician(), 0.5);
    assert!(w.render(120, 33, 1.0).contains("ようこそ"));
    w.key(KeyCode::Esc);
    assert_eq!((w.screen(), w.app.lang), ("scan", Lang::En));
    assert!(w.render(120, 33, 1.0).contains("Scan your badge"));
    // Done on the certificate: the next attendee starts in English.
    w.app.last_scan = None;
    tap_language(&mut w, Lang::Ko);
    w.walk_to_sessions(physician());
    w.select(&["S1"]);
    w.key(KeyCode::Enter);
    w.answer_all();
    w.key(KeyCode::Enter);
    w.app.update(Msg::Committed(Ok(certificate()), w.at(1.0)));
    assert!(w.render(120, 33, 1.0).contains("수료증"));
    w.key(KeyCode::Enter);
    assert_eq!((w.screen(), w.app.lang), ("scan", Lang::En));
    // The idle wipe: the unfinished claim goes, and the language with it.
    w.app.last_scan = None;
    tap_language(&mut w, Lang::De);
    w.walk_to_sessions(physician());
    assert!(w.render(120, 33, 1.0).contains("Sitzungen"));
    let idle = w.app.ctx.config.kiosk.idle_seconds as f64;
    let warn = w.app.ctx.config.kiosk.warning_seconds as f64;
    w.app.update(Msg::Tick(w.at(1.0 + idle)));
    assert!(w.render(120, 33, 2.0 + idle).contains("Noch da?"));
    w.app.update(Msg::Tick(w.at(1.0 + idle + warn)));
    assert_eq!((w.screen(), w.app.lang), ("scan", Lang::En));
    // Staff read the kiosk's own language, whatever the attendee chose.
    tap_language(&mut w, Lang::Fr);
    w.key(KeyCode::F(12));
    assert_eq!((w.screen(), w.app.lang), ("staff-pin", Lang::En));
}

#[test]
fn a_kiosk_of_one_language_offers_no_choice() {
    let mut w = World::new();
    let screen = w.render(120, 33, 1.0);
    assert!(
        !screen.contains("Español") && !screen.contains("F2"),
        "{screen}"
    );
    w.key(KeyCode::F(2));
    assert_eq!(w.app.lang, Lang::En);
}
