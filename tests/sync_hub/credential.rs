//! The certificate as an Open Badges 3.0 credential: downloadable from the
//! page, signed with the hub's Ed25519 key, verified here by an
//! implementation the project did not write (Python's PyJWT on the
//! `cryptography` library, which `scripts/test` installs), and refused by
//! it once altered. Every hub process on one database signs with one key.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Hub, KioskDb, cluster, db_name, get, ok};
use crate::visit;

const VERIFY: &str = r#"
import json, sys, jwt
token, jwks = sys.argv[1], json.loads(sys.stdin.read())
keys = {k["kid"]: jwt.PyJWK(k) for k in jwks["keys"]}
header = jwt.get_unverified_header(token)
key = keys[header["kid"]]
claims = jwt.decode(token, key=key.key, algorithms=["EdDSA"],
                    options={"require": ["iss", "jti", "nbf"], "verify_aud": False})
assert header["jwk"]["x"] == jwks["keys"][0]["x"], "the header's key is the published key"
head, body, sig = token.split(".")
claims2 = dict(claims, name="Certificate of Credit for someone else")
import base64
forged = head + "." + base64.urlsafe_b64encode(json.dumps(claims2).encode()).decode().rstrip("=") + "." + sig
try:
    jwt.decode(forged, key=key.key, algorithms=["EdDSA"], options={"verify_aud": False})
    print("FORGED ACCEPTED")
except jwt.InvalidSignatureError:
    pass
print(json.dumps(claims))
"#;

fn verify_with_pyjwt(token: &str, jwks: &str) -> serde_json::Value {
    let mut child = Command::new("python3")
        .args(["-c", VERIFY, token])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (scripts/test installs PyJWT and cryptography)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jwks.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "PyJWT refused the credential: {}{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("FORGED ACCEPTED"),
        "an altered credential verified"
    );
    serde_json::from_str(text.trim()).unwrap()
}

#[test]
fn the_credential_verifies_with_pyjwt_and_every_hub_signs_with_one_key() {
    let pg = cluster();
    let name = db_name("credential");
    let hub = Hub::start(&pg.database(&name));
    let k = KioskDb::new();
    let cert = visit(&k, "A0012345", "AMA", &[("S008", 4), ("S012", 4)]);
    ok(&k.sync(&hub.url, &[]));

    let (status, page) = get(&format!("{}/c/{cert}", hub.url));
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"{cert}.jwt\"")), "{page}");
    let (status, token) = get(&format!("{}/c/{cert}.jwt", hub.url));
    assert_eq!(status, 200);
    let (status, jwks) = get(&format!("{}/.well-known/jwks.json", hub.url));
    assert_eq!(status, 200);

    let vc = verify_with_pyjwt(token.trim(), &jwks);
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
    assert!(vc["jti"].as_str().unwrap().ends_with(&cert));
    let subject = &vc["credentialSubject"];
    assert_eq!(subject["identifier"][0]["identityHash"], "Amelia Okafor");
    assert_eq!(
        subject["achievement"]["name"],
        "Oncology Annual Meeting 2026"
    );
    // The credit the credential carries is the credit the page shows.
    let value = subject["result"][0]["value"].as_str().unwrap();
    assert_eq!(
        subject["creditsEarned"].as_f64().unwrap().to_string(),
        value
    );
    assert!(
        page.contains(&format!("<td class=\"amount\">{value} credits</td>")),
        "{value} not on the page"
    );
    // No certificate, no credential.
    let (status, _) = get(&format!("{}/c/AAAAAAAAAAAAAAAAAAAAAA.jwt", hub.url));
    assert_eq!(status, 404);

    // A second hub process on the same database publishes the same key.
    let second = Hub::start(&hub.database);
    let (_, jwks2) = get(&format!("{}/.well-known/jwks.json", second.url));
    assert_eq!(jwks, jwks2);
    let (_, token2) = get(&format!("{}/c/{cert}.jwt", second.url));
    verify_with_pyjwt(token2.trim(), &jwks);
}
