//! Part-of-speech tags and dependency trees (Universal Dependencies v2)
//! from the entity model's encoder.
//!
//! The encoder of [`crate::ner`] stays frozen: the entity tags do not
//! change, and one forward pass serves both. For each word, the hidden
//! states after encoder layers 2, 4 and 6 at its first word piece are the
//! features of a small head ([`head::Parser`]): two transformer layers over
//! the words of a sentence, a UPOS classifier, and biaffine arc and
//! relation scorers; trees are decoded with Chu-Liu/Edmonds ([`cle`]), one
//! word under the root; [`infer`] runs the head at inference without
//! candle's per-op overhead. [`train`] fits the head on CoNLL-U treebanks
//! (`tally train-syntax`), [`score`] computes UPOS, UAS and LAS as the
//! CoNLL 2018 scorer does with gold tokens, [`conllu`] reads and writes
//! the format.
//!
//! **Tokens.** The parser's words are tally's tokens ([`crate::segment`]),
//! so that every entity and count span stays exact and the features come
//! from the entity model's own pass. `segment` already splits a possessive
//! `'s` as UD does ("Russia 's"). Other contractions stay one token
//! ("don't", "I'm", "can't"): the parser, trained on UD's split words
//! ("do n't"), gives such a token one analysis, usually that of its host
//! word (AUX for "don't", PRON for "I'm"); the clitic itself gets no node.
//! In news these are rare outside quotes. With gold tokens (`tally eval
//! --conllu`, training), the treebank's words are the parser's words.
//!
//! **Long sentences.** A sentence of more than [`MAX_WORDS`] tokens (a
//! table or a list that `segment` did not break) is parsed in pieces of at
//! most that many tokens; each piece has its own root.

pub mod cle;
pub mod cli;
pub mod conllu;
pub mod head;
pub mod infer;
pub mod score;
#[cfg(feature = "train")]
pub mod train;

use crate::doc::Doc;
use crate::ner::NerModel;
use anyhow::{bail, Context, Result};
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use head::{Parser, SyntaxConfig};
use std::path::Path;

/// The longest run of tokens parsed as one tree.
pub const MAX_WORDS: usize = 256;

/// UPOS tags of Universal Dependencies v2.
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// The shipped syntax head (feature `embed-model`).
#[cfg(all(feature = "embed-model", tally_syntax_model))]
mod embedded {
    pub const CONFIG: &str = include_str!("../../models/syntax/config.json");
    pub const WEIGHTS: &[u8] = include_bytes!("../../models/syntax/model.safetensors");
}

/// One word's analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// UPOS tag.
    pub pos: String,
    /// 0 for the root, else the 1-based index of the head word in the
    /// sentence (CoNLL-U's HEAD).
    pub head: usize,
    /// Dependency relation, with its subtype (`nmod:poss`).
    pub deprel: String,
}

/// The syntax head with its label sets.
pub struct SyntaxModel {
    pub parser: Parser,
    /// The same head for inference ([`infer`]).
    fast: infer::FastHead,
}

impl SyntaxModel {
    /// Loads the head from `dir` (`config.json` and `model.safetensors`),
    /// or the one built into tally when `dir` is `None`.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        match dir {
            Some(d) => Self::load_dir(d),
            None => Self::load_shipped(),
        }
    }

    /// The head shipped with tally: built in, or without the `embed-model`
    /// feature, the crate's `models/syntax`.
    pub fn load_shipped() -> Result<Self> {
        #[cfg(all(feature = "embed-model", tally_syntax_model))]
        {
            let vb =
                VarBuilder::from_slice_safetensors(embedded::WEIGHTS, DType::F32, &Device::Cpu)
                    .context("loading the built-in syntax weights")?;
            Self::assemble(embedded::CONFIG, vb, "the built-in syntax model")
        }
        #[cfg(not(all(feature = "embed-model", tally_syntax_model)))]
        {
            Self::load_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("models")
                    .join("syntax"),
            )
        }
    }

    /// Loads `config.json` and `model.safetensors` from `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self> {
        let cfg = dir.join("config.json");
        let config =
            std::fs::read_to_string(&cfg).with_context(|| format!("reading {}", cfg.display()))?;
        let weights = dir.join("model.safetensors");
        let bytes =
            std::fs::read(&weights).with_context(|| format!("reading {}", weights.display()))?;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)
            .with_context(|| format!("loading {}", weights.display()))?;
        Self::assemble(&config, vb, &dir.display().to_string())
    }

    fn assemble(config: &str, vb: VarBuilder, what: &str) -> Result<Self> {
        let config: SyntaxConfig = serde_json::from_str(config)
            .with_context(|| format!("parsing config.json of {what}"))?;
        if config.upos.is_empty() || config.deprels.is_empty() {
            bail!("config.json of {what} lists no UPOS tags or no relations");
        }
        let parser = Parser::load(vb, &config)
            .with_context(|| format!("building the syntax head from {what}"))?;
        let fast = infer::FastHead::new(&parser, crate::ner::int8::wanted())
            .with_context(|| format!("building the syntax head from {what}"))?;
        Ok(SyntaxModel { parser, fast })
    }

    pub fn config(&self) -> &SyntaxConfig {
        &self.parser.config
    }

    /// Checks that the features come from the encoder this head was
    /// trained on: `ner_ids` names the entity model (its encoder
    /// fingerprint first, then its whole file's SHA-256, which older heads
    /// recorded).
    pub fn check_encoder(&self, ner_ids: &[String]) -> Result<()> {
        let want = &self.config().encoder_sha256;
        if want.is_empty() || ner_ids.iter().any(|id| id.is_empty() || id == want) {
            return Ok(());
        }
        let have = ner_ids.first().map(String::as_str).unwrap_or("");
        bail!(
            "the syntax model was trained on the features of entity encoder {}, not of {}: \
             run it with the entity model it was trained with",
            &want[..want.len().min(12)],
            &have[..have.len().min(12)]
        );
    }

    /// Analyses sentences given as feature rows (one `Vec<f32>` of
    /// `feat_dim` values per word).
    pub fn analyse(&self, sentences: &[&[Vec<f32>]]) -> Result<Vec<Vec<Analysis>>> {
        let f = self.config().feat_dim;
        // Long sentences in pieces of MAX_WORDS.
        let mut pieces: Vec<(usize, usize, usize)> = Vec::new(); // (sentence, start, end)
        for (s, rows) in sentences.iter().enumerate() {
            let mut a = 0;
            while a < rows.len() {
                let b = (a + MAX_WORDS).min(rows.len());
                pieces.push((s, a, b));
                a = b;
            }
        }
        let mut out: Vec<Vec<Analysis>> = sentences
            .iter()
            .map(|r| {
                vec![
                    Analysis {
                        pos: String::new(),
                        head: 0,
                        deprel: String::new()
                    };
                    r.len()
                ]
            })
            .collect();
        for (s, rows) in sentences.iter().enumerate() {
            if let Some(row) = rows.iter().find(|r| r.len() != f) {
                bail!(
                    "sentence {}: a word has {} feature values; the syntax model expects {f}",
                    s + 1,
                    row.len()
                );
            }
        }
        let slices: Vec<&[Vec<f32>]> = pieces
            .iter()
            .map(|&(s, a, b)| &sentences[s][a..b])
            .collect();
        let pred = self.fast.predict(&slices)?;
        for (&(s, a, _), words) in pieces.iter().zip(pred) {
            for (j, (u, h, r)) in words.into_iter().enumerate() {
                out[s][a + j] = Analysis {
                    pos: self.config().upos[u].clone(),
                    head: if h == 0 { 0 } else { a + h },
                    deprel: self.config().deprels[r].clone(),
                };
            }
        }
        Ok(out)
    }

    /// Analyses treebank sentences with their gold words: returns the
    /// sentences with UPOS, HEAD and DEPREL predicted (other columns kept).
    pub fn parse_conllu(
        &self,
        ner: &NerModel,
        gold: &[conllu::Sentence],
    ) -> Result<Vec<conllu::Sentence>> {
        let feats = treebank_features(ner, gold, &self.config().layers, false)?;
        let rows: Vec<&[Vec<f32>]> = feats.iter().map(Vec::as_slice).collect();
        let pred = self.analyse(&rows)?;
        Ok(gold
            .iter()
            .zip(pred)
            .map(|(s, a)| {
                let mut s = s.clone();
                for (w, a) in s.words.iter_mut().zip(a) {
                    w.upos = a.pos;
                    w.head = a.head;
                    w.deprel = a.deprel;
                }
                s
            })
            .collect())
    }

    /// Fills `doc.syntax` for documents run through the entity model with
    /// [`NerModel::tag_docs_with_features`]: `features[d][t]` is token
    /// `t` of document `d`.
    pub fn annotate(&self, docs: &mut [Doc], features: &[Vec<Vec<f32>>]) -> Result<()> {
        // The sentences of all the documents in one call: fuller batches.
        let mut sents: Vec<&[Vec<f32>]> = Vec::new();
        for (d, feats) in docs.iter().zip(features) {
            sents.extend(d.sentences.iter().map(|s| &feats[s.tokens.clone()]));
        }
        let mut res = self.analyse(&sents)?.into_iter();
        for d in docs.iter_mut() {
            let mut syn = Vec::with_capacity(d.tokens.len());
            for s in &d.sentences {
                let a = res.next().unwrap_or_default();
                for w in a {
                    syn.push(crate::doc::TokenSyntax {
                        pos: w.pos,
                        head: if w.head == 0 {
                            None
                        } else {
                            Some(s.tokens.start + w.head - 1)
                        },
                        deprel: w.deprel,
                    });
                }
            }
            d.syntax = Some(syn);
        }
        Ok(())
    }
}

/// Features of every word of treebank sentences: a document (`# newdoc`)
/// is one sequence for the encoder, cut at sentence ends into sequences
/// of at most 1,000 words, as tally runs a whole news document. With
/// `progress`, a line on standard error every 200 sequences.
pub fn treebank_features(
    ner: &NerModel,
    sentences: &[conllu::Sentence],
    layers: &[usize],
    progress: bool,
) -> Result<Vec<Vec<Vec<f32>>>> {
    // Sequences of sentence indices.
    let mut seqs: Vec<Vec<usize>> = Vec::new();
    let mut words = 0;
    for (i, s) in sentences.iter().enumerate() {
        if seqs.is_empty() || s.starts_document() || words + s.words.len() > 1000 {
            seqs.push(Vec::new());
            words = 0;
        }
        seqs.last_mut().expect("pushed above").push(i);
        words += s.words.len();
    }
    let mut out: Vec<Vec<Vec<f32>>> = vec![Vec::new(); sentences.len()];
    let started = std::time::Instant::now();
    for (k, group) in seqs.chunks(16).enumerate() {
        let texts: Vec<Vec<&str>> = group
            .iter()
            .map(|seq| {
                seq.iter()
                    .flat_map(|&i| sentences[i].words.iter().map(|w| w.form.as_str()))
                    .collect()
            })
            .collect();
        let (_, feats) = ner.word_scores_and_features(&texts, layers)?;
        for (seq, mut f) in group.iter().zip(feats) {
            let mut rest = f.drain(..);
            for &i in seq {
                out[i] = rest.by_ref().take(sentences[i].words.len()).collect();
            }
        }
        if progress && (k * 16) % 200 < 16 && k > 0 {
            eprintln!(
                "  features: {} of {} sequences, {:.0} s",
                (k + 1) * 16,
                seqs.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(out)
}

/// The encoder fingerprint of a safetensors file
/// ([`crate::ner::fingerprint`]).
pub fn encoder_sha256_of(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    crate::ner::fingerprint::encoder_fingerprint_of(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
