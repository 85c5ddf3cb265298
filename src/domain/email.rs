//! E-mail addresses as the kiosk shows them and the config names them:
//! an address partly masked for a screen others can see, and whether a
//! text has the form of one. No I/O: the hub's mail server has the last
//! word on whether an address works.

use super::sanitize;

/// What the kiosk's Attest screen shows of the address the certificate
/// goes to: the first character of the mailbox, then `•••`, then the
/// whole domain, so the attendee recognises it and a passer-by learns
/// little: `amelia.okafor@example.org` → `a•••@example.org`. None when
/// the roster's text is no address (nothing would be sent to it).
pub fn mask(address: &str) -> Option<String> {
    let address = sanitize(address.trim());
    let (mailbox, domain) = address.rsplit_once('@')?;
    let first = mailbox.chars().next()?;
    if domain.is_empty() || !domain.contains('.') || address.contains(char::is_whitespace) {
        return None;
    }
    Some(format!("{first}•••@{domain}"))
}

/// Whether `text` has the form of an address, bare (`ce@example.org`) or
/// with a display name (`CE Office <ce@example.org>`).
pub fn looks_like_address(text: &str) -> bool {
    let text = text.trim();
    let bare = match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => text,
    };
    !bare
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && mask(bare).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_shows_its_first_letter_and_its_domain() {
        assert_eq!(
            mask("amelia.okafor@example.org").as_deref(),
            Some("a•••@example.org")
        );
        assert_eq!(mask(" b@example.com ").as_deref(), Some("b•••@example.com"));
        // A mailbox in another script keeps its first character whole.
        assert_eq!(mask("花子@example.jp").as_deref(), Some("花•••@example.jp"));
        // Only the last @ splits: a quoted mailbox may hold one.
        assert_eq!(
            mask("\"a@b\"@example.org").as_deref(),
            Some("\"•••@example.org")
        );
    }

    #[test]
    fn what_is_no_address_is_not_shown() {
        for text in [
            "",
            "amelia",
            "@example.org",
            "amelia@",
            "amelia@localhost",
            "a b@example.org",
        ] {
            assert_eq!(mask(text), None, "{text:?}");
        }
        // A control character never reaches the screen.
        assert_eq!(
            mask("a\u{1b}[2J@example.org").as_deref(),
            Some("a•••@example.org")
        );
    }

    #[test]
    fn a_sender_may_carry_a_name() {
        assert!(looks_like_address("ce@example.org"));
        assert!(looks_like_address("CE Office <ce@example.org>"));
        assert!(!looks_like_address("CE Office"));
        assert!(!looks_like_address("CE Office <ce@example.org"));
        assert!(!looks_like_address("ce @example.org"));
    }
}
