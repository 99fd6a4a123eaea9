//! Assets pass: a book whose images name files in; each image tied to a checked, read file in
//! [`Book::assets`] out. Paths must stay inside the manuscript folder, and a file must really be
//! a PNG, JPEG or SVG image.

use std::collections::HashMap;

use crate::diag::Diagnostics;
use crate::load::Manuscript;
use crate::markdown::has_scheme;
use crate::model::{Alt, Asset, AssetId, Book, MediaType};

/// Resolves and reads every image of the book; the same file used twice is stored once.
pub fn resolve(book: &mut Book, manuscript: &Manuscript, diags: &mut Diagnostics) {
    let mut by_path: HashMap<String, AssetId> = HashMap::new();
    let assets = &mut book.assets;
    for chapter in &mut book.chapters {
        let from = chapter.path.clone();
        chapter.visit_images_mut(&mut |image| {
            if has_scheme(&image.src) {
                diags
                    .error(image.span, format!("image `{}` is not a file in the manuscript", image.src))
                    .hint("download the image into the manuscript folder (e.g. images/) and refer to it by its path");
                return;
            }
            let (absolute, relative) = match manuscript.resolve(&from, &image.src) {
                Ok(found) => found,
                Err(problem) => {
                    let (message, hint) = problem.describe("image", &image.src);
                    diags.error(image.span, message).hint(hint);
                    return;
                }
            };
            let informative = matches!(image.alt, Alt::Text(_));
            if let Some(&id) = by_path.get(&relative) {
                assets[id.0].informative |= informative;
                image.asset = Some(id);
                return;
            }
            let bytes = match std::fs::read(&absolute) {
                Ok(bytes) => bytes,
                Err(err) => {
                    diags
                        .error(image.span, format!("cannot read image `{}`: {err}", image.src))
                        .hint("check that the file is readable");
                    return;
                }
            };
            let Some(media_type) = sniff(&bytes) else {
                diags
                    .error(image.span, format!("image `{}` is not a PNG, JPEG or SVG file", image.src))
                    .hint("convert the image to PNG (photos: JPEG; diagrams: SVG)");
                return;
            };
            let bytes = match normalize(media_type, bytes) {
                Ok(bytes) => bytes,
                Err(problem) => {
                    let (message, hint) = problem.describe(&image.src);
                    diags.error(image.span, message).hint(hint);
                    return;
                }
            };
            if let Err(problem) = check_content(media_type, &bytes) {
                let (message, hint) = problem.describe(&image.src);
                diags.error(image.span, message).hint(hint);
                return;
            }
            let id = AssetId(assets.len());
            assets.push(Asset {
                path: relative.clone(),
                media_type,
                bytes,
                informative,
            });
            by_path.insert(relative, id);
            image.asset = Some(id);
        });
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
}

impl ContentProblem {
    fn describe(&self, src: &str) -> (String, String) {
        match self {
            ContentProblem::TooLarge { width, height } => (
                format!("image `{src}` is {width} × {height} pixels, more than the {MAX_PIXELS} inkfold accepts"),
                "scale the image down; 300 pixels per inch of printed size is plenty".into(),
            ),
            ContentProblem::Corrupt => (
                format!("image `{src}` is damaged: its pixels cannot be decoded"),
                "open the image in an editor and save it again, or export it anew".into(),
            ),
            ContentProblem::SvgUnreadable(why) => (
                format!("image `{src}` is not a well-formed SVG file: {why}"),
                "export the SVG again from your drawing program".into(),
            ),
            ContentProblem::SvgInternalSubset => (
                format!("image `{src}` declares entities in its DOCTYPE (`<!DOCTYPE svg [ … ]>`), which inkfold never expands"),
                "remove the DOCTYPE's bracketed part (or the whole DOCTYPE) and write the entities out; export the SVG again as plain SVG".into(),
            ),
            ContentProblem::SvgUnsafe(what) => (
                format!("image `{src}` contains {what}, which a book must not carry"),
                "remove scripts, event handlers and references to other files from the SVG (export it as plain SVG)".into(),
            ),
        }
    }
}

/// An image as the book keeps it: an SVG loses a DOCTYPE that only names the SVG DTD (as
/// drawing programs write it), so neither output carries it; a DOCTYPE that declares anything
/// (an internal subset, where entities live) is refused, never expanded.
pub fn normalize(media_type: MediaType, bytes: Vec<u8>) -> Result<Vec<u8>, ContentProblem> {
    if media_type != MediaType::Svg {
        return Ok(bytes);
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(bytes);
    };
    let Some(range) = doctype(text)? else {
        return Ok(bytes);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    out.push_str(text[range.end..].trim_start_matches(['\r', '\n']));
    Ok(out.into_bytes())
}

/// Where the DOCTYPE declaration is, if the prolog (before the root element) has one; an
/// internal subset is an error.
fn doctype(text: &str) -> Result<Option<std::ops::Range<usize>>, ContentProblem> {
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let skipped = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .len();
        at += skipped;
        let rest = &text[at..];
        if rest.starts_with("<?") {
            let Some(end) = rest.find("?>") else {
                return Ok(None);
            };
            at += end + 2;
        } else if let Some(comment) = rest.strip_prefix("<!--") {
            let Some(end) = comment.find("-->") else {
                return Ok(None);
            };
            at += 4 + end + 3;
        } else if rest.starts_with("<!DOCTYPE") {
            // To the closing `>`, outside quoted system and public identifiers.
            let mut quote = None;
            for (i, c) in rest.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '[') => return Err(ContentProblem::SvgInternalSubset),
                    (None, '>') => return Ok(Some(at..at + i + 1)),
                    _ => {}
                }
            }
            return Ok(None);
        } else {
            return Ok(None);
        }
    }
}

/// Refuses raster images too large to decode safely, and SVG files that are not well-formed
/// XML (DOCTYPEs included), hold scripts or event handlers, or refer to other files.
pub fn check_content(media_type: MediaType, bytes: &[u8]) -> Result<(), ContentProblem> {
    match media_type {
        MediaType::Png | MediaType::Jpeg => {
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
        MediaType::Svg => check_svg(bytes),
    }
}

fn decode_png(bytes: &[u8]) -> Option<()> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .ok()?;
    let mut buffer = vec![0; reader.output_buffer_size()?];
    reader.next_frame(&mut buffer).ok().map(|_| ())
}

fn check_svg(bytes: &[u8]) -> Result<(), ContentProblem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ContentProblem::SvgUnreadable("not UTF-8".into()))?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| ContentProblem::SvgUnreadable(e.to_string()))?;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "script" | "foreignobject" | "iframe" | "object" | "embed"
        ) {
            return Err(ContentProblem::SvgUnsafe(format!(
                "a <{}> element",
                node.tag_name().name()
            )));
        }
        for attr in node.attributes() {
            let key = attr.name().to_ascii_lowercase();
            let value = attr.value().trim();
            if key.starts_with("on") {
                return Err(ContentProblem::SvgUnsafe(format!(
                    "an event handler `{}`",
                    attr.name()
                )));
            }
            let external_href =
                key == "href" && !value.starts_with('#') && !value.starts_with("data:image/");
            let external_url = value.contains("url(") && !value.replace(' ', "").contains("url(#");
            if external_href || external_url {
                return Err(ContentProblem::SvgUnsafe(format!(
                    "a reference to `{value}`"
                )));
            }
        }
        if name == "style"
            && node
                .text()
                .is_some_and(|t| t.contains("url(") || t.contains("@import"))
        {
            return Err(ContentProblem::SvgUnsafe(
                "a style sheet that loads other files".into(),
            ));
        }
    }
    Ok(())
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
    fn a_doctype_naming_the_svg_dtd_is_left_out() {
        let svg = b"<?xml version=\"1.0\"?>\n<!-- Drawn by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n  \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>a > b</text></svg>";
        assert_eq!(sniff(svg), Some(MediaType::Svg));
        let kept = normalize(MediaType::Svg, svg.to_vec()).expect("accepted");
        let kept = String::from_utf8(kept).expect("utf-8");
        assert!(!kept.contains("DOCTYPE"), "{kept}");
        assert!(
            kept.starts_with("<?xml version=\"1.0\"?>\n<!-- Drawn by hand -->\n<svg"),
            "{kept}"
        );
        assert_eq!(check_content(MediaType::Svg, kept.as_bytes()), Ok(()));
        let subset = b"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"svg11.dtd\" [\n<!ENTITY ns \"http://www.w3.org/2000/svg\">\n]><svg xmlns=\"&ns;\"/>";
        assert_eq!(
            normalize(MediaType::Svg, subset.to_vec()),
            Err(ContentProblem::SvgInternalSubset)
        );
        // A bracket inside a quoted identifier is no subset.
        let quoted =
            b"<!DOCTYPE svg SYSTEM \"odd[name].dtd\"><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert!(normalize(MediaType::Svg, quoted.to_vec()).is_ok());
    }

    #[test]
    fn unsafe_svg_is_refused() {
        let ok = br##"<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/></svg>"##;
        assert_eq!(check_content(MediaType::Svg, ok), Ok(()));
        let bad: [&[u8]; 6] = [
            b"<!DOCTYPE svg [<!ENTITY x \"y\">]><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"file:///etc/passwd\"/></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill:url(https://x.org/a)\"/></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject/></svg>",
        ];
        for svg in bad {
            assert!(
                check_content(MediaType::Svg, svg).is_err(),
                "{}",
                String::from_utf8_lossy(svg)
            );
        }
    }

    #[test]
    fn huge_raster_images_are_refused_from_their_header() {
        // A PNG header declaring 30000 × 30000 pixels, with no pixel data at all.
        let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        png.extend_from_slice(&30000u32.to_be_bytes());
        png.extend_from_slice(&30000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(sniff(&png), Some(MediaType::Png));
        assert_eq!(
            check_content(MediaType::Png, &png),
            Err(ContentProblem::TooLarge {
                width: 30000,
                height: 30000
            })
        );
    }

    #[test]
    fn truncated_raster_images_are_damaged() {
        let png = include_bytes!("../../tests/cases/book/features/images/bars.png");
        assert_eq!(check_content(MediaType::Png, png), Ok(()));
        assert_eq!(
            check_content(MediaType::Png, &png[..png.len() / 2]),
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
