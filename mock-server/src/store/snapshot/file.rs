//! The state file: a whole-server snapshot on disk, written so that a crash at any instant —
//! `kill -9` mid-write included — leaves either the previous complete file or the new one.
//!
//! A save writes `FILE.tmp-<pid>` (owner-only permissions on Unix: it holds tokens and
//! personal data), flushes it to disk, renames it over `FILE` (atomic on POSIX file systems)
//! and flushes the directory so the rename itself survives a power cut. A killed save leaves
//! at most a stray temp file, which is never read as the state; the next load removes it.

use super::Snapshot;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a state file could not be read or written. The message names the file and the reason.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    #[error("cannot read state file {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("state file {} is not a usable snapshot: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("cannot write state file {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// What a save wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    pub accounts: usize,
    pub bytes: u64,
}

/// Writes `snapshot` to `path` atomically (see the module doc); returns the bytes written.
/// Two saves to one path must not overlap (they share the temp file): use
/// [`crate::store::Registry::save_to`], which takes turns.
pub fn save_atomically(path: &Path, snapshot: &Snapshot) -> Result<u64, StateFileError> {
    let failed = |source| StateFileError::Write {
        path: path.to_owned(),
        source,
    };
    let temp = temp_path(path).ok_or_else(|| failed(io::ErrorKind::InvalidInput.into()))?;
    match write_then_rename(&temp, path, snapshot) {
        Ok(bytes) => Ok(bytes),
        Err(source) => {
            let _ = fs::remove_file(&temp);
            Err(failed(source))
        }
    }
}

/// Streams the JSON into the temp file (no second copy of a large state in memory), makes it
/// durable, then renames it into place.
fn write_then_rename(temp: &Path, path: &Path, snapshot: &Snapshot) -> io::Result<u64> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(temp)?;
    let mut writer = io::BufWriter::with_capacity(1 << 16, file);
    serde_json::to_writer_pretty(&mut writer, snapshot).map_err(io::Error::other)?;
    writer.write_all(b"\n")?;
    let file = writer
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    drop(file);
    fs::rename(temp, path)?;
    // Where directories cannot be opened or synced (not Unix), the rename stands unsynced.
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(bytes)
}

/// `FILE.tmp-<pid>` beside `FILE`.
fn temp_path(path: &Path) -> Option<PathBuf> {
    let mut name = path.file_name()?.to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    Some(path.with_file_name(name))
}

/// Reads the state file. `Ok(None)` when there is none yet (a fresh server; the first save
/// creates it); an error for anything unreadable, not JSON, of a missing or other format
/// version, or with unknown fields. Temp files of killed saves (`FILE.tmp-<pid>`) are removed.
pub fn load(path: &Path) -> Result<Option<Snapshot>, StateFileError> {
    remove_stale_temps(path);
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateFileError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    Snapshot::parse(&bytes)
        .map(Some)
        .map_err(|reason| StateFileError::Invalid {
            path: path.to_owned(),
            reason,
        })
}

fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let is_temp = file_name
            .strip_prefix(&prefix)
            .is_some_and(|pid| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()));
        if is_temp {
            let _ = fs::remove_file(entry.path());
        }
    }
}
