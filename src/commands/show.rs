//! `tally show`: documents as one HTML page.

use super::eval::predict_on_gold;
use super::{check_stdout_open, load_pipeline, read_gold};
use crate::attach::RuleSet;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

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
            let pred = predict_on_gold(Some(&pipeline), &first, &RuleSet::shipped())?;
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
