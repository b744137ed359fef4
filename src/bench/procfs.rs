//! What `/proc` says about this process and the machine. Memory comes from `/proc/self/status`
//! (`VmRSS`, `VmHWM`) and CPU time from `/proc/self/stat`, so every figure is the whole process:
//! the server *and* the load generator running inside it. Peaks under load are sampled every
//! 20 ms while a scenario runs (`VmHWM` alone would report the seeding peak, which a real server
//! never has).

use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A field of `/proc/self/status` in KiB (`None` off Linux); the library's reading, shared
/// with `/metrics`.
fn status_kib(field: &str) -> Option<u64> {
    paylink::metrics::process::status_kib(field)
}

/// Current resident memory, KiB (0 when unknown).
pub fn rss_kib() -> u64 {
    status_kib("VmRSS:").unwrap_or(0)
}

/// Peak resident memory since the process started, KiB.
pub fn hwm_kib() -> u64 {
    status_kib("VmHWM:").unwrap_or(0)
}

/// CPU time (user + system) this process has used, ms. `/proc/self/stat` counts in USER_HZ
/// ticks, which Linux fixes at 100 per second for user space.
pub fn cpu_ms() -> u64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name may contain spaces; the numbered fields start after its closing ')'.
    let fields: Vec<&str> =
        text.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    (tick(11) + tick(12)) * 10
}

/// KiB as MB (10^6 bytes, as the targets are written).
pub fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1_000_000.0
}

/// Samples resident memory in the background and keeps the largest reading.
pub struct Sampler {
    stop: watch::Sender<bool>,
    task: JoinHandle<u64>,
}

impl Sampler {
    /// Starts sampling every 20 ms.
    pub fn start() -> Sampler {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut peak = rss_kib();
            let mut tick = tokio::time::interval(Duration::from_millis(20));
            loop {
                tokio::select! {
                    _ = tick.tick() => peak = peak.max(rss_kib()),
                    _ = stopped.changed() => break,
                }
            }
            peak.max(rss_kib())
        });
        Sampler { stop, task }
    }

    /// Stops sampling; the peak in KiB.
    pub async fn finish(self) -> u64 {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or(0)
    }
}

/// What the machine is, for the report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_mib: u64,
    pub os: String,
}

/// Reads the CPU count, model and memory size.
pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Machine {
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        cpu_model,
        memory_mib: mem_kib / 1024,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}
