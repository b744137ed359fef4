//! The signature oracle: 1,000 events with random unicode text and large bodies, delivered to a
//! local receiver and verified with the Standard Webhooks reference library from PyPI
//! (`standardwebhooks`), not only with our own code. A tampered body must fail there too.

use crate::both;
use crate::helpers::TestApp;
use crate::python::python;
use crate::receiver::Receiver;
use crate::webhooks::register;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::sync::Arc;

const EVENTS: usize = 1000;

/// Text mixing scripts, emoji, quotes, escapes and separators that JSON must carry exactly.
fn random_text(seed: u64, len: usize) -> String {
    const PIECES: &[&str] = &[
        "ا",
        "ل",
        "ر",
        "ي",
        "ا",
        "ل",
        "٣",
        "€",
        "é",
        "ß",
        "日本",
        "🙂",
        "👩‍💻",
        "\"",
        "\\",
        "\n",
        "\t",
        "<",
        "&",
        "\u{2028}",
        "\u{200f}",
        "a",
        "Z",
        "0",
        " ",
    ];
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            PIECES[(x % PIECES.len() as u64) as usize]
        })
        .collect()
}

fn link_body(i: usize) -> Value {
    let big = i % 10 == 0;
    let mut metadata = serde_json::Map::new();
    for k in 0..if big { 40 } else { 2 } {
        metadata.insert(format!("k{k}"), json!(random_text((i * 100 + k) as u64, 30)));
        if json!(metadata).to_string().len() > 3_900 {
            metadata.remove(&format!("k{k}"));
            break;
        }
    }
    let title: String = random_text(i as u64, 60).chars().filter(|c| !c.is_control()).take(100).collect();
    let description: String = random_text(i as u64 + 7, if big { 500 } else { 80 }).chars().take(500).collect();
    json!({
        "amount": format!("{}.{:02}", 1 + i % 900, i % 100),
        "title": format!("{}·", title.trim()),
        "description": description,
        "metadata": metadata,
    })
}

/// Writes the captures as JSON lines and runs the reference verifier; returns its count.
fn verify_with_reference(python: &str, secret: &str, lines: &[String], dir: &std::path::Path) -> Result<usize, String> {
    let file = dir.join("deliveries.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/verify_webhooks.py");
    let out = std::process::Command::new(python).arg(script).arg(secret).arg(&file).output().unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap())
}

both!(a_thousand_random_events_verify_with_the_standard_webhooks_reference_library, |app: Arc<TestApp>| async move {
    let Some(python) = python() else { return };
    let rx = Receiver::start().await;
    let (_, secret) = register(&app, &rx.url("oracle"), json!(["*"])).await;
    let created = create_links(&app, EVENTS).await;
    assert_eq!(created, EVENTS);
    paylink::worker::run_pending(&app.ctx).await;
    let got = rx.at("oracle");
    assert_eq!(got.len(), EVENTS);
    assert!(got.iter().any(|r| r.body.len() > 5_000), "some bodies are large");
    let line = |r: &crate::receiver::Received, body: &[u8]| {
        json!({"id": r.id, "timestamp": r.timestamp, "signature": r.signature, "body_b64": STANDARD.encode(body)})
            .to_string()
    };
    let lines: Vec<String> = got.iter().map(|r| line(r, &r.body)).collect();
    let dir = std::env::temp_dir().join(format!("paylink-oracle-{}", got[0].id));
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(verify_with_reference(&python, &secret, &lines, &dir), Ok(EVENTS));
    // The oracle is not a rubber stamp: one changed byte fails it.
    let mut tampered = got[0].body.to_vec();
    tampered[10] ^= 1;
    let refused = verify_with_reference(&python, &secret, &[line(&got[0], &tampered)], &dir);
    assert!(refused.is_err(), "a tampered body verified");
    let _ = std::fs::remove_dir_all(dir);
});

/// Creates `n` links, 16 requests at a time; returns how many were created.
async fn create_links(app: &Arc<TestApp>, n: usize) -> usize {
    let mut created = 0;
    for chunk in (0..n).collect::<Vec<_>>().chunks(16) {
        let mut set = tokio::task::JoinSet::new();
        for &i in chunk {
            let app = app.clone();
            set.spawn(async move { app.post(&app.owner_key, "/v1/payment_links", link_body(i)).await });
        }
        for r in set.join_all().await {
            assert_eq!(r.status, 201, "{}", r.text);
            created += 1;
        }
    }
    created
}
