//! The CE office's accounts for the hub's pages: adding and removing
//! them, signing in under `domain::sign_in`'s throttle (wrong passwords
//! counted per account at a client address, per address and for the whole
//! hub, each count one atomic statement), the sessions a sign-in opens
//! (kept by the SHA-256 of their cookie, each with its form token, ending
//! after a while without a request), and the audit of what each account
//! did.

use deadpool_postgres::Pool;
use jiff::Timestamp;
use tokio::sync::Semaphore;
use tokio_postgres::types::ToSql;

use super::DbResult;
use crate::domain::pin;
use crate::domain::sign_in::{self, Count, Refusal, Scope, ScopeCounts};

/// A signed-in session, as a request's cookie finds it.
#[derive(Debug, Clone)]
pub struct OfficeSession {
    pub user: String,
    /// The token every form of this session carries in a hidden field.
    pub csrf: String,
}

/// How a sign-in went.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the cookie's value, and the session it opens.
    Opened {
        cookie: String,
        session: OfficeSession,
    },
    /// No such account, or not its password (not told apart).
    Wrong,
    /// Refused before the password was looked at, even the right one.
    Refused(Refusal),
}

/// Adds an account, or gives an existing one a new password (and lifts
/// its locks at every address). Says which.
pub async fn add_user(pool: &Pool, name: &str, password_hash: &str) -> DbResult<bool> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "INSERT INTO admin_users(name, password_hash) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash
             RETURNING (xmax = 0)",
            &[&name, &password_hash],
        )
        .await?;
    client
        .execute(
            "DELETE FROM sign_in_throttle WHERE scope = 'account' AND account = $1",
            &[&name],
        )
        .await?;
    let created: bool = row.get(0);
    audit(
        pool,
        "command line",
        if created { "add-user" } else { "new password" },
        name,
    )
    .await?;
    Ok(created)
}

/// Removes an account and ends its sessions. Whether there was one.
pub async fn remove_user(pool: &Pool, name: &str) -> DbResult<bool> {
    let client = pool.get().await?;
    let n = client
        .execute("DELETE FROM admin_users WHERE name = $1", &[&name])
        .await?;
    if n > 0 {
        audit(pool, "command line", "remove-user", name).await?;
    }
    Ok(n > 0)
}

/// What signing in needs besides the database: a few Argon2 checks at a
/// time (each takes 19 MiB and a core for tens of milliseconds, so a
/// flood of sign-ins queues rather than taking the hub's memory), and a
/// hash no password opens, to check an unknown name against.
pub struct Checks {
    permits: Semaphore,
    decoy: String,
}

impl Checks {
    /// `at_once` checks at a time (the hub's cores). Makes the decoy hash
    /// with the accounts' own parameters, so refusing an unknown name
    /// takes as long as a wrong password for a real one.
    pub fn new(at_once: usize) -> Checks {
        let random = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
        Checks {
            permits: Semaphore::new(at_once.max(1)),
            decoy: pin::hash(&random).unwrap_or_default(),
        }
    }
}

/// The rows of one attempt's three scopes: the account at the address
/// ($1, $2), the address, the hub.
const SCOPES: &str = "(scope = 'account' AND account = $1 AND address = $2)
     OR (scope = 'address' AND account = '' AND address = $2)
     OR (scope = 'hub' AND account = '' AND address = '')";

fn scope_named(name: &str) -> Option<Scope> {
    Scope::ALL.into_iter().find(|s| s.name() == name)
}

/// A time as the audit shows it.
fn shown(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// A timestamp the database gave in milliseconds.
fn at(ms: Option<i64>) -> Option<Timestamp> {
    ms.and_then(|m| Timestamp::from_millisecond(m).ok())
}

/// One number per scope, in the order the SQL below reads them
/// (account, address, hub), for its `CASE scope` choices.
fn per_scope(f: impl Fn(sign_in::Limit) -> f64) -> [f64; 3] {
    Scope::ALL.map(|s| f(s.limit()))
}

/// `CASE {column} ...` choosing among three parameters, from `$n` on,
/// by scope.
fn by_scope(column: &str, n: usize) -> String {
    format!(
        "CASE {column} WHEN 'account' THEN ${n}::float8 WHEN 'address' THEN ${}::float8 ELSE ${}::float8 END",
        n + 1,
        n + 2
    )
}

/// A scope's row for this attempt: its account and address columns.
fn key<'a>(scope: Scope, name: &'a str, address: &'a str) -> (&'a str, &'a str) {
    match scope {
        Scope::Account => (name, address),
        Scope::Address => ("", address),
        Scope::Hub => ("", ""),
    }
}

/// Checks a password under the sign-in throttle and, when it is right,
/// opens a session of `minutes` without a request. `address` is the
/// client's, as the throttle counts it. Every outcome is audited (a run
/// of refusals once a minute). No connection is held while Argon2 runs.
pub async fn sign_in(
    pool: &Pool,
    checks: &Checks,
    name: &str,
    password: &str,
    address: &str,
    minutes: u64,
) -> DbResult<SignIn> {
    // What the throttle holds for this attempt, by the database's clock
    // (every hub process shares it), and the account's hash if any.
    let (counts, now, hash) = {
        let client = pool.get().await?;
        let read = format!(
            "SELECT scope, failures, (extract(epoch FROM started) * 1000)::bigint,
                    (extract(epoch FROM locked_until) * 1000)::bigint,
                    (extract(epoch FROM now()) * 1000)::bigint
             FROM sign_in_throttle WHERE {SCOPES}
             UNION ALL SELECT '', 0, 0, NULL, (extract(epoch FROM now()) * 1000)::bigint"
        );
        let (both, one): ([&(dyn ToSql + Sync); 2], [&(dyn ToSql + Sync); 1]) =
            ([&name, &address], [&name]);
        let (rows, hash) = tokio::try_join!(
            client.query(&read, &both),
            client.query_opt(
                "SELECT password_hash FROM admin_users WHERE name = $1",
                &one
            )
        )?;
        let mut counts = ScopeCounts::default();
        let mut now = Timestamp::now();
        for r in &rows {
            now = at(r.get(4)).unwrap_or(now);
            let count = Count {
                failures: r.get::<_, i32>(1).max(0) as u32,
                started: at(r.get(2)).unwrap_or(now),
                locked_until: at(r.get(3)),
            };
            match scope_named(r.get(0)) {
                Some(Scope::Account) => counts.account = Some(count),
                Some(Scope::Address) => counts.address = Some(count),
                Some(Scope::Hub) => counts.hub = Some(count),
                None => {}
            }
        }
        (counts, now, hash.map(|r| r.get::<_, String>(0)))
    };
    if let Some(r) = sign_in::before(&counts, now) {
        return refused(pool, name, address, r).await;
    }
    // The attempt counts as wrong until its password proves right: each
    // scope's row is counted in one statement, so guesses sent at once
    // are all counted and no more of them than a limit lets through get
    // to the password.
    let windows = per_scope(|l| l.window_seconds as f64);
    let count = format!(
        "INSERT INTO sign_in_throttle AS t (scope, account, address, failures, started)
         VALUES ('account', $1, $2, 1, now()), ('address', '', $2, 1, now()), ('hub', '', '', 1, now())
         ON CONFLICT (scope, account, address) DO UPDATE SET
           failures = CASE WHEN t.started <= now() - make_interval(secs => {w}) THEN 1
                           ELSE t.failures + 1 END,
           started = CASE WHEN t.started <= now() - make_interval(secs => {w}) THEN now()
                          ELSE t.started END
         RETURNING scope, failures, (extract(epoch FROM locked_until) * 1000)::bigint",
        w = by_scope("t.scope", 3),
    );
    let rows = pool
        .get()
        .await?
        .query(
            &count,
            &[&name, &address, &windows[0], &windows[1], &windows[2]],
        )
        .await?;
    let (mut on_account, mut on_address) = (0, 0);
    let mut refusal = None;
    for r in &rows {
        let failures = r.get::<_, i32>(1).max(0) as u32;
        // Stopped meanwhile by an attempt that was in flight.
        let until = at(r.get(2)).filter(|u| now < *u);
        match (scope_named(r.get(0)), until) {
            (Some(Scope::Account), Some(until)) => refusal = Some(Refusal::Account { until }),
            (Some(Scope::Address), Some(until)) => refusal = Some(Refusal::Address { until }),
            (Some(Scope::Account), None) => on_account = failures,
            (Some(Scope::Address), None) => on_address = failures,
            _ => {}
        }
    }
    if let Some(r) = refusal.or_else(|| sign_in::counted(on_account, on_address, now)) {
        take_back(pool, name, address, true).await?;
        return refused(pool, name, address, r).await;
    }
    let ok = {
        let _turn = checks.permits.acquire().await?;
        let password = password.to_string();
        let against = hash.clone().unwrap_or_else(|| checks.decoy.clone());
        tokio::task::spawn_blocking(move || pin::verify(&password, &against)).await?
    };
    if ok && hash.is_some() {
        take_back(pool, name, address, false).await?;
        return open_session(pool, name, address, minutes).await;
    }
    // Wrong: a scope whose count reached its limit stops, from now. One
    // row per statement, in the count's order (see `take_back`).
    let mut stopped = Vec::new();
    let client = pool.get().await?;
    for scope in Scope::ALL {
        let (account, at_address) = key(scope, name, address);
        let limit = scope.limit();
        let row = client
            .query_opt(
                "UPDATE sign_in_throttle
                 SET locked_until = now() + make_interval(secs => $4), failures = 0, started = now()
                 WHERE scope = $1 AND account = $2 AND address = $3 AND failures >= $5
                 RETURNING (extract(epoch FROM locked_until) * 1000)::bigint",
                &[
                    &scope.name(),
                    &account,
                    &at_address,
                    &(limit.lock_seconds as f64),
                    &(limit.failures as i32),
                ],
            )
            .await?;
        if let Some(until) = row.and_then(|r| at(r.get(0))) {
            stopped.push((scope, until));
        }
    }
    drop(client);
    let stop = |scope: Scope| stopped.iter().find(|(s, _)| *s == scope).map(|(_, u)| *u);
    let mut detail = if hash.is_some() {
        let left = Scope::Account.limit().failures.saturating_sub(on_account);
        format!(
            "wrong password from {address}; {left} more from there before the account locks there"
        )
    } else {
        format!("no such account (from {address})")
    };
    for (scope, what) in [
        (Scope::Account, "the account is locked from there"),
        (Scope::Address, "the address is refused"),
        (
            Scope::Hub,
            "wrong passwords from many addresses: those that failed are refused",
        ),
    ] {
        if let Some(until) = stop(scope) {
            detail.push_str(&format!("; {what} until {}", shown(until)));
        }
    }
    audit(pool, name, "sign-in refused", &detail).await?;
    if stop(Scope::Hub).is_some() {
        // A flood leaves a row per name and address it tried.
        forget_old_counts(pool).await?;
    }
    Ok(match (stop(Scope::Account), stop(Scope::Address)) {
        (Some(until), _) => SignIn::Refused(Refusal::Account { until }),
        (None, Some(until)) => SignIn::Refused(Refusal::Address { until }),
        (None, None) => SignIn::Wrong,
    })
}

/// Takes back an attempt's count where it was not a wrong password: all
/// three scopes for one refused before its check; for a right password
/// the address and the hub, and the account's run of wrong ones at this
/// address ends. One row per statement: a statement holding two rows'
/// locks in another order than the count's could deadlock with it.
async fn take_back(pool: &Pool, name: &str, address: &str, refused: bool) -> DbResult<()> {
    let client = pool.get().await?;
    for scope in Scope::ALL {
        let (account, at_address) = key(scope, name, address);
        let sql = if scope == Scope::Account && !refused {
            "DELETE FROM sign_in_throttle WHERE scope = $1 AND account = $2 AND address = $3"
        } else {
            "UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0)
             WHERE scope = $1 AND account = $2 AND address = $3"
        };
        client
            .execute(sql, &[&scope.name(), &account, &at_address])
            .await?;
    }
    Ok(())
}

/// A refusal before the password was looked at: audited once a minute
/// per stopped scope, so a flood of refused guesses does not fill the
/// audit.
async fn refused(pool: &Pool, name: &str, address: &str, r: Refusal) -> DbResult<SignIn> {
    let (account, detail) = match r {
        Refusal::Account { until } => (
            name,
            format!("account locked from {address} until {}", shown(until)),
        ),
        Refusal::Address { until } => (
            "",
            format!(
                "too many wrong passwords from {address}; refused from there until {}",
                shown(until)
            ),
        ),
        Refusal::Flood { until } => (
            "",
            format!(
                "wrong passwords from many addresses, and from {address}: refused from there until {}",
                shown(until)
            ),
        ),
    };
    let scope = if account.is_empty() {
        "address"
    } else {
        "account"
    };
    let first = pool
        .get()
        .await?
        .execute(
            "UPDATE sign_in_throttle SET noted = now()
             WHERE scope = $1 AND account = $2 AND address = $3
               AND (noted IS NULL OR noted < now() - interval '1 minute')",
            &[&scope, &account, &address],
        )
        .await?
        > 0;
    if first {
        audit(pool, name, "sign-in refused", &detail).await?;
    }
    Ok(SignIn::Refused(r))
}

/// Clears counts whose run is long over: at each sign-in, and when a
/// flood starts.
async fn forget_old_counts(pool: &Pool) -> DbResult<()> {
    pool.get()
        .await?
        .execute(
            "DELETE FROM sign_in_throttle WHERE started < now() - interval '1 day'
               AND (locked_until IS NULL OR locked_until < now())",
            &[],
        )
        .await?;
    Ok(())
}

/// A right password: a new session, and counts long over cleared away.
async fn open_session(pool: &Pool, name: &str, address: &str, minutes: u64) -> DbResult<SignIn> {
    let cookie = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom)
        + &crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
    let csrf = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO admin_sessions(token_hash, user_name, csrf, expires_at)
             VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, now() + make_interval(mins => $4))",
            &[&cookie, &name, &csrf, &(minutes as i32)],
        )
        .await?;
    forget_old_counts(pool).await?;
    audit(pool, name, "sign-in", &format!("from {address}")).await?;
    Ok(SignIn::Opened {
        cookie,
        session: OfficeSession {
            user: name.to_string(),
            csrf,
        },
    })
}

/// The session a cookie opens, if it has not ended; each request moves its
/// end `minutes` on. Sessions long ended are cleared on the way.
pub async fn session(pool: &Pool, cookie: &str, minutes: u64) -> DbResult<Option<OfficeSession>> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "UPDATE admin_sessions SET expires_at = now() + make_interval(mins => $2)
             WHERE token_hash = sha256(convert_to($1, 'UTF8')) AND expires_at > now()
             RETURNING user_name, csrf",
            &[&cookie, &(minutes as i32)],
        )
        .await?;
    Ok(row.map(|r| OfficeSession {
        user: r.get(0),
        csrf: r.get(1),
    }))
}

/// Ends a session (signing out), and any that have ended by themselves.
pub async fn sign_out(pool: &Pool, cookie: &str, user: &str) -> DbResult<()> {
    let client = pool.get().await?;
    client
        .execute(
            "DELETE FROM admin_sessions WHERE token_hash = sha256(convert_to($1, 'UTF8'))
                OR expires_at < now() - interval '1 day'",
            &[&cookie],
        )
        .await?;
    audit(pool, user, "sign-out", "").await
}

/// Writes what an account did.
pub async fn audit(pool: &Pool, account: &str, action: &str, detail: &str) -> DbResult<()> {
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO admin_audit(account, action, detail) VALUES ($1, $2, $3)",
            &[&account, &action, &detail],
        )
        .await?;
    Ok(())
}

/// One line of the office's audit, newest first.
#[derive(Debug, Clone)]
pub struct AuditLine {
    pub at: String,
    pub account: String,
    pub action: String,
    pub detail: String,
}

/// The newest `limit` lines of the audit, times in the event's zone.
pub async fn audit_lines(pool: &Pool, tz: &str, limit: i64) -> DbResult<Vec<AuditLine>> {
    let client = pool.get().await?;
    Ok(client
        .query(
            "SELECT to_char(at AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS'), account, action, detail
             FROM admin_audit ORDER BY id DESC LIMIT $2",
            &[&tz, &limit],
        )
        .await?
        .iter()
        .map(|r| AuditLine {
            at: r.get(0),
            account: r.get(1),
            action: r.get(2),
            detail: r.get(3),
        })
        .collect())
}
