//! Location rules: where the counted things are or where it happened:
//! places after a locative preposition, the plants a document names, a
//! place referred back to.

use super::context::*;
use super::document::Plant;
use super::frame::{Frame, Proposal, Proposals};
use super::parse;
use crate::doc::{Label, Role};
use crate::lexicon::*;

/// `locative-places`: places after a locative preposition ("in", "at",
/// "near"…, "in the city of X", "at its Lansing plant"), between the
/// previous count of the clause and the next one: in a list of events each
/// count keeps its own place. In a list, a count after another one takes
/// the places that follow it (`list-item-place`); those before it are the
/// previous count's. With none, the places of a relative clause's
/// antecedent.
pub(super) fn locative_places(f: &Frame, p: &mut Proposals) {
    if f.parenthesised {
        return;
    }
    let cx = f.cx;
    let (wlo, whi) = neighbours(cx.doc, f.counts, f.k, f.clo, f.chi);
    let (mut found_before, mut found_after): (Vec<String>, Vec<Proposal>) = (vec![], vec![]);
    for m in cx.mentions_from(wlo, whi) {
        cx.tick();
        let mm = cx.mentions[m];
        if mm.first < wlo || mm.end > whi || cx.label(m) != Label::Loc {
            continue;
        }
        let word_back = |n: usize| {
            if mm.first >= f.lo + n {
                cx.word(mm.first - n)
            } else {
                ""
            }
        };
        let prev = if mm.first > f.lo { word_back(1) } else { "" };
        let chained = prev == "," && mm.first >= 2 && cx.mention_of[mm.first - 2].is_some();
        let place_of = prev == "of" && PLACE_NOUNS.contains(&word_back(2));
        // "at its Lansing plant", "in the city".
        let through_det = matches!(prev, "its" | "the" | "their" | "his" | "her")
            && LOCATIVE_PREPOSITIONS.contains(&word_back(2));
        if LOCATIVE_PREPOSITIONS.contains(&prev)
            || through_det
            || place_of
            || (chained && !(found_before.is_empty() && found_after.is_empty()))
        {
            for g in cx.group(m, wlo, whi) {
                cx.tick();
                let party = cx.party(g, false);
                if mm.first > f.last {
                    found_after.push(Proposal {
                        party,
                        rule: "locative-places",
                    });
                } else {
                    found_before.push(party);
                }
            }
        }
    }
    let listed = f.listed();
    if listed && found_after.is_empty() && f.on("list-item-place") {
        list_item_place(f, &mut found_after);
    }
    if listed && !found_after.is_empty() {
        found_before.clear();
    }
    for party in found_before {
        p.location(party, "locative-places");
    }
    p.locations.extend(found_after);
    if p.locations.is_empty() {
        p.locations = std::mem::take(&mut p.antecedent_places);
    }
}

/// `list-item-place`: in a list ("174 drowned when a ferry capsized in
/// China and 147 died off Sabah"), a place after the count, up to the next
/// count, past a clause break but not past the end of the list's item
/// (";" or ":").
fn list_item_place(f: &Frame, found: &mut Vec<Proposal>) {
    let cx = f.cx;
    let next = f
        .counts
        .get(f.k + 1..)
        .unwrap_or_default()
        .iter()
        .map(|o| {
            cx.tick();
            cx.doc.token_at_or_after(o.span.start)
        })
        .find(|&t| t > f.last)
        .unwrap_or(f.hi)
        .min(f.hi);
    for t in f.last + 1..next {
        cx.tick();
        if matches!(cx.word(t), ";" | ":") {
            break;
        }
        let Some(m) = cx.mention_of[t] else { continue };
        let mm = cx.mentions[m];
        if mm.first != t || mm.end > next || cx.label(m) != Label::Loc {
            continue;
        }
        let prev = cx.word(t - 1);
        let place_of =
            prev == "of" && PLACE_NOUNS.contains(&t.checked_sub(2).map_or("", |i| cx.word(i)));
        if LOCATIVE_PREPOSITIONS.contains(&prev) || place_of {
            found.push(Proposal {
                party: cx.party(m, false),
                rule: "list-item-place",
            });
        }
    }
}

/// `workers-at-plant`: workers with no place are at the plant their
/// sentence names: the nearest one before the count, else the first after.
pub(super) fn workers_at_plant(f: &Frame, p: &mut Proposals) {
    let is_workers = matches!(
        f.unit,
        "worker" | "employee" | "job" | "staff" | "workforce" | "member" | "miner"
    );
    if !p.locations.is_empty() || f.parenthesised || !is_workers {
        return;
    }
    let here: Vec<&Plant> = f
        .info
        .plants
        .iter()
        .filter(|x| {
            f.cx.tick();
            x.sentence == f.si
        })
        .collect();
    let plant = here
        .iter()
        .rev()
        .find(|x| x.token < f.first)
        .or_else(|| here.iter().find(|x| x.token > f.last));
    for place in plant.map_or(&[][..], |x| &x.places) {
        p.location(place.clone(), "workers-at-plant");
    }
}

/// `refers-back-place`: "… will be idled at the plant", "… employees
/// there", "The mill, which employs 525 people": the plant named last
/// within the two sentences before, else the place named last there.
pub(super) fn refers_back_place(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    if !p.locations.is_empty() {
        return;
    }
    // The antecedent of a relative clause counts too.
    let rlo = if f.clo > f.lo && matches!(cx.word(f.clo - 1), "which" | "who") {
        f.lo
    } else {
        f.clo
    };
    if !cx.refers_back_in(rlo, f.chi) {
        return;
    }
    // The plant named last before the count (plants are in text order).
    let plants = &f.info.plants;
    let last_plant = plants[..plants.partition_point(|x| x.token < f.first)]
        .last()
        .filter(|x| x.sentence + 2 >= f.si);
    if let Some(plant) = last_plant {
        for place in &plant.places {
            p.location(place.clone(), "refers-back-place");
        }
        return;
    }
    let from = cx.doc.sentences[f.si.saturating_sub(2)].tokens.start;
    if let Some(m) = cx
        .place_before(f.first, from)
        .and_then(|t| cx.mention_of[t])
    {
        for x in cx.group(m, 0, cx.doc.tokens.len()) {
            cx.tick();
            p.location(cx.party(x, false), "refers-back-place");
        }
    }
}

/// `place-in-at` (parse): "killed 12 people in Kabul", "500 jobs at its
/// plant in Lansing", "3,500 workers at its Lansing plant": a place in a
/// locative phrase (in, at, near…) of the governing verb (`obl`) or of the
/// count's noun (`nmod`): the phrase's noun, a place that is its compound
/// ("Lansing plant"), or a place in a locative phrase of it ("plant in
/// Lansing"), coordinated places included, is a location.
pub(super) fn place_in_at(f: &Frame, p: &mut Proposals) {
    let Some(fx) = &f.parse else { return };
    // "Flint, Mich. (2,500 workers)": the place before the parenthesis.
    if f.parenthesised {
        return;
    }
    let cx = f.cx;
    for &t in &fx.locative {
        cx.tick();
        let here = cx.mention_of[t].filter(|&m| cx.label(m) == Label::Loc);
        let found = here.or_else(|| {
            cx.children[t].iter().find_map(|&c| {
                let rel = parse::deprel(cx, c);
                let fits = rel == "compound"
                    || rel == "nmod" && LOCATIVE_PREPOSITIONS.contains(&parse::case_of(cx, c));
                cx.mention_of[c].filter(|&m| fits && cx.label(m) == Label::Loc)
            })
        });
        let Some(m) = found else { continue };
        for g in cx.group(m, f.lo, f.hi) {
            cx.tick();
            if cx.label(g) == Label::Loc {
                p.propose_new(Role::Location, cx.party(g, false), "place-in-at");
            }
        }
    }
}
