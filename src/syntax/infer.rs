//! The syntax head at inference, without candle's per-op overhead.
//!
//! [`Parser::forward`](super::head::Parser) is written from candle's
//! primitive ops so that it trains; run per batch, it is some hundred small
//! ops, each a pass over memory and many a hand-over between threads, on
//! sentences padded to the longest of the batch. [`FastHead`] computes the
//! same function over packed rows (a sentence's root row, then its words; no
//! padding, so no masks): the matrix products through `gemm` (as candle
//! does), LayerNorm, bias and residual adds as plain loops, GELU and the
//! attention softmax with the kernels of [`crate::ner::fast`], and the
//! relation scores only for each word's chosen head. The weights are copied
//! out of the tensors once, at load, as f32.
//!
//! The arithmetic is the same as the candle head's up to the order of
//! floating-point sums (and the polynomial `erf` and `exp` of the fused
//! kernels): scores differ in the last bits, which can flip a near tie.
//!
//! Where the encoder runs int8 ([`crate::ner::int8`]), the head's dense
//! layers and its relation bilinear do too ([`FastHead::new`] with `int8`):
//! the input projection, the blocks' four layers, the arc and relation
//! MLPs and `U · head`; the tag layer, the arc bilinear and the relation
//! scores' linear part stay f32. On EWT test that moves the figures by a
//! few hundredths (models/syntax/TRAINING.md) and halves the head's time.
//!
//! The relation bilinear `depᵀ Uᵢ head` is computed head first: `Uᵢ head`
//! once per word that heads another (about half the words), then a dot
//! product per dependent, instead of `depᵀ U` for every word.

use super::cle;
use super::head::{positions, Block, Norm, Parser};
use crate::ner::fast;
use crate::ner::int8::QuantLinear;
use candle_core::{DType, Device, Result, Tensor};
use candle_nn::Linear;
use gemm::Parallelism;
use rayon::prelude::*;

/// Rows (roots and words) per pass: bounds the memory of one call.
const ROWS: usize = 4096;

/// Heads whose `U · head` products are computed together (each is
/// relations × rel_dim values: 26 KB).
const REL_CHUNK: usize = 256;

/// `dst (m, n) = lhs (m, k) · rhs (k, n)`, each operand given with its row
/// and column strides.
#[allow(clippy::too_many_arguments)]
fn matmul(
    m: usize,
    n: usize,
    k: usize,
    lhs: &[f32],
    (lhs_rs, lhs_cs): (usize, usize),
    rhs: &[f32],
    (rhs_rs, rhs_cs): (usize, usize),
    dst: &mut [f32],
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        dst[..m * n].fill(0.0);
        return;
    }
    // The last element each operand is read at: gemm reads through raw
    // pointers, so the bounds are checked here.
    assert!(
        lhs.len() > (m - 1) * lhs_rs + (k - 1) * lhs_cs
            && rhs.len() > (k - 1) * rhs_rs + (n - 1) * rhs_cs
            && dst.len() >= m * n,
        "matmul: operands too short for ({m}, {k}) · ({k}, {n})"
    );
    // Large products on the pool's threads, as candle runs them; small
    // ones (a sentence's attention) on this one.
    let threads = rayon::current_num_threads();
    let parallelism = if threads > 1 && m * n * k >= 1 << 20 {
        Parallelism::Rayon(threads)
    } else {
        Parallelism::None
    };
    // SAFETY: the asserts above keep every access inside the slices; dst
    // does not overlap lhs or rhs (a &mut and two & borrows).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            false,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        )
    }
}

fn values(t: &Tensor) -> Result<Vec<f32>> {
    t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()
}

/// A linear layer: `x · Wᵀ + b`.
struct Lin {
    /// (out, inp), row-major.
    w: Vec<f32>,
    b: Vec<f32>,
    inp: usize,
    out: usize,
    /// The same weight and bias quantised, when the layer runs int8.
    q: Option<QuantLinear>,
}

impl Lin {
    fn new(l: &Linear) -> Result<Self> {
        let (out, inp) = l.weight().dims2()?;
        Ok(Lin {
            w: values(l.weight())?,
            b: match l.bias() {
                Some(b) => values(b)?,
                None => vec![0.0; out],
            },
            inp,
            out,
            q: None,
        })
    }

    /// The layer, its products in int8 when `int8` is set.
    fn new_maybe_int8(l: &Linear, int8: bool) -> Result<Self> {
        let mut lin = Self::new(l)?;
        if int8 {
            lin.q = Some(QuantLinear::new(&lin.w, lin.out, lin.inp, Some(&lin.b))?);
        }
        Ok(lin)
    }

    /// `x · Wᵀ + b` in int8, then GELU if asked.
    fn quantised(q: &QuantLinear, x: &[f32], rows: usize, out: usize, gelu: bool) -> Vec<f32> {
        let mut y = vec![0f32; rows * out];
        // The shapes are the layer's own: the product cannot refuse them.
        q.matmul(x, &mut y, gelu)
            .expect("the syntax head's int8 product is given rows of its layer's width");
        y
    }

    /// `x · Wᵀ` for `rows` rows of `x`, without the bias.
    fn product(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let mut y = vec![0f32; rows * self.out];
        matmul(
            rows,
            self.out,
            self.inp,
            x,
            (self.inp, 1),
            &self.w,
            (1, self.inp),
            &mut y,
        );
        y
    }

    /// `x · Wᵀ + b`.
    fn apply(&self, x: &[f32], rows: usize) -> Vec<f32> {
        if let Some(q) = &self.q {
            return Self::quantised(q, &x[..rows * self.inp], rows, self.out, false);
        }
        let mut y = self.product(x, rows);
        for r in y.chunks_exact_mut(self.out) {
            for (v, b) in r.iter_mut().zip(&self.b) {
                *v += b;
            }
        }
        y
    }

    /// `gelu(x · Wᵀ + b)`, GELU in its erf form.
    fn apply_gelu(&self, x: &[f32], rows: usize) -> Vec<f32> {
        if let Some(q) = &self.q {
            return Self::quantised(q, &x[..rows * self.inp], rows, self.out, true);
        }
        let y = self.product(x, rows);
        let mut out = vec![0f32; y.len()];
        fast::bias_gelu_slice(&y, &self.b, &mut out);
        out
    }

    /// `x += y · Wᵀ + b`.
    fn add_to(&self, x: &mut [f32], y: &[f32], rows: usize) {
        if let Some(q) = &self.q {
            let z = Self::quantised(q, &y[..rows * self.inp], rows, self.out, false);
            for (v, z) in x.iter_mut().zip(&z) {
                *v += z;
            }
            return;
        }
        let z = self.product(y, rows);
        for (xr, zr) in x.chunks_exact_mut(self.out).zip(z.chunks_exact(self.out)) {
            for ((v, z), b) in xr.iter_mut().zip(zr).zip(&self.b) {
                *v += z + b;
            }
        }
    }
}

/// LayerNorm with ε = 1e-5, as the head's `Norm`.
struct Ln {
    w: Vec<f32>,
    b: Vec<f32>,
}

impl Ln {
    fn new(n: &Norm) -> Result<Self> {
        Ok(Ln {
            w: values(&n.w)?,
            b: values(&n.b)?,
        })
    }

    /// The normalised rows of `x` (rows of `w.len()` values).
    fn apply(&self, x: &[f32]) -> Vec<f32> {
        self.apply_rows(x.chunks_exact(self.w.len()), x.len() / self.w.len())
    }

    /// The normalised `rows` (`n` of them) in one array.
    fn apply_rows<'a>(&self, rows: impl Iterator<Item = &'a [f32]>, n: usize) -> Vec<f32> {
        let d = self.w.len();
        let mut out = vec![0f32; n * d];
        for (xr, or) in rows.zip(out.chunks_exact_mut(d)) {
            let mean = lane_sum(xr) / d as f32;
            for (o, v) in or.iter_mut().zip(xr) {
                *o = v - mean;
            }
            let var = lane_sum_sq(or) / d as f32;
            let sd = (var + 1e-5).sqrt();
            for ((o, w), b) in or.iter_mut().zip(&self.w).zip(&self.b) {
                *o = *o / sd * w + b;
            }
        }
        out
    }
}

/// Lanes of the partial sums (so that the loops vectorise).
const LANES: usize = 16;

/// Σ x, in `LANES` partial sums.
fn lane_sum(x: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut chunks = x.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    acc.iter().sum::<f32>() + chunks.remainder().iter().sum::<f32>()
}

/// Σ x², in `LANES` partial sums.
fn lane_sum_sq(x: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut chunks = x.chunks_exact(LANES);
    for c in &mut chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v * v;
        }
    }
    acc.iter().sum::<f32>() + chunks.remainder().iter().map(|v| v * v).sum::<f32>()
}

struct FastBlock {
    norm1: Ln,
    qkv: Lin,
    out: Lin,
    norm2: Ln,
    ff1: Lin,
    ff2: Lin,
    heads: usize,
}

impl FastBlock {
    fn new(b: &Block, int8: bool) -> Result<Self> {
        Ok(FastBlock {
            norm1: Ln::new(&b.norm1)?,
            qkv: Lin::new_maybe_int8(&b.qkv, int8)?,
            out: Lin::new_maybe_int8(&b.out, int8)?,
            norm2: Ln::new(&b.norm2)?,
            ff1: Lin::new_maybe_int8(&b.ff1, int8)?,
            ff2: Lin::new_maybe_int8(&b.ff2, int8)?,
            heads: b.heads,
        })
    }

    /// One pre-norm block over packed rows `x` (rows of `d`); `spans` are
    /// the (first row, rows) of each sentence.
    fn forward(&self, x: &mut [f32], spans: &[(usize, usize)], d: usize) {
        let rows = x.len() / d;
        let qkv = self.qkv.apply(&self.norm1.apply(x), rows);
        let hd = d / self.heads;
        let scale = 1.0 / (hd as f32).sqrt();
        let mut ctx = vec![0f32; rows * d];
        // Sentences in parallel, each its own rows of `ctx`.
        spans
            .par_iter()
            .zip(split_rows(&mut ctx, spans, d))
            .for_each_init(AttentionScratch::default, |sc, (&(at, n), ctx)| {
                let AttentionScratch {
                    scores,
                    probs,
                    zeros,
                    part,
                } = sc;
                scores.resize(n * n, 0.0);
                probs.resize(n * n, 0.0);
                zeros.resize(n, 0.0);
                part.resize(n * hd, 0.0);
                let block = &qkv[at * 3 * d..(at + n) * 3 * d];
                for h in 0..self.heads {
                    // q · kᵀ: q rows at column h·hd, k rows at d + h·hd.
                    let q = &block[h * hd..];
                    let k = &block[d + h * hd..];
                    let v = &block[2 * d + h * hd..];
                    matmul(n, n, hd, q, (3 * d, 1), k, (1, 3 * d), scores);
                    fast::softmax_slice(scores, zeros, scale, probs);
                    matmul(n, hd, n, probs, (n, 1), v, (3 * d, 1), part);
                    for (i, p) in part.chunks_exact(hd).enumerate() {
                        let o = i * d + h * hd;
                        ctx[o..o + hd].copy_from_slice(p);
                    }
                }
            });
        self.out.add_to(x, &ctx, rows);
        let f = self.ff1.apply_gelu(&self.norm2.apply(x), rows);
        self.ff2.add_to(x, &f, rows);
    }
}

/// Buffers of one thread's attention, kept between sentences.
#[derive(Default)]
struct AttentionScratch {
    scores: Vec<f32>,
    probs: Vec<f32>,
    zeros: Vec<f32>,
    part: Vec<f32>,
}

/// The rows of each span of `x` (rows of `d` values), as mutable slices:
/// `spans` are (first row, rows), consecutive from row 0.
fn split_rows<'a>(x: &'a mut [f32], spans: &[(usize, usize)], d: usize) -> Vec<&'a mut [f32]> {
    let mut out = Vec::with_capacity(spans.len());
    let mut rest = x;
    for &(_, n) in spans {
        let (a, b) = rest.split_at_mut(n * d);
        out.push(a);
        rest = b;
    }
    out
}

/// The head's weights as f32 arrays, and its inference.
pub struct FastHead {
    in_norm: Ln,
    proj: Lin,
    root: Vec<f32>,
    /// Sinusoidal position encodings of positions 0..=MAX_WORDS, (·, d).
    positions: Vec<f32>,
    blocks: Vec<FastBlock>,
    out_norm: Ln,
    upos: Lin,
    arc_dep: Lin,
    arc_head: Lin,
    /// (arc_dim, arc_dim), row-major: `dep · W`.
    arc_w: Vec<f32>,
    /// (arc_dim): `head · b`.
    arc_b: Vec<f32>,
    rel_dep: Lin,
    rel_head: Lin,
    /// `Uᵢ head` for every relation `i` at once: (relations · rel_dim,
    /// rel_dim), row `i · rel_dim + m` holding `U[m, i · rel_dim + j]` over
    /// `j` (the parser's `rel_u` is (rel_dim, relations · rel_dim)); its
    /// product in int8 when the head runs so.
    rel_u: Lin,
    rel_w: Lin,
    d: usize,
    feat_dim: usize,
    rel_dim: usize,
    relations: usize,
    /// Index of `root`, the relation of the word under the root and of no other.
    root_rel: Option<usize>,
}

/// Per sentence, per word: (UPOS index, head: 0 for the root or the
/// 1-based word, relation index).
pub type Predictions = Vec<Vec<(usize, usize, usize)>>;

impl FastHead {
    /// Copies the weights of `parser` out of its tensors; with `int8`
    /// (on a processor with AVX-512 VNNI, else it is an error), the dense
    /// layers quantised as the module says.
    pub fn new(parser: &Parser, int8: bool) -> Result<Self> {
        if int8 {
            crate::ner::int8::require()?;
        }
        let c = &parser.config;
        let d = c.d_model;
        let (r, nrel) = (c.rel_dim, c.deprels.len());
        let u = values(&parser.rel_u)?;
        if u.len() != r * nrel * r {
            candle_core::bail!(
                "the relation bilinear has {} values; {nrel} relations of {r} want {}",
                u.len(),
                r * nrel * r
            );
        }
        // (m, i·r + j) → row i·r + m, column j.
        let mut ut = vec![0f32; u.len()];
        for m in 0..r {
            for i in 0..nrel {
                for j in 0..r {
                    ut[(i * r + m) * r + j] = u[m * nrel * r + i * r + j];
                }
            }
        }
        let mut rel_u = Lin {
            w: ut,
            b: vec![0.0; nrel * r],
            inp: r,
            out: nrel * r,
            q: None,
        };
        if int8 {
            rel_u.q = Some(QuantLinear::new(&rel_u.w, rel_u.out, r, None)?);
        }
        Ok(FastHead {
            in_norm: Ln::new(&parser.in_norm)?,
            proj: Lin::new_maybe_int8(&parser.proj, int8)?,
            root: values(&parser.root)?,
            positions: values(&positions(super::MAX_WORDS + 1, d, &Device::Cpu)?)?,
            blocks: parser
                .blocks
                .iter()
                .map(|b| FastBlock::new(b, int8))
                .collect::<Result<_>>()?,
            out_norm: Ln::new(&parser.out_norm)?,
            upos: Lin::new(&parser.upos)?,
            arc_dep: Lin::new_maybe_int8(&parser.arc_dep, int8)?,
            arc_head: Lin::new_maybe_int8(&parser.arc_head, int8)?,
            arc_w: values(&parser.arc_w)?,
            arc_b: values(&parser.arc_b)?,
            rel_dep: Lin::new_maybe_int8(&parser.rel_dep, int8)?,
            rel_head: Lin::new_maybe_int8(&parser.rel_head, int8)?,
            rel_u,
            rel_w: Lin::new(&parser.rel_w)?,
            d,
            feat_dim: c.feat_dim,
            rel_dim: c.rel_dim,
            relations: c.deprels.len(),
            root_rel: c.deprels.iter().position(|r| r == "root"),
        })
    }

    /// Tags and trees of sentences, each word a row of `feat_dim`
    /// features: as [`Parser::predict`] (which pads them into a batch).
    pub fn predict(&self, sentences: &[&[Vec<f32>]]) -> Result<Predictions> {
        let mut out = Vec::with_capacity(sentences.len());
        let mut start = 0;
        while start < sentences.len() {
            // Sentences while their rows fit (at least one).
            let mut end = start;
            let mut rows = 0;
            while end < sentences.len() && (end == start || rows + sentences[end].len() < ROWS) {
                rows += sentences[end].len() + 1;
                end += 1;
            }
            out.extend(self.predict_group(&sentences[start..end])?);
            start = end;
        }
        Ok(out)
    }

    fn predict_group(&self, sentences: &[&[Vec<f32>]]) -> Result<Predictions> {
        let (d, f) = (self.d, self.feat_dim);
        let words: usize = sentences.iter().map(|s| s.len()).sum();
        if let Some(row) = sentences
            .iter()
            .flat_map(|s| s.iter())
            .find(|r| r.len() != f)
        {
            candle_core::bail!(
                "a word has {} feature values; the syntax model expects {f}",
                row.len()
            );
        }
        let rows = sentences.iter().flat_map(|s| s.iter().map(Vec::as_slice));
        let proj = self
            .proj
            .apply(&self.in_norm.apply_rows(rows, words), words);
        // Position encodings: the table, or for a longer sentence (only
        // ever given with gold words) one made for this group.
        let longest = sentences.iter().map(|s| s.len()).max().unwrap_or(0);
        let longer;
        let table = if (longest + 1) * d <= self.positions.len() {
            &self.positions
        } else {
            longer = values(&positions(longest + 1, d, &Device::Cpu)?)?;
            &longer
        };
        // Packed rows: per sentence its root, then its words; plus positions.
        let mut spans = Vec::with_capacity(sentences.len());
        let mut x = Vec::with_capacity((words + sentences.len()) * d);
        let mut w = 0;
        for s in sentences {
            spans.push((x.len() / d, s.len() + 1));
            for p in 0..=s.len() {
                let src = if p == 0 {
                    &self.root[..]
                } else {
                    w += 1;
                    &proj[(w - 1) * d..w * d]
                };
                let pos = &table[p * d..(p + 1) * d];
                x.extend(src.iter().zip(pos).map(|(a, b)| a + b));
            }
        }
        drop(proj);
        for blk in &self.blocks {
            blk.forward(&mut x, &spans, d);
        }
        let rows = x.len() / d;
        let h = self.out_norm.apply(&x);
        drop(x);
        let upos = self.upos.apply(&h, rows);
        let nu = self.upos.out;
        let dep = self.arc_dep.apply_gelu(&h, rows);
        let head = self.arc_head.apply_gelu(&h, rows);
        let a = self.arc_dep.out;
        let mut dw = vec![0f32; rows * a];
        matmul(rows, a, a, &dep, (a, 1), &self.arc_w, (a, 1), &mut dw);
        let mut hb = vec![0f32; rows];
        matmul(rows, 1, a, &head, (a, 1), &self.arc_b, (1, 1), &mut hb);
        let rel_dep = self.rel_dep.apply_gelu(&h, rows);
        let rel_head = self.rel_head.apply_gelu(&h, rows);
        drop(h);
        // Trees, sentences in parallel.
        let trees: Vec<Vec<usize>> = spans
            .par_iter()
            .map(|&(at, n)| {
                let mut arcs = vec![0f32; n * n];
                let dws = &dw[at * a..];
                let heads = &head[at * a..];
                matmul(n, n, a, dws, (a, 1), heads, (1, a), &mut arcs);
                let scores: Vec<Vec<f32>> = arcs
                    .chunks_exact(n)
                    .enumerate()
                    .map(|(i, r)| {
                        let s: Vec<f32> = r
                            .iter()
                            .zip(&hb[at..at + n])
                            .enumerate()
                            .map(|(j, (v, b))| if i == j { v + b + -1e9 } else { v + b })
                            .collect();
                        log_softmax(&s)
                    })
                    .collect();
                cle::decode(&scores)
            })
            .collect();
        let rels = self.relations(&spans, &trees, &rel_dep, &rel_head, words);
        let mut res = Vec::with_capacity(spans.len());
        let mut k = 0;
        for (&(at, n), tree) in spans.iter().zip(&trees) {
            let mut s = Vec::with_capacity(n - 1);
            for (dpos, &hpos) in tree.iter().enumerate().take(n).skip(1) {
                let u = &upos[(at + dpos) * nu..(at + dpos + 1) * nu];
                s.push((argmax(u.iter().copied().enumerate()), hpos, rels[k]));
                k += 1;
            }
            res.push(s);
        }
        Ok(res)
    }
}

impl FastHead {
    /// Per word (sentence after sentence), the index of its relation with
    /// the head `trees` gives it: "root" for the word under the root, else
    /// the best other one by `depᵀ Uᵢ head + W [dep; head] + b`.
    fn relations(
        &self,
        spans: &[(usize, usize)],
        trees: &[Vec<usize>],
        rel_dep: &[f32],
        rel_head: &[f32],
        words: usize,
    ) -> Vec<usize> {
        let r = self.rel_dim;
        let nrel = self.relations;
        let root = self.root_rel;
        // Per word: its row, its head's row (its sentence's root row for
        // the word under the root), whether its relation is scored (not
        // when it is the word under the root and "root" is a relation).
        let mut arcs = Vec::with_capacity(words);
        for (&(at, n), tree) in spans.iter().zip(trees) {
            for (dpos, &hpos) in tree.iter().enumerate().take(n).skip(1) {
                arcs.push((at + dpos, at + hpos, root.is_none() || hpos != 0));
            }
        }
        let mut pairs = Vec::with_capacity(words * 2 * r);
        for &(d, h, _) in &arcs {
            pairs.extend_from_slice(&rel_dep[d * r..(d + 1) * r]);
            pairs.extend_from_slice(&rel_head[h * r..(h + 1) * r]);
        }
        let lin = self.rel_w.apply(&pairs, words);
        drop(pairs);
        // The words that head another, each once, in row order; per word,
        // the index of its head among them.
        let mut heads: Vec<usize> = arcs.iter().filter(|a| a.2).map(|a| a.1).collect();
        heads.sort_unstable();
        heads.dedup();
        let mut by_head: Vec<(usize, usize)> = arcs
            .iter()
            .enumerate()
            .filter(|(_, a)| a.2)
            .map(|(k, a)| (heads.binary_search(&a.1).unwrap_or(0), k))
            .collect();
        by_head.sort_unstable();
        let mut rels: Vec<usize> = vec![root.unwrap_or(0); words];
        let mut rows = Vec::new();
        let mut next = 0;
        for h0 in (0..heads.len()).step_by(REL_CHUNK) {
            let h1 = (h0 + REL_CHUNK).min(heads.len());
            rows.clear();
            for &h in &heads[h0..h1] {
                rows.extend_from_slice(&rel_head[h * r..(h + 1) * r]);
            }
            // (heads, relations · r): Uᵢ head for each.
            let uh = self.rel_u.apply(&rows, h1 - h0);
            // The dependents of these heads, in parallel.
            let end = next + by_head[next..].partition_point(|&(hi, _)| hi < h1);
            let best: Vec<(usize, usize)> = by_head[next..end]
                .par_iter()
                .map(|&(hi, k)| {
                    let dep = &rel_dep[arcs[k].0 * r..(arcs[k].0 + 1) * r];
                    let at = (hi - h0) * nrel * r;
                    let scores = (0..nrel).filter(|&i| Some(i) != root).map(|i| {
                        let row = &uh[at + i * r..at + (i + 1) * r];
                        (i, lane_dot(row, dep) + lin[k * nrel + i])
                    });
                    // The last of equals, as the candle head's `max_by`.
                    let rel = scores
                        .max_by(|a, b| a.1.total_cmp(&b.1))
                        .map_or(0, |(i, _)| i);
                    (k, rel)
                })
                .collect();
            for (k, rel) in best {
                rels[k] = rel;
            }
            next = end;
        }
        rels
    }
}

/// Σ a·b, in `LANES` partial sums.
fn lane_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let mut ca = a.chunks_exact(LANES);
    let mut cb = b.chunks_exact(LANES);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for ((s, x), y) in acc.iter_mut().zip(x).zip(y) {
            *s += x * y;
        }
    }
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    acc.iter().sum::<f32>() + tail
}

/// The index of the largest value, the first of equals.
fn argmax(values: impl Iterator<Item = (usize, f32)>) -> usize {
    let mut best: Option<(usize, f32)> = None;
    for (i, v) in values {
        if best.is_none_or(|(_, b)| v > b) {
            best = Some((i, v));
        }
    }
    best.map_or(0, |(i, _)| i)
}

/// log(softmax(x)), as candle computes it: x − max − ln Σ exp(x − max).
fn log_softmax(x: &[f32]) -> Vec<f32> {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = x.iter().map(|v| (v - max).exp()).sum();
    let ln = sum.ln();
    x.iter().map(|v| (v - max) - ln).collect()
}

#[cfg(test)]
mod tests {
    use super::super::head::SyntaxConfig;
    use super::*;
    use candle_nn::{VarBuilder, VarMap};
    use rand::{Rng, SeedableRng};

    fn config() -> SyntaxConfig {
        SyntaxConfig {
            layers: vec![2, 4],
            feat_dim: 24,
            d_model: 32,
            n_layers: 2,
            n_heads: 4,
            ffn_dim: 48,
            arc_dim: 16,
            rel_dim: 8,
            upos: (0..5).map(|i| format!("U{i}")).collect(),
            deprels: ["nsubj", "root", "obj", "det", "punct", "obl"]
                .map(String::from)
                .to_vec(),
            encoder_sha256: String::new(),
        }
    }

    /// A head with every weight random (the biaffine weights start at zero).
    fn random_parser(seed: u64) -> Parser {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let parser = Parser::load(vb, &config()).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let data = varmap.data().lock().unwrap();
        let mut names: Vec<&String> = data.keys().collect();
        names.sort();
        for name in names {
            let var = &data[name];
            let shape = var.as_tensor().shape().clone();
            let v: Vec<f32> = (0..shape.elem_count())
                .map(|_| rng.gen_range(-0.5f32..0.5))
                .collect();
            var.set(&Tensor::from_vec(v, shape, &Device::Cpu).unwrap())
                .unwrap();
        }
        drop(data);
        parser
    }

    #[test]
    fn the_fast_head_predicts_what_the_candle_head_predicts() {
        let parser = random_parser(7);
        let fast = FastHead::new(&parser, false).unwrap();
        let f = parser.config.feat_dim;
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        // Sentences of one word to more than MAX_WORDS (a table of positions
        // made for that one).
        let lens = [5usize, 1, 17, 40, 2, 9, 23, 3, super::super::MAX_WORDS + 4];
        let sentences: Vec<Vec<Vec<f32>>> = lens
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| (0..f).map(|_| rng.gen_range(-2f32..2.0)).collect())
                    .collect()
            })
            .collect();
        let slices: Vec<&[Vec<f32>]> = sentences.iter().map(Vec::as_slice).collect();
        let got = fast.predict(&slices).unwrap();
        // The candle head over the same sentences, padded to the longest.
        let t = *lens.iter().max().unwrap();
        let mut flat = vec![0f32; lens.len() * t * f];
        for (k, s) in sentences.iter().enumerate() {
            for (j, row) in s.iter().enumerate() {
                flat[(k * t + j) * f..(k * t + j + 1) * f].copy_from_slice(row);
            }
        }
        let feats = Tensor::from_vec(flat, (lens.len(), t, f), &Device::Cpu).unwrap();
        let want = parser.predict(&feats, &lens).unwrap();
        assert_eq!(got, want);
        // Every tree has one word under the root, labelled root.
        for s in &got {
            let under_root: Vec<_> = s.iter().filter(|w| w.1 == 0).collect();
            assert_eq!(under_root.len(), 1, "{s:?}");
            assert_eq!(under_root[0].2, 1, "{s:?}");
        }
    }

    #[test]
    fn the_int8_head_agrees_with_the_f32_head() {
        let parser = random_parser(3);
        if !crate::ner::int8::available() {
            let e = FastHead::new(&parser, true)
                .err()
                .expect("int8 without VNNI");
            assert!(e.to_string().contains("VNNI"), "{e}");
            return;
        }
        let f32_head = FastHead::new(&parser, false).unwrap();
        let int8_head = FastHead::new(&parser, true).unwrap();
        let f = parser.config.feat_dim;
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let sentences: Vec<Vec<Vec<f32>>> = (0..60)
            .map(|i| {
                (0..1 + i % 23)
                    .map(|_| (0..f).map(|_| rng.gen_range(-2f32..2.0)).collect())
                    .collect()
            })
            .collect();
        let slices: Vec<&[Vec<f32>]> = sentences.iter().map(Vec::as_slice).collect();
        let a = f32_head.predict(&slices).unwrap();
        let b = int8_head.predict(&slices).unwrap();
        let (mut n, mut tags, mut heads, mut rels) = (0, 0, 0, 0);
        for (x, y) in a.iter().flatten().zip(b.iter().flatten()) {
            n += 1;
            tags += usize::from(x.0 == y.0);
            heads += usize::from(x.1 == y.1);
            rels += usize::from(x.1 == y.1 && x.2 == y.2);
        }
        assert_eq!(n, sentences.iter().map(Vec::len).sum::<usize>());
        let share = |k: usize| k as f64 / n as f64;
        eprintln!(
            "int8 vs f32: tags {:.3}, heads {:.3}, relations {:.3}",
            share(tags),
            share(heads),
            share(rels)
        );
        assert!(share(tags) > 0.95 && share(heads) > 0.93 && share(rels) > 0.93);
        // Trees all the same: one word under the root, labelled root.
        for s in &b {
            let under_root: Vec<_> = s.iter().filter(|w| w.1 == 0).collect();
            assert_eq!(under_root.len(), 1, "{s:?}");
            assert_eq!(under_root[0].2, 1, "{s:?}");
        }
    }

    #[test]
    fn a_word_with_the_wrong_number_of_features_is_an_error() {
        let fast = FastHead::new(&random_parser(1), false).unwrap();
        let bad = vec![vec![0f32; 5]];
        let e = fast.predict(&[bad.as_slice()]).unwrap_err().to_string();
        assert!(e.contains("5 feature values") && e.contains("24"), "{e}");
    }

    #[test]
    fn the_largest_value_is_taken_first_of_equals() {
        assert_eq!(argmax([1.0f32, 3.0, 3.0, -1.0].into_iter().enumerate()), 1);
        let l = log_softmax(&[0.0, 0.0]);
        assert!((l[0] - (0.5f32).ln()).abs() < 1e-6 && l[0] == l[1]);
    }
}
