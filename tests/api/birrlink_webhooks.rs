//! BirrLink webhooks: registration, envelope, signature, retries.
