//! A write load for process tests: tasks that create payment links over HTTP until stopped,
//! keeping every answer with the moment it arrived. A 201 means committed, so its id must
//! survive whatever the test does to the database afterwards.

use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answer: the link id of a 201, or the status (0: no answer at all) and body otherwise.
#[derive(Clone, Debug)]
pub(crate) enum Answer {
    Created(String),
    Refused(u16, Value),
}

/// Running writers; [`Writers::stop`] ends them.
pub(crate) struct Writers {
    answers: Arc<Mutex<Vec<(Instant, Answer)>>>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Writers {
    /// Starts `n` writers on `base` with the API key `key`; each request may take `timeout`.
    pub(crate) fn start(base: &str, key: &str, n: usize, timeout: Duration) -> Writers {
        let (answers, stop) = (Arc::new(Mutex::new(Vec::new())), Arc::new(AtomicBool::new(false)));
        let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
        let tasks = (0..n)
            .map(|w| {
                let (client, base, key) = (client.clone(), base.to_owned(), key.to_owned());
                let (answers, stop) = (answers.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        let answer = create(&client, &base, &key, &format!("Load {w}-{i}")).await;
                        let failed = matches!(answer, Answer::Refused(..));
                        answers.lock().unwrap().push((Instant::now(), answer));
                        if failed {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                })
            })
            .collect();
        Writers { answers, stop, tasks }
    }

    /// Every answer so far, in arrival order.
    pub(crate) fn answers(&self) -> Vec<(Instant, Answer)> {
        self.answers.lock().unwrap().clone()
    }

    /// The ids of the links created (answered 201) so far.
    pub(crate) fn created(&self) -> Vec<String> {
        created_in(&self.answers.lock().unwrap())
    }

    /// Stops the writers and waits for their last requests.
    pub(crate) async fn stop(self) -> Vec<(Instant, Answer)> {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        Arc::try_unwrap(self.answers).unwrap().into_inner().unwrap()
    }
}

async fn create(client: &reqwest::Client, base: &str, key: &str, title: &str) -> Answer {
    let body = json!({"amount": "3.00", "title": title});
    let sent = client.post(format!("{base}/v1/payment_links")).bearer_auth(key).json(&body).send().await;
    let Ok(response) = sent else { return Answer::Refused(0, Value::Null) };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    match (status, body["id"].as_str()) {
        (201, Some(id)) => Answer::Created(id.to_owned()),
        _ => Answer::Refused(status, body),
    }
}

/// The ids of the links created (answered 201) among `answers`.
pub(crate) fn created_in<C: FromIterator<String>>(answers: &[(Instant, Answer)]) -> C {
    answers
        .iter()
        .filter_map(|(_, a)| match a {
            Answer::Created(id) => Some(id.clone()),
            Answer::Refused(..) => None,
        })
        .collect()
}
