//! The document layer over counts once their parties are known: which
//! counts restate an earlier one (`mention_of`) and which add up to another
//! (`sum_of`: 372 = 175 + 175 + 22). Neither changes any party.

use crate::doc::{Count, Role};
use std::collections::HashMap;

/// Links every count that restates an earlier one to the first mention of
/// the same counted things: same value, neither distributive, parties that
/// do not disagree, and the same unit unless the number is 10 or more (a
/// headline's "372 Prisoners" restated as "372 soldiers").
/// Returns the pairs of counts compared (the work done).
pub(super) fn link_mentions(counts: &mut [Count]) -> usize {
    let mut work = 0;
    // The first mentions so far of each value, in order: a restatement has
    // its value, so only they are tried.
    let mut firsts: HashMap<u64, Vec<usize>> = HashMap::new();
    for k in 0..counts.len() {
        let Some(v) = super::frame::value_key(counts[k].value) else {
            counts[k].mention_of = None;
            continue;
        };
        let list = firsts.entry(v).or_default();
        let first = list.iter().copied().find(|&j| {
            work += 1;
            restates(&counts[k], &counts[j])
        });
        counts[k].mention_of = first;
        if first.is_none() {
            list.push(k);
        }
    }
    work
}

fn restates(c: &Count, earlier: &Count) -> bool {
    c.value == earlier.value
        && c.value_max == earlier.value_max
        && !c.distributive
        && !earlier.distributive
        && (c.unit == earlier.unit || c.value >= 10.0)
        && parties_agree(c, earlier)
}

/// No role that both counts fill names different parties, and no party
/// plays one role in one and another role in the other.
fn parties_agree(a: &Count, b: &Count) -> bool {
    for role in Role::ALL {
        let pa: Vec<&str> = a.parties_in(role).collect();
        let pb: Vec<&str> = b.parties_in(role).collect();
        if !pa.is_empty() && !pb.is_empty() && !pa.iter().any(|p| pb.contains(p)) {
            return false;
        }
    }
    !a.parties.iter().any(|p| {
        b.parties.iter().any(|q| {
            q.party == p.party
                && q.role != p.role
                && q.role != Role::Location
                && p.role != Role::Location
        })
    })
}

/// The most counts tried as parts of one total, nearest first: bounds the
/// work per count whatever the document's length.
const POOL: usize = 14;
/// The most parts one total is split into.
const MAX_PARTS: usize = 4;
/// Parts are sought among the counts at most this many places (in the
/// document's counts) before or after a mention of the total: in a
/// document of up to `REACH + 1` counts (every gold and corpus document
/// has at most 16) that is all of them; in a longer one, the work per
/// total stays bounded.
const REACH: usize = 64;

/// Writes `sum_of` on the first mention of each total that other counts
/// add up to exactly: two to four counts, each smaller than the total,
/// none a mention of it or of another part, all of the total's unit but
/// at most one (all of it when the total is under 100). A count that applies to each of its agents
/// ("Moscow and Kyiv each returned 175") stands for that many when no plain
/// decomposition exists. Of several decompositions, the one whose parts lie
/// closest together in the text wins.
/// Returns the counts tried as parts (the work done).
pub(super) fn link_sums(counts: &mut [Count]) -> usize {
    let mut work = 0;
    let root = |counts: &[Count], i: usize| counts[i].mention_of.unwrap_or(i);
    let n = counts.len();
    // The mentions of each first mention, in order.
    let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = root(counts, i);
        if r < n {
            mentions[r].push(i);
        }
    }
    for t in 0..n {
        if counts[t].mention_of.is_some() || counts[t].value < 10.0 || counts[t].value_max.is_some()
        {
            continue;
        }
        let total = counts[t].value;
        // Where the total's mentions stand, to find the parts near one.
        let at: Vec<usize> = mentions[t].iter().map(|&i| counts[i].span.start).collect();
        // The counts within reach of a mention, each once, in order.
        let mut near: Vec<usize> = Vec::new();
        for &m in &mentions[t] {
            let from = m
                .saturating_sub(REACH)
                .max(near.last().map_or(0, |&l| l + 1));
            near.extend(from..(m + REACH + 1).min(n));
        }
        work += near.len();
        let mut pool: Vec<usize> = near
            .into_iter()
            .filter(|&i| {
                root(counts, i) != t
                    && counts[i].value < total
                    && counts[i].value >= 1.0
                    && counts[i].value_max.is_none()
                    && (total >= 100.0 || counts[i].unit == counts[t].unit)
            })
            .collect();
        let distance = |i: usize| {
            at.iter()
                .map(|&a| a.abs_diff(counts[i].span.start))
                .min()
                .unwrap_or(usize::MAX)
        };
        pool.sort_by_key(|&i| distance(i));
        pool.truncate(POOL);
        pool.sort_unstable();
        let plain = |i: usize| counts[i].value;
        let each = |i: usize| {
            let agents = counts[i].parties_in(Role::Agent).count();
            if counts[i].distributive && agents > 1 {
                counts[i].value * agents as f64
            } else {
                counts[i].value
            }
        };
        let best = best_parts(counts, &pool, &counts[t], &plain)
            .or_else(|| best_parts(counts, &pool, &counts[t], &each));
        if let Some(parts) = best {
            counts[t].sum_of = parts;
        }
    }
    work
}

/// The subset of `pool` (2 to [`MAX_PARTS`] counts, no two of one mention
/// chain) whose values add up to `total`, with the smallest text span.
fn best_parts(
    counts: &[Count],
    pool: &[usize],
    total: &Count,
    value: &dyn Fn(usize) -> f64,
) -> Option<Vec<usize>> {
    let mut best: Option<(usize, Vec<usize>)> = None;
    let mut chosen = Vec::new();
    let goal = Goal {
        unit: &total.unit,
        value,
    };
    search(counts, pool, 0, total.value, &goal, &mut chosen, &mut best);
    best.map(|(_, parts)| parts)
}

/// What the parts are sought for: the total's unit, and what each count
/// stands for.
struct Goal<'a> {
    unit: &'a Option<String>,
    value: &'a dyn Fn(usize) -> f64,
}

fn search(
    counts: &[Count],
    pool: &[usize],
    from: usize,
    left: f64,
    goal: &Goal,
    chosen: &mut Vec<usize>,
    best: &mut Option<(usize, Vec<usize>)>,
) {
    let unit = goal.unit;
    if left.abs() < 1e-9 {
        let other_units = chosen.iter().filter(|&&c| counts[c].unit != *unit).count();
        if chosen.len() >= 2 && other_units <= 1 {
            let span =
                counts[*chosen.last().expect("parts")].span.start - counts[chosen[0]].span.start;
            if best.as_ref().is_none_or(|(s, _)| span < *s) {
                *best = Some((span, chosen.clone()));
            }
        }
        return;
    }
    if chosen.len() == MAX_PARTS || left < 0.0 {
        return;
    }
    for p in from..pool.len() {
        let i = pool[p];
        let chain = counts[i].mention_of.unwrap_or(i);
        if chosen
            .iter()
            .any(|&c| counts[c].mention_of.unwrap_or(c) == chain)
        {
            continue;
        }
        chosen.push(i);
        search(
            counts,
            pool,
            p + 1,
            left - (goal.value)(i),
            goal,
            chosen,
            best,
        );
        chosen.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Party, Span};

    fn count(start: usize, value: f64, unit: &str, parties: &[(&str, Role)], each: bool) -> Count {
        let mut c = Count::new(
            Span {
                start,
                end: start + 1,
            },
            value,
        );
        c.unit = Some(unit.to_string());
        c.parties = parties
            .iter()
            .map(|(p, r)| Party {
                party: p.to_string(),
                role: *r,
                aliases: Vec::new(),
                rule: None,
            })
            .collect();
        c.distributive = each;
        c
    }

    #[test]
    fn the_seed_swap_restates_372_and_adds_it_up() {
        use Role::*;
        let both = [("Russia", Agent), ("Ukraine", Agent)];
        let mut c = vec![
            count(0, 372.0, "prisoner", &both, false),
            count(10, 372.0, "prisoner", &both, false),
            count(20, 175.0, "prisoner", &both, true),
            count(
                30,
                22.0,
                "captive",
                &[("Russia", Agent), ("Ukraine", Affiliation)],
                false,
            ),
            count(40, 372.0, "soldier", &both, false),
            count(50, 2.0, "state", &[], false),
            count(
                60,
                175.0,
                "prisoner",
                &[("Russia", Agent), ("Ukraine", Affiliation)],
                false,
            ),
            count(
                70,
                22.0,
                "captive",
                &[("Russia", Agent), ("Ukraine", Affiliation)],
                false,
            ),
            count(
                80,
                175.0,
                "prisoner",
                &[("Ukraine", Agent), ("Russia", Affiliation)],
                false,
            ),
        ];
        link_mentions(&mut c);
        let m: Vec<Option<usize>> = c.iter().map(|c| c.mention_of).collect();
        assert_eq!(
            m,
            [
                None,
                Some(0),
                None,
                None,
                Some(0),
                None,
                None,
                Some(3),
                None
            ],
            "the two 175s of opposite sides are different prisoners"
        );
        link_sums(&mut c);
        assert_eq!(c[0].sum_of, [6, 7, 8], "372 = 175 + 22 + 175");
        assert!(
            c[1].sum_of.is_empty(),
            "only the first mention carries the sum"
        );
    }

    #[test]
    fn small_numbers_need_the_same_unit_and_sums_need_exact_parts() {
        let mut c = vec![
            count(0, 3.0, "plant", &[], false),
            count(10, 3.0, "worker", &[], false),
            count(20, 5.0, "plant", &[], false),
            count(30, 2.0, "plant", &[], false),
        ];
        link_mentions(&mut c);
        assert_eq!(c[1].mention_of, None);
        link_sums(&mut c);
        assert!(
            c[2].sum_of.is_empty(),
            "5 is under 10: no sum is looked for"
        );
        let mut c = vec![
            count(0, 30.0, "plant", &[], false),
            count(10, 12.0, "plant", &[], false),
            count(20, 17.0, "plant", &[], false),
        ];
        link_sums(&mut c);
        assert!(c[0].sum_of.is_empty(), "12 + 17 is not 30");
    }

    #[test]
    fn the_work_per_total_is_bounded() {
        // 2,000 counts that could add up every which way: the pool cap
        // keeps each total's search small.
        let mut c: Vec<Count> = (0..2000)
            .map(|i| count(i * 10, (i % 7 + 1) as f64 * 10.0, "man", &[], false))
            .collect();
        link_mentions(&mut c);
        link_sums(&mut c);
        assert!(c.iter().all(|c| c.sum_of.len() <= MAX_PARTS));
    }
}
