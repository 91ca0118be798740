//! The syntax head: a small transformer over word features from the
//! entity model's encoder, a UPOS classifier, and biaffine arc and
//! relation scorers (Dozat & Manning 2017).
//!
//! Input: for each word, the encoder's hidden states after the layers of
//! [`SyntaxConfig::layers`] at the word's first piece, concatenated
//! (`feat_dim` values). An artificial root word (a learnt vector) is put in
//! front of each sentence, so that position 0 is the root and word `i` of
//! the sentence is position `i + 1`.
//!
//! Built from candle's primitive ops, which all have a backward pass, so
//! that it trains (`crate::syntax::train`). Inference runs the same
//! function through [`super::infer::FastHead`] (packed rows, fused loops);
//! [`Parser::predict`] here is its reference, and a test keeps the two
//! predicting the same.

use crate::ner::model::Dropout;
use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{Linear, VarBuilder};
use serde::{Deserialize, Serialize};

/// The head's shape and label sets, saved as `config.json` beside the weights.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SyntaxConfig {
    /// Encoder layers (1-based) whose hidden states are the features.
    pub layers: Vec<usize>,
    /// Feature size: `layers.len()` × the encoder's hidden size.
    pub feat_dim: usize,
    pub d_model: usize,
    pub n_layers: usize,
    pub n_heads: usize,
    pub ffn_dim: usize,
    pub arc_dim: usize,
    pub rel_dim: usize,
    /// UPOS tags, in the order of the tagger's outputs.
    pub upos: Vec<String>,
    /// Dependency relations (with subtypes), in the order of the relation scorer's outputs.
    pub deprels: Vec<String>,
    /// The encoder fingerprint of the entity model whose encoder gives the
    /// features (`crate::ner::fingerprint`; heads trained before it was
    /// introduced hold the SHA-256 of the whole weights file).
    pub encoder_sha256: String,
}

/// LayerNorm from primitive ops.
pub(super) struct Norm {
    pub(super) w: Tensor,
    pub(super) b: Tensor,
}

impl Norm {
    fn load(vb: VarBuilder, size: usize) -> Result<Self> {
        Ok(Norm {
            w: vb.get_with_hints(size, "weight", candle_nn::Init::Const(1.0))?,
            b: vb.get_with_hints(size, "bias", candle_nn::Init::Const(0.0))?,
        })
    }
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let c = x.broadcast_sub(&mean)?;
        let var = c.sqr()?.mean_keepdim(D::Minus1)?;
        c.broadcast_div(&(var + 1e-5)?.sqrt()?)?
            .broadcast_mul(&self.w)?
            .broadcast_add(&self.b)
    }
}

fn softmax_last(x: &Tensor) -> Result<Tensor> {
    let max = x.max_keepdim(D::Minus1)?.detach();
    let e = x.broadcast_sub(&max)?.exp()?;
    e.broadcast_div(&e.sum_keepdim(D::Minus1)?)
}

/// Dropout in training (its rate and source of draws in `d`; the trainer
/// seeds the source, so that a run is repeatable), nothing at inference.
fn drop(x: &Tensor, d: Option<&Dropout>) -> Result<Tensor> {
    match d {
        Some(d) => d.apply(x),
        None => Ok(x.clone()),
    }
}

/// `x · w` for x of shape (b, t, k) and w of (k, m).
fn bmm(x: &Tensor, w: &Tensor) -> Result<Tensor> {
    let (b, t, k) = x.dims3()?;
    x.reshape((b * t, k))?.matmul(w)?.reshape((b, t, ()))
}

pub(super) struct Block {
    pub(super) qkv: Linear,
    pub(super) out: Linear,
    pub(super) norm1: Norm,
    pub(super) ff1: Linear,
    pub(super) ff2: Linear,
    pub(super) norm2: Norm,
    pub(super) heads: usize,
}

impl Block {
    fn load(vb: VarBuilder, c: &SyntaxConfig) -> Result<Self> {
        let d = c.d_model;
        Ok(Block {
            qkv: candle_nn::linear(d, 3 * d, vb.pp("qkv"))?,
            out: candle_nn::linear(d, d, vb.pp("out"))?,
            norm1: Norm::load(vb.pp("norm1"), d)?,
            ff1: candle_nn::linear(d, c.ffn_dim, vb.pp("ff1"))?,
            ff2: candle_nn::linear(c.ffn_dim, d, vb.pp("ff2"))?,
            norm2: Norm::load(vb.pp("norm2"), d)?,
            heads: c.n_heads,
        })
    }

    /// Pre-norm block; `mask` is additive, (b, 1, 1, t).
    fn forward(&self, x: &Tensor, mask: &Tensor, p: Option<&Dropout>) -> Result<Tensor> {
        let (b, t, d) = x.dims3()?;
        let hd = d / self.heads;
        let qkv = self.qkv.forward(&self.norm1.forward(x)?)?;
        let split = |i: usize| -> Result<Tensor> {
            qkv.narrow(D::Minus1, i * d, d)?
                .reshape((b, t, self.heads, hd))?
                .transpose(1, 2)?
                .contiguous()
        };
        let (q, k, v) = (split(0)?, split(1)?, split(2)?);
        let scores = (q.matmul(&k.t()?)? * (1.0 / (hd as f64).sqrt()))?.broadcast_add(mask)?;
        let probs = drop(&softmax_last(&scores)?, p)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, t, d))?;
        let x = (x + drop(&self.out.forward(&ctx)?, p)?)?;
        let f = self
            .ff2
            .forward(&self.ff1.forward(&self.norm2.forward(&x)?)?.gelu_erf()?)?;
        x + drop(&f, p)?
    }
}

/// The network.
pub struct Parser {
    pub(super) in_norm: Norm,
    pub(super) proj: Linear,
    pub(super) root: Tensor,
    pub(super) blocks: Vec<Block>,
    pub(super) out_norm: Norm,
    pub(super) upos: Linear,
    pub(super) arc_dep: Linear,
    pub(super) arc_head: Linear,
    pub(super) arc_w: Tensor,
    pub(super) arc_b: Tensor,
    pub(super) rel_dep: Linear,
    pub(super) rel_head: Linear,
    pub(super) rel_u: Tensor,
    pub(super) rel_w: Linear,
    pub config: SyntaxConfig,
    /// Dropout rate in training (the trainer's [`Dropout`] applies it).
    pub dropout: f32,
}

/// What the network says about a batch of sentences.
pub struct Outputs {
    /// (b, t+1, upos) tag logits.
    pub upos: Tensor,
    /// (b, t+1, t+1) arc scores: [b, d, h] is head h for dependent d.
    pub arcs: Tensor,
    /// (b, t+1, rel_dim) dependent and head representations for relations.
    pub rel_dep: Tensor,
    pub rel_head: Tensor,
}

/// Sinusoidal position encodings, (t, d).
pub(super) fn positions(t: usize, d: usize, device: &Device) -> Result<Tensor> {
    let mut v = vec![0f32; t * d];
    for p in 0..t {
        for i in 0..d / 2 {
            let f = (p as f64) / 10000f64.powf(2.0 * i as f64 / d as f64);
            v[p * d + 2 * i] = f.sin() as f32;
            v[p * d + 2 * i + 1] = f.cos() as f32;
        }
    }
    Tensor::from_vec(v, (t, d), device)
}

impl Parser {
    pub fn load(vb: VarBuilder, config: &SyntaxConfig) -> Result<Self> {
        let c = config;
        let d = c.d_model;
        let nrel = c.deprels.len();
        let init = candle_nn::Init::Randn {
            mean: 0.0,
            stdev: 0.02,
        };
        Ok(Parser {
            in_norm: Norm::load(vb.pp("in_norm"), c.feat_dim)?,
            proj: candle_nn::linear(c.feat_dim, d, vb.pp("proj"))?,
            root: vb.get_with_hints(d, "root", init)?,
            blocks: (0..c.n_layers)
                .map(|i| Block::load(vb.pp(format!("block.{i}")), c))
                .collect::<Result<_>>()?,
            out_norm: Norm::load(vb.pp("out_norm"), d)?,
            upos: candle_nn::linear(d, c.upos.len(), vb.pp("upos"))?,
            arc_dep: candle_nn::linear(d, c.arc_dim, vb.pp("arc_dep"))?,
            arc_head: candle_nn::linear(d, c.arc_dim, vb.pp("arc_head"))?,
            arc_w: vb.get_with_hints(
                (c.arc_dim, c.arc_dim),
                "arc_w",
                candle_nn::Init::Const(0.0),
            )?,
            arc_b: vb.get_with_hints((c.arc_dim, 1), "arc_b", candle_nn::Init::Const(0.0))?,
            rel_dep: candle_nn::linear(d, c.rel_dim, vb.pp("rel_dep"))?,
            rel_head: candle_nn::linear(d, c.rel_dim, vb.pp("rel_head"))?,
            rel_u: vb.get_with_hints(
                (c.rel_dim, nrel * c.rel_dim),
                "rel_u",
                candle_nn::Init::Const(0.0),
            )?,
            rel_w: candle_nn::linear(2 * c.rel_dim, nrel, vb.pp("rel_w"))?,
            config: c.clone(),
            dropout: 0.2,
        })
    }

    /// Runs the network over `feats` (b, t, feat_dim), where sentence `k`
    /// has `lens[k]` words (the rest is padding); with `dropout` (training),
    /// dropout at its rate from its source of draws.
    pub fn forward(
        &self,
        feats: &Tensor,
        lens: &[usize],
        dropout: Option<&Dropout>,
    ) -> Result<Outputs> {
        let (b, t, _) = feats.dims3()?;
        let device = feats.device();
        let d = self.config.d_model;
        let p = dropout;
        let x = self
            .proj
            .forward(&drop(&self.in_norm.forward(feats)?, p)?)?;
        let root = self.root.reshape((1, 1, d))?.broadcast_as((b, 1, d))?;
        let t1 = t + 1;
        let x = Tensor::cat(&[&root, &x], 1)?
            .broadcast_add(&positions(t1, d, device)?.unsqueeze(0)?)?;
        // Additive masks: padding is never attended to, nor a head.
        let mut m = vec![0f32; b * t1];
        for (k, &n) in lens.iter().enumerate() {
            for j in n + 1..t1 {
                m[k * t1 + j] = -1e9;
            }
        }
        let cols = Tensor::from_vec(m, (b, 1, t1), device)?;
        let att_mask = cols.unsqueeze(1)?;
        let mut x = drop(&x, p)?;
        for blk in &self.blocks {
            x = blk.forward(&x, &att_mask, p)?;
        }
        let h = self.out_norm.forward(&x)?;
        let upos = self.upos.forward(&drop(&h, p)?)?;
        let dep = drop(&self.arc_dep.forward(&h)?.gelu_erf()?, p)?;
        let head = drop(&self.arc_head.forward(&h)?.gelu_erf()?, p)?;
        // s[d, h] = dep_d · W · head_h + head_h · b
        let dw = bmm(&dep, &self.arc_w)?;
        let hb = bmm(&head, &self.arc_b)?.transpose(1, 2)?; // (b, 1, t1)
        let diag: Vec<f32> = (0..t1 * t1)
            .map(|i| if i / t1 == i % t1 { -1e9 } else { 0.0 })
            .collect();
        let diag = Tensor::from_vec(diag, (1, t1, t1), device)?;
        let arcs = dw
            .matmul(&head.t()?)?
            .broadcast_add(&hb)?
            .broadcast_add(&cols)?
            .broadcast_add(&diag)?;
        let rel_dep = drop(&self.rel_dep.forward(&h)?.gelu_erf()?, p)?;
        let rel_head = drop(&self.rel_head.forward(&h)?.gelu_erf()?, p)?;
        Ok(Outputs {
            upos,
            arcs,
            rel_dep,
            rel_head,
        })
    }

    /// Relation logits (n, relations) for n (dependent, head) pairs of
    /// representations, each (n, rel_dim).
    pub fn relations(&self, dep: &Tensor, head: &Tensor) -> Result<Tensor> {
        let (n, r) = dep.dims2()?;
        let nrel = self.config.deprels.len();
        let bil = dep
            .matmul(&self.rel_u)?
            .reshape((n, nrel, r))?
            .broadcast_mul(&head.unsqueeze(1)?)?
            .sum(D::Minus1)?;
        let lin = self.rel_w.forward(&Tensor::cat(&[dep, head], 1)?)?;
        bil + lin
    }

    /// Tags and trees for a batch: per sentence, per word, (upos index,
    /// head: 0 for the root or the 1-based word, relation index). Each tree
    /// has one word under the root (Chu-Liu/Edmonds).
    pub fn predict(
        &self,
        feats: &Tensor,
        lens: &[usize],
    ) -> Result<Vec<Vec<(usize, usize, usize)>>> {
        let out = self.forward(feats, lens, None)?;
        let (b, t1, _) = out.arcs.dims3()?;
        let upos = out.upos.argmax(D::Minus1)?.to_vec2::<u32>()?;
        let arcs = candle_nn::ops::log_softmax(&out.arcs, D::Minus1)?
            .to_dtype(DType::F32)?
            .to_vec3::<f32>()?;
        let mut heads_all = Vec::with_capacity(b);
        let mut dep_rows = Vec::new();
        let mut head_rows = Vec::new();
        for (k, &n) in lens.iter().enumerate() {
            let scores: Vec<Vec<f32>> = (0..=n).map(|d| arcs[k][d][..=n].to_vec()).collect();
            let heads = super::cle::decode(&scores);
            for (d, &h) in heads.iter().enumerate().skip(1) {
                dep_rows.push((k * t1 + d) as u32);
                head_rows.push((k * t1 + h) as u32);
            }
            heads_all.push(heads);
        }
        let rels: Vec<u32> = if dep_rows.is_empty() {
            Vec::new()
        } else {
            let r = self.config.rel_dim;
            let device = feats.device();
            let dr = Tensor::from_vec(dep_rows.clone(), dep_rows.len(), device)?;
            let hr = Tensor::from_vec(head_rows.clone(), head_rows.len(), device)?;
            let dep = out.rel_dep.reshape((b * t1, r))?.index_select(&dr, 0)?;
            let head = out.rel_head.reshape((b * t1, r))?.index_select(&hr, 0)?;
            let logits = self.relations(&dep, &head)?.to_vec2::<f32>()?;
            // "root" exactly for the word under the root.
            let root = self.config.deprels.iter().position(|r| r == "root");
            logits
                .iter()
                .zip(&head_rows)
                .map(|(l, &h)| {
                    if (h as usize).is_multiple_of(t1) {
                        if let Some(r) = root {
                            return r as u32;
                        }
                    }
                    l.iter()
                        .enumerate()
                        .filter(|(i, _)| Some(*i) != root)
                        .max_by(|a, b| a.1.total_cmp(b.1))
                        .map_or(0, |(i, _)| i as u32)
                })
                .collect()
        };
        let mut at = 0;
        let mut res = Vec::with_capacity(b);
        for (k, &n) in lens.iter().enumerate() {
            let mut s = Vec::with_capacity(n);
            for d in 1..=n {
                s.push((upos[k][d] as usize, heads_all[k][d], rels[at] as usize));
                at += 1;
            }
            res.push(s);
        }
        Ok(res)
    }
}
