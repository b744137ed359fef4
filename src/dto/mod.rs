//! The public shapes of objects: API responses and event snapshots use the same types, so a
//! webhook carries exactly what `GET` returns.

pub mod audit;
pub mod customer;
pub mod event;
pub mod link;
pub mod method;
pub mod notification;
pub mod payment;
pub mod refund;
pub mod tenancy;
pub mod webhook;
