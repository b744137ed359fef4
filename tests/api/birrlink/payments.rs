//! BirrLink: payments.
