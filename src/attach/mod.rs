#![warn(clippy::cognitive_complexity)]
//! Parties of each count: who did it (`agent`), whose the counted things are
//! (`affiliation`) and where (`location`), read off the sentence around the
//! count with rules over tokens and entities:
//!
//! - a restatement ("the 22 severely wounded soldiers") takes the parties of
//!   the earlier count with the same value;
//! - agent: "by X" after a passive; else the reporting subject of a passive
//!   without "by" ("the Russian Defense Ministry said 175 … were
//!   transferred"); else the subject of the active clause, coordinated
//!   subjects included, a pronoun resolved to its antecedent;
//! - affiliation: a demonym or name inside the counted phrase ("175 Russian
//!   prisoners", "GM workers"), a possessive ("X's", "its"), "of/at X" after
//!   the head noun; a company cutting its own jobs;
//! - location: places after a locative preposition in the sentence, else
//!   the one country the whole document is set in;
//! - `distributive` for "X and Y each …";
//! - from the whole document (`document.rs`): its country, its company, the
//!   plants it names with their places, the place of its lead sentence,
//!   parts of a whole.
//! - from the dependency parse, when the document has one (`--syntax`;
//!   `parse.rs` reads it into the frame): `place-in-at`, a place in a
//!   locative phrase of the governing verb or of the counted noun.
//!   Without a parse it proposes nothing.
//!
//! - then, unless switched off (`--no-ranker`), the ranker (`rank.rs`):
//!   a logistic model over candidates around each count adds the likely
//!   ones in roles the rules left empty (`models/attach/ranker.json`,
//!   trained by `tally train-ranker`).
//!
//! Every rule is a named function, listed (with a line of what it does) in
//! `rules.rs` ([`RULES`]): it can be switched off (`--disable-rule NAME`),
//! measured (`tally eval GOLD --ablate`), tested alone, and each party it
//! proposes records its name (`Party::rule`, written by `tally extract
//! --explain`). The stage runs, for each count in text order, the count
//! rules of [`COUNT_RULES`] over the count's [`frame::Frame`] (computed
//! once), in order; a rule that reads what earlier rules proposed ("only if
//! no agent was found") says so in its first lines. A walk over tokens (the
//! counted phrase, the subject of the clause, a list's places) is one rule
//! whose matchers are rules of their own, tried at each token in the order
//! listed. Then the document rules of [`DOC_RULES`] run over all counts.
//!
//! Files: `frame.rs` the frame and the proposals, `parse.rs` the parse's
//! facts, `owner.rs` affiliation
//! rules, `agent.rs` agent rules, `place.rs` location rules,
//! `discourse.rs` rules that read past the count's phrase (a figure's
//! owner, a glued count word's name, the seller of an order, sets),
//! `document.rs` what the whole document says, `restate.rs` restatements and sums,
//! the word lists are in [`crate::lexicon`], `context.rs` the reading of one sentence
//! (mentions, clauses, antecedents, looked up once per document so that
//! no rule reads a whole sentence for each count).

use crate::doc::{Count, Doc, Party, Role};

mod agent;
mod context;
mod discourse;
mod document;
mod frame;
mod owner;
mod parse;
mod place;
pub mod rank;
mod restate;
pub mod rules;

pub use rules::{RuleSet, RULES};

use context::*;
use document::*;
use frame::{Earlier, Frame, Proposals};

/// A count rule: reads the count's frame, adds to what earlier rules
/// proposed.
type CountRule = fn(&Frame, &mut Proposals);

/// The count rules, by name, in the order they run. A rule runs when it is
/// on; the proposals of the rules before it are its input.
const COUNT_RULES: &[(&str, CountRule)] = &[
    ("definite-restatement", definite_restatement),
    ("counted-phrase", owner::counted_phrase),
    ("demonym-head", owner::demonym_head),
    ("possessive-pronoun", owner::possessive_pronoun),
    ("possessive-name", owner::possessive_name),
    (
        "possessive-country-company",
        owner::possessive_country_company,
    ),
    ("compound-owner", discourse::compound_owner),
    ("of-after-head", owner::of_after_head),
    ("employer-phrase", owner::employer_phrase),
    ("figure-possessor", discourse::figure_possessor),
    ("passive-by-agent", agent::passive_by_agent),
    ("passive-reporter-agent", agent::passive_reporter_agent),
    ("subject-agent", agent::subject_agent),
    ("relative-antecedent", agent::relative_antecedent),
    ("reporter-seller", discourse::reporter_seller),
    (
        "company-cuts-own-workforce",
        owner::company_cuts_own_workforce,
    ),
    ("locative-places", place::locative_places),
    ("place-in-at", place::place_in_at),
    ("workers-at-plant", place::workers_at_plant),
    (
        "reporter-employs-workforce",
        owner::reporter_employs_workforce,
    ),
    ("topic-company-workforce", owner::topic_company_workforce),
    ("refers-back-place", place::refers_back_place),
];

/// `definite-restatement`: "the 175 prisoners", "all 22": the parties of
/// the latest earlier count with this value replace the count's own (a
/// place it names itself is kept when they have none).
fn definite_restatement(f: &Frame, p: &mut Proposals) {
    if matches!(f.word_before(), "the" | "these" | "those" | "all") {
        p.restated = f
            .earlier
            .with_value(f.count.value)
            .map(|i| f.counts[i].parties.clone());
    }
}

/// `restatement-fills-roles`: a count restated with the same value and
/// unit fills the roles it lacks from the latest earlier one.
fn restatement_fills_roles(f: &Frame, out: &mut Count) {
    let Some(i) = f.earlier.with_value_and_unit(f.count.value, &f.count.unit) else {
        return;
    };
    for role in Role::ALL {
        if !out.parties.iter().any(|p| p.role == role) {
            for q in f.counts[i].parties.iter().filter(|p| p.role == role) {
                out.add_party_by(&q.party, role, Some("restatement-fills-roles"));
            }
        }
    }
}

/// Attaches the parties found for count `k`. Returns the places the
/// count's own sentence gives it (none when they come from elsewhere in the
/// document).
fn attach_count(
    cx: &Context,
    counts: &mut [Count],
    k: usize,
    info: &DocInfo,
    earlier: &Earlier,
) -> Found {
    let (out, found) = {
        let Some(f) = Frame::new(cx, info, counts, earlier, k) else {
            return Found::default();
        };
        let mut p = Proposals::default();
        for &(name, rule) in COUNT_RULES {
            if f.on(name) {
                rule(&f, &mut p);
            }
        }
        finish(&f, p)
    };
    counts[k] = out;
    found
}

/// The count with the parties proposed for it, and what else was found.
fn finish(f: &Frame, p: Proposals) -> (Count, Found) {
    // The count's own places.
    let own: Vec<String> = p.locations.iter().map(|l| l.party.clone()).collect();
    let mut out = Count {
        parties: vec![],
        ..f.count.clone()
    };
    // A restatement keeps the parties of its first mention, and may add the
    // place it now names ("the 3,500 workers at its Lansing plant").
    if let Some(parties) = p.restated {
        out.parties = parties
            .into_iter()
            .map(|q| Party {
                rule: Some("definite-restatement"),
                ..q
            })
            .collect();
        if !out.parties.iter().any(|q| q.role == Role::Location) {
            for l in &p.locations {
                out.add_party_by(&l.party, Role::Location, Some(l.rule));
            }
        }
        return (out, Found::default());
    }
    for a in &p.agents {
        out.add_party_by(&a.party, Role::Agent, Some(a.rule));
    }
    for a in &p.affiliations {
        out.add_party_by(&a.party, Role::Affiliation, Some(a.rule));
    }
    for l in &p.locations {
        if !out
            .parties
            .iter()
            .any(|q| q.party == l.party && q.role == Role::Agent)
        {
            out.add_party_by(&l.party, Role::Location, Some(l.rule));
        }
    }
    out.distributive =
        p.distributive && out.parties.iter().filter(|q| q.role == Role::Agent).count() > 1;
    if f.on("restatement-fills-roles") {
        restatement_fills_roles(f, &mut out);
    }
    let found = Found { places: own };
    (out, found)
}

/// What attaching one count found beyond its parties.
#[derive(Default)]
struct Found {
    /// The places the count's own sentence gives it (none when they come
    /// from elsewhere in the document).
    places: Vec<String>,
}

/// What the document rules read: the document, and what attaching each
/// count found.
struct Attached<'a> {
    cx: &'a Context<'a>,
    found: Vec<Found>,
    /// The counts are in text order.
    sorted: bool,
}

/// A document rule: runs once over all the counts of a document.
type DocRule = fn(&Attached, &mut [Count]);

/// The document rules, by name, in the order they run after the count
/// rules.
const DOC_RULES: &[(&str, DocRule)] = &[
    ("partitives", |a, counts| partitives(a.cx, counts)),
    ("shared-sentence-places", shared_sentence_places),
    ("headline-takes-body", headline_takes_body),
    ("lead-place-location", lead_place_location),
    ("mention-links", |a, counts| {
        a.cx.add_work(restate::link_mentions(counts))
    }),
    ("sum-links", sum_links),
];

/// `sum-links`, after `mention-links` (sums are of first mentions).
fn sum_links(a: &Attached, counts: &mut [Count]) {
    if a.cx.on("mention-links") {
        a.cx.add_work(restate::link_sums(counts));
    }
}

/// `shared-sentence-places`: counts of one sentence that found no place of
/// their own share the places the others found ("killing 107 and wounding
/// 238 in Mecca").
fn shared_sentence_places(a: &Attached, counts: &mut [Count]) {
    let doc = a.cx.doc;
    let sentence: Vec<Option<usize>> = counts
        .iter()
        .map(|c| doc.sentence_of(c.span.start))
        .collect();
    // Each sentence's places, in count order, each once.
    let mut shared: std::collections::HashMap<Option<usize>, Vec<&str>> = Default::default();
    for (s, f) in sentence.iter().zip(&a.found) {
        let list = shared.entry(*s).or_default();
        for place in &f.places {
            a.cx.tick();
            if !list.contains(&place.as_str()) {
                list.push(place);
            }
        }
    }
    for (k, c) in counts.iter_mut().enumerate() {
        let list = &shared[&sentence[k]];
        if !a.found[k].places.is_empty() || list.is_empty() {
            continue;
        }
        c.parties.retain(|p| p.role != Role::Location);
        for place in list {
            if !c
                .parties
                .iter()
                .any(|q| q.party == *place && q.role == Role::Agent)
            {
                c.add_party_by(place, Role::Location, Some("shared-sentence-places"));
            }
        }
    }
}

/// `headline-takes-body`: a count of the headline (the first sentence)
/// takes the parties of the body's first count with the same value and
/// unit (or no unit).
fn headline_takes_body(a: &Attached, counts: &mut [Count]) {
    let doc = a.cx.doc;
    let title_end = doc.sentences.first().map_or(0, |s| s.span.end);
    // The first body count of each (value, unit).
    let mut first: std::collections::HashMap<(u64, Option<String>), usize> = Default::default();
    if a.sorted {
        for (j, c) in counts.iter().enumerate().rev() {
            if c.span.start < title_end {
                break;
            }
            if let Some(v) = frame::value_key(c.value) {
                first.insert((v, c.unit.clone()), j);
            }
        }
    }
    let n = counts.len();
    for k in 0..n {
        if counts[k].span.start >= title_end {
            break;
        }
        let (value, unit) = (counts[k].value, counts[k].unit.clone());
        let same = if a.sorted {
            let key = |u: Option<String>| {
                frame::value_key(value).and_then(|v| first.get(&(v, u)).copied())
            };
            match (key(unit), key(None)) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            }
        } else {
            (k + 1..n).find(|&j| {
                let c = &counts[j];
                c.span.start >= title_end
                    && c.value == value
                    && (c.unit == unit || c.unit.is_none())
            })
        };
        let Some(j) = same else { continue };
        for p in counts[j].parties.clone() {
            counts[k].add_party_by(&p.party, p.role, Some("headline-takes-body"));
        }
    }
}

/// `lead-place-location`: counts that found no place anywhere happened
/// where the story did: the one place its lead sentence puts something in.
fn lead_place_location(a: &Attached, counts: &mut [Count]) {
    let Some(place) = lead_place(a.cx) else {
        return;
    };
    for c in counts.iter_mut() {
        if !c.parties.iter().any(|p| p.role == Role::Location) {
            c.add_party_by(&place, Role::Location, Some("lead-place-location"));
        }
    }
}

/// Attaches parties to every count of a document, in text order (a later
/// count may copy an earlier one's). A count of the headline then takes the
/// parties of the body's first count with the same value and unit. Then the
/// ranker built into tally adds the likely candidates in the roles the rules
/// left empty ([`RuleSet::shipped`]).
pub fn attach(doc: &mut Doc) {
    attach_with(doc, &RuleSet::shipped());
}

/// [`attach`] with only the rules that `rules` leaves on.
pub fn attach_with(doc: &mut Doc, rules: &RuleSet) {
    attach_counting(doc, rules);
}

/// [`attach_with`], returning the steps the rules' walks took.
fn attach_counting(doc: &mut Doc, rules: &RuleSet) -> usize {
    let mut counts = std::mem::take(&mut doc.counts);
    let setting: Vec<String>;
    let work;
    {
        let view = doc.token_view();
        let mut cx = Context::new(doc, &view, rules);
        cx.mark_counted(&counts);
        let info = DocInfo {
            country: doc_country(doc),
            protagonist: protagonist(doc),
            plants: plants(&cx),
        };
        setting = info.country.iter().cloned().collect();
        let mut earlier = Earlier::default();
        earlier.sorted = counts
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start);
        let mut found = Vec::with_capacity(counts.len());
        for k in 0..counts.len() {
            cx.tick();
            found.push(attach_count(&cx, &mut counts, k, &info, &earlier));
            earlier.add(k, &counts[k]);
        }
        let attached = Attached {
            cx: &cx,
            found,
            sorted: earlier.sorted,
        };
        for &(name, rule) in DOC_RULES {
            if cx.on(name) {
                rule(&attached, &mut counts);
            }
        }
        if let Some(ranker) = rules.ranker() {
            let facts = rank::DocFacts::new(doc, info.protagonist.clone(), info.country.clone());
            rank::rerank(&cx, &mut counts, &facts, ranker);
        }
        work = cx.work_done();
    }
    doc.counts = counts;
    // The story's country is its setting, not every count's location.
    doc.setting = setting;
    work
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules' work on one sentence of `n` counts ("5 men, 6 men, …"),
    /// with the number of counts and of tokens.
    fn work_on_a_list(n: usize) -> (usize, usize, usize) {
        let text: String = (0..n).map(|i| format!("{} men, ", i + 5)).collect();
        let mut d = Doc::new("list", text + "were freed.");
        crate::segment::segment(&mut d);
        d.counts = crate::counts::find_counts(&d);
        let counts = d.counts.len();
        (
            attach_counting(&mut d, &RuleSet::all()),
            counts,
            d.tokens.len(),
        )
    }

    #[test]
    fn a_sentence_of_many_counts_takes_work_linear_in_its_length() {
        let (w1, c1, t1) = work_on_a_list(1_000);
        let (w10, c10, t10) = work_on_a_list(10_000);
        assert!(c1 > 900 && c10 > 9_000, "{c1} and {c10} counts");
        // A bounded number of steps per count (the sums try the 129 counts
        // around each total), and ten times the counts take about ten
        // times the work (a look back over the sentence per count took a
        // hundred times more).
        assert!(w10 <= 140 * c10, "{w10} steps for {c10} counts");
        assert!(
            w10 <= 11 * w1,
            "{w1} steps for {t1} tokens, {w10} for {t10}"
        );
    }
}
