//! Three `paylink serve` processes on one PostgreSQL database share every invariant: one payment
//! of a single-use link, one key's rate limit, an idempotency key's stored answer, one expiry per
//! link, and dashboard sessions. Each test starts its own three instances (a few seconds).

use super::cluster::Cluster;
use super::harness::{Api, eventually, open_page, pay_card, printed};
use crate::concurrency::together;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

mod three_hundred_payments_of_one_single_use_link_over_three_instances_charge_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(cluster) = Cluster::start(&[]).await else { return };
        let api = &cluster.api;
        let (status, link) =
            api.post(cluster.base(0), "/v1/payment_links", json!({"amount": "75.00", "title": "Ticket"})).await;
        assert_eq!(status, 201, "{link}");
        let link = link["id"].as_str().unwrap().to_owned();
        let method = api.method_id(cluster.base(0), "card").await;
        let page = Arc::new(open_page(&api.client, cluster.base(0), &link).await.expect("the link page"));
        let results = together(300, |i| {
            let (client, base, link, page) =
                (api.client.clone(), cluster.base(i).to_owned(), link.clone(), page.clone());
            async move { pay_card(&client, &base, &link, &page, method).await }
        })
        .await;
        let mut statuses = BTreeMap::new();
        for (status, _) in &results {
            *statuses.entry(*status).or_insert(0) += 1;
        }
        assert_eq!(statuses, BTreeMap::from([(303, 1), (409, 299)]), "one payment, the others refused cleanly");
        let winner = results.iter().find(|r| r.0 == 303).unwrap();
        assert!(winner.1.starts_with("/receipts/pay_"), "{}", winner.1);
        for i in 0..3 {
            let (_, l) = api.get(cluster.base(i), &format!("/v1/payment_links/{link}")).await;
            assert_eq!((l["status"].as_str(), l["payments_count"].as_i64()), (Some("paid"), Some(1)), "{l}");
        }
    }
}

mod one_keys_rate_limit_holds_across_three_instances {
    use super::*;

    /// Seconds into the current minute (the limit's window is a clock minute).
    fn second_of_minute() -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() % 60
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let env = [("PAYLINK_AUTH_PRODUCTION_REQUESTS_PER_MINUTE", "100")];
        let Some(cluster) = Cluster::start(&env).await else { return };
        let store = printed(cluster.scratch(), "store id");
        let args =
            ["admin", "key", "create", "--store", &store, "--environment", "production", "--role", "OWNER", "--json"];
        let out = cluster.scratch().command(&args).env("PAYLINK_POSTGRES_POOL_SIZE", "2").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let key: Value = serde_json::from_slice(&out.stdout).unwrap();
        let api = Api::new(key["secret"].as_str().unwrap());
        // The whole burst in one window: start early in a minute.
        while !(1..=40).contains(&second_of_minute()) {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let minute_before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 60;
        let results = together(300, |i| {
            let (api, base) = (api.clone(), cluster.base(i).to_owned());
            async move { api.get(&base, "/v1/payment_links?page_size=1").await }
        })
        .await;
        let minute_after = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 60;
        assert_eq!(minute_before, minute_after, "the burst stayed in one window");
        let served = results.iter().filter(|r| r.0 == 200).count();
        let refused = results.iter().filter(|r| r.0 == 429 && r.1["error_code"].is_string()).count();
        println!("rate limit 100/min over three instances: {served} served, {refused} refused");
        assert_eq!(served + refused, 300, "every request served or refused with 429");
        // Never late: at most the limit. May be early: each instance claims blocks of 100 / 50 = 2
        // and can be left holding at most one unused request of its last block.
        assert!((97..=100).contains(&served), "{served} served of a limit of 100");
    }
}

mod an_idempotency_key_replayed_on_another_instance_gets_the_stored_answer {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(cluster) = Cluster::start(&[]).await else { return };
        let api = &cluster.api;
        let body = json!({"amount": "12.50", "title": "Once only", "reference_id": "IDEM-1"});
        let mut answers = Vec::new();
        for i in 0..3 {
            let req =
                api.client.post(format!("{}/v1/payment_links", cluster.base(i))).header("Idempotency-Key", "order-77");
            answers.push(api.send(req.json(&body)).await);
        }
        assert_eq!(answers[0].0, 201, "{}", answers[0].1);
        assert!(answers[0].1["id"].as_str().unwrap().starts_with("plink_"));
        assert_eq!(answers[1], answers[0], "instance b replays instance a's answer");
        assert_eq!(answers[2], answers[0], "instance c replays instance a's answer");
        let (_, listed) = api.get(cluster.base(1), "/v1/payment_links?q=IDEM-1").await;
        assert_eq!(listed["data"].as_array().unwrap().len(), 1, "one link was created: {listed}");
    }
}

mod three_sweeping_instances_expire_each_due_link_once_with_one_event {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(cluster) = Cluster::start(&[]).await else { return };
        let api = &cluster.api;
        // Expiring together a few seconds from now, while all three sweep every 2 s.
        let at = paylink::clock::Clock::system().now().plus_secs(8).to_rfc3339();
        let created = together(60, |i| {
            let (api, base, at) = (api.clone(), cluster.base(i).to_owned(), at.clone());
            let body = json!({"amount": "5.00", "title": format!("Due {i}"), "expires_at": at});
            async move { api.post(&base, "/v1/payment_links", body).await }
        })
        .await;
        let ids: Vec<String> = created
            .iter()
            .map(|(s, l)| {
                assert_eq!(*s, 201, "{l}");
                l["id"].as_str().unwrap().to_owned()
            })
            .collect();
        let expired = async || {
            api.all_events(cluster.base(2))
                .await
                .into_iter()
                .filter(|e| e["type"] == "payment_link.expired")
                .collect::<Vec<_>>()
        };
        assert!(eventually(Duration::from_secs(40), async || expired().await.len() >= 60).await, "all 60 expired");
        // Two more sweeps of every instance, which must find nothing left to expire.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let events = expired().await;
        for id in &ids {
            let n = events.iter().filter(|e| e["object_id"] == id.as_str()).count();
            assert_eq!(n, 1, "{id} has {n} payment_link.expired events");
        }
        assert_eq!(events.len(), 60);
        let (_, l) = api.get(cluster.base(1), &format!("/v1/payment_links/{}", ids[0])).await;
        assert_eq!(l["status"], "expired");
    }
}

mod a_dashboard_session_made_on_one_instance_works_on_the_others {
    use super::*;
    use crate::dashboard::client::csrf_of;

    /// A browser: the cookies it keeps, across instances (one site behind a balancer).
    struct Browser {
        client: reqwest::Client,
        cookies: BTreeMap<String, String>,
    }

    impl Browser {
        async fn send(&mut self, req: reqwest::RequestBuilder) -> (u16, String, String) {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let r = req.header("cookie", jar.join("; ")).send().await.unwrap();
            for v in r.headers().get_all("set-cookie") {
                let pair = v.to_str().unwrap().split(';').next().unwrap();
                let (k, v) = pair.split_once('=').unwrap();
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
            let location = r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            (r.status().as_u16(), location, r.text().await.unwrap())
        }

        async fn get(&mut self, base: &str, path: &str) -> (u16, String, String) {
            let req = self.client.get(format!("{base}{path}"));
            self.send(req).await
        }

        /// Posts to `to` (base, path) with the form token of the page `from` (base, path).
        async fn post(
            &mut self,
            from: (&str, &str),
            to: (&str, &str),
            fields: &[(&str, &str)],
        ) -> (u16, String, String) {
            let (_, _, html) = self.get(from.0, from.1).await;
            let csrf = csrf_of(&html).unwrap_or_else(|| panic!("a form on {from:?}: {html}"));
            let mut form = vec![("csrf", csrf.as_str())];
            form.extend_from_slice(fields);
            let req = self.client.post(format!("{}{}", to.0, to.1)).form(&form);
            self.send(req).await
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        let Some(cluster) = Cluster::start(&[]).await else { return };
        let login = printed(cluster.scratch(), "owner login");
        let (email, password) = login.split_once(" / ").unwrap();
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut browser = Browser { client, cookies: BTreeMap::new() };
        let (a, b, c) = (cluster.base(0), cluster.base(1), cluster.base(2));
        let signed_in = browser
            .post((a, "/dashboard/login"), (a, "/dashboard/login"), &[("email", email), ("password", password)])
            .await;
        assert_eq!((signed_in.0, signed_in.1.as_str()), (303, "/dashboard/password"), "{}", signed_in.2);
        // The form on b, posted to c, with the session made on a.
        let own = "a quiet river at dawn";
        let changed = browser
            .post(
                (b, "/dashboard/password"),
                (c, "/dashboard/password"),
                &[("new_password", own), ("confirm_password", own)],
            )
            .await;
        assert_eq!(changed.0, 303, "{}", changed.2);
        for base in [a, b, c] {
            let (status, location, html) = browser.get(base, "/dashboard").await;
            assert_eq!((status, location.as_str()), (200, ""), "{base}: {html}");
            assert!(html.contains("/dashboard/logout"), "{base} shows a signed-in page");
        }
        // Signing out on c ends the session on a too.
        let out = browser.post((c, "/dashboard"), (c, "/dashboard/logout"), &[]).await;
        assert_eq!(out.0, 303, "{}", out.2);
        let (status, location, _) = browser.get(a, "/dashboard").await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/dashboard/login"), "{location}");
    }
}
