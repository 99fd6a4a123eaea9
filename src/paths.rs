//! Path helpers for manuscript paths written with `/` separators (a path in, a part of it out).
//! A leaf module.

/// The file name without its folders: `images/map.png` → `map.png`.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The file name without folders or extension: `chapters/08-conclusion.md` → `08-conclusion`.
pub fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(file_stem("chapters/08-conclusion.md"), "08-conclusion");
        assert_eq!(file_stem("a.b.md"), "a.b");
        assert_eq!(file_stem("README"), "README");
    }
}
