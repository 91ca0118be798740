//! Adapting the entity model's tag head to a kind of news without touching
//! its encoder: `tally train-head`.
//!
//! The encoder's last hidden state at each word's first piece is computed
//! once, by the same windowed pass as inference (int8 when inference is), for
//! the words of CoNLL-2003 files (what the model was trained on, so that it
//! keeps what it knew) and of gold files (docs/FORMAT.md: the news to adapt
//! to, their words as the pipeline gives them to the model, their tags from
//! the gold entities). The linear head over those states is then refitted
//! by softmax regression (Adam, seeded shuffling), starting from the
//! model's own head and held near it by an L2 pull. Every encoder tensor is
//! written back unchanged, so the syntax head, trained on the encoder's
//! features, stays valid ([`encoder_fingerprint`]).

use super::fingerprint::encoder_fingerprint_of;
use super::iob::{self, ConllDoc};
use super::{recase_headlines, ModelSource, NerModel, TAGS};
use crate::doc::{Doc, Label};
use anyhow::{bail, Context, Result};
use candle_core::{DType, Device, Tensor};
use rand::{seq::SliceRandom, SeedableRng};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Settings of `tally train-head`.
#[derive(Debug, Clone, clap::Args)]
pub struct HeadArgs {
    /// CoNLL-2003 file whose words keep the head's general knowledge
    /// (repeatable).
    #[arg(long)]
    pub conll: Vec<PathBuf>,
    /// Gold JSONL file (docs/FORMAT.md) whose entities the head learns
    /// (repeatable).
    #[arg(long)]
    pub gold: Vec<PathBuf>,
    /// The entity model to adapt, a folder like models/ner (default:
    /// $TALLY_MODEL if set, else the model built into tally).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Where to write the adapted model (a folder like models/ner).
    #[arg(long)]
    pub out: PathBuf,
    /// Weight of a gold word against a CoNLL word in the loss.
    #[arg(long, default_value_t = 4.0)]
    pub gold_weight: f32,
    /// Passes over the words.
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f32,
    /// Pull of each head weight towards its starting value.
    #[arg(long, default_value_t = 1e-3)]
    pub l2: f32,
    /// Words per update.
    #[arg(long, default_value_t = 256)]
    pub batch: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Words to fit on: each word's features, tag (index into [`TAGS`]) and
/// weight in the loss.
#[derive(Default)]
pub struct Examples {
    pub features: Vec<Vec<f32>>,
    pub tags: Vec<usize>,
    pub weights: Vec<f32>,
}

impl Examples {
    fn push_sequences(
        &mut self,
        model: &NerModel,
        seqs: &[Vec<&str>],
        tags: &[Vec<usize>],
        weight: f32,
    ) -> Result<()> {
        let layers = [model.tagger.config.num_hidden_layers];
        // In slices, so that the features of a whole file are never all
        // in flight at once.
        for (seq, tag) in seqs.chunks(32).zip(tags.chunks(32)) {
            let (_, features) = model.word_scores_and_features(seq, &layers)?;
            for (f, t) in features.into_iter().zip(tag) {
                for (x, &y) in f.into_iter().zip(t) {
                    self.features.push(x);
                    self.tags.push(y);
                    self.weights.push(weight);
                }
            }
        }
        Ok(())
    }

    /// The words of CoNLL documents, each document one sequence (as
    /// [`super::train::evaluate`] runs them).
    pub fn add_conll(&mut self, model: &NerModel, docs: &[ConllDoc], weight: f32) -> Result<()> {
        let seqs: Vec<Vec<&str>> = docs.iter().map(ConllDoc::words).collect();
        let tags: Vec<Vec<usize>> = docs
            .iter()
            .map(|d| {
                d.sentences
                    .iter()
                    .flat_map(|s| {
                        let t: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
                        iob::iob2_indices(&t)
                    })
                    .collect()
            })
            .collect();
        self.push_sequences(model, &seqs, &tags, weight)
    }

    /// The words of segmented gold documents as the pipeline gives them to
    /// the model (headline casing undone), tagged from the gold entities.
    pub fn add_gold(&mut self, model: &NerModel, docs: &[Doc], weight: f32) -> Result<()> {
        let words: Vec<Vec<String>> = docs.iter().map(recase_headlines).collect();
        let seqs: Vec<Vec<&str>> = words
            .iter()
            .map(|d| d.iter().map(String::as_str).collect())
            .collect();
        let tags: Vec<Vec<usize>> = docs.iter().map(token_tags).collect();
        self.push_sequences(model, &seqs, &tags, weight)
    }

    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
}

/// IOB2 tag indices of a segmented document's tokens from its entities: a
/// token inside an entity's span is B- at the entity's first token, I-
/// after. A token that only overlaps an entity's edge stays O.
pub fn token_tags(doc: &Doc) -> Vec<usize> {
    let mut tags = vec![0; doc.tokens.len()];
    for e in &doc.entities {
        let base = 1 + 2 * Label::ALL.iter().position(|x| *x == e.label).unwrap_or(0);
        let mut first = true;
        for (t, tok) in doc.tokens.iter().enumerate() {
            if e.span.contains(tok.span) {
                tags[t] = if first { base } else { base + 1 };
                first = false;
            }
        }
    }
    tags
}

/// How many of a segmented document's entities start or end inside a
/// token (which [`token_tags`] cannot tag).
fn unaligned_entities(doc: &Doc) -> usize {
    doc.entities
        .iter()
        .filter(|e| {
            doc.tokens
                .iter()
                .any(|t| t.span.overlaps(e.span) && !e.span.contains(t.span))
        })
        .count()
}

/// A linear tag head: `weight` (tags × hidden, row-major) and `bias`.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub hidden: usize,
}

impl Head {
    /// Log-probabilities of the tags for one word's features.
    pub fn log_probs(&self, x: &[f32]) -> Vec<f32> {
        let mut z: Vec<f32> = (0..self.bias.len())
            .map(|k| {
                let row = &self.weight[k * self.hidden..(k + 1) * self.hidden];
                self.bias[k] + row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>()
            })
            .collect();
        let max = z.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let lse = max + z.iter().map(|v| (v - max).exp()).sum::<f32>().ln();
        z.iter_mut().for_each(|v| *v -= lse);
        z
    }

    /// The weighted mean cross-entropy of `data`.
    pub fn loss(&self, data: &Examples) -> f64 {
        let mut sum = 0.0f64;
        let mut w = 0.0f64;
        for i in 0..data.len() {
            let lp = self.log_probs(&data.features[i]);
            sum -= (data.weights[i] * lp[data.tags[i]]) as f64;
            w += data.weights[i] as f64;
        }
        sum / w.max(1e-9)
    }
}

/// Refits `start` on `data`: weighted cross-entropy plus `l2` times the
/// squared distance from `start`, minimised by Adam over shuffled batches.
/// Deterministic for a given seed.
pub fn fit(start: &Head, data: &Examples, args: &HeadArgs) -> Head {
    let mut head = start.clone();
    let n = head.weight.len() + head.bias.len();
    let (mut m, mut v) = (vec![0f32; n], vec![0f32; n]);
    let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
    let mut rng = rand::rngs::StdRng::seed_from_u64(args.seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut t = 0i32;
    let tags = head.bias.len();
    let h = head.hidden;
    for epoch in 1..=args.epochs {
        order.shuffle(&mut rng);
        for batch in order.chunks(args.batch.max(1)) {
            let mut grad = vec![0f32; n];
            let wsum: f32 = batch
                .iter()
                .map(|&i| data.weights[i])
                .sum::<f32>()
                .max(1e-9);
            for &i in batch {
                let x = &data.features[i];
                let p = head.log_probs(x);
                let w = data.weights[i] / wsum;
                for k in 0..tags {
                    let g = w * (p[k].exp() - if k == data.tags[i] { 1.0 } else { 0.0 });
                    if g == 0.0 {
                        continue;
                    }
                    let row = &mut grad[k * h..(k + 1) * h];
                    row.iter_mut().zip(x).for_each(|(r, v)| *r += g * v);
                    grad[tags * h + k] += g;
                }
            }
            for (j, g) in grad.iter_mut().enumerate() {
                let (cur, init) = if j < tags * h {
                    (head.weight[j], start.weight[j])
                } else {
                    (head.bias[j - tags * h], start.bias[j - tags * h])
                };
                *g += 2.0 * args.l2 * (cur - init);
            }
            t += 1;
            let (c1, c2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
            for j in 0..n {
                m[j] = b1 * m[j] + (1.0 - b1) * grad[j];
                v[j] = b2 * v[j] + (1.0 - b2) * grad[j] * grad[j];
                let step = args.lr * (m[j] / c1) / ((v[j] / c2).sqrt() + eps);
                if j < tags * h {
                    head.weight[j] -= step;
                } else {
                    head.bias[j - tags * h] -= step;
                }
            }
        }
        crate::say!("epoch {epoch}/{}: loss {:.4}", args.epochs, head.loss(data));
    }
    head
}

/// Reads gold files and segments their documents.
fn read_gold(paths: &[PathBuf]) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for p in paths {
        let (mut docs, errors) = crate::input::read_annotated(p)?;
        if let Some(e) = errors.first() {
            bail!("{e}");
        }
        for d in &mut docs {
            crate::segment::segment(d);
        }
        out.extend(docs);
    }
    Ok(out)
}

/// Runs `tally train-head`: reads the data, computes the features, refits
/// the head and writes the model folder `args.out`.
pub fn train_head(args: &HeadArgs) -> Result<()> {
    if args.gold.is_empty() {
        bail!("give at least one --gold file: the news the head is adapted to");
    }
    let source = ModelSource::resolve(args.model.as_deref());
    let model = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    let mut data = Examples::default();
    for p in &args.conll {
        let docs = iob::read(p)?;
        data.add_conll(&model, &docs, 1.0)?;
        crate::say!("{}: {} words so far", p.display(), data.len());
    }
    let gold = read_gold(&args.gold)?;
    if gold.is_empty() {
        bail!("the --gold files hold no documents");
    }
    let unaligned: Vec<(&str, usize)> = gold
        .iter()
        .map(|d| (d.id.as_str(), unaligned_entities(d)))
        .filter(|(_, n)| *n > 0)
        .collect();
    if !unaligned.is_empty() {
        let n: usize = unaligned.iter().map(|(_, n)| n).sum();
        let ids: Vec<&str> = unaligned.iter().take(3).map(|(id, _)| *id).collect();
        crate::say!(
            "warning: {n} gold entities start or end inside a token (documents {}{}); those tokens are tagged O",
            ids.join(", "),
            if unaligned.len() > 3 { ", …" } else { "" }
        );
    }
    data.add_gold(&model, &gold, args.gold_weight)?;
    crate::say!("{} gold documents; {} words in all", gold.len(), data.len());
    let start = head_of(&model)?;
    crate::say!("starting loss {:.4}", start.loss(&data));
    let head = fit(&start, &data, args);
    write_model(&source, &args.out, &head)
}

/// The model's tag head, as f32.
fn head_of(model: &NerModel) -> Result<Head> {
    let (w, b) = model.tagger.head_weights();
    let (tags, hidden) = w.dims2()?;
    let bias = match b {
        Some(b) => b.to_dtype(DType::F32)?.to_vec1::<f32>()?,
        None => vec![0.0; tags],
    };
    Ok(Head {
        weight: w.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?,
        bias,
        hidden,
    })
}

/// Writes the model `from` to the folder `out` with the tag head replaced
/// (in the dtype of the head it replaces, f16 as shipped); the encoder's
/// tensors are written as they were read, which is checked.
fn write_model(from: &ModelSource, out: &Path, head: &Head) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let weights = from.file("model.safetensors")?;
    let mut tensors: HashMap<String, Tensor> =
        candle_core::safetensors::load_buffer(&weights, &Device::Cpu)
            .with_context(|| format!("loading the weights of {from}"))?;
    let dtype = tensors
        .get("classifier.weight")
        .map(|t| t.dtype())
        .unwrap_or(DType::F16);
    let tags = head.bias.len();
    if tags != TAGS.len() {
        bail!(
            "the head has {tags} tags; this tally decodes {}",
            TAGS.len()
        );
    }
    tensors.insert(
        "classifier.weight".into(),
        Tensor::from_vec(head.weight.clone(), (tags, head.hidden), &Device::Cpu)?
            .to_dtype(dtype)?,
    );
    tensors.insert(
        "classifier.bias".into(),
        Tensor::from_vec(head.bias.clone(), tags, &Device::Cpu)?.to_dtype(dtype)?,
    );
    // Written under another name and renamed, so that a reader never sees
    // a half-written file.
    let tmp = out.join("model.safetensors.partial");
    candle_core::safetensors::save(&tensors, &tmp)?;
    let before = encoder_fingerprint_of(&weights).map_err(|e| anyhow::anyhow!("{from}: {e}"))?;
    let after = crate::syntax::encoder_sha256_of(&tmp)?;
    if before != after {
        bail!("the encoder changed while the head was written: {before} vs {after}");
    }
    std::fs::rename(&tmp, out.join("model.safetensors"))?;
    for f in ["config.json", "labels.json", "tokenizer.json"] {
        let p = out.join(f);
        std::fs::write(&p, from.file(f)?).with_context(|| format!("writing {}", p.display()))?;
    }
    crate::say!(
        "wrote {} (encoder {} unchanged)",
        out.display(),
        &after[..12]
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Entity, Span};

    #[test]
    fn gold_entities_tag_their_tokens_b_then_i_and_a_half_covered_token_stays_o() {
        let mut doc = Doc::new("a", "Marta Olsen of Kelvane Ltd-owned Osterby plants");
        crate::segment::segment(&mut doc);
        let ent = |a: usize, b: usize, label| Entity {
            span: Span::new(a, b),
            label,
            canonical: String::new(),
            score: None,
        };
        // "Marta Olsen" PER, "Kelvane" ORG, and a LOC that ends inside "Ltd-owned".
        doc.entities = vec![
            ent(0, 11, Label::Per),
            ent(15, 22, Label::Org),
            ent(23, 26, Label::Loc),
        ];
        let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
        let tags: Vec<&str> = token_tags(&doc).iter().map(|&t| TAGS[t]).collect();
        let pairs: Vec<(&str, &str)> = words.into_iter().zip(tags).collect();
        assert_eq!(
            &pairs[..4],
            &[
                ("Marta", "B-PER"),
                ("Olsen", "I-PER"),
                ("of", "O"),
                ("Kelvane", "B-ORG")
            ]
        );
        assert!(pairs[4..].iter().all(|(_, t)| *t == "O"), "{pairs:?}");
    }

    fn toy() -> (Head, Examples) {
        // Two features; tag 1 when the first is large, tag 3 when the second is.
        let mut data = Examples::default();
        for i in 0..40 {
            let (x, y) = if i % 2 == 0 {
                (vec![2.0, 0.0], 1)
            } else {
                (vec![0.0, 2.0], 3)
            };
            data.features.push(x);
            data.tags.push(y);
            data.weights.push(1.0);
        }
        let start = Head {
            weight: vec![0.0; TAGS.len() * 2],
            bias: vec![0.0; TAGS.len()],
            hidden: 2,
        };
        (start, data)
    }

    fn args(epochs: usize, l2: f32) -> HeadArgs {
        HeadArgs {
            conll: vec![],
            gold: vec![],
            model: None,
            out: PathBuf::new(),
            gold_weight: 1.0,
            epochs,
            lr: 0.05,
            l2,
            batch: 8,
            seed: 7,
        }
    }

    #[test]
    fn fitting_learns_the_tags_deterministically_and_l2_holds_it_near_the_start() {
        let (start, data) = toy();
        let a = fit(&start, &data, &args(20, 0.0));
        assert!(
            a.loss(&data) < 0.1 * start.loss(&data),
            "{} vs {}",
            a.loss(&data),
            start.loss(&data)
        );
        assert_eq!(a, fit(&start, &data, &args(20, 0.0)));
        let argmax = |h: &Head, x: &[f32]| {
            let p = h.log_probs(x);
            (0..p.len()).max_by(|&i, &j| p[i].total_cmp(&p[j])).unwrap()
        };
        assert_eq!(argmax(&a, &[2.0, 0.0]), 1);
        assert_eq!(argmax(&a, &[0.0, 2.0]), 3);
        let held = fit(&start, &data, &args(20, 10.0));
        let dist = |h: &Head| h.weight.iter().map(|w| w * w).sum::<f32>();
        assert!(dist(&held) < dist(&a), "{} vs {}", dist(&held), dist(&a));
        assert_eq!(fit(&start, &data, &args(0, 0.0)), start);
    }

    fn safetensors_bytes(classifier: f32, encoder: f32) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.safetensors");
        let t = |v: f32| Tensor::from_vec(vec![v; 6], (2, 3), &Device::Cpu).unwrap();
        let map: HashMap<String, Tensor> = [
            ("classifier.weight".to_string(), t(classifier)),
            ("encoder.layer.0.weight".to_string(), t(encoder)),
            ("embeddings.word_embeddings.weight".to_string(), t(1.0)),
        ]
        .into_iter()
        .collect();
        candle_core::safetensors::save(&map, &path).unwrap();
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn the_encoder_fingerprint_ignores_the_tag_head_and_nothing_else() {
        let base = encoder_fingerprint_of(&safetensors_bytes(0.5, 0.25)).unwrap();
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            encoder_fingerprint_of(&safetensors_bytes(-3.0, 0.25)).unwrap()
        );
        assert_ne!(
            base,
            encoder_fingerprint_of(&safetensors_bytes(0.5, 0.5)).unwrap()
        );
        assert!(encoder_fingerprint_of(b"not a model").is_err());
        assert!(encoder_fingerprint_of(&[255u8; 16]).is_err());
    }
}
