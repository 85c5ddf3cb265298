//! The certificate as a verifiable credential: a 1EdTech Open Badges 3.0
//! `OpenBadgeCredential` (a W3C verifiable credential) in the VC-JWT form,
//! signed with the hub's Ed25519 key. The key is made once, kept in
//! PostgreSQL so every hub process signs with it, and its public half is
//! published at `/.well-known/jwks.json` (docs/security.md).

use anyhow::{Result, anyhow};
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::Digest;

use super::certificate::CertView;
use crate::config::Config;

/// Where the hub publishes its public key.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The hub's signing key.
pub struct Signer {
    pair: Ed25519KeyPair,
    /// The public key as a JWK (RFC 8037), with its RFC 7638 thumbprint
    /// as `kid`.
    jwk: Value,
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
        let kid = b64(&sha2::Sha256::digest(thumbprint.as_bytes()));
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"});
        Ok(Signer { pair, jwk })
    }

    /// The JSON Web Key Set the hub publishes.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk] })
    }

    /// A compact JWS over `payload`, the public key in the header.
    pub fn sign(&self, payload: &Value) -> String {
        let public = json!({
            "kty": "OKP", "crv": "Ed25519", "x": self.jwk["x"], "kid": self.jwk["kid"],
        });
        let header = json!({
            "alg": "EdDSA",
            "typ": "JWT",
            "kid": self.jwk["kid"],
            "jwk": public,
        });
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(payload.to_string().as_bytes())
        );
        let sig = self.pair.sign(input.as_bytes());
        format!("{input}.{}", b64(sig.as_ref()))
    }
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
/// `jti`, `nbf` and (the subject having no id) no `sub`, as the
/// specification's VC-JWT section maps them.
pub fn open_badge(config: &Config, v: &CertView) -> Value {
    let base = hub_base(config);
    let issuer = format!("{base}issuer");
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
    let mut subject = json!({
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
        subject["creditsEarned"] = json!(only.awarded as f64 / 4.0);
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
        "credentialSubject": subject,
        "iss": issuer,
        "jti": v.url,
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
        let jwt = s.sign(&json!({"name": "Amelia Okafor"}));
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.jwks()["keys"][0]["x"].as_str().unwrap())
            .unwrap();
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[2])
            .unwrap();
        let key = ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, x);
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        let forged = format!("{}.{}", parts[0], b64(br#"{"name":"Someone Else"}"#));
        assert!(key.verify(forged.as_bytes(), &sig).is_err());
    }
}
