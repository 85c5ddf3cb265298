//! Certificate ids that carry a verified summary: beside 96 random bits,
//! the kiosk, the minute of issue and the credits by type, with an
//! authentication code from that kiosk's key, so the hub can show what was
//! issued before the kiosk's records arrive and can tell a forged or
//! altered URL. The design, the keys and the QR budget are in
//! docs/security.md.
//!
//! The id is upper-case base32 (RFC 4648, no padding), so the QR code
//! carries it in alphanumeric mode (5.5 bits a character instead of 8):
//!
//! ```text
//! version 4 bits | types 6 bits (a bit per CreditCode::ALL)
//! random 96 bits | minute of issue 24 bits (since 2024-01-01 UTC)
//! 12 bits of quarters per type present | the kiosk id, 8 bits a byte
//! tag 64 bits: HMAC-SHA256(kiosk key, everything before it), truncated
//! ```

use hmac::{KeyInit, Mac};
use jiff::Timestamp;

use super::{CodeSet, CreditCode, Quarters};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

const VERSION: u64 = 1;
const RANDOM_BYTES: usize = 12;
const TAG_BYTES: usize = 8;
const QUARTER_BITS: u32 = 12;
/// 2024-01-01T00:00:00Z in Unix minutes: the minute field counts from here
/// and lasts until 2055.
const EPOCH_MINUTE: i64 = 1_704_067_200 / 60;
const MINUTE_BITS: u32 = 24;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// Bits every summary id has whatever its kiosk and credit types.
const FIXED_BITS: usize = 4 + 6 + RANDOM_BYTES * 8 + MINUTE_BITS as usize + TAG_BYTES * 8;

/// What a certificate id says was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub kiosk: String,
    /// The minute of issue (seconds are dropped).
    pub issued: Timestamp,
    /// Credits by type, in `CreditCode::ALL` order, none twice.
    pub credits: Vec<(CreditCode, Quarters)>,
}

/// What the hub can tell from an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Not a summary id (an older kiosk's plain random id).
    Plain,
    /// A summary id whose code matches one of the kiosk keys.
    Verified(Summary),
    /// Shaped like a summary id, but altered, forged, or from a kiosk key
    /// the hub does not hold: never to be shown as verified.
    Unverified,
}

/// The key a kiosk on the fleet's shared secret (rehearsal mode) signs its
/// certificate ids with, derived from the secret and its id. An enrolled
/// kiosk has a random key of its own from the hub instead.
pub fn kiosk_key(token: &str, kiosk: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(token.as_bytes()).expect("any key length");
    mac.update(b"cekiosk certificate id key v1\0");
    mac.update(kiosk.as_bytes());
    mac.finalize().into_bytes().into()
}

/// A summary id, or None when the summary cannot be carried (a clock
/// before 2024 or after 2055, more than 1023.75 credits of a type, an
/// empty kiosk id): the caller then issues a plain random id.
pub fn mint(key: &[u8; 32], summary: &Summary, random: [u8; RANDOM_BYTES]) -> Option<String> {
    let minute = summary.issued.as_second().div_euclid(60) - EPOCH_MINUTE;
    if !(0..1 << MINUTE_BITS).contains(&minute) || summary.kiosk.is_empty() {
        return None;
    }
    let mut types = CodeSet::default();
    for (code, q) in &summary.credits {
        if types.contains(*code) || *q >= 1 << QUARTER_BITS {
            return None;
        }
        types.insert(*code);
    }
    let mut bits = Bits::default();
    bits.push(VERSION, 4);
    for code in CreditCode::ALL {
        bits.push(types.contains(code) as u64, 1);
    }
    for b in random {
        bits.push(b.into(), 8);
    }
    bits.push(minute as u64, MINUTE_BITS);
    for code in types.iter() {
        let q = summary.credits.iter().find(|(c, _)| *c == code)?.1;
        bits.push(q.into(), QUARTER_BITS);
    }
    for b in summary.kiosk.bytes() {
        bits.push(b.into(), 8);
    }
    let tag = tag_of(key, &bits);
    for b in &tag[..TAG_BYTES] {
        bits.push((*b).into(), 8);
    }
    Some(bits.to_base32())
}

/// What an id says was issued, before its code is checked: which kiosk's
/// keys to check it with. None for a plain id or one that cannot be read.
pub fn peek(id: &str) -> Option<Summary> {
    let mut bits = Bits::from_base32(id)?;
    if bits.len() < FIXED_BITS || bits.read(4) != Some(VERSION) {
        return None;
    }
    read_summary(&mut bits)
}

/// Reads an id and checks its code against `keys`: the keys of the kiosk
/// the id names that were in use at its minute of issue (the hub finds
/// them with [`peek`]), and never another kiosk's.
pub fn open(id: &str, keys: &[[u8; 32]]) -> Opened {
    let Some(mut bits) = Bits::from_base32(id) else {
        return Opened::Plain;
    };
    if bits.len() < FIXED_BITS || bits.read(4) != Some(VERSION) {
        return Opened::Plain;
    }
    let Some(summary) = read_summary(&mut bits) else {
        return Opened::Unverified;
    };
    let signed = bits.prefix(bits.at);
    let Some(tag) = (0..TAG_BYTES)
        .map(|_| bits.read(8).map(|b| b as u8))
        .collect::<Option<Vec<u8>>>()
    else {
        return Opened::Unverified;
    };
    // The encoder pads to a whole character with zeros, never more.
    if bits.len() - bits.at >= 5 || bits.read((bits.len() - bits.at) as u32) != Some(0) {
        return Opened::Unverified;
    }
    let genuine = keys.iter().any(|k| {
        let mut mac = HmacSha256::new_from_slice(k).expect("any key length");
        mac.update(&signed.bytes());
        mac.verify_truncated_left(&tag).is_ok()
    });
    if genuine {
        Opened::Verified(summary)
    } else {
        Opened::Unverified
    }
}

/// An authentication code for `bytes` with a kiosk's key (HMAC-SHA256,
/// base64url): how an export bundle is signed.
pub fn sign_bytes(key: &[u8; 32], bytes: &[u8]) -> String {
    use base64::Engine;
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether `code` is [`sign_bytes`] of `bytes` with `key` (compared in
/// constant time).
pub fn verify_bytes(key: &[u8; 32], bytes: &[u8], code: &str) -> bool {
    use base64::Engine;
    let Ok(code) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(code) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(bytes);
    mac.verify_slice(&code).is_ok()
}

fn read_summary(bits: &mut Bits) -> Option<Summary> {
    let mut types = Vec::new();
    for code in CreditCode::ALL {
        if bits.read(1)? == 1 {
            types.push(code);
        }
    }
    bits.at += RANDOM_BYTES * 8;
    let minute = bits.read(MINUTE_BITS)? as i64 + EPOCH_MINUTE;
    let credits = types
        .into_iter()
        .map(|c| Some((c, bits.read(QUARTER_BITS)? as Quarters)))
        .collect::<Option<Vec<_>>>()?;
    let kiosk_bytes = bits.len().checked_sub(bits.at + TAG_BYTES * 8)? / 8;
    let kiosk = (0..kiosk_bytes)
        .map(|_| bits.read(8).map(|b| b as u8))
        .collect::<Option<Vec<u8>>>()?;
    let kiosk = String::from_utf8(kiosk).ok().filter(|k| !k.is_empty())?;
    Some(Summary {
        kiosk,
        issued: Timestamp::from_second(minute * 60).ok()?,
        credits,
    })
}

fn tag_of(key: &[u8; 32], bits: &Bits) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(&bits.bytes());
    mac.finalize().into_bytes().into()
}

/// The length of every summary id this kiosk can issue when the event
/// offers `types` credit types: what the QR budget is reckoned with.
pub fn longest_id(kiosk: &str, types: usize) -> usize {
    let bits = FIXED_BITS + types * QUARTER_BITS as usize + kiosk.len() * 8;
    bits.div_ceil(5)
}

/// Data bits of a version-4 QR code at error correction L: the largest
/// code a 4-module quiet zone leaves room for at 80×24 (41 modules square,
/// 21 rows of half blocks under the heading).
pub const QR_V4_L_BITS: usize = 80 * 8;

/// The longest `url_base` (in bytes) that still fits, with an id of
/// `id_len` characters, in a version-4 code at L: the base in byte mode
/// (4 bits of mode, 8 of length, 8 a byte) and the id in alphanumeric mode
/// (4 of mode, 9 of length, 11 bits a pair, 6 for an odd one). A QR
/// code made by `qr::encode` needs no more than this (the crate's own
/// split, being greedy, sometimes does).
pub fn max_url_base(id_len: usize) -> usize {
    let id_bits = 4 + 9 + 11 * (id_len / 2) + 6 * (id_len % 2);
    QR_V4_L_BITS.saturating_sub(id_bits + 4 + 8) / 8
}

/// The longest `url_base` (in bytes) that fits a version-4 code at L
/// with a plain 22-character random id (`ids::new_id`, mixed case, so
/// byte mode: 78 bytes in all).
pub fn max_url_base_plain() -> usize {
    (QR_V4_L_BITS - 4 - 12) / 8 - PLAIN_ID_LEN
}

/// The length of a plain random id (`ids::new_id`).
pub const PLAIN_ID_LEN: usize = 22;

/// A string of bits, written and read most significant first.
#[derive(Debug, Default, Clone)]
struct Bits {
    bits: Vec<bool>,
    at: usize,
}

impl Bits {
    fn push(&mut self, value: u64, n: u32) {
        for i in (0..n).rev() {
            self.bits.push(value >> i & 1 == 1);
        }
    }

    fn read(&mut self, n: u32) -> Option<u64> {
        let end = self.at.checked_add(n as usize)?;
        let slice = self.bits.get(self.at..end)?;
        self.at = end;
        Some(slice.iter().fold(0, |v, b| v << 1 | *b as u64))
    }

    fn len(&self) -> usize {
        self.bits.len()
    }

    fn prefix(&self, n: usize) -> Bits {
        Bits {
            bits: self.bits[..n].to_vec(),
            at: 0,
        }
    }

    /// Whole bytes, the last padded with zeros.
    fn bytes(&self) -> Vec<u8> {
        self.bits
            .chunks(8)
            .map(|c| {
                c.iter()
                    .chain(std::iter::repeat(&false))
                    .take(8)
                    .fold(0u8, |v, b| v << 1 | *b as u8)
            })
            .collect()
    }

    fn to_base32(&self) -> String {
        self.bits
            .chunks(5)
            .map(|c| {
                let v = c
                    .iter()
                    .chain(std::iter::repeat(&false))
                    .take(5)
                    .fold(0usize, |v, b| v << 1 | *b as usize);
                ALPHABET[v] as char
            })
            .collect()
    }

    fn from_base32(s: &str) -> Option<Bits> {
        let mut bits = Bits::default();
        for c in s.bytes() {
            let v = ALPHABET.iter().position(|a| *a == c)?;
            bits.push(v as u64, 5);
        }
        Some(bits)
    }
}

#[cfg(test)]
mod tests;
