//! `tally train-ranker`: learns the ranker's weights (`attach::rank`) from
//! gold attachments, on the pipeline's own entities and counts, and
//! chooses its two thresholds by cross-validation over the documents.

use super::eval::predict_on_gold;
use super::{load_pipeline, read_gold};
use crate::attach::rank::{self, Candidate, Example, Ranker};
use crate::attach::RuleSet;
use crate::doc::Doc;
use crate::eval::GoldNames;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Options of `tally train-ranker`.
#[derive(Debug, Clone)]
pub struct RankerOptions {
    pub epochs: usize,
    pub l2: f32,
    pub folds: usize,
    /// Parse the texts too, so that candidates have parse features.
    pub syntax: bool,
    /// Let the cross-validation choose the keep threshold too (by default
    /// it is 0: every proposal of the rules stands, and only the add
    /// threshold is chosen).
    pub choose_keep: bool,
}

/// One document's candidates, whether gold has each (`None` on a count
/// gold does not have), and its number of gold attachments.
struct DocExamples {
    cands: Vec<Candidate>,
    labels: Vec<Option<bool>>,
    gold: usize,
}

/// A candidate is positive when it names a gold party of the gold count at
/// the same span in the same role, each gold party matched once (as `tally
/// eval` scores: the rules' proposals first).
fn examples_of(gold: &Doc, pred: &Doc) -> DocExamples {
    let names = GoldNames::new(gold);
    let cands = rank::candidates(pred);
    let mut labels: Vec<Option<bool>> = cands
        .iter()
        .map(|c| {
            let span = pred.counts[c.count].span;
            gold.counts.iter().any(|g| g.span == span).then_some(false)
        })
        .collect();
    let mut used = std::collections::HashSet::new();
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| !cands[i].proposed);
    for i in order {
        let c = &cands[i];
        let span = pred.counts[c.count].span;
        let Some(g) = gold.counts.iter().position(|g| g.span == span) else {
            continue;
        };
        let hit = gold.counts[g]
            .parties
            .iter()
            .enumerate()
            .position(|(j, gp)| {
                gp.role == c.role && !used.contains(&(g, j)) && names.names(gp, &c.party)
            });
        if let Some(j) = hit {
            used.insert((g, j));
            labels[i] = Some(true);
        }
    }
    DocExamples {
        cands,
        labels,
        gold: gold.counts.iter().map(|c| c.parties.len()).sum(),
    }
}

fn training_rows<'a>(docs: impl Iterator<Item = &'a DocExamples>) -> Vec<Example> {
    docs.flat_map(|d| {
        d.cands
            .iter()
            .zip(&d.labels)
            .filter_map(|(c, y)| y.map(|y| (c.features.clone(), y)))
    })
    .collect()
}

/// The thresholds tried, for kept and for added candidates (0: every
/// proposal kept).
fn thresholds() -> Vec<f32> {
    (0..=19).map(|i| i as f32 * 0.05).collect()
}

/// Attachment (tp, predicted, gold) over held-out documents for each pair
/// of thresholds (keep, add), indexed `keep * n + add`.
fn held_out_counts(ranker: &Ranker, docs: &[&DocExamples]) -> Vec<Counts> {
    let ts = thresholds();
    let n = ts.len();
    let mut out = vec![(0, 0, 0); n * n];
    for d in docs {
        for o in out.iter_mut() {
            o.2 += d.gold;
        }
        let scores: Vec<f32> = d.cands.iter().map(|c| ranker.score(&c.features)).collect();
        for (k, &tk) in ts.iter().enumerate() {
            for (a, &ta) in ts.iter().enumerate() {
                let kept = rank::decide(&d.cands, &scores, tk, ta);
                for (y, _) in d.labels.iter().zip(kept).filter(|(_, k)| *k) {
                    out[k * n + a].1 += 1;
                    out[k * n + a].0 += usize::from(*y == Some(true));
                }
            }
        }
    }
    out
}

fn f1((tp, pred, gold): Counts) -> f64 {
    if tp == 0 {
        return 0.0;
    }
    let p = tp as f64 / pred as f64;
    let r = tp as f64 / gold as f64;
    2.0 * p * r / (p + r)
}

/// (tp, predicted, gold) sums.
type Counts = (usize, usize, usize);

/// Held-out (tp, predicted, gold) for each pair of thresholds, over
/// `folds` folds of the documents (document `i` is in fold `i % folds`).
fn cross_validate(docs: &[DocExamples], opts: &RankerOptions) -> Vec<Counts> {
    let n = thresholds().len();
    let mut sums = vec![(0, 0, 0); n * n];
    for fold in 0..opts.folds {
        let in_fold = |i: usize| i % opts.folds == fold;
        let train = training_rows(
            docs.iter()
                .enumerate()
                .filter(|(i, _)| !in_fold(*i))
                .map(|(_, d)| d),
        );
        let held: Vec<&DocExamples> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| in_fold(*i))
            .map(|(_, d)| d)
            .collect();
        let r = rank::fit(&train, opts.epochs, opts.l2);
        for (s, c) in sums.iter_mut().zip(held_out_counts(&r, &held)) {
            s.0 += c.0;
            s.1 += c.1;
            s.2 += c.2;
        }
    }
    sums
}

/// The pair of thresholds (an index into `sums`) with the best F1
/// averaged with its neighbours' along `add` (the curve is flat near its
/// top: a lone peak is as likely noise as signal).
fn choose(sums: &[Counts], choose_keep: bool) -> usize {
    let n = thresholds().len();
    // Without `choose_keep`, only the first row: keep 0.
    let rows = if choose_keep { sums.len() } else { n };
    let smoothed = |i: usize| {
        let (k, a) = (i / n, i % n);
        let near: Vec<f64> = [a.wrapping_sub(1), a, a + 1]
            .into_iter()
            .filter(|&x| x < n)
            .map(|x| f1(sums[k * n + x]))
            .collect();
        near.iter().sum::<f64>() / near.len() as f64
    };
    (0..rows)
        .max_by(|&a, &b| smoothed(a).total_cmp(&smoothed(b)).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// The rules alone (every proposal kept, nothing added), and how many gold
/// attachments the candidates hold.
fn rules_alone(docs: &[DocExamples]) -> (Counts, usize) {
    let mut s = (0, 0, 0);
    let mut pool = 0;
    for d in docs {
        for (c, y) in d.cands.iter().zip(&d.labels) {
            let hit = usize::from(*y == Some(true));
            pool += hit;
            if c.proposed {
                s.0 += hit;
                s.1 += 1;
            }
        }
        s.2 += d.gold;
    }
    (s, pool)
}

/// `tally train-ranker GOLD... -o OUT`.
pub fn train_ranker_command(
    model: Option<&Path>,
    golds: &[PathBuf],
    out: &Path,
    opts: &RankerOptions,
) -> Result<bool> {
    anyhow::ensure!(opts.folds >= 2, "--folds must be at least 2");
    let pipeline = if opts.syntax {
        crate::syntax::cli::load_pipeline_with_syntax(model, None)?
    } else {
        load_pipeline(model)?
    };
    let mut docs = Vec::new();
    for g in golds {
        let gold_docs = read_gold(g)?;
        let pred_docs = predict_on_gold(Some(&pipeline), &gold_docs, &RuleSet::all())?;
        for (gd, pd) in gold_docs.iter().zip(&pred_docs) {
            docs.push(examples_of(gd, pd));
        }
    }
    let ts = thresholds();
    let n = ts.len();
    let sums = cross_validate(&docs, opts);
    let best = choose(&sums, opts.choose_keep);
    let (rules_only, pool) = rules_alone(&docs);
    crate::say!(
        "candidates hold {pool} of {} gold attachments; the rules alone: tp {} pred {} F1 {:.3}",
        rules_only.2,
        rules_only.0,
        rules_only.1,
        f1(rules_only)
    );
    for (k, tk) in ts.iter().enumerate() {
        let row: Vec<String> = (0..n)
            .map(|a| format!("{:.3}", f1(sums[k * n + a])))
            .collect();
        crate::say!("keep {tk:.2}: add {}", row.join(" "));
    }
    let rows = training_rows(docs.iter());
    let mut ranker = rank::fit(&rows, opts.epochs, opts.l2);
    ranker.keep = ts[best / n];
    ranker.add = ts[best % n];
    let files: Vec<String> = golds.iter().map(|g| g.display().to_string()).collect();
    ranker.about = format!(
        "tally train-ranker {} (epochs {}, l2 {}, {} candidates of {} documents); thresholds keep {:.2}{}, add {:.2} chosen by {}-fold cross-validation over documents (best F1 averaged with the neighbouring thresholds'): held-out attachments tp {} pred {} gold {} F1 {:.3} (the rules alone, in-sample: F1 {:.3})",
        files.join(" "),
        opts.epochs,
        opts.l2,
        rows.len(),
        docs.len(),
        ranker.keep,
        if opts.choose_keep { "" } else { " (fixed)" },
        ranker.add,
        opts.folds,
        sums[best].0,
        sums[best].1,
        sums[best].2,
        f1(sums[best]),
        f1(rules_only),
    );
    let json = serde_json::to_string_pretty(&ranker)?;
    std::fs::write(out, json + "\n").with_context(|| format!("writing {}", out.display()))?;
    crate::say!("tally: {}", ranker.about);
    crate::say!("tally: wrote {}", out.display());
    Ok(true)
}
