//! BirrLink: rate_limit.
