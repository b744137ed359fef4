//! Optional two-factor sign-in with TOTP (RFC 6238: SHA-1, six digits, 30-second steps, one step
//! of drift either way). Enrolling stores a fresh 160-bit secret sealed (`service::seal`) and
//! pending; a correct code turns it on and yields ten single-use recovery codes, shown once and
//! kept as digests. At sign-in a code (never one of a step already used) or a recovery code
//! completes the session's second-factor stage. Codes count against the sign-in throttle, so
//! six digits cannot be guessed. Every change is audited.

use super::audit::{self, Audit};
use super::passwords::second_factor_missing;
use super::sessions::{self, StaffSession};
use super::{Ctx, Result, ServiceError, seal, secrets};
use crate::domain::session::{Stage, next_stage};
use crate::domain::{ErrorKind, Rule, Timestamp};
use crate::store::sign_in_failures::{self, Limit, Scope};
use crate::store::staff;
use totp_rs::{Algorithm, Secret, TOTP};

const PURPOSE: &str = "totp";
const STEP_SECS: u64 = 30;
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;

/// What an authenticator app needs to enrol: the secret (base32, for typing) and the
/// `otpauth://` URL the QR code carries.
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
}

fn totp(secret: Vec<u8>) -> Result<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECS, secret)
        .map_err(|e| ServiceError::internal_from("TOTP secret", e.to_string()))
}

/// Starts (or restarts) enrolment: a new pending secret for the session's user.
pub async fn begin(ctx: &Ctx, s: &StaffSession) -> Result<Enrolment> {
    if s.user.two_factor_since.is_some() {
        return Err(ServiceError::Conflict(super::Conflict::SecondFactorOn, "two-factor sign-in is already on".into()));
    }
    let bytes = secrets::random_bytes::<20>().to_vec();
    let sealed = seal::seal(&ctx.signing_key, PURPOSE, &bytes);
    let id = s.user.id.clone();
    ctx.db.write(move |c| staff::set_totp(c, &id, Some(&sealed), None)).await?;
    Ok(enrolment(s, bytes))
}

/// The pending enrolment again (after a wrong code: the app already holds this secret).
pub async fn pending(ctx: &Ctx, s: &StaffSession) -> Result<Enrolment> {
    Ok(enrolment(s, secret_of(ctx, s).await?))
}

fn enrolment(s: &StaffSession, bytes: Vec<u8>) -> Enrolment {
    let secret_base32 = Secret::Raw(bytes).to_encoded().to_string();
    let label = format!("Paylink:{}", s.user.email);
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("secret", &secret_base32)
        .append_pair("issuer", "Paylink")
        .append_pair("algorithm", "SHA1")
        .append_pair("digits", "6")
        .append_pair("period", "30")
        .finish();
    let label: String = form_urlencoded::byte_serialize(label.as_bytes()).collect();
    Enrolment { otpauth_url: format!("otpauth://totp/{label}?{query}"), secret_base32 }
}

/// The time step a six-digit `code` is valid at for `secret` now (one step of drift either way).
fn matching_step(secret: Vec<u8>, code: &str, now: Timestamp) -> Result<Option<i64>> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret)?;
    let step = now.micros().div_euclid(1_000_000) / STEP_SECS as i64;
    let found = [step - 1, step, step + 1]
        .into_iter()
        .find(|s| *s >= 0 && constant_eq(&t.generate(*s as u64 * STEP_SECS), &code));
    Ok(found)
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The user's (pending or enrolled) secret.
async fn secret_of(ctx: &Ctx, s: &StaffSession) -> Result<Vec<u8>> {
    let id = s.user.id.clone();
    let found = ctx.db.read(move |c| staff::by_id(c, &id)).await?.ok_or(ServiceError::Unauthenticated)?;
    let sealed = found.totp_secret.ok_or_else(|| code_error("start the set-up again"))?;
    seal::open(&ctx.signing_key, PURPOSE, &sealed).ok_or_else(|| ServiceError::internal("a TOTP secret does not open"))
}

fn code_error(message: &str) -> ServiceError {
    ServiceError::rule("code", ErrorKind::Invalid, Rule::Mismatch, message.to_owned())
}

/// Confirms enrolment with a code from the app: two-factor on, and the recovery codes (shown
/// once). At the `EnrolSecondFactor` stage the session moves on.
pub async fn confirm(ctx: &Ctx, s: &StaffSession, code: &str) -> Result<Vec<String>> {
    if s.user.two_factor_since.is_some() {
        return Err(ServiceError::Conflict(super::Conflict::SecondFactorOn, "two-factor sign-in is already on".into()));
    }
    let now = ctx.clock.now();
    let step =
        matching_step(secret_of(ctx, s).await?, code, now)?.ok_or_else(|| code_error("is not the current code"))?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
    let digests: Vec<String> = codes.iter().map(|c| secrets::digest(c)).collect();
    let (session, audit) = (s.clone(), Audit::as_user(&s.user, now));
    ctx.db
        .write(move |c| {
            let id = &session.user.id;
            if !staff::enable_totp(c, id, now)? {
                return Err(ServiceError::Conflict(
                    super::Conflict::SecondFactorOn,
                    "two-factor sign-in is already on".into(),
                ));
            }
            staff::take_totp_step(c, id, step)?;
            staff::replace_recovery_codes(c, id, &digests)?;
            audit::append(c, &audit.user("user.two_factor.enable", None, &session.user))?;
            if session.stage == Stage::EnrolSecondFactor {
                sessions::advance(c, &session, Stage::EnrolSecondFactor, Stage::Active)?;
            }
            Ok::<_, ServiceError>(())
        })
        .await?;
    Ok(codes)
}

/// A recovery code: 10 base62 characters in two groups of five (`Ab3dE-fG7hJ`).
fn recovery_code() -> String {
    let raw = secrets::base62(10);
    format!("{}-{}", &raw[..5], &raw[5..])
}

/// Completes the second-factor stage with a code (or a recovery code). A wrong one counts as a
/// failed sign-in against the user's e-mail; returns the session's next stage.
pub async fn verify(ctx: &Ctx, s: &StaffSession, code: &str) -> Result<Stage> {
    if s.stage != Stage::SecondFactor {
        return Err(ServiceError::Unauthenticated);
    }
    let now = ctx.clock.now();
    let account = s.user.email.to_lowercase();
    let locked_account = account.clone();
    if ctx.db.read(move |c| sign_in_failures::locked(c, Scope::Account, &locked_account, now)).await? {
        return Err(ServiceError::TooManyAttempts);
    }
    let step = matching_step(secret_of(ctx, s).await?, code, now)?;
    let recovery = secrets::digest(code.trim());
    let (session, audit, limit) = (s.clone(), Audit::as_user(&s.user, now), failure_limit(ctx));
    let outcome = ctx
        .db
        .write(move |c| {
            let id = &session.user.id;
            let accepted = match step {
                Some(step) => staff::take_totp_step(c, id, step)?,
                None => staff::use_recovery_code(c, id, &recovery, now)?,
            };
            if !accepted {
                sign_in_failures::record(c, Scope::Account, &account, limit, now)?;
                audit::append(c, &audit.user("user.sign_in.failed", None, &session.user))?;
                return Ok(None);
            }
            let action = if step.is_some() { "user.sign_in.second_factor" } else { "user.sign_in.recovery_code" };
            audit::append(c, &audit.user(action, None, &session.user))?;
            let to =
                next_stage(Stage::SecondFactor, session.user.must_change_password, second_factor_missing(c, &session)?);
            sessions::advance(c, &session, Stage::SecondFactor, to)?;
            Ok::<_, ServiceError>(Some(to))
        })
        .await?;
    outcome.ok_or_else(|| code_error("is not a valid code"))
}

fn failure_limit(ctx: &Ctx) -> Limit {
    let d = &ctx.config.dashboard;
    Limit { failures: d.account_failures, window_secs: d.failure_window_secs, lockout_secs: d.lockout_secs }
}

/// Turns two-factor off after the current password is checked; refused (403) when the store
/// requires it for the user's role.
pub async fn disable(ctx: &Ctx, s: &StaffSession, password: &str) -> Result<()> {
    let (id, now) = (s.user.id.clone(), ctx.clock.now());
    let found = ctx.db.read(move |c| staff::by_id(c, &id)).await?.ok_or(ServiceError::Unauthenticated)?;
    let (typed, stored) = (password.to_owned(), found.password_hash);
    let ok = tokio::task::spawn_blocking(move || secrets::verify_password(&typed, &stored))
        .await
        .map_err(|e| ServiceError::internal_from("password check", e))?;
    if !ok {
        return Err(super::passwords::not_the_current_password());
    }
    let (session, audit) = (s.clone(), Audit::as_user(&s.user, now));
    ctx.db
        .write(move |c| {
            let mut without = session.clone();
            without.user.two_factor_since = None;
            if second_factor_missing(c, &without)? {
                return Err(ServiceError::Forbidden("this store requires two-factor sign-in for your role"));
            }
            staff::set_totp(c, &session.user.id, None, None)?;
            staff::replace_recovery_codes(c, &session.user.id, &[])?;
            audit::append(c, &audit.user("user.two_factor.disable", None, &session.user))?;
            Ok(())
        })
        .await
}
