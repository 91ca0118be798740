//! The named attachment rules on hand-built documents with given entities
//! (no model load): switching a rule off removes what it proposes, and the
//! story's country is the document's setting, not every count's location.

use tally::attach::{RuleSet, RULES};
use tally::doc::{Doc, Entity, Label, Role, Span};
use tally::pipeline::Pipeline;

/// A document whose entities are every occurrence of each (name, label,
/// canonical).
fn doc(text: &str, names: &[(&str, Label, &str)]) -> Doc {
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

fn run(d: &Doc, rules: &RuleSet) -> Doc {
    let mut docs = vec![d.clone()];
    Pipeline::process_with_entities_and_rules(&mut docs, rules);
    docs.pop().unwrap()
}

fn parties_of(d: &Doc, number: &str) -> Vec<(Role, String)> {
    let c = d
        .counts
        .iter()
        .find(|c| d.slice(c.span) == number)
        .unwrap_or_else(|| panic!("no count {number:?}"));
    let mut v: Vec<(Role, String)> = c
        .parties
        .iter()
        .map(|p| (p.role, p.party.clone()))
        .collect();
    v.sort();
    v
}

const STRIKE: &str = "Brazilian Bank Workers Strike\n\n\
    Brazil's bank workers began a national strike today. \
    The union said 4,000 workers stayed home in Brazil. Petrobras laid off 300 workers. \
    Officials said 20 people were arrested.\n";

fn strike() -> Doc {
    doc(
        STRIKE,
        &[
            ("Brazilian", Label::Misc, "Brazil"),
            ("Brazil", Label::Loc, "Brazil"),
            ("Petrobras", Label::Org, "Petrobras"),
        ],
    )
}

#[test]
fn the_story_country_is_the_setting_not_a_location_without_evidence() {
    let d = run(&strike(), &RuleSet::all());
    assert_eq!(d.setting, ["Brazil"]);
    // Named in its clause: a location.
    assert!(parties_of(&d, "4,000").contains(&(Role::Location, "Brazil".into())));
    // Nothing places the arrests: no location.
    assert!(
        !parties_of(&d, "20")
            .iter()
            .any(|(r, _)| *r == Role::Location),
        "{:?}",
        parties_of(&d, "20")
    );
}

#[test]
fn switching_a_rule_off_removes_what_it_proposes() {
    let all = run(&strike(), &RuleSet::all());
    assert!(parties_of(&all, "300").contains(&(Role::Agent, "Petrobras".into())));
    let off = run(&strike(), &RuleSet::without(&["subject-agent"]).unwrap());
    assert!(
        !parties_of(&off, "300").contains(&(Role::Agent, "Petrobras".into())),
        "{:?}",
        parties_of(&off, "300")
    );
    // Other rules still run.
    assert!(parties_of(&off, "4,000").contains(&(Role::Location, "Brazil".into())));
}

#[test]
fn every_rule_can_be_switched_off_without_failing() {
    let d = strike();
    for r in RULES {
        let out = run(&d, &RuleSet::without(&[r.name]).unwrap());
        assert_eq!(out.counts.len(), 3, "without {}", r.name);
    }
}
