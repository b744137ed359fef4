//! BirrLink: refunds.
