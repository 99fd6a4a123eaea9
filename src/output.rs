//! Output files: bytes in, a file in the output folder out, written atomically (a temporary file
//! beside the target, then a rename), so a failed or concurrent build never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `dir/name`, creating `dir` if needed; the old file stays until the new
/// one is complete.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map(|()| target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_atomic(&out, "a.epub", b"one").unwrap();
        let path = write_atomic(&out, "a.epub", b"two").unwrap();
        assert_eq!(std::fs::read(path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.epub"]);
    }
}
