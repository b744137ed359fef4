//! Store logos: OWNER and ADMIN set or remove them; the hosted pages show them. Only PNG, JPEG
//! and WebP up to 32 KiB are accepted, and the bytes must be what the content type says.

use super::admin::require_admin;
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::ErrorKind;
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::store::logos::{self, Logo};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The largest logo accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 32 * 1024;

/// The path a store's logo is served at (versioned by its digest), if it has one.
pub fn logo_path(store: &StoreId, digest: Option<String>) -> Option<String> {
    digest.map(|d| format!("/assets/logos/{store}?v={}", &d[..16.min(d.len())]))
}

/// Sets the actor's store's logo from base64 data; returns its path.
pub async fn set_logo(ctx: &Ctx, actor: &Actor, content_type: &str, data: &str) -> Result<String> {
    require_admin(actor)?;
    let bytes =
        STANDARD.decode(data.trim()).map_err(|_| ServiceError::field("data", ErrorKind::Invalid, "is not base64"))?;
    if bytes.is_empty() || bytes.len() > MAX_LOGO_BYTES {
        return Err(ServiceError::field("data", ErrorKind::Invalid, "must be 1 byte to 32 KiB"));
    }
    if !matches_type(content_type, &bytes) {
        return Err(ServiceError::field(
            "content_type",
            ErrorKind::Invalid,
            "must be image/png, image/jpeg or image/webp, matching the data",
        ));
    }
    let digest = secrets::digest_bytes(&bytes);
    let logo = Logo { content_type: content_type.to_owned(), data_base64: STANDARD.encode(&bytes), digest };
    let (store, now, path) =
        (actor.store_id.clone(), ctx.clock.now(), logo_path(&actor.store_id, Some(logo.digest.clone())));
    let audit = super::audit::Audit::by(actor, now);
    ctx.db
        .write(move |c| {
            logos::put(c, &store, &logo, now)?;
            // The logo is what payers see: who changed it is recorded (its digest, not its bytes).
            let target = super::audit::Target {
                object_type: "store",
                object_id: store.as_str(),
                store_id: Some(&store),
                environment: None,
            };
            let after = super::audit::snapshot(&serde_json::json!({ "logo_digest": logo.digest }));
            super::audit::append(c, &audit.entry(target, "store.logo.update", None, Some(after)))?;
            Ok::<_, ServiceError>(())
        })
        .await?;
    Ok(path.unwrap_or_default())
}

/// Removes the actor's store's logo (404 when it has none).
pub async fn remove_logo(ctx: &Ctx, actor: &Actor) -> Result<()> {
    require_admin(actor)?;
    let store = actor.store_id.clone();
    if ctx.db.write(move |c| logos::delete(c, &store)).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// A store's logo: (content type, bytes, digest).
pub async fn logo(ctx: &Ctx, store: &str) -> Result<(String, Vec<u8>, String)> {
    let store = StoreId::parse(store).ok_or(ServiceError::NotFound)?;
    let logo = ctx.db.read(move |c| logos::get(c, &store)).await?.ok_or(ServiceError::NotFound)?;
    let bytes = STANDARD
        .decode(&logo.data_base64)
        .map_err(|e| ServiceError::internal_from("a stored logo is not base64", e))?;
    Ok((logo.content_type, bytes, logo.digest))
}

/// Whether the bytes start with the signature of the content type.
fn matches_type(content_type: &str, b: &[u8]) -> bool {
    match content_type {
        "image/png" => b.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => b.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/webp" => b.len() > 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP",
        _ => false,
    }
}
