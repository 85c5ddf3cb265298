//! Who is asking, as an extractor: the client's address (the TCP peer,
//! or, when the peer is a proxy `[hub] trusted_proxies` names, the
//! address its `X-Forwarded-For` gives), which the sign-in throttle counts
//! by; and whether the request reached the hub over TLS, which makes the
//! session cookie `Secure`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use super::Shared;
use crate::config::HubConfig;

/// The client of one request.
pub struct Caller {
    pub address: IpAddr,
    /// Reached over TLS: `[hub] behind_tls`, or a proxy said `https`.
    pub tls: bool,
}

impl Caller {
    /// The address as the throttle counts it: an IPv6 client by its /64,
    /// the block one machine is usually given (counting each of its
    /// addresses apart would give it 2⁶⁴ fresh starts).
    pub fn throttle_key(&self) -> String {
        match self.address {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        hub: &Shared,
    ) -> Result<Caller, Self::Rejection> {
        // The server always passes the peer (`serve`); a router run
        // without it counts every request as one unknown client.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(Caller {
            address: client_address(peer, &parts.headers, &hub.config.hub),
            tls: over_tls(&parts.headers, hub.config.hub.behind_tls),
        })
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy;
/// then `X-Forwarded-For` read from its end, each trusted proxy on the
/// way passed over, the first address no one trusts being the client's.
/// What a client writes into the header itself stands to the left of what
/// the proxies add, so it is never reached while an untrusted hop is.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, hub: &HubConfig) -> IpAddr {
    if !hub.trusts(peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Garbage in a hop a trusted proxy passed on: nothing to its left
        // can be believed, the nearest proxy stands for the client.
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !hub.trusts(ip) {
            return ip;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, perhaps with a port
/// (`203.0.113.7:5678`, `[2001:db8::1]:5678`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(sock) = hop.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse().ok())
}

/// Whether the browser reached the hub over TLS: `[hub] behind_tls`, or a
/// proxy in front said so (`X-Forwarded-Proto: https`, or `proto=https`
/// in `Forwarded`, RFC 7239). Believed from anyone: the answer only adds
/// `Secure` to the cookie of the response to this very request, which
/// can only keep that sender's own session off plain HTTP.
pub fn over_tls(headers: &HeaderMap, behind_tls: bool) -> bool {
    let https = |v: &str| v.trim().trim_matches('"').eq_ignore_ascii_case("https");
    behind_tls
        || headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(https)
        || headers
            .get_all("forwarded")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']))
            .filter_map(|pair| pair.split_once('='))
            .any(|(k, v)| k.trim().eq_ignore_ascii_case("proto") && https(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn hub(trusted: &[&str]) -> HubConfig {
        HubConfig {
            trusted_proxies: trusted.iter().map(|s| s.to_string()).collect(),
            ..HubConfig::default()
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        let peer = ip("127.0.0.1");
        assert_eq!(client_address(peer, &h, &hub(&[])), peer);
        assert_eq!(client_address(peer, &h, &hub(&["10.0.0.0/8"])), peer);
        assert_eq!(
            client_address(peer, &h, &hub(&["127.0.0.1"])),
            ip("203.0.113.7")
        );
        // A v4 peer arriving as IPv6-mapped is still the trusted proxy.
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &h, &hub(&["127.0.0.0/8"])),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn what_the_client_wrote_itself_is_passed_over() {
        // The client sent "1.2.3.4"; the proxy appended the address it saw.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &h, &hub(&["10.0.0.0/8"])),
            ip("203.0.113.7")
        );
        // Two proxies in a row, the inner one trusted too.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.9"),
            ("x-forwarded-for", "10.0.0.3"),
        ]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &h, &hub(&["10.0.0.0/8"])),
            ip("198.51.100.9")
        );
        // Garbage where an address should be: the nearest proxy stands in.
        let h = headers(&[("x-forwarded-for", "not an address, 10.0.0.3")]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &h, &hub(&["10.0.0.0/8"])),
            ip("10.0.0.3")
        );
        let h = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &h, &hub(&["10.0.0.0/8"])),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_block() {
        let c = |a: &str| Caller {
            address: ip(a),
            tls: false,
        };
        assert_eq!(
            c("2001:db8:1:2:aaaa::1").throttle_key(),
            c("2001:db8:1:2:bbbb::9").throttle_key()
        );
        assert_eq!(c("2001:db8:1:2::1").throttle_key(), "2001:db8:1:2::/64");
        assert_eq!(c("::ffff:192.0.2.1").throttle_key(), "192.0.2.1");
    }

    #[test]
    fn https_is_seen_through_a_proxy() {
        assert!(!over_tls(&headers(&[]), false));
        assert!(over_tls(&headers(&[]), true));
        assert!(over_tls(&headers(&[("x-forwarded-proto", "https")]), false));
        assert!(!over_tls(&headers(&[("x-forwarded-proto", "http")]), false));
        assert!(over_tls(
            &headers(&[("forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43")]),
            false
        ));
        assert!(over_tls(
            &headers(&[("forwarded", "for=\"[2001:db8::1]\";proto=\"HTTPS\"")]),
            false
        ));
        assert!(!over_tls(
            &headers(&[("forwarded", "for=192.0.2.60")]),
            false
        ));
    }
}
