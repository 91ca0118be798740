//! Counts: numbers that say how many of something there are.
//!
//! [`find_counts`] reads the tokens of a segmented document in four steps,
//! one file each, over the token view of `tokens.rs`:
//! 1. `grammar.rs` finds every number expression: digits ("372", "1,200",
//!    "1.5"), words ("twenty-two", "one hundred and five", "a dozen"),
//!    scale words and wire abbreviations ("1.5 million", "2 mln", "3bn"),
//!    and ranges ("300 to 400", "7,000-8,000", "between 20 and 30").
//! 2. `filters.rs` drops what its context shows is no quantity at all:
//!    years, dates, times, ages, ratios, scores, names ("Boeing 747").
//! 3. `phrase.rs` looks at the noun phrase after the number: a counted noun
//!    gives the unit ("22 wounded Ukrainian captives" → captive), a unit of
//!    measure, money, time or percent makes it a measure, "of the plants"
//!    takes the noun after "of", "one" as a pronoun or idiom is no count,
//!    and nothing noun-like leaves it bare.
//! 4. `references.rs` gives a bare number the unit of what it refers to
//!    ("merge 35 agencies into nine"), or drops it.
//!
//! [`units`] tells a counted noun from a unit of measure and gives its
//! singular. Each part imports only the parts before it: `tokens` ←
//! `grammar` ← `filters` ← `phrase` ← `references` ← this module.
//!
//! The word tables are in [`crate::lexicon`], lower case; a headline in
//! Title Case or capitals is read in lower case like any other sentence.

mod filters;
mod grammar;
mod phrase;
mod references;
mod tokens;
pub mod units;

#[cfg(test)]
mod tests;

use crate::doc::{Approx, Count, Doc, Span};
use crate::segment;
use grammar::{lower_at_or_empty, scan, Num};
use phrase::{read, Reading, Unit};
use references::resolve;
use tokens::{approx_before, Ctx};

/// Finds the counts of a segmented document, sorted by start and not
/// overlapping. Parties are left empty for `attach`.
///
/// A document without tokens or sentences (made by hand) is segmented here
/// first, on a copy; the counts' token indices are then those of the copy.
pub fn find_counts(doc: &Doc) -> Vec<Count> {
    match unsegmented(doc) {
        Some(d) => counts_of(&d),
        None => counts_of(doc),
    }
}

/// A segmented copy of a document that lacks its tokens or sentences.
fn unsegmented(doc: &Doc) -> Option<Doc> {
    if doc.tokens.is_empty() {
        let mut d = doc.clone();
        segment::segment(&mut d);
        d.update_view();
        Some(d)
    } else if doc.sentences.is_empty() {
        let mut d = doc.clone();
        d.sentences = segment::sentences(&d.text, &d.tokens);
        d.update_view();
        Some(d)
    } else {
        None
    }
}

fn counts_of(doc: &Doc) -> Vec<Count> {
    let view = doc.token_view();
    let ctx = Ctx::new(doc, &view);
    let nums = scan(&ctx);
    let readings: Vec<Reading> = nums.iter().map(|n| read(&ctx, n, &nums)).collect();
    let units = resolve(&ctx, &nums, &readings);
    nums.iter()
        .zip(units)
        .filter_map(|(n, unit)| unit.map(|u| make_count(&ctx, n, u)))
        .collect()
}

/// The hedge of a number: a range, "or more", "or so", or the words
/// before it.
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

/// The count of a number read with its unit; parties are left to `attach`.
fn make_count(ctx: &Ctx, num: &Num, unit: Unit) -> Count {
    let mut count = Count::new(num.span, num.value);
    count.value_max = num.value_max;
    count.approx = approx_of(ctx, num);
    count.tokens = num.first..num.last + 1;
    count.head = unit.head.or(match (&num.compound, unit.span) {
        // "the 1.1 mln-member union": the noun after the compound.
        (Some(_), Some(_)) => Some(num.last + 1),
        _ => None,
    });
    count.compound = num
        .compound
        .as_ref()
        .and_then(|c| ctx.text.get(c.span.start..c.span.end))
        .map(str::to_string);
    count.unit = Some(unit.lemma);
    count.unit_span = unit.span;
    count
}

/// Every number expression of a document with how it was read: a count's
/// unit, "Measure", or why it is no count. For inspecting the rules.
pub fn explain(doc: &Doc) -> Vec<(Span, String)> {
    if let Some(d) = unsegmented(doc) {
        return explain(&d);
    }
    let view = doc.token_view();
    let ctx = Ctx::new(doc, &view);
    let nums = scan(&ctx);
    let readings: Vec<Reading> = nums.iter().map(|n| read(&ctx, n, &nums)).collect();
    let units = resolve(&ctx, &nums, &readings);
    nums.iter()
        .zip(readings.iter().zip(units))
        .map(|(n, (r, u))| (n.span, format!("{r:?} -> {:?}", u.map(|u| u.lemma))))
        .collect()
}
