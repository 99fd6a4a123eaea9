//! PEF 1.0: formatted braille pages in; the XML of a Portable Embosser Format file out.
