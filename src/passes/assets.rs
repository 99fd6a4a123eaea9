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
    let looks_like_xml =
        text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--");
    (looks_like_xml && text.contains("<svg")).then_some(MediaType::Svg)
}

#[cfg(test)]
mod tests {
    use super::*;

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
