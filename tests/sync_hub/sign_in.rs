//! Signing in to the CE office's pages cannot be turned against the
//! office. A real hub behind what it takes for a TLS proxy (it trusts
//! loopback's `X-Forwarded-For`, so each test speaks from the addresses it
//! names): someone guessing at the office's account names from one
//! address, or from many, does not keep a real user at another address
//! out; guesses sent at once are all counted; an unknown name is refused
//! in the time a wrong password takes; and without the trust the header
//! changes nothing. The cookie is `Secure` whenever a proxy says https.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::admin_pages::{PASSWORD, add_user, post_form};
use crate::common::{Hub, cluster, db_name};

/// A hub that takes loopback for its TLS proxy.
fn behind_proxy(test: &str) -> Hub {
    Hub::start_at(
        &cluster().database(&db_name(test)),
        "127.0.0.1:0",
        &[("CEKIOSK_HUB_TRUSTED_PROXIES", "127.0.0.1")],
    )
}

/// What one sign-in got back.
struct Answer {
    status: u16,
    body: String,
    cookie: Option<String>,
}

/// The sign-in form posted as a browser would, with `headers` (a proxy's).
fn sign_in(hub: &Hub, user: &str, password: &str, headers: &[(&str, &str)]) -> Answer {
    let form = format!(
        "user={}&password={}",
        user.replace(' ', "+"),
        password.replace(' ', "+")
    );
    let mut r = post_form(&format!("{}/admin/sign-in", hub.url), headers, &form);
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .map(str::to_string);
    Answer {
        status: r.status().as_u16(),
        body: r.body_mut().read_to_string().unwrap_or_default(),
        cookie,
    }
}

fn from(address: &str) -> [(&str, &str); 1] {
    [("X-Forwarded-For", address)]
}

fn audit(hub: &Hub, filter: &str) -> String {
    let db = hub.database.rsplit('/').next().unwrap();
    cluster().query(
        db,
        &format!("SELECT account || ' | ' || detail FROM admin_audit WHERE {filter} ORDER BY id"),
    )
}

#[test]
fn guessing_from_one_address_or_many_does_not_keep_the_office_out() {
    let hub = behind_proxy("guessing");
    add_user(&hub, "office", PASSWORD);
    add_user(&hub, "clerk", PASSWORD);
    // From one address, guesses at the office's names, real and not.
    let attacker = "203.0.113.7";
    let names = ["office", "clerk", "admin", "ce-office", "root"];
    let mut statuses = Vec::new();
    for i in 0..30 {
        let a = sign_in(
            &hub,
            names[i % names.len()],
            &format!("guess {i}"),
            &from(attacker),
        );
        statuses.push(a.status);
    }
    // Twenty wrong passwords went to be checked; then the address is
    // refused, whatever name it tries.
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(checked, 19, "{statuses:?}");
    assert_eq!(
        statuses[19], 429,
        "the twentieth stops the address: {statuses:?}"
    );
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    let refused = sign_in(&hub, "office", PASSWORD, &from(attacker));
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Too many wrong passwords from this address"),
        "{}",
        refused.body
    );
    assert!(refused.cookie.is_none());

    // The office, at its own address, signs in to both accounts.
    for user in ["office", "clerk"] {
        let a = sign_in(&hub, user, PASSWORD, &from("198.51.100.20"));
        assert_eq!(a.status, 303, "{user}: {}", a.body);
        assert!(a.cookie.unwrap().starts_with("cekiosk_session="));
    }
    // The audit names the address each attempt came from.
    assert!(
        audit(&hub, "action = 'sign-in'").contains("office | from 198.51.100.20"),
        "{}",
        audit(&hub, "true")
    );
    let guesses = audit(&hub, "action = 'sign-in refused'");
    assert!(
        guesses.contains("root | no such account (from 203.0.113.7)"),
        "{guesses}"
    );
    assert!(
        guesses.contains("office | wrong password from 203.0.113.7"),
        "{guesses}"
    );

    // A flood: one wrong guess from each of 120 addresses, four at a time.
    let hub = Arc::new(hub);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let hub = hub.clone();
            std::thread::spawn(move || {
                (0..30)
                    .map(|i| {
                        let address = format!("192.0.2.{}", w * 30 + i + 1);
                        sign_in(&hub, "office", "a guess", &from(&address)).status
                    })
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    let flood: Vec<u16> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(flood.iter().all(|s| *s == 401), "{flood:?}");
    // An address that guessed is refused even the right password until
    // the flood is over; one that never failed signs in.
    let guessed = sign_in(&hub, "office", PASSWORD, &from("192.0.2.5"));
    assert_eq!(guessed.status, 429, "{}", guessed.body);
    assert!(
        guessed.body.contains("wrong passwords from many addresses"),
        "{}",
        guessed.body
    );
    let fresh = sign_in(&hub, "office", PASSWORD, &from("198.51.100.30"));
    assert_eq!(fresh.status, 303, "{}", fresh.body);
    // A new address may guess once, then it is stopped too.
    assert_eq!(sign_in(&hub, "clerk", "x", &from("198.18.0.1")).status, 401);
    assert_eq!(
        sign_in(&hub, "clerk", PASSWORD, &from("198.18.0.1")).status,
        429
    );
}

#[test]
fn guesses_sent_at_once_are_all_counted() {
    let hub = Arc::new(behind_proxy("at_once"));
    add_user(&hub, "clerk", PASSWORD);
    let barrier = Arc::new(Barrier::new(12));
    let threads: Vec<_> = (0..12)
        .map(|i| {
            let (hub, barrier) = (hub.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                sign_in(&hub, "clerk", &format!("guess {i}"), &from("203.0.113.9")).status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 403),
        "{statuses:?}"
    );
    // Five were let through to the password (the limit), each audited as
    // a wrong password; the others were refused without a look.
    let wrong = audit(
        &hub,
        "account = 'clerk' AND detail LIKE 'wrong password from 203.0.113.9%'",
    );
    assert_eq!(wrong.lines().count(), 5, "{wrong}");
    // Every one was counted: the account is locked from that address.
    let a = sign_in(&hub, "clerk", PASSWORD, &from("203.0.113.9"));
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(
        a.body
            .contains("locked after 5 wrong passwords in a row from this address"),
        "{}",
        a.body
    );
    // And open from anywhere else.
    assert_eq!(
        sign_in(&hub, "clerk", PASSWORD, &from("198.51.100.20")).status,
        303
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn an_unknown_name_takes_as_long_as_a_wrong_password() {
    let hub = behind_proxy("timing");
    add_user(&hub, "office", PASSWORD);
    let long = "a password longer than any account's, forty-plus";
    let (mut known, mut unknown, mut unknown_long) = (Vec::new(), Vec::new(), Vec::new());
    let time = |user: &str, password: &str, address: String| {
        let t = Instant::now();
        let a = sign_in(&hub, user, password, &from(&address));
        assert_eq!(a.status, 401, "{}", a.body);
        t.elapsed()
    };
    for i in 0..9 {
        // Each from an address of its own: no throttle in the way.
        known.push(time(
            "office",
            "not it",
            format!("198.51.100.{}", 3 * i + 1),
        ));
        unknown.push(time(
            "nobody",
            "not it",
            format!("198.51.100.{}", 3 * i + 2),
        ));
        unknown_long.push(time("nobody", long, format!("198.51.100.{}", 3 * i + 3)));
    }
    let (k, u, ul) = (median(known), median(unknown), median(unknown_long));
    println!(
        "median refusal: known name {k:?}, unknown {u:?}, unknown with a long password {ul:?}"
    );
    // Argon2 takes tens of milliseconds, a refusal without it one or two:
    // the unknown names must pay it too.
    for (what, t) in [("an unknown name", u), ("a long password", ul)] {
        assert!(
            t * 2 > k && t < k * 2,
            "{what}: {t:?} against a known name's {k:?}"
        );
    }
}

#[test]
fn the_forwarded_address_is_ignored_unless_the_proxy_is_trusted() {
    let hub = Hub::start(&cluster().database(&db_name("untrusted")));
    add_user(&hub, "clerk", PASSWORD);
    add_user(&hub, "office", PASSWORD);
    // Each guess claims another address: all are loopback's.
    for i in 0..5 {
        let a = sign_in(&hub, "clerk", "guess", &from(&format!("203.0.113.{i}")));
        assert!(a.status == 401 || a.status == 403, "{}", a.body);
    }
    let a = sign_in(&hub, "clerk", PASSWORD, &from("198.51.100.20"));
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(audit(&hub, "true").contains("wrong password from 127.0.0.1"));

    // Secure whenever a proxy says https, whether or not it is trusted.
    let plain = sign_in(&hub, "office", PASSWORD, &[]);
    assert_eq!(plain.status, 303, "{}", plain.body);
    let cookie = plain.cookie.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "{cookie}");
    for proxy in [
        ("X-Forwarded-Proto", "https"),
        ("Forwarded", "for=192.0.2.60;proto=https"),
    ] {
        let a = sign_in(&hub, "office", PASSWORD, &[proxy]);
        assert_eq!(a.status, 303, "{}", a.body);
        let cookie = a.cookie.unwrap();
        assert!(cookie.ends_with("; Secure"), "{proxy:?}: {cookie}");
    }
}
