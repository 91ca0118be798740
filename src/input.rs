//! Reading documents: `.txt` files, directories, JSONL files and standard
//! input, as a lazy stream in input order. Bad input never stops the stream:
//! it becomes an [`InputError`] naming the file, the line and the reason.

use crate::doc::Doc;
use crate::format;
use serde_json::value::RawValue;
use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Where a document or an error came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file's path, or "-" for standard input.
    pub file: String,
    /// 1-based line of a JSONL record.
    pub line: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}", self.file, l),
            None => f.write_str(&self.file),
        }
    }
}

/// A document that could not be read.
#[derive(Debug, Clone)]
pub struct InputError {
    pub origin: Origin,
    /// The document's id, when it could be read, as its JSON text exactly
    /// as written (a number id keeps its type and digits).
    pub id: Option<Box<RawValue>>,
    pub reason: String,
    /// A file found in a directory that is not a document: reported, but
    /// not a failed document.
    pub skipped: bool,
}

impl PartialEq for InputError {
    fn eq(&self, other: &Self) -> bool {
        self.origin == other.origin
            && self.id.as_ref().map(|i| i.get()) == other.id.as_ref().map(|i| i.get())
            && self.reason == other.reason
            && self.skipped == other.skipped
    }
}

impl Eq for InputError {}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{}: document {}: {}", self.origin, id.get(), self.reason),
            None => write!(f, "{}: {}", self.origin, self.reason),
        }
    }
}

impl InputError {
    /// An error about `file` (and its `line`, if known).
    pub fn new(
        file: String,
        line: Option<usize>,
        id: Option<serde_json::Value>,
        reason: String,
    ) -> Self {
        InputError {
            origin: Origin { file, line },
            id: id.as_ref().map(raw_json),
            reason,
            skipped: false,
        }
    }

    /// The error record written with `--errors`, as a JSON value (an id
    /// beyond what a JSON value holds comes back as the string of its
    /// text; [`InputError::record_line`] keeps it exactly).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.record_line()).unwrap_or_else(|_| {
            let mut v = serde_json::json!({
                "file": self.origin.file,
                "line": self.origin.line,
                "id": self.id.as_ref().map(|id| id.get()),
                "error": self.reason,
            });
            if self.skipped {
                v["skipped"] = serde_json::Value::Bool(true);
            }
            v
        })
    }

    /// The error record written with `--errors`, one line of JSON (no
    /// newline): `{"file", "line", "id", "error"}` and `"skipped": true`
    /// for a file that is not a document; the id exactly as written.
    pub fn record_line(&self) -> String {
        #[derive(serde::Serialize)]
        struct Record<'a> {
            file: &'a str,
            line: Option<usize>,
            id: Option<&'a RawValue>,
            error: &'a str,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            skipped: bool,
        }
        serde_json::to_string(&Record {
            file: &self.origin.file,
            line: self.origin.line,
            id: self.id.as_deref(),
            error: &self.reason,
            skipped: self.skipped,
        })
        .expect("an error record serialises")
    }
}

/// One item of the input stream.
pub type Item = Result<(Doc, Origin), InputError>;

/// A file to read, with the directory of the command line it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The file's path, or "-" for standard input.
    pub path: PathBuf,
    /// The directory named on the command line that holds the file; `None`
    /// for a file named on the command line itself.
    pub root: Option<PathBuf>,
    /// Why the file is not read at all, with whether it is merely skipped
    /// (not a failed document): a missing file, an unreadable directory, a
    /// directory reached a second time through a symbolic link.
    pub problem: Option<(String, bool)>,
}

impl InputFile {
    fn is_stdin(&self) -> bool {
        self.root.is_none() && self.path.as_os_str() == "-"
    }

    fn origin(&self, line: Option<usize>) -> Origin {
        Origin {
            file: self.path.display().to_string(),
            line,
        }
    }
}

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
            // Files, and what cannot be looked at (a broken link): opening
            // them says what they are.
            _ => out.push((path, None)),
        }
    }
}

/// What a file that is not a regular file is, for messages.
fn special_kind(t: std::fs::FileType) -> &'static str {
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

/// What a file holds, decided by its first bytes and its name.
enum Kind {
    Jsonl,
    Text,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];
/// The UTF-8 byte order mark, accepted (and dropped) at the start of a file
/// or of standard input.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A file name without its compression suffix (`.gz`, `.zst`).
fn inner_name(path: &Path) -> String {
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
fn open_typed(f: &InputFile) -> Result<(Kind, Box<dyn BufRead + Send>), (String, bool)> {
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
enum LineReader {
    Stdin(BufReader<std::io::Stdin>),
    File(Box<dyn BufRead + Send>),
}

/// What [`LineReader::read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineRead {
    /// Bytes of the input consumed, newline included; 0 at the end.
    consumed: usize,
    /// Bytes of the line, its newline not included.
    len: usize,
    /// The line was longer than the limit: only its first `limit` bytes are
    /// in the buffer, the rest was read and dropped.
    over: bool,
}

impl LineReader {
    /// Reads one line into `buf`, keeping at most `limit` bytes of it (the
    /// rest of a longer line is consumed and dropped, so that one huge line
    /// never takes more memory than the limit). On standard input, waits for
    /// data in short polls: after SIGINT or SIGTERM ([`crate::signals`]) it
    /// stops waiting and reads nothing more (returns 0, as at the end).
    fn read_line(&mut self, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<LineRead> {
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
    fn idle(&self) -> bool {
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

enum Source {
    Lines {
        file: String,
        reader: LineReader,
        line: usize,
    },
    Done,
}

/// The documents of a list of files, read lazily, with duplicate ids
/// reported as errors.
pub struct Documents {
    files: std::vec::IntoIter<InputFile>,
    current: Source,
    /// The ids seen so far, as JSON text: `7` and `"7"` are different ids.
    seen: HashSet<String>,
    /// Whether a record with a field tally writes (`entities`, …) has been
    /// reported: once per run.
    warned_written: bool,
    /// The largest document read, in bytes ([`Documents::max_doc_bytes`]).
    max_doc_bytes: usize,
}

/// The largest document read by default: 10 MB, about 1.5 million words,
/// which the pipeline processes in about 1.2 GB of memory.
pub const DEFAULT_MAX_DOC_BYTES: usize = 10_000_000;

/// The reason given for a document over the limit.
fn too_big(bytes: Option<usize>, limit: usize) -> String {
    let size = bytes.map_or_else(String::new, |b| format!("{b} bytes, "));
    format!(
        "the document is {size}more than --max-doc-bytes {limit}: not read \
         (split it, or raise the limit)"
    )
}

impl Documents {
    pub fn new(files: Vec<InputFile>) -> Self {
        Documents {
            files: files.into_iter(),
            current: Source::Done,
            seen: HashSet::new(),
            warned_written: false,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }

    /// Documents over `bytes` (a JSONL line, or a text file) are not read
    /// into memory: each is reported as an error and the run goes on.
    pub fn max_doc_bytes(mut self, bytes: usize) -> Self {
        self.max_doc_bytes = bytes;
        self
    }

    /// Whether the next document would make the reader wait for its input
    /// (standard input with nothing ready): the documents read so far
    /// should be processed and written first.
    pub fn idle(&self) -> bool {
        matches!(&self.current, Source::Lines { reader, .. } if reader.idle())
    }

    /// Warns, once, that an input record has a field tally writes itself
    /// (`setting`, `entities`, `counts`): its value is replaced in the
    /// output, as when tally's own output or a gold file is run again.
    fn warn_written_fields(&mut self, item: &Item) {
        let Ok((doc, origin)) = item else { return };
        if self.warned_written {
            return;
        }
        if let Some((k, _)) = doc
            .extra
            .iter()
            .find(|(k, _)| format::WRITTEN_FIELDS.contains(&k.as_str()))
        {
            self.warned_written = true;
            crate::report::warn(&format!(
                "{origin}: the record has a field {k:?}, which tally writes: its value is \
                 replaced in the output (said once; rename the field to keep it)"
            ));
        }
    }

    fn check_unique(&mut self, item: Item) -> Item {
        let (doc, origin) = item?;
        if !self.seen.insert(doc.id_json_text()) {
            return Err(InputError {
                origin,
                id: Some(id_raw(&doc)),
                reason: "duplicate id: an earlier document has the same id".into(),
                skipped: false,
            });
        }
        Ok((doc, origin))
    }
}

/// The id of a text file: its path from the directory it was found in,
/// without extension (nor compression suffix), with `/` between folders; a
/// file named on the command line: its file name without extension.
pub fn text_id(f: &InputFile) -> String {
    let rel = id_path(f);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        let inner = inner_name(Path::new(last.as_str()));
        *last = Path::new(&inner)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(inner);
    }
    parts.join("/")
}

/// The part of a text file's path its id is made of.
fn id_path(f: &InputFile) -> &Path {
    f.root
        .as_ref()
        .and_then(|r| f.path.strip_prefix(r).ok())
        .unwrap_or_else(|| Path::new(f.path.file_name().unwrap_or_default()))
}

/// Reads a text document from `reader`: the whole of it, which must be
/// UTF-8 text.
fn read_text(f: &InputFile, reader: impl Read, limit: usize) -> Item {
    let origin = f.origin(None);
    let err = |id: Option<String>, reason: String| InputError {
        origin: origin.clone(),
        id: id.map(|id| raw_json(&serde_json::Value::String(id))),
        reason,
        skipped: false,
    };
    let id = text_id(f);
    if id_path(f).to_str().is_none() {
        // A lossy id could collide with another file's: refuse it.
        return Err(err(
            None,
            format!(
                "the file name is not UTF-8 (shown as {id:?}): it cannot be a document id; \
                 rename the file"
            ),
        ));
    }
    let mut bytes = Vec::new();
    let mut reader = reader.take(limit as u64 + 1);
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| err(Some(id.clone()), format!("cannot read the file: {e}")))?;
    if bytes.len() > limit {
        return Err(err(Some(id), too_big(None, limit)));
    }
    if bytes.contains(&0) {
        return Err(err(
            Some(id),
            "binary file (it holds NUL bytes): not a text document".into(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        err(
            Some(id.clone()),
            format!(
                "invalid UTF-8 at byte {}: documents must be UTF-8 text",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if id.is_empty() {
        return Err(err(None, "the file name gives no id".into()));
    }
    if text.trim().is_empty() {
        return Err(err(Some(id), "empty text".into()));
    }
    Ok((Doc::new(id, text), origin))
}

/// Reads one text file named on the command line as a document whose id is
/// the file's stem.
pub fn read_text_file(path: &Path) -> Item {
    let f = InputFile {
        path: path.to_path_buf(),
        root: None,
        problem: None,
    };
    match open_typed(&f) {
        Ok((_, reader)) => read_text(&f, reader, usize::MAX - 1),
        Err((reason, skipped)) => Err(InputError {
            origin: f.origin(None),
            id: None,
            reason,
            skipped,
        }),
    }
}

/// A JSON value as raw JSON text.
fn raw_json(v: &serde_json::Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string()).expect("a value's text is JSON")
}

/// A document's id as raw JSON text, exactly as it was written.
fn id_raw(doc: &Doc) -> Box<RawValue> {
    RawValue::from_string(doc.id_json_text()).expect("an id's text is JSON")
}

/// The id of a JSONL record that could not be read as a document, when
/// the line is a JSON object with a usable `"id"`, to name it in the error.
fn id_hint(line: &str) -> Option<Box<RawValue>> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<Box<RawValue>>,
    }
    if !line.starts_with('{') {
        return None;
    }
    let id = serde_json::from_str::<IdOnly>(line).ok()?.id?;
    let usable = match id.get().as_bytes().first() {
        Some(b'"') => id.get() != "\"\"",
        Some(b'-' | b'0'..=b'9') => true,
        _ => false,
    };
    usable.then_some(id)
}

/// Parses one JSONL line into a document.
pub fn parse_line(line: &[u8], origin: Origin) -> Item {
    let err = |id: Option<Box<RawValue>>, reason: String| InputError {
        origin: origin.clone(),
        id,
        reason,
        skipped: false,
    };
    let line = std::str::from_utf8(line).map_err(|e| {
        err(
            None,
            format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()),
        )
    })?;
    let doc = format::doc_from_line(line).map_err(|e| err(id_hint(line), e))?;
    if doc.text.trim().is_empty() {
        return Err(err(Some(id_raw(&doc)), "empty text".into()));
    }
    Ok((doc, origin))
}

impl Iterator for Documents {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            // After SIGINT or SIGTERM, nothing more is read.
            if crate::signals::received().is_some() {
                return None;
            }
            if let Source::Lines { file, reader, line } = &mut self.current {
                let mut buf = Vec::new();
                match reader.read_line(&mut buf, self.max_doc_bytes) {
                    Ok(LineRead { consumed: 0, .. }) => self.current = Source::Done,
                    Ok(LineRead { len, over, .. }) => {
                        *line += 1;
                        let origin = Origin {
                            file: file.clone(),
                            line: Some(*line),
                        };
                        if over {
                            let id = std::str::from_utf8(&buf).ok().and_then(id_hint);
                            return Some(Err(InputError {
                                origin,
                                id,
                                reason: too_big(Some(len), self.max_doc_bytes),
                                skipped: false,
                            }));
                        }
                        let mut line_bytes = &buf[..];
                        if *line == 1 {
                            line_bytes = line_bytes.strip_prefix(BOM).unwrap_or(line_bytes);
                        }
                        let trimmed = line_bytes.trim_ascii();
                        if trimmed.is_empty() {
                            continue;
                        }
                        let item = parse_line(trimmed, origin);
                        self.warn_written_fields(&item);
                        return Some(self.check_unique(item));
                    }
                    Err(e) => {
                        let origin = Origin {
                            file: file.clone(),
                            line: Some(*line + 1),
                        };
                        self.current = Source::Done;
                        return Some(Err(InputError {
                            origin,
                            id: None,
                            reason: format!("read error: {e}"),
                            skipped: false,
                        }));
                    }
                }
                continue;
            }
            let f = self.files.next()?;
            if let Some((reason, skipped)) = f.problem.clone() {
                return Some(Err(InputError {
                    origin: f.origin(None),
                    id: None,
                    reason,
                    skipped,
                }));
            }
            if f.is_stdin() {
                self.current = Source::Lines {
                    file: "-".into(),
                    reader: LineReader::Stdin(BufReader::new(std::io::stdin())),
                    line: 0,
                };
                continue;
            }
            match open_typed(&f) {
                Ok((Kind::Jsonl, reader)) => {
                    self.current = Source::Lines {
                        file: f.path.display().to_string(),
                        reader: LineReader::File(reader),
                        line: 0,
                    }
                }
                Ok((Kind::Text, reader)) => {
                    let item = read_text(&f, reader, self.max_doc_bytes);
                    return Some(self.check_unique(item));
                }
                Err((reason, skipped)) => {
                    return Some(Err(InputError {
                        origin: f.origin(None),
                        id: None,
                        reason,
                        skipped,
                    }))
                }
            }
        }
    }
}

/// Reads a whole JSONL file of annotated records (gold or predictions).
/// Returns the documents and the errors, each naming its line.
pub fn read_annotated(path: &Path) -> anyhow::Result<(Vec<Doc>, Vec<InputError>)> {
    let f = File::open(path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    read_annotated_from(BufReader::new(f), &path.display().to_string())
}

/// [`read_annotated`] from any reader (standard input for `-`); `name` is
/// the file named in errors.
pub fn read_annotated_from(
    reader: impl BufRead,
    name: &str,
) -> anyhow::Result<(Vec<Doc>, Vec<InputError>)> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in reader.split(b'\n').enumerate() {
        let origin = Origin {
            file: name.to_string(),
            line: Some(i + 1),
        };
        let line = line.map_err(|e| anyhow::anyhow!("{origin}: read error: {e}"))?;
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        let err = |id: Option<Box<RawValue>>, reason| InputError {
            origin: origin.clone(),
            id,
            reason,
            skipped: false,
        };
        let parsed = std::str::from_utf8(trimmed)
            .map_err(|_| err(None, "invalid UTF-8".into()))
            .and_then(|s| format::annotated_from_line(s).map_err(|e| err(None, e)));
        match parsed {
            Ok(doc) if !seen.insert(doc.id_json_text()) => {
                errors.push(err(Some(id_raw(&doc)), "duplicate id".into()));
            }
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    Ok((docs, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(files: Vec<PathBuf>) -> Vec<Item> {
        Documents::new(
            files
                .into_iter()
                .map(|path| InputFile {
                    path,
                    root: None,
                    problem: None,
                })
                .collect(),
        )
        .collect()
    }

    #[test]
    fn every_bad_record_is_reported_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.jsonl");
        let mut f = File::create(&p).unwrap();
        writeln!(f, r#"{{"id": "a", "text": "Russia freed 5 men."}}"#).unwrap();
        writeln!(f, r#"{{"id": "b", "text": "#).unwrap(); // malformed
        writeln!(f, r#"{{"text": "no id"}}"#).unwrap();
        writeln!(f, r#"{{"id": "c"}}"#).unwrap();
        writeln!(f, r#"{{"id": "a", "text": "again"}}"#).unwrap();
        writeln!(f, r#"{{"id": "d", "text": "  "}}"#).unwrap();
        f.write_all(b"{\"id\": \"e\", \"text\": \"\xff\"}\n")
            .unwrap();
        writeln!(f, r#"{{"id": "f", "text": "fine", "source": "x"}}"#).unwrap();
        drop(f);
        let items = collect(vec![p.clone()]);
        assert_eq!(items.len(), 8);
        assert!(items[0].is_ok());
        let errs: Vec<(Option<usize>, String)> = items
            .iter()
            .filter_map(|i| i.as_ref().err())
            .map(|e| (e.origin.line, e.reason.clone()))
            .collect();
        assert_eq!(errs.len(), 6);
        assert_eq!(errs[0].0, Some(2));
        assert!(errs[0].1.starts_with("malformed JSON"));
        assert!(errs[1].1.contains("no \"id\""));
        assert!(errs[2].1.contains("no \"text\""));
        assert!(errs[3].1.contains("duplicate id"));
        assert_eq!(errs[4].1, "empty text");
        assert!(errs[5].1.contains("invalid UTF-8"));
        let (last, origin) = items[7].as_ref().unwrap();
        assert_eq!(last.extra_field("source"), Some("\"x\""));
        assert_eq!(origin.to_string(), format!("{}:8", p.display()));
    }

    #[test]
    fn directories_are_walked_in_sorted_order_and_binaries_rejected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "Second.").unwrap();
        std::fs::write(dir.path().join("a.txt"), "First.").unwrap();
        std::fs::write(dir.path().join("sub/c.txt"), "Third.").unwrap();
        std::fs::write(dir.path().join("z.txt"), b"\x00\x01bin").unwrap();
        std::fs::write(dir.path().join("bad.txt"), b"caf\xe9").unwrap();
        std::fs::write(dir.path().join("notes.md"), "reported as skipped").unwrap();
        let files = expand(&[dir.path().to_path_buf()]);
        let items: Vec<Item> = Documents::new(files).collect();
        let ids: Vec<String> = items
            .iter()
            .map(|i| match i {
                Ok((d, _)) => d.id.clone(),
                Err(e) if e.skipped => "skipped".into(),
                Err(e) => format!(
                    "error:{}",
                    e.id.as_ref()
                        .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
                        .unwrap_or_default()
                ),
            })
            .collect();
        assert_eq!(ids, ["a", "b", "error:bad", "skipped", "sub/c", "error:z"]);
        let bad = items[2].as_ref().unwrap_err();
        assert!(
            bad.reason.contains("invalid UTF-8 at byte 3"),
            "{}",
            bad.reason
        );
        let skipped = items[3].as_ref().unwrap_err();
        assert!(skipped.origin.file.ends_with("notes.md"));
        assert!(items[5].as_ref().unwrap_err().reason.contains("binary"));
    }

    #[test]
    fn a_missing_input_is_an_error() {
        let files = expand(&[PathBuf::from("/no/such/file.txt")]);
        let items: Vec<Item> = Documents::new(files).collect();
        let e = items[0].as_ref().unwrap_err();
        assert_eq!(e.reason, "no such file or directory");
        assert_eq!(
            e.to_string(),
            "/no/such/file.txt: no such file or directory"
        );
    }
}
