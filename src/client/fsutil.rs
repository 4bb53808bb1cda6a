//! Private files on shared servers: dirs 0700, files 0600, written whole.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `dir` (and parents) as 0700; tightens it to 0700 if it exists.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let meta = fs::metadata(dir)?;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Writes `bytes` to `path` as a 0600 file, replacing it atomically so a
/// crash leaves the old file or the new one, never half of one. The
/// temporary file's name is the whole name plus this process and a suffix
/// of ours, so no file of the user's (`form.tmp` beside `form.xlsx`) is
/// ever touched.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.dutydesk-tmp", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    // Only a crashed run of a process with this pid left one: ours.
    let _ = fs::remove_file(&tmp);
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)
}

/// Creates an empty 0600 file if there is none (before SQLite opens it, so
/// it is never world-readable even for an instant).
pub fn touch_private(path: &Path) -> std::io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The uid this process runs as. `/proc/self` belongs to it; where there is
/// no procfs the ownership check is skipped (`None`).
pub fn current_uid() -> Option<u32> {
    fs::metadata("/proc/self").ok().map(|m| m.uid())
}
