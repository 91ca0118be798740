//! `tally eval`: scoring against gold files (one pair, by file, rule
//! ablation) and the entity model on CoNLL-2003.

use super::{check_not_an_input, is_std_stream, load_pipeline, progress, read_gold};
use crate::attach::RuleSet;
use crate::doc::{Doc, Label};
use crate::eval::{self, Report};
use crate::ner::iob;
use crate::pipeline::Pipeline;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How `tally eval` prints: the format of the figures, and where the list
/// of mistakes goes (`--errors`): `None` nowhere, `-` standard output, else
/// a file.
#[derive(Debug, Clone, Default)]
pub struct EvalOutput {
    pub format: eval::Format,
    pub errors: Option<PathBuf>,
    /// Name the rule behind each false positive attachment (`--explain`).
    pub explain: bool,
}

/// A mistake as JSON; with `explain`, a false positive attachment has
/// "rule": the rule that proposed it.
fn mistake_json(m: &eval::Mistake, explain: bool) -> serde_json::Value {
    let mut v = serde_json::json!({"doc": m.doc, "kind": m.kind, "what": m.what, "detail": m.detail, "context": m.context});
    if let (true, Some(rule)) = (explain, m.rule) {
        v["rule"] = serde_json::json!(rule);
    }
    v
}

/// A mistake as a line; with `explain`, a false positive attachment names
/// its rule: "(agent Russia; rule subject-agent)".
fn mistake_line(m: &eval::Mistake, explain: bool) -> String {
    let rule = match (explain, m.rule) {
        (true, Some(r)) => format!("; rule {r}"),
        _ => String::new(),
    };
    format!(
        "{} {} {} ({}{rule}): {}",
        m.doc, m.kind, m.what, m.detail, m.context
    )
}

/// The report in `format`, with the mistakes when `mistakes` is set (as a
/// "mistakes" list in JSON, else as lines after a blank line).
pub fn render_report(report: &Report, format: eval::Format, mistakes: bool) -> String {
    render_report_explained(report, format, mistakes, false)
}

/// [`render_report`]; with `explain`, each false positive attachment names
/// the rule that proposed it.
pub fn render_report_explained(
    report: &Report,
    format: eval::Format,
    mistakes: bool,
    explain: bool,
) -> String {
    match format {
        eval::Format::Json => {
            let mut v = report.to_json();
            if mistakes {
                v["mistakes"] = report
                    .mistakes
                    .iter()
                    .map(|m| mistake_json(m, explain))
                    .collect();
            }
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        eval::Format::Table | eval::Format::Conlleval => {
            let mut s = if format == eval::Format::Table {
                report.table()
            } else {
                report.conlleval()
            };
            if mistakes {
                s.push('\n');
                for m in &report.mistakes {
                    s.push_str(&mistake_line(m, explain));
                    s.push('\n');
                }
            }
            s
        }
    }
}

/// Refuses to write the mistakes over an input file, or over a file that
/// holds documents (its first record has a "text"): a gold or prediction
/// file given after `--errors` by mistake (`--errors GOLD PRED`).
fn check_errors_file(path: &Path, inputs: &[&Path]) -> Result<()> {
    let owned: Vec<PathBuf> = inputs.iter().map(|p| p.to_path_buf()).collect();
    check_not_an_input(path, &owned)?;
    let Ok(f) = std::fs::File::open(path) else {
        return Ok(());
    };
    use std::io::BufRead;
    let first = std::io::BufReader::new(f)
        .lines()
        .map_while(|l| l.ok())
        .find(|l| !l.trim().is_empty());
    let holds_documents = first
        .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .is_some_and(|v| v.get("text").is_some());
    anyhow::ensure!(
        !holds_documents,
        "--errors {}: the file holds documents (a gold or prediction file?): refusing to overwrite it",
        path.display()
    );
    Ok(())
}

/// Prints a scoring report in `out.format`, and the mistakes where
/// `out.errors` says: standard output (with the figures) or a file.
pub fn print_report(report: &Report, out: &EvalOutput) -> Result<()> {
    let to_stdout = out.errors.as_deref().is_some_and(is_std_stream);
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(render_report_explained(report, out.format, to_stdout, out.explain).as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing to standard output")?;
    if let Some(path) = out.errors.as_deref().filter(|p| !is_std_stream(p)) {
        let text: String = report
            .mistakes
            .iter()
            .map(|m| match out.format {
                eval::Format::Json => format!("{}\n", mistake_json(m, out.explain)),
                _ => format!("{}\n", mistake_line(m, out.explain)),
            })
            .collect();
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The `eval` command on a gold file; either file may be `-`, standard
/// input (not both).
pub fn eval_command(
    model: Option<&Path>,
    gold: &Path,
    pred: Option<&Path>,
    gold_entities: bool,
    syntax: bool,
    rules: &RuleSet,
    out: &EvalOutput,
) -> Result<bool> {
    if let Some(p) = pred {
        anyhow::ensure!(
            !(is_std_stream(gold) && is_std_stream(p)),
            "GOLD and PRED cannot both be - (standard input)"
        );
    }
    if let Some(e) = out.errors.as_deref().filter(|p| !is_std_stream(p)) {
        let inputs: Vec<&Path> = std::iter::once(gold).chain(pred).collect();
        check_errors_file(e, &inputs)?;
    }
    let gold_docs = read_gold(gold)?;
    let pred_docs = match pred {
        Some(p) => read_gold(p)?,
        None => {
            let pipeline = pipeline_unless(gold_entities, syntax, model)?;
            predict_on_gold(pipeline.as_ref(), &gold_docs, rules)?
        }
    };
    let report = eval::score(&gold_docs, &pred_docs);
    print_report(&report, out)?;
    Ok(true)
}

/// Runs the pipeline on the gold documents' texts: with `pipeline`, the whole
/// pipeline; without, the count and attachment rules on the gold entities.
pub(crate) fn predict_on_gold(
    pipeline: Option<&Pipeline>,
    gold_docs: &[Doc],
    rules: &RuleSet,
) -> Result<Vec<Doc>> {
    let mut docs = entities_on_gold(pipeline, gold_docs)?;
    Pipeline::counts_and_parties(&mut docs, rules);
    Ok(docs)
}

/// The gold texts, segmented, with their entities: the model's (with
/// `pipeline`) or the gold ones.
fn entities_on_gold(pipeline: Option<&Pipeline>, gold_docs: &[Doc]) -> Result<Vec<Doc>> {
    let mut docs: Vec<Doc> = gold_docs
        .iter()
        .map(|g| {
            let mut d = Doc::new(g.id.clone(), g.text.clone());
            if pipeline.is_none() {
                d.entities = g.entities.clone();
            }
            d
        })
        .collect();
    match pipeline {
        Some(p) => p.entities(&mut docs)?,
        None => Pipeline::segment(&mut docs),
    }
    Ok(docs)
}

/// The entity model, unless the gold entities stand in for it; with
/// `syntax`, with the syntax head too (the documents get their parse).
fn pipeline_unless(
    gold_entities: bool,
    syntax: bool,
    model: Option<&Path>,
) -> Result<Option<Pipeline>> {
    Ok(if gold_entities {
        None
    } else if syntax {
        Some(crate::syntax::cli::load_pipeline_with_syntax(model, None)?)
    } else {
        Some(load_pipeline(model)?)
    })
}

/// A gold file's name, for a table row.
fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The `eval --ablate` command: for each gold file, the figures with every
/// rule on, then what switching each attachment rule off changes.
pub fn eval_ablate_command(
    model: Option<&Path>,
    golds: &[PathBuf],
    gold_entities: bool,
    syntax: bool,
    rules: &RuleSet,
    json: bool,
) -> Result<bool> {
    let pipeline = pipeline_unless(gold_entities, syntax, model)?;
    let mut out = Vec::new();
    for g in golds {
        let gold_docs = read_gold(g)?;
        let base = entities_on_gold(pipeline.as_ref(), &gold_docs)?;
        let run = |rules: &RuleSet| {
            let mut docs = base.clone();
            Pipeline::counts_and_parties(&mut docs, rules);
            eval::score(&gold_docs, &docs)
        };
        let all = run(rules);
        let mut rows: Vec<(&str, Report)> = crate::attach::RULES
            .iter()
            .map(|r| {
                let off = RuleSet::without(&[r.name])
                    .expect("a listed rule")
                    .with_ranker(rules.ranker_arc());
                (r.name, run(&off))
            })
            .collect();
        if rules.ranker().is_some() {
            rows.push(("(ranker)", run(&RuleSet::all())));
        }
        let name = file_label(g);
        out.push((name, all, rows));
    }
    if json {
        let v: Vec<serde_json::Value> = out
            .iter()
            .map(|(f, all, rows)| {
                serde_json::json!({
                    "file": f,
                    "all_rules": all.to_json(),
                    "without": rows.iter().map(|(n, r)| (n.to_string(), r.to_json())).collect::<serde_json::Map<_, _>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for (f, all, rows) in &out {
            print!("{}", eval::ablation_table(f, all, rows));
        }
    }
    Ok(true)
}

/// The `eval --by-file` command: the pipeline on each gold file, one row each.
pub fn eval_by_file_command(
    model: Option<&Path>,
    golds: &[PathBuf],
    gold_entities: bool,
    syntax: bool,
    rules: &RuleSet,
    json: bool,
) -> Result<bool> {
    let pipeline = pipeline_unless(gold_entities, syntax, model)?;
    let mut rows = Vec::new();
    for g in golds {
        let gold_docs = read_gold(g)?;
        let pred_docs = predict_on_gold(pipeline.as_ref(), &gold_docs, rules)?;
        let name = file_label(g);
        rows.push((name, eval::score(&gold_docs, &pred_docs)));
    }
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(f, r)| serde_json::json!({"file": f, "report": r.to_json()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        print!("{}", eval::by_file_table(&rows));
    }
    Ok(true)
}

/// Builds a document from CoNLL sentences: tokens joined by spaces,
/// sentences by newlines. Returns it with the gold entity spans.
pub fn conll_document(id: String, d: &iob::ConllDoc) -> (Doc, Vec<(usize, usize, Label)>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    for (si, sent) in d.sentences.iter().enumerate() {
        if si > 0 {
            text.push('\n');
        }
        let mut starts = Vec::new();
        for (ti, (tok, _)) in sent.iter().enumerate() {
            if ti > 0 {
                text.push(' ');
            }
            starts.push((text.len(), text.len() + tok.len()));
            text.push_str(tok);
        }
        let tags: Vec<&str> = sent.iter().map(|(_, t)| t.as_str()).collect();
        for (a, b, l) in iob::spans(&tags) {
            gold.push((starts[a].0, starts[b - 1].1, l));
        }
    }
    (Doc::new(id, text), gold)
}

/// The `eval --conll` command.
pub fn eval_conll_command(model: Option<&Path>, file: &Path, format: eval::Format) -> Result<bool> {
    let pipeline = load_pipeline(model)?;
    let cdocs = iob::read(file)?;
    let tokens: usize = cdocs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.len())
        .sum();
    let (mut docs, golds): (Vec<Doc>, Vec<_>) = cdocs
        .iter()
        .enumerate()
        .map(|(i, d)| conll_document(format!("doc{}", i + 1), d))
        .unzip();
    let pb = progress("eval --conll");
    let mut scores = eval::SpanScores::default();
    for (chunk, gold) in docs.chunks_mut(32).zip(golds.chunks(32)) {
        pipeline.process(chunk)?;
        for (d, g) in chunk.iter().zip(gold) {
            let pred: Vec<(usize, usize, Label)> = d
                .entities
                .iter()
                .map(|e| (e.span.start, e.span.end, e.label))
                .collect();
            scores.add(g, &pred);
        }
        pb.inc(chunk.len() as u64);
    }
    pb.finish_and_clear();
    let labels = scores.labels();
    match format {
        eval::Format::Json => {
            let per: serde_json::Map<String, serde_json::Value> = labels
                .iter()
                .map(|(l, p)| (l.clone(), p.to_json()))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"file": file.display().to_string(), "documents": docs.len(), "tokens": tokens, "micro": scores.micro.to_json(), "macro": scores.macro_avg().to_json(), "per_label": per})
                )?
            );
        }
        eval::Format::Conlleval => print!(
            "{}",
            eval::conlleval_block(&format!("{tokens} tokens"), &scores.micro, &labels)
        ),
        eval::Format::Table => {
            println!(
                "{}: {} documents (strict spans, conlleval semantics)\n",
                file.display(),
                docs.len()
            );
            print!("{}", scores.table());
        }
    }
    Ok(true)
}
