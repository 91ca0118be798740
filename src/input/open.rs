//! Opening an input: decompressed (gzip, zstd) and typed (JSONL or text)
//! by its first bytes and its name, and read a line at a time within a
//! byte limit; standard input polled so that a filter does not block.

use super::walk::special_kind;
use super::InputFile;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// What a file holds, decided by its first bytes and its name.
pub(super) enum Kind {
    Jsonl,
    Text,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
/// The UTF-8 byte order mark, accepted (and dropped) at the start of a file
/// or of standard input.
pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

/// A file name without its compression suffix (`.gz`, `.zst`).
pub(super) fn inner_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for suffix in [".gz", ".zst"] {
        if let Some(inner) = name.strip_suffix(suffix) {
            return inner.to_string();
        }
    }
    name
}

/// The extension of a file name without its compression suffix.
fn inner_extension(path: &Path) -> Option<String> {
    Path::new(&inner_name(path))
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Opens a file, decompressed if it is gzip or zstd data, and types it:
/// JSONL when its first non-blank byte is `{` or its name says so, text
/// when its name ends in `.txt` or it was named on the command line.
/// An error is a reason, with whether the file is merely skipped: a file
/// found in a directory that is neither JSONL nor `.txt`.
pub(super) fn open_typed(f: &InputFile) -> Result<(Kind, Box<dyn BufRead + Send>), (String, bool)> {
    let cannot = |e: std::io::Error| (format!("cannot read the file: {e}"), false);
    // A FIFO, socket or device found in a directory is never opened (a
    // FIFO would block the run). One named on the command line is read:
    // `tally extract <(zcat docs.gz)` names a pipe.
    if f.root.is_some() {
        if let Ok(m) = std::fs::metadata(&f.path) {
            if !m.is_file() {
                return Err((
                    format!(
                        "skipped: {} is not a regular file",
                        special_kind(m.file_type())
                    ),
                    true,
                ));
            }
        }
    }
    let file = File::open(&f.path).map_err(|e| (format!("cannot open the file: {e}"), false))?;
    let mut raw = BufReader::new(file);
    let head = raw.fill_buf().map_err(cannot)?;
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut reader: Box<dyn BufRead + Send> = if head.starts_with(GZIP_MAGIC) {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(raw)))
    } else if head.starts_with(ZSTD_MAGIC) {
        Box::new(BufReader::new(
            zstd::stream::read::Decoder::with_buffer(raw).map_err(cannot)?,
        ))
    } else if name.ends_with(".gz") {
        return Err(("named .gz but not gzip data".into(), false));
    } else if name.ends_with(".zst") {
        return Err(("named .zst but not zstd data".into(), false));
    } else {
        Box::new(raw)
    };
    // A UTF-8 byte order mark at the start is dropped.
    if reader.fill_buf().map_err(cannot)?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    // The first non-blank byte; the blank bytes before it are kept, so that
    // line numbers stay true.
    let mut prefix = Vec::new();
    let first = loop {
        let buf = reader.fill_buf().map_err(cannot)?;
        if buf.is_empty() {
            break None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                prefix.extend_from_slice(&buf[..i]);
                reader.consume(i);
                break Some(b);
            }
            None => {
                let n = buf.len();
                prefix.extend_from_slice(buf);
                reader.consume(n);
            }
        }
    };
    let reader: Box<dyn BufRead + Send> =
        Box::new(BufReader::new(std::io::Cursor::new(prefix).chain(reader)));
    let ext = inner_extension(&f.path);
    let kind = if first == Some(b'{') || matches!(ext.as_deref(), Some("jsonl" | "ndjson")) {
        Kind::Jsonl
    } else if ext.as_deref() == Some("txt") || f.root.is_none() {
        Kind::Text
    } else {
        return Err((
            "skipped: not a document (neither a .txt file nor JSONL, whose first \
             non-blank character is '{')"
                .into(),
            true,
        ));
    };
    Ok((kind, reader))
}

/// The reader of a JSONL source: standard input, or a file.
pub(super) enum LineReader {
    Stdin(BufReader<std::io::Stdin>),
    File(Box<dyn BufRead + Send>),
}

/// What [`LineReader::read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineRead {
    /// Bytes of the input consumed, newline included; 0 at the end.
    pub(super) consumed: usize,
    /// Bytes of the line, its newline not included.
    pub(super) len: usize,
    /// The line was longer than the limit: only its first `limit` bytes are
    /// in the buffer, the rest was read and dropped.
    pub(super) over: bool,
}

impl LineReader {
    /// Reads one line into `buf`, keeping at most `limit` bytes of it (the
    /// rest of a longer line is consumed and dropped, so that one huge line
    /// never takes more memory than the limit). On standard input, waits for
    /// data in short polls: after SIGINT or SIGTERM ([`crate::signals`]) it
    /// stops waiting and reads nothing more (returns 0, as at the end).
    pub(super) fn read_line(
        &mut self,
        buf: &mut Vec<u8>,
        limit: usize,
    ) -> std::io::Result<LineRead> {
        let mut read = LineRead {
            consumed: 0,
            len: 0,
            over: false,
        };
        loop {
            let avail = match self {
                LineReader::Stdin(r) => {
                    if r.buffer().is_empty() {
                        while !stdin_wait(200) {
                            if crate::signals::received().is_some() {
                                return Ok(LineRead {
                                    consumed: 0,
                                    len: 0,
                                    over: false,
                                });
                            }
                        }
                    }
                    r.fill_buf()
                }
                LineReader::File(r) => r.fill_buf(),
            };
            let avail = match avail {
                Ok(a) => a,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(read);
            }
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let room = limit.saturating_sub(buf.len());
            buf.extend_from_slice(&avail[..take.min(room)]);
            read.over |= take > room;
            read.consumed += take;
            read.len += take - usize::from(done);
            match self {
                LineReader::Stdin(r) => r.consume(take),
                LineReader::File(r) => r.consume(take),
            }
            if done {
                return Ok(read);
            }
        }
    }

    /// Whether the next line would make the reader wait: standard input
    /// with no whole line buffered and nothing ready to read. A file never
    /// waits.
    pub(super) fn idle(&self) -> bool {
        match self {
            LineReader::Stdin(r) => !r.buffer().contains(&b'\n') && !stdin_ready(),
            LineReader::File(_) => false,
        }
    }
}

/// Whether standard input has data (or its end) ready to read now.
#[cfg(unix)]
fn stdin_ready() -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no waiting.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    // On error, say ready: the reader then waits as it would anyway.
    n != 0
}

#[cfg(not(unix))]
fn stdin_ready() -> bool {
    true
}

/// Waits up to `ms` milliseconds for standard input to have data (or its
/// end) ready; false when it has none yet, or a signal came.
#[cfg(unix)]
fn stdin_wait(ms: i32) -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    if n < 0 {
        // Interrupted by a signal: look at the flag again. Any other error:
        // let the read itself report it.
        return std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted;
    }
    n > 0
}

#[cfg(not(unix))]
fn stdin_wait(_ms: i32) -> bool {
    true
}
