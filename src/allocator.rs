//! The allocator's settings, for the programs that make mimalloc the global allocator (`inkfold`
//! and `mdbook-inkfold`): nothing in, mimalloc's options set out.

/// mimalloc's `purge_delay` option (its number in `mi_option_e`, the same in mimalloc 2 and 3):
/// how long memory freed stays committed before it is given back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is given back to the system at once, not after mimalloc 3's default of a
/// second: a build lets go of the word caches and of each edition's pages as they are drawn,
/// and with the default that room stayed resident through the drawing. With it, the real book
/// of `bench/compare.sh` (1 171 pages) peaks at 100 MB instead of 130, the generated 1 000-page
/// book at 96 MB instead of 112, `--profile all` of the real book at 245–253 MB instead of
/// 280–298, and no build was slower by more than this machine's noise (five builds each).
pub fn give_back_freed_memory_at_once() {
    // SAFETY: sets an option mimalloc reads each time it would purge; any value is valid, and
    // without mimalloc as the global allocator it only sets an unused allocator's option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}
