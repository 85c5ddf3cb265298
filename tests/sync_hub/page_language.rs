//! The certificate page opens in the language the attendee used at the
//! kiosk (carried with the certificate), switches on request, and keeps
//! the accreditation statements in the provider's official English.

use cekiosk::domain::lang::Lang;

use crate::commit_as_attest;
use crate::common::{Hub, KioskDb, cluster, db_name, get, ok};

fn visit_in(k: &KioskDb, badge: &str, language: Option<Lang>) -> String {
    commit_as_attest(k, badge, "AMA", &[("S008", 4)], None, language)
}

#[test]
fn the_page_opens_in_the_attendees_language_and_switches() {
    let pg = cluster();
    let hub = Hub::start(&pg.database(&db_name("page_language")));
    let k = KioskDb::new();
    let ja = visit_in(&k, "A0012345", Some(Lang::Ja));
    let older = visit_in(&k, "A0010476", None);
    ok(&k.sync(&hub.url, &[]));

    let (status, page) = get(&format!("{}/c/{ja}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"ja\""), "{page}");
    assert!(page.contains("単位取得証明書"), "{page}");
    assert!(page.contains("Amelia Okafor"));
    // The statements stay the provider's English, marked as English.
    assert!(
        page.contains("class=\"statement\" lang=\"en\">Lakeshore"),
        "{page}"
    );
    assert!(page.contains("AMA PRA Category 1 Credits™"));
    assert!(page.contains("jointly accredited"));
    // Every language is offered, by its own name.
    for other in Lang::ALL.iter().filter(|l| **l != Lang::Ja) {
        assert!(
            page.contains(&format!("href=\"?lang={}\"", other.code())),
            "{}",
            other.code()
        );
        assert!(page.contains(other.own_name()));
    }

    let (_, es) = get(&format!("{}/c/{ja}?lang=es", hub.url));
    assert!(es.contains("<html lang=\"es\""));
    assert!(es.contains("Certificado de créditos"), "{es}");
    let (_, en) = get(&format!("{}/c/{ja}?lang=en", hub.url));
    assert!(en.contains("Certificate of Credit"));
    // A language the hub does not speak, and an older kiosk's certificate
    // with none recorded, read in English.
    let (_, unknown) = get(&format!("{}/c/{ja}?lang=tlh", hub.url));
    assert!(unknown.contains("<html lang=\"en\"") && unknown.contains("Certificate of Credit"));
    let (status, old) = get(&format!("{}/c/{older}", hub.url));
    assert_eq!(status, 200);
    assert!(old.contains("<html lang=\"en\""), "{old}");
}
