//! Step 1, number grammar: every number expression of a document, in
//! digits ("372", "1,200", "1.5"), in words ("twenty-two", "one hundred and
//! five", "a dozen", "half a million"), with scale words and wire
//! abbreviations ("1.5 million", "2 mln", "3bn"), glued to a count word
//! ("5,000-strong"), and ranges ("300 to 400", "7,000-8,000", "between 20
//! and 30").

use super::tokens::{approx_before, in_table, is_np_word, lookup, Ctx};
use crate::doc::Span;
use crate::lexicon::*;
use regex::Regex;
use std::sync::OnceLock;

/// A count word glued to a number by a hyphen: "5,000-strong force",
/// "the 1.1 mln-member union".
#[derive(Debug, Clone)]
pub(super) struct Compound {
    pub(super) word: String,
    pub(super) span: Span,
}

/// A number expression over tokens `first..=last`; its `span` ends before
/// the hyphen of a compound ("5,000" of "5,000-strong").
#[derive(Debug, Clone)]
pub(super) struct Num {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) span: Span,
    pub(super) value: f64,
    pub(super) value_max: Option<f64>,
    /// Written with a decimal point and no scale word ("8.60").
    pub(super) decimal: bool,
    /// Just "one" or "1": the noun after it is singular.
    pub(super) one: bool,
    /// The dash of a range ("2-1", "1 – 0"), which scores share.
    pub(super) dashed: bool,
    pub(super) compound: Option<Compound>,
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

/// Digits with thousands separators, a decimal part and a glued scale.
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

/// A word that can be part of a number in words.
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
/// The kind of the last number word read by `parse_atoms`.
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

/// One number from token `i`, in digits or in words, within `lim`.
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
pub(super) fn num_starting_at(nums: &[Num], i: usize) -> Option<usize> {
    nums.binary_search_by_key(&i, |n| n.first).ok()
}

/// The number whose last token is `i`.
pub(super) fn num_ending_at(nums: &[Num], i: usize) -> Option<usize> {
    nums.binary_search_by_key(&i, |n| n.last).ok()
}

/// Every number expression of the document, in order, not overlapping.
pub(super) fn scan(ctx: &Ctx) -> Vec<Num> {
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

/// The token before a number, past its approximation words.
pub(super) fn word_before(ctx: &Ctx, num: &Num) -> usize {
    let skip = approx_before(ctx, num.first).map_or(0, |(n, _)| n);
    let skip = if ctx.lower_before(num.first, skip + 1) == "between" {
        skip + 1
    } else {
        skip
    };
    num.first.wrapping_sub(skip + 1)
}

/// Lower-case text of token `i` when it is in the sentence of `num`, else
/// "".
pub(super) fn lower_at_or_empty<'c>(ctx: &'c Ctx, i: usize, num: &Num) -> &'c str {
    if i < ctx.len() && ctx.same_sentence(i, num.first) {
        ctx.lower(i)
    } else {
        ""
    }
}
