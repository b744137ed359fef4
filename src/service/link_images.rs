//! Images on payment pages (given through a dialect): checked by their magic bytes (PNG,
//! JPEG, WebP or GIF; SVG and anything else refused), at most 2 MiB, stored with the link in its
//! creation transaction and served publicly at `/images/links/{id}` (the page's capability is the
//! link id; the image id is as unguessable). A stored image never changes, so it may be cached
//! for a year.

use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::id::{StoreId, ulid_body};
use crate::domain::{ErrorKind, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::link_images::{self, LinkImage};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

const PREFIX: &str = "limg_";

/// An image checked and ready to be stored with a new link.
#[derive(Clone, Debug)]
pub struct NewImage {
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl NewImage {
    /// Checks uploaded bytes; `field` names the request field in the error.
    pub fn check(bytes: Vec<u8>, field: &str) -> Result<NewImage> {
        if bytes.is_empty() || bytes.len() > MAX_IMAGE_BYTES {
            return Err(ServiceError::field(field, ErrorKind::Invalid, "must be an image of 1 byte to 2 MiB"));
        }
        let content_type = sniff(&bytes)
            .ok_or_else(|| ServiceError::field(field, ErrorKind::Invalid, "must be a PNG, JPEG, WebP or GIF image"))?;
        Ok(NewImage { content_type, bytes })
    }

    /// The content type the bytes showed.
    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// Stores the image for `store` inside the caller's transaction (reusing the store's copy of
    /// the same bytes); returns its id.
    pub fn store(&self, c: &mut dyn Conn, store: &StoreId, now: Timestamp) -> std::result::Result<String, DbError> {
        let digest = secrets::digest_bytes(&self.bytes);
        if let Some(id) = link_images::find_same(c, store, &digest)? {
            return Ok(id);
        }
        let (ms, rnd) = secrets::id_parts(now);
        let image = LinkImage {
            id: format!("{PREFIX}{}", ulid_body(ms, rnd)),
            store_id: store.clone(),
            content_type: self.content_type.to_owned(),
            data_base64: STANDARD.encode(&self.bytes),
            digest,
            created_at: now,
        };
        link_images::insert(c, &image)?;
        Ok(image.id)
    }
}

/// The content type the first bytes announce, among those accepted.
fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if b.len() > 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some("image/webp")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// The public path of an image.
pub fn image_path(id: &str) -> String {
    format!("/images/links/{id}")
}

/// An image by id: (content type, bytes). Ids of the wrong shape are not looked up.
pub async fn image(ctx: &Ctx, id: &str) -> Result<(String, Vec<u8>)> {
    let body = id.strip_prefix(PREFIX).ok_or(ServiceError::NotFound)?;
    if body.len() != 26 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ServiceError::NotFound);
    }
    let id = id.to_owned();
    let (content_type, data) = ctx.db.read(move |c| link_images::get(c, &id)).await?.ok_or(ServiceError::NotFound)?;
    let bytes =
        STANDARD.decode(data).map_err(|e| ServiceError::internal_from("a stored link image is not base64", e))?;
    Ok((content_type, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_magic_bytes_only() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"GIF89a\x01\0"), Some("image/gif"));
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert!(NewImage::check(Vec::new(), "image").is_err());
        assert!(NewImage::check(vec![0x89; MAX_IMAGE_BYTES + 1], "image").is_err());
    }
}
