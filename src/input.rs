//! Reading documents: `.txt` files, directories, JSONL files and standard
//! input, as a lazy stream in input order. Bad input never stops the stream:
//! it becomes an [`InputError`] naming the file, the line and the reason.

mod open;
mod record;
mod walk;

pub use record::{parse_line, text_id};
pub use walk::expand;

use crate::doc::Doc;
use crate::format;
use open::{open_typed, Kind, LineRead, LineReader, BOM};
use record::{id_hint, id_raw, raw_json, read_text};
use serde_json::value::RawValue;
use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
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
    pub(crate) fn is_stdin(&self) -> bool {
        self.root.is_none() && self.path.as_os_str() == "-"
    }

    pub(crate) fn origin(&self, line: Option<usize>) -> Origin {
        Origin {
            file: self.path.display().to_string(),
            line,
        }
    }
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
pub(crate) fn too_big(bytes: Option<usize>, limit: usize) -> String {
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
