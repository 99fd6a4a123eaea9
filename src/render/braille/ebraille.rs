//! eBraille 1.0: a transcription in; the bytes of an `.ebrl` file set (an EPUB 3 package of braille content documents) out.
