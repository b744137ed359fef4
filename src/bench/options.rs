//! `paylink bench` options: parsed once from the `--name value` flags, checked, and defaulted to
//! the load the targets are stated for (64 connections, 10 s per scenario, 100,000 links).

use super::scenario::Scenario;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// Which database the in-process server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Everything a run is configured with.
#[derive(Clone, Debug)]
pub struct Options {
    pub backend: Backend,
    /// PostgreSQL server to create the temporary database on.
    pub postgres_url: String,
    /// Where the temporary SQLite directory is created.
    pub dir: PathBuf,
    pub connections: usize,
    pub measure: Duration,
    pub warmup: Duration,
    pub seed_links: u64,
    /// With `--large`: the nearly empty database measured first (get/list need some links).
    pub baseline_links: Option<u64>,
    pub scenarios: Vec<Scenario>,
    pub probe: bool,
    /// PostgreSQL: `VACUUM ANALYZE` after seeding (default), as autovacuum would.
    pub analyze: bool,
    pub json: bool,
    /// Webhook deliveries to queue and time after the scenarios (0: no delivery benchmark).
    pub delivery_events: u64,
    /// Stream the dashboard's CSV export of every seeded link once and report memory growth.
    pub export: bool,
    /// Percent of seeded links that are paid, each with its payment (`--paid-percent`; default 15,
    /// or 50 when the reports scenario runs, so a month holds tens of thousands of payments).
    pub paid_percent: u64,
    /// After each scenario's closed-loop run, the same scenario at a fixed rate (`--open-loop`,
    /// `--rate`).
    pub open_loop: Option<OpenLoad>,
}

/// The fixed rate of the open-loop runs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OpenLoad {
    /// This percentage of the scenario's closed-loop throughput in the same phase.
    Percent(f64),
    /// Operations per second, the same for every scenario.
    Rate(f64),
}

impl OpenLoad {
    /// Operations per second for a scenario whose closed loop reached `closed_rps`.
    pub fn rate(self, closed_rps: f64) -> f64 {
        match self {
            OpenLoad::Percent(p) => closed_rps * p / 100.0,
            OpenLoad::Rate(r) => r,
        }
    }
}

/// Largest `--open-loop` percentage (beyond 100 % it measures overload, which is allowed).
const MAX_OPEN_PERCENT: f64 = 200.0;
/// Largest `--rate`, per second.
const MAX_RATE: f64 = 1_000_000.0;

const KNOWN: &[&str] = &[
    "database",
    "postgres-url",
    "dir",
    "connections",
    "seconds",
    "warmup",
    "seed-links",
    "large",
    "baseline-links",
    "scenarios",
    "no-probe",
    "no-analyze",
    "json",
    "delivery-events",
    "export",
    "paid-percent",
    "open-loop",
    "rate",
];

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Every scenario, in the order they run.
const DEFAULT_SCENARIOS: &str = "healthz,create,get,list,search,page,pay";

/// Parses and checks the flags.
pub fn parse(flags: &HashMap<String, String>) -> Result<Options, String> {
    if let Some(unknown) = flags.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("bench: unknown option --{unknown}; known: --{}", KNOWN.join(", --")));
    }
    let get = |k: &str| flags.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let backend = match get("database").unwrap_or("sqlite") {
        "sqlite" => Backend::Sqlite,
        "postgres" | "postgresql" => Backend::Postgres,
        other => return Err(format!("bench: --database must be sqlite or postgres, not {other}")),
    };
    let large = flags.contains_key("large");
    let default_seed = if large { 1_000_000 } else { 100_000 };
    let scenarios = scenarios(get("scenarios"))?;
    let default_paid = if scenarios.contains(&Scenario::Reports) { 50 } else { 15 };
    let options = Options {
        backend,
        postgres_url: get("postgres-url").map(str::to_owned).unwrap_or_else(default_postgres_url),
        dir: get("dir").map(PathBuf::from).unwrap_or_else(std::env::temp_dir),
        connections: number(get("connections"), "connections", 64)? as usize,
        measure: Duration::from_secs_f64(seconds(get("seconds"), "seconds", 10.0)?),
        warmup: Duration::from_secs_f64(seconds(get("warmup"), "warmup", 1.0)?),
        seed_links: number(get("seed-links"), "seed-links", default_seed)?,
        baseline_links: large.then(|| number(get("baseline-links"), "baseline-links", 1_000)).transpose()?,
        scenarios,
        probe: !flags.contains_key("no-probe"),
        analyze: !flags.contains_key("no-analyze"),
        json: flags.contains_key("json"),
        delivery_events: number(get("delivery-events"), "delivery-events", 0)?,
        export: flags.contains_key("export"),
        paid_percent: number(get("paid-percent"), "paid-percent", default_paid)?,
        // Unfiltered: a flag given without its value is an error, not "off".
        open_loop: open_load(flags.get("open-loop").map(String::as_str), flags.get("rate").map(String::as_str))?,
    };
    check(&options)?;
    Ok(options)
}

fn default_postgres_url() -> String {
    std::env::var("PAYLINK_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| DEFAULT_PG.into())
}

fn number(text: Option<&str>, name: &str, default: u64) -> Result<u64, String> {
    let Some(text) = text else { return Ok(default) };
    text.replace('_', "").parse().map_err(|_| format!("bench: --{name} must be a whole number, not {text}"))
}

fn seconds(text: Option<&str>, name: &str, default: f64) -> Result<f64, String> {
    let Some(text) = text else { return Ok(default) };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=3600.0).contains(&v) => Ok(v),
        _ => Err(format!("bench: --{name} must be a number of seconds (0 to 3600), not {text}")),
    }
}

/// `--open-loop P` (percent of the closed-loop maximum) or `--rate N` (per second), not both.
fn open_load(percent: Option<&str>, rate: Option<&str>) -> Result<Option<OpenLoad>, String> {
    match (percent, rate) {
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err("bench: give --open-loop (a percentage) or --rate (per second), not both".into()),
        (Some(p), None) => {
            positive(p, "open-loop", MAX_OPEN_PERCENT, "a percentage").map(|p| Some(OpenLoad::Percent(p)))
        }
        (None, Some(r)) => positive(r, "rate", MAX_RATE, "operations per second").map(|r| Some(OpenLoad::Rate(r))),
    }
}

fn positive(text: &str, name: &str, max: f64, what: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').replace('_', "").parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= max => Ok(v),
        _ if text.is_empty() => Err(format!("bench: --{name} needs a value: {what} above 0 and at most {max}")),
        _ => Err(format!("bench: --{name} must be {what} above 0 and at most {max}, not {text}")),
    }
}

fn scenarios(text: Option<&str>) -> Result<Vec<Scenario>, String> {
    let text = text.unwrap_or(DEFAULT_SCENARIOS);
    let mut out: Vec<Scenario> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let s = Scenario::parse(name).ok_or_else(|| {
            format!("bench: unknown scenario {name}; choose from {DEFAULT_SCENARIOS},dashboard,reports")
        })?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    // The ceiling runs first so every other scenario's ratio is taken against this run's figure.
    out.sort_by_key(|s| *s != Scenario::Healthz);
    Ok(out)
}

fn check(o: &Options) -> Result<(), String> {
    if !(1..=4096).contains(&o.connections) {
        return Err("bench: --connections must be between 1 and 4096".into());
    }
    if o.measure.is_zero() {
        return Err("bench: --seconds must be more than 0".into());
    }
    if o.scenarios.is_empty() {
        return Err("bench: --scenarios names no scenario".into());
    }
    let needs_links =
        o.scenarios.iter().any(|s| matches!(s, Scenario::Get | Scenario::List | Scenario::Page | Scenario::Dashboard));
    if needs_links && (o.seed_links == 0 || o.baseline_links == Some(0)) {
        return Err("bench: the get, list, page and dashboard scenarios need seeded links (--seed-links > 0)".into());
    }
    if o.paid_percent > 85 {
        return Err("bench: --paid-percent must be at most 85 (8 % of links are cancelled, 7 % expired)".into());
    }
    if o.delivery_events > 10_000_000 {
        return Err("bench: --delivery-events must be at most 10000000".into());
    }
    if o.baseline_links.is_some_and(|b| b >= o.seed_links) {
        return Err("bench: --baseline-links must be smaller than --seed-links".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[(&str, &str)]) -> Result<Options, String> {
        parse(&args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn open_loop_is_off_unless_asked_for() {
        assert_eq!(parse_args(&[]).unwrap().open_loop, None);
    }

    #[test]
    fn open_loop_takes_a_percentage_of_the_closed_loop_maximum() {
        let load = parse_args(&[("open-loop", "50")]).unwrap().open_loop.unwrap();
        assert_eq!(load, OpenLoad::Percent(50.0));
        assert_eq!(load.rate(1_234.0), 617.0);
        assert_eq!(parse_args(&[("open-loop", "12.5%")]).unwrap().open_loop, Some(OpenLoad::Percent(12.5)));
    }

    #[test]
    fn rate_is_the_same_for_every_scenario() {
        let load = parse_args(&[("rate", "1_500")]).unwrap().open_loop.unwrap();
        assert_eq!(load, OpenLoad::Rate(1_500.0));
        assert_eq!(load.rate(99.0), 1_500.0);
    }

    #[test]
    fn open_loop_and_rate_together_are_refused() {
        let e = parse_args(&[("open-loop", "50"), ("rate", "100")]).unwrap_err();
        assert!(e.contains("not both"), "{e}");
    }

    #[test]
    fn bad_open_loop_values_are_refused_with_the_flag_named() {
        for bad in ["0", "-5", "250", "abc", "NaN", "inf"] {
            let e = parse_args(&[("open-loop", bad)]).unwrap_err();
            assert!(e.contains("--open-loop must be a percentage") && e.contains(bad), "{bad}: {e}");
        }
        let e = parse_args(&[("open-loop", "")]).unwrap_err();
        assert!(e.contains("--open-loop needs a value"), "{e}");
    }

    #[test]
    fn bad_rates_are_refused_with_the_flag_named() {
        for bad in ["0", "-1", "2000000", "fast"] {
            let e = parse_args(&[("rate", bad)]).unwrap_err();
            assert!(e.contains("--rate must be operations per second") && e.contains(bad), "{bad}: {e}");
        }
        assert!(parse_args(&[("rate", "")]).unwrap_err().contains("--rate needs a value"));
    }
}
