//! The BirrLink dialect (`/birrlink/v1`, seed 003) on both databases.

mod bad_input;
mod customers;
mod payments;
mod rate_limit;
mod refunds;
