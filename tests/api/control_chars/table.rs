//! The table of cases, read from the OpenAPI documents: one case per text position of a request
//! body, per query parameter and per path parameter of every documented route. `{bad}` in a
//! case's path, form value or JSON string stands for the control character tried.

use serde_json::{Map, Value, json};

/// Which surface a route belongs to: its documents, its key header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Native,
    Amwal,
    Exchange,
    BirrLink,
    Paymob,
}

/// The error shape a route answers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `{"error", "error_code", "details": {field: message}}` (native, Amwal's link routes).
    Native,
    /// Django REST Framework's `{"detail"}` / `{field: [message]}` (Amwal's refund route).
    Drf,
    /// `{"data": null, "err", "message", "details": {field: message}}`.
    Exchange,
    /// `{"status": "error", "error": {"code", "message", "details": [{field, message}]}}`.
    BirrLink,
    /// `{"message", "errors": {field: [sentence]}}` / `{"detail"}`.
    Paymob,
}

/// Where the control character goes.
#[derive(Clone, Debug)]
pub enum Where {
    Body,
    Query,
    Path,
}

impl Where {
    /// `body`, `query` or `path`.
    pub fn kind(&self) -> &'static str {
        match self {
            Where::Body => "body",
            Where::Query => "query",
            Where::Path => "path",
        }
    }
}

/// A request body with `{bad}` somewhere.
#[derive(Clone, Debug)]
pub enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart(Vec<(String, String)>),
}

/// One request and the field its answer must name.
#[derive(Clone, Debug)]
pub struct Case {
    pub surface: Surface,
    pub shape: Shape,
    pub method: String,
    pub path: String,
    pub body: Body,
    pub place: Where,
    pub field: String,
}

impl Case {
    /// The `Authorization` header value the surface takes for `key`.
    pub fn shape_auth(&self, key: &str) -> String {
        match self.surface {
            Surface::Amwal => key.to_owned(),
            Surface::Paymob => format!("Token {key}"),
            _ => format!("Bearer {key}"),
        }
    }
}

/// The five documents with their surfaces.
pub fn documents() -> Vec<(Surface, Value)> {
    let doc = |d: utoipa::openapi::OpenApi| serde_json::to_value(d).expect("document");
    vec![
        (Surface::Native, doc(paylink::app::openapi())),
        (Surface::Amwal, doc(paylink::dialects::amwal::openapi::openapi())),
        (Surface::Exchange, doc(paylink::dialects::exchange::openapi())),
        (Surface::BirrLink, doc(paylink::dialects::birrlink::openapi::openapi())),
        (Surface::Paymob, doc(paylink::dialects::paymob::openapi())),
    ]
}

/// Every case of every document.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (surface, doc) in documents() {
        let base = doc["servers"][0]["url"].as_str().unwrap_or("").to_owned();
        for (template, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("path item") {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    let route = Route { surface, shape: shape_of(surface, template), base: &base, template, method };
                    out.extend(route.cases(&doc, op));
                }
            }
        }
    }
    out
}

/// The error shape of a route.
fn shape_of(surface: Surface, template: &str) -> Shape {
    match surface {
        Surface::Native => Shape::Native,
        Surface::Amwal if template.contains("/transactions/refund/") => Shape::Drf,
        Surface::Amwal => Shape::Native,
        Surface::Exchange => Shape::Exchange,
        Surface::BirrLink => Shape::BirrLink,
        Surface::Paymob => Shape::Paymob,
    }
}

/// One documented operation.
struct Route<'a> {
    surface: Surface,
    shape: Shape,
    base: &'a str,
    template: &'a str,
    method: &'a str,
}

impl Route<'_> {
    fn case(&self, path: String, body: Body, place: Where, field: String) -> Case {
        let (surface, shape, method) = (self.surface, self.shape, self.method.to_uppercase());
        Case { surface, shape, method, path, body, place, field }
    }

    /// The operation's cases: each text position of its bodies, each query and path parameter.
    fn cases(&self, doc: &Value, op: &Value) -> Vec<Case> {
        let plain_path = format!("{}{}", self.base, fill(self.template, None));
        let mut out: Vec<Case> = bodies(doc, op, self.shape)
            .into_iter()
            .map(|(field, body)| self.case(plain_path.clone(), body, Where::Body, field))
            .collect();
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().expect("parameter name").to_owned();
            match p["in"].as_str() {
                Some("query") => {
                    let path = format!("{plain_path}?{name}=a{{bad}}b");
                    out.push(self.case(path, Body::None, Where::Query, name));
                }
                Some("path") => {
                    let path = format!("{}{}", self.base, fill(self.template, Some(&name)));
                    out.push(self.case(path, Body::None, Where::Path, name));
                }
                _ => {}
            }
        }
        out
    }
}

/// The path with its parameters filled: `x`, and `x{bad}y` for the one named.
fn fill(template: &str, bad: Option<&str>) -> String {
    let mut out = String::new();
    for (i, part) in template.split(['{', '}']).enumerate() {
        match i % 2 {
            0 => out.push_str(part),
            _ if Some(part) == bad => out.push_str("x{bad}y"),
            _ => out.push('x'),
        }
    }
    out
}

/// One body per text position of each of the operation's request bodies, with the field the
/// surface names.
fn bodies(doc: &Value, op: &Value, shape: Shape) -> Vec<(String, Body)> {
    let mut out = Vec::new();
    let Some(content) = op["requestBody"]["content"].as_object() else { return out };
    for (media, spec) in content {
        let mut positions = Vec::new();
        walk(doc, &spec["schema"], Vec::new(), &mut positions);
        for segs in positions {
            // Paymob's fields are flat: a list is a repeated field, named as such.
            let field = if shape == Shape::Paymob { top(&segs) } else { name(&segs) };
            let flat = || vec![(top(&segs), "a{bad}b".to_owned())];
            let body = match media.as_str() {
                "application/json" => Body::Json(place(&segs)),
                "multipart/form-data" if segs.len() == 1 || is_list(&segs) => Body::Multipart(flat()),
                "application/x-www-form-urlencoded" if segs.len() == 1 || is_list(&segs) => Body::Form(flat()),
                _ => continue,
            };
            out.push((field, body));
        }
    }
    out
}

/// One step of a path into a JSON body.
#[derive(Clone, Debug)]
enum Seg {
    /// A member's value.
    Key(String),
    /// The first item of a list.
    Item,
    /// A member's name (of a free object): the surface names the object.
    KeyName,
}

/// Collects the text positions of a schema.
fn walk(doc: &Value, schema: &Value, at: Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    let s = resolve(doc, schema);
    let then = |seg: Seg| [at.clone(), vec![seg]].concat();
    if let Some(parts) = s["allOf"].as_array() {
        parts.iter().for_each(|p| walk(doc, p, at.clone(), out));
    } else if let Some(props) = s["properties"].as_object() {
        props.iter().for_each(|(k, sub)| walk(doc, sub, then(Seg::Key(k.clone())), out));
    } else if has_type(s, "array") {
        walk(doc, &s["items"], then(Seg::Item), out);
    } else if s["format"] == "binary" {
    } else if has_type(s, "object") {
        out.push(then(Seg::Key("k".to_owned())));
        out.push(then(Seg::KeyName));
    } else {
        out.push(at);
    }
}

/// A schema with references and nullable alternatives looked through.
pub fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    if let Some(r) = s["$ref"].as_str() {
        return resolve(doc, &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or("")]);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alt) = s[key].as_array().and_then(|a| a.iter().find(|a| a["type"] != "null")) {
            return resolve(doc, alt);
        }
    }
    s
}

/// Whether a schema's `type` is (or includes) `t`.
pub fn has_type(s: &Value, t: &str) -> bool {
    match &s["type"] {
        Value::String(x) => x == t,
        Value::Array(xs) => xs.iter().any(|x| x == t),
        _ => false,
    }
}

fn top(segs: &[Seg]) -> String {
    match segs.first() {
        Some(Seg::Key(k)) => k.clone(),
        _ => "body".to_owned(),
    }
}

fn is_list(segs: &[Seg]) -> bool {
    matches!(segs, [Seg::Key(_), Seg::Item])
}

/// The field a JSON surface names: `customer.phone`, `events[0]`, the object for a member name.
fn name(segs: &[Seg]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => out.push_str(&format!(".{k}")),
            Seg::Item => out.push_str(if out.is_empty() { "body[0]" } else { "[0]" }),
            Seg::KeyName => {}
        }
    }
    if out.is_empty() { "body".to_owned() } else { out }
}

/// A JSON body holding `{bad}` at the position.
fn place(segs: &[Seg]) -> Value {
    match segs {
        [] => json!("a{bad}b"),
        [Seg::Key(k), rest @ ..] => Value::Object(Map::from_iter([(k.clone(), place(rest))])),
        [Seg::Item, rest @ ..] => json!([place(rest)]),
        [Seg::KeyName, ..] => json!({"k{bad}": "v"}),
    }
}

/// `body` with every `{bad}` in its strings and member names replaced by `bad`.
pub fn with_bad(body: &Value, bad: &str) -> Value {
    match body {
        Value::String(s) => Value::String(s.replace("{bad}", bad)),
        Value::Array(items) => Value::Array(items.iter().map(|v| with_bad(v, bad)).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.replace("{bad}", bad), with_bad(v, bad))).collect())
        }
        other => other.clone(),
    }
}
