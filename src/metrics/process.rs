//! What `/proc/self` says about this process: resident memory and open file descriptors. Off
//! Linux (no `/proc`) every reading is `None` and the metrics are left out, not reported as 0.

/// A field of `/proc/self/status` in KiB (`VmRSS:`, `VmHWM:`), `None` where there is none.
pub fn status_kib(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// Resident memory, bytes.
pub fn rss_bytes() -> Option<u64> {
    status_kib("VmRSS:").map(|kib| kib * 1024)
}

/// Open file descriptors (sockets and database files included).
pub fn open_files() -> Option<u64> {
    // The directory listing holds one descriptor itself while it is read; it is not counted.
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    Some((entries.count() as u64).saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_linux_the_process_has_memory_and_open_files() {
        if !cfg!(target_os = "linux") {
            assert_eq!(rss_bytes(), None);
            return;
        }
        assert!(rss_bytes().is_some_and(|b| b > 1024 * 1024), "{:?}", rss_bytes());
        let before = open_files().expect("open files");
        let file = std::fs::File::open("/proc/self/status").expect("open");
        assert!(open_files().expect("open files") > before);
        drop(file);
    }
}
