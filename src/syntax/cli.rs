//! The commands of syntax: `tally parse`, `tally eval --conllu`, and the
//! loading of the head next to the entity model for `tally extract --syntax`.

use super::conllu::{self, Sentence, Word};
use super::{score, SyntaxModel};
use crate::doc::Doc;
use crate::input::{self, Documents};
use crate::ner::{ModelSource, NerModel};
use crate::offsets::OffsetMap;
use crate::pipeline::Pipeline;
use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The encoder fingerprint ([`crate::ner::fingerprint`]) of the entity
/// model that `source` names: what a syntax head trained on its features
/// records.
pub fn encoder_sha256(source: &ModelSource) -> Result<String> {
    match source {
        ModelSource::Embedded => Ok(crate::ner::ENCODER_SHA256.to_string()),
        ModelSource::Dir(d) => super::encoder_sha256_of(&d.join("model.safetensors")),
    }
}

/// What names the entity model `source` to a syntax head: its encoder
/// fingerprint, and the SHA-256 of its whole weights file (which heads
/// trained before the fingerprint recorded).
pub fn ner_ids(source: &ModelSource) -> Result<Vec<String>> {
    match source {
        ModelSource::Embedded => Ok(vec![
            crate::ner::ENCODER_SHA256.to_string(),
            crate::ner::MODEL_SHA256.to_string(),
        ]),
        ModelSource::Dir(d) => {
            // One read of the weights for both.
            let path = d.join("model.safetensors");
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let encoder = crate::ner::fingerprint::encoder_fingerprint_of(&bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Ok(vec![encoder, super::sha256_hex(&bytes)])
        }
    }
}

/// Loads the syntax head from `dir` (or the shipped one) and checks that
/// it was trained on the features of the entity model `source`.
pub fn load_for(source: &ModelSource, dir: Option<&Path>) -> Result<SyntaxModel> {
    let syn = SyntaxModel::load(dir).context("loading the syntax model")?;
    syn.check_encoder(&ner_ids(source)?)?;
    Ok(syn)
}

/// The entity model and the syntax head, as a pipeline that fills `syntax`.
pub fn load_pipeline_with_syntax(model: Option<&Path>, syntax: Option<&Path>) -> Result<Pipeline> {
    let source = ModelSource::resolve(model);
    let ner = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    let syn = load_for(&source, syntax)?;
    Ok(Pipeline::new(ner).with_syntax(syn))
}

/// A processed document as CoNLL-U: `# newdoc id`, then per sentence
/// `# sent_id` (ID-N) and `# text`, one line per token with UPOS, HEAD and
/// DEPREL; MISC gives the token's span in code points
/// (`TokenRange=START:END`) and `SpaceAfter=No` where no space follows.
pub fn doc_to_conllu(doc: &Doc) -> Vec<Sentence> {
    let map = OffsetMap::new(&doc.text);
    let syn = doc.syntax.as_deref().unwrap_or(&[]);
    let mut out = Vec::with_capacity(doc.sentences.len());
    for (k, s) in doc.sentences.iter().enumerate() {
        let mut comments = Vec::new();
        if k == 0 {
            comments.push(format!("# newdoc id = {}", doc.id));
        }
        comments.push(format!("# sent_id = {}-{}", doc.id, k + 1));
        let text: String = doc
            .slice(s.span)
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        comments.push(format!("# text = {text}"));
        let words = s
            .tokens
            .clone()
            .map(|i| {
                let t = doc.tokens[i];
                let form: String = doc
                    .slice(t.span)
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .collect();
                let mut w = Word::new(&form);
                if let Some(a) = syn.get(i) {
                    w.upos = a.pos.clone();
                    w.head = a.head.map_or(0, |h| h + 1 - s.tokens.start);
                    w.deprel = a.deprel.clone();
                }
                let mut misc = vec![format!(
                    "TokenRange={}:{}",
                    map.to_char(t.span.start),
                    map.to_char(t.span.end)
                )];
                let next = doc.text[t.span.end..].chars().next();
                if i + 1 < s.tokens.end && !next.is_some_and(char::is_whitespace) {
                    misc.insert(0, "SpaceAfter=No".into());
                }
                w.misc = misc.join("|");
                w
            })
            .collect();
        out.push(Sentence { comments, words });
    }
    out
}

/// The `parse` command: runs tally with syntax over the inputs and writes
/// each sentence, as CoNLL-U with `conllu`, else as a table (token, UPOS,
/// relation, head token).
pub fn parse_command(
    model: Option<&Path>,
    syntax: Option<&Path>,
    inputs: &[PathBuf],
    conllu_out: bool,
) -> Result<bool> {
    let pipeline = load_pipeline_with_syntax(model, syntax)?;
    let mut ok = true;
    let mut docs = Vec::new();
    for item in Documents::new(input::expand(inputs)) {
        match item {
            Ok((d, _)) => docs.push(d),
            Err(e) => {
                crate::say!("tally: {e}");
                ok = false;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for chunk in docs.chunks_mut(32) {
        pipeline.process(chunk)?;
        for d in chunk.iter() {
            let sents = doc_to_conllu(d);
            if conllu_out {
                conllu::write(&mut out, &sents)?;
            } else {
                for s in &sents {
                    writeln!(out, "{}", s.comments.join("\n"))?;
                    for (i, w) in s.words.iter().enumerate() {
                        let head = match w.head {
                            0 => "-".to_string(),
                            h => format!("{} {}", h, s.words[h - 1].form),
                        };
                        writeln!(
                            out,
                            "{:>4} {:<20} {:<6} {:<12} {}",
                            i + 1,
                            w.form,
                            w.upos,
                            w.deprel,
                            head
                        )?;
                    }
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ok)
}

/// The `eval --conllu` command: tags and parses the treebank's own words
/// (gold tokenisation) and prints UPOS accuracy, UAS and LAS.
pub fn eval_conllu_command(
    model: Option<&Path>,
    syntax: Option<&Path>,
    file: &Path,
    json: bool,
) -> Result<bool> {
    let source = ModelSource::resolve(model);
    let ner = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    let syn = load_for(&source, syntax)?;
    let gold = conllu::read(file)?;
    let pred = syn.parse_conllu(&ner, &gold)?;
    let c = score::score(&gold, &pred)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "file": file.display().to_string(),
                "sentences": gold.len(),
                "words": c.words,
                "upos": (c.upos_pct() * 100.0).round() / 100.0,
                "uas": (c.uas_pct() * 100.0).round() / 100.0,
                "las": (c.las_pct() * 100.0).round() / 100.0,
            }))?
        );
    } else {
        println!(
            "{}: {} sentences, {} words (gold tokenisation, punctuation included)\n",
            file.display(),
            gold.len(),
            c.words
        );
        println!("{:<6} {:>7} {:>9}", "metric", "score", "correct");
        println!("{:<6} {:>7.2} {:>9}", "UPOS", c.upos_pct(), c.upos);
        println!("{:<6} {:>7.2} {:>9}", "UAS", c.uas_pct(), c.uas);
        println!("{:<6} {:>7.2} {:>9}", "LAS", c.las_pct(), c.las);
    }
    Ok(true)
}
