//! The id every request is given (`x-request-id`), kept in a task-local while the request is
//! handled so error responses, audit entries and log lines of every layer can name it without
//! passing it down by hand.

use crate::clock::Clock;
use crate::domain::Timestamp;
use crate::service::secrets;
use std::future::Future;

tokio::task_local! {
    static CURRENT: String;
}

/// A fresh request id: `req_` and a time-sortable body.
pub fn generate() -> String {
    let (ms, rnd) = secrets::id_parts(Timestamp::from_micros(Clock::local_micros()));
    format!("req_{}", crate::domain::id::ulid_body(ms, rnd))
}

/// Runs `f` as the handling of the request `id`.
pub async fn scope<F: Future>(id: String, f: F) -> F::Output {
    CURRENT.scope(id, f).await
}

/// The id of the request being handled, if the caller runs inside one.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok().filter(|id| !id.is_empty())
}

/// [`current`], or the empty text outside a request (for bodies that always carry the field).
pub fn current_or_empty() -> String {
    current().unwrap_or_default()
}
