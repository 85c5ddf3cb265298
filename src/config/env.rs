//! `CEKIOSK_{SECTION}_{KEY}` overrides, so one event folder can serve every
//! kiosk (each sets its own id and token) and secrets need not be in the
//! file. An unknown `CEKIOSK_` variable is refused: a misspelt override would
//! otherwise do nothing without a word.

use super::ConfigError;
use super::raw::RawConfig;

const ENV_KEYS: &[(&str, &str)] = &[
    ("KIOSK", "ID"),
    ("KIOSK", "IDLE_SECONDS"),
    ("KIOSK", "WARNING_SECONDS"),
    ("KIOSK", "STAFF_PIN_HASH"),
    ("KIOSK", "STAFF_BADGES"),
    ("KIOSK", "BADGE_PATTERN"),
    ("KIOSK", "LANGUAGES"),
    ("KIOSK", "SPEECH_OUT"),
    ("KIOSK", "FONT_SIZE"),
    ("CERTIFICATE", "URL_BASE"),
    ("CERTIFICATE", "FONTS"),
    ("CERTIFICATE", "PAPER"),
    ("SYNC", "HUB_URL"),
    ("SYNC", "TOKEN"),
    ("SYNC", "INTERVAL_SECONDS"),
    ("SYNC", "TIMEOUT_SECONDS"),
    ("HUB", "TOKENS"),
    ("HUB", "ADMIN_TOKEN"),
    ("HUB", "BEHIND_TLS"),
    ("HUB", "SESSION_MINUTES"),
    ("HUB", "TRUSTED_PROXIES"),
    ("MAIL", "SMTP_URL"),
    ("MAIL", "FROM"),
    ("MAIL", "REPLY_TO"),
    ("MAIL", "MIN_INTERVAL_MINUTES"),
    ("MAIL", "RETRY_SECONDS"),
    ("MAIL", "QUIET_SECONDS"),
];

pub(super) fn apply_env(
    raw: &mut RawConfig,
    env: &impl Fn(&str) -> Option<String>,
    env_keys: impl Iterator<Item = String>,
) -> Result<(), ConfigError> {
    // A misspelt override would silently do nothing; refuse it instead.
    for var in env_keys {
        let Some(rest) = var.strip_prefix("CEKIOSK_") else {
            continue;
        };
        let section = ["KIOSK_", "CERTIFICATE_", "SYNC_", "HUB_", "MAIL_"]
            .into_iter()
            .find(|s| rest.starts_with(s));
        if let Some(section) = section {
            let key = &rest[section.len()..];
            let known = ENV_KEYS
                .iter()
                .any(|(s, k)| *s == &section[..section.len() - 1] && *k == key);
            if !known {
                let keys: Vec<String> = ENV_KEYS
                    .iter()
                    .map(|(s, k)| format!("CEKIOSK_{s}_{k}"))
                    .collect();
                return Err(ConfigError::Env {
                    var,
                    message: format!("not a known setting; known: {}", keys.join(", ")),
                });
            }
        }
    }
    for (section, key) in ENV_KEYS {
        let var = format!("CEKIOSK_{section}_{key}");
        let Some(value) = env(&var) else { continue };
        let number = |v: &str| {
            v.trim().parse::<u64>().map_err(|_| ConfigError::Env {
                var: var.clone(),
                message: format!("'{v}' is not a whole number"),
            })
        };
        let fraction = |v: &str| match v.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && f >= 0.0 => Ok(f),
            _ => Err(ConfigError::Env {
                var: var.clone(),
                message: format!("'{v}' is not a number of zero or more"),
            }),
        };
        match (*section, *key) {
            ("KIOSK", "ID") => raw.kiosk.id = value,
            ("KIOSK", "IDLE_SECONDS") => raw.kiosk.idle_seconds = number(&value)?,
            ("KIOSK", "WARNING_SECONDS") => raw.kiosk.warning_seconds = number(&value)?,
            ("KIOSK", "STAFF_PIN_HASH") => raw.kiosk.staff_pin_hash = value,
            ("KIOSK", "STAFF_BADGES") => raw.kiosk.staff_badges = list(&value),
            ("KIOSK", "LANGUAGES") => raw.kiosk.languages = list(&value),
            ("KIOSK", "BADGE_PATTERN") => raw.kiosk.badge_pattern = value,
            ("KIOSK", "SPEECH_OUT") => {
                raw.kiosk.speech_out =
                    Some(value.into()).filter(|p: &std::path::PathBuf| !p.as_os_str().is_empty())
            }
            ("KIOSK", "FONT_SIZE") => {
                raw.kiosk.font_size = u32::try_from(number(&value)?).unwrap_or(u32::MAX)
            }
            ("CERTIFICATE", "URL_BASE") => raw.certificate.url_base = value,
            ("CERTIFICATE", "FONTS") => raw.certificate.fonts = Some(value.into()),
            ("CERTIFICATE", "PAPER") => {
                raw.certificate.paper = value.parse().map_err(|message| ConfigError::Env {
                    var: var.clone(),
                    message,
                })?
            }
            ("SYNC", "HUB_URL") => raw.sync.hub_url = value,
            ("SYNC", "TOKEN") => raw.sync.token = value,
            ("SYNC", "INTERVAL_SECONDS") => raw.sync.interval_seconds = number(&value)?,
            ("SYNC", "TIMEOUT_SECONDS") => raw.sync.timeout_seconds = number(&value)?,
            ("HUB", "TOKENS") => raw.hub.tokens = list(&value),
            ("HUB", "ADMIN_TOKEN") => raw.hub.admin_token = value,
            ("HUB", "BEHIND_TLS") => {
                raw.hub.behind_tls = match value.trim() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" | "" => false,
                    v => {
                        return Err(ConfigError::Env {
                            var,
                            message: format!("'{v}' is not true or false"),
                        });
                    }
                }
            }
            ("HUB", "SESSION_MINUTES") => raw.hub.session_minutes = number(&value)?,
            ("HUB", "TRUSTED_PROXIES") => raw.hub.trusted_proxies = list(&value),
            ("MAIL", "SMTP_URL") => raw.mail.smtp_url = value,
            ("MAIL", "FROM") => raw.mail.from = value,
            ("MAIL", "REPLY_TO") => raw.mail.reply_to = value,
            ("MAIL", "MIN_INTERVAL_MINUTES") => raw.mail.min_interval_minutes = fraction(&value)?,
            ("MAIL", "RETRY_SECONDS") => raw.mail.retry_seconds = fraction(&value)?,
            ("MAIL", "QUIET_SECONDS") => raw.mail.quiet_seconds = fraction(&value)?,
            _ => unreachable!("every ENV_KEYS entry is handled"),
        }
    }
    Ok(())
}

/// A list given comma-separated, empty items dropped.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
