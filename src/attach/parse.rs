//! What the dependency parse (`Doc::syntax`, `tally extract --syntax`)
//! says about one count, read once per count into [`Frame::parse`]: the
//! verb that governs the counted phrase and the locative phrases of the
//! verb and of the count's noun.
//! Relations are Universal Dependencies v2 labels; the parse's tokens are
//! the document's tokens (`crate::syntax`).
//!
//! The facts that only rules since deleted read (the phrase's relation to
//! the verb and its voice, the verb's subject and `obl:agent`, the noun's
//! possessor and "of" phrase) went with them: their measurement is in
//! `eval/README.md`.
//!
//! [`Frame::parse`]: super::frame::Frame::parse

use super::context::Context;
use crate::lexicon::*;

/// How far the count's noun may stand below its governing verb (links of
/// a noun phrase: conjuncts, "of" phrases, appositions).
const MAX_NOUN_LINKS: usize = 4;

/// The parse facts of one count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ParseFacts {
    /// The governing verb: the first VERB above the count's noun (the head
    /// the number is `nummod` of, else the count's head noun) within
    /// [`MAX_NOUN_LINKS`] noun-phrase links ("killed" in "killed 10
    /// soldiers and 5 civilians", for both counts).
    pub(super) verb: Option<usize>,
    /// The noun's `nmod`s and the verb's `obl`s with a locative preposition
    /// ("in Kabul", "at its Lansing plant"), in text order.
    pub(super) locative: Vec<usize>,
}

/// The relation of token `t` ("" past the parse).
pub(super) fn deprel<'a>(cx: &'a Context, t: usize) -> &'a str {
    cx.syntax
        .and_then(|s| s.get(t))
        .map_or("", |a| a.deprel.as_str())
}

/// The UPOS tag of token `t` ("" past the parse).
fn pos<'a>(cx: &'a Context, t: usize) -> &'a str {
    cx.syntax
        .and_then(|s| s.get(t))
        .map_or("", |a| a.pos.as_str())
}

/// The head of token `t`, `None` for a root or past the parse.
fn head(cx: &Context, t: usize) -> Option<usize> {
    cx.syntax.and_then(|s| s.get(t)).and_then(|a| a.head)
}

/// The dependents of `t` with relation `rel` (subtypes must match).
fn dependents<'a>(cx: &'a Context, t: usize, rel: &'a str) -> impl Iterator<Item = usize> + 'a {
    cx.children
        .get(t)
        .into_iter()
        .flatten()
        .copied()
        .filter(move |&c| deprel(cx, c) == rel)
}

/// The preposition of a nominal: its `case` dependent, lower case ("" when
/// it has none).
pub(super) fn case_of<'a>(cx: &'a Context, t: usize) -> &'a str {
    dependents(cx, t, "case").next().map_or("", |c| cx.word(c))
}

/// Links that keep a token inside the noun phrase it hangs from.
fn noun_link(rel: &str) -> bool {
    matches!(
        rel,
        "conj" | "nmod" | "appos" | "compound" | "flat" | "nummod" | "dep"
    )
}

/// Reads the parse facts of a count whose number ends at token `last`
/// and whose head noun is `head_noun`, in the sentence `lo..hi`; `None`
/// without a parse.
pub(super) fn parse_facts(
    cx: &Context,
    lo: usize,
    hi: usize,
    last: usize,
    head_noun: usize,
) -> Option<ParseFacts> {
    cx.syntax?;
    let inside = |t: usize| (lo..hi).contains(&t);
    let noun = match head(cx, last) {
        Some(h) if deprel(cx, last) == "nummod" && inside(h) => h,
        _ => head_noun,
    };
    let mut f = ParseFacts::default();
    // Up the noun phrase to the verb.
    let mut t = noun;
    for _ in 0..=MAX_NOUN_LINKS {
        cx.tick();
        let Some(h) = head(cx, t).filter(|&h| inside(h)) else {
            break;
        };
        if pos(cx, h) == "VERB" {
            f.verb = Some(h);
            break;
        }
        if !noun_link(deprel(cx, t)) {
            break;
        }
        t = h;
    }
    if let Some(v) = f.verb {
        for o in dependents(cx, v, "obl") {
            if LOCATIVE_PREPOSITIONS.contains(&case_of(cx, o)) {
                f.locative.push(o);
            }
        }
    }
    for n in dependents(cx, noun, "nmod") {
        cx.tick();
        if LOCATIVE_PREPOSITIONS.contains(&case_of(cx, n)) {
            f.locative.push(n);
        }
    }
    f.locative.sort_unstable();
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Each rule over the parse on a hand-built document: given entities
    //! and a given parse (no model), the rule on, off, and without a parse.
    use super::super::{attach_with, RuleSet};
    use crate::doc::{Doc, Entity, Label, Role, Span, TokenSyntax};

    /// A document of one sentence with `entities` (surface, label,
    /// canonical) and the parse `tree`, one (head, deprel, UPOS) per token,
    /// heads 1-based as in CoNLL-U (0: the root).
    fn doc(text: &str, entities: &[(&str, Label, &str)], tree: &[(usize, &str, &str)]) -> Doc {
        let mut d = Doc::new("t", text);
        crate::segment::segment(&mut d);
        let words: Vec<&str> = (0..d.tokens.len()).map(|i| d.token_text(i)).collect();
        assert_eq!(words.len(), tree.len(), "tokens: {words:?}");
        for &(surface, label, canonical) in entities {
            let start = text.find(surface).expect("the entity is in the text");
            d.entities.push(Entity {
                span: Span::new(start, start + surface.len()),
                label,
                canonical: canonical.to_string(),
                score: None,
            });
        }
        d.entities.sort_by_key(|e| e.span.start);
        d.update_view();
        d.counts = crate::counts::find_counts(&d);
        assert_eq!(d.counts.len(), 1, "one count in {text:?}");
        d.syntax = Some(
            tree.iter()
                .map(|&(h, rel, pos)| TokenSyntax {
                    pos: pos.to_string(),
                    head: h.checked_sub(1),
                    deprel: rel.to_string(),
                })
                .collect(),
        );
        d
    }

    /// The count's parties as (role, party, rule), with the rules `off`
    /// switched off; without the parse when `parsed` is false.
    fn parties(d: &Doc, off: &[&str], parsed: bool) -> Vec<(Role, String, &'static str)> {
        let mut d = d.clone();
        if !parsed {
            d.syntax = None;
        }
        attach_with(&mut d, &RuleSet::without(off).expect("known rules"));
        d.counts[0]
            .parties
            .iter()
            .map(|p| (p.role, p.party.clone(), p.rule.unwrap_or("")))
            .collect()
    }

    /// `rule` proposes `want` on `d` with the surface rules `surface` off;
    /// it proposes nothing when it is off too, or without the parse.
    fn check(d: &Doc, rule: &'static str, surface: &[&str], want: (Role, &str)) {
        let found = parties(d, surface, true);
        assert!(
            found.contains(&(want.0, want.1.to_string(), rule)),
            "{rule}: {found:?}"
        );
        let mut both: Vec<&str> = surface.to_vec();
        both.push(rule);
        let without_rule = parties(d, &both, true);
        assert!(
            !without_rule
                .iter()
                .any(|(r, p, _)| *r == want.0 && p == want.1),
            "{rule} off: {without_rule:?}"
        );
        let unparsed = parties(d, surface, false);
        assert!(
            !unparsed.iter().any(|(_, _, r)| *r == rule),
            "{rule} without a parse: {unparsed:?}"
        );
    }

    fn arrested() -> Doc {
        doc(
            "Police arrested 12 men in Lagos.",
            &[("Lagos", Label::Loc, "Lagos")],
            &[
                (2, "nsubj", "NOUN"),
                (0, "root", "VERB"),
                (4, "nummod", "NUM"),
                (2, "obj", "NOUN"),
                (6, "case", "ADP"),
                (2, "obl", "PROPN"),
                (2, "punct", "PUNCT"),
            ],
        )
    }

    #[test]
    fn the_parse_reads_the_verb_its_voice_and_the_locative_phrases() {
        let d = arrested();
        let view = d.token_view();
        let rules = RuleSet::all();
        let cx = super::super::context::Context::new(&d, &view, &rules);
        let f = super::parse_facts(&cx, 0, 7, 2, 3).expect("a parse");
        assert_eq!(f.verb, Some(1));
        assert_eq!(f.locative, vec![5]);
    }

    #[test]
    fn a_parse_that_does_not_cover_the_tokens_is_not_read() {
        let mut d = arrested();
        d.syntax.as_mut().expect("parsed").pop();
        let found = parties(&d, &["locative-places", "lead-place-location"], true);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn place_in_at_is_a_place_in_a_locative_phrase() {
        check(
            &arrested(),
            "place-in-at",
            &["locative-places", "lead-place-location"],
            (Role::Location, "Lagos"),
        );
    }

    #[test]
    fn place_in_at_reads_a_place_that_names_the_plant() {
        // "at its Lansing plant": the place is a compound of the phrase's noun.
        let d = doc(
            "GM will idle 3,500 workers at its Lansing plant.",
            &[
                ("GM", Label::Org, "General Motors"),
                ("Lansing", Label::Loc, "Lansing"),
            ],
            &[
                (3, "nsubj", "PROPN"),
                (3, "aux", "AUX"),
                (0, "root", "VERB"),
                (5, "nummod", "NUM"),
                (3, "obj", "NOUN"),
                (9, "case", "ADP"),
                (9, "nmod:poss", "PRON"),
                (9, "compound", "PROPN"),
                (3, "obl", "NOUN"),
                (3, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "place-in-at",
            &[
                "locative-places",
                "lead-place-location",
                "workers-at-plant",
                "refers-back-place",
            ],
            (Role::Location, "Lansing"),
        );
    }
}
