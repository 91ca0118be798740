//! Every gold file in `eval/gold/` obeys docs/FORMAT.md: spans are exact in
//! code points, entities and counts do not overlap, labels and roles are the
//! format's, values are numbers, every party (and every `setting` place) is
//! the canonical name of an entity of its document, indices of `mention_of`
//! and `sum_of` point at other counts, ids are unique, and tally's own
//! reader accepts every record.

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn gold_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/gold");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

/// The span's `text` equals `text[start:end]` in code points; returns the span.
fn check_span(chars: &[char], s: &Value, what: &str, problems: &mut Vec<String>) -> (u64, u64) {
    let (Some(start), Some(end)) = (s["start"].as_u64(), s["end"].as_u64()) else {
        problems.push(format!("{what}: start/end are not offsets"));
        return (0, 0);
    };
    let got: Option<String> = (start <= end && end as usize <= chars.len())
        .then(|| chars[start as usize..end as usize].iter().collect());
    if got.as_deref() != s["text"].as_str() || start == end {
        problems.push(format!(
            "{what}: text[{start}:{end}] is {got:?}, span text {}",
            s["text"]
        ));
    }
    (start, end)
}

fn no_overlap(mut spans: Vec<(u64, u64)>, what: &str, problems: &mut Vec<String>) {
    spans.sort();
    for w in spans.windows(2) {
        if w[1].0 < w[0].1 {
            problems.push(format!("{what}: spans {:?} and {:?} overlap", w[0], w[1]));
        }
    }
}

fn check_record(rec: &Value, where_: &str, problems: &mut Vec<String>) {
    let Some(text) = rec["text"].as_str() else {
        problems.push(format!("{where_}: no text"));
        return;
    };
    let chars: Vec<char> = text.chars().collect();
    let mut canon = HashSet::new();
    let mut spans = Vec::new();
    for (i, e) in rec["entities"].as_array().into_iter().flatten().enumerate() {
        let what = format!("{where_} entity {i} {}", e["text"]);
        spans.push(check_span(&chars, e, &what, problems));
        if !matches!(e["label"].as_str(), Some("PER" | "ORG" | "LOC" | "MISC")) {
            problems.push(format!("{what}: label {}", e["label"]));
        }
        canon.insert(
            e["canonical"]
                .as_str()
                .or(e["text"].as_str())
                .unwrap_or("")
                .to_string(),
        );
    }
    no_overlap(spans, &format!("{where_} entities"), problems);
    let counts = rec["counts"].as_array().cloned().unwrap_or_default();
    let mut spans = Vec::new();
    for (i, c) in counts.iter().enumerate() {
        let what = format!("{where_} count {i} {}", c["text"]);
        spans.push(check_span(&chars, c, &what, problems));
        if !c["value"].is_number() {
            problems.push(format!("{what}: value {} is not a number", c["value"]));
        }
        if !c["value_max"].is_null() && !c["value_max"].is_number() {
            problems.push(format!("{what}: value_max is not a number"));
        }
        if !c["unit"].is_string() {
            problems.push(format!("{what}: no unit"));
        }
        let mut seen = HashSet::new();
        for p in c["parties"].as_array().into_iter().flatten() {
            let (party, role) = (p["party"].as_str().unwrap_or(""), p["role"].as_str());
            if !matches!(role, Some("agent" | "affiliation" | "location")) {
                problems.push(format!("{what}: role {}", p["role"]));
            }
            if !canon.contains(party) {
                problems.push(format!(
                    "{what}: party {party:?} names no entity of the document"
                ));
            }
            if !seen.insert((party.to_string(), role)) {
                problems.push(format!("{what}: party {party:?} twice in one role"));
            }
        }
        let refs = c["mention_of"].as_u64().into_iter().chain(
            c["sum_of"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64),
        );
        for r in refs {
            if r as usize >= counts.len() || r as usize == i {
                problems.push(format!(
                    "{what}: mention_of/sum_of index {r} is not another count"
                ));
            }
        }
    }
    no_overlap(spans, &format!("{where_} counts"), problems);
    for p in rec["setting"].as_array().into_iter().flatten() {
        if !p.as_str().is_some_and(|p| canon.contains(p)) {
            problems.push(format!(
                "{where_}: setting {p} names no entity of the document"
            ));
        }
    }
    if let Err(e) = tally::format::annotated_from_json(rec.clone()) {
        problems.push(format!("{where_}: tally's reader refuses it: {e}"));
    }
}

#[test]
fn every_gold_file_obeys_the_format() {
    let files = gold_files();
    assert!(
        files.iter().any(|f| f.ends_with("seed.jsonl")),
        "eval/gold holds no seed.jsonl"
    );
    let mut problems = Vec::new();
    for f in &files {
        let body = std::fs::read_to_string(f).unwrap();
        let mut ids = HashSet::new();
        let mut n = 0;
        for (ln, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let where_ = format!("{}:{}", f.display(), ln + 1);
            let rec: Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("{where_}: not JSON: {e}"));
                    continue;
                }
            };
            n += 1;
            let id = rec["id"].as_str().unwrap_or("").to_string();
            if id.is_empty() || !ids.insert(id.clone()) {
                problems.push(format!("{where_}: id {id:?} empty or repeated"));
            }
            check_record(&rec, &format!("{where_} {id}"), &mut problems);
        }
        assert!(n > 0, "{} has no documents", f.display());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_catch_a_bad_record() {
    // A shifted span, an unknown role and a party that no entity names.
    let rec: Value = serde_json::from_str(
        r#"{"id": "x", "text": "Ukraine freed 22 soldiers.",
            "entities": [{"start": 0, "end": 7, "text": "Ukraine", "label": "LOC"}],
            "counts": [{"start": 15, "end": 17, "text": "22", "value": 22, "unit": "soldier",
                        "parties": [{"party": "Ukraine", "role": "owner"},
                                    {"party": "Russia", "role": "agent"}]}]}"#,
    )
    .unwrap();
    let mut problems = Vec::new();
    check_record(&rec, "x", &mut problems);
    let all = problems.join("\n");
    assert!(all.contains("text[15:17]"), "{all}");
    assert!(all.contains("role \"owner\""), "{all}");
    assert!(all.contains("\"Russia\" names no entity"), "{all}");
}
