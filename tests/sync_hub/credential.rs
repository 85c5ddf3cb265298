//! The certificate as an Open Badges 3.0 credential, checked the standard
//! way by an implementation the project did not write (Python's PyJWT on
//! the `cryptography` library, which `scripts/test` installs), acting as a
//! verifier that follows the issuer: from `iss` to the issuer's profile,
//! to the `kid` the profile lists, to the key that URL serves. A token
//! signed with another key that claims the hub as issuer is refused, and
//! so is one carrying its own key. The credential's status, read from the
//! hub's Bitstring Status List (decoded with Python's gzip and base64),
//! turns to revoked when a claim it counted is voided at a kiosk; the
//! credential fetched after the void is a new one, not revoked. Every hub
//! process on one database signs with one key.

use std::process::Command;

use cekiosk::store::Store;

use crate::common::{Hub, KioskDb, cluster, db_name, free_port, get, ok};
use crate::visit;

/// A verifier that follows the issuer, and what it reads of the status.
/// `verify TOKEN` prints the verified payload with its status bit;
/// `forge TOKEN` signs the token's claims with a key of its own four
/// ways and prints how each was answered.
const VERIFIER: &str = r#"
import base64, gzip, json, sys, urllib.request
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()

def verify(token):
    header = jwt.get_unverified_header(token)
    if "jwk" in header:
        raise ValueError("the token carries its own key")
    unverified = jwt.decode(token, options={"verify_signature": False})
    iss, kid = unverified["iss"], header["kid"]
    profile = json.loads(fetch(iss))
    if profile["id"] != iss:
        raise ValueError("the profile at iss is another issuer's")
    if kid not in [m["id"] for m in profile["verificationMethod"]] \
            or kid not in profile["assertionMethod"]:
        raise ValueError("the issuer does not list this key")
    jwk = json.loads(fetch(kid))
    listed = [m["publicKeyJwk"]["x"] for m in profile["verificationMethod"] if m["id"] == kid]
    if jwk["x"] not in listed or "d" in jwk:
        raise ValueError("the key at kid is not the one the issuer lists")
    return jwt.decode(token, key=jwt.PyJWK(jwk).key, algorithms=["EdDSA"],
                      options={"require": ["iss", "sub", "jti", "nbf"], "verify_aud": False})

def status(vc):
    entry = vc["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry", entry
    assert entry["statusPurpose"] == "revocation", entry
    lst = verify(fetch(entry["statusListCredential"]))
    assert lst["iss"] == vc["iss"] and lst["id"] == entry["statusListCredential"], lst
    assert "BitstringStatusListCredential" in lst["type"], lst
    subject = lst["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded[0] == "u", "multibase base64url"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072, len(bits)
    i = int(entry["statusListIndex"])
    return (bits[i // 8] >> (7 - i % 8)) & 1

def forge(token):
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["name"] = "Certificate of Credit for someone else"
    mine = Ed25519PrivateKey.generate()
    own = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(mine.public_key()))
    hub_kid = jwt.get_unverified_header(token)["kid"]
    tries = {
        "the hub's kid": {"kid": hub_kid},
        "a kid of its own": {"kid": "https://forger.example/key"},
        "its own key and kid": {"kid": "https://forger.example/key", "jwk": own},
        "its own key alone": {"jwk": own},
    }
    out = {}
    for what, header in tries.items():
        forged = jwt.encode(claims, mine, algorithm="EdDSA", headers=header)
        try:
            verify(forged)
            out[what] = "ACCEPTED"
        except Exception as e:
            out[what] = "refused: " + type(e).__name__ + ": " + str(e)
    # A verifier trusting the key in the token would have taken it.
    naive = jwt.encode(claims, mine, algorithm="EdDSA", headers={"jwk": own})
    carried = jwt.PyJWK(jwt.get_unverified_header(naive)["jwk"]).key
    jwt.decode(naive, key=carried, algorithms=["EdDSA"], options={"verify_aud": False})
    return out

what, token = sys.argv[1], sys.argv[2]
if what == "verify":
    vc = verify(token)
    print(json.dumps({"vc": vc, "revoked": status(vc)}))
else:
    print(json.dumps(forge(token)))
"#;

fn python(what: &str, token: &str) -> serde_json::Value {
    let out = Command::new("python3")
        .args(["-c", VERIFIER, what, token])
        .output()
        .expect("python3 (scripts/test installs PyJWT and cryptography)");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "the verifier refused: {}{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(text.trim()).unwrap()
}

/// The verified credential and its status bit (1: revoked).
fn verify(token: &str) -> (serde_json::Value, u64) {
    let v = python("verify", token);
    (v["vc"].clone(), v["revoked"].as_u64().unwrap())
}

/// A hub whose public address (`url_base`) is the address it listens on,
/// so every URL in its credentials can be followed.
fn hub_at_its_address(database: &str) -> Hub {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/c/");
    Hub::start_at(
        database,
        &format!("127.0.0.1:{port}"),
        &[("CEKIOSK_CERTIFICATE_URL_BASE", base.as_str())],
    )
}

#[test]
fn the_credential_verifies_through_its_issuer_and_reads_revoked_after_a_void() {
    let pg = cluster();
    let name = db_name("credential");
    let hub = hub_at_its_address(&pg.database(&name));
    let k = KioskDb::new();
    let cert = visit(&k, "A0012345", "AMA", &[("S008", 4), ("S012", 4)]);
    ok(&k.sync(&hub.url, &[]));

    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"{cert}.jwt\"")), "{page}");
    let (status, token) = get(&format!("{}/c/{cert}.jwt", hub.url));
    assert_eq!(status, 200);
    let token = token.trim().to_string();
    let (vc, revoked) = verify(&token);
    assert_eq!(revoked, 0, "a fresh credential is not revoked");
    let types: Vec<&str> = vc["type"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(types, ["VerifiableCredential", "OpenBadgeCredential"]);
    assert_eq!(
        vc["issuer"]["name"],
        "Lakeshore Oncology Education Alliance"
    );
    assert_eq!(vc["iss"], vc["issuer"]["id"]);
    assert_eq!(vc["iss"], format!("{}/issuer", hub.url));
    assert!(vc["jti"].as_str().unwrap().ends_with(&cert));
    // The subject has an id, the same as `sub`, with nothing of the
    // attendee in it.
    let sub = vc["sub"].as_str().unwrap().to_string();
    assert_eq!(vc["credentialSubject"]["id"], sub);
    assert!(sub.starts_with("urn:uuid:"), "{sub}");
    assert!(!sub.contains("12345") && !sub.contains("Okafor"), "{sub}");
    let subject = &vc["credentialSubject"];
    assert_eq!(subject["identifier"][0]["identityHash"], "Amelia Okafor");
    assert_eq!(
        subject["achievement"]["name"],
        "Oncology Annual Meeting 2026"
    );
    // The credit the credential carries is the credit the page shows.
    let value = subject["result"][0]["value"].as_str().unwrap().to_string();
    assert_eq!(
        subject["creditsEarned"].as_f64().unwrap().to_string(),
        value
    );
    assert!(
        page.contains(&format!("<td class=\"amount\">{value} credits</td>")),
        "{value} not on the page"
    );
    // Fetched again unchanged, it is the same credential, in the same place.
    let (_, again) = get(&format!("{}/c/{cert}.jwt", hub.url));
    let (vc_again, _) = verify(again.trim());
    assert_eq!(vc_again["credentialStatus"], vc["credentialStatus"]);

    // Someone else's key, claiming the hub as issuer: refused every way,
    // though a verifier trusting the key a token carries would take it.
    let forged = python("forge", &token);
    println!("forgeries: {forged:#}");
    for (what, answer) in forged.as_object().unwrap() {
        let answer = answer.as_str().unwrap();
        assert!(answer.starts_with("refused"), "{what}: {answer}");
    }
    assert!(
        forged["the hub's kid"]
            .as_str()
            .unwrap()
            .contains("InvalidSignatureError")
    );

    // Staff at the kiosk void the S008 claim; it reaches the hub.
    let claim: String = k
        .sqlite()
        .query_row(
            "SELECT claim_id FROM claims WHERE session_id = 'S008'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    Store::open(&k.db())
        .unwrap()
        .void_claim(&claim, "left before the session began", "K01")
        .unwrap();
    ok(&k.sync(&hub.url, &[]));
    // The credential that counted it now reads as revoked...
    let (_, revoked) = verify(&token);
    assert_eq!(revoked, 1, "the credential of a voided claim is revoked");
    // ...and the one fetched now is a new credential, in a new place, not
    // revoked, with the void's credit gone.
    let (_, fresh) = get(&format!("{}/c/{cert}.jwt", hub.url));
    let (vc_fresh, revoked) = verify(fresh.trim());
    assert_eq!(revoked, 0);
    assert_ne!(vc_fresh["credentialStatus"], vc["credentialStatus"]);
    assert_eq!(
        vc_fresh["sub"], sub,
        "the same attendee, the same subject id"
    );
    assert_ne!(
        vc_fresh["credentialSubject"]["result"][0]["value"],
        value.as_str()
    );
    let db = hub.database.rsplit('/').next().unwrap();
    assert_eq!(pg.query(db, "SELECT count(*) FROM credential_status"), "2");

    // No certificate, no credential; no such list, no such key.
    for path in [
        "/c/AAAAAAAAAAAAAAAAAAAAAA.jwt",
        "/status/7",
        "/status/x",
        "/keys/not-the-hubs",
    ] {
        let (status, _) = get(&format!("{}{path}", hub.url));
        assert_eq!(status, 404, "{path}");
    }

    // A second hub process on the same database signs with the same key.
    let second = Hub::start_at(
        &hub.database,
        "127.0.0.1:0",
        &[(
            "CEKIOSK_CERTIFICATE_URL_BASE",
            format!("{}/c/", hub.url).as_str(),
        )],
    );
    let (_, jwks) = get(&format!("{}/.well-known/jwks.json", hub.url));
    let (_, jwks2) = get(&format!("{}/.well-known/jwks.json", second.url));
    assert_eq!(jwks, jwks2);
    let (_, token2) = get(&format!("{}/c/{cert}.jwt", second.url));
    let (vc2, revoked) = verify(token2.trim());
    assert_eq!(revoked, 0);
    assert_eq!(vc2["credentialStatus"], vc_fresh["credentialStatus"]);
}
