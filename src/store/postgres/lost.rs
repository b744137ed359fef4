//! Which PostgreSQL failures mean "this session's server is gone or cannot take writes" (retry
//! on a new session, answer 503) rather than "this statement failed".

/// Whether `e` says the session is unusable for writes: the socket failed or closed, the server
/// is shutting down or crashed (SQLSTATE class 57P), the connection broke (class 08), or the
/// server is read-only (25006: a standby, or a former primary brought back as one).
pub(super) fn server_lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(state) = e.code() {
        let code = state.code();
        return code.starts_with("08") || code.starts_with("57P") || code == "25006";
    }
    std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}
