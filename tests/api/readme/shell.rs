//! Runs README commands as a reader's shell would: `sh -u` (an undefined variable is an error),
//! the documented variables set, `localhost:8080` meaning the test server, and `paylink` the test
//! binary on the test's database. Every `curl` also reports its HTTP status on stderr.

use crate::helpers::TestApp;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// The variables defined so far and where commands run.
pub struct Shell {
    vars: BTreeMap<String, String>,
    host: String,
    database_url: String,
    dir: PathBuf,
}

/// What a command did.
pub struct Outcome {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
    /// The HTTP status of every `curl` it ran, in order.
    pub http: Vec<u16>,
}

/// Makes every `curl` print `curl-status NNN` on stderr, leaving its output alone.
const CURL_STATUS: &str = "curl() { command curl -w '%{stderr}curl-status %{http_code}\\n' \"$@\"; }\n";

impl Shell {
    /// A shell for `app`, working in a fresh directory (no `paylink.toml` there).
    pub fn new(app: &TestApp) -> Shell {
        let dir = std::env::temp_dir().join(format!("paylink-readme-{}", paylink::service::secrets::base62(10)));
        std::fs::create_dir_all(&dir).expect("a directory for the README's commands");
        Shell {
            vars: BTreeMap::new(),
            host: app.base.trim_start_matches("http://").to_owned(),
            database_url: app.ctx.config.database_url.clone(),
            dir,
        }
    }

    /// Sets a documented variable.
    pub fn define(&mut self, name: &str, value: String) {
        self.vars.insert(name.to_owned(), value);
    }

    /// The value of a defined variable.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether an earlier command defined `name`.
    pub fn defines(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// Runs `code`; with `keep`, the variable it sets keeps the value it got.
    pub async fn run(&mut self, code: &str, keep: Option<&str>) -> Outcome {
        let mut script = format!("{CURL_STATUS}{}", code.replace("localhost:8080", &self.host));
        if let Some(name) = keep {
            script.push_str(&format!("\nprintf %s \"${name}\""));
        }
        let mut cmd = Command::new("sh");
        cmd.arg("-uc").arg(script).env_clear().envs(&self.vars).current_dir(&self.dir);
        cmd.env("PATH", search_path())
            .env("PAYLINK_DATABASE_URL", &self.database_url)
            .env("PAYLINK_BOOTSTRAP", "false")
            // Tests run side by side: none takes the default metrics port.
            .env("PAYLINK_METRICS_LISTEN", "")
            .env("RUST_LOG", "warn");
        let out = tokio::task::spawn_blocking(move || cmd.output()).await.expect("shell task").expect("run sh");
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let http = stderr.lines().filter_map(|l| l.strip_prefix("curl-status ")?.trim().parse().ok()).collect();
        let outcome = Outcome { success: out.status.success(), stdout: stdout.into(), stderr: stderr.into(), http };
        if let (Some(name), true) = (keep, outcome.success) {
            self.define(name, outcome.stdout.clone());
        }
        outcome
    }
}

impl Drop for Shell {
    /// Removes the working directory, also when a command failed the test.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `PATH` with the directory of the test's `paylink` binary first.
fn search_path() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_paylink"));
    let dir = bin.parent().expect("the binary's directory").display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}
