//! Named entities: a fine-tuned MiniLM token classifier loaded from
//! `models/ner/`, run over whole documents in overlapping windows.

pub mod attend;
pub mod fast;
pub mod fingerprint;
#[cfg(feature = "train")]
pub mod head;
pub mod int8;
pub mod iob;
pub mod model;
#[cfg(feature = "train")]
pub mod train;

use crate::doc::{Doc, Entity, Label, Span};
use crate::lexicon::HEADLINE_FUNCTION_WORDS;
use crate::tokens::Headline;
use anyhow::{bail, Context, Result};
use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;
use model::{word_shape, Batch, BertConfig, Tagger};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use tokenizers::Tokenizer;

/// The BIO tags, in the order of the classifier's outputs.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// The label of a tag index, with whether it begins an entity.
fn tag_label(tag: usize) -> Option<(Label, bool)> {
    (tag > 0).then(|| (Label::ALL[(tag - 1) / 2], tag % 2 == 1))
}

/// SHA-256 of the shipped `models/ner/model.safetensors`, taken when tally
/// was built; its first 12 hex digits name the model in `tally --version`.
pub const MODEL_SHA256: &str = env!("TALLY_MODEL_SHA256");

/// The shipped model's encoder fingerprint ([`fingerprint`]: every tensor
/// but the tag head), taken when tally was built: what a syntax head
/// trained on its features checks.
pub const ENCODER_SHA256: &str = env!("TALLY_ENCODER_SHA256");

/// The shipped model's files, built into the binary (feature `embed-model`).
#[cfg(feature = "embed-model")]
mod embedded {
    pub const CONFIG: &str = include_str!("../../models/ner/config.json");
    pub const LABELS: &str = include_str!("../../models/ner/labels.json");
    pub const TOKENIZER: &[u8] = include_bytes!("../../models/ner/tokenizer.json");
    pub const WEIGHTS: &[u8] = include_bytes!("../../models/ner/model.safetensors");
}

/// Where the entity model is loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A folder like `models/ner`: config.json, labels.json, tokenizer.json
    /// and model.safetensors.
    Dir(PathBuf),
    /// The model built into the binary (feature `embed-model`).
    Embedded,
}

impl ModelSource {
    /// The model to use: `dir` (`--model`) if given, else the folder in
    /// `$TALLY_MODEL`, else `$TALLY_MODELS/ner` (deprecated), else the
    /// shipped model: built in, or without the `embed-model` feature, the
    /// crate's `models/ner`.
    pub fn resolve(dir: Option<&Path>) -> Self {
        if let Some(d) = dir {
            return ModelSource::Dir(d.to_path_buf());
        }
        if let Some(d) = std::env::var_os("TALLY_MODEL").filter(|d| !d.is_empty()) {
            return ModelSource::Dir(PathBuf::from(d));
        }
        if let Some(d) = std::env::var_os("TALLY_MODELS").filter(|d| !d.is_empty()) {
            return ModelSource::Dir(PathBuf::from(d).join("ner"));
        }
        Self::shipped()
    }

    /// The model shipped with this build.
    pub fn shipped() -> Self {
        if cfg!(feature = "embed-model") {
            ModelSource::Embedded
        } else {
            ModelSource::Dir(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("models")
                    .join("ner"),
            )
        }
    }

    /// The bytes of one of the model's files (`config.json`, `labels.json`,
    /// `tokenizer.json` or `model.safetensors`), from its folder or from
    /// the binary.
    pub fn file(&self, name: &str) -> Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            ModelSource::Dir(d) => {
                let p = d.join(name);
                let bytes =
                    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
                Ok(bytes.into())
            }
            ModelSource::Embedded => embedded_file(name),
        }
    }
}

#[cfg(feature = "embed-model")]
fn embedded_file(name: &str) -> Result<std::borrow::Cow<'static, [u8]>> {
    Ok(match name {
        "config.json" => embedded::CONFIG.as_bytes(),
        "labels.json" => embedded::LABELS.as_bytes(),
        "tokenizer.json" => embedded::TOKENIZER,
        "model.safetensors" => embedded::WEIGHTS,
        _ => bail!("the built-in model has no file {name}"),
    }
    .into())
}

#[cfg(not(feature = "embed-model"))]
fn embedded_file(name: &str) -> Result<std::borrow::Cow<'static, [u8]>> {
    bail!("this tally was built without the embed-model feature: it has no built-in {name}")
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Dir(d) => write!(f, "{}", d.display()),
            ModelSource::Embedded => write!(
                f,
                "the model built into tally (sha256 {})",
                env!("TALLY_MODEL_ID")
            ),
        }
    }
}

/// Word pieces of a sequence of words, each piece knowing its word.
pub struct Pieces {
    pub ids: Vec<u32>,
    pub shapes: Vec<u32>,
    pub word_of: Vec<usize>,
}

/// Splits words into word pieces. A word that yields no piece (a control
/// character, say) gets none and is tagged O.
pub fn word_pieces(tokenizer: &Tokenizer, words: &[&str]) -> Result<Pieces> {
    let enc = tokenizer
        .encode(words, false)
        .map_err(|e| anyhow::anyhow!("word-piece tokenizer failed: {e}"))?;
    let mut p = Pieces {
        ids: Vec::with_capacity(enc.len()),
        shapes: Vec::with_capacity(enc.len()),
        word_of: Vec::with_capacity(enc.len()),
    };
    for (id, w) in enc.get_ids().iter().zip(enc.get_word_ids()) {
        if let Some(w) = w {
            let w = *w as usize;
            p.ids.push(*id);
            p.shapes.push(word_shape(words[w]));
            p.word_of.push(w);
        }
    }
    Ok(p)
}

/// Windows over `n` pieces: (start, end) of at most `size` pieces, each
/// overlapping the next by `overlap`.
pub fn windows(n: usize, size: usize, overlap: usize) -> Vec<(usize, usize)> {
    assert!(size > overlap);
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let end = (start + size).min(n);
        out.push((start, end));
        if end == n {
            break;
        }
        start = end - overlap;
    }
    out
}

/// Constrained Viterbi over per-word tag log-probabilities: an I-X only
/// follows B-X or I-X, so every decoded span is well formed.
pub fn viterbi(scores: &[Vec<f32>]) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return vec![];
    }
    let t = TAGS.len();
    let allowed = |prev: Option<usize>, cur: usize| -> bool {
        match tag_label(cur) {
            Some((l, false)) => prev.and_then(tag_label).is_some_and(|(pl, _)| pl == l),
            _ => true,
        }
    };
    let mut best = vec![vec![f32::NEG_INFINITY; t]; n];
    let mut back = vec![vec![0usize; t]; n];
    for c in 0..t {
        if allowed(None, c) {
            best[0][c] = scores[0][c];
        }
    }
    for i in 1..n {
        for c in 0..t {
            for p in 0..t {
                if best[i - 1][p] == f32::NEG_INFINITY || !allowed(Some(p), c) {
                    continue;
                }
                let s = best[i - 1][p] + scores[i][c];
                if s > best[i][c] {
                    best[i][c] = s;
                    back[i][c] = p;
                }
            }
        }
    }
    let mut tags = vec![0; n];
    tags[n - 1] = (0..t)
        .max_by(|a, b| best[n - 1][*a].total_cmp(&best[n - 1][*b]))
        .unwrap_or(0);
    for i in (1..n).rev() {
        tags[i - 1] = back[i][tags[i]];
    }
    tags
}

/// Entity spans over word indices from a tag sequence: (first, last+1, label).
pub fn spans_of_tags(tags: &[usize]) -> Vec<(usize, usize, Label)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        match tag_label(tags[i]) {
            Some((l, _)) => {
                let mut j = i + 1;
                while j < tags.len() && tag_label(tags[j]) == Some((l, false)) {
                    j += 1;
                }
                out.push((i, j, l));
                i = j;
            }
            None => i += 1,
        }
    }
    out
}

/// The shipped entity model.
pub struct NerModel {
    pub(crate) tagger: Tagger,
    tokenizer: Tokenizer,
    device: Device,
    /// Pieces per window (without `[CLS]`/`[SEP]`).
    pub window: usize,
    /// Pieces shared by neighbouring windows.
    pub overlap: usize,
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Encoder positions computed so far (windows with [CLS]/[SEP],
    /// overlap and padding), for `tally bench`.
    pub computed: std::sync::atomic::AtomicUsize,
}

impl NerModel {
    /// Loads the model from where `source` says.
    pub fn load_from(source: &ModelSource) -> Result<Self> {
        match source {
            ModelSource::Dir(d) => Self::load(d),
            ModelSource::Embedded => Self::load_embedded(),
        }
    }

    /// Loads the model built into the binary.
    #[cfg(feature = "embed-model")]
    pub fn load_embedded() -> Result<Self> {
        let device = Device::Cpu;
        let tokenizer = Tokenizer::from_bytes(embedded::TOKENIZER)
            .map_err(|e| anyhow::anyhow!("loading the built-in tokenizer: {e}"))?;
        let vb = VarBuilder::from_slice_safetensors(embedded::WEIGHTS, DType::F32, &device)
            .context("loading the built-in weights")?;
        Self::assemble(
            embedded::CONFIG,
            Some(embedded::LABELS),
            tokenizer,
            vb,
            "the built-in model",
        )
    }

    /// Without the `embed-model` feature there is no built-in model.
    #[cfg(not(feature = "embed-model"))]
    pub fn load_embedded() -> Result<Self> {
        bail!("this tally was built without the embed-model feature: give --model DIR")
    }

    /// Loads `config.json`, `labels.json` (when present), `tokenizer.json`
    /// and `model.safetensors` from `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let device = Device::Cpu;
        let config = std::fs::read_to_string(dir.join("config.json"))
            .with_context(|| format!("reading {}", dir.join("config.json").display()))?;
        let labels_path = dir.join("labels.json");
        let labels = if labels_path.exists() {
            Some(
                std::fs::read_to_string(&labels_path)
                    .with_context(|| format!("reading {}", labels_path.display()))?,
            )
        } else {
            None
        };
        let tokenizer = load_tokenizer(&dir.join("tokenizer.json"))?;
        let weights = dir.join("model.safetensors");
        if !weights.exists() {
            bail!(
                "no entity model at {}: the weights file is missing",
                weights.display()
            );
        }
        // SAFETY: the file is mapped read-only and not modified while mapped.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .with_context(|| format!("loading {}", weights.display()))?;
        Self::assemble(
            &config,
            labels.as_deref(),
            tokenizer,
            vb,
            &dir.display().to_string(),
        )
    }

    /// Builds the model from its config, tags, tokenizer and weights; `what`
    /// names where they came from, for error messages.
    fn assemble(
        config: &str,
        labels: Option<&str>,
        tokenizer: Tokenizer,
        vb: VarBuilder,
        what: &str,
    ) -> Result<Self> {
        let config: BertConfig = serde_json::from_str(config)
            .with_context(|| format!("parsing config.json of {what}"))?;
        if let Some(labels) = labels {
            let tags: Vec<String> = serde_json::from_str(labels)
                .with_context(|| format!("parsing labels.json of {what}"))?;
            if tags != TAGS {
                bail!("labels.json of {what} lists the tags {tags:?}; this tally decodes {TAGS:?}");
            }
        }
        let mut tagger = Tagger::load(vb, &config, TAGS.len(), None)
            .with_context(|| format!("building the model from {what}"))?;
        if int8::wanted() {
            tagger
                .set_int8(true)
                .with_context(|| format!("quantising the weights of {what} to int8"))?;
        }
        Ok(NerModel::new(tagger, configure_tokenizer(tokenizer)?))
    }

    pub fn new(tagger: Tagger, tokenizer: Tokenizer) -> Self {
        NerModel {
            tagger,
            tokenizer,
            device: Device::Cpu,
            window: 126,
            overlap: 32,
            batch_size: 16,
            computed: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Runs the encoder's dense layers in int8 (`on`) or f32. Models are
    /// loaded int8 where [`int8::wanted`] says so; this switches one model.
    /// Asking for int8 on a processor without AVX-512 VNNI is an error.
    pub fn set_int8(&mut self, on: bool) -> Result<()> {
        if on {
            int8::require()?;
        }
        self.tagger.set_int8(on)?;
        Ok(())
    }

    /// Whether the encoder's dense layers run int8.
    pub fn is_int8(&self) -> bool {
        self.tagger.is_int8()
    }

    /// Tag log-probabilities for each word of each sequence of words.
    /// Each word takes its scores from the first piece of the word, in the
    /// window where that piece has the most context on both sides.
    pub fn word_scores(&self, seqs: &[Vec<&str>]) -> Result<Vec<Vec<Vec<f32>>>> {
        Ok(self.word_scores_and_features(seqs, &[])?.0)
    }

    /// [`NerModel::word_scores`], and with it, when `layers` is not empty,
    /// each word's features for the syntax head: the hidden states after
    /// the encoder layers `layers` (1-based), concatenated, at the word's
    /// first piece, taken from the same window as its tag scores. A word
    /// with no piece gets zeros. The tag scores are the same whether or not
    /// features are asked for: it is one forward pass.
    #[allow(clippy::type_complexity)]
    pub fn word_scores_and_features(
        &self,
        seqs: &[Vec<&str>],
        layers: &[usize],
    ) -> Result<(Vec<Vec<Vec<f32>>>, Vec<Vec<Vec<f32>>>)> {
        let pieces: Vec<Pieces> = seqs
            .iter()
            .map(|w| word_pieces(&self.tokenizer, w))
            .collect::<Result<_>>()?;
        let wins = self.windows_of(&pieces);
        // Group windows of similar length into batches.
        let mut order: Vec<usize> = (0..wins.len()).collect();
        order.sort_by_key(|&i| wins[i].end - wins[i].start);
        // Which window each piece takes its scores from, known before the
        // forward pass; only the first pieces of words whose window it is
        // have their hidden states copied out of a batch.
        let winner = winning_windows(&pieces, &wins, &order);
        let keep: Vec<Vec<usize>> = if layers.is_empty() {
            Vec::new()
        } else {
            first_pieces_won(&pieces, &wins, &winner)
        };
        // Batches run in parallel (a long document has many); their scores
        // are merged in order afterwards.
        let scored: Vec<Result<Scored>> = order
            .par_chunks(self.batch_size)
            .map(|chunk| self.forward_windows(chunk, &wins, &pieces, layers, &keep))
            .collect();
        let mut best = best_per_piece(
            &pieces,
            &wins,
            &order,
            self.batch_size,
            &winner,
            &keep,
            scored,
        )?;
        let dim = layers.len() * self.tagger.config.hidden_size;
        Ok(gather_words(seqs, &pieces, &mut best, layers, dim))
    }

    /// The windows over each sequence's pieces.
    fn windows_of(&self, pieces: &[Pieces]) -> Vec<Win> {
        let mut wins = Vec::new();
        for (s, p) in pieces.iter().enumerate() {
            if p.ids.is_empty() {
                continue;
            }
            for (start, end) in windows(p.ids.len(), self.window, self.overlap) {
                wins.push(Win { seq: s, start, end });
            }
        }
        wins
    }

    /// One forward pass over a batch of windows (`chunk` indexes `wins`):
    /// per window, per position, the tag log-probabilities and, when
    /// `layers` is not empty, the features of the pieces `keep[w]` of each
    /// window `w` (only those rows are copied out of the encoder's hidden
    /// states, in one gather per layer).
    fn forward_windows(
        &self,
        chunk: &[usize],
        wins: &[Win],
        pieces: &[Pieces],
        layers: &[usize],
        keep: &[Vec<usize>],
    ) -> Result<Scored> {
        let cls = self.tokenizer.token_to_id("[CLS]").unwrap_or(101);
        let sep = self.tokenizer.token_to_id("[SEP]").unwrap_or(102);
        let mut ids = Vec::new();
        let mut shapes = Vec::new();
        for &w in chunk {
            let win = &wins[w];
            let p = &pieces[win.seq];
            let mut i = vec![cls];
            i.extend_from_slice(&p.ids[win.start..win.end]);
            i.push(sep);
            let mut s = vec![model::SHAPE_PAD];
            s.extend_from_slice(&p.shapes[win.start..win.end]);
            s.push(model::SHAPE_PAD);
            ids.push(i);
            shapes.push(s);
        }
        let batch = Batch::new(&ids, &shapes, &self.device)?;
        self.computed
            .fetch_add(batch.ids.elem_count(), std::sync::atomic::Ordering::Relaxed);
        let (logits, feats) = if layers.is_empty() {
            (self.tagger.forward(&batch, None)?, None)
        } else {
            let (logits, hidden) = self.tagger.forward_with_hidden(&batch, layers)?;
            let (b, len) = batch.ids.dims2()?;
            // Rows (window k, position j + 1 after [CLS]) of the kept pieces.
            let mut rows = Vec::new();
            for (k, &w) in chunk.iter().enumerate() {
                let start = wins[w].start;
                rows.extend(keep[w].iter().map(|&j| (k * len + j - start + 1) as u32));
            }
            let n = rows.len();
            let mut out = Vec::with_capacity(n);
            if n > 0 {
                let idx = Tensor::from_vec(rows, n, &self.device)?;
                let gathered = hidden
                    .iter()
                    .map(|h| {
                        let d = h.dim(D::Minus1)?;
                        h.reshape((b * len, d))?.index_select(&idx, 0)
                    })
                    .collect::<candle_core::Result<Vec<_>>>()?;
                let flat = Tensor::cat(&gathered, D::Minus1)?
                    .to_dtype(DType::F32)?
                    .flatten_all()?
                    .to_vec1::<f32>()?;
                let dim = flat.len() / n;
                out.extend(flat.chunks_exact(dim).map(<[f32]>::to_vec));
            }
            (logits, Some(out))
        };
        Ok((
            candle_nn::ops::log_softmax(&logits, D::Minus1)?
                .to_dtype(DType::F32)?
                .to_vec3::<f32>()?,
            feats,
        ))
    }

    /// Entity spans over word indices of each sentence, with a confidence.
    pub fn tag_words(
        &self,
        sentences: &[&[&str]],
        scores: &[Vec<f32>],
    ) -> Vec<Vec<(usize, usize, Label, f32)>> {
        let mut out = Vec::new();
        let mut at = 0;
        for s in sentences {
            let sc = &scores[at..at + s.len()];
            at += s.len();
            let tags = viterbi(sc);
            out.push(
                spans_of_tags(&tags)
                    .into_iter()
                    .map(|(a, b, l)| {
                        let conf =
                            (a..b).map(|i| sc[i][tags[i]].exp()).sum::<f32>() / (b - a) as f32;
                        (a, b, l, conf)
                    })
                    .collect(),
            );
        }
        out
    }

    /// Finds the entities of segmented documents and sets `doc.entities`
    /// (canonical names are the mention's text until `canon` runs).
    pub fn tag_docs(&self, docs: &mut [Doc]) -> Result<()> {
        self.tag_docs_with_features(docs, &[]).map(|_| ())
    }

    /// [`NerModel::tag_docs`], returning as well, when `layers` is not
    /// empty, the syntax features of each token of each document (see
    /// [`NerModel::word_scores_and_features`]), from the same forward pass.
    pub fn tag_docs_with_features(
        &self,
        docs: &mut [Doc],
        layers: &[usize],
    ) -> Result<Vec<Vec<Vec<f32>>>> {
        let recased: Vec<Vec<String>> = docs.iter().map(recase_headlines).collect();
        let seqs: Vec<Vec<&str>> = recased
            .iter()
            .map(|d| d.iter().map(String::as_str).collect())
            .collect();
        let (scores, features) = self.word_scores_and_features(&seqs, layers)?;
        let mut found = Vec::with_capacity(docs.len());
        for (d, sc) in docs.iter().zip(&scores) {
            let words: Vec<&str> = d.tokens.iter().map(|t| d.slice(t.span)).collect();
            let sents: Vec<&[&str]> = d
                .sentences
                .iter()
                .map(|s| &words[s.tokens.clone()])
                .collect();
            let mut ents = Vec::new();
            for (s, spans) in d.sentences.iter().zip(self.tag_words(&sents, sc)) {
                for (a, b, label, conf) in spans {
                    let span = Span::new(
                        d.tokens[s.tokens.start + a].span.start,
                        d.tokens[s.tokens.start + b - 1].span.end,
                    );
                    ents.push(Entity {
                        span,
                        label,
                        canonical: d.slice(span).to_string(),
                        score: Some(conf),
                    });
                }
            }
            found.push(ents);
        }
        for (d, e) in docs.iter_mut().zip(found) {
            d.entities = e;
        }
        Ok(features)
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The word pieces of a segmented document's tokens, as the model
    /// reads them (for speed figures per piece).
    pub fn word_piece_count(&self, doc: &Doc) -> Result<usize> {
        let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
        Ok(word_pieces(&self.tokenizer, &words)?.ids.len())
    }
}

/// A window over the pieces of sequence `seq`: pieces `start..end`.
struct Win {
    seq: usize,
    start: usize,
    end: usize,
}

/// A batch's output: per window, per position, the tag log-probabilities;
/// when features are asked for, the features of the kept pieces of the
/// batch's windows, window after window.
type Scored = (Vec<Vec<Vec<f32>>>, Option<Vec<Vec<f32>>>);

/// Per sequence, per piece: (scores, features).
type Best = Vec<Vec<(Vec<f32>, Vec<f32>)>>;

/// The window (an index of `wins`) each piece takes its scores from: the
/// one where the piece has the most context on its narrower side, the
/// first of equals in `order`.
fn winning_windows(pieces: &[Pieces], wins: &[Win], order: &[usize]) -> Vec<Vec<usize>> {
    let mut best: Vec<Vec<(usize, usize)>> = pieces
        .iter()
        .map(|p| vec![(0, usize::MAX); p.ids.len()])
        .collect();
    for &w in order {
        let win = &wins[w];
        let n = pieces[win.seq].ids.len();
        let slots = &mut best[win.seq][win.start..win.end];
        for (j, slot) in (win.start..win.end).zip(slots) {
            // Context on the narrower side; a window edge that is the
            // sequence's own edge counts as full context.
            let left = if win.start == 0 {
                usize::MAX / 2
            } else {
                j - win.start
            };
            let right = if win.end == n {
                usize::MAX / 2
            } else {
                win.end - 1 - j
            };
            let ctx = left.min(right) + 1;
            if ctx > slot.0 {
                *slot = (ctx, w);
            }
        }
    }
    best.into_iter()
        .map(|p| p.into_iter().map(|(_, w)| w).collect())
        .collect()
}

/// Per window, the pieces (indices into the sequence's pieces, in order)
/// that begin a word and take their scores from that window: the only
/// ones whose features are needed.
fn first_pieces_won(pieces: &[Pieces], wins: &[Win], winner: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut keep = vec![Vec::new(); wins.len()];
    for (p, won) in pieces.iter().zip(winner) {
        for (j, &w) in won.iter().enumerate() {
            if j == 0 || p.word_of[j] != p.word_of[j - 1] {
                keep[w].push(j);
            }
        }
    }
    keep
}

/// Merges the batches' outputs (`scored`, one per chunk of `order`): each
/// piece keeps the scores of its window in `winner`, and a first piece its
/// features (`keep` says which pieces each window's features are).
fn best_per_piece(
    pieces: &[Pieces],
    wins: &[Win],
    order: &[usize],
    batch_size: usize,
    winner: &[Vec<usize>],
    keep: &[Vec<usize>],
    scored: Vec<Result<Scored>>,
) -> Result<Best> {
    let mut best: Best = pieces
        .iter()
        .map(|p| vec![(Vec::new(), Vec::new()); p.ids.len()])
        .collect();
    for (chunk, out) in order.chunks(batch_size).zip(scored) {
        let (mut logp, feats) = out?;
        let mut feats = feats.unwrap_or_default().into_iter();
        for (k, &w) in chunk.iter().enumerate() {
            let win = &wins[w];
            for j in win.start..win.end {
                if winner[win.seq][j] == w {
                    best[win.seq][j].0 = std::mem::take(&mut logp[k][j - win.start + 1]);
                }
            }
            if let Some(kept) = keep.get(w) {
                for &j in kept {
                    best[win.seq][j].1 = feats.next().unwrap_or_default();
                }
            }
        }
    }
    Ok(best)
}

/// Each word's scores and features from its first piece; a word with no
/// piece gets "O" and zeros (`dim` of them).
#[allow(clippy::type_complexity)]
fn gather_words(
    seqs: &[Vec<&str>],
    pieces: &[Pieces],
    best: &mut Best,
    layers: &[usize],
    dim: usize,
) -> (Vec<Vec<Vec<f32>>>, Vec<Vec<Vec<f32>>>) {
    let mut out = Vec::with_capacity(seqs.len());
    let mut out_feats = Vec::with_capacity(if layers.is_empty() { 0 } else { seqs.len() });
    for (s, words) in seqs.iter().enumerate() {
        let mut scores = vec![None; words.len()];
        let mut feats = vec![None; if layers.is_empty() { 0 } else { words.len() }];
        for (j, &w) in pieces[s].word_of.iter().enumerate() {
            if scores[w].is_none() {
                scores[w] = Some(std::mem::take(&mut best[s][j].0));
                if !layers.is_empty() {
                    feats[w] = Some(std::mem::take(&mut best[s][j].1));
                }
            }
        }
        let o_only: Vec<f32> = (0..TAGS.len())
            .map(|t| if t == 0 { 0.0 } else { -1e4 })
            .collect();
        out.push(
            scores
                .into_iter()
                .map(|s| s.unwrap_or_else(|| o_only.clone()))
                .collect(),
        );
        if !layers.is_empty() {
            out_feats.push(
                feats
                    .into_iter()
                    .map(|f| f.unwrap_or_else(|| vec![0.0; dim]))
                    .collect(),
            );
        }
    }
    (out, out_feats)
}

/// The words of a document with headline casing undone. In a sentence
/// whose words are nearly all in Title Case ([`Headline::TitleCase`]:
/// "Russia And Ukraine Swap 372 Prisoners In One Of The Largest War
/// Exchanges Yet"; not all capitals, which the model learnt), a word
/// takes the casing it has most often in the document's ordinary sentences
/// ("swap", "one", "Russia"), and a function word is lower-cased; the
/// model's casing signal then means what it means in running text.
pub fn recase_headlines(doc: &Doc) -> Vec<String> {
    let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
    let view = doc.token_view();
    // Title Case only: the model learnt ALL CAPS headlines from CoNLL.
    let headline: Vec<bool> = view
        .sentences
        .iter()
        .map(|s| s.is_headline(Headline::TitleCase))
        .collect();
    // Casing of each word in ordinary sentences: lower-case form → (form, n).
    let mut seen: std::collections::HashMap<&str, Vec<(&str, usize)>> =
        std::collections::HashMap::new();
    for (s, h) in doc.sentences.iter().zip(&headline) {
        if *h {
            continue;
        }
        for (k, w) in words[s.tokens.clone()].iter().enumerate() {
            // A sentence's first word is capitalised anyway: it says nothing.
            if k == 0 {
                continue;
            }
            let forms = seen.entry(view.lower(s.tokens.start + k)).or_default();
            match forms.iter_mut().find(|(f, _)| f == w) {
                Some(f) => f.1 += 1,
                None => forms.push((w, 1)),
            }
        }
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    for (s, h) in doc.sentences.iter().zip(&headline) {
        if !*h {
            continue;
        }
        for i in s.tokens.clone() {
            let lower = view.lower(i);
            if let Some(forms) = seen.get(lower) {
                if let Some((f, _)) = forms.iter().max_by_key(|(_, n)| *n) {
                    out[i] = f.to_string();
                    continue;
                }
            }
            if HEADLINE_FUNCTION_WORDS.contains(&lower) {
                out[i] = lower.to_string();
            }
        }
    }
    out
}

/// Loads a WordPiece tokenizer with its padding and truncation switched off:
/// windows are cut by this crate, never silently by the tokenizer.
pub fn load_tokenizer(path: &Path) -> Result<Tokenizer> {
    let t = Tokenizer::from_file(path)
        .map_err(|e| anyhow::anyhow!("loading {}: {e}", path.display()))?;
    configure_tokenizer(t)
}

/// Switches a tokenizer's padding and truncation off.
fn configure_tokenizer(mut t: Tokenizer) -> Result<Tokenizer> {
    t.with_padding(None);
    t.with_truncation(None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_casing_is_undone_from_the_body() {
        let mut d = Doc::new(
            "h",
            "Russia And Ukraine Swap 372 Prisoners In One Of The Largest Exchanges\n\nRussia and Ukraine agreed to swap prisoners in one of the exchanges.",
        );
        crate::segment::segment(&mut d);
        let r = recase_headlines(&d);
        assert_eq!(
            &r[..11],
            [
                "Russia",
                "and",
                "Ukraine",
                "swap",
                "372",
                "prisoners",
                "in",
                "one",
                "of",
                "the",
                "Largest"
            ]
        );
        assert_eq!(r[12], "Russia");
    }

    #[test]
    fn windows_cover_everything_with_overlap() {
        assert_eq!(windows(10, 254, 64), vec![(0, 10)]);
        assert_eq!(
            windows(600, 254, 64),
            vec![(0, 254), (190, 444), (380, 600)]
        );
    }

    #[test]
    fn viterbi_yields_well_formed_spans() {
        // The best single tags would be O, I-PER, I-PER: not well formed.
        let mk = |best: usize, second: usize| -> Vec<f32> {
            (0..TAGS.len())
                .map(|t| {
                    if t == best {
                        -0.1
                    } else if t == second {
                        -0.5
                    } else {
                        -9.0
                    }
                })
                .collect()
        };
        let scores = vec![mk(0, 1), mk(2, 1), mk(2, 0)];
        let tags = viterbi(&scores);
        assert_eq!(spans_of_tags(&tags), vec![(1, 3, Label::Per)]);
        assert_eq!(tags, vec![0, 1, 2]);
    }
}
