//! Raw HTML in Markdown: a fragment of HTML in, the safe parts out.
//!
//! Policy: books written for the web put figures in `<img src alt>` and link targets in
//! `<a id>`; those keep working (an image with its alt text, an anchor). `<br>` is a line break.
//! Inline elements that carry meaning (`<sup>`, `<kbd>`, `<em>`, `<code>`, `<abbr title>`,
//! `<span lang>`…) open and close an inline of the model; a `lang` that is no language tag is
//! left out and reported.
//! Elements that run code or embed other documents (`<script>`, `<style>`, `<iframe>`,
//! `<object>`, `<embed>`, forms…) are removed with their content. Any other tag is dropped and
//! its text kept. Comments vanish. Nothing is ever copied into an output as markup, so no event
//! handler attribute or `javascript:` address can reach a reader.

/// What survives of a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Safe {
    Text(String),
    /// `<img>`: its `src`, `alt` (absent is `None`; empty means decorative) and `title`.
    Image {
        src: String,
        alt: Option<String>,
        title: Option<String>,
    },
    /// `<a id>` or `<a name>`: a link target.
    Anchor(String),
    Break,
    /// The text of a `<figcaption>`.
    Caption(String),
    /// An inline element that carries meaning opens (with its element name).
    Open(Opened, String),
    /// An element closes (by name); it closes the inline element it matches, if any is open.
    Close(String),
    /// A block element that carries meaning opens: `pre`, `dl`, `dt`, `dd`, `summary`.
    BlockOpen(String),
    /// Such a block element closes.
    BlockClose(String),
}

/// Block elements that carry meaning: preformatted text, definition lists, and the summary of
/// a `<details>` (printed open).
const BLOCK_ELEMENTS: &[&str] = &["pre", "dl", "dt", "dd", "summary"];

/// What an opened inline element becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Emph,
    Strong,
    Strike,
    Code,
    Styled(crate::model::InlineStyle),
}

/// The inline elements that can carry meaning (see [`opened`]).
const INLINE_ELEMENTS: &[&str] = &[
    "em", "i", "strong", "b", "s", "del", "strike", "code", "tt", "sup", "sub", "kbd", "samp",
    "var", "mark", "small", "ins", "u", "q", "cite", "dfn", "abbr", "span", "bdi", "bdo", "ruby",
    "rt", "rp",
];

/// The inline element `name` with its attributes, when it carries meaning; a `lang` that is no
/// language tag is left out and added to `removed`.
fn opened(
    name: &str,
    attr: &dyn Fn(&str) -> Option<String>,
    removed: &mut Vec<Removed>,
) -> Option<Opened> {
    use crate::model::InlineStyle as S;
    Some(match name {
        "em" | "i" => Opened::Emph,
        "strong" | "b" => Opened::Strong,
        "s" | "del" | "strike" => Opened::Strike,
        "code" | "tt" => Opened::Code,
        "sup" => Opened::Styled(S::Superscript),
        "sub" => Opened::Styled(S::Subscript),
        "kbd" => Opened::Styled(S::Keyboard),
        "samp" => Opened::Styled(S::Sample),
        "var" => Opened::Styled(S::Variable),
        "mark" => Opened::Styled(S::Mark),
        "small" => Opened::Styled(S::Small),
        "ins" | "u" => Opened::Styled(S::Inserted),
        "q" => Opened::Styled(S::Quotation),
        "cite" => Opened::Styled(S::Cite),
        "dfn" => Opened::Styled(S::Definition),
        "ruby" => Opened::Styled(S::Ruby),
        "rt" => Opened::Styled(S::RubyText),
        "rp" => Opened::Styled(S::RubyParenthesis),
        "abbr" => Opened::Styled(S::Abbreviation {
            title: attr("title").filter(|t| !t.trim().is_empty()),
        }),
        "span" | "bdi" | "bdo" => {
            // An empty `lang` is HTML's "language unknown": no language, as when left out.
            let lang = attr("lang").filter(|tag| !tag.is_empty()).and_then(|tag| {
                match crate::lang::Lang::check(&tag) {
                    Ok(lang) => Some(lang),
                    Err(bad) => {
                        removed.push(Removed::Lang(bad));
                        None
                    }
                }
            });
            let rtl = attr("dir").and_then(|d| match d.to_ascii_lowercase().as_str() {
                "rtl" => Some(true),
                "ltr" => Some(false),
                _ => None,
            });
            if lang.is_none() && rtl.is_none() {
                return None;
            }
            Opened::Styled(S::Span { lang, rtl })
        }
        _ => return None,
    })
}

/// What was removed, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// An element removed with everything in it (`script`, `iframe`…).
    Element(String),
    /// A tag dropped, its text kept.
    Tag(String),
    /// A `lang` attribute that is no language tag (an error, as wherever a tag is written).
    Lang(crate::lang::BadTag),
}

/// Elements removed with their content.
const DANGEROUS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "noscript", "template", "svg", "math", "audio", "video",
    "canvas", "link", "meta", "base",
];

/// Containers whose tags carry no meaning a book loses: dropped without a warning.
const STRUCTURAL: &[&str] = &[
    "p", "div", "span", "section", "article", "aside", "header", "footer", "main", "figure",
    "center", "font", "html", "body", "head", "title",
];

/// One piece of a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Text(String),
    Open {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Close(String),
}

/// Splits HTML into text, tags and (dropped) comments and declarations, each with the byte
/// offset in `html` where it starts.
pub fn tokenize(html: &str) -> Vec<(usize, Token)> {
    let mut tokens = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let at = html.len() - rest.len();
        let Some(lt) = rest.find('<') else {
            tokens.push((at, Token::Text(decode_entities(rest))));
            break;
        };
        if lt > 0 {
            tokens.push((at, Token::Text(decode_entities(&rest[..lt]))));
        }
        rest = &rest[lt..];
        let at = html.len() - rest.len();
        if let Some(after) = rest.strip_prefix("<!--") {
            // A comment runs to `-->`, whatever `--` it holds; an unclosed one to the end.
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let is_tag = rest[1..]
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !is_tag {
            tokens.push((at, Token::Text("<".into())));
            rest = &rest[1..];
            continue;
        }
        // An unclosed tag runs to the end of the fragment.
        let (tag, next) = match tag_end(rest) {
            Some(end) => (&rest[1..end - 1], &rest[end..]),
            None => (&rest[1..], ""),
        };
        rest = next;
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            tokens.push((at, Token::Close(tag_name(name))));
        } else {
            let name = tag_name(tag);
            let attrs = attributes(&tag[name.len().min(tag.len())..]);
            tokens.push((at, Token::Open { name, attrs }));
        }
    }
    tokens
}

/// The end (exclusive) of the tag starting at `text[0] == '<'`, respecting quoted values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `a="1" b='2' c=3 d` → pairs, names lower-cased, values entity-decoded.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    match body.find(q) {
                        Some(end) => (&body[..end], &body[end + 1..]),
                        None => (body, ""),
                    }
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = tail;
        }
        let consumed_nothing = name_end == 0 && value.is_empty();
        if !name.is_empty() {
            attrs.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if consumed_nothing {
            // Nothing consumed: skip a stray character.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
        }
    }
    attrs
}

/// Decodes the common named entities and numeric references; unknown ones stay as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| *c != '\0')
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Keeps the safe parts of an HTML fragment, each with the byte offset in `html` of the tag or
/// text it comes from. `skipping` carries the name of a dangerous element whose content is being
/// removed across fragments (inline HTML arrives one tag at a time).
pub fn sanitize(
    html: &str,
    skipping: &mut Option<String>,
    removed: &mut Vec<Removed>,
) -> Vec<(usize, Safe)> {
    let mut out = Positioned::default();
    let mut in_caption = false;
    for (at, token) in tokenize(html) {
        out.at = at;
        if let Some(element) = skipping.clone() {
            if token == Token::Close(element) {
                *skipping = None;
            }
            continue;
        }
        match token {
            Token::Text(text) if in_caption => match out.items.last_mut() {
                Some((_, Safe::Caption(caption))) => caption.push_str(&text),
                _ => out.push(Safe::Caption(text)),
            },
            Token::Text(text) => out.push(Safe::Text(text)),
            Token::Open { name, .. } if name == "figcaption" => in_caption = true,
            Token::Close(name) if name == "figcaption" => in_caption = false,
            Token::Open { name, attrs } => {
                let attr = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                if let Some(kind) = opened(&name, &attr, removed) {
                    out.push(Safe::Open(kind, name));
                    continue;
                }
                if BLOCK_ELEMENTS.contains(&name.as_str()) {
                    out.push(Safe::BlockOpen(name));
                    continue;
                }
                if STRUCTURAL.contains(&name.as_str()) || name == "details" {
                    continue;
                }
                match name.as_str() {
                    // A line-break opportunity: nothing to keep.
                    "wbr" => {}
                    "img" => out.push(Safe::Image {
                        src: attr("src").unwrap_or_default(),
                        alt: attr("alt"),
                        title: attr("title").filter(|t| !t.trim().is_empty()),
                    }),
                    "br" => out.push(Safe::Break),
                    "a" => match attr("id").or_else(|| attr("name")) {
                        Some(id) if !id.is_empty() && attr("href").is_none() => {
                            out.push(Safe::Anchor(id))
                        }
                        _ => removed.push(Removed::Tag(name)),
                    },
                    _ if DANGEROUS.contains(&name.as_str()) => {
                        removed.push(Removed::Element(name.clone()));
                        if !matches!(name.as_str(), "input" | "link" | "meta" | "base" | "embed") {
                            *skipping = Some(name);
                        }
                    }
                    _ => removed.push(Removed::Tag(name)),
                }
            }
            // A closing tag adds nothing to the warning about its opening one.
            Token::Close(name) if INLINE_ELEMENTS.contains(&name.as_str()) => {
                out.push(Safe::Close(name))
            }
            Token::Close(name) if BLOCK_ELEMENTS.contains(&name.as_str()) => {
                out.push(Safe::BlockClose(name))
            }
            Token::Close(_) => {}
        }
    }
    out.items
}

/// The safe parts so far, and where the token being read starts.
#[derive(Default)]
struct Positioned {
    items: Vec<(usize, Safe)>,
    at: usize,
}

impl Positioned {
    fn push(&mut self, safe: Safe) {
        self.items.push((self.at, safe));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(html: &str) -> (Vec<Safe>, Vec<Removed>) {
        let mut removed = Vec::new();
        let mut skipping = None;
        let out = sanitize(html, &mut skipping, &mut removed);
        (out.into_iter().map(|(_, safe)| safe).collect(), removed)
    }

    #[test]
    fn images_and_anchors_survive() {
        let (out, _) =
            safe(r#"<p><a id="top"></a><img src="a.png" alt="A &amp; B" title='Fig. 1'></p>"#);
        assert_eq!(
            out,
            vec![
                Safe::Anchor("top".into()),
                Safe::Image {
                    src: "a.png".into(),
                    alt: Some("A & B".into()),
                    title: Some("Fig. 1".into())
                }
            ]
        );
    }

    #[test]
    fn scripts_and_handlers_never_survive() {
        let (out, removed) = safe(
            r#"a<script>alert("x")</script>b<iframe src="javascript:x"></iframe><span onclick="x()">c</span>"#,
        );
        assert_eq!(
            out,
            vec![
                Safe::Text("a".into()),
                Safe::Text("b".into()),
                Safe::Text("c".into()),
                // A span without a language opens nothing; its closing tag closes nothing.
                Safe::Close("span".into())
            ]
        );
        assert!(removed.contains(&Removed::Element("script".into())));
        let (out, _) = safe(r#"<a href="javascript:alert(1)" onclick="x">click</a>"#);
        assert_eq!(out, vec![Safe::Text("click".into())]);
    }

    #[test]
    fn a_lang_that_is_no_language_tag_is_left_out_and_reported() {
        let (out, removed) = safe(r#"<span lang="en_GB" dir="rtl">a</span><bdi lang="fr">b</bdi>"#);
        assert_eq!(
            out[0],
            Safe::Open(
                Opened::Styled(crate::model::InlineStyle::Span {
                    lang: None,
                    rtl: Some(true)
                }),
                "span".into()
            )
        );
        assert!(matches!(
            &out[3],
            Safe::Open(
                Opened::Styled(crate::model::InlineStyle::Span { lang: Some(_), .. }),
                _
            )
        ));
        assert!(matches!(&removed[..], [Removed::Lang(bad)] if bad.tag == "en_GB"));
    }

    #[test]
    fn comments_with_double_dashes_vanish() {
        let (out, _) = safe("x<!-- a -- b -->y<!-- unclosed");
        assert_eq!(out, vec![Safe::Text("x".into()), Safe::Text("y".into())]);
    }

    #[test]
    fn inline_skipping_spans_fragments() {
        let mut removed = Vec::new();
        let mut skipping = None;
        assert!(sanitize("<script>", &mut skipping, &mut removed).is_empty());
        assert_eq!(skipping.as_deref(), Some("script"));
        assert!(sanitize("</script>", &mut skipping, &mut removed).is_empty());
        assert_eq!(skipping, None);
    }

    #[test]
    fn unclosed_tags_and_odd_text_do_not_break() {
        for html in [
            "<a ж",
            "<img src=\"ж",
            "<",
            "<<>>",
            "</",
            "<!",
            "<a =x y= 'z>",
            "&#xffffffff; &#0;",
        ] {
            let (out, _) = safe(html);
            let _ = out;
        }
        assert_eq!(safe("<a ж").0, Vec::<Safe>::new());
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&lt;b&gt; &#65;&#x42; &bogus; &"),
            "<b> AB &bogus; &"
        );
    }
}
