//! BirrLink's words: our field names as BirrLink spells them, and a field's problem as the
//! sentence BirrLink writes (`Amount must be greater than 0`), chosen by the rule broken.

use crate::domain::Rule;

/// `problem` as a sentence about `field`: kept when it is one already (starts with a capital).
pub fn sentence(field: &str, problem: &str) -> String {
    if problem.chars().next().is_some_and(char::is_uppercase) {
        return problem.to_owned();
    }
    let name = match field {
        "body" => "request body".to_owned(),
        _ => field
            .split(['.', '_'])
            .filter(|w| !w.is_empty())
            .map(|w| if w == "url" || w == "id" { w.to_uppercase() } else { w.to_owned() })
            .collect::<Vec<_>>()
            .join(" "),
    };
    let text = format!("{name} {problem}");
    let text = text.trim();
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A field error's problem in BirrLink's words where they differ from ours (seed 003's
/// `Amount must be greater than 0`), chosen by the rule broken.
pub fn problem(rule: Rule, message: &str) -> String {
    match rule {
        Rule::NotPositive => "must be greater than 0".to_owned(),
        _ => message.to_owned(),
    }
}

/// Our field names as BirrLink spells them: a link's `title` is the payment's `description`,
/// its customer's first and last name are `customer.name`, its methods `payment_method`.
pub fn birrlink_field(field: &str) -> &str {
    match field {
        "title" => "description",
        "customer.first_name" | "customer.last_name" => "customer.name",
        "payment_methods" | "methods" | "method" => "payment_method",
        other => other,
    }
}

/// Per-field messages under BirrLink's names, the first message of each name kept.
pub fn renamed(fields: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (field, message) in fields {
        let field = birrlink_field(&field).to_owned();
        if !out.iter().any(|(f, _)| *f == field) {
            out.push((field, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_become_sentences_naming_the_field() {
        assert_eq!(
            sentence("amount", &problem(Rule::NotPositive, "must be greater than zero")),
            "Amount must be greater than 0"
        );
        assert_eq!(sentence("customer.phone", "is not a phone number"), "Customer phone is not a phone number");
        assert_eq!(sentence("callback_url", "must be https"), "Callback URL must be https");
        assert_eq!(sentence("amount", "Amount must be greater than 0"), "Amount must be greater than 0");
    }
}
