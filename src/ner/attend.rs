//! Inference attention over each window's own positions, and the tag
//! head's products row by row: the two places where the encoder's output
//! for a window would otherwise depend on the windows batched with it.
//!
//! With candle's batched products, a window padded to the batch's longest
//! one is multiplied and summed over the padded length: the padding adds
//! exact zeros, but the matrix-product kernels and the softmax's vector
//! lanes group the terms by the padded length (and `gemm` takes other paths
//! for short products), so the last bits of a window's values change with
//! its company. Invisible in f32 output, such a bit can move a value across
//! an int8 quantisation step (`super::int8`) and change a tag. Here every
//! sum runs over the window's real positions, in an order fixed by that
//! length alone:
//!
//! - scores `q_i · k_j` summed over the head's dimensions in order, scaled;
//! - softmax over `j < len`: exact maximum, `exp`, a sum in 16 lanes
//!   (position `j` in lane `j mod 16`) reduced in lane order;
//! - context `Σ_j p_ij v_j` summed over `j` in order.
//!
//! Padded query rows get a zero context (nothing reads them). The tag head
//! sums each row's products in the same fixed lanes ([`linear_by_rows`]).
//! The loops are written for LLVM to vectorise and compiled per instruction
//! set like `super::fast`'s kernels; with AVX-512 and heads of 32
//! dimensions, four query rows at a time go through an intrinsics kernel
//! that adds the same products in the same order (a test holds every build
//! to the baseline's bits), so the attention's output does not depend on
//! the build either.

use super::fast::{contiguous, exp_nonpositive, isa, Isa};
use candle_core::{CpuStorage, CustomOp3, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// Lanes of the softmax sums and the row products.
const LANES: usize = 16;

/// Score columns computed together, per query row.
const JB: usize = 32;
/// Query rows computed together by the AVX-512 kernel: their sums are
/// independent chains that keep the vector units busy, and they share the
/// loads of `k` and `v`.
const QB: usize = 4;

/// `out[j] = Σ_dd q[dd] · kt[dd][j]` for a block of `JB` columns (`kt`
/// rows of `stride` values from the block's first column), the sum over
/// `dd` in order.
#[inline(always)]
fn scores_block(q: &[f32], kt: &[f32], stride: usize, out: &mut [f32]) {
    let mut acc = [0f32; JB];
    for (dd, &qd) in q.iter().enumerate() {
        let kr: &[f32; JB] = kt[dd * stride..dd * stride + JB].try_into().unwrap();
        for l in 0..JB {
            acc[l] += qd * kr[l];
        }
    }
    out.copy_from_slice(&acc);
}

/// `out = Σ_j p[j] · v[j]` over the rows of `v` (`D` values each), in
/// order of `j`, the sums in registers.
#[inline(always)]
fn context_fixed<const D: usize>(p: &[f32], v: &[f32], out: &mut [f32]) {
    let mut acc = [0f32; D];
    for (&pj, vr) in p.iter().zip(v.chunks_exact(D)) {
        let vr: &[f32; D] = vr.try_into().unwrap();
        for l in 0..D {
            acc[l] += pj * vr[l];
        }
    }
    out.copy_from_slice(&acc);
}

/// [`context_fixed`] for any width.
#[inline(always)]
fn context(p: &[f32], v: &[f32], out: &mut [f32]) {
    match out.len() {
        32 => context_fixed::<32>(p, v, out),
        64 => context_fixed::<64>(p, v, out),
        d => {
            out.fill(0.0);
            for (&pj, vr) in p.iter().zip(v.chunks_exact(d)) {
                for (o, &x) in out.iter_mut().zip(vr) {
                    *o += pj * x;
                }
            }
        }
    }
}

/// Softmax in place over `s` (the scores of one query row): scaled, exact
/// maximum, exponentials summed in lanes by position, normalised, with
/// would-be denormals flushed to zero.
#[inline(always)]
fn softmax_row(s: &mut [f32], scale: f32) {
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let mut chunks = s.chunks_exact_mut(LANES);
    for chunk in &mut chunks {
        for l in 0..LANES {
            let x = chunk[l] * scale;
            chunk[l] = x;
            lanes[l] = if x > lanes[l] { x } else { lanes[l] };
        }
    }
    for (l, sj) in chunks.into_remainder().iter_mut().enumerate() {
        *sj *= scale;
        lanes[l] = if *sj > lanes[l] { *sj } else { lanes[l] };
    }
    let max = lanes.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let mut lanes = [0f32; LANES];
    let mut chunks = s.chunks_exact_mut(LANES);
    for chunk in &mut chunks {
        for l in 0..LANES {
            let e = exp_nonpositive(chunk[l] - max);
            chunk[l] = e;
            lanes[l] += e;
        }
    }
    for (l, sj) in chunks.into_remainder().iter_mut().enumerate() {
        let e = exp_nonpositive(*sj - max);
        *sj = e;
        lanes[l] += e;
    }
    let sum: f32 = lanes.iter().sum();
    for sj in s.iter_mut() {
        let p = *sj / sum;
        *sj = if p < f32::MIN_POSITIVE { 0.0 } else { p };
    }
}

/// Query row `i` of one head: scores, softmax, context into `out` (the
/// window's rows, `stride` values each, the head's from `offset`).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn query_row(
    q: &[f32],
    i: usize,
    (len, stride, offset, d): (usize, usize, usize, usize),
    scale: f32,
    kt: &[f32],
    vv: &[f32],
    s: &mut [f32],
    out: &mut [f32],
) {
    let lp = kt.len() / d;
    let qi = &q[i * stride + offset..i * stride + offset + d];
    for (jb, sb) in s[..lp].chunks_exact_mut(JB).enumerate() {
        scores_block(qi, &kt[jb * JB..], lp, sb);
    }
    softmax_row(&mut s[..len], scale);
    context(
        &s[..len],
        vv,
        &mut out[i * stride + offset..i * stride + offset + d],
    );
}

/// The attention of one head of one window: `q`, `k`, `v` are the window's
/// rows (`len` of them used, each `stride` values, the head's `d` values
/// from `offset`); the context goes to the same place in `out`'s rows.
/// `kt`, `vv` and `s` are scratch buffers.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn head_kernel(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    dims: (usize, usize, usize, usize),
    scale: f32,
    out: &mut [f32],
    kt: &mut Vec<f32>,
    vv: &mut Vec<f32>,
    s: &mut Vec<f32>,
    block: Option<RowBlock>,
) {
    let (len, stride, offset, d) = dims;
    // K transposed (d × padded len, zeros beyond len) and V packed (len ×
    // d), for unit-stride loops.
    let lp = len.div_ceil(JB) * JB;
    kt.clear();
    kt.resize(d * lp, 0.0);
    vv.clear();
    vv.reserve(d * len);
    for j in 0..len {
        let kr = &k[j * stride + offset..j * stride + offset + d];
        for (dd, &x) in kr.iter().enumerate() {
            kt[dd * lp + j] = x;
        }
        vv.extend_from_slice(&v[j * stride + offset..j * stride + offset + d]);
    }
    s.clear();
    s.resize(QB * lp, 0.0);
    let mut i0 = 0;
    if let Some(rows) = block {
        while i0 + QB <= len {
            // SAFETY: `block` is given only by a build whose features the
            // processor has (`head` dispatches on them).
            unsafe { rows(q, i0, dims, scale, kt, vv, s, out) };
            i0 += QB;
        }
    }
    for i in i0..len {
        query_row(q, i, dims, scale, kt, vv, s, out);
    }
}

/// A kernel for `QB` query rows at once ([`arch::rows4_d32_avx512`]): the
/// same sums, in the same order, as [`query_row`] row by row.
type RowBlock = unsafe fn(
    &[f32],
    usize,
    (usize, usize, usize, usize),
    f32,
    &[f32],
    &[f32],
    &mut [f32],
    &mut [f32],
);

/// `x · wᵀ + b` for the rows of `x` (each `k` values) and `w` (n × k):
/// each product summed in 16 lanes (index `i` in lane `i mod 16`), the
/// lanes in order, then the bias.
#[inline(always)]
fn rows_kernel(x: &[f32], w: &[f32], b: Option<&[f32]>, k: usize, out: &mut [f32]) {
    let n = w.len() / k;
    for (xr, or) in x.chunks_exact(k).zip(out.chunks_exact_mut(n)) {
        for (c, o) in or.iter_mut().enumerate() {
            let wc = &w[c * k..(c + 1) * k];
            let mut lanes = [0f32; LANES];
            let mut xs = xr.chunks_exact(LANES);
            let mut ws = wc.chunks_exact(LANES);
            for (xa, wa) in (&mut xs).zip(&mut ws) {
                for l in 0..LANES {
                    lanes[l] += xa[l] * wa[l];
                }
            }
            for (l, (a, b)) in xs.remainder().iter().zip(ws.remainder()).enumerate() {
                lanes[l] += a * b;
            }
            *o = lanes.iter().sum::<f32>() + b.map_or(0.0, |b| b[c]);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod arch {
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn head_avx512(
        q: &[f32],
        k: &[f32],
        v: &[f32],
        dims: (usize, usize, usize, usize),
        scale: f32,
        out: &mut [f32],
        kt: &mut Vec<f32>,
        vv: &mut Vec<f32>,
        s: &mut Vec<f32>,
    ) {
        let block: Option<super::RowBlock> = match dims.3 {
            32 => Some(rows4_d32_avx512),
            _ => None,
        };
        super::head_kernel(q, k, v, dims, scale, out, kt, vv, s, block)
    }

    /// Query rows `i0..i0 + 4` of a head of 32 dimensions: the sums of
    /// [`super::query_row`] (each product added in the same order), with
    /// the four rows' sums side by side in registers.
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn rows4_d32_avx512(
        q: &[f32],
        i0: usize,
        (len, stride, offset, d): (usize, usize, usize, usize),
        scale: f32,
        kt: &[f32],
        vv: &[f32],
        s: &mut [f32],
        out: &mut [f32],
    ) {
        use std::arch::x86_64::*;
        const R: usize = super::QB;
        assert!(d == 32 && (i0 + R) * stride <= q.len() && (i0 + R) * stride <= out.len());
        assert!(offset + d <= stride && vv.len() >= len * d);
        let lp = kt.len() / d;
        assert!(s.len() >= R * lp && lp.is_multiple_of(super::JB) && len <= lp);
        let qp: [*const f32; R] = std::array::from_fn(|r| q[(i0 + r) * stride + offset..].as_ptr());
        for jb in 0..lp / super::JB {
            let mut a = [[_mm512_setzero_ps(); 2]; R];
            for dd in 0..d {
                // SAFETY: dd < d and jb * 32 + 32 <= lp: inside kt (d × lp).
                let kp = kt.as_ptr().add(dd * lp + jb * super::JB);
                let (k0, k1) = (_mm512_loadu_ps(kp), _mm512_loadu_ps(kp.add(16)));
                for r in 0..R {
                    // SAFETY: dd < d, inside the row's head (asserted).
                    let qb = _mm512_set1_ps(*qp[r].add(dd));
                    a[r][0] = _mm512_add_ps(a[r][0], _mm512_mul_ps(qb, k0));
                    a[r][1] = _mm512_add_ps(a[r][1], _mm512_mul_ps(qb, k1));
                }
            }
            for (r, ar) in a.iter().enumerate() {
                // SAFETY: r * lp + jb * 32 + 32 <= R * lp <= s.len().
                let sp = s.as_mut_ptr().add(r * lp + jb * super::JB);
                _mm512_storeu_ps(sp, ar[0]);
                _mm512_storeu_ps(sp.add(16), ar[1]);
            }
        }
        for r in 0..R {
            super::softmax_row(&mut s[r * lp..r * lp + len], scale);
        }
        let mut c = [[_mm512_setzero_ps(); 2]; R];
        for j in 0..len {
            // SAFETY: j < len, vv holds len rows of 32.
            let vp = vv.as_ptr().add(j * 32);
            let (v0, v1) = (_mm512_loadu_ps(vp), _mm512_loadu_ps(vp.add(16)));
            for r in 0..R {
                let pb = _mm512_set1_ps(s[r * lp + j]);
                c[r][0] = _mm512_add_ps(c[r][0], _mm512_mul_ps(pb, v0));
                c[r][1] = _mm512_add_ps(c[r][1], _mm512_mul_ps(pb, v1));
            }
        }
        for (r, cr) in c.iter().enumerate() {
            let o = &mut out[(i0 + r) * stride + offset..(i0 + r) * stride + offset + 32];
            // SAFETY: o holds 32 values.
            _mm512_storeu_ps(o.as_mut_ptr(), cr[0]);
            _mm512_storeu_ps(o.as_mut_ptr().add(16), cr[1]);
        }
    }
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn head_avx2(
        q: &[f32],
        k: &[f32],
        v: &[f32],
        dims: (usize, usize, usize, usize),
        scale: f32,
        out: &mut [f32],
        kt: &mut Vec<f32>,
        vv: &mut Vec<f32>,
        s: &mut Vec<f32>,
    ) {
        super::head_kernel(q, k, v, dims, scale, out, kt, vv, s, None)
    }
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn rows_avx512(x: &[f32], w: &[f32], b: Option<&[f32]>, k: usize, out: &mut [f32]) {
        super::rows_kernel(x, w, b, k, out)
    }
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn rows_avx2(x: &[f32], w: &[f32], b: Option<&[f32]>, k: usize, out: &mut [f32]) {
        super::rows_kernel(x, w, b, k, out)
    }
}

/// Scratch buffers of one task.
#[derive(Default)]
struct Scratch {
    kt: Vec<f32>,
    vv: Vec<f32>,
    s: Vec<f32>,
}

#[allow(clippy::too_many_arguments)]
fn head(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    dims: (usize, usize, usize, usize),
    scale: f32,
    out: &mut [f32],
    sc: &mut Scratch,
) {
    let Scratch { kt, vv, s } = sc;
    match isa() {
        // SAFETY: the processor has the features these builds enable.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { arch::head_avx512(q, k, v, dims, scale, out, kt, vv, s) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { arch::head_avx2(q, k, v, dims, scale, out, kt, vv, s) },
        _ => head_kernel(q, k, v, dims, scale, out, kt, vv, s, None),
    }
}

struct Attend<'a> {
    lengths: &'a [usize],
    heads: usize,
    scale: f32,
}

impl CustomOp3 for Attend<'_> {
    fn name(&self) -> &'static str {
        "window-attention"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let (q, k, v) = (
            contiguous(s1, l1, "attention")?,
            contiguous(s2, l2, "attention")?,
            contiguous(s3, l3, "attention")?,
        );
        let [b, t, h] = *l1.dims() else {
            candle_core::bail!(
                "attention: expected (batch, len, hidden), got {:?}",
                l1.dims()
            )
        };
        if l2.dims() != l1.dims() || l3.dims() != l1.dims() {
            candle_core::bail!(
                "attention: q, k, v of shapes {:?} {:?} {:?}",
                l1.dims(),
                l2.dims(),
                l3.dims()
            )
        }
        if self.lengths.len() != b || self.lengths.iter().any(|&n| n > t) {
            candle_core::bail!(
                "attention: lengths {:?} for {b} windows of {t}",
                self.lengths
            )
        }
        if self.heads == 0 || h % self.heads != 0 {
            candle_core::bail!(
                "attention: {h} values do not split into {} heads",
                self.heads
            )
        }
        let d = h / self.heads;
        // Per window, head after head; padded rows stay zero.
        let mut out = vec![0f32; b * t * h];
        out.par_chunks_mut(t * h)
            .enumerate()
            .for_each_init(Scratch::default, |sc, (w, ow)| {
                let rows = w * t * h..(w + 1) * t * h;
                let (q, k, v) = (&q[rows.clone()], &k[rows.clone()], &v[rows]);
                for hd in 0..self.heads {
                    let dims = (self.lengths[w], h, hd * d, d);
                    head(q, k, v, dims, self.scale, ow, sc);
                }
            });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// Multi-head attention at inference, for `q`, `k`, `v` of shape (batch,
/// len, hidden) as the dense layers give them: window `w` attends over its
/// first `lengths[w]` positions only, `softmax(q kᵀ · scale) v` per head;
/// the context comes back (batch, len, hidden), zero on padded rows.
pub fn attention(
    q: &Tensor,
    k: &Tensor,
    v: &Tensor,
    lengths: &[usize],
    heads: usize,
    scale: f32,
) -> Result<Tensor> {
    q.contiguous()?.apply_op3_no_bwd(
        &k.contiguous()?,
        &v.contiguous()?,
        &Attend {
            lengths,
            heads,
            scale,
        },
    )
}

/// `x · Wᵀ + b` for a linear layer, each row of `x` (any rank, last
/// dimension `k`) on its own with a fixed order of sums: for small layers
/// such as the tag head, where `gemm` sums a row differently depending on
/// how many rows it is given.
pub fn linear_by_rows(x: &Tensor, lin: &candle_nn::Linear) -> Result<Tensor> {
    let (n, k) = lin.weight().dims2()?;
    let dims = x.dims();
    if dims.last() != Some(&k) {
        candle_core::bail!("linear: input {dims:?} for a weight of {n} × {k}")
    }
    let w = lin.weight().flatten_all()?.to_vec1::<f32>()?;
    let b = match lin.bias() {
        Some(b) => Some(b.to_vec1::<f32>()?),
        None => None,
    };
    let xs = x.flatten_all()?.to_vec1::<f32>()?;
    let rows = xs.len() / k.max(1);
    let mut out = vec![0f32; rows * n];
    let per_task = (1 << 12) / k.max(1) + 1;
    xs.par_chunks(per_task * k)
        .zip(out.par_chunks_mut(per_task * n))
        .for_each(|(x, o)| {
            let b = b.as_deref();
            match isa() {
                // SAFETY: the processor has the features these builds enable.
                #[cfg(target_arch = "x86_64")]
                Isa::Avx512 => unsafe { arch::rows_avx512(x, &w, b, k, o) },
                #[cfg(target_arch = "x86_64")]
                Isa::Avx2 => unsafe { arch::rows_avx2(x, &w, b, k, o) },
                _ => rows_kernel(x, &w, b, k, o),
            }
        });
    let mut shape = dims.to_vec();
    *shape.last_mut().unwrap() = n;
    Tensor::from_vec(out, shape, x.device())
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, D};
    use rand::{Rng, SeedableRng};

    fn random(n: usize, seed: u64) -> Vec<f32> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n).map(|_| rng.gen_range(-2.0..2.0)).collect()
    }

    /// candle's batched attention over one window without padding.
    fn reference(q: &Tensor, k: &Tensor, v: &Tensor, heads: usize, scale: f64) -> Tensor {
        let (b, t, h) = q.dims3().unwrap();
        let split = |y: &Tensor| {
            y.reshape((b, t, heads, h / heads))
                .unwrap()
                .transpose(1, 2)
                .unwrap()
                .contiguous()
                .unwrap()
        };
        let (q, k, v) = (split(q), split(k), split(v));
        let s = (q.matmul(&k.t().unwrap()).unwrap() * scale).unwrap();
        let p = candle_nn::ops::softmax(&s, D::Minus1).unwrap();
        p.matmul(&v)
            .unwrap()
            .transpose(1, 2)
            .unwrap()
            .reshape((b, t, h))
            .unwrap()
    }

    #[test]
    fn attention_matches_candle_on_unpadded_windows() {
        for (t, h, heads) in [(1, 8, 2), (7, 64, 4), (17, 96, 3), (126, 384, 12)] {
            let dev = Device::Cpu;
            let mk = |s| Tensor::from_vec(random(t * h, s), (1, t, h), &dev).unwrap();
            let (q, k, v) = (mk(1), mk(2), mk(3));
            let scale = 1.0 / ((h / heads) as f64).sqrt();
            let want = reference(&q, &k, &v, heads, scale).flatten_all().unwrap();
            let got = attention(&q, &k, &v, &[t], heads, scale as f32)
                .unwrap()
                .flatten_all()
                .unwrap();
            let diff = (want - got)
                .unwrap()
                .abs()
                .unwrap()
                .max(0)
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            assert!(diff < 1e-5, "t {t}, h {h}: max difference {diff}");
        }
    }

    #[test]
    fn padded_rows_and_positions_change_nothing() {
        let (h, heads, dev) = (64, 4, Device::Cpu);
        let t = 9;
        let mk = |s, len| Tensor::from_vec(random(len * h, s), (1, len, h), &dev).unwrap();
        let (q, k, v) = (mk(1, t), mk(2, t), mk(3, t));
        let alone = attention(&q, &k, &v, &[t], heads, 0.25).unwrap();
        // The same window padded to 40 with garbage, next to another.
        let pad = |x: &Tensor, s| Tensor::cat(&[x, &mk(s, 40 - t)], 1).unwrap();
        let other = |s| mk(s, 40);
        let qb = Tensor::cat(&[&other(4), &pad(&q, 5)], 0).unwrap();
        let kb = Tensor::cat(&[&other(6), &pad(&k, 7)], 0).unwrap();
        let vb = Tensor::cat(&[&other(8), &pad(&v, 9)], 0).unwrap();
        let both = attention(&qb, &kb, &vb, &[40, t], heads, 0.25).unwrap();
        let a = alone.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let w = both.get(1).unwrap();
        let b = w
            .narrow(0, 0, t)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
        let padded = w
            .narrow(0, t, 40 - t)
            .unwrap()
            .abs()
            .unwrap()
            .sum_all()
            .unwrap();
        assert_eq!(padded.to_scalar::<f32>().unwrap(), 0.0);
    }

    /// Every build of the kernel (AVX-512 with its 4-row blocks, AVX2,
    /// baseline) computes the same bits: the same products summed in the
    /// same order.
    #[test]
    fn every_build_sums_alike() {
        let (h, heads) = (384, 12);
        for len in [1, 3, 4, 5, 31, 32, 33, 126] {
            let (q, k, v) = (random(len * h, 1), random(len * h, 2), random(len * h, 3));
            let run = |isa: Isa| {
                let mut out = vec![0f32; len * h];
                let mut sc = Scratch::default();
                for hd in 0..heads {
                    let dims = (len, h, hd * 32, 32);
                    let Scratch { kt, vv, s } = &mut sc;
                    match isa {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: called only where the processor has them.
                        Isa::Avx512 => unsafe {
                            arch::head_avx512(&q, &k, &v, dims, 0.17, &mut out, kt, vv, s)
                        },
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: as above.
                        Isa::Avx2 => unsafe {
                            arch::head_avx2(&q, &k, &v, dims, 0.17, &mut out, kt, vv, s)
                        },
                        _ => head_kernel(&q, &k, &v, dims, 0.17, &mut out, kt, vv, s, None),
                    }
                }
                out
            };
            let base = run(Isa::Baseline);
            let mut isas = vec![];
            #[cfg(target_arch = "x86_64")]
            {
                if is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vl") {
                    isas.push(Isa::Avx512);
                }
                if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                    isas.push(Isa::Avx2);
                }
            }
            for isa in isas {
                let got = run(isa);
                let same = got
                    .iter()
                    .zip(&base)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{isa:?}, {len} positions: not the baseline's bits");
            }
        }
    }

    /// Scores spread far below the maximum give zeros, never denormals,
    /// and each row's probabilities sum to 1.
    #[test]
    fn softmax_row_flushes_and_normalises() {
        let mut s: Vec<f32> = (0..45).map(|j| -30.0 * j as f32).collect();
        softmax_row(&mut s, 1.0);
        assert!(s.iter().all(|&p| p == 0.0 || p >= f32::MIN_POSITIVE));
        assert!(s[44] == 0.0 && s[0] > 0.99);
        let mut r = random(77, 5);
        softmax_row(&mut r, 0.3);
        let sum: f32 = r.iter().sum();
        assert!((sum - 1.0).abs() < 1e-6, "sum {sum}");
    }

    #[test]
    fn bad_shapes_are_errors() {
        let dev = Device::Cpu;
        let x = Tensor::zeros((2, 5, 8), candle_core::DType::F32, &dev).unwrap();
        assert!(attention(&x, &x, &x, &[5], 2, 1.0).is_err());
        assert!(attention(&x, &x, &x, &[5, 6], 2, 1.0).is_err());
        assert!(attention(&x, &x, &x, &[5, 5], 3, 1.0).is_err());
    }

    #[test]
    fn rows_match_candle_linear() {
        let dev = Device::Cpu;
        for (m, k, n) in [(1, 384, 9), (3, 17, 5), (200, 384, 9)] {
            let w = Tensor::from_vec(random(n * k, 1), (n, k), &dev).unwrap();
            let b = Tensor::from_vec(random(n, 2), n, &dev).unwrap();
            let lin = candle_nn::Linear::new(w, Some(b));
            let x = Tensor::from_vec(random(m * k, 3), (1, m, k), &dev).unwrap();
            let want = candle_core::Module::forward(&lin, &x).unwrap();
            let got = linear_by_rows(&x, &lin).unwrap();
            assert_eq!(got.dims(), want.dims());
            let diff = (want - got)
                .unwrap()
                .abs()
                .unwrap()
                .flatten_all()
                .unwrap()
                .max(0)
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            assert!(diff < 1e-4, "{m}×{k}×{n}: {diff}");
        }
    }
}
