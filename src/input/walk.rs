//! The command line's inputs as files: directories walked recursively, in
//! sorted order, each directory once.

use super::InputFile;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Expands the command line's inputs into files, in order: a directory
/// becomes every file under it, recursively, sorted (which of them are
/// documents is decided when each is read). A missing input or an
/// unreadable directory becomes a file with a [`InputFile::problem`], so
/// that it is reported in its place and the rest is still read. Symbolic
/// links are followed, but no directory is read twice (directories are
/// told apart by device and inode), so that a link loop ends.
pub fn expand(inputs: &[PathBuf]) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut visited = HashSet::new();
    for p in inputs {
        let file = |problem: Option<String>| InputFile {
            path: p.clone(),
            root: None,
            problem: problem.map(|r| (r, false)),
        };
        if p.as_os_str() == "-" {
            out.push(file(None));
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                if let Some(key) = dir_key(&m) {
                    visited.insert(key);
                }
                walk(p, &mut visited, &mut found);
                found.sort();
                out.extend(found.into_iter().map(|(path, problem)| InputFile {
                    path,
                    root: Some(p.clone()),
                    problem,
                }));
            }
            Ok(_) => out.push(file(None)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(file(Some("no such file or directory".into())))
            }
            Err(e) => out.push(file(Some(format!("cannot read: {e}")))),
        }
    }
    out
}

/// A directory's identity: its device and inode.
#[cfg(unix)]
fn dir_key(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(_m: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Files found in a directory, each with the problem that keeps it from
/// being read, if any.
type Found = Vec<(PathBuf, Option<(String, bool)>)>;

/// Collects the files under `dir`, with symbolic links followed.
fn walk(dir: &Path, visited: &mut HashSet<(u64, u64)>, out: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push((
                dir.to_path_buf(),
                Some((format!("cannot read the directory: {e}"), false)),
            ));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                out.push((
                    dir.to_path_buf(),
                    Some((format!("cannot read the directory: {e}"), false)),
                ));
                return;
            }
        };
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => match dir_key(&m) {
                Some(key) if !visited.insert(key) => out.push((
                    path,
                    Some((
                        "skipped: a directory already read (a symbolic link loop \
                         or a second link to it)"
                            .into(),
                        true,
                    )),
                )),
                _ => walk(&path, visited, out),
            },
            // Deeper than the longest path the system takes (PATH_MAX):
            // reported, not walked.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidFilename => out.push((
                path,
                Some((
                    format!("cannot read: the path is longer than the system allows ({e})"),
                    false,
                )),
            )),
            // Files, and what cannot be looked at (a broken link): opening
            // them says what they are.
            _ => out.push((path, None)),
        }
    }
}

/// What a file that is not a regular file is, for messages.
pub(super) fn special_kind(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a regular file"
}
