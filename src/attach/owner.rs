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
/// a thing was made ("Japanese-made") says nothing. At each token it tries,
/// in turn, this rule, `phrase-its-their` and `phrase-country-word`.
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
        } else if matches!(cx.word(i), "its" | "their") {
            if !f.on("phrase-its-their") {
                continue;
            }
            if let Some(m) = antecedent(cx, i, false) {
                p.affiliation(cx.party(m, false), "phrase-its-their");
            }
        } else if let Some(country) = gazetteer()
            .country(doc.token_text(i))
            .filter(|_| doc.token_text(i).starts_with(char::is_uppercase))
            .filter(|_| f.on("phrase-country-word"))
        {
            p.affiliation(country.to_string(), "phrase-country-word");
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

/// `whose-owner`: "the union, whose 65 members …": the name before "whose".
pub(super) fn whose_owner(f: &Frame, p: &mut Proposals) {
    let (cx, before) = (f.cx, f.before);
    if f.word_before() != "whose" || before < f.lo + 2 {
        return;
    }
    let t = if cx.word(before - 2) == "," {
        before.checked_sub(3)
    } else {
        Some(before - 2)
    };
    if let Some(m) = t.and_then(|t| cx.mention_of.get(t).copied().flatten()) {
        p.affiliation(cx.party(m, false), "whose-owner");
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

/// `person-of-org`: "Two politicians, Lee of the Labour Party and Fung of
/// ADPL, were defeated": the organisations of the people the count names.
pub(super) fn person_of_org(f: &Frame, p: &mut Proposals) {
    let (cx, hi) = (f.cx, f.hi);
    let mut t = f.head + 1;
    while t < hi && matches!(cx.word(t), "," | "were" | "are" | "was" | "is") {
        cx.tick();
        t += 1;
    }
    while let Some(x) = cx.mention_of.get(t).copied().flatten() {
        cx.tick();
        let pm = cx.mentions[x];
        if cx.label(x) != Label::Per || pm.first != t || cx.word(pm.end) != "of" {
            break;
        }
        let o = if cx.word(pm.end + 1) == "the" {
            pm.end + 2
        } else {
            pm.end + 1
        };
        let Some(org) = cx.mention_of.get(o).copied().flatten() else {
            break;
        };
        if cx.label(org) != Label::Org {
            break;
        }
        p.affiliation(cx.party(org, false), "person-of-org");
        t = cx.mentions[org].end;
        if !matches!(cx.word(t), "and" | ",") {
            break;
        }
        t += 1;
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

/// `forces-affiliation`: forces are their country's: the one country that
/// sends them, else (when no one acts) the one the document is set in.
pub(super) fn forces_affiliation(f: &Frame, p: &mut Proposals) {
    if !p.affiliations.is_empty() || !FORCE_UNITS.contains(&f.unit) {
        return;
    }
    let senders: Vec<&String> = p
        .agents
        .iter()
        .map(|a| &a.party)
        .filter(|a| gazetteer().country(a).is_some())
        .collect();
    let found = match senders.as_slice() {
        [one] => Some(one.to_string()),
        [] if p.agents.is_empty() => f.info.country.clone(),
        _ => None,
    };
    if let Some(c) = found {
        p.affiliation(c, "forces-affiliation");
    }
}

/// `member-size`: "the 1.1 mln-member union": the count gives the size of
/// an organisation named before; no one acts on it. The count word is
/// read as the counts stage found it, written in lower case; the kind of
/// organisation is the head noun after it ("union").
pub(super) fn member_size(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    if f.count.compound.as_deref() != Some("member") {
        return;
    }
    p.agents.clear();
    if !p.affiliations.is_empty() {
        return;
    }
    let kind = cx.word(f.head).trim_matches(|ch: char| !ch.is_alphabetic());
    let org = (0..f.first)
        .rev()
        .filter_map(|t| {
            cx.tick();
            cx.mention_of[t]
        })
        .find(|&m| {
            let name = cx.party(m, false).to_lowercase();
            cx.label(m) == Label::Org
                && !kind.is_empty()
                && (name.contains(kind) || kind == "union" && name.contains("workers"))
        });
    if let Some(m) = org {
        p.affiliation(cx.party(m, false), "member-size");
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
