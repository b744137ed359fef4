//! What a staff password must be: at least [`MIN_LENGTH`] characters, at most [`MAX_LENGTH`], not
//! the user's e-mail, and not one of the 10,000 most common passwords (shipped in the binary,
//! `data/common-passwords.txt`, compared case-insensitively). Long passphrases are welcome; no
//! composition rules (they push people to `Password1!`), as NIST SP 800-63B advises.

use std::sync::OnceLock;

/// Fewest characters a password may have.
pub const MIN_LENGTH: usize = 10;
/// Most characters a password may have (argon2 takes any length; this bounds the work).
pub const MAX_LENGTH: usize = 200;

/// Why a password is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weakness {
    TooShort,
    TooLong,
    IsTheEmail,
    Common,
}

impl Weakness {
    /// A sentence for the person choosing it (the pages translate by the variant).
    pub fn message(self) -> &'static str {
        match self {
            Weakness::TooShort => "must be at least 10 characters",
            Weakness::TooLong => "must be at most 200 characters",
            Weakness::IsTheEmail => "must not be your e-mail address",
            Weakness::Common => "is one of the most common passwords; choose another",
        }
    }
}

/// The common passwords, sorted for binary search (built once).
fn common() -> &'static [&'static str] {
    static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        let text = include_str!("../../data/common-passwords.txt");
        let mut list: Vec<&str> = text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        list.sort_unstable();
        list
    })
}

/// Whether `password` is one of the 10,000 most common passwords (any letter case).
pub fn is_common(password: &str) -> bool {
    common().binary_search(&password.to_lowercase().as_str()).is_ok()
}

/// Checks a new password for the user with `email`.
pub fn check(password: &str, email: &str) -> Result<(), Weakness> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Weakness::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(Weakness::TooLong);
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(Weakness::IsTheEmail);
    }
    if is_common(password) {
        return Err(Weakness::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_ten_thousand_passwords() {
        assert_eq!(common().len(), 10_000);
        assert!(is_common("password") && is_common("PASSWORD") && is_common("qwertyuiop"));
        assert!(!is_common("correct horse battery staple"));
    }

    #[test]
    fn short_common_or_email_passwords_are_refused() {
        assert_eq!(check("short", "a@b.sa"), Err(Weakness::TooShort));
        assert_eq!(check("1234567890", "a@b.sa"), Err(Weakness::Common));
        assert_eq!(check("Owner@Acme.sa", "owner@acme.sa"), Err(Weakness::IsTheEmail));
        assert_eq!(check(&"x".repeat(201), "a@b.sa"), Err(Weakness::TooLong));
        assert_eq!(check("a quiet river at dawn", "a@b.sa"), Ok(()));
    }
}
