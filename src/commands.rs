//! The commands behind the CLI: reading (`input`), processing (`pipeline`)
//! and printing are kept apart; these functions join them.

use crate::attach::RuleSet;
use crate::doc::{Doc, Label};
use crate::eval::{self, Report};
use crate::format;
use crate::input::{self, Documents, InputError, Item};
use crate::ner::{iob, ModelSource, NerModel};
use crate::pipeline::Pipeline;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Loads the entity model from `dir` (`--model`), or as
/// [`ModelSource::resolve`] says: `$TALLY_MODEL`, else the shipped model.
pub fn load_pipeline(dir: Option<&Path>) -> Result<Pipeline> {
    let source = ModelSource::resolve(dir);
    let ner = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    Ok(Pipeline::new(ner))
}

fn progress(label: &str) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} {pos} documents, {per_sec}, {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.set_message(label.to_string());
        pb
    } else {
        ProgressBar::hidden()
    }
}

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
    /// A document whose line or file is longer than this many bytes is an
    /// error record, read past without holding it in memory.
    pub max_doc_bytes: usize,
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
        pipeline.process(&mut docs)?;
        for slot in slots {
            match slot {
                Ok(i) => {
                    format::write_record(&mut *out, &docs[i]).context("writing the output")?;
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

/// Whether a command-line path means standard input or output.
fn is_std_stream(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Whether an error comes from writing to a closed pipe (`tally … | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Refuses an output file that is also a file named as input: creating it
/// would empty the input before it is read.
fn check_not_an_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(out) = output.canonicalize() else {
        return Ok(()); // does not exist yet: it cannot be an input
    };
    for i in inputs.iter().filter(|i| !is_std_stream(i)) {
        if i.canonicalize().is_ok_and(|c| c == out) {
            anyhow::bail!(
                "{} is both an input and an output file: refusing to overwrite it",
                output.display()
            );
        }
    }
    Ok(())
}

/// An output file written atomically: under a temporary name in the same
/// directory, renamed over the real name by [`AtomicOutput::commit`]. Until
/// then an existing file keeps its old bytes; dropped without a commit
/// (a run that failed), the temporary file is removed. A destination that
/// exists and is not a regular file (`/dev/null`, a FIFO) is written
/// directly.
struct AtomicOutput {
    path: PathBuf,
    /// The temporary file; `None` when writing `path` directly.
    tmp: Option<PathBuf>,
    file: BufWriter<std::fs::File>,
}

impl AtomicOutput {
    fn create(path: &Path) -> Result<Self> {
        let cannot = |e: std::io::Error| anyhow::anyhow!("cannot create {}: {e}", path.display());
        let existing = std::fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(cannot)?;
            return Ok(AtomicOutput {
                path: path.to_path_buf(),
                tmp: None,
                file: BufWriter::new(file),
            });
        }
        let name = path
            .file_name()
            .ok_or_else(|| anyhow::anyhow!("cannot create {}: not a file name", path.display()))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tally-{}.tmp", std::process::id()));
        let tmp = path.with_file_name(tmp_name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(cannot)?;
        if let Some(m) = existing {
            // The new file keeps the old one's permissions.
            let _ = std::fs::set_permissions(&tmp, m.permissions());
        }
        Ok(AtomicOutput {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: BufWriter::new(file),
        })
    }

    /// Flushes the file and gives it its real name.
    fn commit(mut self) -> Result<()> {
        self.file
            .flush()
            .with_context(|| format!("writing {}", self.path.display()))?;
        if let Some(tmp) = self.tmp.take() {
            std::fs::rename(&tmp, &self.path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                anyhow::anyhow!(
                    "cannot rename {} to {}: {e}",
                    tmp.display(),
                    self.path.display()
                )
            })?;
        }
        Ok(())
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicOutput {
    fn drop(&mut self) {
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// A path as the file system resolves it: canonical when it exists, else
/// its canonical directory joined with its name.
fn resolved(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), p.file_name()) {
        (Ok(d), Some(n)) => d.join(n),
        _ => p.to_path_buf(),
    }
}

/// Where `extract` writes the records of documents that failed: a file
/// (`--errors FILE`), and/or the output itself (`--errors-inline`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorsTo<'a> {
    pub file: Option<&'a Path>,
    pub inline: bool,
}

/// Fails when standard output was closed when tally started
/// (`tally extract … >&-`): the Rust runtime then puts `/dev/null` there,
/// opened for reading and writing, so that every write would be lost
/// without an error and the run would look like a success. A shell's
/// `> /dev/null` opens it for writing only, and passes.
pub fn check_stdout_open() -> Result<()> {
    #[cfg(unix)]
    {
        // SAFETY: fcntl(F_GETFL) and fstat only read the descriptor's state
        // into a zeroed struct; stat reads a path given as a C string.
        let (flags, out, null) = unsafe {
            let flags = libc::fcntl(1, libc::F_GETFL);
            let mut out: libc::stat = std::mem::zeroed();
            let mut null: libc::stat = std::mem::zeroed();
            let ok =
                libc::fstat(1, &mut out) == 0 && libc::stat(c"/dev/null".as_ptr(), &mut null) == 0;
            (flags, ok.then_some(out), null)
        };
        let closed = flags == -1
            || (flags & libc::O_ACCMODE == libc::O_RDWR
                && out.is_some_and(|o| {
                    o.st_mode & libc::S_IFMT == libc::S_IFCHR && o.st_rdev == null.st_rdev
                }));
        if closed {
            anyhow::bail!(
                "standard output is closed: nothing could be written; give an output file with -o"
            );
        }
    }
    Ok(())
}

/// The `extract` command: opens the output files and reports. An output of
/// `-` (or none) is standard output. `-o FILE` and `--errors FILE` are
/// written atomically ([`AtomicOutput`]): a run that fails leaves them as
/// they were. After SIGINT or SIGTERM, the documents written so far (whole
/// lines) are kept: the files get their real names, a summary goes to
/// standard error, and the error returned is
/// [`crate::signals::Interrupted`].
pub fn extract_command(
    model: Option<&Path>,
    syntax: bool,
    inputs: &[PathBuf],
    output: Option<&Path>,
    errors_to: ErrorsTo,
    window: usize,
    max_doc_bytes: usize,
) -> Result<bool> {
    crate::signals::install();
    let errors = errors_to.file;
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
    let pipeline = if syntax {
        crate::syntax::cli::load_pipeline_with_syntax(model, None)?
    } else {
        load_pipeline(model)?
    };
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
            ExtractOptions {
                errors_inline: errors_to.inline,
                window,
                max_doc_bytes,
            },
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
    Ok(summary.errors == 0 || errors_to.inline)
}

/// Reads a gold or prediction file; `-` is standard input.
fn read_gold(path: &Path) -> Result<Vec<Doc>> {
    let (docs, errors) = if is_std_stream(path) {
        input::read_annotated_from(std::io::stdin().lock(), "-")?
    } else {
        input::read_annotated(path)?
    };
    if !errors.is_empty() {
        for e in &errors {
            crate::say!("tally: {e}");
        }
        anyhow::bail!("{} has {} bad records", path.display(), errors.len());
    }
    Ok(docs)
}

/// How `tally eval` prints: the format of the figures, and where the list
/// of mistakes goes (`--errors`): `None` nowhere, `-` standard output, else
/// a file.
#[derive(Debug, Clone, Default)]
pub struct EvalOutput {
    pub format: eval::Format,
    pub errors: Option<PathBuf>,
}

fn mistake_json(m: &eval::Mistake) -> serde_json::Value {
    serde_json::json!({"doc": m.doc, "kind": m.kind, "what": m.what, "detail": m.detail, "context": m.context})
}

fn mistake_line(m: &eval::Mistake) -> String {
    format!(
        "{} {} {} ({}): {}",
        m.doc, m.kind, m.what, m.detail, m.context
    )
}

/// The report in `format`, with the mistakes when `mistakes` is set (as a
/// "mistakes" list in JSON, else as lines after a blank line).
pub fn render_report(report: &Report, format: eval::Format, mistakes: bool) -> String {
    match format {
        eval::Format::Json => {
            let mut v = report.to_json();
            if mistakes {
                v["mistakes"] = report.mistakes.iter().map(mistake_json).collect();
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
                    s.push_str(&mistake_line(m));
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
        .write_all(render_report(report, out.format, to_stdout).as_bytes())
        .and_then(|_| stdout.flush())
        .context("writing to standard output")?;
    if let Some(path) = out.errors.as_deref().filter(|p| !is_std_stream(p)) {
        let text: String = report
            .mistakes
            .iter()
            .map(|m| match out.format {
                eval::Format::Json => format!("{}\n", mistake_json(m)),
                _ => format!("{}\n", mistake_line(m)),
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
            let pipeline = pipeline_unless(gold_entities, model)?;
            predict_on_gold(pipeline.as_ref(), &gold_docs, rules)?
        }
    };
    let report = eval::score(&gold_docs, &pred_docs);
    print_report(&report, out)?;
    Ok(true)
}

/// Runs the pipeline on the gold documents' texts: with `pipeline`, the whole
/// pipeline; without, the count and attachment rules on the gold entities.
fn predict_on_gold(
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
        None => docs.iter_mut().for_each(crate::segment::segment),
    }
    Ok(docs)
}

/// The `show` command: one HTML page for the documents of `files[0]`, or
/// `files[1]` (or the pipeline's output with `run`) against them as gold.
pub fn show_command(
    model: Option<&Path>,
    files: &[PathBuf],
    run: bool,
    output: Option<&Path>,
) -> Result<bool> {
    let first = read_gold(&files[0])?;
    let title = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" against ");
    let html = match (files.get(1), run) {
        (Some(_), true) => anyhow::bail!("show: give PRED or --run, not both"),
        (Some(pred), false) => crate::show::render(
            &read_gold(pred)?,
            Some(&first),
            &format!("{} against {}", pred.display(), files[0].display()),
        ),
        (None, true) => {
            let pipeline = load_pipeline(model)?;
            let pred = predict_on_gold(Some(&pipeline), &first, &RuleSet::all())?;
            crate::show::render(&pred, Some(&first), &format!("tally against {title}"))
        }
        (None, false) => crate::show::render(&first, None, &title),
    };
    match output {
        Some(p) if p != Path::new("-") => {
            std::fs::write(p, html).with_context(|| format!("cannot write {}", p.display()))?
        }
        _ => {
            check_stdout_open()?;
            let mut out = std::io::stdout().lock();
            out.write_all(html.as_bytes())
                .and_then(|_| out.flush())
                .context("cannot write to standard output")?;
        }
    }
    Ok(true)
}

/// The entity model, unless the gold entities stand in for it.
fn pipeline_unless(gold_entities: bool, model: Option<&Path>) -> Result<Option<Pipeline>> {
    Ok(if gold_entities {
        None
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
    json: bool,
) -> Result<bool> {
    let pipeline = pipeline_unless(gold_entities, model)?;
    let mut out = Vec::new();
    for g in golds {
        let gold_docs = read_gold(g)?;
        let base = entities_on_gold(pipeline.as_ref(), &gold_docs)?;
        let run = |rules: &RuleSet| {
            let mut docs = base.clone();
            Pipeline::counts_and_parties(&mut docs, rules);
            eval::score(&gold_docs, &docs)
        };
        let all = run(&RuleSet::all());
        let rows: Vec<(&str, Report)> = crate::attach::RULES
            .iter()
            .map(|r| {
                let off = RuleSet::without(&[r.name]).expect("a listed rule");
                (r.name, run(&off))
            })
            .collect();
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
    rules: &RuleSet,
    json: bool,
) -> Result<bool> {
    let pipeline = pipeline_unless(gold_entities, model)?;
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
    let mut scores = iob::SpanScores::default();
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
    let labels: Vec<(String, &eval::Prf)> = scores
        .per_label
        .iter()
        .map(|(l, p)| (l.to_string(), p))
        .collect();
    let macro_avg = eval::Macro::of(scores.per_label.values());
    match format {
        eval::Format::Json => {
            let per: serde_json::Map<String, serde_json::Value> = labels
                .iter()
                .map(|(l, p)| (l.clone(), p.to_json()))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"file": file.display().to_string(), "documents": docs.len(), "tokens": tokens, "micro": scores.micro.to_json(), "macro": macro_avg.to_json(), "per_label": per})
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
            println!(
                "{:<10} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
                "", "precision", "recall", "F1", "tp", "pred", "gold"
            );
            let row = |name: &str, p: &eval::Prf| {
                println!(
                    "{name:<10} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}",
                    p.precision(),
                    p.recall(),
                    p.f1(),
                    p.tp,
                    p.pred,
                    p.gold
                )
            };
            row("all", &scores.micro);
            for (l, p) in &labels {
                row(l, p);
            }
            println!(
                "{:<10} {:>9.4} {:>9.4} {:>9.4}   (mean over {} labels)",
                "macro", macro_avg.precision, macro_avg.recall, macro_avg.f1, macro_avg.classes
            );
        }
    }
    Ok(true)
}

/// The `bench` command: speed of each stage over the given documents.
pub fn bench_command(model: Option<&Path>, inputs: &[PathBuf], repeat: usize) -> Result<bool> {
    let pipeline = load_pipeline(model)?;
    let files = input::expand(inputs);
    let docs: Vec<Doc> = Documents::new(files)
        .filter_map(|i| i.ok().map(|(d, _)| d))
        .collect();
    anyhow::ensure!(!docs.is_empty(), "no documents to run on");
    let mut seg = docs.clone();
    seg.iter_mut().for_each(crate::segment::segment);
    let words: usize = seg.iter().map(|d| d.tokens.len()).sum();
    let pieces: usize = seg
        .iter()
        .map(|d| {
            let w: Vec<&str> = d.tokens.iter().map(|t| d.slice(t.span)).collect();
            crate::ner::word_pieces(pipeline.ner().tokenizer(), &w).map_or(0, |p| p.ids.len())
        })
        .sum();
    // Words as a whitespace split of the texts counts them (what other
    // tools' words/s use); tokens are this crate's tokens.
    let ws_words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let computed = &pipeline.ner().computed;
    let best = |f: &dyn Fn() -> Result<()>| -> Result<(f64, usize)> {
        let mut best = f64::MAX;
        let mut positions = 0;
        for _ in 0..repeat.max(1) {
            computed.store(0, std::sync::atomic::Ordering::Relaxed);
            let t = Instant::now();
            f()?;
            best = best.min(t.elapsed().as_secs_f64());
            positions = computed.load(std::sync::atomic::Ordering::Relaxed);
        }
        Ok((best, positions))
    };
    let t_rules = best(&|| {
        let mut d = seg.clone();
        d.iter_mut().for_each(|d| d.entities.clear());
        Pipeline::process_with_entities(&mut d);
        Ok(())
    })?;
    let t_ner = best(&|| {
        let mut d = seg.clone();
        pipeline.ner().tag_docs(&mut d)
    })?;
    let t_all = best(&|| {
        let mut d = docs.clone();
        pipeline.process(&mut d)
    })?;
    // The whole pipeline again with the syntax head on (same run, same
    // documents), when a syntax model is there.
    let with_syntax = match crate::syntax::cli::load_pipeline_with_syntax(model, None) {
        Ok(p) => Some(p),
        Err(e) => {
            crate::say!("tally: bench: no syntax row: {e:#}");
            None
        }
    };
    let t_syntax = match &with_syntax {
        Some(p) => Some(best(&|| {
            let mut d = docs.clone();
            p.process(&mut d)
        })?),
        None => None,
    };
    println!(
        "{} documents, {} words (whitespace-split), {} tokens, {} word pieces, {} threads, best of {} passes",
        docs.len(),
        ws_words,
        words,
        pieces,
        rayon::current_num_threads(),
        repeat.max(1)
    );
    println!(
        "{:<34} {:>10} {:>12} {:>12} {:>14} {:>16}",
        "stage", "seconds", "words/s", "tokens/s", "pieces/s", "encoder positions"
    );
    for (name, (t, positions)) in [
        ("rules only (no entity model)", t_rules),
        ("entity model alone", t_ner),
        ("whole pipeline", t_all),
    ]
    .into_iter()
    // The syntax pipeline has its own encoder (and counter); it computes
    // the same positions as the whole pipeline.
    .chain(t_syntax.map(|(t, _)| ("whole pipeline with syntax", (t, t_all.1))))
    {
        println!(
            "{name:<34} {t:>10.3} {:>12.0} {:>12.0} {:>14.0} {positions:>16}",
            ws_words as f64 / t,
            words as f64 / t,
            pieces as f64 / t
        );
    }
    Ok(true)
}
