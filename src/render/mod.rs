//! Backends: the finished document model in, the bytes of an output file out. Backends are pure:
//! they write no files and read no clock.

pub mod braille;
pub mod epub;
pub mod pdf;
pub mod xml;
