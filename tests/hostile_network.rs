//! A hostile network between a kiosk and the hub. A fault-injecting TCP
//! proxy on loopback sits between `cekiosk sync` and the real hub binary and,
//! on a seeded random schedule, resets connections before forwarding, cuts
//! the hub's answer off mid-body, stalls a request past the client's timeout,
//! answers `500` itself, and kills and restarts the hub (same database, same
//! port) under a request. About 60% of requests pass unharmed; each kind of
//! fault is forced once if chance has not brought it early in the run, and
//! one outage (every request fails until the sync run gives up) makes at
//! least one run fail. The sync is run again and again until one run
//! finishes; between runs the cursors must not go down and the hub must hold
//! exactly the kiosk's records up to its `high_seq`; at the end it must hold
//! each of the kiosk's records, claims and certificates exactly once.
//!
//! The seed is printed; `CEKIOSK_FAULT_SEED=<seed>` replays a schedule (the
//! faults are drawn in the order requests reach the proxy).

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use cekiosk::domain::CodeSet;
use cekiosk::domain::ids::OsRandom;
use cekiosk::store::{CreditChoices, NewVisit, Store};
use cekiosk::sync::protocol::Cursor;
use common::fault_proxy::Proxy;
use common::{Cluster, Hub, KioskDb, cluster, db_name};

/// The kiosk's per-request timeout in these runs: shorter than the time
/// the proxy holds a stalled request (`common::fault_proxy::STALL`).
const CLIENT_TIMEOUT: &str = "1";
/// Visits per attendee and claims per visit: 340 × 7 × (3 claims + profile,
/// evaluation, certificate) = 14,280 outbox records, plus the two audit
/// records of the roster imports.
/// Enough for seven pages of uploads: the schedule forces each kind of
/// fault by the sixth POST at the latest.
const VISITS: usize = 7;
const CLAIMS: usize = 3;
const MAX_ATTEMPTS: usize = 60;
const MAX_TIME: Duration = Duration::from_secs(180);

/// 340 attendees × VISITS visits × CLAIMS claims on distinct sessions,
/// committed through the library. Returns the device id and the number of
/// claims.
fn fill(k: &KioskDb) -> (String, usize) {
    let conn = k.sqlite();
    let badges = k.badges();
    let sessions: Vec<(String, u32)> = conn
        .prepare("SELECT session_id, credits_q FROM sessions ORDER BY session_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(conn);
    assert!(badges.len() >= 300 && sessions.len() > VISITS * CLAIMS);
    let mut store = Store::open(&k.db()).unwrap();
    let device = store.device_id(&mut OsRandom).unwrap();
    let answers: Vec<(String, String)> = [
        ("objective_1", "Agree"),
        ("relevant", "Agree"),
        ("change", "Yes"),
        ("fair", "Yes"),
    ]
    .iter()
    .map(|(q, a)| (q.to_string(), a.to_string()))
    .collect();
    for (i, badge) in badges.iter().enumerate() {
        for v in 0..VISITS {
            let claims = (0..CLAIMS)
                .map(|j| {
                    let (id, designated) = &sessions[(i * 7 + v * CLAIMS + j) % sessions.len()];
                    (id.clone(), 1 + (i + j) as u32 % designated)
                })
                .collect();
            store
                .commit_visit(
                    &NewVisit {
                        badge_id: badge.clone(),
                        kiosk_id: "K01".into(),
                        device_id: device.clone(),
                        profile: CreditChoices {
                            codes: CodeSet::parse_list("AMA").unwrap(),
                            ..CreditChoices::default()
                        },
                        claims,
                        answers: answers.clone(),
                        summary: None,
                        language: None,
                        mail_declined: false,
                    },
                    &mut OsRandom,
                )
                .unwrap();
        }
    }
    (device, badges.len() * VISITS * CLAIMS)
}

fn kiosk_i64(k: &KioskDb, sql: &str) -> i64 {
    k.sqlite().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn kiosk_set(k: &KioskDb, sql: &str) -> BTreeSet<String> {
    let c = k.sqlite();
    let mut s = c.prepare(sql).unwrap();
    s.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn hub_i64(pg: &Cluster, db: &str, sql: &str) -> i64 {
    let text = pg.query(db, sql);
    text.parse()
        .unwrap_or_else(|_| panic!("{sql}: not a number: {text}"))
}

fn hub_set(pg: &Cluster, db: &str, sql: &str) -> BTreeSet<String> {
    pg.query(db, sql)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Where both sides stand between sync runs.
#[derive(Debug, Clone, Copy, Default)]
struct Snapshot {
    hub_high: i64,
    hub_records: i64,
    hub_distinct: i64,
    kiosk_uploaded: i64,
    kiosk_max_uploaded: i64,
    kiosk_cursor: Cursor,
    kiosk_outbox: i64,
    kiosk_at_or_below_high: i64,
}

fn snapshot(pg: &Cluster, db: &str, k: &KioskDb) -> Snapshot {
    // The kiosk first: the hub only gains records meanwhile.
    let kiosk_uploaded = kiosk_i64(
        k,
        "SELECT count(*) FROM outbox WHERE uploaded_at IS NOT NULL",
    );
    let kiosk_max_uploaded = kiosk_i64(
        k,
        "SELECT coalesce(max(seq), 0) FROM outbox WHERE uploaded_at IS NOT NULL",
    );
    let kiosk_cursor: Cursor = k
        .sqlite()
        .query_row(
            "SELECT coalesce((SELECT value FROM meta WHERE key = 'hub_cursor'), '0.0')",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
        .parse()
        .expect("a TXID.SEQ cursor");
    let kiosk_outbox = kiosk_i64(k, "SELECT count(*) FROM outbox");
    // One statement, one snapshot of the hub.
    let row = pg.query(
        db,
        "SELECT coalesce((SELECT max(high_seq) FROM devices), 0), (SELECT count(*) FROM records), \
         (SELECT count(DISTINCT (device_id, seq)) FROM records)",
    );
    let v: Vec<i64> = row.split('|').map(|x| x.parse().unwrap()).collect();
    let kiosk_at_or_below_high = kiosk_i64(
        k,
        &format!("SELECT count(*) FROM outbox WHERE seq <= {}", v[0]),
    );
    Snapshot {
        hub_high: v[0],
        hub_records: v[1],
        hub_distinct: v[2],
        kiosk_uploaded,
        kiosk_max_uploaded,
        kiosk_cursor,
        kiosk_outbox,
        kiosk_at_or_below_high,
    }
}

/// The invariants that hold between any two runs, however they ended.
fn check(prev: &Snapshot, now: &Snapshot, outbox: i64, seed: u64) {
    let ctx = format!("seed {seed}: {prev:?} then {now:?}");
    assert!(
        now.hub_high >= prev.hub_high,
        "hub high_seq went down: {ctx}"
    );
    assert!(
        now.kiosk_cursor >= prev.kiosk_cursor,
        "kiosk hub_cursor went down: {ctx}"
    );
    assert!(
        now.kiosk_uploaded >= prev.kiosk_uploaded,
        "kiosk un-marked uploads: {ctx}"
    );
    assert_eq!(
        now.hub_records, now.hub_distinct,
        "duplicated records: {ctx}"
    );
    assert_eq!(
        now.hub_records, now.kiosk_at_or_below_high,
        "the hub's records are not exactly the kiosk's up to high_seq: {ctx}"
    );
    assert!(
        now.kiosk_max_uploaded <= now.hub_high,
        "the kiosk marked records uploaded that the hub does not hold: {ctx}"
    );
    assert_eq!(
        now.kiosk_outbox, outbox,
        "the outbox changed during sync: {ctx}"
    );
}

/// Samples the hub's high_seq while runs go on: it must never go down.
fn watch_high_seq(
    pg: &'static Cluster,
    db: String,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<(usize, Option<String>)> {
    thread::spawn(move || {
        let (mut last, mut samples) = (0i64, 0usize);
        while !stop.load(Ordering::SeqCst) {
            let text = pg.query(&db, "SELECT coalesce(max(high_seq), 0) FROM devices");
            let high: i64 = text.parse().unwrap_or(-1);
            samples += 1;
            if high < last {
                return (samples, Some(format!("high_seq {last} then {high}")));
            }
            last = high;
            thread::sleep(Duration::from_millis(150));
        }
        (samples, None)
    })
}

/// How many times PostgreSQL saw a hub connection vanish inside a
/// transaction (a restart that killed the hub mid-page). Best effort: reads
/// the log of this process's cluster from where tests/common puts it.
fn killed_mid_transaction() -> Option<usize> {
    let prefix = format!("cekiosk-pg-{}-", std::process::id());
    let dir = std::fs::read_dir(std::env::temp_dir())
        .ok()?
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))?;
    let log = std::fs::read_to_string(dir.path().join("log")).ok()?;
    Some(log.matches("with an open transaction").count())
}

/// One `cekiosk sync` through the proxy, with a watchdog.
fn run_sync(k: &KioskDb, hub: &str, attempt: usize) -> (bool, String) {
    let out_path = k.dir.path().join(format!("sync-{attempt}.out"));
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = k
        .cmd(&[("CEKIOSK_SYNC_TIMEOUT_SECONDS", CLIENT_TIMEOUT)])
        .args(["sync", "--hub", hub])
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    match status {
        Some(s) => (s.success(), text),
        None => (
            false,
            format!("watchdog: sync still running after 120 s\n{text}"),
        ),
    }
}

#[test]
fn a_hostile_network_loses_and_duplicates_nothing() {
    let began = Instant::now();
    let seed = common::seed("CEKIOSK_FAULT_SEED");
    eprintln!("hostile network: seed {seed} (replay with CEKIOSK_FAULT_SEED={seed})");
    let pg = cluster();
    let name = db_name("hostile");
    let database = pg.database(&name);
    let k = KioskDb::new();
    let (device, claims) = fill(&k);
    let outbox = kiosk_i64(&k, "SELECT count(*) FROM outbox");
    let max_seq = kiosk_i64(&k, "SELECT max(seq) FROM outbox");
    let page = cekiosk::sync::protocol::PAGE as i64;
    assert!(outbox > 6 * page, "{outbox} records, pages of {page}");
    eprintln!(
        "hostile network: {outbox} outbox records built in {} ms",
        began.elapsed().as_millis()
    );

    let hub_port = common::free_port();
    let hub = Hub::start_at(&database, &format!("127.0.0.1:{hub_port}"), &[]);
    let proxy = Proxy::start(seed, hub, &database, hub_port);
    let stop_watch = Arc::new(AtomicBool::new(false));
    let watcher = watch_high_seq(pg, name.clone(), Arc::clone(&stop_watch));

    let syncing = Instant::now();
    let mut prev = Snapshot::default();
    let (mut attempts, mut failures, mut outages) = (0usize, 0usize, 0usize);
    loop {
        attempts += 1;
        assert!(
            attempts <= MAX_ATTEMPTS && syncing.elapsed() < MAX_TIME,
            "seed {seed}: no sync finished in {} attempts / {} s; {:?}",
            attempts - 1,
            syncing.elapsed().as_secs(),
            proxy.stats()
        );
        let started = Instant::now();
        let (ok, text) = run_sync(&k, &proxy.url(), attempts);
        if proxy.end_attempt() {
            outages += 1;
        }
        proxy.assert_sound();
        let now = snapshot(pg, &name, &k);
        check(&prev, &now, outbox, seed);
        prev = now;
        let line = text.lines().last().unwrap_or("").to_string();
        eprintln!(
            "attempt {attempts}: {} in {} ms, hub high_seq {}: {line}",
            if ok { "ok" } else { "failed" },
            started.elapsed().as_millis(),
            now.hub_high
        );
        if ok {
            break;
        }
        failures += 1;
        assert!(
            text.contains("did not finish"),
            "seed {seed}: a sync failed for a reason other than the network: {text}"
        );
    }
    let sync_time = syncing.elapsed();

    // Requests the proxy stalled may still be on their way to the hub: let
    // them land, so they count against exactly-once too.
    proxy.settle();
    proxy.assert_sound();
    stop_watch.store(true, Ordering::SeqCst);
    let (samples, went_down) = watcher.join().unwrap();
    assert_eq!(
        went_down, None,
        "seed {seed}: the hub's high_seq went down while syncing"
    );
    let stats = proxy.stats();
    let hub_down = proxy.shared.hub_down.load(Ordering::SeqCst);

    // Exactly once, record by record.
    let kiosk_records = kiosk_set(
        &k,
        "SELECT seq || '|' || kind || '|' || record_id FROM outbox",
    );
    let hub_records = hub_set(
        pg,
        &name,
        &format!(
            "SELECT seq || '|' || kind || '|' || record_id FROM records WHERE device_id = '{device}'"
        ),
    );
    let hub_count = hub_i64(pg, &name, "SELECT count(*) FROM records");
    let hub_distinct = hub_i64(
        pg,
        &name,
        "SELECT count(DISTINCT (device_id, seq)) FROM records",
    );
    let lost = kiosk_records.difference(&hub_records).count();
    let extra = hub_records.difference(&kiosk_records).count();
    let duplicated = (hub_count - hub_distinct) as usize + extra;
    eprintln!(
        "hostile network: {outbox} records, {} faults injected (resets {}, cut bodies {}, timeouts {}, 500s {}, restarts {}), \
         {attempts} sync attempts, {lost} lost, {duplicated} duplicated",
        stats.faults(),
        stats.resets,
        stats.cuts,
        stats.timeouts,
        stats.errors,
        stats.restarts
    );
    let mid_transaction = killed_mid_transaction()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "?".into());
    eprintln!(
        "hostile network: {} requests ({} clean), {failures} failed runs ({outages} by an outage), \
         {hub_down} requests found the hub down, {mid_transaction} of {} restarts killed the hub \
         mid-transaction, {samples} high_seq samples; seed {seed}; sync {:.1} s, whole test {:.1} s",
        stats.requests,
        stats.clean,
        stats.restarts,
        sync_time.as_secs_f64(),
        began.elapsed().as_secs_f64()
    );
    assert_eq!(lost, 0, "seed {seed}: records lost");
    assert_eq!(duplicated, 0, "seed {seed}: records duplicated");
    assert_eq!(hub_count, outbox, "seed {seed}");
    assert_eq!(hub_distinct, outbox, "seed {seed}");
    assert_eq!(
        hub_i64(
            pg,
            &name,
            "SELECT count(*) FROM records WHERE rejected IS NOT NULL"
        ),
        0,
        "seed {seed}: rejected records"
    );

    // Every claim once, and none taken for a duplicate of itself.
    let kiosk_claims = kiosk_set(&k, "SELECT claim_id FROM claims");
    let hub_claims = hub_set(pg, &name, "SELECT claim_id FROM claims");
    assert_eq!(kiosk_claims.len(), claims);
    assert_eq!(
        hub_i64(pg, &name, "SELECT count(*) FROM claims"),
        kiosk_claims.len() as i64,
        "seed {seed}"
    );
    assert!(
        kiosk_claims == hub_claims,
        "seed {seed}: claims differ: {} only at the kiosk, {} only at the hub",
        kiosk_claims.difference(&hub_claims).count(),
        hub_claims.difference(&kiosk_claims).count()
    );
    assert_eq!(
        hub_i64(
            pg,
            &name,
            "SELECT count(*) FROM claims WHERE duplicate_of IS NOT NULL"
        ),
        0,
        "seed {seed}: a claim was flagged a duplicate"
    );
    let kiosk_certs = kiosk_set(&k, "SELECT certificate_id FROM certificates");
    assert_eq!(
        hub_set(pg, &name, "SELECT certificate_id FROM certificates"),
        kiosk_certs,
        "seed {seed}"
    );
    // The change feed other kiosks download holds each record once too.
    // (Neither the audit nor certificates go on the feed: a certificate id
    // opens the attendee's certificate, docs/security.md.)
    let feed_kinds = kiosk_i64(
        &k,
        "SELECT count(*) FROM outbox WHERE kind NOT IN ('audit', 'certificate')",
    );
    // The feed hands out only what committed before every transaction
    // still running: a backend of the killed hub that PostgreSQL has not
    // yet ended holds the rest back until it does. Read it again (whole,
    // from the start) until that has passed; what is missing then is lost.
    let read_at = Instant::now();
    let in_feed = loop {
        let feed = common::read_feed(&format!("http://127.0.0.1:{hub_port}"));
        let n = feed.iter().filter(|(origin, _)| *origin == device).count() as i64;
        if n == feed_kinds || read_at.elapsed() > Duration::from_secs(10) {
            break n;
        }
        eprintln!(
            "hostile network: the feed holds {n} of {feed_kinds} records after {:.1} s; transactions open: {}",
            read_at.elapsed().as_secs_f64(),
            pg.query(
                &name,
                "SELECT string_agg(pid || ' ' || coalesce(state, '') || ' since ' || coalesce(xact_start::text, ''), '; ')
                 FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL"
            )
            .trim()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(in_feed, feed_kinds, "seed {seed}: the change feed");
    // The hub's mark and the kiosk's view of it.
    assert_eq!(
        pg.query(&name, "SELECT device_id || ' ' || high_seq FROM devices"),
        format!("{device} {max_seq}"),
        "seed {seed}"
    );
    assert_eq!(
        kiosk_i64(
            &k,
            "SELECT count(*) FROM outbox WHERE uploaded_at IS NULL OR rejected IS NOT NULL"
        ),
        0,
        "seed {seed}: not uploaded at the kiosk"
    );
    assert!(stats.restarts >= 1, "seed {seed}: the hub never restarted");
    assert!(
        stats.resets + stats.cuts + stats.errors > 0,
        "seed {seed}: no faults"
    );
}
