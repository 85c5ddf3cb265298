//! A QR code in the smallest version the data fits: what the certificate
//! URL's budget (`certificate_id::max_url_base*`) is reckoned against.
//!
//! The qrcode crate splits data into modes greedily, and with some ids
//! (a run of digits inside a mixed-case id, say) its split costs more bits
//! than byte mode alone, so a URL the budget allows came out a version
//! larger than promised. The budget's own two shapes are tried beside the
//! crate's split, and the code takes whichever fits the smallest version.

use qrcode::bits::Bits;
use qrcode::optimize::{Parser, Segment};
use qrcode::types::Mode;
use qrcode::{EcLevel, QrCode, Version};

/// `data` as a QR code at `level`, in the smallest version any of the
/// splits fits; `None` when it fits none (longer than version 40 holds).
pub fn encode(data: &[u8], level: EcLevel) -> Option<QrCode> {
    (1..=40).find_map(|v| encode_in(data, Version::Normal(v), level))
}

/// `data` as a QR code of exactly `version` at `level`, when one of the
/// splits fits it.
pub fn encode_in(data: &[u8], version: Version, level: EcLevel) -> Option<QrCode> {
    splits(data, version).into_iter().find_map(|segments| {
        let mut bits = Bits::new(version);
        bits.push_segments(data, segments.into_iter()).ok()?;
        bits.push_terminator(level).ok()?;
        QrCode::with_bits(bits, level).ok()
    })
}

/// The ways of splitting `data` into modes that are tried: the crate's
/// own, byte mode throughout, and byte mode up to the longest tail
/// alphanumeric mode can carry (a URL's base, then a summary id).
fn splits(data: &[u8], version: Version) -> Vec<Vec<Segment>> {
    let whole = |mode, begin, end| Segment { mode, begin, end };
    let mut out = vec![Parser::new(data).optimize(version).collect::<Vec<_>>()];
    if data.is_empty() {
        return out;
    }
    out.push(vec![whole(Mode::Byte, 0, data.len())]);
    let tail = data.len()
        - data
            .iter()
            .rev()
            .take_while(|b| is_alphanumeric(**b))
            .count();
    if tail == 0 {
        out.push(vec![whole(Mode::Alphanumeric, 0, data.len())]);
    } else if tail < data.len() {
        out.push(vec![
            whole(Mode::Byte, 0, tail),
            whole(Mode::Alphanumeric, tail, data.len()),
        ]);
    }
    out
}

/// What QR's alphanumeric mode carries: digits, capitals and nine marks.
fn is_alphanumeric(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b" $%*+-./:".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bits of `data` in byte mode alone, in a version up to 9: the
    /// independent reckoning (ISO 18004's field sizes).
    fn byte_mode_bits(data: &[u8]) -> usize {
        4 + 8 + 8 * data.len()
    }

    /// Data bits of versions 1..=9 at L (ISO 18004, table 7).
    const L_BITS: [usize; 9] = [152, 272, 440, 640, 864, 1088, 1248, 1552, 1856];

    fn number(v: Version) -> usize {
        match v {
            Version::Normal(n) | Version::Micro(n) => n as usize,
        }
    }

    #[test]
    fn a_random_id_never_needs_a_larger_version_than_byte_mode() {
        // Random ids (`ids::new_id`) the crate's own split put in a
        // version 5 behind a 56-byte base, where byte mode fits version 4:
        // about one in twenty does.
        let ids = [
            "iGeSvDSkiFAbdwy4585x3g",
            "YUiKOAWmHWqdILPBPGzEuQ",
            "lhVsllEUOXlFAEKASsBTig",
            "TeGNPKK-xYQAT-HGlqXY3Q",
            "4OETWEBPs61hvnrHQzF6lg",
        ];
        for id in ids {
            for base_len in [10usize, 40, 56] {
                let url = format!("https://{}{id}", "x".repeat(base_len - 8));
                let need = byte_mode_bits(url.as_bytes());
                let smallest = L_BITS.iter().position(|&c| c >= need).unwrap() + 1;
                let code = encode(url.as_bytes(), EcLevel::L).unwrap();
                assert!(
                    number(code.version()) <= smallest,
                    "{url}: version {:?}, byte mode fits {smallest}",
                    code.version()
                );
            }
        }
    }

    #[test]
    fn what_fits_no_version_is_none_and_nothing_is_an_empty_code() {
        assert!(encode(&vec![b'a'; 3000], EcLevel::L).is_none());
        assert_eq!(
            encode(b"", EcLevel::M).map(|c| c.version()),
            Some(Version::Normal(1))
        );
    }

    #[test]
    fn an_upper_case_tail_is_carried_in_alphanumeric_mode() {
        // 49 bytes of base then "/" and 30 capitals: 12 + 49·8 = 404 bits
        // in byte mode, 13 + 15·11 + 6 = 184 in alphanumeric, 588 in all,
        // which version 4's 640 holds; byte mode alone, 12 + 80·8 = 652,
        // needs version 5.
        let url = format!("https://{}/{}", "x".repeat(41), "Q".repeat(30));
        assert_eq!(url.len(), 80);
        let code = encode(url.as_bytes(), EcLevel::L).unwrap();
        assert_eq!(code.version(), Version::Normal(4));
    }
}
