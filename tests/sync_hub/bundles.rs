//! Export bundles, for a kiosk that never reaches the network: `cekiosk
//! export` at the kiosk and `cekiosk hub import` at the hub load each record
//! exactly once however often the bundle is imported.

use std::process::Command;

use crate::common::{Hub, KioskDb, cluster, db_name, get, ok};
use crate::{common, hub_import, outbox_len, visit};

#[test]
fn export_bundle_imports_exactly_once() {
    let pg = cluster();
    let name = db_name("bundle");
    let url = pg.database(&name);
    let k = KioskDb::new();
    let cert = visit(&k, "A0020002", "ANCC", &[("S008", 4)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k01.json");
    let text = ok(&k.cmd(&[]).arg("export").arg(&file).output().unwrap());
    let n = outbox_len(&k);
    assert!(text.contains(&format!("{n} records")), "{text}");
    let import = || hub_import(&file, &url);
    let text = ok(&import());
    assert!(
        text.contains(&format!("{n} records new to the hub, 0 already there")),
        "{text}"
    );
    let text = ok(&import());
    assert!(
        text.contains(&format!("0 records new to the hub, {n} already there")),
        "{text}"
    );
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        n.to_string()
    );
    // The certificate is served once a hub runs on that database.
    let hub = Hub::start(&url);
    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200);
    assert!(
        page.contains("Keisha Williams") && page.contains("ANCC contact hours"),
        "{page}"
    );
    // A damaged bundle is refused with the reason and changes nothing.
    let bad = common::write(
        dir.path(),
        "bad.json",
        "{\"format\": \"cekiosk-export-1\", \"records\": [",
    );
    let out = Command::new(common::bin())
        .arg("--config")
        .arg(common::config_dir())
        .args(["hub", "import"])
        .arg(&bad)
        .args(["--database", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a cekiosk export bundle"));
    assert_eq!(
        pg.query(&name, "SELECT count(*) FROM records"),
        n.to_string()
    );
}
