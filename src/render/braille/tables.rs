//! Braille codes: a language (BCP 47) and a grade in; the liblouis tables that translate it and
//! the code's name out.
//!
//! A list of our own rather than liblouis' `lou_findTable`: that query always answers with a
//! best match, even for a language it has no table for, misses tables without metadata
//! (Amharic's `ethio-g1.ctb`) and knows Chinese as `cmn`. Each table here was checked with
//! liblouis 3.24 (`lou_checktable`) and on the UDHR in its language.

pub use crate::profile::BrailleGrade as Grade;

/// The braille code of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The language's primary subtag (with the script for Chinese: `zh-hans`).
    pub lang: &'static str,
    /// The language's name in English, for messages and the code's name.
    pub name: &'static str,
    /// The contracted table, where the language has one.
    pub contracted: Option<&'static str>,
    /// The uncontracted table, also used for code and addresses.
    pub uncontracted: &'static str,
    /// The code's name in eBraille's registry form (`ueb`), before the grade.
    pub system: &'static str,
    /// Cells of 6 or 8 dots.
    pub dots: u8,
}

impl Code {
    /// The table for text of a grade: the contracted one when asked for and there is one.
    pub fn table(&self, grade: Grade) -> &'static str {
        match grade {
            Grade::Contracted => self.contracted.unwrap_or(self.uncontracted),
            Grade::Uncontracted => self.uncontracted,
        }
    }

    /// The grade a text is translated in: contracted only where the language has it.
    pub fn grade(&self, asked: Grade) -> Grade {
        if self.contracted.is_some() {
            asked
        } else {
            Grade::Uncontracted
        }
    }

    /// The code as eBraille's registry names it: `ueb grade2`.
    pub fn system_name(&self, grade: Grade) -> String {
        format!("{} grade{}", self.system, self.grade(grade).number())
    }
}

/// The display table put before every table list, so liblouis writes Unicode braille rather
/// than each table's own ASCII.
pub const DISPLAY: &str = "unicode.dis";

/// The table list for a table: the display table first.
pub fn list(table: &str) -> String {
    format!("{DISPLAY},{table}")
}

const fn code(
    lang: &'static str,
    name: &'static str,
    contracted: Option<&'static str>,
    uncontracted: &'static str,
    system: &'static str,
    dots: u8,
) -> Code {
    Code {
        lang,
        name,
        contracted,
        uncontracted,
        system,
        dots,
    }
}

/// The codes, by language. Russian's `ru-ru-g1.ctb` loses a third of the words when read back,
/// `ru-litbrl.ctb` none, so the latter. Japanese braille in liblouis is kantenji, in 8-dot cells.
/// Thai has no table in liblouis 3.24.
pub const CODES: &[Code] = &[
    code(
        "en",
        "English",
        Some("en-ueb-g2.ctb"),
        "en-ueb-g1.ctb",
        "ueb",
        6,
    ),
    code(
        "fr",
        "French",
        Some("fr-bfu-g2.ctb"),
        "fr-bfu-comp6.utb",
        "french",
        6,
    ),
    code("de", "German", Some("de-g2.ctb"), "de-g1.ctb", "german", 6),
    code(
        "es",
        "Spanish",
        Some("es-g2.ctb"),
        "es-g1.ctb",
        "spanish",
        6,
    ),
    code("it", "Italian", None, "it-it-comp6.utb", "italian", 6),
    code(
        "pt",
        "Portuguese",
        Some("pt-pt-g2.ctb"),
        "pt-pt-g1.utb",
        "portuguese",
        6,
    ),
    code("nl", "Dutch", None, "nl-NL-g0.utb", "dutch", 6),
    code(
        "sv",
        "Swedish",
        Some("sv-g2.ctb"),
        "sv-g1.ctb",
        "swedish",
        6,
    ),
    code(
        "da",
        "Danish",
        Some("da-dk-g26.ctb"),
        "da-dk-g16.ctb",
        "danish",
        6,
    ),
    code(
        "no",
        "Norwegian",
        Some("no-no-g2.ctb"),
        "no-no-g0.utb",
        "norwegian",
        6,
    ),
    code(
        "nb",
        "Norwegian",
        Some("no-no-g2.ctb"),
        "no-no-g0.utb",
        "norwegian",
        6,
    ),
    code("cs", "Czech", None, "cs-g1.ctb", "czech", 6),
    code(
        "hu",
        "Hungarian",
        Some("hu-hu-g2.ctb"),
        "hu-hu-g1.ctb",
        "hungarian",
        6,
    ),
    code(
        "tr",
        "Turkish",
        Some("tr-g2.ctb"),
        "tr-g1.ctb",
        "turkish",
        6,
    ),
    code(
        "vi",
        "Vietnamese",
        Some("vi-vn-g2.ctb"),
        "vi-vn-g1.ctb",
        "vietnamese",
        6,
    ),
    code("ru", "Russian", None, "ru-litbrl.ctb", "russian", 6),
    code("uk", "Ukrainian", None, "uk.utb", "ukrainian", 6),
    code("bg", "Bulgarian", None, "bg.utb", "bulgarian", 6),
    code("el", "Greek", None, "el.ctb", "greek", 6),
    code(
        "ar",
        "Arabic",
        Some("ar-ar-g2.ctb"),
        "ar-ar-g1.utb",
        "arabic",
        6,
    ),
    code("fa", "Persian", None, "fa-ir-g1.utb", "persian", 6),
    code(
        "ur",
        "Urdu",
        Some("ur-pk-g2.ctb"),
        "ur-pk-g1.utb",
        "urdu",
        6,
    ),
    code("he", "Hebrew", None, "he-IL.utb", "hebrew", 6),
    code("hi", "Hindi", None, "hi-in-g1.utb", "bharati", 6),
    code("bn", "Bengali", None, "bn.tbl", "bharati", 6),
    code("ta", "Tamil", None, "ta-ta-g1.ctb", "bharati", 6),
    code("km", "Khmer", None, "km-g1.utb", "khmer", 6),
    code("am", "Amharic", None, "ethio-g1.ctb", "ethiopic", 6),
    code(
        "zh-hans",
        "Chinese",
        Some("zhcn-g2.ctb"),
        "zhcn-g1.ctb",
        "chinese",
        6,
    ),
    code("zh", "Chinese", None, "zh_CHN.tbl", "chinese", 6),
    code("ko", "Korean", Some("ko-g2.ctb"), "ko-g1.ctb", "korean", 6),
    code("ja", "Japanese", None, "ja-kantenji.utb", "kantenji", 8),
];

/// The code for a language tag (`en-GB`, `zh-Hans-CN`), if liblouis has one: by the primary
/// subtag with the script where the list has it, else by the primary subtag.
pub fn for_lang(tag: &str) -> Option<&'static Code> {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default();
    let script = parts.next().filter(|s| s.len() == 4);
    if let Some(script) = script {
        let with_script = format!("{primary}-{script}");
        if let Some(code) = CODES.iter().find(|c| c.lang == with_script) {
            return Some(code);
        }
    }
    CODES.iter().find(|c| c.lang == primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_find_their_codes() {
        assert_eq!(for_lang("en-GB").map(|c| c.system), Some("ueb"));
        assert_eq!(
            for_lang("zh-Hans-CN").and_then(|c| c.contracted),
            Some("zhcn-g2.ctb")
        );
        assert_eq!(
            for_lang("zh-Hant").map(|c| c.uncontracted),
            Some("zh_CHN.tbl")
        );
        assert!(for_lang("th").is_none());
        let ru = for_lang("ru").unwrap();
        assert_eq!(ru.grade(Grade::Contracted), Grade::Uncontracted);
        assert_eq!(ru.system_name(Grade::Contracted), "russian grade1");
        assert_eq!(
            for_lang("en").unwrap().system_name(Grade::Contracted),
            "ueb grade2"
        );
    }

    #[test]
    fn every_table_reads() {
        let louis = match super::super::louis::get() {
            Ok(louis) => louis,
            Err(why) if std::env::var_os("CI").is_none() => {
                eprintln!("SKIPPED: {why}");
                return;
            }
            Err(why) => panic!("{why} (CI installs liblouis)"),
        };
        for code in CODES {
            for table in code.contracted.iter().chain([&code.uncontracted]) {
                assert!(louis.has_table(&list(table)), "{table} does not read");
            }
        }
    }
}
