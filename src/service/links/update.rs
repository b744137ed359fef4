//! Changing an open link: its title, description, expiry or metadata, checked like a new link's,
//! written with a guarded update and its `payment_link.updated` event in one transaction.

use super::{load_manageable, not_open, write_event};
use crate::domain::access::Actor;
use crate::domain::event::EventType;
use crate::domain::id::LinkId;
use crate::domain::link::{self, Link};
use crate::domain::{ErrorKind, FieldError, Timestamp};
use crate::service::{Ctx, Result, ServiceError};
use crate::store::links;

/// The fields of a link that may change while it is open.
#[derive(Default)]
pub struct LinkPatch {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    /// RFC 3339 text, or `Some(None)` to remove the expiry.
    pub expires_at: Option<Option<String>>,
    pub metadata: Option<serde_json::Value>,
}

fn check_patch(p: LinkPatch, now: Timestamp) -> Result<links::Changes> {
    let mut errors: Vec<FieldError> = Vec::new();
    let title = p.title.map(|t| t.trim().to_owned());
    if title.as_deref().is_some_and(|t| t.is_empty() || t.chars().count() > 200) {
        errors.push(FieldError::new("title", ErrorKind::Invalid, "must be 1 to 200 characters"));
    }
    if p.description.as_ref().is_some_and(|d| d.as_deref().is_some_and(|d| d.chars().count() > 500)) {
        errors.push(FieldError::new("description", ErrorKind::Invalid, "must be at most 500 characters"));
    }
    let expires_at = match p.expires_at {
        Some(Some(text)) => {
            link::check_expiry_text(&text, now, "expires_at").map(|t| Some(Some(t))).unwrap_or_else(|e| {
                errors.push(e);
                None
            })
        }
        Some(None) => Some(None),
        None => None,
    };
    let metadata = p.metadata.map(|m| link::check_metadata_value(Some(m))).transpose().unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(links::Changes { title, description: p.description, expires_at, metadata })
}

/// Updates title, description, expiry or metadata of an open link.
pub async fn update_link(ctx: &Ctx, actor: &Actor, id: &str, patch: LinkPatch) -> Result<Link> {
    let id = LinkId::parse(id).ok_or(ServiceError::NotFound)?;
    let (actor, now, base) = (actor.clone(), ctx.clock.now(), ctx.config.public_base().to_owned());
    ctx.db
        .write(move |c| {
            let link = load_manageable(c, &actor, &id, now)?;
            let changes = check_patch(patch, now)?;
            let updated = links::update(c, &link, &changes, now)?.ok_or_else(|| not_open(&link, now))?;
            write_event(c, &updated, EventType::LinkUpdated, now, &base)?;
            Ok(updated)
        })
        .await
}
