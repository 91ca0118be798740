//! The figures of a scoring run and their one layout: precision, recall and
//! F1 ([`Prf`]), macro averages ([`Macro`]), strict span scores
//! ([`SpanScores`], conlleval semantics), and the printers shared by every
//! table of `tally eval` ([`ScoreTable`]) and by its conlleval layout
//! ([`conlleval_block`]).

use crate::doc::Label;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How `tally eval` prints its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a person.
    #[default]
    Table,
    /// One JSON object (pretty-printed).
    Json,
    /// The layout of CoNLL's conlleval script: a summary line, then
    /// precision, recall and FB1 overall and per type, in percent.
    Conlleval,
}

/// True positives, predictions and gold items: precision, recall and F1.
#[derive(Debug, Clone, Default)]
pub struct Prf {
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Prf {
    /// `num / den`; with nothing to divide, 1 when `other` is also 0.
    fn ratio(num: usize, den: usize, other: usize) -> f64 {
        match (den, other) {
            (0, 0) => 1.0,
            (0, _) => 0.0,
            _ => num as f64 / den as f64,
        }
    }
    pub fn precision(&self) -> f64 {
        Self::ratio(self.tp, self.pred, self.gold)
    }
    pub fn recall(&self) -> f64 {
        Self::ratio(self.tp, self.gold, self.pred)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn add(&mut self, tp: usize, pred: usize, gold: usize) {
        self.tp += tp;
        self.pred += pred;
        self.gold += gold;
    }
}

impl Prf {
    pub fn to_json(&self) -> Value {
        json!({"precision": self.precision(), "recall": self.recall(), "f1": self.f1(),
               "tp": self.tp, "predicted": self.pred, "gold": self.gold})
    }
}

/// Macro averages: the unweighted means of the precision, recall and F1 of
/// each class (entity label, attachment role) that occurs in the gold or in
/// the predictions; a class absent from both is left out. With no class at
/// all, every figure is 1, as for micro figures with nothing to find.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Macro {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// How many classes were averaged.
    pub classes: usize,
}

impl Macro {
    pub fn of<'a>(per_class: impl IntoIterator<Item = &'a Prf>) -> Macro {
        let present: Vec<&Prf> = per_class
            .into_iter()
            .filter(|p| p.pred + p.gold > 0)
            .collect();
        if present.is_empty() {
            return Macro {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0,
                classes: 0,
            };
        }
        let n = present.len() as f64;
        let mean = |f: fn(&Prf) -> f64| present.iter().map(|p| f(p)).sum::<f64>() / n;
        Macro {
            precision: mean(Prf::precision),
            recall: mean(Prf::recall),
            f1: mean(Prf::f1),
            classes: present.len(),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"precision": self.precision, "recall": self.recall, "f1": self.f1, "classes": self.classes})
    }
}

/// One block in the layout of conlleval (CoNLL's scoring script): a line
/// with the number of `units` processed and the gold, found and correct
/// items, the overall precision, recall and FB1 (in percent), then one line
/// per type with the number of items found of that type. Token accuracy,
/// which conlleval also prints, is not measured by span scoring and is left
/// out.
pub fn conlleval_block(units: &str, micro: &Prf, per_type: &[(String, &Prf)]) -> String {
    let pct = |x: f64| 100.0 * x;
    let mut s = format!(
        "processed {units} with {} phrases; found: {} phrases; correct: {}.\n",
        micro.gold, micro.pred, micro.tp
    );
    s.push_str(&format!(
        "precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}\n",
        pct(micro.precision()),
        pct(micro.recall()),
        pct(micro.f1())
    ));
    // As conlleval, only the types that occur.
    for (name, p) in per_type.iter().filter(|(_, p)| p.gold + p.pred > 0) {
        s.push_str(&format!(
            "{name:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {}\n",
            pct(p.precision()),
            pct(p.recall()),
            pct(p.f1()),
            p.pred
        ));
    }
    s
}

/// Strict span scores: micro and per label. A span is right when its
/// start, end and label all match a gold span (conlleval semantics).
#[derive(Debug, Clone, Default)]
pub struct SpanScores {
    pub micro: Prf,
    pub per_label: BTreeMap<Label, Prf>,
}

impl SpanScores {
    /// Adds one unit (sentence or document) of gold and predicted spans.
    pub fn add<T: Ord + Copy>(&mut self, gold: &[(T, T, Label)], pred: &[(T, T, Label)]) {
        for l in Label::ALL {
            let g: Vec<_> = gold.iter().filter(|x| x.2 == l).collect();
            let p: Vec<_> = pred.iter().filter(|x| x.2 == l).collect();
            let tp = p.iter().filter(|x| g.contains(x)).count();
            self.per_label
                .entry(l)
                .or_default()
                .add(tp, p.len(), g.len());
            self.micro.add(tp, p.len(), g.len());
        }
    }

    /// The per-label figures, named.
    pub fn labels(&self) -> Vec<(String, &Prf)> {
        self.per_label
            .iter()
            .map(|(l, p)| (l.to_string(), p))
            .collect()
    }

    /// Macro averages over the labels.
    pub fn macro_avg(&self) -> Macro {
        Macro::of(self.per_label.values())
    }

    /// The figures as rows of a [`ScoreTable`]: `all` (micro), one row per
    /// label, and the macro average over the labels.
    pub fn table(&self) -> String {
        let mut t = ScoreTable::new(10);
        t.header();
        t.row("all", &self.micro);
        for (l, p) in self.labels() {
            t.row(&l, p);
        }
        t.macro_row("macro", &self.macro_avg(), "label");
        t.finish()
    }
}

/// The one layout of score tables: a name column `width` wide, then
/// precision, recall and F1 to four places and the true positives,
/// predictions and gold items. Built a line at a time.
#[derive(Debug, Clone)]
pub struct ScoreTable {
    width: usize,
    out: String,
}

impl ScoreTable {
    /// An empty table whose name column is `width` characters wide.
    pub fn new(width: usize) -> Self {
        ScoreTable {
            width,
            out: String::new(),
        }
    }

    /// A line of text as it is (say a title).
    pub fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// The column names.
    pub fn header(&mut self) {
        let w = self.width;
        self.out.push_str(&format!(
            "{:<w$} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}\n",
            "", "precision", "recall", "F1", "tp", "pred", "gold"
        ));
    }

    /// One row of figures.
    pub fn row(&mut self, name: &str, p: &Prf) {
        let w = self.width;
        self.out.push_str(&format!(
            "{name:<w$} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}\n",
            p.precision(),
            p.recall(),
            p.f1(),
            p.tp,
            p.pred,
            p.gold
        ));
    }

    /// A macro average: its precision, recall and F1, and over how many
    /// classes (`class`, a singular noun: "label", "class") it was taken.
    pub fn macro_row(&mut self, name: &str, m: &Macro, class: &str) {
        let w = self.width;
        let plural = if m.classes == 1 {
            class.to_string()
        } else if class.ends_with('s') {
            format!("{class}es")
        } else {
            format!("{class}s")
        };
        self.out.push_str(&format!(
            "{name:<w$} {:>9.4} {:>9.4} {:>9.4}   (mean over {} {plural})\n",
            m.precision, m.recall, m.f1, m.classes
        ));
    }

    /// One figure in the precision column, with a note after it.
    pub fn value_row(&mut self, name: &str, value: f64, note: &str) {
        let w = self.width;
        self.out
            .push_str(&format!("{name:<w$} {value:>9.4}   {note}\n"));
    }

    /// The table's text.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_spans_score_label_and_bounds_together() {
        let mut s = SpanScores::default();
        let gold = [(0, 2, Label::Per), (2, 3, Label::Per)];
        s.add(&gold, &[(0, 2, Label::Per), (2, 3, Label::Org)]);
        assert_eq!((s.micro.tp, s.micro.pred, s.micro.gold), (1, 2, 2));
        assert!((s.micro.f1() - 0.5).abs() < 1e-9);
        // PER: P 1 R 1/2; ORG: P 0 R 0 (predicted, not in gold).
        let m = s.macro_avg();
        assert_eq!(m.classes, 2);
        assert!((m.precision - 0.5).abs() < 1e-12);
    }

    #[test]
    fn one_layout_for_every_table() {
        let p = Prf {
            tp: 1,
            pred: 2,
            gold: 4,
        };
        let mut t = ScoreTable::new(8);
        t.header();
        t.row("all", &p);
        t.macro_row("macro", &Macro::of([&p]), "class");
        t.value_row("units", 0.5, "(1 of 2)");
        assert_eq!(
            t.finish(),
            "         precision    recall        F1      tp    pred    gold\n\
             all         0.5000    0.2500    0.3333       1       2       4\n\
             macro       0.5000    0.2500    0.3333   (mean over 1 class)\n\
             units       0.5000   (1 of 2)\n"
        );
        let mut s = SpanScores::default();
        s.add(&[(0, 1, Label::Loc)], &[(0, 1, Label::Loc)]);
        let table = s.table();
        assert!(table.contains("\nLOC           1.0000"), "{table}");
        assert!(table.ends_with("(mean over 1 label)\n"), "{table}");
    }
}
