//! cekiosk: continuing-education credit kiosks for a medical congress.
//! The binary is a thin layer over this library; see `cli` for the commands.

pub mod cli;
pub mod config;
pub mod domain;
pub mod hub;
pub mod import;
pub mod kiosk;
pub mod logging;
pub mod pdf;
pub mod records;
pub mod store;
pub mod sync;
