//! Speech end to end: the real kiosk in tmux with `[kiosk] speech_out`
//! set, so each utterance lands in a folder as a WAV file with its words
//! beside it. An attendee turns speech on (F3) and goes from Scan to
//! Certificate in English, Spanish and Japanese; every screen's heading,
//! and the row or option it highlights, are among the words spoken, in
//! that language; every WAV is sound (sox: its length and loudness), and
//! an independent recogniser (pocketsphinx with its English model) hears
//! the Scan prompt's key word; the next attendee finds speech off.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::tmux::{Kiosk, SCAN, SHORT, Style, heading};

static STYLE: Style = Style {
    name: "e2e-speech",
    needed_by: "the end-to-end speech test",
    then: " and run the tests again",
    human_gap: Duration::from_millis(120),
    poll: Duration::from_millis(50),
    full_reports: false,
};

/// Three physicians of the demo roster, one a language, so each answers
/// the evaluation (a later visit skips it): badge, name.
const ATTENDEES: [(&str, &str); 3] = [
    ("A0012345", "Amelia Okafor"),
    ("A0010158", "Robert Taylor"),
    ("A0010476", "Ananya Patel"),
];

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The utterances in the folder, in the order spoken: (stem, words).
fn utterances(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found: Vec<(PathBuf, String)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then_some(())?;
            let words = std::fs::read_to_string(&p).ok()?;
            Some((p.with_extension(""), words))
        })
        .collect();
    found.sort();
    found
}

/// Waits until no utterance has been added for a moment (espeak-ng takes
/// a little while for each), and returns them all.
fn settled(dir: &Path) -> Vec<(PathBuf, String)> {
    let start = Instant::now();
    let mut last = utterances(dir).len();
    loop {
        std::thread::sleep(Duration::from_millis(700));
        let now = utterances(dir).len();
        if now == last || start.elapsed() > Duration::from_secs(30) {
            return utterances(dir);
        }
        last = now;
    }
}

/// Text as compared: the marks a screen draws and a voice leaves out
/// (dashes, ticks, pointers, punctuation) gone, spaces collapsed.
fn words(text: &str) -> String {
    text.chars()
        .map(|c| {
            if "—–·,.;:!?。、：；▶✓✗…™│[]()（）".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// (length in seconds, RMS amplitude) of a WAV file, as sox measures it.
fn sound(wav: &Path) -> (f64, f64) {
    let out = Command::new("sox")
        .arg(wav)
        .args(["-n", "stat"])
        .output()
        .expect("sox runs");
    let text = String::from_utf8_lossy(&out.stderr);
    let field = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("sox stat of {}: no {name} in\n{text}", wav.display()))
    };
    (field("Length (seconds)"), field("RMS     amplitude"))
}

/// The highlighted row (▶) without its marks, if the screen has one.
fn highlighted(screen: &str) -> Option<String> {
    let row = screen.lines().find(|l| l.contains('▶'))?;
    let text = row.split('▶').nth(1)?;
    // A session's row: its title, after the hours, before what is cut.
    let text = match text.find('–') {
        // "–08:45 ": the dash (three bytes), the end time, a space.
        Some(at) if text[..at].ends_with(|c: char| c.is_ascii_digit()) => &text[at + 9..],
        _ => text,
    };
    let text = text
        .split(['…', '·'])
        .next()?
        .replace("[✓]", "")
        .replace("[ ]", "");
    let text = words(&text);
    Some(text.chars().take(24).collect::<String>().trim().to_string())
}

/// Option 1 of a choice question, as drawn ("│1  Strongly agree   │").
fn first_option(screen: &str) -> Option<String> {
    let line = screen
        .lines()
        .find(|l| l.trim_start_matches([' ', '│']).starts_with("1  "))?;
    Some(words(
        line.trim_start_matches([' ', '│'])
            .trim_start_matches("1  "),
    ))
}

/// One attendee, speech on, from Scan to Certificate in the language `F2`
/// reaches after `presses`: what each screen showed that must have been
/// said (its heading, its highlighted row or first option).
fn visit(k: &Kiosk, (badge, name): (&str, &str), presses: usize, answer: &str) -> Vec<String> {
    let mut shown = vec![];
    for _ in 0..presses {
        k.press("F2");
        std::thread::sleep(Duration::from_millis(150));
    }
    if presses > 0 {
        k.wait_until("Scan in the chosen language", SHORT, |s| heading(s) != SCAN);
    }
    k.press("F3");
    let screen = k.wait_until("speech on, in words", SHORT, |s| s.contains("F4"));
    shown.push(heading(&screen).to_string());
    k.type_like_scanner(badge);
    let screen = k.wait_until("Welcome", SHORT, |s| heading(s).contains(name));
    shown.push(heading(&screen).to_string());
    k.press("Enter");
    let screen = k.wait_until("Credit", SHORT, |s| s.contains('▶'));
    shown.push(heading(&screen).to_string());
    shown.extend(highlighted(&screen));
    k.press("Enter");
    let screen = k.wait_until("Sessions", SHORT, |s| s.contains("──"));
    shown.push(heading(&screen).to_string());
    let sessions = heading(&screen).to_string();
    let ticked = |s: &str| s.lines().filter(|l| l.contains("[✓]")).count();
    for _ in 0..12 {
        k.press("Space");
        std::thread::sleep(Duration::from_millis(200));
        let s = k.capture();
        if ticked(&s) > 0 {
            shown.extend(highlighted(&s));
            break;
        }
        k.press("Down");
    }
    k.press("Enter");
    let mut screen = k.wait_until("the first question", SHORT, |s| heading(s) != sessions);
    // The questions, then Attest (which has no option 1 and no box).
    for _ in 0..40 {
        let now = heading(&screen).to_string();
        shown.push(now.clone());
        match first_option(&screen) {
            Some(option) => {
                shown.push(option);
                k.press("2");
            }
            None if screen.contains('┌') => {
                k.send_literal(answer);
                std::thread::sleep(Duration::from_millis(200));
                k.press("Enter");
            }
            None => break,
        }
        screen = k.wait_until("the next question or Attest", SHORT, |s| heading(s) != now);
    }
    // Attest: agree.
    k.press("Enter");
    let screen = k.wait_until("the Certificate", SHORT, |s| s.contains('█'));
    shown.push(heading(&screen).to_string());
    shown
}

#[test]
fn speech_from_scan_to_certificate_in_three_languages_and_off_for_the_next_attendee() {
    for tool in ["tmux", "espeak-ng", "sox"] {
        if !have(tool) {
            eprintln!(
                "{tool} not installed (scripts/test installs it): the speech test is skipped"
            );
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let speech = dir.path().join("speech");
    let out = speech.to_str().unwrap().to_string();
    let k = Kiosk::launch(
        &STYLE,
        "speech",
        120,
        33,
        &[("CEKIOSK_KIOSK_SPEECH_OUT", &out)],
        dir,
    );
    k.wait_for(SCAN, Duration::from_secs(15));
    assert!(k.capture().contains("Speech is off: F3 turns it on."));
    // English, Spanish (one F2), Japanese (six) in the demo's list.
    for ((lang, presses, answer), who) in [
        ("en", 0, "Share the results"),
        ("es", 1, "Compartir los resultados"),
        ("ja", 6, "結果を共有する"),
    ]
    .into_iter()
    .zip(ATTENDEES)
    {
        let before = utterances(&speech).len();
        let shown = visit(&k, who, presses, answer);
        let said = settled(&speech);
        let new = &said[before..];
        let all = words(
            &new.iter()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        for thing in &shown {
            assert!(
                all.contains(&words(thing)),
                "{lang}: {thing:?} was on screen but never said; said:\n{all}"
            );
        }
        // A scanned badge is no one typing: none of its characters is said.
        let first = format!("{}.", &who.0[..1]);
        assert!(
            new.iter().all(|(_, w)| w.trim() != first),
            "{lang}: the scanner's first character was said"
        );
        eprintln!(
            "{lang}: {} things on screen, all among {} utterances: {shown:?}",
            shown.len(),
            new.len()
        );
        for (stem, words) in new {
            let (length, rms) = sound(&stem.with_extension("wav"));
            assert!(
                length > 0.2 && rms > 0.01,
                "{lang}: {} ({words:?}) is {length} s at RMS {rms}: not speech",
                stem.display()
            );
        }
        if lang == "en" {
            let find = |start: &str| {
                new.iter()
                    .find(|(_, w)| w.contains(start))
                    .map(|(stem, _)| stem.clone())
                    .unwrap_or_else(|| panic!("no utterance with {start:?}"))
            };
            heard_in_english(&find("Scan your badge"), &find("Welcome, Amelia"));
        }
        // Done: the next attendee finds speech off, and typing says nothing.
        k.press("Enter");
        let screen = k.wait_until("Scan again", SHORT, |s| heading(s) == SCAN);
        assert!(
            screen.contains("Speech is off: F3 turns it on."),
            "{screen}"
        );
        let quiet = settled(&speech).len();
        k.press("7");
        k.press("BSpace");
        assert_eq!(
            settled(&speech).len(),
            quiet,
            "speech stays off for the next attendee"
        );
    }
}

/// pocketsphinx, told the kiosk's words, hears "badge" in the Scan
/// screen's utterance and not in the Welcome's.
fn heard_in_english(scan: &Path, welcome: &Path) {
    let model = Path::new("/usr/share/pocketsphinx/model/en-us/en-us");
    if !have("pocketsphinx_continuous") || !model.exists() {
        eprintln!("pocketsphinx or its English model missing: what is heard is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let grammar = dir.path().join("kiosk.gram");
    std::fs::write(
        &grammar,
        "#JSGF V1.0;\ngrammar kiosk;\npublic <s> = ( scan | badge | welcome | certificate | \
         session | question | credit | attest | phone | your | the | under | number | enter | \
         press | type | hold | or | and | this | code | with | is | you )* ;\n",
    )
    .unwrap();
    let hear = |wav: &Path| -> String {
        let pcm = dir.path().join("16k.wav");
        let ok = Command::new("sox")
            .arg(wav)
            .args(["-r", "16000", "-c", "1", "-b", "16"])
            .arg(&pcm)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "sox converts {}", wav.display());
        let out = Command::new("pocketsphinx_continuous")
            .arg("-infile")
            .arg(&pcm)
            .arg("-jsgf")
            .arg(&grammar)
            .args(["-logfn", "/dev/null"])
            .output()
            .expect("pocketsphinx runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let scan = hear(&scan.with_extension("wav"));
    let welcome = hear(&welcome.with_extension("wav"));
    assert!(scan.contains("badge"), "the Scan prompt heard as {scan:?}");
    assert!(
        !welcome.contains("badge"),
        "the Welcome heard as {welcome:?}"
    );
}
