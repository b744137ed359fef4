//! Parsing an outbound URL and recognising literal addresses in every form a resolver or a
//! browser would accept (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`, `[::ffff:7f00:1]`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hyper::Uri;

use super::{Reach, classify};

/// The longest URL a merchant may register.
pub const MAX_URL_LEN: usize = 2048;

/// Creation-time check of a URL a merchant submits: `http` or `https`, a host, no userinfo, at
/// most 2048 bytes, and a literal address host (in any form) allowed by `reach`. Host names
/// pass: what they resolve to is checked at connect time. The error names the problem.
pub fn check_url(url: &str, reach: Reach) -> Result<(), String> {
    let uri = parse_target(url)?;
    match literal_host(uri.host().unwrap_or_default())? {
        Some(ip) => check_ip(ip, reach),
        None => Ok(()),
    }
}

/// Refuses an address outside `reach`, naming its range.
pub(super) fn check_ip(ip: IpAddr, reach: Reach) -> Result<(), String> {
    let range = classify(ip);
    if range.allowed(reach) { Ok(()) } else { Err(format!("address {ip} is {} and not allowed here", range.name())) }
}

/// Parses a URL into a request target. Messages never repeat the URL: a query string may carry
/// a gateway's credentials.
pub(super) fn parse_target(url: &str) -> Result<Uri, String> {
    if url.len() > MAX_URL_LEN {
        return Err(format!("URL is longer than {MAX_URL_LEN} bytes"));
    }
    let uri: Uri = url.parse().map_err(|_| "URL is not a valid absolute http(s) URL".to_string())?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        Some(_) => return Err("URL scheme must be http or https".into()),
        None => return Err("URL must be absolute (http:// or https://)".into()),
    }
    let authority = uri.authority().ok_or("URL has no host")?;
    if authority.as_str().contains('@') {
        return Err("URL must not contain a user name or password".into());
    }
    if authority.host().is_empty() {
        return Err("URL has no host".into());
    }
    Ok(uri)
}

/// The address a host denotes without DNS: `Ok(None)` for a name, an error for something that
/// looks numeric but is not a valid address (a resolver might still read it somehow).
pub(super) fn literal_host(host: &str) -> Result<Option<IpAddr>, String> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let v6: Ipv6Addr = inner.parse().map_err(|_| "URL host is not a valid IPv6 address".to_string())?;
        return Ok(Some(IpAddr::V6(v6)));
    }
    if !ends_in_number(host) {
        return Ok(None);
    }
    match parse_ipv4_loose(host) {
        Some(v4) => Ok(Some(IpAddr::V4(v4))),
        None => Err("URL host looks like an IPv4 address but is not a valid one".into()),
    }
}

/// The labels of a host, ignoring one trailing dot (`127.0.0.1.` is still an address).
fn labels(host: &str) -> Vec<&str> {
    let trimmed = host.strip_suffix('.').filter(|h| !h.is_empty()).unwrap_or(host);
    trimmed.split('.').collect()
}

/// WHATWG's "ends in a number": such a host is an IPv4 address or invalid, never a name.
fn ends_in_number(host: &str) -> bool {
    let last = labels(host).pop().unwrap_or_default();
    (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || parse_part(last).is_some()
}

/// inet_aton / WHATWG IPv4: one to four parts, each decimal, octal (leading 0) or hex (0x); the
/// last part fills all remaining bytes, so `127.1` is 127.0.0.1 and `2130706433` is too.
fn parse_ipv4_loose(host: &str) -> Option<Ipv4Addr> {
    let parts = labels(host);
    if parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts.iter().map(|p| parse_part(p)).collect::<Option<_>>()?;
    let (last, leading) = numbers.split_last()?;
    if leading.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (5 - numbers.len())) {
        return None;
    }
    let mut value = *last;
    for (i, n) in leading.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// One IPv4 part in C notation. Overlong values fail rather than wrap.
fn parse_part(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        // WHATWG reads a bare `0x` as zero; a bare empty label is not a number.
        return (radix == 16).then_some(0);
    }
    if digits.len() > 16 || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOPBACK_FORMS: [&str; 12] = [
        "http://127.0.0.1/",
        "http://127.0.0.1./hook",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0X7F000001/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://127.1/",
        "http://127.0.1:8080/",
        "https://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
    ];

    #[test]
    fn every_numeric_form_of_loopback_is_refused_without_loopback_reach() {
        for url in LOOPBACK_FORMS {
            let err = check_url(url, Reach::PUBLIC_ONLY).unwrap_err();
            assert!(err.contains("loopback"), "{url}: {err}");
            check_url(url, Reach { loopback: true, private: false }).unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn numeric_forms_of_private_and_metadata_addresses_need_private_reach() {
        let table = [
            "http://10.0.0.1/",
            "http://167772161/",
            "http://0xa000001/",
            "http://012.0.0.1/",
            "http://10.1/",
            "http://[::ffff:a00:1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://2852039166/",
            "http://0xa9.0xfe.0xa9.0xfe/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[64:ff9b::a00:1]/",
            "http://[2002:a00:1::]/",
        ];
        for url in table {
            assert!(check_url(url, Reach { loopback: true, private: false }).is_err(), "{url}");
            check_url(url, Reach::ANYWHERE).unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn unspecified_multicast_and_broadcast_are_refused_even_anywhere() {
        for url in ["http://0.0.0.0/", "http://0/", "http://[::]/", "http://224.0.0.1/", "http://255.255.255.255/"] {
            assert!(check_url(url, Reach::ANYWHERE).is_err(), "{url}");
        }
    }

    #[test]
    fn public_addresses_and_names_pass() {
        let table = [
            "https://8.8.8.8/hook",
            "http://134744072/",
            "https://[2606:4700::1111]/",
            "https://example.com/webhooks?x=1",
            "http://localhost:8080/",
            "https://1.example/",
            "HTTPS://Example.COM/",
        ];
        for url in table {
            check_url(url, Reach::PUBLIC_ONLY).unwrap_or_else(|e| panic!("{url}: {e}"));
        }
    }

    #[test]
    fn malformed_or_non_http_urls_are_refused() {
        let table = [
            ("ftp://example.com/", "scheme"),
            ("file:///etc/passwd", "valid"),
            ("gopher://example.com/", "scheme"),
            ("http://user:pass@example.com/", "user name"),
            ("http://user@example.com/", "user name"),
            ("example.com/hook", "absolute"),
            ("/hook", "absolute"),
            ("http:///hook", "valid"),
            ("http://256.0.0.1/", "IPv4"),
            ("http://4294967296/", "IPv4"),
            ("http://1.2.3.4.5/", "IPv4"),
        ];
        for (url, problem) in table {
            let err = check_url(url, Reach::ANYWHERE).unwrap_err();
            assert!(err.contains(problem), "{url}: {err}");
        }
    }

    #[test]
    fn urls_longer_than_the_limit_are_refused() {
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(check_url(&long, Reach::ANYWHERE).unwrap_err().contains("longer"));
    }

    #[test]
    fn error_messages_do_not_repeat_the_url() {
        let err = check_url("ftp://example.com/?api_key=s3cret", Reach::ANYWHERE).unwrap_err();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
