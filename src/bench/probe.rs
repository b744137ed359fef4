//! Unloaded latency probes: one connection, one request at a time, on an otherwise idle server.
//! They show where time goes without queueing: the cost of a list page at different cursor
//! depths, of common against rare search terms, of one durable create, of a payment's steps.

use super::histogram::Histogram;
use super::load::{Client, Failure};
use super::rng::Rng;
use super::scenario::{RequestSpec, Scenario, Workload, list_path};
use super::seed::SampleLink;
use std::net::SocketAddr;
use std::time::Instant;

/// Requests per probe (after two unrecorded ones).
const COUNT: usize = 30;

/// One probe's latencies.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProbeResult {
    pub name: String,
    pub count: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub max_ms: f64,
}

type Make<'a> = Box<dyn FnMut(&mut Rng, u64) -> RequestSpec + 'a>;

/// Runs every probe in turn.
pub async fn run(addr: SocketAddr, key: &str, work: &Workload) -> Result<Vec<ProbeResult>, String> {
    let mut client = Client::connect(addr, key).await?;
    let mut rng = Rng::from_entropy();
    let mut out = Vec::new();
    for (name, mut make) in cases(work) {
        let mut hist = Histogram::default();
        for i in 0..COUNT as u64 + 2 {
            let req = make(&mut rng, i);
            let started = Instant::now();
            let answer = client.send(&req).await?;
            if !(200..300).contains(&answer.status) {
                let text = super::load::summary(&answer.body);
                return Err(format!("probe {name}: {} -> {}: {text}", req.path, answer.status));
            }
            if i >= 2 {
                hist.record(started.elapsed().as_micros() as u64);
            }
        }
        out.push(result(name, &hist));
    }
    if work.card_method.is_some() {
        out.extend(payments(&mut client, work, &mut rng).await?);
    }
    Ok(out)
}

fn result(name: String, hist: &Histogram) -> ProbeResult {
    let (p50_ms, p90_ms, max_ms) = (hist.quantile_ms(0.5), hist.quantile_ms(0.9), hist.max_ms());
    ProbeResult { name, count: hist.count(), p50_ms, p90_ms, max_ms }
}

/// Payments one at a time (when the pay scenario ran): each step, and the whole payment.
async fn payments(client: &mut Client, work: &Workload, rng: &mut Rng) -> Result<Vec<ProbeResult>, String> {
    const NAMES: [&str; 4] =
        ["pay (a): create the link", "pay (b): open its page", "pay (c): post the card → 303", "pay: whole payment"];
    let mut hists: [Histogram; 4] = Default::default();
    for i in 0..COUNT as u64 + 2 {
        let create = work.request(Scenario::Pay, rng, 9_998, i);
        let steps = super::pay::run(client, &create, work.card_method).await.map_err(|f| match f {
            Failure::Answer(what) | Failure::Transport(what) => format!("probe payment: {what}"),
        })?;
        if i >= 2 {
            let whole = steps.iter().sum();
            for (h, d) in hists.iter_mut().zip(steps.iter().chain([&whole])) {
                h.record(d.as_micros() as u64);
            }
        }
    }
    Ok(NAMES.iter().zip(&hists).map(|(name, h)| result((*name).to_owned(), h)).collect())
}

fn cases(w: &Workload) -> Vec<(String, Make<'_>)> {
    let mut v: Vec<(String, Make<'_>)> = vec![
        ("healthz".into(), Box::new(|r, s| w.request(Scenario::Healthz, r, 0, s))),
        ("get by id".into(), Box::new(|r, s| w.request(Scenario::Get, r, 0, s))),
        ("hosted page".into(), Box::new(|r, s| w.request(Scenario::Page, r, 0, s))),
    ];
    let open = open_by_age(w);
    if !open.is_empty() {
        v.push(("list, first page of a branch".into(), Box::new(|r, _| list_first(w, r))));
        for (label, depth) in [("list, cursor at 50% depth", 0.5), ("list, cursor at 99% depth", 0.99)] {
            let band = near_depth(&open, w.seeded, depth);
            v.push((label.into(), Box::new(move |r, _| list_at(w, r.pick::<&SampleLink>(&band)))));
        }
    }
    for (label, pick) in [("search, family name", 0u64), ("search, product word", 1), ("search, invoice (rare)", 2)] {
        v.push((label.into(), Box::new(move |r, _| search(w, r, pick))));
    }
    v.push(("create (durable commit)".into(), Box::new(|r, s| w.request(Scenario::Create, r, 9_999, s))));
    v
}

/// The sampled open links, oldest first.
fn open_by_age(w: &Workload) -> Vec<&SampleLink> {
    let mut open: Vec<&SampleLink> = w.open.iter().map(|&i| &w.sample[i]).collect();
    open.sort_by_key(|l| l.n);
    open
}

/// Up to 20 sampled open links whose cursor sits at about `depth` (0 = newest, 1 = oldest).
fn near_depth<'a>(open: &[&'a SampleLink], seeded: u64, depth: f64) -> Vec<&'a SampleLink> {
    let n = ((1.0 - depth) * seeded as f64) as u64;
    let at = open.partition_point(|l| l.n < n).min(open.len().saturating_sub(1));
    let from = at.saturating_sub(10);
    open[from..(from + 20).min(open.len())].to_vec()
}

fn list_first(w: &Workload, r: &mut Rng) -> RequestSpec {
    RequestSpec::get(list_path(r.pick::<String>(&w.branches), None))
}

fn list_at(w: &Workload, l: &SampleLink) -> RequestSpec {
    RequestSpec::get(list_path(&w.branches[l.branch], Some(&l.id)))
}

/// A search of one kind: drawn like the search scenario, until it is of the wanted kind.
fn search(w: &Workload, r: &mut Rng, kind: u64) -> RequestSpec {
    loop {
        let term = w.search_term(r);
        let is = if term.starts_with("inv-") {
            2
        } else if term.starts_with("al-") {
            0
        } else {
            1
        };
        if is == kind {
            return RequestSpec::get(format!("/v1/payment_links?q={term}&limit=20"));
        }
    }
}
