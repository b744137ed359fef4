//! Amwal Exchange's own words and shapes: its numeric invoice status, its invoice ids (a MongoDB
//! ObjectId's shape), the UUID shape of an invoice's secret, and its callback retry schedule.

use crate::domain::link::LinkStatus;
use crate::domain::sign;

/// Amwal Exchange's numeric invoice status: 1 new, 2 paid, 3 expired, 4 cancelled.
pub fn invoice_status(status: LinkStatus) -> u8 {
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

/// The `secret` of an invoice (a UUID, shown on creation and sent in the paid callback):
/// derived from the instance's signing key and the invoice id, so it is never stored.
pub fn invoice_secret(signing_key: &[u8; 32], invoice_id: &str) -> String {
    let mac = sign::hmac_sha256(signing_key, &[b"exchange-invoice:", invoice_id.as_bytes()]);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&mac[..16]);
    uuid_v4_from(bytes)
}

/// Lays 16 bytes out as a version-4 UUID (the Exchange invoice secret's shape).
pub fn uuid_v4_from(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Project callbacks: 30 attempts within three days — quick at first, then every three hours
/// (the last one ≈ 64 h after the first, so even +10 % jitter keeps it inside 72 h).
pub const RETRY_SECS: [u64; 29] = [
    60, 120, 300, 600, 900, 1800, 3600, 3600, 7200, 7200, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800,
    10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800, 10800,
];

#[cfg(test)]
mod tests {
    use super::*;

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
        let total: u64 = RETRY_SECS.iter().sum();
        assert_eq!(RETRY_SECS.len() + 1, 30);
        assert!(total > 60 * 3600, "spread over most of the three days: {total}");
        assert!(total * 110 / 100 <= 3 * 86_400, "inside three days even with +10 % jitter: {total}");
    }
}
