//! The scenarios: what each request looks like, and the targets from the issue each is held to.

use super::fixtures::{self, FIRST_NAMES, LAST_NAMES, PRODUCTS};
use super::options::Backend;
use super::rng::Rng;
use super::seed::SampleLink;
use hyper::Method;
use hyper::body::Bytes;

/// One kind of load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// `GET /healthz`: the ceiling (HTTP stack and load generator only).
    Healthz,
    /// `POST /v1/payment_links` with unique bodies (durable writes).
    Create,
    /// `GET /v1/payment_links/{id}` for a random seeded link.
    Get,
    /// `GET /v1/payment_links?limit=20&status=open&branch=…&starting_after=…` at random depths.
    List,
    /// `GET /v1/payment_links?q=…&limit=20`.
    Search,
}

impl Scenario {
    /// Parses a scenario name.
    pub fn parse(s: &str) -> Option<Scenario> {
        Some(match s {
            "healthz" => Scenario::Healthz,
            "create" => Scenario::Create,
            "get" => Scenario::Get,
            "list" => Scenario::List,
            "search" => Scenario::Search,
            _ => return None,
        })
    }

    /// The scenario's name.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Healthz => "healthz",
            Scenario::Create => "create",
            Scenario::Get => "get",
            Scenario::List => "list",
            Scenario::Search => "search",
        }
    }
}

/// What a scenario must reach. Ratios are to the same run's `/healthz` ceiling.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Target {
    pub min_ratio: Option<f64>,
    pub max_p99_ms: Option<f64>,
}

/// The p99 bound, applied to every scenario that does real work.
pub const MAX_P99_MS: f64 = 20.0;

/// The targets for a scenario on a backend (the issue states none for search's throughput).
pub fn target(s: Scenario, backend: Backend) -> Target {
    let pg = backend == Backend::Postgres;
    let min_ratio = match s {
        Scenario::Healthz | Scenario::Search => None,
        Scenario::Create => Some(if pg { 0.035 } else { 0.045 }),
        Scenario::Get => Some(if pg { 0.13 } else { 0.18 }),
        Scenario::List => Some(0.035),
    };
    let max_p99_ms = (s != Scenario::Healthz).then_some(MAX_P99_MS);
    Target { min_ratio, max_p99_ms }
}

/// One request to send.
#[derive(Clone, Debug)]
pub struct RequestSpec {
    pub method: Method,
    pub path: String,
    pub body: Option<Bytes>,
    /// Whether to send the API key (`/healthz` goes without, as a load balancer's probe would).
    pub auth: bool,
}

impl RequestSpec {
    /// A GET with the API key.
    pub fn get(path: String) -> Self {
        RequestSpec { method: Method::GET, path, body: None, auth: true }
    }
}

/// What the scenarios draw from: the tenant's branches and the sampled seeded links.
pub struct Workload {
    pub branches: Vec<String>,
    pub sample: Vec<SampleLink>,
    /// Indexes into `sample` of links that `status=open` lists.
    pub open: Vec<usize>,
    /// Links seeded in total (rare search terms are drawn from them).
    pub seeded: u64,
    /// Distinguishes this run's references from earlier runs' (unique per store).
    pub nonce: String,
}

impl Workload {
    /// The request number `seq` of connection `conn`.
    pub fn request(&self, s: Scenario, rng: &mut Rng, conn: usize, seq: u64) -> RequestSpec {
        match s {
            Scenario::Healthz => RequestSpec { auth: false, ..RequestSpec::get("/healthz".into()) },
            Scenario::Create => self.create(rng, conn, seq),
            Scenario::Get => RequestSpec::get(format!("/v1/payment_links/{}", rng.pick(&self.sample).id)),
            Scenario::List => self.list(rng),
            Scenario::Search => RequestSpec::get(format!("/v1/payment_links?q={}&limit=20", self.search_term(rng))),
        }
    }

    fn create(&self, rng: &mut Rng, conn: usize, seq: u64) -> RequestSpec {
        let body = serde_json::json!({
            "amount": format!("{}.{:02}", 10 + rng.below(4_990), rng.below(100)),
            "title": format!("{}, order B{conn}-{seq}", rng.pick(PRODUCTS)),
            "reference_id": format!("bench-{}-{conn}-{seq}", self.nonce),
            "customer": {
                "first_name": rng.pick(FIRST_NAMES),
                "last_name": rng.pick(LAST_NAMES),
                "phone": format!("+9665{}", rng.digits(8)),
            },
            "branch": rng.pick(&self.branches),
        });
        let body = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        RequestSpec { method: Method::POST, path: "/v1/payment_links".into(), body: Some(body), auth: true }
    }

    /// A page of 20 open links in one branch, starting after a uniformly sampled open link of
    /// that branch: cursor depth is uniform over the branch's open links.
    fn list(&self, rng: &mut Rng) -> RequestSpec {
        let cursor = &self.sample[*rng.pick(&self.open)];
        RequestSpec::get(list_path(&self.branches[cursor.branch], Some(&cursor.id)))
    }

    /// 45 % a family name, 45 % a product word, 10 % one invoice reference (rare: a full scan).
    pub fn search_term(&self, rng: &mut Rng) -> String {
        let term = match rng.below(100) {
            0..45 => rng.pick(LAST_NAMES).to_lowercase(),
            45..90 => rng.pick(PRODUCTS).to_lowercase(),
            _ => fixtures::reference(rng.below(self.seeded.max(1))).to_lowercase(),
        };
        form_urlencoded::byte_serialize(term.as_bytes()).collect()
    }
}

/// The list scenario's path for a branch and optional cursor.
pub fn list_path(branch: &str, cursor: Option<&str>) -> String {
    let mut path = format!("/v1/payment_links?limit=20&status=open&branch={branch}");
    if let Some(c) = cursor {
        path.push_str("&starting_after=");
        path.push_str(c);
    }
    path
}
