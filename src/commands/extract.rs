//! `tally extract`: documents in, one JSONL line per document out, in
//! input order, with the records of unreadable documents where asked.

use super::atomic::{resolved, AtomicOutput};
use super::{
    check_not_an_input, check_stdout_open, is_broken_pipe, is_std_stream, load_pipeline, progress,
};
use crate::doc::Doc;
use crate::format;
use crate::input::{self, Documents, InputError, Item};
use crate::pipeline::{Pipeline, Stages};
use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `extract` did.
#[derive(Debug, Default)]
pub struct ExtractSummary {
    pub documents: usize,
    pub errors: usize,
    /// Files found in a directory that are not documents.
    pub skipped: usize,
}

/// How `extract` reads and where its per-document errors go.
#[derive(Debug, Clone, Copy)]
pub struct ExtractOptions {
    /// Also write each error record to the output, in the document's place.
    pub errors_inline: bool,
    /// Documents processed together (at least 1).
    pub window: usize,
    /// Write with each party the rule that proposed it ("rule").
    pub explain: bool,
    /// Also tag and parse (the syntax head on the entity model's pass):
    /// each document gets a "tokens" field, and the attachment rules that
    /// read the parse run.
    pub syntax: bool,
    /// A document whose line or file is longer than this many bytes is an
    /// error record, read past without holding it in memory.
    pub max_doc_bytes: usize,
    /// Let every proposal of the attachment rules stand (no ranker).
    pub no_ranker: bool,
}

/// Runs the pipeline over `inputs`, writing one JSONL line per document to
/// `out` in input order, and one record per unreadable document to
/// `errors_out`, and also to `out` in the document's place when
/// `opts.errors_inline` is set. Memory holds at most `opts.window` documents at a time; both
/// outputs are flushed after each window, and a window ends early when
/// standard input has nothing more ready, so that `tally extract -` works
/// as a long-lived filter.
pub fn extract(
    pipeline: &Pipeline,
    inputs: &[PathBuf],
    out: &mut dyn Write,
    mut errors_out: Option<&mut dyn Write>,
    opts: ExtractOptions,
    exclude: &[PathBuf],
) -> Result<ExtractSummary> {
    let mut summary = ExtractSummary::default();
    let report = |e: &InputError, errors_out: &mut Option<&mut dyn Write>| -> Result<()> {
        crate::say!("tally: {e}");
        if let Some(w) = errors_out.as_mut() {
            writeln!(w, "{}", e.record_line()).context("writing the errors file")?;
        }
        Ok(())
    };
    // The output files themselves are never read as input, even when they
    // lie in an input directory.
    // Only real files are compared: "-" is standard input or output.
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter(|p| !is_std_stream(p))
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let files: Vec<input::InputFile> = input::expand(inputs)
        .into_iter()
        .filter(|f| {
            is_std_stream(&f.path)
                || f.path
                    .canonicalize()
                    .map_or(true, |c| !excluded.contains(&c))
        })
        .collect();
    let pb = progress("extract");
    let mut docs_iter = Documents::new(files).max_doc_bytes(opts.max_doc_bytes);
    loop {
        // A window ends when it is full, or when the input would make us
        // wait (a filter on standard input): what was read is written first.
        let mut items: Vec<Item> = Vec::new();
        while items.len() < opts.window.max(1) {
            match docs_iter.next() {
                Some(item) => items.push(item),
                None => break,
            }
            if docs_iter.idle() {
                break;
            }
        }
        if items.is_empty() {
            break;
        }
        // Process the readable documents of the window together.
        let mut docs: Vec<Doc> = Vec::new();
        let mut slots: Vec<Result<usize, InputError>> = Vec::new();
        for item in items {
            match item {
                Ok((d, _)) => {
                    slots.push(Ok(docs.len()));
                    docs.push(d);
                }
                Err(e) => slots.push(Err(e)),
            }
        }
        let rules = if opts.no_ranker {
            crate::attach::RuleSet::all()
        } else {
            crate::attach::RuleSet::shipped()
        };
        pipeline.process_with_rules(&mut docs, &rules)?;
        for slot in slots {
            match slot {
                Ok(i) => {
                    format::write_record_explained(&mut *out, &docs[i], opts.explain)
                        .context("writing the output")?;
                    out.write_all(b"\n").context("writing the output")?;
                    summary.documents += 1;
                }
                Err(e) => {
                    report(&e, &mut errors_out)?;
                    if opts.errors_inline {
                        writeln!(out, "{}", e.record_line()).context("writing the output")?;
                    }
                    if e.skipped {
                        summary.skipped += 1;
                    } else {
                        summary.errors += 1;
                    }
                }
            }
            pb.inc(1);
        }
        // Each window reaches the reader as soon as it is done.
        out.flush().context("writing the output")?;
        if let Some(w) = errors_out.as_mut() {
            w.flush().context("writing the errors file")?;
        }
    }
    pb.finish_and_clear();
    Ok(summary)
}

/// The `extract` command: opens the output files, runs the pipeline's
/// `stages` and reports. The records of documents that failed go to
/// `errors` (`--errors FILE`), and/or to the output itself when
/// `opts.errors_inline` is set. An output of `-` (or none) is standard output. `-o FILE` and `--errors FILE` are
/// written atomically ([`AtomicOutput`]): a run that fails leaves them as
/// they were. After SIGINT or SIGTERM, the documents written so far (whole
/// lines) are kept: the files get their real names, a summary goes to
/// standard error, and the error returned is
/// [`crate::signals::Interrupted`].
pub fn extract_command(
    model: Option<&Path>,
    inputs: &[PathBuf],
    output: Option<&Path>,
    errors: Option<&Path>,
    opts: ExtractOptions,
    stages: Stages,
) -> Result<bool> {
    crate::signals::install();
    if errors.is_some_and(is_std_stream) {
        anyhow::bail!(
            "--errors -: to write error records to standard output, in the documents' places, use --errors-inline"
        );
    }
    let output = output.filter(|p| !is_std_stream(p));
    for p in output.into_iter().chain(errors) {
        check_not_an_input(p, inputs)?;
    }
    if let (Some(o), Some(e)) = (output, errors) {
        if resolved(o) == resolved(e) {
            anyhow::bail!(
                "-o {} and --errors {} are the same file: give them different names",
                o.display(),
                e.display()
            );
        }
    }
    if output.is_none() {
        check_stdout_open()?;
    }
    // Both files are opened (under temporary names) before anything is
    // read, so that an unwritable one stops the run at once.
    let mut out_file = output.map(AtomicOutput::create).transpose()?;
    let mut err_file = errors.map(AtomicOutput::create).transpose()?;
    let pipeline = if opts.syntax {
        crate::syntax::cli::load_pipeline_with_syntax(model, None)?
    } else {
        load_pipeline(model)?
    }
    .with_stages(stages);
    // Neither the outputs nor their temporary files are read as input.
    let exclude: Vec<PathBuf> = [&out_file, &err_file]
        .into_iter()
        .flatten()
        .flat_map(|f| std::iter::once(f.path.clone()).chain(f.tmp.clone()))
        .collect();
    let mut stdout = BufWriter::new(std::io::stdout().lock());
    let started = Instant::now();
    let result = {
        let out: &mut dyn Write = match out_file.as_mut() {
            Some(f) => f,
            None => &mut stdout,
        };
        extract(
            &pipeline,
            inputs,
            out,
            err_file.as_mut().map(|w| w as &mut dyn Write),
            opts,
            &exclude,
        )
    };
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            // A closed pipe on standard output ends the run quietly, with
            // the errors found so far kept.
            if is_broken_pipe(&e) {
                if let Some(f) = err_file {
                    f.commit()?;
                }
            }
            return Err(e);
        }
    };
    stdout.flush().context("writing the output")?;
    if let Some(f) = out_file {
        f.commit()?;
    }
    if let Some(f) = err_file {
        f.commit()?;
    }
    let skipped = match summary.skipped {
        0 => String::new(),
        1 => ", 1 file skipped".into(),
        n => format!(", {n} files skipped"),
    };
    let done = format!(
        "{} documents written, {} failed{skipped}, in {:.1} s",
        summary.documents,
        summary.errors,
        started.elapsed().as_secs_f64()
    );
    if let Some(signal) = crate::signals::received() {
        let e = crate::signals::Interrupted { signal };
        crate::say!("tally: {e}: stopped reading; {done}");
        return Err(e.into());
    }
    crate::say!("tally: {done}");
    // With --errors-inline the failed documents are in the output: the run
    // did what was asked.
    Ok(summary.errors == 0 || opts.errors_inline)
}
