//! Training the syntax head (`tally train-syntax`) on CoNLL-U treebanks.
//!
//! The entity model's encoder is frozen, so each treebank's word features
//! are computed once and cached on disk (`--cache`, f16 safetensors, about
//! 2.3 KB per word); epochs then run only the head. AdamW with a linear
//! warm-up and a linear decay to zero over `--epochs`, gradient norm
//! clipped at 5. After every epoch: the dev file is scored (UPOS, UAS,
//! LAS), a checkpoint with the optimiser state is written to
//! `OUT/checkpoint/` (`--resume OUT` carries on from it), the best epoch by
//! dev LAS is written to `OUT/` as f16 weights with `config.json`, and a
//! line with the wall time of the epoch goes to standard error and to
//! `OUT/train.log`.
//!
//! **Repeatable.** `--seed` seeds the head's initial weights
//! ([`SeededInit`]: candle's own draws on the CPU cannot be seeded), the
//! order of the batches and the dropout masks, the last two per epoch: two
//! runs with the same seed and data write the same checkpoint, and a run
//! stopped (`--stop-after`) and resumed writes what an uninterrupted one
//! would.
//!
//! **Extending a run.** `--resume OUT --epochs N` with N larger than the
//! run's planned epochs adds epochs: the planned schedule ends as it was
//! planned (at zero), and the added epochs get a stretch of their own, a
//! warm-up over `--warmup` steps to `--extend-lr` (default half the run's
//! `--lr`) and a linear decay to zero at epoch N. The stretches are saved
//! in the checkpoint's `state.json` (`schedule`).

use super::conllu::{self, Sentence};
use super::head::{Parser, SyntaxConfig};
use super::score::{self, Counts};
use super::UPOS;
use crate::ner::model::Dropout;
use crate::ner::{ModelSource, NerModel};
use anyhow::{bail, Context, Result};
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::var_builder::SimpleBackend;
use candle_nn::{Init, VarBuilder, VarMap};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Settings of a training run.
#[derive(Debug, Clone, Serialize, Deserialize, clap::Args)]
pub struct TrainSyntaxArgs {
    /// CoNLL-U training file (repeatable: files are concatenated).
    #[arg(long, required = true)]
    pub train: Vec<PathBuf>,
    /// CoNLL-U dev file, scored after every epoch.
    #[arg(long)]
    pub dev: PathBuf,
    /// Where the best model, the checkpoint and train.log go.
    #[arg(long)]
    pub out: PathBuf,
    /// Carry on from the checkpoint in this folder (a former --out),
    /// with the settings of that run; new results go to --out.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Folder for the cached word features (about 2.3 KB per word).
    #[arg(long, default_value = "syntax-cache")]
    pub cache: PathBuf,
    /// Entity model whose encoder gives the features (default: the shipped one).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Epochs of the run [default: 10]. With --resume, a larger number
    /// extends the run: the planned schedule ends as planned, and the
    /// extra epochs get their own warm-up (--warmup steps) to --extend-lr
    /// and a linear decay to zero at the new last epoch.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Peak learning rate of the epochs that --resume adds to a run
    /// [default: half the run's --lr].
    #[arg(long)]
    #[serde(default)]
    pub extend_lr: Option<f64>,
    /// Stop after this many epochs in this run (0: all), e.g. to fit a session;
    /// the schedule still spans --epochs, and --resume carries on.
    #[arg(long, default_value_t = 0)]
    pub stop_after: usize,
    /// Words per batch.
    #[arg(long, default_value_t = 2000)]
    pub batch_words: usize,
    #[arg(long, default_value_t = 2e-3)]
    pub lr: f64,
    /// Warm-up steps.
    #[arg(long, default_value_t = 300)]
    pub warmup: usize,
    #[arg(long, default_value_t = 0.01)]
    pub weight_decay: f64,
    #[arg(long, default_value_t = 0.2)]
    pub dropout: f32,
    #[arg(long, default_value_t = 256)]
    pub d_model: usize,
    #[arg(long, default_value_t = 2)]
    pub layers: usize,
    #[arg(long, default_value_t = 512)]
    pub ffn_dim: usize,
    #[arg(long, default_value_t = 256)]
    pub arc_dim: usize,
    #[arg(long, default_value_t = 128)]
    pub rel_dim: usize,
    /// Seeds the head's initial weights, the dropout masks and the order
    /// of the batches: two runs with the same seed and data give the same
    /// weights.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Stop an epoch after this many steps (0: no limit), for a quick check.
    #[arg(long, default_value_t = 0)]
    pub max_steps: usize,
}

/// Encoder layers whose hidden states are the features.
pub const LAYERS: [usize; 3] = [2, 4, 6];

/// Epochs of a run that does not say.
pub const DEFAULT_EPOCHS: usize = 10;

impl TrainSyntaxArgs {
    /// The epochs of the run.
    pub fn epochs(&self) -> usize {
        self.epochs.unwrap_or(DEFAULT_EPOCHS)
    }
}

/// The cached features of one treebank: (words, feat_dim) f16, rows in
/// sentence order.
fn cached_features(
    ner: &NerModel,
    model_sha: &str,
    path: &Path,
    sentences: &[Sentence],
    cache: &Path,
) -> Result<Tensor> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "treebank".into());
    let layers: Vec<String> = LAYERS.iter().map(|l| l.to_string()).collect();
    // The encoder's dense layers (int8 or f32) change the features too.
    let name = format!(
        "{stem}-{}-{}-{}-l{}.safetensors",
        meta.len(),
        &model_sha[..model_sha.len().min(12)],
        if ner.is_int8() { "int8" } else { "f32" },
        layers.join("_")
    );
    let file = cache.join(name);
    let words: usize = sentences.iter().map(|s| s.words.len()).sum();
    if file.exists() {
        let t = candle_core::safetensors::load(&file, &Device::Cpu)
            .with_context(|| format!("reading the feature cache {}", file.display()))?;
        if let Some(f) = t.get("features") {
            if f.dim(0)? == words {
                eprintln!(
                    "features of {}: cached in {}",
                    path.display(),
                    file.display()
                );
                return Ok(f.clone());
            }
        }
        eprintln!("{}: does not match, computing again", file.display());
    }
    let started = Instant::now();
    eprintln!("features of {} ({words} words)…", path.display());
    let feats = super::treebank_features(ner, sentences, &LAYERS, true)?;
    let dim = LAYERS.len() * ner.tagger.config.hidden_size;
    let mut flat = Vec::with_capacity(words * dim);
    for s in &feats {
        for w in s {
            flat.extend_from_slice(w);
        }
    }
    let t = Tensor::from_vec(flat, (words, dim), &Device::Cpu)?.to_dtype(DType::F16)?;
    std::fs::create_dir_all(cache).with_context(|| format!("creating {}", cache.display()))?;
    let tmp = cache.join(format!(".tmp-{}", std::process::id()));
    candle_core::safetensors::save(&HashMap::from([("features".to_string(), t.clone())]), &tmp)?;
    std::fs::rename(&tmp, &file).with_context(|| format!("writing {}", file.display()))?;
    eprintln!(
        "features of {}: {:.0} s, cached in {}",
        path.display(),
        started.elapsed().as_secs_f64(),
        file.display()
    );
    Ok(t)
}

/// One training sentence: where its rows start in the feature table, and
/// its gold labels.
struct Example {
    start: usize,
    upos: Vec<u32>,
    heads: Vec<u32>,
    rels: Vec<u32>,
}

fn examples(
    sentences: &[Sentence],
    start: usize,
    rel_index: &HashMap<String, u32>,
    file: &Path,
) -> Result<Vec<Example>> {
    let mut at = start;
    let mut out = Vec::with_capacity(sentences.len());
    for (k, s) in sentences.iter().enumerate() {
        let mut e = Example {
            start: at,
            upos: Vec::new(),
            heads: Vec::new(),
            rels: Vec::new(),
        };
        for w in &s.words {
            let u = UPOS.iter().position(|u| *u == w.upos).with_context(|| {
                format!(
                    "{}: sentence {}: unknown UPOS {:?}",
                    file.display(),
                    k + 1,
                    w.upos
                )
            })?;
            e.upos.push(u as u32);
            e.heads.push(w.head as u32);
            // A relation unseen in training data (dev only) counts as the first.
            e.rels.push(rel_index.get(&w.deprel).copied().unwrap_or(0));
        }
        at += s.words.len();
        out.push(e);
    }
    Ok(out)
}

/// AdamW with its moments in tensors, so that they can be checkpointed.
struct Adam {
    vars: Vec<(String, Var)>,
    m: Vec<Tensor>,
    v: Vec<Tensor>,
    step: usize,
}

impl Adam {
    fn new(varmap: &VarMap) -> Result<Self> {
        let data = varmap.data().lock().expect("varmap lock");
        let mut vars: Vec<(String, Var)> =
            data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        vars.sort_by(|a, b| a.0.cmp(&b.0));
        let m = vars
            .iter()
            .map(|(_, v)| v.as_tensor().zeros_like())
            .collect::<candle_core::Result<Vec<_>>>()?;
        let v = m.clone();
        Ok(Adam {
            vars,
            m,
            v,
            step: 0,
        })
    }

    fn apply(&mut self, grads: &candle_core::backprop::GradStore, lr: f64, wd: f64) -> Result<()> {
        let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8f64);
        // Global gradient norm, clipped at 5.
        let mut sq = 0f64;
        for (_, var) in &self.vars {
            if let Some(g) = grads.get(var.as_tensor()) {
                sq += g.sqr()?.sum_all()?.to_scalar::<f32>()? as f64;
            }
        }
        let norm = sq.sqrt();
        let clip = if norm > 5.0 { 5.0 / norm } else { 1.0 };
        self.step += 1;
        let t = self.step as i32;
        let c1 = 1.0 - b1.powi(t);
        let c2 = 1.0 - b2.powi(t);
        for (i, (name, var)) in self.vars.iter().enumerate() {
            let Some(g) = grads.get(var.as_tensor()) else {
                continue;
            };
            // Detached: the moments must not hold on to this step's graph.
            let g = (g.detach() * clip)?;
            self.m[i] = ((&self.m[i] * b1)? + (&g * (1.0 - b1))?)?;
            self.v[i] = ((&self.v[i] * b2)? + (g.sqr()? * (1.0 - b2))?)?;
            let update = ((&self.m[i] / c1)? / ((&self.v[i] / c2)?.sqrt()? + eps)?)?;
            // No decay on norms, biases and the root vector.
            let decay = if name.ends_with("weight") && !name.contains("norm")
                || name.ends_with("_w")
                || name.ends_with("_u")
            {
                wd
            } else {
                0.0
            };
            let new = ((var.as_tensor().detach() * (1.0 - lr * decay))? - (update * lr)?)?;
            var.set(&new)?;
        }
        Ok(())
    }
}

/// Training progress, saved with each checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    args: TrainSyntaxArgs,
    config: SyntaxConfig,
    /// Epochs done.
    epoch: usize,
    step: usize,
    total_steps: usize,
    best_las: f64,
    best_epoch: usize,
    log: Vec<String>,
    /// The learning-rate schedule, stretch after stretch (a checkpoint
    /// written before it was saved had one stretch over its epochs).
    #[serde(default)]
    schedule: Vec<Stretch>,
}

/// One stretch of the learning-rate schedule: after step `start`, a linear
/// warm-up over `warmup` steps to `peak`, then a linear decay to zero at
/// step `end`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Stretch {
    start: usize,
    end: usize,
    warmup: usize,
    peak: f64,
}

fn save_vars(varmap: &VarMap, path: &Path, dtype: DType) -> Result<()> {
    let data = varmap.data().lock().expect("varmap lock");
    let mut tensors = HashMap::new();
    for (name, var) in data.iter() {
        tensors.insert(name.clone(), var.as_tensor().to_dtype(dtype)?);
    }
    let tmp = path.with_extension("tmp");
    candle_core::safetensors::save(&tensors, &tmp)?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Gathers the rows of `table` for a batch of examples: (b, t, feat_dim) f32.
fn gather(table: &Tensor, batch: &[&Example]) -> Result<(Tensor, Vec<usize>)> {
    let t = batch.iter().map(|e| e.upos.len()).max().unwrap_or(0);
    let lens: Vec<usize> = batch.iter().map(|e| e.upos.len()).collect();
    let mut rows = Vec::with_capacity(batch.len() * t);
    let mut keep = Vec::with_capacity(batch.len() * t);
    for e in batch {
        let n = e.upos.len();
        for j in 0..t {
            rows.push(if j < n { (e.start + j) as u32 } else { 0 });
            keep.push(if j < n { 1f32 } else { 0.0 });
        }
    }
    let dim = table.dim(1)?;
    let idx = Tensor::from_vec(rows, batch.len() * t, table.device())?;
    let keep = Tensor::from_vec(keep, (batch.len() * t, 1), table.device())?;
    let x = table
        .index_select(&idx, 0)?
        .to_dtype(DType::F32)?
        .broadcast_mul(&keep)?
        .reshape((batch.len(), t, dim))?;
    Ok((x, lens))
}

fn loss(
    parser: &Parser,
    table: &Tensor,
    batch: &[&Example],
    dropout: &Dropout,
) -> Result<(Tensor, f64)> {
    let (x, lens) = gather(table, batch)?;
    let out = parser.forward(&x, &lens, Some(dropout))?;
    let (b, t1, _) = out.arcs.dims3()?;
    let device = x.device();
    let mut dep_rows = Vec::new();
    let mut head_rows = Vec::new();
    let mut upos = Vec::new();
    let mut heads = Vec::new();
    let mut rels = Vec::new();
    for (k, e) in batch.iter().enumerate() {
        for j in 0..e.upos.len() {
            dep_rows.push((k * t1 + j + 1) as u32);
            head_rows.push((k * t1) as u32 + e.heads[j]);
            upos.push(e.upos[j]);
            heads.push(e.heads[j]);
            rels.push(e.rels[j]);
        }
    }
    let n = dep_rows.len();
    let dr = Tensor::from_vec(dep_rows, n, device)?;
    let hr = Tensor::from_vec(head_rows, n, device)?;
    let upos = Tensor::from_vec(upos, n, device)?;
    let heads = Tensor::from_vec(heads, (n, 1), device)?;
    let rels = Tensor::from_vec(rels, n, device)?;
    let nu = parser.config.upos.len();
    let r = parser.config.rel_dim;
    let upos_logits = out.upos.reshape((b * t1, nu))?.index_select(&dr, 0)?;
    let l_upos = candle_nn::loss::cross_entropy(&upos_logits, &upos)?;
    let arcs = out.arcs.reshape((b * t1, t1))?.index_select(&dr, 0)?;
    let l_arc = candle_nn::ops::log_softmax(&arcs, D::Minus1)?
        .gather(&heads, 1)?
        .mean_all()?
        .neg()?;
    let dep = out.rel_dep.reshape((b * t1, r))?.index_select(&dr, 0)?;
    let head = out.rel_head.reshape((b * t1, r))?.index_select(&hr, 0)?;
    let l_rel = candle_nn::loss::cross_entropy(&parser.relations(&dep, &head)?, &rels)?;
    let total = ((l_upos + l_arc)? + l_rel)?;
    let v = total.to_scalar::<f32>()? as f64;
    Ok((total, v))
}

/// Scores the parser on sentences whose features are rows of `table`.
fn evaluate(parser: &Parser, table: &Tensor, gold: &[Sentence], exs: &[Example]) -> Result<Counts> {
    let mut order: Vec<usize> = (0..exs.len()).collect();
    order.sort_by_key(|&i| exs[i].upos.len());
    let mut counts = Counts::default();
    // The inference path of `tally eval --conllu` and `extract --syntax`.
    let fast = super::infer::FastHead::new(parser, crate::ner::int8::wanted())?;
    for chunk in order.chunks(64) {
        let rows: Vec<Vec<Vec<f32>>> = chunk
            .iter()
            .map(|&i| {
                table
                    .narrow(0, exs[i].start, exs[i].upos.len())?
                    .to_dtype(DType::F32)?
                    .to_vec2::<f32>()
            })
            .collect::<candle_core::Result<_>>()?;
        let slices: Vec<&[Vec<f32>]> = rows.iter().map(Vec::as_slice).collect();
        let pred = fast.predict(&slices)?;
        for (&i, p) in chunk.iter().zip(pred) {
            for (w, (u, h, r)) in gold[i].words.iter().zip(p) {
                let pw = conllu::Word {
                    upos: parser.config.upos[u].clone(),
                    head: h,
                    deprel: parser.config.deprels[r].clone(),
                    ..conllu::Word::new(&w.form)
                };
                let (a, b, c) = score::word_matches(w, &pw);
                counts.words += 1;
                counts.upos += a as usize;
                counts.uas += b as usize;
                counts.las += c as usize;
            }
        }
    }
    Ok(counts)
}

/// Batches of about `words` words of sentences of similar length, in a
/// shuffled order.
fn batches(exs: &[Example], words: usize, rng: &mut rand::rngs::StdRng) -> Vec<Vec<usize>> {
    use rand::Rng;
    let mut order: Vec<usize> = (0..exs.len()).collect();
    // Sort by length with noise, so that batches differ between epochs.
    let keys: Vec<f64> = exs
        .iter()
        .map(|e| e.upos.len() as f64 + rng.gen_range(0.0..4.0))
        .collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut out = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut max = 0;
    for i in order {
        let n = exs[i].upos.len();
        if !cur.is_empty() && (cur.len() + 1) * max.max(n) > words {
            out.push(std::mem::take(&mut cur));
            max = 0;
        }
        max = max.max(n);
        cur.push(i);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.shuffle(rng);
    out
}

/// Runs `tally train-syntax`.
pub fn train_syntax(args: &TrainSyntaxArgs) -> Result<()> {
    let (a, resumed) = settings(args)?;
    let data = load_data(&a, resumed.as_ref())?;
    let mut run = Run::start(&a, &data.config, resumed)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(a.seed);
    // Epoch e's batches are drawn from a generator seeded by the seed and e,
    // so a resumed run draws what an uninterrupted one would.
    let per_epoch = batches(&data.exs, a.batch_words, &mut rng).len();
    let steps_per_epoch = if a.max_steps > 0 {
        per_epoch.min(a.max_steps)
    } else {
        per_epoch
    };
    plan_schedule(&mut run.state, &a, steps_per_epoch);
    let mut done_this_run = 0;
    while run.state.epoch < a.epochs() {
        if a.stop_after > 0 && done_this_run >= a.stop_after {
            eprintln!(
                "stopping after {done_this_run} epoch(s) as asked; --resume {} carries on",
                a.out.display()
            );
            break;
        }
        run.epoch(&a, &data, steps_per_epoch)?;
        done_this_run += 1;
    }
    eprintln!(
        "best dev LAS {:.2} at epoch {}; model in {}",
        run.state.best_las,
        run.state.best_epoch,
        a.out.display()
    );
    Ok(())
}

/// The schedule over the run's epochs: the stretches a resumed run had (or
/// for a new run, or a checkpoint without them, one stretch: warm-up to
/// `--lr`, decay to zero at the last planned epoch); epochs added by a
/// larger `--epochs` on `--resume` get a stretch of their own, warm-up
/// over `--warmup` steps to `--extend-lr` (half of `--lr` unless given)
/// and decay to zero at the new last epoch.
fn plan_schedule(state: &mut State, a: &TrainSyntaxArgs, steps_per_epoch: usize) {
    if state.schedule.is_empty() {
        state.schedule.push(Stretch {
            start: 0,
            end: steps_per_epoch * state.args.epochs(),
            warmup: a.warmup,
            peak: a.lr,
        });
    }
    let planned = state.schedule.last().map_or(0, |s| s.end);
    let total = steps_per_epoch * a.epochs();
    if total > planned {
        let peak = a.extend_lr.unwrap_or(a.lr / 2.0);
        state.schedule.push(Stretch {
            start: planned,
            end: total,
            warmup: a.warmup,
            peak,
        });
        eprintln!(
            "extending the run from {} to {} epochs: steps {}..{total} warm up over {} steps to {peak:.2e}, then decay linearly to 0",
            state.args.epochs(),
            a.epochs(),
            planned + 1,
            a.warmup
        );
        state.args.epochs = a.epochs;
        state.args.extend_lr = a.extend_lr;
    }
    state.total_steps = total;
}

/// The settings of this run and, with `--resume`, the state of the former
/// one: a resumed run keeps its settings, except where the results go,
/// when to stop, and a larger `--epochs` (with `--extend-lr`), which
/// extends it.
fn settings(args: &TrainSyntaxArgs) -> Result<(TrainSyntaxArgs, Option<State>)> {
    let resumed: Option<State> = match &args.resume {
        Some(dir) => {
            let p = dir.join("checkpoint").join("state.json");
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("reading {} (--resume)", p.display()))?;
            Some(serde_json::from_str(&text).with_context(|| format!("parsing {}", p.display()))?)
        }
        None => None,
    };
    let mut a = match &resumed {
        Some(s) => s.args.clone(),
        None => args.clone(),
    };
    a.out = args.out.clone();
    a.stop_after = args.stop_after;
    a.resume = args.resume.clone();
    match &resumed {
        Some(s) => {
            if let Some(e) = args.epochs {
                let planned = s.args.epochs();
                if e < planned {
                    bail!(
                        "--epochs {e} with --resume: the run was planned for {planned} epochs \
                         and can only be extended (--stop-after stops it early)"
                    );
                }
                a.epochs = Some(e);
            }
            if args.extend_lr.is_some() {
                a.extend_lr = args.extend_lr;
            }
        }
        None => a.epochs = Some(args.epochs()),
    }
    if let Some(lr) = a.extend_lr {
        if !(lr > 0.0 && lr.is_finite()) {
            bail!("--extend-lr {lr}: give a positive learning rate");
        }
    }
    Ok((a, resumed))
}

/// What a run trains and scores on, read once.
struct Data {
    config: SyntaxConfig,
    /// Training examples, whose rows are in `table`.
    exs: Vec<Example>,
    table: Tensor,
    dev: Vec<Sentence>,
    dev_exs: Vec<Example>,
    dev_table: Tensor,
}

/// Creates the output folder, reads the treebanks, computes (or reads
/// from the cache) their features, and fixes the head's configuration.
fn load_data(a: &TrainSyntaxArgs, resumed: Option<&State>) -> Result<Data> {
    std::fs::create_dir_all(a.out.join("checkpoint"))
        .with_context(|| format!("creating {}", a.out.display()))?;
    let source = ModelSource::resolve(a.model.as_deref());
    let ner = NerModel::load_from(&source)
        .with_context(|| format!("loading the entity model from {source}"))?;
    let model_sha = super::cli::encoder_sha256(&source)?;
    let mut train_sents = Vec::new();
    let mut train_tables = Vec::new();
    for f in &a.train {
        let s = conllu::read(f)?;
        train_tables.push(cached_features(&ner, &model_sha, f, &s, &a.cache)?);
        train_sents.push(s);
    }
    let dev = conllu::read(&a.dev)?;
    let dev_table = cached_features(&ner, &model_sha, &a.dev, &dev, &a.cache)?;
    drop(ner);
    let config = match resumed {
        Some(s) => s.config.clone(),
        None => new_config(a, &train_sents, dev_table.dim(1)?, &model_sha),
    };
    if config.encoder_sha256 != model_sha {
        bail!("the checkpoint was trained on the features of another entity model");
    }
    let rel_index: HashMap<String, u32> = config
        .deprels
        .iter()
        .enumerate()
        .map(|(i, r)| (r.clone(), i as u32))
        .collect();
    let mut exs = Vec::new();
    let mut start = 0;
    for (f, s) in a.train.iter().zip(&train_sents) {
        exs.extend(examples(s, start, &rel_index, f)?);
        start += s.iter().map(|s| s.words.len()).sum::<usize>();
    }
    let table = Tensor::cat(&train_tables, 0)?;
    drop(train_tables);
    let dev_exs = examples(&dev, 0, &rel_index, &a.dev)?;
    let train_words: usize = exs.iter().map(|e| e.upos.len()).sum();
    eprintln!(
        "training on {} sentences ({train_words} words) of {} file(s); dev {} sentences",
        exs.len(),
        a.train.len(),
        dev.len()
    );
    Ok(Data {
        config,
        exs,
        table,
        dev,
        dev_exs,
        dev_table,
    })
}

/// The configuration of a new head, with the relations in order of
/// frequency in the training data.
fn new_config(
    a: &TrainSyntaxArgs,
    train_sents: &[Vec<Sentence>],
    feat_dim: usize,
    model_sha: &str,
) -> SyntaxConfig {
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for s in train_sents.iter().flatten() {
        for w in &s.words {
            *freq.entry(w.deprel.as_str()).or_default() += 1;
        }
    }
    let mut rels: Vec<(&str, usize)> = freq.into_iter().collect();
    rels.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    SyntaxConfig {
        layers: LAYERS.to_vec(),
        feat_dim,
        d_model: a.d_model,
        n_layers: a.layers,
        n_heads: 4,
        ffn_dim: a.ffn_dim,
        arc_dim: a.arc_dim,
        rel_dim: a.rel_dim,
        upos: UPOS.iter().map(|s| s.to_string()).collect(),
        deprels: rels.into_iter().map(|(r, _)| r.to_string()).collect(),
        encoder_sha256: model_sha.to_string(),
    }
}

/// The head being trained, its optimiser and the progress of the run.
struct Run {
    varmap: VarMap,
    parser: Parser,
    opt: Adam,
    state: State,
}

impl Run {
    /// A new head, or with `--resume` the checkpoint's weights, optimiser
    /// moments and state.
    fn start(a: &TrainSyntaxArgs, config: &SyntaxConfig, resumed: Option<State>) -> Result<Self> {
        let mut varmap = VarMap::new();
        let init = SeededInit {
            varmap: varmap.clone(),
            rng: std::sync::Mutex::new(rand::rngs::StdRng::seed_from_u64(a.seed)),
        };
        let vb = VarBuilder::from_backend(Box::new(init), DType::F32, Device::Cpu);
        let mut parser = Parser::load(vb, config)?;
        parser.dropout = a.dropout;
        let mut opt = Adam::new(&varmap)?;
        let state = match resumed {
            Some(s) => {
                let dir = a.resume.as_ref().expect("resumed").join("checkpoint");
                restore_checkpoint(&dir, &mut varmap, &mut opt)?;
                opt.step = s.step;
                eprintln!("resuming after epoch {} (step {})", s.epoch, s.step);
                s
            }
            None => State {
                args: a.clone(),
                config: config.clone(),
                epoch: 0,
                step: 0,
                total_steps: 0,
                best_las: -1.0,
                best_epoch: 0,
                log: Vec::new(),
                schedule: Vec::new(),
            },
        };
        Ok(Run {
            varmap,
            parser,
            opt,
            state,
        })
    }

    /// One epoch: training steps, the dev score, the best model if it is
    /// the best so far, the log line and the checkpoint.
    fn epoch(&mut self, a: &TrainSyntaxArgs, data: &Data, steps_per_epoch: usize) -> Result<()> {
        let epoch = self.state.epoch + 1;
        let started = Instant::now();
        let (sum, n) = self.train_steps(a, data, epoch, steps_per_epoch, started)?;
        let train_s = started.elapsed().as_secs_f64();
        let c = evaluate(&self.parser, &data.dev_table, &data.dev, &data.dev_exs)?;
        let wall = started.elapsed().as_secs_f64();
        self.state.epoch = epoch;
        let better = c.las_pct() > self.state.best_las;
        if better {
            self.state.best_las = c.las_pct();
            self.state.best_epoch = epoch;
            save_vars(&self.varmap, &a.out.join("model.safetensors"), DType::F16)?;
            write_atomic(
                &a.out.join("config.json"),
                &serde_json::to_string_pretty(&data.config)?,
            )?;
        }
        let line = format!(
            "epoch {epoch}/{}: loss {:.4}, dev UPOS {:.2} UAS {:.2} LAS {:.2}{}; {:.0} s training + {:.0} s dev = {:.0} s wall",
            a.epochs(),
            sum / n.max(1) as f64,
            c.upos_pct(),
            c.uas_pct(),
            c.las_pct(),
            if better { " (best so far, saved)" } else { "" },
            train_s,
            wall - train_s,
            wall
        );
        eprintln!("{line}");
        self.state.log.push(line.clone());
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(a.out.join("train.log"))
            .with_context(|| format!("opening {}", a.out.join("train.log").display()))?;
        writeln!(log, "{line}")?;
        self.checkpoint(&a.out.join("checkpoint"))
    }

    /// The training steps of epoch `epoch`: the sum of the batch losses and
    /// the number of steps.
    fn train_steps(
        &mut self,
        a: &TrainSyntaxArgs,
        data: &Data,
        epoch: usize,
        steps_per_epoch: usize,
        started: Instant,
    ) -> Result<(f64, usize)> {
        let exs = &data.exs;
        let epoch_seed = a.seed.wrapping_add(epoch as u64 * 7919);
        let mut erng = rand::rngs::StdRng::seed_from_u64(epoch_seed);
        let bs = batches(exs, a.batch_words, &mut erng);
        // The dropout masks of the epoch, from their own seeded generator
        // (so that a resumed run draws what an uninterrupted one would).
        let mut drng = rand::rngs::StdRng::seed_from_u64(epoch_seed ^ 0x0d40_9a75_5eed_0001);
        let mut uniform = |u: &mut [f32]| u.iter_mut().for_each(|x| *x = drng.gen());
        let dropout = Dropout {
            p: a.dropout,
            uniform: std::cell::RefCell::new(&mut uniform),
        };
        let mut sum = 0.0;
        let mut n = 0;
        for (k, b) in bs.iter().take(steps_per_epoch).enumerate() {
            let batch: Vec<&Example> = b.iter().map(|&i| &exs[i]).collect();
            let (l, v) = loss(&self.parser, &data.table, &batch, &dropout)?;
            let grads = l.backward()?;
            let step = self.state.step + 1;
            let lr = learning_rate(&self.state.schedule, step);
            self.opt.apply(&grads, lr, a.weight_decay)?;
            self.state.step = step;
            sum += v;
            n += 1;
            if (k + 1) % 50 == 0 {
                eprintln!(
                    "  epoch {epoch} step {}/{} loss {:.4} lr {:.2e} {:.0} s",
                    k + 1,
                    steps_per_epoch,
                    sum / n as f64,
                    lr,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Ok((sum, n))
    }

    /// Checkpoint: f32 weights, optimiser moments, state.
    fn checkpoint(&self, ck: &Path) -> Result<()> {
        save_vars(&self.varmap, &ck.join("model.safetensors"), DType::F32)?;
        let mut moments = HashMap::new();
        for (i, (name, _)) in self.opt.vars.iter().enumerate() {
            moments.insert(format!("m.{name}"), self.opt.m[i].clone());
            moments.insert(format!("v.{name}"), self.opt.v[i].clone());
        }
        let tmp = ck.join("optim.tmp");
        candle_core::safetensors::save(&moments, &tmp)?;
        std::fs::rename(&tmp, ck.join("optim.safetensors"))?;
        write_atomic(
            &ck.join("state.json"),
            &serde_json::to_string_pretty(&self.state)?,
        )
    }
}

/// The learning rate of step `step` (1-based) under `schedule`: in the
/// stretch that holds the step (after the last one, zero), a linear warm-up
/// over its first `warmup` steps to its peak, then a linear decay to zero
/// at its end.
fn learning_rate(schedule: &[Stretch], step: usize) -> f64 {
    let Some(s) = schedule.iter().find(|s| step > s.start && step <= s.end) else {
        return 0.0;
    };
    let k = step - s.start;
    if k <= s.warmup {
        s.peak * k as f64 / s.warmup as f64
    } else {
        let rest = (s.end - step) as f64;
        let span = (s.end - s.start).saturating_sub(s.warmup).max(1) as f64;
        s.peak * (rest / span).max(0.0)
    }
}

/// A [`VarBuilder`] backend that creates the head's variables in `varmap`
/// with their initialisations drawn from a seeded generator, in the order
/// the head asks for them: the same seed gives the same initial weights
/// (candle draws from an unseeded generator on the CPU).
struct SeededInit {
    varmap: VarMap,
    rng: std::sync::Mutex<rand::rngs::StdRng>,
}

impl SimpleBackend for SeededInit {
    fn get(
        &self,
        shape: candle_core::Shape,
        name: &str,
        init: Init,
        dtype: DType,
        dev: &Device,
    ) -> candle_core::Result<Tensor> {
        let mut data = self.varmap.data().lock().expect("varmap lock");
        if let Some(v) = data.get(name) {
            let t = v.as_tensor();
            if t.shape() != &shape {
                candle_core::bail!("{name}: shape {:?}, asked for {:?}", t.shape(), shape);
            }
            return Ok(t.clone());
        }
        let n = shape.elem_count();
        let mut rng = self.rng.lock().expect("rng lock");
        let mut uniform = |lo: f64, up: f64| lo + (up - lo) * rng.gen::<f64>();
        let values: Vec<f64> = match init {
            Init::Const(c) => vec![c; n],
            Init::Uniform { lo, up } => (0..n).map(|_| uniform(lo, up)).collect(),
            Init::Randn { mean, stdev } => (0..n)
                .map(|_| mean + stdev * normal(&mut uniform))
                .collect(),
            Init::Kaiming {
                dist,
                fan,
                non_linearity,
            } => {
                let std = non_linearity.gain() / (fan.for_shape(&shape) as f64).sqrt();
                match dist {
                    candle_nn::init::NormalOrUniform::Uniform => {
                        let bound = 3f64.sqrt() * std;
                        (0..n).map(|_| uniform(-bound, bound)).collect()
                    }
                    candle_nn::init::NormalOrUniform::Normal => {
                        (0..n).map(|_| std * normal(&mut uniform)).collect()
                    }
                }
            }
        };
        let t = Tensor::from_vec(values, shape, dev)?.to_dtype(dtype)?;
        let var = Var::from_tensor(&t)?;
        let out = var.as_tensor().clone();
        data.insert(name.to_string(), var);
        Ok(out)
    }

    fn get_unchecked(&self, name: &str, _: DType, _: &Device) -> candle_core::Result<Tensor> {
        candle_core::bail!("{name}: the head's variables are created with their shape")
    }

    fn contains_tensor(&self, name: &str) -> bool {
        self.varmap
            .data()
            .lock()
            .expect("varmap lock")
            .contains_key(name)
    }
}

/// A standard normal draw (Box-Muller) from uniform draws in [0, 1).
fn normal(uniform: &mut impl FnMut(f64, f64) -> f64) -> f64 {
    // 1 - u is in (0, 1]: its logarithm is finite.
    let u1 = 1.0 - uniform(0.0, 1.0);
    let u2 = uniform(0.0, 1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Loads a checkpoint's weights into `varmap` and its moments into `opt`.
fn restore_checkpoint(dir: &Path, varmap: &mut VarMap, opt: &mut Adam) -> Result<()> {
    varmap
        .load(dir.join("model.safetensors"))
        .with_context(|| format!("loading {}", dir.join("model.safetensors").display()))?;
    let moments = candle_core::safetensors::load(dir.join("optim.safetensors"), &Device::Cpu)
        .with_context(|| format!("loading {}", dir.join("optim.safetensors").display()))?;
    for (i, (name, _)) in opt.vars.iter().enumerate() {
        let m = moments.get(&format!("m.{name}"));
        let v = moments.get(&format!("v.{name}"));
        match (m, v) {
            (Some(m), Some(v)) => {
                opt.m[i] = m.clone();
                opt.v[i] = v.clone();
            }
            _ => bail!("the checkpoint's optimiser state lacks {name}"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_warms_up_decays_and_restarts_in_an_added_stretch() {
        let s = [
            Stretch {
                start: 0,
                end: 10,
                warmup: 2,
                peak: 1.0,
            },
            Stretch {
                start: 10,
                end: 20,
                warmup: 2,
                peak: 0.5,
            },
        ];
        let lr: Vec<f64> = (1..=21).map(|k| learning_rate(&s, k)).collect();
        assert_eq!(&lr[..3], [0.5, 1.0, 0.875]);
        assert_eq!(lr[9], 0.0, "the first stretch ends at zero");
        assert_eq!(
            &lr[10..12],
            [0.25, 0.5],
            "the added one warms up to its peak"
        );
        assert!((lr[12] - 0.4375).abs() < 1e-12);
        assert_eq!(lr[19], 0.0);
        assert_eq!(lr[20], 0.0, "after the schedule");
    }

    #[test]
    fn seeded_initialisation_repeats_and_follows_the_init() {
        let make = |seed| {
            let varmap = VarMap::new();
            let init = SeededInit {
                varmap: varmap.clone(),
                rng: std::sync::Mutex::new(rand::rngs::StdRng::seed_from_u64(seed)),
            };
            let vb = VarBuilder::from_backend(Box::new(init), DType::F32, Device::Cpu);
            let lin = candle_nn::linear(400, 300, vb.pp("l")).unwrap();
            let ones = vb
                .get_with_hints(3, "n", candle_nn::Init::Const(1.0))
                .unwrap();
            (
                lin.weight()
                    .flatten_all()
                    .unwrap()
                    .to_vec1::<f32>()
                    .unwrap(),
                lin.bias().unwrap().to_vec1::<f32>().unwrap(),
                ones.to_vec1::<f32>().unwrap(),
                varmap.all_vars().len(),
            )
        };
        let (w, b, ones, vars) = make(1);
        assert_eq!((w.clone(), b.clone()), (make(1).0, make(1).1));
        assert_ne!(w, make(2).0);
        assert_eq!((ones, vars), (vec![1.0; 3], 3));
        // Kaiming normal on 400 inputs: sd sqrt(2/400); the bias uniform in ±1/20.
        let mean = w.iter().sum::<f32>() / w.len() as f32;
        let sd = (w.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / w.len() as f32).sqrt();
        assert!(
            mean.abs() < 0.002 && (sd - 0.0707).abs() < 0.002,
            "{mean} {sd}"
        );
        assert!(b.iter().all(|v| v.abs() <= 0.05) && b.iter().any(|v| v.abs() > 0.04));
    }
}
