//! The hub's signing key: made by the first hub process to start, kept in
//! PostgreSQL, read by every other.

use deadpool_postgres::Pool;

use super::DbResult;

/// The key the database holds, after offering `fresh` (PKCS#8) in case it
/// holds none: of two processes starting at once, one key wins for both.
pub async fn signing_key(pool: &Pool, fresh: &[u8]) -> DbResult<Vec<u8>> {
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO signing_key(pkcs8) VALUES ($1) ON CONFLICT (singleton) DO NOTHING",
            &[&fresh],
        )
        .await?;
    let row = client
        .query_one("SELECT pkcs8 FROM signing_key", &[])
        .await?;
    Ok(row.get(0))
}
