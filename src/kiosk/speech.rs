//! What the kiosk says (SPEC section 3, speech): each screen describes
//! itself as `Spoken` from the same words (`strings`) and the same state
//! it draws, and the app says what changed since the last step — the whole
//! screen when it opens, then the highlight as it moves, a message as it
//! appears, the totals as they change, a character as it is typed into an
//! ID. Pure: the runner's speaker turns the text into sound.

use super::msg::{Key, KeyCommand};
use super::strings::Words;

/// What a screen says about itself, from the words and state it draws.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spoken {
    /// Said when the screen opens, after its heading: its prompt and what
    /// it shows.
    pub page: Vec<String>,
    /// The highlighted row or option, said again as it moves or changes.
    pub focus: Option<String>,
    /// A message or error, said when it appears.
    pub message: Option<String>,
    /// What keeps count (the running totals), said when it changes.
    pub status: Option<String>,
    /// What was just typed into an ID, said once: the only time an ID's
    /// characters are spoken.
    pub echo: Option<String>,
}

/// A screen as it was last spoken: enough to tell what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub screen: &'static str,
    pub heading: String,
    pub spoken: Spoken,
}

/// The words to say now that the screen is `now`, after `before` (None:
/// speech was just turned on, or the screen is new): the whole screen
/// when it opened, else what changed. None when nothing changed.
pub fn what_changed(
    words: Words,
    before: Option<&Said>,
    now: &Said,
    commands: &[KeyCommand],
) -> Option<String> {
    let fresh = before.is_none_or(|b| b.screen != now.screen || b.heading != now.heading);
    let s = &now.spoken;
    let mut parts: Vec<String> = Vec::new();
    if fresh {
        parts.push(now.heading.clone());
        parts.extend(s.page.iter().cloned());
        parts.extend(s.focus.iter().cloned());
        parts.extend(s.status.iter().cloned());
        parts.extend(s.message.iter().cloned());
        parts.extend(keys(words, commands));
    } else {
        let b = &before?.spoken;
        parts.extend(s.echo.iter().cloned());
        if s.message != b.message {
            parts.extend(s.message.iter().cloned());
        }
        // While an ID is typed its field's remarks change with each
        // character: the character is what is said.
        if s.focus != b.focus && s.echo.is_none() {
            parts.extend(s.focus.iter().cloned());
        }
        if s.status != b.status {
            parts.extend(s.status.iter().cloned());
        }
    }
    let text = sentences(words, &parts);
    (!text.is_empty()).then_some(text)
}

/// The screen's commands as words: "Enter: Continue. Esc: Back."
pub fn keys(words: Words, commands: &[KeyCommand]) -> Option<String> {
    let said: Vec<String> = commands
        .iter()
        .filter(|c| c.in_footer)
        .map(|c| format!("{}{}", words.label(&key_name(words, c.key)), c.label))
        .collect();
    (!said.is_empty()).then(|| sentences(words, &said))
}

/// A key as speech names it: the arrows and signs by their names.
pub fn key_name(words: Words, key: Key) -> String {
    match key {
        Key::Up => words.key_up_name(),
        Key::Down => words.key_down_name(),
        Key::Plus => words.key_plus_name(),
        Key::Minus => words.key_minus_name(),
        other => other.label(words),
    }
}

/// Parts joined into sentences, each made fit to be read aloud.
pub fn sentences(words: Words, parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| plain(words, p))
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.ends_with(['.', '!', '?', '。', '！', '？', ':', '：']) {
                p
            } else {
                format!("{p}{}", words.full_stop())
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text as a voice should read it: the marks that only make sense to the
/// eye (pointers, ticks drawn as ✓, the cursor, an ellipsis) left out,
/// dashes read as pauses, arrows by their names.
pub fn plain(words: Words, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '▶' | '▏' | '✓' | '✗' | '…' | '™' | '®' | '[' | ']' => {}
            '—' | '·' => out.push(','),
            '↑' => out.push_str(&format!(" {} ", words.key_up_name())),
            '↓' => out.push_str(&format!(" {} ", words.key_down_name())),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .replace(" ,", ",")
        .replace(",,", ",")
        .trim_matches([' ', ','])
        .to_string()
}

/// A code read character by character ("7Q2M-K9XD" → "7 Q 2 M - K 9 X D"),
/// so a voice spells it rather than guessing a word.
pub fn spelled(code: &str) -> String {
    code.chars().map(String::from).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::msg::Intent;

    fn said(screen: &'static str, heading: &str, spoken: Spoken) -> Said {
        Said {
            screen,
            heading: heading.into(),
            spoken,
        }
    }

    #[test]
    fn a_new_screen_is_said_whole_then_only_what_changes() {
        let words = Words::new(crate::domain::lang::Lang::En);
        let cmds = vec![
            KeyCommand::new(Key::Enter, "Continue", Intent::Continue),
            KeyCommand::new(Key::Up, "Up", Intent::Up),
            KeyCommand::new(Key::Tab, "Next", Intent::Down).hidden(),
        ];
        let a = said(
            "sessions",
            "Sessions — select",
            Spoken {
                page: vec!["Filter: type to filter".into()],
                focus: Some("▶[ ] 07:30 Lung".into()),
                status: Some("0 of 38.75".into()),
                ..Spoken::default()
            },
        );
        let whole = what_changed(words, None, &a, &cmds).unwrap();
        assert_eq!(
            whole,
            "Sessions, select. Filter: type to filter. 07:30 Lung. 0 of 38.75. \
             Enter: Continue. Up arrow: Up."
        );
        assert_eq!(
            what_changed(words, Some(&a), &a, &cmds),
            None,
            "nothing new"
        );
        let mut b = a.clone();
        b.spoken.focus = Some("[✓] 07:30 Lung, ticked".into());
        b.spoken.status = Some("1.25 of 38.75".into());
        assert_eq!(
            what_changed(words, Some(&a), &b, &cmds).unwrap(),
            "07:30 Lung, ticked. 1.25 of 38.75."
        );
        let mut c = b.clone();
        c.spoken.echo = Some("7".into());
        assert_eq!(what_changed(words, Some(&b), &c, &cmds).unwrap(), "7.");
        assert_eq!(spelled("7Q2M-K9XD"), "7 Q 2 M - K 9 X D");
    }
}
