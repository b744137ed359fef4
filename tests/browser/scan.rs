//! Reading a QR code off the screen as a customer's phone would: a screenshot of the element,
//! decoded from PNG to grey levels, then read by `rqrr`.

/// The text of the QR code in a PNG screenshot (`None`: no readable code).
pub fn read_qr(png_bytes: &[u8]) -> Option<String> {
    let mut decoder = png::Decoder::new(png_bytes);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).ok()?;
    let channels = frame.color_type.samples();
    let (w, h) = (frame.width as usize, frame.height as usize);
    let grey = |x: usize, y: usize| {
        let at = (y * w + x) * channels;
        let px = &buf[at..at + channels.min(3)];
        (px.iter().map(|&v| u32::from(v)).sum::<u32>() / px.len() as u32) as u8
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
    let grids = image.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}
