//! Paymob transaction callbacks and response redirects with their hmac.
