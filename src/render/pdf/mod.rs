//! PDF backend: the laid-out [`Document`] in, the bytes of a tagged PDF/UA-1 file out, written
//! with krilla (its PDF/UA-1 validator on). Every drawing is drawn in a marked-content
//! sequence: a Span (with actual text and language where needed) in the structure tree, or an
//! artifact; a paragraph's lines on a page share one.

use std::collections::HashMap;
use std::num::{NonZeroU16, NonZeroU32};
use std::sync::atomic::Ordering;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::{Destination, XyzDestination};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::graphic::Graphic;
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId};
use krilla::{Document as PdfDocument, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

mod marks;

use crate::layout::FontBook;
use crate::layout::code_style::{self, Rgb};
use crate::layout::document::*;
use crate::layout::fonts::{FaceId, FontData, Glyph};
use crate::layout::tags::{NodeId, StructChild, StructKind, StructNode};
use crate::model::meta::Timestamp;
use crate::model::{Book, MediaType, TokenKind};

/// Why the PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF writer refused the document: {0}")]
    Export(String),
    #[error("image `{0}` could not be decoded for the PDF")]
    Image(String),
    /// The PDF writer could not embed a face (its subsetting failed): the font file is named,
    /// as the user can replace it.
    #[error(
        "font file `{file}` cannot be embedded in the PDF ({message}); the font file is damaged: replace it or remove it from fonts/"
    )]
    Font { file: String, message: String },
}

impl PdfError {
    /// The writer's error, naming the font file when a face failed.
    fn from_krilla(error: krilla::error::KrillaError, resources: &Resources) -> PdfError {
        match error {
            krilla::error::KrillaError::Font(font, message) => PdfError::Font {
                file: resources
                    .font_files
                    .iter()
                    .find(|(f, _)| *f == font)
                    .map_or_else(|| "?".to_string(), |(_, file)| file.clone()),
                message,
            },
            other => PdfError::Export(format!("{other:?}")),
        }
    }
}

/// What the pages draw with, made ready for krilla once: the faces, raster images and SVG
/// trees, and the outlined glyphs of artifacts (running heads, page numbers, leaders), each
/// drawn once as a form that every page reuses.
struct Resources {
    fonts: HashMap<FaceId, Font>,
    /// Each face's file, as the user knows it (`fonts/NAME` for the manuscript's).
    font_files: Vec<(Font, String)>,
    images: HashMap<usize, Image>,
    svgs: HashMap<usize, usvg::Tree>,
    outlines: std::cell::RefCell<HashMap<OutlineKey, Graphic>>,
    /// Outlined runs that repeat (running heads, leaders, repeated table headers, list marks),
    /// each a form placing its glyphs' forms, made the first time it is drawn.
    runs: std::cell::RefCell<HashMap<RunKey, Graphic>>,
    /// Each face's data, index and glyph for U+200F, for the copies that vocalised
    /// right-to-left words are drawn in ([`marks`]).
    face_data: HashMap<FaceId, (FontData, u32, Option<u16>)>,
    variants: std::cell::RefCell<marks::Variants>,
    variant_fonts: std::cell::RefCell<HashMap<(FaceId, usize), Font>>,
}

/// An outlined glyph: its face, glyph, size and offsets (as bits, so they can be keys).
type OutlineKey = (FaceId, u16, u32, u32, u32);

/// An outlined run: its face and size (as bits), and each glyph with its advance and offsets.
type RunKey = (FaceId, u32, Vec<(u16, u32, u32, u32)>);

/// krilla draws the layout's glyphs as they are (advances and offsets in ems), without a copy.
impl krilla::text::Glyph for Glyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(u32::from(self.id))
    }

    fn text_range(&self) -> std::ops::Range<usize> {
        self.range()
    }

    fn x_advance(&self, size: f32) -> f32 {
        self.x_advance * size
    }

    fn x_offset(&self, size: f32) -> f32 {
        self.x_offset * size
    }

    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size
    }

    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }

    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

impl Resources {
    fn prepare(book: &Book, doc: &Document, fonts: &FontBook) -> Result<Resources, PdfError> {
        let svg_options = fonts.svg_options();
        let faces: HashMap<FaceId, Font> = doc
            .faces_used()
            .into_iter()
            .filter_map(|id| {
                let data = match fonts.face(id).data().clone() {
                    FontData::Static(bytes) => bytes.into(),
                    FontData::Shared(bytes) => bytes.into(),
                };
                Some((id, Font::new(data, fonts.face(id).index)?))
            })
            .collect();
        let font_files = faces
            .iter()
            .map(|(id, font)| {
                let info = &fonts.face(*id).info;
                let file = match info.source {
                    crate::layout::fonts::FaceSource::Manuscript => {
                        format!("fonts/{}", info.file_name)
                    }
                    _ => info.file_name.clone(),
                };
                (font.clone(), file)
            })
            .collect();
        let mut images: HashMap<usize, Image> = HashMap::new();
        let mut svgs: HashMap<usize, usvg::Tree> = HashMap::new();
        for asset in doc
            .pages
            .iter()
            .flat_map(|p| &p.draws)
            .filter_map(|d| match d.kind {
                DrawKind::Image { asset, .. } => Some(asset),
                _ => None,
            })
        {
            let data = &book.assets[asset.0];
            match data.media_type {
                MediaType::Png | MediaType::Jpeg | MediaType::Gif
                    if !images.contains_key(&asset.0) =>
                {
                    let bytes: Vec<u8> = data.bytes.clone();
                    let image = match data.media_type {
                        MediaType::Png => Image::from_png(bytes.into(), true),
                        MediaType::Gif => Image::from_gif(bytes.into(), true),
                        _ => Image::from_jpeg(bytes.into(), true),
                    };
                    images.insert(
                        asset.0,
                        image.map_err(|_| PdfError::Image(data.path.clone()))?,
                    );
                }
                MediaType::Svg if !svgs.contains_key(&asset.0) => {
                    let tree = usvg::Tree::from_data(&data.bytes, &svg_options)
                        .map_err(|_| PdfError::Image(data.path.clone()))?;
                    svgs.insert(asset.0, tree);
                }
                _ => {}
            }
        }
        let face_data = faces
            .keys()
            .map(|&id| {
                let face = fonts.face(id);
                (
                    id,
                    (face.data().clone(), face.index, face.glyph_of('\u{200F}')),
                )
            })
            .collect();
        Ok(Resources {
            fonts: faces,
            font_files,
            images,
            svgs,
            outlines: std::cell::RefCell::default(),
            runs: std::cell::RefCell::default(),
            face_data,
            variants: std::cell::RefCell::default(),
            variant_fonts: std::cell::RefCell::default(),
        })
    }

    fn draw(
        &self,
        surface: &mut Surface<'_>,
        draw: &Draw,
        sequence: Sequence,
    ) -> Option<Identifier> {
        draw_one(surface, draw, self, sequence)
    }

    /// Draws a run as outlines: each glyph a form, made the first time it is drawn and placed
    /// by reference after that. Running heads and page numbers repeat on every page; drawn
    /// glyph by glyph as paths they were most of a long book's file and of its build time.
    fn draw_outlined(&self, surface: &mut Surface<'_>, run: &TextRun, font: &Font) {
        let mut pen = run.x;
        for g in &run.glyphs {
            let graphic = self.glyph_form(surface, run, g, font);
            surface.push_transform(&Transform::from_translate(pen, run.baseline));
            surface.draw_graphic(graphic);
            surface.pop();
            pen += g.x_advance * run.size;
        }
    }

    /// Draws an outlined run as one form that places its glyphs' forms, made the first time
    /// the run is drawn: a chapter's pages share their running head, the contents' leaders
    /// repeat their lengths, so a page places one form for each instead of one for each
    /// letter or dot (a long book's contents placed 14 000 dots, its heads 50 letters a page:
    /// a tenth of the drawing thread's time).
    fn draw_run_form(&self, surface: &mut Surface<'_>, run: &TextRun, font: &Font) {
        let key: RunKey = (
            run.face,
            run.size.to_bits(),
            run.glyphs
                .iter()
                .map(|g| {
                    (
                        g.id,
                        g.x_advance.to_bits(),
                        g.x_offset.to_bits(),
                        g.y_offset.to_bits(),
                    )
                })
                .collect(),
        );
        let cached = self.runs.borrow().get(&key).cloned();
        let graphic = match cached {
            Some(graphic) => graphic,
            None => {
                let mut builder = surface.stream_builder();
                let mut form = builder.surface();
                let at_origin = TextRun {
                    x: 0.0,
                    baseline: 0.0,
                    ..run.clone()
                };
                self.draw_outlined(&mut form, &at_origin, font);
                form.finish();
                let graphic = Graphic::new(builder.finish(), false);
                self.runs.borrow_mut().insert(key, graphic.clone());
                graphic
            }
        };
        surface.push_transform(&Transform::from_translate(run.x, run.baseline));
        surface.draw_graphic(graphic);
        surface.pop();
    }

    /// Draws a right-to-left run whose letters carry marks (or a one-glyph word of several
    /// letters) as [`marks::arrange`] arranges it, in a copy of its face where its glyphs'
    /// texts are free; false (nothing drawn) for any other run, or when no copy is left.
    fn draw_arranged(&self, surface: &mut Surface<'_>, run: &TextRun, font: &Font) -> bool {
        let Some((data, index, zero_width)) = self.face_data.get(&run.face) else {
            return false;
        };
        let Some(arranged) = marks::arrange(run, *zero_width) else {
            return false;
        };
        let Some(variant) =
            self.variants
                .borrow_mut()
                .choose(run.face, &arranged.glyphs, &arranged.text)
        else {
            return false;
        };
        let copy = self
            .variant_fonts
            .borrow_mut()
            .entry((run.face, variant))
            .or_insert_with(|| {
                // krilla tells fonts apart by their data: the copy is the file with `variant`
                // × 4 bytes after its end, which no table points into.
                let mut bytes = data.bytes().to_vec();
                bytes.resize(bytes.len() + 4 * variant, 0);
                Font::new(bytes.into(), *index).unwrap_or_else(|| font.clone())
            })
            .clone();
        surface.draw_glyphs(
            Point::from_xy(run.x, run.baseline),
            &arranged.glyphs,
            copy,
            &arranged.text,
            run.size,
            false,
        );
        for (pen, mark) in &arranged.marks {
            let graphic = self.glyph_form(surface, run, mark, font);
            surface.push_transform(&Transform::from_translate(
                run.x + pen * run.size,
                run.baseline,
            ));
            surface.draw_graphic(graphic);
            surface.pop();
        }
        true
    }

    /// The form of one outlined glyph of `run`, made the first time it is asked for.
    fn glyph_form(
        &self,
        surface: &mut Surface<'_>,
        run: &TextRun,
        g: &Glyph,
        font: &Font,
    ) -> Graphic {
        let key = (
            run.face,
            g.id,
            run.size.to_bits(),
            g.x_offset.to_bits(),
            g.y_offset.to_bits(),
        );
        if let Some(graphic) = self.outlines.borrow().get(&key) {
            return graphic.clone();
        }
        let mut builder = surface.stream_builder();
        let mut form = builder.surface();
        // The glyph alone, with its characters as its whole text.
        let text = run.text.get(g.range()).unwrap_or("");
        form.draw_glyphs(
            Point::from_xy(0.0, 0.0),
            &[g.with_range(0..text.len())],
            font.clone(),
            text,
            run.size,
            true,
        );
        form.finish();
        let graphic = Graphic::new(builder.finish(), false);
        self.outlines.borrow_mut().insert(key, graphic.clone());
        graphic
    }
}

/// Writes the document, with the faces it uses from the font book.
pub fn write(book: &Book, doc: &Document, fonts: &FontBook) -> Result<Vec<u8>, PdfError> {
    let resources = Resources::prepare(book, doc, fonts)?;
    let joined = joined_lines(doc);
    write_pages(book, doc, doc.pages.iter(), (&resources, &joined), drop)
}

/// [`write`], letting go of each page's drawings once they are drawn: a long book's pages are
/// then never held twice, as laid out and as PDF content.
pub fn write_owned(book: &Book, mut doc: Document, fonts: &FontBook) -> Result<Vec<u8>, PdfError> {
    let resources = Resources::prepare(book, &doc, fonts)?;
    let joined = joined_lines(&doc);
    let pages = std::mem::take(&mut doc.pages);
    // The pages drawn are let go of on the thread pool, a batch at a time: drawing is the one
    // thread the PDF waits for, and freeing a page's many runs took a tenth of its time. When
    // the pool falls behind (it compresses the pages too), the drawing thread frees them itself,
    // so the pages waiting to be freed stay few.
    let waiting = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut drawn = Vec::with_capacity(PAGES_FREED_AT_ONCE);
    let written = write_pages(
        book,
        &doc,
        pages.into_iter(),
        (&resources, &joined),
        |page| {
            drawn.push(page);
            if drawn.len() < PAGES_FREED_AT_ONCE {
                return;
            }
            let batch = std::mem::replace(&mut drawn, Vec::with_capacity(PAGES_FREED_AT_ONCE));
            if waiting.load(Ordering::Relaxed) >= BATCHES_WAITING {
                drop(batch);
                return;
            }
            waiting.fetch_add(1, Ordering::Relaxed);
            let waiting = std::sync::Arc::clone(&waiting);
            rayon::spawn(move || {
                drop(batch);
                waiting.fetch_sub(1, Ordering::Relaxed);
            });
        },
    );
    drop(drawn);
    written
}

/// Pages drawn before they are let go of together: few enough to hold little memory (a page
/// of text is some tens of kilobytes laid out), enough that handing them over costs nothing.
const PAGES_FREED_AT_ONCE: usize = 16;

/// Batches of drawn pages the pool may have waiting to be freed: two keep it busy, and hold at
/// most a few megabytes.
const BATCHES_WAITING: usize = 2;

/// Draws `pages` (the document's, in order) and writes the tag tree, outline and metadata.
fn write_pages<P: std::borrow::Borrow<Page>>(
    book: &Book,
    doc: &Document,
    pages: impl Iterator<Item = P>,
    (resources, joined): (&Resources, &Joined),
    mut drawn: impl FnMut(P),
) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Export(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut pdf = PdfDocument::new_with(settings);

    let mut content_ids: Vec<Vec<Option<Identifier>>> = Vec::new();
    let mut link_ids: Vec<Vec<Identifier>> = Vec::new();
    for (index, held) in pages.enumerate() {
        let page = held.borrow();
        // Every page carries its style and its own number: a viewer's page box then shows the
        // printed number on each page (krilla writes a label only where the sequence changes
        // in its own reckoning, so labels on the first page of a range alone left the others
        // without a style, and blank).
        let label = match doc.label(index) {
            crate::layout::document::PageLabel::Roman(n) => PageLabel::new(
                Some(NumberingStyle::LowerRoman),
                None,
                NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX)),
            ),
            crate::layout::document::PageLabel::Arabic(n) => PageLabel::new(
                Some(NumberingStyle::Arabic),
                None,
                NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX)),
            ),
        };
        let page_settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| PdfError::Export("page size".into()))?
            .with_page_label(label);
        let mut pdf_page = pdf.start_page_with(page_settings);
        let mut surface = pdf_page.surface();
        let mut ids = Vec::with_capacity(page.draws.len());
        let mut open = None;
        for (at, draw) in page.draws.iter().enumerate() {
            let sequence = Sequence {
                continues: open.filter(|_| joined.contains(index, at)),
                goes_on: joined.contains(index, at + 1),
            };
            let id = resources.draw(&mut surface, draw, sequence);
            open = id.filter(|_| sequence.goes_on);
            ids.push(id);
        }
        surface.finish();
        let mut annotations = Vec::with_capacity(page.links.len());
        for link in &page.links {
            let Some(rect) =
                Rect::from_xywh(link.x, link.y, link.width.max(0.1), link.height.max(0.1))
            else {
                continue;
            };
            let target = match &link.target {
                LinkDest::Url(url) => Target::Action(Action::Link(LinkAction::new(url.clone()))),
                LinkDest::Page { page, y } => Target::Destination(Destination::Xyz(
                    XyzDestination::new(*page, Point::from_xy(0.0, *y)),
                )),
                LinkDest::Anchor(_) => continue,
            };
            let annotation = Annotation::new_link(
                LinkAnnotation::new(rect, target),
                Some(link.description.clone()),
            );
            annotations.push(pdf_page.add_tagged_annotation(annotation));
        }
        pdf_page.finish();
        content_ids.push(ids);
        link_ids.push(annotations);
        drawn(held);
    }

    // The structure tree, each of the root's children (a chapter's section) converted on the
    // thread pool, which has little left to compress by now: 15 ms of the single-threaded end
    // of a 1 000-page book.
    let mut tree = TagTree::new();
    if let Some(root) = doc.tags.nodes.first() {
        use rayon::prelude::*;
        let nodes: Vec<Option<Node>> = root
            .children
            .par_iter()
            .map(|child| convert_child(doc, *child, (&content_ids, &link_ids), joined))
            .collect();
        for node in nodes.into_iter().flatten() {
            tree.push(node);
        }
    }
    pdf.set_tag_tree(tree);
    pdf.set_outline(outline(&doc.outline));
    pdf.set_metadata(metadata(book));
    pdf.finish()
        .map_err(|e| PdfError::from_krilla(e, resources))
}

/// Writes the document's pages imposed for a saddle-stitched booklet: two pages side by side on
/// each side of a landscape `sheet` (width × height, either way round), in the order of
/// [`saddle_stitch`] (bound on the right when the book reads from right to left), scaled down
/// if they do not fit. A file for the printer: untagged, without
/// links or bookmarks; the accessible reading copy is the PDF of the pages themselves.
pub fn write_booklet(
    book: &Book,
    doc: &Document,
    fonts: &FontBook,
    sheet: (f32, f32),
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = PdfDocument::new_with(SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    });
    let resources = Resources::prepare(book, doc, fonts)?;
    let (width, height) = (sheet.0.max(sheet.1), sheet.0.min(sheet.1));
    let half = width / 2.0;
    let binding = crate::layout::impose::Binding::of(book.direction());
    for side in crate::layout::impose::saddle_stitch(doc.pages.len(), binding) {
        let settings = PageSettings::from_wh(width, height)
            .ok_or_else(|| PdfError::Export("sheet size".into()))?;
        let mut sheet_page = pdf.start_page_with(settings);
        let mut surface = sheet_page.surface();
        for (slot, page) in side.iter().enumerate() {
            let Some(page) = page.and_then(|index| doc.pages.get(index)) else {
                continue;
            };
            let scale = (half / page.width).min(height / page.height).min(1.0);
            let x = slot as f32 * half + (half - page.width * scale) / 2.0;
            let y = (height - page.height * scale) / 2.0;
            surface.push_transform(&Transform::from_row(scale, 0.0, 0.0, scale, x, y));
            // Untagged: each drawing on its own.
            for draw in &page.draws {
                resources.draw(&mut surface, draw, Sequence::alone());
            }
            surface.pop();
        }
        surface.finish();
        sheet_page.finish();
    }
    pdf.set_metadata(metadata(book));
    pdf.finish()
        .map_err(|e| PdfError::from_krilla(e, &resources))
}

fn metadata(book: &Book) -> Metadata {
    let meta = &book.meta;
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .language(meta.lang.to_string())
        .creator("inkfold".to_string());
    if !meta.authors.is_empty() {
        metadata = metadata.authors(meta.authors.clone());
    }
    if let Some(description) = &meta.description {
        metadata = metadata.description(description.clone());
    }
    if !meta.keywords.is_empty() {
        metadata = metadata.keywords(meta.keywords.clone());
    }
    if let Some(date) = pdf_date(&meta.modified) {
        metadata = metadata.creation_date(date);
    }
    metadata
}

/// A timestamp as a PDF date; `None` for a year a PDF date cannot hold.
fn pdf_date(t: &Timestamp) -> Option<DateTime> {
    Some(
        DateTime::new(u16::try_from(t.date.year).ok().filter(|y| *y <= 9999)?)
            .month(t.date.month)
            .day(t.date.day)
            .hour(t.hour)
            .minute(t.minute)
            .second(t.second)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

fn outline(items: &[OutlineItem]) -> Outline {
    fn to_node(item: &OutlineItem) -> OutlineNode {
        let mut node = OutlineNode::new(
            item.title.clone(),
            XyzDestination::new(item.page, Point::from_xy(0.0, item.y)),
        );
        for child in &item.children {
            node.push_child(to_node(child));
        }
        node
    }
    let mut outline = Outline::new();
    for item in items {
        outline.push_child(to_node(item));
    }
    outline
}

/// The text a run's glyphs map back to, as krilla draws them.
///
/// A right-to-left run is drawn in the order it stands on the page, and krilla marks it
/// `/ReversedChars` when its glyphs step back through the text one cluster at a time: readers
/// then reverse its characters to read it. Within such a run, a glyph that stands for several
/// characters (Arabic lam-alef) maps to them in page order too, so the reversal gives them back in
/// reading order; text extractors, which place a glyph's characters left to right across it and
/// reverse right-to-left words, read them the same way. A cluster drawn as several glyphs (a
/// letter and its vowel mark) keeps krilla's actual text, in reading order. Every other run maps
/// as written.
fn pdf_text(run: &TextRun) -> std::borrow::Cow<'_, str> {
    // krilla's own test for `/ReversedChars`.
    let reversed = run.glyphs.len() > 1
        && run
            .glyphs
            .windows(2)
            .all(|w| w[0].text.start >= w[1].text.end);
    let several = |g: &Glyph| {
        run.text
            .get(g.range())
            .is_some_and(|t| t.chars().nth(1).is_some())
    };
    if !reversed || !run.glyphs.iter().any(several) {
        return std::borrow::Cow::Borrowed(&run.text);
    }
    let mut text = run.text.clone();
    for g in run.glyphs.iter().filter(|g| several(g)) {
        if let Some(cluster) = run.text.get(g.range()) {
            let page_order: String = cluster.chars().rev().collect();
            text.replace_range(g.range(), &page_order);
        }
    }
    std::borrow::Cow::Owned(text)
}

/// Where a drawing stands in its marked-content sequence.
#[derive(Debug, Clone, Copy)]
struct Sequence {
    /// The sequence the drawing before it opened, which this one continues.
    continues: Option<Identifier>,
    /// The drawing after it continues the sequence, so this one leaves it open.
    goes_on: bool,
}

impl Sequence {
    /// A sequence of one drawing.
    fn alone() -> Sequence {
        Sequence {
            continues: None,
            goes_on: false,
        }
    }
}

/// The drawings that continue the marked-content sequence of the drawing before them, by page:
/// a paragraph's lines on a page (text with one owner, one after the other on the page and in
/// the owner's structure node, with no actual text or language of their own) are one sequence
/// with one identifier, not one each. A 1 000-page book had 33 000 sequences; each is a marked
/// content identifier, an entry in the page's parent tree and a leaf of the structure tree.
struct Joined(Vec<Vec<bool>>);

impl Joined {
    fn contains(&self, page: usize, draw: usize) -> bool {
        self.0
            .get(page)
            .and_then(|draws| draws.get(draw))
            .copied()
            .unwrap_or(false)
    }
}

fn joined_lines(doc: &Document) -> Joined {
    let pages = &doc.pages;
    let plain = |page: usize, draw: usize, owner: NodeId| {
        pages
            .get(page)
            .and_then(|p| p.draws.get(draw))
            .is_some_and(|d| {
                d.owner == Owner::Node(owner)
                    && matches!(
                        d.kind,
                        DrawKind::Text {
                            actual_text: None,
                            lang: None,
                            ..
                        }
                    )
            })
    };
    let mut joined: Vec<Vec<bool>> = pages.iter().map(|p| vec![false; p.draws.len()]).collect();
    for (id, node) in doc.tags.nodes.iter().enumerate() {
        for pair in node.children.windows(2) {
            if let [
                StructChild::Content { page, draw },
                StructChild::Content {
                    page: next_page,
                    draw: next,
                },
            ] = *pair
                && next_page == page
                && next == draw + 1
                && plain(page, draw, NodeId(id))
                && plain(page, next, NodeId(id))
                && let Some(slot) = joined.get_mut(page).and_then(|p| p.get_mut(next))
            {
                *slot = true;
            }
        }
    }
    Joined(joined)
}

/// Draws one drawing in its marked-content sequence (opening it, unless the drawing continues
/// the one before, and closing it, unless the next goes on with it) and returns the sequence's
/// identifier (`None` for artifacts, which have no place in the structure tree).
fn draw_one(
    surface: &mut Surface<'_>,
    draw: &Draw,
    resources: &Resources,
    sequence: Sequence,
) -> Option<Identifier> {
    let (actual_text, lang) = match &draw.kind {
        DrawKind::Text {
            actual_text, lang, ..
        } => (
            actual_text.as_deref(),
            lang.as_ref().map(crate::lang::Lang::as_str),
        ),
        _ => (None, None),
    };
    let tag = match draw.owner {
        Owner::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(match kind {
            ArtifactKind::Header => ArtifactType::Header,
            ArtifactKind::Footer => ArtifactType::Footer,
            ArtifactKind::Layout => ArtifactType::Layout,
        })),
        Owner::Node(_) => match draw.kind {
            DrawKind::Text { .. } => ContentTag::Span(
                SpanTag::empty()
                    .with_actual_text(actual_text)
                    .with_lang(lang),
            ),
            _ => ContentTag::Other,
        },
    };
    // Artifacts are drawn as outlines: page numbers, running heads and leaders are not text a
    // reader copies or a text extractor should splice into the paragraphs.
    let outlined = matches!(draw.owner, Owner::Artifact(_));
    let id = match sequence.continues {
        Some(id) => id,
        None => surface.start_tagged(tag),
    };
    let Resources {
        fonts,
        images,
        svgs,
        ..
    } = resources;
    match &draw.kind {
        DrawKind::Text { runs, .. } => {
            for run in runs {
                let Some(font) = fonts.get(&run.face) else {
                    continue;
                };
                // A page number is drawn once: its digits' forms are placed one by one.
                if draw.owner == Owner::Artifact(ArtifactKind::Footer) {
                    resources.draw_outlined(surface, run, font);
                    continue;
                }
                if outlined {
                    resources.draw_run_form(surface, run, font);
                    continue;
                }
                if let Some(kind) = run.token {
                    draw_token(surface, run, font, kind);
                    continue;
                }
                if resources.draw_arranged(surface, run, font) {
                    continue;
                }
                surface.draw_glyphs(
                    Point::from_xy(run.x, run.baseline),
                    &run.glyphs,
                    font.clone(),
                    &pdf_text(run),
                    run.size,
                    false,
                );
            }
        }
        DrawKind::Image {
            asset,
            x,
            y,
            width,
            height,
        } => {
            if let Some(size) = Size::from_wh(*width, *height) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                if let Some(image) = images.get(&asset.0) {
                    surface.draw_image(image.clone(), size);
                } else if let Some(tree) = svgs.get(&asset.0) {
                    surface.draw_svg(
                        tree,
                        size,
                        // Labels as real text in the book's faces: they print sharp, and copy,
                        // search and extract like the rest of the page.
                        SvgSettings {
                            embed_text: true,
                            ..SvgSettings::default()
                        },
                    );
                }
                surface.pop();
            }
        }
        DrawKind::Rects { rects } => {
            let mut path = PathBuilder::new();
            for &[x, y, w, h] in rects {
                if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                    path.push_rect(rect);
                }
            }
            if let Some(path) = path.finish() {
                surface.draw_path(&path);
            }
        }
        DrawKind::Rule {
            x1,
            y1,
            x2,
            y2,
            thickness,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y1);
            path.line_to(*x2, *y2);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: *thickness,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
                surface.set_fill(Some(krilla::paint::Fill::default()));
            }
        }
    }
    if !sequence.goes_on {
        surface.end_tagged();
    }
    matches!(draw.owner, Owner::Node(_)).then_some(id)
}

/// A run of highlighted code: in its token's colour, and slanted when its kind is (a skew
/// about the baseline, which leaves the text as it is for copying and extraction).
fn draw_token(surface: &mut Surface, run: &TextRun, font: &Font, kind: TokenKind) {
    let Rgb(red, green, blue) = code_style::light(kind);
    surface.set_fill(Some(krilla::paint::Fill {
        paint: krilla::color::rgb::Color::new(red, green, blue).into(),
        ..krilla::paint::Fill::default()
    }));
    let glyphs = |surface: &mut Surface, at: Point| {
        surface.draw_glyphs(
            at,
            &run.glyphs,
            font.clone(),
            &pdf_text(run),
            run.size,
            false,
        );
    };
    if code_style::slanted(kind) {
        let slant = -code_style::SLANT;
        let skew = Transform::from_row(1.0, 0.0, slant, 1.0, run.x, run.baseline);
        surface.push_transform(&skew);
        glyphs(surface, Point::from_xy(0.0, 0.0));
        surface.pop();
    } else {
        glyphs(surface, Point::from_xy(run.x, run.baseline));
    }
    surface.set_fill(Some(krilla::paint::Fill::default()));
}

fn convert_child(
    doc: &Document,
    child: StructChild,
    (content, links): (&[Vec<Option<Identifier>>], &[Vec<Identifier>]),
    joined: &Joined,
) -> Option<Node> {
    match child {
        // Drawn in the sequence of the drawing before it, which stands for both.
        StructChild::Content { page, draw } if joined.contains(page, draw) => None,
        StructChild::Content { page, draw } => (*content.get(page)?.get(draw)?).map(Node::from),
        StructChild::Annotation { page, link } => {
            links.get(page)?.get(link).cloned().map(Node::from)
        }
        StructChild::Node(id) => {
            let node = doc.tags.nodes.get(id.0)?;
            let children: Vec<Node> = node
                .children
                .iter()
                .filter_map(|c| convert_child(doc, *c, (content, links), joined))
                .collect();
            if children.is_empty() {
                return None;
            }
            let mut tag = tag_for(node);
            if let Some(lang) = &node.lang {
                tag = tag.with_lang(Some(lang.to_string()));
            }
            Some(TagGroup::with_children(tag, children).into())
        }
    }
}

fn tag_for(node: &StructNode) -> TagKind {
    match &node.kind {
        StructKind::Document | StructKind::Section | StructKind::Admonition => Tag::Section.into(),
        StructKind::Heading(level) => Tag::Hn(
            NonZeroU16::new(u16::from(*level)).unwrap_or(NonZeroU16::MIN),
            node.title.clone(),
        )
        .into(),
        StructKind::P => Tag::P.into(),
        StructKind::List { numbered } => Tag::L(if *numbered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        StructKind::ListItem => Tag::LI.into(),
        StructKind::Label => Tag::Lbl.into(),
        StructKind::ListBody => Tag::LBody.into(),
        StructKind::Table => Tag::Table.into(),
        StructKind::TableHead => Tag::THead.into(),
        StructKind::TableBody => Tag::TBody.into(),
        StructKind::TableRow => Tag::TR.into(),
        StructKind::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        StructKind::DataCell => Tag::TD.into(),
        StructKind::Figure => Tag::Figure(node.alt.clone()).into(),
        StructKind::Caption => Tag::Caption.into(),
        StructKind::BlockQuote => Tag::BlockQuote.into(),
        StructKind::Code => Tag::Code.into(),
        StructKind::Note => Tag::Note.into(),
        StructKind::Link => Tag::Link.into(),
        StructKind::Toc => Tag::TOC.into(),
        StructKind::TocItem => Tag::TOCI.into(),
        StructKind::Span { expanded } => {
            TagKind::from(Tag::Span).with_expanded(Some(expanded.clone()))
        }
    }
}
