//! A code block's highlighting in the model: tokens found by the highlighting pass in; the
//! block's tokens (byte ranges of its text, in order, never overlapping, each of a kind a
//! reader tells apart) out, for the backends.

use std::ops::Range;

/// A kind of token, as a reader tells them apart: each has its own colour in both outputs,
/// and keywords and comments also their own weight and slant, so that print in greyscale keeps
/// them apart. Everything else (names, operators, punctuation) is the code's plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Comment,
    String,
    /// Numbers and the language's constants (`true`, `None`).
    Literal,
    Function,
    /// Types, classes, and a markup language's tags.
    Type,
    /// Attributes and annotations (`#[derive]`, `@Override`), a markup tag's attribute names.
    Attribute,
}

impl TokenKind {
    pub const ALL: [TokenKind; 7] = [
        TokenKind::Keyword,
        TokenKind::Comment,
        TokenKind::String,
        TokenKind::Literal,
        TokenKind::Function,
        TokenKind::Type,
        TokenKind::Attribute,
    ];

    /// Its short name: the EPUB's class (`tok-kw`) and the dumps' word.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Keyword => "kw",
            TokenKind::Comment => "cm",
            TokenKind::String => "st",
            TokenKind::Literal => "lt",
            TokenKind::Function => "fn",
            TokenKind::Type => "ty",
            TokenKind::Attribute => "at",
        }
    }
}

/// One token: a byte range of the block's text and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}

/// A code block's tokens, in order and apart, each on character boundaries of the text they
/// were found in and holding no line end; empty when the block is not highlighted. Made only
/// by [`Highlight::new`], which keeps those promises.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Highlight(Vec<Token>);

impl Highlight {
    /// The tokens of `text` given, kept where they are in order, apart, within the text, on
    /// its character boundaries and without a line end; a token that is not is dropped.
    pub fn new(text: &str, tokens: impl IntoIterator<Item = Token>) -> Highlight {
        let mut kept: Vec<Token> = Vec::new();
        for token in tokens {
            let Range { start, end } = token.range;
            let after_last = kept.last().is_none_or(|last| last.range.end <= start);
            let valid = start < end
                && text
                    .get(start..end)
                    .is_some_and(|t| !t.contains(['\n', '\r']))
                && after_last;
            if valid {
                kept.push(token);
            }
        }
        Highlight(kept)
    }

    pub fn tokens(&self) -> &[Token] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pieces of `range` of the text, each with the kind of token it is part of (`None`:
    /// plain text), in order and covering the range whole.
    pub fn pieces(&self, range: Range<usize>) -> Vec<(Range<usize>, Option<TokenKind>)> {
        let mut pieces = Vec::new();
        let mut at = range.start;
        let first = self.0.partition_point(|t| t.range.end <= range.start);
        for token in &self.0[first..] {
            if token.range.start >= range.end {
                break;
            }
            let start = token.range.start.max(range.start);
            let end = token.range.end.min(range.end);
            if start >= end {
                continue;
            }
            if start > at {
                pieces.push((at..start, None));
            }
            pieces.push((start..end, Some(token.kind)));
            at = end;
        }
        if at < range.end {
            pieces.push((at..range.end, None));
        }
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(range: Range<usize>, kind: TokenKind) -> Token {
        Token { range, kind }
    }

    #[test]
    fn tokens_out_of_order_overlapping_or_off_the_text_are_dropped() {
        let text = "let é = 1;\n// x";
        let highlight = Highlight::new(
            text,
            [
                token(0..3, TokenKind::Keyword),
                token(2..4, TokenKind::Type),
                token(4..5, TokenKind::Type),
                token(9..12, TokenKind::Comment),
                token(12..16, TokenKind::Comment),
                token(15..99, TokenKind::String),
            ],
        );
        assert_eq!(
            highlight.tokens(),
            [
                token(0..3, TokenKind::Keyword),
                token(12..16, TokenKind::Comment)
            ]
        );
    }

    #[test]
    fn pieces_cover_a_range_whole() {
        let text = "fn main() // go";
        let highlight = Highlight::new(
            text,
            [
                token(0..2, TokenKind::Keyword),
                token(3..7, TokenKind::Function),
                token(10..15, TokenKind::Comment),
            ],
        );
        assert_eq!(
            highlight.pieces(1..12),
            [
                (1..2, Some(TokenKind::Keyword)),
                (2..3, None),
                (3..7, Some(TokenKind::Function)),
                (7..10, None),
                (10..12, Some(TokenKind::Comment)),
            ]
        );
        assert_eq!(Highlight::default().pieces(0..4), [(0..4, None)]);
        assert!(highlight.pieces(5..5).is_empty());
    }
}
