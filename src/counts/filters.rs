//! Step 2, numbers that are no quantity: years, dates, times, ages, ratios,
//! scores, phone numbers, numbers inside names ("Boeing 747"), and signs of
//! money or percent before or after a number.

use super::grammar::{lower_at_or_empty, num_ending_at, num_starting_at, word_before, Num};
use super::tokens::{in_table, is_month, is_np_word, lookup, Ctx};
use super::units;
use crate::doc::Label;
use crate::lexicon::*;

/// "1987", "2022": a year, unless an older one counts a plural noun.
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

/// A day of a month: "April 7", "7 April".
fn is_date(ctx: &Ctx, num: &Num, before: usize) -> bool {
    let month_at = |i: usize| {
        i < ctx.len()
            && ctx.same_sentence(i, num.first)
            && is_month(ctx.lower(i).rsplit('-').next().unwrap_or(""))
            && (ctx.is_capitalized(i) || ctx.toks[i].headline)
    };
    month_at(before) || month_at(num.last + 1)
}

/// A time of day: "1300 GMT", "10:30", "9 a.m.".
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

/// "voted 1314 to 25", "approved by a vote of 52 to 48": the two numbers
/// of a vote tally count votes, even where one of them looks like a year.
pub(super) fn vote_tally(ctx: &Ctx, num: &Num) -> bool {
    let digits = |i: usize| {
        i < ctx.len()
            && ctx.same_sentence(i, num.first)
            && ctx.lower(i).chars().all(|c| c.is_ascii_digit() || c == ',')
            && ctx.lower(i).starts_with(|c: char| c.is_ascii_digit())
    };
    // A vote word just before token `i`: "voted 52", "a vote of 52".
    let vote_before = |i: usize| {
        let p1 = ctx.lower_before(i, 1);
        in_table(VOTE_WORDS, p1) || (p1 == "of" && in_table(VOTE_WORDS, ctx.lower_before(i, 2)))
    };
    let first = num.first == num.last
        && digits(num.first)
        && vote_before(num.first)
        && ctx.lower(num.last + 1) == "to"
        && digits(num.last + 2);
    let second = num.first == num.last
        && digits(num.first)
        && num.first >= 2
        && ctx.lower_before(num.first, 1) == "to"
        && digits(num.first - 2)
        && vote_before(num.first - 2);
    first || second
}

/// "one share plus one dlr cash for every two shares", "two new shares for
/// each five held": both numbers of an exchange or conversion ratio say
/// how many per unit of another thing, not how many there are (ANNOTATE
/// decision 17). The number after "for every" or "for each", and a number
/// whose phrase runs on, within its clause, to "for every" or "for each
/// N".
fn exchange_ratio(ctx: &Ctx, num: &Num) -> bool {
    let p1 = ctx.lower_before(num.first, 1);
    if matches!(p1, "every" | "each") && ctx.lower_before(num.first, 2) == "for" {
        return true;
    }
    let lim = ctx.limit(num.first).min(num.last + 9);
    for k in num.last + 1..lim {
        let w = ctx.lower(k);
        if matches!(w, "," | ";" | "and" | "said" | "says") {
            return false;
        }
        if w == "for" {
            let next = ctx.lower(k + 1);
            let number_after = ctx.lower(k + 2).starts_with(|c: char| c.is_ascii_digit())
                || lookup(SMALL_NUMBERS, ctx.lower(k + 2)).is_some();
            return next == "every" || (next == "each" && number_after);
        }
    }
    false
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

/// A word that cannot be part of a name before a number.
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

/// A value that fits a float ("1,000,000,000,000,000,000,000" does not).
fn is_finite(num: &Num) -> bool {
    num.value.is_finite() && num.value_max.is_none_or(f64::is_finite)
}

/// Why a number is no quantity at all, if it is not.
pub(super) fn not_a_quantity(ctx: &Ctx, num: &Num, nums: &[Num]) -> Option<&'static str> {
    let before = word_before(ctx, num);
    let prev = lower_at_or_empty(ctx, before, num);
    let checks: [(bool, &str); 13] = [
        (num.value == 0.0, "zero"),
        (!is_finite(num), "too large"),
        (is_year(ctx, num) && !vote_tally(ctx, num), "year"),
        (is_date(ctx, num, before), "date"),
        (is_time(ctx, num), "time"),
        (is_glued(ctx, num), "glued"),
        (is_age(ctx, num, before), "age"),
        (in_table(NUMBER_LABELS, prev), "label"),
        (is_ratio(ctx, num, nums), "ratio"),
        (exchange_ratio(ctx, num), "exchange ratio"),
        (is_in_name(ctx, num), "name"),
        (is_score(ctx, num), "score"),
        (is_phone(ctx, num), "phone"),
    ];
    checks.iter().find(|(hit, _)| *hit).map(|(_, why)| *why)
}

/// Currency or percent signs: "$5", "US$ 20,000", "5%".
pub(super) fn has_measure_sign(ctx: &Ctx, num: &Num) -> bool {
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
