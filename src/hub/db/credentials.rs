//! The credentials' places in the status lists (`hub::credential`): the
//! place of a credential the hub issues, kept so that fetching it again
//! gives the same one, and which places of a list are revoked.

use deadpool_postgres::Pool;

use super::DbResult;
use crate::domain::ids::{IdSource, OsRandom};
use crate::hub::credential::STATUS_LIST_SIZE;

/// The place of the credential of `certificate_id` whose content hashes
/// to `content`, counting `claims`: the one it was given, or a new one
/// chosen at random (as Bitstring Status List asks: a place must not tell
/// when a credential was issued or how many were) in lists kept at most
/// half full, so a free place is found at the first try or so.
pub async fn credential_index(
    pool: &Pool,
    certificate_id: &str,
    badge_id: &str,
    content: &[u8],
    claims: &[String],
) -> DbResult<u64> {
    let client = pool.get().await?;
    let find = "SELECT idx FROM credential_status WHERE certificate_id = $1 AND content = $2";
    if let Some(r) = client.query_opt(find, &[&certificate_id, &content]).await? {
        return Ok(r.get::<_, i32>(0) as u64);
    }
    let used: i64 = client
        .query_one("SELECT count(*) FROM credential_status", &[])
        .await?
        .get(0);
    let places =
        u64::from(STATUS_LIST_SIZE) * (1 + 2 * used.max(0) as u64 / u64::from(STATUS_LIST_SIZE));
    let places = places.min(i32::MAX as u64);
    for _ in 0..100 {
        let mut b = [0u8; 8];
        OsRandom.fill(&mut b);
        let idx = (u64::from_le_bytes(b) % places) as i32;
        let taken = client
            .query_opt(
                "INSERT INTO credential_status(idx, certificate_id, badge_id, content, claim_ids)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING idx",
                &[&idx, &certificate_id, &badge_id, &content, &claims],
            )
            .await?;
        if taken.is_some() {
            return Ok(idx as u64);
        }
        // The place was taken, or the same credential was issued by
        // another request meanwhile.
        if let Some(r) = client.query_opt(find, &[&certificate_id, &content]).await? {
            return Ok(r.get::<_, i32>(0) as u64);
        }
    }
    anyhow::bail!("no free place found in the credential status lists")
}

/// List `list`'s revoked entries (places within it): those of
/// credentials that counted a claim void since. None: no credential has a
/// place in that list.
pub async fn revoked(pool: &Pool, list: u32) -> DbResult<Option<Vec<u32>>> {
    let size = i64::from(STATUS_LIST_SIZE);
    let Ok(from) = i32::try_from(i64::from(list) * size) else {
        return Ok(None);
    };
    let to = i32::try_from(i64::from(from) + size).unwrap_or(i32::MAX);
    let client = pool.get().await?;
    let used = client
        .query_opt(
            "SELECT 1 FROM credential_status WHERE idx >= $1 AND idx < $2 LIMIT 1",
            &[&from, &to],
        )
        .await?;
    if used.is_none() {
        return Ok(None);
    }
    // Voids are few: each finds its attendee's credentials by the index.
    let rows = client
        .query(
            "SELECT DISTINCT cs.idx - $1
             FROM void_rows v
             JOIN credential_status cs ON cs.badge_id = v.badge_id AND v.claim_id = ANY(cs.claim_ids)
             WHERE cs.idx >= $1 AND cs.idx < $2",
            &[&from, &to],
        )
        .await?;
    Ok(Some(
        rows.iter()
            .map(|r| r.get::<_, i32>(0).max(0) as u32)
            .collect(),
    ))
}
