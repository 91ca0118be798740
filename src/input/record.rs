//! One input record as a document: a text file (its id from its path) or
//! a JSONL line (`id`, `text` and the fields carried through).

use super::open::inner_name;
use super::{too_big, InputError, InputFile, Item, Origin};
use crate::doc::Doc;
use crate::format;
use serde_json::value::RawValue;
use std::io::Read;
use std::path::Path;

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
pub(super) fn read_text(f: &InputFile, reader: impl Read, limit: usize) -> Item {
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

/// A JSON value as raw JSON text.
pub(super) fn raw_json(v: &serde_json::Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string()).expect("a value's text is JSON")
}

/// A document's id as raw JSON text, exactly as it was written.
pub(super) fn id_raw(doc: &Doc) -> Box<RawValue> {
    RawValue::from_string(doc.id_json_text()).expect("an id's text is JSON")
}

/// The id of a JSONL record that could not be read as a document, when
/// the line is a JSON object with a usable `"id"`, to name it in the error.
pub(super) fn id_hint(line: &str) -> Option<Box<RawValue>> {
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
