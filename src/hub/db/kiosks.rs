//! Each kiosk its own key, after pretix's device handshake: the CE office
//! adds a kiosk and gets a one-time enrolment code (`cekiosk hub
//! add-kiosk`, or the Kiosks page); the kiosk trades the code for its own
//! credentials (`cekiosk enrol`): a token the hub keeps only as its
//! SHA-256, and a key that signs its certificate summaries and export
//! bundles. The hub knows a kiosk by its token, never by what a request
//! says; it refuses a revoked kiosk's token with the reason, and a device
//! id belongs to the kiosk that first used it, for good.

use deadpool_postgres::Pool;
use jiff::Timestamp;
use sha2::Digest;

use super::DbResult;
use crate::domain::ids::{IdSource, OsRandom};

// The kiosk id and device id the CE office's own void records travel
// under: no kiosk may use either.
use super::office::{OFFICE_DEVICE, OFFICE_KIOSK};

/// How long an enrolment code works, unless the office says otherwise.
pub const CODE_MINUTES: u32 = 60;

/// The letters an enrolment code is written in: Crockford's base32 (no I,
/// L, O, U), so it reads out and types without doubt.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 16 letters of 5 bits: 80 random bits.
const CODE_LEN: usize = 16;

/// A fresh enrolment code, shown `XXXX-XXXX-XXXX-XXXX`.
fn new_code(rng: &mut dyn IdSource) -> String {
    let mut b = [0u8; CODE_LEN];
    rng.fill(&mut b);
    let letters: Vec<char> = b
        .iter()
        .map(|x| CODE_ALPHABET[usize::from(x & 31)] as char)
        .collect();
    letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// An enrolment code as typed or scanned, in the one form it is kept
/// under: upper case, without dashes or spaces, the letters a person may
/// mistake read as Crockford's base32 does (O as 0, I and L as 1). None
/// when it cannot be a code at all.
pub fn normal_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

fn sha256(text: &str) -> Vec<u8> {
    sha2::Sha256::digest(text.as_bytes()).to_vec()
}

/// Whether a kiosk id is one a kiosk may be enrolled as: printable, at
/// most 64 characters, not the CE office's own.
pub fn check_kiosk_id(kiosk_id: &str) -> std::result::Result<(), String> {
    if kiosk_id.trim().is_empty()
        || kiosk_id.chars().count() > 64
        || kiosk_id != crate::domain::sanitize(kiosk_id)
        || kiosk_id != kiosk_id.trim()
    {
        return Err(format!(
            "'{}' is not a kiosk id: 1 to 64 printable characters, e.g. K07",
            crate::domain::sanitize(kiosk_id)
        ));
    }
    if kiosk_id == OFFICE_KIOSK || kiosk_id == OFFICE_DEVICE {
        return Err(format!("'{kiosk_id}' is the CE office's own name"));
    }
    Ok(())
}

/// A one-time enrolment code, as the office hands it to a kiosk.
#[derive(Debug, Clone)]
pub struct Code {
    pub kiosk_id: String,
    pub code: String,
    pub expires_at: Timestamp,
}

/// Adds a kiosk (or readies one already added, or revoked, for a new
/// enrolment) and makes a one-time code for it, valid `minutes`.
pub async fn add_kiosk(pool: &Pool, kiosk_id: &str, by: &str, minutes: u32) -> DbResult<Code> {
    check_kiosk_id(kiosk_id).map_err(anyhow::Error::msg)?;
    let code = new_code(&mut OsRandom);
    let hash = sha256(&normal_code(&code).unwrap_or_default());
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO kiosks(kiosk_id, added_by) VALUES ($1, $2) ON CONFLICT (kiosk_id) DO NOTHING",
        &[&kiosk_id, &by],
    )
    .await?;
    let expires: i64 = tx
        .query_one(
            "INSERT INTO enrolment_codes(code_hash, kiosk_id, made_by, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(mins => $4))
             RETURNING extract(epoch FROM expires_at)::bigint",
            &[&hash, &kiosk_id, &by, &(minutes.max(1) as i32)],
        )
        .await?
        .get(0);
    tx.execute(
        "INSERT INTO admin_audit(account, action, detail) VALUES ($1, 'add-kiosk', $2)",
        &[
            &by,
            &format!("enrolment code for {kiosk_id}, valid {minutes} minutes"),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Code {
        kiosk_id: kiosk_id.to_string(),
        code,
        expires_at: Timestamp::from_second(expires)?,
    })
}

/// What a kiosk receives for its code: who it is, and its secrets.
#[derive(Debug, Clone)]
pub struct EnrolledCredentials {
    pub kiosk_id: String,
    pub key_id: i64,
    pub token: String,
    pub summary_key: [u8; 32],
}

/// Why a code bought nothing: told to the kiosk as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolRefusal {
    Unknown,
    Used,
    Expired,
}

impl std::fmt::Display for EnrolRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EnrolRefusal::Unknown => {
                "this hub made no such enrolment code: check it, or ask the CE office for a new one"
            }
            EnrolRefusal::Used => {
                "this enrolment code has been used already (each works once): ask the CE office for a new one"
            }
            EnrolRefusal::Expired => {
                "this enrolment code has expired: ask the CE office for a new one"
            }
        })
    }
}

/// Trades a code for a kiosk's credentials, once. `nonce` is the kiosk's
/// own random word for this enrolment: the same code with the same nonce
/// again (the kiosk never heard the first answer) is answered with fresh
/// credentials in place of the first, never heard of; any other use of a
/// used code is refused. A kiosk enrolling again (a new code for the same
/// kiosk id) retires its earlier keys at once: their tokens are refused
/// from then on, and summaries they sign later are not verified.
pub async fn enrol(
    pool: &Pool,
    code: &str,
    nonce: &str,
) -> DbResult<std::result::Result<EnrolledCredentials, EnrolRefusal>> {
    let Some(code) = normal_code(code) else {
        return Ok(Err(EnrolRefusal::Unknown));
    };
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let Some(row) = tx
        .query_opt(
            "SELECT kiosk_id, expires_at < now(), used_at IS NOT NULL, coalesce(used_nonce, '')
             FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE",
            &[&sha256(&code)],
        )
        .await?
    else {
        return Ok(Err(EnrolRefusal::Unknown));
    };
    let (kiosk_id, expired, used, used_nonce): (String, bool, bool, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if used && (used_nonce != nonce || nonce.is_empty()) {
        return Ok(Err(EnrolRefusal::Used));
    }
    if expired {
        return Ok(Err(EnrolRefusal::Expired));
    }
    let mut secret = [0u8; 32];
    OsRandom.fill(&mut secret);
    let token = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, secret);
    let mut summary_key = [0u8; 32];
    OsRandom.fill(&mut summary_key);
    if used {
        // The same enrolment again: the credentials it gave, never used,
        // give way to these.
        tx.execute(
            "DELETE FROM kiosk_keys WHERE kiosk_id = $1 AND retired_at IS NULL AND first_used_at IS NULL
               AND made_at >= (SELECT used_at FROM enrolment_codes WHERE code_hash = $2)",
            &[&kiosk_id, &sha256(&code)],
        )
        .await?;
    }
    tx.execute(
        "UPDATE kiosk_keys SET retired_at = now(), retired_why = 'rolled: the kiosk enrolled again'
         WHERE kiosk_id = $1 AND retired_at IS NULL",
        &[&kiosk_id],
    )
    .await?;
    let key_id: i64 = tx
        .query_one(
            "INSERT INTO kiosk_keys(kiosk_id, token_hash, summary_key) VALUES ($1, $2, $3) RETURNING key_id",
            &[&kiosk_id, &sha256(&token), &summary_key.as_slice()],
        )
        .await?
        .get(0);
    tx.execute(
        "UPDATE enrolment_codes SET used_at = coalesce(used_at, now()), used_nonce = $2 WHERE code_hash = $1",
        &[&sha256(&code), &nonce],
    )
    .await?;
    tx.execute(
        "UPDATE kiosks SET enrolled_at = now(), revoked_at = NULL, revoked_by = NULL WHERE kiosk_id = $1",
        &[&kiosk_id],
    )
    .await?;
    tx.execute(
        "INSERT INTO admin_audit(account, action, detail) VALUES ($1, 'enrol', $2)",
        &[
            &kiosk_id,
            &format!("kiosk {kiosk_id} enrolled (key {key_id})"),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(EnrolledCredentials {
        kiosk_id,
        key_id,
        token,
        summary_key,
    }))
}

/// Revokes a kiosk: its keys are retired at once, its unused codes with
/// them. What it uploaded stays. Whether there was such a kiosk to revoke.
pub async fn revoke_kiosk(pool: &Pool, kiosk_id: &str, by: &str) -> DbResult<bool> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let n = tx
        .execute(
            "UPDATE kiosks SET revoked_at = now(), revoked_by = $2 WHERE kiosk_id = $1 AND revoked_at IS NULL",
            &[&kiosk_id, &by],
        )
        .await?;
    if n > 0 {
        tx.execute(
            "UPDATE kiosk_keys SET retired_at = now(), retired_why = 'revoked by the CE office (' || $2 || ')'
             WHERE kiosk_id = $1 AND retired_at IS NULL",
            &[&kiosk_id, &by],
        )
        .await?;
        tx.execute(
            "UPDATE enrolment_codes SET expires_at = least(expires_at, now())
             WHERE kiosk_id = $1 AND used_at IS NULL",
            &[&kiosk_id],
        )
        .await?;
        tx.execute(
            "INSERT INTO admin_audit(account, action, detail) VALUES ($1, 'revoke-kiosk', $2)",
            &[&by, &format!("kiosk {kiosk_id} revoked")],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

/// Who a kiosk token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOwner {
    /// No key of this hub.
    Unknown,
    /// An enrolled kiosk's key in use.
    Kiosk { kiosk_id: String, key_id: i64 },
    /// A key retired: the kiosk enrolled again, or the office revoked it.
    Retired {
        kiosk_id: String,
        why: String,
        at: String,
    },
}

/// Looks a bearer token up among the kiosks' keys.
pub async fn token_owner(pool: &Pool, token: &str) -> DbResult<TokenOwner> {
    if token.is_empty() {
        return Ok(TokenOwner::Unknown);
    }
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT key_id, kiosk_id, retired_why, to_char(retired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI UTC')
             FROM kiosk_keys WHERE token_hash = $1",
            &[&sha256(token)],
        )
        .await?;
    Ok(match row {
        None => TokenOwner::Unknown,
        Some(r) => match r.get::<_, Option<String>>(2) {
            None => TokenOwner::Kiosk {
                key_id: r.get(0),
                kiosk_id: r.get(1),
            },
            Some(why) => TokenOwner::Retired {
                kiosk_id: r.get(1),
                why,
                at: r.get::<_, Option<String>>(3).unwrap_or_default(),
            },
        },
    })
}

/// The keys that may have signed a summary kiosk `kiosk_id` issued at
/// `issued` (a minute): each key from the minute it was made until it was
/// retired. Empty for a kiosk never enrolled; `enrolled` says whether it
/// ever was (its summaries are then verified with its own keys only).
pub async fn summary_keys(
    pool: &Pool,
    kiosk_id: &str,
    issued: Timestamp,
) -> DbResult<(Vec<[u8; 32]>, bool)> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT summary_key,
                    date_trunc('minute', made_at) <= to_timestamp($2::bigint)
                    AND (retired_at IS NULL OR retired_at > to_timestamp($2::bigint))
             FROM kiosk_keys WHERE kiosk_id = $1",
            &[&kiosk_id, &issued.as_second()],
        )
        .await?;
    let enrolled = !rows.is_empty();
    let keys = rows
        .iter()
        .filter(|r| r.get::<_, bool>(1))
        .filter_map(|r| <[u8; 32]>::try_from(r.get::<_, &[u8]>(0)).ok())
        .collect();
    Ok((keys, enrolled))
}

/// The keys a bundle of kiosk `kiosk_id` may be signed with: those not
/// retired, and those retired only because the kiosk enrolled again (a
/// bundle exported before). None once the office revoked the kiosk.
#[derive(Debug, Clone, Default)]
pub struct BundleKeys {
    pub keys: Vec<[u8; 32]>,
    pub enrolled: bool,
    pub revoked: bool,
}

pub async fn bundle_keys(pool: &Pool, kiosk_id: &str) -> DbResult<BundleKeys> {
    let client = pool.get().await?;
    let revoked = client
        .query_opt(
            "SELECT revoked_at IS NOT NULL FROM kiosks WHERE kiosk_id = $1",
            &[&kiosk_id],
        )
        .await?
        .is_some_and(|r| r.get(0));
    let rows = client
        .query(
            "SELECT summary_key, retired_at IS NULL OR retired_why LIKE 'rolled%'
             FROM kiosk_keys WHERE kiosk_id = $1",
            &[&kiosk_id],
        )
        .await?;
    Ok(BundleKeys {
        enrolled: !rows.is_empty(),
        revoked,
        keys: rows
            .iter()
            .filter(|r| !revoked && r.get::<_, bool>(1))
            .filter_map(|r| <[u8; 32]>::try_from(r.get::<_, &[u8]>(0)).ok())
            .collect(),
    })
}

/// Whether a kiosk ever enrolled before `at`: a summary it signed before
/// then may have been signed with the fleet's shared secret.
pub async fn enrolled_before(pool: &Pool, kiosk_id: &str, at: Timestamp) -> DbResult<bool> {
    let client = pool.get().await?;
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM kiosk_keys WHERE kiosk_id = $1
                              AND date_trunc('minute', made_at) <= to_timestamp($2::bigint))",
            &[&kiosk_id, &at.as_second()],
        )
        .await?
        .get(0))
}

/// Registers `device_id` as kiosk `kiosk_id`'s if no kiosk has it yet;
/// returns the kiosk that has it. A device id belongs to one kiosk for
/// good: the caller refuses a request whose kiosk is another.
pub async fn device_owner(
    client: &impl tokio_postgres::GenericClient,
    device_id: &str,
    kiosk_id: &str,
) -> DbResult<String> {
    Ok(client
        .query_one(
            "INSERT INTO devices(device_id, kiosk_id) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET last_seen = now()
             RETURNING kiosk_id",
            &[&device_id, &kiosk_id],
        )
        .await?
        .get(0))
}

/// The kiosk a device id belongs to, if the hub has seen it.
pub async fn device_kiosk(pool: &Pool, device_id: &str) -> DbResult<Option<String>> {
    let client = pool.get().await?;
    Ok(client
        .query_opt(
            "SELECT kiosk_id FROM devices WHERE device_id = $1",
            &[&device_id],
        )
        .await?
        .map(|r| r.get(0)))
}

/// One kiosk the office added, for the Kiosks page.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub kiosk_id: String,
    pub added_at: String,
    pub added_by: String,
    pub enrolled_at: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    /// Unused codes still working.
    pub codes_open: i64,
}

/// Every kiosk the office added, times in the event's zone.
pub async fn enrolments(pool: &Pool, tz: &str) -> DbResult<Vec<Enrolment>> {
    let client = pool.get().await?;
    let t = |col: &str| format!("to_char({col} AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI')");
    let rows = client
        .query(
            &format!(
                "SELECT k.kiosk_id, {}, k.added_by, {}, {}, k.revoked_by,
                        (SELECT count(*) FROM enrolment_codes c
                          WHERE c.kiosk_id = k.kiosk_id AND c.used_at IS NULL AND c.expires_at > now())
                 FROM kiosks k ORDER BY k.kiosk_id",
                t("k.added_at"),
                t("k.enrolled_at"),
                t("k.revoked_at")
            ),
            &[&tz],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Enrolment {
            kiosk_id: r.get(0),
            added_at: r.get(1),
            added_by: r.get(2),
            enrolled_at: r.get(3),
            revoked_at: r.get(4),
            revoked_by: r.get(5),
            codes_open: r.get(6),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(u8);
    impl IdSource for Fixed {
        fn fill(&mut self, buf: &mut [u8]) {
            for b in buf.iter_mut() {
                *b = self.0;
                self.0 = self.0.wrapping_add(7);
            }
        }
    }

    #[test]
    fn a_code_reads_back_however_a_person_types_it() {
        let code = new_code(&mut Fixed(3));
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3);
        let kept = normal_code(&code).expect("a code the hub made");
        assert_eq!(normal_code(&code.to_lowercase()), Some(kept.clone()));
        assert_eq!(normal_code(&code.replace('-', " ")), Some(kept.clone()));
        assert_eq!(normal_code(&kept), Some(kept.clone()));
        // Letters read out wrongly are read as Crockford's base32 does.
        assert_eq!(
            normal_code("0OIL-0000-0000-0000"),
            Some("0011000000000000".into())
        );
        assert_eq!(normal_code("ABCD-EFGH"), None, "too short");
        assert_eq!(
            normal_code("ABCD-EFGH-JKMN-PQRU"),
            None,
            "U is not a letter of it"
        );
    }

    #[test]
    fn the_office_s_names_are_not_kiosk_ids() {
        assert!(check_kiosk_id("K07").is_ok());
        assert!(check_kiosk_id(OFFICE_KIOSK).is_err());
        assert!(check_kiosk_id(OFFICE_DEVICE).is_err());
        assert!(check_kiosk_id("").is_err());
        assert!(check_kiosk_id("K\u{1b}[2J").is_err());
        assert!(check_kiosk_id(&"K".repeat(65)).is_err());
    }
}
