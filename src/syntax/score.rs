//! Tagging and parsing scores with gold tokenisation, as the CoNLL 2018
//! shared-task scorer computes them when the system's words are the gold
//! words: UPOS accuracy, UAS (right head) and LAS (right head and right
//! universal relation: the part of DEPREL before any `:` subtype, so
//! `nmod:poss` scores as `nmod`). Every word counts, punctuation included.

use super::conllu::Sentence;
use anyhow::{bail, Result};
use serde::Serialize;

/// Word counts behind the scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub words: usize,
    pub upos: usize,
    pub uas: usize,
    pub las: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.words += o.words;
        self.upos += o.upos;
        self.uas += o.uas;
        self.las += o.las;
    }
    fn pct(&self, n: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.words as f64
        }
    }
    /// UPOS accuracy, in percent.
    pub fn upos_pct(&self) -> f64 {
        self.pct(self.upos)
    }
    /// Unlabelled attachment score, in percent.
    pub fn uas_pct(&self) -> f64 {
        self.pct(self.uas)
    }
    /// Labelled attachment score, in percent.
    pub fn las_pct(&self) -> f64 {
        self.pct(self.las)
    }
}

/// The universal part of a relation: `nmod:poss` → `nmod`.
pub fn universal(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// Scores one word: (upos right, head right, head and relation right).
pub fn word_matches(gold: &super::conllu::Word, pred: &super::conllu::Word) -> (bool, bool, bool) {
    let upos = gold.upos == pred.upos;
    let uas = gold.head == pred.head;
    let las = uas && universal(&gold.deprel) == universal(&pred.deprel);
    (upos, uas, las)
}

/// Scores `pred` against `gold`: the same sentences with the same words.
pub fn score(gold: &[Sentence], pred: &[Sentence]) -> Result<Counts> {
    if gold.len() != pred.len() {
        bail!(
            "gold has {} sentences and the prediction {}: scoring needs gold tokenisation",
            gold.len(),
            pred.len()
        );
    }
    let mut c = Counts::default();
    for (k, (g, p)) in gold.iter().zip(pred).enumerate() {
        if g.words.len() != p.words.len() {
            bail!(
                "sentence {}: gold has {} words and the prediction {}",
                k + 1,
                g.words.len(),
                p.words.len()
            );
        }
        for (gw, pw) in g.words.iter().zip(&p.words) {
            if gw.form != pw.form {
                bail!(
                    "sentence {}: gold word {:?} where the prediction has {:?}",
                    k + 1,
                    gw.form,
                    pw.form
                );
            }
            let (u, h, l) = word_matches(gw, pw);
            c.words += 1;
            c.upos += u as usize;
            c.uas += h as usize;
            c.las += l as usize;
        }
    }
    Ok(c)
}
