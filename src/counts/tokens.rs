//! The tokens of a document as the counts stage reads them, from the
//! document's token view ([`crate::tokens`]): each with its word form,
//! sentence, headline flag, first-word flag and entity label, and the
//! helpers that every other part of `counts` reads them with. Nothing here
//! imports from the other parts.

use crate::doc::{Approx, Doc, Label, Span};
use crate::lexicon::*;
use crate::tokens::{SentenceKind, TokenView};

/// How many tokens around a number the rules look at in its sentence.
pub(super) const WINDOW: usize = 40;

/// Whether a lower-case word is in a word list.
pub(super) fn in_table(table: &[&str], w: &str) -> bool {
    table.contains(&w)
}

/// The value of a number word in a table of number words.
pub(super) fn lookup(table: &[(&str, f64)], w: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

/// A month, abbreviated or not, with or without its period.
pub(super) fn is_month(w: &str) -> bool {
    in_table(MONTHS, w.trim_end_matches('.'))
}

/// A token and what the rules need to know about it.
pub(super) struct Tok<'a> {
    pub(super) text: &'a str,
    /// Its word form ([`TokenView::word`]): lower case, without the
    /// period of an abbreviation.
    pub(super) lower: &'a str,
    pub(super) span: Span,
    pub(super) sent: usize,
    /// Its sentence is a headline in Title Case or capitals
    /// ([`SentenceKind::Headline`]).
    pub(super) headline: bool,
    /// The first word or number of its sentence.
    pub(super) initial: bool,
    pub(super) entity: Option<Label>,
}

/// The tokens of one document with its text and sentence bounds.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) toks: Vec<Tok<'a>>,
    /// Token index of the start of each sentence, and just past its end.
    sent_start: Vec<usize>,
    sent_end: Vec<usize>,
}

impl<'a> Ctx<'a> {
    /// The tokens of a segmented document, read from its token view.
    pub(super) fn new(doc: &'a Doc, view: &'a TokenView) -> Self {
        let toks = doc
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let sent = view.sentence[i];
                Tok {
                    text: doc.text.get(t.span.start..t.span.end).unwrap_or(""),
                    lower: view.word(i),
                    span: t.span,
                    sent,
                    headline: view
                        .sentences
                        .get(sent)
                        .is_some_and(|s| s.kind == SentenceKind::Headline),
                    initial: view.initial[i],
                    entity: view.entity[i].map(|e| doc.entities[e].label),
                }
            })
            .collect();
        Ctx {
            text: &doc.text,
            toks,
            sent_start: view.sentences.iter().map(|s| s.tokens.start).collect(),
            sent_end: view.sentences.iter().map(|s| s.tokens.end).collect(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }

    /// Token index just past the sentence of token `i`.
    pub(super) fn limit(&self, i: usize) -> usize {
        self.toks
            .get(i)
            .and_then(|t| self.sent_end.get(t.sent))
            .copied()
            .unwrap_or(self.len())
    }

    /// Token index of the start of the sentence of token `i`.
    pub(super) fn sent_start(&self, i: usize) -> usize {
        self.toks
            .get(i)
            .and_then(|t| self.sent_start.get(t.sent))
            .copied()
            .unwrap_or(0)
    }

    /// The tokens of the sentence of token `i` at most `WINDOW` away from it.
    pub(super) fn window(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.sent_start(i).max(i.saturating_sub(WINDOW));
        start..self.limit(i).min(i + WINDOW)
    }

    /// Lower-case text of token `i`, "" outside the text.
    pub(super) fn lower(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower)
    }

    /// Lower-case text of the token `back` places before `i` in the same
    /// sentence, "" if there is none.
    pub(super) fn lower_before(&self, i: usize, back: usize) -> &str {
        match i.checked_sub(back) {
            Some(j) if self.same_sentence(i, j) => self.lower(j),
            _ => "",
        }
    }

    pub(super) fn same_sentence(&self, i: usize, j: usize) -> bool {
        match (self.toks.get(i), self.toks.get(j)) {
            (Some(a), Some(b)) => a.sent == b.sent,
            _ => false,
        }
    }

    /// The text between tokens `i - 1` and `i`.
    pub(super) fn gap_before(&self, i: usize) -> &str {
        if i == 0 || i >= self.len() {
            return "";
        }
        self.text
            .get(self.toks[i - 1].span.end..self.toks[i].span.start)
            .unwrap_or("")
    }

    pub(super) fn char_before(&self, at: usize) -> Option<char> {
        self.text.get(..at).and_then(|s| s.chars().next_back())
    }

    pub(super) fn char_after(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    pub(super) fn is_capitalized(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| t.text.chars().next())
            .is_some_and(char::is_uppercase)
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| t.text.chars().next())
            .is_some_and(char::is_alphabetic)
    }
}

/// How many tokens of approximation words stand before token `i`, and what
/// they say.
pub(super) fn approx_before(ctx: &Ctx, i: usize) -> Option<(usize, Approx)> {
    HEDGES_BEFORE.iter().find_map(|(words, approx)| {
        let n = words.len();
        let matches = (1..=n).all(|back| ctx.lower_before(i, back) == words[n - back]);
        matches.then_some((n, *approx))
    })
}

/// A token that can be part of the noun phrase after a number.
pub(super) fn is_np_word(ctx: &Ctx, i: usize) -> bool {
    let w = ctx.lower(i);
    let first = w.chars().next();
    let word = first.is_some_and(char::is_alphabetic)
        || (first.is_some_and(|c| c.is_ascii_digit())
            && w.contains('-')
            && w.chars().any(char::is_alphabetic));
    word && !in_table(NP_STOP_WORDS, w)
        && lookup(SMALL_NUMBERS, w).is_none()
        && lookup(TENS, w).is_none()
}
