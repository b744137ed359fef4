//! Dashboard sessions: what a signed-in browser still has to do before the dashboard opens, and
//! when a session ends — after [`Timeouts::idle_secs`] without a request, or
//! [`Timeouts::absolute_secs`] after sign-in, whichever comes first.

use super::Timestamp;

/// What the holder of a session must do before the dashboard opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Active,
    /// The password was right; a code from the authenticator (or a recovery code) is next.
    SecondFactor,
    /// The password was generated for the user (or reset): a new one is set first.
    ChangePassword,
    /// The store requires a second factor for this role and the user has none: enrol first.
    EnrolSecondFactor,
}

impl Stage {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Active => "active",
            Stage::SecondFactor => "second_factor",
            Stage::ChangePassword => "change_password",
            Stage::EnrolSecondFactor => "enrol_second_factor",
        }
    }

    /// Parses the stored word.
    pub fn parse(s: &str) -> Option<Stage> {
        [Stage::Active, Stage::SecondFactor, Stage::ChangePassword, Stage::EnrolSecondFactor]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// How long a session lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Ends after this long without a request.
    pub idle_secs: i64,
    /// Ends this long after sign-in, however busy.
    pub absolute_secs: i64,
}

impl Timeouts {
    /// When a session seen last at `last_seen` and ending at `expires_at` stops working: the
    /// earlier of its idle end and its absolute end.
    pub fn ends_at(&self, last_seen: Timestamp, expires_at: Timestamp) -> Timestamp {
        let idle_end = last_seen.plus_secs(self.idle_secs);
        if idle_end < expires_at { idle_end } else { expires_at }
    }
}

/// Which stage a user starts in after their password was accepted: a second factor first if
/// they have one, then a password of their own, then (when required for their role) enrolment.
pub fn first_stage(has_second_factor: bool, must_change_password: bool, second_factor_required: bool) -> Stage {
    match (has_second_factor, must_change_password, second_factor_required) {
        (true, _, _) => Stage::SecondFactor,
        (false, true, _) => Stage::ChangePassword,
        (false, false, true) => Stage::EnrolSecondFactor,
        (false, false, false) => Stage::Active,
    }
}

/// The stage after `done` was completed.
pub fn next_stage(done: Stage, must_change_password: bool, second_factor_required_and_missing: bool) -> Stage {
    match done {
        Stage::SecondFactor if must_change_password => Stage::ChangePassword,
        Stage::SecondFactor | Stage::ChangePassword if second_factor_required_and_missing => Stage::EnrolSecondFactor,
        _ => Stage::Active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_at_its_idle_end_or_its_absolute_end_whichever_is_first() {
        let t = Timeouts { idle_secs: 1800, absolute_secs: 43_200 };
        let start = Timestamp::from_micros(0);
        let expires = start.plus_secs(t.absolute_secs);
        assert_eq!(t.ends_at(start, expires), start.plus_secs(1800));
        let late = start.plus_secs(43_000);
        assert_eq!(t.ends_at(late, expires), expires);
    }

    #[test]
    fn the_second_factor_comes_first_then_the_password_then_enrolment() {
        assert_eq!(first_stage(true, true, true), Stage::SecondFactor);
        assert_eq!(first_stage(false, true, true), Stage::ChangePassword);
        assert_eq!(first_stage(false, false, true), Stage::EnrolSecondFactor);
        assert_eq!(first_stage(false, false, false), Stage::Active);
        assert_eq!(next_stage(Stage::SecondFactor, true, false), Stage::ChangePassword);
        assert_eq!(next_stage(Stage::ChangePassword, false, true), Stage::EnrolSecondFactor);
        assert_eq!(next_stage(Stage::EnrolSecondFactor, false, false), Stage::Active);
        for s in [Stage::Active, Stage::SecondFactor, Stage::ChangePassword, Stage::EnrolSecondFactor] {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }
}
