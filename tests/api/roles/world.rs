//! The actors, branches and named objects of one run, and the fresh copies write cells act on.

use super::objects::{
    self, AUDITS, CUSTOMERS, Home, LINKS, Made, Of, PAYMENTS, Paid, REFUNDS, SUPERVISOR_LIMIT, actor_home,
};
use crate::helpers::{Resp, TestApp};
use paylink::domain::Environment;
use paylink::domain::access::Role;
use paylink::service::pay::{self, InstrumentForm, PayRequest, PayerForm};
use paylink::service::secrets::base62;
use serde_json::{Value, json};
use std::collections::HashMap;

pub const TITLE: &str = "Role table";
/// Every named link's amount (room for the table's refunds of its payment).
pub const LINK_AMOUNT: &str = "1000.00";
pub const CUSTOMER_NAME: &str = "Role customer";

/// What a response says, for a failure message.
pub fn describe(r: &Resp) -> String {
    match r.body["error_code"].as_str() {
        Some(code) => format!("{} {code} ({})", r.status, r.body["error"].as_str().unwrap_or_default()),
        None => r.status.to_string(),
    }
}

fn created(r: &Resp, what: &str) -> Result<String, String> {
    match (r.status, r.body["id"].as_str()) {
        (200 | 201, Some(id)) => Ok(id.to_owned()),
        _ => Err(format!("{what}: {}", r.text)),
    }
}

pub struct World {
    /// Secret by actor (NOKEY has none), and of the helpers: `MAKER` (an OPERATION user of this
    /// merchant, sandbox key), `MAKER_PROD` (another, production key), `MAKER_FOREIGN` (an OPERATION
    /// service key of the other merchant), `STORE2` (an OWNER key of a second store of this merchant).
    pub keys: HashMap<&'static str, String>,
    /// User id by actor (actors with a user of the demo merchant).
    pub users: HashMap<&'static str, String>,
    /// Branch id by name.
    pub branches: HashMap<&'static str, String>,
    /// Id by name of every named link, payment, pristine refund, customer and audit entry.
    pub objects: HashMap<&'static str, String>,
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let (a, b) = (app.branch("ROLES-A").await, app.branch("ROLES-B").await);
        let mut keys = HashMap::from([("OWNER", app.owner_key.clone())]);
        let mut users = HashMap::new();
        let staff: [(&'static str, Role, Option<&str>, Environment); 10] = [
            ("ADMIN", Role::Admin, None, Environment::Sandbox),
            ("OPERATION", Role::Operation, None, Environment::Sandbox),
            ("ACCOUNTING", Role::Accounting, None, Environment::Sandbox),
            ("SUPERVISOR_A", Role::Supervisor, Some(&a), Environment::Sandbox),
            ("CASHIER_A1", Role::Cashier, Some(&a), Environment::Sandbox),
            ("CASHIER_A2", Role::Cashier, Some(&a), Environment::Sandbox),
            ("CASHIER_B1", Role::Cashier, Some(&b), Environment::Sandbox),
            ("PRODUCTION", Role::Owner, None, Environment::Production),
            ("MAKER", Role::Operation, None, Environment::Sandbox),
            ("MAKER_PROD", Role::Operation, None, Environment::Production),
        ];
        for (actor, role, branch, env) in staff {
            let (user, key) = app.staff_in(role, branch, env).await;
            if !actor.starts_with("MAKER") {
                users.insert(actor, user);
            }
            keys.insert(actor, key);
        }
        let merchant = app.merchant_id.clone();
        let owner = app
            .ctx
            .db
            .read(move |c| paylink::store::tenancy::find_user(c, &merchant, "owner@example.com"))
            .await
            .expect("read the demo owner")
            .expect("the demo owner exists");
        users.insert("OWNER", owner.id.to_string());
        let foreign = app.foreign_key().await;
        let maker = app.post(&foreign, "/v1/api_keys", json!({"name": "maker", "role": "OPERATION"})).await;
        assert_eq!(maker.status, 201, "the other merchant's MAKER key: {}", maker.text);
        keys.insert("MAKER_FOREIGN", maker.body["secret"].as_str().expect("secret").to_owned());
        keys.insert("FOREIGN", foreign);
        keys.insert("BADKEY", format!("sk_test_{}", base62(32)));
        keys.insert("STORE2", app.second_store_key().await.1);
        let branches = HashMap::from([("A", a), ("B", b), ("MAIN", app.branch_id.clone())]);
        let mut world = World { keys, users, branches, objects: HashMap::new() };
        let policy = json!({"supervisor_limit": SUPERVISOR_LIMIT, "auto_approve_below": "0"});
        let r = app.call("PATCH", "/v1/store/refund_policy", world.key("OWNER"), Some(policy)).await;
        assert_eq!(r.status, 200, "setting the refund policy: {}", r.text);
        for o in &LINKS {
            let id = world.make_link(app, o.name).await;
            world.objects.insert(o.name, id);
        }
        for o in &PAYMENTS {
            let id = world.pay(app, o.name).await;
            world.objects.insert(o.name, id);
        }
        for o in REFUNDS.iter().filter(|o| o.made == Made::Pristine) {
            let id =
                world.make_refund(app, o.name, "OWNER").await.unwrap_or_else(|e| panic!("setting up {}: {e}", o.name));
            world.objects.insert(o.name, id);
        }
        for o in &CUSTOMERS {
            let id = world.make_customer(app, o.name).await.unwrap_or_else(|e| panic!("setting up {}: {e}", o.name));
            world.objects.insert(o.name, id);
        }
        world.find_audit_entries(app).await;
        world
    }

    pub fn key(&self, actor: &str) -> Option<&str> {
        self.keys.get(actor).map(String::as_str)
    }

    fn secret(&self, actor: &str) -> &str {
        self.key(actor).unwrap_or_else(|| panic!("{actor} has no key"))
    }

    pub fn user(&self, actor: &str) -> &str {
        self.users.get(actor).unwrap_or_else(|| panic!("{actor} has no user"))
    }

    pub fn id(&self, name: &str) -> &str {
        self.objects.get(name).unwrap_or_else(|| panic!("roles.table: {name} does not exist outside write cells"))
    }

    /// The key of the owner of a home (who sets objects up there and reads them back).
    pub fn owner_of(&self, home: Home) -> &str {
        self.secret(match home {
            Home::Sandbox => "OWNER",
            Home::Production => "PRODUCTION",
            Home::Foreign => "FOREIGN",
        })
    }

    /// The key of the MAKER of a home: it requests the refunds (and is no actor).
    fn maker_of(&self, home: Home) -> &str {
        self.secret(match home {
            Home::Sandbox => "MAKER",
            Home::Production => "MAKER_PROD",
            Home::Foreign => "MAKER_FOREIGN",
        })
    }

    /// Creates a link in the state of the named link, by its creator; returns its id.
    pub async fn make_link(&self, app: &TestApp, name: &str) -> String {
        let o = objects::link_obj(name);
        let mut body = json!({"amount": LINK_AMOUNT, "title": TITLE});
        if let Some(b) = o.branch {
            body["branch"] = json!(self.branches[b]);
        }
        let link = app.create_link(self.secret(o.creator), body).await;
        let id = link["id"].as_str().expect("link id").to_owned();
        if o.cancelled {
            let owner = self.owner_of(actor_home(o.creator));
            let r = app.post(owner, &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
            assert_eq!(r.status, 200, "setting up {name}: cancel: {}", r.text);
        }
        id
    }

    /// Makes the named payment of its (pristine) link; returns its id.
    async fn pay(&self, app: &TestApp, name: &str) -> String {
        let o = objects::payment_obj(name);
        let (link, creator) = (self.id(o.link).to_owned(), objects::link_obj(o.link).creator);
        if o.paid == Paid::Cash {
            let body = json!({"method": "cash", "amount": LINK_AMOUNT});
            let r = app.post(self.secret(creator), &format!("/v1/payment_links/{link}/record_payment"), body).await;
            return created(&r, &format!("setting up {name}")).unwrap_or_else(|e| panic!("{e}"));
        }
        let methods = app.get(self.owner_of(actor_home(creator)), "/v1/payment_methods").await;
        let card = methods.body["data"].as_array().and_then(|m| m.iter().find(|m| m["kind"] == "card").cloned());
        let method_id =
            card.and_then(|m| m["id"].as_i64()).unwrap_or_else(|| panic!("no card method: {}", methods.text));
        let number = if o.paid == Paid::Declined { "4000000000000002" } else { "4242424242424242" };
        let req = PayRequest {
            method_id,
            instrument: InstrumentForm::Card { number: number.into(), expiry: "12/34".into(), cvv: "123".into() },
            payer: PayerForm::default(),
            client: Some("198.51.100.7".parse().expect("address")),
        };
        let p = pay::pay(&app.ctx, &link, req).await.unwrap_or_else(|e| panic!("setting up {name}: {e:?}"));
        let want = if o.paid == Paid::Declined { "failed" } else { "succeeded" };
        assert_eq!(p.status.as_str(), want, "setting up {name}");
        p.id.to_string()
    }

    /// The payment a refund (a fresh copy for `actor`) is requested on.
    pub fn refund_payment(&self, name: &str, actor: &str) -> &'static str {
        let o = objects::refund_obj(name);
        if o.made == Made::Own { objects::own_payment(actor) } else { o.payment }
    }

    /// The home of a named refund (its copy for `actor`).
    pub fn refund_home(&self, name: &str, actor: &str) -> Home {
        self.payment_home(self.refund_payment(name, actor))
    }

    pub fn payment_home(&self, payment: &str) -> Home {
        actor_home(objects::link_obj(objects::payment_obj(payment).link).creator)
    }

    /// Requests a refund in the state of the named one (for `actor`, who requests `own`); its id.
    pub async fn make_refund(&self, app: &TestApp, name: &str, actor: &str) -> Result<String, String> {
        let o = objects::refund_obj(name);
        let (payment, home) = (self.refund_payment(name, actor), self.refund_home(name, actor));
        let requester = if o.made == Made::Own { self.secret(actor) } else { self.maker_of(home) };
        let body = json!({"payment_id": self.id(payment), "amount": o.amount, "reason": "role table"});
        let id = created(&app.post(requester, "/v1/refunds", body).await, "request")?;
        if o.made == Made::Rejected {
            created(&app.post(self.owner_of(home), &format!("/v1/refunds/{id}/reject"), json!({})).await, "reject")?;
        }
        Ok(id)
    }

    /// Creates a customer like the named one, by its creator; its id.
    pub async fn make_customer(&self, app: &TestApp, name: &str) -> Result<String, String> {
        let o = objects::customer_obj(name);
        let mut body = json!({"name": CUSTOMER_NAME, "phone": "+966501234567"});
        if let Some(b) = o.branch {
            body["branch"] = json!(self.branches[b]);
        }
        created(&app.post(self.secret(o.creator), "/v1/customers", body).await, "create")
    }

    /// Finds the named audit entries (making the user and the second store's link they record).
    async fn find_audit_entries(&mut self, app: &TestApp) {
        let email = format!("{}@example.com", base62(12).to_lowercase());
        let body = json!({"email": email, "name": "Audited", "role": "ACCOUNTING"});
        let user = created(&app.post(self.secret("OWNER"), "/v1/users", body).await, "audit_user").unwrap();
        let store2 = app.create_link(self.secret("STORE2"), json!({"amount": 10, "title": "Second store"})).await;
        let store2 = store2["id"].as_str().expect("id").to_owned();
        for name in AUDITS {
            let (key, object, action) = match name {
                "audit_a1" => ("OWNER", self.id("link_a1").to_owned(), "payment_link.create"),
                "audit_user" => ("OWNER", user.clone(), "user.create"),
                "audit_prod" => ("PRODUCTION", self.id("link_prod").to_owned(), "payment_link.create"),
                "audit_foreign" => ("FOREIGN", self.id("link_foreign").to_owned(), "payment_link.create"),
                "audit_store2" => ("STORE2", store2.clone(), "payment_link.create"),
                _ => unreachable!("audit entry {name}"),
            };
            let r = app.get(self.secret(key), &format!("/v1/audit_log?object_id={object}&action={action}")).await;
            let entries = r.body["data"].as_array().cloned().unwrap_or_default();
            assert_eq!(entries.len(), 1, "setting up {name}: {}", r.text);
            self.objects.insert(name, entries[0]["id"].as_str().expect("entry id").to_owned());
        }
    }

    /// The table name of a listed item, if it is a named one of the list `of`.
    pub fn name_in_list(&self, path: &str, of: Of, item: &Value) -> Option<&'static str> {
        let find = |map: &HashMap<&'static str, String>, id: &Value| {
            map.iter().find(|(_, v)| id.as_str() == Some(v.as_str())).map(|(k, _)| *k)
        };
        match of {
            Of::Branch => find(&self.branches, &item["id"]),
            Of::User if path == "/v1/api_keys" => find(&self.users, &item["user_id"]),
            Of::User => find(&self.users, &item["id"]),
            _ => find(&self.objects, &item["id"]).filter(|name| objects::names(of).contains(name)),
        }
    }

    /// Whether `name` is a named object of the list `of`.
    pub fn names_in(&self, of: Of, name: &str) -> bool {
        match of {
            Of::User => self.users.contains_key(name),
            _ => objects::names(of).contains(&name),
        }
    }

    /// The request for a list section: `{NAME}` in the query becomes branch NAME's id, actor NAME's
    /// user id or object NAME's id; a list without paging parameters asks for pages of 100.
    pub fn list_request(&self, path: &str, line: usize) -> String {
        let mut out = path.to_owned();
        while let Some(start) = out.find('{') {
            let end = out[start..].find('}').map(|e| start + e).unwrap_or_else(|| panic!("roles.table:{line}: `{{`"));
            let name = &out[start + 1..end];
            let value = self
                .branches
                .get(name)
                .or_else(|| self.users.get(name))
                .or_else(|| self.objects.get(name))
                .unwrap_or_else(|| panic!("roles.table:{line}: unknown {name}"))
                .clone();
            out.replace_range(start..=end, &value);
        }
        let paged = ["/v1/payment_links", "/v1/refunds", "/v1/customers", "/v1/audit_log"];
        if paged.iter().any(|p| out.split('?').next() == Some(p)) && !out.contains("page") {
            out.push_str(if out.contains('?') { "&limit=100" } else { "?limit=100" });
        }
        out
    }
}
