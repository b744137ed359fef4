//! What a hosted page needs about a link, in one statement (one round trip on PostgreSQL): the
//! link, its store's name and logo digest, and the enabled payment methods of its store and
//! environment (one row per method).

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use super::{links, methods};
use crate::domain::link::Link;
use crate::domain::method::PaymentMethod;
use crate::params;
use std::sync::LazyLock;

/// A link as its page shows it.
#[derive(Clone, Debug)]
pub struct PageData {
    pub link: Link,
    pub store_name: String,
    pub logo_digest: Option<String>,
    /// Enabled methods of the link's store and environment (not yet narrowed to the link's own).
    pub methods: Vec<PaymentMethod>,
}

fn qualified(table: &str, columns: &str) -> String {
    columns.split(", ").map(|c| format!("{table}.{c}")).collect::<Vec<_>>().join(", ")
}

columns! {
    /// What a page row holds between the link's columns and the method's.
    enum StoreCol { Name = "stores.name", LogoDigest = "store_logos.digest" }
}

/// Each row: the link's columns, [`StoreCol`], then one method's columns (NULL without one).
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, {}, {} FROM payment_links \
         JOIN stores ON stores.id = payment_links.store_id \
         LEFT JOIN store_logos ON store_logos.store_id = payment_links.store_id \
         LEFT JOIN payment_methods ON payment_methods.store_id = payment_links.store_id \
         AND payment_methods.environment = payment_links.environment AND payment_methods.enabled = TRUE",
        qualified("payment_links", links::COLUMNS),
        StoreCol::LIST,
        qualified("payment_methods", methods::COLUMNS)
    )
});

/// The page data of a link by id.
pub fn by_id(c: &mut dyn Conn, id: &str) -> Result<Option<PageData>, DbError> {
    let sql = format!("{} WHERE payment_links.id = ?1 ORDER BY payment_methods.id", *SELECT);
    decode(c.query(&sql, params![id])?)
}

/// The page data of a link by its short code.
pub fn by_code(c: &mut dyn Conn, code: &str) -> Result<Option<PageData>, DbError> {
    let sql = format!("{} WHERE payment_links.short_code = ?1 ORDER BY payment_methods.id", *SELECT);
    decode(c.query(&sql, params![code])?)
}

fn decode(rows: Vec<Row>) -> Result<Option<PageData>, DbError> {
    let mut page: Option<PageData> = None;
    for Row(mut values) in rows {
        let mut rest = Row(values.split_off(links::LinkCol::COUNT));
        if page.is_none() {
            let link = links::from_row(Row(values))?;
            page = Some(PageData {
                link,
                store_name: rest.take_text(StoreCol::Name)?,
                logo_digest: rest.take_opt_text(StoreCol::LogoDigest)?,
                methods: vec![],
            });
        }
        let method = Row(rest.0.split_off(StoreCol::COUNT));
        if method.opt_i64(methods::MethodCol::Id)?.is_some() {
            page.as_mut().expect("set above").methods.push(methods::from_row(method)?);
        }
    }
    Ok(page)
}
