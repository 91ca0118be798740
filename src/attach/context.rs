//! Reading one sentence: mentions as token ranges, clauses, subjects,
//! antecedents of pronouns and relative clauses, whose forces.

use super::document::*;
use super::rules::RuleSet;
use crate::canon::gazetteer;
use crate::doc::{Count, Doc, Label, TokenSyntax};
use crate::lexicon::*;
pub(super) use crate::tokens::Mention;
use crate::tokens::TokenView;
use std::cell::{Cell, OnceCell};

pub(super) struct Context<'a> {
    pub(super) doc: &'a Doc,
    /// The document's token view: lower-case words, clause breaks,
    /// mentions.
    pub(super) view: &'a TokenView,
    /// The rules switched on.
    pub(super) rules: &'a RuleSet,
    /// The entities as token ranges (the view's).
    pub(super) mentions: &'a [Mention],
    /// For each token, the mention that holds it (the view's).
    pub(super) mention_of: &'a [Option<usize>],
    /// For each token, whether it lies in the counted noun of a count
    /// ("29 Chadian [soldiers]"); filled by [`Context::mark_counted`].
    pub(super) counted: Vec<bool>,
    /// Looked up once per document, so that no rule reads back or forward
    /// over a whole sentence for each count (which made a sentence of many
    /// counts quadratic).
    index: Index,
    /// Steps taken by the rules' walks over tokens, mentions and counts:
    /// the work of attaching, which tests bound.
    work: Cell<usize>,
    /// The dependency parse, one analysis per token (`None` without
    /// `--syntax`, or when it does not cover the tokens).
    pub(super) syntax: Option<&'a [TokenSyntax]>,
    /// For each token, its dependents in the parse, in text order (empty
    /// without a parse).
    pub(super) children: Vec<Vec<usize>>,
}

/// Token facts found in one pass over the document, for [`Context`].
#[derive(Default)]
struct Index {
    /// For each token, its sentence's token range.
    sentence: Vec<(usize, usize)>,
    /// For each token inside a sentence, the bounds of its clause.
    clause: Vec<(usize, usize)>,
    /// For each token `t`, the nearest token before it that is a verb of
    /// saying (`ATTRIBUTION_VERBS`).
    reporting: Vec<Option<usize>>,
    /// ... a token where the subject walk may stop: a mention, a verb of
    /// saying, a pronoun, forces, the government or authorities.
    subject_stop: Vec<Option<usize>>,
    /// ... the mention of a token that a pronoun may stand for:
    /// `[things, persons]` (an organisation or place, a person).
    antecedent: [Vec<Option<usize>>; 2],
    /// ... a mention whose party (as an actor) is a country.
    country: Vec<Option<usize>>,
    /// ... the first token of a place after a locative preposition or a
    /// comma.
    place: Vec<Option<usize>>,
    /// Prefix counts: of "there", of "the" + a place noun ("the plant"),
    /// of action words (`ACTIONS`), over tokens `..t`.
    there: Vec<u32>,
    the_place: Vec<u32>,
    actions: Vec<u32>,
    /// ... of words of buying and ordering (`discourse::PURCHASE_WORDS`).
    purchases: Vec<u32>,
    /// ... of "each" not followed by "other".
    each: Vec<u32>,
    /// Per sentence: the organisation that reports in it (see
    /// [`Context::sentence_reporter`]), found on first use.
    reporter: Vec<OnceCell<Option<usize>>>,
    /// The mentions are in text order (their first tokens never decrease).
    mentions_sorted: bool,
}

/// For each `t` in `0..=n`, the last `i < t` with `at(i)`.
fn last_before(n: usize, at: impl Fn(usize) -> bool) -> Vec<Option<usize>> {
    let mut v = Vec::with_capacity(n + 1);
    let mut last = None;
    v.push(None);
    for i in 0..n {
        if at(i) {
            last = Some(i);
        }
        v.push(last);
    }
    v
}

/// For each `t` in `0..=n`, how many `i < t` have `at(i)`.
fn prefix_count(n: usize, at: impl Fn(usize) -> bool) -> Vec<u32> {
    let mut v = Vec::with_capacity(n + 1);
    let mut k = 0;
    v.push(0);
    for i in 0..n {
        k += u32::from(at(i));
        v.push(k);
    }
    v
}

impl<'a> Context<'a> {
    pub(super) fn new(doc: &'a Doc, view: &'a TokenView, rules: &'a RuleSet) -> Self {
        let mut cx = Context {
            doc,
            view,
            rules,
            mentions: &view.mentions,
            mention_of: &view.mention_of,
            counted: vec![false; doc.tokens.len()],
            index: Index::default(),
            work: Cell::new(0),
            syntax: None,
            children: Vec::new(),
        };
        cx.index = Index::new(&cx);
        // A parse that does not cover the tokens one to one (a document
        // re-segmented after parsing, a hand-made one) is not read.
        let n = doc.tokens.len();
        if let Some(syn) = doc
            .syntax
            .as_deref()
            .filter(|s| s.len() == n && s.iter().all(|a| a.head.is_none_or(|h| h < n)))
        {
            let mut children = vec![Vec::new(); n];
            for (t, a) in syn.iter().enumerate() {
                if let Some(h) = a.head {
                    children[h].push(t);
                }
            }
            cx.syntax = Some(syn);
            cx.children = children;
        }
        cx
    }

    /// Counts one step of a rule's walk.
    pub(super) fn tick(&self) {
        self.work.set(self.work.get() + 1);
    }

    /// Counts `n` steps of a rule's walk.
    pub(super) fn add_work(&self, n: usize) {
        self.work.set(self.work.get() + n);
    }

    /// The steps counted so far.
    pub(super) fn work_done(&self) -> usize {
        self.work.get()
    }

    /// Token range of the clause around token `at` within sentence `lo..hi`.
    pub(super) fn clause(&self, lo: usize, hi: usize, at: usize) -> (usize, usize) {
        if at < hi && self.index.sentence.get(at) == Some(&(lo, hi)) {
            self.index.clause[at]
        } else {
            clause(self, lo, hi, at)
        }
    }

    /// The nearest verb of saying before token `t`, not before `lo`.
    pub(super) fn reporting_before(&self, t: usize, lo: usize) -> Option<usize> {
        self.index
            .reporting
            .get(t)
            .copied()
            .flatten()
            .filter(|&r| r >= lo)
    }

    /// The nearest token before `t`, not before `lo`, where the subject
    /// walk may stop (every other token it passes over).
    pub(super) fn subject_stop_before(&self, t: usize, lo: usize) -> Option<usize> {
        self.index
            .subject_stop
            .get(t)
            .copied()
            .flatten()
            .filter(|&r| r >= lo)
    }

    /// The nearest mention before token `t` that a pronoun of persons
    /// (`person`) or of things may stand for.
    pub(super) fn antecedent_before(&self, t: usize, person: bool) -> Option<usize> {
        let i = self.index.antecedent[usize::from(person)]
            .get(t.min(self.doc.tokens.len()))
            .copied()
            .flatten()?;
        self.mention_of[i]
    }

    /// The nearest token before `t`, not before `lo`, whose mention is a
    /// country as an actor.
    pub(super) fn country_before(&self, t: usize, lo: usize) -> Option<usize> {
        self.index
            .country
            .get(t)
            .copied()
            .flatten()
            .filter(|&r| r >= lo)
    }

    /// The nearest token before `t`, not before `lo`, that starts a place
    /// after a locative preposition or a comma.
    pub(super) fn place_before(&self, t: usize, lo: usize) -> Option<usize> {
        self.index
            .place
            .get(t)
            .copied()
            .flatten()
            .filter(|&r| r >= lo)
    }

    /// Does `lo..hi` hold "there", or "the" + a place noun whose "the" is
    /// inside `lo..hi`?
    pub(super) fn refers_back_in(&self, lo: usize, hi: usize) -> bool {
        let ix = &self.index;
        let hi = hi.min(self.doc.tokens.len());
        lo < hi && (ix.there[hi] > ix.there[lo] || ix.the_place[hi] > ix.the_place[lo + 1])
    }

    /// Does `lo..hi` hold an action word (`ACTIONS`)?
    pub(super) fn action_in(&self, lo: usize, hi: usize) -> bool {
        let hi = hi.min(self.doc.tokens.len());
        lo < hi && self.index.actions[hi] > self.index.actions[lo]
    }

    /// Does `lo..hi` hold a word of buying or ordering?
    pub(super) fn purchase_in(&self, lo: usize, hi: usize) -> bool {
        let hi = hi.min(self.doc.tokens.len());
        lo < hi && self.index.purchases[hi] > self.index.purchases[lo]
    }

    /// Does `lo..hi` hold "each" not followed by "other"?
    pub(super) fn each_in(&self, lo: usize, hi: usize) -> bool {
        let hi = hi.min(self.doc.tokens.len());
        lo < hi && self.index.each[hi] > self.index.each[lo]
    }

    /// Sentence `si`'s reporting organisation: the first verb of saying
    /// after its first token whose speaker (right before it, or before a
    /// ticker: "Anglo American Corp <ANGL.J> said") is an organisation.
    pub(super) fn sentence_reporter(&self, si: usize) -> Option<usize> {
        let find = || {
            let s = &self.doc.sentences[si];
            let (lo, hi) = (s.tokens.start, s.tokens.end);
            (lo + 1..hi)
                .filter(|&r| {
                    self.tick();
                    ATTRIBUTION_VERBS.contains(&self.word(r))
                })
                .find_map(|r| {
                    let t = if self.word(r - 1) == ">" {
                        r.saturating_sub(2)
                    } else {
                        r - 1
                    };
                    self.mention_of[t].filter(|&m| self.label(m) == Label::Org)
                })
        };
        match self.index.reporter.get(si) {
            Some(cell) => *cell.get_or_init(find),
            None => find(),
        }
    }

    /// The mentions that start in `lo..hi`, in order (all mentions, when
    /// they are not in text order).
    pub(super) fn mentions_from(&self, lo: usize, hi: usize) -> std::ops::Range<usize> {
        if !self.index.mentions_sorted {
            return 0..self.mentions.len();
        }
        let a = self.mentions.partition_point(|m| m.first < lo);
        let b = self.mentions.partition_point(|m| m.first < hi);
        a..b.max(a)
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

    /// Lower-case text of token `i` ("" past the end).
    pub(super) fn word(&self, i: usize) -> &str {
        self.view.lower(i)
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

impl Index {
    fn new(cx: &Context) -> Self {
        let doc = cx.doc;
        let n = doc.tokens.len();
        let w = |i: usize| cx.word(i);
        let mut sentence = vec![(usize::MAX, usize::MAX); n];
        let mut clause = vec![(0, 0); n];
        for s in &doc.sentences {
            let (lo, hi) = (s.tokens.start, s.tokens.end.min(n));
            for t in lo..hi {
                sentence[t] = (lo, hi);
                let start = if t > lo && !cx.view.clause_break[t - 1] {
                    clause[t - 1].0
                } else {
                    t
                };
                clause[t].0 = start;
            }
            let mut end = hi;
            for t in (lo..hi).rev() {
                if cx.view.clause_break[t] {
                    end = t;
                }
                clause[t].1 = end;
            }
        }
        let fits = |person: bool| {
            move |i: usize| {
                cx.mention_of[i].is_some_and(|m| {
                    let l = cx.label(m);
                    if person {
                        l == Label::Per
                    } else {
                        matches!(l, Label::Org | Label::Loc)
                    }
                })
            }
        };
        Index {
            sentence,
            clause,
            reporting: last_before(n, |i| ATTRIBUTION_VERBS.contains(&w(i))),
            subject_stop: last_before(n, |i| {
                let x = w(i);
                cx.mention_of[i].is_some()
                    || ATTRIBUTION_VERBS.contains(&x)
                    || PRONOUNS_IT.contains(&x)
                    || PRONOUNS_PER.contains(&x)
                    || FORCES.contains(&x)
                    || matches!(x, "authorities" | "government")
            }),
            antecedent: [last_before(n, fits(false)), last_before(n, fits(true))],
            country: last_before(n, |i| {
                cx.mention_of[i].is_some_and(|m| gazetteer().country(&cx.party(m, true)).is_some())
            }),
            place: last_before(n, |t| {
                cx.mention_of[t].is_some_and(|m| {
                    cx.label(m) == Label::Loc
                        && cx.mentions[m].first == t
                        && t > 0
                        && (LOCATIVE_PREPOSITIONS.contains(&w(t - 1)) || w(t - 1) == ",")
                })
            }),
            there: prefix_count(n, |i| w(i) == "there"),
            the_place: prefix_count(n, |i| {
                i > 0 && w(i - 1) == "the" && PLACE_NOUNS.contains(&w(i))
            }),
            actions: prefix_count(n, |i| ACTIONS.contains(&w(i))),
            purchases: prefix_count(n, |i| super::discourse::PURCHASE_WORDS.contains(&w(i))),
            each: prefix_count(n, |i| w(i) == "each" && w(i + 1) != "other"),
            reporter: (0..doc.sentences.len()).map(|_| OnceCell::new()).collect(),
            mentions_sorted: cx.mentions.windows(2).all(|p| p[0].first <= p[1].first),
        }
    }
}

/// Token range of the clause around token `at` within sentence `lo..hi`,
/// read word by word ([`Context::clause`] looks it up).
fn clause(cx: &Context, lo: usize, hi: usize, at: usize) -> (usize, usize) {
    let mut a = at;
    while a > lo && !cx.view.clause_break.get(a - 1).is_some_and(|&b| b) {
        a -= 1;
    }
    let mut b = at;
    while b < hi && !cx.view.clause_break.get(b).is_some_and(|&b| b) {
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
    if let Some(r) = cx.reporting_before(t, lo) {
        return cx
            .country_before(r, lo)
            .and_then(|i| cx.mention_of[i])
            .and_then(country_of);
    }
    info.country.clone()
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
    cx.antecedent_before(at, person)
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
