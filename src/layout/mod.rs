//! Print layout: the document model in, positioned pages out.
//!
//! Small named stages: [`fonts`] (faces, shaping, fallback), [`hyphenate`], [`linebreak`]
//! (Knuth–Plass), [`paragraph`] (text to lines), [`flow`] (lines and blocks to pages), with
//! [`page`] holding the result the PDF writer draws.

pub mod dump;
pub mod flow;
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod page;
pub mod paragraph;
