//! The kiosk exactly as docs/deploy.md runs it: cage (on its headless
//! backend) with foot inside, read back in pixels. The Japanese and Korean
//! screens must be drawn with real glyphs (distinct shapes, not one
//! missing-glyph box repeated), and the Certificate's QR code must decode
//! from the screenshot with zbarimg. cage 0.1.4 has no virtual keyboard, so
//! foot runs `tmux attach` to the session that runs the kiosk and keys go
//! in with `tmux send-keys`. cage refuses to run as root: as root the test
//! runs everything as `nobody`.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

const BADGE: &str = "A0012345";

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// cage, foot, tmux and the kiosk, as one unprivileged user.
struct Deployed {
    dir: tempfile::TempDir,
    socket: String,
    cage: Option<Child>,
}

impl Drop for Deployed {
    fn drop(&mut self) {
        if let Some(mut c) = self.cage.take() {
            // cage runs in a process group of its own (with the terminal
            // and the kiosk under it): end the whole group.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = self.run(&["tmux", "-L", &self.socket, "kill-server"]);
    }
}

impl Deployed {
    fn runtime(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    /// `args` as the kiosk's user, with the session's environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "nobody", "--"]);
            c
        } else {
            Command::new("env")
        };
        c.arg("env");
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("CEKIOSK_")) {
            c.args(["-u", &k]);
        }
        // tmux runs the kiosk through $SHELL, or else the account's shell:
        // nobody's is nologin, so a runner without SHELL set would see the
        // session end at once.
        c.arg("SHELL=/bin/sh")
            .arg(format!("HOME={}", self.dir.path().display()))
            .arg(format!("XDG_RUNTIME_DIR={}", self.runtime().display()))
            .arg("WAYLAND_DISPLAY=wayland-0")
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("TMUX");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("a command runs")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["tmux", "-L", &self.socket, "send-keys", "-t", "k"];
        args.extend(keys);
        self.run(&args);
        std::thread::sleep(Duration::from_millis(250));
    }

    fn text(&self) -> String {
        let out = self.run(&["tmux", "-L", &self.socket, "capture-pane", "-p", "-t", "k"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.text();
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "no {what:?} on:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The screen in pixels: width, height, RGB.
    fn screenshot(&self, name: &str) -> (usize, usize, Vec<u8>) {
        std::thread::sleep(Duration::from_millis(400));
        let file = self.dir.path().join(format!("{name}.ppm"));
        let out = self.run(&["grim", "-t", "ppm", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "grim: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        read_ppm(&std::fs::read(&file).unwrap())
    }
}

/// A binary PPM (P6, 8-bit) as grim writes it.
fn read_ppm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = vec![];
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!((fields[0].as_str(), fields[3].as_str()), ("P6", "255"));
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at + 1..at + 1 + w * h * 3].to_vec())
}

/// A folder with the kiosk's binary and the demo config, owned by the
/// user the kiosk runs as, once `tools` are all installed.
fn prepare(tools: &[&str], terminal: &str) -> Option<Deployed> {
    for tool in tools {
        if !have(tool) {
            eprintln!(
                "{tool} not installed (scripts/test installs it): the cage + {terminal} test is skipped"
            );
            return None;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("cekiosk");
    std::fs::copy(env!("CARGO_BIN_EXE_cekiosk"), &bin).unwrap();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let to = dir.path().join("config");
    std::fs::create_dir(&to).unwrap();
    for e in std::fs::read_dir(&config).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::create_dir(dir.path().join("run")).unwrap();
    if is_root() {
        let out = Command::new("chown")
            .args(["-R", "nobody"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    Command::new("chmod")
        .arg("700")
        .arg(dir.path().join("run"))
        .output()
        .unwrap();
    Some(Deployed {
        socket: format!("cekiosk-cage-{}-{terminal}", std::process::id()),
        dir,
        cage: None,
    })
}

fn start() -> Option<Deployed> {
    let d = prepare(&["cage", "foot", "grim", "tmux", "zbarimg"], "foot")?;
    let out = d.run(&[
        "tmux",
        "-L",
        &d.socket,
        "new-session",
        "-d",
        "-s",
        "k",
        "-x",
        "120",
        "-y",
        "33",
        "./cekiosk --config config --db k.db run --now 2026-11-25T12:00",
    ]);
    assert!(
        out.status.success(),
        "tmux: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.wait_for("Scan your badge");
    let mut d = d;
    d.launch(&[
        "foot",
        "-o",
        "font=DejaVu Sans Mono:size=14",
        "tmux",
        "-L",
        &d.socket.clone(),
        "attach",
        "-t",
        "k",
    ]);
    Some(d)
}

impl Deployed {
    /// cage on its headless backend, showing `terminal` (a command line).
    fn launch(&mut self, terminal: &[&str]) {
        let log = std::fs::File::create(self.dir.path().join("cage.log")).unwrap();
        let mut args = vec![
            "WLR_BACKENDS=headless",
            "WLR_RENDERER=pixman",
            "WLR_LIBINPUT_NO_DEVICES=1",
            "cage",
            "--",
        ];
        args.extend(terminal);
        self.cage = Some(
            self.command(&args)
                .process_group(0)
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("cage starts"),
        );
        let started = Instant::now();
        while !self.runtime().join("wayland-0").exists() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "cage never listened"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(800));
    }
}

/// How many of the heading's first `n` wide characters draw as distinct
/// shapes. The heading is the screen's second row, from its second column;
/// the cell size comes from the screenshot and the terminal's size.
fn distinct_glyphs(d: &Deployed, shot: &(usize, usize, Vec<u8>), n: usize) -> usize {
    let (w, h, px) = shot;
    let size = String::from_utf8_lossy(
        &d.run(&[
            "tmux",
            "-L",
            &d.socket,
            "display",
            "-p",
            "-t",
            "k",
            "#{client_width} #{client_height}",
        ])
        .stdout,
    )
    .into_owned();
    let mut it = size.split_whitespace().map(|v| v.parse::<usize>().unwrap());
    let (cols, rows) = (it.next().unwrap(), it.next().unwrap());
    let (cw, ch) = (w / cols, h / rows);
    let mut shapes = std::collections::BTreeSet::new();
    for i in 0..n {
        let x0 = (1 + 2 * i) * cw;
        let y0 = ch;
        let mut bits = vec![];
        for y in y0..y0 + ch {
            for x in x0..x0 + 2 * cw {
                let p = (y * w + x) * 3;
                let lum = px[p] as u32 + px[p + 1] as u32 + px[p + 2] as u32;
                bits.push(lum > 3 * 128);
            }
        }
        if bits.iter().any(|b| *b) {
            shapes.insert(bits);
        }
    }
    shapes.len()
}

#[test]
fn the_deployed_terminal_draws_every_script_and_the_qr_scans_from_pixels() {
    let Some(d) = start() else { return };
    // Japanese is the sixth F2 from English in the demo's list.
    d.keys(&["F2", "F2", "F2", "F2", "F2", "F2"]);
    d.wait_for("参加証をスキャンしてください");
    let ja = d.screenshot("ja");
    let n = distinct_glyphs(&d, &ja, 6);
    assert!(
        n >= 5,
        "参加証をスキ draws as {n} distinct shapes, not real glyphs"
    );
    d.keys(&["F2"]);
    d.wait_for("명찰을 스캔해 주세요");
    let ko = d.screenshot("ko");
    let n = distinct_glyphs(&d, &ko, 5);
    assert!(
        n >= 4,
        "명찰을 스캔 draws as {n} distinct shapes, not real glyphs"
    );
    // Through to the certificate in Korean, and the QR from the pixels.
    // A scanner's burst; the pause after it ends it.
    d.keys(&["-l", BADGE]);
    d.wait_for("환영합니다");
    d.keys(&["Enter"]);
    d.keys(&["Enter"]);
    d.wait_for("세션 —");
    d.keys(&["Space"]);
    d.keys(&["Enter"]);
    for _ in 0..30 {
        let s = d.text();
        if s.lines().nth(1).is_some_and(|h| h.contains("확인 —")) {
            break;
        }
        if s.contains("답변") {
            if s.lines().any(|l| l.trim() == "필수") {
                d.keys(&["-l", "환자에게 적용"]);
            }
            d.keys(&["Enter"]);
        } else {
            d.keys(&["2"]);
        }
    }
    d.keys(&["Enter"]);
    let screen = d.wait_for("수료증 —");
    let url_line = screen
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("https://")))
        .expect("the URL beside the QR")
        .to_string();
    std::thread::sleep(Duration::from_millis(400));
    let file = d.dir.path().join("certificate.png");
    let out = d.run(&["grim", file.to_str().unwrap()]);
    assert!(out.status.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&file)
        .output()
        .unwrap();
    let decoded = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(
        decoded, url_line,
        "the QR in pixels holds the URL shown beside it"
    );
}

/// kitty under cage runs the kiosk itself; the test types through kitty's
/// remote control socket (cage has no virtual keyboard) and reads the
/// screen's text the same way.
impl Deployed {
    fn kitty_socket(&self) -> String {
        format!("unix:{}", self.dir.path().join("kitty.sock").display())
    }

    fn kitty(&self, args: &[&str]) -> Output {
        let to = self.kitty_socket();
        let mut all = vec!["kitty", "@", "--to", &to];
        all.extend(args);
        self.run(&all)
    }

    /// Keys as kitty would send them for the keyboard: `text` follows
    /// Python's escapes (F5 is `\x1b[15~`).
    fn send(&self, text: &str) {
        let out = self.kitty(&["send-text", text]);
        assert!(
            out.status.success(),
            "send-text: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(300));
    }

    fn kitty_text(&self) -> String {
        String::from_utf8_lossy(&self.kitty(&["get-text"]).stdout).into_owned()
    }

    fn kitty_wait(&self, what: &dyn Fn(&str) -> bool, about: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.kitty_text();
            if what(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no {about} on:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}

/// The height in pixels of the capital letter `letter` where it first
/// stands in the screen's text, from the screenshot: the rows of its cell
/// with any lit pixel, top to bottom. The grid starts at the top left
/// corner (kitty's padding is 0) and its cells fill the screen's width
/// and height as far as whole cells go.
fn capital_height(text: &str, shot: &(usize, usize, Vec<u8>), letter: &str) -> usize {
    let (w, h, px) = shot;
    let lines: Vec<&str> = text.lines().collect();
    let (row, line) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.contains(letter))
        .unwrap_or_else(|| panic!("{letter:?} on screen:\n{text}"));
    let col = line[..line.find(letter).unwrap()].chars().count();
    let cols = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let (cw, ch) = (w / cols.max(1), h / lines.len().max(1));
    let lit_rows: Vec<usize> = (row * ch..(row + 1) * ch)
        .filter(|y| {
            (col * cw..(col + 1) * cw).any(|x| {
                let p = (y * w + x) * 3;
                px[p] as u32 + px[p + 1] as u32 + px[p + 2] as u32 > 3 * 128
            })
        })
        .collect();
    match (lit_rows.first(), lit_rows.last()) {
        (Some(top), Some(bottom)) => bottom - top + 1,
        _ => 0,
    }
}

#[test]
fn large_text_doubles_the_capitals_in_pixels_and_the_qr_still_scans() {
    let Some(mut d) = prepare(&["cage", "kitty", "grim", "zbarimg"], "kitty") else {
        return;
    };
    let listen = format!("--listen-on={}", d.kitty_socket());
    d.launch(&[
        "env",
        "CEKIOSK_KIOSK_FONT_SIZE=14",
        "kitty",
        "-o",
        "allow_remote_control=yes",
        "-o",
        "font_family=DejaVu Sans Mono",
        "-o",
        "font_size=14",
        &listen,
        "./cekiosk",
        "--config",
        "config",
        "--db",
        "k.db",
        "run",
        "--now",
        "2026-11-25T12:00",
    ]);
    let heading = "Scan your badge";
    // Wait for kitty's socket as well as the kiosk.
    let normal = d.kitty_wait(&|s| s.contains(heading), "Scan screen");
    let rows_normal = normal.lines().count();
    let shot = d.screenshot("normal");
    let before = capital_height(&normal, &shot, heading);
    assert!(before >= 8, "a capital S of {before} px at 14 pt");
    // F5: kitty doubles its font; the kiosk lays out for the fewer cells.
    d.send("\\x1b[15~");
    let large = d.kitty_wait(
        &|s| s.lines().count() * 2 <= rows_normal + 1 && s.contains(heading),
        "the large layout",
    );
    assert!(large.contains("Large text is on"), "{large}");
    let shot = d.screenshot("large");
    let after = capital_height(&large, &shot, heading);
    assert!(
        after >= 2 * before,
        "capital S: {before} px normal, {after} px large (at least twice)"
    );
    eprintln!(
        "capital S: {before} px normal, {after} px large; grid {} rows, then {}",
        rows_normal,
        large.lines().count()
    );
    // Through to the certificate with large text; the QR from the pixels.
    // A scanner's burst, ending in Enter.
    d.send(&format!("{BADGE}\\r"));
    d.kitty_wait(&|s| s.contains("Welcome, Amelia"), "Welcome");
    d.send("\\r");
    d.kitty_wait(&|s| s.contains("Credit —"), "Credit");
    d.send("\\r");
    d.kitty_wait(&|s| s.contains("Sessions —"), "Sessions");
    d.send(" ");
    d.send("\\r");
    for _ in 0..30 {
        let s = d.kitty_text();
        if s.contains("Attest —") {
            break;
        }
        if s.contains("your answer") {
            if s.lines().any(|l| l.trim() == "Required") {
                d.send("Screen every patient");
            }
            d.send("\\r");
        } else {
            d.send("2");
        }
    }
    d.send("\\r");
    let screen = d.kitty_wait(&|s| s.contains("Certificate —"), "Certificate");
    assert!(screen.lines().count() * 2 <= rows_normal + 1, "{screen}");
    d.screenshot("certificate-large");
    let file = d.dir.path().join("certificate-large.png");
    assert!(d.run(&["grim", file.to_str().unwrap()]).status.success());
    let out = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(&file)
        .output()
        .unwrap();
    let decoded = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // E2E_SHOTS=DIR keeps the screenshot to look at.
    if let Some(keep) = std::env::var_os("E2E_SHOTS") {
        let _ = std::fs::copy(&file, Path::new(&keep).join("certificate-large.png"));
    }
    let id = decoded
        .strip_prefix("https://ce.example.org/c/")
        .unwrap_or_else(|| panic!("the QR in large text decodes to {decoded:?}"));
    // The URL beside it wraps; its characters are all there (the QR's
    // own characters, on the same rows, left out).
    let joined: String = screen.split_whitespace().filter(|w| w.is_ascii()).collect();
    assert!(joined.contains(&id[..12]), "{id} beside the QR:\n{screen}");
    // Done: the next attendee gets the normal font back.
    d.send("\\r");
    let next = d.kitty_wait(
        &|s| s.lines().count() >= rows_normal - 1 && s.contains(heading),
        "the normal layout again",
    );
    assert!(next.contains("Large text is off"), "{next}");
    let shot = d.screenshot("normal-again");
    assert_eq!(capital_height(&next, &shot, heading), before);
}
