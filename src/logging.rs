//! Logs go to a file next to the database, never to the screen.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;

/// Starts logging to `<database stem>.log` beside the database. The guard
/// flushes the log when dropped; keep it for the life of the program.
pub fn init(db: &Path) -> Option<WorkerGuard> {
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("cekiosk");
    let file_name = format!("{stem}.log");
    let path = dir.join(&file_name);
    create_private(&path);
    let appender = tracing_appender::rolling::never(dir, file_name);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("CEKIOSK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .is_ok();
    installed.then_some(guard)
}

#[cfg(unix)]
fn create_private(path: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    // Best effort; the appender reports its own failure.
    let _ = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path);
}

#[cfg(not(unix))]
fn create_private(_path: &Path) {}
