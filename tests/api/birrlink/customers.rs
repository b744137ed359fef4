//! BirrLink: customers.
