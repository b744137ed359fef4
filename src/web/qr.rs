//! The QR code that moves a payer from a desktop screen to their phone, drawn as one SVG
//! `<path>` (a run of dark modules per row becomes one rectangle), so it weighs a few KB and
//! needs no image request. Inline SVG in HTML needs no `xmlns` (the parser supplies it).

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// The quiet zone around the code, in modules (the standard asks for 4).
const BORDER: i32 = 4;

/// Codes drawn recently, by text and label: a link's page is viewed again and again and its URL
/// never changes, so a view of a popular link skips the encoding. Cleared whole when full, which
/// bounds memory without bookkeeping.
static DRAWN: LazyLock<Mutex<Drawn>> = LazyLock::new(Default::default);
type Drawn = HashMap<(String, String), Arc<str>>;
/// At most ≈4 MB of drawn codes (one is 2–4 KB).
const DRAWN_MAX: usize = 1024;

/// [`svg`], remembered for the next page view of the same link.
pub fn cached_svg(text: &str, label: &str) -> Option<Arc<str>> {
    let key = (text.to_owned(), label.to_owned());
    if let Some(hit) = DRAWN.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Some(hit.clone());
    }
    let drawn: Arc<str> = svg(text, label)?.into();
    let mut cache = DRAWN.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() >= DRAWN_MAX {
        cache.clear();
    }
    cache.insert(key, drawn.clone());
    Some(drawn)
}

/// An inline SVG of `text` as a QR code, or `None` if the text is too long to encode.
pub fn svg(text: &str, label: &str) -> Option<String> {
    // A fixed mask: choosing the best of eight by penalty score was most of the page's CPU, and
    // every mask is valid (a scanner reads the mask from the code's format bits).
    let segments = QrSegment::make_segments(text);
    let qr = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::MAX,
        Some(Mask::new(0)),
        true,
    )
    .ok()?;
    let side = qr.size() + 2 * BORDER;
    let label = label.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    Some(format!(
        "<svg class=\"qr\" viewBox=\"0 0 {side} {side}\" role=\"img\" \
         aria-label=\"{label}\" shape-rendering=\"crispEdges\"><path fill=\"#fff\" d=\"M0 0h{side}v{side}H0z\"/>\
         <path d=\"{}\"/></svg>",
        path(&qr)
    ))
}

/// One `M x y h n v1 h-n z` rectangle per horizontal run of dark modules.
fn path(qr: &QrCode) -> String {
    let mut d = String::new();
    for y in 0..qr.size() {
        let mut x = 0;
        while x < qr.size() {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < qr.size() && qr.get_module(x, y) {
                x += 1;
            }
            d.push_str(&format!("M{} {}h{}v1h-{}z", start + BORDER, y + BORDER, x - start, x - start));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_address_becomes_one_small_path() {
        let svg = svg("https://pay.example.com/pay/pl_01JABCDEFGHJKMNPQRSTVWXYZ0", "QR").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\""), "{svg}");
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.len() < 8_000, "{} bytes", svg.len());
    }

    #[test]
    fn the_label_is_escaped() {
        let svg = svg("x", "a\"<b").unwrap();
        assert!(svg.contains("aria-label=\"a&quot;&lt;b\""), "{svg}");
    }
}
