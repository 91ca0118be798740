//! The frame of one count: everything the count rules read about it,
//! computed once before any rule runs (its sentence and clause, its own
//! tokens, its head noun, the word before it, the verb that governs it when
//! the reading finds one), and the proposals the rules make for it, each
//! with the name of the rule that made it.
//!
//! Parse facts (the dependency parse of `src/syntax/`, when there is one)
//! are in [`Frame::parse`] (`parse.rs`): the governing verb, its voice,
//! subject and `obl:agent`, the count noun's possessor, "of" and locative
//! phrases, modifiers and appositions.

use super::context::*;
use super::document::DocInfo;
use super::parse::{parse_facts, ParseFacts};
use crate::doc::{Count, Party, Role};
use crate::lexicon::*;
use std::collections::HashMap;

/// The passive verb that follows a count's phrase: "175 prisoners were
/// released (by Ukraine)".
#[derive(Debug, Clone, Copy)]
pub(super) struct Passive {
    /// The token of the participle ("released").
    pub(super) participle: usize,
}

/// Earlier counts by value, for the rules that copy an earlier count's
/// parties: the latest count with parties of each value, and of each
/// (value, unit). Kept up to date as counts are attached in text order, so
/// that finding one costs O(1), not a pass over all earlier counts.
#[derive(Debug, Default)]
pub(super) struct Earlier {
    /// The counts are in text order.
    pub(super) sorted: bool,
    by_value: HashMap<u64, usize>,
    by_value_unit: HashMap<(u64, Option<String>), usize>,
}

/// A hash key for a value that agrees with `==`: 0 and -0 are one key,
/// NaN (equal to nothing) has none.
pub(super) fn value_key(v: f64) -> Option<u64> {
    if v.is_nan() {
        None
    } else if v == 0.0 {
        Some(0)
    } else {
        Some(v.to_bits())
    }
}

impl Earlier {
    /// Records count `k` once it has its parties.
    pub(super) fn add(&mut self, k: usize, c: &Count) {
        if c.parties.is_empty() {
            return;
        }
        if let Some(v) = value_key(c.value) {
            self.by_value.insert(v, k);
            self.by_value_unit.insert((v, c.unit.clone()), k);
        }
    }

    /// The latest earlier count with parties and this value.
    pub(super) fn with_value(&self, value: f64) -> Option<usize> {
        self.by_value.get(&value_key(value)?).copied()
    }

    /// The latest earlier count with parties, this value and this unit.
    pub(super) fn with_value_and_unit(&self, value: f64, unit: &Option<String>) -> Option<usize> {
        self.by_value_unit
            .get(&(value_key(value)?, unit.clone()))
            .copied()
    }
}

/// Everything the count rules read about one count.
pub(super) struct Frame<'a> {
    pub(super) cx: &'a Context<'a>,
    pub(super) info: &'a DocInfo,
    /// All counts of the document; those before `k` have their parties.
    pub(super) counts: &'a [Count],
    pub(super) earlier: &'a Earlier,
    /// The count's index in `counts`.
    pub(super) k: usize,
    /// The count itself (`counts[k]`).
    pub(super) count: &'a Count,
    /// Its unit ("" when it has none).
    pub(super) unit: &'a str,
    /// Its sentence, and the sentence's tokens `lo..hi`.
    pub(super) si: usize,
    pub(super) lo: usize,
    pub(super) hi: usize,
    /// The clause around it, `clo..chi`.
    pub(super) clo: usize,
    pub(super) chi: usize,
    /// The first and last token of the number.
    pub(super) first: usize,
    pub(super) last: usize,
    /// The head noun of the counted phrase (the last token of the number
    /// when the unit is not written after it).
    pub(super) head: usize,
    /// The first token of the count's phrase, before "about", "some",
    /// "nearly"…: the word before it is `word(before - 1)`.
    pub(super) before: usize,
    /// The count stands in parentheses: "Flint, Mich. (2,500 workers)".
    pub(super) parenthesised: bool,
    /// A preposition other than "with" governs it ("by 424 votes"): no
    /// direct object, its clause's subject did nothing to it.
    pub(super) governed: bool,
    /// A verb of possession governs it ("has 2.5 mln members", "employs
    /// 525 people"): its subject owns it.
    pub(super) owned: bool,
    /// The passive verb after the counted phrase, when there is one.
    pub(super) passive: Option<Passive>,
    /// What the dependency parse says about the count; `None` without a
    /// parse (the rules that read it then propose nothing).
    pub(super) parse: Option<ParseFacts>,
}

impl<'a> Frame<'a> {
    /// The frame of count `k`; `None` when the count lies in no sentence.
    pub(super) fn new(
        cx: &'a Context<'a>,
        info: &'a DocInfo,
        counts: &'a [Count],
        earlier: &'a Earlier,
        k: usize,
    ) -> Option<Self> {
        let doc = cx.doc;
        let c = &counts[k];
        let si = doc.sentence_of(c.span.start)?;
        let sent = &doc.sentences[si];
        let (lo, hi) = (sent.tokens.start, sent.tokens.end);
        let (first, last, head) = if c.tokens.is_empty() {
            tokens_of(cx, c, hi)
        } else {
            let last = c.tokens.end - 1;
            (c.tokens.start, last, c.head.unwrap_or(last))
        };
        // The head noun within the sentence, not before the number.
        let head = head.min(hi.saturating_sub(1)).max(last);
        let mut before = first;
        while before > lo
            && matches!(
                cx.word(before - 1),
                "about" | "some" | "nearly" | "almost" | "over" | "around" | "roughly"
            )
        {
            cx.tick();
            before -= 1;
        }
        let (clo, chi) = cx.clause(lo, hi, first);
        let prev = if before > lo { cx.word(before - 1) } else { "" };
        let mut f = Frame {
            cx,
            info,
            counts,
            earlier,
            k,
            count: c,
            unit: c.unit.as_deref().unwrap_or(""),
            si,
            lo,
            hi,
            clo,
            chi,
            first,
            last,
            head,
            before,
            parenthesised: first > lo + 1 && cx.word(first - 1) == "(",
            governed: before > lo && PREPOSITIONS.contains(&prev) && prev != "with",
            owned: before > lo && POSSESSION.contains(&prev),
            passive: None,
            parse: parse_facts(cx, lo, hi, last, head),
        };
        f.passive = f.find_passive();
        Some(f)
    }

    /// Is the named rule on?
    pub(super) fn on(&self, rule: &'static str) -> bool {
        self.cx.on(rule)
    }

    /// Word `i`, lower case ("" past the end).
    pub(super) fn word(&self, i: usize) -> &str {
        self.cx.word(i)
    }

    /// The word right before the count's phrase ("" at the sentence start).
    pub(super) fn word_before(&self) -> &str {
        if self.before > self.lo {
            self.word(self.before - 1)
        } else {
            ""
        }
    }

    /// "… were (reportedly) released": a form of "be" and a participle
    /// after the counted phrase, in the clause.
    fn find_passive(&self) -> Option<Passive> {
        let (cx, chi) = (self.cx, self.chi);
        let mut j = self.head + 1;
        while j < chi && matches!(cx.word(j), "of" | "war" | "who" | "had") {
            cx.tick();
            j += 1;
        }
        if !(j + 1 < chi && BE.contains(&cx.word(j))) {
            return None;
        }
        let mut v = j + 1;
        while v < chi
            && matches!(
                cx.word(v),
                "been" | "being" | "also" | "reportedly" | "later" | "then" | "all"
            )
        {
            cx.tick();
            v += 1;
        }
        if v >= chi || !looks_like_participle(cx.word(v)) {
            return None;
        }
        Some(Passive { participle: v })
    }

    /// Another count of the same sentence comes before this one (the count
    /// is an item of a list).
    pub(super) fn listed(&self) -> bool {
        let doc = self.cx.doc;
        let same = |o: &Count| doc.sentence_of(o.span.start) == Some(self.si);
        if self.earlier.sorted {
            // Counts of one sentence stand together.
            self.k > 0 && same(&self.counts[self.k - 1])
        } else {
            self.counts[..self.k].iter().any(same)
        }
    }
}

/// One party proposed for a count, with the rule that proposed it.
#[derive(Debug, Clone)]
pub(super) struct Proposal {
    pub(super) party: String,
    pub(super) rule: &'static str,
}

/// What the count rules propose for one count, in the order they propose
/// it (the order parties are written in).
#[derive(Debug, Default)]
pub(super) struct Proposals {
    pub(super) agents: Vec<Proposal>,
    pub(super) affiliations: Vec<Proposal>,
    pub(super) locations: Vec<Proposal>,
    /// "X and Y each …": the count applies to each agent.
    pub(super) distributive: bool,
    /// The places of a relative clause's antecedent ("Romek Corp, based in
    /// Elyria, which employs 262 people"), used when no other place is found.
    pub(super) antecedent_places: Vec<Proposal>,
    /// A definite restatement takes these parties of an earlier count
    /// instead of its own.
    pub(super) restated: Option<Vec<Party>>,
}

impl Proposals {
    pub(super) fn propose(&mut self, role: Role, party: String, rule: &'static str) {
        debug_assert!(
            super::rules::RULES.iter().any(|r| r.name == rule),
            "rule {rule:?} is not in RULES"
        );
        let list = match role {
            Role::Agent => &mut self.agents,
            Role::Affiliation => &mut self.affiliations,
            Role::Location => &mut self.locations,
        };
        list.push(Proposal { party, rule });
    }

    /// Proposes `party` in `role` unless a rule before proposed it there:
    /// the rules that read the parse add only what is new.
    pub(super) fn propose_new(&mut self, role: Role, party: String, rule: &'static str) {
        let list = match role {
            Role::Agent => &self.agents,
            Role::Affiliation => &self.affiliations,
            Role::Location => &self.locations,
        };
        if !list.iter().any(|q| q.party == party) {
            self.propose(role, party, rule);
        }
    }

    pub(super) fn agent(&mut self, party: String, rule: &'static str) {
        self.propose(Role::Agent, party, rule);
    }

    pub(super) fn affiliation(&mut self, party: String, rule: &'static str) {
        self.propose(Role::Affiliation, party, rule);
    }

    pub(super) fn location(&mut self, party: String, rule: &'static str) {
        self.propose(Role::Location, party, rule);
    }
}

/// The first and last token of a count that the counts stage did not make
/// (read from a file, made by hand), and the token where its unit is
/// written (its last token when it has none), read from its spans.
fn tokens_of(cx: &Context, c: &Count, hi: usize) -> (usize, usize, usize) {
    let doc = cx.doc;
    let first = doc.token_at_or_after(c.span.start);
    let mut last = first;
    while last + 1 < hi && doc.tokens[last + 1].span.start < c.span.end {
        cx.tick();
        last += 1;
    }
    let head = c.unit_span.map_or(last, |u| doc.token_at_or_after(u.start));
    (first, last, head)
}
