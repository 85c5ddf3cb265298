//! Hearing what other hub processes on the database say, through
//! PostgreSQL's LISTEN/NOTIFY, on a connection of its own (a pooled one
//! goes back to the pool and would stop hearing).

use std::time::Duration;

/// Listens on `channel` for as long as the hub runs, calling `heard` at
/// each notification. After a lost connection (a database restart) it
/// listens again, and calls `heard` once: what was said meanwhile went
/// unheard.
pub fn follow(url: String, channel: &'static str, heard: impl Fn() + Send + Sync + 'static) {
    let heard = std::sync::Arc::new(heard);
    tokio::spawn(async move {
        loop {
            if let Err(e) = listen(&url, channel, heard.clone()).await {
                tracing::warn!(error = %format!("{e:#}"), channel, "listening to the other hubs");
            }
            heard();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(
    url: &str,
    channel: &str,
    heard: std::sync::Arc<impl Fn() + Send + Sync + 'static>,
) -> anyhow::Result<()> {
    let config: tokio_postgres::Config = url.parse()?;
    let (client, mut conn) = config.connect(tokio_postgres::NoTls).await?;
    let driven = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| conn.poll_message(cx)).await {
                Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => heard(),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            }
        }
    });
    client.batch_execute(&format!("LISTEN {channel}")).await?;
    // The connection is driven by `driven` until it ends; `client` keeps
    // it open meanwhile.
    driven.await??;
    drop(client);
    Ok(())
}
