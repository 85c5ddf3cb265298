//! Migrations at start, and the refusal of a database whose change feed
//! would stall: a hub never serves from a schema or a server it cannot
//! trust.

use anyhow::Context;
use deadpool_postgres::Pool;

use super::DbResult;
use crate::hub::schema::MIGRATIONS;

/// Applies the migrations not yet applied, under an advisory lock so two
/// hubs starting together do not race.
pub async fn migrate(pool: &Pool) -> DbResult<()> {
    let mut client = pool.get().await.context("connecting to PostgreSQL")?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7216312)", &[])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL)")
        .await?;
    let version: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM hub_schema",
            &[],
        )
        .await?
        .get(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("migration {}", i + 1))?;
        tx.execute(
            "INSERT INTO hub_schema(version) VALUES ($1)",
            &[&((i + 1) as i32)],
        )
        .await?;
    }
    tx.commit().await?;
    check_feed_order(pool).await
}

/// The change feed is ordered by PostgreSQL transaction ids, which belong
/// to one server: a database copied to another server with pg_dump keeps
/// the old ids while new writes get the new server's (lower) ones, and
/// kiosks would stop seeing new changes. Such a database is refused at
/// start, with what to do, instead of serving a feed that silently stalls.
async fn check_feed_order(pool: &Pool) -> DbResult<()> {
    let client = pool.get().await.context("connecting to PostgreSQL")?;
    let ahead: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM records WHERE txid >= pg_snapshot_xmax(pg_current_snapshot()))
                 OR EXISTS (SELECT 1 FROM changes WHERE txid >= pg_snapshot_xmax(pg_current_snapshot()))",
            &[],
        )
        .await?
        .get(0);
    if ahead {
        anyhow::bail!(
            "this hub database was written on another PostgreSQL server: its change feed's \
             transaction ids run ahead of this server's, so kiosks would stop receiving \
             changes. Move a hub by copying the whole cluster (pg_basebackup or a \
             replica), not with pg_dump; see docs/sync.md"
        );
    }
    Ok(())
}
