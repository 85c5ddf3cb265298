//! Sync between a kiosk and the hub: the protocol's messages, the kiosk's
//! client, enrolment (a kiosk's own credentials), and the export bundle
//! for kiosks that never get a network.

pub mod client;
pub mod plan;
pub mod protocol;

use std::path::Path;

use anyhow::{Context, Result};

use crate::store::Store;
use protocol::{BUNDLE_FORMAT, Bundle};

/// Writes every record this kiosk has made to `file`, whole or not at all:
/// the bundle is written beside it and renamed into place.
///
/// The bundle is signed with the kiosk's key (`key`: its own when it was
/// enrolled, else one from the fleet's shared secret), so the hub takes it
/// only as this kiosk's; unsigned without one, which a hub refuses. It is
/// written readable by its owner only: it holds attendees' IDs.
pub fn export(
    store: &Store,
    event_id: &str,
    kiosk_id: &str,
    key: Option<&[u8; 32]>,
    device_id: &str,
    file: &Path,
) -> Result<usize> {
    let mut records = Vec::new();
    // Records before a new device id was taken are at the hub already,
    // under the old one.
    let mut after = store.device_since_seq()? - 1;
    loop {
        let page = store.outbox_after(after, 10_000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        records.extend(page);
    }
    let mut bundle = Bundle {
        format: BUNDLE_FORMAT.to_string(),
        event_id: event_id.to_string(),
        device_id: device_id.to_string(),
        kiosk_id: kiosk_id.to_string(),
        exported_at: crate::store::now_text(),
        records,
        signature: String::new(),
    };
    if let Some(key) = key {
        bundle.sign(key);
    }
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (tmp, mut out) = tempfile_in(dir)?;
    let written = (|| -> Result<()> {
        serde_json::to_writer(std::io::BufWriter::new(&mut out), &bundle)?;
        out.sync_all()?;
        std::fs::rename(&tmp, file)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("{}: cannot write the bundle", file.display()));
    }
    Ok(bundle.records.len())
}

/// A new file in `dir` that is removed again unless renamed.
fn tempfile_in(dir: &Path) -> Result<(std::path::PathBuf, std::fs::File)> {
    for n in 0..100u32 {
        let path = dir.join(format!(".cekiosk-export-{}-{n}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("creating a file in {}", dir.display()));
            }
        }
    }
    anyhow::bail!("cannot create a temporary file in {}", dir.display())
}

/// Reads and checks a bundle.
pub fn read_bundle(file: &Path) -> Result<Bundle> {
    let text = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let bundle: Bundle = serde_json::from_slice(&text)
        .with_context(|| format!("{}: not a cekiosk export bundle", file.display()))?;
    if bundle.format != BUNDLE_FORMAT {
        anyhow::bail!(
            "{}: format '{}' is not {BUNDLE_FORMAT}",
            file.display(),
            bundle.format
        );
    }
    Ok(bundle)
}

/// The enrolment itself, shared by `cekiosk enrol` and staff mode: asks
/// the hub (a retry after a lost answer is the same enrolment), keeps the
/// credentials and writes the audit line.
pub fn enrol(
    store: &mut crate::store::Store,
    config: &crate::config::Config,
    hub_url: &str,
    code: &str,
) -> Result<crate::store::KioskCredentials, client::SyncError> {
    let client = client::HubClient::new(
        hub_url,
        "",
        client::Retry {
            timeout: std::time::Duration::from_secs(config.sync.timeout_seconds.max(1)),
            ..Default::default()
        },
    );
    let nonce = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
    let answer = client.enrol(&config.event.id, code, &nonce)?;
    let summary_key = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        &answer.summary_key,
    )
    .ok()
    .and_then(|k| <[u8; 32]>::try_from(k).ok())
    .ok_or_else(|| client::SyncError::BadAnswer("the key is not 32 bytes".into()))?;
    let credentials = crate::store::KioskCredentials {
        hub_url: hub_url.to_string(),
        kiosk_id: answer.kiosk_id.clone(),
        key_id: answer.key_id,
        token: answer.token,
        summary_key,
        enrolled_at: String::new(),
    };
    store.set_credentials(&credentials)?;
    store.audit(
        &answer.kiosk_id,
        "kiosk.enrol",
        &format!(
            "enrolled as kiosk {} at {hub_url} (key {})",
            answer.kiosk_id, answer.key_id
        ),
    )?;
    tracing::info!(kiosk = %answer.kiosk_id, key = answer.key_id, "enrolled");
    Ok(credentials)
}
