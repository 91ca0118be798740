//! `tally bench`: the speed of each pipeline stage, from the pipeline's own
//! timings ([`Pipeline::process_timed`]).

use super::load_pipeline;
use crate::doc::Doc;
use crate::input::{self, Documents};
use crate::pipeline::{Pipeline, Stage, Timings, NER_CHUNK};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Documents whose syntax features are held at once by [`head_alone`]
/// (a token's features are some 4.6 KB: about 120 MB for 64 news stories
/// of 400 tokens), four chunks of the pipeline's.
const HEAD_GROUP: usize = 4 * NER_CHUNK;

/// The seconds the syntax head of `p` takes over `docs` (segmented ones),
/// run as the pipeline runs it (chunks of documents in parallel), on
/// features the entity model computed beforehand, untimed, a group of
/// documents at a time.
fn head_alone(p: &Pipeline, docs: &[Doc]) -> Result<f64> {
    let syn = p
        .syntax()
        .context("the pipeline with syntax has no syntax head")?;
    let layers = &syn.config().layers;
    let mut seconds = 0.0;
    for group in docs.chunks(HEAD_GROUP) {
        let mut d = group.to_vec();
        let feats: Vec<Vec<Vec<Vec<f32>>>> = d
            .par_chunks_mut(NER_CHUNK)
            .map(|c| p.ner().tag_docs_with_features(c, layers))
            .collect::<Result<_>>()?;
        let started = Instant::now();
        d.par_chunks_mut(NER_CHUNK)
            .zip(feats.par_iter())
            .try_for_each(|(c, f)| syn.annotate(c, f))?;
        seconds += started.elapsed().as_secs_f64();
    }
    Ok(seconds)
}

/// The `bench` command: speed of each stage over the given documents, and
/// of the whole pipeline; each the best of `repeat` passes.
pub fn bench_command(model: Option<&Path>, inputs: &[PathBuf], repeat: usize) -> Result<bool> {
    let pipeline = load_pipeline(model)?;
    let files = input::expand(inputs);
    let docs: Vec<Doc> = Documents::new(files)
        .filter_map(|i| i.ok().map(|(d, _)| d))
        .collect();
    anyhow::ensure!(!docs.is_empty(), "no documents to run on");
    // The whole pipeline again with the syntax head on (same run, same
    // documents), when a syntax model is there.
    let with_syntax = match crate::syntax::cli::load_pipeline_with_syntax(model, None) {
        Ok(p) => Some(p),
        Err(e) => {
            crate::say!("tally: bench: no syntax row: {e:#}");
            None
        }
    };
    // Per stage, the best time of any pass; for the whole pipeline, the
    // best pass (document copies included, as a caller pays for them).
    // The passes with and without syntax alternate, so that a shared
    // machine's load falls on both alike.
    let mut best: Option<Timings> = None;
    let mut best_all = f64::MAX;
    let mut done = Vec::new();
    let mut best_syntax: Option<f64> = None;
    let mut best_head: Option<f64> = None;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let mut d = docs.clone();
        let t = pipeline.process_timed(&mut d)?;
        best_all = best_all.min(started.elapsed().as_secs_f64());
        best = Some(match best {
            None => t,
            Some(b) => b.best_of(&t),
        });
        done = d;
        if let Some(p) = &with_syntax {
            let started = Instant::now();
            let mut d = docs.clone();
            p.process(&mut d)?;
            let t = started.elapsed().as_secs_f64();
            best_syntax = Some(best_syntax.map_or(t, |b| b.min(t)));
            let t = head_alone(p, &d)?;
            best_head = Some(best_head.map_or(t, |b| b.min(t)));
        }
    }
    let best = best.unwrap_or_default();
    // Words as a whitespace split of the texts counts them (what other
    // tools' words/s use); tokens are this crate's tokens.
    let ws_words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let tokens: usize = done.iter().map(|d| d.tokens.len()).sum();
    let pieces: usize = done
        .iter()
        .map(|d| pipeline.ner().word_piece_count(d))
        .sum::<Result<usize>>()?;
    println!(
        "{} documents, {} words (whitespace-split), {} tokens, {} word pieces, {} threads, best of {} passes, dense layers {}",
        docs.len(),
        ws_words,
        tokens,
        pieces,
        rayon::current_num_threads(),
        repeat.max(1),
        if pipeline.ner().is_int8() { "int8" } else { "f32" }
    );
    println!(
        "{:<34} {:>10} {:>12} {:>12} {:>14} {:>16}",
        "stage", "seconds", "words/s", "tokens/s", "pieces/s", "encoder positions"
    );
    let rows = Stage::ALL
        .into_iter()
        .map(|s| {
            let name = match s {
                // The name scripts/bench.sh looks for.
                Stage::Ner => "entity model alone (ner)".to_string(),
                s => s.name().to_string(),
            };
            let positions = if s == Stage::Ner {
                best.encoder_positions
            } else {
                0
            };
            (name, best.seconds(s), positions)
        })
        .chain([(
            "whole pipeline".to_string(),
            best_all,
            best.encoder_positions,
        )])
        // The head alone runs on features the encoder gave: no positions.
        .chain(best_head.map(|t| ("syntax head alone".to_string(), t, 0)))
        // The syntax head runs on the entity model's own pass: the same
        // encoder positions.
        .chain(best_syntax.map(|t| {
            (
                "whole pipeline with syntax".to_string(),
                t,
                best.encoder_positions,
            )
        }));
    for (name, t, positions) in rows {
        let per_s = |n: usize| n as f64 / t.max(1e-9);
        println!(
            "{name:<34} {t:>10.3} {:>12.0} {:>12.0} {:>14.0} {positions:>16}",
            per_s(ws_words),
            per_s(tokens),
            per_s(pieces),
        );
    }
    Ok(true)
}
