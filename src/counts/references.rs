//! Step 4, bare numbers: the unit of what a number without a noun refers to
//! ("merge 35 agencies into nine"), from the surest clue to the weakest
//! (casualty words, the next number, "the number of …", a count of the same
//! value, the counts before, the subject of "remain at"), or none.

use super::filters::vote_tally;
use super::grammar::{lower_at_or_empty, word_before, Num};
use super::phrase::{read_np, After, Reading, Unit};
use super::tokens::{in_table, Ctx, WINDOW};
use super::units::{self, Measure};
use crate::lexicon::*;
use std::collections::HashMap;

/// How many numbers back a bare number looks for what it refers to.
const LOOKBACK: usize = 50;

/// The unit of every number that is a count; `None` for the others.
pub(super) fn resolve(ctx: &Ctx, nums: &[Num], readings: &[Reading]) -> Vec<Option<Unit>> {
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
    let num = &nums[i];
    // "to March 31 and five of them": a partitive counts, whatever number
    // stands before it.
    let partitive = ctx.lower(num.last + 1) == "of";
    if follows_a_non_quantity(ctx, nums, readings, i) && !partitive {
        return None;
    }
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
    if vote_tally(ctx, num) {
        return Some(Unit::unwritten("vote"));
    }
    if let Some(unit) = employed(ctx, num) {
        return Some(unit);
    }
    let clues: [&dyn Fn() -> Option<Unit>; 7] = [
        &|| refer_forward(ctx, nums, readings, i),
        &|| number_of(ctx, num),
        &|| figure_of(ctx, num),
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
    joined
        && matches!(readings[prev], Reading::Not(_))
        && !year_adverbial(ctx, &nums[prev], &readings[prev])
}

/// "jumped from 69 in 1984 to 298": a year after "in", "by" or "since"
/// dates the number before it and joins nothing to the number after it.
fn year_adverbial(ctx: &Ctx, year: &Num, reading: &Reading) -> bool {
    matches!(reading, Reading::Not("year"))
        && matches!(ctx.lower_before(year.first, 1), "in" | "by" | "since")
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

/// "employs 17,000", "employing about 356": the bare object of a verb of
/// employing counts employees.
fn employed(ctx: &Ctx, num: &Num) -> Option<Unit> {
    let before = word_before(ctx, num);
    let employs = in_table(EMPLOY_VERBS, lower_at_or_empty(ctx, before, num));
    employs.then(|| Unit::unwritten("employee"))
}

/// "car sales … were up 6.9 pct to 157,031 from 146,898", "layoffs could
/// reach 2,000": a bare number after "to", "from", "reach", "total"… is the
/// value of the nearest figure noun before it in its sentence (ANNOTATE
/// decision 13), whose literal noun is its unit. Not in a sentence about
/// money, bulk goods or measures ("sales rose to 450,000 from 300,000
/// dlrs", "exports of 22.9 mln of crude against 63.3 mln", barrels left
/// out), nor for a figure of bulk goods ("sugar exports rose to 300,000").
fn figure_of(ctx: &Ctx, num: &Num) -> Option<Unit> {
    let before = word_before(ctx, num);
    if !in_table(FIGURE_BEFORE, lower_at_or_empty(ctx, before, num)) {
        return None;
    }
    let start = ctx
        .sent_start(num.first)
        .max(num.first.saturating_sub(WINDOW));
    let measured = ctx.window(num.first).any(|k| {
        let w = ctx.lower(k);
        let m = units::measure_of(w).or_else(|| units::measure_of(&units::singular(w)));
        matches!(
            m,
            Some(Measure::Money | Measure::Commodity | Measure::Physical)
        )
    });
    if measured {
        return None;
    }
    let k = (start..before)
        .rev()
        .find(|&k| in_table(FIGURE_NOUNS, ctx.lower(k)))?;
    let bulk = k > start && units::measure_of(ctx.lower(k - 1)) == Some(Measure::Commodity);
    (!bulk).then(|| Unit::at(ctx, k).referred())
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

/// The same value and the same range.
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

/// A number's value and range as a key of a map.
fn value_key(n: &Num) -> (u64, Option<u64>) {
    (n.value.to_bits(), n.value_max.map(f64::to_bits))
}
