//! What the provider dialects (DESIGN §5) need that is pure: which dialect made an object, the
//! other spellings of our ids (Amwal's UUIDs), the providers' status words and numbers, their
//! callback retry schedules, and the exact text Amwal signs.

use super::link::LinkStatus;

/// A provider API that Paylink speaks besides its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    Amwal,
    Exchange,
    BirrLink,
    Paymob,
}

impl Dialect {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Amwal => "amwal",
            Dialect::Exchange => "exchange",
            Dialect::BirrLink => "birrlink",
            Dialect::Paymob => "paymob",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Dialect> {
        [Dialect::Amwal, Dialect::Exchange, Dialect::BirrLink, Dialect::Paymob].into_iter().find(|d| d.as_str() == s)
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The UUID spelling of a typed id (`plink_01JD…` → `0193…-…`): its 128 ULID bits in the
/// 8-4-4-4-12 hex layout. Amwal hands out UUIDs; this lets its dialect show our ids that way and
/// take them back ([`id_from_uuid`]) without a mapping table.
pub fn uuid_of(id: &str) -> Option<String> {
    let body = id.rsplit_once('_').map_or(id, |(_, b)| b);
    if body.len() != 26 {
        return None;
    }
    let mut value: u128 = 0;
    for b in body.bytes() {
        let digit = CROCKFORD.iter().position(|&c| c == b)? as u128;
        value = value.checked_mul(32)? | digit;
    }
    let hex = format!("{value:032x}");
    Some(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}

/// The typed id (`{prefix}_…`) a UUID spells, or `None` when the text is not a UUID.
pub fn id_from_uuid(prefix: &str, uuid: &str) -> Option<String> {
    let hex: String = uuid.chars().filter(|&c| c != '-').collect();
    let dashes_ok = uuid.len() == 36 && [8, 13, 18, 23].iter().all(|&i| uuid.as_bytes()[i] == b'-');
    if hex.len() != 32 || !dashes_ok {
        return None;
    }
    let value = u128::from_str_radix(&hex, 16).ok()?;
    let body: String = (0..26).rev().map(|i| CROCKFORD[((value >> (5 * i)) & 31) as usize] as char).collect();
    Some(format!("{prefix}_{body}"))
}

/// Amwal's status word for a link: `Unpaid`, `Paid` or `Expired` (a cancelled link can no
/// longer be paid, so it reads `Expired`, with `enabled: false`).
pub fn amwal_status(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Open => "Unpaid",
        LinkStatus::Paid => "Paid",
        LinkStatus::Expired | LinkStatus::Cancelled => "Expired",
    }
}

/// Amwal's `payment_option` for a payment: `Pay In Full`, or the installment plan taken.
pub fn amwal_payment_option(installments: Option<i64>) -> String {
    match installments {
        Some(n) if n > 1 => format!("Pay In {n} Installments"),
        _ => "Pay In Full".to_owned(),
    }
}

/// Amwal Exchange's numeric invoice status: 1 new, 2 paid, 3 expired, 4 cancelled.
pub fn exchange_status(status: LinkStatus) -> u8 {
    match status {
        LinkStatus::Open => 1,
        LinkStatus::Paid => 2,
        LinkStatus::Expired => 3,
        LinkStatus::Cancelled => 4,
    }
}

/// Whether `s` is an Exchange invoice id: 24 lowercase hex digits (a MongoDB ObjectId's shape).
pub fn is_invoice_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new invoice id: 4 bytes of seconds then 8 random bytes, as an ObjectId is laid out.
pub fn invoice_id(unix_seconds: i64, random: [u8; 8]) -> String {
    let mut out = format!("{:08x}", unix_seconds as u32);
    out.extend(random.iter().map(|b| format!("{b:02x}")));
    out
}

/// Lays 16 bytes out as a version-4 UUID (the Exchange invoice secret's shape).
pub fn uuid_v4_from(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Amwal callbacks: after the first attempt, 5 retries waiting 2^n seconds (capped at an hour).
pub const AMWAL_RETRY_SECS: [u64; 5] = [2, 4, 8, 16, 32];

/// Exchange callbacks: 30 attempts within three days — quick at first, then every three hours
/// (the last one ≈ 64 h after the first, so even +10 % jitter keeps it inside 72 h).
pub const EXCHANGE_RETRY_SECS: [u64; 29] = [
    60, 120, 300, 600, 900, 1800, 3600, 3600, 7200, 7200, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800,
    10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800,
];

/// The exact text Amwal signs: the given fields with their keys sorted, serialised as Python's
/// `json.dumps(payload, sort_keys=True)` does by default — `", "` and `": "` separators, and
/// every character outside printable ASCII escaped as `\uXXXX` (UTF-16 units, lowercase hex).
pub fn amwal_signed_text(fields: &[(&str, Option<&str>)]) -> String {
    let mut sorted: Vec<&(&str, Option<&str>)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let pairs: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}: {}", python_string(k), v.map_or("null".to_owned(), python_string)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// A JSON string as Python's `json.dumps` writes it with `ensure_ascii=True`.
pub fn python_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ulid_id_and_its_uuid_spelling_convert_both_ways() {
        let id = "plink_01JD3ZK9QW8X7Y6V5T4S3R2Q1P";
        let uuid = uuid_of(id).unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(id_from_uuid("plink", &uuid).as_deref(), Some(id));
        assert_eq!(id_from_uuid("plink", "not-a-uuid"), None);
        assert_eq!(id_from_uuid("plink", "0193a2b4c5d6e7f80912a3b4c5d6e7f8"), None);
    }

    #[test]
    fn the_signed_text_matches_python_json_dumps_with_sorted_keys() {
        let text = amwal_signed_text(&[
            ("status", Some("success")),
            ("amount", Some("29.00000")),
            ("client_first_name", Some("أحمد \"A\"")),
            ("client_last_name", None),
            ("emoji", Some("😀\u{7f}")),
        ]);
        assert_eq!(
            text,
            "{\"amount\": \"29.00000\", \"client_first_name\": \"\\u0623\\u062d\\u0645\\u062f \\\"A\\\"\", \
             \"client_last_name\": null, \"emoji\": \"\\ud83d\\ude00\\u007f\", \"status\": \"success\"}"
        );
    }

    #[test]
    fn invoice_ids_have_the_object_id_shape_and_secrets_the_uuid_v4_shape() {
        let id = invoice_id(1_700_000_000, [0xab; 8]);
        assert!(is_invoice_id(&id), "{id}");
        assert!(!is_invoice_id("65448DDEF4924A5DD1B241A9"));
        let secret = uuid_v4_from([0xff; 16]);
        assert_eq!(&secret[14..15], "4");
        assert_eq!(secret.len(), 36);
    }

    #[test]
    fn the_exchange_schedule_makes_thirty_attempts_within_about_three_days() {
        let total: u64 = EXCHANGE_RETRY_SECS.iter().sum();
        assert_eq!(EXCHANGE_RETRY_SECS.len() + 1, 30);
        assert!(total > 60 * 3600, "spread over most of the three days: {total}");
        assert!(total * 110 / 100 <= 3 * 86_400, "inside three days even with +10 % jitter: {total}");
    }
}
