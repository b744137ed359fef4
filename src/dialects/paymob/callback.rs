//! Paymob's transaction-processed callback and response redirect, with their `hmac`.
