//! Files are written to a temporary sibling and renamed, so a reader (or a crash) never
//! sees a partial output. A path that is not a regular file (`/dev/null`, `/dev/stdout`, a
//! named pipe) is written in place, since renaming over it would replace the device or pipe
//! with a file; a symbolic link is followed, so the file it names is replaced, not the link.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The operating system's reason is part of the message, not a separate cause, so that it is
/// said once.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {cause}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    pub cause: std::io::Error,
}

/// A file written piece by piece that appears under its name only when committed; dropped
/// uncommitted (an error, an interrupted run), it leaves nothing behind.
pub struct AtomicFile {
    path: PathBuf,
    /// None when the path is written in place (a device or a pipe).
    tmp: Option<PathBuf>,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

/// Where a write to `path` really goes: the path itself, or the file a symbolic link names;
/// and whether that is a device or pipe to be written in place.
fn destination(path: &Path) -> (PathBuf, bool) {
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    let special = std::fs::metadata(&target)
        .map(|m| !m.is_file() && !m.is_dir())
        .unwrap_or(false);
    (target, special)
}

fn open_in_place(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open(path)
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self, WriteError> {
        let (target, special) = destination(path);
        if special {
            let file = open_in_place(&target).map_err(|cause| WriteError {
                path: path.to_path_buf(),
                cause,
            })?;
            return Ok(AtomicFile {
                path: target,
                tmp: None,
                file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
            });
        }
        let path = target.as_path();
        let tmp = temporary_sibling(path).map_err(|cause| WriteError {
            path: path.to_path_buf(),
            cause,
        })?;
        let file = std::fs::File::create(&tmp).map_err(|cause| WriteError {
            path: path.to_path_buf(),
            cause,
        })?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.write_all(bytes),
            None => Ok(()),
        }
    }

    pub fn commit(mut self) -> Result<(), WriteError> {
        let fail = |cause| WriteError {
            path: self.path.clone(),
            cause,
        };
        let file = self.file.take().expect("an uncommitted file");
        let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
        match &self.tmp {
            Some(tmp) => {
                file.sync_all().map_err(fail)?;
                std::fs::rename(tmp, &self.path).map_err(fail)
            }
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            if let Some(tmp) = &self.tmp {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

fn temporary_sibling(path: &Path) -> std::io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    // `-o out/plan.csv` in a fresh folder: the folder is made, as `--out DIR` makes its own.
    std::fs::create_dir_all(&dir)?;
    Ok(dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    )))
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |cause| WriteError {
        path: path.to_path_buf(),
        cause,
    };
    let (target, special) = destination(path);
    if special {
        return open_in_place(&target)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(fail);
    }
    let path = target.as_path();
    let tmp = temporary_sibling(path).map_err(fail)?;
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_files_appear_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("raw.csv");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write(b"a,b\n").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = AtomicFile::create(&path).unwrap();
        f.write(b"a,b\n1,2\n").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n1,2\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_whole_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.toml");
        write_atomic(&path, b"a = 1\n").unwrap();
        write_atomic(&path, b"a = 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a = 2\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A missing folder is made; a file where a folder should be is an error.
        write_atomic(&dir.path().join("new/out.toml"), b"x").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("new/out.toml")).unwrap(),
            b"x"
        );
        assert!(write_atomic(&path.join("out.toml"), b"x").is_err());
    }

    /// Regression: `roadmap generate -o /dev/null` renamed a file over /dev/null. A named pipe
    /// stands in for the device here: it must stay a pipe and receive the bytes.
    #[test]
    fn devices_and_pipes_are_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if !matches!(made, Ok(s) if s.success()) {
            eprintln!("mkfifo is not available; skipped");
            return;
        }
        for streamed in [false, true] {
            let reader = {
                let pipe = pipe.clone();
                std::thread::spawn(move || std::fs::read(pipe).unwrap())
            };
            if streamed {
                let mut f = AtomicFile::create(&pipe).unwrap();
                f.write(b"streamed").unwrap();
                f.commit().unwrap();
            } else {
                write_atomic(&pipe, b"whole").unwrap();
            }
            let got = reader.join().unwrap();
            assert_eq!(
                got,
                if streamed {
                    b"streamed".to_vec()
                } else {
                    b"whole".to_vec()
                }
            );
            let kind = std::fs::symlink_metadata(&pipe).unwrap().file_type();
            assert!(kind.is_fifo(), "the pipe was replaced");
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        }
    }

    #[test]
    fn a_symbolic_link_keeps_pointing_at_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }
}
