//! The latest payment attempt of each of some links, for list views whose status depends on it
//! (a dialect's `failed`). One read; the links are ones the caller has just listed in its scope.

use crate::domain::id::LinkId;
use crate::domain::payment::Payment;
use crate::service::{Ctx, Result};
use std::collections::HashMap;

/// The latest attempt (by creation, then id) of each link that has one, by link id.
pub async fn latest_attempts(ctx: &Ctx, links: Vec<LinkId>) -> Result<HashMap<String, Payment>> {
    let found = ctx
        .db
        .read(move |c| {
            let mut latest = HashMap::new();
            for link in &links {
                // Oldest first: the last one is the latest.
                if let Some(p) = crate::store::payments::for_link(c, link)?.pop() {
                    latest.insert(link.as_str().to_owned(), p);
                }
            }
            Ok::<_, crate::store::conn::DbError>(latest)
        })
        .await?;
    Ok(found)
}
