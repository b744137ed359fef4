//! Images shown on a link's payment page (given through a dialect), kept as base64 text
//! like store logos so both backends use one column type. An image is written in the same
//! transaction as the link that shows it and never changes afterwards, so its URL may be cached
//! forever.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError};
use crate::domain::Timestamp;
use crate::domain::id::StoreId;
use crate::params;

/// A stored image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkImage {
    /// `limg_…`, the last part of the image's public URL.
    pub id: String,
    /// The store whose link shows it.
    pub store_id: StoreId,
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif` (a CHECK in the schema).
    pub content_type: String,
    /// The bytes, base64.
    pub data_base64: String,
    /// Hex SHA-256 of the bytes.
    pub digest: String,
    /// When it was stored.
    pub created_at: Timestamp,
}

/// The id of the store's image with these bytes, if it has one already (uploading the same
/// picture for many links keeps one copy).
pub fn find_same(c: &mut dyn Conn, store: &StoreId, digest: &str) -> Result<Option<String>, DbError> {
    let sql = "SELECT id FROM link_images WHERE store_id = ?1 AND digest = ?2 ORDER BY id LIMIT 1";
    c.query_opt(sql, params![store.as_str(), digest])?.map(|mut r| r.take_text(Only)).transpose()
}

/// Inserts an image.
pub fn insert(c: &mut dyn Conn, i: &LinkImage) -> Result<(), DbError> {
    let sql = "INSERT INTO link_images (id, store_id, content_type, data_base64, digest, created_at) \
               VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    let values = params![
        i.id.as_str(),
        i.store_id.as_str(),
        i.content_type.as_str(),
        i.data_base64.as_str(),
        i.digest.as_str(),
        i.created_at.micros()
    ];
    c.execute(sql, values).map(|_| ())
}

/// An image by id: (content type, base64 data).
pub fn get(c: &mut dyn Conn, id: &str) -> Result<Option<(String, String)>, DbError> {
    columns! {
        enum ImageCol { ContentType = "content_type", Data = "data_base64" }
        const SQL = "SELECT " + COLUMNS + " FROM link_images WHERE id = ?1";
    }
    let row = c.query_opt(SQL, params![id])?;
    row.map(|mut r| Ok((r.take_text(ImageCol::ContentType)?, r.take_text(ImageCol::Data)?))).transpose()
}
