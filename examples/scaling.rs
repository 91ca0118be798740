//! How the rule stages (segment, counts, attachment, document layer) scale
//! on hostile input: each shape at three sizes, 1x, 2x and 4x, with the
//! entities given (no model), and the time ratio between sizes. A linear
//! stage shows ratios near 2; a quadratic one near 4.
//!
//! `cargo run --release --example scaling [-- BASE_REPEATS]`

use std::time::Instant;
use tally::attach::RuleSet;
use tally::doc::{Doc, Entity, Label, Span};
use tally::pipeline::Pipeline;

/// Every occurrence of `name` as an entity of `label`.
fn with_entities(id: &str, text: String, names: &[(&str, Label)]) -> Doc {
    let mut d = Doc::new(id, &text);
    for (name, label) in names {
        for (start, _) in text.match_indices(name) {
            d.entities.push(Entity {
                span: Span {
                    start,
                    end: start + name.len(),
                },
                label: *label,
                canonical: name.to_string(),
                score: None,
            });
        }
    }
    d.entities.sort_by_key(|e| e.span.start);
    d
}

fn seconds(d: &Doc) -> (f64, usize) {
    let mut docs = vec![d.clone()];
    let started = Instant::now();
    Pipeline::process_with_entities_and_rules(&mut docs, &RuleSet::all());
    (started.elapsed().as_secs_f64(), docs[0].counts.len())
}

fn main() {
    let base: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: &[Shape] = &[
        ("counts in one sentence: 'Russia freed 5 men, '", |n| {
            "Russia freed 5 men, ".repeat(n)
        }),
        ("counts in many sentences: 'Russia freed 5 men. '", |n| {
            "Russia freed 5 men. ".repeat(n)
        }),
        ("'5 men ' (no punctuation)", |n| "5 men ".repeat(n)),
        ("digits", |n| "7".repeat(50 * n)),
        ("commas", |n| ",".repeat(20 * n)),
        ("hyphens", |n| "-".repeat(20 * n)),
        ("'one '", |n| "one ".repeat(n)),
        ("'1,' ", |n| "1,".repeat(5 * n)),
        ("tickers '<AB> '", |n| "<AB> ".repeat(n)),
        ("capitalised run 'Kyiv Moscow '", |n| {
            "Kyiv Moscow ".repeat(n)
        }),
        ("'twenty-two-'", |n| "twenty-two-".repeat(n)),
        ("'1.5 million mln '", |n| "1.5 million mln ".repeat(n)),
    ];
    let names = [
        ("Russia", Label::Loc),
        ("Kyiv", Label::Loc),
        ("Moscow", Label::Loc),
    ];
    println!(
        "{:<48} {:>8} {:>8} {:>8} {:>6} {:>6} {:>7}",
        "shape", "1x s", "2x s", "4x s", "2x/1x", "4x/2x", "counts"
    );
    for (name, make) in shapes {
        let mut row = Vec::new();
        let mut counts = 0;
        for k in [1, 2, 4] {
            let d = with_entities(name, make(base * k), &names);
            let (s, c) = seconds(&d);
            row.push(s);
            counts = c;
        }
        println!(
            "{:<48} {:>8.3} {:>8.3} {:>8.3} {:>6.1} {:>6.1} {:>7}",
            name,
            row[0],
            row[1],
            row[2],
            row[1] / row[0].max(1e-9),
            row[2] / row[1].max(1e-9),
            counts
        );
    }
}
