//! The audit log pages (OWNER, ADMIN, ACCOUNTING — the API's rule, `service::audit::log`): the
//! list with the API's filters in keyset pages, one entry with its before and after, the chain
//! check of `paylink audit verify`, and the CSV export of what the filters select.

mod entry;
mod export;
mod list;
pub mod texts;
mod verify;

use crate::domain::access::Role;
use crate::domain::link::Language;
use crate::service::Ctx;
use crate::service::audit::log::AuditListInput;
use crate::service::links::labels::Labels;
use crate::store::audit::StoredAudit;
use crate::web::dashboard::texts::Texts;
use axum::Router;
use axum::routing::{get, post};

/// The audit pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/audit", get(list::show))
        .route("/dashboard/audit.csv", get(export::download))
        .route("/dashboard/audit/verify", post(verify::submit))
        .route("/dashboard/audit/{id}", get(entry::show))
}

/// The list's query string: the API's filters (empty fields mean no filter) and the cursor.
#[derive(serde::Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object_id: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub created_from: String,
    #[serde(default)]
    pub created_to: String,
    #[serde(default)]
    pub starting_after: String,
    /// Entries per page (1–100, the API's bounds; 50 when empty).
    #[serde(default)]
    pub limit: String,
    /// The cursors of the pages before this one, oldest first (`0`: the first page), so that
    /// "previous" is a keyset page too.
    #[serde(default)]
    pub back: String,
}

/// Pages "previous" can go back through; older ones lead to the first page.
const TRAIL: usize = 20;

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl Filters {
    /// The service's input for these filters, from `starting_after` (`None`: the first page).
    pub fn input(&self, starting_after: Option<String>, limit: Option<i64>) -> AuditListInput {
        AuditListInput {
            action: some(&self.action),
            object_id: some(&self.object_id),
            actor: some(&self.actor),
            created_from: some(&self.created_from),
            created_to: some(&self.created_to),
            limit,
            starting_after,
        }
    }

    /// The page size asked for (a non-number is left to the service to refuse).
    pub fn limit(&self) -> i64 {
        match self.limit.trim() {
            "" => 50,
            n => n.parse().unwrap_or(0),
        }
    }

    /// The list's address for the page after `last` (the last id shown).
    pub fn next_href(&self, last: &str) -> String {
        let mut trail = self.trail();
        trail.push(if self.starting_after.trim().is_empty() { "0" } else { self.starting_after.trim() });
        let from = trail.len().saturating_sub(TRAIL);
        self.href("/dashboard/audit", Some(last), &trail[from..].join(","))
    }

    /// The list's address for the page before this one (`None` on the first page).
    pub fn previous_href(&self) -> Option<String> {
        if self.starting_after.trim().is_empty() {
            return None;
        }
        let mut trail = self.trail();
        let after = trail.pop().filter(|c| *c != "0");
        Some(self.href("/dashboard/audit", after, &trail.join(",")))
    }

    /// Whether "previous" leads to a page other than the first (then "first page" is offered too).
    pub fn deep(&self) -> bool {
        self.trail().iter().any(|c| *c != "0")
    }

    fn trail(&self) -> Vec<&str> {
        self.back.split(',').map(str::trim).filter(|c| !c.is_empty()).collect()
    }

    /// `path` with these filters (the empty ones left out), `after` as the cursor and `back` as
    /// the trail of earlier pages.
    pub fn href(&self, path: &str, after: Option<&str>, back: &str) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("action", self.action.as_str()),
            ("object_id", &self.object_id),
            ("actor", &self.actor),
            ("created_from", &self.created_from),
            ("created_to", &self.created_to),
            ("limit", &self.limit),
            ("starting_after", after.unwrap_or_default()),
            ("back", back),
        ];
        for (k, v) in pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()) {
            q.append_pair(k, v.trim());
        }
        let q = q.finish();
        if q.is_empty() { path.to_owned() } else { format!("{path}?{q}") }
    }
}

/// One entry as the pages show it.
pub struct Row {
    pub id: String,
    pub date: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    /// The dashboard page of the object, when it has one.
    pub object_href: Option<String>,
    pub request_id: String,
}

/// `e` as a row: the actor by name when known, the role in the user's language.
pub fn row(e: &StoredAudit, names: &Labels, t: &Texts, lang: Language, zone: &crate::domain::zone::Zone) -> Row {
    let e = &e.entry;
    let a = &e.actor;
    let actor = match names.creators.get(&a.id) {
        Some(c) => c.name.clone(),
        None if a.id == "cli" => texts::AuditTexts::of(lang).operator.to_owned(),
        None => a.id.clone(),
    };
    let role = a.role.as_deref().map(|r| Role::parse(r).map_or_else(|| r.to_owned(), |r| t.role(r).to_owned()));
    Row {
        id: e.id.as_str().to_owned(),
        date: crate::domain::format::format_datetime_in(e.created_at, lang, zone),
        actor,
        role: role.unwrap_or_default(),
        action: e.action.clone(),
        object_type: e.object_type.clone(),
        object_id: e.object_id.clone(),
        object_href: object_href(&e.object_type, &e.object_id),
        request_id: e.request_id.clone().unwrap_or_default(),
    }
}

/// The dashboard page of a link, refund or customer.
fn object_href(object_type: &str, id: &str) -> Option<String> {
    let family = match object_type {
        "payment_link" => "links",
        "refund" => "refunds",
        "customer" => "customers",
        _ => return None,
    };
    Some(format!("/dashboard/{family}/{}", form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()))
}
