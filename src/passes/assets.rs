//! Assets pass: a book whose images name files in; each image tied to a checked, read file in
//! [`Book::assets`] out. Paths must stay inside the manuscript folder, and a file must really be
//! a PNG, JPEG, GIF or SVG image.

use std::collections::HashMap;

use crate::diag::Diagnostics;
use crate::image::{check_raster, sniff, svg};
use crate::load::{MAX_IMAGE_BYTES, Manuscript, read_bounded, show_bytes};
use crate::markdown::has_scheme;
use crate::model::{Alt, Asset, AssetId, Book, Image, MediaType};

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
                format!("image `{}` is not a PNG, JPEG, GIF or SVG file", image.src),
            )
            .hint("convert the image to PNG (photos: JPEG; diagrams: SVG)");
        return;
    };
    let bytes = match media_type {
        MediaType::Png | MediaType::Jpeg | MediaType::Gif => {
            check_raster(media_type, &bytes).map(|()| bytes)
        }
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
    let reading = crate::image::read(media_type, &bytes);
    book_assets.push(Asset {
        path: relative.clone(),
        media_type,
        natural_size: reading.natural_size,
        bytes,
        informative,
        font_families: reading.font_families,
    });
    by_path.insert(relative, id);
    image.asset = Some(id);
}
