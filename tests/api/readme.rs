//! The README's walk-through, run as written so it cannot rot: every command of its `sh` blocks,
//! in order, against a test server. `localhost:8080` is the test server, `paylink` the test binary
//! on the test's database, and each documented variable (`export LINK=plink_…   # its "id"`) is
//! set from the answer field its comment names. What a reader does by hand (paying the demo link
//! in a browser) the test does through the same service. A command that fails, answers other than
//! its `# → …` says, or uses a variable nothing earlier defines fails the test.

mod claims;
mod parse;
mod shell;

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, pay_with};
use parse::{Command, Documented, Step};
use serde_json::Value;
use shell::Shell;
use std::sync::Arc;

/// The heading under which the reader pays `$LINK` in the browser with the first test card.
const PAY_HEADING: &str = "Pay the demo link";

/// Where the walk-through is, and what the reader has done so far.
struct Walk<'a> {
    app: &'a TestApp,
    shell: Shell,
    /// The JSON of the last answer (`Null` when it was not JSON).
    last: Value,
    paid: bool,
    commands: usize,
}

impl Walk<'_> {
    async fn step(&mut self, step: Step) {
        match step {
            Step::Heading(h) if h == PAY_HEADING => self.pay_in_the_browser().await,
            Step::Heading(_) => {}
            Step::Command(cmd) => match cmd.documented() {
                Some(doc) => self.copy_value(&cmd, doc),
                None => self.run(&cmd).await,
            },
        }
    }

    async fn pay_in_the_browser(&mut self) {
        let link = self.value("LINK", PAY_HEADING);
        pay_with(self.app, &link, "card", card("4242424242424242"))
            .await
            .expect("the first sandbox card pays the link");
        self.paid = true;
    }

    /// A value the reader copies: from what the server printed at its first start, or from the
    /// field of the last answer that the comment names.
    fn copy_value(&mut self, cmd: &Command, doc: Documented) {
        let at = format!("README line {}", cmd.line);
        let value = match (doc.name.as_str(), doc.source.as_deref()) {
            ("KEY", _) => self.app.owner_key.clone(),
            ("STORE", _) => self.app.store_id.to_string(),
            (_, Some(path)) => field(&self.last, path)
                .unwrap_or_else(|| panic!("{at}: the last answer has no {path:?} for ${}: {}", doc.name, self.last)),
            (name, None) => panic!("{at}: the comment of {name} names no \"field\" of an answer"),
        };
        assert!(value.starts_with(&doc.prefix), "{at}: ${} = {value:?} does not start with {:?}", doc.name, doc.prefix);
        self.shell.define(&doc.name, value);
    }

    fn value(&self, name: &str, at: &str) -> String {
        let value = self.shell.var(name);
        value.unwrap_or_else(|| panic!("${name} is defined by no README line before {at:?}")).to_owned()
    }

    async fn run(&mut self, cmd: &Command) {
        let assigns = cmd.assigns();
        for name in cmd.uses() {
            let defined = self.shell.defines(&name) || assigns == Some(name.as_str());
            assert!(defined, "README line {} uses ${name}, which no earlier line defines:\n{}", cmd.line, cmd.code);
        }
        let out = self.shell.run(&cmd.code, assigns).await;
        self.commands += 1;
        if assigns.is_some() {
            return claims::check(cmd, &out, &Value::Null);
        }
        self.last = serde_json::from_str(out.stdout.trim()).unwrap_or(Value::Null);
        claims::check(cmd, &out, &self.last);
    }
}

/// The string (or number) at a dotted path (`payments.0.id`) of a JSON answer.
fn field(answer: &Value, path: &str) -> Option<String> {
    let pointer = format!("/{}", path.replace('.', "/"));
    match answer.pointer(&pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

both!(the_readme_walk_through_runs_as_written_and_answers_as_it_says, |app: Arc<TestApp>| async move {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let (steps, skipped) = parse::walk_through(&readme);
    assert_eq!(skipped, 1, "exactly one block is left out: the one that starts the server");
    let mut walk = Walk { app: &app, shell: Shell::new(&app), last: Value::Null, paid: false, commands: 0 };
    for step in steps {
        walk.step(step).await;
    }
    assert!(walk.paid, "the walk-through has a {PAY_HEADING:?} section, where the reader pays $LINK");
    assert!(walk.commands >= 20, "only {} commands ran: is the walk-through parsed?", walk.commands);
});
