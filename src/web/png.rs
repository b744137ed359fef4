//! A QR code as a PNG `data:` URL, the form some dialects hand out with a link (an invoice's
//! `QR` field). The image is 1-bit grayscale: each module a square of [`SCALE`] pixels, inside a
//! quiet zone of [`BORDER`] modules. The encoder is the few lines PNG needs — signature, `IHDR`,
//! one zlib `IDAT` (miniz_oxide), `IEND`, each chunk with its CRC-32 — rather than an image
//! library for one fixed kind of picture.

use base64::Engine;
use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

/// The quiet zone around the code, in modules (the standard asks for 4).
const BORDER: usize = 4;
/// Pixels per module: a URL's code (≈37 modules) becomes ≈270 px, sharp without scaling.
const SCALE: usize = 6;
/// The eight bytes every PNG starts with.
const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// `text` as a QR code in a `data:image/png;base64,…` URL, or `None` if it is too long to encode.
pub fn data_url(text: &str) -> Option<String> {
    let png = encode(&qr_code(text)?);
    Some(format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png)))
}

/// The QR code of `text`, drawn with a fixed mask as the page's SVG code is (`web::qr`): every
/// mask is valid, and choosing the best of eight costs more than the rest of the encoding.
fn qr_code(text: &str) -> Option<QrCode> {
    let segments = QrSegment::make_segments(text);
    QrCode::encode_segments_advanced(&segments, QrCodeEcc::Medium, Version::MIN, Version::MAX, Some(Mask::new(0)), true)
        .ok()
}

/// The PNG file of a QR code.
pub fn encode(qr: &QrCode) -> Vec<u8> {
    let side = side_of(qr);
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(side as u32).to_be_bytes());
    header.extend_from_slice(&(side as u32).to_be_bytes());
    // Bit depth 1, colour type 0 (grayscale), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);
    let pixels = miniz_oxide::deflate::compress_to_vec_zlib(&scanlines(qr), 9);
    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &pixels);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// The image's width and height in pixels.
fn side_of(qr: &QrCode) -> usize {
    (qr.size() as usize + 2 * BORDER) * SCALE
}

/// The raw image: per pixel row, filter type 0 (none) then the row's bits, most significant
/// first, 1 for white and 0 for a dark module.
fn scanlines(qr: &QrCode) -> Vec<u8> {
    let side = side_of(qr);
    let row_bytes = side.div_ceil(8);
    let mut out = Vec::with_capacity(side * (row_bytes + 1));
    for py in 0..side {
        out.push(0);
        let mut row = vec![0xffu8; row_bytes];
        for px in 0..side {
            if dark(qr, px / SCALE, py / SCALE) {
                row[px / 8] &= !(0x80 >> (px % 8));
            }
        }
        out.extend_from_slice(&row);
    }
    out
}

/// Whether the module at (`mx`, `my`) of the bordered picture is dark.
fn dark(qr: &QrCode, mx: usize, my: usize) -> bool {
    let (x, y) = (mx as i32 - BORDER as i32, my as i32 - BORDER as i32);
    // `get_module` answers light outside the code, so the quiet zone needs no case of its own.
    qr.get_module(x, y)
}

/// Appends one chunk: length, type, data, and the CRC-32 of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    png.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
}

/// The CRC-32 (ISO 3309, the one PNG and zlib's gzip use) of the concatenated parts.
pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in parts.iter().flat_map(|p| p.iter()) {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    c ^ 0xffff_ffff
}

/// The CRC of every byte value, computed at compile time (reflected polynomial 0xEDB88320).
static CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

#[cfg(test)]
mod tests;
