//! Typed, prefixed, time-sortable ids (`plink_01JD…`). The body is a ULID in Crockford base32: 48
//! bits of milliseconds then 80 random bits, so ids sort by creation time and are unguessable.
//! Parsing checks the prefix, so an id of the wrong kind never reaches the database.

use std::fmt;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Encodes a ULID body (26 characters) from a millisecond timestamp and 10 random bytes.
pub fn ulid_body(millis: u64, random: [u8; 10]) -> String {
    let mut value: u128 = (millis as u128 & 0xFFFF_FFFF_FFFF) << 80;
    for (i, b) in random.iter().enumerate() {
        value |= (*b as u128) << (72 - 8 * i);
    }
    (0..26).rev().map(|i| CROCKFORD[((value >> (5 * i)) & 31) as usize] as char).collect()
}

fn is_ulid_body(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| CROCKFORD.contains(&b))
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// A new id from the given time and randomness.
            pub fn generate(millis: u64, random: [u8; 10]) -> Self {
                $name(format!("{}_{}", $prefix, ulid_body(millis, random)))
            }

            /// Parses an id, refusing other kinds and malformed text.
            pub fn parse(s: &str) -> Option<Self> {
                let body = s.strip_prefix($prefix)?.strip_prefix('_')?;
                is_ulid_body(body).then(|| $name(s.to_owned()))
            }

            /// Rebuilds an id read back from storage.
            pub fn from_trusted(s: String) -> Self {
                $name(s)
            }

            /// The id's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

typed_id!(/// A merchant account.
    MerchantId, "mer");
typed_id!(/// A store of a merchant (what some dialects call a store id or a project).
    StoreId, "sto");
typed_id!(/// A branch of a store.
    BranchId, "br");
typed_id!(/// A staff user.
    UserId, "usr");
typed_id!(/// An API key (its id, never its secret).
    KeyId, "key");
typed_id!(/// A payment link.
    LinkId, "plink");
typed_id!(/// An event.
    EventId, "evt");
typed_id!(/// One attempt to pay a link.
    PaymentId, "pay");
typed_id!(/// An SMS or e-mail to a payer.
    NotificationId, "ntf");
typed_id!(/// A merchant's webhook endpoint.
    WebhookEndpointId, "we");
typed_id!(/// Money going back to a payer.
    RefundId, "re");
typed_id!(/// A customer of a store.
    CustomerId, "cus");

/// The UUID spelling of a typed id (`plink_01JD…` → `0193…-…`): its 128 ULID bits in the
/// 8-4-4-4-12 hex layout, for APIs that name objects by UUID: our ids can be shown that way and
/// taken back ([`id_from_uuid`]) without a mapping table.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_creation_time() {
        let a = LinkId::generate(1_700_000_000_000, [255; 10]);
        let b = LinkId::generate(1_700_000_000_001, [0; 10]);
        assert!(a < b);
        assert_eq!(a.as_str().len(), "plink_".len() + 26);
    }

    #[test]
    fn parsing_refuses_other_kinds_and_garbage() {
        let id = LinkId::generate(1, [7; 10]);
        assert_eq!(LinkId::parse(id.as_str()), Some(id.clone()));
        assert!(StoreId::parse(id.as_str()).is_none());
        assert!(LinkId::parse("plink_").is_none());
        assert!(LinkId::parse("plink_ILOU0000000000000000000000").is_none());
        assert!(LinkId::parse("../etc/passwd").is_none());
    }

    #[test]
    fn a_ulid_id_and_its_uuid_spelling_convert_both_ways() {
        let id = "plink_01JD3ZK9QW8X7Y6V5T4S3R2Q1P";
        let uuid = uuid_of(id).unwrap();
        assert_eq!(uuid.len(), 36);
        assert_eq!(id_from_uuid("plink", &uuid).as_deref(), Some(id));
        assert_eq!(id_from_uuid("plink", "not-a-uuid"), None);
        assert_eq!(id_from_uuid("plink", "0193a2b4c5d6e7f80912a3b4c5d6e7f8"), None);
    }
}
