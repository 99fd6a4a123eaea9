//! Text snapshots of fixture books: the model dump, the chapter XHTML, the OPF and the nav of a
//! book that uses every feature, and the diagnostics of each bad-input fixture.
//! Review changes with `cargo insta review` (or compare the `.snap.new` files by hand).

mod common;

use common::fixture;

fn parsed_book(name: &str) -> (inkfold::model::Book, inkfold::diag::SourceMap) {
    let parsed = inkfold::parse(&fixture(name), None);
    let problems = parsed.diags.resolve(&parsed.map);
    assert!(
        !problems
            .iter()
            .any(|p| p.severity == inkfold::diag::Severity::Error),
        "{name} has errors: {problems:#?}"
    );
    (parsed.book.expect("a book"), parsed.map)
}

/// The EPUB files of a book, with the print page numbers its layout gives.
fn epub_file(name: &str, path: &str) -> String {
    common::pipeline(&fixture(name))
        .expect("a book without errors")
        .epub_text(path)
}

#[test]
fn features_model_dump() {
    let (book, map) = parsed_book("features");
    insta::assert_snapshot!(inkfold::model::dump::dump(&book, &map));
}

#[test]
fn features_chapter_xhtml() {
    insta::assert_snapshot!(
        "features_chapter_1",
        epub_file("features", "EPUB/text/01-formats.xhtml")
    );
    insta::assert_snapshot!(
        "features_chapter_2",
        epub_file("features", "EPUB/text/02-checks.xhtml")
    );
}

#[test]
fn features_package_document() {
    insta::assert_snapshot!(epub_file("features", "EPUB/package.opf"));
}

#[test]
fn features_navigation_document() {
    insta::assert_snapshot!(epub_file("features", "EPUB/nav.xhtml"));
}

#[test]
fn features_title_page() {
    insta::assert_snapshot!(epub_file("features", "EPUB/title.xhtml"));
}

#[test]
fn appendix_model_dump() {
    let (book, map) = parsed_book("appendix");
    insta::assert_snapshot!(inkfold::model::dump::dump(&book, &map));
}

#[test]
fn appendix_xhtml_and_landmarks() {
    insta::assert_snapshot!(
        "appendix_xhtml",
        epub_file("appendix", "EPUB/text/appendix.xhtml")
    );
    insta::assert_snapshot!("appendix_nav", epub_file("appendix", "EPUB/nav.xhtml"));
}

/// The printed diagnostics of `inkfold check` on a fixture.
fn diagnostics(name: &str) -> String {
    inkfold::check(&fixture(name), None)
        .expect("check runs")
        .problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! diagnostics_snapshot {
    ($($test:ident => $fixture:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let text = diagnostics($fixture);
            assert!(!text.is_empty(), "{} reports no problem", $fixture);
            insta::assert_snapshot!(text);
        }
    )*};
}

diagnostics_snapshot! {
    diagnostics_unknown_key => "err-unknown-key",
    diagnostics_bad_values => "err-bad-values",
    diagnostics_missing_chapter => "err-missing-chapter",
    diagnostics_image_without_alt => "err-image-no-alt",
    diagnostics_image_outside => "err-image-outside",
    diagnostics_missing_image => "err-missing-image",
    diagnostics_broken_link => "err-broken-link",
    diagnostics_duplicate_id => "err-duplicate-id",
    diagnostics_skipped_heading => "warn-skipped-heading",
    diagnostics_uncovered_character => "err-uncovered-char",
    diagnostics_data_missing_field => "err-data-missing-field",
    diagnostics_data_wrong_type => "err-data-wrong-type",
    diagnostics_data_unknown_field => "err-data-unknown-field",
    diagnostics_data_duplicate => "err-data-duplicate",
    diagnostics_data_empty_description => "err-data-empty-description",
    diagnostics_data_not_https => "err-data-not-https",
}
