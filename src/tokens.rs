//! The token view of a document: what every stage needs to know about each
//! token and sentence, read once after segmentation instead of by each
//! stage on its own: the lower-case form, the shape, the sentence and its
//! kind (headline, heading, body), the entity that covers the token, and
//! whether it breaks a clause.
//!
//! `segment::segment` builds it ([`TokenView::new`]); the pipeline
//! re-indexes the entities after the `ner` and `canon` stages
//! ([`Doc::update_view`]). A stage reads it through [`Doc::token_view`],
//! which builds a fresh one when the stored view is not the view of the
//! document's current tokens, sentences and entity spans (a document
//! segmented by hand, or given gold entities), so a stale view is never
//! read.
//!
//! Headlines are classified once, by [`SentenceInfo::is_headline`] over the
//! casing counted per sentence here; the [`Headline`] tests are its named
//! variants, because the stages mean different things by a headline.

use crate::doc::{Doc, Span};
use crate::lexicon::{CLAUSE_BREAKS, NUMBER_LABELS};
use std::borrow::Cow;
use std::ops::Range;

/// How a word is written: the casing classes of the entity model's shape
/// embedding (`ner::model::word_shape` gives their numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// No capital letter: "swap", "mln-member".
    Lower,
    /// One capital, first or alone: "Russia", "A", "Mcdonald".
    Title,
    /// Capitals only, more than one letter: "NATO", "RUSSIA".
    AllCaps,
    /// Any other mix: "McDonald", "iPhone".
    Mixed,
    /// Holds a digit: "372", "1.5bn", "747s".
    Digit,
    /// No letter and no digit: ",", "--", "$".
    NoLetters,
}

impl Shape {
    /// The shape of a word.
    pub fn of(word: &str) -> Shape {
        let mut letters = 0;
        let mut upper = 0;
        let mut digit = false;
        for c in word.chars() {
            if c.is_alphabetic() {
                letters += 1;
                if c.is_uppercase() {
                    upper += 1;
                }
            } else if c.is_numeric() {
                digit = true;
            }
        }
        if digit {
            Shape::Digit
        } else if letters == 0 {
            Shape::NoLetters
        } else if upper == 0 {
            Shape::Lower
        } else if upper == letters && letters > 1 {
            Shape::AllCaps
        } else if letters == 1
            || (upper == 1
                && word
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(|c| c.is_uppercase()))
        {
            Shape::Title
        } else {
            Shape::Mixed
        }
    }
}

/// What kind of line a sentence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SentenceKind {
    /// Its words are nearly all capitalised ([`Headline::Capitalised`]):
    /// "Russia And Ukraine Swap 372 Prisoners", "GM TO IDLE SIX PLANTS".
    Headline,
    /// Not a headline, and it ends without a final stop: a title, a
    /// dateline, a section heading, a list item.
    Heading,
    /// Running text.
    #[default]
    Body,
}

/// The tests of a headline. The stages mean three different things by it,
/// and each keeps its own meaning, so that output stays as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// At least two words, three in four capitalised: Title Case or all
    /// capitals. The counts stage reads such a sentence in lower case like
    /// any other and trusts no capital in it ([`SentenceKind::Headline`]).
    Capitalised,
    /// At least three words, four in five in Title Case (a capital and a
    /// lower-case letter): the sentences whose casing the entity model's
    /// input undoes (`ner::recase_headlines`). Not all capitals: the model
    /// learnt those from CoNLL.
    TitleCase,
    /// No final stop (".", "!", "?"): with the first sentence, the
    /// headline line above a story's lead (`attach`'s lead place).
    Unstopped,
}

/// A sentence as the view reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SentenceInfo {
    /// Its tokens, within the document's tokens.
    pub tokens: Range<usize>,
    pub kind: SentenceKind,
    /// Its words: tokens that start with a letter.
    pub words: usize,
    /// Of those, the ones that start with a capital.
    pub capitalised: usize,
    /// Of those, the ones that also hold a lower-case letter (Title Case).
    pub title_case: usize,
    /// It ends with ".", "!" or "?" (trailing space aside).
    pub stopped: bool,
}

impl SentenceInfo {
    /// Is the sentence a headline by `test`?
    pub fn is_headline(&self, test: Headline) -> bool {
        match test {
            Headline::Capitalised => self.words >= 2 && self.capitalised * 4 >= self.words * 3,
            Headline::TitleCase => self.words >= 3 && self.title_case * 10 >= self.words * 8,
            Headline::Unstopped => !self.stopped,
        }
    }
}

/// An entity as a token range of the document: the tokens that start
/// inside its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Its index in `Doc::entities`.
    pub entity: usize,
    pub first: usize,
    pub end: usize,
}

/// What every stage reads about the tokens and sentences of one document.
/// Per-token facts are in parallel vectors, one entry per `Doc::tokens`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenView {
    /// Lower-case text.
    pub lower: Vec<String>,
    /// The byte length of the word form in `lower`: all of it, except that
    /// a lone final period of an alphabetic word is left out ("man." for
    /// Manitoba reads "man"), but not on the abbreviations that label
    /// numbers ("no."). See [`TokenView::word`].
    word_len: Vec<usize>,
    pub shape: Vec<Shape>,
    /// The first character is a letter or a digit.
    pub alphanumeric: Vec<bool>,
    /// Index of the sentence holding the token (`usize::MAX` outside every
    /// sentence).
    pub sentence: Vec<usize>,
    /// The first word or number of its sentence.
    pub initial: Vec<bool>,
    /// A word or sign that starts a new clause (`CLAUSE_BREAKS`).
    pub clause_break: Vec<bool>,
    pub sentences: Vec<SentenceInfo>,
    /// The entities as token ranges, in the order of `Doc::entities`
    /// (an entity that holds no token's start has none).
    pub mentions: Vec<Mention>,
    /// For each token, the last mention whose range holds it.
    pub mention_of: Vec<Option<usize>>,
    /// For each token, the first entity (index in `Doc::entities`) whose
    /// span overlaps it at all, also when the entity starts inside the
    /// token (given entities need not fall on token bounds).
    pub entity: Vec<Option<usize>>,
    /// What the view was built from, to tell a stale view.
    token_spans: Vec<Span>,
    sentence_spans: Vec<(Span, Range<usize>)>,
    entity_spans: Vec<Span>,
}

impl TokenView {
    /// The view of a segmented document and its entities.
    pub fn new(doc: &Doc) -> Self {
        let n = doc.tokens.len();
        let mut v = TokenView {
            lower: Vec::with_capacity(n),
            word_len: Vec::with_capacity(n),
            shape: Vec::with_capacity(n),
            alphanumeric: Vec::with_capacity(n),
            sentence: vec![usize::MAX; n],
            initial: vec![false; n],
            clause_break: Vec::with_capacity(n),
            token_spans: doc.tokens.iter().map(|t| t.span).collect(),
            sentence_spans: doc
                .sentences
                .iter()
                .map(|s| (s.span, s.tokens.clone()))
                .collect(),
            ..TokenView::default()
        };
        for t in &doc.tokens {
            let text = doc.text.get(t.span.start..t.span.end).unwrap_or("");
            let lower = text.to_lowercase();
            v.word_len.push(word_len(&lower));
            v.clause_break.push(CLAUSE_BREAKS.contains(&lower.as_str()));
            v.lower.push(lower);
            v.shape.push(Shape::of(text));
            v.alphanumeric
                .push(text.chars().next().is_some_and(char::is_alphanumeric));
        }
        for (si, s) in doc.sentences.iter().enumerate() {
            let info = v.read_sentence(doc, s);
            let mut seen_word = false;
            for t in info.tokens.clone() {
                v.sentence[t] = si;
                v.initial[t] = v.alphanumeric[t] && !seen_word;
                seen_word |= v.alphanumeric[t];
            }
            v.sentences.push(info);
        }
        v.index_entities(doc);
        v
    }

    /// The casing and kind of one sentence.
    fn read_sentence(&self, doc: &Doc, s: &crate::doc::Sentence) -> SentenceInfo {
        let end = s.tokens.end.min(self.lower.len());
        let tokens = s.tokens.start.min(end)..end;
        let mut info = SentenceInfo {
            tokens: tokens.clone(),
            stopped: doc
                .text
                .get(s.span.start..s.span.end)
                .unwrap_or("")
                .trim_end()
                .ends_with(['.', '!', '?']),
            ..SentenceInfo::default()
        };
        for t in tokens {
            let text = doc.slice(doc.tokens[t].span);
            let mut chars = text.chars();
            if !chars.next().is_some_and(char::is_alphabetic) {
                continue;
            }
            info.words += 1;
            if text.chars().next().is_some_and(char::is_uppercase) {
                info.capitalised += 1;
                if text.chars().any(char::is_lowercase) {
                    info.title_case += 1;
                }
            }
        }
        info.kind = if info.is_headline(Headline::Capitalised) {
            SentenceKind::Headline
        } else if !info.stopped {
            SentenceKind::Heading
        } else {
            SentenceKind::Body
        };
        info
    }

    /// Indexes the document's entities anew (after the `ner` or `canon`
    /// stage changed them); the tokens and sentences stay.
    pub fn index_entities(&mut self, doc: &Doc) {
        let n = self.lower.len();
        self.mentions.clear();
        self.mention_of = vec![None; n];
        self.entity = vec![None; n];
        for (i, e) in doc.entities.iter().enumerate() {
            // Every token the entity overlaps.
            let from = doc.tokens.partition_point(|t| t.span.end <= e.span.start);
            for t in (from..n).take_while(|&t| doc.tokens[t].span.start < e.span.end) {
                self.entity[t] = self.entity[t].or(Some(i));
            }
            // The tokens that start inside it.
            let first = doc.token_at_or_after(e.span.start);
            let mut end = first;
            while end < n && doc.tokens[end].span.start < e.span.end {
                end += 1;
            }
            if end > first {
                for m in &mut self.mention_of[first..end] {
                    *m = Some(self.mentions.len());
                }
                self.mentions.push(Mention {
                    entity: i,
                    first,
                    end,
                });
            }
        }
        self.entity_spans = doc.entities.iter().map(|e| e.span).collect();
    }

    /// Was the view built from these tokens and sentences?
    fn has_tokens_of(&self, doc: &Doc) -> bool {
        self.token_spans.len() == doc.tokens.len()
            && self
                .token_spans
                .iter()
                .zip(&doc.tokens)
                .all(|(s, t)| *s == t.span)
            && self.sentence_spans.len() == doc.sentences.len()
            && self
                .sentence_spans
                .iter()
                .zip(&doc.sentences)
                .all(|((span, r), s)| *span == s.span && *r == s.tokens)
    }

    /// Is this the view of the document as it is now?
    pub fn is_current(&self, doc: &Doc) -> bool {
        self.has_tokens_of(doc)
            && self.entity_spans.len() == doc.entities.len()
            && self
                .entity_spans
                .iter()
                .zip(&doc.entities)
                .all(|(s, e)| *s == e.span)
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.lower.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// Lower-case text of token `i`, "" past the end.
    pub fn lower(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", String::as_str)
    }

    /// Token `i` as a word: lower case, a lone final period of an
    /// abbreviation left out ("man." → "man", "no." stays); "" past the end.
    pub fn word(&self, i: usize) -> &str {
        match (self.lower.get(i), self.word_len.get(i)) {
            (Some(l), Some(&n)) => &l[..n],
            _ => "",
        }
    }

    /// The sentence of token `i`, when it is in one.
    pub fn sentence_info(&self, i: usize) -> Option<&SentenceInfo> {
        self.sentences.get(*self.sentence.get(i)?)
    }
}

/// The byte length of the word form of a lower-case token (see
/// [`TokenView::word`]).
fn word_len(lower: &str) -> usize {
    match lower.strip_suffix('.') {
        Some(w)
            if w.len() > 1
                && w.chars().all(char::is_alphabetic)
                && !NUMBER_LABELS.contains(&lower) =>
        {
            w.len()
        }
        _ => lower.len(),
    }
}

impl Doc {
    /// The token view of the document as it is now: the stored one when it
    /// is current, else one built afresh.
    pub fn token_view(&self) -> Cow<'_, TokenView> {
        if self.view.is_current(self) {
            Cow::Borrowed(&self.view)
        } else {
            Cow::Owned(TokenView::new(self))
        }
    }

    /// Brings the stored token view up to date: rebuilt when the tokens
    /// or sentences changed, its entity index renewed when the entities did.
    pub fn update_view(&mut self) {
        if self.view.is_current(self) {
            return;
        }
        let mut view = std::mem::take(&mut self.view);
        if view.has_tokens_of(self) {
            view.index_entities(self);
        } else {
            view = TokenView::new(self);
        }
        self.view = view;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Label};

    fn doc(text: &str) -> Doc {
        let mut d = Doc::new("t", text);
        crate::segment::segment(&mut d);
        d
    }

    #[test]
    fn tokens_read_once_with_form_shape_sentence_and_clause() {
        let d = doc("GM Idles Man. Plant\n\nPolice in Man. arrested 12 men, who fled.");
        let v = d.token_view();
        assert!(matches!(v, Cow::Borrowed(_)), "segment builds the view");
        let i = |w: &str| {
            (0..d.tokens.len())
                .rfind(|&i| d.token_text(i) == w)
                .unwrap()
        };
        assert_eq!(v.lower(i("Police")), "police");
        assert_eq!(v.word(i("Man.")), "man");
        assert_eq!(v.lower(i("Man.")), "man.");
        assert_eq!(v.shape[i("GM")], Shape::AllCaps);
        assert_eq!(v.shape[i("Police")], Shape::Title);
        assert_eq!(v.shape[i("12")], Shape::Digit);
        assert_eq!(v.shape[i(",")], Shape::NoLetters);
        assert!(v.clause_break[i("who")] && !v.clause_break[i("fled")]);
        assert!(v.initial[i("Police")] && !v.initial[i("arrested")]);
        assert_eq!(v.sentence[i("Police")], 1);
        assert_eq!(v.sentences[0].kind, SentenceKind::Headline);
        assert_eq!(v.sentences[1].kind, SentenceKind::Body);
        assert_eq!(v.word(d.tokens.len()), "");
    }

    #[test]
    fn headline_tests_are_variants_of_one_count() {
        let d = doc("RUSSIA AND UKRAINE SWAP PRISONERS\n\nRussia And Ukraine Swap Prisoners\n\nThe talks went on\n\nThey swapped 372 prisoners.");
        let v = d.token_view();
        let s = &v.sentences;
        assert_eq!(s.len(), 4);
        assert!(s[0].is_headline(Headline::Capitalised) && !s[0].is_headline(Headline::TitleCase));
        assert!(s[1].is_headline(Headline::Capitalised) && s[1].is_headline(Headline::TitleCase));
        assert_eq!(s[2].kind, SentenceKind::Heading);
        assert!(s[2].is_headline(Headline::Unstopped) && !s[3].is_headline(Headline::Unstopped));
        assert_eq!(s[3].kind, SentenceKind::Body);
    }

    #[test]
    fn a_stale_view_is_never_read() {
        let mut d = doc("Police in Chad arrested 12 men.");
        let chad = d.text.find("Chad").unwrap();
        d.entities.push(Entity {
            span: Span::new(chad, chad + 4),
            label: Label::Loc,
            canonical: "Chad".into(),
            score: None,
        });
        let fresh = d.token_view();
        assert!(matches!(fresh, Cow::Owned(_)), "new entities: a new view");
        assert_eq!(fresh.mention_of[2], Some(0));
        assert_eq!(fresh.entity[2], Some(0));
        let fresh = fresh.into_owned();
        d.update_view();
        assert_eq!(d.view, fresh);
        assert!(matches!(d.token_view(), Cow::Borrowed(_)));
        // An entity starting inside a token overlaps it but holds no
        // token's start.
        d.entities[0].span = Span::new(chad + 1, chad + 4);
        let v = d.token_view();
        assert_eq!((v.entity[2], v.mention_of[2]), (Some(0), None));
        d.tokens.clear();
        assert!(d.token_view().is_empty());
    }
}
