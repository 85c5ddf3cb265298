//! The change feed kiosks download: other kiosks' records and the hub's
//! roster changes, handed out by a cursor that never skips a change.

use deadpool_postgres::Pool;

use super::DbResult;
use crate::sync::protocol::Cursor;

/// The feed: other kiosks' accepted records and the hub's roster changes,
/// in (transaction, seq) order, only from transactions older than every
/// transaction still running (`$3`, the snapshot's xmin): those are over,
/// so nothing can later appear behind the cursor handed out. Two ordered
/// index scans, merged by the hub (a UNION would sort the whole rest of the
/// feed for every page).
///
/// A kiosk is sent what its screens need of other kiosks' records, and no
/// more (docs/security.md, "What a kiosk holds"): a profile goes without
/// its IDs (only that an e-Profile ID, ABIM ID or birth date is on file,
/// and the IDs' last two digits); an evaluation without its answers (only
/// which questions were answered, all a kiosk needs to know whether the
/// evaluation is complete); certificates and the audit not at all (a
/// certificate id opens an attendee's certificate, and a kiosk reissuing
/// the QR of someone who never visited it asks the hub). So a kiosk
/// carried off the floor holds none of other kiosks' attendees' IDs,
/// answers or certificate links.
macro_rules! feed_payload {
    () => {
        "CASE WHEN kind = 'profile' THEN json_build_object(
                'badge_id', payload->>'badge_id', 'codes', payload->>'codes',
                'pharm_role', payload->>'pharm_role', 'moc_consent', payload->'moc_consent',
                'at', payload->>'at',
                'epid_ending', coalesce(right(payload->>'epid', 2), payload->>'epid_ending'),
                'abim_ending', coalesce(right(payload->>'abim_id', 2), payload->>'abim_ending'),
                'birth_on_file', payload->>'birth_mmdd' IS NOT NULL
                                 OR coalesce(payload->>'birth_on_file', '') = 'true')::text
            WHEN kind = 'evaluation' THEN json_build_object(
                'badge_id', payload->>'badge_id', 'at', payload->>'at',
                'visit_id', coalesce(payload->>'visit_id', ''), 'answers', '{}'::json,
                'answered', coalesce((SELECT json_agg(a.key ORDER BY a.key) FROM json_each_text(
                    CASE WHEN json_typeof(payload->'answers') = 'object' THEN payload->'answers' END) a
                  WHERE trim(a.value) <> ''), '[]'::json))::text
            ELSE payload::text END"
    };
}
const FEED_RECORDS: &str = concat!(
    "SELECT txid::text::bigint AS t, seq, device_id, kind, ",
    feed_payload!(),
    " FROM records
     WHERE (txid, seq) > ($1::text::xid8, $2) AND txid < $3::text::xid8
       AND device_id <> $4 AND rejected IS NULL AND kind NOT IN ('audit', 'certificate')
     ORDER BY txid, seq LIMIT $5"
);
const FEED_HUB: &str =
    "SELECT txid::text::bigint AS t, hub_seq, origin, kind, payload::text FROM changes
     WHERE (txid, hub_seq) > ($1::text::xid8, $2) AND txid < $3::text::xid8
     ORDER BY txid, hub_seq LIMIT $4";

/// Every change at one place in the feed's order (a transaction and a
/// seq), in the form of [`FEED_RECORDS`] and [`FEED_HUB`].
const FEED_GROUP_RECORDS: &str = concat!(
    "SELECT txid::text::bigint AS t, seq, device_id, kind, ",
    feed_payload!(),
    " FROM records WHERE txid = $1::text::xid8 AND seq = $2 AND device_id <> $3
       AND rejected IS NULL AND kind NOT IN ('audit', 'certificate')"
);
const FEED_GROUP_HUB: &str =
    "SELECT txid::text::bigint AS t, hub_seq, origin, kind, payload::text FROM changes
     WHERE txid = $1::text::xid8 AND hub_seq = $2";

/// The newest change of a finished transaction, of any origin: where a
/// kiosk that has read the whole feed stands.
const FEED_END: &str = "SELECT txid::text::bigint AS t, seq FROM (
      (SELECT txid, seq FROM records WHERE txid < $1::text::xid8 ORDER BY txid DESC, seq DESC LIMIT 1)
      UNION ALL
      (SELECT txid, hub_seq FROM changes WHERE txid < $1::text::xid8 ORDER BY txid DESC, hub_seq DESC LIMIT 1)
    ) e ORDER BY txid DESC, seq DESC LIMIT 1";

/// The newest transaction whose changes have committed but that the feed
/// cannot hand out yet, because an older transaction is still running.
const FEED_HELD: &str = "SELECT max(txid)::text FROM (
      (SELECT txid FROM records WHERE txid >= $1::text::xid8 ORDER BY txid DESC LIMIT 1)
      UNION ALL
      (SELECT txid FROM changes WHERE txid >= $1::text::xid8 ORDER BY txid DESC LIMIT 1)
    ) h";

/// The page `changes` returns, as its JSON body: each payload is passed
/// through as the kiosk sent it, never parsed and printed again.
pub async fn changes_json(
    pool: &Pool,
    since: Cursor,
    device_id: &str,
    limit: usize,
) -> DbResult<String> {
    use std::fmt::Write as _;
    let mut waited = false;
    loop {
        let mut client = pool.get().await?;
        // One snapshot for the horizon, the page and the cursor.
        let tx = client
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        // The feed is always read by walking its index from the cursor. A
        // table that grew fast since the planner last sampled it would
        // otherwise be scanned whole and sorted for every page.
        tx.batch_execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off",
        )
        .await?;
        let xmin: String = tx
            .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
            .await?
            .get(0);
        let (txid, n) = (since.txid.to_string(), limit as i64 + 1);
        let mut rows = tx
            .query(FEED_RECORDS, &[&txid, &since.seq, &xmin, &device_id, &n])
            .await?;
        rows.extend(tx.query(FEED_HUB, &[&txid, &since.seq, &xmin, &n]).await?);
        let at = |r: &tokio_postgres::Row| Cursor {
            txid: r.get(0),
            seq: r.get(1),
        };
        rows.sort_by_key(at);
        rows.truncate(limit + 1);
        let more = rows.len() > limit;
        if more {
            // Changes can share a place in the feed's order: an import puts
            // several devices' records back on the feed in one transaction,
            // and their seqs (and the import's own rows) meet. A page never
            // ends inside such a group, or the cursor would skip the rest.
            let next = at(&rows[limit]);
            let keep = rows[..limit]
                .iter()
                .position(|r| at(r) == next)
                .unwrap_or(limit);
            if keep > 0 {
                rows.truncate(keep);
            } else {
                // A group as large as a page: the page is the whole group.
                let (t, q) = (next.txid.to_string(), next.seq);
                rows = tx.query(FEED_GROUP_RECORDS, &[&t, &q, &device_id]).await?;
                rows.extend(tx.query(FEED_GROUP_HUB, &[&t, &q]).await?);
            }
        }
        if !more && !waited {
            // Changes that committed behind a transaction still running
            // (uploads take milliseconds) are waited for, once and briefly:
            // a kiosk that has just heard another kiosk's upload succeed
            // then finds it here.
            let held: Option<String> = tx.query_one(FEED_HELD, &[&xmin]).await?.get(0);
            if let Some(held) = held {
                tx.commit().await?;
                // Waiting gives the connection back: uploads need it more.
                drop(client);
                wait_past(pool, &held).await?;
                waited = true;
                continue;
            }
        }
        let mut out = String::with_capacity(rows.len().min(limit) * 400 + 64);
        out.push_str("{\"changes\":[");
        let mut last = since;
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write!(
                out,
                "{{\"origin\":{},\"kind\":{},\"payload\":{}}}",
                serde_json::to_string(r.get::<_, &str>(2))?,
                serde_json::to_string(r.get::<_, &str>(3))?,
                r.get::<_, &str>(4),
            )?;
            last = at(r);
        }
        let next = if more {
            last
        } else {
            // The whole feed is read: the cursor moves past this device's
            // own records too, so the next sync does not scan them again.
            match tx.query_opt(FEED_END, &[&xmin]).await? {
                Some(r) => last.max(Cursor {
                    txid: r.get(0),
                    seq: r.get(1),
                }),
                None => last,
            }
        };
        tx.commit().await?;
        write!(out, "],\"next\":\"{next}\",\"more\":{more}}}")?;
        return Ok(out);
    }
}

/// Waits (at most two seconds) until every transaction older than `txid`
/// has ended.
async fn wait_past(pool: &Pool, txid: &str) -> DbResult<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while std::time::Instant::now() < deadline {
        let past: bool = pool
            .get()
            .await?
            .query_one(
                "SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::text::xid8",
                &[&txid],
            )
            .await?
            .get(0);
        if past {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    Ok(())
}
