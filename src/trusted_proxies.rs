//! Which peers may tell Paylink the client's address. Behind a reverse proxy every connection
//! comes from the proxy, so the per-client limits (the card-testing guard, the sign-in throttle)
//! would count all payers as one. When the peer is a trusted proxy, the client is the rightmost
//! address of `X-Forwarded-For` that is not itself a trusted proxy: each proxy appends the
//! address it saw, so entries left of the first untrusted one may be forged by the client and
//! are never believed. From any other peer the header is ignored.

use serde::{Deserialize, Deserializer};
use std::net::IpAddr;

/// Addresses and CIDR ranges of the reverse proxies in front of Paylink (empty: none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<(IpAddr, u8)>,
}

impl TrustedProxies {
    /// Parses a comma-separated list such as `127.0.0.1, 10.0.0.0/8, ::1`; names the bad entry.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let nets = text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(parse_net).collect::<Result<_, _>>()?;
        Ok(TrustedProxies { nets })
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.nets.iter().any(|&(net, bits)| in_net(ip, net, bits))
    }

    /// The client's address for a connection from `peer` carrying these `X-Forwarded-For`
    /// values (in header order).
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).map(str::trim).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // An unparsable entry ends the walk: nothing left of it can be trusted either.
            let Ok(ip) = hop.parse::<IpAddr>() else { break };
            client = canonical(ip);
            if !self.contains(client) {
                break;
            }
        }
        client
    }
}

impl<'de> Deserialize<'de> for TrustedProxies {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TrustedProxies::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// `a.b.c.d/n`, `a:b::/n`, or a single address (all bits).
fn parse_net(entry: &str) -> Result<(IpAddr, u8), String> {
    let bad = || format!("trusted_proxies: {entry:?} is not an IP address or CIDR range");
    let (addr, bits) = entry.split_once('/').map_or((entry, None), |(a, b)| (a, Some(b)));
    let ip = canonical(addr.parse::<IpAddr>().map_err(|_| bad())?);
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = match bits {
        None => max,
        Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(bad)?,
    };
    Ok((ip, bits))
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what a dual-stack socket reports) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => prefix_eq(u32::from(a).into(), u32::from(n).into(), bits, 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix_eq(u128::from(a), u128::from(n), bits, 128),
        _ => false,
    }
}

/// Whether the first `bits` of two `width`-bit numbers agree.
fn prefix_eq(a: u128, b: u128, bits: u8, width: u32) -> bool {
    let shift = width - u32::from(bits);
    shift >= width || (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("203.0.113.5"), ["198.51.100.1"].into_iter()), ip("203.0.113.5"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_rightmost_untrusted_hop() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let hops = ["198.51.100.9, 203.0.113.7", "10.1.2.3"];
        assert_eq!(t.client(ip("127.0.0.1"), hops.into_iter()), ip("203.0.113.7"));
    }

    #[test]
    fn a_forged_entry_left_of_the_real_client_is_ignored() {
        let t = TrustedProxies::parse("127.0.0.1").unwrap();
        assert_eq!(t.client(ip("127.0.0.1"), ["1.1.1.1, 203.0.113.7"].into_iter()), ip("203.0.113.7"));
    }

    #[test]
    fn a_trusted_proxy_without_the_header_or_with_garbage_is_the_client() {
        let t = TrustedProxies::parse("127.0.0.1").unwrap();
        assert_eq!(t.client(ip("127.0.0.1"), std::iter::empty()), ip("127.0.0.1"));
        assert_eq!(t.client(ip("127.0.0.1"), ["not-an-ip"].into_iter()), ip("127.0.0.1"));
    }

    #[test]
    fn ranges_match_by_prefix_and_mapped_ipv6_counts_as_ipv4() {
        let t = TrustedProxies::parse("10.0.0.0/8,fd00::/8").unwrap();
        assert!(t.contains(ip("10.255.0.1")) && !t.contains(ip("11.0.0.1")));
        assert!(t.contains(ip("::ffff:10.0.0.1")) && t.contains(ip("fd12::1")) && !t.contains(ip("fe80::1")));
        assert!(TrustedProxies::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
    }

    #[test]
    fn a_bad_entry_is_named() {
        let e = TrustedProxies::parse("10.0.0.0/8, proxy.local").unwrap_err();
        assert!(e.contains("\"proxy.local\""), "{e}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }
}
