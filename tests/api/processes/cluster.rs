//! Three `paylink serve` processes on one fresh PostgreSQL database, on different ports. The first
//! sets the database up (and prints the demo merchant); the others join it. Each sends webhooks
//! with its own `User-Agent` (`[egress] user_agent`), so a receiver can tell who sent what.

use super::harness::{Api, Proc, printed_key, start_serve};
use crate::admin::Scratch;
use crate::helpers::postgres_url;

/// The instances' names, in start order.
pub(crate) const NAMES: [&str; 3] = ["a", "b", "c"];

/// Three instances and the demo merchant's sandbox key.
pub(crate) struct Cluster {
    pub(crate) scratch: Option<Scratch>,
    pub(crate) procs: Vec<Option<Proc>>,
    pub(crate) bases: Vec<String>,
    pub(crate) api: Api,
}

/// The `User-Agent` instance `name` sends webhooks with.
pub(crate) fn agent(name: &str) -> String {
    format!("Paylink/0.1 (instance {name})")
}

impl Cluster {
    /// Starts three instances with `env` on a fresh database; `None` without PostgreSQL.
    pub(crate) async fn start(env: &[(&str, &str)]) -> Option<Cluster> {
        let scratch = Scratch::postgres(postgres_url()?);
        let (mut procs, mut bases) = (Vec::new(), Vec::new());
        for name in NAMES {
            let mut all = env.to_vec();
            let agent = agent(name);
            all.push(("PAYLINK_EGRESS_USER_AGENT", agent.as_str()));
            // One at a time: the first migrates and bootstraps, the others find it done.
            let (proc, base) = start_serve(&scratch, &all).await;
            procs.push(Some(proc));
            bases.push(base);
        }
        let api = Api::new(&printed_key(&scratch));
        Some(Cluster { scratch: Some(scratch), procs, bases, api })
    }

    /// The base URL of the `i`th instance, round robin.
    pub(crate) fn base(&self, i: usize) -> &str {
        &self.bases[i % self.bases.len()]
    }

    /// The scratch database.
    pub(crate) fn scratch(&self) -> &Scratch {
        self.scratch.as_ref().unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.procs.clear();
        if let Some(s) = self.scratch.take() {
            s.cleanup();
        }
    }
}
