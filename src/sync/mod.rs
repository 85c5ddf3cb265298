//! Sync between a kiosk and the hub: the protocol's messages, the kiosk's
//! client, and the export bundle for kiosks that never get a network.

pub mod client;
pub mod protocol;

use std::path::Path;

use anyhow::{Context, Result};

use crate::store::Store;
use protocol::{BUNDLE_FORMAT, Bundle};

/// Writes every record this kiosk has made to `file`, whole or not at all:
/// the bundle is written beside it and renamed into place.
pub fn export(
    store: &Store,
    event_id: &str,
    kiosk_id: &str,
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
    let bundle = Bundle {
        format: BUNDLE_FORMAT.to_string(),
        event_id: event_id.to_string(),
        device_id: device_id.to_string(),
        kiosk_id: kiosk_id.to_string(),
        exported_at: crate::store::now_text(),
        records,
    };
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
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
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
