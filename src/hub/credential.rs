//! The certificate as a verifiable credential: a 1EdTech Open Badges 3.0
//! `OpenBadgeCredential` (a W3C verifiable credential) in the VC-JWT form,
//! signed with the hub's Ed25519 key, and the documents a verifier follows
//! to check it: the issuer's profile, the key it lists, and the status
//! list that says whether the credential was revoked.
//!
//! What was followed (docs/security.md): Open Badges 3.0 §8.2 "JSON Web
//! Token Proof Format" (1EdTech `ob_v3p0/integrity.md`): the JOSE header
//! holds only `alg`, `typ` and `kid`, a URL that dereferences to the public
//! key as a bare JWK, and no `jwk` (a verifier trusting a key the token
//! carries would take anyone's signature for the hub's); the payload is
//! the credential's own members with `iss`, `jti`, `nbf` and `sub`
//! (`credentialSubject.id`). The issuer's profile at `iss` lists that key
//! as a W3C Controlled Identifiers 1.0 `verificationMethod` (type
//! `JsonWebKey`) and `assertionMethod`, so a verifier goes iss → profile →
//! kid → key and refuses a kid the issuer does not list. Revocation is
//! the W3C Bitstring Status List v1.0 (a Recommendation, in the VC 2.0
//! context; Open Badges 3.0 leaves `credentialStatus` open):
//! a `BitstringStatusListEntry` with `statusPurpose` revocation, the list
//! itself a credential the hub signs the same way, its `encodedList` the
//! multibase (`u`, base64url without padding) GZIP of a bitstring of at
//! least 131,072 entries, index 0 the left-most bit.

use anyhow::{Result, anyhow};
use base64::Engine;
use hmac::{KeyInit, Mac};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::Digest;

use super::certificate::CertView;
use crate::config::Config;

/// Where the hub publishes its public keys as a set.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// Entries in one status list: the specification's minimum (16 KiB of
/// bits), so a credential's place says little about who holds it.
pub const STATUS_LIST_SIZE: u32 = 131_072;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The hub's signing key.
pub struct Signer {
    pair: Ed25519KeyPair,
    /// The public key, base64url (RFC 8037's `x`).
    x: String,
    /// Its RFC 7638 thumbprint: the last segment of the key's URL.
    thumbprint: String,
    /// The key the credentials' subject ids are made with, derived from
    /// the private key: the same in every hub process, and no one
    /// without the database can tell whose an id is.
    subjects: [u8; 32],
}

impl Signer {
    /// A fresh key, as PKCS#8, for the database to keep if it has none.
    pub fn generate() -> Result<Vec<u8>> {
        let doc = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
            .map_err(|_| anyhow!("the operating system's random generator failed"))?;
        Ok(doc.as_ref().to_vec())
    }

    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Signer> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| {
            anyhow!("the hub's signing key in the database is not an Ed25519 key: {e}")
        })?;
        let x = b64(pair.public_key().as_ref());
        // RFC 7638: the required members, in lexicographic order, no spaces.
        let thumbprint = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
        let thumbprint = b64(&sha2::Sha256::digest(thumbprint.as_bytes()));
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(pkcs8).expect("any key length");
        mac.update(b"cekiosk credential subjects v1");
        Ok(Signer {
            pair,
            x,
            thumbprint,
            subjects: mac.finalize().into_bytes().into(),
        })
    }

    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// The public key as a JWK (RFC 8037) named `kid`. Never `d`.
    pub fn public_jwk(&self, kid: &str) -> Value {
        json!({"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": kid, "alg": "EdDSA", "use": "sig"})
    }

    /// A compact JWS over `payload`, its header naming the key by `kid`
    /// alone.
    pub fn sign(&self, kid: &str, payload: &Value) -> String {
        let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": kid});
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(payload.to_string().as_bytes())
        );
        let sig = self.pair.sign(input.as_bytes());
        format!("{input}.{}", b64(sig.as_ref()))
    }

    /// The credential subject's id for an attendee of an event: a
    /// `urn:uuid:` (RFC 9562 version 8, its bits an HMAC of the event and
    /// badge under the hub's key), the same on every credential of theirs
    /// and carrying nothing of them.
    pub fn subject_id(&self, event: &str, badge: &str) -> String {
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.subjects).expect("any key length");
        mac.update(event.as_bytes());
        mac.update(b"\0");
        mac.update(badge.as_bytes());
        let mut b: [u8; 16] = mac.finalize().into_bytes()[..16]
            .try_into()
            .expect("16 of 32 bytes");
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

/// The URL of the hub's public key, the `kid` of everything it signs: it
/// answers with the key as a JWK.
pub fn key_url(config: &Config, signer: &Signer) -> String {
    format!("{}keys/{}", hub_base(config), signer.thumbprint())
}

/// The issuer's id, which `iss` names: its profile is served there.
pub fn issuer_id(config: &Config) -> String {
    format!("{}issuer", hub_base(config))
}

/// The JSON Web Key Set the hub publishes (its one key, by its URL).
pub fn jwks(config: &Config, signer: &Signer) -> Value {
    json!({ "keys": [signer.public_jwk(&key_url(config, signer))] })
}

/// The issuer's Open Badges profile, listing the key that signs for it.
pub fn issuer_profile(config: &Config, signer: &Signer) -> Value {
    let (issuer, kid) = (issuer_id(config), key_url(config, signer));
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://www.w3.org/ns/cid/v1",
        ],
        "id": issuer,
        "type": ["Profile"],
        "name": config.event.provider,
        "url": hub_base(config),
        "verificationMethod": [{
            "id": kid,
            "type": "JsonWebKey",
            "controller": issuer,
            "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": signer.x},
        }],
        "assertionMethod": [kid],
    })
}

/// The status list `list`'s URL.
pub fn status_list_url(config: &Config, list: u32) -> String {
    format!("{}status/{list}", hub_base(config))
}

/// Gives a credential its place in the status lists: entry `index`
/// counted across them all.
pub fn add_status(config: &Config, vc: &mut Value, index: u64) {
    let size = u64::from(STATUS_LIST_SIZE);
    let list = status_list_url(config, (index / size) as u32);
    let at = index % size;
    vc["credentialStatus"] = json!({
        "id": format!("{list}#{at}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": at.to_string(),
        "statusListCredential": list,
    });
}

/// Status list `list` as a credential to sign: the entries in `revoked`
/// set. Issued `now`; a verifier may keep it `ttl` (a minute).
pub fn status_list(config: &Config, list: u32, revoked: &[u32], now: jiff::Timestamp) -> Value {
    let (url, issuer) = (status_list_url(config, list), issuer_id(config));
    let subject = format!("{url}#list");
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": config.event.provider},
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "credentialSubject": {
            "id": subject,
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
            "ttl": 60_000,
        },
        "iss": issuer,
        "jti": url,
        "sub": subject,
        "nbf": now.as_second(),
    })
}

/// A bitstring of [`STATUS_LIST_SIZE`] entries with `set` at 1, index 0
/// the first byte's most significant bit, GZIP'd and written as multibase
/// base64url (`u`, no padding).
pub fn encoded_list(set: &[u32]) -> String {
    use std::io::Write;
    let mut bits = vec![0u8; STATUS_LIST_SIZE as usize / 8];
    for &i in set.iter().filter(|i| **i < STATUS_LIST_SIZE) {
        bits[(i / 8) as usize] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to memory does not fail.
    let _ = gz.write_all(&bits);
    let zipped = gz.finish().unwrap_or_default();
    format!("u{}", b64(&zipped))
}

/// The hub's public address, which names it as issuer: `url_base` without
/// its last path segment (`https://ce.example.org/c/` → `https://ce.example.org/`).
pub fn hub_base(config: &Config) -> String {
    let base = config.certificate.url_base.trim_end_matches('/');
    match base.rfind('/') {
        Some(i) if base[..i].contains("://") && !base[..i].ends_with('/') => {
            format!("{}/", &base[..i])
        }
        _ => format!("{base}/"),
    }
}

/// The certificate as an Open Badges 3.0 credential, ready to sign: the
/// credential's own members at the top of the JWT payload, with `iss`,
/// `jti`, `nbf` and `sub` (the subject's id, `subject`, from
/// [`Signer::subject_id`]), as the specification's VC-JWT section maps
/// them. Its status ([`add_status`]) is added once the hub has given it
/// a place.
pub fn open_badge(config: &Config, v: &CertView, subject: &str) -> Value {
    let base = hub_base(config);
    let issuer = issuer_id(config);
    let valid_from = v
        .issued_at
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    let statements: Vec<String> = v.lines.iter().map(|l| l.statement.clone()).collect();
    let mut description = format!(
        "Participation in the live activity {}, {}, {}, provided by {}.",
        v.title, v.dates, v.location, v.provider
    );
    for s in statements.iter().filter(|s| !s.is_empty()) {
        description.push(' ');
        description.push_str(s);
    }
    if !v.joint.is_empty() {
        description.push(' ');
        description.push_str(&v.joint);
    }
    let result_descriptions: Vec<Value> = v
        .lines
        .iter()
        .map(|l| {
            json!({
                "id": format!("{base}credit-types/{}", l.code.as_str()),
                "type": ["ResultDescription"],
                "name": l.name,
                "resultType": "Result",
            })
        })
        .collect();
    let results: Vec<Value> = v
        .lines
        .iter()
        .map(|l| {
            json!({
                "type": ["Result"],
                "resultDescription": format!("{base}credit-types/{}", l.code.as_str()),
                "value": crate::domain::format_quarters(l.awarded),
            })
        })
        .collect();
    let mut credential_subject = json!({
        "id": subject,
        "type": ["AchievementSubject"],
        "identifier": [{
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": false,
            "identityHash": v.name,
        }],
        "achievement": {
            "id": format!("{base}activities/{}", config.event.id),
            "type": ["Achievement"],
            "name": v.title,
            "description": description,
            "criteria": {
                "narrative": "Attended sessions of the activity, completed its evaluation, and attested to \
                              claiming only the credit commensurate with the extent of participation.",
            },
            "creditsAvailable": config.event.max_credits as f64 / 4.0,
            "resultDescription": result_descriptions,
        },
        "result": results,
    });
    if let [only] = v.lines.as_slice() {
        credential_subject["creditsEarned"] = json!(only.awarded as f64 / 4.0);
    }
    let mut vc = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": v.url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": v.provider, "url": base},
        "name": format!(
            "{} — {}",
            if v.participation { "Certificate of Participation" } else { "Certificate of Credit" },
            v.title
        ),
        "credentialSubject": credential_subject,
        "iss": issuer,
        "jti": v.url,
        "sub": subject,
    });
    if let (Some(from), Some(t)) = (valid_from, v.issued_at) {
        vc["validFrom"] = json!(from);
        vc["nbf"] = json!(t.as_second());
    }
    vc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_the_hub_the_certificates_live_on() {
        let mut c = crate::config::Config::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config"
        )))
        .unwrap();
        for (url_base, hub) in [
            ("https://ce.example.org/c/", "https://ce.example.org/"),
            (
                "https://ce.example.org/cme/c/",
                "https://ce.example.org/cme/",
            ),
            ("http://127.0.0.1:8787/c/", "http://127.0.0.1:8787/"),
            ("https://ce.example.org/", "https://ce.example.org/"),
        ] {
            c.certificate.url_base = url_base.into();
            assert_eq!(hub_base(&c), hub, "{url_base}");
        }
    }

    #[test]
    fn a_signed_token_verifies_with_the_published_key_and_not_after_a_change() {
        let s = Signer::from_pkcs8(&Signer::generate().unwrap()).unwrap();
        let kid = "https://ce.example.org/keys/k";
        let jwt = s.sign(kid, &json!({"name": "Amelia Okafor"}));
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(parts[0])
                .unwrap(),
        )
        .unwrap();
        // The key is named, never carried.
        assert_eq!(header, json!({"alg": "EdDSA", "typ": "JWT", "kid": kid}));
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.public_jwk(kid)["x"].as_str().unwrap())
            .unwrap();
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap();
        let key = ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, x);
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        let forged = format!("{}.{}", parts[0], b64(br#"{"name":"Someone Else"}"#));
        assert!(key.verify(forged.as_bytes(), &sig).is_err());
        assert!(s.public_jwk(kid).get("d").is_none());
    }

    #[test]
    fn a_subject_id_is_the_attendees_own_and_says_nothing_of_them() {
        let pkcs8 = Signer::generate().unwrap();
        let (s, again) = (
            Signer::from_pkcs8(&pkcs8).unwrap(),
            Signer::from_pkcs8(&pkcs8).unwrap(),
        );
        let id = s.subject_id("ONC2026", "A0012345");
        // The same for every hub process on the database, per attendee.
        assert_eq!(id, again.subject_id("ONC2026", "A0012345"));
        assert_ne!(id, s.subject_id("ONC2026", "A0012346"));
        assert_ne!(id, s.subject_id("ONC2027", "A0012345"));
        let other = Signer::from_pkcs8(&Signer::generate().unwrap()).unwrap();
        assert_ne!(id, other.subject_id("ONC2026", "A0012345"));
        // An RFC 9562 UUID, version 8, with no trace of the badge.
        let uuid = id.strip_prefix("urn:uuid:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "8");
        assert!("89ab".contains(&uuid[19..20]), "{uuid}");
        assert!(!id.contains("12345"));
    }

    #[test]
    fn the_status_list_sets_the_bits_it_is_given_from_the_left() {
        use std::io::Read;
        let encoded = encoded_list(&[0, 9, 131_071, 131_072]);
        let zipped = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded.strip_prefix('u').expect("multibase base64url"))
            .unwrap();
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(zipped.as_slice())
            .read_to_end(&mut bits)
            .unwrap();
        assert_eq!(bits.len(), 16 * 1024, "131,072 entries");
        assert_eq!(bits[0], 0b1000_0000);
        assert_eq!(bits[1], 0b0100_0000);
        assert_eq!(bits[16 * 1024 - 1], 0b0000_0001);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        // An empty list compresses to a few dozen bytes.
        assert!(encoded_list(&[]).len() < 100);
    }
}
