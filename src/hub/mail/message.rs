//! The message itself: the certificate as it stands, in the language the
//! attendee used at the kiosk. A plain-text part and an HTML part saying
//! the same, the certificate's link, the credit by type, and the hub's
//! PDF attached; nothing else personal (no birth date, no e-Profile or
//! ABIM ID: the certificate carries none either). Transactional: sent
//! because the attendee claimed credit, so no List-Unsubscribe, and
//! marked `Auto-Submitted` so no auto-reply answers it.

use lettre::Message;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};

use crate::config::Config;
use crate::domain::lang::Lang;
use crate::hub::certificate::{CertView, credit_in, dates_in, esc};
use crate::hub::words::mail_word;

/// One message to one attendee.
pub struct Letter<'a> {
    pub config: &'a Config,
    pub view: &'a CertView,
    pub lang: Lang,
    /// The attendee has had a message about this certificate before.
    pub changed: bool,
}

impl Letter<'_> {
    fn w(&self, id: &str, args: &[(&str, &str)]) -> String {
        mail_word(self.lang, id, args)
    }

    pub fn subject(&self) -> String {
        let id = if self.changed {
            "mail-subject-changed"
        } else {
            "mail-subject"
        };
        self.w(id, &[("title", &self.view.title)])
    }

    /// The opening sentence, with `f` applied to each value put in it (the
    /// HTML part escapes them).
    fn intro(&self, f: impl Fn(&str) -> String) -> String {
        let (dates, _) = dates_in(self.config, self.view, self.lang);
        let id = if self.changed {
            "mail-changed"
        } else {
            "mail-ready"
        };
        self.w(
            id,
            &[
                ("title", &f(&self.view.title)),
                ("dates", &f(&dates)),
                ("location", &f(&self.view.location)),
            ],
        )
    }

    /// The credit by type, as the certificate counts it: (name, amount).
    fn credits(&self) -> Vec<(String, String)> {
        self.view
            .lines
            .iter()
            .map(|l| credit_in(self.config, l, self.lang))
            .collect()
    }

    pub fn text(&self) -> String {
        let v = self.view;
        let mut out = format!(
            "{}\n\n{}\n{}\n\n{}\n",
            self.w("mail-greeting", &[("name", &v.name)]),
            self.intro(str::to_string),
            v.url,
            self.w("mail-credit-heading", &[]),
        );
        for (name, amount) in self.credits() {
            out.push_str(&format!("  {name}: {amount}\n"));
        }
        if !v.held.is_empty() {
            out.push_str(&format!("\n{}\n", self.w("mail-held", &[])));
        }
        out.push_str(&format!(
            "\n{}\n\n{}\n\n-- \n{}\n",
            self.w("mail-attached", &[]),
            v.provider,
            self.w("mail-why", &[("title", &v.title)]),
        ));
        out
    }

    pub fn html(&self) -> String {
        let v = self.view;
        let mut credits = String::new();
        for (name, amount) in self.credits() {
            credits.push_str(&format!(
                "<tr><td style=\"padding:4px 12px 4px 0\">{}</td><td style=\"padding:4px 0;text-align:right;font-weight:bold\">{}</td></tr>",
                esc(&name),
                esc(&amount)
            ));
        }
        let held = if v.held.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", esc(&self.w("mail-held", &[])))
        };
        format!(
            "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
<body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111;line-height:1.5\">\
<p>{greeting}</p><p>{intro}</p>\
<p><a href=\"{url}\" style=\"color:#1d3b6a;font-weight:bold\">{open}</a><br><span style=\"font-size:90%\">{url}</span></p>\
<h2 style=\"font-size:110%\">{heading}</h2><table>{credits}</table>{held}\
<p>{attached}</p><p>{provider}</p><hr><p style=\"font-size:85%;color:#444\">{why}</p></body></html>",
            code = self.lang.code(),
            subject = esc(&self.subject()),
            greeting = esc(&self.w("mail-greeting", &[("name", &v.name)])),
            intro = self.intro(esc),
            url = esc(&v.url),
            open = esc(&self.w("mail-open", &[])),
            heading = esc(&self.w("mail-credit-heading", &[])),
            attached = esc(&self.w("mail-attached", &[])),
            provider = esc(&v.provider),
            why = esc(&self.w("mail-why", &[("title", &v.title)])),
        )
    }

    /// The message, ready for the server.
    pub fn message(&self, env: &Envelope, pdf: Vec<u8>) -> anyhow::Result<Message> {
        let to = Mailbox::new(Some(self.view.name.clone()), env.to.parse()?);
        let mut b = Message::builder()
            .from(env.from.clone())
            .to(to)
            .subject(self.subject())
            .message_id(Some(env.message_id.to_string()))
            .date_now()
            .header(AutoSubmitted);
        if let Some(r) = &env.reply_to {
            b = b.reply_to((*r).clone());
        }
        if let Some(first) = env.thread {
            b = b
                .in_reply_to(first.to_string())
                .references(first.to_string());
        }
        let name = if self.view.short_code.is_empty() {
            "certificate.pdf".to_string()
        } else {
            format!("certificate-{}.pdf", self.view.short_code)
        };
        let body = MultiPart::mixed()
            .multipart(MultiPart::alternative_plain_html(self.text(), self.html()))
            .singlepart(Attachment::new(name).body(pdf, ContentType::parse("application/pdf")?));
        Ok(b.multipart(body)?)
    }
}

/// Who a message is from and to, and how it is named.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub reply_to: Option<&'a Mailbox>,
    pub to: &'a str,
    /// `<…@domain>`.
    pub message_id: &'a str,
    /// The first message sent to this attendee, which this one follows.
    pub thread: Option<&'a str>,
}

/// `Auto-Submitted: auto-generated` (RFC 3834): written by the hub, not a
/// person, so out-of-office replies stay away.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}
