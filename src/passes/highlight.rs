//! Code highlighting: the book's code blocks with a language in, each with its tokens
//! ([`Highlight`]) out, found by the grammars of `two-face`'s set (the one `bat` ships, some 200
//! languages) run by `syntect` with Oniguruma's regular expressions: the pure-Rust
//! `fancy-regex` took 0.30 s more on a 1 000-page book (4 000 lines of Rust), Oniguruma 0.10 s.
//! Page-independent, so done once per book for every output and edition.
//!
//! The grammars' scopes (TextMate's names: `comment.line`, `keyword.control`,
//! `entity.name.function`…) come down to the seven [`TokenKind`]s a reader tells apart; a
//! language no grammar knows, `text`, or a line too long to read in bounded time leaves the rest
//! of its block plain, as written.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use rayon::prelude::*;
use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use crate::diag::{Diagnostics, Span};
use crate::model::walk::{Node, NodeMut};
use crate::model::{Block, BlockKind, Book, Highlight, Token, TokenKind};

/// The longest line highlighted, in bytes. A grammar reads a line by searching each of its
/// patterns from each token onwards, so its work grows with the square of the line's length
/// on text made to provoke it (Typst's grammar on a line of backticks: 7 ms for 300 bytes, some
/// 50 for 900); the lines of real books' code run to some 120 characters (208 at most in *Too
/// Many Linked Lists*). A longer line and the rest of its block stay plain.
pub const MAX_LINE: usize = 300;

/// How much highlighting a book may ask for: the sum over its code lines of the square of each
/// line's length (in bytes, up to [`MAX_LINE`]), the measure of a line's work at its worst: the
/// worst text found (1 100 lines of 299 backticks in Typst's grammar, which spend it) takes
/// 7.6 s on this project's two cores, Markdown's 5.7 s, MATLAB's 4.0 s. The code of
/// a real programming book (*Too Many Linked Lists*: 9 000 lines of code, longest 208 bytes, in
/// 490 pages) takes 11.6 million, so this allows eight times more. Blocks past it stay plain, with a warning.
pub const BUDGET: u64 = 100_000_000;

/// What highlighting `text` costs against [`BUDGET`].
fn cost(text: &str) -> u64 {
    let mut cost = 0u64;
    for line in text.split_inclusive('\n') {
        let length = line.len().min(MAX_LINE + 1) as u64;
        cost += length * length;
        if line.len() > MAX_LINE {
            break;
        }
    }
    cost
}

/// The grammars, read when the first block with a language is highlighted (some 20 ms), with
/// Oniguruma's backtracking bounded first.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    bound_backtracking();
    two_face::syntax::extra_newlines()
});

/// How many times one match may backtrack, and one search (a match tried at each place of a
/// line) in all, before Oniguruma gives up and the pattern counts as not matching. Some
/// grammars' patterns backtrack without bound on text made to provoke them (SystemVerilog's on
/// `a.b(a.b(…`: 0.3 s a line of 900 characters with Oniguruma's defaults, ten million and no
/// limit); the patterns of real code need a few hundred. Counted in steps, not time, so the
/// same text is highlighted the same on every machine.
const RETRY_LIMIT_IN_MATCH: u32 = 20_000;
/// The backtracking one search may do in all, over the places it tries a match: ten matches'
/// worth (see [`RETRY_LIMIT_IN_MATCH`]).
const RETRY_LIMIT_IN_SEARCH: u32 = 200_000;

/// Sets [`RETRY_LIMIT_IN_MATCH`] and [`RETRY_LIMIT_IN_SEARCH`] for every search of the process.
fn bound_backtracking() {
    // SAFETY: two setters of Oniguruma's process-wide defaults, which a search reads when it
    // begins; called once, before the grammars are loaded, so before any search.
    unsafe {
        onig_sys::onig_set_retry_limit_in_match(RETRY_LIMIT_IN_MATCH.into());
        onig_sys::onig_set_retry_limit_in_search(RETRY_LIMIT_IN_SEARCH.into());
    }
}

/// Which scopes make which kind, tried from the innermost scope of a piece of text outwards;
/// the first prefix that matches decides (so the more specific comes first). `None` makes the
/// text plain: operators are keywords to the grammars but noise in bold. A scope no entry
/// matches (punctuation, `meta.*`) lets the next one out decide.
const KINDS: &[(&str, Option<TokenKind>)] = &[
    ("comment", Some(TokenKind::Comment)),
    ("string", Some(TokenKind::String)),
    ("constant.character.escape", Some(TokenKind::String)),
    ("constant", Some(TokenKind::Literal)),
    ("support.constant", Some(TokenKind::Literal)),
    ("keyword.operator", None),
    ("keyword", Some(TokenKind::Keyword)),
    ("storage.type.primitive", Some(TokenKind::Type)),
    ("storage", Some(TokenKind::Keyword)),
    ("variable.language", Some(TokenKind::Keyword)),
    ("markup.heading", Some(TokenKind::Keyword)),
    ("entity.name.function", Some(TokenKind::Function)),
    ("support.function", Some(TokenKind::Function)),
    ("variable.function", Some(TokenKind::Function)),
    ("support.macro", Some(TokenKind::Function)),
    ("entity.name.macro", Some(TokenKind::Function)),
    ("entity.name.tag", Some(TokenKind::Type)),
    ("entity.name", Some(TokenKind::Type)),
    ("entity.other.inherited-class", Some(TokenKind::Type)),
    ("support.type", Some(TokenKind::Type)),
    ("support.class", Some(TokenKind::Type)),
    ("entity.other.attribute-name", Some(TokenKind::Attribute)),
    ("meta.annotation", Some(TokenKind::Attribute)),
    ("meta.attribute", Some(TokenKind::Attribute)),
];

/// [`KINDS`] as scopes, made once.
static SCOPES: LazyLock<Vec<(Scope, Option<TokenKind>)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .filter_map(|&(name, kind)| Some((Scope::new(name).ok()?, kind)))
        .collect()
});

/// Highlighting kept from one build to the next (`inkfold watch`), by language and text: a
/// block is highlighted again only when it changed. A build keeps only what it used.
#[derive(Debug, Default)]
pub struct Memo {
    kept: Mutex<HashMap<(String, String), (Highlight, bool)>>,
}

impl Memo {
    /// The kept highlighting of each block, `None` where there is none, each found one marked
    /// used.
    fn find(&self, code: &[(String, String)]) -> Vec<Option<Highlight>> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        code.iter()
            .map(|key| {
                kept.get_mut(key).map(|(highlight, used)| {
                    *used = true;
                    highlight.clone()
                })
            })
            .collect()
    }

    /// Keeps the blocks' highlighting, and forgets what this build did not use.
    fn keep(&self, code: Vec<(String, String)>, found: &[Highlight]) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        for (key, highlight) in code.into_iter().zip(found) {
            kept.insert(key, (highlight.clone(), true));
        }
        kept.retain(|_, (_, used)| std::mem::take(used));
    }
}

/// Highlights every code block of the book that names a language, each block on a thread of
/// its own when there are many, in the book's order until [`BUDGET`] is spent (the rest stay
/// plain, with a warning at the first of them); blocks `memo` has kept are not highlighted
/// again.
pub fn run(book: &mut Book, memo: Option<&Memo>, diags: &mut Diagnostics) {
    // Owned: the walker's nodes live for one call. Code is a small share of a book's text.
    let mut code: Vec<(String, String)> = Vec::new();
    let mut grammars: Vec<&'static SyntaxReference> = Vec::new();
    // For each block with a language, in the walk's order: whether it is highlighted.
    let mut gathered: Vec<bool> = Vec::new();
    let mut spent = 0u64;
    let mut over: Option<Span> = None;
    for chapter in &book.chapters {
        chapter.walk(&mut |node| {
            if let Node::Block(Block {
                kind:
                    BlockKind::Code {
                        lang: Some(lang),
                        text,
                        ..
                    },
                span,
            }) = node
            {
                // Only code a grammar reads costs anything (`text`, `console`: nothing).
                let Some(grammar) = syntax(lang) else {
                    gathered.push(false);
                    return;
                };
                spent = spent.saturating_add(cost(text));
                if spent > BUDGET {
                    over.get_or_insert(*span);
                    gathered.push(false);
                } else {
                    code.push((lang.clone(), text.clone()));
                    grammars.push(grammar);
                    gathered.push(true);
                }
            }
        });
    }
    if let Some(span) = over {
        diags
            .warning(
                span,
                "the book has more code than inkfold highlights: this block and those after it are set plain",
            )
            .hint("this is a bound on the work of highlighting (see Limits); turn highlighting off with [code] highlight = false, or leave the language off blocks that need none");
    }
    if code.is_empty() {
        return;
    }
    let kept = memo.map_or_else(|| vec![None; code.len()], |memo| memo.find(&code));
    // A block met again (a listing shown twice, code a translation keeps) is highlighted once:
    // `first[i]` is the first block with block `i`'s language and text.
    let mut seen: HashMap<&(String, String), usize> = HashMap::new();
    let first: Vec<usize> = code
        .iter()
        .enumerate()
        .map(|(i, key)| *seen.entry(key).or_insert(i))
        .collect();
    let done: Vec<Option<Highlight>> = code
        .par_iter()
        .zip(&grammars)
        .zip(kept)
        .zip(&first)
        .enumerate()
        .map(|(i, ((((_, text), grammar), kept), &first))| {
            kept.or_else(|| (first == i).then(|| highlight_or_plain(grammar, text)))
        })
        .collect();
    let found: Vec<Highlight> = first
        .iter()
        .enumerate()
        .map(|(i, &first)| {
            done[i]
                .clone()
                .or_else(|| done[first].clone())
                .unwrap_or_default()
        })
        .collect();
    let mut found = match memo {
        Some(memo) => {
            memo.keep(code, &found);
            found.into_iter()
        }
        None => found.into_iter(),
    };
    let mut gathered = gathered.into_iter();
    for chapter in &mut book.chapters {
        chapter.walk_mut(&mut |node| {
            if let NodeMut::Block(Block {
                kind:
                    BlockKind::Code {
                        lang: Some(_),
                        highlight,
                        ..
                    },
                ..
            }) = node
                // The blocks gathered above, met in the same order.
                && gathered.next() == Some(true)
            {
                *highlight = found.next().unwrap_or_default();
            }
        });
    }
}

/// [`highlight_with`], or no tokens if a grammar's code fails on the text: a block set plain
/// is better than a build that stops.
fn highlight_or_plain(grammar: &SyntaxReference, text: &str) -> Highlight {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        highlight_with(grammar, text)
    }))
    .unwrap_or_default()
}

/// The grammar for a fence's language: by name or file extension, as `bat` finds them
/// (`rust`, `rs`, `Python`, `sh`…).
fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let syntaxes = &*SYNTAXES;
    syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))
        .filter(|syntax| syntax.name != "Plain Text")
}

/// The tokens of a block of code in `lang`; none when no grammar knows the language.
pub fn highlight(lang: &str, text: &str) -> Highlight {
    syntax(lang).map_or_else(Highlight::default, |grammar| highlight_with(grammar, text))
}

/// The tokens of a block of code read by `grammar`.
fn highlight_with(grammar: &SyntaxReference, text: &str) -> Highlight {
    let mut state = ParseState::new(grammar);
    let mut stack = ScopeStack::new();
    let mut tokens: Vec<Token> = Vec::new();
    let mut known = foldhash::HashMap::default();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.len() > MAX_LINE {
            break;
        }
        let Ok(ops) = state.parse_line(line, &SYNTAXES) else {
            break;
        };
        for (range, op) in ScopeRangeIterator::new(&ops, line) {
            if stack.apply(op).is_err() {
                return Highlight::new(text, tokens);
            }
            let Some(kind) = kind_of(&stack, &mut known) else {
                continue;
            };
            // syntect can hand back ranges out of order (a scope on a capture inside a
            // lookaround); such a piece is left plain.
            let Some(piece) = line.get(range.clone()) else {
                continue;
            };
            // Without the line end, and trimmed: a token is the text it colours.
            let trimmed = piece.trim_end_matches(['\n', '\r']).trim_end();
            let start = at + range.start + (trimmed.len() - trimmed.trim_start().len());
            let end = at + range.start + trimmed.len();
            if start >= end {
                continue;
            }
            match tokens.last_mut() {
                // One token of a kind, across the spaces between its pieces on a line.
                Some(last)
                    if last.kind == kind
                        && text
                            .get(last.range.end..start)
                            .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\t')) =>
                {
                    last.range.end = end;
                }
                _ => tokens.push(Token {
                    range: start..end,
                    kind,
                }),
            }
        }
        at += line.len();
    }
    Highlight::new(text, tokens)
}

/// The kind of the text under `stack`'s scopes: that of its innermost scope [`KINDS`] names.
/// `known` keeps what each scope has given (a block has a few dozen scopes, met thousands of
/// times).
fn kind_of(
    stack: &ScopeStack,
    known: &mut foldhash::HashMap<Scope, Option<Option<TokenKind>>>,
) -> Option<TokenKind> {
    for &scope in stack.as_slice().iter().rev() {
        let named = *known.entry(scope).or_insert_with(|| {
            SCOPES
                .iter()
                .find(|(prefix, _)| prefix.is_prefix_of(scope))
                .map(|&(_, kind)| kind)
        });
        if let Some(kind) = named {
            return kind;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each token as `kind text`.
    fn tokens(lang: &str, text: &str) -> Vec<String> {
        highlight(lang, text)
            .tokens()
            .iter()
            .map(|t| format!("{} {}", t.kind.name(), &text[t.range.clone()]))
            .collect()
    }

    #[test]
    fn rust_keywords_names_strings_comments_and_literals() {
        let found = tokens(
            "rust",
            "// Greets.\n#[inline]\nfn main() {\n    let n: u32 = 42;\n    println!(\"hi {n}\");\n}\n",
        );
        for expected in [
            "cm // Greets.",
            "kw fn",
            "fn main",
            "kw let",
            // Rust's grammar gives `let` and `u32` one scope, `storage.type`.
            "kw u32",
            "lt 42",
            "fn println!",
        ] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected} in {found:?}"
            );
        }
        assert!(found.iter().any(|t| t.starts_with("st \"hi")), "{found:?}");
        assert!(found.iter().any(|t| t.starts_with("at ")), "{found:?}");
        // Operators stay plain.
        assert!(!found.iter().any(|t| t.ends_with(" =")), "{found:?}");
    }

    #[test]
    fn languages_by_name_and_extension() {
        let python = tokens("python", "def f(x):\n    return 'a'  # done\n");
        assert!(python.contains(&"kw def".to_string()), "{python:?}");
        assert!(python.contains(&"cm # done".to_string()), "{python:?}");
        assert_eq!(tokens("py", "def f(x):\n    return 'a'  # done\n"), python);
        assert_eq!(
            tokens("Python", "def f(x):\n    return 'a'  # done\n"),
            python
        );
        let toml = tokens("toml", "[book]\ntitle = \"A\" # t\n");
        assert!(toml.contains(&"st \"A\"".to_string()), "{toml:?}");
        let shell = tokens("sh", "echo \"$HOME\" # home\n");
        assert!(shell.contains(&"cm # home".to_string()), "{shell:?}");
    }

    #[test]
    fn unknown_languages_and_plain_text_stay_plain() {
        assert!(highlight("no-such-language", "fn main() {}\n").is_empty());
        assert!(highlight("text", "fn main() {}\n").is_empty());
        assert!(highlight("", "fn main() {}\n").is_empty());
    }

    #[test]
    fn a_line_too_long_ends_the_highlighting_of_its_block() {
        let long = format!(
            "let a = 1;\nlet b = \"{}\";\nlet c = 3;\n",
            "x".repeat(MAX_LINE)
        );
        let found = highlight("rust", &long);
        assert!(!found.is_empty());
        assert!(found.tokens().iter().all(|t| t.range.end < 11), "{found:?}");
    }

    #[test]
    fn a_block_comment_across_lines_is_a_token_per_line() {
        let text = "/* one\n   two */ int x;\n";
        let found = tokens("c", text);
        assert_eq!(found[..2], ["cm /* one", "cm two */"], "{found:?}");
    }
}
