//! Appendix data: the text of a TOML data file in, a checked [`Group`] of organisations out.
//!
//! A data file is kept by people who are not programmers, so every mistake — a missing or
//! unknown field, a wrong type, an empty description, a website that is not `https://`, an
//! organisation listed twice — is reported at its line with the field's name and a hint.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostics, FileId, Span, TomlFault};

/// Which list a data file holds; volunteering entries also name roles and how to get involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Sources,
    Volunteering,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawGroup {
    kind: Kind,
    title: Spanned<String>,
    intro: Option<String>,
    #[serde(default)]
    organisation: Vec<Spanned<RawOrganisation>>,
    advice: Option<Spanned<RawAdvice>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOrganisation {
    name: Spanned<String>,
    short_name: Option<Spanned<String>>,
    offers: Spanned<String>,
    website: Spanned<String>,
    topics: Spanned<Vec<String>>,
    roles: Option<Vec<String>>,
    get_involved: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawAdvice {
    title: Spanned<String>,
    text: Spanned<String>,
    #[serde(default)]
    points: Vec<String>,
}

/// One list of the appendix.
#[derive(Debug, Clone)]
pub struct Group {
    pub kind: Kind,
    pub title: String,
    pub intro: Option<String>,
    pub organisations: Vec<Organisation>,
    pub advice: Option<Advice>,
    /// Where the group's title is written.
    pub span: Span,
}

/// An organisation of a list.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub name: String,
    pub short_name: Option<String>,
    pub offers: String,
    /// An `https://` address.
    pub website: String,
    pub topics: Vec<String>,
    /// Volunteer roles (volunteering lists only; may be empty).
    pub roles: Vec<String>,
    pub get_involved: Option<String>,
    /// Where the organisation's entry is written.
    pub span: Span,
}

impl Organisation {
    /// "Name (SHORT)" or "Name".
    pub fn display_name(&self) -> String {
        match &self.short_name {
            Some(short) => format!("{} ({short})", self.name),
            None => self.name.clone(),
        }
    }

    /// The website without its scheme and trailing slash: `www.unodc.org`.
    pub fn website_host(&self) -> &str {
        let rest = self
            .website
            .strip_prefix("https://")
            .unwrap_or(&self.website);
        rest.trim_end_matches('/')
    }
}

/// Closing advice of a list.
#[derive(Debug, Clone)]
pub struct Advice {
    pub title: String,
    pub text: String,
    pub points: Vec<String>,
    pub span: Span,
}

/// The longest website address, in bytes, a handout or appendix prints beside a QR code.
///
/// The layout draws the code 56 pt square (about 2 cm) and lets it grow so that no module is
/// smaller than 1.4 pt (0.5 mm, about what a phone camera resolves at reading distance). We
/// let it grow to a QR code of version 10 at most: 57 modules, 57 × 1.4 = 79.8 pt (2.8 cm),
/// which leaves the text beside it some 240 pt of the 335 pt column of an A5 page (the
/// narrowest built-in size, at 12 pt type). Version 10 at error correction level M (what
/// the layout asks for) holds 213 bytes in byte mode, the mode any address can be written in;
/// a longer address needs a larger code than the page has room for (version 40 holds 2 331
/// bytes in a code of 25 cm), or gets none. Real addresses stay well under 100 bytes.
pub const MAX_WEBSITE_BYTES: usize = 213;

const HINT: &str = "see \"Appendix data\" in README.md for the fields and an example";

/// Parses and checks one data file. Returns `None` when it has errors.
pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<Group> {
    let raw: RawGroup = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            crate::diag::toml_error(
                diags,
                file,
                text,
                &err,
                "appendix data",
                |fault| match fault {
                    TomlFault::MissingField => format!("add the field to this entry; {HINT}"),
                    TomlFault::UnknownField => {
                        format!("remove the field or correct its spelling; {HINT}")
                    }
                    TomlFault::InvalidType => format!(
                        "write the value as the field expects (text in quotes, lists in [ ]); {HINT}"
                    ),
                    TomlFault::Other => HINT.to_string(),
                },
            );
            return None;
        }
    };
    let errors_before = diags.has_errors();
    let span = |range: std::ops::Range<usize>| Span::new(file, range);
    let mut organisations: Vec<Organisation> = Vec::new();
    for entry in raw.organisation {
        let entry_span = span(entry.span());
        let org = entry.into_inner();
        let name = org.name.get_ref().trim().to_string();
        if name.is_empty() {
            empty(
                diags,
                span(org.name.span()),
                "name",
                "the organisation's full name",
            );
        }
        if organisations.iter().any(|o| o.name == name) {
            diags
                .error(
                    span(org.name.span()),
                    format!("field `name`: the organisation `{name}` is listed twice in this file"),
                )
                .hint("list each organisation once; merge the two entries");
        }
        if org.offers.get_ref().trim().is_empty() {
            empty(
                diags,
                span(org.offers.span()),
                "offers",
                "what the organisation offers, in a sentence or two",
            );
        }
        crate::config::check_title(&name, span(org.name.span()), "field `name`", diags);
        if let Some(short) = &org.short_name {
            crate::config::check_title(
                short.get_ref(),
                span(short.span()),
                "field `short-name`",
                diags,
            );
        }
        let website = org.website.get_ref().trim().to_string();
        if website.len() > MAX_WEBSITE_BYTES {
            diags
                .error(
                    span(org.website.span()),
                    format!(
                        "field `website`: the address is {} bytes long; the QR code printed beside it holds at most {MAX_WEBSITE_BYTES}",
                        website.len()
                    ),
                )
                .hint("give a shorter address for the same page: the organisation's home page, or a short link it publishes");
        } else if !is_https_url(&website) {
            diags
                .error(
                    span(org.website.span()),
                    format!("field `website`: `{website}` is not an https:// address"),
                )
                .hint("give the organisation's site in full as a browser's address bar shows it, starting with https://, e.g. \"https://www.unicef.org/\" (a host in lower case, no spaces or quotes)");
        }
        if org.topics.get_ref().iter().all(|t| t.trim().is_empty()) {
            empty(
                diags,
                span(org.topics.span()),
                "topics",
                "at least one subject, e.g. topics = [\"child labour\"]",
            );
        }
        if raw.kind == Kind::Volunteering {
            if org.roles.is_none() {
                diags
                    .error(entry_span, "missing field `roles` for a volunteering entry")
                    .hint(format!("list the kinds of volunteer roles, e.g. roles = [\"research\"], or roles = [] if none is named; {HINT}"));
            }
            match &org.get_involved {
                None => {
                    diags
                        .error(
                            entry_span,
                            "missing field `get-involved` for a volunteering entry",
                        )
                        .hint(format!("say how to get involved, in a sentence; {HINT}"));
                }
                Some(text) if text.get_ref().trim().is_empty() => {
                    empty(
                        diags,
                        span(text.span()),
                        "get-involved",
                        "how to get involved, in a sentence",
                    );
                }
                Some(_) => {}
            }
        }
        organisations.push(Organisation {
            name,
            short_name: org
                .short_name
                .map(|s| s.into_inner().trim().to_string())
                .filter(|s| !s.is_empty()),
            offers: org.offers.into_inner().trim().to_string(),
            website,
            topics: org.topics.into_inner(),
            roles: org.roles.unwrap_or_default(),
            get_involved: org.get_involved.map(|g| g.into_inner().trim().to_string()),
            span: entry_span,
        });
    }
    let advice = raw.advice.map(|advice| {
        let advice_span = span(advice.span());
        let advice = advice.into_inner();
        crate::config::check_title(
            advice.title.get_ref(),
            span(advice.title.span()),
            "field `title` of the advice",
            diags,
        );
        if advice.text.get_ref().trim().is_empty() {
            empty(
                diags,
                span(advice.text.span()),
                "text",
                "the advice, in a sentence or two",
            );
        }
        Advice {
            title: advice.title.into_inner(),
            text: advice.text.into_inner(),
            points: advice.points,
            span: advice_span,
        }
    });
    crate::config::check_title(
        raw.title.get_ref(),
        span(raw.title.span()),
        "field `title`",
        diags,
    );
    if diags.has_errors() && !errors_before {
        return None;
    }
    Some(Group {
        kind: raw.kind,
        title: raw.title.get_ref().clone(),
        intro: raw.intro,
        organisations,
        advice,
        span: span(raw.title.span()),
    })
}

/// The key of a `key = value` line, given the offset of the value.
fn empty(diags: &mut Diagnostics, span: Span, field: &str, wanted: &str) {
    diags
        .error(span, format!("field `{field}` is empty"))
        .hint(format!("write {wanted}"));
}

/// The longest label of a host name, in bytes (RFC 1035, section 2.3.4).
const MAX_HOST_LABEL: usize = 63;

/// `https://host…` that is a URL as written: the `url` crate (WHATWG's URL standard) reads it
/// with the scheme `https`, a domain with a dot and labels of at most [`MAX_HOST_LABEL`]
/// bytes, and writes it back the same (only a missing `/` after the host may be added). So a
/// quote or space in the path, a host in capitals or with a direction override (which would be
/// rewritten in punycode), and anything the QR code and the link would carry differently from
/// what is printed, are refused.
pub fn is_https_url(text: &str) -> bool {
    let Ok(url) = url::Url::parse(text) else {
        return false;
    };
    let Some(url::Host::Domain(host)) = url.host() else {
        return false;
    };
    url.scheme() == "https"
        && host.contains('.')
        && host.split('.').all(|label| label.len() <= MAX_HOST_LABEL)
        && url.username().is_empty()
        && url.password().is_none()
        && (url.as_str() == text || url.as_str().strip_suffix('/') == Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    fn check(text: &str) -> (Option<Group>, Vec<String>) {
        let mut map = SourceMap::default();
        let file = map.add("data.toml".into(), text.into());
        let mut diags = Diagnostics::default();
        let group = parse(file, text, &mut diags);
        let problems = diags
            .resolve(&map)
            .into_iter()
            .map(|p| format!("{}:{} {}", p.line, p.column, p.message))
            .collect();
        (group, problems)
    }

    const GOOD: &str = r#"kind = "volunteering"
title = "Volunteer opportunities"

[[organisation]]
name = "Love146"
offers = "It works to end child trafficking."
website = "https://love146.org/"
topics = ["child trafficking"]
roles = ["fundraising"]
get-involved = "See the website."
"#;

    #[test]
    fn good_data_parses() {
        let (group, problems) = check(GOOD);
        assert!(problems.is_empty(), "{problems:?}");
        let group = group.expect("group");
        assert_eq!(group.kind, Kind::Volunteering);
        assert_eq!(group.organisations[0].website_host(), "love146.org");
    }

    #[test]
    fn each_mistake_names_its_line_and_field() {
        let cases = [
            (
                GOOD.replace("website = \"https://love146.org/\"\n", ""),
                "4:1 appendix data: missing field `website`",
            ),
            (
                GOOD.replace("topics = [\"child trafficking\"]", "topics = 3"),
                "8:10 appendix data: field `topics`: invalid type",
            ),
            (
                GOOD.replace("roles =", "rolls ="),
                "9:1 appendix data: unknown field `rolls`",
            ),
            (
                GOOD.replace("\"It works to end child trafficking.\"", "\"  \""),
                "6:10 field `offers` is empty",
            ),
            (
                GOOD.replace("https://love146.org/", "http://love146.org/"),
                "7:11 field `website`",
            ),
            (
                format!(
                    "{GOOD}\n[[organisation]]\nname = \"Love146\"\noffers = \"x\"\nwebsite = \"https://a.org\"\ntopics = [\"t\"]\nroles = []\nget-involved = \"y\"\n"
                ),
                "13:8 field `name`: the organisation `Love146` is listed twice",
            ),
        ];
        for (text, expected) in cases {
            let (group, problems) = check(&text);
            assert!(group.is_none(), "{expected}");
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "expected {expected:?} in {problems:?}"
            );
        }
    }

    #[test]
    fn https_urls() {
        assert!(is_https_url("https://www.unodc.org/"));
        assert!(!is_https_url("http://www.unodc.org/"));
        assert!(!is_https_url("https://"));
        assert!(!is_https_url("https://exa mple.org"));
        assert!(!is_https_url("www.unodc.org"));
        assert!(is_https_url("https://www.unodc.org"));
        assert!(is_https_url(
            "https://www.ilo.org/global/topics/forced-labour/lang--en/index.htm"
        ));
        assert!(is_https_url("https://example.org/a?b=c#d"));
        assert!(!is_https_url("https://example.org/say\"hi\""));
        assert!(!is_https_url("https://exa\u{202e}mple.org/"));
        assert!(!is_https_url("https://EXAMPLE.org/"));
        assert!(!is_https_url("https://user@example.org/"));
        let label = |n: usize| format!("https://{}.org/", "a".repeat(n));
        assert!(is_https_url(&label(63)));
        assert!(!is_https_url(&label(64)));
        assert!(!is_https_url(&label(70)));
    }

    #[test]
    fn the_longest_address_fits_a_qr_code_of_version_10() {
        use qrcode::{EcLevel, QrCode, Version};
        let at_limit = format!("https://a.org/{}", "a".repeat(MAX_WEBSITE_BYTES - 14));
        assert_eq!(at_limit.len(), MAX_WEBSITE_BYTES);
        let code = QrCode::new(at_limit.as_bytes()).expect("fits");
        assert!(code.width() <= 57, "{}", code.width());
        let one_more = format!("{at_limit}a");
        assert!(
            QrCode::with_version(one_more.as_bytes(), Version::Normal(10), EcLevel::M).is_err()
        );
        // And the data check refuses it at its line.
        let (group, problems) = check(&GOOD.replace("https://love146.org/", &one_more));
        assert!(group.is_none());
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("7:11 field `website`: the address is 214 bytes")),
            "{problems:?}"
        );
        let (group, problems) = check(&GOOD.replace("https://love146.org/", &at_limit));
        assert!(group.is_some(), "{problems:?}");
    }

    #[test]
    fn a_title_or_name_of_more_than_300_characters_is_refused_at_its_line() {
        let name = "N".repeat(crate::config::MAX_TITLE_CHARS);
        let (group, problems) = check(&GOOD.replace("\"Love146\"", &format!("\"{name}\"")));
        assert!(group.is_some(), "{problems:?}");
        let (group, problems) = check(&GOOD.replace("\"Love146\"", &format!("\"{name}N\"")));
        assert!(group.is_none());
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("5:8 field `name` is 301 characters long")),
            "{problems:?}"
        );
        let title = "T".repeat(301);
        let (_, problems) = check(&GOOD.replace("Volunteer opportunities", &title));
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("2:9 field `title` is 301 characters long")),
            "{problems:?}"
        );
    }
}
