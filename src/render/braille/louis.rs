//! liblouis, the braille translator: text, a table list and emphasis in; Unicode braille with
//! where each input character went out (and back-translation: braille in, text out).
//!
//! The library is the system's (Debian's `liblouis20` and `liblouis-data`), opened at run time
//! by its soname, so nothing is needed to build inkfold and only a braille edition needs it
//! installed. liblouis is not thread-safe (liblouis/liblouis#543): every call goes through one
//! process-wide lock. Its character type is 16 or 32 bits, as it was built (`lou_charSize`);
//! text is encoded accordingly, and positions count those units.

use std::ffi::{CStr, CString, c_char, c_int, c_ushort};
use std::sync::{Mutex, MutexGuard, OnceLock};

use libloading::Library;

/// The names the library is found by: the soname Debian's `liblouis20` installs (there is no
/// unversioned `liblouis.so` without the -dev package), then the usual names elsewhere.
const LIBRARY_NAMES: &[&str] = &[
    "liblouis.so.20",
    "liblouis.so",
    "liblouis.20.dylib",
    "liblouis.dylib",
    "liblouis.dll",
];

/// What to install when liblouis is missing.
pub const INSTALL_HINT: &str = "install liblouis 3 and its tables (Debian and Ubuntu: apt-get install liblouis20 liblouis-data; macOS: brew install liblouis); every other edition builds without it";

/// liblouis' typeform bits that do not depend on the table.
pub mod typeform {
    /// Left uncontracted (inline code, addresses): every character survives.
    pub const NO_CONTRACT: u16 = 0x1000;
}

/// Mode bits of `lou_translate`.
const MODE_NO_UNDEFINED: c_int = 128;

/// liblouis' log levels: errors only reach the callback.
const LOG_ERROR: c_int = 40000;

/// A translation's output can be longer than its input (capital and number signs, emphasis
/// indicators, an undefined character's escape of up to ten cells); liblouis truncates quietly
/// when the buffer is short, so the call is repeated with a larger one, up to this many times
/// the input.
const MAX_GROWTH: usize = 64;

type Translate = unsafe extern "C" fn(
    *const c_char,
    *const u8,
    *mut c_int,
    *mut u8,
    *mut c_int,
    *mut c_ushort,
    *mut c_char,
    *mut c_int,
    *mut c_int,
    *mut c_int,
    c_int,
) -> c_int;
type BackTranslate = unsafe extern "C" fn(
    *const c_char,
    *const u8,
    *mut c_int,
    *mut u8,
    *mut c_int,
    *mut c_ushort,
    *mut c_char,
    c_int,
) -> c_int;
type CharSize = unsafe extern "C" fn() -> c_int;
type Version = unsafe extern "C" fn() -> *const c_char;
type CheckTable = unsafe extern "C" fn(*const c_char) -> c_int;
type EmphClass = unsafe extern "C" fn(*const c_char, *const c_char) -> c_ushort;
type LogCallback = unsafe extern "C" fn(c_int, *const c_char);
type RegisterLog = unsafe extern "C" fn(Option<LogCallback>);
type SetLogLevel = unsafe extern "C" fn(c_int);

/// The loaded library: its functions, kept with the library that holds them.
pub struct Louis {
    translate: Translate,
    back_translate: BackTranslate,
    check_table: CheckTable,
    emph_class: EmphClass,
    /// Bytes per character: 2 (UTF-16) or 4 (UTF-32).
    char_size: usize,
    pub version: String,
    _library: Library,
}

/// Messages liblouis logged during the call in progress (a table it cannot read, say).
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

unsafe extern "C" fn log_message(_level: c_int, message: *const c_char) {
    if message.is_null() {
        return;
    }
    // SAFETY: liblouis passes a NUL-terminated message that lives for the call.
    let text = unsafe { CStr::from_ptr(message) }
        .to_string_lossy()
        .into_owned();
    if let Ok(mut log) = LOG.lock() {
        // A broken table can log a message per line; a few say what is wrong.
        if log.len() < 8 {
            log.push(text);
        }
    }
}

/// The library, loaded once per process, behind its lock; `Err` says why it could not be.
pub fn get() -> Result<MutexGuard<'static, Louis>, String> {
    static LOUIS: OnceLock<Result<Mutex<Louis>, String>> = OnceLock::new();
    let loaded = LOUIS.get_or_init(|| Louis::load().map(Mutex::new));
    match loaded {
        Ok(louis) => Ok(louis
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())),
        Err(why) => Err(why.clone()),
    }
}

/// A translation: the braille, and for each input character the index of the cell it begins
/// at (`positions[i]`), so a place in the text is a place in the braille.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub braille: Vec<char>,
    pub positions: Vec<usize>,
}

impl Louis {
    fn load() -> Result<Louis, String> {
        let mut last = String::new();
        for name in LIBRARY_NAMES {
            // SAFETY: loading liblouis runs no initialisation with requirements of ours.
            match unsafe { Library::new(*name) } {
                Ok(library) => return Louis::from_library(library),
                Err(error) => last = error.to_string(),
            }
        }
        Err(format!("liblouis is not installed ({last})"))
    }

    fn from_library(library: Library) -> Result<Louis, String> {
        // SAFETY: each symbol is looked up with the signature liblouis 3's liblouis.h gives it.
        unsafe {
            let symbol = |name: &str| format!("liblouis has no `{name}`: liblouis 3 is needed");
            let translate: Translate = *library
                .get::<Translate>(b"lou_translate\0")
                .map_err(|_| symbol("lou_translate"))?;
            let back_translate: BackTranslate = *library
                .get::<BackTranslate>(b"lou_backTranslateString\0")
                .map_err(|_| symbol("lou_backTranslateString"))?;
            let char_size: CharSize = *library
                .get::<CharSize>(b"lou_charSize\0")
                .map_err(|_| symbol("lou_charSize"))?;
            let version: Version = *library
                .get::<Version>(b"lou_version\0")
                .map_err(|_| symbol("lou_version"))?;
            let check_table: CheckTable = *library
                .get::<CheckTable>(b"lou_checkTable\0")
                .map_err(|_| symbol("lou_checkTable"))?;
            let emph_class: EmphClass = *library
                .get::<EmphClass>(b"lou_getTypeformForEmphClass\0")
                .map_err(|_| symbol("lou_getTypeformForEmphClass"))?;
            let register: RegisterLog = *library
                .get::<RegisterLog>(b"lou_registerLogCallback\0")
                .map_err(|_| symbol("lou_registerLogCallback"))?;
            let set_level: SetLogLevel = *library
                .get::<SetLogLevel>(b"lou_setLogLevel\0")
                .map_err(|_| symbol("lou_setLogLevel"))?;
            register(Some(log_message));
            set_level(LOG_ERROR);
            let char_size = match char_size() {
                2 => 2,
                4 => 4,
                other => return Err(format!("liblouis reports characters of {other} bytes")),
            };
            let version = version();
            let version = if version.is_null() {
                String::new()
            } else {
                CStr::from_ptr(version).to_string_lossy().into_owned()
            };
            Ok(Louis {
                translate,
                back_translate,
                check_table,
                emph_class,
                char_size,
                version,
                _library: library,
            })
        }
    }

    /// Whether liblouis can read the table list (`unicode.dis,en-ueb-g2.ctb`).
    pub fn has_table(&self, tables: &str) -> bool {
        let Ok(tables) = CString::new(tables) else {
            return false;
        };
        take_log();
        // SAFETY: a NUL-terminated table list; the function only reads it.
        let found = unsafe { (self.check_table)(tables.as_ptr()) } == 1;
        take_log();
        found
    }

    /// The typeform bit of an emphasis class (`italic`, `bold`, `transnote`) in a table; 0
    /// when the table has no such class.
    pub fn emphasis(&self, tables: &str, class: &str) -> u16 {
        let (Ok(tables), Ok(class)) = (CString::new(tables), CString::new(class)) else {
            return 0;
        };
        // SAFETY: both NUL-terminated; the function only reads them.
        unsafe { (self.emph_class)(tables.as_ptr(), class.as_ptr()) }
    }

    /// Translates `text` with a table list (a display table first, so the output is Unicode
    /// braille), each character with its typeform; characters the table does not define are
    /// left out when `drop_undefined`. `Err` carries what liblouis logged.
    pub fn translate(
        &self,
        tables: &str,
        text: &[char],
        typeform: &[u16],
        drop_undefined: bool,
    ) -> Result<Translation, String> {
        let tables = CString::new(tables).map_err(|_| "a table name holds NUL".to_string())?;
        let input = self.encode(text);
        let units = input.len() / self.char_size;
        // Positions are per unit; a character outside the BMP is two units in UTF-16.
        let mut unit_of_char = Vec::with_capacity(text.len());
        let mut unit_typeform = Vec::with_capacity(units);
        for (i, c) in text.iter().enumerate() {
            unit_of_char.push(unit_typeform.len());
            let form = typeform.get(i).copied().unwrap_or(0);
            for _ in 0..self.units(*c) {
                unit_typeform.push(form);
            }
        }
        if units == 0 {
            return Ok(Translation {
                braille: Vec::new(),
                positions: Vec::new(),
            });
        }
        let in_len = c_int::try_from(units).map_err(|_| "a block too long to translate")?;
        let mode = if drop_undefined { MODE_NO_UNDEFINED } else { 0 };
        let mut room = units * 4 + 16;
        loop {
            let mut output = vec![0u8; room * self.char_size];
            let mut inlen = in_len;
            let mut outlen = c_int::try_from(room).map_err(|_| "a block too long to translate")?;
            // liblouis writes the output's typeforms back into this array: it must be as
            // long as the output buffer, not the input.
            let mut forms = unit_typeform.clone();
            forms.resize(room.max(units), 0);
            let mut output_pos = vec![0 as c_int; units];
            take_log();
            // SAFETY: the buffers are as long as the lengths passed say (`inlen` units in,
            // `outlen` units out, one position per input unit, one typeform per input unit);
            // liblouis writes only within them and holds none of them after the call.
            let ok = unsafe {
                (self.translate)(
                    tables.as_ptr(),
                    input.as_ptr(),
                    &mut inlen,
                    output.as_mut_ptr(),
                    &mut outlen,
                    forms.as_mut_ptr(),
                    std::ptr::null_mut(),
                    output_pos.as_mut_ptr(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    mode,
                )
            };
            let log = take_log();
            if ok != 1 {
                return Err(if log.is_empty() {
                    "liblouis could not translate the text".into()
                } else {
                    log.join("; ")
                });
            }
            let (Ok(read), Ok(written)) = (usize::try_from(inlen), usize::try_from(outlen)) else {
                return Err("liblouis gave a negative length".into());
            };
            if read < units {
                if room >= units * MAX_GROWTH {
                    return Err("liblouis' translation of a block grew without end".into());
                }
                room *= 2;
                continue;
            }
            let braille = self.decode(&output[..written.min(room) * self.char_size]);
            let positions = unit_of_char
                .iter()
                .map(|&unit| {
                    usize::try_from(output_pos[unit])
                        .unwrap_or(0)
                        .min(braille.len())
                })
                .collect();
            return Ok(Translation { braille, positions });
        }
    }

    /// Back-translates Unicode braille to text with a table list.
    pub fn back_translate(&self, tables: &str, braille: &[char]) -> Result<String, String> {
        let tables = CString::new(tables).map_err(|_| "a table name holds NUL".to_string())?;
        let input = self.encode(braille);
        let units = input.len() / self.char_size;
        if units == 0 {
            return Ok(String::new());
        }
        let in_len = c_int::try_from(units).map_err(|_| "too long to back-translate")?;
        let mut room = units * 8 + 16;
        loop {
            let mut output = vec![0u8; room * self.char_size];
            let mut inlen = in_len;
            let mut outlen = c_int::try_from(room).map_err(|_| "too long to back-translate")?;
            take_log();
            // SAFETY: as for `translate`: buffers as long as the lengths passed.
            let ok = unsafe {
                (self.back_translate)(
                    tables.as_ptr(),
                    input.as_ptr(),
                    &mut inlen,
                    output.as_mut_ptr(),
                    &mut outlen,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    0,
                )
            };
            let log = take_log();
            if ok != 1 {
                return Err(log.join("; "));
            }
            let read = usize::try_from(inlen).unwrap_or(0);
            let written = usize::try_from(outlen).unwrap_or(0);
            if read < units && room < units * MAX_GROWTH {
                room *= 2;
                continue;
            }
            return Ok(self
                .decode(&output[..written.min(room) * self.char_size])
                .into_iter()
                .collect());
        }
    }

    /// How many units liblouis' character type takes for `c`.
    fn units(&self, c: char) -> usize {
        if self.char_size == 2 {
            c.len_utf16()
        } else {
            1
        }
    }

    fn encode(&self, text: &[char]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * self.char_size);
        for &c in text {
            if self.char_size == 4 {
                out.extend_from_slice(&u32::from(c).to_ne_bytes());
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.extend_from_slice(&unit.to_ne_bytes());
                }
            }
        }
        out
    }

    fn decode(&self, bytes: &[u8]) -> Vec<char> {
        if self.char_size == 4 {
            bytes
                .chunks_exact(4)
                .map(|b| {
                    char::from_u32(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                        .unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect()
        } else {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|b| u16::from_ne_bytes([b[0], b[1]]))
                .collect();
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
    }
}

/// Takes what liblouis logged since the last call.
fn take_log() -> Vec<String> {
    LOG.lock()
        .map(|mut log| std::mem::take(&mut *log))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// liblouis, or `None` (with a note) where it is not installed; CI installs it.
    fn louis() -> Option<MutexGuard<'static, Louis>> {
        match get() {
            Ok(louis) => Some(louis),
            Err(why) if std::env::var_os("CI").is_none() => {
                eprintln!("SKIPPED: {why}");
                None
            }
            Err(why) => panic!("{why} (CI installs liblouis)"),
        }
    }

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn translates_to_unicode_braille_and_back() {
        let Some(louis) = louis() else { return };
        let tables = "unicode.dis,en-ueb-g2.ctb";
        let text = chars("It was a very good day.");
        let out = louis.translate(tables, &text, &[], false).unwrap();
        let braille: String = out.braille.iter().collect();
        assert_eq!(braille, "⠠⠭⠀⠴⠀⠁⠀⠧⠀⠛⠙⠀⠐⠙⠲");
        // `very` (the 10th character) begins at the cell of its contraction.
        assert_eq!(out.positions[9], 7);
        assert_eq!(
            louis.back_translate(tables, &out.braille).unwrap(),
            "It was a very good day."
        );
    }

    #[test]
    fn emphasis_comes_from_the_table_and_a_long_block_is_whole() {
        let Some(louis) = louis() else { return };
        let tables = "unicode.dis,en-ueb-g2.ctb";
        let italic = louis.emphasis(tables, "italic");
        assert_ne!(italic, 0);
        let text = chars("a very good day");
        let mut forms = vec![0; text.len()];
        forms[2..6].fill(italic);
        let out = louis.translate(tables, &text, &forms, false).unwrap();
        assert_eq!(out.braille.iter().collect::<String>(), "⠁⠀⠨⠂⠧⠀⠛⠙⠀⠐⠙");
        // Far more output than the first buffer holds: numbers take a sign each.
        let long = chars(&"7 ".repeat(40_000));
        let out = louis.translate(tables, &long, &[], false).unwrap();
        assert_eq!(out.braille.iter().filter(|&&c| c == '⠛').count(), 40_000);
    }

    #[test]
    fn an_unknown_table_is_an_error_that_says_so() {
        let Some(louis) = louis() else { return };
        assert!(!louis.has_table("unicode.dis,xx-none.ctb"));
        let error = louis
            .translate("unicode.dis,xx-none.ctb", &chars("a"), &[], false)
            .unwrap_err();
        assert!(error.contains("xx-none"), "{error}");
    }
}
