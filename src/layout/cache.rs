//! Galleys kept from one build to the next (`inkfold watch`): a chapter, the edition's profile
//! and the fonts in; the chapter's galley out, measured afresh only when one of them changed.
//!
//! A galley depends on its chapter (its blocks and notes, with their spans, languages and
//! highlighting), where the chapter stands (its index: whether it runs on from the one before,
//! its anchor), the language and direction it is set in, the sizes of the book's images, the
//! profile and the faces. The key holds each of them: the chapter itself, compared whole (not
//! only its hash), the rest as values or, for the faces' bytes, a hash of them. A build keeps
//! only the galleys it used, so the cache never holds more than one build's chapters per
//! edition.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Mutex;

use super::FontBook;
use super::galley::ChapterGalley;
use crate::lang::{Direction, Lang};
use crate::model::{Book, Chapter};
use crate::profile::Profile;

/// What a chapter's galley was measured from, besides the chapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Setting {
    index: usize,
    lang: Lang,
    direction: Direction,
    /// A hash of the profile's debug text (it holds lengths, which have no `Eq`).
    profile: u64,
    fonts: u64,
    /// Each image's natural size, as bits.
    images: u64,
}

/// One kept galley, with what it was measured from.
#[derive(Debug)]
struct Kept {
    chapter: Chapter,
    setting: Setting,
    galley: ChapterGalley,
    /// Used by the build under way.
    used: bool,
}

/// The galleys of past builds, by the hash of what they were measured from.
#[derive(Debug, Default)]
pub struct GalleyCache {
    kept: Mutex<HashMap<u64, Vec<Kept>>>,
    /// Galleys reused and measured by the build under way, then by the last one.
    counts: Mutex<CountsNowAndLast>,
}

/// How many galleys a build reused and measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub reused: usize,
    pub measured: usize,
}

#[derive(Debug, Default)]
struct CountsNowAndLast {
    now: Counts,
    last: Counts,
}

/// A hash that is the same from one run to the next.
fn hasher() -> impl Hasher {
    foldhash::fast::FixedState::with_seed(0x0069_6e6b_666f_6c64).build_hasher()
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What every chapter of one layout shares: the profile, the faces and the images' sizes.
#[derive(Debug, Clone, Copy)]
pub struct Shared {
    profile: u64,
    fonts: u64,
    images: u64,
}

impl Shared {
    pub fn of(book: &Book, profile: &Profile, fonts: &FontBook) -> Shared {
        let images: Vec<(u32, u32)> = book
            .assets
            .iter()
            .map(|a| {
                a.natural_size
                    .map_or((0, 0), |(w, h)| (w.to_bits(), h.to_bits()))
            })
            .collect();
        Shared {
            profile: hash_of(&format!("{profile:?}")),
            fonts: fonts.fingerprint(),
            images: hash_of(&images),
        }
    }
}

impl GalleyCache {
    fn setting(book: &Book, index: usize, shared: Shared) -> Setting {
        let chapter = &book.chapters[index];
        Setting {
            index,
            lang: chapter.lang(&book.meta).clone(),
            direction: chapter.direction(&book.meta),
            profile: shared.profile,
            fonts: shared.fonts,
            images: shared.images,
        }
    }

    fn key(chapter: &Chapter, setting: &Setting) -> u64 {
        let mut hasher = hasher();
        chapter.hash(&mut hasher);
        setting.hash(&mut hasher);
        hasher.finish()
    }

    /// The galley of chapter `index` kept from an earlier build, if nothing it depends on has
    /// changed since; else `measure`'s, kept for the next.
    pub fn galley(
        &self,
        book: &Book,
        index: usize,
        shared: Shared,
        measure: impl FnOnce() -> ChapterGalley,
    ) -> ChapterGalley {
        let chapter = &book.chapters[index];
        let setting = Self::setting(book, index, shared);
        let key = Self::key(chapter, &setting);
        {
            let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
            let found = kept.get_mut(&key).and_then(|all| {
                all.iter_mut()
                    .find(|k| k.setting == setting && k.chapter == *chapter)
            });
            if let Some(found) = found {
                found.used = true;
                self.count(|c| c.reused += 1);
                return found.galley.clone();
            }
        }
        self.count(|c| c.measured += 1);
        let galley = measure();
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.entry(key).or_default().push(Kept {
            chapter: chapter.clone(),
            setting,
            galley: galley.clone(),
            used: true,
        });
        galley
    }

    fn count(&self, f: impl FnOnce(&mut Counts)) {
        f(&mut self.counts.lock().unwrap_or_else(|p| p.into_inner()).now);
    }

    /// How many galleys the last build reused and measured.
    pub fn last_build(&self) -> Counts {
        self.counts.lock().unwrap_or_else(|p| p.into_inner()).last
    }

    /// Forgets the galleys the last build did not use, and marks the rest for the next.
    pub fn end_build(&self) {
        {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            counts.last = std::mem::take(&mut counts.now);
        }
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|_, all| {
            all.retain_mut(|k| std::mem::take(&mut k.used));
            !all.is_empty()
        });
    }

    /// How many galleys are kept.
    pub fn len(&self) -> usize {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
