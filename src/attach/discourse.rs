//! Rules that read past the count's own phrase into the discourse: "the
//! company" as a subject stands for the company the story is about, a
//! count compared with an earlier one ("to 157,031 from 146,898") is of the
//! same things, a figure noun's owner ("Ford's sales … rose to 157,031")
//! owns the figure, and the seller of an order ("25 planes from Airbus") is
//! its agent (ANNOTATE decision 11).

use super::context::*;
use super::document::DocInfo;
use super::frame::{Frame, Proposals};
use crate::canon::{gazetteer, NameKind};
use crate::doc::{Label, Role};
use crate::lexicon::*;

/// Nouns that, after "the", stand for a company named before: "the
/// company said", "the automaker sold".
pub(super) const COMPANY_NOUNS: &[&str] = &[
    "company",
    "firm",
    "group",
    "bank",
    "airline",
    "automaker",
    "carmaker",
    "concern",
    "corporation",
    "manufacturer",
    "maker",
    "carrier",
    "insurer",
    "retailer",
    "utility",
];

/// Words right before a number that compare it with an earlier one of the
/// same things: "rose to 157,031 from 146,898", "against 5,900".
const COMPARED_AFTER: &[&str] = &["from", "against", "versus", "vs", "vs."];

/// Figure nouns whose owner is also the one that acts: "Ford's sales",
/// "Boeing's orders" (the seller sells: ANNOTATE decision 11).
const SELLING_FIGURES: &[&str] = &["sale", "order", "delivery"];

/// Nouns of an order, after which "for N things" names what is ordered.
pub(super) const ORDER_NOUNS: &[&str] = &[
    "order",
    "orders",
    "options",
    "contract",
    "contracts",
    "commitments",
];

/// Words of buying and ordering in a clause: the "from X" of its counted
/// things is the seller.
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

/// The company that "the company" (token `t` is the noun) stands for: the
/// nearest organisation named before it that is neither a government body
/// nor a news agency, else the company the document is about. (Preferring
/// the document's company gave the same figures on dev, test and train.)
pub(super) fn company_referent(cx: &Context, info: &DocInfo, t: usize) -> Option<String> {
    let ms = cx.mentions_from(0, t);
    let mut tried = 0;
    for m in ms.rev() {
        cx.tick();
        tried += 1;
        if tried > 64 {
            break;
        }
        if cx.mentions[m].end > t || cx.label(m) != Label::Org {
            continue;
        }
        let party = cx.party(m, true);
        if gazetteer().lookup(&party).is_some() {
            continue;
        }
        let lower = party.to_lowercase();
        if GOVERNMENT.iter().any(|g| lower.contains(g)) || is_news_agency(&party) {
            continue;
        }
        return Some(party);
    }
    info.protagonist.clone()
}

/// Is token `t` "the company" (or another of [`COMPANY_NOUNS`] after
/// "the"), not possessed ("the company's")?
pub(super) fn is_the_company(cx: &Context, t: usize) -> bool {
    t > 0
        && cx.word(t - 1) == "the"
        && COMPANY_NOUNS.contains(&cx.word(t))
        && !matches!(cx.word(t + 1), "'s" | "’s")
        && cx.mention_of[t].is_none()
}

/// `comparison-base`: "rose to 157,031 from 146,898", "5,500 employees, up
/// from 4,300", "7,800 against original projections of 5,900": a count
/// compared with the count just before it in its sentence (of the same
/// unit, or of none) is of the same things: it takes the parties of the
/// roles it lacks from that count.
pub(super) fn comparison_base(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    let prev = f.word_before();
    let compared = COMPARED_AFTER.contains(&prev)
        || (matches!(prev, "with" | "to")
            && f.before >= f.lo + 2
            && matches!(
                cx.word(f.before - 2),
                "compared" | "compares" | "comparing" | "comparison"
            ));
    if !compared || f.k == 0 || !f.listed() {
        return;
    }
    let base = &f.counts[f.k - 1];
    if base.unit != f.count.unit && base.unit.is_some() && f.count.unit.is_some() {
        return;
    }
    for q in &base.parties {
        let have = match q.role {
            Role::Agent => &p.agents,
            Role::Affiliation => &p.affiliations,
            Role::Location => &p.locations,
        };
        if have.is_empty() || have.iter().any(|h| h.rule == "comparison-base") {
            p.propose_new(q.role, q.party.clone(), "comparison-base");
        }
    }
}

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
        let modifier = !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && !NOT_MODIFIERS.contains(&w)
            && !PREPOSITIONS.contains(&w);
        if !modifier {
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
pub(super) fn purchase_clause(f: &Frame) -> bool {
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
pub(super) fn is_news_agency(party: &str) -> bool {
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

/// `possessive-company-noun`: "the group's other three divisions", "the
/// union's 20,000 members", "the airline's 40 jets": the company (or the
/// union) named last is the affiliation.
pub(super) fn possessive_company_noun(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    // "the group's [other] three divisions".
    let mut b = f.before;
    if b > f.lo && matches!(cx.word(b - 1), "other" | "remaining") {
        b -= 1;
    }
    if b < f.lo + 3 || !matches!(cx.word(b - 1), "'s" | "’s") {
        return;
    }
    let t = b - 2;
    let w = cx.word(t);
    if cx.word(t - 1) != "the" || cx.mention_of[t].is_some() || w == "company" {
        return;
    }
    let owner = if w == "union" {
        union_before(cx, t)
    } else if COMPANY_NOUNS.contains(&w) {
        company_referent(cx, f.info, t)
    } else {
        None
    };
    if let Some(o) = owner {
        p.affiliation(o, "possessive-company-noun");
    }
}

/// The union named last before token `t`: an organisation whose name says
/// it is one ("Union", "Workers", "Federation", "Local 594").
fn union_before(cx: &Context, t: usize) -> Option<String> {
    cx.mentions_from(0, t)
        .rev()
        .take(64)
        .filter(|&m| cx.mentions[m].end <= t && cx.label(m) == Label::Org)
        .map(|m| cx.party(m, false))
        .find(|party| {
            cx.tick();
            let lower = party.to_lowercase();
            ["union", "workers", "federation", "local "]
                .iter()
                .any(|u| lower.contains(u))
        })
}

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

/// `reporter-own-cuts`: "The company said about 350 jobs will be affected
/// in Columbia", "'layoffs could reach 2,000,' the automaker said": a
/// company that reports an action on a workforce (cuts, lay-offs,
/// closures) reports its own act (FORMAT decision 5): it is the agent and
/// the affiliation, where no other rule found them.
pub(super) fn reporter_own_cuts(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    let workforce = WORKFORCE.contains(&f.unit) || matches!(f.unit, "layoff" | "cut");
    if !workforce || f.owned || !(cx.action_in(f.clo, f.chi) || f.unit == "layoff") {
        return;
    }
    let Some(company) = sentence_company_reporter(f) else {
        return;
    };
    if p.agents.is_empty() {
        p.agent(company.clone(), "reporter-own-cuts");
    }
    if p.affiliations.is_empty() {
        p.affiliation(company, "reporter-own-cuts");
    }
}

/// The company that reports in the count's sentence: a named organisation
/// before a verb of saying, else "the company" (airline, automaker…)
/// before or after one ("the automaker said").
fn sentence_company_reporter(f: &Frame) -> Option<String> {
    let cx = f.cx;
    if let Some(m) = cx.sentence_reporter(f.si) {
        let party = cx.party(m, true);
        let skip = gazetteer().lookup(&party).is_some() || is_news_agency(&party);
        return (!skip).then_some(party);
    }
    // The sentence's last verb of saying (looked up, not read for).
    let said = cx.reporting_before(f.hi, f.lo + 1)?;
    let t = if is_the_company(cx, said - 1) {
        said - 1
    } else if said + 2 < f.hi && cx.word(said + 1) == "the" && is_the_company(cx, said + 2) {
        said + 2
    } else {
        return None;
    };
    company_referent(cx, f.info, t)
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

/// A lower-case word that may stand between "the" and a number ("the
/// initial 12", "the remaining four").
fn is_adjective_like(w: &str) -> bool {
    !w.is_empty()
        && w != "the"
        && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !NOT_MODIFIERS.contains(&w)
        && !PREPOSITIONS.contains(&w)
}
