//! `cekiosk hub`: the hub's start-up. It readies the database, binds the
//! address and serves the router until Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::{Hub, commands, credential, db, router};
use crate::config::Config;
use crate::pdf::Fonts;

/// `cekiosk hub --listen ADDR --database URL`.
pub fn serve(config: Config, database: &str, listen: &str) -> Result<()> {
    let addr: SocketAddr = listen
        .parse()
        .with_context(|| format!("--listen '{listen}' is not an address such as 127.0.0.1:8787"))?;
    // A hub that cannot print every name must not start: say what to install.
    let font_dirs = Fonts::dirs(config.certificate.fonts.as_deref());
    let fonts = Arc::new(Fonts::load(&font_dirs)?);
    if config.kiosk_tokens().is_empty() {
        tracing::info!(
            "kiosks present their own credentials (cekiosk hub add-kiosk, cekiosk enrol)"
        );
    } else {
        let warning = "this hub accepts the fleet's shared secret (CEKIOSK_SYNC_TOKEN / [hub] tokens): \
                       every kiosk can act as every other, and one stolen kiosk is the whole fleet; \
                       enrol each kiosk (cekiosk hub add-kiosk, then cekiosk enrol) and start the hub \
                       without the secret";
        tracing::warn!("{warning}");
        eprintln!("cekiosk hub: warning: {warning}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Settings the hub cannot send with stop it here, before it serves.
    let mailer = runtime.block_on(async { super::mail::Mailer::from_config(&config) })?;
    runtime.block_on(async {
        // PostgreSQL's share of the hub's work is CPU-bound: a few
        // connections per core keep the cores busy, and twenty kiosks'
        // uploads queue for them instead of thrashing (on 2 cores, 4
        // connections took the bench's upload from 0.68 s to 0.57 s).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = db::pool(database, (2 * cores).max(4))?;
        commands::prepare(&pool, &config).await?;
        let key = db::signing_key(&pool, &credential::Signer::generate()?).await?;
        let signer = credential::Signer::from_pkcs8(&key)?;
        let hub = Arc::new(Hub::new(pool, config, fonts, signer));
        // A void made through another hub process restarts this one's
        // figures too.
        hub.figures.follow(database.to_string());
        if let Some(mailer) = mailer {
            mailer.start(hub.clone(), database.to_string());
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // Scripts and tests read this line to learn the port.
        println!("cekiosk hub listening on http://{local}");
        tracing::info!(%local, "hub listening");
        // The peer's address goes with each request: the sign-in
        // throttle counts by it.
        axum::serve(
            listener,
            router(hub).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// A hub whose fonts are missing refuses to start, before it touches
    /// the database, and says what to install.
    #[test]
    fn refuses_to_start_without_its_fonts() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let mut config = crate::config::Config::load(&dir).expect("demo config");
        let empty = tempfile::tempdir().expect("temp dir");
        config.certificate.fonts = Some(empty.path().to_path_buf());
        let e = super::serve(config, "postgres://nowhere.invalid/none", "127.0.0.1:0")
            .expect_err("no fonts, no hub")
            .to_string();
        assert!(e.contains("NotoSans-Regular.ttf"), "{e}");
        assert!(e.contains("not found under"), "{e}");
        assert!(e.contains("fonts-noto-core and fonts-noto-cjk"), "{e}");
    }
}
