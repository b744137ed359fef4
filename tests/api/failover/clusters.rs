//! A PostgreSQL primary and a synchronous hot standby on this machine for the failover test:
//! two Debian clusters (`pg_createcluster`) on free ports, the standby made with
//! `pg_basebackup -R`. Dropped (stopped and deleted) when the value is dropped, also when the
//! test fails. Needs root (the clusters belong to the `postgres` user).

use std::process::Command;
use std::time::{Duration, Instant};

const PRIMARY: &str = "paylink_failover_primary";
const STANDBY: &str = "paylink_failover_standby";
/// The standby's name in `synchronous_standby_names` (its `application_name`).
const STANDBY_NAME: &str = "paylink_standby";

/// The two clusters; dropped with the value.
pub(crate) struct Pair {
    version: String,
    pub(crate) primary_port: u16,
    pub(crate) standby_port: u16,
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?} failed ({}): {stderr}", out.status);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn append(path: &str, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    f.write_all(text.as_bytes()).unwrap();
}

/// Trust on loopback only: a throwaway pair for one test (docs/operations.md uses scram).
const HBA: &str = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n";

impl Pair {
    /// Creates and starts the primary (synchronous commit to the standby) and the standby, and
    /// waits until the standby is streaming synchronously. The database `paylink` is empty.
    pub(crate) fn create() -> Pair {
        let version = run("sh", &["-c", "ls /usr/lib/postgresql | sort -V | tail -n 1"]);
        drop_clusters(&version);
        let (primary_port, standby_port) = (crate::processes::free_port(), crate::processes::free_port());
        let pair = Pair { version, primary_port, standby_port };
        let v = pair.version.as_str();
        run("pg_createcluster", &[v, PRIMARY, "-p", &primary_port.to_string()]);
        pair.configure(PRIMARY, &format!("synchronous_standby_names = '{STANDBY_NAME}'\n"));
        pair.ctl(PRIMARY, &["start"]);
        run("pg_createcluster", &[v, STANDBY, "-p", &standby_port.to_string()]);
        pair.configure(STANDBY, "");
        let data = format!("/var/lib/postgresql/{v}/{STANDBY}");
        // pg_basebackup fills the standby's (emptied) data directory, which postgres owns.
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed.unwrap();
        }
        let source = format!("host=127.0.0.1 port={primary_port} user=postgres application_name={STANDBY_NAME}");
        let basebackup = format!("/usr/lib/postgresql/{v}/bin/pg_basebackup");
        run(
            "runuser",
            &["-u", "postgres", "--", &basebackup, "-d", &source, "-D", &data, "-R", "-X", "stream", "-c", "fast"],
        );
        pair.ctl(STANDBY, &["start"]);
        pair.wait_for_sync();
        pair.psql(primary_port, "postgres", "CREATE DATABASE paylink");
        pair
    }

    fn configure(&self, cluster: &str, extra: &str) {
        let dir = format!("/etc/postgresql/{}/{cluster}", self.version);
        std::fs::write(format!("{dir}/pg_hba.conf"), HBA).unwrap();
        append(
            &format!("{dir}/postgresql.conf"),
            &format!("listen_addresses = '127.0.0.1'\nshared_buffers = 32MB\n{extra}"),
        );
    }

    fn ctl(&self, cluster: &str, args: &[&str]) {
        let mut all = vec!["--skip-systemctl-redirect", self.version.as_str(), cluster];
        all.extend_from_slice(args);
        run("pg_ctlcluster", &all);
    }

    /// Runs `sql` with psql; returns its unaligned output.
    pub(crate) fn psql(&self, port: u16, db: &str, sql: &str) -> String {
        run("psql", &["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres", "-d", db, "-Atqc", sql])
    }

    fn wait_for_sync(&self) {
        let started = Instant::now();
        let sql = "SELECT sync_state FROM pg_stat_replication";
        while self.psql(self.primary_port, "postgres", sql) != "sync" {
            assert!(started.elapsed() < Duration::from_secs(30), "the standby never became synchronous");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The URL Paylink uses: both servers, whichever takes writes.
    pub(crate) fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/paylink?target_session_attrs=read-write",
            self.primary_port, self.standby_port
        )
    }

    /// Stops the primary at once (`-m immediate`: no checkpoint, sessions cut, like a crash).
    pub(crate) fn stop_primary(&self) {
        self.ctl(PRIMARY, &["stop", "-m", "immediate"]);
    }

    /// Promotes the standby and waits until it takes writes. It has no standby of its own, and it
    /// never had `synchronous_standby_names` (that lives in the primary's own config file, which
    /// `pg_basebackup` does not copy), so its commits do not wait for one.
    pub(crate) fn promote_standby(&self) {
        self.ctl(STANDBY, &["promote"]);
        let started = Instant::now();
        while self.psql(self.standby_port, "postgres", "SELECT pg_is_in_recovery()") != "f" {
            assert!(started.elapsed() < Duration::from_secs(30), "the standby was not promoted");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn drop_clusters(version: &str) {
    for cluster in [PRIMARY, STANDBY] {
        if std::path::Path::new(&format!("/etc/postgresql/{version}/{cluster}")).exists() {
            let _ = Command::new("pg_dropcluster").args(["--stop", version, cluster]).output();
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        drop_clusters(&self.version);
    }
}
