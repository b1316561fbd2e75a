//! The morphological dictionary is 19 MB of the program's own read-only data. Loading it
//! checks a checksum over every byte, which brings every page into the process's memory,
//! where they would stay for good although a lookup reads only a few of them: the server's
//! resident memory grew by those 19 MB when the classifier started using the dictionary
//! (docs/PERFORMANCE-HISTORY.md). The pages are clean copies of the program file, so they
//! can be given back to the kernel; a later lookup reads the pages it needs again from the
//! page cache, with the same bytes.

/// Gives back the whole pages of `bytes`, which must be the program's read-only data.
#[cfg(target_os = "linux")]
pub(super) fn release(bytes: &'static [u8]) {
    // SAFETY: sysconf only reads a constant of the system.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let Ok(page) = usize::try_from(page) else {
        return;
    };
    if page == 0 {
        return;
    }
    // Only pages that lie wholly inside `bytes`: a page shared with other data is kept.
    let start = (bytes.as_ptr() as usize).div_ceil(page) * page;
    let end = (bytes.as_ptr() as usize + bytes.len()) / page * page;
    if end <= start {
        return;
    }
    // SAFETY: the range lies inside a `'static` immutable slice of the program's read-only
    // data (a private mapping of the program file, never written), so dropping its pages
    // changes no byte: the next read maps the same file contents back. Failure leaves the
    // pages where they are, which is only a missed saving.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
    }
}

/// Elsewhere the pages stay: a saving, not a rule.
#[cfg(not(target_os = "linux"))]
pub(super) fn release(_bytes: &'static [u8]) {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// Resident file-backed memory of this process, in kB.
    fn rss_file_kb() -> u64 {
        let s = std::fs::read_to_string("/proc/self/status").unwrap();
        s.lines()
            .find(|l| l.starts_with("RssFile:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap()
    }

    #[test]
    fn the_dictionary_pages_are_given_back_and_still_read_the_same() {
        let bytes = rumorph_dict_ru::DICTIONARY;
        // Touch every page, as the checksum does, and remember what they hold.
        let sum_before: u64 = bytes.iter().step_by(512).map(|&b| u64::from(b)).sum();
        let touched = rss_file_kb();
        super::release(bytes);
        let released = rss_file_kb();
        // Other threads of the test binary may map files meanwhile; the dictionary alone is
        // about 19 000 kB, so most of it must be gone.
        assert!(
            touched.saturating_sub(released) > 15_000,
            "resident file pages went from {touched} kB to {released} kB"
        );
        let sum_after: u64 = bytes.iter().step_by(512).map(|&b| u64::from(b)).sum();
        assert_eq!(sum_before, sum_after, "the bytes read back differ");
        // And the dictionary still reads words after the release.
        assert_eq!(
            super::super::tokens("газом")[0].lemmas,
            vec!["газ".to_string()]
        );
    }
}
