//! What the whole document says that single sentences do not: its country,
//! its company, its plants and their places, the place of its lead; and the
//! passes over all counts at once (parts of a whole).

use super::context::*;
use crate::canon::{gazetteer, NameKind};
use crate::doc::{Count, Doc, Label, Role};
use crate::lexicon::*;
use crate::tokens::Headline;

/// What the whole document says that single sentences do not.
#[derive(Debug, Default)]
pub(super) struct DocInfo {
    /// The one country the document is set in.
    pub(super) country: Option<String>,
    /// The company the document is about.
    pub(super) protagonist: Option<String>,
    /// The plants the document names with their places, in text order.
    pub(super) plants: Vec<Plant>,
}

/// A plant, factory or facility named with its places: "its Lansing,
/// Mich., plant", "the plant at Doraville, Ga.", "plants in Janesville and
/// Lordstown".
#[derive(Debug)]
pub(super) struct Plant {
    /// The token of the plant noun.
    pub(super) token: usize,
    pub(super) sentence: usize,
    pub(super) places: Vec<String>,
}

/// The plants of a document and their places.
pub(super) fn plants(cx: &Context) -> Vec<Plant> {
    let doc = cx.doc;
    let mut out = Vec::new();
    for (si, sent) in doc.sentences.iter().enumerate() {
        let (lo, hi) = (sent.tokens.start, sent.tokens.end);
        for t in lo..hi {
            let noun = cx.word(t);
            if !PLANT_NOUNS.contains(&noun) || cx.mention_of[t].is_some() {
                continue;
            }
            let mut places: Vec<String> = Vec::new();
            // Before the noun, inside its phrase: "its Dayton, Tenn.,
            // facility", "GM's Norwood, Ohio, Chevrolet-Pontiac-GM of Canada
            // plant", "the body assembly plant".
            let mut i = t;
            while i > lo && t - i < 12 {
                let w = cx.word(i - 1);
                if let Some(m) = cx.mention_of[i - 1] {
                    let first = cx.mentions[m].first;
                    // "… of Canada": a place inside a name.
                    let in_name = first > lo && cx.word(first - 1) == "of";
                    if cx.label(m) == Label::Loc && !in_name {
                        places.insert(0, cx.party(m, false));
                    }
                    if in_name {
                        places.clear();
                    }
                    i = first;
                } else if w == ","
                    || w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                        && !w.is_empty()
                        && !NOT_MODIFIERS.contains(&w)
                        && !PREPOSITIONS.contains(&w)
                {
                    i -= 1;
                } else {
                    break;
                }
            }
            // After it: "plant at Okalhoma City, Okla.", "plants are located
            // in the United States".
            let mut j = t + 1;
            while j < hi && matches!(cx.word(j), "are" | "is" | "located" | "based") {
                j += 1;
            }
            if j + 1 < hi && LOCATIVE_PREPOSITIONS.contains(&cx.word(j)) {
                let k = if cx.word(j + 1) == "the" {
                    j + 2
                } else {
                    j + 1
                };
                if let Some(m) = cx.mention_of.get(k).copied().flatten() {
                    for g in cx.group(m, lo, hi) {
                        if cx.label(g) == Label::Loc {
                            places.push(cx.party(g, false));
                        }
                    }
                }
            }
            places.dedup();
            if !places.is_empty() {
                out.push(Plant {
                    token: t,
                    sentence: si,
                    places,
                });
            }
        }
    }
    out
}

/// The one country a document is set in: the country named by most of its
/// place mentions, when it holds a clear majority of them.
pub(super) fn doc_country(doc: &Doc) -> Option<String> {
    let g = gazetteer();
    let mut tally: Vec<(String, usize)> = Vec::new();
    let mut total = 0;
    for e in doc
        .entities
        .iter()
        .filter(|e| matches!(e.label, Label::Loc | Label::Misc))
    {
        // A place, or a demonym as written ("Brazilian"); not a name that
        // merely contains a country ("pro-Beijing").
        let country = match e.label {
            Label::Loc => g
                .lookup(&e.canonical)
                .filter(|(_, k)| *k != NameKind::Seat)
                .map(|(c, _)| c),
            _ => g
                .lookup(&doc.text[e.span.start..e.span.end])
                .filter(|(_, k)| *k == NameKind::Demonym)
                .map(|(c, _)| c),
        };
        if e.label == Label::Loc || country.is_some() {
            total += 1;
        }
        if let Some(c) = country {
            match tally.iter_mut().find(|(n, _)| n == c) {
                Some(t) => t.1 += 1,
                None => tally.push((c.to_string(), 1)),
            }
        }
    }
    tally.sort_by_key(|t| std::cmp::Reverse(t.1));
    match tally.first() {
        Some((c, n))
            if *n >= 2 && *n * 3 >= total && tally.get(1).is_none_or(|t| 2 * *n >= 3 * t.1) =>
        {
            Some(c.clone())
        }
        _ => None,
    }
}

/// The company a document is about: the organisation named most often,
/// at least three times and at least twice as often as any other.
pub(super) fn protagonist(doc: &Doc) -> Option<String> {
    let mut tally: Vec<(String, usize)> = Vec::new();
    for e in doc.entities.iter().filter(|e| e.label == Label::Org) {
        if gazetteer().lookup(&e.canonical).is_some() {
            continue;
        }
        match tally.iter_mut().find(|(n, _)| *n == e.canonical) {
            Some(t) => t.1 += 1,
            None => tally.push((e.canonical.clone(), 1)),
        }
    }
    tally.sort_by_key(|t| std::cmp::Reverse(t.1));
    match tally.as_slice() {
        [(p, n), rest @ ..] if *n >= 3 && rest.first().is_none_or(|r| *n >= 2 * r.1) => {
            Some(p.clone())
        }
        _ => None,
    }
}

/// A part takes the owner and place of its whole: "350 of the 3,800
/// workers at the Janesville plant", "lost 92 of its 1,487 seats".
pub(super) fn partitives(cx: &Context, counts: &mut [Count]) {
    let doc = cx.doc;
    for k in 0..counts.len().saturating_sub(1) {
        let last = doc.token_at_or_after(counts[k].span.end).saturating_sub(1);
        let whole = doc.token_at_or_after(counts[k + 1].span.start);
        // "350 of the", "500 workers of the", then at most four words
        // before the whole's number.
        let Some(of) = (last + 1..=last + 2).find(|&t| cx.word(t) == "of") else {
            continue;
        };
        if whole <= of || whole - of > 5 {
            continue;
        }
        if (of + 1..whole).any(|t| !cx.word(t).chars().all(|c| c.is_alphabetic() || c == '\'')) {
            continue;
        }
        let inherited: Vec<_> = counts[k + 1]
            .parties
            .iter()
            .filter(|p| p.role != Role::Agent)
            .filter(|p| !counts[k].parties.iter().any(|q| q.role == p.role))
            .cloned()
            .collect();
        for p in inherited {
            counts[k].add_party_by(&p.party, p.role, Some("partitives"));
        }
    }
}

/// Where the story happens: the one place its lead (the first sentence of
/// the body, after a headline line) puts something "in", "at" or "near"
/// ("… to capture Tripoli's major air base in northern Chad on Sunday").
pub(super) fn lead_place(cx: &Context) -> Option<String> {
    let doc = cx.doc;
    // A headline is a first line without a final stop; the lead is the
    // first real sentence after it (not a dateline).
    let headline = cx.view.sentences.first()?.is_headline(Headline::Unstopped);
    let lead = doc
        .sentences
        .iter()
        .skip(usize::from(headline))
        .find(|s| s.tokens.len() >= 8)?;
    let mut places: Vec<String> = Vec::new();
    for t in lead.tokens.clone() {
        let Some(m) = cx.mention_of[t] else { continue };
        if cx.mentions[m].first != t || cx.label(m) != Label::Loc || t < lead.tokens.start + 1 {
            continue;
        }
        let mut b = t - 1;
        while b > lead.tokens.start && (cx.word(b) == "the" || COMPASS.contains(&cx.word(b))) {
            b -= 1;
        }
        let p = cx.party(m, false);
        // "in the southern republic of Georgia".
        let place_of =
            cx.word(b) == "of" && b > lead.tokens.start && PLACE_NOUNS.contains(&cx.word(b - 1));
        if (LOCATIVE_PREPOSITIONS.contains(&cx.word(b)) || place_of) && !places.contains(&p) {
            places.push(p);
        }
    }
    match places.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}
