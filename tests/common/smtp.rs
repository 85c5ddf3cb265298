//! A real mail server the project did not write, for the certificate by
//! e-mail: aiosmtpd (PyPI; `scripts/test` installs it), started by the
//! test on a loopback port, keeping each message it accepts as a file.
//! What it received is read back with Python's own `email` package, so
//! the hub's messages are parsed by code that is not the hub's.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::Hub;

pub const FROM: &str = "CE Office <ce@lakeshore.example.org>";
pub const REPLY_TO: &str = "ce-desk@lakeshore.example.org";

/// A hub that mails through `smtp_port`, with timings short enough for a
/// test (the `[mail]` keys' CEKIOSK_MAIL_* overrides): a message waits
/// 0.2 s after the records change, a server away is tried again after
/// 0.3 s (doubling), and one attendee gets at most one message in 3 s.
pub fn mailing_hub(database: &str, smtp_port: u16) -> Hub {
    let url = format!("smtp://127.0.0.1:{smtp_port}");
    Hub::start_at(
        database,
        "127.0.0.1:0",
        &[
            ("CEKIOSK_MAIL_SMTP_URL", &url),
            ("CEKIOSK_MAIL_FROM", FROM),
            ("CEKIOSK_MAIL_REPLY_TO", REPLY_TO),
            ("CEKIOSK_MAIL_QUIET_SECONDS", "0.2"),
            ("CEKIOSK_MAIL_RETRY_SECONDS", "0.3"),
            ("CEKIOSK_MAIL_MIN_INTERVAL_MINUTES", "0.05"),
        ],
    )
}

/// The roster's address of `badge` (the demo config's attendees.csv).
pub fn address(badge: &str) -> String {
    let mut r = csv::Reader::from_path(super::config_dir().join("attendees.csv")).unwrap();
    let heads = r.headers().unwrap().clone();
    let col = |n: &str| heads.iter().position(|h| h == n).unwrap();
    r.records()
        .map(Result::unwrap)
        .find(|row| &row[col("badge_id")] == badge)
        .map(|row| row[col("email")].to_string())
        .unwrap()
}

/// The server: accepts every recipient except those listed in
/// `refuse.txt` (read at each RCPT, so a test can change it), which get
/// a permanent 550; stores each message as `msg-*.eml` (written whole,
/// then renamed) with its envelope beside it in `msg-*.json`.
const SERVER: &str = r#"
import asyncio, json, os, sys, time
from aiosmtpd.controller import Controller

port, folder = int(sys.argv[1]), sys.argv[2]

def refused():
    try:
        with open(os.path.join(folder, "refuse.txt")) as f:
            return {l.strip().lower() for l in f if l.strip()}
    except FileNotFoundError:
        return set()

class Keep:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in refused():
            return "550 5.1.1 <%s>: Recipient address rejected: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "msg-%d" % time.time_ns()
        for ext, data in ((".json", json.dumps({"mail_from": envelope.mail_from,
                                                "rcpt_tos": envelope.rcpt_tos}).encode()),
                          (".eml", envelope.original_content)):
            tmp = os.path.join(folder, name + ext + ".tmp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(folder, name + ext))
        return "250 2.0.0 Ok: queued as %s" % name

controller = Controller(Keep(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"#;

/// Reads every message kept in a folder with Python's `email` package
/// (the modern policy) and prints them as JSON, oldest first.
const READ: &str = r#"
import email, glob, hashlib, json, os, sys
from email import policy

out = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "msg-*.eml"))):
    with open(path, "rb") as f:
        m = email.message_from_bytes(f.read(), policy=policy.default)
    with open(path[:-4] + ".json") as f:
        envelope = json.load(f)
    attachments = []
    for i, a in enumerate(m.iter_attachments()):
        data = a.get_content()
        saved = "%s.part%d" % (path, i)
        with open(saved, "wb") as f:
            f.write(data)
        attachments.append({"name": a.get_filename(), "type": a.get_content_type(),
                            "sha256": hashlib.sha256(data).hexdigest(), "path": saved})
    plain, html = m.get_body(("plain",)), m.get_body(("html",))
    out.append({
        "file": path,
        "rcpt_tos": envelope["rcpt_tos"],
        "to": str(m["To"]), "from": str(m["From"]), "reply_to": str(m["Reply-To"] or ""),
        "subject": str(m["Subject"]), "message_id": str(m["Message-ID"] or ""),
        "date": str(m["Date"] or ""), "in_reply_to": str(m["In-Reply-To"] or ""),
        "references": str(m["References"] or ""),
        "auto_submitted": str(m["Auto-Submitted"] or ""),
        "list_unsubscribe": m["List-Unsubscribe"] is not None,
        "content_type": m.get_content_type(),
        "text": plain.get_content() if plain else "",
        "html": html.get_content() if html else "",
        "attachments": attachments,
    })
print(json.dumps(out))
"#;

#[derive(Debug, Clone, Deserialize)]
pub struct Attachment {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub content_type: String,
    pub sha256: String,
    pub path: PathBuf,
}

/// One message as Python's `email` package read it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub file: PathBuf,
    pub rcpt_tos: Vec<String>,
    pub to: String,
    pub from: String,
    pub reply_to: String,
    pub subject: String,
    pub message_id: String,
    pub date: String,
    pub in_reply_to: String,
    pub references: String,
    pub auto_submitted: String,
    pub list_unsubscribe: bool,
    pub content_type: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

impl Received {
    /// The envelope's one recipient.
    pub fn rcpt(&self) -> &str {
        assert_eq!(self.rcpt_tos.len(), 1, "{:?}", self.rcpt_tos);
        &self.rcpt_tos[0]
    }

    /// The first link in the plain-text part that starts with `base`.
    pub fn link(&self, base: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with(base))
            .unwrap_or_else(|| panic!("no link to {base} in:\n{}", self.text))
            .to_string()
    }
}

/// aiosmtpd on `port`, keeping messages in `folder`; stopped when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub folder: PathBuf,
    child: Option<(Child, ChildStdin)>,
}

impl SmtpServer {
    pub fn start(folder: &Path, port: u16) -> SmtpServer {
        let mut s = SmtpServer {
            port,
            folder: folder.to_path_buf(),
            child: None,
        };
        s.restart();
        s
    }

    /// Starts the server again on the same port and folder.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the mail server is running");
        let mut child = Command::new("python3")
            .args(["-c", SERVER, &self.port.to_string()])
            .arg(&self.folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 (scripts/test installs aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "aiosmtpd did not start (scripts/test installs it: pip install aiosmtpd)"
        );
        let stdin = child.stdin.take().unwrap();
        self.child = Some((child, stdin));
    }

    /// Stops the server; messages it kept stay.
    pub fn stop(&mut self) {
        if let Some((mut child, stdin)) = self.child.take() {
            drop(stdin);
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().unwrap().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        // Nothing listens on the port any more.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(Instant::now() < deadline, "the mail server still answers");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// From now on the server refuses `address` for good (550).
    pub fn refuse(&self, address: &str) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.folder.join("refuse.txt"))
            .unwrap();
        writeln!(f, "{address}").unwrap();
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        let out = Command::new("python3")
            .args(["-c", READ])
            .arg(&self.folder)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "reading the messages: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the reader's JSON")
    }

    /// How many messages are kept (without parsing them).
    pub fn count(&self) -> usize {
        std::fs::read_dir(&self.folder)
            .map(|d| {
                d.flatten()
                    .filter(|e| {
                        let n = e.file_name();
                        let n = n.to_string_lossy();
                        n.starts_with("msg-") && n.ends_with(".eml")
                    })
                    .count()
            })
            .unwrap_or(0)
    }

    /// Waits until `n` messages are kept, then a while longer (`settle`)
    /// to see that no more come; returns them.
    pub fn wait_for(&self, n: usize, timeout: Duration, settle: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        while self.count() < n {
            assert!(
                Instant::now() < deadline,
                "{} messages after {timeout:?}, want {n}",
                self.count()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(settle);
        let got = self.received();
        assert_eq!(
            got.len(),
            n,
            "more messages came: {:?}",
            got.iter().map(|m| &m.rcpt_tos).collect::<Vec<_>>()
        );
        got
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some((mut child, _)) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
