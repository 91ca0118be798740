//! Affiliation rules: whose the counted things are (nationality, people,
//! employer, owner), read off the counted phrase and the words around it.

use super::context::*;
use super::frame::{Frame, Proposals};
use crate::canon::{gazetteer, NameKind};
use crate::doc::Label;
use crate::lexicon::*;

/// `counted-phrase`: names inside the counted phrase, between the number
/// and its head noun ("175 Russian prisoners", "21,600 GM workers"). A
/// place other than a country is a location; a product ("MI-24") or where
/// a thing was made ("Japanese-made") says nothing.
pub(super) fn counted_phrase(f: &Frame, p: &mut Proposals) {
    let (cx, doc) = (f.cx, f.cx.doc);
    for i in f.last + 1..f.head {
        cx.tick();
        if let Some(m) = cx.mention_of[i] {
            if cx.mentions[m].first != i {
                continue;
            }
            let party = cx.party(m, false);
            let surface = doc
                .slice(doc.entities[cx.mentions[m].entity].span)
                .to_lowercase();
            let is_country = gazetteer().country(&party).is_some();
            if cx.label(m) == Label::Loc && !is_country {
                p.location(party, "counted-phrase");
            } else if cx.label(m) == Label::Misc
                && (!is_country || surface.ends_with("-made") || surface.ends_with("-built"))
            {
                // A product or where a thing was made: nothing.
            } else {
                p.affiliation(party, "counted-phrase");
            }
        }
    }
}

/// `demonym-head`: a demonym as the head noun, "1,200 Libyans".
pub(super) fn demonym_head(f: &Frame, p: &mut Proposals) {
    if f.head <= f.last {
        return;
    }
    let h = f.cx.doc.token_text(f.head);
    if h.starts_with(char::is_uppercase) {
        if let Some((country, NameKind::Demonym)) = gazetteer().lookup(h) {
            p.affiliation(country.to_string(), "demonym-head");
        }
    }
}

/// `possessive-pronoun`: "its 22,000 workforce": the pronoun's antecedent.
pub(super) fn possessive_pronoun(f: &Frame, p: &mut Proposals) {
    if f.before > f.lo && POSSESSIVES_IT.contains(&f.word_before()) {
        if let Some(m) = antecedent(f.cx, f.before - 1, false) {
            p.affiliation(f.cx.party(m, false), "possessive-pronoun");
        }
    }
}

/// The token of the possessor in "X's 40,000 seamen", when there is one.
fn possessor(f: &Frame) -> Option<usize> {
    (matches!(f.word_before(), "'s" | "’s") && f.before >= 2).then(|| f.before - 2)
}

/// `possessive-name`: "Brazil's 40,000 seamen": the name before "'s".
pub(super) fn possessive_name(f: &Frame, p: &mut Proposals) {
    if let Some(m) = possessor(f).and_then(|t| f.cx.mention_of[t]) {
        p.affiliation(f.cx.party(m, false), "possessive-name");
    }
}

/// `possessive-country-company`: "the country's 900 largest factories",
/// "the company's 500 workers": the document's country or company.
pub(super) fn possessive_country_company(f: &Frame, p: &mut Proposals) {
    let Some(t) = possessor(f).filter(|&t| f.cx.mention_of[t].is_none()) else {
        return;
    };
    let owner = match f.word(t) {
        "country" => &f.info.country,
        "company" => &f.info.protagonist,
        _ => return,
    };
    if let Some(o) = owner {
        p.affiliation(o.clone(), "possessive-country-company");
    }
}

/// `of-after-head`: "of X", "at X", "from X" after the head noun ("workers
/// of Petrobras", "miners at Anglo American"): a place other than a
/// country, or any place after "at"/"from", is a location.
pub(super) fn of_after_head(f: &Frame, p: &mut Proposals) {
    let (cx, head) = (f.cx, f.head);
    let after = if cx.word(head + 2) == "the" {
        head + 3
    } else {
        head + 2
    };
    if !(after < f.hi && matches!(cx.word(head + 1), "of" | "at" | "from")) {
        return;
    }
    let Some(m) = cx.mention_of[after] else {
        return;
    };
    for g in cx.group(m, f.lo, f.hi) {
        cx.tick();
        let party = cx.party(g, false);
        match cx.label(g) {
            Label::Loc if gazetteer().country(&party).is_none() || cx.word(head + 1) != "of" => {
                p.location(party, "of-after-head")
            }
            _ => p.affiliation(party, "of-after-head"),
        }
    }
}

/// `employer-phrase`: "miners employed by COMIBOL", "4,000 at a
/// Daimler-Benz plant": the organisation that employs them.
pub(super) fn employer_phrase(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    let mut e = f.head + 1;
    match (cx.word(e), cx.word(e + 1)) {
        ("employed" | "hired", "by")
        | ("working", "for" | "at")
        | ("at", "a" | "an" | "the" | "its") => e += 2,
        _ => return,
    }
    while e < f.hi
        && cx.mention_of[e].is_none()
        && matches!(
            cx.word(e),
            "state" | "corporation" | "company" | "firm" | "the" | "group"
        )
    {
        cx.tick();
        e += 1;
    }
    if let Some(m) = cx.mention_of.get(e).copied().flatten() {
        if cx.label(m) == Label::Org {
            p.affiliation(cx.party(m, false), "employer-phrase");
        }
    }
}

/// `company-cuts-own-workforce`: a company that lays off or idles workers
/// (the one agent found) is also their owner.
pub(super) fn company_cuts_own_workforce(f: &Frame, p: &mut Proposals) {
    if !p.affiliations.is_empty() || p.agents.len() != 1 || !WORKFORCE.contains(&f.unit) {
        return;
    }
    let agent = p.agents[0].party.clone();
    let is_org =
        f.cx.doc
            .entities
            .iter()
            .any(|e| e.label == Label::Org && e.canonical == agent);
    if is_org {
        p.affiliation(agent, "company-cuts-own-workforce");
    }
}

/// `reporter-employs-workforce`: "About 8,000 miners returned to work …,
/// mine owner Anglo American said": a company that reports on a workforce
/// employs it.
pub(super) fn reporter_employs_workforce(f: &Frame, p: &mut Proposals) {
    if !p.affiliations.is_empty() || !(WORKFORCE.contains(&f.unit) || f.unit == "miner") {
        return;
    }
    if let Some(m) = f.cx.sentence_reporter(f.si) {
        p.affiliation(f.cx.party(m, false), "reporter-employs-workforce");
    }
}

/// `topic-company-workforce`: the company the document is about owns the
/// workforce it counts, and is the agent when the clause says something is
/// done to it.
pub(super) fn topic_company_workforce(f: &Frame, p: &mut Proposals) {
    let Some(company) = f.info.protagonist.as_deref() else {
        return;
    };
    if !WORKFORCE.contains(&f.unit) {
        return;
    }
    if p.affiliations.is_empty() {
        p.affiliation(company.to_string(), "topic-company-workforce");
    }
    if p.agents.is_empty() && !f.owned && f.cx.action_in(f.clo, f.chi) {
        p.agent(company.to_string(), "topic-company-workforce");
    }
}
