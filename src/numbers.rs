//! Counts: numbers that say how many of something there are.
//!
//! [`find_counts`] reads the tokens of a segmented document in four steps:
//! 1. `scan` finds every number expression: digits ("372", "1,200",
//!    "1.5"), words ("twenty-two", "one hundred and five", "a dozen"),
//!    scale words and wire abbreviations ("1.5 million", "2 mln", "3bn"),
//!    and ranges ("300 to 400", "7,000-8,000", "between 20 and 30").
//! 2. `not_a_quantity` drops what its context shows is no quantity at all:
//!    years, dates, times, ages, ratios, scores, names ("Boeing 747"),
//!    "one" as a pronoun or idiom.
//! 3. `read` looks at the noun phrase after the number: a counted noun
//!    gives the unit ("22 wounded Ukrainian captives" → captive), a unit of
//!    measure, money, time or percent makes it a measure, "of the plants"
//!    takes the noun after "of", and nothing noun-like leaves it bare.
//! 4. `resolve` gives a bare number the unit of what it refers to ("merge
//!    35 agencies into nine"), or drops it.
//!
//! Word tables are lower case; a headline in Title Case or capitals is read
//! in lower case like any other sentence.

use crate::doc::{Approx, Count, Doc, Label, Span, Token};
use crate::lexicon::*;
use crate::segment;
use crate::units::{self, Measure};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How many tokens around a number the rules look at in its sentence.
const WINDOW: usize = 40;

/// How many numbers back a bare number looks for what it refers to.
const LOOKBACK: usize = 50;

/// Finds the counts of a segmented document, sorted by start and not
/// overlapping. Parties are left empty for `attach`.
pub fn find_counts(doc: &Doc) -> Vec<Count> {
    let ctx = Ctx::new(doc);
    let nums = scan(&ctx);
    let readings: Vec<Reading> = nums.iter().map(|n| read(&ctx, n, &nums)).collect();
    let units = resolve(&ctx, &nums, &readings);
    nums.iter()
        .zip(units)
        .filter_map(|(n, unit)| unit.map(|u| make_count(&ctx, n, u)))
        .collect()
}

// ---------------------------------------------------------------------------
// Word tables (in `crate::lexicon`)

fn in_table(table: &[&str], w: &str) -> bool {
    table.contains(&w)
}

fn lookup(table: &[(&str, f64)], w: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

fn is_month(w: &str) -> bool {
    in_table(MONTHS, w.trim_end_matches('.'))
}

// ---------------------------------------------------------------------------
// Tokens in context

/// A token and what the rules need to know about it.
struct Tok<'a> {
    text: &'a str,
    lower: String,
    span: Span,
    sent: usize,
    /// Its sentence is a headline in Title Case or capitals.
    headline: bool,
    /// The first word or number of its sentence.
    initial: bool,
    entity: Option<Label>,
}

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Tok<'a>>,
    /// Token index of the start of each sentence, and just past its end.
    sent_start: Vec<usize>,
    sent_end: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(doc: &'a Doc) -> Self {
        let (tokens, sentences) = if doc.tokens.is_empty() {
            let t = segment::tokenize(&doc.text);
            let s = segment::sentences(&doc.text, &t);
            (t, s)
        } else {
            (doc.tokens.clone(), doc.sentences.clone())
        };
        let sentences = if sentences.is_empty() && !tokens.is_empty() {
            segment::sentences(&doc.text, &tokens)
        } else {
            sentences
        };
        let mut toks: Vec<Tok<'a>> = tokens.iter().map(|t| Ctx::tok(doc, t)).collect();
        for e in &doc.entities {
            let first = toks.partition_point(|t| t.span.end <= e.span.start);
            for t in toks[first..]
                .iter_mut()
                .take_while(|t| t.span.start < e.span.end)
            {
                t.entity = t.entity.or(Some(e.label));
            }
        }
        let mut sent_start = Vec::with_capacity(sentences.len());
        let mut sent_end = Vec::with_capacity(sentences.len());
        for (si, s) in sentences.iter().enumerate() {
            let end = s.tokens.end.min(toks.len());
            let range = s.tokens.start.min(end)..end;
            let headline = is_headline(&toks[range.clone()]);
            let mut seen_word = false;
            for t in &mut toks[range.clone()] {
                t.sent = si;
                t.headline = headline;
                let alnum = t.text.chars().next().is_some_and(char::is_alphanumeric);
                t.initial = alnum && !seen_word;
                seen_word |= alnum;
            }
            sent_start.push(range.start);
            sent_end.push(range.end);
        }
        Ctx {
            text: &doc.text,
            toks,
            sent_start,
            sent_end,
        }
    }

    fn tok(doc: &'a Doc, t: &Token) -> Tok<'a> {
        let text = doc.text.get(t.span.start..t.span.end).unwrap_or("");
        Tok {
            text,
            lower: lower_word(text),
            span: t.span,
            sent: usize::MAX,
            headline: false,
            initial: false,
            entity: None,
        }
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    /// Token index just past the sentence of token `i`.
    fn limit(&self, i: usize) -> usize {
        self.toks
            .get(i)
            .and_then(|t| self.sent_end.get(t.sent))
            .copied()
            .unwrap_or(self.len())
    }

    /// Token index of the start of the sentence of token `i`.
    fn sent_start(&self, i: usize) -> usize {
        self.toks
            .get(i)
            .and_then(|t| self.sent_start.get(t.sent))
            .copied()
            .unwrap_or(0)
    }

    /// The tokens of the sentence of token `i` at most `WINDOW` away from it.
    fn window(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.sent_start(i).max(i.saturating_sub(WINDOW));
        start..self.limit(i).min(i + WINDOW)
    }

    /// Lower-case text of token `i`, "" outside the text.
    fn lower(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    /// Lower-case text of the token `back` places before `i` in the same
    /// sentence, "" if there is none.
    fn lower_before(&self, i: usize, back: usize) -> &str {
        match i.checked_sub(back) {
            Some(j) if self.same_sentence(i, j) => self.lower(j),
            _ => "",
        }
    }

    fn same_sentence(&self, i: usize, j: usize) -> bool {
        match (self.toks.get(i), self.toks.get(j)) {
            (Some(a), Some(b)) => a.sent == b.sent,
            _ => false,
        }
    }

    /// The text between tokens `i - 1` and `i`.
    fn gap_before(&self, i: usize) -> &str {
        if i == 0 || i >= self.len() {
            return "";
        }
        self.text
            .get(self.toks[i - 1].span.end..self.toks[i].span.start)
            .unwrap_or("")
    }

    fn char_before(&self, at: usize) -> Option<char> {
        self.text.get(..at).and_then(|s| s.chars().next_back())
    }

    fn char_after(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    fn is_capitalized(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| t.text.chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| t.text.chars().next())
            .is_some_and(char::is_alphabetic)
    }
}

/// A token in lower case. The tokenizer keeps the period of words it takes
/// for abbreviations ("man." for Manitoba): a lone final period of a word
/// is dropped, except on the abbreviations that label numbers ("no.").
fn lower_word(text: &str) -> String {
    let lower = text.to_lowercase();
    match lower.strip_suffix('.') {
        Some(w)
            if w.len() > 1
                && w.chars().all(char::is_alphabetic)
                && !in_table(NUMBER_LABELS, &lower) =>
        {
            w.to_string()
        }
        _ => lower,
    }
}

/// A sentence is a headline when nearly all its words are capitalized.
fn is_headline(toks: &[Tok]) -> bool {
    let words: Vec<&Tok> = toks
        .iter()
        .filter(|t| t.text.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let caps = words
        .iter()
        .filter(|t| t.text.chars().next().is_some_and(char::is_uppercase))
        .count();
    words.len() >= 2 && caps * 4 >= words.len() * 3
}

// ---------------------------------------------------------------------------
// Step 1: number expressions

/// A count word glued to a number by a hyphen: "5,000-strong force",
/// "the 1.1 mln-member union".
#[derive(Debug, Clone)]
struct Compound {
    word: String,
    span: Span,
}

/// A number expression over tokens `first..=last`; its `span` ends before
/// the hyphen of a compound ("5,000" of "5,000-strong").
#[derive(Debug, Clone)]
struct Num {
    first: usize,
    last: usize,
    span: Span,
    value: f64,
    value_max: Option<f64>,
    /// Written with a decimal point and no scale word ("8.60").
    decimal: bool,
    /// Just "one" or "1": the noun after it is singular.
    one: bool,
    /// The dash of a range ("2-1", "1 – 0"), which scores share.
    dashed: bool,
    compound: Option<Compound>,
}

/// One number without a range after it.
#[derive(Debug, Clone)]
struct Single {
    last: usize,
    /// Byte offset where its text ends.
    end: usize,
    value: f64,
    /// The value before its scale word, and the scale.
    raw: f64,
    scale: f64,
    max: Option<f64>,
    decimal: bool,
    compound: Option<Compound>,
}

impl Single {
    fn plain(ctx: &Ctx, last: usize, value: f64, max: Option<f64>) -> Single {
        Single {
            last,
            end: ctx.toks[last].span.end,
            value,
            raw: value,
            scale: 1.0,
            max,
            decimal: false,
            compound: None,
        }
    }
}

fn digits_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-zA-Z]*)$").expect("valid regex")
    })
}

/// The value of a number in digits, with a glued scale ("3bn"), and whether
/// it has a decimal point.
fn parse_digits(s: &str) -> Option<(f64, f64, bool)> {
    let caps = digits_re().captures(s)?;
    let whole = caps.get(1)?.as_str().replace(',', "");
    let frac = caps.get(2).map_or("", |m| m.as_str());
    let value: f64 = format!("{whole}{frac}").parse().ok()?;
    let suffix = caps.get(3).map_or("", |m| m.as_str()).to_lowercase();
    let scale = if suffix.is_empty() {
        1.0
    } else {
        lookup(GLUED_SCALES, &suffix)?
    };
    Some((value, scale, !frac.is_empty()))
}

/// A hyphenated token of two numbers: "7,000-8,000", "35-40", "three-six".
fn parse_dash_token(s: &str) -> Option<(f64, f64)> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 2 {
        return None;
    }
    let value = |p: &str| {
        parse_digits(p)
            .map(|(v, sc, _)| v * sc)
            .or_else(|| word_value(p))
    };
    let (low, high) = (value(parts[0])?, value(parts[1])?);
    (low < high).then_some((low, high))
}

/// The value of one number word or hyphenated number word ("twenty-two").
fn word_value(w: &str) -> Option<f64> {
    let atoms: Vec<(&str, usize)> = w.split('-').map(|a| (a, 0)).collect();
    match parse_atoms(&atoms) {
        Some((v, n)) if n == atoms.len() => Some(v),
        _ => None,
    }
}

/// Splits a token like "5,000-strong" or "mln-member" at its last hyphen
/// when a count word follows it: the lower-case part before the hyphen, the
/// byte offset where that part ends, and the count word.
fn split_compound(ctx: &Ctx, i: usize) -> Option<(String, usize, Compound)> {
    let t = ctx.toks.get(i)?;
    let pos = t.text.rfind('-')?;
    let (left, right) = (&t.text[..pos], &t.text[pos + 1..]);
    let word = right.to_lowercase();
    if left.is_empty() || !in_table(COMPOUND_COUNT_WORDS, &word) {
        return None;
    }
    let span = Span::new(t.span.start + pos + 1, t.span.end);
    Some((
        left.to_lowercase(),
        t.span.start + pos,
        Compound { word, span },
    ))
}

fn is_number_atom(a: &str) -> bool {
    lookup(SMALL_NUMBERS, a).is_some()
        || lookup(TENS, a).is_some()
        || lookup(SCALE_WORDS, a).is_some()
        || matches!(
            a,
            "hundred" | "dozen" | "a" | "an" | "and" | "half" | "quarter" | "of"
        )
}

/// Number words from token `i` on, split at hyphens, with their tokens.
fn word_atoms<'c>(ctx: &'c Ctx, i: usize, lim: usize) -> Vec<(&'c str, usize)> {
    let mut atoms = Vec::new();
    for t in i..lim.min(i + 12) {
        let w = ctx.lower(t);
        let parts: Vec<&str> = w.split('-').collect();
        if parts.iter().any(|p| !is_number_atom(p))
            || (parts.len() > 1 && parts.iter().any(|p| p.len() < 3))
        {
            break;
        }
        atoms.extend(parts.into_iter().map(|p| (p, t)));
    }
    atoms
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    A,
    Small,
    Tens,
    Hundred,
    Scale,
    Dozen,
    And,
}

/// "half a million", "a quarter of a million", "a half dozen".
fn parse_fraction(atoms: &[(&str, usize)]) -> Option<(f64, usize)> {
    let w: Vec<&str> = atoms.iter().map(|a| a.0).collect();
    let is_a = |x: &str| x == "a" || x == "an";
    let (frac, used) = match w.as_slice() {
        ["half", a, ..] if is_a(a) => (0.5, 2),
        [a, "half", ..] if is_a(a) => (0.5, 2),
        [a, "quarter", "of", b, ..] if is_a(a) && is_a(b) => (0.25, 4),
        _ => return None,
    };
    let unit = match *w.get(used)? {
        "dozen" => 12.0,
        "hundred" => 100.0,
        s => lookup(SCALE_WORDS, s)?,
    };
    Some((frac * unit, used + 1))
}

/// Parses number words; returns the value and how many atoms it used. The
/// parse ends at a token boundary.
fn parse_atoms(atoms: &[(&str, usize)]) -> Option<(f64, usize)> {
    if let Some(r) = parse_fraction(atoms) {
        return Some(r);
    }
    let (mut total, mut group) = (0.0, 0.0);
    let mut last = Last::Start;
    let mut prev_scale = f64::INFINITY;
    let mut best = None;
    let mut k = 0;
    while k < atoms.len() {
        let a = atoms[k].0;
        let next = atoms.get(k + 1).map_or("", |x| x.0);
        let grows = |g: f64| if g == 0.0 { 1.0 } else { g };
        if let Some(v) = lookup(SMALL_NUMBERS, a) {
            let after_tens = last == Last::Tens && (1.0..10.0).contains(&v);
            if !(matches!(last, Last::Start | Last::Hundred | Last::And | Last::Scale)
                || after_tens)
            {
                break;
            }
            group += v;
            last = Last::Small;
        } else if let Some(v) = lookup(TENS, a) {
            if !matches!(last, Last::Start | Last::Hundred | Last::And | Last::Scale) {
                break;
            }
            group += v;
            last = Last::Tens;
        } else if a == "hundred" {
            if !matches!(last, Last::Small | Last::A) || group >= 100.0 {
                break;
            }
            group = grows(group) * 100.0;
            last = Last::Hundred;
        } else if let Some(s) = lookup(SCALE_WORDS, a) {
            if !matches!(last, Last::Small | Last::Tens | Last::Hundred | Last::A)
                || s >= prev_scale
            {
                break;
            }
            total += grows(group) * s;
            group = 0.0;
            prev_scale = s;
            last = Last::Scale;
        } else if a == "dozen" {
            if !matches!(last, Last::Small | Last::Tens | Last::A) {
                break;
            }
            group = grows(group) * 12.0;
            last = Last::Dozen;
        } else if a == "a" || a == "an" {
            let scale_next =
                next == "hundred" || next == "dozen" || lookup(SCALE_WORDS, next).is_some();
            if last != Last::Start || !scale_next {
                break;
            }
            group = 1.0;
            last = Last::A;
        } else if a == "and" {
            // "one and a half million"
            let w: Vec<&str> = atoms[k..].iter().take(4).map(|x| x.0).collect();
            if let ["and", "a", "half", s] = w.as_slice() {
                if let (Some(s), Last::Small | Last::Tens) = (lookup(SCALE_WORDS, s), last) {
                    return Some((total + (group + 0.5) * s, k + 4));
                }
            }
            let number_next = lookup(SMALL_NUMBERS, next).is_some() || lookup(TENS, next).is_some();
            if !matches!(last, Last::Hundred | Last::Scale) || !number_next {
                break;
            }
            last = Last::And;
        } else {
            break;
        }
        k += 1;
        let complete = matches!(
            last,
            Last::Small | Last::Tens | Last::Hundred | Last::Scale | Last::Dozen
        );
        let at_boundary = k == atoms.len() || atoms[k].1 != atoms[k - 1].1;
        if complete && at_boundary {
            best = Some((total + group, k));
        }
    }
    best
}

/// The scale word after a number in digits: "million", "mln", "dozen".
fn scale_word(w: &str) -> Option<f64> {
    lookup(SCALE_WORDS, w).or(match w {
        "hundred" => Some(100.0),
        "dozen" => Some(12.0),
        _ => None,
    })
}

/// A number in digits from token `i`, with a scale word after it.
fn parse_digit_number(ctx: &Ctx, i: usize, lim: usize) -> Option<Single> {
    if let Some((left, end, compound)) = split_compound(ctx, i) {
        let (raw, scale, decimal) = parse_digits(&left)?;
        return Some(Single {
            end,
            value: raw * scale,
            raw,
            scale,
            decimal,
            compound: Some(compound),
            ..Single::plain(ctx, i, raw, None)
        });
    }
    let text = ctx.lower(i);
    let (raw, max, scale, decimal) = match parse_digits(text) {
        Some((v, sc, dec)) => (v, None, sc, dec),
        None => {
            let (a, b) = parse_dash_token(text)?;
            (a, Some(b), 1.0, text.contains('.'))
        }
    };
    let single = Single {
        value: raw * scale,
        scale,
        decimal: decimal && scale == 1.0,
        ..Single::plain(ctx, i, raw, max)
    };
    if scale != 1.0 || i + 1 >= lim {
        return Some(single);
    }
    // "1.5 million", "2 mln", and "the 1.1 mln-member union".
    let (s, end, compound) = match (scale_word(ctx.lower(i + 1)), split_compound(ctx, i + 1)) {
        (Some(s), _) => (s, ctx.toks[i + 1].span.end, None),
        (None, Some((left, end, c))) if scale_word(&left).is_some() => {
            (scale_word(&left)?, end, Some(c))
        }
        _ => return Some(single),
    };
    Some(Single {
        last: i + 1,
        end,
        value: raw * s,
        scale: s,
        max: max.map(|m| m * s),
        decimal: false,
        compound,
        ..single
    })
}

/// A number in words from token `i`.
fn parse_word_number(ctx: &Ctx, i: usize, lim: usize) -> Option<Single> {
    if let Some((left, end, compound)) = split_compound(ctx, i) {
        let value = word_value(&left)?;
        return Some(Single {
            end,
            compound: Some(compound),
            ..Single::plain(ctx, i, value, None)
        });
    }
    let atoms = word_atoms(ctx, i, lim);
    if let Some((value, used)) = parse_atoms(&atoms) {
        return Some(Single::plain(ctx, atoms[used - 1].1, value, None));
    }
    // "three-six": a range in one hyphenated token.
    let w = ctx.lower(i);
    if !w.contains('-') || !w.chars().all(|c| c.is_alphabetic() || c == '-') {
        return None;
    }
    let (a, b) = parse_dash_token(w)?;
    Some(Single::plain(ctx, i, a, Some(b)))
}

fn parse_single(ctx: &Ctx, i: usize, lim: usize) -> Option<Single> {
    if i >= lim {
        return None;
    }
    let starts_with_digit = ctx
        .lower(i)
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit());
    if starts_with_digit {
        parse_digit_number(ctx, i, lim)
    } else {
        parse_word_number(ctx, i, lim)
    }
}

/// A number at token `i`, with a range after it ("300 to 400").
fn parse_at(ctx: &Ctx, i: usize) -> Option<Num> {
    let lim = ctx.limit(i);
    let x = parse_single(ctx, i, lim)?;
    let num = Num {
        first: i,
        last: x.last,
        span: Span::new(ctx.toks[i].span.start, x.end),
        value: x.value,
        value_max: x.max,
        decimal: x.decimal,
        one: x.value == 1.0 && x.max.is_none() && x.last == i,
        dashed: x.max.is_some(),
        compound: x.compound.clone(),
    };
    if x.max.is_some() || x.compound.is_some() {
        return Some(num);
    }
    Some(extend_to_range(ctx, num, &x, lim))
}

/// "300 to 400", "300-400", "two or three", "between 20 and 30".
fn extend_to_range(ctx: &Ctx, num: Num, x: &Single, lim: usize) -> Num {
    let conn = ctx.lower(x.last + 1);
    let connects = match conn {
        // "rose from 5 to 10", "gained three to 40": a change, not a range
        // (but "cut 300 to 400 jobs" is one).
        "to" => {
            let before = word_before(ctx, &num);
            let prev = if before < num.first {
                ctx.lower(before)
            } else {
                ""
            };
            let noun_after =
                parse_single(ctx, x.last + 2, lim).is_some_and(|y| is_np_word(ctx, y.last + 1));
            prev != "from" && (!in_table(CHANGE_VERBS, prev) || noun_after)
        }
        "-" | "–" | "—" | "or" => true,
        "and" => ctx.lower_before(num.first, 1) == "between",
        _ => false,
    };
    let y = match parse_single(ctx, x.last + 2, lim) {
        Some(y) if connects && y.max.is_none() && y.compound.is_none() => y,
        _ => return num,
    };
    // "200 to 250 mln": the low end shares the scale of the high end.
    let low = if x.scale == 1.0 && y.scale > 1.0 && x.raw <= y.raw {
        x.raw * y.scale
    } else {
        x.value
    };
    if y.value <= low {
        return num;
    }
    Num {
        last: y.last,
        span: Span::new(num.span.start, y.end),
        value: low,
        value_max: Some(y.value),
        decimal: x.decimal || y.decimal,
        one: false,
        dashed: matches!(conn, "-" | "–" | "—"),
        ..num
    }
}

/// The number whose first token is `i`; numbers are sorted and disjoint.
fn num_starting_at(nums: &[Num], i: usize) -> Option<usize> {
    nums.binary_search_by_key(&i, |n| n.first).ok()
}

/// The number whose last token is `i`.
fn num_ending_at(nums: &[Num], i: usize) -> Option<usize> {
    nums.binary_search_by_key(&i, |n| n.last).ok()
}

/// Every number expression of the document, in order, not overlapping.
fn scan(ctx: &Ctx) -> Vec<Num> {
    let mut nums = Vec::new();
    let mut i = 0;
    while i < ctx.len() {
        match parse_at(ctx, i) {
            Some(n) => {
                i = n.last + 1;
                nums.push(n);
            }
            None => i += 1,
        }
    }
    nums
}

// ---------------------------------------------------------------------------
// Step 2: numbers that are no quantity

/// How many tokens of approximation words stand before token `i`, and what
/// they say.
fn approx_before(ctx: &Ctx, i: usize) -> Option<(usize, Approx)> {
    HEDGES_BEFORE.iter().find_map(|(words, approx)| {
        let n = words.len();
        let matches = (1..=n).all(|back| ctx.lower_before(i, back) == words[n - back]);
        matches.then_some((n, *approx))
    })
}

/// The token before a number, past its approximation words.
fn word_before(ctx: &Ctx, num: &Num) -> usize {
    let skip = approx_before(ctx, num.first).map_or(0, |(n, _)| n);
    let skip = if ctx.lower_before(num.first, skip + 1) == "between" {
        skip + 1
    } else {
        skip
    };
    num.first.wrapping_sub(skip + 1)
}

fn lower_at_or_empty<'c>(ctx: &'c Ctx, i: usize, num: &Num) -> &'c str {
    if i < ctx.len() && ctx.same_sentence(i, num.first) {
        ctx.lower(i)
    } else {
        ""
    }
}

fn is_year(ctx: &Ctx, num: &Num) -> bool {
    let text = ctx.lower(num.first);
    let year_like = |s: &str| {
        s.len() == 4
            && s.chars().all(|c| c.is_ascii_digit())
            && (1000..=2100).contains(&s.parse::<u32>().unwrap_or(0))
    };
    let head = text.split('-').next().unwrap_or("");
    if !year_like(head) {
        return false;
    }
    // A number from 1000 to 1899 before a plural noun is a count ("1709
    // schoolchildren"); from 1900 on it is a year ("1987 exports").
    let modern = head.parse::<u32>().unwrap_or(0) >= 1900;
    modern || !units::looks_plural(ctx.lower(num.last + 1))
}

fn is_date(ctx: &Ctx, num: &Num, before: usize) -> bool {
    let month_at = |i: usize| {
        i < ctx.len()
            && ctx.same_sentence(i, num.first)
            && is_month(ctx.lower(i).rsplit('-').next().unwrap_or(""))
            && (ctx.is_capitalized(i) || ctx.toks[i].headline)
    };
    month_at(before) || month_at(num.last + 1)
}

fn is_time(ctx: &Ctx, num: &Num) -> bool {
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    let span = num.span;
    let colon_before = ctx.char_before(span.start) == Some(':');
    let colon_after = ctx.char_after(span.end) == Some(':');
    in_table(TIME_OF_DAY_MARKERS, next) || colon_before || colon_after
}

/// Glued to a slash ("3/8", "2-1/8"), a dot or a dash: a fraction, a date
/// or a code.
fn is_glued(ctx: &Ctx, num: &Num) -> bool {
    if num.compound.is_some() {
        return false;
    }
    let span = num.span;
    let before = ctx.char_before(span.start);
    let after = ctx.char_after(span.end);
    let after2 = ctx.text.get(span.end..).and_then(|s| s.chars().nth(1));
    matches!(before, Some('/' | '\\' | '#' | '-' | '–' | '_'))
        || matches!(after, Some('/' | '\\' | '_'))
        || (matches!(after, Some('-' | '–' | '.' | ','))
            && after2.is_some_and(|c| c.is_alphanumeric()))
}

/// "John Smith, 45," or "aged 45".
fn is_age(ctx: &Ctx, num: &Num, before: usize) -> bool {
    let prev = lower_at_or_empty(ctx, before, num);
    if in_table(AGE_MARKERS, prev) {
        return true;
    }
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    let after_name = prev == "," && before > 0 && ctx.same_sentence(before - 1, num.first) && {
        let t = &ctx.toks[before - 1];
        t.entity == Some(Label::Per)
            || (t.entity.is_none() && ctx.is_capitalized(before - 1) && !t.initial)
    };
    after_name && matches!(next, "," | ")") && num.value < 120.0 && num.value_max.is_none()
}

/// "one in six", "three out of four": both numbers of a ratio.
fn is_ratio(ctx: &Ctx, num: &Num, nums: &[Num]) -> bool {
    // "12 in 1987" is no ratio.
    let plain = |n: &Num| !is_year(ctx, n);
    let starts_num = |i: usize| num_starting_at(nums, i).is_some_and(|j| plain(&nums[j]));
    let ends_num = |i: usize| num_ending_at(nums, i).is_some_and(|j| plain(&nums[j]));
    let n1 = lower_at_or_empty(ctx, num.last + 1, num);
    let n2 = lower_at_or_empty(ctx, num.last + 2, num);
    if !plain(num) {
        return false;
    }
    let first_of = (n1 == "in"
        && (starts_num(num.last + 2) || (n2 == "every" && starts_num(num.last + 3))))
        || (n1 == "out" && n2 == "of" && starts_num(num.last + 3));
    let p1 = ctx.lower_before(num.first, 1);
    let p2 = ctx.lower_before(num.first, 2);
    let second_of = (p1 == "in" && num.first >= 2 && ends_num(num.first - 2))
        || (p1 == "every" && p2 == "in" && num.first >= 3 && ends_num(num.first - 3))
        || (p1 == "of" && p2 == "out" && num.first >= 3 && ends_num(num.first - 3));
    first_of || second_of
}

/// A number in a name ("Boeing 747", "Rover 75", "Guildford Four"),
/// outside headlines where every word is capitalized.
fn is_in_name(ctx: &Ctx, num: &Num) -> bool {
    let t = &ctx.toks[num.first];
    if t.entity.is_some() || (num.first..=num.last).any(|i| ctx.toks[i].entity.is_some()) {
        return true;
    }
    if t.headline {
        return false;
    }
    let i = num.first;
    let prev_name = i > 0
        && ctx.same_sentence(i - 1, i)
        && ctx.gap_before(i) == " "
        && ctx.is_capitalized(i - 1)
        && ctx.is_word(i - 1)
        && !is_function_word(ctx.lower(i - 1));
    // "the Guildford Four were freed", but not "a go-slow at One
    // underground shaft".
    let capital_word = ctx.is_word(i) && ctx.is_capitalized(i) && !t.initial && {
        let p = ctx.lower_before(i, 1);
        let quoted = matches!(
            p,
            "\"" | "“" | "‘" | "'" | "(" | "-" | "—" | "–" | ":" | "•" | ""
        );
        let noun_next =
            ctx.same_sentence(i, i + 1) && ctx.is_word(i + 1) && !ctx.is_capitalized(i + 1);
        let counts_a_noun = noun_next && is_np_word(ctx, i + 1);
        !(quoted || counts_a_noun)
    };
    prev_name || capital_word
}

fn is_function_word(w: &str) -> bool {
    in_table(NP_STOP_WORDS, w) || HEDGES_BEFORE.iter().any(|(ws, _)| ws.contains(&w)) || is_month(w)
}

/// A small range written with a dash in a sentence about a game: a score.
fn is_score(ctx: &Ctx, num: &Num) -> bool {
    if !num.dashed || num.value_max.is_some_and(|m| m > 20.0) {
        return false;
    }
    ctx.window(num.first)
        .any(|k| in_table(GAME_WORDS, ctx.lower(k)))
}

/// "555-1234": a phone number, not a range.
fn is_phone(ctx: &Ctx, num: &Num) -> bool {
    let text = ctx.lower(num.first);
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    parts.len() == 2
        && parts[0].len() == 3
        && parts[1].len() >= 4
        && digits(parts[0])
        && digits(parts[1])
}

fn is_finite(num: &Num) -> bool {
    num.value.is_finite() && num.value_max.is_none_or(f64::is_finite)
}

/// Why a number is no quantity at all, if it is not.
fn not_a_quantity(ctx: &Ctx, num: &Num, nums: &[Num]) -> Option<&'static str> {
    let before = word_before(ctx, num);
    let prev = lower_at_or_empty(ctx, before, num);
    let checks: [(bool, &str); 12] = [
        (num.value == 0.0, "zero"),
        (!is_finite(num), "too large"),
        (is_year(ctx, num), "year"),
        (is_date(ctx, num, before), "date"),
        (is_time(ctx, num), "time"),
        (is_glued(ctx, num), "glued"),
        (is_age(ctx, num, before), "age"),
        (in_table(NUMBER_LABELS, prev), "label"),
        (is_ratio(ctx, num, nums), "ratio"),
        (is_in_name(ctx, num), "name"),
        (is_score(ctx, num), "score"),
        (is_phone(ctx, num), "phone"),
    ];
    checks.iter().find(|(hit, _)| *hit).map(|(_, why)| *why)
}

/// Currency or percent signs: "$5", "US$ 20,000", "5%".
fn has_measure_sign(ctx: &Ctx, num: &Num) -> bool {
    let span = num.span;
    let sign_before = ctx
        .text
        .get(..span.start)
        .map(str::trim_end)
        .and_then(|s| s.chars().next_back());
    let sign_after = ctx
        .text
        .get(span.end..)
        .map(str::trim_start)
        .and_then(|s| s.chars().next());
    matches!(sign_before, Some('$' | '£' | '€' | '¥' | '₹' | '₽'))
        || matches!(sign_after, Some('%'))
}

// ---------------------------------------------------------------------------
// Step 3: the noun phrase after a number

/// A unit and where its head noun stands, when it is written there.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    lemma: String,
    span: Option<Span>,
    /// The token of the head noun, when it is a whole token.
    head: Option<usize>,
}

impl Unit {
    fn at(ctx: &Ctx, h: usize) -> Unit {
        let t = &ctx.toks[h];
        let dropped_period = t.text.ends_with('.') && !t.lower.ends_with('.');
        Unit {
            lemma: units::singular(ctx.lower(h)),
            span: Some(Span::new(
                t.span.start,
                t.span.end - usize::from(dropped_period),
            )),
            head: Some(h),
        }
    }

    /// A unit that is not written where the count stands.
    fn unwritten(lemma: &str) -> Unit {
        Unit {
            lemma: lemma.to_string(),
            span: None,
            head: None,
        }
    }

    /// The same unit taken over from another mention.
    fn referred(&self) -> Unit {
        Unit::unwritten(&self.lemma)
    }
}

/// What a number is, read in context.
#[derive(Debug, Clone, PartialEq)]
enum Reading {
    /// A count of this unit.
    Count(Unit),
    /// A quantity that counts nothing: money, a percentage, a measure.
    Measure,
    /// No noun after it; `may_refer` when it may stand for counted things
    /// named before it.
    Bare { may_refer: bool },
    /// "350 of the 3,800": the unit of that other number.
    Of(usize),
    /// No quantity: a year, a date, a name…
    Not(&'static str),
}

/// What follows a number.
enum After {
    Head(usize),
    Measure,
    Of(usize),
    Bare,
    /// A singular noun after a number above one ("747 jumbo jet").
    Singular,
}

fn measure_at(ctx: &Ctx, i: usize) -> Option<Measure> {
    let w = ctx.lower(i);
    if w.contains('-') {
        return None;
    }
    units::measure_of(w).or_else(|| units::measure_of(&units::singular(w)))
}

/// A token that can be part of the noun phrase after a number.
fn is_np_word(ctx: &Ctx, i: usize) -> bool {
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

/// A token that can be the head of a plural noun phrase.
fn can_head_plural(ctx: &Ctx, i: usize) -> bool {
    let t = &ctx.toks[i];
    let named = matches!(t.entity, Some(Label::Loc | Label::Org | Label::Per));
    let acronym =
        !t.headline && t.text.chars().count() > 1 && !t.text.chars().any(char::is_lowercase);
    units::looks_plural(&t.lower) && !named && !acronym
}

/// A verb or participle: "died", "killed", "working".
fn is_verb_like(w: &str) -> bool {
    let participle = w.len() > 4 && (w.ends_with("ed") || w.ends_with("ing"));
    participle || in_table(NP_ENDING_VERBS, w) || in_table(SPEECH_VERBS, w)
}

/// After the first word of a singular noun phrase, words that end it.
fn ends_singular_np(ctx: &Ctx, i: usize) -> bool {
    let w = ctx.lower(i);
    is_verb_like(w) || (w.ends_with('s') && units::looks_plural(w))
}

/// A closing bracket within `max` tokens after the opening one at `i`.
fn bracket_close(ctx: &Ctx, i: usize, max: usize) -> Option<usize> {
    (i + 1..(i + 1 + max).min(ctx.limit(i))).find(|&k| ctx.lower(k) == ")")
}

/// The noun phrase from token `k` on: its head, or what else it is. A
/// plural phrase ends at its first plural noun ("22 wounded Ukrainian
/// captives"); a singular one at its last noun ("one car plant").
fn read_np(ctx: &Ctx, mut k: usize, lim: usize, plural: bool) -> After {
    let mut words: Vec<usize> = Vec::new();
    // A capitalized plural may be a name before the noun: "General Motors
    // workers".
    let mut name_plural = None;
    while k < lim && words.len() < 6 {
        if ctx.lower(k) == "(" && !words.is_empty() {
            if let Some(close) = bracket_close(ctx, k, 5) {
                k = close + 1;
                continue;
            }
        }
        if !is_np_word(ctx, k) || (!plural && !words.is_empty() && ends_singular_np(ctx, k)) {
            break;
        }
        if !plural && words.is_empty() && is_verb_like(ctx.lower(k)) {
            // "One died", "one based on market forces"
            return After::Bare;
        }
        words.push(k);
        // Bulk goods may modify a counted noun ("20,000 steel workers").
        let measure = measure_at(ctx, k).filter(|m| *m != Measure::Commodity);
        if measure.is_some() {
            return After::Measure;
        }
        if plural && can_head_plural(ctx, k) {
            let name_like = !ctx.toks[k].headline && ctx.is_capitalized(k);
            if !name_like {
                return After::Head(k);
            }
            name_plural = name_plural.or(Some(k));
        }
        k += 1;
    }
    if let Some(h) = name_plural {
        return After::Head(h);
    }
    let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
        return After::Bare;
    };
    if measure_at(ctx, last).is_some() {
        After::Measure
    } else if !plural {
        After::Head(last)
    } else if in_table(COMPOUND_COUNT_WORDS, ctx.lower(first)) && first != last {
        // "the 1.1 mln member union", as "1.1 mln-member".
        After::Head(first)
    } else if is_verb_like(ctx.lower(first)) || in_table(NOMINAL_ADJECTIVES, ctx.lower(first)) {
        // "107 killed", "58 wounded", "the 5,100 employed": the noun is
        // left out.
        After::Bare
    } else {
        After::Singular
    }
}

fn read_after(ctx: &Ctx, num: &Num) -> After {
    let mut k = num.last + 1;
    if k >= ctx.limit(num.first) {
        return After::Bare;
    }
    // "five more people", "3,500 other workers"
    if matches!(ctx.lower(k), "more" | "other" | "fewer") && is_np_word(ctx, k + 1) {
        k += 1;
    }
    match (ctx.lower(k), ctx.lower(k + 1)) {
        ("%" | "per", _) => return After::Measure,
        ("of", _) => return After::Of(k + 1),
        ("out", "of") => return After::Of(k + 2),
        _ => {}
    }
    read_np(ctx, k, ctx.limit(num.first), !num.one)
}

/// "five units per hour", "10 people a day": a rate.
fn is_rate(ctx: &Ctx, head: usize) -> bool {
    let n1 = ctx.lower(head + 1);
    let time_next = measure_at(ctx, head + 2) == Some(Measure::Time)
        && !matches!(ctx.lower(head + 3), "'s" | "’s");
    n1 == "per" || (matches!(n1, "a" | "an" | "every") && time_next)
}

/// "of …" after a number: the reading, whether a possessive stood before
/// the noun ("six of its plants"), and where the noun phrase starts.
fn read_partitive(ctx: &Ctx, k: usize, nums: &[Num]) -> (Reading, bool, usize) {
    let lim = ctx.limit(k.saturating_sub(1));
    let mut k = k;
    let mut possessive = false;
    while k < lim {
        if in_table(DETERMINERS, ctx.lower(k)) {
            possessive |= in_table(POSSESSIVE_DETERMINERS, ctx.lower(k));
            k += 1;
        } else if ctx.is_word(k) && matches!(ctx.lower(k + 1), "'s" | "’s") {
            // "of the facility's 425 employees", "of GM's plants"
            possessive = true;
            k += 2;
        } else {
            break;
        }
    }
    // "of its previously held 1,487 seats": another number a few words on.
    for t in k..(k + 4).min(lim) {
        if let Some(j) = num_starting_at(nums, t) {
            return (Reading::Of(j), possessive, k);
        }
        if !is_np_word(ctx, t) {
            break;
        }
    }
    if in_table(PARTITIVE_PRONOUNS, ctx.lower(k)) {
        return (Reading::Bare { may_refer: true }, possessive, k);
    }
    let reading = match read_np(ctx, k, lim, true) {
        After::Head(h) => Reading::Count(Unit::at(ctx, h)),
        After::Measure => Reading::Measure,
        _ => Reading::Not("partitive"),
    };
    (reading, possessive, k)
}

/// "one of its plants" counts; "one of the largest", "one of the strike
/// leaders" do not.
fn read_one_of(ctx: &Ctx, k: usize, nums: &[Num]) -> Reading {
    let (reading, possessive, start) = read_partitive(ctx, k, nums);
    let Reading::Count(unit) = &reading else {
        return Reading::Not("one of");
    };
    let head = unit.head.unwrap_or(start);
    let graded = (start..head).any(|i| {
        let w = ctx.lower(i);
        in_table(GRADING_WORDS, w) || (w.len() > 4 && w.ends_with("est"))
    });
    if possessive && !graded && !in_table(ONE_IDIOMS, &unit.lemma) {
        reading
    } else {
        Reading::Not("one of")
    }
}

/// "one" as a pronoun or in an idiom: "no one", "one another".
fn one_is_idiom(ctx: &Ctx, num: &Num, before: usize) -> bool {
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    let prev = lower_at_or_empty(ctx, before, num);
    in_table(ONE_PRONOUN_BEFORE, prev) || matches!(next, "another" | "by" | "after" | "or")
}

/// May a bare number refer back to counted things?
fn may_refer(ctx: &Ctx, num: &Num) -> bool {
    let before = word_before(ctx, num);
    let prev = lower_at_or_empty(ctx, before, num);
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    let opens =
        before >= ctx.len() || !ctx.same_sentence(before, num.first) || ctx.toks[num.first].initial;
    in_table(REFER_BEFORE, prev) || opens || in_table(REFER_AFTER, next)
}

/// "5,000-strong force", "1.1 mln-member union".
fn read_compound(ctx: &Ctx, num: &Num, c: &Compound) -> Reading {
    if c.word != "strong" {
        return Reading::Count(Unit {
            span: Some(c.span),
            ..Unit::unwritten(&units::singular(&c.word))
        });
    }
    match read_np(ctx, num.last + 1, ctx.limit(num.first), false) {
        After::Head(h) => Reading::Count(Unit::at(ctx, h)),
        _ => Reading::Not("compound"),
    }
}

/// What a number is, read in its context.
fn read(ctx: &Ctx, num: &Num, nums: &[Num]) -> Reading {
    if let Some(why) = not_a_quantity(ctx, num, nums) {
        return Reading::Not(why);
    }
    if has_measure_sign(ctx, num) {
        return Reading::Measure;
    }
    if let Some(c) = &num.compound {
        return read_compound(ctx, num, c);
    }
    let before = word_before(ctx, num);
    if num.one && one_is_idiom(ctx, num, before) {
        return Reading::Not("one");
    }
    let reading = match read_after(ctx, num) {
        After::Measure => Reading::Measure,
        After::Singular => Reading::Not("singular"),
        After::Of(k) if num.one => read_one_of(ctx, k, nums),
        After::Of(k) => read_partitive(ctx, k, nums).0,
        After::Bare if num.decimal => Reading::Measure,
        After::Bare if in_table(LABEL_NOUNS, lower_at_or_empty(ctx, before, num)) => {
            Reading::Not("label")
        }
        After::Bare => Reading::Bare {
            may_refer: !num.one && may_refer(ctx, num),
        },
        After::Head(h) => read_head(ctx, num, h),
    };
    match reading {
        Reading::Count(_) if num.value.fract() != 0.0 => Reading::Measure,
        r => r,
    }
}

/// Checks a head noun found after a number.
fn read_head(ctx: &Ctx, num: &Num, h: usize) -> Reading {
    if is_rate(ctx, h) {
        return Reading::Measure;
    }
    let unit = Unit::at(ctx, h);
    if num.one {
        let reporting = in_table(SPEECH_VERBS, ctx.lower(h + 1));
        if in_table(ONE_IDIOMS, &unit.lemma) || reporting || units::looks_plural(ctx.lower(h)) {
            return Reading::Not("one");
        }
    }
    Reading::Count(unit)
}

// ---------------------------------------------------------------------------
// Step 4: units of bare numbers

/// The unit of every number that is a count; `None` for the others.
fn resolve(ctx: &Ctx, nums: &[Num], readings: &[Reading]) -> Vec<Option<Unit>> {
    let mut units: Vec<Option<Unit>> = Vec::with_capacity(nums.len());
    for (i, reading) in readings.iter().enumerate() {
        let unit = match reading {
            Reading::Count(u) => Some(u.clone()),
            Reading::Of(j) => match readings.get(*j) {
                Some(Reading::Count(u)) => Some(u.referred()),
                _ => refer_back(ctx, nums, readings, &units, i, 1)
                    .and_then(|j| units[j].as_ref().map(Unit::referred)),
            },
            Reading::Bare { may_refer } => resolve_bare(ctx, nums, readings, &units, i, *may_refer),
            _ => None,
        };
        units.push(unit);
    }
    // Last, a bare number takes the unit of a count of the same value
    // anywhere in the document ("Sends 9,000 On Leave" before "9,000 of its
    // employees").
    // Small values are too common to tell, except in a headline.
    let by_value = units_by_value(nums, &units);
    for i in 0..nums.len() {
        let bare = matches!(readings[i], Reading::Bare { .. });
        let telling = nums[i].value >= 10.0 || ctx.toks[nums[i].first].headline;
        if bare && telling && units[i].is_none() && !follows_a_non_quantity(ctx, nums, readings, i)
        {
            units[i] = by_value.get(&value_key(&nums[i])).cloned();
        }
    }
    units
}

/// The unit of a bare number, from the surest clue to the weakest.
fn resolve_bare(
    ctx: &Ctx,
    nums: &[Num],
    readings: &[Reading],
    units: &[Option<Unit>],
    i: usize,
    may_refer: bool,
) -> Option<Unit> {
    if follows_a_non_quantity(ctx, nums, readings, i) {
        return None;
    }
    let num = &nums[i];
    let back = |sentences: usize| {
        let j = refer_back(ctx, nums, readings, units, i, sentences)?;
        units[j].as_ref().map(Unit::referred)
    };
    if is_casualty(ctx, num, num.last + 1) {
        // "29 soldiers were killed and 58 wounded": the victims named just
        // before; else people.
        let victims = refer_back(ctx, nums, readings, units, i, 0)
            .filter(|&j| is_casualty_count(ctx, &nums[j], &readings[j]))
            .and_then(|j| units[j].as_ref().map(Unit::referred));
        return victims.or_else(|| Some(Unit::unwritten("person")));
    }
    let clues: [&dyn Fn() -> Option<Unit>; 6] = [
        &|| refer_forward(ctx, nums, readings, i),
        &|| number_of(ctx, num),
        &|| {
            may_refer
                .then(|| same_value_before(ctx, nums, units, i))
                .flatten()
        },
        &|| may_refer.then(|| back(0)).flatten(),
        &|| may_refer.then(|| back(1)).flatten(),
        &|| subject_of(ctx, num),
    ];
    clues.iter().find_map(|clue| clue())
}

/// "police posts 542 and 543": a bare number joined to one that is no
/// quantity is none either.
fn follows_a_non_quantity(ctx: &Ctx, nums: &[Num], readings: &[Reading], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1) else {
        return false;
    };
    let joined = nums[prev].last + 2 == nums[i].first
        && matches!(
            ctx.lower(nums[prev].last + 1),
            "and" | "or" | "to" | "," | "-" | "–"
        );
    joined && matches!(readings[prev], Reading::Not(_))
}

/// Whether a number stands among words of killing and wounding: "killing
/// 107", "147 died", "Kills One", "the death toll … 1,000". `after` is the
/// token after the number or after its noun.
fn is_casualty(ctx: &Ctx, num: &Num, after: usize) -> bool {
    let before = word_before(ctx, num);
    if in_table(CASUALTY_BEFORE, lower_at_or_empty(ctx, before, num)) {
        return true;
    }
    let toll = ctx
        .window(num.first)
        .any(|k| k < num.first && ctx.lower(k) == "toll");
    let mut k = after;
    while in_table(CASUALTY_AUX, lower_at_or_empty(ctx, k, num)) {
        k += 1;
    }
    toll || in_table(CASUALTY_AFTER, lower_at_or_empty(ctx, k, num))
}

/// A count of people killed or wounded: "29 Chadian soldiers were killed".
fn is_casualty_count(ctx: &Ctx, num: &Num, reading: &Reading) -> bool {
    let after = match reading {
        Reading::Count(Unit { head: Some(h), .. }) => h + 1,
        _ => num.last + 1,
    };
    is_casualty(ctx, num, after)
}

/// "from 300 to 400 workers", "two or three plants": the unit of the next
/// number when only a connecting word stands between.
fn refer_forward(ctx: &Ctx, nums: &[Num], readings: &[Reading], i: usize) -> Option<Unit> {
    let next = nums.get(i + 1)?;
    let connects = matches!(ctx.lower(nums[i].last + 1), "to" | "or" | "and" | "-" | "–");
    let adjacent =
        nums[i].last + 2 == next.first && connects && ctx.same_sentence(next.first, nums[i].first);
    match readings.get(i + 1) {
        Some(Reading::Count(u)) if adjacent => Some(u.referred()),
        _ => None,
    }
}

/// "bring to 11,900 the number of General Motors workers".
fn number_of(ctx: &Ctx, num: &Num) -> Option<Unit> {
    let lim = ctx.limit(num.first);
    ctx.window(num.first).find_map(|k| {
        if ctx.lower(k) != "number" || ctx.lower(k + 1) != "of" || k + 2 >= lim {
            return None;
        }
        match read_np(ctx, k + 2, lim, true) {
            After::Head(h) => Some(Unit::at(ctx, h).referred()),
            _ => None,
        }
    })
}

/// "Indefinite layoffs remain unchanged at 37,000": the plural noun that
/// opens the sentence, when a verb of standing joins it to the number.
fn subject_of(ctx: &Ctx, num: &Num) -> Option<Unit> {
    let start = ctx.sent_start(num.first);
    if start + WINDOW < num.first {
        return None;
    }
    let standing = (start..num.first).any(|k| in_table(STANDING_VERBS, ctx.lower(k)));
    let first_number =
        (start..num.first).all(|k| !ctx.lower(k).starts_with(|c: char| c.is_ascii_digit()));
    if !standing || !first_number {
        return None;
    }
    let k = if in_table(DETERMINERS, ctx.lower(start)) {
        start + 1
    } else {
        start
    };
    match read_np(ctx, k, ctx.limit(num.first), true) {
        After::Head(h) if h < num.first && h <= k + 3 => Some(Unit::at(ctx, h).referred()),
        _ => None,
    }
}

/// "Police questioned four inspectors … None of the four": a count of the
/// same value a few sentences before.
fn same_value_before(ctx: &Ctx, nums: &[Num], units: &[Option<Unit>], i: usize) -> Option<Unit> {
    let sent = ctx.toks[nums[i].first].sent;
    (0..i)
        .rev()
        .take(LOOKBACK)
        .take_while(|&j| ctx.toks[nums[j].first].sent.saturating_add(3) >= sent)
        .find_map(|j| match &units[j] {
            Some(u) if same_number(&nums[j], &nums[i]) => Some(u.referred()),
            _ => None,
        })
}

fn same_number(a: &Num, b: &Num) -> bool {
    a.value == b.value && a.value_max == b.value_max
}

/// The nearest quantity before number `i`, at most `back` sentences before,
/// when it has a unit; none when that quantity is a measure.
fn refer_back(
    ctx: &Ctx,
    nums: &[Num],
    readings: &[Reading],
    units: &[Option<Unit>],
    i: usize,
    back: usize,
) -> Option<usize> {
    let sent = ctx.toks[nums[i].first].sent;
    for j in (0..i).rev().take(LOOKBACK) {
        if ctx.toks[nums[j].first].sent.saturating_add(back) < sent {
            return None;
        }
        match &readings[j] {
            Reading::Not(_) => continue,
            Reading::Measure => return None,
            _ if units[j].is_some() => return Some(j),
            _ => {}
        }
    }
    None
}

/// The first unit of the counts of each value in the document.
fn units_by_value(nums: &[Num], units: &[Option<Unit>]) -> HashMap<(u64, Option<u64>), Unit> {
    let mut map = HashMap::new();
    for (n, u) in nums.iter().zip(units) {
        if let Some(u) = u {
            map.entry(value_key(n)).or_insert_with(|| u.referred());
        }
    }
    map
}

fn value_key(n: &Num) -> (u64, Option<u64>) {
    (n.value.to_bits(), n.value_max.map(f64::to_bits))
}

// ---------------------------------------------------------------------------
// Output

fn approx_of(ctx: &Ctx, num: &Num) -> Option<Approx> {
    if num.value_max.is_some() {
        return Some(Approx::Range);
    }
    let after = (
        lower_at_or_empty(ctx, num.last + 1, num),
        lower_at_or_empty(ctx, num.last + 2, num),
    );
    match after {
        ("or", "more") => Some(Approx::Over),
        ("or", "so") => Some(Approx::About),
        _ => approx_before(ctx, num.first).map(|(_, a)| a),
    }
}

fn make_count(ctx: &Ctx, num: &Num, unit: Unit) -> Count {
    let mut count = Count::new(num.span, num.value);
    count.value_max = num.value_max;
    count.approx = approx_of(ctx, num);
    count.unit = Some(unit.lemma);
    count.unit_span = unit.span;
    count
}

/// Every number expression of a document with how it was read: a count's
/// unit, "Measure", or why it is no count. For inspecting the rules.
pub fn explain(doc: &Doc) -> Vec<(Span, String)> {
    let ctx = Ctx::new(doc);
    let nums = scan(&ctx);
    let readings: Vec<Reading> = nums.iter().map(|n| read(&ctx, n, &nums)).collect();
    let units = resolve(&ctx, &nums, &readings);
    nums.iter()
        .zip(readings.iter().zip(units))
        .map(|(n, (r, u))| (n.span, format!("{r:?} -> {:?}", u.map(|u| u.lemma))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format;

    fn counts_of(text: &str) -> (Doc, Vec<Count>) {
        let mut doc = Doc::new("t", text);
        segment::segment(&mut doc);
        let counts = find_counts(&doc);
        (doc, counts)
    }

    /// (text, span, value, value_max, approx, unit): the count whose span
    /// is `span` in `text`.
    type Case = (
        &'static str,
        &'static str,
        f64,
        Option<f64>,
        Option<Approx>,
        &'static str,
    );

    #[rustfmt::skip]
    const COUNTS: &[Case] = &[
        ("Russia and Ukraine swap 372 prisoners.", "372", 372.0, None, None, "prisoner"),
        ("They released 1,200 detainees.", "1,200", 1200.0, None, None, "detainee"),
        ("Russia also released 22 wounded Ukrainian captives.", "22", 22.0, None, None, "captive"),
        ("It freed 175 Ukrainian prisoners of war.", "175", 175.0, None, None, "prisoner"),
        ("Twenty-two soldiers died.", "Twenty-two", 22.0, None, None, "soldier"),
        ("The fire killed twenty two people.", "twenty two", 22.0, None, None, "person"),
        ("The flood displaced 1.5 million people.", "1.5 million", 1_500_000.0, None, None, "person"),
        ("The union has 2 mln members.", "2 mln", 2_000_000.0, None, None, "member"),
        ("It serves 3bn customers.", "3bn", 3e9, None, None, "customer"),
        ("It hired one hundred and five nurses.", "one hundred and five", 105.0, None, None, "nurse"),
        ("A quarter of a million refugees fled.", "A quarter of a million", 250_000.0, None, None, "refugee"),
        ("Half a million children are at risk.", "Half a million", 500_000.0, None, None, "child"),
        ("A billion users logged in.", "A billion", 1e9, None, None, "user"),
        ("Five thousand workers marched.", "Five thousand", 5000.0, None, None, "worker"),
        ("It bought a dozen banks.", "a dozen", 12.0, None, None, "bank"),
        ("Two dozen men were held.", "Two dozen", 24.0, None, None, "man"),
        ("Some 300 women joined.", "300", 300.0, None, Some(Approx::About), "woman"),
        ("About 300 police were deployed.", "300", 300.0, None, Some(Approx::About), "police"),
        ("An estimated 445,000 bags went unsold.", "445,000", 445_000.0, None, Some(Approx::About), "bag"),
        ("Roughly 40 firms bid.", "40", 40.0, None, Some(Approx::About), "firm"),
        ("Over 345 Muslim pilgrims died.", "345", 345.0, None, Some(Approx::Over), "pilgrim"),
        ("At least 76 people were killed.", "76", 76.0, None, Some(Approx::Over), "person"),
        ("More than two mln people are on strike.", "two mln", 2e6, None, Some(Approx::Over), "person"),
        ("Up to 140 bodies could be inside.", "140", 140.0, None, Some(Approx::Under), "body"),
        ("Nearly 110,000 members voted.", "110,000", 110_000.0, None, Some(Approx::Under), "member"),
        ("Fewer than 30 students came.", "30", 30.0, None, Some(Approx::Under), "student"),
        ("It will sell between 7,000 and 8,000 vehicles.", "7,000 and 8,000", 7000.0, Some(8000.0), Some(Approx::Range), "vehicle"),
        ("It will employ 300 to 400 workers.", "300 to 400", 300.0, Some(400.0), Some(Approx::Range), "worker"),
        ("It will employ 7,000-8,000 workers.", "7,000-8,000", 7000.0, Some(8000.0), Some(Approx::Range), "worker"),
        ("It affects 280,000 to 300,000 people.", "280,000 to 300,000", 280_000.0, Some(300_000.0), Some(Approx::Range), "person"),
        ("They expect 40 to 50 questions.", "40 to 50", 40.0, Some(50.0), Some(Approx::Range), "question"),
        ("It shut six of its car assembly plants.", "six", 6.0, None, None, "plant"),
        ("Five of the plants are in the United States.", "Five", 5.0, None, None, "plant"),
        ("The automaker will shut three plants each in its two groups.", "two", 2.0, None, None, "group"),
        ("Wentsville, Mo. (4,900 workers), and Flint.", "4,900", 4900.0, None, None, "worker"),
        ("Gm <Gm> To Idle Six Plants, 21,600 Workers", "Six", 6.0, None, None, "plant"),
        ("Gm <Gm> To Idle Six Plants, 21,600 Workers", "21,600", 21_600.0, None, None, "worker"),
        ("RUSSIA AND UKRAINE SWAP 372 PRISONERS", "372", 372.0, None, None, "prisoner"),
        ("Chad Says Troops Killed 1,200 Libyans In Battle", "1,200", 1200.0, None, None, "libyan"),
        ("One man was killed.", "One", 1.0, None, None, "man"),
        ("The blast killed one miner and hurt two.", "one", 1.0, None, None, "miner"),
        ("It will have one car plant.", "one", 1.0, None, None, "plant"),
        ("The plan would merge 35 agencies into nine.", "nine", 9.0, None, None, "agency"),
        ("Officials detained 12 activists. The five were later released.", "five", 5.0, None, None, "activist"),
        ("It lays off 9,800 workers, bringing to 11,900 the number idled.", "11,900", 11_900.0, None, None, "worker"),
        ("He thanked the 22 severely wounded soldiers.", "22", 22.0, None, None, "soldier"),
        ("The 48 cancer patients were treated.", "48", 48.0, None, None, "patient"),
        ("14 AIDS patients took part.", "14", 14.0, None, None, "patient"),
        ("Estimates suggest 8000 migrants may be at sea.", "8000", 8000.0, None, None, "migrant"),
        ("It killed 12 gunmen.", "12", 12.0, None, None, "gunman"),
        ("The ten children and their wives left.", "ten", 10.0, None, None, "child"),
        ("Police arrested 15 people.", "15", 15.0, None, None, "person"),
        ("GM will idle six plants and lay off 21,600 workers at the 1.1 mln-member union.", "1.1 mln", 1_100_000.0, None, None, "member"),
        ("Troops routed a 5,000-strong force.", "5,000", 5000.0, None, None, "force"),
        ("The six-member team arrived.", "six", 6.0, None, None, "member"),
        ("A storm killed 107 or more and wounded 238.", "238", 238.0, None, None, "person"),
        ("A storm killed 107 or more and wounded 238.", "107", 107.0, None, Some(Approx::Over), "person"),
        ("At least 107 killed in Mecca crane collapse", "107", 107.0, None, Some(Approx::Over), "person"),
        ("Japan Earthquake Kills One, Cuts Phone Lines", "One", 1.0, None, None, "person"),
        ("29 Chadian soldiers were killed and 58 wounded.", "58", 58.0, None, None, "soldier"),
        ("Two ferries sank, 174 drowned when a ferry capsized.", "174", 174.0, None, None, "person"),
        ("It will lay off 3,500 workers at one of its car assembly plants.", "one", 1.0, None, None, "plant"),
        ("It affects about 195 of the facility's 425 employees.", "195", 195.0, None, Some(Approx::About), "employee"),
        ("The LDP lost 92 of its previously held 1,487 seats.", "92", 92.0, None, None, "seat"),
        ("The MDP won six out of the 14 places.", "six", 6.0, None, None, "place"),
        ("Another 500 workers of the 5,100 employed at the plant will stay.", "5,100", 5100.0, None, None, "worker"),
        ("Police questioned four inspectors. None of the four had looked at the repair.", "four", 4.0, None, None, "inspector"),
        ("The strike halted a total of 158 vessels, including 50 in Santos.", "50", 50.0, None, None, "vessel"),
        ("Indefinite layoffs remain unchanged at 37,000.", "37,000", 37_000.0, None, None, "layoff"),
        ("Brazil Motor Industry Sends 9,000 On Leave\n\nIt sent nearly 9,000 of its 56,500 employees home.", "9,000", 9000.0, None, None, "employee"),
        ("Fiat will give 2,000 workers a month's holiday.", "2,000", 2000.0, None, None, "worker"),
        ("It will tell half of its 21,000 workforce to stay home.", "21,000", 21_000.0, None, None, "workforce"),
        ("It sent troops to occupy nine oil refineries.", "nine", 9.0, None, None, "refinery"),
        ("It will lay off 20,000 steel workers.", "20,000", 20_000.0, None, None, "worker"),
        ("The company said the layoffs will bring to 11,900 the number of General Motors workers idled.", "11,900", 11_900.0, None, None, "worker"),
        ("It will cut 300 to 400 jobs.", "300 to 400", 300.0, Some(400.0), Some(Approx::Range), "job"),
        ("It hopes to hire two or three engineers.", "two or three", 2.0, Some(3.0), Some(Approx::Range), "engineer"),
        ("It will spend 200 to 250 mln on 5 to 10 new plants.", "5 to 10", 5.0, Some(10.0), Some(Approx::Range), "plant"),
        ("The rescuers saved 700 asylum seekers and 200 more after that.", "200", 200.0, None, None, "seeker"),
        ("The death toll would have been more than a thousand.", "a thousand", 1000.0, None, Some(Approx::Over), "person"),
        ("The fire killed one man.", "one", 1.0, None, None, "man"),
        ("Gunmen killed five more people.", "five", 5.0, None, None, "person"),
        ("On March 23, 3,500 other workers will return.", "3,500", 3500.0, None, None, "worker"),
        ("Some 5,000 U.S. troops will leave.", "5,000", 5000.0, None, Some(Approx::About), "troop"),
        ("Floods killed 30 – 40 people.", "30 – 40", 30.0, Some(40.0), Some(Approx::Range), "person"),
        ("At least 12 dead in floods.", "12", 12.0, None, Some(Approx::Over), "person"),
        ("UN Says 1,000 Dead In Floods", "1,000", 1000.0, None, None, "person"),
        ("It raised 3.5bn dlrs from 10k investors.", "10k", 10_000.0, None, None, "investor"),
        ("Of 12 activists held, police arrested about 40 of them.", "40", 40.0, None, Some(Approx::About), "activist"),
        ("One Rohingya, Muhammad Amin, spoke.", "One", 1.0, None, None, "rohingya"),
    ];

    #[test]
    fn finds_counts() {
        let mut failures = Vec::new();
        for &(text, span, value, value_max, approx, unit) in COUNTS {
            let (doc, counts) = counts_of(text);
            let found = counts.iter().find(|c| doc.slice(c.span) == span);
            let ok = found.is_some_and(|c| {
                c.value == value
                    && c.value_max == value_max
                    && c.approx == approx
                    && c.unit.as_deref() == Some(unit)
                    && c.parties.is_empty()
                    && !c.distributive
            });
            if !ok {
                failures.push(format!(
                    "{text:?} {span:?}: got {found:?}; read as {:?}",
                    explain(&doc)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn unit_span_points_at_the_head() {
        let (doc, counts) = counts_of("It shut six of its car assembly plants.");
        assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "plants");
        let (doc, counts) = counts_of("Russia also released 22 wounded Ukrainian captives.");
        assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "captives");
        // The tokenizer keeps "man." whole (Manitoba); the head is "man".
        let (doc, counts) = counts_of("The fire killed one man.");
        assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "man");
        let (doc, counts) = counts_of("Troops routed a 5,000-strong force.");
        assert_eq!(doc.slice(counts[0].unit_span.unwrap()), "force");
        // A unit taken over from another mention is not written there.
        let (_, counts) = counts_of("It will merge 35 agencies into nine.");
        assert_eq!(counts[1].unit_span, None);
    }

    /// (text, number): `number` in `text` is no count.
    #[rustfmt::skip]
    const NOT_COUNTS: &[(&str, &str)] = &[
        ("In 1987, sales fell.", "1987"),
        ("Sales were weak in 2022 overall.", "2022"),
        ("The 1987 bargaining round began.", "1987"),
        ("The plants close starting August six for inventory.", "six"),
        ("It happened on April 7 in Tokyo.", "7"),
        ("The March five earthquake killed up to 300 people.", "five"),
        ("It will be signed on 7 April.", "7"),
        ("News Highlights 1300 Gmt April 7", "1300"),
        ("They met at 10:30 in the morning.", "10"),
        ("He has lived there for 43 years.", "43"),
        ("The talks lasted three weeks.", "three"),
        ("The working week was cut to 35 hours.", "35"),
        ("The man, aged 45, was arrested.", "45"),
        ("A 45-year-old man was arrested.", "45-year-old"),
        ("John Smith, 45, was arrested.", "45"),
        ("The sixth is in Canada.", "sixth"),
        ("He finished 1st in the race.", "1st"),
        ("One in six adults smokes.", "six"),
        ("One in six adults smokes.", "One"),
        ("Call 555-1234 for details.", "555-1234"),
        ("England won 2-1 in the final.", "2-1"),
        ("Tunisia lost 1 – 2 to England in the match.", "1 – 2"),
        ("It lost 800 mln dlrs in oil revenue.", "800 mln"),
        ("It costs $5 a month.", "5"),
        ("It paid 5 dollars.", "5"),
        ("Prices rose 10 cts.", "10"),
        ("It will invest 1.7 billion yen.", "1.7 billion"),
        ("It owes 600 million marks.", "600 million"),
        ("It owes 600 mln Canadian dlrs.", "600 mln"),
        ("A 450 mln Canadian dlr loan was signed.", "450 mln"),
        ("Sales rose 29.5 pct in March.", "29.5"),
        ("Support stands at 30 percent.", "30"),
        ("Output rose 17 per cent.", "17"),
        ("Turnout was 5% higher.", "5"),
        ("The index lost 15.29 points to 2,664.70.", "15.29"),
        ("The index lost 15.29 points to 2,664.70.", "2,664.70"),
        ("Output reached 70 million tonnes.", "70 million"),
        ("The border is 100 km away.", "100"),
        ("The quake measured 4.2 on the Richter scale.", "4.2"),
        ("It pumps 250,000 barrels per day.", "250,000"),
        ("The farm covers 500 acres.", "500"),
        ("It covers 20 hectares.", "20"),
        ("Police seized 50 kilos of cocaine.", "50"),
        ("They walked 500 miles.", "500"),
        ("The wall is 6,000 feet long.", "6,000"),
        ("It was 30 degrees.", "30"),
        ("The Boeing 747 crashed.", "747"),
        ("He drove a Rover 75 to work.", "75"),
        ("The Guildford Four were freed.", "Four"),
        ("Airbus launched the A340 plane.", "A340"),
        ("Hundreds of people marched.", "Hundreds"),
        ("Thousands fled and dozens died.", "dozens"),
        ("It is one of the largest exchanges.", "one"),
        ("Russia And Ukraine Swap 372 Prisoners In One Of The Largest War Exchanges Yet", "One"),
        ("One thing is certain.", "One"),
        ("No one was hurt.", "one"),
        ("It hopes for a five-fold rise.", "five-fold"),
        ("It signed a two-year deal.", "two-year"),
        ("Seagram fell 2-1/8 to 100-3/8.", "2-1"),
        ("It sold the 747 jumbo jet.", "747"),
        ("It takes two to make peace, but only one to make war.", "two"),
        ("It takes two to make peace, but only one to make war.", "one"),
        ("The death toll rose three times.", "three"),
        ("Output fell to 7,000 per month.", "7,000"),
        ("Zero deaths were reported.", "Zero"),
        ("Several hundred patients came.", "hundred"),
        ("One source said the talks failed.", "One"),
        ("It owns 40,000 tonnes of wheat, Algeria 64,896 wheat.", "64,896"),
        ("Police posts 542 and 543 were hit.", "542 and 543"),
        ("The Centre Party gained three to 40 and the Greens lost one.", "three to 40"),
        ("The Centre Party gained three to 40 and the Greens lost one.", "one"),
        ("Boeing makes the long-range 767-300 planes.", "767-300"),
        ("Output fell 12 in 1987.", "1987"),
        ("One broker said prices would rise.", "One"),
        ("It bought one of the strike leaders a drink.", "one"),
        ("Lechin, 83, joined the strike.", "83"),
        ("It will be one of the most difficult rounds.", "one"),
        ("Volume was 39.7 mln shares.", "39.7 mln"),
        ("England won 3 – 1 in the final.", "3"),
        ("Seagram fell 2-1/8 to 100-3/8.", "100-3"),
        ("The index rose 139 points in the last three sessions.", "three"),
        ("The Treasury wants 3.8 billion dlrs, and 8.5 billion for them.", "8.5 billion"),
        ("It has a 24-hour hotline.", "24-hour"),
        ("He fled Haiti fourteen months ago.", "fourteen"),
        ("Two thirds of the staff left.", "Two"),
        ("He served in World War Two.", "Two"),
        ("They watched Channel 4 news.", "4"),
        ("The plant runs 24/7.", "24"),
        ("Jobs fell 1,200 in the 9/11 attacks aftermath.", "9"),
        ("The meeting is on Jan. 5 in Paris.", "5"),
        ("Men aged between 18 and 25 must register.", "18 and 25"),
        ("He is in his 20s.", "20s"),
        ("Troops fired COVID-19 tests.", "19"),
        ("It uses three times as many workers.", "three"),
        ("The talks start at 9 a.m. today.", "9"),
        ("It was a three-time winner.", "three-time"),
    ];

    #[test]
    fn skips_what_is_no_count() {
        let mut failures = Vec::new();
        for &(text, number) in NOT_COUNTS {
            let (doc, counts) = counts_of(text);
            let at = text.find(number).expect("number in text");
            let span = Span::new(at, at + number.len());
            if let Some(hit) = counts.iter().find(|c| c.span.overlaps(span)) {
                failures.push(format!(
                    "{text:?} {number:?}: got {hit:?}; read as {:?}",
                    explain(&doc)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn reads_whole_numbers_only() {
        let (doc, counts) = counts_of("Sales reached 4,300 units.");
        let texts: Vec<&str> = counts.iter().map(|c| doc.slice(c.span)).collect();
        assert_eq!(texts, ["4,300"]);
    }

    #[test]
    fn skips_numbers_inside_entities() {
        let mut doc = Doc::new("t", "The Group of Seven met; 5 ministers came.");
        segment::segment(&mut doc);
        let at = doc.text.find("Group").unwrap();
        doc.entities.push(crate::doc::Entity {
            span: Span::new(at, at + "Group of Seven".len()),
            label: Label::Org,
            canonical: "G7".into(),
            score: None,
        });
        let counts = find_counts(&doc);
        let texts: Vec<&str> = counts.iter().map(|c| doc.slice(c.span)).collect();
        assert_eq!(texts, ["5"]);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "",
            " ",
            "1",
            "one",
            "a",
            "- - 5 -",
            "“五 300 → 4 ½ prisoners”",
            "1,000,000,000,000,000,000,000 people",
            "a quarter of",
            "one hundred and",
            "3-",
            "-3",
            "5 –",
        ] {
            let _ = counts_of(text);
        }
        // Without segmentation the function tokenizes by itself.
        let doc = Doc::new("t", "Police arrested 15 people.");
        assert_eq!(find_counts(&doc).len(), 1);
    }

    #[test]
    fn counts_are_sorted_and_disjoint() {
        let (_, counts) =
            counts_of("Between 20 and 30 men and 300 to 400 women, 5 children and one dog.");
        assert_eq!(counts.len(), 4);
        for w in counts.windows(2) {
            assert!(w[0].span.end <= w[1].span.start);
        }
    }

    #[test]
    fn seed_article_matches_gold() {
        let line = include_str!("../eval/gold/seed.jsonl")
            .lines()
            .next()
            .expect("a gold line");
        let value: serde_json::Value = serde_json::from_str(line).expect("gold json");
        let gold = format::annotated_from_json(value).expect("gold record");
        let mut doc = Doc::new(gold.id.clone(), gold.text.clone());
        doc.entities = gold.entities.clone();
        segment::segment(&mut doc);
        let got: Vec<(Span, f64, Option<String>)> = find_counts(&doc)
            .into_iter()
            .map(|c| (c.span, c.value, c.unit))
            .collect();
        let want: Vec<(Span, f64, Option<String>)> = gold
            .counts
            .iter()
            .map(|c| (c.span, c.value, c.unit.clone()))
            .collect();
        assert_eq!(got, want);
    }
}
