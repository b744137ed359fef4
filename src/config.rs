//! Typed configuration: embedded defaults (`config/default.toml`), then an optional file, then
//! `PAYLINK_*` environment variables. Every key is documented in the defaults file.

use serde::Deserialize;

mod smtp;
pub use smtp::{SmtpSettings, SmtpTls};

const DEFAULTS: &str = include_str!("../config/default.toml");

/// All settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub listen: String,
    pub database_url: String,
    pub public_url: String,
    pub log_format: String,
    pub bootstrap: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `trusted_proxies.rs`).
    pub trusted_proxies: crate::trusted_proxies::TrustedProxies,
    pub limits: Limits,
    pub sqlite: SqliteSettings,
    pub postgres: PostgresSettings,
    pub auth: AuthSettings,
    pub payments: PaymentSettings,
    pub delivery: DeliverySettings,
    pub egress: EgressSettings,
    pub notifications: NotificationSettings,
    pub dashboard: DashboardSettings,
    pub metrics: MetricsSettings,
}

/// Request and value limits.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub max_amount: i64,
    pub max_body_bytes: usize,
    pub idempotency_hours: i64,
    pub idempotency_lease_secs: i64,
}

/// SQLite tuning.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqliteSettings {
    pub read_connections: usize,
    pub cache_kib: i64,
    pub max_batch: usize,
}

/// PostgreSQL tuning.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresSettings {
    pub pool_size: usize,
}

/// Authentication settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub cache_secs: u64,
    /// Requests per minute one sandbox key may make (all instances together).
    pub sandbox_requests_per_minute: i64,
    /// Requests per minute one production key may make.
    pub production_requests_per_minute: i64,
}

/// Payment attempts: timeouts, the card-testing guard and the sandbox's simulated waits.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentSettings {
    pub action_timeout_secs: i64,
    pub sweep_after_secs: i64,
    pub decline_limit_per_link: i64,
    pub decline_limit_per_client: i64,
    pub decline_window_secs: i64,
    pub sandbox_card_delay_secs: i64,
    pub sandbox_mobile_money_delay_secs: i64,
}

/// The outbox workers: retry schedule, timeouts, leases and batching.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    /// Whether this process runs the delivery loop.
    pub enabled: bool,
    /// Seconds to wait after each failed attempt (the first attempt is immediate). After the
    /// last entry the delivery is `failed`.
    pub schedule_secs: Vec<u64>,
    pub jitter_percent: u64,
    pub retry_after_max_secs: u64,
    pub request_timeout_secs: u64,
    pub max_response_bytes: usize,
    pub excerpt_bytes: usize,
    pub lease_secs: u64,
    pub batch: usize,
    pub concurrency: usize,
    pub poll_ms: u64,
    pub rotation_grace_secs: i64,
}

/// Outbound connections: which inward address ranges each environment may reach.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgressSettings {
    pub allow_loopback_sandbox: bool,
    pub allow_private_sandbox: bool,
    pub allow_loopback_production: bool,
    pub allow_private_production: bool,
    pub connect_timeout_secs: u64,
    pub user_agent: String,
}

/// SMS and e-mail to payers: which provider sends each channel, the sending caps, retries.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// `log` (stored only) or `http` (the gateway in `sms_http`).
    pub sms_provider: String,
    /// `log` (stored only) or `smtp` (the relay in `smtp`).
    pub email_provider: String,
    pub per_link_per_hour: i64,
    pub per_store_per_hour: i64,
    /// Seconds to wait after each failed attempt (the first attempt is immediate).
    pub retry_secs: Vec<u64>,
    pub lease_secs: u64,
    pub timeout_secs: u64,
    pub batch: usize,
    pub sms_http: SmsHttpSettings,
    pub smtp: SmtpSettings,
}

/// The merchant dashboard's sign-in: session lifetimes and throttling of failed sign-ins.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardSettings {
    /// A session ends after this long without a request.
    pub session_idle_secs: i64,
    /// A session ends this long after sign-in.
    pub session_absolute_secs: i64,
    /// Failed sign-ins for one e-mail within the window that lock it.
    pub account_failures: i64,
    /// Failed sign-ins from one client address within the window that lock it.
    pub address_failures: i64,
    /// The window failures are counted in.
    pub failure_window_secs: i64,
    /// How long a lock lasts.
    pub lockout_secs: i64,
}

/// Where `/metrics` is served (see docs/metrics.md).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// The metrics listener's address (no authentication); empty turns it off.
    pub listen: String,
    /// When set, `/metrics` is also served on the main listener behind this bearer token.
    pub token: SecretText,
}

/// A generic HTTP SMS gateway.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsHttpSettings {
    pub url: String,
    pub auth_header: String,
    pub auth_value: SecretText,
    pub content_type: String,
    /// The request body with `{to}`, `{text}` and `{id}` placeholders.
    pub body: String,
}

/// A setting that must never be printed (its `Debug` is redacted).
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct SecretText(pub String);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"[redacted]\"" })
    }
}

impl NotificationSettings {
    fn check(&self) -> Result<(), String> {
        let n = self;
        let refuse = |what: &str| Err(format!("notifications.{what}"));
        match (n.sms_provider.as_str(), n.email_provider.as_str()) {
            ("log" | "http", "log" | "smtp") => {}
            _ => return refuse("sms_provider must be log or http, email_provider log or smtp"),
        }
        if n.per_link_per_hour < 1 || n.per_store_per_hour < 1 || n.batch < 1 {
            return refuse("per_link_per_hour, per_store_per_hour and batch must be at least 1");
        }
        if n.lease_secs <= n.timeout_secs {
            return refuse("lease_secs must exceed notifications.timeout_secs");
        }
        if n.sms_provider == "http" && (n.sms_http.url.is_empty() || n.sms_http.body.is_empty()) {
            return refuse("sms_http.url and body are required with sms_provider = \"http\"");
        }
        if n.email_provider == "smtp" {
            n.smtp.check()?;
        }
        Ok(())
    }
}

impl Config {
    /// Defaults, then `PAYLINK_CONFIG` or `./paylink.toml` if present, then the environment.
    pub fn load() -> Result<Config, String> {
        let path = std::env::var("PAYLINK_CONFIG").ok();
        let file = match &path {
            Some(p) => Some(std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"))?),
            None => std::fs::read_to_string("paylink.toml").ok(),
        };
        Config::from_sources(file.as_deref(), |k| std::env::var(k).ok())
    }

    /// Builds a configuration from an optional file text and an environment lookup.
    pub fn from_sources(file: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut table: toml::Table = DEFAULTS.parse().map_err(|e| format!("defaults: {e}"))?;
        if let Some(text) = file {
            let overrides: toml::Table = text.parse().map_err(|e| format!("config file: {e}"))?;
            merge(&mut table, overrides);
        }
        apply_env(&mut table, "PAYLINK", &env);
        let config: Config = table.try_into().map_err(|e| format!("configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.limits.idempotency_hours < 24 {
            return Err("limits.idempotency_hours must be at least 24".into());
        }
        if self.auth.sandbox_requests_per_minute < 1 || self.auth.production_requests_per_minute < 1 {
            return Err("auth.sandbox_requests_per_minute and production_requests_per_minute must be at least 1".into());
        }
        if self.limits.max_amount <= 0 {
            return Err("limits.max_amount must be positive".into());
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err("log_format must be \"text\" or \"json\"".into());
        }
        if self.delivery.lease_secs <= self.delivery.request_timeout_secs {
            return Err("delivery.lease_secs must exceed delivery.request_timeout_secs".into());
        }
        self.notifications.check()?;
        let d = &self.dashboard;
        if d.session_idle_secs < 60 || d.session_absolute_secs < d.session_idle_secs {
            return Err(
                "dashboard.session_idle_secs must be at least 60 and session_absolute_secs at least that".into()
            );
        }
        if d.account_failures < 1 || d.address_failures < 1 || d.failure_window_secs < 1 || d.lockout_secs < 1 {
            return Err(
                "dashboard.account_failures, address_failures, failure_window_secs and lockout_secs must be at least 1"
                    .into(),
            );
        }
        Ok(())
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> &str {
        self.public_url.trim_end_matches('/')
    }
}

fn merge(base: &mut toml::Table, overrides: toml::Table) {
    for (k, v) in overrides {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Replaces each known key with `PREFIX_KEY` from the environment, parsed as the default's type.
fn apply_env(table: &mut toml::Table, prefix: &str, env: &impl Fn(&str) -> Option<String>) {
    for (k, v) in table.iter_mut() {
        let name = format!("{prefix}_{}", k.to_uppercase());
        match v {
            toml::Value::Table(t) => apply_env(t, &name, env),
            _ => {
                if let Some(text) = env(&name) {
                    *v = match v {
                        toml::Value::Integer(_) => {
                            text.parse().map(toml::Value::Integer).unwrap_or(toml::Value::String(text))
                        }
                        toml::Value::Boolean(_) => {
                            text.parse().map(toml::Value::Boolean).unwrap_or(toml::Value::String(text))
                        }
                        _ => toml::Value::String(text),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_file_which_overrides_the_defaults() {
        let file = "listen = \"0.0.0.0:9000\"\n[sqlite]\nread_connections = 2\n";
        let env = |k: &str| match k {
            "PAYLINK_SQLITE_READ_CONNECTIONS" => Some("6".to_owned()),
            "PAYLINK_PUBLIC_URL" => Some("https://pay.example.com/".to_owned()),
            _ => None,
        };
        let c = Config::from_sources(Some(file), env).unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.sqlite.read_connections, 6);
        assert_eq!(c.public_base(), "https://pay.example.com");
        assert_eq!(c.database_url, "sqlite://paylink.db");
    }

    #[test]
    fn bad_values_are_refused_with_the_setting_named() {
        let env = |k: &str| (k == "PAYLINK_SQLITE_READ_CONNECTIONS").then(|| "many".to_owned());
        assert!(Config::from_sources(None, env).unwrap_err().contains("read_connections"));
        assert!(Config::from_sources(Some("nonsense = 1"), |_| None).is_err());
    }
}
