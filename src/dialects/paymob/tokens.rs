//! `POST /paymob/api/auth/tokens`: an API key (`{"api_key": "sk_test_…"}`, JSON or a form) for
//! an auth token valid 60 minutes, with the merchant's profile as Paymob shows it. The profile's
//! integer ids are derived from our ids (stable, never random), the company name is the store's.

use super::body::PaymobBody;
use super::error::{DetailBody, MessageBody, PaymobError};
use super::view::naive_micros;
use crate::service::dialect_tokens::{self, Issued};
use crate::service::{Ctx, ServiceError, secrets};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long a token works: 60 minutes, as Paymob's do.
pub const TOKEN_LIFETIME_SECS: i64 = 60 * 60;

/// The key to exchange.
#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Your Paylink secret key (`sk_test_…` for test mode, `sk_live_…` for live mode).
    #[schema(example = "sk_test_…")]
    pub api_key: String,
}

/// A new auth token.
#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    /// Send it as `Authorization: Bearer <token>` for 60 minutes.
    pub token: String,
    /// The merchant profile behind the key.
    pub profile: ProfileOut,
}

/// The merchant profile (Paymob's, as far as Paylink has its fields; ids are stable numbers
/// derived from Paylink's ids).
#[derive(Serialize, ToSchema)]
pub struct ProfileOut {
    /// The store, as a number.
    #[schema(example = 513720)]
    pub id: i64,
    /// Who the key acts as.
    pub user: UserOut,
    /// When the store was created (naive UTC, microseconds).
    pub created_at: String,
    /// Always true.
    pub active: bool,
    /// Always `Merchant`.
    pub profile_type: &'static str,
    /// Always empty.
    pub phones: Vec<String>,
    /// The key's user's e-mail, if the key is bound to a user.
    pub company_emails: Vec<String>,
    /// The store's name.
    pub company_name: String,
    /// Unknown to Paylink: null.
    pub state: Option<String>,
    /// Unknown to Paylink: null.
    pub country: Option<String>,
    /// Unknown to Paylink: null.
    pub city: Option<String>,
    /// Unknown to Paylink: null.
    pub postal_code: Option<String>,
    /// Unknown to Paylink: null.
    pub street: Option<String>,
    /// Paylink's addition: whether the key is a live (`sk_live_…`) key.
    pub is_live: bool,
    /// Paylink's addition: when the token stops working (naive UTC).
    pub token_expires_at: String,
}

/// The user behind the key (a service key stands for itself).
#[derive(Serialize, ToSchema)]
pub struct UserOut {
    /// The user (or service key), as a number.
    pub id: i64,
    /// The user's e-mail, or the service key's id.
    pub username: String,
    /// First word of the user's name.
    pub first_name: String,
    /// The rest of the user's name.
    pub last_name: String,
    /// When the user (or the store, for a service key) was created.
    pub date_joined: String,
    /// The user's e-mail, or null for a service key.
    pub email: Option<String>,
    /// Always true (a disabled user's key cannot get a token).
    pub is_active: bool,
    /// Always false.
    pub is_staff: bool,
    /// Always false.
    pub is_superuser: bool,
    /// Always null.
    pub last_login: Option<String>,
}

/// Exchanges an API key for an auth token.
#[utoipa::path(post, path = "/api/auth/tokens", tag = "auth", request_body = TokenRequest, security(()),
    responses((status = 201, body = TokenOut),
        (status = 400, body = MessageBody, description = "`api_key` is missing"),
        (status = 401, body = DetailBody, description = "`incorrect credentials`"),
        (status = 413, body = MessageBody, description = "The body is too large"),
        (status = 415, body = MessageBody, description = "Not JSON, urlencoded or multipart"),
        (status = 429, body = DetailBody, description = "The key's per-minute limit (`Retry-After`)")))]
pub async fn create_token(
    State(ctx): State<Ctx>,
    PaymobBody(fields): PaymobBody,
) -> Result<(StatusCode, Json<TokenOut>), PaymobError> {
    let repeated = fields.repeated(&["api_key"]);
    if !repeated.is_empty() {
        return Err(PaymobError::fields(repeated));
    }
    let api_key = fields.text("api_key").ok_or_else(|| PaymobError::field("api_key", "is required"))?;
    let issued = dialect_tokens::issue(&ctx, &api_key, TOKEN_LIFETIME_SECS).await.map_err(|e| match e {
        e @ (ServiceError::KeyRateLimited { .. } | ServiceError::Internal(_)) => PaymobError::from(e),
        _ => PaymobError::unauthenticated(),
    })?;
    let profile = profile(&issued);
    Ok((StatusCode::CREATED, Json(TokenOut { token: issued.token, profile })))
}

/// A stable six-digit number for one of our ids.
fn number_of(id: &str) -> i64 {
    let hex = secrets::digest(id);
    100_000 + i64::from_str_radix(&hex[..8], 16).unwrap_or_default() % 900_000
}

fn profile(i: &Issued) -> ProfileOut {
    let store = &i.store;
    let (user_id, username, email, name, joined) = match &i.user {
        Some(u) => (u.id.as_str(), u.email.clone(), Some(u.email.clone()), u.name.as_str(), u.created_at),
        None => {
            let key = i.actor.key_id.as_ref().map_or("", |k| k.as_str());
            (key, key.to_owned(), None, "", store.created_at)
        }
    };
    let (first, last) = name.split_once(' ').unwrap_or((name, ""));
    ProfileOut {
        id: number_of(store.id.as_str()),
        user: UserOut {
            id: number_of(user_id),
            username,
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            date_joined: naive_micros(joined),
            email: email.clone(),
            is_active: true,
            is_staff: false,
            is_superuser: false,
            last_login: None,
        },
        created_at: naive_micros(store.created_at),
        active: true,
        profile_type: "Merchant",
        phones: Vec::new(),
        company_emails: email.into_iter().collect(),
        company_name: store.name.clone(),
        state: None,
        country: None,
        city: None,
        postal_code: None,
        street: None,
        is_live: i.actor.environment == crate::domain::Environment::Production,
        token_expires_at: naive_micros(i.expires_at),
    }
}
