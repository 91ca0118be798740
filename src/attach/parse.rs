//! What the dependency parse (`Doc::syntax`, `tally extract --syntax`)
//! says about one count, read once per count into [`Frame::parse`]: the
//! governing verb and its voice, subject and `obl:agent`, and the count
//! noun's possessor, "of" phrase, locative phrases, modifiers and
//! appositions. Relations are Universal Dependencies v2 labels; the parse's
//! tokens are the document's tokens (`crate::syntax`).
//!
//! [`Frame::parse`]: super::frame::Frame::parse

use super::context::Context;
use crate::lexicon::*;

/// How far the count's noun may stand below its governing verb (links of
/// a noun phrase: conjuncts, "of" phrases, appositions).
const MAX_NOUN_LINKS: usize = 4;

/// How many clause links (`xcomp`, `advcl`, `conj`) the search for a verb's
/// subject may climb: "GM plans to lay off 500 workers".
const MAX_CLAUSE_LINKS: usize = 3;

/// The parse facts of one count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ParseFacts {
    /// The count's noun in the parse: the head the number is `nummod` of,
    /// else the count's head noun ("prisoners" in "175 prisoners"; the
    /// number itself in "killing 107").
    pub(super) noun: usize,
    /// The governor chain from the noun up to, not including, the verb:
    /// the noun first ("civilians", "soldiers" in "killed 10 soldiers and
    /// 5 civilians").
    pub(super) chain: Vec<usize>,
    /// The governing verb: the first VERB above the noun within
    /// [`MAX_NOUN_LINKS`] noun-phrase links.
    pub(super) verb: Option<usize>,
    /// The relation of the chain's top to the verb ("obj", "nsubj:pass",
    /// "obl"…); empty without a verb.
    pub(super) link: String,
    /// The verb is passive: it has an `aux:pass` or a `nsubj:pass`.
    pub(super) passive: bool,
    /// The verb's subject (`nsubj`, `nsubj:pass`) other than the counted
    /// phrase; a verb without one takes the subject of the verb it is the
    /// `xcomp`, `advcl` or `conj` of; a relative pronoun ("which") gives
    /// way to the noun its clause modifies.
    pub(super) subject: Option<usize>,
    /// The verb's `obl:agent` ("by Ukraine"), or that of a participle
    /// modifying the noun ("workers laid off by GM").
    pub(super) by_agent: Option<usize>,
    /// The verb a by-agent belongs to ("laid" in "workers laid off by
    /// GM").
    pub(super) by_verb: Option<usize>,
    /// The noun's `nmod:poss` ("Brazil" in "Brazil's 40,000 seamen").
    pub(super) possessor: Option<usize>,
    /// The noun's `nmod`s with the preposition "of" ("workers of
    /// Petrobras").
    pub(super) of: Vec<usize>,
    /// The noun's `nmod`s and the verb's `obl`s with a locative preposition
    /// ("in Kabul", "at its Lansing plant").
    pub(super) locative: Vec<usize>,
    /// The noun's `amod`, `compound` and `flat` dependents ("Russian",
    /// "GM").
    pub(super) modifiers: Vec<usize>,
    /// The noun's appositions.
    pub(super) appositions: Vec<usize>,
}

/// The relation of token `t` ("" past the parse).
pub(super) fn deprel<'a>(cx: &'a Context, t: usize) -> &'a str {
    cx.syntax
        .and_then(|s| s.get(t))
        .map_or("", |a| a.deprel.as_str())
}

/// The UPOS tag of token `t` ("" past the parse).
pub(super) fn pos<'a>(cx: &'a Context, t: usize) -> &'a str {
    cx.syntax
        .and_then(|s| s.get(t))
        .map_or("", |a| a.pos.as_str())
}

/// The head of token `t`, `None` for a root or past the parse.
pub(super) fn head(cx: &Context, t: usize) -> Option<usize> {
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

/// The subject of `verb`: its `nsubj` or `nsubj:pass` that is not
/// `except`; else, climbing `xcomp`, `advcl` and `conj` links, the
/// subject of the verb above; a relative pronoun stands for the noun its
/// clause modifies.
fn subject_of(cx: &Context, verb: usize, except: usize) -> Option<usize> {
    let mut v = verb;
    for _ in 0..=MAX_CLAUSE_LINKS {
        cx.tick();
        let own = cx
            .children
            .get(v)
            .into_iter()
            .flatten()
            .copied()
            .find(|&c| c != except && matches!(deprel(cx, c), "nsubj" | "nsubj:pass"));
        if let Some(s) = own {
            if matches!(cx.word(s), "which" | "who" | "that") && deprel(cx, v) == "acl:relcl" {
                return head(cx, v);
            }
            return Some(s);
        }
        match head(cx, v) {
            Some(h)
                if matches!(deprel(cx, v), "xcomp" | "advcl" | "conj") && pos(cx, h) == "VERB" =>
            {
                v = h
            }
            _ => return None,
        }
    }
    None
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
    let mut f = ParseFacts {
        noun,
        chain: vec![noun],
        ..Default::default()
    };
    // Up the noun phrase to the verb.
    let mut t = noun;
    for _ in 0..=MAX_NOUN_LINKS {
        cx.tick();
        let Some(h) = head(cx, t).filter(|&h| inside(h)) else {
            break;
        };
        if pos(cx, h) == "VERB" {
            f.verb = Some(h);
            f.link = deprel(cx, t).to_string();
            break;
        }
        if !noun_link(deprel(cx, t)) {
            break;
        }
        t = h;
        f.chain.push(t);
    }
    if let Some(v) = f.verb {
        f.passive = f.link == "nsubj:pass"
            || cx.children[v]
                .iter()
                .any(|&c| matches!(deprel(cx, c), "aux:pass" | "nsubj:pass"));
        let top = *f.chain.last().expect("the chain holds the noun");
        f.subject = subject_of(cx, v, top);
        f.by_agent = dependents(cx, v, "obl:agent").next();
        f.by_verb = f.by_agent.map(|_| v);
        for o in dependents(cx, v, "obl") {
            if LOCATIVE_PREPOSITIONS.contains(&case_of(cx, o)) {
                f.locative.push(o);
            }
        }
    }
    if f.by_agent.is_none() {
        // "500 workers laid off by GM": a participle modifying the noun.
        for a in dependents(cx, noun, "acl") {
            if let Some(b) = dependents(cx, a, "obl:agent").next() {
                f.by_agent = Some(b);
                f.by_verb = Some(a);
                break;
            }
        }
    }
    for &c in &cx.children[noun] {
        cx.tick();
        match deprel(cx, c) {
            "nmod:poss" => f.possessor = f.possessor.or(Some(c)),
            "nmod" => match case_of(cx, c) {
                "of" => f.of.push(c),
                p if LOCATIVE_PREPOSITIONS.contains(&p) => f.locative.push(c),
                _ => {}
            },
            "amod" | "compound" | "flat" => f.modifiers.push(c),
            "appos" => f.appositions.push(c),
            _ => {}
        }
    }
    f.locative.sort_unstable();
    Some(f)
}

/// The mention a parse token stands for: the mention holding it, else that
/// of its apposition ("the carmaker, GM"); a pronoun ("it", "they", "he")
/// gives its antecedent.
pub(super) fn mention_at(cx: &Context, t: usize) -> Option<usize> {
    if let Some(m) = cx.mention_of.get(t).copied().flatten() {
        return Some(m);
    }
    let w = cx.word(t);
    if PRONOUNS_IT.contains(&w) || PRONOUNS_PER.contains(&w) || POSSESSIVES_IT.contains(&w) {
        return super::context::antecedent(cx, t, PRONOUNS_PER.contains(&w));
    }
    dependents(cx, t, "appos").find_map(|a| cx.mention_of[a])
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

    fn released() -> Doc {
        doc(
            "Ukraine released 175 prisoners.",
            &[("Ukraine", Label::Loc, "Ukraine")],
            &[
                (2, "nsubj", "PROPN"),
                (0, "root", "VERB"),
                (4, "nummod", "NUM"),
                (2, "obj", "NOUN"),
                (2, "punct", "PUNCT"),
            ],
        )
    }

    #[test]
    fn agent_subject_of_verb_is_the_subject_of_an_agentive_verb() {
        check(
            &released(),
            "agent-subject-of-verb",
            &["subject-agent"],
            (Role::Agent, "Ukraine"),
        );
    }

    #[test]
    fn the_parse_reads_the_verb_its_subject_and_the_count_noun() {
        let d = released();
        let view = d.token_view();
        let rules = RuleSet::all();
        let cx = super::super::context::Context::new(&d, &view, &rules);
        let f = super::parse_facts(&cx, 0, 5, 2, 3).expect("a parse");
        assert_eq!((f.noun, f.verb, f.subject), (3, Some(1), Some(0)));
        assert_eq!((f.link.as_str(), f.passive), ("obj", false));
    }

    #[test]
    fn agent_subject_of_verb_climbs_to_the_subject_of_a_controlling_verb() {
        // "GM plans to cut 500 jobs": "cut" has no subject of its own.
        let d = doc(
            "GM plans to cut 500 jobs.",
            &[("GM", Label::Org, "General Motors")],
            &[
                (2, "nsubj", "PROPN"),
                (0, "root", "VERB"),
                (4, "mark", "PART"),
                (2, "xcomp", "VERB"),
                (6, "nummod", "NUM"),
                (4, "obj", "NOUN"),
                (2, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "agent-subject-of-verb",
            &["subject-agent", "topic-company-workforce"],
            (Role::Agent, "General Motors"),
        );
    }

    #[test]
    fn parse_vetoes_subject_withdraws_the_subject_of_other_verbs() {
        // "urge" is no act on the members: no agent with the parse; the
        // subject walk alone (no parse) still proposes one.
        let d = doc(
            "Miller urged 3,000 members to vote.",
            &[("Miller", Label::Per, "Peter Miller")],
            &[
                (2, "nsubj", "PROPN"),
                (0, "root", "VERB"),
                (4, "nummod", "NUM"),
                (2, "obj", "NOUN"),
                (6, "mark", "PART"),
                (2, "xcomp", "VERB"),
                (2, "punct", "PUNCT"),
            ],
        );
        let agent = (Role::Agent, "Peter Miller".to_string(), "subject-agent");
        assert!(!parties(&d, &[], true).contains(&agent));
        assert!(parties(&d, &["parse-vetoes-subject"], true).contains(&agent));
        assert!(parties(&d, &[], false).contains(&agent));
    }

    #[test]
    fn agent_by_passive_is_the_obl_agent() {
        let d = doc(
            "500 workers were laid off by GM.",
            &[("GM", Label::Org, "General Motors")],
            &[
                (2, "nummod", "NUM"),
                (4, "nsubj:pass", "NOUN"),
                (4, "aux:pass", "AUX"),
                (0, "root", "VERB"),
                (4, "compound:prt", "ADP"),
                (7, "case", "ADP"),
                (4, "obl:agent", "PROPN"),
                (4, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "agent-by-passive",
            &["passive-by-agent", "topic-company-workforce"],
            (Role::Agent, "General Motors"),
        );
    }

    #[test]
    fn affiliation_possessor_is_the_nmod_poss() {
        let d = doc(
            "Brazil's 40,000 seamen struck.",
            &[("Brazil", Label::Loc, "Brazil")],
            &[
                (4, "nmod:poss", "PROPN"),
                (1, "case", "PART"),
                (4, "nummod", "NUM"),
                (5, "nsubj", "NOUN"),
                (0, "root", "VERB"),
                (5, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "affiliation-possessor",
            &["possessive-name"],
            (Role::Affiliation, "Brazil"),
        );
    }

    #[test]
    fn affiliation_of_is_the_of_phrase_of_the_noun() {
        let d = doc(
            "Some 300 workers of Petrobras struck.",
            &[("Petrobras", Label::Org, "Petrobras")],
            &[
                (4, "det", "DET"),
                (3, "nummod", "NUM"),
                (6, "nsubj", "NOUN"),
                (5, "case", "ADP"),
                (3, "nmod", "PROPN"),
                (0, "root", "VERB"),
                (6, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "affiliation-of",
            &["of-after-head", "topic-company-workforce"],
            (Role::Affiliation, "Petrobras"),
        );
    }

    #[test]
    fn affiliation_subject_owns_is_the_subject_of_a_verb_of_owning() {
        let d = doc(
            "Solidarity has 2,500 members.",
            &[("Solidarity", Label::Org, "Solidarity")],
            &[
                (2, "nsubj", "PROPN"),
                (0, "root", "VERB"),
                (4, "nummod", "NUM"),
                (2, "obj", "NOUN"),
                (2, "punct", "PUNCT"),
            ],
        );
        check(
            &d,
            "affiliation-subject-owns",
            &["owner-subject"],
            (Role::Affiliation, "Solidarity"),
        );
    }

    #[test]
    fn place_in_at_is_a_place_in_a_locative_phrase() {
        let d = doc(
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
        );
        check(
            &d,
            "place-in-at",
            &["locative-places", "lead-place-location"],
            (Role::Location, "Lagos"),
        );
    }

    #[test]
    fn a_parse_that_does_not_cover_the_tokens_is_not_read() {
        let mut d = released();
        d.syntax.as_mut().expect("parsed").pop();
        let found = parties(&d, &["subject-agent"], true);
        assert!(found.is_empty(), "{found:?}");
    }
}
