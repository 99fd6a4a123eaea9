//! Property run over generated manuscripts: Markdown assembled at random from the constructs
//! authors write (and the mistakes they make), raw HTML, odd Unicode and plain noise. Every
//! input must give either diagnostics or an EPUB whose XML parses and a PDF that lopdf reads —
//! never a panic, and no SVG in the EPUB with a script, handler, instruction or reference
//! (each case also writes a generated drawing, hostile or not, that the chapters may show).
//! 10 000 inputs run in the suite (two tests of 5 000, in parallel); set
//! `INKFOLD_FUZZ_CASES` for a longer run and `INKFOLD_FUZZ_SEED` for other inputs, e.g.
//! `INKFOLD_FUZZ_CASES=200000 INKFOLD_FUZZ_SEED=7 cargo test --release --test fuzz`.

mod common;

use std::path::Path;

use common::manuscript::TestBook;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const PNG: &[u8] = include_bytes!("cases/book/features/images/bars.png");
const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10"/></svg>"#;

/// Short runs of text, with the characters Markdown and XML treat specially; now and then any
/// printable Unicode (which may hold characters no bundled font covers).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-zA-Z ]{0,40}",
        4 => "[a-z*_`\\[\\]()<>!#|~&;\"'\\\\-]{0,20}",
        3 => Just("Child trafficking is a grave violation of human rights that continues.".to_string()),
        3 => Just("well-being multi-faceted — “quoted” … naïve café Ж".to_string()),
        1 => "[\\PC]{0,16}",
    ]
}

/// One block of Markdown, as authors write it, and (less often) as they break it.
fn block() -> impl Strategy<Value = String> {
    let good_target = prop_oneof![
        Just("https://example.org/a?b=1&c=2"),
        Just("#one"),
        Just("two.md"),
        Just("two.md#two"),
        Just("mailto:a@example.org"),
    ];
    let bad_target = prop_oneof![
        Just("#nowhere"),
        Just("javascript:alert(1)"),
        Just("data:,x"),
        Just("")
    ];
    let good_image = prop_oneof![Just("../images/a.png"), Just("../images/b.svg")];
    let bad_image = prop_oneof![
        Just("missing.png"),
        Just("../../etc/passwd"),
        Just("/abs.png")
    ];
    prop_oneof![
        6 => (1..=6usize, "[a-zA-Z ]{1,30}").prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        10 => text(),
        6 => (text(), text()).prop_map(|(a, b)| format!("{a} *{b}* **{a}** `{b}` ~~{a}~~")),
        6 => ("[a-zA-Z ]{1,20}", good_target).prop_map(|(t, url)| format!("See [{t}]({url}).")),
        1 => (text(), bad_target).prop_map(|(t, url)| format!("[{t}]({url})")),
        4 => ("[a-zA-Z ]{1,20}", good_image).prop_map(|(alt, src)| format!("![{alt}]({src} \"caption\")")),
        1 => (text(), bad_image).prop_map(|(alt, src)| format!("![{alt}]({src})")),
        2 => Just("![](../images/b.svg){.decorative}".to_string()),
        3 => Just("![A generated drawing](../images/c.svg)".to_string()),
        4 => (text(), "[a-zA-Z ]{1,30}").prop_map(|(a, b)| format!("{a}[^n]\n\n[^n]: {b}")),
        5 => (1..6usize, "[a-zA-Z ]{1,20}").prop_map(|(n, t)| (0..n).map(|i| format!("{}- {t} {i}", "  ".repeat(i))).collect::<Vec<_>>().join("\n")),
        4 => (1..6usize, text()).prop_map(|(n, t)| format!("{} {t}", ">".repeat(n))),
        3 => text().prop_map(|t| format!("```rust\n{t}\n    indented\n```")),
        3 => (text(), text()).prop_map(|(a, b)| format!("| {a} | b |\n|:--|--:|\n| {b} | 2 |")),
        2 => text().prop_map(|t| format!("Term\n: {t}")),
        4 => prop_oneof![
            Just("<img src=\"../images/a.png\" alt=\"A chart\">"),
            Just("<p><img src=\"../images/b.svg\" alt=\"\"></p>"),
            Just("<script>alert(1)</script>"),
            Just("<a id=\"anchor\"></a>text <b onclick=\"x()\">bold</b>"),
            Just("<!-- a -- comment -->"),
            Just("<iframe src=\"https://evil.example\"></iframe>"),
            Just("- [x] done\n- [ ] not done"),
            Just("---"),
            Just("\u{feff}\r\n\r\n"),
            Just("## Titre {lang=fr}"),
            Just("<ruby>Kyoto<rp>(</rp><rt>capital</rt><rp>)</rp></ruby> and <ruby>a<rt>b</rt>c<rt>d"),
            Just("<rt>stray</rt><ruby>x<ruby>y<rt>z</rt></ruby><rt><rp>)</rp></rt></ruby>"),
        ].prop_map(str::to_string),
        1 => prop_oneof![Just("## Bad {lang=not_a_tag}"), Just("<img src=\"../images/a.png\">")].prop_map(str::to_string),
        2 => "<[a-z/!?]{0,6}[ =\"'a-zж&;#<>-]{0,16}>?[a-z ]{0,10}",
        1 => "[\\PC\\n]{0,60}",
    ]
}

/// An SVG drawing as drawing programs write it, or as an attacker would: known elements, style
/// sheets in hostile spellings, animation, scripts, handlers, references, and `data:` images of
/// every kind (PNG, GIF, nested SVG with and without a handler, compressed, junk).
fn svg() -> impl Strategy<Value = String> {
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let data_images = vec![
        format!("data:image/png;base64,{}", b64(PNG)),
        format!("data:image/jpeg;base64,{}", b64(PNG)),
        format!("data:image/gif;base64,{}", b64(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")),
        format!("data:image/svg+xml;base64,{}", b64(SVG.as_bytes())),
        format!("data:image/svg+xml;base64,{}", b64(b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x()\"/>")),
        format!("data:image/svg+xml;base64,{}", b64(b"\x1f\x8b\x08\x00\x00\x00")),
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cscript%3Ex()%3C/script%3E%3C/svg%3E".to_string(),
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E".to_string(),
        "data:,not an image".to_string(),
        "data:image/png;base64,@@@".to_string(),
    ];
    let css = prop_oneof![
        Just("rect{fill:red;stroke:blue}"),
        Just("/* c */ .a{fill:url(#g)}"),
        Just("@import 'x.css';"),
        Just("@IMPORT url(x)"),
        Just("rect{fill:\\75 rl(x.png)}"),
        Just("rect{fill:URL( 'x.png' )}"),
        Just("@font-face{src:url(x.woff)}"),
        Just("<!-- -->text{font-size:3px}"),
    ];
    let part = prop_oneof![
        3 => prop_oneof![
            Just("<rect width=\"5\" height=\"5\" fill=\"url(#g)\" style=\"stroke:red;behavior:url(x)\"/>"),
            Just("<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs>"),
            Just("<text x=\"1\" y=\"4\">Label ж</text>"),
            Just("<use href=\"#g\"/>"),
            Just("<use xlink:href=\"#g\"/>"),
            Just("<a href=\"https://example.org\"><circle r=\"2\"/></a>"),
            Just("<switch><foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">x</p></foreignObject><text>y</text></switch>"),
            Just("<metadata><x/></metadata>"),
            Just("<g id=\"04-01-node2\"><rect fill=\"var(--bg, white)\" stroke=\"VAR(--fg)\" style=\"fill:var(--a, var(--b, red))\"/></g><use href=\"#04-01-node2\"/>"),
            Just("<linearGradient id=\"1:a b\"/><rect fill=\"url(#1:a b)\" stroke=\"var(--x, url(#1:a b))\"/>"),
        ].prop_map(str::to_string),
        2 => prop_oneof![
            Just("<script>alert(1)</script>"),
            Just("<set attributeName=\"href\" to=\"javascript:alert(1)\"/>"),
            Just("<animate attributeName=\"fill\" values=\"red;blue\"/>"),
            Just("<foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://x\"/></foreignObject>"),
            Just("<use href=\"other.svg#g\"/>"),
            Just("<a href=\"javascript:x()\"><circle r=\"2\"/></a>"),
            Just("<rect onclick=\"x()\"/>"),
            Just("<image href=\"file:///etc/passwd\"/>"),
            Just("<g id=\"c\"><use href=\"#c\"/></g>"),
        ].prop_map(str::to_string),
        2 => css.prop_map(|c| format!("<style>{c}</style>")),
        3 => prop::sample::select(data_images).prop_map(|url| format!("<image width=\"4\" height=\"4\" href=\"{url}\"/>")),
        1 => "<[a-zA-Z:]{1,8}( [a-zA-Z:-]{1,8}=\"[a-z#():/ ]{0,10}\")?/>",
    ];
    let prolog = prop_oneof![
        Just(""),
        Just("<?xml version=\"1.0\"?>\n"),
        Just("<?xml-stylesheet href=\"x.css\"?>"),
        Just(
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
        ),
        Just("<!DOCTYPE svg [<!ENTITY a \"b\">]>"),
        Just("<!-- drawn -->"),
    ];
    (prolog, prop::collection::vec(part, 0..6)).prop_map(|(prolog, parts)| {
        format!(
            "{prolog}<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"20\" height=\"10\">{}</svg>",
            parts.concat()
        )
    })
}

fn chapter() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 0..10).prop_map(|blocks| blocks.join("\n\n"))
}

/// How far an input went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    Diagnostics,
    Pdf,
}

/// Runs the whole pipeline on one manuscript and checks what it made.
fn run_pipeline(dir: &Path) -> Result<Reached, TestCaseError> {
    let pipeline = match common::pipeline(dir) {
        Ok(pipeline) => pipeline,
        Err(problems) => {
            prop_assert!(!problems.is_empty(), "no book and no error");
            return Ok(Reached::Diagnostics);
        }
    };
    let files = pipeline.epub_files();
    let leaks = common::svg_leaks_in(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
    prop_assert!(leaks.is_empty(), "{leaks:#?}");
    for file in files {
        if file.path.ends_with(".xhtml")
            || file.path.ends_with(".opf")
            || file.path.ends_with(".xml")
        {
            let text =
                String::from_utf8(file.bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Err(e) = roxmltree::Document::parse_with_options(&text, common::xml_options()) {
                return Err(TestCaseError::fail(format!(
                    "{} is not well-formed: {e}\n{text}",
                    file.path
                )));
            }
        }
    }
    let package = inkfold::render::epub::package(&pipeline.epub_files())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(package.starts_with(b"PK"));
    let pdf = inkfold::render::pdf::write(&pipeline.book, &pipeline.doc, &pipeline.fonts)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let read =
        lopdf::Document::load_mem(&pdf).map_err(|e| TestCaseError::fail(format!("lopdf: {e}")))?;
    prop_assert!(!read.get_pages().is_empty());
    Ok(Reached::Pdf)
}

fn cases() -> u32 {
    std::env::var("INKFOLD_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

fn fuzz(seed_name: &str, cases: u32) {
    // The chapters and the drawing `c.svg` are written anew for each input.
    let dir = TestBook::new("Fuzz")
        .chapter("one.md", "")
        .chapter("two.md", "")
        .file("images/a.png", PNG)
        .file("images/b.svg", SVG)
        .write();
    let root = dir.path();
    let config = Config {
        cases,
        failure_persistence: None,
        // A fixed seed per test: a failure can be replayed exactly.
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    };
    // INKFOLD_FUZZ_SEED explores other inputs than the suite's fixed ones.
    let extra = std::env::var("INKFOLD_FUZZ_SEED").unwrap_or_default();
    let seed: [u8; 32] = blake_like(&format!("{seed_name}{extra}"));
    let mut runner = TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &seed,
        ),
    );
    let reached = std::cell::Cell::new((0u32, 0u32));
    let result = runner.run(&(chapter(), chapter(), svg()), |(one, two, drawing)| {
        std::fs::write(root.join("images/c.svg"), drawing).expect("write");
        std::fs::write(root.join("chapters/one.md"), format!("# One\n\n{one}")).expect("write");
        std::fs::write(
            root.join("chapters/two.md"),
            format!("# Two {{#two}}\n\n{two}"),
        )
        .expect("write");
        let (diagnosed, printed) = reached.get();
        match run_pipeline(root)? {
            Reached::Diagnostics => reached.set((diagnosed + 1, printed)),
            Reached::Pdf => reached.set((diagnosed, printed + 1)),
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (diagnosed, printed) = reached.get();
    eprintln!(
        "{seed_name}: {cases} inputs, {diagnosed} stopped with diagnostics, {printed} built an EPUB and a PDF"
    );
    // Both paths must really be exercised.
    assert!(
        diagnosed >= cases / 10 && printed >= cases / 10,
        "{diagnosed} diagnosed, {printed} printed"
    );
}

/// A 32-byte seed from a name (no hashing crate needed: a simple mix is enough here).
fn blake_like(name: &str) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, b) in name.bytes().cycle().take(64).enumerate() {
        seed[i % 32] = seed[i % 32].wrapping_mul(31).wrapping_add(b ^ (i as u8));
    }
    seed
}

#[test]
fn generated_manuscripts_never_panic_first_half() {
    fuzz("first half", cases() / 2);
}

#[test]
fn generated_manuscripts_never_panic_second_half() {
    fuzz("second half", cases() - cases() / 2);
}
