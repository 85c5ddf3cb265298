//! Requests for the hub property tests (tests/fuzz_hub.rs): upload pages
//! whose records, payloads, sequence numbers and ids are drawn from valid
//! and hostile values, bodies that are not pages at all, and change-feed,
//! certificate, device and report requests with odd paths, queries and
//! Authorization headers; and the HTTP client that sends them.

use std::time::Duration;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};

use super::fuzz::{Bytes, noise};

pub const EVENT_ID: &str = "ONC2026";

#[derive(Debug, Clone)]
pub enum Auth {
    Good,
    Padded,
    Missing,
    Wrong(String),
    Scheme(&'static str),
    Overlong(usize),
    Raw(Bytes),
}

impl Auth {
    pub fn good(&self) -> bool {
        matches!(self, Auth::Good | Auth::Padded)
    }
    pub fn header(&self) -> Option<Vec<u8>> {
        let token = super::TOKEN;
        Some(match self {
            Auth::Good => format!("Bearer {token}").into_bytes(),
            Auth::Padded => format!("Bearer    {token}  ").into_bytes(),
            Auth::Missing => return None,
            Auth::Wrong(s) => format!("Bearer {s}").into_bytes(),
            Auth::Scheme(p) => format!("{p}{token}").into_bytes(),
            Auth::Overlong(n) => format!("Bearer {token}{}", "x".repeat(*n)).into_bytes(),
            Auth::Raw(b) => b.0.clone(),
        })
    }
}

pub fn auth() -> BoxedStrategy<Auth> {
    prop_oneof![
        16 => Just(Auth::Good),
        1 => Just(Auth::Padded),
        1 => Just(Auth::Missing),
        1 => "[ -~]{0,40}".prop_map(Auth::Wrong),
        1 => prop::sample::select(&["bearer ", "Basic ", "Bearer", "Token ", "Bearer\t", "Bearer  x"][..])
            .prop_map(Auth::Scheme),
        1 => prop_oneof![1usize..64, 1_000usize..20_000, Just(200_000usize)].prop_map(Auth::Overlong),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(|b| Auth::Raw(Bytes(b))),
    ]
    .boxed()
}

/// A path segment as sent (percent-encoded where it must be).
pub fn path_segment() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[A-Za-z0-9_-]{1,24}",
        2 => prop::sample::select(&[
            "..%2F..%2Fetc%2Fpasswd", "..%2f", "%2e%2e%2f%2e%2e%2f", "..", ".", "%00", "a%00b",
            "%2F", "K01%20", "%", "%zz", "%C0%AF", "%E2%80%AE", "A%2FB", "%41%42", "K%0A01",
            "%FF%FE", "-", "_",
        ][..])
        .prop_map(str::to_string),
        1 => (65usize..6_000).prop_map(|n| "D".repeat(n)),
        1 => Just("D".repeat(64)),
        2 => prop::collection::vec(
            prop_oneof![
                "[A-Za-z0-9._~-]{1,4}",
                any::<u8>().prop_map(|b| format!("%{b:02X}")),
            ],
            1..10,
        )
        .prop_map(|v| v.concat()),
    ]
    .boxed()
}

/// Percent-decodes a path segment or query value; None if malformed.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

pub fn decoded_device(seg: &str) -> Option<String> {
    let d = percent_decode(seg)?;
    let valid = !d.is_empty()
        && d.len() <= 64
        && d.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_');
    valid.then(|| String::from_utf8(d).unwrap())
}

pub fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[ -~]{0,24}",
        2 => noise(24),
        1 => (200usize..12_000).prop_map(|n| "s".repeat(n)),
        1 => prop::sample::select(&["", " ", "\u{202e}", "'; DROP TABLE records; --", "A0012345", "S001"][..])
            .prop_map(str::to_string),
    ]
    .boxed()
}

pub fn hostile_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(&[u64::MAX, i64::MAX as u64 + 1, 0][..]).prop_map(Value::from),
        prop::sample::select(&[-1.0f64, 0.5, 1e308, -1e308, 1e-300][..]).prop_map(Value::from),
        hostile_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

pub const KINDS: &[&str] = &[
    "claim",
    "void",
    "certificate",
    "profile",
    "evaluation",
    "attendee",
    "audit",
    "CLAIM",
    "",
    "roster.attendee",
];

pub fn valid_payload(kind: &str, n: u64) -> Value {
    match kind {
        "claim" => json!({"claim_id": format!("fz-claim-{n}"), "visit_id": format!("fz-visit-{n}"),
            "badge_id": "A0012345", "session_id": "S001", "credits_q": 4,
            "claimed_at": "2026-11-23T18:00:00Z"}),
        "void" => json!({"claim_id": format!("fz-claim-{n}"), "badge_id": "A0012345",
            "voided_at": "2026-11-23T18:05:00Z", "reason": "fuzz"}),
        "certificate" => json!({"certificate_id": format!("fzcert{n:016}"), "short_code": "FZ1",
            "badge_id": "A0012345", "issued_at": "2026-11-23T18:06:00Z"}),
        "profile" => json!({"badge_id": "A0012345", "codes": "AMA;MOC", "epid": null,
            "birth_mmdd": "0101", "pharm_role": null, "moc_consent": true, "abim_id": "123456",
            "at": "2026-11-23T18:00:00Z"}),
        "evaluation" => {
            json!({"badge_id": "A0012345", "answers": {"relevant": "Agree", "change": "Yes"},
            "at": "2026-11-23T18:00:00Z"})
        }
        "attendee" => {
            json!({"badge_id": format!("W-FZ-{n}"), "first_name": "Walk", "last_name": "In",
            "degree": "RN", "profession": "nurse", "email": "w@example.org"})
        }
        _ => json!({"at": "2026-11-23T18:00:00Z", "action": "fuzz", "detail": "x"}),
    }
}

pub const PAYLOAD_KEYS: &[&str] = &[
    "claim_id",
    "visit_id",
    "badge_id",
    "session_id",
    "credits_q",
    "claimed_at",
    "voided_at",
    "reason",
    "certificate_id",
    "short_code",
    "issued_at",
    "codes",
    "moc_consent",
    "answers",
    "at",
    "profession",
    "first_name",
    "action",
    "detail",
];

#[derive(Debug, Clone)]
pub enum Seq {
    Int(i64),
    Big,
    Float,
    Text,
    Missing,
}

#[derive(Debug, Clone)]
pub struct Rec {
    pub seq: Seq,
    pub kind: String,
    /// Which payload to start from (the kind's, unless the kind is junk).
    pub n: u64,
    pub edits: Vec<(&'static str, Option<Value>)>,
    pub record_id: Value,
    pub created_at: Value,
    /// Replace the whole payload.
    pub payload: Option<Value>,
}

impl Rec {
    pub fn shape_ok(&self) -> bool {
        matches!(self.seq, Seq::Int(_)) && self.record_id.is_string() && self.created_at.is_string()
    }
    pub fn seq(&self) -> Option<i64> {
        match self.seq {
            Seq::Int(s) => Some(s),
            _ => None,
        }
    }
    pub fn payload(&self) -> Value {
        if let Some(p) = &self.payload {
            return p.clone();
        }
        let mut p = valid_payload(&self.kind, self.n);
        if let Value::Object(m) = &mut p {
            for (k, v) in &self.edits {
                match v {
                    Some(v) => m.insert(k.to_string(), v.clone()),
                    None => m.remove(*k),
                };
            }
        }
        p
    }
    pub fn json(&self) -> Value {
        let mut m = serde_json::Map::new();
        match &self.seq {
            Seq::Int(s) => m.insert("seq".into(), json!(s)),
            Seq::Big => m.insert("seq".into(), json!(u64::MAX)),
            Seq::Float => m.insert("seq".into(), json!(1.5)),
            Seq::Text => m.insert("seq".into(), json!("1")),
            Seq::Missing => None,
        };
        m.insert("kind".into(), json!(self.kind));
        let payload = self.payload();
        // A kiosk writes a certificate's id as its record id; a record id
        // drawn from the hostile strategies stays as drawn.
        let plain = self.record_id.as_str().is_some_and(|r| {
            r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        let record_id = match payload.get("certificate_id") {
            Some(id) if self.kind == "certificate" && plain && id.is_string() => id.clone(),
            _ => self.record_id.clone(),
        };
        m.insert("record_id".into(), record_id);
        m.insert("payload".into(), payload);
        m.insert("created_at".into(), self.created_at.clone());
        Value::Object(m)
    }
}

pub fn rec() -> BoxedStrategy<Rec> {
    (
        prop_oneof![
            40 => (1i64..40).prop_map(Seq::Int),
            2 => (1i64..=i64::MAX).prop_map(Seq::Int),
            1 => prop_oneof![Just(0i64), Just(-1i64), Just(i64::MIN)].prop_map(Seq::Int),
            1 => prop_oneof![Just(Seq::Big), Just(Seq::Float), Just(Seq::Text), Just(Seq::Missing)],
        ],
        prop_oneof![
            6 => prop::sample::select(KINDS).prop_map(str::to_string),
            1 => hostile_string(),
        ],
        any::<u64>(),
        prop_oneof![
            2 => Just(Vec::new()),
            3 => prop::collection::vec(
                (prop::sample::select(PAYLOAD_KEYS), prop::option::of(hostile_json())),
                1..4,
            ),
        ],
        prop_oneof![
            30 => "[a-z0-9-]{1,20}".prop_map(Value::from),
            3 => hostile_string().prop_map(Value::from),
            1 => hostile_json(),
        ],
        prop_oneof![
            30 => Just(Value::from("2026-11-23T18:00:00Z")),
            3 => hostile_string().prop_map(Value::from),
            1 => hostile_json(),
        ],
        prop_oneof![30 => Just(None), 1 => hostile_json().prop_map(Some)],
    )
        .prop_map(
            |(seq, kind, n, edits, record_id, created_at, payload)| Rec {
                seq,
                kind,
                n: n % 1_000_000,
                edits,
                record_id,
                created_at,
                payload,
            },
        )
        .boxed()
}

#[derive(Debug, Clone)]
pub struct Page {
    pub event_id: String,
    pub kiosk_id: String,
    pub records: Vec<Rec>,
}

impl Page {
    pub fn json(&self) -> Value {
        json!({"event_id": self.event_id, "kiosk_id": self.kiosk_id,
            "records": self.records.iter().map(Rec::json).collect::<Vec<_>>()})
    }
    /// Whether the hub should take this page (given a token and a device).
    pub fn acceptable(&self) -> bool {
        let kiosk = cekiosk::domain::sanitize(&self.kiosk_id);
        // The kiosk id as the hub reads it (sanitized), held to the hub's
        // own rule: spaces at either end, or only spaces, are not an id.
        self.event_id == EVENT_ID
            && cekiosk::hub::db::check_kiosk_id(&kiosk).is_ok()
            && self.records.len() <= cekiosk::sync::protocol::PAGE * 4
            && self.records.iter().all(|r| r.shape_ok())
            && self.records.iter().all(|r| r.seq().unwrap_or(0) >= 1)
            // A sequence number may appear once in a page.
            && {
                let mut seqs: Vec<i64> = self.records.iter().filter_map(|r| r.seq()).collect();
                let n = seqs.len();
                seqs.sort_unstable();
                seqs.dedup();
                seqs.len() == n
            }
    }
}

pub fn page() -> BoxedStrategy<Page> {
    (
        prop_oneof![16 => Just(EVENT_ID.to_string()), 1 => hostile_string()],
        prop_oneof![16 => "K[0-9]{2}", 1 => hostile_string(), 1 => noise(10)],
        prop::collection::vec(rec(), 0..6),
    )
        .prop_map(|(event_id, kiosk_id, records)| Page {
            event_id,
            kiosk_id,
            records,
        })
        .boxed()
}

#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Bytes),
    Truncated(Page, Index),
    WrongShape(Value),
    Page(Page),
    Deep(usize, u8),
    /// A well-formed page over the size limit.
    Huge(usize),
}

impl Body {
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Body::Bytes(b) => b.0.clone(),
            Body::Truncated(p, at) => {
                let mut v = serde_json::to_vec(&p.json()).unwrap();
                v.truncate(at.index(v.len()));
                v
            }
            Body::WrongShape(v) => serde_json::to_vec(v).unwrap(),
            Body::Page(p) => serde_json::to_vec(&p.json()).unwrap(),
            Body::Deep(depth, open) => {
                let mut v = vec![*open; *depth];
                v.extend(std::iter::repeat_n(
                    if *open == b'[' { b']' } else { b'}' },
                    *depth,
                ));
                v
            }
            Body::Huge(detail) => {
                let records: Vec<Value> = (1..=2000)
                    .map(|i| {
                        json!({"seq": i, "kind": "audit", "record_id": format!("r{i}"),
                            "created_at": "2026-11-23T18:00:00Z",
                            "payload": {"at": "x", "action": "big", "detail": "d".repeat(*detail)}})
                    })
                    .collect();
                serde_json::to_vec(
                    &json!({"event_id": EVENT_ID, "kiosk_id": "K01", "records": records}),
                )
                .unwrap()
            }
        }
    }
}

pub fn body() -> BoxedStrategy<Body> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..600).prop_map(|b| Body::Bytes(Bytes(b))),
        2 => (page(), any::<Index>()).prop_map(|(p, i)| Body::Truncated(p, i)),
        2 => hostile_json().prop_map(Body::WrongShape),
        20 => page().prop_map(Body::Page),
        1 => (prop_oneof![Just(129usize), 1_000usize..100_000], prop::sample::select(&[b'[', b'{'][..]))
            .prop_map(|(d, o)| Body::Deep(d, o)),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
pub enum Req {
    Upload {
        device: String,
        auth: Auth,
        body: Body,
    },
    Changes {
        query: String,
        auth: Auth,
    },
    Certificate {
        id: String,
        pdf: bool,
    },
    Device {
        device: String,
        auth: Auth,
    },
    Report {
        name: String,
        auth: Auth,
    },
}

pub fn query_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => any::<i64>().prop_map(|n| n.to_string()),
        2 => prop::sample::select(&[
            "", "junk", "-1", "0", "1.5", "9223372036854775808", "%00", "1%00", "0x10", "+5",
            "%FF", "%", "K01", "%E2%80%AE",
        ][..])
        .prop_map(str::to_string),
        2 => path_segment(),
    ]
    .boxed()
}

pub fn req() -> BoxedStrategy<Req> {
    prop_oneof![
        12 => (
            prop_oneof![4 => "[A-Za-z0-9_-]{1,24}", 1 => path_segment()],
            prop_oneof![6 => Just(Auth::Good), 1 => auth()],
            body(),
        )
            .prop_map(|(device, auth, body)| Req::Upload { device, auth, body }),
        3 => (
            prop::collection::vec(
                (prop::sample::select(&["since", "device", "since", "x", "device[]"][..]), query_value()),
                0..4,
            ),
            auth(),
        )
            .prop_map(|(pairs, auth)| Req::Changes {
                query: pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"),
                auth,
            }),
        3 => (path_segment(), any::<bool>()).prop_map(|(id, pdf)| Req::Certificate { id, pdf }),
        1 => (path_segment(), auth()).prop_map(|(device, auth)| Req::Device { device, auth }),
        1 => (
            prop_oneof![
                Just("credits.csv".to_string()),
                Just("pars.tsv".to_string()),
                path_segment(),
            ],
            prop_oneof![Just(Auth::Missing), Just(Auth::Good), auth()],
        )
            .prop_map(|(name, auth)| Req::Report { name, auth }),
    ]
    .boxed()
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .max_idle_connections(0)
        // Room for the over-long Authorization headers.
        .output_buffer_size(1 << 20)
        .build()
        .into()
}

pub fn with_auth<B>(r: ureq::RequestBuilder<B>, auth: &Auth) -> ureq::RequestBuilder<B> {
    match auth.header() {
        Some(v) => r.header_raw("Authorization", &v),
        None => r,
    }
}

/// Sends a request; Err for what the client itself refused to send.
pub fn send(agent: &ureq::Agent, base: &str, req: &Req) -> Result<(u16, String), String> {
    let result = match req {
        Req::Upload { device, auth, body } => {
            let url = format!("{base}/api/v1/devices/{device}/records");
            with_auth(agent.post(&url), auth)
                .content_type("application/json")
                .send(&body.bytes()[..])
        }
        Req::Changes { query, auth } => {
            with_auth(agent.get(&format!("{base}/api/v1/changes?{query}")), auth).call()
        }
        Req::Certificate { id, pdf } => agent
            .get(&format!("{base}/c/{id}{}", if *pdf { ".pdf" } else { "" }))
            .call(),
        Req::Device { device, auth } => {
            with_auth(agent.get(&format!("{base}/api/v1/devices/{device}")), auth).call()
        }
        Req::Report { name, auth } => {
            with_auth(agent.get(&format!("{base}/reports/{name}")), auth).call()
        }
    };
    match result {
        Ok(mut r) => {
            let status = r.status().as_u16();
            // A PDF is binary; the text of every other answer is UTF-8.
            let body = r
                .body_mut()
                .with_config()
                .limit(64 << 20)
                .read_to_vec()
                .map_err(|e| format!("reading the answer: {e}"))?;
            Ok((status, String::from_utf8_lossy(&body).into_owned()))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Client-side refusals (a header or URI the HTTP library will not send)
/// are not answers from the hub.
pub fn client_refused(e: &str) -> bool {
    // "http: failed to parse header value", "protocol: authorization header
    // is not a string", "protocol: output too small to write output".
    e.starts_with("http: ")
        || e.contains("header is not a string")
        || e.contains("output too small")
}
