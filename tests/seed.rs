//! The seed article end to end: it must come out right.

use tally::doc::Doc;
use tally::eval;
use tally::format::annotated_from_json;
use tally::pipeline::Pipeline;

fn gold() -> Doc {
    let line = include_str!("../eval/gold/seed.jsonl")
        .lines()
        .next()
        .unwrap();
    annotated_from_json(serde_json::from_str(line).unwrap()).unwrap()
}

#[test]
fn the_seed_article_comes_out_right() {
    let gold = gold();
    // The bundled corpus copy is the same text as the gold.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/prisoner-swap.txt"
    ))
    .unwrap();
    assert_eq!(text, gold.text);
    let mut docs = vec![Doc::new("prisoner-swap", text)];
    Pipeline::load_default()
        .unwrap()
        .process(&mut docs)
        .unwrap();
    let report = eval::score(std::slice::from_ref(&gold), &docs);
    assert_eq!(report.counts.f1(), 1.0, "{}", report.table());
    assert_eq!(report.unit_accuracy(), 1.0, "{}", report.table());
    assert!(report.attachments.f1() >= 0.95, "{}", report.table());
    assert!(report.entities.f1() >= 0.9, "{}", report.table());
}

#[test]
fn the_seed_rules_are_exact_with_gold_entities() {
    let gold = gold();
    let mut d = Doc::new(gold.id.clone(), gold.text.clone());
    d.entities = gold.entities.clone();
    let mut docs = vec![d];
    Pipeline::process_with_entities(&mut docs);
    let report = eval::score(std::slice::from_ref(&gold), &docs);
    assert_eq!(report.counts.f1(), 1.0, "{}", report.table());
    assert_eq!(report.attachments.f1(), 1.0, "{}", report.table());
    let each = docs[0]
        .counts
        .iter()
        .find(|c| c.distributive)
        .expect("the 'each' count");
    assert_eq!(&docs[0].text[each.span.start..each.span.end], "175");
}
