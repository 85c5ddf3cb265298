//! The CE office's accounts for the hub's pages: adding and removing
//! them, signing in under `domain::pin`'s lockout rule, the sessions a
//! sign-in opens (kept by the SHA-256 of their cookie, each with its form
//! token, ending after a while without a request), and the audit of what
//! each account did.

use deadpool_postgres::Pool;

use super::Result;
use crate::domain::pin::{self, Outcome};

/// A signed-in session, as a request's cookie finds it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    /// The token every form of this session carries in a hidden field.
    pub csrf: String,
}

/// How a sign-in went.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the cookie's value, and the session it opens.
    Opened { cookie: String, session: Session },
    /// No such account, or not its password (not told apart).
    Wrong,
    /// Too many wrong passwords in a row: refused, even the right one,
    /// until then.
    Locked { until: jiff::Timestamp },
}

/// Adds an account, or gives an existing one a new password (and lifts
/// its lock). Says which.
pub async fn add_user(pool: &Pool, name: &str, password_hash: &str) -> Result<bool> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "INSERT INTO admin_users(name, password_hash) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,
               failures = 0, locked_until = NULL
             RETURNING (xmax = 0)",
            &[&name, &password_hash],
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
pub async fn remove_user(pool: &Pool, name: &str) -> Result<bool> {
    let client = pool.get().await?;
    let n = client
        .execute("DELETE FROM admin_users WHERE name = $1", &[&name])
        .await?;
    if n > 0 {
        audit(pool, "command line", "remove-user", name).await?;
    }
    Ok(n > 0)
}

/// Checks a password under the lockout rule and, when it is right, opens
/// a session of `minutes` without a request. Every outcome is audited.
pub async fn sign_in(pool: &Pool, name: &str, password: &str, minutes: u64) -> Result<SignIn> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT password_hash, failures, extract(epoch FROM locked_until)::bigint
             FROM admin_users WHERE name = $1",
            &[&name],
        )
        .await?;
    let (hash, failures, locked) = match &row {
        Some(r) => (
            r.get::<_, String>(0),
            r.get::<_, i32>(1).max(0) as u32,
            r.get::<_, Option<i64>>(2)
                .and_then(|s| jiff::Timestamp::from_second(s).ok()),
        ),
        // An unknown name costs the same hashing as a known one, so the
        // time taken does not tell which names exist.
        None => (String::new(), 0, None),
    };
    let password = password.to_string();
    let check = hash.clone();
    let ok = tokio::task::spawn_blocking(move || {
        if check.is_empty() {
            let _ = pin::hash(&password);
            false
        } else {
            pin::verify(&password, &check)
        }
    })
    .await?;
    if row.is_none() {
        audit(pool, name, "sign-in refused", "no such account").await?;
        return Ok(SignIn::Wrong);
    }
    let (outcome, failures, until) = pin::attempt(failures, locked, ok, jiff::Timestamp::now());
    client
        .execute(
            "UPDATE admin_users SET failures = $2, locked_until = to_timestamp($3::bigint) WHERE name = $1",
            &[&name, &(failures as i32), &until.map(|u| u.as_second())],
        )
        .await?;
    match outcome {
        Outcome::Accepted => {
            let cookie = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom)
                + &crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
            let csrf = crate::domain::ids::new_id(&mut crate::domain::ids::OsRandom);
            client
                .execute(
                    "INSERT INTO admin_sessions(token_hash, user_name, csrf, expires_at)
                     VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, now() + make_interval(mins => $4))",
                    &[&cookie, &name, &csrf, &(minutes as i32)],
                )
                .await?;
            audit(pool, name, "sign-in", "").await?;
            Ok(SignIn::Opened {
                cookie,
                session: Session {
                    user: name.to_string(),
                    csrf,
                },
            })
        }
        Outcome::Wrong { left } => {
            audit(
                pool,
                name,
                "sign-in refused",
                &format!("wrong password; {left} more before the account locks"),
            )
            .await?;
            Ok(SignIn::Wrong)
        }
        Outcome::Locked { until } => {
            audit(
                pool,
                name,
                "sign-in refused",
                &format!("account locked until {until}"),
            )
            .await?;
            Ok(SignIn::Locked { until })
        }
    }
}

/// The session a cookie opens, if it has not ended; each request moves its
/// end `minutes` on. Sessions long ended are cleared on the way.
pub async fn session(pool: &Pool, cookie: &str, minutes: u64) -> Result<Option<Session>> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "UPDATE admin_sessions SET expires_at = now() + make_interval(mins => $2)
             WHERE token_hash = sha256(convert_to($1, 'UTF8')) AND expires_at > now()
             RETURNING user_name, csrf",
            &[&cookie, &(minutes as i32)],
        )
        .await?;
    Ok(row.map(|r| Session {
        user: r.get(0),
        csrf: r.get(1),
    }))
}

/// Ends a session (signing out), and any that have ended by themselves.
pub async fn sign_out(pool: &Pool, cookie: &str, user: &str) -> Result<()> {
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
pub async fn audit(pool: &Pool, account: &str, action: &str, detail: &str) -> Result<()> {
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
pub async fn audit_lines(pool: &Pool, tz: &str, limit: i64) -> Result<Vec<AuditLine>> {
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
