//! Reading one sentence: mentions as token ranges, clauses, subjects,
//! antecedents of pronouns and relative clauses, margins, whose forces.

use super::document::*;
use super::rules::RuleSet;
use crate::canon::gazetteer;
use crate::doc::{Count, Doc, Label};
use crate::lexicon::*;

/// An entity as a token range of the document.
#[derive(Debug, Clone, Copy)]
pub(super) struct Mention {
    pub(super) entity: usize,
    pub(super) first: usize,
    pub(super) end: usize,
}

pub(super) struct Context<'a> {
    pub(super) doc: &'a Doc,
    /// The rules switched on.
    pub(super) rules: &'a RuleSet,
    pub(super) lower: Vec<String>,
    pub(super) mentions: Vec<Mention>,
    /// For each token, the mention that holds it.
    pub(super) mention_of: Vec<Option<usize>>,
    /// For each token, whether it lies in the counted noun of a count
    /// ("29 Chadian [soldiers]"); filled by [`Context::mark_counted`].
    pub(super) counted: Vec<bool>,
}

impl<'a> Context<'a> {
    pub(super) fn new(doc: &'a Doc, rules: &'a RuleSet) -> Self {
        let lower: Vec<String> = doc
            .tokens
            .iter()
            .map(|t| doc.slice(t.span).to_lowercase())
            .collect();
        let mut mentions = Vec::new();
        let mut mention_of = vec![None; doc.tokens.len()];
        for (i, e) in doc.entities.iter().enumerate() {
            let first = doc.token_at_or_after(e.span.start);
            let mut end = first;
            while end < doc.tokens.len() && doc.tokens[end].span.start < e.span.end {
                end += 1;
            }
            if end > first {
                for m in mention_of.iter_mut().take(end).skip(first) {
                    *m = Some(mentions.len());
                }
                mentions.push(Mention {
                    entity: i,
                    first,
                    end,
                });
            }
        }
        Context {
            doc,
            rules,
            lower,
            mentions,
            mention_of,
            counted: vec![false; doc.tokens.len()],
        }
    }

    /// Marks the tokens of every count's counted noun, once per document,
    /// so that asking whether a token is counted costs O(1), not a pass over
    /// all counts (that pass made a long run of counts cubic).
    pub(super) fn mark_counted(&mut self, counts: &[Count]) {
        for u in counts.iter().filter_map(|c| c.unit_span) {
            let mut t = self.doc.token_at_or_after(u.start);
            while t < self.doc.tokens.len() && self.doc.tokens[t].span.end <= u.end {
                self.counted[t] = true;
                t += 1;
            }
        }
    }

    /// Is the named rule on?
    pub(super) fn on(&self, rule: &'static str) -> bool {
        self.rules.on(rule)
    }

    pub(super) fn word(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", String::as_str)
    }

    /// The party a mention names. A government body acting stands for its
    /// country ("the Russian Defense Ministry" → Russia).
    pub(super) fn party(&self, m: usize, as_actor: bool) -> String {
        let e = &self.doc.entities[self.mentions[m].entity];
        if as_actor && e.label == Label::Org {
            let lower = e.canonical.to_lowercase();
            if GOVERNMENT.iter().any(|g| lower.contains(g)) {
                if let Some(c) = lower.split(' ').find_map(|w| gazetteer().country(w)) {
                    return c.to_string();
                }
            }
        }
        e.canonical.clone()
    }

    pub(super) fn label(&self, m: usize) -> Label {
        self.doc.entities[self.mentions[m].entity].label
    }

    /// Mentions coordinated with mention `m` ("Russia and Ukraine",
    /// "Moscow, Kyiv and Minsk"), in order.
    pub(super) fn group(&self, m: usize, lo: usize, hi: usize) -> Vec<usize> {
        let joins = |a: usize, b: usize| -> bool {
            // Tokens between two mentions that coordinate them.
            let gap: Vec<&str> = (self.mentions[a].end..self.mentions[b].first)
                .map(|i| self.word(i))
                .collect();
            matches!(
                gap.as_slice(),
                ["and"] | [","] | [",", "and"] | ["&"] | ["and", "both"]
            )
        };
        let mut g = vec![m];
        let mut i = m;
        while i > 0 && self.mentions[i - 1].first >= lo && joins(i - 1, i) {
            i -= 1;
            g.insert(0, i);
        }
        let mut j = m;
        while j + 1 < self.mentions.len() && self.mentions[j + 1].end <= hi && joins(j, j + 1) {
            j += 1;
            g.push(j);
        }
        g
    }
}

/// Token range of the clause around token `at` within sentence `lo..hi`.
pub(super) fn clause(cx: &Context, lo: usize, hi: usize, at: usize) -> (usize, usize) {
    let mut a = at;
    while a > lo && !CLAUSE_BREAKS.contains(&cx.word(a - 1)) {
        a -= 1;
    }
    let mut b = at;
    while b < hi && !CLAUSE_BREAKS.contains(&cx.word(b)) {
        b += 1;
    }
    (a, b)
}

pub(super) fn looks_like_participle(w: &str) -> bool {
    w.ends_with("ed")
        || w.ends_with("en")
        || matches!(
            w,
            "held"
                | "sent"
                | "freed"
                | "shot"
                | "hit"
                | "cut"
                | "laid"
                | "kept"
                | "left"
                | "lost"
                | "sold"
                | "put"
                | "set"
                | "struck"
                | "caught"
                | "brought"
                | "fought"
                | "built"
        )
}

/// The country of the forces named at token `t` of a sentence starting at
/// `lo`: a country or demonym right before them ("the Chadian army",
/// "Chad's troops"), else the country whose voice reports what they did
/// ("Chad's military high command said today troops killed …"), else the
/// country the document is set in.
pub(super) fn force_country(cx: &Context, t: usize, lo: usize, info: &DocInfo) -> Option<String> {
    let country_of = |m: usize| -> Option<String> {
        let p = cx.party(m, true);
        gazetteer().country(&p).map(str::to_string)
    };
    let mut b = t;
    while b > lo && matches!(cx.word(b - 1), "'s" | "’s" | "the") {
        b -= 1;
    }
    if b > lo {
        if let Some(m) = cx.mention_of[b - 1] {
            return country_of(m);
        }
    }
    if let Some(r) = (lo..t)
        .rev()
        .find(|&r| ATTRIBUTION_VERBS.contains(&cx.word(r)))
    {
        return (lo..r)
            .rev()
            .filter_map(|i| cx.mention_of[i])
            .find_map(country_of);
    }
    info.country.clone()
}

/// The winner of a margin "by N" (`by` is the token of "by", `head` the
/// counted noun): "by 10,694 votes by James To", else the one named right
/// before an active verb of defeat earlier in the sentence.
pub(super) fn margin_winner(
    cx: &Context,
    lo: usize,
    hi: usize,
    by: usize,
    head: usize,
) -> Vec<String> {
    if cx.word(head + 1) == "by" {
        if let Some(m) = cx.mention_of.get(head + 2).copied().flatten() {
            return cx
                .group(m, lo, hi)
                .into_iter()
                .map(|g| cx.party(g, true))
                .collect();
        }
    }
    let Some(v) = (lo..by).rev().find(|&v| DEFEAT.contains(&cx.word(v))) else {
        return Vec::new();
    };
    if v > lo && BE.contains(&cx.word(v - 1)) {
        return Vec::new();
    }
    match v.checked_sub(1).and_then(|t| cx.mention_of[t]) {
        Some(m) if cx.mentions[m].first >= lo && cx.label(m) != Label::Misc => cx
            .group(m, lo, v)
            .into_iter()
            .map(|g| cx.party(g, true))
            .collect(),
        _ => Vec::new(),
    }
}

/// The mention a relative pronoun at token `rel` stands for, reading back
/// past commas, a parenthesis ("(COSATU)") and where the antecedent is
/// ("Power Equipment Corp, based in Cleveland, which …").
pub(super) fn relative_antecedent(
    cx: &Context,
    lo: usize,
    rel: usize,
) -> Option<(usize, Vec<usize>)> {
    let mut t = rel;
    let mut places = Vec::new();
    while t > lo {
        let w = cx.word(t - 1);
        if w == ","
            || LOCATIVE_PREPOSITIONS.contains(&w)
            || matches!(w, "based" | "located" | "headquartered")
        {
            t -= 1;
            continue;
        }
        if w == ")" {
            let open = (lo..t - 1).rev().find(|&u| cx.word(u) == "(")?;
            t = open;
            continue;
        }
        let m = cx.mention_of[t - 1]?;
        let first = cx.mentions[m].first;
        let prev = if first > lo { cx.word(first - 1) } else { "" };
        let chained = prev == ","
            && first >= lo + 2
            && cx.mention_of[first - 2].is_some_and(|p| cx.label(p) == Label::Loc);
        if cx.label(m) == Label::Loc && (LOCATIVE_PREPOSITIONS.contains(&prev) || chained) {
            // A place the antecedent is in: "based in Santa Ana, Calif.".
            places.insert(0, m);
            t = first;
            continue;
        }
        return Some((m, places));
    }
    None
}

/// Pronoun antecedent: the nearest mention before token `at` of a fitting
/// kind, preferring the subject of a reporting verb ("GM said it …").
pub(super) fn antecedent(cx: &Context, at: usize, person: bool) -> Option<usize> {
    let fits = |m: usize| {
        let l = cx.label(m);
        if person {
            l == Label::Per
        } else {
            matches!(l, Label::Org | Label::Loc)
        }
    };
    // "X said it …": the mention before the reporting verb.
    if at >= 2 && ATTRIBUTION_VERBS.contains(&cx.word(at - 1)) {
        if let Some(m) = cx.mention_of[at - 2] {
            if fits(m) {
                return Some(m);
            }
        }
    }
    (0..at)
        .rev()
        .filter_map(|i| cx.mention_of[i])
        .find(|&m| fits(m))
}

/// Token range between the previous and the next count of the clause.
pub(super) fn neighbours(
    doc: &Doc,
    counts: &[Count],
    k: usize,
    clo: usize,
    chi: usize,
) -> (usize, usize) {
    let first = doc.token_at_or_after(counts[k].span.start);
    let prev_end = counts[..k]
        .iter()
        .rev()
        .map(|c| doc.token_at_or_after(c.span.end))
        .find(|&t| t <= first)
        .unwrap_or(clo)
        .max(clo);
    let next_start = counts[k + 1..]
        .iter()
        .map(|c| doc.token_at_or_after(c.span.start))
        .find(|&t| t > first)
        .unwrap_or(chi)
        .min(chi);
    (prev_end, next_start)
}
