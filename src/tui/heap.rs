//! glibc's malloc, set for a long-lived app with one user. By default every
//! thread that allocates gets an arena of its own (up to 8 per core), and
//! memory freed into an arena stays with the process: the start-up reads
//! 10,000 cached items on SQLite's worker threads and the runtime's, and the
//! arenas those threads touched kept about 57 MB of freed memory resident
//! for the life of the app (`cargo bench --bench memory`). Elsewhere (musl,
//! macOS) nothing here applies and both functions do nothing.

/// Allocations at least this large get pages of their own from the kernel,
/// which go back the moment they are freed: the cached lists cross from
/// SQLite as one JSON text of several megabytes.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const OWN_PAGES_FROM: libc::c_int = 128 * 1024;

/// Call first thing, before any thread is started: one arena for every
/// thread (the app's threads mostly wait; they never contend for long),
/// and a fixed threshold for large allocations (glibc otherwise raises it
/// each time such a block is freed, until the big texts of the next list
/// load land in the arena and stay).
pub fn tune_for_app() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets malloc's parameters; called before any
    // other thread exists, so no allocation runs meanwhile.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, OWN_PAGES_FROM);
        libc::mallopt(libc::M_TRIM_THRESHOLD, OWN_PAGES_FROM);
    }
}

/// Returns the pages of freed memory to the kernel: after a whole list
/// replaced the one the app held, the old one's memory is free but still
/// resident between the blocks that live on.
pub fn give_back_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes malloc's own locks; it is safe to call at
    // any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
