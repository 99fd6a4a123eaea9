//! Assets pass: a book whose images name files in; each image tied to a checked, read file in
//! [`Book::assets`] out. Paths must stay inside the manuscript folder, and a file must really be
//! a PNG, JPEG or SVG image.

use std::collections::HashMap;

use crate::diag::Diagnostics;
use crate::load::{MAX_IMAGE_BYTES, Manuscript, read_bounded, show_bytes};
use crate::markdown::has_scheme;
use crate::model::{Alt, Asset, AssetId, Book, Image, MediaType};
use crate::passes::svg;

/// Resolves and reads every image of the book, its cover included; the same file used twice
/// is stored once.
pub fn resolve(book: &mut Book, manuscript: &Manuscript, diags: &mut Diagnostics) {
    let mut by_path: HashMap<String, AssetId> = HashMap::new();
    let assets = &mut book.assets;
    for chapter in &mut book.chapters {
        let from = chapter.path.clone();
        chapter.images_mut(&mut |image| {
            resolve_image(image, &from, manuscript, assets, &mut by_path, diags);
        });
    }
    if let Some(cover) = &mut book.cover {
        resolve_image(cover, "book.toml", manuscript, assets, &mut by_path, diags);
    }
}

/// Finds, reads and checks one image, named relative to the file `from`.
fn resolve_image(
    image: &mut Image,
    from: &str,
    manuscript: &Manuscript,
    book_assets: &mut Vec<Asset>,
    by_path: &mut HashMap<String, AssetId>,
    diags: &mut Diagnostics,
) {
    if has_scheme(&image.src) {
        diags
            .error(image.span, format!("image `{}` is not a file in the manuscript", image.src))
            .hint("download the image into the manuscript folder (e.g. images/) and refer to it by its path");
        return;
    }
    let (absolute, relative) = match manuscript.resolve(from, &image.src) {
        Ok(found) => found,
        Err(problem) => {
            let (message, hint) = problem.describe("image", &image.src);
            diags.error(image.span, message).hint(hint);
            return;
        }
    };
    let informative = matches!(image.alt, Alt::Text(_));
    if let Some(&id) = by_path.get(&relative) {
        book_assets[id.0].informative |= informative;
        image.asset = Some(id);
        return;
    }
    let bytes = match read_bounded(&absolute, MAX_IMAGE_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            diags
                .error(
                    image.span,
                    format!(
                        "image `{}` is larger than {}",
                        image.src,
                        show_bytes(MAX_IMAGE_BYTES)
                    ),
                )
                .hint("scale the image down or save it compressed (photos: JPEG)");
            return;
        }
        Err(err) => {
            diags
                .error(
                    image.span,
                    format!("cannot read image `{}`: {err}", image.src),
                )
                .hint("check that the file is readable");
            return;
        }
    };
    let Some(media_type) = sniff(&bytes) else {
        diags
            .error(
                image.span,
                format!("image `{}` is not a PNG, JPEG or SVG file", image.src),
            )
            .hint("convert the image to PNG (photos: JPEG; diagrams: SVG)");
        return;
    };
    let bytes = match media_type {
        MediaType::Png | MediaType::Jpeg => check_raster(media_type, &bytes).map(|()| bytes),
        MediaType::Svg => svg::sanitize(&bytes).map(|kept| {
            if !kept.dropped.is_empty() {
                let dropped: Vec<String> = kept.dropped.into_iter().collect();
                diags
                    .warning(
                        image.span,
                        format!(
                            "image `{}`: left out {}",
                            image.src,
                            dropped.join(", ")
                        ),
                    )
                    .hint("a book's figures are still pictures; export the drawing as plain SVG to see what will be printed");
            }
            kept.bytes
        }),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(problem) => {
            let (message, hint) = problem.describe(&format!("image `{}`", image.src));
            diags.error(image.span, message).hint(hint);
            return;
        }
    };
    let id = AssetId(book_assets.len());
    book_assets.push(Asset {
        path: relative.clone(),
        media_type,
        natural_size: natural_size(media_type, &bytes),
        bytes,
        informative,
    });
    by_path.insert(relative, id);
    image.asset = Some(id);
}

/// The natural size of an image in points (pixels at 96 per inch; SVG user units as points).
fn natural_size(media_type: MediaType, bytes: &[u8]) -> Option<(f32, f32)> {
    match media_type {
        MediaType::Png | MediaType::Jpeg => {
            let size = imagesize::blob_size(bytes).ok()?;
            Some((size.width as f32 * 0.75, size.height as f32 * 0.75))
        }
        MediaType::Svg => {
            let tree = usvg::Tree::from_data(bytes, &usvg::Options::default()).ok()?;
            Some((tree.size().width(), tree.size().height()))
        }
    }
    .filter(|(w, h)| *w > 0.0 && *h > 0.0)
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
    /// Bytes that are no PNG, JPEG or SVG image (what they are instead).
    NotAnImage(&'static str),
    /// A problem of an image embedded in an SVG as a `data:` URI.
    Embedded(Box<ContentProblem>),
}

impl ContentProblem {
    /// The message and hint, about `subject` (such as ``image `a.svg` ``).
    fn describe(&self, subject: &str) -> (String, String) {
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
            ContentProblem::NotAnImage(what) => (
                format!("{subject} is {what}, not a PNG, JPEG or SVG file"),
                "convert the image to PNG (photos: JPEG; diagrams: SVG)".into(),
            ),
            ContentProblem::Embedded(problem) => {
                problem.describe(&format!("a data: image inside {subject}"))
            }
        }
    }
}

/// Refuses a PNG or JPEG image too large to decode safely (from its header, before decoding)
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
    let decodes = if media_type == MediaType::Png {
        decode_png(bytes).is_some()
    } else {
        zune_jpeg::JpegDecoder::new(std::io::Cursor::new(bytes))
            .decode()
            .is_ok()
    };
    if decodes {
        Ok(())
    } else {
        Err(ContentProblem::Corrupt)
    }
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

/// Recognises an image by its content, not its name; a raster image must have a readable size.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return imagesize::blob_size(bytes).ok().map(|_| MediaType::Png);
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return imagesize::blob_size(bytes).ok().map(|_| MediaType::Jpeg);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let looks_like_xml = text.starts_with("<?xml")
        || text.starts_with("<svg")
        || text.starts_with("<!--")
        || text.starts_with("<!DOCTYPE");
    (looks_like_xml && text.contains("<svg")).then_some(MediaType::Svg)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(sniff(b"GIF89a...."), None);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\ntruncated"), None);
        assert_eq!(sniff(b"root:x:0:0:root:/root:/bin/bash"), None);
    }
}
