//! `paylink bench`: Paylink's own load generator (filled in below).

use crate::config::Config;
use std::collections::HashMap;

/// Runs the benchmark scenarios.
pub async fn run(_config: Config, _flags: &HashMap<String, String>) -> Result<(), String> {
    Err("bench: not built yet".into())
}
