//! Admonitions: a kind (`> [!NOTE]`, `[!TIP]`…) in; the label both outputs show before its
//! text, in the language of that text where the table below has its words, out.

use crate::lang::Lang;

/// The kind of an admonition, as GitHub and mdBook write it: `> [!NOTE]` and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdmonitionKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

/// The labels, by primary language subtag, in the order of [`AdmonitionKind`]. Kept small: the
/// languages of the books inkfold is tested with and a few common ones; any other language
/// gets the English words (the first row).
const LABELS: &[(&str, [&str; 5])] = &[
    ("en", ["Note", "Tip", "Important", "Warning", "Caution"]),
    ("de", ["Hinweis", "Tipp", "Wichtig", "Warnung", "Vorsicht"]),
    (
        "es",
        ["Nota", "Consejo", "Importante", "Advertencia", "Precaución"],
    ),
    (
        "fr",
        [
            "Remarque",
            "Astuce",
            "Important",
            "Avertissement",
            "Attention",
        ],
    ),
    ("pt", ["Nota", "Dica", "Importante", "Aviso", "Cuidado"]),
    (
        "ru",
        [
            "Примечание",
            "Совет",
            "Важно",
            "Предупреждение",
            "Осторожно",
        ],
    ),
];

pub use super::words::Label;

impl AdmonitionKind {
    /// The label shown (and spoken) before the admonition's text, in `lang` where the table
    /// has it, else in English. Both outputs set it and count it as text (`model::text`).
    pub fn label(self, lang: &Lang) -> Label {
        super::words::pick(LABELS, self as usize, lang)
    }

    /// Its name in lower case, for a class name and the model's dump: `note`, `tip`…
    pub fn name(self) -> &'static str {
        match self {
            AdmonitionKind::Note => "note",
            AdmonitionKind::Tip => "tip",
            AdmonitionKind::Important => "important",
            AdmonitionKind::Warning => "warning",
            AdmonitionKind::Caution => "caution",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_the_text_language_or_english() {
        let lang = |tag: &str| Lang::parse(tag).expect("a language tag");
        let text = |kind: AdmonitionKind, tag: &str| kind.label(&lang(tag)).text;
        assert_eq!(text(AdmonitionKind::Note, "en"), "Note");
        assert_eq!(text(AdmonitionKind::Caution, "en-GB"), "Caution");
        assert_eq!(text(AdmonitionKind::Tip, "ru"), "Совет");
        assert_eq!(text(AdmonitionKind::Warning, "pt-BR"), "Aviso");
        assert_eq!(AdmonitionKind::Tip.label(&lang("de")).lang, None);
        let fallback = AdmonitionKind::Important.label(&lang("ja"));
        assert_eq!(fallback.text, "Important");
        assert_eq!(fallback.lang, Some(lang("en")));
    }
}
