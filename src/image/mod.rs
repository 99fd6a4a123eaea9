//! Images: a file's bytes in; out, what kind of image they are (by content, not by name),
//! whether their content may go into a book (or the [`ContentProblem`] that refuses it) and
//! their natural size. An SVG goes through the allow-list in [`svg`] before it is kept.

pub mod svg;

use crate::model::{FontFamily, MediaType};

/// Recognises an image by its content, not its name; a raster image must have a readable size.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return imagesize::blob_size(bytes).ok().map(|_| MediaType::Png);
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return imagesize::blob_size(bytes).ok().map(|_| MediaType::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return imagesize::blob_size(bytes).ok().map(|_| MediaType::Gif);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let looks_like_xml = text.starts_with("<?xml")
        || text.starts_with("<svg")
        || text.starts_with("<!--")
        || text.starts_with("<!DOCTYPE");
    (looks_like_xml && text.contains("<svg")).then_some(MediaType::Svg)
}

/// What the book keeps of an image besides its bytes, read once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// Its size in points (pixels at 96 per inch; SVG user units as points); `None` when it has
    /// none, such as an SVG of zero width.
    pub natural_size: Option<(f32, f32)>,
    /// The `font-family` lists an SVG's text asks for, each once, in the order first asked
    /// (with `font` and style sheets applied, as usvg reads them).
    pub font_families: Vec<Vec<FontFamily>>,
}

/// Reads an image's natural size and, for an SVG, the fonts its text asks for: one reading of
/// the drawing, whose text is not laid out (no font is given to lay it out in).
pub fn read(media_type: MediaType, bytes: &[u8]) -> Reading {
    let natural_size = |size: Option<(f32, f32)>| size.filter(|(w, h)| *w > 0.0 && *h > 0.0);
    match media_type {
        MediaType::Png | MediaType::Jpeg | MediaType::Gif => Reading {
            natural_size: natural_size(
                imagesize::blob_size(bytes)
                    .ok()
                    .map(|size| (size.width as f32 * 0.75, size.height as f32 * 0.75)),
            ),
            font_families: Vec::new(),
        },
        MediaType::Svg => {
            let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<FontFamily>>::new()));
            let record = asked.clone();
            let options = usvg::Options {
                font_resolver: usvg::FontResolver {
                    select_font: Box::new(move |font, _| {
                        let families: Vec<FontFamily> =
                            font.families().iter().map(font_family).collect();
                        if let Ok(mut asked) = record.lock()
                            && !asked.contains(&families)
                        {
                            asked.push(families);
                        }
                        None
                    }),
                    select_fallback: Box::new(|_, _, _| None),
                },
                ..usvg::Options::default()
            };
            let size = usvg::Tree::from_data(bytes, &options)
                .ok()
                .map(|tree| (tree.size().width(), tree.size().height()));
            drop(options);
            let font_families = std::sync::Arc::try_unwrap(asked)
                .ok()
                .and_then(|asked| asked.into_inner().ok())
                .unwrap_or_default();
            Reading {
                natural_size: natural_size(size),
                font_families,
            }
        }
    }
}

fn font_family(family: &usvg::FontFamily) -> FontFamily {
    match family {
        usvg::FontFamily::Serif => FontFamily::Serif,
        usvg::FontFamily::SansSerif => FontFamily::SansSerif,
        usvg::FontFamily::Monospace => FontFamily::Monospace,
        usvg::FontFamily::Cursive => FontFamily::Cursive,
        usvg::FontFamily::Fantasy => FontFamily::Fantasy,
        usvg::FontFamily::Named(name) => FontFamily::Named(name.clone()),
    }
}

/// The most pixels a raster image may have: a page never needs more, and decoding more could
/// exhaust memory (30 000 × 30 000 pixels would need 3.6 GB).
pub const MAX_PIXELS: u64 = 50_000_000;

/// Why an image's content is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentProblem {
    TooLarge {
        width: u64,
        height: u64,
    },
    /// A PNG or JPEG whose header is fine but whose data cannot be decoded.
    Corrupt,
    SvgUnreadable(String),
    /// A DOCTYPE with declarations of its own (entities), which inkfold never expands.
    SvgInternalSubset,
    /// Something in an SVG that could run code or fetch another file.
    SvgUnsafe(String),
    /// An SVG whose drawing would cost unbounded time or memory.
    SvgTooComplex(String),
    /// An SVG that refers to a part of itself it does not have (the id).
    SvgDangling(String),
    /// Bytes that are no PNG, JPEG, GIF or SVG image (what they are instead).
    NotAnImage(&'static str),
    /// An image of a kind a book takes, but not inside an SVG (what it is).
    NotInSvg(&'static str),
    /// A problem of an image embedded in an SVG as a `data:` URI.
    Embedded(Box<ContentProblem>),
}

impl ContentProblem {
    /// The message and hint, about `subject` (such as ``image `a.svg` ``).
    pub fn describe(&self, subject: &str) -> (String, String) {
        match self {
            ContentProblem::TooLarge { width, height } => (
                format!("{subject} is {width} × {height} pixels, more than the {MAX_PIXELS} inkfold accepts"),
                "scale the image down; 300 pixels per inch of printed size is plenty".into(),
            ),
            ContentProblem::Corrupt => (
                format!("{subject} is damaged: its pixels cannot be decoded"),
                "open the image in an editor and save it again, or export it anew".into(),
            ),
            ContentProblem::SvgUnreadable(why) => (
                format!("{subject} is not a well-formed SVG file: {why}"),
                "export the SVG again from your drawing program".into(),
            ),
            ContentProblem::SvgInternalSubset => (
                format!("{subject} declares entities in its DOCTYPE (`<!DOCTYPE svg [ … ]>`), which inkfold never expands"),
                "remove the DOCTYPE's bracketed part (or the whole DOCTYPE) and write the entities out; export the SVG again as plain SVG".into(),
            ),
            ContentProblem::SvgUnsafe(what) => (
                format!("{subject} contains {what}, which a book must not carry"),
                "remove scripts, event handlers and references to other files from the SVG (export it as plain SVG)".into(),
            ),
            ContentProblem::SvgTooComplex(what) => (
                format!("{subject} has {what}"),
                "simplify the drawing, or export it as a PNG".into(),
            ),
            ContentProblem::SvgDangling(id) => (
                format!("{subject} refers to `#{id}`, which it does not define (a gradient, pattern, filter or shape left out when it was saved)"),
                format!("export the SVG again from your drawing program, or remove the reference to `#{id}` (e.g. fill=\"url(#{id})\")"),
            ),
            ContentProblem::NotAnImage(what) => (
                format!("{subject} is {what}, not a PNG, JPEG, GIF or SVG file"),
                "convert the image to PNG (photos: JPEG; diagrams: SVG)".into(),
            ),
            ContentProblem::NotInSvg(what) => (
                format!("{subject} is {what}; an SVG may embed only PNG, JPEG and SVG images"),
                "convert the embedded image to PNG, or use the image in the chapter itself".into(),
            ),
            ContentProblem::Embedded(problem) => {
                problem.describe(&format!("a data: image inside {subject}"))
            }
        }
    }
}

/// Refuses a PNG, JPEG or GIF image too large to decode safely (from its header, before decoding)
/// or whose pixels cannot be decoded.
pub fn check_raster(media_type: MediaType, bytes: &[u8]) -> Result<(), ContentProblem> {
    let Ok(size) = imagesize::blob_size(bytes) else {
        return Err(ContentProblem::Corrupt);
    };
    let (width, height) = (size.width as u64, size.height as u64);
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(ContentProblem::TooLarge { width, height });
    }
    // Decode it once now, so a damaged file is the author's error here, not a failure
    // deep in the PDF writer.
    let decodes = match media_type {
        MediaType::Png => decode_png(bytes).is_some(),
        MediaType::Gif => decode_gif(bytes).is_some(),
        _ => zune_jpeg::JpegDecoder::new(std::io::Cursor::new(bytes))
            .decode()
            .is_ok(),
    };
    if decodes {
        Ok(())
    } else {
        Err(ContentProblem::Corrupt)
    }
}

/// Decodes a GIF's first frame, the one print shows (an animation's other frames are the
/// reading system's to play), within the pixel limit of its screen.
fn decode_gif(bytes: &[u8]) -> Option<()> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let frame = decoder.read_next_frame().ok()??;
    let pixels = u64::from(frame.width) * u64::from(frame.height);
    (pixels <= MAX_PIXELS).then_some(())
}

/// Decodes a PNG row by row, as far as a whole decode goes (every row, then the end of the
/// image data), holding one row at a time: a large photograph's pixels would be tens of
/// megabytes held only to be thrown away.
fn decode_png(bytes: &[u8]) -> Option<()> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .ok()?;
    while reader.next_row().ok()?.is_some() {}
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-pixel GIF.
    const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

    #[test]
    fn huge_raster_images_are_refused_from_their_header() {
        // A PNG header declaring 30000 × 30000 pixels, with no pixel data at all.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&30000u32.to_be_bytes());
        png.extend_from_slice(&30000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(sniff(&png), Some(MediaType::Png));
        assert_eq!(
            check_raster(MediaType::Png, &png),
            Err(ContentProblem::TooLarge {
                width: 30000,
                height: 30000
            })
        );
    }

    #[test]
    fn the_pixel_limit_holds_at_its_boundary() {
        let header = |width: u32, height: u32| {
            let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
            png.extend_from_slice(&width.to_be_bytes());
            png.extend_from_slice(&height.to_be_bytes());
            png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
            png
        };
        // 10 000 × 5 000 is exactly the limit: it passes the size check and is then found to
        // hold no pixels; one more row is refused before decoding.
        assert_eq!(10_000 * 5_000, MAX_PIXELS);
        assert_eq!(
            check_raster(MediaType::Png, &header(10_000, 5_000)),
            Err(ContentProblem::Corrupt)
        );
        assert_eq!(
            check_raster(MediaType::Png, &header(10_000, 5_001)),
            Err(ContentProblem::TooLarge {
                width: 10_000,
                height: 5_001
            })
        );
    }

    #[test]
    fn truncated_raster_images_are_damaged() {
        let png = include_bytes!("../../tests/cases/book/features/images/bars.png");
        assert_eq!(check_raster(MediaType::Png, png), Ok(()));
        assert_eq!(
            check_raster(MediaType::Png, &png[..png.len() / 2]),
            Err(ContentProblem::Corrupt)
        );
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(MediaType::Svg)
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg/>"),
            Some(MediaType::Svg)
        );
        assert_eq!(sniff(GIF), Some(MediaType::Gif));
        assert_eq!(check_raster(MediaType::Gif, GIF), Ok(()));
        assert_eq!(sniff(b"GIF89a"), None);
        // A header without a frame is no picture.
        assert_eq!(
            check_raster(MediaType::Gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            Err(ContentProblem::Corrupt)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\ntruncated"), None);
        assert_eq!(sniff(b"root:x:0:0:root:/root:/bin/bash"), None);
    }
}
