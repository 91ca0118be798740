//! The commands behind the CLI: reading (`input`), processing (`pipeline`)
//! and printing are kept apart; these functions join them, one module per
//! command: [`extract`](mod@extract) (with its atomic output files in
//! `atomic`), [`eval`](mod@eval), [`show`](mod@show) and
//! [`bench`](mod@bench). What they share is here.

mod atomic;
pub mod bench;
pub mod eval;
pub mod extract;
pub mod rank;
pub mod show;

pub use bench::bench_command;
pub use eval::{
    conll_document, eval_ablate_command, eval_by_file_command, eval_command, eval_conll_command,
    print_report, render_report, EvalOutput,
};
pub use extract::{extract, extract_command, ExtractOptions, ExtractSummary};
pub use show::show_command;

use crate::doc::Doc;
use crate::input;
use crate::ner::{ModelSource, NerModel};
use crate::pipeline::Pipeline;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Loads the entity model from `dir` (`--model`), or as
/// [`ModelSource::resolve`] says: `$TALLY_MODEL`, else the shipped model.
pub fn load_pipeline(dir: Option<&Path>) -> Result<Pipeline> {
    let source = ModelSource::resolve(dir);
    let ner = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    Ok(Pipeline::new(ner))
}

pub(crate) fn progress(label: &str) -> ProgressBar {
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

/// Whether a command-line path means standard input or output.
pub(crate) fn is_std_stream(p: &Path) -> bool {
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
pub(crate) fn check_not_an_input(output: &Path, inputs: &[PathBuf]) -> Result<()> {
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

/// Reads a gold or prediction file; `-` is standard input.
pub(crate) fn read_gold(path: &Path) -> Result<Vec<Doc>> {
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
