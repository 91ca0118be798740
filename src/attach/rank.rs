//! The ranker: a learned model that adds to the parties the rules
//! propose for each count.
//!
//! For every count it gathers candidates `(party, role)`: what the rules
//! proposed (with the proposing rule's name), the entities within
//! `WINDOW` tokens of the count in its sentence, the first few of the
//! sentence before, of the one after and of the lead, the document's
//! company ([`protagonist`]) and country ([`doc_country`]). Each candidate
//! is described by binary features (the rule, the entity's label, where its
//! nearest mention stands from the count, the word before it, how often the
//! document names it…), every one joined with the role. A logistic model
//! (weights per feature, [`Ranker`]) scores each candidate, and
//! [`decide`] keeps a proposal scored at least `keep` (0 in the shipped
//! ranker: every proposal stands) and adds a candidate no rule proposed
//! when it scores at least `add`, in a role the rules left empty for the
//! count, never as the location of the count's own agent.
//!
//! The weights are learned (`tally train-ranker`) from the gold
//! attachments of a training file, on the pipeline's own entities and
//! counts: a candidate is positive when the gold count at the same span has
//! that party in that role, by the names `tally eval` matches.

use super::context::Context;
use super::document::{doc_country, protagonist};
use super::rules::RuleSet;
use crate::canon::gazetteer;
use crate::doc::{Count, Doc, Label, Role};
use crate::lexicon::{ATTRIBUTION_VERBS, LOCATIVE_PREPOSITIONS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A candidate party of one count, with what describes it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index of the count in `Doc::counts`.
    pub count: usize,
    pub party: String,
    pub role: Role,
    /// The rule that proposed it, when one did.
    pub rule: Option<&'static str>,
    /// A rule proposed it.
    pub proposed: bool,
    /// Feature names, each joined with the role ("agent|label=ORG").
    pub features: Vec<String>,
}

/// Weights of the features, a threshold, and how they were made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ranker {
    /// How the weights were trained (command, data, figures).
    pub about: String,
    /// A candidate a rule proposed is kept when its probability is at
    /// least this.
    pub keep: f32,
    /// A candidate no rule proposed is added when its probability is at
    /// least this.
    pub add: f32,
    pub bias: f32,
    pub weights: BTreeMap<String, f32>,
}

/// The ranker shipped in `models/attach/ranker.json`.
const SHIPPED: &str = include_str!("../../models/attach/ranker.json");

impl Ranker {
    /// The ranker built into tally (`models/attach/ranker.json`).
    pub fn shipped() -> std::sync::Arc<Ranker> {
        static R: std::sync::OnceLock<std::sync::Arc<Ranker>> = std::sync::OnceLock::new();
        R.get_or_init(|| {
            std::sync::Arc::new(
                Ranker::from_json(SHIPPED).expect("models/attach/ranker.json is a ranker"),
            )
        })
        .clone()
    }

    pub fn from_json(s: &str) -> Result<Ranker, String> {
        serde_json::from_str(s).map_err(|e| format!("not a ranker file: {e}"))
    }

    /// Reads a ranker file written by `tally train-ranker`.
    pub fn load(path: &std::path::Path) -> Result<Ranker, String> {
        let s = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        Ranker::from_json(&s).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The probability that a candidate with `features` is a party.
    pub fn score(&self, features: &[String]) -> f32 {
        let z = self.bias
            + features
                .iter()
                .filter_map(|f| self.weights.get(f))
                .sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Words before a mention that say what it is to the count.
const MARKERS: &[&str] = &[
    "in", "at", "by", "of", "from", "for", "to", "with", "near", "and", ",", "the", "said",
];

/// How far from a count, in tokens, its own sentence's mentions are read.
const WINDOW: usize = 40;

/// The most mentions read from each other sentence (the one before, the
/// one after, the lead).
const OTHER_SENTENCE_MENTIONS: usize = 16;

/// A bucket of a distance in tokens.
fn distance_bucket(d: usize) -> &'static str {
    match d {
        0..=2 => "0-2",
        3..=5 => "3-5",
        6..=10 => "6-10",
        11..=20 => "11-20",
        _ => "21+",
    }
}

fn how_many(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2..=3 => "2-3",
        _ => "4+",
    }
}

/// What is known of one mention relative to one count, before the role.
struct Seen {
    party_as_actor: String,
    party: String,
    label: Label,
    /// The sentence it is read from: "same", "prev", "next" or "lead".
    scope: &'static str,
    /// Before the count, and the token distance to it, for mentions of
    /// its own sentence.
    near: Option<(bool, usize)>,
    features: Vec<String>,
}

/// What the whole document says of a party, looked up once per document.
pub(super) struct DocFacts<'a> {
    /// How often each party is named.
    named: HashMap<&'a str, usize>,
    company: Option<String>,
    country: Option<String>,
    first_org: Option<String>,
}

impl<'a> DocFacts<'a> {
    /// The facts of `doc`, given its company ([`protagonist`]) and country
    /// ([`doc_country`]), which the attachment stage has already found.
    pub(super) fn new(doc: &'a Doc, company: Option<String>, country: Option<String>) -> Self {
        let mut named: HashMap<&str, usize> = HashMap::new();
        for e in &doc.entities {
            *named.entry(e.canonical.as_str()).or_default() += 1;
        }
        DocFacts {
            named,
            company,
            country,
            first_org: doc
                .entities
                .iter()
                .find(|e| e.label == Label::Org)
                .map(|e| e.canonical.clone()),
        }
    }
}

/// The candidates of every count of an attached document (for training:
/// the attachment stage reads them with its own context, [`rerank`]).
pub fn candidates(doc: &Doc) -> Vec<Candidate> {
    let view = doc.token_view();
    let rules = RuleSet::all();
    let cx = Context::new(doc, &view, &rules);
    let facts = DocFacts::new(doc, protagonist(doc), doc_country(doc));
    candidates_in(&cx, &doc.counts, &facts)
}

/// The candidates of `counts`, the attached counts of `cx`'s document.
fn candidates_in(cx: &Context, counts: &[Count], facts: &DocFacts) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (k, c) in counts.iter().enumerate() {
        out.extend(count_candidates(cx, k, c, facts));
    }
    out
}

/// Where a count stands in its sentence, read once per count.
struct Site {
    si: usize,
    /// The count's first token and the token after it.
    t0: usize,
    t1: usize,
    /// The counted phrase's head noun (the count's last token without one).
    head: usize,
    clause: (usize, usize),
    /// The tokens whose mentions are read: within `WINDOW` of the count
    /// (a sentence of thousands of names costs each count no more).
    window: (usize, usize),
    reporter: Option<usize>,
    first_in_sentence: Option<usize>,
    /// Mentions of each label in the window.
    labels: HashMap<Label, usize>,
    /// Each mention of the window: (mention, label, before the count,
    /// token distance), to rank mentions of a label on one side by
    /// nearness.
    placed: Vec<(usize, Label, bool, usize)>,
}

impl Site {
    fn new(cx: &Context, c: &Count) -> Option<Site> {
        let doc = cx.doc;
        let si = doc.sentence_of(c.span.start)?;
        let t0 = if c.tokens.is_empty() {
            doc.token_at_or_after(c.span.start)
        } else {
            c.tokens.start
        };
        let t1 = if c.tokens.is_empty() {
            t0 + 1
        } else {
            c.tokens.end
        };
        let s = &doc.sentences[si];
        let (lo, hi) = (s.tokens.start, s.tokens.end);
        let window = (lo.max(t0.saturating_sub(WINDOW)), hi.min(t1 + WINDOW));
        let mut site = Site {
            si,
            t0,
            t1,
            head: c.head.unwrap_or(t1.saturating_sub(1)),
            clause: cx.clause(lo, hi, t0.min(hi.saturating_sub(1))),
            window,
            reporter: cx.sentence_reporter(si),
            first_in_sentence: cx.mentions_from(lo, hi).next(),
            labels: HashMap::new(),
            placed: Vec::new(),
        };
        for m in cx.mentions_from(window.0, window.1) {
            *site.labels.entry(cx.label(m)).or_default() += 1;
            let (b, d) = site.side_of(cx, m);
            site.placed.push((m, cx.label(m), b, d));
        }
        Some(site)
    }

    /// Is mention `m` before the count, and how many tokens from it?
    fn side_of(&self, cx: &Context, m: usize) -> (bool, usize) {
        let mention = cx.mentions[m];
        if mention.end <= self.t0 {
            (true, self.t0 - mention.end)
        } else {
            (false, mention.first.saturating_sub(self.t1))
        }
    }
}

/// The sentences whose mentions a count reads, with their scope names: its
/// own, the one before, the one after, and the lead (the first two) when
/// farther.
fn scopes(si: usize, sentences: usize) -> Vec<(usize, &'static str)> {
    let mut v = vec![(si, "same")];
    if si >= 1 {
        v.push((si - 1, "prev"));
    }
    if si + 1 < sentences {
        v.push((si + 1, "next"));
    }
    for lead in 0..2.min(sentences) {
        if lead + 1 < si {
            v.push((lead, "lead"));
        }
    }
    v
}

/// The mentions around count `c` with their features (before roles).
fn seen_mentions(cx: &Context, c: &Count) -> Vec<Seen> {
    let doc = cx.doc;
    let Some(site) = Site::new(cx, c) else {
        return vec![];
    };
    let mut out = Vec::new();
    for (sj, scope) in scopes(site.si, doc.sentences.len()) {
        let sent = &doc.sentences[sj];
        let (mentions, most) = if sj == site.si {
            (cx.mentions_from(site.window.0, site.window.1), usize::MAX)
        } else {
            (
                cx.mentions_from(sent.tokens.start, sent.tokens.end),
                OTHER_SENTENCE_MENTIONS,
            )
        };
        for m in mentions.take(most) {
            let mention = cx.mentions[m];
            if mention.end > sent.tokens.end {
                continue;
            }
            let label = cx.label(m);
            let (features, near) = if sj == site.si {
                let (f, near) = near_features(cx, &site, m, label);
                (f, Some(near))
            } else {
                let before = cx.word(mention.first.wrapping_sub(1));
                let f = if MARKERS.contains(&before) {
                    vec![format!("{scope}:prev={before}")]
                } else {
                    vec![]
                };
                (f, None)
            };
            out.push(Seen {
                party_as_actor: cx.party(m, true),
                party: cx.party(m, false),
                label,
                scope,
                near,
                features,
            });
        }
    }
    out
}

/// The features of mention `m` of the count's own sentence, and where it
/// stands (before the count, distance).
fn near_features(
    cx: &Context,
    site: &Site,
    m: usize,
    label: Label,
) -> (Vec<String>, (bool, usize)) {
    let mention = cx.mentions[m];
    let before = cx.word(mention.first.wrapping_sub(1));
    let after = cx.word(mention.end);
    let (is_before, d) = site.side_of(cx, m);
    let side = if is_before { "before" } else { "after" };
    let mut f = vec![
        format!("dist={side}:{}", distance_bucket(d)),
        format!("dist={side}:{}:{label}", distance_bucket(d)),
    ];
    let order = 1 + site
        .placed
        .iter()
        .filter(|&&(o, l, b, od)| o != m && l == label && b == is_before && od < d)
        .count();
    f.push(format!("order={side}:{label}:{}", how_many(order)));
    let between = if is_before {
        mention.end..site.t0
    } else {
        site.t1..mention.first
    };
    between_features(cx, between, side, &mut f);
    if MARKERS.contains(&before) {
        f.push(format!("prev={before}"));
        f.push(format!("prev={before}:{side}"));
    } else {
        f.push("prev=other".into());
    }
    if after == "'s" || after == "'" {
        f.push("possessive".into());
    }
    let head = site.head;
    if mention.first >= site.t1 && mention.end <= head + 1 {
        f.push("in-phrase".into());
        f.push(format!("in-phrase:{label}"));
    }
    if mention.first == head + 2 && MARKERS.contains(&cx.word(head + 1)) {
        f.push(format!("after-head={}", cx.word(head + 1)));
    }
    if let Some(path) = parse_path(cx, head, mention.first, mention.end) {
        f.push(format!("path={path}"));
    }
    if mention.first >= site.clause.0 && mention.end <= site.clause.1 {
        f.push("same-clause".into());
    }
    if site.reporter == Some(m) {
        f.push("reporter".into());
    }
    if site.first_in_sentence == Some(m) && is_before {
        f.push("first-in-sentence".into());
    }
    let n = site.labels.get(&label).copied().unwrap_or(0);
    f.push(format!("label-in-sentence={label}:{}", how_many(n)));
    (f, (is_before, d))
}

/// The words between a mention and the count that say what joins them:
/// a verb of saying, "by", a locative preposition, ",", "and", ";".
fn between_features(cx: &Context, tokens: std::ops::Range<usize>, side: &str, f: &mut Vec<String>) {
    for i in tokens {
        let w = cx.word(i);
        if ATTRIBUTION_VERBS.contains(&w) {
            f.push(format!("between=said:{side}"));
        } else if w == "by" {
            f.push(format!("between=by:{side}"));
        } else if LOCATIVE_PREPOSITIONS.contains(&w) {
            f.push(format!("between=loc:{side}"));
        } else if w == "," || w == "and" || w == ";" {
            f.push(format!("between={w}:{side}"));
        }
    }
}

/// The dependency path from token `from` (the count's head noun) to the
/// mention `first..end` (its token whose head lies outside it), as
/// relations going up ("^nsubj") then down ("vobj"): `None` without a
/// parse, "long" past four steps.
fn parse_path(cx: &Context, from: usize, first: usize, end: usize) -> Option<String> {
    let syn = cx.syntax?;
    let to = (first..end)
        .find(|&t| syn[t].head.is_none_or(|h| h < first || h >= end))
        .unwrap_or(end.saturating_sub(1));
    let ancestors = |mut t: usize| {
        let mut v = vec![t];
        while let Some(h) = syn.get(t).and_then(|s| s.head) {
            if v.len() > 8 || v.contains(&h) {
                break;
            }
            v.push(h);
            t = h;
        }
        v
    };
    let (up, down) = (ancestors(from), ancestors(to));
    let (i, j) = up
        .iter()
        .enumerate()
        .find_map(|(i, a)| down.iter().position(|b| b == a).map(|j| (i, j)))?;
    if i + j > 4 {
        return Some("long".into());
    }
    let rel = |t: usize| syn[t].deprel.split(':').next().unwrap_or("").to_string();
    let mut parts: Vec<String> = up[..i].iter().map(|&t| format!("^{}", rel(t))).collect();
    parts.extend(down[..j].iter().rev().map(|&t| format!("v{}", rel(t))));
    Some(parts.join(""))
}

/// A candidate pool: (party, role) → its features and the distance of the
/// mention that describes it (the nearest).
#[derive(Default)]
struct Pool {
    entries: Vec<(String, Role, Vec<String>, usize)>,
}

impl Pool {
    /// Adds a candidate; one already in the pool takes the features of the
    /// nearer mention, and keeps the scopes of both.
    fn add(&mut self, party: &str, role: Role, feats: Vec<String>, rank: usize) {
        let is_scope = |f: &String| f.starts_with("scope=");
        match self
            .entries
            .iter_mut()
            .find(|(p, r, _, _)| p == party && *r == role)
        {
            Some(entry) if rank < entry.3 => {
                let keep: Vec<String> = entry.2.drain(..).filter(is_scope).collect();
                entry.2 = feats;
                entry.2.extend(keep);
                entry.3 = rank;
            }
            Some(entry) => entry.2.extend(feats.into_iter().filter(is_scope)),
            None => self.entries.push((party.to_string(), role, feats, rank)),
        }
    }
}

/// The candidates of count `k`.
fn count_candidates(cx: &Context, k: usize, c: &Count, facts: &DocFacts) -> Vec<Candidate> {
    let mut pool = Pool::default();
    for s in seen_mentions(cx, c) {
        let rank = match (s.scope, s.near) {
            (_, Some((_, d))) => d,
            ("prev", _) => 1000,
            ("next", _) => 1500,
            _ => 2000,
        };
        for role in Role::ALL {
            if role == Role::Location && s.label != Label::Loc {
                continue;
            }
            let party = if role == Role::Agent {
                &s.party_as_actor
            } else {
                &s.party
            };
            let mut f = s.features.clone();
            f.push(format!("scope={}", s.scope));
            f.push(format!("label={}", s.label));
            f.push(format!("scope-label={}:{}", s.scope, s.label));
            pool.add(party, role, f, rank);
        }
    }
    for role in Role::ALL {
        if let Some(p) = facts.company.as_deref() {
            if role != Role::Location {
                pool.add(p, role, vec!["doc-only".into()], 5000);
            }
        }
        if let Some(p) = facts.country.as_deref() {
            pool.add(p, role, vec!["doc-only".into()], 5000);
        }
    }
    for p in &c.parties {
        pool.add(&p.party, p.role, vec!["proposed-only".into()], 4000);
    }
    let count_facts = CountFacts {
        in_headline: cx.doc.sentence_of(c.span.start) == Some(0),
        unit: match c.unit.as_deref() {
            None => "none",
            Some(u) if crate::lexicon::WORKFORCE.contains(&u) => "workforce",
            Some(_) => "other",
        },
    };
    pool.entries
        .into_iter()
        .map(|(party, role, feats, _)| describe(k, c, party, role, feats, facts, &count_facts))
        .collect()
}

/// What a count says of all its candidates.
struct CountFacts {
    in_headline: bool,
    unit: &'static str,
}

/// The candidate `(party, role)` of count `k`, its mention's features
/// `feats` completed with what the rules, the document and the count say.
fn describe(
    k: usize,
    c: &Count,
    party: String,
    role: Role,
    mut feats: Vec<String>,
    facts: &DocFacts,
    count: &CountFacts,
) -> Candidate {
    let proposal = c
        .parties
        .iter()
        .find(|p| p.party == party && p.role == role);
    feats.sort();
    feats.dedup();
    match proposal {
        Some(p) => feats.push(format!("rule={}", p.rule.unwrap_or("file"))),
        None => feats.push("unproposed".into()),
    }
    for other in c
        .parties
        .iter()
        .filter(|p| p.party == party && p.role != role)
    {
        feats.push(format!("also={}", other.role.as_str()));
    }
    if c.parties.iter().any(|p| p.role == role && p.party != party) {
        feats.push("role-taken".into());
    }
    let n = facts.named.get(party.as_str()).copied().unwrap_or(0);
    feats.push(format!("named={}", how_many(n)));
    let is = |x: &Option<String>| x.as_deref() == Some(party.as_str());
    if is(&facts.company) {
        feats.push("company".into());
    }
    if is(&facts.country) {
        feats.push("country".into());
    }
    if is(&facts.first_org) {
        feats.push("first-org".into());
    }
    if gazetteer().country(&party).is_some() {
        feats.push("is-country".into());
    }
    let unit = count.unit;
    feats.push(format!("unit={unit}"));
    if let Some(l) = feats
        .iter()
        .find_map(|f| f.strip_prefix("label="))
        .map(str::to_string)
    {
        feats.push(format!("unit-label={unit}:{l}"));
    }
    if count.in_headline {
        feats.push("count-in-headline".into());
    }
    if c.distributive {
        feats.push("distributive".into());
    }
    let features = std::iter::once("bias".to_string())
        .chain(feats)
        .map(|f| format!("{}|{f}", role.as_str()))
        .collect();
    Candidate {
        count: k,
        party,
        role,
        rule: proposal.and_then(|p| p.rule),
        proposed: proposal.is_some(),
        features,
    }
}

/// Which of a document's candidates are kept, given their scores: one a
/// rule proposed when its score is at least `keep`; one no rule proposed
/// when at least `add`, and only in a role the rules left empty for its
/// count (the ranker fills gaps; it does not second-guess a rule's
/// choice), and never as the location of a count it is the agent or the
/// affiliation of: whose the things are, or who acted, says nothing of
/// where (docs/FORMAT.md, decisions 1 and 3: "Brazil's 40,000 seamen" are
/// Brazil's, not thereby in Brazil).
pub fn decide(cands: &[Candidate], scores: &[f32], keep: f32, add: f32) -> Vec<bool> {
    let mut out: Vec<bool> = cands
        .iter()
        .zip(scores)
        .map(|(c, &p)| p >= if c.proposed { keep } else { add })
        .collect();
    let filled: std::collections::HashSet<(usize, Role)> = cands
        .iter()
        .zip(&out)
        .filter(|(c, &k)| k && c.proposed)
        .map(|(c, _)| (c.count, c.role))
        .collect();
    let owners: std::collections::HashSet<(usize, &str)> = cands
        .iter()
        .zip(&out)
        .filter(|(c, &k)| k && matches!(c.role, Role::Agent | Role::Affiliation))
        .map(|(c, _)| (c.count, c.party.as_str()))
        .collect();
    for (c, k) in cands.iter().zip(out.iter_mut()) {
        if *k
            && !c.proposed
            && (filled.contains(&(c.count, c.role))
                || (c.role == Role::Location && owners.contains(&(c.count, &c.party))))
        {
            *k = false;
        }
    }
    out
}

/// Decides the parties of `counts` (the attached counts of `cx`'s
/// document) with `ranker`: what the rules proposed stays when kept (with
/// its rule as provenance), what they did not is added when kept,
/// credited to "ranker".
pub(super) fn rerank(cx: &Context, counts: &mut [Count], facts: &DocFacts, ranker: &Ranker) {
    let cands = candidates_in(cx, counts, facts);
    let scores: Vec<f32> = cands.iter().map(|c| ranker.score(&c.features)).collect();
    let kept = decide(&cands, &scores, ranker.keep, ranker.add);
    let mut dropped: std::collections::HashSet<(usize, &str, Role)> = Default::default();
    let mut added: Vec<Vec<(&str, Role)>> = vec![vec![]; counts.len()];
    for (c, k) in cands.iter().zip(&kept) {
        match (c.proposed, k) {
            (true, false) => {
                dropped.insert((c.count, c.party.as_str(), c.role));
            }
            (false, true) => added[c.count].push((c.party.as_str(), c.role)),
            _ => {}
        }
    }
    for (k, c) in counts.iter_mut().enumerate() {
        c.parties
            .retain(|p| !dropped.contains(&(k, p.party.as_str(), p.role)));
        for &(party, role) in &added[k] {
            c.add_party_by(party, role, Some("ranker"));
        }
        c.distributive =
            c.distributive && c.parties.iter().filter(|p| p.role == Role::Agent).count() > 1;
    }
}

/// One training example: a candidate's features, and whether gold has it.
pub type Example = (Vec<String>, bool);

/// Fits a logistic model to `examples`: AdaGrad over `epochs` passes in a
/// fixed order, L2 penalty `l2`. Deterministic.
pub fn fit(examples: &[Example], epochs: usize, l2: f32) -> Ranker {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let rows: Vec<(Vec<usize>, f32)> = examples
        .iter()
        .map(|(f, y)| {
            let ids = f
                .iter()
                .map(|name| {
                    let n = index.len();
                    *index.entry(name.as_str()).or_insert(n)
                })
                .collect();
            (ids, if *y { 1.0 } else { 0.0 })
        })
        .collect();
    let n = index.len();
    let mut w = vec![0f32; n];
    let mut g2 = vec![1e-6f32; n];
    let (mut b, mut gb2) = (0f32, 1e-6f32);
    let rate = 0.2f32;
    // A fixed shuffle: a linear congruential order over the rows.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut seed = 0x2545_f491_u64;
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407 + epoch as u64);
            order.swap(i, (seed >> 33) as usize % (i + 1));
        }
        for &r in &order {
            let (ids, y) = &rows[r];
            let z = b + ids.iter().map(|&i| w[i]).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = p - y;
            gb2 += g * g;
            b -= rate * g / gb2.sqrt();
            for &i in ids {
                let gi = g + l2 * w[i];
                g2[i] += gi * gi;
                w[i] -= rate * gi / g2[i].sqrt();
            }
        }
    }
    let weights = index
        .into_iter()
        .map(|(name, i)| (name.to_string(), w[i]))
        .filter(|(_, v)| v.abs() > 1e-4)
        .collect();
    Ranker {
        about: String::new(),
        keep: 0.5,
        add: 0.5,
        bias: b,
        weights,
    }
}
