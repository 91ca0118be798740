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
//! - location: places after a locative preposition in the sentence, places
//!   before a parenthesised count ("Flint, Mich. (2,500 workers)"), else the
//!   one country the whole document is set in;
//! - `distributive` for "X and Y each …";
//! - from the whole document (`document.rs`): its country, its company, the
//!   plants it names with their places, the place of its lead sentence, the
//!   two sides of a conflict, parts of a whole.
//!
//! The word lists are in [`crate::lexicon`]; `context.rs` holds the reading
//! of one sentence (mentions, clauses, antecedents).

use crate::canon::{gazetteer, NameKind};
use crate::doc::{Count, Doc, Label, Role};

mod context;
mod document;
mod restate;
pub mod rules;

pub use rules::{RuleSet, RULES};

use crate::lexicon::*;
use context::*;
use document::*;

/// Adds the parties found for one count. `k` is the count's index.
/// Returns the places the count's own sentence gives it (none when they
/// come from elsewhere in the document).
fn attach_count(cx: &Context, counts: &mut [Count], k: usize, info: &DocInfo) -> Found {
    let doc = cx.doc;
    let c = counts[k].clone();
    let Some(si) = doc.sentence_of(c.span.start) else {
        return Found::default();
    };
    let sent = &doc.sentences[si];
    let (lo, hi) = (sent.tokens.start, sent.tokens.end);
    let first = doc.token_at_or_after(c.span.start);
    let mut last = first;
    while last + 1 < hi && doc.tokens[last + 1].span.start < c.span.end {
        last += 1;
    }
    let head = c.unit_span.map_or(last, |u| {
        doc.token_at_or_after(u.start)
            .min(hi.saturating_sub(1))
            .max(last)
    });
    let mut out = Count {
        parties: vec![],
        ..c.clone()
    };

    // A definite restatement takes the earlier count's parties.
    let mut before = first;
    while before > lo
        && matches!(
            cx.word(before - 1),
            "about" | "some" | "nearly" | "almost" | "over" | "around" | "roughly"
        )
    {
        before -= 1;
    }
    let restated = if cx.on("definite-restatement")
        && before > lo
        && matches!(cx.word(before - 1), "the" | "these" | "those" | "all")
    {
        counts[..k]
            .iter()
            .rev()
            .find(|p| p.value == c.value && !p.parties.is_empty())
            .map(|p| p.parties.clone())
    } else {
        None
    };

    let (clo, chi) = clause(cx, lo, hi, first);
    let mut agents: Vec<String> = Vec::new();
    let mut affiliations: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();

    // Affiliation inside the counted phrase: "175 Russian prisoners",
    // "21,600 GM workers".
    for i in last + 1..head {
        if let Some(m) = cx.mention_of[i] {
            if cx.mentions[m].first == i {
                let p = cx.party(m, false);
                let surface = doc
                    .slice(doc.entities[cx.mentions[m].entity].span)
                    .to_lowercase();
                let is_country = gazetteer().country(&p).is_some();
                if cx.label(m) == Label::Loc && !is_country {
                    locations.push(p);
                } else if cx.label(m) == Label::Misc
                    && (!is_country || surface.ends_with("-made") || surface.ends_with("-built"))
                {
                    // A product ("MI-24") or where a thing was made says
                    // nothing of whose it is.
                } else {
                    affiliations.push(p);
                }
            }
        } else if matches!(cx.word(i), "its" | "their") {
            if let Some(m) = antecedent(cx, i, false) {
                affiliations.push(cx.party(m, false));
            }
        } else if let Some(country) = gazetteer()
            .country(doc.token_text(i))
            .filter(|_| doc.token_text(i).starts_with(char::is_uppercase))
        {
            affiliations.push(country.to_string());
        }
    }
    // A demonym as the head noun: "1,200 Libyans".
    if head > last {
        let h = doc.token_text(head);
        if h.starts_with(char::is_uppercase) {
            if let Some((country, NameKind::Demonym)) = gazetteer().lookup(h) {
                affiliations.push(country.to_string());
            }
        }
    }
    // A possessive right before the number: "Brazil's 40,000 seamen", "its
    // 22,000 workforce".
    if before > lo {
        let w = cx.word(before - 1);
        if w == "whose" && before >= lo + 2 {
            // "the union, whose 65 members …": the name before.
            let t = if cx.word(before - 2) == "," {
                before - 3
            } else {
                before - 2
            };
            if let Some(m) = cx.mention_of.get(t).copied().flatten() {
                affiliations.push(cx.party(m, false));
            }
        } else if POSSESSIVES_IT.contains(&w) {
            if let Some(m) = antecedent(cx, before - 1, false) {
                affiliations.push(cx.party(m, false));
            }
        } else if (w == "'s" || w == "’s") && before >= 2 {
            if let Some(m) = cx.mention_of[before - 2] {
                affiliations.push(cx.party(m, false));
            } else if cx.word(before - 2) == "country" && cx.on("possessive-country-company") {
                // "the country's 900 largest factories".
                affiliations.extend(info.country.clone());
            } else if cx.word(before - 2) == "company" && cx.on("possessive-country-company") {
                affiliations.extend(info.protagonist.clone());
            }
        }
    }
    // "of X" / "at X" after the head noun.
    let after = if cx.word(head + 2) == "the" {
        head + 3
    } else {
        head + 2
    };
    if after < hi && matches!(cx.word(head + 1), "of" | "at" | "from") {
        if let Some(m) = cx.mention_of[after] {
            for g in cx.group(m, lo, hi) {
                match cx.label(g) {
                    Label::Loc
                        if gazetteer().country(&cx.party(g, false)).is_none()
                            || cx.word(head + 1) != "of" =>
                    {
                        locations.push(cx.party(g, false))
                    }
                    _ => affiliations.push(cx.party(g, false)),
                }
            }
        }
    }

    // "Two politicians, Lee of the Labour Party and Fung of ADPL, were
    // defeated": the parties of the people the count names.
    let mut t = head + 1;
    while t < hi && matches!(cx.word(t), "," | "were" | "are" | "was" | "is") {
        t += 1;
    }
    while let Some(p) = cx.mention_of.get(t).copied().flatten() {
        let pm = cx.mentions[p];
        if cx.label(p) != Label::Per || pm.first != t || cx.word(pm.end) != "of" {
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
        affiliations.push(cx.party(org, false));
        t = cx.mentions[org].end;
        if !matches!(cx.word(t), "and" | ",") {
            break;
        }
        t += 1;
    }
    // "miners employed by COMIBOL", "4,000 at a Daimler-Benz plant": the
    // employer.
    let mut e = head + 1;
    let employer = match (cx.word(e), cx.word(e + 1)) {
        ("employed" | "hired", "by") | ("working", "for" | "at") => {
            e += 2;
            true
        }
        ("at", "a" | "an" | "the" | "its") => {
            e += 2;
            true
        }
        _ => false,
    };
    if employer {
        while e < hi
            && cx.mention_of[e].is_none()
            && matches!(
                cx.word(e),
                "state" | "corporation" | "company" | "firm" | "the" | "group"
            )
        {
            e += 1;
        }
        if let Some(m) = cx.mention_of.get(e).copied().flatten() {
            if cx.label(m) == Label::Org {
                affiliations.push(cx.party(m, false));
            }
        }
    }

    // Agent. Passive after the counted phrase?
    let mut j = head + 1;
    while j < chi && matches!(cx.word(j), "of" | "war" | "who" | "had") {
        j += 1;
    }
    let mut passive = false;
    let mut harmed_passive = false;
    if j + 1 < chi && BE.contains(&cx.word(j)) {
        let mut v = j + 1;
        while v < chi
            && matches!(
                cx.word(v),
                "been" | "being" | "also" | "reportedly" | "later" | "then" | "all"
            )
        {
            v += 1;
        }
        if v < chi && looks_like_participle(cx.word(v)) {
            passive = true;
            harmed_passive = HARMED.contains(&cx.word(v))
                && (cx.word(v) != "taken"
                    || matches!(cx.word(v + 1), "prisoner" | "prisoners" | "captive"));
            // "… were released by Ukraine".
            for b in (v + 1..chi.min(v + 8)).filter(|_| cx.on("passive-by-agent")) {
                if cx.word(b) == "by" {
                    let mut t = b + 1;
                    while t < hi && matches!(cx.word(t), "the" | "both") {
                        t += 1;
                    }
                    if let Some(m) = cx.mention_of.get(t).copied().flatten() {
                        for g in cx.group(m, lo, hi) {
                            agents.push(cx.party(g, true));
                        }
                    }
                    break;
                }
            }
            // "X said … were transferred": the reporting subject.
            if agents.is_empty() && cx.on("passive-reporter-agent") {
                for r in (lo..first).rev() {
                    if ATTRIBUTION_VERBS.contains(&cx.word(r)) && r > lo {
                        if let Some(m) = cx.mention_of[r - 1] {
                            let e = &doc.entities[cx.mentions[m].entity];
                            if e.label == Label::Org && cx.party(m, true) != e.canonical {
                                agents.push(cx.party(m, true));
                            }
                        }
                        break;
                    }
                }
            }
        }
    }
    let mut distributive = false;
    let mut antecedent_places: Vec<String> = Vec::new();
    let parenthesised = first > lo + 1 && cx.word(first - 1) == "(";
    // A count governed by a preposition ("by 424 votes", "of about 220
    // passengers", "at 37,000") is no direct object: its clause's subject
    // did nothing to it.
    let governed_count =
        before > lo && PREPOSITIONS.contains(&cx.word(before - 1)) && cx.word(before - 1) != "with";
    // A margin: "X defeating Y by 5,000 votes", "Y was defeated by 424 votes
    // by X": the winner.
    if governed_count && cx.word(before - 1) == "by" && cx.on("margin-winner") {
        agents.extend(margin_winner(cx, lo, hi, before - 1, head));
    }
    // "X has 2.5 mln members", "employs 525 people": the subject owns them.
    let owned = before > lo && POSSESSION.contains(&cx.word(before - 1));
    if !passive && !parenthesised && !governed_count && first > clo && cx.on("subject-agent") {
        // The subject: the nearest mention group before the count in its
        // clause that no preposition governs, or a pronoun.
        let mut t = first;
        while t > clo {
            t -= 1;
            let w = cx.word(t);
            // "X said 344 members went on strike": the count's clause starts
            // after the reporting verb.
            if ATTRIBUTION_VERBS.contains(&w) {
                break;
            }
            if let Some(m) = cx.mention_of[t] {
                let mm = cx.mentions[m];
                // Judge the whole coordinated group by what stands before it.
                let g = cx.group(m, clo, first);
                let gfirst = cx.mentions[g[0]].first;
                let prev = if gfirst > lo { cx.word(gfirst - 1) } else { "" };
                let possessed = matches!(cx.word(mm.end), "'s" | "’s");
                let governed = PREPOSITIONS.contains(&prev) && prev != "with"
                    || matches!(prev, "both" | "the" | "all")
                        && gfirst >= lo + 2
                        && PREPOSITIONS.contains(&cx.word(gfirst - 2));
                // "the Ruhr plants", "southwest Japan": a place described,
                // not an actor.
                let modifier = cx.label(m) == Label::Loc
                    && (matches!(prev, "the" | "a" | "an" | "its" | "their")
                        || COMPASS.contains(&prev));
                // "Japan Earthquake Kills One", "Mecca crane collapse": the
                // place of the event, not its agent.
                if cx.label(m) == Label::Loc
                    && (EVENTS.contains(&cx.word(mm.end)) || EVENTS.contains(&cx.word(mm.end + 1)))
                {
                    locations.push(cx.party(m, false));
                    break;
                }
                // A place other than a country does not act.
                let inert =
                    cx.label(m) == Label::Loc && gazetteer().country(&cx.party(m, true)).is_none();
                if !governed && !possessed && !modifier && !inert && cx.label(m) != Label::Misc {
                    let acting = g.iter().filter(|&&x| {
                        cx.label(x) != Label::Loc
                            || gazetteer().country(&cx.party(x, true)).is_some()
                    });
                    for x in acting {
                        if owned {
                            affiliations.push(cx.party(*x, false));
                        } else {
                            agents.push(cx.party(*x, true));
                        }
                    }
                    let gend = cx.mentions[*g.last().unwrap()].end;
                    distributive =
                        (gend..first).any(|i| cx.word(i) == "each" && cx.word(i + 1) != "other");
                    break;
                }
                t = gfirst;
                continue;
            }
            if PRONOUNS_IT.contains(&w) || PRONOUNS_PER.contains(&w) {
                if let Some(m) = antecedent(cx, t, PRONOUNS_PER.contains(&w)) {
                    if owned {
                        affiliations.push(cx.party(m, false));
                    } else {
                        agents.push(cx.party(m, true));
                    }
                }
                break;
            }
            // "troops killed 1,269 Libyans": whose troops they are.
            // (Not the counted noun of another count: "29 Chadian soldiers
            // were killed and 58 wounded".)
            let counted = cx.counted[t];
            if FORCES.contains(&w) && !counted && cx.on("forces-country") {
                if let Some(country) = force_country(cx, t, lo, info) {
                    agents.push(country);
                }
                break;
            }
            // "Saudi officials placed 60,000 security personnel": officials
            // act for the country their demonym names.
            if matches!(w, "officials" | "authorities") && t > lo {
                if let Some(m) = cx.mention_of[t - 1] {
                    if let Some(country) = gazetteer().country(&cx.party(m, true)) {
                        agents.push(country.to_string());
                        break;
                    }
                }
            }
            // "the government sent 1,000 marines": the country the document
            // is set in.
            if matches!(w, "government" | "authorities") && t > lo && cx.word(t - 1) == "the" {
                if let Some(c) = info
                    .country
                    .as_deref()
                    .filter(|_| cx.on("government-is-country"))
                {
                    agents.push(c.to_string());
                }
                break;
            }
        }
        // "Autolatina, which last Friday laid off 4,000 workers": the
        // relative pronoun's antecedent is the subject.
        if agents.is_empty()
            && affiliations.is_empty()
            && clo > lo
            && matches!(cx.word(clo - 1), "which" | "who")
            && cx.on("relative-antecedent")
        {
            if let Some((m, places)) = relative_antecedent(cx, lo, clo - 1) {
                if cx.label(m) != Label::Misc {
                    // "Romek Corp, based in Elyria, which employs 262
                    // people" owns them, there.
                    if owned {
                        affiliations.push(cx.party(m, false));
                        antecedent_places = places.iter().map(|&p| cx.party(p, false)).collect();
                    } else {
                        agents.push(cx.party(m, true));
                    }
                }
            }
        }
    }
    // Forces are their country's: the country that sends them, else the
    // one the document is set in ("the government sent 1,000 marines").
    if affiliations.is_empty()
        && FORCE_UNITS.contains(&c.unit.as_deref().unwrap_or(""))
        && cx.on("forces-affiliation")
    {
        let senders: Vec<&String> = agents
            .iter()
            .filter(|a| gazetteer().country(a).is_some())
            .collect();
        match senders.as_slice() {
            [one] => affiliations.push(one.to_string()),
            [] if agents.is_empty() => affiliations.extend(info.country.clone()),
            _ => {}
        }
    }
    // "the 1.1 mln-member union": the count gives the size of an
    // organisation named before; no one acts on it.
    let rest = &doc.text[c.span.end..];
    if rest.starts_with("-member") && cx.on("member-size") {
        agents.clear();
        if affiliations.is_empty() {
            let body = rest.split_whitespace().nth(1).unwrap_or("").to_lowercase();
            let kind = body.trim_matches(|ch: char| !ch.is_alphabetic());
            let org = (0..first)
                .rev()
                .filter_map(|t| cx.mention_of[t])
                .find(|&m| {
                    let name = cx.party(m, false).to_lowercase();
                    cx.label(m) == Label::Org
                        && !kind.is_empty()
                        && (name.contains(kind) || kind == "union" && name.contains("workers"))
                });
            if let Some(m) = org {
                affiliations.push(cx.party(m, false));
            }
        }
    }
    // A company cutting or idling its own workforce is also its owner.
    if affiliations.is_empty() && agents.len() == 1 && cx.on("company-cuts-own-workforce") {
        let unit = c.unit.as_deref().unwrap_or("");
        let is_org = doc
            .entities
            .iter()
            .any(|e| e.label == Label::Org && e.canonical == agents[0]);
        if is_org && WORKFORCE.contains(&unit) {
            affiliations.push(agents[0].clone());
        }
    }

    // A count in parentheses belongs to the places right before it:
    // "Flint, Mich. (2,500 workers)".
    if parenthesised {
        let mut t = if cx.on("parenthesised-places") {
            first - 1
        } else {
            lo
        };
        while t > lo {
            t -= 1;
            match cx.mention_of[t] {
                Some(m) if cx.label(m) == Label::Loc => {
                    locations.insert(0, cx.party(m, false));
                    t = cx.mentions[m].first;
                }
                _ if cx.word(t) == "," => continue,
                _ => break,
            }
        }
    } else if cx.on("locative-places") {
        // Places after a locative preposition, between the previous count
        // of the sentence and the next one: in a list of events each count
        // keeps its own place.
        let (wlo, whi) = neighbours(doc, counts, k, clo, chi);
        let (mut found_before, mut found_after) = (Vec::new(), Vec::new());
        for m in 0..cx.mentions.len() {
            let mm = cx.mentions[m];
            if mm.first < wlo || mm.end > whi || cx.label(m) != Label::Loc {
                continue;
            }
            let prev = if mm.first > lo {
                cx.word(mm.first - 1)
            } else {
                ""
            };
            let chained = prev == "," && mm.first >= 2 && cx.mention_of[mm.first - 2].is_some();
            let place_of =
                prev == "of" && mm.first >= lo + 2 && PLACE_NOUNS.contains(&cx.word(mm.first - 2));
            // "at its Lansing plant", "in the city".
            let through_det = matches!(prev, "its" | "the" | "their" | "his" | "her")
                && mm.first >= lo + 2
                && LOCATIVE_PREPOSITIONS.contains(&cx.word(mm.first - 2));
            if LOCATIVE_PREPOSITIONS.contains(&prev)
                || through_det
                || place_of
                || (chained && !(found_before.is_empty() && found_after.is_empty()))
            {
                let found = if mm.first > last {
                    &mut found_after
                } else {
                    &mut found_before
                };
                for g in cx.group(m, wlo, whi) {
                    found.push(cx.party(g, false));
                }
            }
        }
        // In a list ("174 drowned when a ferry capsized in China and 147
        // died off Sabah"), a count after another one takes the places that
        // follow it; those before it are the previous count's.
        let listed = counts[..k]
            .iter()
            .any(|o| doc.sentence_of(o.span.start) == Some(si));
        if listed && found_after.is_empty() {
            // Its place may sit past a clause break: "174 drowned when a
            // ferry capsized in China".
            let next = counts[k + 1..]
                .iter()
                .map(|o| doc.token_at_or_after(o.span.start))
                .find(|&t| t > last)
                .unwrap_or(hi)
                .min(hi);
            for t in last + 1..next {
                // Not past the end of the clause's item of a list.
                if matches!(cx.word(t), ";" | ":") {
                    break;
                }
                let Some(m) = cx.mention_of[t] else { continue };
                let mm = cx.mentions[m];
                if mm.first != t || mm.end > next || cx.label(m) != Label::Loc {
                    continue;
                }
                let prev = cx.word(t - 1);
                let place_of = prev == "of" && PLACE_NOUNS.contains(&cx.word(t - 2));
                if LOCATIVE_PREPOSITIONS.contains(&prev) || place_of {
                    found_after.push(cx.party(m, false));
                }
            }
        }
        if listed && !found_after.is_empty() {
            found_before.clear();
        }
        locations.extend(found_before);
        locations.extend(found_after);
        if locations.is_empty() {
            locations = antecedent_places;
        }
    }
    let unit = c.unit.as_deref().unwrap_or("");
    if locations.is_empty() && !parenthesised {
        if matches!(
            unit,
            "plant" | "facility" | "factory" | "mill" | "refinery" | "mine"
        ) && c.value >= 1.0
            && cx.on("plants-named-next")
        {
            // Plants counted without a place: the plants the document names
            // next ("to close three plants … its Milwaukee plant … its
            // Dayton facility … a plant in Toronto"); a plural names the
            // whole set.
            // Only when the document names them all.
            let mut named = 0;
            let mut places: Vec<String> = Vec::new();
            for p in info.plants.iter().filter(|p| p.token > last) {
                for place in &p.places {
                    if !places.contains(place) {
                        places.push(place.clone());
                    }
                }
                named += 1;
                if p.plural || named as f64 >= c.value {
                    locations = places;
                    break;
                }
            }
        } else if matches!(
            unit,
            "worker" | "employee" | "job" | "staff" | "workforce" | "member" | "miner"
        ) && cx.on("workers-at-plant")
        {
            // Workers of a plant their sentence names: the nearest one
            // before the count, else the first after it.
            let here: Vec<&Plant> = info.plants.iter().filter(|p| p.sentence == si).collect();
            let plant = here
                .iter()
                .rev()
                .find(|p| p.token < first)
                .or_else(|| here.iter().find(|p| p.token > last));
            if let Some(p) = plant {
                locations.extend(p.places.iter().cloned());
            }
        }
    }
    // "About 8,000 miners returned to work …, mine owner Anglo American
    // said": a company that reports on a workforce employs it.
    if affiliations.is_empty()
        && (WORKFORCE.contains(&unit) || unit == "miner")
        && cx.on("reporter-employs-workforce")
    {
        let reporter = (lo + 1..hi)
            .filter(|&r| ATTRIBUTION_VERBS.contains(&cx.word(r)))
            .find_map(|r| {
                // "Anglo American Corp <ANGL.J> said": past the ticker.
                let t = if cx.word(r - 1) == ">" {
                    r.saturating_sub(2)
                } else {
                    r - 1
                };
                cx.mention_of[t].filter(|&m| cx.label(m) == Label::Org)
            });
        if let Some(m) = reporter {
            affiliations.push(cx.party(m, false));
        }
    }
    // The company the document is about owns the workforce it counts, and
    // is the agent when the clause says something is done to it.
    if let Some(p) = info
        .protagonist
        .as_deref()
        .filter(|_| cx.on("topic-company-workforce"))
    {
        if WORKFORCE.contains(&unit) {
            if affiliations.is_empty() {
                affiliations.push(p.to_string());
            }
            if agents.is_empty() && !owned && (clo..chi).any(|i| ACTIONS.contains(&cx.word(i))) {
                agents.push(p.to_string());
            }
        }
    }
    // "… will be idled at the plant", "… employees there": the place named
    // last before, within the two sentences before.
    // "The mill, which employs 525 people": the antecedent of a relative
    // clause counts too.
    let rlo = if clo > lo && matches!(cx.word(clo - 1), "which" | "who") {
        lo
    } else {
        clo
    };
    let refers_back = cx.on("refers-back-place")
        && (rlo..chi).any(|i| {
            cx.word(i) == "there"
                || (i > rlo && cx.word(i - 1) == "the" && PLACE_NOUNS.contains(&cx.word(i)))
        });
    // The plant named last, within the two sentences before.
    let last_plant = info
        .plants
        .iter()
        .rev()
        .find(|p| p.token < first && p.sentence + 2 >= si);
    if let Some(plant) = last_plant.filter(|_| locations.is_empty() && refers_back) {
        locations.extend(plant.places.iter().cloned());
    } else if locations.is_empty() && refers_back {
        let from = doc.sentences[si.saturating_sub(2)].tokens.start;
        let last_place = (from..first).rev().find_map(|t| {
            cx.mention_of[t].filter(|&m| {
                cx.label(m) == Label::Loc
                    && cx.mentions[m].first == t
                    && t > 0
                    && (LOCATIVE_PREPOSITIONS.contains(&cx.word(t - 1)) || cx.word(t - 1) == ",")
            })
        });
        if let Some(m) = last_place {
            let g = cx.group(m, 0, doc.tokens.len());
            for x in g {
                locations.push(cx.party(x, false));
            }
        }
    }
    let own_places = locations.clone();
    // A restatement keeps the parties of its first mention, and may add the
    // place it now names ("the 3,500 workers at its Lansing plant").
    if let Some(parties) = restated {
        out.parties = parties;
        if !out.parties.iter().any(|p| p.role == Role::Location) {
            for l in &own_places {
                out.add_party(l, Role::Location);
            }
        }
        counts[k] = out;
        return Found::default();
    }
    // Under a heading that is a place alone on its line ("New Territories
    // West"), counts are there.
    if locations.is_empty() && cx.on("heading-place") {
        if let Some(place) = info
            .headings
            .iter()
            .rev()
            .find(|(start, _)| *start < c.span.start)
        {
            locations.push(place.1.clone());
        }
    }
    for a in agents {
        out.add_party(&a, Role::Agent);
    }
    for a in affiliations {
        out.add_party(&a, Role::Affiliation);
    }
    for l in locations {
        if !out
            .parties
            .iter()
            .any(|p| p.party == l && p.role == Role::Agent)
        {
            out.add_party(&l, Role::Location);
        }
    }
    out.distributive =
        distributive && out.parties.iter().filter(|p| p.role == Role::Agent).count() > 1;
    // A count restated with the same value and unit fills the roles it lacks.
    if let Some(prev) = counts[..k]
        .iter()
        .rev()
        .filter(|_| cx.on("restatement-fills-roles"))
        .find(|p| p.value == c.value && p.unit == c.unit && !p.parties.is_empty())
    {
        for role in Role::ALL {
            if !out.parties.iter().any(|p| p.role == role) {
                for p in prev.parties.iter().filter(|p| p.role == role) {
                    out.add_party(&p.party, role);
                }
            }
        }
    }
    counts[k] = out;
    // "troops killed 1,269 Libyan soldiers".
    let harmed = harmed_passive || before > lo && HARMED.contains(&cx.word(before - 1));
    Found {
        places: own_places,
        harmed,
    }
}

/// What attaching one count found beyond its parties.
#[derive(Default)]
struct Found {
    /// The places the count's own sentence gives it (none when they come
    /// from elsewhere in the document).
    places: Vec<String>,
    /// Killed, wounded or captured.
    harmed: bool,
}

/// Attaches parties to every count of a document, in text order (a later
/// count may copy an earlier one's). A count of the headline then takes the
/// parties of the body's first count with the same value and unit.
pub fn attach(doc: &mut Doc) {
    attach_with(doc, &RuleSet::all());
}

/// [`attach`] with only the rules that `rules` leaves on.
pub fn attach_with(doc: &mut Doc, rules: &RuleSet) {
    let mut counts = std::mem::take(&mut doc.counts);
    let setting: Vec<String>;
    {
        let mut cx = Context::new(doc, rules);
        cx.mark_counted(&counts);
        let info = DocInfo {
            country: doc_country(doc),
            protagonist: protagonist(doc),
            headings: headings(&cx),
            plants: plants(&cx),
        };
        setting = info.country.iter().cloned().collect();
        let found: Vec<Found> = (0..counts.len())
            .map(|k| attach_count(&cx, &mut counts, k, &info))
            .collect();
        if cx.on("opponents") {
            opponents(&mut counts, &found);
        }
        if cx.on("partitives") {
            partitives(&cx, &mut counts);
        }
        let own: Vec<&Vec<String>> = found.iter().map(|f| &f.places).collect();
        // Counts of one sentence that found no place of their own share the
        // places the others found ("killing 107 and wounding 238 in Mecca").
        for k in (0..counts.len()).filter(|_| cx.on("shared-sentence-places")) {
            if !own[k].is_empty() {
                continue;
            }
            let sk = doc.sentence_of(counts[k].span.start);
            let shared: Vec<String> = (0..counts.len())
                .filter(|&j| j != k && doc.sentence_of(counts[j].span.start) == sk)
                .flat_map(|j| own[j].iter().cloned())
                .collect();
            if !shared.is_empty() {
                counts[k].parties.retain(|p| p.role != Role::Location);
                for p in shared {
                    if !counts[k]
                        .parties
                        .iter()
                        .any(|q| q.party == p && q.role == Role::Agent)
                    {
                        counts[k].add_party(&p, Role::Location);
                    }
                }
            }
        }
        let title_end = doc.sentences.first().map_or(0, |s| s.span.end);
        for k in (0..counts.len()).filter(|_| cx.on("headline-takes-body")) {
            if counts[k].span.start >= title_end {
                break;
            }
            let same = counts[k + 1..]
                .iter()
                .find(|c| {
                    c.span.start >= title_end
                        && c.value == counts[k].value
                        && (c.unit == counts[k].unit || c.unit.is_none())
                })
                .map(|c| c.parties.clone());
            for p in same.unwrap_or_default() {
                counts[k].add_party(&p.party, p.role);
            }
        }
        // Counts that found no place anywhere happened where the story did.
        if let Some(place) = lead_place(&cx).filter(|_| cx.on("lead-place-location")) {
            for c in counts.iter_mut() {
                if !c.parties.iter().any(|p| p.role == Role::Location) {
                    c.add_party(&place, Role::Location);
                }
            }
        }
    }
    if rules.on("mention-links") {
        restate::link_mentions(&mut counts);
        if rules.on("sum-links") {
            restate::link_sums(&mut counts);
        }
    }
    doc.counts = counts;
    // The story's country is its setting, not every count's location.
    doc.setting = setting;
}
