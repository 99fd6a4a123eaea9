//! BRF: formatted braille pages in; North American ASCII braille bytes out.
