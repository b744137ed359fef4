//! An event as the API (and, later, webhooks) show it.

use crate::domain::event::Event;
use serde::Serialize;
use utoipa::ToSchema;

/// A state change, with a snapshot of the object after it.
#[derive(Serialize, ToSchema)]
pub struct EventOut {
    /// Event id (`evt_…`), stable across deliveries.
    pub id: String,
    /// Always `event`.
    pub object: &'static str,
    /// `payment_link.created`, `payment.succeeded`, `payment_link.paid`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Per-store, per-environment sequence number (gap-free; null for a moment after the change
    /// commits, until the numbering worker has run).
    pub sequence: Option<i64>,
    /// Id of the object the event is about.
    pub object_id: String,
    /// `{"object": …}`: the object as `GET` returned it right after the change.
    #[schema(value_type = Object)]
    pub data: Box<serde_json::value::RawValue>,
    /// When the change happened (RFC 3339).
    pub created_at: String,
    /// Its deliveries to webhook endpoints and the link's callback, with every attempt (only in
    /// `GET /v1/events/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<Vec<super::webhook::DeliveryOut>>,
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        let data = serde_json::value::RawValue::from_string(e.payload)
            .unwrap_or_else(|_| serde_json::value::RawValue::from_string("{}".into()).expect("{} is JSON"));
        EventOut {
            id: e.id.to_string(),
            object: "event",
            kind: e.kind.as_str().to_owned(),
            sequence: e.seq,
            object_id: e.object_id,
            data,
            created_at: e.created_at.to_rfc3339(),
            deliveries: None,
        }
    }
}
