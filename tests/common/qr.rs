//! The QR code on a kiosk's screen, read the way a phone reads it: the
//! half-block characters in a tmux capture rebuilt into the code's module
//! grid, drawn as a picture and decoded with rqrr, and with `zbarimg` too
//! when it is installed (both must agree). Used by tests/e2e_kiosk.rs.

use std::path::Path;
use std::process::Command;

use super::tmux::Kiosk;

fn is_ink(c: char) -> bool {
    matches!(c, '█' | '▀' | '▄')
}

/// Rebuilds the QR module grid from the half blocks on screen: each
/// character is one module wide and two tall ('█' both dark, '▀' the top,
/// '▄' the bottom). Only lines with ink count; the grid is the bounding box
/// of the dark modules (so without the quiet zone).
fn qr_modules(screen: &str) -> Option<Vec<Vec<bool>>> {
    let mut rows: Vec<Vec<bool>> = Vec::new();
    for line in screen.lines().filter(|l| l.chars().any(is_ink)) {
        rows.push(line.chars().map(|c| matches!(c, '█' | '▀')).collect());
        rows.push(line.chars().map(|c| matches!(c, '█' | '▄')).collect());
    }
    let dark = |r: &Vec<bool>| r.iter().any(|d| *d);
    let top = rows.iter().position(dark)?;
    let bottom = rows.iter().rposition(dark)?;
    let left = rows
        .iter()
        .filter_map(|r| r.iter().position(|d| *d))
        .min()?;
    let right = rows
        .iter()
        .filter_map(|r| r.iter().rposition(|d| *d))
        .max()?;
    Some(
        rows[top..=bottom]
            .iter()
            .map(|r| {
                (left..=right)
                    .map(|x| r.get(x).copied().unwrap_or(false))
                    .collect()
            })
            .collect(),
    )
}

/// The modules as a greyscale picture: `scale` pixels a module, `quiet`
/// light modules around, dark 0, light 255.
fn qr_pixels(grid: &[Vec<bool>], scale: usize, quiet: usize) -> (usize, usize, Vec<u8>) {
    let (h, w) = (grid.len(), grid[0].len());
    let (pw, ph) = ((w + 2 * quiet) * scale, (h + 2 * quiet) * scale);
    let mut px = vec![255u8; pw * ph];
    for (y, row) in grid.iter().enumerate() {
        for (x, d) in row.iter().enumerate() {
            if *d {
                for dy in 0..scale {
                    let start = ((y + quiet) * scale + dy) * pw + (x + quiet) * scale;
                    px[start..start + scale].fill(0);
                }
            }
        }
    }
    (pw, ph, px)
}

fn decode_with_rqrr(grid: &[Vec<bool>]) -> Result<String, String> {
    let (w, h, px) = qr_pixels(grid, 4, 4);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| px[y * w + x]);
    let grids = img.detect_grids();
    if grids.len() != 1 {
        return Err(format!("rqrr found {} QR codes, not one", grids.len()));
    }
    grids[0]
        .decode()
        .map(|(_, text)| text)
        .map_err(|e| format!("rqrr could not decode: {e:?}"))
}

/// A greyscale PNG, uncompressed (zlib stored blocks): enough for zbarimg.
fn png(w: usize, h: usize, px: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for b in bytes {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::with_capacity((w + 1) * h);
    for row in px.chunks(w) {
        raw.push(0); // filter: none
        raw.extend_from_slice(row);
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = b.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(w as u32).to_be_bytes());
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn have_zbarimg() -> bool {
    Command::new("zbarimg").arg("--version").output().is_ok()
}

/// Decodes the grid with zbarimg from a PNG written to `dir`.
fn decode_with_zbarimg(grid: &[Vec<bool>], dir: &Path) -> Result<String, String> {
    let (w, h, px) = qr_pixels(grid, 6, 4);
    let file = dir.join("qr.png");
    std::fs::write(&file, png(w, h, &px)).unwrap();
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&file)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "zbarimg exited {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

/// Reads the QR code on the Certificate screen with rqrr (and zbarimg when
/// installed; both must agree) and returns what it holds; its certificate
/// id carries a summary this demo kiosk (K01, the shared secret) signed.
pub fn read_qr(k: &Kiosk, screen: &str) -> String {
    let text = decode_qr(k, screen);
    // The kiosk has a token: the id carries a summary the hub can verify
    // before the upload, naming this kiosk.
    use cekiosk::domain::certificate_id::{Opened, kiosk_key, open};
    let id = text.strip_prefix(&super::tmux::url_base()).unwrap_or(&text);
    match open(id, &[kiosk_key(super::TOKEN, "K01")]) {
        Opened::Verified(s) if s.kiosk == "K01" => {}
        other => k.fail_with(
            &format!(
                "the QR's certificate id {id} does not open as K01's verified summary: {other:?}"
            ),
            screen,
        ),
    }
    text
}

/// Reads the QR code on the Certificate screen with rqrr (and zbarimg when
/// installed; both must agree) and returns what it holds.
pub fn decode_qr(k: &Kiosk, screen: &str) -> String {
    let Some(grid) = qr_modules(screen) else {
        k.fail_with("no QR code (half-block characters) on screen", screen)
    };
    let (h, w) = (grid.len(), grid[0].len());
    if h != w || w < 21 || (w - 21) % 4 != 0 {
        k.fail_with(
            &format!("the QR code on screen is {w}×{h} modules, not a QR code's size"),
            screen,
        );
    }
    let text = match decode_with_rqrr(&grid) {
        Ok(t) => t,
        Err(e) => k.fail_with(&format!("QR code on screen does not decode: {e}"), screen),
    };
    if have_zbarimg() {
        match decode_with_zbarimg(&grid, k.dir()) {
            Ok(z) if z == text => {}
            Ok(z) => k.fail_with(
                &format!("zbarimg reads {z:?} but rqrr reads {text:?}"),
                screen,
            ),
            Err(e) => k.fail_with(&format!("zbarimg cannot read the QR code: {e}"), screen),
        }
    } else {
        eprintln!("zbarimg not installed: QR checked with rqrr only");
    }
    text
}
