//! The runner's voice: a thread that turns what the app says into sound,
//! so the update step never waits on audio. Two outputs:
//!
//! - the system's speech service, speech-dispatcher (with espeak-ng behind
//!   it, as Debian packages them), over its SSIP socket: each utterance
//!   cancels the one before, so a key press cuts speech off; the
//!   connection is closed when the app hushes (speech off, the attendee
//!   gone), so the next attendee gets the service's default rate and
//!   volume on a fresh one;
//! - `[kiosk] speech_out`, a folder: each utterance is written there by
//!   espeak-ng as a numbered WAV file, with a `.txt` file of the same name
//!   holding its words (for tests, and for checking a kiosk without
//!   headphones).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::domain::lang::Lang;

/// Where speech goes.
#[derive(Debug, Clone)]
pub enum Output {
    /// speech-dispatcher, to the kiosk's audio output.
    Service,
    /// Numbered WAV and text files in this folder.
    Folder(PathBuf),
}

enum Order {
    Say(String, Lang),
    Hush,
}

/// The handle the runner orders speech through; sending never blocks.
pub struct Speaker {
    tx: mpsc::Sender<Order>,
}

impl Speaker {
    /// Starts the speaking thread.
    pub fn start(output: Output) -> Speaker {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || match output {
            Output::Folder(dir) => folder_loop(&dir, &rx),
            Output::Service => service_loop(&rx),
        });
        Speaker { tx }
    }

    pub fn say(&self, text: String, lang: Lang) {
        let _ = self.tx.send(Order::Say(text, lang));
    }

    pub fn hush(&self) {
        let _ = self.tx.send(Order::Hush);
    }
}

/// The espeak-ng voice for a language the kiosk offers.
pub fn espeak_voice(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en-us",
        Lang::Es => "es",
        Lang::Fr => "fr-fr",
        Lang::De => "de",
        Lang::PtBr => "pt-br",
        Lang::ZhHans => "cmn",
        Lang::Ja => "ja",
        Lang::Ko => "ko",
    }
}

/// The language as speech-dispatcher is asked for it (SSIP's LANGUAGE).
fn ssip_language(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Es => "es",
        Lang::Fr => "fr",
        Lang::De => "de",
        Lang::PtBr => "pt-BR",
        Lang::ZhHans => "zh",
        Lang::Ja => "ja",
        Lang::Ko => "ko",
    }
}

/// The number the next file in `dir` takes: one past the highest there,
/// so a restarted kiosk never writes over what it said before.
fn next_number(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let name = e.ok()?.file_name();
            name.to_str()?.split('.').next()?.parse::<u64>().ok()
        })
        .max()
        .map_or(1, |n| n + 1)
}

fn folder_loop(dir: &Path, rx: &mpsc::Receiver<Order>) {
    if let Err(e) = std::fs::create_dir_all(dir) {
        tracing::error!(dir = %dir.display(), error = %e, "speech_out folder");
        return;
    }
    let mut n = next_number(dir);
    while let Ok(order) = rx.recv() {
        // In a folder nothing is cut off: every utterance is kept.
        let Order::Say(text, lang) = order else {
            continue;
        };
        match write_utterance(dir, n, &text, lang) {
            Ok(()) => n += 1,
            Err(e) => tracing::error!(error = %e, "speech_out: utterance not written"),
        }
    }
}

/// `dir/NNNNNN.wav` from espeak-ng, then `dir/NNNNNN.txt` with its words:
/// each written under a temporary name and renamed, so a reader that sees
/// the `.txt` finds the WAV whole.
fn write_utterance(dir: &Path, n: u64, text: &str, lang: Lang) -> std::io::Result<()> {
    let stem = format!("{n:06}");
    let wav_part = dir.join(format!("{stem}.wav.part"));
    let mut child = Command::new("espeak-ng")
        .args(["-v", espeak_voice(lang), "-w"])
        .arg(&wav_part)
        .arg("--stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes())?;
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(std::io::Error::other(format!("espeak-ng: {status}")));
    }
    std::fs::rename(&wav_part, dir.join(format!("{stem}.wav")))?;
    let txt_part = dir.join(format!("{stem}.txt.part"));
    std::fs::write(&txt_part, format!("{text}\n"))?;
    std::fs::rename(&txt_part, dir.join(format!("{stem}.txt")))
}

type SsipClient = ssip_client::Client<std::os::unix::net::UnixStream>;

/// A connection to speech-dispatcher, started on demand (Debian's
/// speech-dispatcher starts itself for a client: `--spawn`).
fn connect() -> Option<SsipClient> {
    let open = || -> ssip_client::ClientResult<SsipClient> {
        let mut c = ssip_client::fifo::Builder::new().build()?;
        c.set_client_name(ssip_client::ClientName::new("cekiosk", "kiosk"))?
            .check_client_name_set()?;
        Ok(c)
    };
    match open() {
        Ok(c) => Some(c),
        Err(_) => {
            let _ = Command::new("speech-dispatcher")
                .arg("--spawn")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            match open() {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::error!(error = %e, "speech-dispatcher cannot be reached");
                    None
                }
            }
        }
    }
}

fn speak(client: &mut SsipClient, text: &str, lang: Lang) -> ssip_client::ClientResult<()> {
    use ssip_client::{ClientScope, MessageScope, OK_CANCELED, OK_LANGUAGE_SET};
    client
        .cancel(MessageScope::Last)?
        .check_status(OK_CANCELED)?;
    client
        .set_language(ClientScope::Current, ssip_language(lang))?
        .check_status(OK_LANGUAGE_SET)?;
    // A line of a lone dot would end the text early.
    let line = if text.starts_with('.') {
        format!(" {text}")
    } else {
        text.to_string()
    };
    client
        .speak()?
        .check_receiving_data()?
        .send_line(&line)?
        .receive_message_id()?;
    Ok(())
}

fn service_loop(rx: &mpsc::Receiver<Order>) {
    let mut client: Option<SsipClient> = None;
    while let Ok(mut order) = rx.recv() {
        // The newest order wins: keys pressed meanwhile cut the rest off.
        while let Ok(next) = rx.try_recv() {
            order = next;
        }
        match order {
            Order::Hush => {
                if let Some(mut c) = client.take() {
                    let _ = c.cancel(ssip_client::MessageScope::Last);
                    let _ = c.quit();
                }
            }
            Order::Say(text, lang) => {
                if client.is_none() {
                    client = connect();
                }
                if let Some(c) = client.as_mut()
                    && let Err(e) = speak(c, &text, lang)
                {
                    tracing::error!(error = %e, "speech-dispatcher refused an utterance");
                    client = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_numbered_after_the_highest_already_there() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(next_number(dir.path()), 1);
        for name in ["000007.wav", "000007.txt", "000003.txt", "notes.md"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(next_number(dir.path()), 8);
    }
}
