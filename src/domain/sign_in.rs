//! The CE office's sign-in throttle, as rules with no I/O. Wrong passwords
//! are counted in three scopes: one account from one client address, one
//! address whatever names it tries, and the whole hub. An account is never
//! locked as such: a limit reached stops the address that reached it, so
//! no one can keep the office out by guessing at its account names from
//! somewhere else. The hub keeps the counts in PostgreSQL
//! (`hub::db::accounts`); this says what they mean (docs/security.md).

use jiff::{SignedDuration, Timestamp};

use super::pin;

/// Where wrong passwords are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One account name (existing or not) from one address.
    Account,
    /// One address, whatever names it tries.
    Address,
    /// Every address together: a flood from many addresses.
    Hub,
}

/// How many wrong passwords a scope lets through, counted from its first
/// within `window_seconds`, and how long it is stopped after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub failures: u32,
    pub window_seconds: i64,
    pub lock_seconds: i64,
}

/// Wrong passwords are forgotten this long after the first of a run.
pub const WINDOW_SECONDS: i64 = 15 * 60;

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Account, Scope::Address, Scope::Hub];

    /// The numbers, in one place (docs/security.md gives the reasons).
    pub const fn limit(self) -> Limit {
        match self {
            // The staff PIN's rule: five wrong in a row, five minutes.
            Scope::Account => Limit {
                failures: pin::MAX_FAILURES,
                window_seconds: WINDOW_SECONDS,
                lock_seconds: pin::LOCK_SECONDS,
            },
            // Four accounts' worth of tries from one address.
            Scope::Address => Limit {
                failures: 20,
                window_seconds: WINDOW_SECONDS,
                lock_seconds: 15 * 60,
            },
            // More than an office makes by mistake in a quarter of an hour.
            Scope::Hub => Limit {
                failures: 100,
                window_seconds: WINDOW_SECONDS,
                lock_seconds: 15 * 60,
            },
        }
    }

    /// The scope's name as the hub's table keeps it.
    pub const fn name(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Address => "address",
            Scope::Hub => "hub",
        }
    }
}

/// One scope's count as kept: wrong passwords since `started`, and the
/// stop they led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub failures: u32,
    pub started: Timestamp,
    pub locked_until: Option<Timestamp>,
}

impl Count {
    fn locked(&self, now: Timestamp) -> Option<Timestamp> {
        self.locked_until.filter(|u| now < *u)
    }

    /// Wrong passwords of the run still counting.
    fn recent(&self, scope: Scope, now: Timestamp) -> u32 {
        let ends = self
            .started
            .checked_add(SignedDuration::from_secs(scope.limit().window_seconds))
            .unwrap_or(self.started);
        if now < ends { self.failures } else { 0 }
    }
}

/// Why a sign-in was refused before its password was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many wrong passwords for this account from this address.
    Account { until: Timestamp },
    /// Too many wrong passwords from this address, whatever the names.
    Address { until: Timestamp },
    /// Many wrong passwords from many addresses, and some from this one:
    /// until the flood is over, only addresses that have not failed
    /// sign in.
    Flood { until: Timestamp },
}

/// The counts of one attempt's three scopes, as kept (none: never failed).
#[derive(Debug, Clone, Copy, Default)]
pub struct ScopeCounts {
    pub account: Option<Count>,
    pub address: Option<Count>,
    pub hub: Option<Count>,
}

/// Before a password is checked (and counted): whether it is refused.
pub fn before(c: &ScopeCounts, now: Timestamp) -> Option<Refusal> {
    if let Some(until) = c.account.and_then(|a| a.locked(now)) {
        return Some(Refusal::Account { until });
    }
    if let Some(until) = c.address.and_then(|a| a.locked(now)) {
        return Some(Refusal::Address { until });
    }
    if let Some(until) = c.hub.and_then(|h| h.locked(now))
        && c.address.is_some_and(|a| a.recent(Scope::Address, now) > 0)
    {
        return Some(Refusal::Flood { until });
    }
    None
}

/// Once the attempt is counted (every attempt counts as wrong until its
/// password proves right, so guesses sent at once cannot slip past a
/// limit together): the counts with it and any others in flight. Over a
/// scope's limit, it is refused and its count taken back. The hub's own
/// count never refuses by itself; it starts a flood when a wrong password
/// reaches it ([`locks`]).
pub fn counted(account: u32, address: u32, now: Timestamp) -> Option<Refusal> {
    let until = |scope: Scope| {
        now.checked_add(SignedDuration::from_secs(scope.limit().lock_seconds))
            .unwrap_or(now)
    };
    if account > Scope::Account.limit().failures {
        return Some(Refusal::Account {
            until: until(Scope::Account),
        });
    }
    if address > Scope::Address.limit().failures {
        return Some(Refusal::Address {
            until: until(Scope::Address),
        });
    }
    None
}

/// After a wrong password: whether a scope with `failures` counted stops
/// (for its `lock_seconds`, its count starting over).
pub fn locks(scope: Scope, failures: u32) -> bool {
    failures >= scope.limit().failures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn count(failures: u32, started: &str, locked_until: Option<&str>) -> Option<Count> {
        Some(Count {
            failures,
            started: at(started),
            locked_until: locked_until.map(at),
        })
    }

    #[test]
    fn a_locked_account_at_one_address_is_open_at_another() {
        let now = at("2026-11-25T18:02:00Z");
        let attacker = ScopeCounts {
            account: count(0, "2026-11-25T18:01:00Z", Some("2026-11-25T18:06:00Z")),
            address: count(5, "2026-11-25T18:00:00Z", None),
            hub: count(5, "2026-11-25T18:00:00Z", None),
        };
        assert!(matches!(
            before(&attacker, now),
            Some(Refusal::Account { .. })
        ));
        // The office's address: no count of its own for the account.
        let office = ScopeCounts {
            account: None,
            address: None,
            hub: attacker.hub,
        };
        assert_eq!(before(&office, now), None);
    }

    #[test]
    fn a_flood_stops_only_addresses_that_failed() {
        let now = at("2026-11-25T18:05:00Z");
        let hub = count(0, "2026-11-25T18:04:00Z", Some("2026-11-25T18:19:00Z"));
        let failed_once = ScopeCounts {
            account: None,
            address: count(1, "2026-11-25T18:03:00Z", None),
            hub,
        };
        assert_eq!(
            before(&failed_once, now),
            Some(Refusal::Flood {
                until: at("2026-11-25T18:19:00Z")
            })
        );
        let clean = ScopeCounts {
            account: None,
            address: None,
            hub,
        };
        assert_eq!(before(&clean, now), None);
        // A failure older than the window no longer marks the address.
        let long_ago = ScopeCounts {
            account: None,
            address: count(3, "2026-11-25T17:40:00Z", None),
            hub,
        };
        assert_eq!(before(&long_ago, now), None);
        // Once the flood is over, the address that failed is let through.
        assert_eq!(before(&failed_once, at("2026-11-25T18:19:00Z")), None);
    }

    #[test]
    fn guesses_in_flight_count_against_the_limits() {
        let now = at("2026-11-25T18:00:00Z");
        for n in 1..=5 {
            assert_eq!(counted(n, n, now), None, "the {n}th try is checked");
        }
        assert_eq!(
            counted(6, 6, now),
            Some(Refusal::Account {
                until: at("2026-11-25T18:05:00Z")
            })
        );
        assert_eq!(counted(1, 20, now), None);
        assert_eq!(
            counted(1, 21, now),
            Some(Refusal::Address {
                until: at("2026-11-25T18:15:00Z")
            })
        );
        assert!(!locks(Scope::Account, 4));
        assert!(locks(Scope::Account, 5));
        assert!(!locks(Scope::Address, 19));
        assert!(locks(Scope::Address, 20));
        assert!(locks(Scope::Hub, 100));
    }
}
