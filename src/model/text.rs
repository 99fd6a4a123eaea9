//! Counted text: a model inline (or a note, or a code block) in; the text it contributes to its
//! top-level block, as print sets it, out. An [`InlinePos`] is a byte offset into this text.
//!
//! Both sides of the EPUB's exact page markers count with this module and nothing else: the
//! print layout (`layout::measure`) as it makes the pieces it sets, which gives each printed
//! page its start, and the e-book writer (`render::epub::xhtml`) as it writes the chapter,
//! which puts each page's marker where its offset is reached. Text that print sets but the
//! e-book writes otherwise (a soft break's space, a note reference's number, `<q>`'s quotation
//! marks, a note's number) is counted by both all the same, so the offsets agree. An
//! admonition's label ([`AdmonitionKind::label`]) is text both set, counted where it stands:
//! before the admonition's first block.
//!
//! [`InlinePos`]: crate::layout::document::InlinePos
//! [`AdmonitionKind::label`]: super::AdmonitionKind::label

use std::borrow::Cow;

use super::{BlockKind, Inline, InlineStyle, Note};

/// The text a soft break contributes: the space print sets where the source breaks a line.
const SOFT_BREAK: &str = " ";

/// The end of a code line, which each line of a code block counts with.
const LINE_END: &str = "\n";

/// What one inline contributes to the text of its block.
#[derive(Debug, Clone)]
pub enum Contribution<'a> {
    /// Text of its own: a text run's or inline code's text, a soft break's space, a note
    /// reference's number.
    Text(Cow<'a, str>),
    /// Its content, between the marks print sets around it (`<q>`'s quotation marks; none
    /// around emphasis, links and the other inline HTML).
    Content {
        open: &'static str,
        content: &'a [Inline],
        close: &'static str,
    },
    /// No text: a hard break (a line end in print, no character), an image (set apart, as a
    /// figure after its text), a link target.
    Nothing,
}

/// What an inline contributes to the text of its block: the one place that says so for each
/// kind of inline.
pub fn contribution(inline: &Inline) -> Contribution<'_> {
    let content = |content| Contribution::Content {
        open: "",
        content,
        close: "",
    };
    match inline {
        Inline::Text(text) | Inline::Code(text) => Contribution::Text(Cow::Borrowed(text)),
        Inline::SoftBreak => Contribution::Text(Cow::Borrowed(SOFT_BREAK)),
        Inline::NoteRef(r) => Contribution::Text(Cow::Owned(r.number.to_string())),
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => content(c),
        Inline::Link(link) => content(&link.content),
        Inline::Styled { style, content } => {
            let (open, close) = marks(style);
            Contribution::Content {
                open,
                content,
                close,
            }
        }
        Inline::HardBreak | Inline::Image(_) | Inline::Anchor { .. } => Contribution::Nothing,
    }
}

/// The text an inline contributes of its own: a text run's or inline code's text, a soft
/// break's space, a note reference's number; empty for an inline with content (whose marks
/// [`marks`] gives) or without text.
pub fn own_text(inline: &Inline) -> Cow<'_, str> {
    match contribution(inline) {
        Contribution::Text(text) => text,
        Contribution::Content { .. } | Contribution::Nothing => Cow::Borrowed(""),
    }
}

/// The marks print sets before and after the content of inline HTML: the quotation marks
/// `<q>` stands for; none for the rest.
pub fn marks(style: &InlineStyle) -> (&'static str, &'static str) {
    match style {
        InlineStyle::Quotation => ("“", "”"),
        _ => ("", ""),
    }
}

/// The text inline content contributes, in reading order.
pub fn text(inlines: &[Inline]) -> String {
    fn push(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match contribution(inline) {
                Contribution::Text(text) => out.push_str(&text),
                Contribution::Content {
                    open,
                    content,
                    close,
                } => {
                    out.push_str(open);
                    push(content, out);
                    out.push_str(close);
                }
                Contribution::Nothing => {}
            }
        }
    }
    let mut out = String::new();
    push(inlines, &mut out);
    out
}

/// The number print sets before a note's text, which links back to its reference: `1. `.
pub fn note_number(number: usize) -> String {
    format!("{number}. ")
}

/// The block of a note that its number is set before (and counted with): its first paragraph,
/// wherever it stands; `None` for a note without one.
pub fn numbered_block(note: &Note) -> Option<usize> {
    note.blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Paragraph(_)))
}

/// The text of a code block that print sets: its lines, without the blank lines at its end.
pub fn code_text(code: &str) -> &str {
    code.trim_end_matches('\n')
}

/// A code block's lines as print sets them, each with where it begins in the block's counted
/// text ([`code_len`]).
pub fn code_lines(code: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    code_text(code).split(LINE_END).map(move |line| {
        let start = at;
        at += line.len() + LINE_END.len();
        (start, line)
    })
}

/// How much text a code block contributes: its lines, each with its line end (the last
/// one's included).
pub fn code_len(code: &str) -> usize {
    code_text(code).len() + LINE_END.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{SourceMap, Span};
    use crate::model::{Block, NoteRef};

    fn span() -> Span {
        let file = SourceMap::default().add("c.md".into(), String::new());
        Span::new(file, 0..0)
    }

    fn t(text: &str) -> Inline {
        Inline::Text(text.into())
    }

    fn note_ref(number: usize) -> Inline {
        Inline::NoteRef(NoteRef {
            label: "n".into(),
            number,
            id: format!("ref-{number}"),
            span: span(),
        })
    }

    #[test]
    fn each_inline_counts_as_print_sets_it() {
        let inlines = vec![
            t("She said"),
            Inline::SoftBreak,
            Inline::Styled {
                style: InlineStyle::Quotation,
                content: vec![t("go"), Inline::Emph(vec![t(" now")])],
            },
            note_ref(12),
            Inline::HardBreak,
            Inline::Code("x < y".into()),
            Inline::Anchor {
                id: "here".into(),
                span: span(),
            },
            Inline::Strong(vec![t("!")]),
        ];
        assert_eq!(text(&inlines), "She said “go now”12x < y!");
        assert_eq!(own_text(&inlines[1]), " ");
        assert_eq!(own_text(&inlines[3]), "12");
        assert_eq!(own_text(&inlines[2]), "");
        assert!(matches!(contribution(&inlines[4]), Contribution::Nothing));
        assert_eq!(marks(&InlineStyle::Cite), ("", ""));
    }

    #[test]
    fn a_code_block_counts_its_lines_with_their_ends() {
        let code = "fn a() {\n    b\n}\n\n";
        let lines: Vec<(usize, &str)> = code_lines(code).collect();
        assert_eq!(lines, [(0, "fn a() {"), (9, "    b"), (15, "}")]);
        assert_eq!(code_len(code), "fn a() {\n    b\n}\n".len());
        assert_eq!(code_lines("").collect::<Vec<_>>(), [(0, "")]);
        assert_eq!(code_len(""), 1);
    }

    #[test]
    fn a_note_is_numbered_before_its_first_paragraph() {
        let block = |kind| Block { kind, span: span() };
        let mut note = Note {
            label: "n".into(),
            id: "note-n".into(),
            ref_id: "ref-n".into(),
            blocks: vec![
                block(BlockKind::Break),
                block(BlockKind::Paragraph(vec![t("a")])),
            ],
            span: span(),
        };
        assert_eq!(numbered_block(&note), Some(1));
        note.blocks.truncate(1);
        assert_eq!(numbered_block(&note), None);
        assert_eq!(note_number(3), "3. ");
    }
}
