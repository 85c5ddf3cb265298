//! The kiosk's own credentials at the hub (`cekiosk enrol`): who it is
//! there, the token it presents and the key it signs certificate
//! summaries and export bundles with. Kept in the database, which only
//! its owner can read, and never in a settings file.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult, now_text};

/// What an enrolment gave this kiosk.
#[derive(Clone, PartialEq, Eq)]
pub struct KioskCredentials {
    pub hub_url: String,
    pub kiosk_id: String,
    pub key_id: i64,
    pub token: String,
    pub summary_key: [u8; 32],
    pub enrolled_at: String,
}

/// Never printed whole: the token and key stay out of logs.
impl std::fmt::Debug for KioskCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KioskCredentials")
            .field("hub_url", &self.hub_url)
            .field("kiosk_id", &self.kiosk_id)
            .field("key_id", &self.key_id)
            .field("enrolled_at", &self.enrolled_at)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// This kiosk's credentials, if it was enrolled.
    pub fn credentials(&self) -> StoreResult<Option<KioskCredentials>> {
        self.conn
            .query_row(
                "SELECT hub_url, kiosk_id, key_id, token, summary_key, enrolled_at FROM credentials",
                [],
                |r| {
                    let key: Vec<u8> = r.get(4)?;
                    Ok(KioskCredentials {
                        hub_url: r.get(0)?,
                        kiosk_id: r.get(1)?,
                        key_id: r.get(2)?,
                        token: r.get(3)?,
                        summary_key: key.try_into().unwrap_or([0; 32]),
                        enrolled_at: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Keeps the credentials an enrolment gave, in place of any earlier
    /// ones (a key rolled). The outbox is left as it is: what was not
    /// uploaded goes up with the new credentials.
    pub fn set_credentials(&mut self, c: &KioskCredentials) -> StoreResult<()> {
        let (tx, wrap) = self.begin()?;
        tx.execute(
            "INSERT INTO credentials(one, hub_url, kiosk_id, key_id, token, summary_key, enrolled_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(one) DO UPDATE SET hub_url = excluded.hub_url, kiosk_id = excluded.kiosk_id,
               key_id = excluded.key_id, token = excluded.token, summary_key = excluded.summary_key,
               enrolled_at = excluded.enrolled_at",
            params![
                c.hub_url,
                c.kiosk_id,
                c.key_id,
                c.token,
                c.summary_key.as_slice(),
                if c.enrolled_at.is_empty() {
                    now_text()
                } else {
                    c.enrolled_at.clone()
                }
            ],
        )
        .map_err(&wrap)?;
        tx.commit().map_err(&wrap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_kept_replaced_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("k.db")).unwrap();
        assert_eq!(store.credentials().unwrap(), None);
        let first = KioskCredentials {
            hub_url: "http://127.0.0.1:9".into(),
            kiosk_id: "K07".into(),
            key_id: 1,
            token: "secret-token-1".into(),
            summary_key: [7; 32],
            enrolled_at: String::new(),
        };
        store.set_credentials(&first).unwrap();
        let kept = store.credentials().unwrap().unwrap();
        assert_eq!(kept.token, "secret-token-1");
        assert_eq!(kept.summary_key, [7; 32]);
        assert!(!kept.enrolled_at.is_empty());
        let rolled = KioskCredentials {
            key_id: 2,
            token: "secret-token-2".into(),
            summary_key: [8; 32],
            ..first
        };
        store.set_credentials(&rolled).unwrap();
        let kept = store.credentials().unwrap().unwrap();
        assert_eq!((kept.key_id, kept.token.as_str()), (2, "secret-token-2"));
        let shown = format!("{kept:?}");
        assert!(
            !shown.contains("secret-token") && shown.contains("K07"),
            "{shown}"
        );
    }
}
