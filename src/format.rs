//! The JSONL format of docs/FORMAT.md: documents in, predictions out, gold files.
//! Offsets on the wire are Unicode code points; inside the crate they are
//! bytes. This module converts at the edge, through `OffsetMap`.

use crate::doc::{Approx, Count, Doc, Entity, Label, Party, Span};
use crate::offsets::OffsetMap;
use serde_json::value::RawValue;
use serde_json::{json, Map, Number, Value};

/// A JSON number for a value: integral values are written without ".0".
///
/// ```
/// assert_eq!(tally::format::number(175.0).to_string(), "175");
/// assert_eq!(tally::format::number(1.5e6).to_string(), "1500000");
/// assert_eq!(tally::format::number(2.5).to_string(), "2.5");
/// ```
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::Number(Number::from(v as i64))
    } else {
        Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// The fields tally writes after the input's: `setting` (when the story
/// has one), `entities` and `counts`. An input field of one of these names
/// is replaced (the reader warns about it).
pub const WRITTEN_FIELDS: [&str; 3] = ["setting", "entities", "counts"];

/// The output record of a processed document, as one line of JSON (no
/// newline): its input fields exactly as they were written (numbers keep
/// every digit, `1E2` stays `1E2`), then `setting`, `entities` and `counts`.
pub fn record_line(doc: &Doc) -> String {
    serde_json::to_string(&Record::new(doc, false)).expect("a record serialises")
}

/// Writes [`record_line`] to `w`.
pub fn write_record(w: &mut dyn std::io::Write, doc: &Doc) -> std::io::Result<()> {
    write_record_explained(w, doc, false)
}

/// [`write_record`]; with `explain`, each party of a count also has
/// `"rule"`: the name of the attachment rule that proposed it
/// (`tally extract --explain`; docs/FORMAT.md).
pub fn write_record_explained(
    w: &mut dyn std::io::Write,
    doc: &Doc,
    explain: bool,
) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, &Record::new(doc, explain)).map_err(std::io::Error::from)
}

/// The output record of a processed document as a JSON value: its input
/// fields, then `setting` (when the story has one), `entities` and `counts`.
/// A carried number that a JSON value cannot hold (beyond the range of
/// f64) comes back as a string of its text here; [`record_line`] keeps it
/// exactly.
pub fn doc_to_json(doc: &Doc) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), doc.id_value());
    out.insert("text".into(), Value::String(doc.text.clone()));
    for (k, v) in &doc.extra {
        if !(WRITTEN_FIELDS.contains(&k.as_str()) || k == "tokens" && doc.syntax.is_some()) {
            let v = serde_json::from_str(v.get()).unwrap_or_else(|_| Value::String(v.get().into()));
            out.insert(k.clone(), v);
        }
    }
    let (setting, entities, counts) = annotations(doc, false);
    if let Some(s) = setting {
        out.insert("setting".into(), s);
    }
    out.insert("entities".into(), entities);
    out.insert("counts".into(), counts);
    if doc.syntax.is_some() {
        out.insert("tokens".into(), tokens_json(doc));
    }
    Value::Object(out)
}

/// A document as the writer sees it: its input fields as raw JSON, then
/// what tally found.
struct Record<'a> {
    doc: &'a Doc,
    setting: Option<Value>,
    entities: Value,
    counts: Value,
}

impl<'a> Record<'a> {
    fn new(doc: &'a Doc, explain: bool) -> Self {
        let (setting, entities, counts) = annotations(doc, explain);
        Record {
            doc,
            setting,
            entities,
            counts,
        }
    }
}

impl serde::Serialize for Record<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        match &self.doc.id_json {
            Some(raw) => m.serialize_entry("id", raw)?,
            None => m.serialize_entry("id", &self.doc.id)?,
        }
        m.serialize_entry("text", &self.doc.text)?;
        for (k, v) in &self.doc.extra {
            if !(WRITTEN_FIELDS.contains(&k.as_str()) || k == "tokens" && self.doc.syntax.is_some())
            {
                m.serialize_entry(k, v)?;
            }
        }
        if let Some(v) = &self.setting {
            m.serialize_entry("setting", v)?;
        }
        m.serialize_entry("entities", &self.entities)?;
        m.serialize_entry("counts", &self.counts)?;
        if self.doc.syntax.is_some() {
            m.serialize_entry("tokens", &tokens_json(self.doc))?;
        }
        m.end()
    }
}

/// The `tokens` field of `extract --syntax`: per token, its span in code
/// points, text, UPOS tag, head (the index of the head token in this list,
/// null for a sentence's root) and relation.
pub fn tokens_json(doc: &Doc) -> Value {
    let map = OffsetMap::new(&doc.text);
    let Some(syn) = &doc.syntax else {
        return Value::Array(Vec::new());
    };
    Value::Array(
        doc.tokens
            .iter()
            .zip(syn)
            .map(|(t, s)| {
                let mut o = Map::new();
                o.insert("start".into(), json!(map.to_char(t.span.start)));
                o.insert("end".into(), json!(map.to_char(t.span.end)));
                o.insert("text".into(), json!(doc.slice(t.span)));
                o.insert("pos".into(), json!(s.pos));
                o.insert("head".into(), s.head.map_or(Value::Null, |h| json!(h)));
                o.insert("deprel".into(), json!(s.deprel));
                Value::Object(o)
            })
            .collect(),
    )
}

/// What tally found in a document, as JSON: the setting (if any), the
/// entities and the counts, offsets in code points.
fn annotations(doc: &Doc, explain: bool) -> (Option<Value>, Value, Value) {
    let map = OffsetMap::new(&doc.text);
    let entities: Vec<Value> = doc
        .entities
        .iter()
        .map(|e| {
            let mut o = Map::new();
            o.insert("start".into(), json!(map.to_char(e.span.start)));
            o.insert("end".into(), json!(map.to_char(e.span.end)));
            o.insert("text".into(), json!(doc.slice(e.span)));
            o.insert("label".into(), json!(e.label.as_str()));
            o.insert("canonical".into(), json!(e.canonical));
            if let Some(s) = e.score {
                o.insert("score".into(), number((s as f64 * 1e4).round() / 1e4));
            }
            Value::Object(o)
        })
        .collect();
    let counts = counts_json(doc, &map, explain);
    let setting = (!doc.setting.is_empty()).then(|| json!(doc.setting));
    (setting, Value::Array(entities), counts)
}

/// A party as JSON; with `explain`, with the rule that proposed it.
fn party_json(p: &Party, explain: bool) -> Value {
    let mut v = serde_json::to_value(p).expect("a party serialises");
    if let (true, Some(rule), Value::Object(o)) = (explain, p.rule, &mut v) {
        o.insert("rule".into(), json!(rule));
    }
    v
}

/// The counts of a document as JSON, offsets in code points.
fn counts_json(doc: &Doc, map: &OffsetMap, explain: bool) -> Value {
    let counts: Vec<Value> = doc
        .counts
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert("start".into(), json!(map.to_char(c.span.start)));
            o.insert("end".into(), json!(map.to_char(c.span.end)));
            o.insert("text".into(), json!(doc.slice(c.span)));
            o.insert("value".into(), number(c.value));
            if let Some(m) = c.value_max {
                o.insert("value_max".into(), number(m));
            }
            o.insert(
                "unit".into(),
                c.unit.as_ref().map_or(Value::Null, |u| json!(u)),
            );
            o.insert(
                "parties".into(),
                Value::Array(c.parties.iter().map(|p| party_json(p, explain)).collect()),
            );
            if c.distributive {
                o.insert("distributive".into(), json!(true));
            }
            if let Some(a) = c.approx {
                o.insert(
                    "approx".into(),
                    serde_json::to_value(a).expect("approx serialises"),
                );
            }
            if let Some(m) = c.mention_of {
                o.insert("mention_of".into(), json!(m));
            }
            if !c.sum_of.is_empty() {
                o.insert("sum_of".into(), json!(c.sum_of));
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(counts)
}

fn field<'a>(o: &'a Map<String, Value>, key: &str, what: &str) -> Result<&'a Value, String> {
    o.get(key).ok_or_else(|| format!("{what} has no \"{key}\""))
}

fn as_offset(v: &Value, key: &str, what: &str) -> Result<usize, String> {
    v.as_u64()
        .map(|n| n as usize)
        .ok_or_else(|| format!("{what}: \"{key}\" is not a non-negative integer"))
}

/// Reads a span's `start`/`end` (code points) and checks its `text`.
fn span_of(
    o: &Map<String, Value>,
    text: &str,
    map: &OffsetMap,
    what: &str,
) -> Result<Span, String> {
    let start = as_offset(field(o, "start", what)?, "start", what)?;
    let end = as_offset(field(o, "end", what)?, "end", what)?;
    if start > end || end > map.char_len() {
        return Err(format!(
            "{what}: span {start}..{end} is outside the text ({} code points)",
            map.char_len()
        ));
    }
    let span = Span::new(map.to_byte(start).unwrap(), map.to_byte(end).unwrap());
    if let Some(t) = o.get("text") {
        let t = t
            .as_str()
            .ok_or_else(|| format!("{what}: \"text\" is not a string"))?;
        if &text[span.start..span.end] != t {
            return Err(format!(
                "{what}: \"text\" is {t:?} but text[{start}:{end}] is {:?}",
                &text[span.start..span.end]
            ));
        }
    }
    Ok(span)
}

/// A JSON object's fields in order, each value kept as its exact JSON
/// text. A key given twice keeps its first place and its last value.
struct RawFields(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for RawFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = RawFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<RawFields, A::Error> {
                let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
                let mut at = std::collections::HashMap::new();
                while let Some((k, v)) = a.next_entry::<String, Box<RawValue>>()? {
                    match at.get(&k) {
                        Some(&i) => fields[i] = (k, v),
                        None => {
                            at.insert(k.clone(), fields.len());
                            fields.push((k, v));
                        }
                    }
                }
                Ok(RawFields(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// The input part of one JSONL line: `id`, `text` and the fields to carry,
/// each carried value kept exactly as written.
pub fn doc_from_line(line: &str) -> Result<Doc, String> {
    let fields = match serde_json::from_str::<RawFields>(line) {
        Ok(RawFields(f)) => f,
        Err(e) if e.is_data() => return Err("the line is not a JSON object".into()),
        Err(e) => return Err(format!("malformed JSON: {e}")),
    };
    doc_from_fields(fields)
}

/// The input part of a record: `id`, `text` and the fields to carry.
pub fn doc_from_json(v: Value) -> Result<Doc, String> {
    let Value::Object(o) = v else {
        return Err("the line is not a JSON object".into());
    };
    let fields = o.into_iter().map(|(k, v)| (k, raw(&v))).collect();
    doc_from_fields(fields)
}

/// A JSON value as raw JSON text.
fn raw(v: &Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string()).expect("a value's text is JSON")
}

fn doc_from_fields(mut fields: Vec<(String, Box<RawValue>)>) -> Result<Doc, String> {
    let mut take = |key: &str| {
        fields
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| fields.remove(i).1)
    };
    let id_raw = take("id").ok_or("the record has no \"id\"")?;
    let (id, id_json) = match id_raw.get().as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<String>(id_raw.get()) {
            Ok(s) if !s.is_empty() => (s, None),
            _ => return Err("\"id\" is empty".into()),
        },
        Some(b'-' | b'0'..=b'9') => (id_raw.get().to_string(), Some(id_raw)),
        _ => return Err("\"id\" is not a string or a number".into()),
    };
    // The caller names the document: its id is not repeated here.
    let text_raw = take("text").ok_or("the record has no \"text\"")?;
    let text = serde_json::from_str::<String>(text_raw.get())
        .map_err(|_| "\"text\" is not a string".to_string())?;
    let mut doc = Doc::new(id, text);
    doc.id_json = id_json;
    doc.extra = fields;
    Ok(doc)
}

/// The carried field `key` taken out of the document, as a JSON value.
fn take_extra(doc: &mut Doc, key: &str) -> Result<Option<Value>, String> {
    let Some(i) = doc.extra.iter().position(|(k, _)| k == key) else {
        return Ok(None);
    };
    let (_, v) = doc.extra.remove(i);
    serde_json::from_str(v.get())
        .map(Some)
        .map_err(|e| format!("\"{key}\": {e}"))
}

/// A whole annotated record (gold or prediction) from one JSONL line.
pub fn annotated_from_line(line: &str) -> Result<Doc, String> {
    annotate(doc_from_line(line)?)
}

/// A whole annotated record (gold or prediction): document, entities and
/// counts, every span checked against the text.
pub fn annotated_from_json(v: Value) -> Result<Doc, String> {
    annotate(doc_from_json(v)?)
}

/// Reads the `entities`, `counts` and `setting` of a document's carried
/// fields into its annotations.
fn annotate(mut doc: Doc) -> Result<Doc, String> {
    let map = OffsetMap::new(&doc.text);
    let id = doc.id.clone();
    let entities = take_extra(&mut doc, "entities")
        .map_err(|e| format!("document {id:?}: {e}"))?
        .unwrap_or(Value::Array(vec![]));
    let counts = take_extra(&mut doc, "counts")
        .map_err(|e| format!("document {id:?}: {e}"))?
        .unwrap_or(Value::Array(vec![]));
    if let Some(s) = take_extra(&mut doc, "setting").map_err(|e| format!("document {id:?}: {e}"))? {
        doc.setting = serde_json::from_value(s)
            .map_err(|_| format!("document {id:?}: \"setting\" is not a list of names"))?;
    }
    for (i, e) in entities
        .as_array()
        .ok_or(format!("document {id:?}: \"entities\" is not an array"))?
        .iter()
        .enumerate()
    {
        let what = format!("document {id:?}, entity {i}");
        let o = e.as_object().ok_or(format!("{what} is not an object"))?;
        let span = span_of(o, &doc.text, &map, &what)?;
        let label = field(o, "label", &what)?
            .as_str()
            .and_then(Label::parse)
            .ok_or(format!("{what}: \"label\" is not PER, ORG, LOC or MISC"))?;
        let canonical = o
            .get("canonical")
            .and_then(Value::as_str)
            .map_or_else(|| doc.slice(span).to_string(), str::to_string);
        let score = o.get("score").and_then(Value::as_f64).map(|s| s as f32);
        doc.entities.push(Entity {
            span,
            label,
            canonical,
            score,
        });
    }
    for (i, c) in counts
        .as_array()
        .ok_or(format!("document {id:?}: \"counts\" is not an array"))?
        .iter()
        .enumerate()
    {
        let what = format!("document {id:?}, count {i}");
        let o = c.as_object().ok_or(format!("{what} is not an object"))?;
        let span = span_of(o, &doc.text, &map, &what)?;
        let value = field(o, "value", &what)?
            .as_f64()
            .ok_or(format!("{what}: \"value\" is not a number"))?;
        let mut count = Count::new(span, value);
        count.value_max = o.get("value_max").and_then(Value::as_f64);
        count.unit = o.get("unit").and_then(Value::as_str).map(str::to_string);
        count.distributive = o
            .get("distributive")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(a) = o.get("approx").filter(|a| !a.is_null()) {
            count.approx =
                Some(serde_json::from_value::<Approx>(a.clone()).map_err(|_| {
                    format!("{what}: \"approx\" is not about, over, under or range")
                })?);
        }
        count.mention_of = o
            .get("mention_of")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        count.sum_of = o
            .get("sum_of")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_u64)
                    .map(|i| i as usize)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(ps) = o.get("parties") {
            count.parties = serde_json::from_value::<Vec<Party>>(ps.clone())
                .map_err(|e| format!("{what}: bad \"parties\": {e}"))?;
            // The rules named by `extract --explain`, when they are known.
            for (p, raw) in count
                .parties
                .iter_mut()
                .zip(ps.as_array().into_iter().flatten())
            {
                let rule = raw.get("rule").and_then(Value::as_str);
                p.rule = crate::attach::RULES
                    .iter()
                    .find(|r| Some(r.name) == rule)
                    .map(|r| r.name);
            }
        }
        doc.counts.push(count);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Role;

    #[test]
    fn writes_code_point_offsets_and_integral_values() {
        let mut doc = Doc::new("d", "“Kyiv” freed 175 men");
        let b = doc.text.find("Kyiv").unwrap();
        doc.entities.push(Entity {
            span: Span::new(b, b + 4),
            label: Label::Loc,
            canonical: "Ukraine".into(),
            score: None,
        });
        let b = doc.text.find("175").unwrap();
        let mut c = Count::new(Span::new(b, b + 3), 175.0);
        c.unit = Some("man".into());
        c.add_party("Ukraine", Role::Agent);
        doc.counts.push(c);
        let v = doc_to_json(&doc);
        assert_eq!(v["entities"][0]["start"], 1);
        assert_eq!(v["entities"][0]["end"], 5);
        assert_eq!(v["counts"][0]["start"], 13);
        assert_eq!(v["counts"][0]["value"].to_string(), "175");
        // And reads back to the same byte spans.
        let back = annotated_from_json(v).unwrap();
        assert_eq!(back.entities[0].span, doc.entities[0].span);
        assert_eq!(back.counts[0].span, doc.counts[0].span);
        assert_eq!(back.counts[0].parties, doc.counts[0].parties);
    }

    #[test]
    fn rejects_a_span_whose_text_disagrees() {
        let v = json!({"id": "x", "text": "abc def", "entities": [{"start": 0, "end": 3, "text": "abd", "label": "PER"}]});
        let err = annotated_from_json(v).unwrap_err();
        assert!(err.contains("text[0:3] is \"abc\""), "{err}");
    }

    #[test]
    fn carries_other_fields() {
        let v = json!({"id": "x", "text": "t", "source": {"a": 1}});
        let doc = doc_from_json(v).unwrap();
        let out = doc_to_json(&doc);
        assert_eq!(out["source"]["a"], 1);
    }
}
