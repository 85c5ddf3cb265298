//! `cekiosk hub`: serve the hub, import a bundle, the hub's roster and
//! catalog or door scans, list held claims, add or remove the CE
//! office's accounts, and the certificate by e-mail (`hub mail`). The work is done by `crate::hub`; this
//! finds the database and prints the outcome.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::{HubAction, load_config};
use crate::cli::run::read_secret;

fn database_url(given: Option<String>) -> Result<String> {
    given
        .or_else(|| std::env::var("DATABASE_URL").ok())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| anyhow::anyhow!("no database: give --database URL or set DATABASE_URL"))
}

pub(super) fn hub(
    config_dir: &Path,
    action: Option<HubAction>,
    listen: &str,
    database: Option<String>,
    log: &Path,
) -> Result<ExitCode> {
    let config = load_config(config_dir)?;
    let url = database_url(database)?;
    match action {
        None => {
            let _log = crate::logging::init(log);
            crate::hub::serve(config, &url, listen)?;
        }
        Some(HubAction::Import { args }) => match args.as_slice() {
            [file] => {
                let imported = crate::hub::import_bundle(&config, &url, file)?;
                let r = &imported.result;
                if imported.shared {
                    eprintln!(
                        "warning: {} is signed with the fleet's shared secret, not a kiosk's own \
                         key: any kiosk holding the secret could have made it",
                        file.display()
                    );
                }
                println!(
                    "{}: {} records new to the hub, {} already there, {} rejected",
                    file.display(),
                    r.inserted,
                    r.repeated,
                    r.rejected.len()
                );
                for rej in r.rejected.iter().take(20) {
                    println!("  record {} rejected: {}", rej.seq, rej.reason);
                }
            }
            [what, file] if what.to_str() == Some("scans") => {
                let r = crate::hub::import_scans(&config, &url, file)?;
                println!("{}", r.summary(&file.display().to_string()));
            }
            [what, file] => {
                let what = match what.to_str() {
                    Some("attendees") => crate::hub::Roster::Attendees,
                    Some("sessions") => crate::hub::Roster::Sessions,
                    _ => bail!(
                        "hub import: '{}' is not attendees, sessions or scans (or give just a bundle file)",
                        what.display()
                    ),
                };
                let r = crate::hub::import_roster(&config, &url, what, file)?;
                println!("{}", r.summary(file));
            }
            _ => bail!("hub import: give a bundle FILE, or attendees|sessions|scans FILE"),
        },
        Some(HubAction::Held) => {
            let held = crate::hub::held(&config, &url)?;
            if held.is_empty() {
                println!("no claim is held: every claim the hub holds counts");
            }
            for h in &held {
                println!("{h}");
            }
        }
        Some(HubAction::AddUser { name }) => {
            let password = read_secret("password")?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                let again = read_secret("the same password again")?;
                if again != password {
                    bail!("hub add-user: the two passwords differ; nothing was changed");
                }
            }
            let created = crate::hub::add_user(&config, &url, &name, &password)?;
            println!(
                "{} {name}: sign in at the hub's /admin/sign-in",
                if created {
                    "added account"
                } else {
                    "new password for"
                }
            );
        }
        Some(HubAction::AddKiosk {
            kiosk_id,
            expires_in,
        }) => {
            let code = crate::hub::add_kiosk(&config, &url, &kiosk_id, expires_in)?;
            let until = code.expires_at.to_zoned_datetime(config.tz.clone());
            println!(
                "enrolment code for kiosk {}, works once, until {} (event time); at the kiosk: \
                 cekiosk enrol --hub URL CODE, or staff mode's Enrol",
                code.kiosk_id,
                until.strftime("%Y-%m-%d %H:%M")
            );
            // Alone on the last line, for scripts.
            println!("{}", code.code);
        }
        Some(HubAction::RevokeKiosk { kiosk_id }) => {
            if crate::hub::revoke_kiosk(&config, &url, &kiosk_id)? {
                println!(
                    "revoked kiosk {kiosk_id}: the hub refuses its credentials from now on; what \
                     it uploaded stays counted"
                );
            } else {
                bail!(
                    "hub revoke-kiosk: no kiosk '{}' is enrolled and not yet revoked at this hub",
                    crate::domain::sanitize(&kiosk_id)
                );
            }
        }
        Some(HubAction::Mail {
            resend: Some(badge),
        }) => {
            use crate::hub::db::mail::Resend;
            let shown = crate::domain::sanitize(badge.trim());
            match crate::hub::resend_mail(&config, &url, &badge)? {
                Resend::Queued(address) => {
                    println!("queued: the certificate of {shown} goes to {address} now");
                    if config.mail.smtp_url.trim().is_empty() {
                        println!(
                            "note: this config has no [mail] smtp_url; a hub that has one sends it"
                        );
                    }
                }
                Resend::NoAttendee => bail!("hub mail: no attendee {shown} on the hub's roster"),
                Resend::NoCertificate => {
                    bail!("hub mail: {shown} has no certificate at the hub yet (nothing uploaded)")
                }
                Resend::NoAddress => {
                    bail!("hub mail: {shown} has no e-mail address on the roster")
                }
            }
        }
        Some(HubAction::Mail { resend: None }) => {
            let (c, refused) = crate::hub::mail_state(&config, &url)?;
            println!(
                "e-mail: {} queued, {} sent, {} refused",
                c.queued, c.sent, c.refused
            );
            for r in &refused {
                println!(
                    "  refused {} {} ({}) at {}: {}",
                    r.badge_id, r.name, r.address, r.at, r.answer
                );
            }
        }
        Some(HubAction::RemoveUser { name }) => {
            if crate::hub::remove_user(&config, &url, &name)? {
                println!("removed account {name} and ended its sessions");
            } else {
                bail!("hub remove-user: there is no account '{name}'");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
