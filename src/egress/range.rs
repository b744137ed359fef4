//! Address classification shared by the creation-time URL check and the connect-time guard, so
//! both refuse exactly the same targets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::Reach;

/// The kind of network an address belongs to, as far as egress policy cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Range {
    /// Globally routable: always allowed.
    Public,
    /// 127.0.0.0/8 and ::1: allowed only with `Reach::loopback`.
    Loopback,
    /// RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6 unique-local fc00::/7.
    Private,
    /// 169.254/16 (cloud metadata lives here) and fe80::/10.
    LinkLocal,
    /// 0.0.0.0/8 and ::; Linux treats a connect to 0.0.0.0 as a connect to loopback.
    Unspecified,
    /// 224/4 and ff00::/8.
    Multicast,
    /// 240/4 (including 255.255.255.255).
    Reserved,
    /// Another special-purpose, non-routable block, named for messages.
    Other(&'static str),
}

impl Range {
    /// Whether a request with this reach may connect to an address in this range.
    pub fn allowed(self, reach: Reach) -> bool {
        match self {
            Range::Public => true,
            Range::Loopback => reach.loopback,
            Range::Private | Range::LinkLocal | Range::Other(_) => reach.private,
            // Never a sensible HTTP peer, whatever the operator allows.
            Range::Unspecified | Range::Multicast | Range::Reserved => false,
        }
    }

    /// A short human name for error messages.
    pub fn name(self) -> &'static str {
        match self {
            Range::Public => "public",
            Range::Loopback => "loopback",
            Range::Private => "private",
            Range::LinkLocal => "link-local",
            Range::Unspecified => "unspecified",
            Range::Multicast => "multicast",
            Range::Reserved => "reserved",
            Range::Other(name) => name,
        }
    }
}

/// Classifies an address; IPv6 forms that embed an IPv4 address are judged by that address.
pub fn classify(ip: IpAddr) -> Range {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Range {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (0, _, _) => Range::Unspecified,
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => Range::Private,
        (100, 64..=127, _) => Range::Other("shared (CGNAT)"),
        (127, _, _) => Range::Loopback,
        (169, 254, _) => Range::LinkLocal,
        (192, 0, 0) => Range::Other("IETF protocol assignments"),
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Range::Other("documentation"),
        (198, 18..=19, _) => Range::Other("benchmarking"),
        (224..=239, _, _) => Range::Multicast,
        (240..=255, _, _) => Range::Reserved,
        _ => Range::Public,
    }
}

fn classify_v6(ip: Ipv6Addr) -> Range {
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let s = ip.segments();
    match s[0] {
        0 if ip.is_unspecified() => Range::Unspecified,
        0 if ip.is_loopback() => Range::Loopback,
        0xfc00..=0xfdff => Range::Private,
        0xfe80..=0xfebf => Range::LinkLocal,
        0xfec0..=0xfeff => Range::Other("site-local"),
        0xff00..=0xffff => Range::Multicast,
        0x0064 if s[1] == 0xff9b && s[2] == 1 => Range::Other("local-use NAT64"),
        0x0100 if s[1..4] == [0, 0, 0] => Range::Other("discard-only"),
        0x2001 if s[1] == 0x0db8 => Range::Other("documentation"),
        // Teredo hides the client's IPv4 address; without decoding it, treat it as inward.
        0x2001 if s[1] == 0 => Range::Other("Teredo"),
        _ => Range::Public,
    }
}

/// The IPv4 address inside IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96, but not
/// :: and ::1), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses: each can route to it.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(low),
        [0, 0, 0, 0, 0, 0, 0, 0..=1] => None,
        [0, 0, 0, 0, 0, 0, _, _] => Some(low),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(low),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> Range {
        classify(text.parse().unwrap())
    }

    #[test]
    fn every_listed_block_is_classified() {
        let table = [
            ("8.8.8.8", Range::Public),
            ("1.1.1.1", Range::Public),
            ("0.0.0.0", Range::Unspecified),
            ("0.1.2.3", Range::Unspecified),
            ("10.0.0.1", Range::Private),
            ("100.64.0.1", Range::Other("shared (CGNAT)")),
            ("100.128.0.1", Range::Public),
            ("127.0.0.1", Range::Loopback),
            ("127.255.255.254", Range::Loopback),
            ("169.254.169.254", Range::LinkLocal),
            ("172.16.0.1", Range::Private),
            ("172.31.255.255", Range::Private),
            ("172.32.0.1", Range::Public),
            ("192.0.0.8", Range::Other("IETF protocol assignments")),
            ("192.168.1.1", Range::Private),
            ("198.18.0.1", Range::Other("benchmarking")),
            ("198.19.255.255", Range::Other("benchmarking")),
            ("198.20.0.1", Range::Public),
            ("224.0.0.1", Range::Multicast),
            ("240.0.0.1", Range::Reserved),
            ("255.255.255.255", Range::Reserved),
            ("::", Range::Unspecified),
            ("::1", Range::Loopback),
            ("fc00::1", Range::Private),
            ("fd12:3456::1", Range::Private),
            ("fe80::1", Range::LinkLocal),
            ("ff02::1", Range::Multicast),
            ("2606:4700::1111", Range::Public),
        ];
        for (text, expected) in table {
            assert_eq!(range(text), expected, "{text}");
        }
    }

    #[test]
    fn ipv6_forms_embedding_ipv4_are_judged_by_the_ipv4_address() {
        let table = [
            ("::ffff:127.0.0.1", Range::Loopback),
            ("::ffff:7f00:1", Range::Loopback),
            ("::ffff:10.0.0.1", Range::Private),
            ("::ffff:169.254.169.254", Range::LinkLocal),
            ("::ffff:8.8.8.8", Range::Public),
            ("::127.0.0.1", Range::Loopback),
            ("::a00:1", Range::Private),
            ("64:ff9b::127.0.0.1", Range::Loopback),
            ("64:ff9b::a9fe:a9fe", Range::LinkLocal),
            ("64:ff9b::808:808", Range::Public),
            ("2002:7f00:1::", Range::Loopback),
            ("2002:c0a8:101::1", Range::Private),
            ("2002:808:808::1", Range::Public),
        ];
        for (text, expected) in table {
            assert_eq!(range(text), expected, "{text}");
        }
    }

    #[test]
    fn loopback_needs_loopback_reach_and_other_inward_ranges_need_private_reach() {
        let loopback_only = Reach { loopback: true, private: false };
        let private_only = Reach { loopback: false, private: true };
        assert!(Range::Loopback.allowed(loopback_only));
        assert!(!Range::Loopback.allowed(private_only));
        assert!(!Range::Private.allowed(loopback_only));
        assert!(Range::Private.allowed(private_only));
        assert!(Range::LinkLocal.allowed(private_only));
        assert!(Range::Public.allowed(Reach::PUBLIC_ONLY));
        for never in [Range::Unspecified, Range::Multicast, Range::Reserved] {
            assert!(!never.allowed(Reach::ANYWHERE), "{never:?}");
        }
    }
}
