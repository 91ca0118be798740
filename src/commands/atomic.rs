//! Output files written atomically: under a temporary name, renamed over
//! the real one when the run is done.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output file written atomically: under a temporary name in the same
/// directory, renamed over the real name by [`AtomicOutput::commit`]. Until
/// then an existing file keeps its old bytes; dropped without a commit
/// (a run that failed), the temporary file is removed. A destination that
/// exists and is not a regular file (`/dev/null`, a FIFO) is written
/// directly.
pub(crate) struct AtomicOutput {
    pub(crate) path: PathBuf,
    /// The temporary file; `None` when writing `path` directly.
    pub(crate) tmp: Option<PathBuf>,
    file: BufWriter<std::fs::File>,
}

impl AtomicOutput {
    pub(crate) fn create(path: &Path) -> Result<Self> {
        let cannot = |e: std::io::Error| anyhow::anyhow!("cannot create {}: {e}", path.display());
        let existing = std::fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(cannot)?;
            return Ok(AtomicOutput {
                path: path.to_path_buf(),
                tmp: None,
                file: BufWriter::new(file),
            });
        }
        let name = path
            .file_name()
            .ok_or_else(|| anyhow::anyhow!("cannot create {}: not a file name", path.display()))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tally-{}.tmp", std::process::id()));
        let tmp = path.with_file_name(tmp_name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(cannot)?;
        if let Some(m) = existing {
            // The new file keeps the old one's permissions.
            let _ = std::fs::set_permissions(&tmp, m.permissions());
        }
        Ok(AtomicOutput {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: BufWriter::new(file),
        })
    }

    /// Flushes the file and gives it its real name.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.file
            .flush()
            .with_context(|| format!("writing {}", self.path.display()))?;
        if let Some(tmp) = self.tmp.take() {
            std::fs::rename(&tmp, &self.path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                anyhow::anyhow!(
                    "cannot rename {} to {}: {e}",
                    tmp.display(),
                    self.path.display()
                )
            })?;
        }
        Ok(())
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicOutput {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A path as the file system resolves it: canonical when it exists, else
/// its canonical directory joined with its name.
pub(crate) fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), p.file_name()) {
        (Ok(d), Some(n)) => d.join(n),
        _ => p.to_path_buf(),
    }
}
