//! EPUB 3 backend: the finished book in, the bytes of a valid, accessible `.epub` out.
//!
//! Our own package writer over `zip` (see the README for why not epub-builder): [`files`] makes
//! every file of the package in a fixed order, [`package`] zips them with `mimetype` first and
//! stored, fixed timestamps and permissions, so the same book always gives the same bytes.

mod package;
mod style;
mod xhtml;

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::config::EpubOptions;
use crate::layout::FontBook;
use crate::layout::document::{PageMap, PageStart};
use crate::model::{AssetId, Book, Chapter, MediaType};

pub use package::{container, creators, default_summary, manifest_and_spine};
pub use xhtml::{document_end, html_start};

/// One file of the package.
#[derive(Debug, Clone)]
pub struct EpubFile {
    /// The path inside the zip.
    pub path: String,
    /// The manifest id.
    pub id: String,
    pub media_type: &'static str,
    pub properties: Option<&'static str>,
    pub in_spine: bool,
    pub bytes: Vec<u8>,
}

impl EpubFile {
    /// A file of the package, neither the navigation document nor in the spine.
    pub fn new(path: String, id: String, media_type: &'static str, bytes: Vec<u8>) -> EpubFile {
        EpubFile {
            path,
            id,
            media_type,
            properties: None,
            in_spine: false,
            bytes,
        }
    }

    fn in_spine(mut self) -> Self {
        self.in_spine = true;
        self
    }
}

const XHTML: &str = "application/xhtml+xml";

/// The file name of a chapter's content document (in `EPUB/text/`).
pub fn chapter_file(chapter: &Chapter) -> String {
    format!("{}.xhtml", chapter.id)
}

/// The path of an asset relative to `EPUB/`: numbered, with a name safe in a URL.
pub fn asset_href(book: &Book, id: AssetId) -> String {
    let asset = &book.assets[id.0];
    let name = crate::paths::file_name(&asset.path);
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("images/{}-{safe}", id.0 + 1)
}

/// Every file of the package, in zip order: `mimetype`, the container, the package document,
/// then the title page, the navigation document, the chapters, the style sheet, images and fonts.
pub fn files(
    book: &Book,
    options: &EpubOptions,
    fonts: &FontBook,
    pages: &[PageStart],
) -> Vec<EpubFile> {
    let embedded = options.embed_fonts.then_some(fonts);
    let colophon =
        xhtml::Colophon {
            families: embedded.map(|fonts| {
                let mut families: Vec<String> = Vec::new();
                for (_, face) in fonts.faces().filter(|(_, f)| f.info.in_epub()) {
                    if !families.contains(&face.info.family) {
                        families.push(face.info.family.clone());
                    }
                }
                families
            }),
            summary: book.meta.a11y.summary.clone().unwrap_or_else(|| {
                package::default_summary(book.assets.iter().any(|a| a.informative))
            }),
        };
    // Reading order: the title page, the contents, the chapters.
    let mut resources = vec![
        EpubFile::new(
            "EPUB/title.xhtml".into(),
            "title-page".into(),
            XHTML,
            xhtml::title_page(book, pages, &colophon).into_bytes(),
        )
        .in_spine(),
        EpubFile {
            properties: Some("nav"),
            ..EpubFile::new(
                "EPUB/nav.xhtml".into(),
                "nav".into(),
                XHTML,
                package::nav(book, pages).into_bytes(),
            )
        }
        .in_spine(),
    ];
    for (index, chapter) in book.chapters.iter().enumerate() {
        resources.push(
            EpubFile::new(
                format!("EPUB/text/{}", chapter_file(chapter)),
                format!("chapter-{}", chapter.id),
                XHTML,
                xhtml::chapter(book, index, pages).into_bytes(),
            )
            .in_spine(),
        );
    }
    resources.push(EpubFile::new(
        "EPUB/css/book.css".into(),
        "css".into(),
        "text/css",
        style::css(embedded, style::Needs::of(book)).into_bytes(),
    ));
    let cover = book.cover.as_ref().and_then(|c| c.asset);
    for (index, asset) in book.assets.iter().enumerate() {
        let file = EpubFile::new(
            format!("EPUB/{}", asset_href(book, AssetId(index))),
            format!("image-{}", index + 1),
            asset.media_type.mime(),
            asset.bytes.clone(),
        );
        resources.push(if cover == Some(AssetId(index)) {
            EpubFile {
                properties: Some("cover-image"),
                ..file
            }
        } else {
            file
        });
    }
    if let Some(fonts) = embedded {
        let faces = fonts.faces().filter(|(_, f)| f.info.in_epub());
        for (index, (_, face)) in faces.enumerate() {
            resources.push(EpubFile::new(
                format!("EPUB/fonts/{}", face.info.file_name),
                format!("font-{}", index + 1),
                "font/ttf",
                face.data().bytes().to_vec(),
            ));
        }
    }

    let mut files = vec![
        EpubFile::new(
            "mimetype".into(),
            String::new(),
            "",
            b"application/epub+zip".to_vec(),
        ),
        EpubFile::new(
            "META-INF/container.xml".into(),
            String::new(),
            "",
            package::container("EPUB/package.opf").into_bytes(),
        ),
        EpubFile::new(
            "EPUB/package.opf".into(),
            String::new(),
            "",
            package::opf(book, &resources, !pages.is_empty()).into_bytes(),
        ),
    ];
    files.extend(resources);
    files
}

/// Zips the files: `mimetype` first and stored; already-compressed images stored; the rest
/// deflated; every entry dated 1980-01-01 with Unix permissions 0644.
pub fn package(files: &[EpubFile]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::DEFAULT)
        .system(System::Unix)
        .unix_permissions(0o644);
    for file in files {
        let stored = file.path == "mimetype"
            || file.media_type == MediaType::Png.mime()
            || file.media_type == MediaType::Jpeg.mime()
            || file.media_type == MediaType::Gif.mime();
        let method = if stored {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(file.path.as_str(), base.compression_method(method))?;
        zip.write_all(&file.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The whole EPUB; `pages` says where the print edition's pages begin (none: no page numbers).
pub fn write(
    book: &Book,
    options: &EpubOptions,
    fonts: &FontBook,
    pages: &PageMap,
) -> zip::result::ZipResult<Vec<u8>> {
    package(&files(book, options, fonts, &pages.starts))
}
