//! The mail server: a connection pool to `[mail] smtp_url`, and what its
//! answers mean for a message (sent, refused for good, try later).

use std::time::Duration;

use anyhow::Context;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::hub::db::mail::SendOutcome;

/// How long one exchange with the server may take before it is "away".
const TIMEOUT: Duration = Duration::from_secs(60);

/// The longest wait between two tries of one message.
const MAX_RETRY_SECONDS: f64 = 600.0;

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The transport for `smtp://host:port`, `smtps://user:pass@host:port` or
/// `smtp://host:port?tls=required` (STARTTLS). The URL's password is never
/// in an error: it would reach the log.
pub fn transport(url: &str) -> anyhow::Result<Transport> {
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| anyhow::anyhow!("{}", scrub(&e.to_string(), url)))
        .context("[mail] smtp_url is not a mail server URL the hub can use")?;
    Ok(builder.timeout(Some(TIMEOUT)).build())
}

/// Sends `message`; what became of it. `attempts` (this one included) and
/// `retry` (the first wait, in seconds) set the wait before the next try.
pub async fn send(t: &Transport, message: Message, attempts: i32, retry: f64) -> SendOutcome {
    match t.send(message).await {
        Ok(r) => {
            let code = u16::from(r.code());
            let words: Vec<&str> = r.message().collect();
            SendOutcome::Sent(format!("{code} {}", words.join(" ")).trim().to_string())
        }
        Err(e) => {
            let answer = e.to_string();
            let code = e.status().map(u16::from);
            if e.is_permanent() && code.is_some_and(about_the_address) {
                SendOutcome::Refused(answer)
            } else {
                let seconds = (retry * 2f64.powi(attempts.clamp(1, 30) - 1)).min(MAX_RETRY_SECONDS);
                // A 4xx is about this message (a mailbox busy, a greylist);
                // anything else means the server is away or refuses the hub.
                SendOutcome::Later {
                    answer,
                    seconds,
                    server_away: !e.is_transient(),
                }
            }
        }
    }
}

/// Whether a permanent (5xx) refusal is about the recipient or the
/// message, so the address is marked. A refusal of the hub itself (its
/// sign-in, 530–538; a command the server does not take, 500, 502–504)
/// is the hub's configuration: it is tried again, and logged, rather than
/// every address marked.
fn about_the_address(code: u16) -> bool {
    (500..600).contains(&code) && !matches!(code, 500 | 502..=504 | 530..=538)
}

/// `text` without the password `url` may carry.
fn scrub(text: &str, url: &str) -> String {
    let password = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(user, _)| user.split_once(':'))
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty());
    match password {
        Some(p) => text.replace(p, "…"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_of_the_mailbox_marks_the_address_and_one_of_the_hub_does_not() {
        for code in [550, 551, 552, 553, 554, 501] {
            assert!(about_the_address(code), "{code}");
        }
        for code in [421, 450, 451, 452, 500, 502, 503, 504, 530, 535, 538, 250] {
            assert!(!about_the_address(code), "{code}");
        }
    }

    /// The transport's pool starts a task: in a runtime, as at the hub.
    #[tokio::test]
    async fn the_password_stays_out_of_errors() {
        let url = "smtps://ce:s3cret@mail.example.org:465";
        assert_eq!(
            scrub("cannot reach smtps://ce:s3cret@mail.example.org", url),
            "cannot reach smtps://ce:…@mail.example.org"
        );
        assert!(transport("smtps://ce:s3cret@mail.example.org:465").is_ok());
        let e = format!("{:#}", transport("smtpx://ce:s3cret@host").unwrap_err());
        assert!(!e.contains("s3cret"), "{e}");
        assert!(e.contains("[mail] smtp_url"), "{e}");
    }
}
