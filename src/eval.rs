//! Scoring predictions against gold, as docs/FORMAT.md defines it: entities by
//! exact span and label, counts by exact span and value (with unit
//! accuracy), attachments as (count, party, role) items with party names
//! matched through aliases and the gold entities' canonical names.

use crate::doc::{Doc, Label, Role, Span};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

mod figures;
pub use figures::{conlleval_block, Format, Macro, Prf, ScoreTable, SpanScores};

/// One false positive or miss, for `--errors`.
#[derive(Debug, Clone)]
pub struct Mistake {
    pub doc: String,
    pub kind: &'static str,
    /// "false positive" or "miss".
    pub what: &'static str,
    pub span: Span,
    pub detail: String,
    pub context: String,
    /// For a false positive attachment, the rule that proposed the party
    /// (when the prediction says).
    pub rule: Option<&'static str>,
}

/// All figures of one scoring run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub documents: usize,
    /// Gold documents with no prediction (scored as predicting nothing).
    pub missing: Vec<String>,
    /// Predicted documents not in the gold file (not scored).
    pub extra: Vec<String>,
    /// Ids whose predicted text differs from the gold text (not scored).
    pub text_mismatch: Vec<String>,
    pub entities: Prf,
    pub entities_by_label: BTreeMap<Label, Prf>,
    pub counts: Prf,
    pub units_correct: usize,
    pub attachments: Prf,
    pub attachments_by_role: BTreeMap<Role, Prf>,
    /// Restatements (`mention_of`) as (count, first mention) span pairs:
    /// not part of the format's scoring, a diagnostic of the document layer.
    pub mentions: Prf,
    /// Sums (`sum_of`) as (total, parts) spans: a diagnostic too.
    pub sums: Prf,
    pub mistakes: Vec<Mistake>,
}

impl Report {
    pub fn unit_accuracy(&self) -> f64 {
        if self.counts.tp == 0 {
            if self.counts.gold == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.units_correct as f64 / self.counts.tp as f64
        }
    }

    /// Macro averages over the entity labels.
    pub fn entities_macro(&self) -> Macro {
        Macro::of(self.entities_by_label.values())
    }

    /// Macro averages over the attachment roles.
    pub fn attachments_macro(&self) -> Macro {
        Macro::of(self.attachments_by_role.values())
    }

    pub fn to_json(&self) -> Value {
        json!({
            "documents": self.documents,
            "missing_predictions": self.missing,
            "not_in_gold": self.extra,
            "text_mismatch": self.text_mismatch,
            "entities": {
                "micro": self.entities.to_json(),
                "macro": self.entities_macro().to_json(),
                "per_label": self.entities_by_label.iter().map(|(l, p)| (l.to_string(), p.to_json())).collect::<serde_json::Map<_, _>>(),
            },
            "counts": {"micro": self.counts.to_json(), "unit_accuracy": self.unit_accuracy(), "units_correct": self.units_correct},
            "mention_of": self.mentions.to_json(),
            "sum_of": self.sums.to_json(),
            "attachments": {
                "micro": self.attachments.to_json(),
                "macro": self.attachments_macro().to_json(),
                "per_role": self.attachments_by_role.iter().map(|(r, p)| (r.as_str().to_string(), p.to_json())).collect::<serde_json::Map<_, _>>(),
            },
        })
    }

    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut t = ScoreTable::new(22);
        t.line(&format!("documents scored: {}", self.documents));
        for (what, ids) in [
            ("gold documents with no prediction", &self.missing),
            ("predicted documents not in gold", &self.extra),
            (
                "documents whose text differs (not scored)",
                &self.text_mismatch,
            ),
        ] {
            if !ids.is_empty() {
                // The count and the first few; --json lists them all.
                const SHOWN: usize = 5;
                let more = if ids.len() > SHOWN { ", …" } else { "" };
                let first = ids[..ids.len().min(SHOWN)].join(", ");
                t.line(&format!("{what}: {} ({first}{more})", ids.len()));
            }
        }
        t.line("");
        t.header();
        t.row("entities", &self.entities);
        for (l, p) in &self.entities_by_label {
            t.row(&format!("  {l}"), p);
        }
        t.macro_row("  macro average", &self.entities_macro(), "class");
        t.row("counts", &self.counts);
        t.value_row(
            "  unit accuracy",
            self.unit_accuracy(),
            &format!(
                "({} of {} matched counts)",
                self.units_correct, self.counts.tp
            ),
        );
        t.row("attachments", &self.attachments);
        for (r, p) in &self.attachments_by_role {
            t.row(&format!("  {}", r.as_str()), p);
        }
        t.macro_row("  macro average", &self.attachments_macro(), "class");
        if self.mentions.gold + self.mentions.pred + self.sums.gold + self.sums.pred > 0 {
            t.row("mention_of (unscored)", &self.mentions);
            t.row("sum_of (unscored)", &self.sums);
        }
        t.finish()
    }

    /// The figures in the layout of conlleval: one block each for
    /// entities (per label), counts and attachments (per role), separated
    /// by a blank line and named by a first line `# entities` and so on.
    pub fn conlleval(&self) -> String {
        let units = format!(
            "{} document{}",
            self.documents,
            if self.documents == 1 { "" } else { "s" }
        );
        let labels: Vec<(String, &Prf)> = self
            .entities_by_label
            .iter()
            .map(|(l, p)| (l.to_string(), p))
            .collect();
        let roles: Vec<(String, &Prf)> = self
            .attachments_by_role
            .iter()
            .map(|(r, p)| (r.as_str().to_string(), p))
            .collect();
        format!(
            "# entities\n{}\n# counts\n{}\n# attachments\n{}",
            conlleval_block(&units, &self.entities, &labels),
            conlleval_block(&units, &self.counts, &[]),
            conlleval_block(&units, &self.attachments, &roles)
        )
    }
}

/// One row per gold file: documents, entity and count F1, unit accuracy,
/// attachment precision, recall and F1, and attachment F1 per role.
pub fn by_file_table(rows: &[(String, Report)]) -> String {
    let width = rows.iter().map(|(f, _)| f.len()).max().unwrap_or(4).max(4);
    let mut s = format!(
        "{:<width$} {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
        "file",
        "docs",
        "ent F1",
        "cnt F1",
        "units",
        "att P",
        "att R",
        "att F1",
        "agent",
        "affil",
        "loc"
    );
    for (file, r) in rows {
        let role = |role: Role| {
            r.attachments_by_role
                .get(&role)
                .map_or_else(|| "-".to_string(), |p| format!("{:.3}", p.f1()))
        };
        s.push_str(&format!(
            "{:<width$} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7} {:>7} {:>7}\n",
            file,
            r.documents,
            r.entities.f1(),
            r.counts.f1(),
            r.unit_accuracy(),
            r.attachments.precision(),
            r.attachments.recall(),
            r.attachments.f1(),
            role(Role::Agent),
            role(Role::Affiliation),
            role(Role::Location),
        ));
    }
    s
}

/// What switching each attachment rule off changes: one row per rule with
/// the change in attachment precision, recall and F1, and in F1 per role
/// (negative: the rule helps).
pub fn ablation_table(file: &str, all: &Report, rows: &[(&str, Report)]) -> String {
    let role_f1 = |r: &Report, role: Role| r.attachments_by_role.get(&role).map_or(0.0, Prf::f1);
    let mut s = format!(
        "{file}: attachments with every rule: P {:.3} R {:.3} F1 {:.3} (agent {:.3}, affiliation {:.3}, location {:.3})\n",
        all.attachments.precision(),
        all.attachments.recall(),
        all.attachments.f1(),
        role_f1(all, Role::Agent),
        role_f1(all, Role::Affiliation),
        role_f1(all, Role::Location),
    );
    s.push_str(&format!(
        "{:<28} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
        "without rule", "dP", "dR", "dF1", "dAgent", "dAffil", "dLoc"
    ));
    for (name, r) in rows {
        s.push_str(&format!(
            "{:<28} {:>+7.3} {:>+7.3} {:>+7.3} {:>+7.3} {:>+7.3} {:>+7.3}\n",
            name,
            r.attachments.precision() - all.attachments.precision(),
            r.attachments.recall() - all.attachments.recall(),
            r.attachments.f1() - all.attachments.f1(),
            role_f1(r, Role::Agent) - role_f1(all, Role::Agent),
            role_f1(r, Role::Affiliation) - role_f1(all, Role::Affiliation),
            role_f1(r, Role::Location) - role_f1(all, Role::Location),
        ));
    }
    s.push('\n');
    s
}

/// Lower case without a leading "the ".
fn norm_party(s: &str) -> String {
    let l = s.trim().to_lowercase();
    l.strip_prefix("the ")
        .map_or(l.clone(), |r| r.trim().to_string())
}

fn context(text: &str, span: Span) -> String {
    let mut a = span.start.saturating_sub(50);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (span.end + 50).min(text.len());
    while !text.is_char_boundary(b) {
        b += 1;
    }
    format!(
        "{}[{}]{}",
        &text[a..span.start],
        &text[span.start..span.end],
        &text[span.end..b]
    )
    .replace('\n', " ")
}

/// Scores one document, adding to `report`.
pub fn score_doc(gold: &Doc, pred: &Doc, report: &mut Report) {
    report.documents += 1;
    score_entities(gold, pred, report);
    score_counts(gold, pred, report);
    score_attachments(gold, pred, report);
    score_links(gold, pred, report);
}

/// Notes a false positive or miss of `gold`'s document, with its context.
fn note(
    report: &mut Report,
    gold: &Doc,
    kind: &'static str,
    what: &'static str,
    span: Span,
    detail: String,
) {
    report.mistakes.push(Mistake {
        doc: gold.id.clone(),
        kind,
        what,
        span,
        detail,
        context: context(&gold.text, span),
        rule: None,
    });
}

/// Entities: exact span and label.
fn score_entities(gold: &Doc, pred: &Doc, report: &mut Report) {
    for l in Label::ALL {
        let g: Vec<Span> = gold
            .entities
            .iter()
            .filter(|e| e.label == l)
            .map(|e| e.span)
            .collect();
        let p: Vec<Span> = pred
            .entities
            .iter()
            .filter(|e| e.label == l)
            .map(|e| e.span)
            .collect();
        let tp = p.iter().filter(|s| g.contains(s)).count();
        report
            .entities_by_label
            .entry(l)
            .or_default()
            .add(tp, p.len(), g.len());
        report.entities.add(tp, p.len(), g.len());
        for s in p.iter().filter(|s| !g.contains(s)) {
            note(report, gold, "entity", "false positive", *s, l.to_string());
        }
        for s in g.iter().filter(|s| !p.contains(s)) {
            note(report, gold, "entity", "miss", *s, l.to_string());
        }
    }
}

/// Counts: exact span and value; units among the matched counts.
fn score_counts(gold: &Doc, pred: &Doc, report: &mut Report) {
    let gold_counts: HashMap<Span, &crate::doc::Count> =
        gold.counts.iter().map(|c| (c.span, c)).collect();
    let mut tp = 0;
    for c in &pred.counts {
        match gold_counts.get(&c.span) {
            Some(g) if g.value == c.value => {
                tp += 1;
                if g.unit.as_deref().map(str::to_lowercase)
                    == c.unit.as_deref().map(str::to_lowercase)
                {
                    report.units_correct += 1;
                } else {
                    note(
                        report,
                        gold,
                        "unit",
                        "false positive",
                        c.span,
                        format!("unit {:?}, gold {:?}", c.unit, g.unit),
                    );
                }
            }
            Some(g) => note(
                report,
                gold,
                "count",
                "false positive",
                c.span,
                format!("value {}, gold {}", c.value, g.value),
            ),
            None => note(
                report,
                gold,
                "count",
                "false positive",
                c.span,
                format!("value {} unit {:?}", c.value, c.unit),
            ),
        }
    }
    report.counts.add(tp, pred.counts.len(), gold.counts.len());
    for g in &gold.counts {
        if !pred
            .counts
            .iter()
            .any(|c| c.span == g.span && c.value == g.value)
        {
            note(
                report,
                gold,
                "count",
                "miss",
                g.span,
                format!("value {} unit {:?}", g.value, g.unit),
            );
        }
    }
}

/// Every name that names each gold party of a document: its own, its
/// aliases, and the text and canonical name of every gold entity that
/// stands for it.
pub struct GoldNames {
    names: HashMap<String, Vec<String>>,
}

impl GoldNames {
    pub fn new(gold: &Doc) -> Self {
        let mut names: HashMap<String, Vec<String>> = HashMap::new();
        for e in &gold.entities {
            let key = norm_party(&e.canonical);
            let v = names.entry(key).or_default();
            v.push(norm_party(&gold.text[e.span.start..e.span.end]));
            v.push(norm_party(&e.canonical));
        }
        GoldNames { names }
    }

    /// Does `name` (a predicted party) name gold party `gp`?
    pub fn names(&self, gp: &crate::doc::Party, name: &str) -> bool {
        let np = norm_party(name);
        norm_party(&gp.party) == np
            || gp.aliases.iter().any(|a| norm_party(a) == np)
            || self
                .names
                .get(&norm_party(&gp.party))
                .is_some_and(|n| n.contains(&np))
    }
}

/// Attachments: (count, party, role) items, party names matched through
/// aliases and the gold entities' names.
fn score_attachments(gold: &Doc, pred: &Doc, report: &mut Report) {
    let names = GoldNames::new(gold);
    for role in Role::ALL {
        let gold_items: Vec<(Span, &crate::doc::Party)> = gold
            .counts
            .iter()
            .flat_map(|c| {
                c.parties
                    .iter()
                    .filter(|p| p.role == role)
                    .map(move |p| (c.span, p))
            })
            .collect();
        let pred_items: Vec<(Span, String, Option<&'static str>)> = pred
            .counts
            .iter()
            .flat_map(|c| {
                c.parties
                    .iter()
                    .filter(|p| p.role == role)
                    .map(move |p| (c.span, p.party.clone(), p.rule))
            })
            .collect();
        let mut used = vec![false; gold_items.len()];
        let mut tp = 0;
        for (span, party, rule) in &pred_items {
            let hit = gold_items
                .iter()
                .enumerate()
                .position(|(i, (gs, gp))| !used[i] && gs == span && names.names(gp, party));
            match hit {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                }
                None => {
                    note(
                        report,
                        gold,
                        "attachment",
                        "false positive",
                        *span,
                        format!("{} {party}", role.as_str()),
                    );
                    if let Some(m) = report.mistakes.last_mut() {
                        m.rule = *rule;
                    }
                }
            }
        }
        for (i, (span, gp)) in gold_items.iter().enumerate() {
            if !used[i] {
                note(
                    report,
                    gold,
                    "attachment",
                    "miss",
                    *span,
                    format!("{} {}", role.as_str(), gp.party),
                );
            }
        }
        report.attachments_by_role.entry(role).or_default().add(
            tp,
            pred_items.len(),
            gold_items.len(),
        );
        report
            .attachments
            .add(tp, pred_items.len(), gold_items.len());
    }
}

/// Restatements and sums (unscored diagnostics), by the spans they link.
fn score_links(gold: &Doc, pred: &Doc, report: &mut Report) {
    let links = |d: &Doc| {
        let at = |i: usize| d.counts.get(i).map(|c| c.span);
        let mentions: Vec<(Span, Option<Span>)> = d
            .counts
            .iter()
            .filter_map(|c| c.mention_of.map(|m| (c.span, at(m))))
            .collect();
        let sums: Vec<(Span, Vec<Option<Span>>)> = d
            .counts
            .iter()
            .filter(|c| !c.sum_of.is_empty())
            .map(|c| {
                let mut parts: Vec<Option<Span>> = c.sum_of.iter().map(|&i| at(i)).collect();
                parts.sort();
                (c.span, parts)
            })
            .collect();
        (mentions, sums)
    };
    let (gm, gs) = links(gold);
    let (pm, ps) = links(pred);
    report.mentions.add(
        pm.iter().filter(|x| gm.contains(x)).count(),
        pm.len(),
        gm.len(),
    );
    report.sums.add(
        ps.iter().filter(|x| gs.contains(x)).count(),
        ps.len(),
        gs.len(),
    );
}

/// Scores predicted documents against gold documents, matched by id.
pub fn score(gold: &[Doc], pred: &[Doc]) -> Report {
    let mut report = Report::default();
    let by_id: HashMap<&str, &Doc> = pred.iter().map(|d| (d.id.as_str(), d)).collect();
    let gold_ids: std::collections::HashSet<&str> = gold.iter().map(|d| d.id.as_str()).collect();
    for g in gold {
        match by_id.get(g.id.as_str()) {
            Some(p) if p.text != g.text => report.text_mismatch.push(g.id.clone()),
            Some(p) => score_doc(g, p, &mut report),
            None => {
                report.missing.push(g.id.clone());
                score_doc(g, &Doc::new(g.id.clone(), g.text.clone()), &mut report);
            }
        }
    }
    report.extra = pred
        .iter()
        .filter(|d| !gold_ids.contains(d.id.as_str()))
        .map(|d| d.id.clone())
        .collect();
    for role in Role::ALL {
        report.attachments_by_role.entry(role).or_default();
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::annotated_from_json;

    fn doc(v: Value) -> Doc {
        annotated_from_json(v).unwrap()
    }

    #[test]
    fn figures_match_a_hand_computation() {
        // Text: "GM said it will lay off 1,000 workers in Ohio and 20 in Kyiv."
        let text = "GM said it will lay off 1,000 workers in Ohio and 20 in Kyiv.";
        let gold = doc(json!({"id": "d", "text": text,
            "entities": [
                {"start": 0, "end": 2, "label": "ORG", "canonical": "General Motors"},
                {"start": 41, "end": 45, "label": "LOC"},
                {"start": 56, "end": 60, "label": "LOC"}],
            "counts": [
                {"start": 24, "end": 29, "value": 1000, "unit": "worker",
                 "parties": [{"party": "General Motors", "role": "agent"},
                             {"party": "General Motors", "role": "affiliation", "aliases": ["G.M."]},
                             {"party": "Ohio", "role": "location"}]},
                {"start": 50, "end": 52, "value": 20, "unit": "worker", "parties": [{"party": "Kyiv", "role": "location"}]}]}));
        let pred = doc(json!({"id": "d", "text": text,
            "entities": [
                {"start": 0, "end": 2, "label": "ORG"},
                {"start": 41, "end": 45, "label": "ORG"},
                {"start": 56, "end": 60, "label": "LOC"}],
            "counts": [
                {"start": 24, "end": 29, "value": 1000, "unit": "job",
                 "parties": [{"party": "GM", "role": "agent"},
                             {"party": "g.m.", "role": "affiliation"},
                             {"party": "The Ohio", "role": "location"},
                             {"party": "Ohio", "role": "agent"}]},
                {"start": 50, "end": 52, "value": 21, "unit": "worker", "parties": [{"party": "Kyiv", "role": "location"}]},
                {"start": 16, "end": 19, "value": 3, "unit": "x", "parties": []}]}));
        let r = score(&[gold], &[pred]);
        // Entities: 2 of 3 right.
        assert_eq!((r.entities.tp, r.entities.pred, r.entities.gold), (2, 3, 3));
        assert_eq!(r.entities_by_label[&Label::Loc].tp, 1);
        assert_eq!(r.entities_by_label[&Label::Org].pred, 2);
        // Counts: only 1,000 matches (20 has the wrong value, "lay" is spurious).
        assert_eq!((r.counts.tp, r.counts.pred, r.counts.gold), (1, 3, 2));
        assert_eq!(r.units_correct, 0);
        // Attachments: GM (via the entity's text), g.m. (alias), "The Ohio"
        // (leading "the" ignored) right; Ohio as agent wrong; the 20's Kyiv
        // is right because attachments need only the span.
        assert_eq!(
            (r.attachments.tp, r.attachments.pred, r.attachments.gold),
            (4, 5, 4)
        );
        assert_eq!(r.attachments_by_role[&Role::Agent].pred, 2);
        assert!((r.attachments.precision() - 0.8).abs() < 1e-12);
        assert!((r.attachments.f1() - 2.0 * 0.8 / 1.8).abs() < 1e-12);
        assert!(r
            .mistakes
            .iter()
            .any(|m| m.kind == "entity" && m.what == "miss"));
        // Macro averages over the labels that occur (LOC: P 1, R 1/2; ORG:
        // P 1/2, R 1; PER and MISC occur nowhere) and over the roles
        // (agent: P 1/2, R 1; affiliation and location: 1, 1).
        let m = r.entities_macro();
        assert_eq!(m.classes, 2);
        assert!((m.precision - 0.75).abs() < 1e-12);
        assert!((m.recall - 0.75).abs() < 1e-12);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-12);
        let m = r.attachments_macro();
        assert_eq!(m.classes, 3);
        assert!((m.precision - 2.5 / 3.0).abs() < 1e-12);
        assert!((m.recall - 1.0).abs() < 1e-12);
        assert!((m.f1 - (2.0 / 3.0 + 2.0) / 3.0).abs() < 1e-12);
        let j = r.to_json();
        assert_eq!(j["entities"]["macro"]["classes"], 2);
        assert_eq!(j["attachments"]["macro"]["recall"], 1.0);
        // The conlleval layout: percentages, found per type, and only the
        // types that occur.
        let c = r.conlleval();
        assert!(
            c.starts_with("# entities\nprocessed 1 document with 3 phrases; found: 3 phrases; correct: 2.\nprecision:  66.67%; recall:  66.67%; FB1:  66.67\n"),
            "{c}"
        );
        assert!(
            c.contains(
                "\n              LOC: precision: 100.00%; recall:  50.00%; FB1:  66.67  1\n"
            ),
            "{c}"
        );
        assert!(!c.contains("PER:"), "{c}");
        assert!(
            c.contains("# attachments\nprocessed 1 document with 4 phrases; found: 5 phrases; correct: 4.\n"),
            "{c}"
        );
    }

    #[test]
    fn macro_averages_leave_out_absent_classes_and_nothing_is_perfect() {
        let p = |tp, pred, gold| Prf { tp, pred, gold };
        let m = Macro::of(&[p(1, 1, 1), p(0, 0, 0), p(0, 2, 0)]);
        assert_eq!(m.classes, 2);
        assert!((m.precision - 0.5).abs() < 1e-12);
        assert!((m.f1 - 0.5).abs() < 1e-12, "F1 of the second class is 0");
        let none = Macro::of(&[p(0, 0, 0)]);
        assert_eq!((none.classes, none.f1), (0, 1.0));
    }

    #[test]
    fn a_missing_prediction_counts_as_nothing_found() {
        let g = doc(
            json!({"id": "a", "text": "5 men", "counts": [{"start": 0, "end": 1, "value": 5, "unit": "man", "parties": []}]}),
        );
        let r = score(&[g], &[]);
        assert_eq!(r.missing, vec!["a".to_string()]);
        assert_eq!((r.counts.tp, r.counts.gold), (0, 1));
        assert_eq!(r.counts.f1(), 0.0);
    }
}
