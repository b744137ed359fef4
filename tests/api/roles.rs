//! The role truth table: `tests/roles.table`, written by hand from DESIGN §4, executed cell by cell
//! over HTTP. The table's header explains its format, its objects and the order the cells run in;
//! `table` parses it, `objects` names its objects, `world` builds the actors and objects of one run
//! (and the fresh copies write cells act on), `run` executes the cells and compares. Every
//! disagreement is reported in one message.

mod objects;
mod run;
mod table;
mod world;

use crate::both;
use crate::helpers::TestApp;
use std::sync::Arc;

#[test]
fn the_role_table_names_every_actor_once_in_every_section() {
    let sections = table::parse(table::TABLE);
    assert!(sections.len() >= 30, "the table has {} sections", sections.len());
}

both!(every_actor_gets_exactly_the_access_the_role_table_gives, |app: Arc<TestApp>| async move {
    let sections = table::parse(table::TABLE);
    let world = world::World::build(&app).await;
    let (failures, cells) = run::run_table(&app, &world, &sections).await;
    assert!(
        failures.is_empty(),
        "{} of {cells} role-table cells disagree with the server on {:?}:\n{}",
        failures.len(),
        app.backend,
        failures.join("\n")
    );
});
