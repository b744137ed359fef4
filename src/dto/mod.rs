//! The public shapes of objects: API responses and event snapshots use the same types, so a
//! webhook carries exactly what `GET` returns.

pub mod event;
pub mod link;
pub mod method;
pub mod notification;
pub mod payment;
pub mod tenancy;
pub mod webhook;
