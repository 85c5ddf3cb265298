//! A real browser for the tests: Debian's chromium, headless, driven by
//! chromium-driver over the W3C WebDriver protocol (plain HTTP and JSON on
//! loopback, so ureq is the whole client). Only what the tests use: open a
//! page, find by CSS, type (keys, Enter included), click, read the page's
//! HTML, URL and cookies, resize, screenshot, print to PDF.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key WebDriver types for Enter.
pub const ENTER: &str = "\u{E007}";

/// chromedriver and one headless chromium session; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// A browser whose window is `width` x `height` CSS pixels.
    pub fn start(width: u32, height: u32) -> Browser {
        let port = crate::common::free_port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "chromedriver is needed (Debian package chromium-driver; scripts/test installs it)",
            );
        // chromedriver says when it listens.
        let mut line = String::new();
        let mut out = BufReader::new(driver.stdout.take().expect("chromedriver's output"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while !line.contains("started successfully") && Instant::now() < deadline {
            line.clear();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
        }
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut b = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("chromium is needed (Debian package chromium)");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update",
                         "--no-first-run", "--hide-scrollbars",
                         format!("--window-size={width},{height}")]
            }
        }}});
        let r = b.call("POST", "/session", Some(caps));
        let id = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {r}"))
            .to_string();
        b.base = format!("{}/session/{id}", b.base);
        b.resize(width, height);
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self
                .agent
                .post(&url)
                .send_json(b.unwrap_or_else(|| json!({}))),
        };
        let mut r = r.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let v: Value = r
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_json()
            .unwrap_or(Value::Null);
        if v["value"]["error"].is_string() {
            panic!("WebDriver {method} {path}: {}", v["value"]);
        }
        v
    }

    /// Sets the viewport (the window's inner size) to `width` x `height`.
    pub fn resize(&mut self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
        // The window's frame takes its share: grow it until the page
        // itself has the size asked for.
        let inner = self.script("return [window.innerWidth, window.innerHeight]");
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(0) as u32,
            inner[1].as_u64().unwrap_or(0) as u32,
        );
        if (iw, ih) != (width, height) && iw > 0 {
            self.call(
                "POST",
                "/window/rect",
                Some(json!({"width": 2 * width - iw, "height": 2 * height - ih})),
            );
        }
    }

    /// Runs a line of script in the page, for reading its size only.
    fn script(&self, body: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": body, "args": []})),
        )["value"]
            .clone()
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.call("GET", "/url", None)["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's HTML as the browser holds it now.
    pub fn html(&self) -> String {
        self.call("GET", "/source", None)["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The element a CSS selector finds first.
    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v["value"][ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// Types into the element `css` finds (`ENTER` presses Enter).
    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), None);
    }

    /// Waits (up to 15 s) until `done` holds: typing Enter or clicking
    /// starts a navigation the driver does not wait for.
    pub fn wait_until(&self, what: &str, done: impl Fn(&Browser) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "waited in vain for {what}; at {}: {}",
                self.url(),
                self.html()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The browser's cookies for the page open now.
    pub fn cookies(&self) -> Vec<Value> {
        self.call("GET", "/cookie", None)["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The page printed on paper `width`×`height` cm, with the browser's
    /// default margins, as PDF bytes.
    pub fn print(&self, width: f64, height: f64) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.call(
            "POST",
            "/print",
            Some(json!({"page": {"width": width, "height": height}, "background": false})),
        );
        base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().unwrap_or_default())
            .expect("a base64 PDF")
    }

    /// A PNG of the viewport, written to `path`; returns its width and
    /// height in pixels.
    pub fn screenshot(&self, path: &Path) -> (u32, u32) {
        use base64::Engine as _;
        let v = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v["value"].as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(path, &png).expect("writing a screenshot");
        let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
        (be(16), be(20))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
