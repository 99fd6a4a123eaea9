//! PEF 1.0: formatted braille pages in; the XML of a Portable Embosser Format file out.

use super::Transcription;

/// Stand-in until the writer lands.
pub fn write(_t: &Transcription) -> Vec<u8> {
    Vec::new()
}
