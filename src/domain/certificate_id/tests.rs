//! Summary ids: what is minted opens verified with the kiosk's key and
//! nothing else; no altered character ever opens verified; and the QR
//! budget, checked against a real QR encoder.

use proptest::prelude::*;
use qrcode::{EcLevel, Version};

use crate::domain::qr;

use super::*;

fn summary(kiosk: &str, second: i64, credits: Vec<(CreditCode, Quarters)>) -> Summary {
    Summary {
        kiosk: kiosk.into(),
        issued: Timestamp::from_second(second).unwrap(),
        credits,
    }
}

/// 2026-11-27T15:42:31Z
const FRIDAY: i64 = 1_795_794_151;

#[test]
fn a_minted_id_opens_verified_with_its_kiosk_key_only() {
    let own = [7u8; 32];
    let other = [8u8; 32];
    let s = summary(
        "K07",
        FRIDAY,
        vec![(CreditCode::AMA, 7), (CreditCode::MOC, 7)],
    );
    let id = mint(&own, &s, [9; 12]).unwrap();
    assert_eq!(id.len(), longest_id("K07", 2));
    assert!(id.bytes().all(|b| ALPHABET.contains(&b)), "{id}");
    // What the hub reads before it knows whose keys to check with.
    let peeked = peek(&id).expect("a summary id");
    assert_eq!(peeked.kiosk, "K07");
    match open(&id, &[other, own]) {
        Opened::Verified(got) => {
            assert_eq!(got, peeked);
            assert_eq!(got.credits, s.credits);
            // 15:42:31 is shown as the minute it fell in.
            assert_eq!(got.issued.as_second(), FRIDAY - 31);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(open(&id, &[other]), Opened::Unverified);
    assert_eq!(open(&id, &[]), Opened::Unverified);
    // The shared secret's keys differ per kiosk: K08's does not sign for K07.
    let forged = mint(&kiosk_key("kiosk-token", "K08"), &s, [9; 12]).unwrap();
    assert_eq!(
        open(&forged, &[kiosk_key("kiosk-token", "K07")]),
        Opened::Unverified
    );
}

#[test]
fn a_bundle_signature_is_the_key_s_and_the_bytes_own() {
    let code = sign_bytes(&[1; 32], b"records");
    assert!(verify_bytes(&[1; 32], b"records", &code));
    assert!(!verify_bytes(&[2; 32], b"records", &code));
    assert!(!verify_bytes(&[1; 32], b"records!", &code));
    assert!(!verify_bytes(&[1; 32], b"records", ""));
    assert!(!verify_bytes(&[1; 32], b"records", "not base64 at all!"));
}

#[test]
fn plain_random_ids_are_not_summaries() {
    for id in ["AbCdEfGhIjKlMnOpQrStUv", "ABCDEFGHIJKLMNOPQRSTUV", "", "A"] {
        assert_eq!(open(id, &[[1; 32]]), Opened::Plain, "{id}");
        assert_eq!(peek(id), None, "{id}");
    }
    assert_eq!(
        open(
            &crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom),
            &[]
        ),
        Opened::Plain
    );
}

#[test]
fn what_cannot_be_carried_gets_no_summary() {
    let key = kiosk_key("t", "K01");
    let before_2024 = summary("K01", 1_600_000_000, vec![(CreditCode::AMA, 4)]);
    assert_eq!(mint(&key, &before_2024, [0; 12]), None);
    let too_much = summary("K01", FRIDAY, vec![(CreditCode::AMA, 4096)]);
    assert_eq!(mint(&key, &too_much, [0; 12]), None);
    let twice = summary(
        "K01",
        FRIDAY,
        vec![(CreditCode::AMA, 1), (CreditCode::AMA, 2)],
    );
    assert_eq!(mint(&key, &twice, [0; 12]), None);
    assert_eq!(mint(&key, &summary("", FRIDAY, vec![]), [0; 12]), None);
}

fn code() -> impl Strategy<Value = CreditCode> {
    proptest::sample::select(CreditCode::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any summary comes back as minted; changing any one character, or
    /// dropping or adding one, never opens verified.
    #[test]
    fn no_altered_id_opens_verified(
        kiosk in "[A-Za-z0-9 é中-]{1,12}",
        minute in 0i64..(1 << 24),
        credits in proptest::collection::btree_map(code(), 0u32..4096, 0..6),
        random in proptest::array::uniform12(any::<u8>()),
        at in any::<prop::sample::Index>(),
        to in proptest::sample::select(ALPHABET.to_vec()),
    ) {
        let s = summary(&kiosk, (EPOCH_MINUTE + minute) * 60, credits.into_iter().collect());
        let tokens = [kiosk_key("sync-token", &kiosk)];
        let id = mint(&tokens[0], &s, random).unwrap();
        prop_assert_eq!(id.len(), longest_id(&kiosk, s.credits.len()));
        prop_assert_eq!(open(&id, &tokens), Opened::Verified(s));
        let i = at.index(id.len());
        let mut changed = id.clone().into_bytes();
        if changed[i] != to {
            changed[i] = to;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(!matches!(open(&changed, &tokens), Opened::Verified(_)), "{changed}");
        }
        let mut shorter = id.clone();
        shorter.remove(i);
        prop_assert!(!matches!(open(&shorter, &tokens), Opened::Verified(_)));
        let mut longer = id.clone();
        longer.insert(i, to as char);
        prop_assert!(!matches!(open(&longer, &tokens), Opened::Verified(_)));
    }
}

/// The budget, held to a real QR encoder: every url_base up to the
/// budget fits a version-4 code at L with the longest id, whatever the
/// characters of the base or of the id's alphabet; two bytes more of a
/// lower-case base do not.
#[test]
fn the_qr_budget_fits_a_real_version_4_code() {
    for kiosk in ["K1", "K07", "HALL-B-KIOSK-12", "キオスク"] {
        for types in 1..=6 {
            let id_len = longest_id(kiosk, types);
            let max = max_url_base(id_len);
            assert!(max > 20, "{kiosk} {types}: only {max}");
            // All letters, all digits, and the two alternating.
            let id: String = "Z".repeat(id_len);
            let digits: String = "7".repeat(id_len);
            let mixed: String = "A2".repeat(id_len).chars().take(id_len).collect();
            for (len, id) in [1, max / 2, max]
                .into_iter()
                .flat_map(|len| [(len, &id), (len, &digits), (len, &mixed)])
            {
                let base = format!("https://{}", "x".repeat(len.saturating_sub(8)));
                let base = &base[..len.max(8)];
                let url = format!("{base}{id}");
                assert!(
                    qr::encode_in(url.as_bytes(), Version::Normal(4), EcLevel::L).is_some(),
                    "{kiosk} {types}: {len} bytes of url_base should fit before {id}"
                );
            }
            let over = format!("https://{}{id}", "x".repeat(max + 2 - 8));
            assert!(
                qr::encode(over.as_bytes(), EcLevel::L).map(|c| c.version())
                    == Some(Version::Normal(5)),
                "{kiosk} {types}: {} bytes should not fit",
                max + 2
            );
        }
    }
}

/// A plain id (mixed case, so byte mode) fits behind the plain budget: 78
/// bytes of URL in a version-4 code at L. Ids whose runs of capitals or
/// digits led the QR crate's own split past byte mode's length, and a
/// thousand random ones. One that nothing carries in fewer bits than
/// byte mode (lower case throughout) does not fit one byte more.
#[test]
fn the_plain_budget_is_a_version_4_codes_78_bytes() {
    let max = max_url_base_plain();
    assert_eq!(max + PLAIN_ID_LEN, 78);
    let version = |n: usize, id: &str| {
        let url = format!("https://{}{id}", "x".repeat(n - 8));
        qr::encode(url.as_bytes(), EcLevel::L).map(|c| c.version())
    };
    let known = [
        "YUiKOAWmHWqdILPBPGzEuQ",
        "iGeSvDSkiFAbdwy4585x3g",
        "TeGNPKK-xYQAT-HGlqXY3Q",
    ]
    .map(String::from);
    let random = (0..1000).map(|_| crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom));
    for id in known.into_iter().chain(random) {
        assert_eq!(id.len(), PLAIN_ID_LEN);
        assert_eq!(version(max, &id), Some(Version::Normal(4)), "{id}");
    }
    let lower = "abcdefghijklmnopqrstuv";
    assert_eq!(lower.len(), PLAIN_ID_LEN);
    assert_eq!(version(max, lower), Some(Version::Normal(4)));
    assert_eq!(version(max + 1, lower), Some(Version::Normal(5)));
}
