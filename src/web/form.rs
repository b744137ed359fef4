//! The payment form as posted, and its conversion into the service's `PayRequest`. The card
//! fields live only in this value for the length of one request: there is no `Debug`, nothing
//! logs them, and a page re-rendered after an error never fills them back in.

use super::i18n::Texts;
use crate::domain::link::Language;
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::text::has_forbidden_control;
use crate::domain::{ErrorKind, FieldError, Rule};
use crate::service::pay::{Address, InstrumentForm, PayRequest, PayerForm};

/// `POST /pay/{link_id}` (application/x-www-form-urlencoded). Missing fields read as empty.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PayForm {
    pub csrf: String,
    pub lang: String,
    pub method_id: String,
    pub card_number: String,
    pub card_expiry: String,
    pub card_cvv: String,
    pub mobile_phone: String,
    pub installments: String,
    pub installments_phone: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub address_city: String,
    pub address_region: String,
    pub address_postal_code: String,
    pub address_country: String,
}

/// A form with only its token and language (cancel buttons) or a one-time code.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActionForm {
    pub csrf: String,
    pub lang: String,
    pub otp: String,
}

/// What every page form carries: its CSRF token and the language it was shown in.
pub trait PageForm {
    fn csrf(&self) -> &str;
    fn lang(&self) -> &str;
}

impl PageForm for PayForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
    fn lang(&self) -> &str {
        &self.lang
    }
}

impl PageForm for ActionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
    fn lang(&self) -> &str {
        &self.lang
    }
}

/// The fields among `texts` (input name, value) holding a control character
/// (`domain::text::is_forbidden_control`): each is a field error the page shows like any other,
/// before anything reaches the service or the database.
fn control_errors(texts: &[(&str, &str)]) -> Vec<FieldError> {
    let refused = texts.iter().filter(|(_, value)| has_forbidden_control(value));
    refused.map(|(name, _)| FieldError::control_character(name)).collect()
}

impl ActionForm {
    /// The one-time code typed, refused when it holds a control character.
    pub fn otp(&self) -> Result<&str, Vec<FieldError>> {
        let refused = control_errors(&[("otp", &self.otp)]);
        if refused.is_empty() { Ok(&self.otp) } else { Err(refused) }
    }
}

/// The language a form was shown in.
pub fn form_lang(lang: &str) -> Option<Language> {
    Language::parse(lang)
}

impl PayForm {
    /// The method the payer chose, if it parses.
    pub fn method(&self) -> Option<i64> {
        self.method_id.trim().parse().ok()
    }

    /// The request for the service, given the link's methods and the client's address.
    pub fn request(
        &self,
        methods: &[PaymentMethod],
        client: Option<std::net::IpAddr>,
    ) -> Result<PayRequest, Vec<FieldError>> {
        let refused = control_errors(&self.texts());
        if !refused.is_empty() {
            return Err(refused);
        }
        let invalid = |field: &str| vec![FieldError::new(field, ErrorKind::Invalid, "is invalid")];
        let method =
            self.method().and_then(|id| methods.iter().find(|m| m.id == id)).ok_or_else(|| invalid("method_id"))?;
        let instrument = match method.kind {
            MethodKind::Card => InstrumentForm::Card {
                number: self.card_number.clone(),
                expiry: self.card_expiry.clone(),
                cvv: self.card_cvv.trim().to_owned(),
            },
            MethodKind::MobileMoney => InstrumentForm::MobileMoney { phone: self.mobile_phone.clone() },
            MethodKind::Installments => InstrumentForm::Installments {
                months: self.installments.trim().parse().map_err(|_| invalid("installments"))?,
                phone: self.installments_phone.clone(),
            },
            MethodKind::Cash => return Err(invalid("method_id")),
        };
        let mut payer = self.payer();
        // The mobile-money and installment forms ask for one phone number: it is the payer's too.
        if let (None, InstrumentForm::MobileMoney { phone } | InstrumentForm::Installments { phone, .. }) =
            (&payer.phone, &instrument)
        {
            payer.phone = Some(phone.trim().to_owned()).filter(|p| !p.is_empty());
        }
        Ok(PayRequest { method_id: method.id, instrument, payer, client })
    }

    /// Every text input of the form with its name (the CSRF token and the language are checked
    /// on their own).
    fn texts(&self) -> [(&'static str, &str); 16] {
        [
            ("method_id", &self.method_id),
            ("card_number", &self.card_number),
            ("card_expiry", &self.card_expiry),
            ("card_cvv", &self.card_cvv),
            ("mobile_phone", &self.mobile_phone),
            ("installments", &self.installments),
            ("installments_phone", &self.installments_phone),
            ("name", &self.name),
            ("email", &self.email),
            ("phone", &self.phone),
            ("address_line1", &self.address_line1),
            ("address_line2", &self.address_line2),
            ("address_city", &self.address_city),
            ("address_region", &self.address_region),
            ("address_postal_code", &self.address_postal_code),
            ("address_country", &self.address_country),
        ]
    }

    fn payer(&self) -> PayerForm {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let address = Address {
            line1: self.address_line1.trim().to_owned(),
            line2: opt(&self.address_line2),
            city: self.address_city.trim().to_owned(),
            region: opt(&self.address_region),
            postal_code: opt(&self.address_postal_code),
            country: self.address_country.trim().to_owned(),
        };
        PayerForm { name: opt(&self.name), email: opt(&self.email), phone: opt(&self.phone), address: Some(address) }
    }
}

/// Field errors as the page shows them: by input name, one sentence each in the page's language.
#[derive(Default)]
pub struct Errors(Vec<(String, &'static str)>);

impl Errors {
    /// The service's field errors in `t`'s language.
    pub fn from_fields(t: &'static Texts, errors: &[FieldError]) -> Errors {
        Errors(errors.iter().map(|e| (e.field.clone(), message(t, e))).collect())
    }

    /// The message for input `name`.
    pub fn get(&self, name: &str) -> Option<&'static str> {
        self.0.iter().find(|(field, _)| field == name).map(|(_, msg)| *msg)
    }

    /// Whether any field is in error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The payer's sentence for a field error; the service's own text is for developers.
fn message(t: &'static Texts, e: &FieldError) -> &'static str {
    match e.field.as_str() {
        "card_number" => t.e_card_number,
        "card_expiry" => t.e_card_expiry,
        "card_cvv" => t.e_card_cvv,
        "mobile_phone" | "installments_phone" | "phone" => t.e_phone,
        "email" => t.e_email,
        "otp" => t.e_otp,
        "method_id" => t.e_method,
        "installments" => t.e_plan,
        f if f.starts_with("address_") && e.rule == Rule::Required => t.e_required,
        _ => t.e_invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Environment;
    use crate::domain::Timestamp;
    use crate::domain::id::StoreId;

    fn method(id: i64, kind: MethodKind) -> PaymentMethod {
        let at = Timestamp::from_micros(0);
        let store = StoreId::from_trusted("st_x".into());
        let (name, connector) = ("m".to_owned(), "sandbox".to_owned());
        PaymentMethod {
            id,
            store_id: store,
            environment: Environment::Sandbox,
            kind,
            name,
            connector,
            enabled: true,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_chosen_method_decides_which_fields_form_the_instrument() {
        let methods = [method(1, MethodKind::Card), method(2, MethodKind::Installments)];
        let form = PayForm {
            method_id: "2".into(),
            installments: "6".into(),
            installments_phone: "+966500000001".into(),
            ..Default::default()
        };
        let req = form.request(&methods, None).unwrap();
        assert!(matches!(req.instrument, InstrumentForm::Installments { months: 6, .. }));
        assert_eq!(req.payer.phone.as_deref(), Some("+966500000001"), "the plan's phone is the payer's");
        let form = PayForm { method_id: "9".into(), ..Default::default() };
        assert_eq!(form.request(&methods, None).unwrap_err()[0].field, "method_id");
        let form = PayForm { method_id: "2".into(), ..Default::default() };
        assert_eq!(form.request(&methods, None).unwrap_err()[0].field, "installments");
    }

    #[test]
    fn a_control_character_in_any_input_is_a_field_error_before_anything_else() {
        let methods = [method(1, MethodKind::Card)];
        let form = PayForm { method_id: "1".into(), name: "Ann\u{0}".into(), ..Default::default() };
        let errors = form.request(&methods, None).unwrap_err();
        assert_eq!((errors.len(), errors[0].field.as_str(), errors[0].rule), (1, "name", Rule::ControlCharacter));
        let form = ActionForm { otp: "12\u{1f}".into(), ..Default::default() };
        assert_eq!(form.otp().unwrap_err()[0].field, "otp");
    }

    #[test]
    fn field_errors_become_the_payers_sentences() {
        let t = &super::super::i18n::EN;
        let errors = Errors::from_fields(t, &[FieldError::new("card_cvv", ErrorKind::Invalid, "must be 3 digits")]);
        assert_eq!(errors.get("card_cvv"), Some(t.e_card_cvv));
        assert_eq!(errors.get("card_number"), None);
    }
}
