//! Agent rules: who did what happened to the counted things: the by-phrase
//! of a passive, the body that reports a passive, the subject of the count's clause (and the matchers the subject walk
//! tries at each token), the antecedent of a relative clause.

use super::context::*;
use super::frame::{Frame, Proposals};
use crate::canon::gazetteer;
use crate::doc::Label;
use crate::lexicon::*;

/// `passive-by-agent`: "… were released by Ukraine": the by-phrase of a
/// passive, coordinated names included.
pub(super) fn passive_by_agent(f: &Frame, p: &mut Proposals) {
    let Some(passive) = f.passive else { return };
    let cx = f.cx;
    let v = passive.participle;
    let Some(b) = (v + 1..f.chi.min(v + 8)).find(|&b| {
        cx.tick();
        cx.word(b) == "by"
    }) else {
        return;
    };
    let mut t = b + 1;
    while t < f.hi && matches!(cx.word(t), "the" | "both") {
        cx.tick();
        t += 1;
    }
    if let Some(m) = cx.mention_of.get(t).copied().flatten() {
        for g in cx.group(m, f.lo, f.hi) {
            p.agent(cx.party(g, true), "passive-by-agent");
        }
    }
}

/// `passive-reporter-agent`: "the Russian Defense Ministry said 175 …
/// were transferred": a government body that reports a passive without a
/// by-phrase is its country, the agent.
pub(super) fn passive_reporter_agent(f: &Frame, p: &mut Proposals) {
    if f.passive.is_none() || !p.agents.is_empty() {
        return;
    }
    let cx = f.cx;
    let Some(r) = cx.reporting_before(f.first, f.lo + 1) else {
        return;
    };
    if let Some(m) = cx.mention_of[r - 1] {
        let e = &cx.doc.entities[cx.mentions[m].entity];
        if e.label == Label::Org && cx.party(m, true) != e.canonical {
            p.agent(cx.party(m, true), "passive-reporter-agent");
        }
    }
}

/// Whether the subject walk runs for this count: an active clause (no
/// passive after the count), the count not in parentheses nor governed by
/// a preposition, and something before it in its clause.
pub(super) fn subject_walk_applies(f: &Frame) -> bool {
    f.passive.is_none()
        && !f.parenthesised
        && !f.governed
        && f.first > f.clo
        && !super::discourse::set_not_acted_on(f)
}

/// What one token tells the subject walk.
enum Step {
    /// Nothing: read on to the left.
    Next,
    /// A mention group that is not the subject: read on before its start.
    Skip(usize),
    /// The walk ends (with or without a proposal).
    Stop,
}

/// `subject-agent`: the subject of the count's clause: the nearest mention
/// group before the count that no preposition governs, a pronoun's
/// antecedent, the country of forces or the document's government. The walk reads back
/// from the count to the start of its clause, or to a verb of saying ("X
/// said 344 members went on strike"); at each token it tries, in turn:
/// a mention (this rule, and `event-place`, `owner-subject`),
/// `subject-pronoun`, `forces-country`, `government-is-country`.
pub(super) fn subject_agent(f: &Frame, p: &mut Proposals) {
    if !subject_walk_applies(f) {
        return;
    }
    let cx = f.cx;
    let mut t = f.first;
    while let Some(s) = cx.subject_stop_before(t, f.clo) {
        cx.tick();
        t = s;
        let w = cx.word(t);
        if ATTRIBUTION_VERBS.contains(&w) {
            break;
        }
        let step = match cx.mention_of[t] {
            Some(m) => subject_mention(f, p, m),
            None => subject_word(f, p, t),
        };
        match step {
            Step::Next => {}
            Step::Skip(gfirst) => t = gfirst,
            Step::Stop => break,
        }
    }
}

/// The subject walk at a mention `m`.
fn subject_mention(f: &Frame, p: &mut Proposals, m: usize) -> Step {
    let (cx, lo) = (f.cx, f.lo);
    let mm = cx.mentions[m];
    // Judge the whole coordinated group by what stands before it.
    let g = cx.group(m, f.clo, f.first);
    let gfirst = cx.mentions[g[0]].first;
    let prev = if gfirst > lo { cx.word(gfirst - 1) } else { "" };
    let possessed = matches!(cx.word(mm.end), "'s" | "’s");
    let governed = PREPOSITIONS.contains(&prev) && prev != "with"
        || matches!(prev, "both" | "the" | "all")
            && gfirst >= lo + 2
            && PREPOSITIONS.contains(&cx.word(gfirst - 2));
    let is_loc = cx.label(m) == Label::Loc;
    // "the Ruhr plants", "southwest Japan": a place described, not an actor.
    let modifier =
        is_loc && (matches!(prev, "the" | "a" | "an" | "its" | "their") || COMPASS.contains(&prev));
    // `event-place`: "Japan Earthquake Kills One", "Mecca crane collapse":
    // the place of the event, not its agent.
    if is_loc
        && f.on("event-place")
        && (EVENTS.contains(&cx.word(mm.end)) || EVENTS.contains(&cx.word(mm.end + 1)))
    {
        p.location(cx.party(m, false), "event-place");
        return Step::Stop;
    }
    // A place other than a country does not act.
    let inert = is_loc && gazetteer().country(&cx.party(m, true)).is_none();
    if governed || possessed || modifier || inert || cx.label(m) == Label::Misc {
        return Step::Skip(gfirst);
    }
    let acting = g.iter().filter(|&&x| {
        cx.label(x) != Label::Loc || gazetteer().country(&cx.party(x, true)).is_some()
    });
    for &x in acting {
        cx.tick();
        if !f.owned {
            p.agent(cx.party(x, true), "subject-agent");
        } else if f.on("owner-subject") {
            p.affiliation(cx.party(x, false), "owner-subject");
        }
    }
    let gend = cx.mentions[*g.last().expect("a group holds its mention")].end;
    p.distributive = cx.each_in(gend, f.first);
    Step::Stop
}

/// The subject walk at a token `t` that is not in a mention.
fn subject_word(f: &Frame, p: &mut Proposals, t: usize) -> Step {
    let (cx, lo) = (f.cx, f.lo);
    let w = cx.word(t);
    // `subject-pronoun`: "it", "they", "he", "she": the antecedent.
    if (PRONOUNS_IT.contains(&w) || PRONOUNS_PER.contains(&w)) && f.on("subject-pronoun") {
        if let Some(m) = antecedent(cx, t, PRONOUNS_PER.contains(&w)) {
            if f.owned {
                p.affiliation(cx.party(m, false), "subject-pronoun");
            } else {
                p.agent(cx.party(m, true), "subject-pronoun");
            }
        }
        return Step::Stop;
    }
    // `forces-country`: "troops killed 1,269 Libyans": whose troops they
    // are. (Not the counted noun of another count: "29 Chadian soldiers
    // were killed and 58 wounded".)
    if FORCES.contains(&w) && !cx.counted[t] && f.on("forces-country") {
        if let Some(country) = force_country(cx, t, lo, f.info) {
            p.agent(country, "forces-country");
        }
        return Step::Stop;
    }
    // `government-is-country`: "the government sent 1,000 marines": the
    // country the document is set in.
    if matches!(w, "government" | "authorities") && t > lo && cx.word(t - 1) == "the" {
        if let Some(c) = f
            .info
            .country
            .as_deref()
            .filter(|_| f.on("government-is-country"))
        {
            p.agent(c.to_string(), "government-is-country");
        }
        return Step::Stop;
    }
    Step::Next
}

/// `relative-antecedent`: "Autolatina, which last Friday laid off 4,000
/// workers": the antecedent of the relative pronoun is the subject; "Romek
/// Corp, based in Elyria, which employs 262 people" owns them, there.
pub(super) fn relative_antecedent(f: &Frame, p: &mut Proposals) {
    let cx = f.cx;
    if !subject_walk_applies(f)
        || !f.on("subject-agent")
        || !p.agents.is_empty()
        || !p.affiliations.is_empty()
        || f.clo <= f.lo
        || !matches!(cx.word(f.clo - 1), "which" | "who")
    {
        return;
    }
    let Some((m, places)) = super::context::relative_antecedent(cx, f.lo, f.clo - 1) else {
        return;
    };
    if cx.label(m) == Label::Misc {
        return;
    }
    if f.owned {
        p.affiliation(cx.party(m, false), "relative-antecedent");
        for &x in &places {
            p.antecedent_places.push(super::frame::Proposal {
                party: cx.party(x, false),
                rule: "relative-antecedent",
            });
        }
    } else {
        p.agent(cx.party(m, true), "relative-antecedent");
    }
}
