//! The bad-input suite: manuscripts that are half-finished, pasted from word processors or
//! downloaded from strangers, each with its expected outcome — a clear diagnostic with
//! `file:line:col` and status 1, or a valid build (with a warning where one is due). Every run
//! must end without a panic, keep the previous outputs intact when it fails, and, when it
//! succeeds, write an EPUB whose XML parses and a PDF that a PDF parser reads.
//!
//! The manuscripts are written by the cases below into temporary folders (some are binary, some
//! are megabytes), from the same small book. Each case is a test of its own, named as it is:
//! `cargo test --test bad_input "empty book"`.

mod common;

use std::io::Read;
use std::path::Path;

use common::manuscript::TestBook;
use common::*;

/// The small book every case starts from, with no chapter yet; its `book.toml` names the
/// language on line 3, the identifier on line 4, the date on line 5 and the chapters on line 6.
fn bad_input() -> TestBook {
    TestBook::new("Bad Input").identifier("urn:uuid:00000000-0000-4000-8000-0000000000bd")
}

/// What a case expects.
enum Expect {
    /// Exit 0; stderr contains each of these (warnings), and the outputs are valid.
    Builds(&'static [&'static str]),
    /// Exit 1; stderr contains each of these (a location such as `one.md:3:1`, a message).
    Fails(&'static [&'static str]),
}

struct Case {
    name: &'static str,
    /// Writes the manuscript into the folder.
    write: fn(&Path),
    expect: Expect,
    /// Checks on the built EPUB's chapter XHTML, when it builds.
    epub_check: Option<fn(&str)>,
}

/// Writes the small book with `chapter` as its one chapter, `chapters/one.md`, into `dir`.
fn book(dir: &Path, chapter: &[u8]) {
    bad_input().chapter("one.md", chapter).write_to(dir);
}

fn with_file(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

const PNG: &[u8] = include_bytes!("cases/book/features/images/bars.png");
const SVG_OK: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;

fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png
}

/// The small book with one chapter and an appendix of one data file, `data/help.toml`, whose
/// one organisation has `name` and `website` (written on lines 5 and 7).
fn with_appendix(dir: &Path, name: &str, website: &str) {
    bad_input()
        .chapter("one.md", "# One\n\nText.\n")
        .toml("\n[appendix]\ntitle = \"Help\"\ndata = [\"data/help.toml\"]\n")
        .file(
            "data/help.toml",
            format!(
                "kind = \"sources\"\ntitle = \"Help\"\n\n[[organisation]]\nname = \"{name}\"\noffers = \"Reports.\"\nwebsite = \"{website}\"\ntopics = [\"help\"]\n"
            ),
        )
        .write_to(dir);
}

/// The font hostile fonts are made from: its box-drawing line (U+2500) is one the bundled text
/// faces lack, so a copy in the manuscript's `fonts/` draws it (the manuscript's fonts come
/// first in the fallback chain).
const NOTO_MONO: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular.ttf");

/// The character the hostile fonts are made to draw.
const BOX: char = '\u{2500}';

/// The small book, printing [`BOX`], with `fonts` (name, bytes) in its `fonts/`.
fn book_with_fonts(dir: &Path, fonts: &[(&str, Vec<u8>)]) {
    book(
        dir,
        format!("# One\n\nA line: {BOX}{BOX}{BOX}.\n").as_bytes(),
    );
    for (name, bytes) in fonts {
        with_file(dir, &format!("fonts/{name}"), bytes);
    }
}

fn be16(data: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([data[at], data[at + 1]]))
}

fn be32(data: &[u8], at: usize) -> usize {
    u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]) as usize
}

/// A font's tables, by tag.
fn font_tables(font: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    (0..be16(font, 4))
        .map(|i| {
            let record = 12 + 16 * i;
            let tag: [u8; 4] = font[record..record + 4].try_into().expect("a tag");
            let (offset, length) = (be32(font, record + 8), be32(font, record + 12));
            (tag, font[offset..offset + length].to_vec())
        })
        .collect()
}

/// A font file of `tables`, placed as if it started `base` bytes into its file (a collection's
/// faces give offsets from the collection's start). Checksums are left zero: no reader checks.
fn assemble(tables: &[([u8; 4], Vec<u8>)], base: usize) -> Vec<u8> {
    let mut font = vec![0, 1, 0, 0];
    font.extend_from_slice(&(tables.len() as u16).to_be_bytes());
    font.extend_from_slice(&[0; 6]);
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in tables {
        font.extend_from_slice(tag);
        font.extend_from_slice(&[0; 4]);
        font.extend_from_slice(&((base + offset + body.len()) as u32).to_be_bytes());
        font.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    offset += body.len();
    font.extend(body);
    assert_eq!(font.len(), offset);
    font
}

/// The glyph of `c` in the font.
fn glyph_of(font: &[u8], c: char) -> u16 {
    rustybuzz::ttf_parser::Face::parse(font, 0)
        .expect("a font")
        .glyph_index(c)
        .expect("a glyph")
        .0
}

/// `font` with some glyphs' data replaced (`glyf` rewritten, `loca` in long offsets).
fn with_glyphs(font: &[u8], glyphs: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut tables = font_tables(font);
    let table = |tag: &[u8; 4]| tables.iter().position(|(t, _)| t == tag).expect("table");
    let (head, loca, glyf) = (table(b"head"), table(b"loca"), table(b"glyf"));
    let long = be16(&tables[head].1, 50) == 1;
    let count = be16(&tables[table(b"maxp")].1, 4);
    let at = |loca: &[u8], i: usize| {
        if long {
            be32(loca, 4 * i)
        } else {
            2 * be16(loca, 2 * i)
        }
    };
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::new();
    for i in 0..count {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        match glyphs.iter().find(|(g, _)| usize::from(*g) == i) {
            Some((_, data)) => new_glyf.extend_from_slice(data),
            None => new_glyf.extend_from_slice(
                &tables[glyf].1[at(&tables[loca].1, i)..at(&tables[loca].1, i + 1)],
            ),
        }
        new_glyf.resize(new_glyf.len().next_multiple_of(4), 0);
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[head].1[50..52].copy_from_slice(&1u16.to_be_bytes());
    tables[glyf].1 = new_glyf;
    tables[loca].1 = new_loca;
    assemble(&tables, 0)
}

/// A composite glyph placing each of `parts` at the origin.
fn composite(parts: &[u16]) -> Vec<u8> {
    let mut data = vec![0xFF, 0xFF, 0, 0, 0, 0, 2, 0, 2, 0];
    for (i, part) in parts.iter().enumerate() {
        // Word arguments, as x and y offsets; more components after all but the last.
        let flags: u16 = if i + 1 < parts.len() { 0x0023 } else { 0x0003 };
        data.extend_from_slice(&flags.to_be_bytes());
        data.extend_from_slice(&part.to_be_bytes());
        data.extend_from_slice(&[0; 4]);
    }
    data
}

/// The box line made of composites nested `depth` deep, each placing `fan` copies of the level
/// below (and the top `extra` more simple glyphs), the levels taking other box-drawing glyphs.
fn nested(depth: usize, fan: usize, extra: usize) -> Vec<u8> {
    let simple = glyph_of(NOTO_MONO, '.');
    // Box-drawing glyphs no other glyph is made of, so the depth is the one made here.
    let letters: Vec<u16> = ('\u{2501}'..='\u{2518}')
        .map(|c| glyph_of(NOTO_MONO, c))
        .collect();
    let mut glyphs = Vec::new();
    let mut below = simple;
    for level in 1..=depth {
        let glyph = if level == depth {
            glyph_of(NOTO_MONO, BOX)
        } else {
            letters[level - 1]
        };
        let mut parts = vec![below; fan];
        if level == depth {
            parts.extend(std::iter::repeat_n(simple, extra));
        }
        glyphs.push((glyph, composite(&parts)));
        below = glyph;
    }
    with_glyphs(NOTO_MONO, &glyphs)
}

/// `font` with one table's data replaced by what `change` makes of it.
fn with_table(font: &[u8], tag: &[u8; 4], change: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut tables = font_tables(font);
    for (t, data) in &mut tables {
        if t == tag {
            change(data);
        }
    }
    assemble(&tables, 0)
}

/// A collection of `count` faces, each the same font.
fn collection_of_one(count: usize) -> Vec<u8> {
    let header = 12 + 4 * count;
    let mut data = b"ttcf\x00\x01\x00\x00".to_vec();
    data.extend_from_slice(&(count as u32).to_be_bytes());
    for _ in 0..count {
        data.extend_from_slice(&(header as u32).to_be_bytes());
    }
    data.extend(assemble(&font_tables(NOTO_MONO), header));
    data
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "book title of 301 characters",
            write: |d| {
                TestBook::new(&"T".repeat(301))
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:2:9", "the book's title is 301 characters long"]),
            epub_check: None,
        },
        Case {
            name: "organisation name of 300 characters",
            write: |d| with_appendix(d, &"N".repeat(300), "https://a.org/"),
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "organisation name of 301 characters",
            write: |d| with_appendix(d, &"N".repeat(301), "https://a.org/"),
            expect: Expect::Fails(&["help.toml:5:8", "field `name` is 301 characters long"]),
            epub_check: None,
        },
        Case {
            name: "website of 213 bytes",
            write: |d| with_appendix(d, "A", &format!("https://a.org/{}", "a".repeat(199))),
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "website of 214 bytes",
            write: |d| with_appendix(d, "A", &format!("https://a.org/{}", "a".repeat(200))),
            expect: Expect::Fails(&["help.toml:7:11", "the address is 214 bytes long"]),
            epub_check: None,
        },
        Case {
            name: "website with a quote in its path",
            write: |d| with_appendix(d, "A", "https://a.org/say\\\"hi\\\""),
            expect: Expect::Fails(&["help.toml:7:11", "is not an https:// address"]),
            epub_check: None,
        },
        Case {
            name: "website with a direction override in its host",
            write: |d| with_appendix(d, "A", "https://exa\u{202e}mple.org/"),
            expect: Expect::Fails(&["help.toml:7:11", "is not an https:// address"]),
            epub_check: None,
        },
        Case {
            name: "website with a host label of 64 bytes",
            write: |d| with_appendix(d, "A", &format!("https://{}.org/", "a".repeat(64))),
            expect: Expect::Fails(&["help.toml:7:11", "is not an https:// address"]),
            epub_check: None,
        },
        Case {
            name: "SVG filled with a gradient it does not define",
            write: |d| {
                book(d, b"# One\n\n![A square](fig.svg)\n");
                with_file(
                    d,
                    "chapters/fig.svg",
                    br##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="url(#gone)"/></svg>"##,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "refers to `#gone`, which it does not define"]),
            epub_check: None,
        },
        Case {
            name: "invalid UTF-8",
            write: |d| book(d, b"# One\n\nCaf\xe9 au lait.\n"),
            expect: Expect::Fails(&["one.md:3:4", "not valid UTF-8"]),
            epub_check: None,
        },
        Case {
            name: "byte-order mark",
            write: |d| book(d, "\u{feff}# One\n\nText.\n".as_bytes()),
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| {
                assert!(x.contains("<h1 id=\"one\">One</h1>") && !x.contains('\u{feff}'))
            }),
        },
        Case {
            name: "CRLF line ends",
            write: |d| {
                book(
                    d,
                    b"# One\r\n\r\nFirst line\r\nsecond line.\r\n\r\n- item\r\n",
                )
            },
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| assert!(!x.contains('\r') && x.contains("<li>item</li>"))),
        },
        Case {
            name: "empty chapter",
            write: |d| book(d, b""),
            expect: Expect::Fails(&["one.md:1:1", "has no heading, so it has no title"]),
            epub_check: None,
        },
        Case {
            name: "empty book",
            write: |d| bad_input().file("chapters/one.md", "# One\n").write_to(d),
            expect: Expect::Fails(&["book.toml:6:12", "lists no chapters"]),
            epub_check: None,
        },
        Case {
            name: "missing chapter file",
            write: |d| bad_input().list("chapters/one.md").write_to(d),
            expect: Expect::Fails(&["book.toml:6:13", "does not exist"]),
            epub_check: None,
        },
        Case {
            name: "image path with ..",
            write: |d| {
                book(
                    d,
                    b"# One\n\n![The password file](../../../../etc/passwd)\n",
                )
            },
            expect: Expect::Fails(&["one.md:3:1", "outside the manuscript"]),
            epub_check: None,
        },
        Case {
            name: "absolute image path",
            write: |d| book(d, b"# One\n\n![The password file](/etc/passwd)\n"),
            expect: Expect::Fails(&["one.md:3:1", "absolute path"]),
            epub_check: None,
        },
        Case {
            name: "symlink out of the manuscript",
            write: |d| {
                book(d, b"# One\n\n![A secret](../secret.png)\n");
                let outside = d.parent().expect("parent").join("outside.png");
                std::fs::write(&outside, PNG).expect("write");
                #[cfg(unix)]
                std::os::unix::fs::symlink(&outside, d.join("secret.png")).expect("symlink");
            },
            expect: Expect::Fails(&["one.md:3:1", "outside the manuscript"]),
            epub_check: None,
        },
        Case {
            name: "corrupt image bytes",
            write: |d| {
                book(d, b"# One\n\n![A chart](chart.png)\n");
                with_file(d, "chapters/chart.png", &PNG[..PNG.len() / 2]);
            },
            expect: Expect::Fails(&["one.md:3:1", "is damaged"]),
            epub_check: None,
        },
        Case {
            name: "30000 x 30000 pixels declared",
            write: |d| {
                book(d, b"# One\n\n![A huge chart](huge.png)\n");
                with_file(d, "chapters/huge.png", &png_header(30000, 30000));
            },
            expect: Expect::Fails(&["one.md:3:1", "30000 × 30000 pixels"]),
            epub_check: None,
        },
        Case {
            name: "unsupported image format",
            write: |d| {
                book(d, b"# One\n\n![A photograph](photo.webp)\n");
                with_file(
                    d,
                    "chapters/photo.webp",
                    b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00",
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "not a PNG, JPEG, GIF or SVG"]),
            epub_check: None,
        },
        Case {
            name: "GIF without a picture",
            write: |d| {
                book(d, b"# One\n\n![An animation](anim.gif)\n");
                with_file(
                    d,
                    "chapters/anim.gif",
                    b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "`anim.gif` is damaged"]),
            epub_check: None,
        },
        Case {
            name: "SVG with entities declared in its DOCTYPE",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(d, "chapters/d.svg", br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]><svg xmlns="http://www.w3.org/2000/svg">&lol;</svg>"#);
            },
            expect: Expect::Fails(&["one.md:3:1", "declares entities in its DOCTYPE"]),
            epub_check: None,
        },
        Case {
            name: "SVG with a script",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "a <script> element"]),
            epub_check: None,
        },
        Case {
            name: "SVG with an event handler",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "event handler"]),
            epub_check: None,
        },
        Case {
            name: "SVG with an external reference",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(d, "chapters/d.svg", br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://tracker.example/p.png"/></svg>"#);
            },
            expect: Expect::Fails(&["one.md:3:1", "a reference to"]),
            epub_check: None,
        },
        Case {
            name: "SVG with hostile parts the allow-list leaves out",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br##"<?xml-stylesheet type="text/css" href="https://evil.example/a.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">
<style>/* from an editor */ rect { fill: \75 rl(https://evil.example/a.png) } @font-face { src: \55 RL(x.woff) }</style>
<a xlink:href="#r"><set attributeName="xlink:href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/>
<rect id="r" width="20" height="20" style="stroke:\75 rl(x.png);fill:blue"/></a>
<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/></foreignObject>
</svg>"##,
                );
            },
            expect: Expect::Builds(&[
                "one.md:3:1",
                "left out <animate> (animation)",
                "<foreignObject>",
                "<set> (animation)",
                "external style sheet",
            ]),
            epub_check: None,
        },
        Case {
            name: "SVG with @import in capitals",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><style>/**/@IMPORT "https://evil.example/a.css";</style></svg>"#,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "`@import`"]),
            epub_check: None,
        },
        Case {
            name: "SVG with url() in other letter cases, in a sheet starting with a comment",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><style><!-- -->/* x */ rect { fill: URL( 'https://evil.example/a.png' ) }</style></svg>"#,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "a reference to"]),
            epub_check: None,
        },
        Case {
            name: "SVG embedding an SVG with a script",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                // <svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><image width="5" height="5" href="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiPjxzY3JpcHQ+YWxlcnQoMik8L3NjcmlwdD48L3N2Zz4="/></svg>"#,
                );
            },
            expect: Expect::Fails(&[
                "one.md:3:1",
                "a data: image inside image `d.svg` contains an event handler",
            ]),
            epub_check: None,
        },
        Case {
            name: "SVG embedding a GIF",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><image width="5" height="5" href="data:image/gif;base64,R0lGODlhAQABAAAAACw="/></svg>"#,
                );
            },
            expect: Expect::Fails(&[
                "one.md:3:1",
                "a data: image inside image `d.svg` is a GIF image",
            ]),
            epub_check: None,
        },
        Case {
            name: "SVG embedding a PNG of 20000 × 20000 pixels",
            write: |d| {
                use base64::Engine as _;
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                let png =
                    base64::engine::general_purpose::STANDARD.encode(png_header(20000, 20000));
                let svg = format!(
                    r#"<svg xmlns="http://www.w3.org/2000/svg"><image width="5" height="5" href="data:image/png;base64,{png}"/></svg>"#
                );
                with_file(d, "chapters/d.svg", svg.as_bytes());
            },
            expect: Expect::Fails(&["one.md:3:1", "is 20000 × 20000 pixels"]),
            epub_check: None,
        },
        Case {
            name: "SVG embedding compressed SVG",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                // The first bytes of a gzip stream; nothing is ever decompressed.
                with_file(
                    d,
                    "chapters/d.svg",
                    br#"<svg xmlns="http://www.w3.org/2000/svg"><image width="5" height="5" href="data:image/svg+xml;base64,H4sIAAAAAAAAA+3BMQEAAADCoPVPbQ0PoAAAAAAAAAAAAAAAAAAAAIA3A1Jd+XcAAA=="/></svg>"#,
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "compressed data"]),
            epub_check: None,
        },
        Case {
            name: "SVG whose <use>s expand to 10⁷ elements",
            write: |d| {
                book(d, b"# One\n\n![A diagram](d.svg)\n");
                let mut svg = String::from(
                    r#"<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="l0" width="1" height="1"/>"#,
                );
                for level in 1..=7 {
                    svg.push_str(&format!("<g id=\"l{level}\">"));
                    for _ in 0..10 {
                        svg.push_str(&format!("<use href=\"#l{}\"/>", level - 1));
                    }
                    svg.push_str("</g>");
                }
                svg.push_str("</defs><use href=\"#l7\"/></svg>");
                with_file(d, "chapters/d.svg", svg.as_bytes());
            },
            expect: Expect::Fails(&["one.md:3:1", "once each <use> is expanded"]),
            epub_check: None,
        },
        Case {
            name: "a chapter file larger than 8 MiB",
            write: |d| {
                let mut text = b"# One\n\n".to_vec();
                text.resize(8 * 1024 * 1024 + 1, b'a');
                book(d, &text);
            },
            expect: Expect::Fails(&["one.md", "the file is larger than 8 MiB"]),
            epub_check: None,
        },
        Case {
            name: "a page 100 000 inches wide",
            write: |d| {
                bad_input()
                    .chapter("one.md", "# One\n\nText.\n")
                    .toml("[pdf]\npage-size = \"100000in x 11in\"\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:8:13", "larger than a PDF page can be"]),
            epub_check: None,
        },
        Case {
            name: "20 000 identical headings",
            write: |d| {
                book(
                    d,
                    format!("# One\n\n{}", "## Same\n\n".repeat(20_000)).as_bytes(),
                )
            },
            expect: Expect::Fails(&["one.md:20001:1", "more than 10000 headings"]),
            epub_check: None,
        },
        Case {
            name: "20 000 footnotes",
            write: |d| {
                let refs: String = (0..20_000).map(|i| format!("A claim.[^{i}]\n\n")).collect();
                let notes: String = (0..20_000)
                    .map(|i| format!("[^{i}]: A source.\n"))
                    .collect();
                book(d, format!("# One\n\n{refs}{notes}").as_bytes());
            },
            expect: Expect::Fails(&["one.md:50003:1", "more than 10000 footnotes"]),
            epub_check: None,
        },
        Case {
            name: "a table of 100 000 cells",
            write: |d| {
                let rows = "| x | y |\n".repeat(50_000);
                book(
                    d,
                    format!("# One\n\n| a | b |\n|---|---|\n{rows}").as_bytes(),
                );
            },
            expect: Expect::Fails(&["one.md:3:1", "this table has 100002 cells"]),
            epub_check: None,
        },
        Case {
            name: "a language tag with its region repeated",
            write: |d| {
                bad_input()
                    .lang("en-GB-GB-GB")
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:3:12", "en-GB-GB-GB"]),
            epub_check: None,
        },
        Case {
            name: "a grandfathered language tag",
            write: |d| {
                bad_input()
                    .lang("i-klingon")
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:3:12", "its current form is `tlh`"]),
            epub_check: None,
        },
        Case {
            name: "a private-use language tag on a phrase",
            write: |d| book(d, b"# One\n\nA <span lang=\"x-elvish\">word</span>.\n"),
            expect: Expect::Fails(&["one.md:3:3", "names no language"]),
            epub_check: None,
        },
        Case {
            name: "a language tag with a private-use part after its language",
            write: |d| book(d, b"# One\n\nA <span lang=\"en-x-elvish\">word</span>.\n"),
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| assert!(x.contains("lang=\"en-x-elvish\""), "{x}")),
        },
        Case {
            name: "a title of invisible characters only",
            write: |d| {
                TestBook::new("\u{200b}\u{2060}")
                    .identifier("urn:uuid:00000000-0000-4000-8000-0000000000bd")
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:2:", "the book has an empty title"]),
            epub_check: None,
        },
        Case {
            name: "a heading of invisible characters only",
            write: |d| book(d, "# One\n\n## \u{200b}\u{feff}\n\nText.\n".as_bytes()),
            expect: Expect::Builds(&["one.md:3:1", "this heading is empty"]),
            epub_check: None,
        },
        Case {
            name: "an anchor id kept for the page markers",
            write: |d| book(d, b"# One {#page.1}\n\nText.\n"),
            expect: Expect::Fails(&[
                "one.md:1:1",
                "the id `page.1` is kept for the e-book's print page markers",
            ]),
            epub_check: None,
        },
        Case {
            name: "a day that is not in the calendar",
            write: |d| {
                bad_input()
                    .date("2026-02-31")
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:5:8", "`2026-02-31` is not a date"]),
            epub_check: None,
        },
        Case {
            name: "a urn:uuid: identifier without a UUID",
            write: |d| {
                bad_input()
                    .identifier("urn:uuid:not-a-uuid")
                    .chapter("one.md", "# One\n\nText.\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:4:14", "UUID"]),
            epub_check: None,
        },
        Case {
            name: "a script no font has, in every paragraph: one error for it",
            write: |d| {
                let paragraphs = "Text \u{E000} and \u{E001}.\n\n".repeat(30);
                book(d, format!("# One\n\n{paragraphs}").as_bytes());
            },
            expect: Expect::Fails(&[
                "one.md:3:6",
                "it appears here and in 29 more places",
                "build failed: 1 error",
            ]),
            epub_check: None,
        },
        Case {
            name: "raw HTML: figures, anchors and comments work; scripts never reach an output",
            write: |d| {
                book(
                    d,
                    br#"# One

<!-- a comment -- with double dashes -->

<p><img src="fig.svg" alt="A square diagram" title="Figure 1. A square."></p>

Jump to [the target](#target). <span onclick="steal()">Kept text</span>

<script>document.cookie</script>

<iframe src="https://evil.example/"></iframe><object data="x.swf"></object>

<a id="target"></a>Here is the target.
"#,
                );
                with_file(d, "chapters/fig.svg", SVG_OK.as_bytes());
            },
            expect: Expect::Builds(&[
                "<script> is removed",
                "<iframe> is removed",
                "<object> is removed",
            ]),
            epub_check: Some(|x| {
                assert!(
                    x.contains("<figure>") && x.contains("alt=\"A square diagram\""),
                    "{x}"
                );
                assert!(
                    x.contains("<figcaption>Figure 1. A square.</figcaption>"),
                    "{x}"
                );
                assert!(
                    x.contains("<span id=\"target\"></span>") && x.contains("href=\"#target\""),
                    "{x}"
                );
                assert!(x.contains("Kept text"));
                for banned in [
                    "<script",
                    "onclick",
                    "<iframe",
                    "<object",
                    "cookie",
                    "evil.example",
                    "<!--",
                ] {
                    assert!(!x.contains(banned), "{banned} reached the EPUB");
                }
            }),
        },
        Case {
            name: "javascript:, data: and file: links",
            write: |d| {
                book(d, b"# One\n\n[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///etc/passwd)\n")
            },
            expect: Expect::Fails(&[
                "one.md:3:1",
                "one.md:3:26",
                "one.md:3:48",
                "`javascript:` addresses are not allowed",
                "`data:`",
                "`file:`",
            ]),
            epub_check: None,
        },
        Case {
            name: "lists nested 10 000 deep",
            write: |d| {
                // Each `- ` opens a list inside the last one; indenting each level on a line
                // of its own would take 100 MB.
                let text = format!("# One\n\n{}item\n", "- ".repeat(10_000));
                book(d, text.as_bytes());
            },
            expect: Expect::Fails(&["one.md:", "nest more than 60 deep"]),
            epub_check: None,
        },
        Case {
            name: "quotes nested 10 000 deep",
            write: |d| {
                book(
                    d,
                    format!("# One\n\n{} deep\n", ">".repeat(10_000)).as_bytes(),
                )
            },
            expect: Expect::Fails(&["one.md:3:", "nest more than 60 deep"]),
            epub_check: None,
        },
        Case {
            name: "quotes and lists nested 60 deep, the limit, build",
            write: |d| {
                let mut text = format!("# One\n\n{} deep\n\n", ">".repeat(60));
                for depth in 0..60 {
                    text.push_str(&"  ".repeat(depth));
                    text.push_str("- item\n");
                }
                book(d, text.as_bytes());
            },
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "an unclosed <pre>",
            write: |d| book(d, b"# One\n\nText.\n\n<pre>\ncode\n\n## Two\n\nMore.\n"),
            expect: Expect::Fails(&[
                "one.md:5:1",
                "<pre> is never closed",
                "close it with </pre>",
            ]),
            epub_check: None,
        },
        Case {
            name: "an unclosed <dd> keeps its text",
            write: |d| {
                book(d, b"# One\n\n<dl>\n<dt>Term</dt>\n<dd>Its meaning.\n</dl>\n\n<dl>\n<dt>Second</dt>\n<dd>Open to the blank line.\n\nAfter.\n")
            },
            expect: Expect::Builds(&[
                "one.md:10:1",
                "<dd> is never closed; it ends with the HTML block",
                "one.md:8:1",
                "<dl> is never closed",
            ]),
            epub_check: Some(|x| {
                assert!(
                    x.contains("<dd>")
                        && x.contains("Its meaning.")
                        && x.contains("Open to the blank line.")
                        && x.contains("After."),
                    "{x}"
                )
            }),
        },
        Case {
            name: "<sup> nested 200 deep",
            write: |d| {
                let text = format!(
                    "# One\n\nx {}deep{}\n",
                    "<sup>".repeat(200),
                    "</sup>".repeat(200)
                );
                book(d, text.as_bytes())
            },
            expect: Expect::Fails(&["one.md:3:303", "HTML elements nest more than 60 deep"]),
            epub_check: None,
        },
        Case {
            name: "<em> nested 60 deep, the limit, builds",
            write: |d| {
                let text = format!(
                    "# One\n\n<div>{}deep{}</div>\n",
                    "<em>".repeat(60),
                    "</em>".repeat(60)
                );
                book(d, text.as_bytes())
            },
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| assert!(x.contains("deep"))),
        },
        Case {
            name: "a <dt> without <dd>",
            write: |d| {
                book(d, b"# One\n\n<dl>\n<dt>Term</dt>\n\n<dd>Split off by the blank line.</dd>\n</dl>\n")
            },
            expect: Expect::Fails(&[
                "one.md:4:1",
                "the term `Term` (<dt>) has no definition (<dd>)",
                "a blank line ends an HTML block",
            ]),
            epub_check: None,
        },
        Case {
            name: "a <dd> without <dt>",
            write: |d| book(d, b"# One\n\n<dl>\n<dd>No term.</dd>\n</dl>\n"),
            expect: Expect::Fails(&["one.md:4:1", "a definition (<dd>) without a term (<dt>)"]),
            epub_check: None,
        },
        Case {
            name: "control characters in a font's file name",
            write: |d| {
                book(d, b"# One\n\nText.\n");
                // ESC clears the screen; the line end would start a forged "error:" line.
                with_file(d, "fonts/Bad\x1b[2J\nerror: forged.otf", b"not a font");
            },
            expect: Expect::Fails(&["`Bad\\u{1b}[2J\\u{a}error: forged.otf` is not a font file"]),
            epub_check: None,
        },
        Case {
            name: "a 5000-character word and URL",
            write: |d| {
                let word = "a".repeat(5000);
                let url = format!("https://example.org/{}", "b".repeat(5000));
                book(d, format!("# One\n\nBefore {word} after.\n\nSee [the long address]({url}) and {url}.\n").as_bytes());
            },
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| assert!(x.contains(&"a".repeat(5000)))),
        },
        Case {
            name: "a 1 MB paragraph",
            write: |d| {
                let sentence =
                    "Collaboration among stakeholders is vital to end child trafficking. ";
                let paragraph = sentence.repeat(1_000_000 / sentence.len() + 1);
                book(d, format!("# One\n\n{paragraph}\n").as_bytes());
            },
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "characters no bundled font covers",
            write: |d| {
                book(
                    d,
                    "# One\n\nA private character \u{E000} and \u{10FFFD}.\n".as_bytes(),
                )
            },
            expect: Expect::Fails(&["one.md:3:21", "U+E000"]),
            epub_check: None,
        },
        Case {
            name: "malformed language tag",
            write: |d| {
                bad_input()
                    .lang("en_US")
                    .chapter("one.md", "# One\n\n## Autre {lang=fr_FR!}\n")
                    .write_to(d)
            },
            expect: Expect::Fails(&["book.toml:3:12", "not a valid language tag"]),
            epub_check: None,
        },
        Case {
            name: "unknown but well-formed language tag",
            write: |d| book(d, b"# One\n\n## Qapla' {lang=tlh}\n\nText.\n"),
            expect: Expect::Builds(&[]),
            epub_check: Some(|x| assert!(x.contains("lang=\"tlh\""))),
        },
        Case {
            name: "duplicate ids",
            write: |d| book(d, b"# One {#same}\n\n<a id=\"same\"></a>Text.\n"),
            expect: Expect::Fails(&["one.md:3:1", "used twice"]),
            epub_check: None,
        },
        Case {
            name: "malformed TOML",
            write: |d| {
                let book = bad_input().chapter("one.md", "# One\n");
                let toml = book
                    .toml_text()
                    .replace("language = \"en\"", "language = \"en");
                book.raw_toml(&toml).write_to(d)
            },
            expect: Expect::Fails(&["book.toml:3:"]),
            epub_check: None,
        },
        Case {
            name: "book.toml pointing outside the manuscript",
            write: |d| {
                bad_input()
                    .file("chapters/one.md", "# One\n")
                    .list("../outside.md")
                    .write_to(d);
                std::fs::write(
                    d.parent().expect("parent").join("outside.md"),
                    "# Outside\n",
                )
                .expect("write");
            },
            expect: Expect::Fails(&["book.toml:6:13", "outside the manuscript"]),
            epub_check: None,
        },
        Case {
            name: "font: composite glyphs 8 deep",
            write: |d| book_with_fonts(d, &[("deep.ttf", nested(8, 1, 0))]),
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "font: composite glyphs 9 deep",
            write: |d| book_with_fonts(d, &[("deep.ttf", nested(9, 1, 0))]),
            expect: Expect::Fails(&[
                "fonts/deep.ttf",
                "more than 8 levels deep",
                "replace it or remove it from fonts/",
            ]),
            epub_check: None,
        },
        Case {
            name: "font: a glyph of 512 parts",
            write: |d| book_with_fonts(d, &[("parts.ttf", nested(3, 8, 0))]),
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "font: a glyph of 513 parts",
            write: |d| book_with_fonts(d, &[("parts.ttf", nested(3, 8, 1))]),
            expect: Expect::Fails(&["fonts/parts.ttf", "more than 512 parts"]),
            epub_check: None,
        },
        Case {
            name: "font: composites fanning out twelve levels deep",
            write: |d| book_with_fonts(d, &[("bomb.ttf", nested(12, 12, 0))]),
            expect: Expect::Fails(&["fonts/bomb.ttf", "replace it or remove it from fonts/"]),
            epub_check: None,
        },
        Case {
            name: "font: a collection header claiming 2^32-1 faces",
            write: |d| {
                book_with_fonts(
                    d,
                    &[(
                        "faces.ttc",
                        b"ttcf\x00\x01\x00\x00\xff\xff\xff\xff".to_vec(),
                    )],
                )
            },
            expect: Expect::Fails(&[
                "fonts/faces.ttc",
                "claims 4294967295 faces; its length holds at most 0",
            ]),
            epub_check: None,
        },
        Case {
            name: "font: a collection pointing 100 000 times at one face",
            write: |d| book_with_fonts(d, &[("many.ttc", collection_of_one(100_000))]),
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "font: truncated",
            write: |d| {
                book_with_fonts(d, &[("cut.ttf", NOTO_MONO[..NOTO_MONO.len() / 2].to_vec())])
            },
            expect: Expect::Fails(&[
                "fonts/cut.ttf",
                "damaged",
                "replace it or remove it from fonts/",
            ]),
            epub_check: None,
        },
        Case {
            name: "font: a damaged hmtx",
            write: |d| {
                book_with_fonts(
                    d,
                    &[(
                        "hmtx.ttf",
                        with_table(NOTO_MONO, b"hmtx", |t| t.truncate(2)),
                    )],
                )
            },
            expect: Expect::Fails(&[
                "fonts/hmtx.ttf",
                "is damaged: the glyph of U+",
                "replace it or remove it from fonts/",
            ]),
            epub_check: None,
        },
        Case {
            name: "font: a damaged loca",
            write: |d| {
                book_with_fonts(
                    d,
                    &[("loca.ttf", with_table(NOTO_MONO, b"loca", |t| t.fill(0xFF)))],
                )
            },
            expect: Expect::Fails(&[
                "fonts/loca.ttf",
                "is damaged: the glyph of U+",
                "replace it or remove it from fonts/",
            ]),
            epub_check: None,
        },
        Case {
            name: "font: an empty glyph for a character it claims",
            write: |d| {
                book_with_fonts(
                    d,
                    &[(
                        "empty.ttf",
                        with_glyphs(NOTO_MONO, &[(glyph_of(NOTO_MONO, BOX), Vec::new())]),
                    )],
                )
            },
            expect: Expect::Fails(&[
                "fonts/empty.ttf",
                "has a glyph for U+2500 that draws nothing",
            ]),
            epub_check: None,
        },
        Case {
            name: "fonts: 40 large fonts the book does not use",
            write: |d| {
                // Each 5.5 MB (the font with a table of padding), 220 MB together.
                let large = with_table(NOTO_MONO, b"name", |t| t.resize(5 << 20, 0));
                let fonts: Vec<(String, Vec<u8>)> = (0..40)
                    .map(|i| (format!("f{i:02}.ttf"), large.clone()))
                    .collect();
                bad_input()
                    .chapter("one.md", "# One\n\nText.\n".as_bytes())
                    .write_to(d);
                for (name, bytes) in &fonts {
                    with_file(d, &format!("fonts/{name}"), bytes);
                }
            },
            expect: Expect::Builds(&[]),
            epub_check: None,
        },
        Case {
            name: "fonts: 65 files",
            write: |d| {
                let fonts: Vec<(String, Vec<u8>)> =
                    (0..65).map(|i| (format!("f{i:02}.ttf"), vec![0])).collect();
                let fonts: Vec<(&str, Vec<u8>)> =
                    fonts.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
                book_with_fonts(d, &fonts)
            },
            expect: Expect::Fails(&["fonts", "holds 65 font files, more than the 64"]),
            epub_check: None,
        },
        Case {
            name: "fonts: past 256 MiB together",
            write: |d| {
                book_with_fonts(d, &[("e.ttf", vec![0])]);
                // Four of 64 MiB (the most one may be), sparse: 256 MiB together is allowed.
                for name in ["a", "b", "c", "d"] {
                    let file =
                        std::fs::File::create(d.join(format!("fonts/{name}.ttf"))).expect("create");
                    file.set_len(64 * 1024 * 1024).expect("size");
                }
            },
            expect: Expect::Fails(&[
                "fonts/e.ttf",
                "takes the fonts in fonts/ past 256 MiB together",
            ]),
            epub_check: None,
        },
    ]
}

/// Each case a test of its own, named as it is.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = cases()
        .into_iter()
        .map(|case| libtest_mimic::Trial::test(case.name, move || run(&case).map_err(Into::into)))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// Builds the case's manuscript over an output folder holding earlier outputs; what went
/// against the case's expectation, with inkfold's messages, when anything did.
///
/// With `BAD_INPUT_WRITE=DIR` set, the case's manuscript is only written, into `DIR/<case>` (to
/// measure or debug a case by hand).
fn run(case: &Case) -> Result<(), String> {
    if let Some(dir) = std::env::var_os("BAD_INPUT_WRITE") {
        let name: String = case
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        (case.write)(&Path::new(&dir).join(name));
        return Ok(());
    }
    let root = tempfile::tempdir().expect("temp dir");
    let manuscript = root.path().join("manuscript");
    (case.write)(&manuscript);
    let out = root.path().join("output");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("bad-input.epub"), b"the previous EPUB").expect("write");
    std::fs::write(out.join("bad-input.pdf"), b"the previous PDF").expect("write");
    let before = snapshot_dir(&out);
    let output = inkfold(&[
        "build",
        manuscript.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    let err = stderr(&output);
    let mut problems = Vec::new();
    if err.contains("panicked") {
        problems.push("panicked".to_string());
    }
    match case.expect {
        Expect::Fails(needles) => {
            if output.status.code() != Some(1) {
                problems.push(format!("exit {:?}, expected 1", output.status.code()));
            }
            for needle in needles {
                if !err.contains(needle) {
                    problems.push(format!("stderr lacks {needle:?}"));
                }
            }
            if snapshot_dir(&out) != before {
                problems.push("the previous outputs changed".into());
            }
        }
        Expect::Builds(needles) => {
            if output.status.code() != Some(0) {
                problems.push(format!("exit {:?}, expected 0", output.status.code()));
            }
            for needle in needles {
                if !err.contains(needle) {
                    problems.push(format!("stderr lacks {needle:?}"));
                }
            }
            if problems.is_empty() {
                let epub = out.join("bad-input.epub");
                check_epub(&epub, case.epub_check, &mut problems);
                check_pdf(&out.join("bad-input.pdf"), &mut problems);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}\n{err}", case.name, problems.join("; ")))
    }
}

/// Every XML file of the EPUB parses; the chapter passes the case's own check.
fn check_epub(epub: &Path, check: Option<fn(&str)>, problems: &mut Vec<String>) {
    let Ok(file) = std::fs::File::open(epub) else {
        problems.push("no EPUB".into());
        return;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        problems.push("the EPUB is not a zip".into());
        return;
    };
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if name.ends_with(".svg") {
            let mut bytes = Vec::new();
            if entry.read_to_end(&mut bytes).is_ok() {
                problems.extend(common::svg_leaks_in([(name.as_str(), bytes.as_slice())]));
            }
            continue;
        }
        if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".xml")) {
            continue;
        }
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_err() {
            problems.push(format!("{name} is not UTF-8"));
            continue;
        }
        if let Err(e) = roxmltree::Document::parse_with_options(&text, xml_options()) {
            problems.push(format!("{name} is not well-formed: {e}"));
        }
        if name == "EPUB/text/one.xhtml"
            && let Some(check) = check
        {
            check(&text);
        }
    }
}

/// The PDF parses and has pages.
fn check_pdf(pdf: &Path, problems: &mut Vec<String>) {
    match std::fs::read(pdf).map(|bytes| lopdf::Document::load_mem(&bytes)) {
        Ok(Ok(doc)) if !doc.get_pages().is_empty() => {}
        Ok(Ok(_)) => problems.push("the PDF has no pages".into()),
        Ok(Err(e)) => problems.push(format!("the PDF does not parse: {e}")),
        Err(e) => problems.push(format!("no PDF: {e}")),
    }
}
