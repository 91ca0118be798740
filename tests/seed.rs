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
    let mut ranked = vec![d.clone()];
    let mut docs = vec![d];
    // The rules alone are exact; the ranker may add a party they left out.
    Pipeline::process_with_entities_and_rules(&mut docs, &tally::attach::RuleSet::all());
    let report = eval::score(std::slice::from_ref(&gold), &docs);
    assert_eq!(report.counts.f1(), 1.0, "{}", report.table());
    assert_eq!(report.attachments.f1(), 1.0, "{}", report.table());
    Pipeline::process_with_entities(&mut ranked);
    let report = eval::score(std::slice::from_ref(&gold), &ranked);
    assert!(report.attachments.f1() >= 0.95, "{}", report.table());
    let each = docs[0]
        .counts
        .iter()
        .find(|c| c.distributive)
        .expect("the 'each' count");
    assert_eq!(&docs[0].text[each.span.start..each.span.end], "175");
}

#[test]
fn the_seed_restatements_and_the_sum_372_come_out() {
    let gold = gold();
    let mut docs = vec![Doc::new("prisoner-swap", gold.text.clone())];
    Pipeline::load_default()
        .unwrap()
        .process(&mut docs)
        .unwrap();
    let d = &docs[0];
    let text = |i: usize| d.slice(d.counts[i].span).to_string();
    // Every later "372" restates the headline's.
    for (i, c) in d.counts.iter().enumerate().skip(1) {
        if d.slice(c.span) == "372" {
            assert_eq!(c.mention_of, Some(0), "count {i}");
        }
    }
    // 372 = 175 + 22 + 175, the parts as the gold gives them.
    let first = &d.counts[0];
    assert_eq!(text(0), "372");
    let parts: Vec<String> = first.sum_of.iter().map(|&i| text(i)).collect();
    assert_eq!(parts, ["175", "22", "175"]);
    let golds: Vec<usize> = gold.counts[0].sum_of.clone();
    assert_eq!(first.sum_of, golds);
    let sum: f64 = first.sum_of.iter().map(|&i| d.counts[i].value).sum();
    assert_eq!(sum, 372.0);
}
