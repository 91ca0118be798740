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

use super::cle;
use super::head::{positions, Block, Norm, Parser};
use crate::ner::fast;
use candle_core::{DType, Device, Result, Tensor};
use candle_nn::Linear;
use gemm::Parallelism;

/// Rows (roots and words) per pass: bounds the memory of one call.
const ROWS: usize = 4096;

/// Words whose relation scores are computed together (each word's
/// bilinear product is relations × rel_dim values: 26 KB).
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
        })
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
        let y = self.product(x, rows);
        let mut out = vec![0f32; y.len()];
        fast::bias_gelu_slice(&y, &self.b, &mut out);
        out
    }

    /// `x += y · Wᵀ + b`.
    fn add_to(&self, x: &mut [f32], y: &[f32], rows: usize) {
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
    fn new(b: &Block) -> Result<Self> {
        Ok(FastBlock {
            norm1: Ln::new(&b.norm1)?,
            qkv: Lin::new(&b.qkv)?,
            out: Lin::new(&b.out)?,
            norm2: Ln::new(&b.norm2)?,
            ff1: Lin::new(&b.ff1)?,
            ff2: Lin::new(&b.ff2)?,
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
        let mut scores = Vec::new();
        let mut probs = Vec::new();
        let mut zeros = Vec::new();
        let mut part = Vec::new();
        for &(at, n) in spans {
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
                matmul(n, n, hd, q, (3 * d, 1), k, (1, 3 * d), &mut scores);
                fast::softmax_slice(&scores, &zeros, scale, &mut probs);
                matmul(n, hd, n, &probs, (n, 1), v, (3 * d, 1), &mut part);
                for (i, p) in part.chunks_exact(hd).enumerate() {
                    let o = (at + i) * d + h * hd;
                    ctx[o..o + hd].copy_from_slice(p);
                }
            }
        }
        self.out.add_to(x, &ctx, rows);
        let f = self.ff1.apply_gelu(&self.norm2.apply(x), rows);
        self.ff2.add_to(x, &f, rows);
    }
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
    /// (rel_dim, relations · rel_dim), row-major.
    rel_u: Vec<f32>,
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
    /// Copies the weights of `parser` out of its tensors.
    pub fn new(parser: &Parser) -> Result<Self> {
        let c = &parser.config;
        let d = c.d_model;
        Ok(FastHead {
            in_norm: Ln::new(&parser.in_norm)?,
            proj: Lin::new(&parser.proj)?,
            root: values(&parser.root)?,
            positions: values(&positions(super::MAX_WORDS + 1, d, &Device::Cpu)?)?,
            blocks: parser
                .blocks
                .iter()
                .map(FastBlock::new)
                .collect::<Result<_>>()?,
            out_norm: Ln::new(&parser.out_norm)?,
            upos: Lin::new(&parser.upos)?,
            arc_dep: Lin::new(&parser.arc_dep)?,
            arc_head: Lin::new(&parser.arc_head)?,
            arc_w: values(&parser.arc_w)?,
            arc_b: values(&parser.arc_b)?,
            rel_dep: Lin::new(&parser.rel_dep)?,
            rel_head: Lin::new(&parser.rel_head)?,
            rel_u: values(&parser.rel_u)?,
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
        // Trees, one sentence at a time.
        let mut trees = Vec::with_capacity(spans.len());
        let mut arcs = Vec::new();
        for &(at, n) in &spans {
            arcs.resize(n * n, 0.0);
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
            trees.push(cle::decode(&scores));
        }
        // Relations of each word with its head.
        let r = self.rel_dim;
        let nrel = self.relations;
        let mut pairs = Vec::with_capacity(words * 2 * r);
        let mut deps = Vec::with_capacity(words * r);
        let mut heads_r = Vec::with_capacity(words * r);
        for (&(at, n), tree) in spans.iter().zip(&trees) {
            for (dpos, &hpos) in tree.iter().enumerate().take(n).skip(1) {
                let dr = &rel_dep[(at + dpos) * r..(at + dpos + 1) * r];
                let hr = &rel_head[(at + hpos) * r..(at + hpos + 1) * r];
                deps.extend_from_slice(dr);
                heads_r.extend_from_slice(hr);
                pairs.extend_from_slice(dr);
                pairs.extend_from_slice(hr);
            }
        }
        let lin = self.rel_w.apply(&pairs, words);
        drop(pairs);
        // Per word, its relation: "root" for the word under the root, else
        // the best other one; the bilinear products in chunks of words
        // (each word's is relations × rel_dim values).
        let on_root: Vec<bool> = spans
            .iter()
            .zip(&trees)
            .flat_map(|(&(_, n), tree)| tree[1..n].iter().map(|&h| h == 0))
            .collect();
        let mut rels = Vec::with_capacity(words);
        let mut du = Vec::new();
        for k0 in (0..words).step_by(REL_CHUNK) {
            let k1 = (k0 + REL_CHUNK).min(words);
            du.resize((k1 - k0) * nrel * r, 0.0);
            matmul(
                k1 - k0,
                nrel * r,
                r,
                &deps[k0 * r..k1 * r],
                (r, 1),
                &self.rel_u,
                (nrel * r, 1),
                &mut du,
            );
            for k in k0..k1 {
                rels.push(match self.root_rel {
                    Some(root) if on_root[k] => root,
                    root => {
                        let hr = &heads_r[k * r..(k + 1) * r];
                        let at = (k - k0) * nrel;
                        let scores = (0..nrel).filter(|&i| Some(i) != root).map(|i| {
                            let row = &du[(at + i) * r..(at + i + 1) * r];
                            let bil: f32 = row.iter().zip(hr).map(|(a, b)| a * b).sum();
                            (i, bil + lin[k * nrel + i])
                        });
                        // The last of equals, as the candle head's `max_by`.
                        scores
                            .max_by(|a, b| a.1.total_cmp(&b.1))
                            .map_or(0, |(i, _)| i)
                    }
                });
            }
        }
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
        let fast = FastHead::new(&parser).unwrap();
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
    fn a_word_with_the_wrong_number_of_features_is_an_error() {
        let fast = FastHead::new(&random_parser(1)).unwrap();
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
