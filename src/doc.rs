//! The document model: one `Doc` owns its text and every annotation the
//! pipeline stages add to it. All spans here are byte offsets into `text`;
//! `format` converts them to code points at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range into a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A word token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
}

/// A sentence: its span and the range of its tokens in `Doc::tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: std::ops::Range<usize>,
}

/// CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "MISC")]
    Misc,
}

impl Label {
    pub const ALL: [Label; 4] = [Label::Per, Label::Org, Label::Loc, Label::Misc];
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Per => "PER",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Misc => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub span: Span,
    pub label: Label,
    /// The party this mention stands for in this document.
    pub canonical: String,
    pub score: Option<f32>,
}

/// What a party is to a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Agent,
    Affiliation,
    Location,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::Affiliation, Role::Location];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Affiliation => "affiliation",
            Role::Location => "location",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approx {
    About,
    Over,
    Under,
    Range,
}

/// A party of a count. Two parties are equal when their names, roles and
/// aliases are: the rule that proposed one is provenance, not identity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Party {
    pub party: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The attachment rule that proposed this party (its name in
    /// `tally::attach::RULES`); `None` for parties read from a file. Not
    /// written, except by `tally extract --explain` as "rule".
    #[serde(skip)]
    pub rule: Option<&'static str>,
}

impl PartialEq for Party {
    fn eq(&self, other: &Self) -> bool {
        self.party == other.party && self.role == other.role && self.aliases == other.aliases
    }
}

impl Eq for Party {}

impl std::hash::Hash for Party {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.party.hash(h);
        self.role.hash(h);
        self.aliases.hash(h);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub span: Span,
    pub value: f64,
    pub value_max: Option<f64>,
    pub approx: Option<Approx>,
    /// Head noun of what is counted, lower case and singular.
    pub unit: Option<String>,
    /// Where the unit's head noun stands in the text, when it is written out.
    pub unit_span: Option<Span>,
    pub parties: Vec<Party>,
    pub distributive: bool,
    /// The index, in the document's counts, of the first mention of the
    /// same counted things, when this count restates it.
    pub mention_of: Option<usize>,
    /// The indices of the counts that add up to this one.
    pub sum_of: Vec<usize>,
    /// What the counts stage found, handed to `attach` so that it reads
    /// no raw text again; not written. The tokens of the number, indices
    /// into `Doc::tokens` ("1.1 mln" of "the 1.1 mln-member union" is two
    /// tokens, the second "mln-member"). Empty for a count that the counts
    /// stage did not make (read from a file, made by hand).
    pub tokens: std::ops::Range<usize>,
    /// The token where the counted phrase's head noun is written, when it
    /// is: the counted noun ("372 [prisoners]"), the noun that a count word
    /// glued to the number qualifies ("1.1 mln-member [union]"), or the noun
    /// earlier in the text that a bare number takes its unit from ("merge
    /// 35 [agencies] into nine").
    pub head: Option<usize>,
    /// The count word glued to the number by a hyphen: "member" of "the
    /// 1.1 mln-member union", "strong" of "a 5,000-strong force".
    pub compound: Option<String>,
}

impl Count {
    pub fn new(span: Span, value: f64) -> Self {
        Count {
            span,
            value,
            value_max: None,
            approx: None,
            unit: None,
            unit_span: None,
            parties: Vec::new(),
            distributive: false,
            mention_of: None,
            sum_of: Vec::new(),
            tokens: 0..0,
            head: None,
            compound: None,
        }
    }

    /// The names of the parties in `role`.
    pub fn parties_in(&self, role: Role) -> impl Iterator<Item = &str> {
        self.parties
            .iter()
            .filter(move |p| p.role == role)
            .map(|p| p.party.as_str())
    }

    /// Adds a party unless it is already there with the same role.
    pub fn add_party(&mut self, party: &str, role: Role) {
        self.add_party_by(party, role, None);
    }

    /// [`Count::add_party`], recording the rule that proposed the party.
    pub fn add_party_by(&mut self, party: &str, role: Role, rule: Option<&'static str>) {
        if !self
            .parties
            .iter()
            .any(|p| p.role == role && p.party == party)
        {
            self.parties.push(Party {
                party: party.to_string(),
                role,
                aliases: Vec::new(),
                rule,
            });
        }
    }
}

/// One document and all its annotations.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The id as text (a JSON number's digits).
    pub id: String,
    /// The id as it was written in JSON, when it is not a string (a number):
    /// its exact text, written back as it came (`1E2` stays `1E2`).
    pub id_json: Option<Box<serde_json::value::RawValue>>,
    pub text: String,
    /// Input fields other than id and text, in input order, carried through
    /// untouched: each value's exact JSON text (numbers keep every digit).
    pub extra: Vec<(String, Box<serde_json::value::RawValue>)>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub counts: Vec<Count>,
    /// The places the whole story happens in, most specific first, as
    /// canonical names: where a reader would file it when no count says
    /// more. Not copied onto the counts (docs/FORMAT.md, decision 1).
    pub setting: Vec<String>,
    /// What every stage reads about the tokens and sentences, built once
    /// by segmentation ([`crate::tokens`]); read it through
    /// [`Doc::token_view`], which never gives a stale one.
    pub view: crate::tokens::TokenView,
    /// Per token, its part of speech and dependency (`tally extract
    /// --syntax`); `None` when syntax was not asked for.
    pub syntax: Option<Vec<TokenSyntax>>,
}

/// A token's part of speech and its place in the sentence's dependency tree
/// (Universal Dependencies v2 labels; see `crate::syntax`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSyntax {
    /// UPOS tag ("NOUN", "VERB", "PROPN", …).
    pub pos: String,
    /// The index in `Doc::tokens` of the head token; `None` for a root.
    pub head: Option<usize>,
    /// Dependency relation to the head ("nsubj", "obj", "nmod:poss", "root", …).
    pub deprel: String,
}

impl Doc {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Doc {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    /// The id as it is written out: the JSON value of the input, or a string.
    /// (A number id beyond what a JSON value holds exactly comes back as the
    /// nearest number here; the output record keeps its text, see
    /// [`Doc::id_json_text`].)
    pub fn id_value(&self) -> serde_json::Value {
        match &self.id_json {
            Some(raw) => serde_json::from_str(raw.get())
                .unwrap_or_else(|_| serde_json::Value::String(raw.get().to_string())),
            None => serde_json::Value::String(self.id.clone()),
        }
    }

    /// The id as JSON text, exactly as the input wrote it: two ids are the
    /// same document when these are equal (`1` and `"1"` differ).
    pub fn id_json_text(&self) -> String {
        match &self.id_json {
            Some(raw) => raw.get().to_string(),
            None => serde_json::Value::String(self.id.clone()).to_string(),
        }
    }

    /// The carried-through input field `key`, as its JSON text.
    pub fn extra_field(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.get())
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }

    /// Index of the sentence holding byte offset `at`.
    pub fn sentence_of(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= at);
        (i < self.sentences.len() && self.sentences[i].span.start <= at).then_some(i)
    }

    /// Index of the first token starting at or after byte offset `at`.
    pub fn token_at_or_after(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < at)
    }
}
