//! `tally show`'s page: the seed article rendered from its gold and from
//! the pipeline, read back as a user of the page would check it.

use tally::doc::Doc;
use tally::format::annotated_from_json;
use tally::pipeline::Pipeline;
use tally::show::render;

fn gold() -> Doc {
    let line = include_str!("../eval/gold/seed.jsonl")
        .lines()
        .next()
        .unwrap();
    annotated_from_json(serde_json::from_str(line).unwrap()).unwrap()
}

#[test]
fn the_seed_page_shows_its_counts_parties_and_sum_and_nothing_external() {
    let g = gold();
    let html = render(std::slice::from_ref(&g), None, "seed");
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no scripts, no links out, no external resources.
    for bad in ["<script", "src=", "href=\"http", "@import", "url("] {
        assert!(!html.contains(bad), "the page holds {bad:?}");
    }
    // Every count is marked in the text and numbered.
    assert_eq!(html.matches("<sup>").count(), g.counts.len());
    assert!(html.contains(">372</span><sup>1</sup>"));
    // The table: one row per counted thing (restatements folded), the sum.
    let rows = html.matches("<tr><td>").count();
    let firsts = g.counts.iter().filter(|c| c.mention_of.is_none()).count();
    assert_eq!(rows, firsts);
    assert!(
        html.contains("= 175 + 22 + 175"),
        "the sum 372 = 175 + 22 + 175"
    );
    assert!(html.contains("restated #2, #5, #6"));
    // The 22 wounded captives: Russia acted, they are Ukraine's.
    let row22 = html
        .split("<tr>")
        .find(|r| r.contains("<td>4</td>"))
        .expect("row of count 4");
    assert!(
        row22.contains("<td>Russia</td>") && row22.contains("<td>Ukraine</td>"),
        "{row22}"
    );
    assert!(row22.contains("<td>captive</td>"), "{row22}");
    // Entities carry their label and canonical name.
    assert!(html.contains("class=\"LOC\" title=\"LOC → Russia\">Moscow</span>"));
}

#[test]
fn against_gold_the_page_marks_false_positives_and_misses() {
    let g = gold();
    let mut pred = Doc::new(g.id.clone(), g.text.clone());
    Pipeline::load_default()
        .unwrap()
        .process(std::slice::from_mut(&mut pred))
        .unwrap();
    // Drop one predicted count and add a wrong party to another.
    let dropped = pred.counts.remove(3);
    pred.counts[0].add_party("Belarus", tally::doc::Role::Location);
    let html = render(&[pred], Some(&[g]), "seed against gold");
    assert!(html.contains(&format!("missed: {}", &g_text(&dropped))));
    assert!(html.contains("<span class=\"bad\" title=\"false positive\">Belarus</span>"));
    assert!(html.contains("class=\"count miss\""));
}

fn g_text(c: &tally::doc::Count) -> String {
    gold().slice(c.span).to_string()
}
