//! The JSONL format of docs/FORMAT.md: documents in, predictions out, gold files.
//! Offsets on the wire are Unicode code points; inside the crate they are
//! bytes. This module converts at the edge, through `OffsetMap`.

use crate::doc::{Approx, Count, Doc, Entity, Label, Party, Span};
use crate::offsets::OffsetMap;
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

/// The output record of a processed document: its input fields, then
/// `setting` (when the story has one), `entities` and `counts`.
pub fn doc_to_json(doc: &Doc) -> Value {
    let map = OffsetMap::new(&doc.text);
    let mut out = Map::new();
    out.insert("id".into(), doc.id_value());
    out.insert("text".into(), Value::String(doc.text.clone()));
    for (k, v) in &doc.extra {
        out.insert(k.clone(), v.clone());
    }
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
                serde_json::to_value(&c.parties).expect("parties serialise"),
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
    if !doc.setting.is_empty() {
        out.insert("setting".into(), json!(doc.setting));
    }
    out.insert("entities".into(), Value::Array(entities));
    out.insert("counts".into(), Value::Array(counts));
    Value::Object(out)
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

/// The input part of a record: `id`, `text` and the fields to carry.
pub fn doc_from_json(v: Value) -> Result<Doc, String> {
    let Value::Object(mut o) = v else {
        return Err("the line is not a JSON object".into());
    };
    let (id, id_json) = match o.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => (s, None),
        Some(Value::String(_)) => return Err("\"id\" is empty".into()),
        Some(Value::Number(n)) => (n.to_string(), Some(Value::Number(n))),
        Some(_) => return Err("\"id\" is not a string or a number".into()),
        None => return Err("the record has no \"id\"".into()),
    };
    let text = match o.remove("text") {
        Some(Value::String(s)) => s,
        // The caller names the document: its id is not repeated here.
        Some(_) => return Err("\"text\" is not a string".into()),
        None => return Err("the record has no \"text\"".into()),
    };
    let mut doc = Doc::new(id, text);
    doc.id_json = id_json;
    doc.extra = o;
    Ok(doc)
}

/// A whole annotated record (gold or prediction): document, entities and
/// counts, every span checked against the text.
pub fn annotated_from_json(v: Value) -> Result<Doc, String> {
    let mut doc = doc_from_json(v)?;
    let map = OffsetMap::new(&doc.text);
    let entities = doc.extra.remove("entities").unwrap_or(Value::Array(vec![]));
    let counts = doc.extra.remove("counts").unwrap_or(Value::Array(vec![]));
    let id = doc.id.clone();
    if let Some(s) = doc.extra.remove("setting") {
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
