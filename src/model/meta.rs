//! The book's bibliographic and accessibility data, as the model owns it: typed dates, hazards
//! and language, checked once by the settings stage and read by every backend.

use std::fmt;

use crate::lang::Lang;
use crate::model::words::Voice;

/// What a book says about itself.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub lang: Lang,
    pub identifier: String,
    pub description: Option<String>,
    /// Subjects, for library catalogues and the PDF's keywords.
    pub keywords: Vec<String>,
    pub rights: Option<String>,
    pub publisher: Option<String>,
    /// The publication date, when the book gives one (or `SOURCE_DATE_EPOCH` stands in).
    pub date: Option<Date>,
    /// Last modification, in UTC; `SOURCE_DATE_EPOCH` overrides it.
    pub modified: Timestamp,
    pub a11y: Accessibility,
}

impl Meta {
    /// What a colophon says of the book itself, in order: its rights (only if stated, in the
    /// book's words), its identifier (an ISBN as such), and when and by whom it was published.
    pub fn colophon(&self) -> Vec<(Voice, String)> {
        let identifier = match self.identifier.strip_prefix("urn:isbn:") {
            Some(isbn) => format!("ISBN {isbn}"),
            None => format!("Identifier: {}", self.identifier),
        };
        let published = match (&self.publisher, self.date) {
            (Some(publisher), Some(date)) => Some(format!("Published by {publisher}, {date}.")),
            (Some(publisher), None) => Some(format!("Published by {publisher}.")),
            (None, Some(date)) => Some(format!("Published {date}.")),
            (None, None) => None,
        };
        self.rights
            .iter()
            .map(|rights| (Voice::Book, rights.clone()))
            .chain(
                [identifier]
                    .into_iter()
                    .chain(published)
                    .map(|s| (Voice::Inkfold, s)),
            )
            .collect()
    }
}

/// The accessibility claims `book.toml` makes.
#[derive(Debug, Clone)]
pub struct Accessibility {
    /// The author's summary; `None` uses the one that states what inkfold guarantees.
    pub summary: Option<String>,
    /// Never empty: `[Hazard::None]` unless the book says otherwise.
    pub hazards: Vec<Hazard>,
    pub certified_by: Option<String>,
}

/// A schema.org accessibility hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hazard {
    None,
    Flashing,
    NoFlashingHazard,
    MotionSimulation,
    NoMotionSimulationHazard,
    Sound,
    NoSoundHazard,
    Unknown,
}

impl Hazard {
    /// Every hazard, in the order the README lists them.
    pub const ALL: [Hazard; 8] = [
        Hazard::None,
        Hazard::Flashing,
        Hazard::NoFlashingHazard,
        Hazard::MotionSimulation,
        Hazard::NoMotionSimulationHazard,
        Hazard::Sound,
        Hazard::NoSoundHazard,
        Hazard::Unknown,
    ];

    /// The schema.org name, as `book.toml` and the package document write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Hazard::None => "none",
            Hazard::Flashing => "flashing",
            Hazard::NoFlashingHazard => "noFlashingHazard",
            Hazard::MotionSimulation => "motionSimulation",
            Hazard::NoMotionSimulationHazard => "noMotionSimulationHazard",
            Hazard::Sound => "sound",
            Hazard::NoSoundHazard => "noSoundHazard",
            Hazard::Unknown => "unknown",
        }
    }

    pub fn parse(name: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|h| h.as_str() == name)
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

/// A moment in UTC, `YYYY-MM-DDThh:mm:ssZ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

fn two_digits(s: &str) -> Option<u8> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl Date {
    /// `YYYY-MM-DD` with a month from 1 to 12 and a day from 1 to 31.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let date = Date {
            year: year.parse().ok()?,
            month: two_digits(month)?,
            day: two_digits(day)?,
        };
        date.is_valid().then_some(date)
    }

    /// A day of the calendar (proleptic Gregorian) in the years 0 to 9999, the years every
    /// output's date formats can write.
    pub fn is_valid(self) -> bool {
        let leap = self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0);
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (0..=9999).contains(&self.year) && (1..=days).contains(&self.day)
    }

    /// Midnight at the start of the day.
    pub fn at_midnight(self) -> Timestamp {
        Timestamp {
            date: self,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }
}

impl Timestamp {
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let (date, time) = text.split_once('T')?;
        let mut parts = time.strip_suffix('Z')?.split(':');
        let (hour, minute, second) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(Timestamp {
            date: Date::parse(date)?,
            hour: two_digits(hour)?,
            minute: two_digits(minute)?,
            second: two_digits(second)?,
        })
    }

    /// Seconds since the Unix epoch, in the proleptic Gregorian calendar.
    pub fn from_epoch(secs: i64) -> Timestamp {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // Each value is in range by construction: month 1–12, day 1–31, hours below 24.
        let small = |v: i64| u8::try_from(v).unwrap_or(0);
        Timestamp {
            date: Date {
                year,
                month: small(month),
                day: small(day),
            },
            hour: small(rem / 3600),
            minute: small(rem % 3600 / 60),
            second: small(rem % 60),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_conversion_handles_leap_years() {
        assert_eq!(Timestamp::from_epoch(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::from_epoch(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_epoch(-1).to_string(),
            "1969-12-31T23:59:59Z"
        );
    }

    #[test]
    fn dates_and_timestamps_round_trip() {
        for text in ["2026-11-29", "0001-01-31"] {
            assert_eq!(Date::parse(text).map(|d| d.to_string()), Some(text.into()));
        }
        for bad in [
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-00",
            "2026-01-01-",
            "2026-02-29",
            "2026-02-31",
            "2026-04-31",
            "1900-02-29",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(
            !Timestamp::from_epoch(253_402_300_800).date.is_valid(),
            "year 10000"
        );
        assert!(
            Timestamp::from_epoch(253_402_300_799).date.is_valid(),
            "9999-12-31"
        );
        let t = "2026-11-29T12:00:59Z";
        assert_eq!(Timestamp::parse(t).map(|t| t.to_string()), Some(t.into()));
        assert!(Timestamp::parse("2026-11-29T12:00Z").is_none());
        assert!(Timestamp::parse("2026-11-29 12:00:00").is_none());
    }

    #[test]
    fn hazards_have_their_schema_names() {
        for hazard in Hazard::ALL {
            assert_eq!(Hazard::parse(hazard.as_str()), Some(hazard));
        }
        assert_eq!(Hazard::parse("loud"), None);
    }
}
