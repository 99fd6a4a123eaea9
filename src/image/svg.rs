//! SVG allow-list: an SVG file's bytes in; out, the drawing re-serialised from known SVG
//! elements, attributes and style properties (never the input bytes), its embedded `data:`
//! images checked like image files, with a list of what was left out — or why it is refused.
//!
//! Refused: a DOCTYPE that declares entities, a `<script>`, an event handler, a reference to
//! another file or address (`href`, `url()`, `@import`), an embedded image that is not a PNG,
//! JPEG or SVG or that fails the checks of an image file, nesting deeper than
//! [`MAX_DEPTH`], more than [`MAX_ELEMENTS`] elements once every `<use>` is expanded, and a
//! reference to an `#id` the drawing does not have (once what is left out is left out).
//! Left out: comments, processing instructions, the DOCTYPE, elements and attributes of other
//! namespaces (drawing programs' own data), `<metadata>`, animation, `<foreignObject>`,
//! unknown elements, attributes and style properties, and CSS at-rules.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use base64::Engine as _;

use super::{ContentProblem, check_raster, sniff};
use crate::model::MediaType;
use crate::render::xml::escape_into;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// How deep elements may nest. Drawing programs nest groups a few levels deep; 256 leaves room
/// for any drawing while keeping the walk over the tree (and usvg's) far from the stack's end.
pub const MAX_DEPTH: usize = 256;

/// The most elements a drawing may have once every `<use>` is expanded. Readers and usvg copy
/// the referenced element for each `<use>`, so ten levels of ten `<use>`s each would be 10¹⁰
/// elements from a few hundred bytes; a detailed map has some tens of thousands.
pub const MAX_ELEMENTS: u64 = 1_000_000;

/// How many SVG images may sit inside each other as `data:` images, the outer file included:
/// a drawing that embeds another drawing is rare, and each level is checked anew.
pub const MAX_NESTED_SVG: usize = 4;

/// An SVG as the book keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    pub bytes: Vec<u8>,
    /// What was left out that a reader might miss: element names (`<animate>`) and
    /// `an external style sheet`, in order, without repeats.
    pub dropped: BTreeSet<String>,
}

/// Elements kept, in the SVG namespace.
const ELEMENTS: &[&str] = &[
    "a",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
];

/// Elements that animate: a printed page cannot move, and a moving figure distracts readers
/// (WCAG 2.2.2); `<set>` and `<animate>` could also change a link.
const ANIMATION: &[&str] = &[
    "animate",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "discard",
    "mpath",
    "set",
];

/// Attributes kept besides the style properties, which may also be written as attributes.
const ATTRIBUTES: &[&str] = &[
    "amplitude",
    "aria-describedby",
    "aria-hidden",
    "aria-label",
    "aria-labelledby",
    "azimuth",
    "baseFrequency",
    "bias",
    "class",
    "clipPathUnits",
    "cx",
    "cy",
    "d",
    "diffuseConstant",
    "divisor",
    "dx",
    "dy",
    "edgeMode",
    "elevation",
    "exponent",
    "filterUnits",
    "fr",
    "fx",
    "fy",
    "gradientTransform",
    "gradientUnits",
    "height",
    "id",
    "in",
    "in2",
    "intercept",
    "k1",
    "k2",
    "k3",
    "k4",
    "kernelMatrix",
    "kernelUnitLength",
    "lang",
    "lengthAdjust",
    "limitingConeAngle",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "maskContentUnits",
    "maskUnits",
    "method",
    "mode",
    "numOctaves",
    "offset",
    "operator",
    "order",
    "orient",
    "path",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "points",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "r",
    "radius",
    "refX",
    "refY",
    "requiredExtensions",
    "requiredFeatures",
    "result",
    "role",
    "rotate",
    "rx",
    "ry",
    "scale",
    "seed",
    "side",
    "slope",
    "spacing",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "textLength",
    "type",
    "values",
    "version",
    "viewBox",
    "width",
    "x",
    "x1",
    "x2",
    "xChannelSelector",
    "y",
    "y1",
    "y2",
    "yChannelSelector",
    "z",
];

/// Style properties kept, in `style` attributes, `<style>` sheets and as attributes: SVG's
/// presentation attributes and the text properties drawing programs write.
const PROPERTIES: &[&str] = &[
    "alignment-baseline",
    "background-color",
    "baseline-shift",
    "clip",
    "clip-path",
    "clip-rule",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "direction",
    "display",
    "dominant-baseline",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "flood-color",
    "flood-opacity",
    "font",
    "font-family",
    "font-feature-settings",
    "font-kerning",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-variant-caps",
    "font-variant-east-asian",
    "font-variant-ligatures",
    "font-variant-numeric",
    "font-variant-position",
    "font-weight",
    "image-rendering",
    "isolation",
    "letter-spacing",
    "lighting-color",
    "line-height",
    "marker",
    "marker-end",
    "marker-mid",
    "marker-start",
    "mask",
    "mask-type",
    "mix-blend-mode",
    "opacity",
    "overflow",
    "paint-order",
    "shape-rendering",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "text-decoration",
    "text-rendering",
    "transform",
    "transform-box",
    "transform-origin",
    "unicode-bidi",
    "vector-effect",
    "visibility",
    "white-space",
    "word-spacing",
    "writing-mode",
];

/// Functions a kept style value may call; `url()` only with a `#fragment`.
const FUNCTIONS: &[&str] = &[
    "url",
    "rgb",
    "rgba",
    "hsl",
    "hsla",
    "matrix",
    "translate",
    "translatex",
    "translatey",
    "scale",
    "scalex",
    "scaley",
    "rotate",
    "skewx",
    "skewy",
];

/// Checks an SVG file and re-serialises what the allow-list keeps.
pub fn sanitize(bytes: &[u8]) -> Result<Sanitized, ContentProblem> {
    sanitize_nested(bytes, 1)
}

fn sanitize_nested(bytes: &[u8], level: usize) -> Result<Sanitized, ContentProblem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ContentProblem::SvgUnreadable("it is not UTF-8".into()))?;
    let mut dropped = BTreeSet::new();
    // The DOCTYPE drawing programs write only names the SVG DTD; roxmltree refuses DOCTYPEs,
    // so it is cut out (an internal subset is refused first).
    let without_doctype;
    let text = match doctype(text)? {
        Some(range) => {
            without_doctype = format!("{}{}", &text[..range.start], &text[range.end..]);
            without_doctype.as_str()
        }
        None => text,
    };
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| ContentProblem::SvgUnreadable(e.to_string()))?;
    let root = doc.root_element();
    let no_namespace = root.tag_name().namespace().is_none();
    if root.tag_name().name() != "svg" || !(no_namespace || is_svg(root)) {
        return Err(ContentProblem::SvgUnreadable(format!(
            "its root element is <{}>, not <svg>",
            root.tag_name().name()
        )));
    }
    for node in doc.root().children() {
        if node.pi().is_some_and(|pi| pi.target == "xml-stylesheet") {
            dropped.insert("an external style sheet (<?xml-stylesheet?>)".to_string());
        }
    }
    check_depth(&doc)?;
    check_expanded_size(&doc)?;
    let mut writer = Writer {
        out: String::with_capacity(text.len()),
        no_namespace,
        level,
        dropped,
        uses_xlink: doc.descendants().any(|n| {
            n.attributes()
                .any(|a| a.namespace() == Some(XLINK_NS) && a.name() == "href")
        }),
    };
    writer
        .out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    writer.element(root, true)?;
    writer.out.push('\n');
    if let Some(id) = dangling(&writer.out) {
        return Err(ContentProblem::SvgDangling(id));
    }
    Ok(Sanitized {
        bytes: writer.out.into_bytes(),
        dropped: writer.dropped,
    })
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

fn is_svg(node: roxmltree::Node) -> bool {
    node.tag_name().namespace() == Some(SVG_NS)
}

/// Refuses elements nested deeper than [`MAX_DEPTH`], in one pass over the document.
fn check_depth(doc: &roxmltree::Document) -> Result<(), ContentProblem> {
    let mut depth = vec![0usize; doc.descendants().count()];
    for node in doc.descendants() {
        let d = node.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        depth[node.id().get_usize()] = d;
        if d > MAX_DEPTH {
            return Err(ContentProblem::SvgTooComplex(format!(
                "elements nested more than {MAX_DEPTH} deep"
            )));
        }
    }
    Ok(())
}

/// Refuses a drawing of more than [`MAX_ELEMENTS`] elements once each `<use>` is replaced by
/// what it refers to; counted bottom-up with each element's count remembered, so the work is
/// linear in the file. A `<use>` that refers (through others) to itself counts once, as
/// renderers skip it.
fn check_expanded_size(doc: &roxmltree::Document) -> Result<(), ContentProblem> {
    let ids: HashMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.is_element())
        .filter_map(|n| n.attribute("id").map(|id| (id, n)))
        .collect();
    let target = |node: roxmltree::Node| -> Option<roxmltree::Node> {
        if node.tag_name().name() != "use" {
            return None;
        }
        let href = node
            .attribute("href")
            .or_else(|| node.attribute((XLINK_NS, "href")))?;
        ids.get(href.trim().strip_prefix('#')?).copied()
    };
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done(u64),
    }
    let mut state = vec![State::New; doc.descendants().count()];
    let slot = |n: roxmltree::Node| n.id().get_usize();
    let mut stack = vec![(doc.root_element(), false)];
    while let Some((node, children_done)) = stack.pop() {
        let deps = node
            .children()
            .filter(|c| c.is_element())
            .chain(target(node));
        if children_done {
            let total = deps.fold(1u64, |sum, dep| match state[slot(dep)] {
                State::Done(n) => sum.saturating_add(n),
                _ => sum,
            });
            if total > MAX_ELEMENTS {
                return Err(ContentProblem::SvgTooComplex(format!(
                    "more than {MAX_ELEMENTS} elements once each <use> is expanded"
                )));
            }
            state[slot(node)] = State::Done(total);
            continue;
        }
        if state[slot(node)] != State::New {
            continue;
        }
        state[slot(node)] = State::Open;
        stack.push((node, true));
        for dep in deps {
            if state[slot(dep)] == State::New {
                stack.push((dep, false));
            }
        }
    }
    Ok(())
}

struct Writer {
    out: String,
    /// The file writes its SVG elements without a namespace.
    no_namespace: bool,
    /// How many SVG files contain this one, itself included.
    level: usize,
    dropped: BTreeSet<String>,
    uses_xlink: bool,
}

impl Writer {
    fn element(&mut self, node: roxmltree::Node, root: bool) -> Result<(), ContentProblem> {
        let name = node.tag_name().name();
        let svg = is_svg(node) || (self.no_namespace && node.tag_name().namespace().is_none());
        if !svg {
            // Drawing programs' own data (Inkscape's, Illustrator's) and stray markup.
            return Ok(());
        }
        if name.eq_ignore_ascii_case("script") {
            return Err(ContentProblem::SvgUnsafe("a <script> element".into()));
        }
        if name == "metadata" {
            return Ok(());
        }
        if name == "foreignObject"
            && node
                .parent_element()
                .is_some_and(|p| p.tag_name().name() == "switch")
        {
            // A <switch> holds the drawing's own fallback for readers without HTML.
            return Ok(());
        }
        if !ELEMENTS.contains(&name) {
            let kind = if ANIMATION.contains(&name) {
                "animation"
            } else {
                "an element not drawn in a book"
            };
            self.dropped.insert(format!("<{name}> ({kind})"));
            return Ok(());
        }
        self.out.push('<');
        self.out.push_str(name);
        if root {
            let _ = write!(self.out, " xmlns=\"{SVG_NS}\"");
            if self.uses_xlink {
                let _ = write!(self.out, " xmlns:xlink=\"{XLINK_NS}\"");
            }
        }
        for attr in node.attributes() {
            self.attribute(node, attr)?;
        }
        let children: Vec<roxmltree::Node> = node.children().collect();
        if children.is_empty() {
            self.out.push_str("/>");
            return Ok(());
        }
        self.out.push('>');
        if name == "style" {
            let sheet: String = children.iter().filter_map(|c| c.text()).collect();
            let kept = style_sheet(&sheet)?;
            escape_into(&mut self.out, &kept, false);
        } else {
            for child in children {
                if child.is_element() {
                    self.element(child, false)?;
                } else if let Some(text) = child.text().filter(|_| child.is_text()) {
                    escape_into(&mut self.out, text, false);
                }
            }
        }
        let _ = write!(self.out, "</{name}>");
        Ok(())
    }

    fn attribute(
        &mut self,
        node: roxmltree::Node,
        attr: roxmltree::Attribute,
    ) -> Result<(), ContentProblem> {
        let name = attr.name();
        let value = attr.value();
        let qualified = match attr.namespace() {
            None if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") => {
                return Err(ContentProblem::SvgUnsafe(format!(
                    "an event handler `{name}`"
                )));
            }
            None if name == "href" && self.self_link(node, value) => return Ok(()),
            None if name == "href" => {
                let kept = self.href(node, value)?;
                self.write_attribute("href", &kept);
                return Ok(());
            }
            None if name == "style" => {
                let kept = declarations(value)?;
                if !kept.is_empty() {
                    self.write_attribute("style", &kept);
                }
                return Ok(());
            }
            None if name == "id" => {
                self.write_attribute("id", &xml_id(value));
                return Ok(());
            }
            None if PROPERTIES.contains(&name) => {
                check_urls(value)?;
                if let Some(value) = without_vars(value) {
                    self.write_attribute(name, &url_ids(&value));
                }
                return Ok(());
            }
            None if ATTRIBUTES.contains(&name) => name.to_string(),
            Some(XLINK_NS) if name == "href" && self.self_link(node, value) => return Ok(()),
            Some(XLINK_NS) if name == "href" => {
                let kept = self.href(node, value)?;
                self.write_attribute("xlink:href", &kept);
                return Ok(());
            }
            Some(XML_NS) if name == "lang" || name == "space" => format!("xml:{name}"),
            // Unknown attributes and other namespaces' (drawing programs' own data).
            _ => return Ok(()),
        };
        self.write_attribute(&qualified, value);
        Ok(())
    }

    fn write_attribute(&mut self, name: &str, value: &str) {
        let _ = write!(self.out, " {name}=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Whether `value` on `node` is a link (`<a>`) to a part of the drawing itself: left out,
    /// with a note. In a book the drawing is an image, where such a link does nothing, and
    /// EPUBCheck refuses a link into a file that is not a page of the book (RSC-011).
    fn self_link(&mut self, node: roxmltree::Node, value: &str) -> bool {
        let found = node.tag_name().name() == "a" && value.trim().starts_with('#');
        if found {
            self.dropped
                .insert("a link to a part of the drawing itself (<a href=\"#…\">)".to_string());
        }
        found
    }

    /// A link kept: `#fragment` anywhere, a web or mail address on `<a>`, and on `<image>` and
    /// `<feImage>` an embedded image, checked and re-encoded.
    fn href(&mut self, node: roxmltree::Node, value: &str) -> Result<String, ContentProblem> {
        let trimmed = value.trim();
        if let Some(fragment) = trimmed.strip_prefix('#') {
            return Ok(format!("#{}", xml_id(fragment)));
        }
        let element = node.tag_name().name();
        let scheme = trimmed
            .split_once(':')
            .map(|(s, _)| s.to_ascii_lowercase())
            .unwrap_or_default();
        match (element, scheme.as_str()) {
            ("a", "https" | "http" | "mailto") => Ok(trimmed.to_string()),
            ("image" | "feImage", "data") => self.data_image(trimmed),
            _ => Err(ContentProblem::SvgUnsafe(format!(
                "a reference to `{}`",
                shorten(trimmed)
            ))),
        }
    }

    /// Decodes an embedded image, checks it as an image file is checked, and encodes it again.
    fn data_image(&mut self, url: &str) -> Result<String, ContentProblem> {
        let embedded = |problem: ContentProblem| ContentProblem::Embedded(Box::new(problem));
        let bytes = data_url::DataUrl::process(url)
            .ok()
            .and_then(|data| data.decode_to_vec().ok())
            .map(|(bytes, _)| bytes)
            .ok_or_else(|| embedded(ContentProblem::Corrupt))?;
        let media_type = match sniff(&bytes) {
            Some(media_type) => media_type,
            None => return Err(embedded(ContentProblem::NotAnImage(kind(&bytes)))),
        };
        let bytes = match media_type {
            // The SVG renderers a book meets draw PNG and JPEG; a GIF is refused here.
            MediaType::Gif => return Err(embedded(ContentProblem::NotInSvg("a GIF image"))),
            MediaType::Png | MediaType::Jpeg => {
                check_raster(media_type, &bytes).map_err(embedded)?;
                bytes
            }
            MediaType::Svg => {
                if self.level >= MAX_NESTED_SVG {
                    return Err(ContentProblem::SvgTooComplex(format!(
                        "SVG images embedded in each other more than {MAX_NESTED_SVG} deep"
                    )));
                }
                let nested = sanitize_nested(&bytes, self.level + 1).map_err(embedded)?;
                self.dropped.extend(nested.dropped);
                nested.bytes
            }
        };
        Ok(format!(
            "data:{};base64,{}",
            media_type.mime(),
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

/// What kind of file bytes that are no accepted image are, for the message.
fn kind(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"GIF8") {
        "a GIF image whose size cannot be read"
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "a WebP image"
    } else if bytes.starts_with(b"\x1f\x8b") {
        "compressed data (such as an SVGZ image)"
    } else {
        "not an image inkfold reads"
    }
}

/// A value cut to a length a message can show.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// The first `#id` the written drawing refers to (by `href` or `url()`, in attributes and style
/// sheets) that none of its elements has: reading systems and EPUBCheck find such a reference
/// broken. `written` is the sanitised output, well-formed by construction; it is read again
/// after writing so only the references and ids that were kept count.
fn dangling(written: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(written).ok()?;
    let ids: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let missing = |id: &str| (!ids.contains(id)).then(|| id.to_string());
    for node in doc.descendants() {
        for attr in node.attributes() {
            let found = if attr.name() == "href" {
                attr.value().trim().strip_prefix('#').and_then(missing)
            } else {
                url_fragments(attr.value()).find_map(missing)
            };
            if found.is_some() {
                return found;
            }
        }
        if let Some(text) = node.text().filter(|_| node.tag_name().name() == "style")
            && let Some(found) = url_fragments(text).find_map(missing)
        {
            return Some(found);
        }
    }
    None
}

/// The fragments of every `url(#…)` in a value (quoted or not).
fn url_fragments(value: &str) -> impl Iterator<Item = &str> {
    url_fragment_ranges(value).map(move |range| &value[range])
}

/// Where the id of each `url(#id)` in a value stands (byte ranges of `value`): after `url(` in
/// any case (CSS's functions have none), blanks, an opening quote and `#`, up to a quote or
/// `)`, without blanks at its ends.
fn url_fragment_ranges(value: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    // Byte offsets in the lower-case copy are those of the value: only ASCII letters change.
    let lower = value.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices("url(").map(|(at, _)| at + 4).collect();
    starts.into_iter().filter_map(move |open| {
        let after = &value[open..];
        let argument = after.trim_start().trim_start_matches(['"', '\'']);
        let end = argument.find(['"', '\'', ')']).unwrap_or(argument.len());
        let inner = &argument[..end];
        let fragment = inner.trim().strip_prefix('#')?;
        let start = value.len() - after.len()
            + (after.len() - argument.len())
            + (inner.len() - inner.trim_start().len())
            + 1;
        let id = fragment.trim_end();
        Some(start..start + id.len())
    })
}

/// Refuses a `url()` in a value unless it points at a `#fragment` of the drawing itself.
fn check_urls(value: &str) -> Result<(), ContentProblem> {
    let lower = value.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let argument = rest[at + 4..]
            .trim_start()
            .trim_start_matches(['"', '\''])
            .trim_start();
        if !argument.starts_with('#') {
            return Err(ContentProblem::SvgUnsafe(format!(
                "a reference to `{}`",
                shorten(value.trim())
            )));
        }
        rest = &rest[at + 4..];
    }
    Ok(())
}

/// The declarations of a `style` attribute that the allow-list keeps, written anew.
fn declarations(text: &str) -> Result<String, ContentProblem> {
    let mut kept = String::new();
    for declaration in simplecss::DeclarationTokenizer::from(text) {
        if let Some(written) = declaration_kept(&declaration)? {
            if !kept.is_empty() {
                kept.push(';');
            }
            kept.push_str(&written);
        }
    }
    Ok(kept)
}

/// A declaration written anew when its property is known, its value has no CSS escape (which
/// could spell a function in disguise) and calls only known functions; an external `url()`
/// is an error.
fn declaration_kept(
    declaration: &simplecss::Declaration,
) -> Result<Option<String>, ContentProblem> {
    let name = declaration.name.to_ascii_lowercase();
    if !PROPERTIES.contains(&name.as_str()) || declaration.value.contains('\\') {
        return Ok(None);
    }
    check_urls(declaration.value)?;
    let Some(value) = without_vars(declaration.value) else {
        return Ok(None);
    };
    let lower = value.to_ascii_lowercase();
    let mut calls = lower.match_indices('(').map(|(at, _)| {
        let before = &lower[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        &before[start..]
    });
    if !calls.all(|function| FUNCTIONS.contains(&function)) {
        return Ok(None);
    }
    let important = if declaration.important {
        " !important"
    } else {
        ""
    };
    Ok(Some(format!("{name}:{}{important}", url_ids(&value))))
}

/// The most `var()` a value may hold: mdBook's figures have one per colour.
const MAX_VARS: usize = 16;

/// `value` with each CSS variable, `var(--name, fallback)`, replaced by its fallback: a
/// drawing in a book has no page style sheet to define the variable (mdBook's figures colour
/// themselves with `var(--fg, black)`), so the fallback is what a browser shows for it, and
/// renderers that know no `var()` (usvg) would paint it black. `None` (the property left out,
/// as a browser leaves it) for a variable without a fallback, an unclosed one, or more than
/// [`MAX_VARS`].
fn without_vars(value: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !value.to_ascii_lowercase().contains("var(") {
        return Some(std::borrow::Cow::Borrowed(value));
    }
    let mut value = value.to_string();
    for _ in 0..MAX_VARS {
        let Some(at) = value.to_ascii_lowercase().find("var(") else {
            return Some(std::borrow::Cow::Owned(value));
        };
        let inner = at + 4;
        let mut depth = 1usize;
        let close = value[inner..].char_indices().find_map(|(i, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(inner + i)
        })?;
        let fallback = value[inner..close].split_once(',')?.1.trim().to_string();
        value.replace_range(at..=close, &fallback);
    }
    None
}

/// `id` as an XML name, which an `id` must be in an EPUB (EPUBCheck checks it; browsers and
/// Graphviz do not, and Graphviz writes ids such as `04-01-node2`): unchanged when it is one,
/// else with `_` before a first character that cannot begin a name and in place of each that
/// cannot be in one. The ids and every reference to them (`href="#…"`, `url(#…)`) are written
/// through it, so they still meet.
fn xml_id(id: &str) -> std::borrow::Cow<'_, str> {
    let start = |c: char| {
        c.is_ascii_alphabetic()
            || c == '_'
            || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
                | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
                | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
                | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
    };
    let inside = |c: char| {
        start(c)
            || c.is_ascii_digit()
            || matches!(c, '-' | '.' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
    };
    let mut chars = id.chars();
    if chars.next().is_some_and(start) && chars.all(inside) {
        return std::borrow::Cow::Borrowed(id);
    }
    let mut fixed = String::with_capacity(id.len() + 1);
    if !id.chars().next().is_some_and(start) {
        fixed.push('_');
    }
    fixed.extend(id.chars().map(|c| if inside(c) { c } else { '_' }));
    std::borrow::Cow::Owned(fixed)
}

/// `value` with the id of each `url(#id)` in it written as [`xml_id`] writes ids.
fn url_ids(value: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for range in url_fragment_ranges(value) {
        if let std::borrow::Cow::Owned(fixed) = xml_id(&value[range.clone()]) {
            out.push_str(&value[copied..range.start]);
            out.push_str(&fixed);
            copied = range.end;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(value);
    }
    out.push_str(&value[copied..]);
    std::borrow::Cow::Owned(out)
}

/// A `<style>` sheet written anew: its rules with their kept declarations; at-rules (such as
/// `@media` and `@font-face`) are left out and `@import` is an error.
fn style_sheet(text: &str) -> Result<String, ContentProblem> {
    if text.to_ascii_lowercase().contains("@import") {
        return Err(ContentProblem::SvgUnsafe(
            "a style sheet that loads another (`@import`)".into(),
        ));
    }
    let sheet = simplecss::StyleSheet::parse(text);
    let mut out = String::new();
    for rule in &sheet.rules {
        let mut kept = Vec::new();
        for declaration in &rule.declarations {
            if let Some(written) = declaration_kept(declaration)? {
                kept.push(written);
            }
        }
        let selector = rule.selector.to_string();
        if kept.is_empty() || selector.contains(['\\', '{', '}', '<']) {
            continue;
        }
        let _ = writeln!(out, "{selector}{{{}}}", kept.join(";"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(svg: &str) -> String {
        let kept = sanitize(svg.as_bytes()).unwrap_or_else(|e| panic!("{svg}: {e:?}"));
        String::from_utf8(kept.bytes).expect("utf-8")
    }

    fn refused(svg: &str) -> ContentProblem {
        match sanitize(svg.as_bytes()) {
            Ok(kept) => panic!(
                "accepted {svg}\nas {}",
                String::from_utf8_lossy(&kept.bytes)
            ),
            Err(problem) => problem,
        }
    }

    const PNG: &[u8] = include_bytes!("../../tests/cases/book/features/images/bars.png");

    fn data(mime: &str, bytes: &[u8]) -> String {
        format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn a_doctype_naming_the_svg_dtd_is_left_out_and_a_subset_refused() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- Drawn by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n  \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>a &gt; b</text></svg>";
        assert_eq!(
            kept(svg),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>a &gt; b</text></svg>\n"
        );
        let subset = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"svg11.dtd\" [\n<!ENTITY ns \"http://www.w3.org/2000/svg\">\n]><svg xmlns=\"&ns;\"/>";
        assert_eq!(refused(subset), ContentProblem::SvgInternalSubset);
        // A bracket inside a quoted identifier is no subset.
        kept("<!DOCTYPE svg SYSTEM \"odd[name].dtd\"><svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    }

    #[test]
    fn only_known_elements_attributes_and_properties_are_written() {
        let svg = r##"<?xml-stylesheet href="evil.css"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" inkscape:version="1.3" data-x="1"><!-- comment --><metadata><rdf/></metadata><inkscape:grid/><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)" style="fill:url( '#g' );-inkscape-font-specification:Sans;stroke:BLUE;behavior:url(x.htc)" foo="bar"><set attributeName="href" to="javascript:alert(1)"/></rect><use xlink:href="#g"/><a href="https://example.org/">x</a><switch><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject><text>fallback</text></switch><foreignObject/><?php echo 1 ?></svg>"##;
        let sanitized = sanitize(svg.as_bytes()).expect("kept");
        let out = String::from_utf8(sanitized.bytes).expect("utf-8");
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\"><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs><rect width=\"10\" height=\"10\" fill=\"url(#g)\" style=\"fill:url( &apos;#g&apos; );stroke:BLUE\"></rect><use xlink:href=\"#g\"/><a href=\"https://example.org/\">x</a><switch><text>fallback</text></switch></svg>\n"
                .replace("&apos;", "'")
        );
        assert_eq!(
            sanitized.dropped.into_iter().collect::<Vec<_>>(),
            [
                "<foreignObject> (an element not drawn in a book)",
                "<set> (animation)",
                "an external style sheet (<?xml-stylesheet?>)"
            ]
        );
    }

    /// Graphviz's ids (`04-01-node2`, as in the Rust book's figures) are no XML names; they
    /// are written as names, and every reference to them with them, so the drawing is still
    /// whole and EPUBCheck takes it.
    #[test]
    fn ids_are_written_as_xml_names_with_their_references() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="1:a b"/><clipPath id="ok-1"/></defs><g id="04-01-node2"><rect fill="URL(#1:a b)" clip-path="url(#ok-1)" style="fill:url( '#1:a b' )" stroke="url( #1:a b )"/></g><use href="#04-01-node2"/><use xlink:href=" #04-01-node2"/></svg>"##;
        let out = String::from_utf8(sanitize(svg.as_bytes()).expect("kept").bytes).expect("utf-8");
        for expected in [
            "<linearGradient id=\"_1_a_b\"/>",
            "<clipPath id=\"ok-1\"/>",
            "<g id=\"_04-01-node2\">",
            "fill=\"URL(#_1_a_b)\"",
            "clip-path=\"url(#ok-1)\"",
            "stroke=\"url( #_1_a_b )\"",
            "style=\"fill:url( '#_1_a_b' )\"",
            "<use href=\"#_04-01-node2\"/>",
            "<use xlink:href=\"#_04-01-node2\"/>",
        ] {
            assert!(out.contains(expected), "{expected} in {out}");
        }
        for name in ["a", "_a", "a-1.b", "é1", "x\u{300}"] {
            assert_eq!(xml_id(name), name);
        }
        for (id, name) in [
            ("1", "_1"),
            ("-a", "_-a"),
            ("a:b", "a_b"),
            ("", "_"),
            ("a b", "a_b"),
        ] {
            assert_eq!(xml_id(id), name);
        }
    }

    /// mdBook's figures (the Rust book's) colour themselves with `var(--fg, black)` for the
    /// page's theme; a book has none, and usvg knows no `var()` (it painted a white background
    /// black, over the whole drawing): the fallback is written, as a browser shows it.
    #[test]
    fn css_variables_are_written_as_their_fallbacks() {
        let many = "var(--a, ".repeat(MAX_VARS + 1) + "red" + &")".repeat(MAX_VARS + 1);
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg"><polygon fill="var(--bg, white)" stroke="VAR( --fg )"/><text fill="var(--fg, var(--x, rgb(1, 2, 3)))" style="stroke:var(--fg, black);fill:var(--none)">x</text><rect fill="{many}" stroke="var(--fg, black"/></svg>"##
        );
        let out = String::from_utf8(sanitize(svg.as_bytes()).expect("kept").bytes).expect("utf-8");
        for expected in [
            "<polygon fill=\"white\"/>",
            "<text fill=\"rgb(1, 2, 3)\" style=\"stroke:black\">",
            "<rect/>",
        ] {
            assert!(out.contains(expected), "{expected} in {out}");
        }
    }

    #[test]
    fn style_sheets_keep_their_rules_without_at_rules_or_escapes() {
        let out = kept(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style><![CDATA[/* by Illustrator */ @media print { .a { fill: red } } @font-face { font-family: x; src: local(x) } .st0{fill:#FFF;stroke:\\75 rl(x)} rect > .b { stroke-width: 2 !important; background: url(x.png) }]]></style></svg>",
        );
        assert!(
            out.contains("<style>*[class~='st0']{fill:#FFF}\nrect &gt; *[class~='b']{stroke-width:2 !important}\n</style>"),
            "{out}"
        );
    }

    #[test]
    fn what_could_run_or_fetch_is_refused_in_every_spelling() {
        let unsafe_ones = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect ONclick=\"x()\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"file:///etc/passwd\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://tracker.example/p.png\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"other.svg#a\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\" JavaScript:alert(1)\"><text>x</text></a></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill:url(https://x.org/a)\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill:URL( 'https://x.org/a' )\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"Url(x.svg#g)\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>/* c */ @IMPORT 'x.css';</style></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>rect { fill: uRl(x.png) }</style></svg>",
        ];
        for svg in unsafe_ones {
            assert!(
                matches!(refused(svg), ContentProblem::SvgUnsafe(_)),
                "{svg}"
            );
        }
        // Not SVG at all.
        assert!(matches!(
            refused("<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"),
            ContentProblem::SvgUnreadable(_)
        ));
    }

    #[test]
    fn the_output_has_no_reference_handler_or_instruction_whatever_the_input() {
        // Hostile spellings that are not refused are left out: what remains is only fragments.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:\75 rl(x.png)}</style><rect style="fill:u\rl(x);stroke:image-set('x.png' 1x);filter:url(#f)" filter="url(#f)"/><animate href="javascript:x"/><set attributeName="xlink:href" to="https://x.org"/><filter id="f"/></svg>"#;
        let out = kept(svg);
        let doc = roxmltree::Document::parse(&out).expect("well-formed");
        for node in doc.descendants() {
            assert!(node.pi().is_none() && !node.is_comment(), "{out}");
            for attr in node.attributes() {
                assert!(!attr.name().starts_with("on"), "{out}");
                if attr.name() == "href" {
                    assert!(attr.value().starts_with('#'), "{out}");
                }
                let lower = attr.value().to_ascii_lowercase();
                assert!(!lower.contains("url(") || lower.contains("url(#"), "{out}");
            }
        }
        assert!(
            !out.contains("x.png") && !out.contains("javascript"),
            "{out}"
        );
    }

    #[test]
    fn embedded_images_are_checked_like_files_and_encoded_anew() {
        let png = data("image/png", PNG);
        let out = kept(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{png}\"/></svg>"
        ));
        assert!(out.contains(&png), "{out}");
        // The declared type is not trusted: PNG bytes called JPEG are written as PNG.
        let called_jpeg = data("image/jpeg", PNG);
        assert!(
            kept(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{called_jpeg}\"/></svg>"
            ))
            .contains(&png)
        );
        let nested = data(
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        );
        let problem = refused(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{nested}\"/></svg>"
        ));
        assert!(
            matches!(&problem, ContentProblem::Embedded(inner) if matches!(**inner, ContentProblem::SvgUnsafe(_))),
            "{problem:?}"
        );
        let gif = data("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
        assert_eq!(
            refused(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{gif}\"/></svg>"
            )),
            ContentProblem::Embedded(Box::new(ContentProblem::NotInSvg("a GIF image")))
        );
        let webp = data("image/webp", b"RIFF\x1a\x00\x00\x00WEBPVP8L");
        assert!(matches!(
            refused(&format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{webp}\"/></svg>")),
            ContentProblem::Embedded(inner) if *inner == ContentProblem::NotAnImage("a WebP image")
        ));
        // A gzip stream that would expand to gigabytes is never decompressed.
        let gzip = data("image/svg+xml", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
        assert!(matches!(
            refused(&format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{gzip}\"/></svg>")),
            ContentProblem::Embedded(inner) if matches!(*inner, ContentProblem::NotAnImage(_))
        ));
        // 20 000 × 20 000 pixels declared in the header: refused before decoding.
        let mut huge = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        huge.extend_from_slice(&20000u32.to_be_bytes());
        huge.extend_from_slice(&20000u32.to_be_bytes());
        huge.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let huge = data("image/png", &huge);
        assert!(matches!(
            refused(&format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{huge}\"/></svg>")),
            ContentProblem::Embedded(inner) if matches!(*inner, ContentProblem::TooLarge { width: 20000, height: 20000 })
        ));
    }

    #[test]
    fn nesting_is_bounded_at_its_limits() {
        let mut svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string();
        for _ in 1..MAX_NESTED_SVG {
            svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{}\"/></svg>",
                data("image/svg+xml", svg.as_bytes())
            );
        }
        kept(&svg);
        let deeper = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{}\"/></svg>",
            data("image/svg+xml", svg.as_bytes())
        );
        let mut problem = refused(&deeper);
        while let ContentProblem::Embedded(inner) = problem {
            problem = *inner;
        }
        assert!(matches!(problem, ContentProblem::SvgTooComplex(_)));

        let nest = |depth: usize| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
                "<g>".repeat(depth - 1),
                "</g>".repeat(depth - 1)
            )
        };
        kept(&nest(MAX_DEPTH));
        assert!(matches!(
            refused(&nest(MAX_DEPTH + 1)),
            ContentProblem::SvgTooComplex(_)
        ));
    }

    #[test]
    fn the_element_limit_holds_at_its_boundary() {
        // The root, a group of 998 rectangles (999 elements) and 999 <use>s of it (1 000 each):
        // exactly 1 000 000 elements once expanded; one more rectangle outside is one too many.
        let drawing = |extra: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"a\">{}</g>{}{extra}</svg>",
                "<rect/>".repeat(998),
                "<use href=\"#a\"/>".repeat(999)
            )
        };
        assert_eq!(1 + 999 + 999 * 1000, MAX_ELEMENTS);
        kept(&drawing(""));
        assert!(matches!(
            refused(&drawing("<rect/>")),
            ContentProblem::SvgTooComplex(_)
        ));
    }

    #[test]
    fn use_bombs_are_refused_and_cycles_end() {
        // Each level holds ten <use>s of the one below: 10^level elements when expanded.
        let bomb = |levels: usize| {
            let mut svg =
                String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"><defs><rect id=\"l0\"/>");
            for level in 1..=levels {
                svg.push_str(&format!("<g id=\"l{level}\">"));
                for _ in 0..10 {
                    svg.push_str(&format!("<use href=\"#l{}\"/>", level - 1));
                }
                svg.push_str("</g>");
            }
            svg.push_str(&format!("</defs><use href=\"#l{levels}\"/></svg>"));
            svg
        };
        kept(&bomb(5));
        assert!(matches!(
            refused(&bomb(6)),
            ContentProblem::SvgTooComplex(_)
        ));
        kept(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g id=\"a\"><use href=\"#b\"/></g><g id=\"b\"><use href=\"#a\"/></g></svg>",
        );
    }

    #[test]
    fn a_link_to_the_drawing_itself_is_left_out() {
        let out = sanitize(
            br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="#r"><rect id="r"/></a><a href="#r"/><a href="https://example.org/"/></svg>"##,
        )
        .expect("kept");
        let text = String::from_utf8(out.bytes).expect("UTF-8");
        assert!(!text.contains("href=\"#r\""), "{text}");
        assert!(
            text.contains("<a href=\"https://example.org/\"/>"),
            "{text}"
        );
        assert!(
            out.dropped
                .iter()
                .any(|d| d.contains("a link to a part of the drawing"))
        );
    }

    #[test]
    fn a_reference_to_a_part_the_drawing_lacks_is_refused() {
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><linearGradient id=\"g\"/></defs>{body}</svg>"
            )
        };
        for good in [
            "<rect fill=\"url(#g)\"/>",
            "<rect style=\"fill: url( '#g' )\"/>",
            "<use href=\"#g\"/>",
        ] {
            assert!(sanitize(svg(good).as_bytes()).is_ok(), "{good}");
        }
        for (bad, id) in [
            ("<rect fill=\"url(#missing)\"/>", "missing"),
            ("<rect style=\"stroke:url(\'#gone\')\"/>", "gone"),
            ("<use xlink:href=\"#nothing\"/>", "nothing"),
            ("<style>rect{fill:url(#sheet)}</style>", "sheet"),
        ] {
            assert_eq!(
                refused(&svg(bad)),
                ContentProblem::SvgDangling(id.into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn svg_without_a_namespace_gets_one() {
        assert_eq!(
            kept("<svg width=\"2\"><circle r=\"1\"/></svg>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"><circle r=\"1\"/></svg>\n"
        );
    }
}
