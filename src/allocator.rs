//! The allocator of every program built from this crate (`dealbook`, its
//! tests and benchmarks, so a benchmark measures what users run).
//!
//! mimalloc: the build allocates many small strings on every core, where
//! the system allocator spent a third of the time (contention between
//! threads, consolidation). Fuzzing (`cargo fuzz` sets `cfg(fuzzing)`)
//! keeps the system allocator, which the address sanitizer watches.

#[cfg(not(fuzzing))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3: the option before
/// `mi_option_use_numa_nodes`, 16).
#[cfg(not(fuzzing))]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's options; call first thing in `main`.
///
/// mimalloc gives freed memory back to the system after 10 ms and faults
/// it in again, zeroed, when it is needed: loading 10,000 projects spent
/// 40 % of its time in the kernel clearing pages. A second still gives
/// memory back when `serve` sits idle.
pub fn tune() {
    #[cfg(not(fuzzing))]
    {
        // SAFETY: setting an option is allowed at any time; the value is
        // one mimalloc documents (milliseconds).
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) };
    }
}
