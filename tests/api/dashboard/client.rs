//! `Staff`: a dashboard user's browser without the browser — a cookie jar of one session, the
//! form token scraped from the last page, no redirects followed (tests read where they lead).

use crate::helpers::{Resp, TestApp};
use paylink::domain::access::Role;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

/// A password of one's own (long, not a common one).
pub const OWN_PASSWORD: &str = "a quiet river at dawn";

/// A signed-in staff member.
pub struct Staff<'a> {
    pub app: &'a TestApp,
    pub email: String,
    /// The `Cookie` header this browser sends (session and sign-in form cookies).
    pub cookies: String,
    client: reqwest::Client,
}

/// The value of the first `name="csrf"` hidden input of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_owned())
}

/// The `name=value` of each `Set-Cookie` of a response.
fn set_cookies(r: &Resp) -> Vec<String> {
    let values = r.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok());
    values.filter_map(|v| v.split(';').next()).map(str::to_owned).collect()
}

impl<'a> Staff<'a> {
    /// A browser with no session yet.
    pub fn anonymous(app: &'a TestApp) -> Staff<'a> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Staff { app, email: String::new(), cookies: String::new(), client }
    }

    /// A new user with `role` (in `branch`) signed in, with a password of their own.
    pub async fn signed_in(app: &'a TestApp, role: Role, branch: Option<&str>) -> Staff<'a> {
        let (email, generated) = new_user(app, role, branch).await;
        let mut s = Staff::anonymous(app);
        let r = s.sign_in(&email, &generated).await;
        assert_eq!(r.headers.get(LOCATION).map(|v| v.to_str().unwrap()), Some("/dashboard/password"), "{}", r.text);
        let page = s.get("/dashboard/password").await;
        let csrf = csrf_of(&page.text).expect("a form token");
        let fields = [("csrf", csrf.as_str()), ("new_password", OWN_PASSWORD), ("confirm_password", OWN_PASSWORD)];
        let r = s.post_raw("/dashboard/password", &fields).await;
        assert_eq!(r.status, 303, "own password: {}", r.text);
        s.email = email;
        s
    }

    /// Posts the sign-in form (with the form's own token); keeps the cookies it sets.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        let page = self.get("/dashboard/login").await;
        let csrf = csrf_of(&page.text).expect("the sign-in form's token");
        self.post_raw("/dashboard/login", &[("csrf", &csrf), ("email", email), ("password", password)]).await
    }

    /// GET `path` with this browser's cookies.
    pub async fn get(&mut self, path: &str) -> Resp {
        let req = self.client.get(format!("{}{path}", self.app.base)).header(COOKIE, &self.cookies);
        let r = self.app.send(req).await;
        self.keep(&r);
        r
    }

    /// POSTs a form as is (the caller supplies any token).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let req = self.client.post(format!("{}{path}", self.app.base)).header(COOKIE, &self.cookies).form(fields);
        let r = self.app.send(req).await;
        self.keep(&r);
        r
    }

    /// POSTs a form from the page at `from`, with the token that page carries.
    pub async fn post(&mut self, from: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let page = self.get(from).await;
        let csrf = csrf_of(&page.text).unwrap_or_else(|| panic!("a form token on {from}: {}", page.text));
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    fn keep(&mut self, r: &Resp) {
        for pair in set_cookies(r) {
            let name = pair.split('=').next().unwrap_or_default().to_owned();
            let mut jar: Vec<String> = self
                .cookies
                .split("; ")
                .filter(|c| !c.is_empty() && !c.starts_with(&format!("{name}=")))
                .map(str::to_owned)
                .collect();
            if !pair.ends_with('=') {
                jar.push(pair);
            }
            self.cookies = jar.join("; ");
        }
    }
}

/// A new user of the demo store made through the API: (e-mail, generated password).
pub async fn new_user(app: &TestApp, role: Role, branch: Option<&str>) -> (String, String) {
    let email = format!("{}-{}@example.com", role.as_str().to_lowercase(), app.ctx.clock.now().micros());
    let mut body = serde_json::json!({"email": email, "role": role.as_str(), "name": "Staff member"});
    if let Some(b) = branch {
        body["branch"] = serde_json::json!(b);
    }
    let r = app.post(&app.owner_key, "/v1/users", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    (email, r.body["password"].as_str().expect("a generated password").to_owned())
}
