//! The allocator's settings, for the programs that make mimalloc the global allocator (`inkfold`
//! and `mdbook-inkfold`): nothing in, mimalloc's options set out.

/// mimalloc's `purge_delay` option (its number in `mi_option_e`, the same in mimalloc 2 and 3):
/// how long memory freed stays committed before it is given back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long memory freed stays committed, in milliseconds: mimalloc 2's default, not mimalloc
/// 3's second. A build lets go of the word caches and of each edition's pages as they are
/// drawn, and with a second that room stayed resident through the drawing. Measured on the
/// generated 1 000-page book (five builds each, interleaved): at 1 000 ms a median of 0.63 s
/// and a peak of 115 MB; at 50 ms 0.66 s and 102 MB; at 10 ms 0.65 s and 99 MB; at 0 ms (given
/// back at once) 0.69 s and 97 MB, the time of the system calls showing.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Sets mimalloc's options for a build (see [`PURGE_DELAY_MS`]).
pub fn tune() {
    // SAFETY: sets an option mimalloc reads each time it would purge; any value is valid, and
    // without mimalloc as the global allocator it only sets an unused allocator's option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}
