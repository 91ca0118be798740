//! Step 3, the noun phrase after a number: a counted noun gives the unit
//! ("22 wounded Ukrainian captives" → captive), a unit of measure, money,
//! time or percent makes it a measure, "of the plants" takes the noun after
//! "of", "one" as a pronoun or idiom is no count, and nothing noun-like
//! leaves it bare.

use super::filters::{has_measure_sign, not_a_quantity};
use super::grammar::{lower_at_or_empty, num_starting_at, word_before, Compound, Num};
use super::tokens::{in_table, is_np_word, Ctx};
use super::units::{self, Measure};
use crate::doc::{Label, Span};
use crate::lexicon::*;

/// A unit and where its head noun stands, when it is written there.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unit {
    pub(super) lemma: String,
    pub(super) span: Option<Span>,
    /// The token of the head noun, when it is a whole token.
    pub(super) head: Option<usize>,
}

impl Unit {
    pub(super) fn at(ctx: &Ctx, h: usize) -> Unit {
        let t = &ctx.toks[h];
        let dropped_period = t.text.ends_with('.') && !t.lower.ends_with('.');
        Unit {
            lemma: designation_lemma(ctx, h).unwrap_or_else(|| units::singular(ctx.lower(h))),
            span: Some(Span::new(
                t.span.start,
                t.span.end - usize::from(dropped_period),
            )),
            head: Some(h),
        }
    }

    /// A unit that is not written where the count stands.
    pub(super) fn unwritten(lemma: &str) -> Unit {
        Unit {
            lemma: lemma.to_string(),
            span: None,
            head: None,
        }
    }

    /// The same unit taken over from another mention.
    pub(super) fn referred(&self) -> Unit {
        Unit::unwritten(&self.lemma)
    }
}

/// What a number is, read in context.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Reading {
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
pub(super) enum After {
    Head(usize),
    Measure,
    Of(usize),
    Bare,
    /// A singular noun after a number above one ("747 jumbo jet").
    Singular,
}

/// The measure token `i` names, in the plural or the singular.
fn measure_at(ctx: &Ctx, i: usize) -> Option<Measure> {
    let w = ctx.lower(i);
    if w.contains('-') {
        return None;
    }
    units::measure_of(w).or_else(|| units::measure_of(&units::singular(w)))
}

/// A model designation: a word of letters, digits and hyphens that holds a
/// digit and ends in one ("MD-82", "A320", "737-300", the "8" of "Dash 8").
fn is_designation(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
        && w.ends_with(|c: char| c.is_ascii_digit())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !w.starts_with('-')
}

/// The plural of a model designation: "six MD-82s", "three A320s", "15
/// 747s", "63 Dash 8s"; not a decade ("1980s").
fn is_designation_plural(ctx: &Ctx, i: usize) -> bool {
    let Some(stem) = ctx.lower(i).strip_suffix('s') else {
        return false;
    };
    let decade = stem.len() == 4 && stem.ends_with('0') && stem.chars().all(|c| c.is_ascii_digit());
    is_designation(stem) && !decade
}

/// The unit of a plural designation: its singular, with the capitalized
/// name word just before a bare number ("Dash 8s" → "dash 8").
fn designation_lemma(ctx: &Ctx, h: usize) -> Option<String> {
    if !is_designation_plural(ctx, h) {
        return None;
    }
    let stem = ctx.lower(h).strip_suffix('s')?;
    let digits = stem.chars().all(|c| c.is_ascii_digit());
    let named = h > 0
        && ctx.same_sentence(h - 1, h)
        && ctx.gap_before(h) == " "
        && ctx.is_capitalized(h - 1)
        && is_np_word(ctx, h - 1);
    Some(if digits && named {
        format!("{} {stem}", ctx.lower(h - 1))
    } else {
        stem.to_string()
    })
}

/// A token that can be the head of a plural noun phrase.
fn can_head_plural(ctx: &Ctx, i: usize) -> bool {
    let t = &ctx.toks[i];
    let named = matches!(t.entity, Some(Label::Loc | Label::Org | Label::Per));
    let acronym =
        !t.headline && t.text.chars().count() > 1 && !t.text.chars().any(char::is_lowercase);
    units::looks_plural(t.lower) && !named && !acronym
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

/// A hyphen cut from one side of a compound by a space: "anti- aircraft",
/// "anti -aircraft" (a line break in the source); a dash with spaces on
/// both sides (" - ") is punctuation, not part of a word.
fn is_broken_hyphen(ctx: &Ctx, k: usize) -> bool {
    let glued_before = ctx.gap_before(k).is_empty();
    let glued_after = ctx.gap_before(k + 1).is_empty();
    matches!(ctx.lower(k), "-" | "–")
        && glued_before != glued_after
        && k > 0
        && ctx.same_sentence(k - 1, k + 1)
        && ctx.is_word(k - 1)
        && ctx.is_word(k + 1)
}

/// "one widely mentioned possibility", "one newly built plant": an adverb
/// in "-ly" and the participle it modifies, inside a singular noun phrase
/// whose noun comes after them.
fn adverb_participle(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.lower(k);
    let p = ctx.lower(k + 1);
    let participle = p.len() > 4 && (p.ends_with("ed") || p.ends_with("en") || p.ends_with("ing"));
    w.len() > 4
        && w.ends_with("ly")
        && participle
        && ctx.same_sentence(k, k + 2)
        && is_np_word(ctx, k + 2)
        && !is_verb_like(ctx.lower(k + 2))
}

/// "two of its truck and bus facilities", "six heavy machinery and
/// shipbuilding companies", "790 salaried, production and support
/// employees": singular modifiers joined by "and", "or" or commas share the
/// plural noun after the last of them. `k` is the joining word after the
/// modifiers `words`; the shared head, when a plural noun follows within a
/// few lower-case words and no verb, determiner or measure comes first.
fn shared_head(ctx: &Ctx, k: usize, lim: usize, words: &[usize]) -> Option<usize> {
    let joins = |i: usize| matches!(ctx.lower(i), "and" | "or" | ",");
    let plain = |i: usize| ctx.toks[i].headline || !ctx.is_capitalized(i);
    // A bulk good stands alone as the noun of its phrase: "22.9 mln of
    // crude and derivatives".
    let modifier = |i: usize| plain(i) && measure_at(ctx, i).is_none();
    if !joins(k) || !words.iter().all(|&i| modifier(i)) {
        return None;
    }
    let mut i = k;
    let mut modifiers = 0;
    while i < lim.min(k + 10) {
        if joins(i) {
            i += 1;
            continue;
        }
        let w = ctx.lower(i);
        let word = is_np_word(ctx, i)
            && plain(i)
            && !in_table(NP_ENDING_VERBS, w)
            && !in_table(SPEECH_VERBS, w);
        if !word || measure_at(ctx, i).is_some_and(|m| m != Measure::Commodity) {
            return None;
        }
        if can_head_plural(ctx, i) {
            return Some(i);
        }
        modifiers += 1;
        if modifiers > 6 {
            return None;
        }
        i += 1;
    }
    None
}

/// A closing bracket within `max` tokens after the opening one at `i`.
fn bracket_close(ctx: &Ctx, i: usize, max: usize) -> Option<usize> {
    (i + 1..(i + 1 + max).min(ctx.limit(i))).find(|&k| ctx.lower(k) == ")")
}

/// The noun phrase from token `k` on: its head, or what else it is. A
/// plural phrase ends at its first plural noun ("22 wounded Ukrainian
/// captives"); a singular one at its last noun ("one car plant").
pub(super) fn read_np(ctx: &Ctx, mut k: usize, lim: usize, plural: bool) -> After {
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
        if plural && is_designation_plural(ctx, k) {
            return After::Head(k);
        }
        if plural && is_designation(ctx.lower(k)) {
            // "two additional 737-200 twinjets": a model before the noun.
            words.push(k);
            k += 1;
            continue;
        }
        if !words.is_empty() && is_broken_hyphen(ctx, k) {
            // "250 anti- aircraft guns": the word after it modifies.
            words.push(k + 1);
            k += 2;
            continue;
        }
        if plural && !words.is_empty() {
            if let Some(h) = shared_head(ctx, k, lim, &words) {
                return After::Head(h);
            }
        }
        if !plural && adverb_participle(ctx, k) {
            // "one widely mentioned possibility"
            words.extend([k, k + 1]);
            k += 2;
            continue;
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

/// What follows a number in its sentence.
fn read_after(ctx: &Ctx, num: &Num) -> After {
    let mut k = num.last + 1;
    if k >= ctx.limit(num.first) {
        return After::Bare;
    }
    // "five more people", "3,500 other workers", "five more 737-300
    // jetliners"
    let designation_next = is_designation(ctx.lower(k + 1));
    if matches!(ctx.lower(k), "more" | "other" | "fewer")
        && (is_np_word(ctx, k + 1) || designation_next)
    {
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

/// "of …" after a number: "six of its plants", "350 of the 3,800".
fn read_partitive(ctx: &Ctx, k: usize, nums: &[Num]) -> Reading {
    let lim = ctx.limit(k.saturating_sub(1));
    // "Four of these are in service", "91 of those have been cleared".
    let pronoun = in_table(PARTITIVE_PRONOUNS, ctx.lower(k)) && !is_np_word(ctx, k + 1);
    if pronoun {
        return Reading::Bare { may_refer: true };
    }
    let mut k = k;
    while k < lim {
        if in_table(DETERMINERS, ctx.lower(k)) {
            k += 1;
        } else if ctx.is_word(k) && matches!(ctx.lower(k + 1), "'s" | "’s") {
            // "of the facility's 425 employees", "of GM's plants"
            k += 2;
        } else {
            break;
        }
    }
    // "of its previously held 1,487 seats": another number a few words on.
    for t in k..(k + 4).min(lim) {
        if let Some(j) = num_starting_at(nums, t) {
            return Reading::Of(j);
        }
        if !is_np_word(ctx, t) {
            break;
        }
    }
    if in_table(PARTITIVE_PRONOUNS, ctx.lower(k)) {
        return Reading::Bare { may_refer: true };
    }
    match read_np(ctx, k, lim, true) {
        After::Head(h) => Reading::Count(Unit::at(ctx, h)),
        After::Measure => Reading::Measure,
        _ => Reading::Not("partitive"),
    }
}

/// "one" as a pronoun or in an idiom: "no one", "one another".
fn one_is_idiom(ctx: &Ctx, num: &Num, before: usize) -> bool {
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    let prev = lower_at_or_empty(ctx, before, num);
    let pronoun = in_table(ONE_PRONOUN_BEFORE, prev) && !which_one_noun(ctx, num, prev);
    pronoun || matches!(next, "another" | "by" | "after" | "or")
}

/// "in which one worker was killed": after "which", "one" with a noun is a
/// number ("which one is it?" stays a pronoun).
fn which_one_noun(ctx: &Ctx, num: &Num, prev: &str) -> bool {
    let k = num.last + 1;
    prev == "which"
        && ctx.same_sentence(k, num.first)
        && is_np_word(ctx, k)
        && !is_verb_like(ctx.lower(k))
}

/// "four tire plants in the U.S. and one in Canada": a bare "one" after
/// "and" with a place after it stands for one more of the things counted
/// before it.
fn elliptic_one(ctx: &Ctx, num: &Num) -> bool {
    let next = lower_at_or_empty(ctx, num.last + 1, num);
    num.one && ctx.lower_before(num.first, 1) == "and" && matches!(next, "in" | "at")
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

/// "the 50-seat Dash 7", "a 150-seat A320 jet": a hyphenated number before
/// a model designation tells the model's capacity, the same for every plane
/// of it, and counts nothing (ANNOTATE decision 15).
fn model_capacity(ctx: &Ctx, num: &Num) -> bool {
    let lim = ctx.limit(num.first);
    (num.last + 1..(num.last + 3).min(lim)).any(|k| is_designation(ctx.lower(k)))
}

/// "5,000-strong force", "1.1 mln-member union".
fn read_compound(ctx: &Ctx, num: &Num, c: &Compound) -> Reading {
    if model_capacity(ctx, num) {
        return Reading::Not("model");
    }
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
pub(super) fn read(ctx: &Ctx, num: &Num, nums: &[Num]) -> Reading {
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
        // "one of its plants", "one of the largest" (FORMAT decision 8).
        After::Of(_) if num.one => Reading::Not("one of"),
        After::Of(k) => read_partitive(ctx, k, nums),
        After::Bare if num.decimal => Reading::Measure,
        After::Bare if in_table(LABEL_NOUNS, lower_at_or_empty(ctx, before, num)) => {
            Reading::Not("label")
        }
        After::Bare => Reading::Bare {
            may_refer: (!num.one || elliptic_one(ctx, num)) && may_refer(ctx, num),
        },
        After::Head(h) => read_head(ctx, num, h),
    };
    match reading {
        Reading::Count(_) if num.value.fract() != 0.0 => Reading::Measure,
        r => r,
    }
}

/// "said one analyst", "One foreign banker speculated", "says one former
/// General Motors executive": "one" before the source of a statement is an
/// article (ANNOTATE decision 14) when a verb of saying stands just before
/// it or is the first verb after the source ("one official was killed"
/// counts).
fn quoted_source(ctx: &Ctx, num: &Num) -> bool {
    let lim = ctx.limit(num.first);
    let Some(source) = (num.last + 1..(num.last + 8).min(lim))
        .take_while(|&k| is_np_word(ctx, k))
        .find(|&k| in_table(SOURCE_NOUNS, ctx.lower(k)))
    else {
        return false;
    };
    let said_before = in_table(SPEECH_VERBS, ctx.lower_before(num.first, 1));
    let verb_after = (source + 1..(source + 12).min(lim))
        .map(|k| ctx.lower(k))
        .find(|w| is_verb_like(w));
    let said_after = verb_after.is_some_and(|w| in_table(SPEECH_VERBS, w));
    said_before || said_after
}

/// Checks a head noun found after a number.
fn read_head(ctx: &Ctx, num: &Num, h: usize) -> Reading {
    if is_rate(ctx, h) {
        return Reading::Measure;
    }
    let unit = Unit::at(ctx, h);
    if num.one {
        let reporting = in_table(SPEECH_VERBS, ctx.lower(h + 1)) || quoted_source(ctx, num);
        if in_table(ONE_IDIOMS, &unit.lemma) || reporting || units::looks_plural(ctx.lower(h)) {
            return Reading::Not("one");
        }
    }
    Reading::Count(unit)
}
