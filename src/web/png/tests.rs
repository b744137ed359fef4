//! The PNG is checked by decoding it here, independently of the encoder: chunks and their CRCs,
//! the zlib stream, every filter type, then each module's square against qrcodegen's matrix.

use super::*;

/// A decoded 1-bit grayscale image: `pixels[y][x]` is true for white.
struct Decoded {
    side: usize,
    pixels: Vec<Vec<bool>>,
}

/// Splits a PNG into (type, data) chunks, asserting each CRC.
fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    assert_eq!(png[..8], SIGNATURE, "PNG signature");
    let (mut at, mut out) = (8, Vec::new());
    while at < png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
        let data = &png[at + 8..at + 8 + len];
        let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
        assert_eq!(crc, crc32(&[&kind, data]), "CRC of {}", String::from_utf8_lossy(&kind));
        out.push((kind, data.to_vec()));
        at += 12 + len;
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = ((p - a as i16).abs(), (p - b as i16).abs(), (p - c as i16).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Reverses PNG filtering (1 byte per pixel group at bit depth 1).
fn unfilter(raw: &[u8], row_bytes: usize) -> Vec<Vec<u8>> {
    let mut rows: Vec<Vec<u8>> = Vec::new();
    for line in raw.chunks(row_bytes + 1) {
        let (filter, data) = (line[0], &line[1..]);
        let prior = rows.last().cloned().unwrap_or_else(|| vec![0; row_bytes]);
        let mut row = vec![0u8; row_bytes];
        for i in 0..row_bytes {
            let (a, b, c) = (if i > 0 { row[i - 1] } else { 0 }, prior[i], if i > 0 { prior[i - 1] } else { 0 });
            let predictor = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => paeth(a, b, c),
                f => panic!("filter type {f}"),
            };
            row[i] = data[i].wrapping_add(predictor);
        }
        rows.push(row);
    }
    rows
}

fn decode(png: &[u8]) -> Decoded {
    let chunks = chunks(png);
    let kinds: Vec<&[u8; 4]> = chunks.iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, [b"IHDR", b"IDAT", b"IEND"]);
    let ihdr = &chunks[0].1;
    let (w, h) =
        (u32::from_be_bytes(ihdr[..4].try_into().unwrap()), u32::from_be_bytes(ihdr[4..8].try_into().unwrap()));
    assert_eq!(w, h, "square");
    assert_eq!(ihdr[8..], [1, 0, 0, 0, 0], "1-bit grayscale, deflate, no interlace");
    let side = w as usize;
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&chunks[1].1).expect("a valid zlib stream");
    let row_bytes = side.div_ceil(8);
    assert_eq!(raw.len(), side * (row_bytes + 1));
    let rows = unfilter(&raw, row_bytes);
    let pixels = rows.iter().map(|r| (0..side).map(|x| r[x / 8] & (0x80 >> (x % 8)) != 0).collect()).collect();
    Decoded { side, pixels }
}

fn code_of(text: &str) -> QrCode {
    qr_code(text).expect("encodable")
}

#[test]
fn the_crc_is_the_standard_crc_32() {
    assert_eq!(crc32(&[b"123456789"]), 0xcbf4_3926);
    assert_eq!(crc32(&[b"1234", b"56789"]), 0xcbf4_3926, "parts are concatenated");
    assert_eq!(crc32(&[b"IEND"]), 0xae42_6082);
}

#[test]
fn the_png_decodes_to_the_qr_codes_modules_with_a_white_quiet_zone() {
    let qr = code_of("https://pay.example.com/invoice/65448ddef4924a5dd1b241a9");
    let img = decode(&encode(&qr));
    let n = qr.size() as usize;
    assert_eq!(img.side, (n + 2 * BORDER) * SCALE);
    for my in 0..n + 2 * BORDER {
        for mx in 0..n + 2 * BORDER {
            let inside = (BORDER..BORDER + n).contains(&mx) && (BORDER..BORDER + n).contains(&my);
            let dark = inside && qr.get_module((mx - BORDER) as i32, (my - BORDER) as i32);
            for py in my * SCALE..(my + 1) * SCALE {
                for px in mx * SCALE..(mx + 1) * SCALE {
                    assert_eq!(img.pixels[py][px], !dark, "pixel ({px}, {py}) of module ({mx}, {my})");
                }
            }
        }
    }
}

#[test]
fn the_decoder_reverses_every_filter_type() {
    // Rows filtered by hand with Sub, Up, Average and Paeth must come back as the plain rows.
    let plain = [[0xf0u8, 0x0f], [0xff, 0x00], [0x81, 0x7e], [0x3c, 0xc3]];
    let raw = [
        1,
        0xf0,
        0x0f_u8.wrapping_sub(0xf0), // Sub: minus the byte to the left
        2,
        0xff - 0xf0,
        0x00_u8.wrapping_sub(0x0f), // Up: minus the byte above
        3,
        0x81 - 0x7f,
        0x7e - 0x40, // Average: minus ⌊(left + above) / 2⌋
        4,
        0x3c_u8.wrapping_sub(0x81),
        0xc3 - 0x3c, // Paeth: above, then left, are the nearest
    ];
    let rows = unfilter(&raw, 2);
    assert_eq!(rows, plain.iter().map(|r| r.to_vec()).collect::<Vec<_>>());
}

#[test]
fn a_data_url_carries_the_png_in_base64() {
    let url = data_url("https://pay.example.com/invoice/65448ddef4924a5dd1b241a9").unwrap();
    let b64 = url.strip_prefix("data:image/png;base64,").expect("the data URL prefix");
    let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
    assert!(decode(&png).side > 0);
    assert!(url.len() < 4_000, "{} bytes", url.len());
}

#[test]
fn text_too_long_for_any_qr_code_has_no_data_url() {
    assert_eq!(data_url(&"x".repeat(5_000)), None);
}
