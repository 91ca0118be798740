//! Rules that read past the count's own phrase into the discourse: a
//! figure noun's owner ("Ford's sales … rose to 157,031") owns the figure,
//! a name a glued count word qualifies ("the 13-member OPEC") owns the
//! count, a company that reports an order is its seller, an agent (ANNOTATE
//! decision 11), and a count that names a set the subject belongs to ("was
//! among the initial 12 customers") is not acted on.

use super::frame::{Frame, Proposals};
use crate::canon::{gazetteer, NameKind};
use crate::doc::{Label, Role};
use crate::lexicon::*;

/// Figure nouns whose owner is also the one that acts: "Ford's sales",
/// "Boeing's orders" (the seller sells: ANNOTATE decision 11).
const SELLING_FIGURES: &[&str] = &["sale", "order", "delivery"];

/// Words of buying and ordering: a clause that holds one is one of buying
/// or ordering, whose reporter is the seller (`reporter-seller`).
pub(super) const PURCHASE_WORDS: &[&str] = &[
    "buy",
    "buys",
    "bought",
    "buying",
    "purchase",
    "purchased",
    "purchases",
    "order",
    "ordered",
    "orders",
    "ordering",
    "acquire",
    "acquired",
    "lease",
    "leased",
];

/// The token of the figure noun a bare number takes its unit from, before
/// it in its clause: "Ford's [sales] of U.S. cars were up 6.9 pct to
/// 157,031".
fn figure_noun(f: &Frame) -> Option<usize> {
    if f.unit.is_empty() || f.head > f.last {
        return None;
    }
    let unit = f.unit;
    // Within a few words: "exports fell 9.3 pct in May from a year earlier
    // to 531,253" (a bounded look, whatever the clause's length).
    let from = f.clo.max(f.before.saturating_sub(16));
    (from..f.before).rev().find(|&t| {
        f.cx.tick();
        let w = f.word(t);
        w == unit || w.strip_suffix('s') == Some(unit) || w.strip_suffix("es") == Some(unit)
    })
}

/// `figure-possessor`: "Ford's sales of U.S. cars … rose to 157,031",
/// "Japanese vehicle exports fell … to 531,253", "the company's car sales
/// dipped to 265,301": the owner of the figure noun (a possessor, a name
/// or demonym modifying it, "the company's", "the country's") is the
/// affiliation of the number; of sales and orders, the agent too.
pub(super) fn figure_possessor(f: &Frame, p: &mut Proposals) {
    if !p.affiliations.is_empty() {
        return;
    }
    let Some(noun) = figure_noun(f) else { return };
    let cx = f.cx;
    let mut t = noun;
    let mut owner: Option<String> = None;
    while t > f.clo && noun - t < 6 {
        cx.tick();
        let w = cx.word(t - 1);
        if let Some(m) = cx.mention_of[t - 1] {
            let first = cx.mentions[m].first;
            let possessed = matches!(cx.word(cx.mentions[m].end), "'s" | "’s");
            let demonym = cx.label(m) == Label::Misc
                && gazetteer()
                    .lookup(cx.doc.token_text(first))
                    .is_some_and(|(_, k)| k == NameKind::Demonym);
            if possessed || demonym || cx.label(m) == Label::Org {
                owner = Some(cx.party(m, false));
            }
            break;
        }
        if matches!(w, "'s" | "’s") {
            t -= 1;
            continue;
        }
        if matches!(w, "company" | "country") && t >= 2 && cx.word(t - 2) == "the" {
            owner = if w == "company" {
                f.info.protagonist.clone()
            } else {
                f.info.country.clone()
            };
            break;
        }
        if !is_adjective_like(w) {
            break;
        }
        t -= 1;
    }
    let Some(owner) = owner else { return };
    if SELLING_FIGURES.contains(&f.unit) && p.agents.is_empty() {
        p.agent(owner.clone(), "figure-possessor");
    }
    p.affiliation(owner, "figure-possessor");
}

/// Is the clause around the count one of buying or ordering ("the purchase
/// of 25 planes from Airbus", "opting to order six MD-11 aircraft from
/// McDonnell Douglas")?
fn purchase_clause(f: &Frame) -> bool {
    f.cx.purchase_in(f.clo, f.chi)
}

/// `reporter-seller`: "McDonnell Douglas Corp said Korean Air signed formal
/// orders for four MD-11 jets", "Boeing said Air France has placed firm
/// orders for two 737s": a company that reports an order or a purchase of
/// the counted things reports its own sale (FORMAT decision 5): it is an
/// agent with the buyer (ANNOTATE decision 11).
pub(super) fn reporter_seller(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    if !purchase_clause(f) {
        return;
    }
    let Some(m) = cx.sentence_reporter(f.si) else {
        return;
    };
    // The reporter speaks before the count ("X said … 25 planes").
    if cx.mentions[m].end > f.first {
        return;
    }
    let party = cx.party(m, true);
    if gazetteer().lookup(&party).is_some() || is_news_agency(&party) {
        return;
    }
    p.propose_new(Role::Agent, party, "reporter-seller");
}

/// Is `party` an organisation that reports others' acts for a living?
fn is_news_agency(party: &str) -> bool {
    NEWS_AGENCIES.iter().any(|n| party.contains(n))
}

/// Organisations that report others' acts for a living.
const NEWS_AGENCIES: &[&str] = &[
    "Reuter",
    "Associated Press",
    "Press Association",
    "News Agency",
    "Agence France",
    "Tass",
    "Xinhua",
    "Kyodo",
    "Tanjug",
    "ANP",
];

/// `compound-owner`: "the 13-member OPEC", "the 12-nation European
/// Community": the name a count word glued to the number qualifies is the
/// affiliation of the count.
pub(super) fn compound_owner(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    if f.count.compound.is_none() || f.head <= f.last {
        return;
    }
    if let Some(m) = cx.mention_of.get(f.head).copied().flatten() {
        if matches!(cx.label(m), Label::Org | Label::Loc) {
            p.propose_new(Role::Affiliation, cx.party(m, false), "compound-owner");
        }
    }
}

/// `set-not-acted-on`: "Korean Air was among the initial 12 customers",
/// "X, one of the six major mining houses", "differences between the two
/// companies": a count after a preposition and "the" (adjectives between
/// included) names a set that the clause's subject belongs to or speaks
/// of, not things it acted on: the subject walk does not run for it.
pub(super) fn set_not_acted_on(f: &Frame) -> bool {
    let cx = f.cx;
    if !f.on("set-not-acted-on") {
        return false;
    }
    let mut b = f.before;
    // One adjective between "the" and the number: "the initial 12", "the
    // remaining four" (not a verb: "the Democratic Party received 491,667").
    if b > f.lo
        && cx.mention_of[b - 1].is_none()
        && is_adjective_like(cx.word(b - 1))
        && !cx.word(b - 1).ends_with("ed")
    {
        b -= 1;
    }
    b >= f.lo + 2 && cx.word(b - 1) == "the" && matches!(cx.word(b - 2), "among" | "between" | "of")
}

/// A lower-case word that may modify a noun or stand between "the" and a
/// number ("the initial 12", "the remaining four"; "the" itself is one of
/// `NOT_MODIFIERS`).
fn is_adjective_like(w: &str) -> bool {
    !w.is_empty()
        && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !NOT_MODIFIERS.contains(&w)
        && !PREPOSITIONS.contains(&w)
}
