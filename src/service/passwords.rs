//! Staff changing their own password: at the first sign-in (the password was generated for
//! them; the stage proves they just typed it) or from their profile (the current password is
//! asked again). A new password must pass `domain::password::check`; setting it ends every other
//! session of the user and is audited.

use super::audit::{self, Audit};
use super::sessions::{self, StaffSession};
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::password::{self, Weakness};
use crate::domain::session::{Stage, next_stage};
use crate::domain::{ErrorKind, Rule};
use crate::store::{sessions as session_rows, staff, tenancy};

/// The error naming `new_password` for a weak one.
fn weak(w: Weakness) -> ServiceError {
    let rule = match w {
        Weakness::TooShort => Rule::TooShort,
        Weakness::TooLong => Rule::TooLong,
        Weakness::IsTheEmail | Weakness::Common => Rule::Guessable,
    };
    ServiceError::rule("new_password", ErrorKind::Invalid, rule, w.message())
}

/// Sets the session user's password. `current` is required except at the first sign-in's
/// `ChangePassword` stage. Returns the session's stage afterwards.
pub async fn change_password(ctx: &Ctx, s: &StaffSession, current: Option<&str>, new: &str) -> Result<Stage> {
    let first = s.stage == Stage::ChangePassword;
    if s.stage != Stage::Active && !first {
        return Err(ServiceError::Unauthenticated);
    }
    password::check(new, &s.user.email).map_err(weak)?;
    let (id, now) = (s.user.id.clone(), ctx.clock.now());
    let found = ctx.db.read(move |c| staff::by_id(c, &id)).await?.ok_or(ServiceError::Unauthenticated)?;
    let (current, stored, new_text) = (current.unwrap_or_default().to_owned(), found.password_hash, new.to_owned());
    let (current_ok, hash) = tokio::task::spawn_blocking(move || {
        (first || secrets::verify_password(&current, &stored), secrets::hash_password(&new_text))
    })
    .await
    .map_err(|e| ServiceError::internal_from("password hashing", e))?;
    if !current_ok {
        return Err(not_the_current_password());
    }
    let (session, audit) = (s.clone(), Audit::as_user(&s.user, now));
    ctx.db
        .write(move |c| {
            let user = &session.user;
            staff::set_password(c, &user.id, &hash, false, now)?;
            session_rows::delete_for_user(c, &user.id, Some(&session.digest))?;
            audit::append(c, &audit.user("user.password_change", None, user))?;
            if !first {
                return Ok(Stage::Active);
            }
            let missing = second_factor_missing(c, &session)?;
            let to = next_stage(Stage::ChangePassword, false, missing);
            sessions::advance(c, &session, Stage::ChangePassword, to)?;
            Ok(to)
        })
        .await
}

/// Whether the store requires a second factor of this user's role and they have none.
pub(crate) fn second_factor_missing(c: &mut dyn crate::store::conn::Conn, s: &StaffSession) -> Result<bool> {
    use crate::domain::access::Role;
    let admin = matches!(s.user.role, Role::Owner | Role::Admin);
    Ok(admin && s.user.two_factor_since.is_none() && tenancy::requires_second_factor(c, &s.store.id)?)
}

/// The refusal of a typed "current password" that is not the user's (a field error, 400).
pub(crate) fn not_the_current_password() -> ServiceError {
    ServiceError::rule("current_password", ErrorKind::Invalid, Rule::Mismatch, "is not your current password")
}
