//! The shipped entity model on texts with known answers.

use tally::doc::{Doc, Label};
use tally::format::doc_to_json;
use tally::pipeline::Pipeline;

fn entities(pipeline: &Pipeline, text: &str) -> Vec<(String, Label)> {
    let mut docs = vec![Doc::new("t", text)];
    pipeline.process(&mut docs).unwrap();
    docs[0]
        .entities
        .iter()
        .map(|e| (docs[0].slice(e.span).to_string(), e.label))
        .collect()
}

fn owned(v: &[(&str, Label)]) -> Vec<(String, Label)> {
    v.iter().map(|(s, l)| (s.to_string(), *l)).collect()
}

#[test]
fn sentences_with_known_entities() {
    let p = Pipeline::load_default().unwrap();
    assert_eq!(
        entities(&p, "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the European Union budget."),
        owned(&[("Angela Merkel", Label::Per), ("Emmanuel Macron", Label::Per), ("Paris", Label::Loc), ("European Union", Label::Org)])
    );
    assert_eq!(
        entities(
            &p,
            "General Motors Corp said it will idle its plant in Oshawa, Ontario."
        ),
        owned(&[
            ("General Motors Corp", Label::Org),
            ("Oshawa", Label::Loc),
            ("Ontario", Label::Loc)
        ])
    );
    assert_eq!(
        entities(&p, "Ukrainian President Zelensky praised the exchange."),
        owned(&[("Ukrainian", Label::Misc), ("Zelensky", Label::Per)])
    );
}

#[test]
fn an_all_caps_headline() {
    let p = Pipeline::load_default().unwrap();
    let e = entities(&p, "RUSSIA AND UKRAINE SWAP 372 PRISONERS\n\nRussia and Ukraine swapped prisoners on Wednesday.");
    assert_eq!(
        &e[..2],
        &owned(&[("RUSSIA", Label::Loc), ("UKRAINE", Label::Loc)])[..]
    );
}

#[test]
fn the_last_entity_of_a_long_document_is_found() {
    let p = Pipeline::load_default().unwrap();
    let filler = "The committee met again on Tuesday and talked about the budget for the coming year at great length. ";
    let text = format!(
        "{}In the end the plan was approved by Barack Obama in Chicago.",
        filler.repeat(40)
    );
    let mut docs = vec![Doc::new("long", text)];
    p.process(&mut docs).unwrap();
    let words: usize = docs[0].tokens.len();
    assert!(
        words > 700,
        "the document must be longer than 512 word pieces"
    );
    let last: Vec<(String, Label)> = docs[0]
        .entities
        .iter()
        .map(|e| (docs[0].slice(e.span).to_string(), e.label))
        .collect();
    assert_eq!(
        last,
        owned(&[("Barack Obama", Label::Per), ("Chicago", Label::Loc)])
    );
}

#[test]
fn one_and_two_threads_give_identical_output() {
    let p = Pipeline::load_default().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let docs: Vec<Doc> = names[..12]
        .iter()
        .map(|n| {
            Doc::new(
                n.file_stem().unwrap().to_string_lossy(),
                std::fs::read_to_string(n).unwrap(),
            )
        })
        .collect();
    let run = |threads: usize| -> Vec<String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut d = docs.clone();
        pool.install(|| p.process(&mut d)).unwrap();
        d.iter().map(|d| doc_to_json(d).to_string()).collect()
    };
    assert_eq!(run(1), run(2));
}
