//! Font files as untrusted input: a file's bytes (and, for a face, the characters the book
//! prints in it) in; the indices of the faces it holds, each read once, or why it is refused,
//! out. A collection's header is checked against the file's length before any face is read;
//! every glyph's composite structure is walked with a depth limit and a budget of parts, and
//! every glyph the book takes from the face is drawn once (into nothing), so that a damaged or
//! hostile font is refused here, in `check` as in `build`, and never reaches the PDF writer.

use std::collections::HashSet;

use rustybuzz::ttf_parser::{self, Tag};

/// The most faces a collection may hold. The largest collections in use hold far fewer (Noto
/// Sans CJK's, 10; Source Han's, 16; a Windows collection, a handful); each face read costs a
/// parse and some kilobytes, so a file of tiny faces cannot make thousands of them.
pub const MAX_FACES_PER_FILE: usize = 64;

/// How deep composite glyphs may nest (a simple glyph is 0, an accented letter made of two
/// simple glyphs 1). Real fonts nest two or three deep at most (a Vietnamese capital with two
/// marks over an accented base); each level may multiply the work of drawing a glyph.
pub const MAX_COMPOSITE_DEPTH: u32 = 8;

/// The most simple glyphs one glyph may place, counted through every level of its composites.
/// Real glyphs place a few (a letter and its marks; a Hangul syllable, up to six); a composite
/// that refers to the same glyph many times at many levels places exponentially many, and the
/// PDF writer once took 10 GB drawing one.
pub const MAX_GLYPH_PARTS: u32 = 512;

/// The size of a font's offset table (its header before the table records), which is also the
/// size of a collection's header: the least room a face of a collection can take.
const OFFSET_TABLE_BYTES: usize = 12;

/// Why a font file or face is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a font file ttf-parser reads.
    NotAFont,
    /// A collection claiming more faces than its length can hold.
    FaceCount { claimed: u64, room: u64 },
    /// A collection with more distinct faces than [`MAX_FACES_PER_FILE`].
    TooManyFaces(usize),
    /// A glyph nesting composites deeper than [`MAX_COMPOSITE_DEPTH`] (or referring to itself).
    TooDeep(u16),
    /// A glyph placing more than [`MAX_GLYPH_PARTS`] simple glyphs.
    TooManyParts(u16),
    /// A table the book's glyphs need is damaged: the glyph of `char` cannot be read.
    Damaged(char),
    /// The font has a glyph for `char`, and it draws nothing.
    NoOutline(char),
}

impl Refusal {
    /// What the user is told, naming the file.
    pub fn message(&self, file: &str) -> String {
        match self {
            Refusal::NotAFont => format!("`{file}` is not a font file inkfold can read"),
            Refusal::FaceCount { claimed, room } => format!(
                "font collection `{file}` claims {claimed} faces; its length holds at most {room}"
            ),
            Refusal::TooManyFaces(n) => format!(
                "font collection `{file}` holds {n} faces, more than the {MAX_FACES_PER_FILE} \
                 inkfold reads"
            ),
            Refusal::TooDeep(glyph) => format!(
                "font `{file}`: glyph {glyph} nests composite glyphs more than \
                 {MAX_COMPOSITE_DEPTH} levels deep"
            ),
            Refusal::TooManyParts(glyph) => {
                format!("font `{file}`: glyph {glyph} is made of more than {MAX_GLYPH_PARTS} parts")
            }
            Refusal::Damaged(c) => format!(
                "font `{file}` is damaged: the glyph of U+{:04X} cannot be read",
                u32::from(*c)
            ),
            Refusal::NoOutline(c) => format!(
                "font `{file}` has a glyph for U+{:04X} that draws nothing",
                u32::from(*c)
            ),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Refusal::NotAFont => {
                "use a TrueType or OpenType font (.ttf, .otf or .ttc), or remove the file from fonts/"
            }
            Refusal::TooManyFaces(_) => {
                "use a font file with the faces you need, or remove it from fonts/"
            }
            _ => "the font file is damaged; replace it or remove it from fonts/",
        }
    }
}

/// The indices of the faces a font file holds, each distinct face once (a collection's table
/// directory may point at one face many times): `[0]` for a single font. A collection's count
/// is checked against its length (4 bytes of offset a face) before its offsets are read.
pub fn face_indices(data: &[u8]) -> Result<Vec<u32>, Refusal> {
    if data.get(..4) != Some(b"ttcf".as_slice()) {
        return Ok(vec![0]);
    }
    let claimed = read_u32(data, 8).unwrap_or(0);
    // Each face needs a 4-byte offset after the 12-byte header.
    let room = data.len().saturating_sub(OFFSET_TABLE_BYTES) / 4;
    if u64::from(claimed) > room as u64 {
        return Err(Refusal::FaceCount {
            claimed: u64::from(claimed),
            room: room as u64,
        });
    }
    let mut seen = HashSet::new();
    let mut indices = Vec::new();
    for index in 0..claimed {
        let Some(offset) = read_u32(data, OFFSET_TABLE_BYTES + 4 * index as usize) else {
            break;
        };
        // A face needs room for its offset table; one pointing past the end is not read.
        let fits = (offset as usize).saturating_add(OFFSET_TABLE_BYTES) <= data.len();
        if fits && seen.insert(offset) {
            if indices.len() == MAX_FACES_PER_FILE {
                return Err(Refusal::TooManyFaces(seen.len()));
            }
            indices.push(index);
        }
    }
    Ok(indices)
}

/// Checks a face before it is drawn with: its glyphs' composites (every glyph, as shaping may
/// reach any), then each of `chars` it has a glyph for, drawn once into nothing.
pub fn check_face(face: &ttf_parser::Face<'_>, chars: &[char]) -> Result<(), Refusal> {
    check_composites(face)?;
    for &c in chars {
        let Some(glyph) = face.glyph_index(c) else {
            continue;
        };
        if face.glyph_hor_advance(glyph).is_none() {
            return Err(Refusal::Damaged(c));
        }
        if face.outline_glyph(glyph, &mut Nothing).is_some() || !needs_ink(c) {
            continue;
        }
        // Colour and bitmap glyphs draw without an outline.
        if face.is_color_glyph(glyph)
            || face.glyph_raster_image(glyph, u16::MAX).is_some()
            || face.glyph_svg_image(glyph).is_some()
        {
            continue;
        }
        // A glyph with data that cannot be read is damage; a glyph with none draws nothing.
        let empty = Glyf::of(face)
            .and_then(|glyf| glyf.data(glyph.0))
            .is_some_and(<[u8]>::is_empty);
        return Err(if empty {
            Refusal::NoOutline(c)
        } else {
            Refusal::Damaged(c)
        });
    }
    Ok(())
}

/// Whether a character's glyph must draw something: not a space (nor the blank Braille
/// pattern, which is one), a joiner, or a character never printed (a zero-width space, a soft
/// hyphen: fonts often map them to empty glyphs).
fn needs_ink(c: char) -> bool {
    !(c.is_whitespace()
        || c == '\u{2800}'
        || super::is_joiner(c)
        || super::printable(c.encode_utf8(&mut [0; 4])).is_empty())
}

/// A builder that keeps nothing: drawing into it reads every part of a glyph.
struct Nothing;

impl ttf_parser::OutlineBuilder for Nothing {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// What the walk knows of a glyph.
#[derive(Clone, Copy)]
enum Walked {
    Not,
    Open,
    /// Its depth and the simple glyphs it places.
    Done(u32, u32),
}

/// Walks the composite graph of every glyph in `glyf` once (each glyph's depth and parts kept),
/// refusing a glyph nested too deep, referring to itself, or placing too many parts. Fonts
/// without `glyf` (CFF outlines have no composites) pass.
fn check_composites(face: &ttf_parser::Face<'_>) -> Result<(), Refusal> {
    let Some(glyf) = Glyf::of(face) else {
        return Ok(());
    };
    let count = face.number_of_glyphs();
    let mut walked = vec![Walked::Not; usize::from(count)];
    for glyph in 0..count {
        walk(glyph, 0, &glyf, &mut walked)?;
    }
    Ok(())
}

/// A face's `glyf` and `loca` tables, raw.
struct Glyf<'a> {
    loca: &'a [u8],
    glyf: &'a [u8],
    long: bool,
}

impl<'a> Glyf<'a> {
    fn of(face: &ttf_parser::Face<'a>) -> Option<Glyf<'a>> {
        let raw = face.raw_face();
        Some(Glyf {
            loca: raw.table(Tag::from_bytes(b"loca"))?,
            glyf: raw.table(Tag::from_bytes(b"glyf"))?,
            long: face.tables().head.index_to_location_format
                == ttf_parser::head::IndexToLocationFormat::Long,
        })
    }

    /// A glyph's data; `None` when `loca` does not hold it, or points outside `glyf` or
    /// backwards.
    fn data(&self, glyph: u16) -> Option<&'a [u8]> {
        let at = usize::from(glyph);
        let (start, end) = if self.long {
            (
                read_u32(self.loca, at * 4)? as usize,
                read_u32(self.loca, at * 4 + 4)? as usize,
            )
        } else {
            (
                usize::from(read_u16(self.loca, at * 2)?) * 2,
                usize::from(read_u16(self.loca, at * 2 + 2)?) * 2,
            )
        };
        // An end before the start is damage, as ttf-parser reads it.
        self.glyf.get(start..end)
    }
}

/// A glyph's depth and parts; `level` is how deep the walk is, so it stops at the limit.
fn walk(
    glyph: u16,
    level: u32,
    glyf: &Glyf<'_>,
    walked: &mut [Walked],
) -> Result<(u32, u32), Refusal> {
    match walked.get(usize::from(glyph)).copied() {
        // A component naming a glyph the font lacks draws nothing.
        None => return Ok((0, 0)),
        Some(Walked::Done(depth, parts)) => return Ok((depth, parts)),
        Some(Walked::Open) => return Err(Refusal::TooDeep(glyph)),
        Some(Walked::Not) => {}
    }
    if level > MAX_COMPOSITE_DEPTH {
        return Err(Refusal::TooDeep(glyph));
    }
    let data = glyf.data(glyph).unwrap_or_default();
    let contours = data
        .get(..2)
        .map_or(0, |b| i16::from_be_bytes([b[0], b[1]]));
    if contours >= 0 {
        walked[usize::from(glyph)] = Walked::Done(0, 1);
        return Ok((0, 1));
    }
    walked[usize::from(glyph)] = Walked::Open;
    let (mut depth, mut parts) = (0u32, 0u32);
    for component in components(data) {
        let (child_depth, child_parts) = walk(component, level + 1, glyf, walked)?;
        depth = depth.max(child_depth + 1);
        parts = parts.saturating_add(child_parts);
        if depth > MAX_COMPOSITE_DEPTH {
            return Err(Refusal::TooDeep(glyph));
        }
        if parts > MAX_GLYPH_PARTS {
            return Err(Refusal::TooManyParts(glyph));
        }
    }
    walked[usize::from(glyph)] = Walked::Done(depth, parts);
    Ok((depth, parts))
}

/// The glyphs a composite glyph's data places, in order (a truncated record ends the list).
fn components(data: &[u8]) -> impl Iterator<Item = u16> + '_ {
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_X_AND_Y_SCALE: u16 = 0x0040;
    const HAVE_TWO_BY_TWO: u16 = 0x0080;
    // The header: contour count and bounding box.
    let mut at = Some(10usize);
    std::iter::from_fn(move || {
        let here = at?;
        let flags = read_u16(data, here)?;
        let glyph = read_u16(data, here + 2)?;
        let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let transform = if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_X_AND_Y_SCALE != 0 {
            4
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        at = (flags & MORE_COMPONENTS != 0).then_some(here + 4 + args + transform);
        Some(glyph)
    })
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(offsets: &[u32], claimed: u32, length: usize) -> Vec<u8> {
        let mut data = b"ttcf\x00\x01\x00\x00".to_vec();
        data.extend_from_slice(&claimed.to_be_bytes());
        for offset in offsets {
            data.extend_from_slice(&offset.to_be_bytes());
        }
        data.resize(length.max(data.len()), 0);
        data
    }

    #[test]
    fn a_collection_claiming_more_faces_than_it_can_hold_is_refused_unread() {
        let header = collection(&[], u32::MAX, 12);
        assert_eq!(
            face_indices(&header),
            Err(Refusal::FaceCount {
                claimed: u64::from(u32::MAX),
                room: 0
            })
        );
        // 28 bytes hold the header and 4 offsets; a face at 16 has its 12 bytes, one at 20 not.
        let data = collection(&[12, 16, 20, 16], 4, 28);
        assert_eq!(face_indices(&data), Ok(vec![0, 1]));
        let data = collection(&[12, 16, 20, 16], 5, 28);
        assert_eq!(
            face_indices(&data),
            Err(Refusal::FaceCount {
                claimed: 5,
                room: 4
            })
        );
    }

    #[test]
    fn a_face_pointed_at_many_times_is_read_once() {
        let data = collection(&vec![16; 100_000], 100_000, 1_200_000);
        assert_eq!(face_indices(&data), Ok(vec![0]));
    }

    #[test]
    fn distinct_faces_are_limited() {
        let offsets: Vec<u32> = (0..=MAX_FACES_PER_FILE as u32).map(|i| 16 * i).collect();
        let at_limit = collection(&offsets[..MAX_FACES_PER_FILE], 64, 4096);
        assert_eq!(face_indices(&at_limit).map(|f| f.len()), Ok(64));
        let over = collection(&offsets, 65, 4096);
        assert_eq!(face_indices(&over), Err(Refusal::TooManyFaces(65)));
    }

    #[test]
    fn the_bundled_faces_pass() {
        for font in crate::fonts::FONTS {
            let face = ttf_parser::Face::parse(font.bytes, 0).expect("a font");
            let chars: Vec<char> = ('!'..='~').chain("é€—“”".chars()).collect();
            assert_eq!(check_face(&face, &chars), Ok(()), "{}", font.file_name);
        }
    }

    #[test]
    fn only_characters_that_print_need_ink() {
        assert!(needs_ink('a') && needs_ink('\u{2500}'));
        for c in [
            ' ', '\u{00A0}', '\u{200B}', '\u{00AD}', '\u{200D}', '\u{2800}',
        ] {
            assert!(!needs_ink(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn components_are_read_with_their_transforms() {
        // Two components: words and a scale, then bytes and a 2×2 matrix.
        let mut data = vec![0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0];
        data.extend_from_slice(&[0x00, 0x29, 0, 7, 0, 0, 0, 0, 0x40, 0]);
        data.extend_from_slice(&[0x00, 0x80, 0, 9, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(components(&data).collect::<Vec<_>>(), vec![7, 9]);
    }
}
