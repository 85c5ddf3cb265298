//! Large text (F5) as the terminal does it. A terminal grid has one font
//! size, so twice the text means asking the terminal for twice the font;
//! it answers with a resize to fewer, larger cells, which the screens lay
//! out for. kitty takes the request from the program it runs (its remote
//! control over the terminal itself, `allow_remote_control yes`): the
//! font goes to twice `[kiosk] font_size` and back to kitty's own
//! default. foot 1.13, the other terminal a kiosk may run under cage,
//! has no way for a program to change its font (no escape sequence, no
//! control socket, no configuration reload), so there F5 changes nothing
//! on screen; `cekiosk check` says so.

use std::io::Write;

/// Whether this terminal is kitty, which changes its font on request.
pub fn can_enlarge() -> bool {
    std::env::var("TERM").is_ok_and(|t| t == "xterm-kitty")
        || std::env::var_os("KITTY_WINDOW_ID").is_some()
}

/// The request that sets kitty's font to `points` (0: back to its own
/// default), as kitty's remote control protocol writes it.
pub fn kitty_font_request(points: u32) -> String {
    format!(
        "\x1bP@kitty-cmd{{\"cmd\":\"set-font-size\",\"version\":[0,26,0],\"no_response\":true,\
         \"payload\":{{\"size\":{points},\"all\":false,\"increment_op\":null}}}}\x1b\\"
    )
}

/// Inside tmux the request goes through as tmux's passthrough (which
/// tmux 3.3 and later hand on with `allow-passthrough on`).
fn through_tmux(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// The font large text asks for: a point over twice the normal one, since
/// exactly twice can draw a capital a pixel short of twice as tall (14 px
/// at 14 pt, 27 px at 28 pt, measured under cage).
pub fn large_points(font_size: u32) -> u32 {
    font_size * 2 + 1
}

/// Asks the terminal for large text or for its own size again. Nothing is
/// sent to a terminal that cannot do it.
pub fn large_text(on: bool, font_size: u32) {
    if !can_enlarge() {
        return;
    }
    let request = kitty_font_request(if on { large_points(font_size) } else { 0 });
    let request = if std::env::var_os("TMUX").is_some() {
        through_tmux(&request)
    } else {
        request
    };
    let mut out = std::io::stdout();
    if let Err(e) = out.write_all(request.as_bytes()).and_then(|()| out.flush()) {
        tracing::error!(error = %e, "large text: the terminal could not be asked");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_kitty_remote_control_json_in_a_dcs() {
        let r = kitty_font_request(38);
        let json = r
            .strip_prefix("\x1bP@kitty-cmd")
            .and_then(|r| r.strip_suffix("\x1b\\"))
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["cmd"], "set-font-size");
        assert_eq!(v["payload"]["size"], 38);
        assert_eq!(v["no_response"], true);
        let wrapped = through_tmux(&r);
        assert!(wrapped.starts_with("\x1bPtmux;\x1b\x1bP@kitty-cmd"));
        assert!(wrapped.ends_with("\x1b\x1b\\\x1b\\"));
    }
}
