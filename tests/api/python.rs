//! Python reference libraries for tests (`standardwebhooks`, `aiosmtpd`, `cryptography`,
//! `prometheus_client`).
//! `.ci/run` installs them into a virtual environment and sets `PAYLINK_TEST_PYTHON` to its
//! interpreter and `PAYLINK_REQUIRE_PYTHON=1`, so there a missing interpreter fails the test
//! instead of skipping.

/// The interpreter with the reference libraries, if configured.
pub fn python() -> Option<String> {
    let python = std::env::var("PAYLINK_TEST_PYTHON").ok().filter(|p| !p.is_empty());
    if python.is_none() && std::env::var("PAYLINK_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
        panic!("PAYLINK_REQUIRE_PYTHON=1 but PAYLINK_TEST_PYTHON is not set");
    }
    if python.is_none() {
        eprintln!("skipped: set PAYLINK_TEST_PYTHON to a Python with standardwebhooks, aiosmtpd and cryptography");
    }
    python
}
