//! The change feed never skips a change: records put back on the feed in
//! one transaction share a place in its order (a transaction and a seq),
//! and a page never ends inside such a group, however small the pages.

use cekiosk::sync::protocol::{Changes, Cursor};

use crate::common::{Hub, KioskDb, cluster, db_name, ok};
use crate::visit;

#[test]
fn a_page_never_ends_inside_a_group_of_changes_that_share_a_place() {
    let pg = cluster();
    let name = db_name("feed_groups");
    let url = pg.database(&name);
    let hub = Hub::start(&url);
    // Three kiosks' records at the same seqs...
    let kiosks: Vec<KioskDb> = (0..3).map(|_| KioskDb::new()).collect();
    for (k, badge) in kiosks.iter().zip(["A0012345", "A0010476", "A0010600"]) {
        visit(k, badge, "AMA", &[("S008", 4)]);
        ok(&k.sync(&hub.url, &[]));
    }
    // ...put back on the feed in one transaction, as an import does.
    pg.query(&name, "UPDATE records SET txid = pg_current_xact_id()");
    let want: std::collections::BTreeSet<(String, String)> = pg
        .query(
            &name,
            "SELECT device_id || ' ' || record_id FROM records
              WHERE rejected IS NULL AND kind NOT IN ('audit', 'certificate')",
        )
        .lines()
        .map(|l| {
            let (d, r) = l.split_once(' ').unwrap();
            (d.to_string(), r.to_string())
        })
        .collect();
    assert!(want.len() >= 9, "{want:?}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pool = cekiosk::hub::db::pool(&url, 2).unwrap();
    for limit in 1..=4 {
        let mut since = Cursor::default();
        let mut got = std::collections::BTreeMap::<(String, String), usize>::new();
        for _ in 0..10_000 {
            let body = runtime
                .block_on(cekiosk::hub::db::changes_json(
                    &pool, since, "a-reader", limit,
                ))
                .unwrap();
            let page: Changes = serde_json::from_str(&body).unwrap();
            assert!(page.next >= since, "the cursor went back");
            for c in page.changes.iter().filter(|c| c.origin != "hub") {
                let what = format!("{} {}", c.kind, c.payload.get());
                *got.entry((c.origin.clone(), what)).or_default() += 1;
            }
            since = page.next;
            if !page.more {
                break;
            }
        }
        let devices: std::collections::BTreeSet<&String> = want.iter().map(|(d, _)| d).collect();
        let per_device: usize = want.len();
        let received: usize = got.values().sum();
        assert_eq!(
            received, per_device,
            "pages of {limit}: every change once ({got:?}) from {devices:?}"
        );
        assert!(got.values().all(|n| *n == 1), "pages of {limit}: {got:?}");
    }
}
