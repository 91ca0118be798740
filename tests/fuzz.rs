//! A bounded fuzz test of the rule stages (segmentation, counts, parties),
//! without the entity model: random Unicode texts built from the pieces
//! news is made of, with entities at random places, must never panic, and
//! every span written must lie on character boundaries within the text.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use tally::doc::{Doc, Entity, Label, Span};
use tally::pipeline::Pipeline;

const PIECES: &[&str] = &[
    "0",
    "7",
    "22",
    "372",
    "3,500",
    "1,000,000",
    "1.5",
    "12.75",
    "2024",
    "one",
    "two",
    "ten",
    "twenty-two",
    "ninety-nine",
    "hundred",
    "thousand",
    "1.5 million",
    "2 billion",
    "mln",
    "bln",
    "a dozen",
    "dozens",
    "half",
    "per cent",
    "%",
    "$",
    "$5",
    "£3",
    "€",
    "-",
    "--",
    "—",
    "–",
    ",",
    ",,",
    ".",
    "...",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "'",
    "'s",
    "/",
    "<AB>",
    "<GM.N>",
    "<X>",
    "<",
    ">",
    "Russia",
    "Ukraine",
    "Kyiv",
    "Moscow",
    "Police",
    "GM",
    "Reuters",
    "The",
    "U.S.",
    "Mr.",
    "St.",
    "men",
    "soldiers",
    "prisoners",
    "workers",
    "people",
    "killed",
    "freed",
    "arrested",
    "of",
    "the",
    "and",
    "about",
    "at least",
    "some",
    "\n",
    "\n\n",
    "\t",
    "\u{a0}",
    "\u{200b}",
    "😀",
    "👍🏽",
    "🇺🇦",
    "e\u{301}",
    "\u{308}",
    "\u{301}\u{302}",
    "中国",
    "ﬁve",
    "Ⅻ",
    "٣",
    "१२",
    "½",
    "²",
    "−5",
    "+3",
    "#",
    "&",
    "@",
];

const LABELS: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Misc];

/// A random text of up to `max` characters made of `PIECES`, random
/// characters and separators.
fn random_text(rng: &mut StdRng, max: usize) -> String {
    let target = rng.gen_range(0..=max);
    let mut s = String::new();
    while s.chars().count() < target {
        match rng.gen_range(0..10) {
            0 => s.push(random_char(rng)),
            1 => {
                for _ in 0..rng.gen_range(1..12) {
                    s.push(char::from(b'0' + rng.gen_range(0..10)));
                }
            }
            _ => s.push_str(PIECES[rng.gen_range(0..PIECES.len())]),
        }
        match rng.gen_range(0..6) {
            0 => {}
            1 => s.push(','),
            2 => s.push('-'),
            _ => s.push(' '),
        }
    }
    s.chars().take(target).collect()
}

fn random_char(rng: &mut StdRng) -> char {
    loop {
        let c = match rng.gen_range(0..3) {
            0 => rng.gen_range(0x20u32..0x7f),
            1 => rng.gen_range(0x80u32..0x3000),
            _ => rng.gen_range(0x0u32..0x11_0000),
        };
        if let Some(c) = char::from_u32(c) {
            return c;
        }
    }
}

/// Entities at random character boundaries of `text`, in order and not
/// overlapping, with random labels.
fn random_entities(rng: &mut StdRng, text: &str) -> Vec<Entity> {
    let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bounds.push(text.len());
    let n = rng.gen_range(0..=bounds.len().min(12));
    let mut picked: Vec<usize> = (0..n * 2)
        .map(|_| bounds[rng.gen_range(0..bounds.len())])
        .collect();
    picked.sort_unstable();
    picked.dedup();
    picked
        .chunks_exact(2)
        .map(|p| Entity {
            span: Span::new(p[0], p[1]),
            label: LABELS[rng.gen_range(0..LABELS.len())],
            canonical: text[p[0]..p[1]].to_string(),
            score: None,
        })
        .collect()
}

/// Entities over random runs of 1 to 4 whole tokens, as the entity model
/// finds them, in order and not overlapping.
fn token_entities(rng: &mut StdRng, text: &str) -> Vec<Entity> {
    let mut d = Doc::new("t", text);
    tally::segment::segment(&mut d);
    let mut out = Vec::new();
    let mut i = 0;
    while i < d.tokens.len() {
        if rng.gen_bool(0.3) {
            let j = (i + rng.gen_range(1..=4)).min(d.tokens.len());
            let span = Span::new(d.tokens[i].span.start, d.tokens[j - 1].span.end);
            out.push(Entity {
                span,
                label: LABELS[rng.gen_range(0..LABELS.len())],
                canonical: text[span.start..span.end].to_string(),
                score: None,
            });
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn check_span(doc: &Doc, span: Span, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= doc.text.len()
            && doc.text.is_char_boundary(span.start)
            && doc.text.is_char_boundary(span.end),
        "document {}: {what} {span:?} is not a span of the text {:?}",
        doc.id,
        doc.text
    );
}

/// Runs the rule stages on `docs` and checks every span they hold.
fn run_and_check(mut docs: Vec<Doc>) {
    Pipeline::process_with_entities(&mut docs);
    for d in &docs {
        for t in &d.tokens {
            check_span(d, t.span, "token");
        }
        for e in &d.entities {
            check_span(d, e.span, "entity");
        }
        for c in &d.counts {
            check_span(d, c.span, "count");
            if let Some(u) = c.unit_span {
                check_span(d, u, "unit");
            }
            assert!(c.mention_of.is_none_or(|m| m < d.counts.len()));
            assert!(c.sum_of.iter().all(|&s| s < d.counts.len()));
        }
    }
}

/// How long the random-text test runs: `TALLY_FUZZ_CASES` texts (2,000 by
/// default, about a second), or as many as fit in `TALLY_FUZZ_SECONDS` when
/// that is set (for long runs by hand: `TALLY_FUZZ_SECONDS=1800 cargo test
/// --release --test fuzz -- --nocapture`). `TALLY_FUZZ_SEED` changes the
/// texts; the same seed gives the same texts.
fn fuzz_budget() -> (u64, Option<f64>, u64) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok());
    let cases = var("TALLY_FUZZ_CASES").map_or(2000, |n| n as u64);
    let seconds = var("TALLY_FUZZ_SECONDS");
    let seed = var("TALLY_FUZZ_SEED").map_or(0x7a11_f022, |n| n as u64);
    (cases, seconds, seed)
}

#[test]
fn random_texts_never_panic_and_keep_spans_on_char_boundaries() {
    let started = Instant::now();
    let (cases, seconds, seed) = fuzz_budget();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut done = 0u64;
    loop {
        let more = match seconds {
            Some(s) => started.elapsed().as_secs_f64() < s,
            None => done < cases,
        };
        if !more {
            break;
        }
        let i = done;
        let text = random_text(&mut rng, 2000);
        let mut d = Doc::new(format!("fuzz{i}"), text);
        // Half at random character boundaries, half on whole tokens.
        d.entities = if i.is_multiple_of(2) {
            random_entities(&mut rng, &d.text)
        } else {
            token_entities(&mut rng, &d.text)
        };
        // One document at a time, so that a panic names its text.
        let text = d.text.clone();
        let result = std::panic::catch_unwind(|| run_and_check(vec![d]));
        assert!(
            result.is_ok(),
            "panic on case {i} (seed {seed}), the text {text:?}"
        );
        done += 1;
    }
    eprintln!(
        "{done} random texts (seed {seed}) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn hostile_shapes_finish() {
    let shapes = [
        ("'5 men ' x 3000", "5 men ".repeat(3000)),
        ("20,000 commas", ",".repeat(20_000)),
        ("'one ' x 3000", "one ".repeat(3000)),
        ("50,000 digits", "7".repeat(50_000)),
        ("'1,' x 10000", "1,".repeat(10_000)),
        ("'twenty-two-' x 3000", "twenty-two-".repeat(3000)),
        ("'1.5 million mln ' x 2000", "1.5 million mln ".repeat(2000)),
        ("'<AB> ' x 3000", "<AB> ".repeat(3000)),
    ];
    for (name, text) in shapes {
        let started = Instant::now();
        let mut d = Doc::new(name, text);
        // Entities at random places.
        let mut rng = StdRng::seed_from_u64(7);
        d.entities = random_entities(&mut rng, &d.text);
        run_and_check(vec![d]);
        let secs = started.elapsed().as_secs_f64();
        eprintln!("{name}: {secs:.2} s");
        assert!(secs < 20.0, "{name} took {secs:.1} s");
    }
}
