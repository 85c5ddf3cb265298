//! Staff PINs: stored only as Argon2id hashes in PHC string form.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("a PIN has 4 to 32 characters")]
    Length,
    #[error("staff_pin_hash is not an Argon2 hash ({0}); make one with `cekiosk hash-pin`")]
    BadHash(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

pub fn hash(pin: &str) -> Result<String, PinError> {
    if !(4..=32).contains(&pin.chars().count()) {
        return Err(PinError::Length);
    }
    Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Checks that a configured hash is a well-formed Argon2 PHC string.
pub fn check_hash(phc: &str) -> Result<(), PinError> {
    let parsed = PasswordHash::new(phc).map_err(|e| PinError::BadHash(e.to_string()))?;
    if !parsed.algorithm.as_str().starts_with("argon2") {
        return Err(PinError::BadHash(format!("algorithm {}", parsed.algorithm)));
    }
    if parsed.hash.is_none() {
        return Err(PinError::BadHash("no hash value".into()));
    }
    Ok(())
}

pub fn verify(pin: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("2468").unwrap();
        assert!(h.starts_with("$argon2id$"));
        check_hash(&h).unwrap();
        assert!(verify("2468", &h));
        assert!(!verify("2469", &h));
        assert!(hash("12").is_err());
        assert!(check_hash("not a hash").is_err());
        assert!(!verify("2468", "garbage"));
    }
}
