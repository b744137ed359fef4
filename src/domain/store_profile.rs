//! A store's profile: its name, the language of links made without one, the time zone its days
//! are counted in, the support contact payers are shown, and notification caps below the
//! instance's. The currency is fixed at creation (amounts already stored are in it).

use super::link::Language;
use super::money::Currency;
use super::text::{has_forbidden_control, parse_email, parse_phone};
use super::zone::Zone;
use super::{ErrorKind, FieldError, Rule};

/// The longest store name.
pub const NAME_MAX: usize = 100;

/// A store's profile as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreProfile {
    pub name: String,
    pub currency: Currency,
    pub default_language: Language,
    /// An IANA name `Zone::parse` accepts.
    pub time_zone: String,
    pub support_phone: Option<String>,
    pub support_email: Option<String>,
    /// Messages per link per hour, below the instance's cap (`None`: the instance's).
    pub notify_per_link_per_hour: Option<i64>,
    /// Messages per store per hour, below the instance's cap (`None`: the instance's).
    pub notify_per_store_per_hour: Option<i64>,
}

/// A change: each `Some` replaces a value; for the optional ones `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub default_language: Option<String>,
    pub time_zone: Option<String>,
    pub support_phone: Option<Option<String>>,
    pub support_email: Option<Option<String>>,
    pub notify_per_link_per_hour: Option<Option<i64>>,
    pub notify_per_store_per_hour: Option<Option<i64>>,
}

/// The instance's notification caps, the most a store may set.
#[derive(Clone, Copy, Debug)]
pub struct CapCeilings {
    pub per_link_per_hour: i64,
    pub per_store_per_hour: i64,
}

impl ProfileChange {
    /// `profile` with this change made, or every field that is wrong.
    pub fn apply(self, mut p: StoreProfile, ceilings: CapCeilings) -> Result<StoreProfile, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(name) = self.name {
            p.name = name.trim().to_owned();
            check_name(&p.name, &mut errors);
        }
        if let Some(lang) = self.default_language {
            match Language::parse(&lang) {
                Some(l) => p.default_language = l,
                None => errors.push(refusal("default_language", Rule::UnknownValue, "must be \"ar\" or \"en\"")),
            }
        }
        if let Some(zone) = self.time_zone {
            match Zone::parse(zone.trim()) {
                Some(z) => p.time_zone = z.name().to_owned(),
                None => errors.push(refusal(
                    "time_zone",
                    Rule::UnknownValue,
                    "must be an IANA time zone such as Asia/Riyadh",
                )),
            }
        }
        if let Some(phone) = self.support_phone {
            p.support_phone = contact(phone, "support_phone", parse_phone, Rule::NotAPhone, &mut errors);
        }
        if let Some(email) = self.support_email {
            p.support_email = contact(email, "support_email", parse_email, Rule::NotAnEmail, &mut errors);
        }
        if let Some(cap) = self.notify_per_link_per_hour {
            p.notify_per_link_per_hour =
                cap_within(cap, "notify_per_link_per_hour", ceilings.per_link_per_hour, &mut errors);
        }
        if let Some(cap) = self.notify_per_store_per_hour {
            p.notify_per_store_per_hour =
                cap_within(cap, "notify_per_store_per_hour", ceilings.per_store_per_hour, &mut errors);
        }
        if errors.is_empty() { Ok(p) } else { Err(errors) }
    }
}

fn refusal(field: &str, rule: Rule, message: &str) -> FieldError {
    let kind = match rule {
        Rule::NotAPhone => ErrorKind::Phone,
        Rule::NotAnEmail => ErrorKind::Email,
        Rule::ControlCharacter => ErrorKind::ControlCharacter,
        _ => ErrorKind::Invalid,
    };
    FieldError::new(field, kind, message).with_rule(rule)
}

fn check_name(name: &str, errors: &mut Vec<FieldError>) {
    if name.is_empty() {
        errors.push(refusal("name", Rule::Required, "must not be empty"));
    } else if name.chars().count() > NAME_MAX {
        errors.push(refusal("name", Rule::TooLong, &format!("must be at most {NAME_MAX} characters")));
    } else if has_forbidden_control(name) || name.contains(['\n', '\r', '\t']) {
        errors.push(refusal("name", Rule::ControlCharacter, "must not contain control characters"));
    }
}

/// A phone or e-mail: blank clears it, otherwise it must parse.
fn contact(
    value: Option<String>,
    field: &str,
    parse: fn(&str) -> Option<String>,
    rule: Rule,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())?;
    let parsed = parse(&value);
    if parsed.is_none() {
        let message =
            if rule == Rule::NotAPhone { "must be an E.164 phone number" } else { "must be an e-mail address" };
        errors.push(refusal(field, rule, message));
    }
    parsed
}

fn cap_within(cap: Option<i64>, field: &str, ceiling: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    let cap = cap?;
    if !(1..=ceiling).contains(&cap) {
        errors.push(refusal(field, Rule::OutOfRange, &format!("must be between 1 and {ceiling} (this server's cap)")));
    }
    Some(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> StoreProfile {
        StoreProfile {
            name: "Shop".into(),
            currency: Currency::parse("SAR").unwrap(),
            default_language: Language::Ar,
            time_zone: "Asia/Riyadh".into(),
            support_phone: None,
            support_email: None,
            notify_per_link_per_hour: None,
            notify_per_store_per_hour: None,
        }
    }

    const CEILINGS: CapCeilings = CapCeilings { per_link_per_hour: 5, per_store_per_hour: 1000 };

    #[test]
    fn a_change_names_every_wrong_field() {
        let change = ProfileChange {
            name: Some(" ".into()),
            default_language: Some("fr".into()),
            time_zone: Some("Mars/Olympus".into()),
            support_phone: Some(Some("12".into())),
            support_email: Some(Some("nobody".into())),
            notify_per_link_per_hour: Some(Some(6)),
            notify_per_store_per_hour: Some(Some(0)),
        };
        let errors = change.apply(profile(), CEILINGS).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "default_language",
                "time_zone",
                "support_phone",
                "support_email",
                "notify_per_link_per_hour",
                "notify_per_store_per_hour"
            ]
        );
    }

    #[test]
    fn blank_contacts_clear_them_and_good_values_are_kept() {
        let mut p = profile();
        p.support_email = Some("help@shop.example".into());
        let change = ProfileChange {
            support_email: Some(Some("  ".into())),
            support_phone: Some(Some("+966500000001".into())),
            time_zone: Some("Europe/Berlin".into()),
            notify_per_link_per_hour: Some(Some(5)),
            ..ProfileChange::default()
        };
        let p = change.apply(p, CEILINGS).unwrap();
        assert_eq!((p.support_email, p.support_phone.as_deref()), (None, Some("+966500000001")));
        assert_eq!((p.time_zone.as_str(), p.notify_per_link_per_hour), ("Europe/Berlin", Some(5)));
    }
}
