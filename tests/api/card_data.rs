//! PCI: after paying with every test card through the real `paylink serve` process (logging at
//! TRACE), no full card number or CVV appears in the database files (SQLite: the file, its WAL
//! and shared memory; PostgreSQL: every table's rows and, where readable, the database's files
//! and the WAL), in the process's logs, or in any event payload (events are rows, so included).

use crate::admin::Scratch;
use crate::helpers::postgres_url;
use paylink::connector::sandbox::instruments::{CARDS, OTP_CODE};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

/// The CVVs typed (four digits for American Express, three otherwise).
const CVV4: &str = "7391";
const CVV3: &str = "739";

struct Serve {
    child: Child,
    base: String,
    log: PathBuf,
    key: String,
}

impl Serve {
    async fn start(scratch: &Scratch) -> Serve {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = scratch.dir.join("serve.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = scratch
            .command(&["serve"])
            .env("PAYLINK_BOOTSTRAP", "true")
            .env("RUST_LOG", "trace")
            .env("PAYLINK_LISTEN", format!("127.0.0.1:{port}"))
            .env("PAYLINK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut s = Serve { child, base: format!("http://127.0.0.1:{port}"), log, key: String::new() };
        let started = Instant::now();
        while s.key.is_empty() && started.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let text = std::fs::read_to_string(&s.log).unwrap_or_default();
            let ready = reqwest::get(format!("{}/readyz", s.base)).await.is_ok_and(|r| r.status() == 200);
            if let (true, Some(at)) = (ready, text.find("sk_test_")) {
                s.key = text[at..].split_whitespace().next().unwrap().to_owned();
            }
        }
        assert!(!s.key.is_empty(), "serve did not start: {}", std::fs::read_to_string(&s.log).unwrap_or_default());
        s
    }

    /// Pays a new link with `number` through the page form (and the OTP step when asked).
    async fn pay(&self, number: &str) {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let auth = format!("Bearer {}", self.key);
        let body = json!({"amount": "20.00", "title": "PCI check"});
        let link =
            json_of(client.post(format!("{}/v1/payment_links", self.base)).header("authorization", &auth).json(&body))
                .await;
        let id = link["id"].as_str().unwrap();
        let methods =
            json_of(client.get(format!("{}/v1/payment_methods", self.base)).header("authorization", &auth)).await;
        let method =
            methods["data"].as_array().unwrap().iter().find(|m| m["kind"] == "card").unwrap()["id"].to_string();
        let page = client.get(format!("{}/pay/{id}", self.base)).send().await.unwrap();
        let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let html = page.text().await.unwrap();
        let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = html[at..at + html[at..].find('"').unwrap()].to_owned();
        let cvv = if number.starts_with("34") || number.starts_with("37") { CVV4 } else { CVV3 };
        let form = [
            ("csrf", csrf.as_str()),
            ("method_id", &method),
            ("card_number", number),
            ("card_expiry", "12/34"),
            ("card_cvv", cvv),
        ];
        let r =
            client.post(format!("{}/pay/{id}", self.base)).header("cookie", &cookie).form(&form).send().await.unwrap();
        assert!(r.status() == 303 || r.status() == 429, "paying with {}: {}", &number[12..], r.status());
        let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        if let Some(path) = location.split('?').next().filter(|p| p.contains("/payments/")) {
            let otp = [("csrf", csrf.as_str()), ("otp", OTP_CODE)];
            client.post(format!("{}{path}/otp", self.base)).header("cookie", &cookie).form(&otp).send().await.unwrap();
        }
    }
}

async fn json_of(req: reqwest::RequestBuilder) -> Value {
    req.send().await.unwrap().json().await.unwrap()
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ways a card number could have been written down.
fn card_forms() -> Vec<String> {
    CARDS.iter().flat_map(|c| [c.value.to_owned(), c.value.replace(' ', ""), c.value.replace(' ', "+")]).collect()
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for form in card_forms() {
        assert!(!text.contains(&form), "a card number ({}) appears in {what}", &form[form.len() - 4..]);
    }
    for needle in ["card_cvv", "cvv=", "\"cvv\""] {
        assert!(!text.contains(needle), "{needle} appears in {what}");
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect()
}

async fn run(scratch: Scratch) {
    let serve = Serve::start(&scratch).await;
    for card in CARDS {
        serve.pay(&card.value.replace(' ', "")).await;
    }
    serve.pay("4242 4242 4242 4242").await;
    drop(serve);
    let log = std::fs::read(scratch.dir.join("serve.log")).unwrap();
    // Positive control: the log is the TRACE log of a process that served the payments.
    assert!(String::from_utf8_lossy(&log).contains("/pay/plink_"), "the log recorded no page requests");
    assert_clean("the logs", &log);
    match scratch.url.starts_with("postgres") {
        false => {
            let files = files_under(&scratch.dir);
            let mut seen_last4 = false;
            for f in files.iter().filter(|f| !f.ends_with("serve.log")) {
                let bytes = std::fs::read(f).unwrap();
                seen_last4 |= String::from_utf8_lossy(&bytes).contains("4242");
                assert_clean(&f.display().to_string(), &bytes);
            }
            // Positive control: the files scanned hold the payments (their last 4 is kept).
            assert!(seen_last4, "the scanned files hold no payment");
        }
        true => check_postgres(&scratch.url),
    }
    scratch.cleanup();
}

/// Every row of every table as text, then the database's own files and the WAL when readable.
fn check_postgres(url: &str) {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let tables = c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", &[]).unwrap();
        for t in tables {
            let name: String = t.get(0);
            let rows = c.query(&format!("SELECT coalesce(string_agg(t::text, '\n'), '') FROM {name} t"), &[]).unwrap();
            assert_clean(&format!("table {name}"), rows[0].get::<_, String>(0).as_bytes());
        }
        c.batch_execute("CHECKPOINT").ok();
        let dir: String =
            c.query_one("SELECT current_setting('data_directory')", &[]).map(|r| r.get(0)).unwrap_or_default();
        let oid: u32 =
            c.query_one("SELECT oid FROM pg_database WHERE datname = current_database()", &[]).unwrap().get(0);
        let mut files = files_under(&Path::new(&dir).join("base").join(oid.to_string()));
        files.extend(files_under(&Path::new(&dir).join("pg_wal")));
        // The data directory is readable when the tests run as the server's owner or root (CI).
        println!("scanning {} PostgreSQL files", files.len());
        for f in files {
            if let Ok(bytes) = std::fs::read(&f) {
                assert_clean(&f.display().to_string(), &bytes);
            }
        }
    })
    .join()
    .unwrap();
}

/// One test per backend, named like the `both!` tests so CI's PostgreSQL pass (`on_postgres`) runs it.
mod no_card_number_or_cvv_reaches_the_database_files_the_wal_or_the_logs {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        run(Scratch::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(server) = postgres_url() else { return };
        run(Scratch::postgres(server)).await;
    }
}
