//! Real processes (the built `paylink` binary): several `serve` instances on one PostgreSQL
//! database, crash safety under SIGKILL, graceful shutdown, and several `worker` processes.
//! See docs/testing.md ("Process tests").

mod cluster;
mod crash;
mod harness;
mod instances;
mod instances_delivery;
mod shutdown;
mod workers;

pub(crate) use harness::{Proc, free_port, printed_key, wait_ready};
