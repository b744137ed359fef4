//! Store logos (base64 text, so both backends use one column type).

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use crate::domain::Timestamp;
use crate::domain::id::StoreId;
use crate::params;

/// A stored logo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    pub content_type: String,
    pub data_base64: String,
    pub digest: String,
}

/// Sets (or replaces) a store's logo.
pub fn put(c: &mut dyn Conn, store: &StoreId, logo: &Logo, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO store_logos (store_id, content_type, data_base64, digest, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (store_id) DO UPDATE SET content_type = excluded.content_type, \
         data_base64 = excluded.data_base64, digest = excluded.digest, updated_at = excluded.updated_at",
        params![
            store.as_str(),
            logo.content_type.as_str(),
            logo.data_base64.as_str(),
            logo.digest.as_str(),
            now.micros()
        ],
    )
    .map(|_| ())
}

/// Removes a store's logo; whether there was one.
pub fn delete(c: &mut dyn Conn, store: &StoreId) -> Result<bool, DbError> {
    Ok(c.execute("DELETE FROM store_logos WHERE store_id = ?1", params![store.as_str()])? == 1)
}

/// A store's logo.
pub fn get(c: &mut dyn Conn, store: &StoreId) -> Result<Option<Logo>, DbError> {
    columns! {
        enum LogoCol { ContentType = "content_type", Data = "data_base64", Digest = "digest" }
        const SQL = "SELECT " + COLUMNS + " FROM store_logos WHERE store_id = ?1";
    }
    let logo = |mut r: Row| {
        let (content_type, data_base64) = (r.take_text(LogoCol::ContentType)?, r.take_text(LogoCol::Data)?);
        Ok(Logo { content_type, data_base64, digest: r.take_text(LogoCol::Digest)? })
    };
    c.query_opt(SQL, params![store.as_str()])?.map(logo).transpose()
}

/// A store's name and logo digest in one read (what a page header needs).
pub fn brand(c: &mut dyn Conn, store: &StoreId) -> Result<Option<(String, Option<String>)>, DbError> {
    columns! {
        enum BrandCol { Name = "stores.name", Digest = "store_logos.digest" }
        const SQL = "SELECT " + COLUMNS + " FROM stores LEFT JOIN store_logos \
            ON store_logos.store_id = stores.id WHERE stores.id = ?1";
    }
    let row = c.query_opt(SQL, params![store.as_str()])?;
    row.map(|mut r| Ok((r.take_text(BrandCol::Name)?, r.take_opt_text(BrandCol::Digest)?))).transpose()
}
