//! What the tests over hand-built documents share: a document with given
//! entities, and the rule stages run over it (no model load).

use tally::attach::RuleSet;
use tally::doc::{Doc, Entity, Label, Span};
use tally::pipeline::Pipeline;

/// A document whose entities are every occurrence of each (name, label,
/// canonical).
pub fn doc(text: &str, names: &[(&str, Label, &str)]) -> Doc {
    let mut d = Doc::new("t", text);
    for (name, label, canonical) in names {
        for (start, _) in text.match_indices(name) {
            d.entities.push(Entity {
                span: Span {
                    start,
                    end: start + name.len(),
                },
                label: *label,
                canonical: canonical.to_string(),
                score: None,
            });
        }
    }
    d.entities.sort_by_key(|e| e.span.start);
    d
}

/// The count and attachment stages over a copy of `d`, with `rules`.
pub fn run(d: &Doc, rules: &RuleSet) -> Doc {
    let mut docs = vec![d.clone()];
    Pipeline::process_with_entities_and_rules(&mut docs, rules);
    docs.pop().unwrap()
}
