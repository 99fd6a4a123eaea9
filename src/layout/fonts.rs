//! Fonts and shaping: styled text in, shaped glyph runs out. The bundled faces are parsed once;
//! text is shaped with rustybuzz (kerning and ligatures from the fonts' GPOS and GSUB), falling
//! back from the style's face to Noto Sans for characters it lacks.

use std::ops::Range;

use crate::fonts::FONTS;

/// Index of a face in [`FontBook`], in the order of [`FONTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub usize);

/// Which face text asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
}

/// One shaped glyph; advances and offsets in em units, `text` a byte range of the run's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    pub text: Range<usize>,
}

/// Text shaped in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    pub face: FaceId,
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

impl Shaped {
    /// Width in points at `size`.
    pub fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// A loaded face: the rustybuzz face for shaping and its metrics.
pub struct Face {
    pub rb: rustybuzz::Face<'static>,
    pub upem: f32,
    /// Ascender and descender in em units (descender negative).
    pub ascender: f32,
    pub descender: f32,
}

/// The bundled faces, parsed.
pub struct FontBook {
    faces: Vec<Face>,
    fallback: FaceId,
}

/// A character no bundled face has a glyph for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncovered(pub char);

impl FontBook {
    /// Parses the bundled fonts; `None` only if a bundled file is damaged.
    pub fn load() -> Option<FontBook> {
        let mut faces = Vec::new();
        for font in FONTS {
            let rb = rustybuzz::Face::from_slice(font.bytes, 0)?;
            let upem = rb.units_per_em() as f32;
            faces.push(Face {
                ascender: f32::from(rb.ascender()) / upem,
                descender: f32::from(rb.descender()) / upem,
                upem,
                rb,
            });
        }
        let fallback = FONTS.iter().position(|f| !f.in_epub)?;
        Some(FontBook {
            faces,
            fallback: FaceId(fallback),
        })
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id.0]
    }

    /// The face for a style (Mono has no italic; it keeps its upright face).
    pub fn face_for(&self, style: Style) -> FaceId {
        let family = if style.mono {
            crate::fonts::MONO_FAMILY
        } else {
            crate::fonts::TEXT_FAMILY
        };
        let weight = if style.bold { 700 } else { 400 };
        let exact = FONTS.iter().position(|f| {
            f.family == family && f.weight == weight && (f.italic == style.italic || style.mono)
        });
        FaceId(exact.unwrap_or(0))
    }

    fn covers(&self, face: FaceId, c: char) -> bool {
        self.faces[face.0].rb.glyph_index(c).is_some()
    }

    /// Shapes `text` in the face of `style`, splitting it into runs where a character needs
    /// the fallback face. Errs with the first character no face covers.
    pub fn shape(&self, text: &str, style: Style) -> Result<Vec<Shaped>, Uncovered> {
        let printable = printable(text);
        let text = printable.as_str();
        let primary = self.face_for(style);
        let mut runs: Vec<(FaceId, Range<usize>)> = Vec::new();
        for (i, c) in text.char_indices() {
            let face = if self.covers(primary, c) {
                primary
            } else if self.covers(self.fallback, c) {
                self.fallback
            } else {
                return Err(Uncovered(c));
            };
            let end = i + c.len_utf8();
            match runs.last_mut() {
                Some((f, range)) if *f == face => range.end = end,
                _ => runs.push((face, i..end)),
            }
        }
        Ok(runs
            .into_iter()
            .map(|(face, range)| self.shape_in(face, &text[range]))
            .collect())
    }

    /// Shapes text in one face (characters it lacks become .notdef; callers check coverage).
    pub fn shape_in(&self, face: FaceId, text: &str) -> Shaped {
        let f = &self.faces[face.0];
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&f.rb, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos[i + 1..]
                .iter()
                .map(|next| next.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            glyphs.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_advance: pos.x_advance as f32 / f.upem,
                x_offset: pos.x_offset as f32 / f.upem,
                y_offset: pos.y_offset as f32 / f.upem,
                text: start.min(end)..end.max(start),
            });
        }
        Shaped {
            face,
            text: text.to_string(),
            glyphs,
        }
    }
}

/// The text as it is printed: tabs become spaces, and characters that draw nothing (controls,
/// byte-order marks, zero-width spaces and joiners, soft hyphens, variation selectors) are left
/// out, since they have no glyph to draw or to map back to text.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}' => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_with_kerning_and_falls_back() {
        let book = FontBook::load().expect("fonts");
        let runs = book.shape("AV", Style::default()).expect("covered");
        assert_eq!(runs.len(), 1);
        let kerned = runs[0].width(10.0);
        let a = book.shape_in(runs[0].face, "A").width(10.0);
        let v = book.shape_in(runs[0].face, "V").width(10.0);
        assert!(kerned < a + v, "AV is kerned: {kerned} vs {}", a + v);
        // Cyrillic is not in Atkinson Hyperlegible Next; Noto Sans has it.
        let runs = book.shape("a Ж b", Style::default()).expect("covered");
        assert_eq!(runs.len(), 3);
        assert_ne!(runs[1].face, runs[0].face);
        assert_eq!(
            book.shape("\u{10FFFD}", Style::default()),
            Err(Uncovered('\u{10FFFD}'))
        );
    }

    #[test]
    fn invisible_characters_are_not_shaped() {
        let book = FontBook::load().expect("fonts");
        let runs = book
            .shape("a\u{feff}b\u{200b}c\u{ad}d\te", Style::default())
            .expect("covered");
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "abcd e");
    }

    #[test]
    fn styles_pick_faces() {
        let book = FontBook::load().expect("fonts");
        let bold_italic = book.face_for(Style {
            bold: true,
            italic: true,
            mono: false,
        });
        assert_eq!(
            crate::fonts::FONTS[bold_italic.0].file_name,
            "AtkinsonHyperlegibleNext-BoldItalic.ttf"
        );
        let mono = book.face_for(Style {
            bold: false,
            italic: true,
            mono: true,
        });
        assert_eq!(
            crate::fonts::FONTS[mono.0].file_name,
            "AtkinsonHyperlegibleMono-Regular.ttf"
        );
    }
}
