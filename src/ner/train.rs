//! Fine-tuning the entity model on CoNLL-2003: AdamW with warm-up and linear
//! decay, a fixed seed, evaluation on the dev file after each epoch, and the
//! best epoch's weights written as f16 safetensors.

use super::iob::{self, ConllDoc};
use super::model::{Batch, BertConfig, Dropout, Tagger};
use super::{load_tokenizer, word_pieces, NerModel, TAGS};
use crate::eval::SpanScores;
use anyhow::{bail, Context, Result};
use candle_core::{backprop::GradStore, DType, Device, Tensor, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Settings of one training run.
#[derive(Debug, Clone, Serialize, clap::Args)]
pub struct TrainArgs {
    /// CoNLL-2003 training file (four columns, IOB1 tags).
    #[arg(long)]
    pub train: PathBuf,
    /// CoNLL-2003 dev file, scored after every epoch.
    #[arg(long)]
    pub dev: PathBuf,
    /// Folder of the base encoder (config.json, tokenizer.json, model.safetensors).
    #[arg(long)]
    pub base: PathBuf,
    /// A trained model folder to continue training from.
    #[arg(long)]
    pub init: Option<PathBuf>,
    /// Where to write the best model.
    #[arg(long, default_value = "models/ner")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 5)]
    pub epochs: usize,
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Word pieces per training sequence, `[CLS]` and `[SEP]` included.
    #[arg(long, default_value_t = 128)]
    pub seq_len: usize,
    /// Peak learning rate of the pretrained encoder.
    #[arg(long, default_value_t = 1e-4)]
    pub lr: f64,
    /// Peak learning rate of the new layers (shape embedding, tag head).
    #[arg(long, default_value_t = 1e-3)]
    pub lr_new: f64,
    /// Fraction of the steps spent warming up.
    #[arg(long, default_value_t = 0.1)]
    pub warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,
    #[arg(long, default_value_t = 0.1)]
    pub dropout: f32,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stop after this many steps (0: no limit), for a quick check.
    #[arg(long, default_value_t = 0)]
    pub max_steps: usize,
    /// Score only the first N dev documents (0: all).
    #[arg(long, default_value_t = 0)]
    pub dev_docs: usize,
    /// Seconds the whole run may take (0: no limit): the schedule is
    /// shortened to end in time.
    #[arg(long, default_value_t = 0.0)]
    pub time_budget: f64,
    /// Train the word-piece embedding too (by default it stays the base
    /// model's, which makes each step cheaper).
    #[arg(long)]
    pub train_words: bool,
    /// Leave the word-shape embedding at zero (untrained): the model then
    /// sees no capitalisation, for measuring what the shape classes add.
    #[arg(long)]
    pub no_shape: bool,
}

/// One training sequence: pieces, shapes, and the tag of each word's first
/// piece (`None` elsewhere).
#[derive(Default)]
struct Example {
    ids: Vec<u32>,
    shapes: Vec<u32>,
    tags: Vec<Option<u32>>,
}

/// Packs the sentences of each document into sequences of at most
/// `max_pieces` pieces (a longer sentence is cut between words, never dropped).
fn examples(
    docs: &[ConllDoc],
    tokenizer: &tokenizers::Tokenizer,
    max_pieces: usize,
) -> Result<Vec<Example>> {
    let mut out = Vec::new();
    for doc in docs {
        let mut cur = Example::default();
        for sent in &doc.sentences {
            let words: Vec<&str> = sent.iter().map(|(w, _)| w.as_str()).collect();
            let tags: Vec<&str> = sent.iter().map(|(_, t)| t.as_str()).collect();
            let gold = iob::iob2_indices(&tags);
            let p = word_pieces(tokenizer, &words)?;
            if !cur.ids.is_empty() && cur.ids.len() + p.ids.len() > max_pieces {
                out.push(std::mem::take(&mut cur));
            }
            let mut prev_word = usize::MAX;
            for j in 0..p.ids.len() {
                if cur.ids.len() == max_pieces {
                    out.push(std::mem::take(&mut cur));
                }
                let w = p.word_of[j];
                cur.ids.push(p.ids[j]);
                cur.shapes.push(p.shapes[j]);
                cur.tags.push((w != prev_word).then_some(gold[w] as u32));
                prev_word = w;
            }
        }
        if !cur.ids.is_empty() {
            out.push(cur);
        }
    }
    Ok(out)
}

/// Masked cross-entropy summed over the tagged pieces of a micro-batch and
/// divided by `norm`, the tagged pieces of the whole batch: the gradients
/// of the micro-batches then add up to the gradient of the batch's mean.
fn loss(logits: &Tensor, tags: &[Vec<Option<u32>>], len: usize, norm: usize) -> Result<Tensor> {
    let device = logits.device();
    let mut target = Vec::with_capacity(tags.len() * len);
    let mut mask = Vec::with_capacity(tags.len() * len);
    for t in tags {
        for j in 0..len {
            let v = t.get(j).copied().flatten();
            target.push(v.unwrap_or(0));
            mask.push(if v.is_some() { 1f32 } else { 0.0 });
        }
    }
    let target = Tensor::from_vec(target, (tags.len(), len, 1), device)?;
    let mask = Tensor::from_vec(mask, (tags.len(), len), device)?;
    let logp = candle_nn::ops::log_softmax(logits, D::Minus1)?;
    let picked = logp.gather(&target, 2)?.squeeze(2)?;
    Ok(((picked * mask)?.sum_all()? * (-1.0 / norm.max(1) as f64))?)
}

/// Strict span F1 on CoNLL documents, each run as one whole document
/// (documents in parallel).
pub fn evaluate(model: &NerModel, docs: &[ConllDoc]) -> Result<SpanScores> {
    type Spans = Vec<(usize, usize, crate::doc::Label)>;
    let per_chunk: Vec<Result<Vec<(Spans, Spans)>>> = docs
        .par_chunks(4)
        .map(|chunk| {
            let seqs: Vec<Vec<&str>> = chunk.iter().map(ConllDoc::words).collect();
            let word_scores = model.word_scores(&seqs)?;
            let mut out = Vec::new();
            for (d, sc) in chunk.iter().zip(word_scores) {
                let sents: Vec<Vec<&str>> = d
                    .sentences
                    .iter()
                    .map(|s| s.iter().map(|(w, _)| w.as_str()).collect())
                    .collect();
                let refs: Vec<&[&str]> = sents.iter().map(Vec::as_slice).collect();
                for (s, pred) in d.sentences.iter().zip(model.tag_words(&refs, &sc)) {
                    let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
                    let pred: Spans = pred.into_iter().map(|(a, b, l, _)| (a, b, l)).collect();
                    out.push((iob::spans(&tags), pred));
                }
            }
            Ok(out)
        })
        .collect();
    let mut scores = SpanScores::default();
    for chunk in per_chunk {
        for (gold, pred) in chunk? {
            scores.add(&gold, &pred);
        }
    }
    Ok(scores)
}

/// Writes the model folder: config, tags, tokenizer and f16 weights.
fn save(
    out: &Path,
    config: &BertConfig,
    tokenizer: &tokenizers::Tokenizer,
    varmap: &VarMap,
    words: &Tensor,
) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut tensors: HashMap<String, Tensor> = HashMap::new();
    for (name, var) in varmap.data().lock().unwrap().iter() {
        tensors.insert(name.clone(), var.as_tensor().to_dtype(DType::F16)?);
    }
    // A frozen word-piece embedding is not in the varmap: store the base's.
    if !tensors.contains_key("embeddings.word_embeddings.weight") {
        tensors.insert(
            "embeddings.word_embeddings.weight".into(),
            words.to_dtype(DType::F16)?,
        );
    }
    // Written under another name and renamed, so that a reader never sees
    // a half-written file.
    let tmp = out.join("model.safetensors.partial");
    candle_core::safetensors::save(&tensors, &tmp)?;
    std::fs::rename(&tmp, out.join("model.safetensors"))?;
    std::fs::write(
        out.join("config.json"),
        serde_json::to_string_pretty(config)?,
    )?;
    std::fs::write(out.join("labels.json"), serde_json::to_string(&TAGS)?)?;
    tokenizer
        .save(out.join("tokenizer.json"), false)
        .map_err(|e| anyhow::anyhow!("saving the tokenizer: {e}"))?;
    Ok(())
}

#[derive(Serialize)]
struct EpochReport {
    epoch: usize,
    steps: usize,
    mean_loss: f64,
    dev_precision: f64,
    dev_recall: f64,
    dev_f1: f64,
    per_label_f1: HashMap<String, f64>,
    seconds: f64,
}

impl EpochReport {
    /// The report of an epoch from the steps so far, its mean loss, dev
    /// scores and seconds.
    fn of(epoch: usize, steps: usize, mean_loss: f64, dev: &SpanScores, seconds: f64) -> Self {
        EpochReport {
            epoch,
            steps,
            mean_loss,
            dev_precision: dev.micro.precision(),
            dev_recall: dev.micro.recall(),
            dev_f1: dev.micro.f1(),
            per_label_f1: dev
                .per_label
                .iter()
                .map(|(l, p)| (l.to_string(), p.f1()))
                .collect(),
            seconds,
        }
    }
}

/// The model being trained, with its optimisers.
struct Setup {
    config: BertConfig,
    tokenizer: tokenizers::Tokenizer,
    /// The base's word-piece embedding (saved with the model when frozen).
    words: Tensor,
    varmap: VarMap,
    tagger: Tagger,
    /// The encoder's parameters, at `--lr`.
    opt_old: AdamW,
    /// The new parameters (shape embedding, tag head), at `--lr-new`.
    opt_new: AdamW,
}

impl Setup {
    /// The base encoder (and `--init`'s weights) with a fresh shape
    /// embedding and tag head, and an optimiser for each learning rate.
    fn load(args: &TrainArgs, device: &Device) -> Result<Self> {
        let config: BertConfig = serde_json::from_str(
            &std::fs::read_to_string(args.base.join("config.json"))
                .with_context(|| format!("reading {}/config.json", args.base.display()))?,
        )?;
        let tokenizer = load_tokenizer(&args.base.join("tokenizer.json"))?;
        let base = candle_core::safetensors::load(args.base.join("model.safetensors"), device)
            .with_context(|| format!("loading {}/model.safetensors", args.base.display()))?;
        let words = base
            .get("embeddings.word_embeddings.weight")
            .context("the base model has no embeddings.word_embeddings.weight")?
            .to_dtype(DType::F32)?;
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, device);
        let frozen = (!args.train_words).then(|| words.clone());
        let tagger = Tagger::load(vb, &config, TAGS.len(), frozen)?;
        // Start from the base weights; what the base lacks (the shape embedding,
        // the tag head) keeps its fresh initialisation.
        let mut fresh = Vec::new();
        for (name, var) in varmap.data().lock().unwrap().iter() {
            match base.get(name) {
                Some(t) => var.set(&t.to_dtype(DType::F32)?)?,
                None => fresh.push(name.clone()),
            }
        }
        if let Some(init) = &args.init {
            let trained = candle_core::safetensors::load(init.join("model.safetensors"), device)
                .with_context(|| format!("loading {}/model.safetensors", init.display()))?;
            for (name, var) in varmap.data().lock().unwrap().iter() {
                if let Some(t) = trained.get(name) {
                    var.set(&t.to_dtype(DType::F32)?)?;
                    fresh.retain(|f| f != name);
                }
            }
        }
        fresh.sort();
        if args.no_shape {
            fresh.retain(|f| f != "embeddings.shape_embeddings.weight");
            crate::say!("the word-shape embedding stays at zero (--no-shape)");
        }
        crate::say!("new parameters (lr {}): {}", args.lr_new, fresh.join(", "));
        // Parameters trained before (none are new when continuing) take the
        // encoder's rate; the new ones the higher rate.
        let fresh: Vec<String> = if args.init.is_some() {
            vec![
                "classifier.weight".into(),
                "classifier.bias".into(),
                "embeddings.shape_embeddings.weight".into(),
            ]
        } else {
            fresh
        };
        let (mut old_vars, mut new_vars) = (Vec::new(), Vec::new());
        for (name, var) in varmap.data().lock().unwrap().iter() {
            if args.no_shape && name == "embeddings.shape_embeddings.weight" {
                continue;
            }
            if fresh.contains(name) {
                new_vars.push(var.clone());
            } else {
                old_vars.push(var.clone());
            }
        }
        let params = |lr| ParamsAdamW {
            lr,
            weight_decay: args.weight_decay,
            ..Default::default()
        };
        Ok(Setup {
            opt_old: AdamW::new(old_vars, params(args.lr))?,
            opt_new: AdamW::new(new_vars, params(args.lr_new))?,
            config,
            tokenizer,
            words,
            varmap,
            tagger,
        })
    }
}

/// The training sequences of `docs`, each within `[CLS]` … `[SEP]`.
fn training_data(
    args: &TrainArgs,
    docs: &[ConllDoc],
    tokenizer: &tokenizers::Tokenizer,
) -> Result<Vec<Example>> {
    let mut data = examples(docs, tokenizer, args.seq_len - 2)?;
    if data.is_empty() {
        bail!("{} holds no training sentences", args.train.display());
    }
    let cls = tokenizer.token_to_id("[CLS]").unwrap_or(101);
    let sep = tokenizer.token_to_id("[SEP]").unwrap_or(102);
    for e in &mut data {
        e.ids.insert(0, cls);
        e.ids.push(sep);
        e.shapes.insert(0, 0);
        e.shapes.push(0);
        e.tags.insert(0, None);
        e.tags.push(None);
    }
    Ok(data)
}

/// The learning-rate schedule: linear warm-up over `warmup` steps, then
/// linear decay to 0 at `total`.
struct Schedule {
    total: usize,
    warmup: usize,
}

impl Schedule {
    fn new(total: usize, warmup: f64) -> Self {
        Schedule {
            total,
            warmup: Self::warmup_steps(total, warmup),
        }
    }

    fn warmup_steps(total: usize, warmup: f64) -> usize {
        ((total as f64) * warmup).ceil().max(1.0) as usize
    }

    /// The factor of the peak learning rate at `step`.
    fn factor(&self, step: usize) -> f64 {
        if step < self.warmup {
            (step + 1) as f64 / self.warmup as f64
        } else {
            (self.total - step) as f64 / (self.total - self.warmup).max(1) as f64
        }
    }

    /// Cuts the run to the steps that fit in `left` seconds, given the
    /// seconds of a step and of a dev pass (one after each epoch, and one
    /// at the end); from `step`, the steps done.
    fn fit(
        &mut self,
        step: usize,
        per_step: f64,
        eval_cost: f64,
        left: f64,
        steps_per_epoch: usize,
        warmup: f64,
    ) {
        let mut fit = step;
        let mut time = 0.0;
        while fit < self.total {
            time += per_step;
            if (fit + 1).is_multiple_of(steps_per_epoch) {
                time += eval_cost;
            }
            if time + eval_cost > left {
                break;
            }
            fit += 1;
        }
        if fit < self.total {
            self.total = fit;
            self.warmup = self.warmup.min(Self::warmup_steps(fit, warmup));
            crate::say!("time budget: {per_step:.2} s per step, dev pass about {eval_cost:.0} s: the run is cut to {fit} steps");
        }
    }
}

/// The summed gradients and loss of one batch (the examples `chunk` of
/// `data`). Data parallelism: one micro-batch per worker thread, each with
/// its own graph, dropout stream (seeded by the step and the micro-batch)
/// and gradients, summed after.
fn batch_gradients(
    tagger: &Tagger,
    all_vars: &[candle_core::Var],
    data: &[Example],
    chunk: &[usize],
    args: &TrainArgs,
    step: usize,
) -> Result<(GradStore, f64)> {
    let device = Device::Cpu;
    let norm: usize = chunk
        .iter()
        .map(|&i| data[i].tags.iter().flatten().count())
        .sum();
    let micro = chunk
        .len()
        .div_ceil(rayon::current_num_threads().min(chunk.len()).max(1));
    let results: Vec<Result<(GradStore, f32)>> = chunk
        .par_chunks(micro)
        .enumerate()
        .map(|(m, part)| {
            let ids: Vec<Vec<u32>> = part.iter().map(|&i| data[i].ids.clone()).collect();
            let shapes: Vec<Vec<u32>> = part.iter().map(|&i| data[i].shapes.clone()).collect();
            let tags: Vec<Vec<Option<u32>>> = part.iter().map(|&i| data[i].tags.clone()).collect();
            let batch = Batch::new(&ids, &shapes, &device)?;
            let len = batch.ids.dims2()?.1;
            let mut rng =
                rand::rngs::StdRng::seed_from_u64(args.seed ^ ((step as u64) << 16) ^ m as u64);
            let mut uniform = |u: &mut [f32]| u.iter_mut().for_each(|x| *x = rng.gen());
            let drop = Dropout {
                p: args.dropout,
                uniform: std::cell::RefCell::new(&mut uniform),
            };
            let logits = tagger.forward(&batch, Some(&drop))?;
            let l = loss(&logits, &tags, len, norm)?;
            Ok((l.backward()?, l.to_scalar::<f32>()?))
        })
        .collect();
    let mut grads: Option<GradStore> = None;
    let mut lv = 0.0;
    for r in results {
        let (g, l) = r?;
        lv += l as f64;
        match grads.as_mut() {
            None => grads = Some(g),
            Some(acc) => {
                for v in all_vars {
                    if let Some(gv) = g.get(v.as_tensor()) {
                        let sum = match acc.remove(v.as_tensor()) {
                            Some(a) => (a + gv)?,
                            None => gv.clone(),
                        };
                        acc.insert(v.as_tensor(), sum);
                    }
                }
            }
        }
    }
    Ok((grads.context("an empty batch")?, lv))
}

/// Runs the fine-tuning and writes the best epoch's model to `args.out`.
pub fn train(args: &TrainArgs) -> Result<()> {
    let started = Instant::now();
    let Setup {
        config,
        tokenizer,
        words,
        varmap,
        tagger,
        mut opt_old,
        mut opt_new,
    } = Setup::load(args, &Device::Cpu)?;
    let train_docs = iob::read(&args.train)?;
    let mut dev_docs = iob::read(&args.dev)?;
    if args.dev_docs > 0 {
        dev_docs.truncate(args.dev_docs);
    }
    let data = training_data(args, &train_docs, &tokenizer)?;
    let steps_per_epoch = data.len().div_ceil(args.batch_size);
    let mut total = steps_per_epoch * args.epochs;
    if args.max_steps > 0 {
        total = total.min(args.max_steps);
    }
    let mut schedule = Schedule::new(total, args.warmup);
    let dev_pieces: usize = dev_docs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.len() * 4 / 3)
        .sum();
    crate::say!(
        "{} training documents, {} sequences, {} steps per epoch, {} steps, {} dev documents",
        train_docs.len(),
        data.len(),
        steps_per_epoch,
        total,
        dev_docs.len()
    );

    let mut rng = rand::rngs::StdRng::seed_from_u64(args.seed);
    let all_vars = varmap.all_vars();
    let model = NerModel::new(tagger, tokenizer);
    let mut best_f1 = -1.0;
    let mut reports = Vec::new();
    let mut step = 0;
    for epoch in 1..=args.epochs {
        let t0 = Instant::now();
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.shuffle(&mut rng);
        let mut loss_sum = 0.0;
        let mut loss_n = 0;
        for chunk in order.chunks(args.batch_size) {
            if step >= schedule.total {
                break;
            }
            let factor = schedule.factor(step);
            opt_old.set_learning_rate(args.lr * factor);
            opt_new.set_learning_rate(args.lr_new * factor);
            let (grads, lv) = batch_gradients(&model.tagger, &all_vars, &data, chunk, args, step)?;
            opt_old.step(&grads)?;
            opt_new.step(&grads)?;
            loss_sum += lv;
            loss_n += 1;
            step += 1;
            if args.time_budget > 0.0 && step == 10 {
                // Fit the schedule to the time left: a dev pass costs about
                // a third of a training step per piece.
                let per_step = t0.elapsed().as_secs_f64() / loss_n as f64;
                let eval_cost =
                    per_step * dev_pieces as f64 / (args.batch_size * args.seq_len) as f64 / 3.0;
                let left = args.time_budget - started.elapsed().as_secs_f64();
                schedule.fit(
                    step,
                    per_step,
                    eval_cost,
                    left,
                    steps_per_epoch,
                    args.warmup,
                );
            }
            if step % 20 == 0 || step == schedule.total {
                crate::say!(
                    "epoch {epoch} step {step}/{} loss {:.4} (mean {:.4}) lr {:.2e} {:.2} steps/s",
                    schedule.total,
                    lv,
                    loss_sum / loss_n as f64,
                    args.lr * factor,
                    loss_n as f64 / t0.elapsed().as_secs_f64()
                );
            }
        }
        let scores = evaluate(&model, &dev_docs)?;
        let f1 = scores.micro.f1();
        crate::say!(
            "epoch {epoch}: dev P {:.4} R {:.4} F1 {:.4} ({:.0} s)",
            scores.micro.precision(),
            scores.micro.recall(),
            f1,
            t0.elapsed().as_secs_f64()
        );
        reports.push(EpochReport::of(
            epoch,
            step,
            loss_sum / loss_n.max(1) as f64,
            &scores,
            t0.elapsed().as_secs_f64(),
        ));
        if f1 > best_f1 {
            best_f1 = f1;
            save(&args.out, &config, model.tokenizer(), &varmap, &words)?;
            crate::say!("saved the model of epoch {epoch} to {}", args.out.display());
        }
        write_report(args, &reports, best_f1, started)?;
        if step >= schedule.total {
            break;
        }
    }
    Ok(())
}

/// Writes OUT/train-report.json: the settings, the epochs so far, the best
/// dev F1 and the wall time.
fn write_report(
    args: &TrainArgs,
    reports: &[EpochReport],
    best_f1: f64,
    started: Instant,
) -> Result<()> {
    let report = serde_json::json!({
        "args": args,
        "epochs": reports,
        "best_dev_f1": best_f1,
        "wall_seconds": started.elapsed().as_secs_f64(),
        "threads": rayon::current_num_threads(),
    });
    std::fs::write(
        args.out.join("train-report.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    Ok(())
}

/// Averages the weights of trained models of one shape (checkpoint
/// averaging) and writes the result, with the first model's config, tags
/// and tokenizer, to `out`.
pub fn average(models: &[PathBuf], out: &Path) -> Result<()> {
    anyhow::ensure!(models.len() >= 2, "averaging needs at least two models");
    let device = Device::Cpu;
    let read = |dir: &Path, file: &str| -> Result<String> {
        std::fs::read_to_string(dir.join(file))
            .with_context(|| format!("reading {}", dir.join(file).display()))
    };
    let mut sum: Option<HashMap<String, Tensor>> = None;
    for dir in models {
        for file in ["config.json", "labels.json"] {
            if read(dir, file)? != read(&models[0], file)? {
                bail!(
                    "{} differs from {}: the models are not of one shape",
                    dir.join(file).display(),
                    models[0].join(file).display()
                );
            }
        }
        let weights = candle_core::safetensors::load(dir.join("model.safetensors"), &device)
            .with_context(|| format!("loading {}/model.safetensors", dir.display()))?;
        sum = Some(match sum {
            None => weights
                .into_iter()
                .map(|(k, t)| Ok((k, t.to_dtype(DType::F32)?)))
                .collect::<Result<_>>()?,
            Some(mut acc) => {
                anyhow::ensure!(
                    acc.len() == weights.len(),
                    "{} has other tensors than {}",
                    dir.display(),
                    models[0].display()
                );
                for (k, t) in weights {
                    let a = acc.remove(&k).with_context(|| {
                        format!(
                            "{} has a tensor {k} that {} lacks",
                            dir.display(),
                            models[0].display()
                        )
                    })?;
                    acc.insert(k, (a + t.to_dtype(DType::F32)?)?);
                }
                acc
            }
        });
    }
    let n = models.len() as f64;
    let averaged: HashMap<String, Tensor> = sum
        .unwrap_or_default()
        .into_iter()
        .map(|(k, t)| Ok((k, (t / n)?.to_dtype(DType::F16)?)))
        .collect::<Result<_>>()?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let tmp = out.join("model.safetensors.partial");
    candle_core::safetensors::save(&averaged, &tmp)?;
    std::fs::rename(&tmp, out.join("model.safetensors"))?;
    for file in ["config.json", "labels.json", "tokenizer.json"] {
        if models[0].join(file) != out.join(file) {
            std::fs::copy(models[0].join(file), out.join(file))
                .with_context(|| format!("copying {file}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(dir: &Path, value: f32) {
        std::fs::create_dir_all(dir).unwrap();
        let t = Tensor::new(&[value, 2.0 * value], &Device::Cpu)
            .unwrap()
            .to_dtype(DType::F16)
            .unwrap();
        let mut m = HashMap::new();
        m.insert("w".to_string(), t);
        candle_core::safetensors::save(&m, dir.join("model.safetensors")).unwrap();
        for f in ["config.json", "labels.json", "tokenizer.json"] {
            std::fs::write(dir.join(f), "{}").unwrap();
        }
    }

    #[test]
    fn averaging_gives_the_element_wise_mean() {
        let d = tempfile::tempdir().unwrap();
        let (a, b, out) = (d.path().join("a"), d.path().join("b"), d.path().join("out"));
        model(&a, 1.0);
        model(&b, 3.0);
        average(&[a.clone(), b], &out).unwrap();
        let w =
            candle_core::safetensors::load(out.join("model.safetensors"), &Device::Cpu).unwrap();
        let v = w["w"]
            .to_dtype(DType::F32)
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_eq!(v, vec![2.0, 4.0]);
        assert!(out.join("tokenizer.json").exists());
        // Models of another shape are refused.
        let c = d.path().join("c");
        model(&c, 1.0);
        std::fs::write(c.join("config.json"), "{\"hidden_size\": 3}").unwrap();
        assert!(average(&[a, c], &d.path().join("out2"))
            .unwrap_err()
            .to_string()
            .contains("not of one shape"));
    }
}
