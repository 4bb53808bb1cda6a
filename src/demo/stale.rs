//! Temp dirs of demos that were killed (SIGKILL, a crash) before they could
//! remove them: each holds a server database and a token. A demo marks its
//! dir with its process id and start time; the next demo removes the dirs
//! that this user owns, that carry the mark, and whose process is gone.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub const PREFIX: &str = "dutydesk-demo-";
const MARK: &str = "dutydesk-demo.owner";

/// Writes the mark: "pid start-time" of this process.
pub fn mark(root: &Path) -> std::io::Result<()> {
    let me = std::process::id();
    let started = start_time(me).unwrap_or_default();
    crate::client::fsutil::write_private(&root.join(MARK), format!("{me} {started}\n").as_bytes())
}

/// Removes the stale demo dirs in `temp` (best effort: one that cannot be
/// removed stays for the OS to clean).
pub fn sweep(temp: &Path) {
    let Some(uid) = crate::client::fsutil::current_uid() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(PREFIX)
            // Not following a link: only a real dir of this user's.
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == uid);
        if ours && is_abandoned(&path, uid) {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => tracing::info!(dir = %path.display(), "removed a killed demo's temp dir"),
                Err(e) => tracing::warn!(dir = %path.display(), error = %e, "stale demo dir not removed"),
            }
        }
    }
}

/// The dir carries a mark of ours whose process no longer runs (or runs
/// with another start time: the id was reused).
fn is_abandoned(dir: &Path, uid: u32) -> bool {
    let mark = dir.join(MARK);
    let Ok(meta) = std::fs::symlink_metadata(&mark) else {
        return false;
    };
    if !meta.is_file() || meta.uid() != uid {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(&mark) else {
        return false;
    };
    let mut words = text.split_whitespace();
    let Some(pid) = words.next().and_then(|w| w.parse::<u32>().ok()) else {
        return false;
    };
    let marked_start = words.next().unwrap_or("");
    match start_time(pid) {
        None => true,
        Some(now) => now != marked_start,
    }
}

/// A process's start time (field 22 of /proc/PID/stat, in clock ticks
/// since boot); `None` when no such process runs.
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Fields 3.. follow; the start time is field 22, the 20th of these.
    after_name.split_whitespace().nth(19).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_start_time_and_a_finished_one_none() {
        assert!(start_time(std::process::id()).is_some());
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert_eq!(start_time(pid), None);
    }
}
