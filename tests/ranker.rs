//! The ranker over the attachment rules' proposals, on hand-built documents
//! with given entities (no model load): what it reads of each count, how it
//! decides, how it learns, and the ranker built into tally.

use tally::attach::rank::{self, Candidate, Ranker};
use tally::attach::RuleSet;
use tally::doc::{Doc, Entity, Label, Role, Span};

mod common;
use common::{doc, run};

const CUTS: &str = "Steel Cuts Jobs\n\n\
    Acme Steel said on Monday it would cut 300 jobs at its plant in Gary. \
    The union said 1,200 workers were on strike in Ohio.\n";

fn cuts() -> Doc {
    doc(
        CUTS,
        &[
            ("Acme Steel", Label::Org, "Acme Steel"),
            ("Gary", Label::Loc, "Gary"),
            ("Ohio", Label::Loc, "Ohio"),
        ],
    )
}

fn candidate<'a>(
    cands: &'a [Candidate],
    d: &Doc,
    number: &str,
    party: &str,
    role: Role,
) -> Option<&'a Candidate> {
    let k = d
        .counts
        .iter()
        .position(|c| d.slice(c.span) == number)
        .unwrap_or_else(|| panic!("no count {number:?}"));
    cands
        .iter()
        .find(|c| c.count == k && c.party == party && c.role == role)
}

#[test]
fn candidates_are_the_proposals_and_the_names_around_the_count() {
    let d = run(&cuts(), &RuleSet::all());
    let cands = rank::candidates(&d);
    // The rules make Acme Steel the agent of the 300 jobs cut.
    let acme = candidate(&cands, &d, "300", "Acme Steel", Role::Agent).expect("Acme Steel agent");
    assert!(acme.proposed && acme.rule.is_some(), "{acme:?}");
    for f in [
        "agent|scope=same",
        "agent|label=ORG",
        "agent|first-in-sentence",
    ] {
        assert!(
            acme.features.iter().any(|x| x == f),
            "{f} not in {:?}",
            acme.features
        );
    }
    assert!(acme.features.iter().any(|x| x.starts_with("agent|rule=")));
    // Gary, after "in", is a candidate location of the same count.
    let gary = candidate(&cands, &d, "300", "Gary", Role::Location).expect("Gary location");
    assert!(
        gary.features.iter().any(|x| x == "location|prev=in"),
        "{:?}",
        gary.features
    );
    // An organisation is never a candidate location.
    assert!(candidate(&cands, &d, "300", "Acme Steel", Role::Location).is_none());
    // The sentence before holds Acme Steel too: a candidate of the second
    // count, read as from the sentence before.
    let prev = candidate(&cands, &d, "1,200", "Acme Steel", Role::Agent).expect("from before");
    assert!(
        prev.features.iter().any(|x| x == "agent|scope=prev"),
        "{:?}",
        prev.features
    );
    assert!(!prev.features.iter().any(|x| x == "agent|scope=same"));
    // Every feature is joined with its candidate's role.
    for c in &cands {
        assert!(
            c.features.iter().all(|f| f.starts_with(c.role.as_str())),
            "{c:?}"
        );
    }
}

fn cand(count: usize, party: &str, role: Role, proposed: bool) -> Candidate {
    Candidate {
        count,
        party: party.into(),
        role,
        rule: None,
        proposed,
        features: vec![],
    }
}

#[test]
fn decide_keeps_proposals_and_fills_empty_roles_with_likely_ones() {
    let cands = [
        cand(0, "Russia", Role::Agent, true),
        cand(0, "Russia", Role::Location, false),
        cand(0, "Kyiv", Role::Location, false),
        cand(0, "Ukraine", Role::Affiliation, false),
        cand(1, "Russia", Role::Location, false),
        cand(2, "Ohio", Role::Location, true),
        cand(2, "Gary", Role::Location, false),
        cand(3, "Brazil", Role::Affiliation, true),
        cand(3, "Brazil", Role::Location, false),
    ];
    let scores = [0.1, 0.9, 0.9, 0.3, 0.9, 0.2, 0.9, 0.9, 0.9];
    let kept = rank::decide(&cands, &scores, 0.0, 0.5);
    // The proposal stays, however low its score; Russia is not added as
    // the place of a count it is the agent of, but is for another count;
    // Ukraine is below the threshold for additions; Gary is not added where
    // a rule already gave the count its place; Brazil, whose the counted
    // things are, is not added as their place.
    assert_eq!(
        kept,
        [true, false, true, false, true, true, false, true, false]
    );
    // A proposal below `keep` goes.
    assert_eq!(rank::decide(&cands[..1], &scores[..1], 0.2, 0.5), [false]);
}

#[test]
fn fit_learns_which_features_mark_a_party_and_is_deterministic() {
    let mut rows = Vec::new();
    for i in 0..40 {
        let noise = format!("noise{}", i % 3);
        rows.push((vec!["good".to_string(), noise.clone()], true));
        rows.push((vec!["bad".to_string(), noise], false));
    }
    let r = rank::fit(&rows, 10, 0.01);
    let good = r.score(&["good".to_string()]);
    let bad = r.score(&["bad".to_string()]);
    assert!(good > 0.8 && bad < 0.2, "good {good}, bad {bad}");
    // An unknown feature weighs nothing.
    assert_eq!(r.score(&["unseen".to_string()]), r.score(&[]));
    let again = rank::fit(&rows, 10, 0.01);
    assert_eq!(r.weights, again.weights);
    assert_eq!(r.bias, again.bias);
}

#[test]
fn the_shipped_ranker_only_adds_to_the_rules() {
    let r = Ranker::shipped();
    assert!(r.about.starts_with("tally train-ranker"), "{}", r.about);
    assert!(r.weights.len() > 100, "{} weights", r.weights.len());
    // Trained with every proposal kept (keep 0): what the rules propose
    // stands, the ranker adds.
    assert_eq!(r.keep, 0.0);
    assert!(r.add > 0.0 && r.add < 1.0, "{}", r.add);
    let rules = run(&cuts(), &RuleSet::all());
    let ranked = run(&cuts(), &RuleSet::shipped());
    for (a, b) in rules.counts.iter().zip(&ranked.counts) {
        for p in &a.parties {
            assert!(b.parties.contains(p), "{p:?} dropped from {:?}", b.parties);
        }
        for p in b.parties.iter().filter(|p| !a.parties.contains(p)) {
            assert_eq!(p.rule, Some("ranker"), "{p:?}");
        }
    }
}

#[test]
fn a_ranker_file_that_is_missing_or_wrong_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.json");
    let e = Ranker::load(&missing).unwrap_err();
    assert!(e.contains("none.json") && e.contains("cannot read"), "{e}");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"weights\": 3}").unwrap();
    let e = Ranker::load(&bad).unwrap_err();
    assert!(
        e.contains("bad.json") && e.contains("not a ranker file"),
        "{e}"
    );
}

#[test]
fn a_sentence_of_thousands_of_names_and_counts_gives_each_count_few_candidates() {
    // "Firm0 freed 5 men, Firm1 freed 6 men, …": one sentence of n names
    // and n counts.
    let n = 3_000;
    let mut text = String::new();
    let mut entities = Vec::new();
    for i in 0..n {
        let name = format!("Firm{i}");
        entities.push(Entity {
            span: Span {
                start: text.len(),
                end: text.len() + name.len(),
            },
            label: Label::Org,
            canonical: name.clone(),
            score: None,
        });
        text.push_str(&format!("{name} freed {} men, ", i + 5));
    }
    text.push_str("officials said.");
    let mut d = Doc::new("t", text);
    d.entities = entities;
    let d = run(&d, &RuleSet::all());
    // (Numbers from 1900 on read as years.)
    assert!(d.counts.len() >= n * 9 / 10, "{} counts", d.counts.len());
    let cands = rank::candidates(&d);
    // The names within a few dozen tokens of each count, not all of them.
    assert!(
        cands.len() <= 100 * d.counts.len(),
        "{} candidates for {} counts",
        cands.len(),
        d.counts.len()
    );
}
