//! Time in the event's zone: the files and screens speak local time
//! (`YYYY-MM-DDTHH:MM`), the credit rules absolute minutes, and staff see
//! instants as weekday and local time.

use jiff::civil::DateTime;

use super::types::Config;

impl Config {
    /// A local event time `YYYY-MM-DDTHH:MM` as absolute minutes.
    pub fn local_to_minutes(&self, dt: DateTime) -> Result<i64, String> {
        let zoned = dt
            .to_zoned_datetime(self.tz.clone())
            .map_err(|e| format!("{dt} is not a time in {}: {e}", self.event.timezone))?;
        Ok(zoned.timestamp().as_second().div_euclid(60))
    }

    /// An RFC 3339 instant as the event's weekday and local time ("Mon
    /// 14:05"), for staff; text that is not one is shown as it is, made
    /// printable and cut to 16 characters.
    pub fn local_short(&self, at: &str) -> String {
        match at.parse::<jiff::Timestamp>() {
            Ok(t) => t
                .to_zoned_datetime(self.tz.clone())
                .strftime("%a %H:%M")
                .to_string(),
            Err(_) => crate::domain::sanitize(at).chars().take(16).collect(),
        }
    }

    /// Absolute minutes back to the event's local time.
    pub fn minutes_to_local(&self, minutes: i64) -> DateTime {
        let ts = jiff::Timestamp::from_second(minutes * 60).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        ts.to_zoned_datetime(self.tz.clone()).datetime()
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds not allowed: the files never carry them).
pub fn parse_local(s: &str) -> Result<DateTime, String> {
    let t = s.trim();
    let ok_shape = t.len() == 16 && t.as_bytes().get(10) == Some(&b'T');
    let bad = || format!("'{s}' is not a time as YYYY-MM-DDTHH:MM");
    if !ok_shape {
        return Err(bad());
    }
    t.parse::<DateTime>().map_err(|_| bad())
}
