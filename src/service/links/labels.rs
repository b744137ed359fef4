//! The names behind links: the store's, its branches', and their creators'. Dialects whose link
//! objects spell these out (the business name, branch name, creator's e-mail, cashier) read
//! them here in one database read per response.

use super::super::{Ctx, Result, ServiceError};
use crate::domain::access::{Actor, Role};
use crate::domain::id::{KeyId, UserId};
use crate::domain::money::Currency;
use crate::domain::tenancy::{Branch, KeyBinding};
use crate::store::conn::{Conn, DbError};
use crate::store::{keys, tenancy};
use std::collections::HashMap;

/// Who created a link: a staff user, or a service key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Creator {
    /// The user's name, or the key's id.
    pub name: String,
    /// The user's e-mail (none for a key).
    pub email: Option<String>,
    /// The role the creator acts with, when known.
    pub role: Option<Role>,
}

/// The names a page of links refers to.
#[derive(Clone, Debug)]
pub struct Labels {
    /// The actor's store's display name.
    pub store_name: String,
    /// The store's currency.
    pub currency: Currency,
    /// Every branch of the store (disabled ones too: old links keep naming them), by id.
    pub branches: HashMap<String, Branch>,
    /// The creators asked for, by principal (user or key id); unknown principals are absent.
    pub creators: HashMap<String, Creator>,
}

impl Labels {
    /// The branch with this id or code.
    pub fn branch(&self, id_or_code: &str) -> Option<&Branch> {
        self.branches.get(id_or_code).or_else(|| self.branches.values().find(|b| b.code == id_or_code))
    }
}

/// The store's names and those of the given creators (principals), in the actor's store.
pub async fn labels(ctx: &Ctx, actor: &Actor, creators: Vec<String>) -> Result<Labels> {
    let actor = actor.clone();
    ctx.db.read(move |c| read(c, &actor, creators)).await
}

fn read(c: &mut dyn Conn, actor: &Actor, principals: Vec<String>) -> Result<Labels> {
    let store = tenancy::get_store(c, &actor.store_id)?.ok_or(ServiceError::NotFound)?;
    let branches = tenancy::list_branches(c, &actor.store_id)?.into_iter().map(|b| (b.id.to_string(), b)).collect();
    let mut creators = HashMap::new();
    for principal in principals {
        if creators.contains_key(&principal) {
            continue;
        }
        if let Some(found) = creator(c, actor, &principal)? {
            creators.insert(principal, found);
        }
    }
    Ok(Labels { store_name: store.name, currency: store.currency, branches, creators })
}

fn creator(c: &mut dyn Conn, actor: &Actor, principal: &str) -> std::result::Result<Option<Creator>, DbError> {
    if UserId::parse(principal).is_some() {
        let user = tenancy::find_user(c, &actor.merchant_id, principal)?;
        return Ok(user.map(|u| Creator { name: u.name, email: Some(u.email), role: Some(u.role) }));
    }
    let Some(id) = KeyId::parse(principal) else { return Ok(None) };
    let role = keys::get(c, &actor.store_id, &id)?.and_then(|k| match k.binding {
        KeyBinding::Role { role, .. } => Some(role),
        KeyBinding::User(_) => None,
    });
    Ok(Some(Creator { name: principal.to_owned(), email: None, role }))
}
