//! Int8 matrix products for the encoder's dense layers, at inference.
//!
//! `y = x · Wᵀ + b` for a linear layer with weight `W` (n × k), computed in
//! 8-bit integers with 32-bit sums by the AVX-512 VNNI instruction
//! `vpdpbusd` (u8 × s8, four products summed per 32-bit lane):
//!
//! - the weight is quantised once, when the model is loaded: per output
//!   column `c`, symmetric, `s_c = max_k |W[c,k]| / 127`,
//!   `q[c,k] = round(W[c,k] / s_c)` in [-127, 127]; packed in panels of 64
//!   columns, each 4 consecutive k-values of a column next to each other
//!   (the operand layout of `vpdpbusd`), k padded with zeros to a multiple
//!   of 4;
//! - each row `r` of `x` is quantised when the product runs, symmetric,
//!   `s_r = max_k |x[r,k]| / 127`, `p[r,k] = round(x[r,k] / s_r)`, and
//!   shifted by +128 into u8; the shift adds `128 · Σ_k q[c,k]` to every
//!   sum of column `c`, which is precomputed and subtracted;
//! - `y[r,c] = s_r · s_c · (Σ_k (p[r,k] + 128) q[c,k] − 128 Σ_k q[c,k]) + b[c]`.
//!
//! The micro-kernel keeps 6 rows × 64 columns of sums in 24 zmm registers;
//! the rows are split into tasks over the rayon pool, each quantising its
//! own rows and running every panel over them, 384 values of k at a time. The error against the exact
//! product is bounded by the quantisation steps (see the tests):
//! `|Σ_k x w − ŷ| ≤ Σ_k (s_r/2 |w| + s_c/2 |x| + s_r s_c / 4)`.
//!
//! The int8 path runs only where the processor has AVX-512 F, BW and VNNI
//! (checked at run time) and is switched by `TALLY_INT8` ([`wanted`]);
//! elsewhere the model keeps its f32 products. Training never uses it.

use candle_core::{CpuStorage, CustomOp1, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// Rows of the micro-kernel.
const MR: usize = 6;
/// Columns of a packed panel: four vectors of 16 lanes.
const NR: usize = 64;
/// Bytes of one group of 4 k-values of a panel's 64 columns.
const GROUP: usize = NR * 4;
/// Groups of 4 k-values summed over all the rows of a task before the
/// next (the AVX-512 kernel): 24 KB of a panel, which stay in L1.
const KC: usize = 96;
/// Rows per parallel task at most (a multiple of `MR`).
const TASK_ROWS: usize = 8 * MR;

/// The builds of the int8 kernel.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kernel {
    /// AVX-512 F, BW and VNNI: 16-lane `vpdpbusd`, 6 rows × 64 columns.
    Avx512,
    /// AVX-VNNI (with AVX2 and FMA): 8-lane `vpdpbusd`, 4 rows × 16
    /// columns.
    AvxVnni,
    /// Plain loops (the tests' reference; the model keeps f32 instead).
    Portable,
}

/// The widest int8 kernel this processor runs; `Portable` when
/// `TALLY_NO_SIMD` (which forces the baseline builds of the other
/// kernels) is set.
fn kernel() -> Kernel {
    static KERNEL: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
    *KERNEL.get_or_init(|| {
        if std::env::var_os("TALLY_NO_SIMD").is_some() {
            return Kernel::Portable;
        }
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vnni")
            {
                return Kernel::Avx512;
            }
            if is_x86_feature_detected!("avxvnni")
                && is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma")
            {
                return Kernel::AvxVnni;
            }
        }
        Kernel::Portable
    })
}

/// Whether this processor runs an int8 kernel: AVX-512 VNNI or AVX-VNNI,
/// and `TALLY_NO_SIMD` unset.
pub fn available() -> bool {
    kernel() != Kernel::Portable
}

/// An error unless [`available`]: for callers that ask for int8 products.
pub fn require() -> Result<()> {
    if !available() {
        candle_core::bail!(
            "int8 products need AVX-512 VNNI, which this processor lacks (or TALLY_NO_SIMD is set)"
        );
    }
    Ok(())
}

/// Whether int8 products are wanted: by default, and unless `TALLY_INT8`
/// is `0` (or `off`, `false`, `no`), which forces f32; and only where
/// [`available`].
pub fn wanted() -> bool {
    let refused = match std::env::var("TALLY_INT8") {
        Ok(v) => matches!(v.trim(), "0" | "off" | "false" | "no"),
        Err(_) => false,
    };
    !refused && available()
}

/// A linear layer's weight and bias, quantised and packed for `vpdpbusd`.
pub struct QuantLinear {
    /// Output columns.
    n: usize,
    /// Input length.
    k: usize,
    /// Groups of 4 k-values (k rounded up).
    groups: usize,
    /// Panels of `NR` columns: `panels × groups × GROUP` bytes.
    packed: Vec<i8>,
    /// Per column (padded to whole panels, 0 beyond `n`): the weight's
    /// scale, `128 · Σ_k q`, the bias.
    scale: Vec<f32>,
    comp: Vec<i32>,
    bias: Vec<f32>,
}

/// Round to nearest, ties to even (as `vcvtps2dq` does), within ±127.
#[inline(always)]
fn quantise(v: f32, inv: f32) -> i32 {
    ((v * inv).round_ties_even() as i32).clamp(-127, 127)
}

impl QuantLinear {
    /// Quantises `weight` (n × k, row-major) and `bias` (n values or none).
    pub fn new(weight: &[f32], n: usize, k: usize, bias: Option<&[f32]>) -> Result<Self> {
        if n == 0 || k == 0 || weight.len() != n * k {
            candle_core::bail!("int8: weight of {} values for {n} × {k}", weight.len())
        }
        if bias.is_some_and(|b| b.len() != n) {
            candle_core::bail!(
                "int8: bias of {} values for {n} columns",
                bias.map_or(0, <[f32]>::len)
            )
        }
        if let Some(i) = weight.iter().position(|w| !w.is_finite()) {
            candle_core::bail!(
                "int8: weight value {} at ({}, {}) is not finite",
                weight[i],
                i / k,
                i % k
            )
        }
        let groups = k.div_ceil(4);
        let panels = n.div_ceil(NR);
        let mut q = QuantLinear {
            n,
            k,
            groups,
            packed: vec![0; panels * groups * GROUP],
            scale: vec![0.0; panels * NR],
            comp: vec![0; panels * NR],
            bias: vec![0.0; panels * NR],
        };
        for (c, row) in weight.chunks_exact(k).enumerate() {
            let amax = row.iter().fold(0f32, |m, w| m.max(w.abs()));
            let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
            q.scale[c] = amax / 127.0;
            let (p, j) = (c / NR, c % NR);
            let mut sum = 0i32;
            for (i, &w) in row.iter().enumerate() {
                let v = quantise(w, inv);
                sum += v;
                q.packed[(p * groups + i / 4) * GROUP + j * 4 + i % 4] = v as i8;
            }
            q.comp[c] = 128 * sum;
            q.bias[c] = bias.map_or(0.0, |b| b[c]);
        }
        Ok(q)
    }

    /// The quantised form of a candle `Linear`'s weight and bias.
    pub fn from_linear(lin: &candle_nn::Linear) -> Result<Self> {
        let (n, k) = lin.weight().dims2()?;
        let w = lin.weight().to_dtype(candle_core::DType::F32)?;
        let w = w.flatten_all()?.to_vec1::<f32>()?;
        let b = match lin.bias() {
            Some(b) => Some(b.to_dtype(candle_core::DType::F32)?.to_vec1::<f32>()?),
            None => None,
        };
        Self::new(&w, n, k, b.as_deref())
    }

    /// `x · Wᵀ + b` over the last dimension of `x` (f32, any rank).
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.contiguous()?.apply_op1_no_bwd(&Op {
            q: self,
            gelu: false,
        })
    }

    /// gelu(`x · Wᵀ + b`), GELU in its erf form (as `fast::bias_gelu`).
    pub fn forward_gelu(&self, x: &Tensor) -> Result<Tensor> {
        x.contiguous()?.apply_op1_no_bwd(&Op {
            q: self,
            gelu: true,
        })
    }

    /// `out` (m × n) = `x` (m × k) · Wᵀ + b, then GELU if asked.
    pub fn matmul(&self, x: &[f32], out: &mut [f32], gelu: bool) -> Result<()> {
        let m = x.len() / self.k;
        if x.len() != m * self.k || out.len() != m * self.n {
            candle_core::bail!(
                "int8: input of {} and output of {} values for k = {}, n = {}",
                x.len(),
                out.len(),
                self.k,
                self.n
            )
        }
        if m == 0 {
            return Ok(());
        }
        let threads = rayon::current_num_threads().max(1);
        let rows = m.div_ceil(threads).div_ceil(MR) * MR;
        let rows = rows.clamp(MR, TASK_ROWS);
        x.par_chunks(rows * self.k)
            .zip(out.par_chunks_mut(rows * self.n))
            .for_each(|(x, out)| self.task(x, out, gelu));
        Ok(())
    }

    /// One task: quantise these rows, run every panel over them.
    fn task(&self, x: &[f32], out: &mut [f32], gelu: bool) {
        self.run(kernel(), x, out);
        if gelu {
            super::fast::gelu_in_place(out);
        }
    }

    /// `out = x · Wᵀ + b` on this thread with the kernel `k`, which the
    /// processor has to have (`Portable` always runs).
    fn run(&self, k: Kernel, x: &[f32], out: &mut [f32]) {
        let rows = x.len() / self.k;
        let lda = self.groups * 4;
        let mut a = vec![128u8; rows * lda];
        let mut rs = vec![0f32; rows];
        let rows_of = x.chunks_exact(self.k).zip(a.chunks_exact_mut(lda));
        for ((xr, ar), s) in rows_of.zip(&mut rs) {
            *s = match k {
                // SAFETY: `kernel()` (or a test) found AVX-512 F, BW and VNNI.
                #[cfg(target_arch = "x86_64")]
                Kernel::Avx512 => unsafe { vnni::quantise_row(xr, ar) },
                _ => quantise_row(xr, ar),
            };
        }
        match k {
            // SAFETY: `kernel()` (or a test) found AVX-512 F, BW and VNNI.
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx512 => unsafe { vnni::task(self, &a, &rs, out) },
            // SAFETY: `kernel()` (or a test) found AVX-VNNI, AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            Kernel::AvxVnni => unsafe { avxvnni::task(self, &a, &rs, out) },
            _ => self.task_portable(&a, &rs, out),
        }
    }

    /// The per-column terms of panel `p`'s dequantisation.
    fn post(&self, p: usize) -> Post<'_> {
        Post {
            scale: &self.scale[p * NR..(p + 1) * NR],
            comp: &self.comp[p * NR..(p + 1) * NR],
            bias: &self.bias[p * NR..(p + 1) * NR],
            cols: (self.n - p * NR).min(NR),
        }
    }

    /// The same sums and the same dequantisation in plain Rust: the
    /// reference of the tests, and the path of a processor without VNNI
    /// (which the model does not take: it keeps f32 there).
    fn task_portable(&self, a: &[u8], rs: &[f32], out: &mut [f32]) {
        let lda = self.groups * 4;
        for ((ar, &s), or) in a
            .chunks_exact(lda)
            .zip(rs)
            .zip(out.chunks_exact_mut(self.n))
        {
            for (c, o) in or.iter_mut().enumerate() {
                let (p, j) = (c / NR, c % NR);
                let mut acc = 0i32;
                for g in 0..self.groups {
                    let w = &self.packed[(p * self.groups + g) * GROUP + j * 4..][..4];
                    for t in 0..4 {
                        acc += ar[g * 4 + t] as i32 * w[t] as i32;
                    }
                }
                *o = dequantise(acc - self.comp[c], s * self.scale[c], self.bias[c]);
            }
        }
    }
}

#[inline(always)]
fn dequantise(sum: i32, scale: f32, bias: f32) -> f32 {
    (sum as f32).mul_add(scale, bias)
}

/// The per-column terms of one panel's dequantisation: `NR` values each,
/// of which the first `cols` are columns of the layer.
struct Post<'a> {
    scale: &'a [f32],
    comp: &'a [i32],
    bias: &'a [f32],
    cols: usize,
}

/// Quantises one row to u8 with zero point 128 (`ar` padded with 128);
/// returns its scale.
#[inline]
fn quantise_row(x: &[f32], ar: &mut [u8]) -> f32 {
    let amax = x.iter().fold(0f32, |m, v| m.max(v.abs()));
    let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
    for (a, &v) in ar.iter_mut().zip(x) {
        *a = (quantise(v, inv) + 128) as u8;
    }
    amax / 127.0
}

struct Op<'a> {
    q: &'a QuantLinear,
    gelu: bool,
}

impl CustomOp1 for Op<'_> {
    fn name(&self) -> &'static str {
        "int8-linear"
    }

    fn cpu_fwd(&self, s: &CpuStorage, l: &Layout) -> Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(data) = s else {
            candle_core::bail!("int8 linear: expected f32 input")
        };
        let Some((a, b)) = l.contiguous_offsets() else {
            candle_core::bail!("int8 linear: input has to be contiguous")
        };
        let mut dims = l.dims().to_vec();
        if dims.last() != Some(&self.q.k) {
            candle_core::bail!(
                "int8 linear: input {dims:?} for a weight of {} inputs",
                self.q.k
            )
        }
        let x = &data[a..b];
        let mut out = vec![0f32; x.len() / self.q.k * self.q.n];
        self.q.matmul(x, &mut out, self.gelu)?;
        if let Some(d) = dims.last_mut() {
            *d = self.q.n;
        }
        Ok((CpuStorage::F32(out), Shape::from(dims)))
    }
}

#[cfg(target_arch = "x86_64")]
mod vnni {
    use super::{Post, QuantLinear, GROUP, KC, MR, NR};
    use std::arch::x86_64::*;
    use std::ops::Range;

    /// The sums of one tile: `MR` rows × 4 vectors of 16 columns.
    type Sums = [[__m512i; 4]; MR];

    /// Runs every panel over the quantised rows `a` (scales `rs`) into
    /// `out`: per panel, `KC` groups
    /// of k at a time over all the tiles of rows (that slice of the panel
    /// stays in the L1 cache), then the dequantisation.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub fn task(q: &QuantLinear, a: &[u8], rs: &[f32], out: &mut [f32]) {
        let lda = q.groups * 4;
        let rows = rs.len();
        let zero: Sums = [[_mm512_setzero_si512(); 4]; MR];
        let mut sums = vec![zero; rows.div_ceil(MR)];
        for p in 0..q.n.div_ceil(NR) {
            let panel = &q.packed[p * q.groups * GROUP..(p + 1) * q.groups * GROUP];
            sums.fill(zero);
            for g0 in (0..q.groups).step_by(KC) {
                let g = g0..(g0 + KC).min(q.groups);
                for (t, acc) in sums.iter_mut().enumerate() {
                    let a = &a[t * MR * lda..];
                    match (rows - t * MR).min(MR) {
                        1 => sum_tile::<1>(a, lda, panel, g.clone(), acc),
                        2 => sum_tile::<2>(a, lda, panel, g.clone(), acc),
                        3 => sum_tile::<3>(a, lda, panel, g.clone(), acc),
                        4 => sum_tile::<4>(a, lda, panel, g.clone(), acc),
                        5 => sum_tile::<5>(a, lda, panel, g.clone(), acc),
                        _ => sum_tile::<MR>(a, lda, panel, g.clone(), acc),
                    }
                }
            }
            let post = q.post(p);
            for (t, acc) in sums.iter().enumerate() {
                let r0 = t * MR;
                let out = &mut out[r0 * q.n + p * NR..];
                store_tile(acc, &rs[r0..rows.min(r0 + MR)], &post, out, q.n);
            }
        }
    }

    /// `quantise_row` with 16 lanes: the same scale and the same rounding
    /// (`vcvtps2dq` rounds to nearest even).
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn quantise_row(x: &[f32], ar: &mut [u8]) -> f32 {
        assert!(ar.len() >= x.len());
        let mut mx = _mm512_setzero_ps();
        for (i, c) in x.chunks(16).enumerate() {
            let mask = (u32::MAX >> (32 - c.len())) as __mmask16;
            // SAFETY: the masked load reads c.len() ≤ 16 values of `x` from 16·i.
            let v = unsafe { _mm512_maskz_loadu_ps(mask, x.as_ptr().add(16 * i)) };
            mx = _mm512_max_ps(mx, _mm512_abs_ps(v));
        }
        let amax = _mm512_reduce_max_ps(mx);
        let inv = _mm512_set1_ps(if amax > 0.0 { 127.0 / amax } else { 0.0 });
        let (lo, hi, zero) = (
            _mm512_set1_epi32(-127),
            _mm512_set1_epi32(127),
            _mm512_set1_epi32(128),
        );
        for (i, c) in x.chunks(16).enumerate() {
            let mask = (u32::MAX >> (32 - c.len())) as __mmask16;
            // SAFETY: as above; the store writes c.len() bytes of `ar`
            // from 16·i, within `ar` (asserted at least as long as `x`).
            unsafe {
                let v = _mm512_maskz_loadu_ps(mask, x.as_ptr().add(16 * i));
                let q = _mm512_cvtps_epi32(_mm512_mul_ps(v, inv));
                let q = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(q, lo), hi), zero);
                _mm512_mask_cvtepi32_storeu_epi8(ar.as_mut_ptr().add(16 * i) as *mut _, mask, q);
            }
        }
        amax / 127.0
    }

    /// Adds to the first R rows (R ≤ MR) of `sums` the products of the
    /// groups `g` of k: per group, R broadcasts of 4 activation bytes
    /// against 4 vectors of 16 columns of the panel.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    fn sum_tile<const R: usize>(
        a: &[u8],
        lda: usize,
        panel: &[i8],
        g: Range<usize>,
        sums: &mut Sums,
    ) {
        assert!(R >= 1 && R <= MR && g.start <= g.end && lda >= g.end * 4);
        assert!(a.len() >= (R - 1) * lda + g.end * 4 && panel.len() >= g.end * GROUP);
        let mut acc: [[__m512i; 4]; R] = std::array::from_fn(|r| sums[r]);
        let (ap, wp) = (a.as_ptr(), panel.as_ptr());
        for g in g {
            // SAFETY: g < g.end and r < R: the reads lie within `panel`
            // (g.end · GROUP bytes) and `a` ((R − 1) · lda + 4 · g.end),
            // both asserted above.
            unsafe {
                let w = wp.add(g * GROUP);
                let w0 = _mm512_loadu_si512(w as *const _);
                let w1 = _mm512_loadu_si512(w.add(64) as *const _);
                let w2 = _mm512_loadu_si512(w.add(128) as *const _);
                let w3 = _mm512_loadu_si512(w.add(192) as *const _);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let x =
                        _mm512_set1_epi32((ap.add(r * lda + 4 * g) as *const i32).read_unaligned());
                    acc[0] = _mm512_dpbusd_epi32(acc[0], x, w0);
                    acc[1] = _mm512_dpbusd_epi32(acc[1], x, w1);
                    acc[2] = _mm512_dpbusd_epi32(acc[2], x, w2);
                    acc[3] = _mm512_dpbusd_epi32(acc[3], x, w3);
                }
            }
        }
        sums[..R].copy_from_slice(&acc);
    }

    /// `out[r][c] = (sum − comp[c]) · rs[r] · scale[c] + bias[c]` for the
    /// `rs.len()` rows of a tile and the panel's `cols` columns (masked
    /// stores).
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    fn store_tile(sums: &Sums, rs: &[f32], post: &Post, out: &mut [f32], ldo: usize) {
        let rows = rs.len();
        assert!((1..=MR).contains(&rows) && (1..=NR).contains(&post.cols) && ldo >= post.cols);
        assert!(out.len() >= (rows - 1) * ldo + post.cols);
        assert!(post.scale.len() >= NR && post.comp.len() >= NR && post.bias.len() >= NR);
        for j in 0..4 {
            let c0 = j * 16;
            if c0 >= post.cols {
                break;
            }
            let mask = (u32::MAX >> (32 - (post.cols - c0).min(16))) as __mmask16;
            // SAFETY: c0 + 16 ≤ NR ≤ the lengths of the per-column slices.
            let (scale, comp, bias) = unsafe {
                (
                    _mm512_loadu_ps(post.scale.as_ptr().add(c0)),
                    _mm512_loadu_si512(post.comp.as_ptr().add(c0) as *const _),
                    _mm512_loadu_ps(post.bias.as_ptr().add(c0)),
                )
            };
            for (r, (acc, &rs)) in sums.iter().zip(rs).enumerate() {
                let s = _mm512_mul_ps(_mm512_set1_ps(rs), scale);
                let v = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[j], comp));
                let y = _mm512_fmadd_ps(v, s, bias);
                // SAFETY: the mask keeps columns c0.. below post.cols, and
                // r · ldo + post.cols ≤ out.len() (asserted above).
                unsafe { _mm512_mask_storeu_ps(out.as_mut_ptr().add(r * ldo + c0), mask, y) };
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avxvnni {
    use super::{Post, QuantLinear, GROUP, NR};
    use std::arch::x86_64::*;

    /// Rows of this kernel (16 ymm registers: 8 sums, 2 weights, 1 row).
    const RR: usize = 4;

    /// As `vnni::task`, with 8-lane vectors: each panel in strips of 16
    /// columns.
    #[target_feature(enable = "avx2,fma,avxvnni")]
    pub fn task(q: &QuantLinear, a: &[u8], rs: &[f32], out: &mut [f32]) {
        let lda = q.groups * 4;
        let rows = rs.len();
        for p in 0..q.n.div_ceil(NR) {
            let panel = &q.packed[p * q.groups * GROUP..(p + 1) * q.groups * GROUP];
            let post = q.post(p);
            for strip in 0..post.cols.div_ceil(16) {
                for r0 in (0..rows).step_by(RR) {
                    let a = &a[r0 * lda..];
                    let rs = &rs[r0..];
                    let out = &mut out[r0 * q.n + p * NR..];
                    let g = q.groups;
                    match (rows - r0).min(RR) {
                        1 => tile::<1>(a, lda, panel, g, rs, &post, strip, out, q.n),
                        2 => tile::<2>(a, lda, panel, g, rs, &post, strip, out, q.n),
                        3 => tile::<3>(a, lda, panel, g, rs, &post, strip, out, q.n),
                        _ => tile::<RR>(a, lda, panel, g, rs, &post, strip, out, q.n),
                    }
                }
            }
        }
    }

    /// R rows (R ≤ 4) × columns 16·strip .. 16·strip + 16 of one panel
    /// (those below `post.cols`), as `vnni::tile`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    #[target_feature(enable = "avx2,fma,avxvnni")]
    fn tile<const R: usize>(
        a: &[u8],
        lda: usize,
        panel: &[i8],
        groups: usize,
        rs: &[f32],
        post: &Post,
        strip: usize,
        out: &mut [f32],
        ldo: usize,
    ) {
        let c0 = strip * 16;
        assert!(R >= 1 && R <= RR && lda >= groups * 4 && a.len() >= (R - 1) * lda + groups * 4);
        assert!(panel.len() >= groups * GROUP && rs.len() >= R && c0 < post.cols);
        assert!(post.cols <= NR && ldo >= post.cols && out.len() >= (R - 1) * ldo + post.cols);
        assert!(post.scale.len() >= NR && post.comp.len() >= NR && post.bias.len() >= NR);
        let mut acc = [[_mm256_setzero_si256(); 2]; R];
        let (ap, wp) = (a.as_ptr(), panel.as_ptr());
        for g in 0..groups {
            // SAFETY: g < groups, r < R, 4·c0 + 64 ≤ GROUP: the reads lie
            // within `panel` and `a` (lengths asserted above).
            unsafe {
                let w = wp.add(g * GROUP + 4 * c0);
                let w0 = _mm256_loadu_si256(w as *const _);
                let w1 = _mm256_loadu_si256(w.add(32) as *const _);
                for (r, acc) in acc.iter_mut().enumerate() {
                    let x =
                        _mm256_set1_epi32((ap.add(r * lda + 4 * g) as *const i32).read_unaligned());
                    acc[0] = _mm256_dpbusd_avx_epi32(acc[0], x, w0);
                    acc[1] = _mm256_dpbusd_avx_epi32(acc[1], x, w1);
                }
            }
        }
        for h in 0..2 {
            let c = c0 + 8 * h;
            if c >= post.cols {
                break;
            }
            let n = (post.cols - c).min(8);
            // SAFETY: c + 8 ≤ NR ≤ the lengths of the per-column slices.
            let (scale, comp, bias) = unsafe {
                (
                    _mm256_loadu_ps(post.scale.as_ptr().add(c)),
                    _mm256_loadu_si256(post.comp.as_ptr().add(c) as *const _),
                    _mm256_loadu_ps(post.bias.as_ptr().add(c)),
                )
            };
            for (r, acc) in acc.iter().enumerate() {
                let s = _mm256_mul_ps(_mm256_set1_ps(rs[r]), scale);
                let v = _mm256_cvtepi32_ps(_mm256_sub_epi32(acc[h], comp));
                let mut y = [0f32; 8];
                // SAFETY: `y` holds 8 f32.
                unsafe { _mm256_storeu_ps(y.as_mut_ptr(), _mm256_fmadd_ps(v, s, bias)) };
                out[r * ldo + c..][..n].copy_from_slice(&y[..n]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Module};
    use rand::{Rng, SeedableRng};

    fn random(n: usize, lo: f32, hi: f32, seed: u64) -> Vec<f32> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n).map(|_| rng.gen_range(lo..hi)).collect()
    }

    fn amax(v: &[f32]) -> f64 {
        v.iter().fold(0f64, |m, x| m.max(x.abs() as f64))
    }

    /// Inputs of awkward shapes: a row of zeros, a row with one large
    /// outlier, a weight column with one, a column of zeros.
    fn inputs(m: usize, n: usize, k: usize, seed: u64) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let mut x = random(m * k, -2.0, 2.0, seed);
        let mut w = random(n * k, -0.1, 0.1, seed + 1);
        let b = random(n, -1.0, 1.0, seed + 2);
        if m > 2 {
            x[k..2 * k].fill(0.0);
            x[2 * k + k / 2] = 300.0;
        }
        if n > 2 {
            w[k + k / 3] = -8.0;
            w[2 * k..3 * k].fill(0.0);
        }
        (x, w, b)
    }

    /// For each (row, column): the exact product in f64 and the bound on
    /// the int8 result's error that the two quantisation steps give,
    /// `Σ_k (s_r/2 |w| + s_c/2 |x| + s_r s_c/4)`, plus the f32 rounding of
    /// the dequantisation (a few ulp of `Σ_k |x w| + |b|`).
    fn reference(x: &[f32], w: &[f32], b: &[f32], k: usize) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for xr in x.chunks(k) {
            let sr = amax(xr) / 127.0;
            for (wc, &bc) in w.chunks(k).zip(b) {
                let sc = amax(wc) / 127.0;
                let (mut y, mut bound, mut mag) = (bc as f64, 0f64, bc.abs() as f64);
                for (&xv, &wv) in xr.iter().zip(wc) {
                    let (xv, wv) = (xv as f64, wv as f64);
                    y += xv * wv;
                    mag += (xv * wv).abs();
                    bound += sr / 2.0 * wv.abs() + sc / 2.0 * xv.abs() + sr * sc / 4.0;
                }
                out.push((y, bound + 1e-6 * mag + 1e-7));
            }
        }
        out
    }

    const SHAPES: [(usize, usize, usize); 6] = [
        (1, 1, 1),
        (13, 70, 37),
        (6, 64, 4),
        (7, 130, 385),
        (50, 384, 1537),
        (97, 9, 6),
    ];

    /// Every int8 kernel this processor runs.
    fn kernels() -> Vec<Kernel> {
        let mut v = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vnni")
            {
                v.push(Kernel::Avx512);
            }
            if is_x86_feature_detected!("avxvnni")
                && is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma")
            {
                v.push(Kernel::AvxVnni);
            }
        }
        v
    }

    /// The parallel product (the kernel `kernel()` picks), and the portable
    /// loops, on each shape: within the bound of every value.
    #[test]
    fn int8_matmul_is_within_the_quantisation_bound_of_f64() {
        for (i, &(m, n, k)) in SHAPES.iter().enumerate() {
            let (x, w, b) = inputs(m, n, k, 10 * i as u64);
            let q = QuantLinear::new(&w, n, k, Some(&b)).unwrap();
            let want = reference(&x, &w, &b, k);
            let mut fast = vec![f32::NAN; m * n];
            q.matmul(&x, &mut fast, false).unwrap();
            let mut slow = vec![f32::NAN; m * n];
            q.run(Kernel::Portable, &x, &mut slow);
            for got in [fast, slow] {
                let mut worst = 0f64;
                for (j, (g, (y, bound))) in got.iter().zip(&want).enumerate() {
                    let err = (*g as f64 - y).abs();
                    assert!(
                        err <= *bound,
                        "{m}×{k}·{k}×{n} at {j}: {g} against {y} (bound {bound:e})"
                    );
                    worst = worst.max(err / bound);
                }
                // The bound is not loose by orders of magnitude.
                if k >= 37 {
                    assert!(worst > 0.02, "{m}×{n}×{k}: worst error/bound {worst}");
                }
                // A row of zeros gives exactly the bias.
                if m > 2 {
                    assert_eq!(&got[n..2 * n], &b[..], "{m}×{n}×{k}");
                }
            }
        }
    }

    /// Each SIMD kernel and the portable loops compute the same integers
    /// and dequantise them the same way: identical results.
    #[test]
    fn simd_kernels_equal_the_portable_loops() {
        if kernels().is_empty() {
            eprintln!("no AVX-512 VNNI or AVX-VNNI here: only the portable path is tested");
        }
        for (i, &(m, n, k)) in SHAPES.iter().enumerate() {
            let (x, w, b) = inputs(m, n, k, 100 + i as u64);
            let q = QuantLinear::new(&w, n, k, Some(&b)).unwrap();
            let mut slow = vec![f32::NAN; m * n];
            q.run(Kernel::Portable, &x, &mut slow);
            for kernel in kernels() {
                let mut fast = vec![f32::NAN; m * n];
                q.run(kernel, &x, &mut fast);
                assert_eq!(fast, slow, "{kernel:?} {m}×{n}×{k}");
            }
        }
    }

    /// Quantise then dequantise: every value within half a step of the
    /// original, the largest one exactly ±127 steps, zeros stay zero; the
    /// VNNI quantiser gives the same bytes and scale as the portable one.
    #[test]
    fn quantise_dequantise_error_is_at_most_half_a_step() {
        let mut rows = vec![
            random(1537, -3.0, 3.0, 7),
            vec![0.0; 19],
            random(5, -1e-3, 1e-3, 8),
        ];
        rows[0][100] = -1e4;
        for x in &rows {
            let mut a = vec![0u8; x.len()];
            let s = quantise_row(x, &mut a);
            assert_eq!(s, amax(x) as f32 / 127.0);
            for (&v, &q) in x.iter().zip(&a) {
                let back = s * (q as f32 - 128.0);
                assert!((1..=255).contains(&q));
                assert!(
                    (back - v).abs() <= s / 2.0 * (1.0 + 1e-5),
                    "{v} → {q} → {back}"
                );
                if v == 0.0 {
                    assert_eq!(q, 128);
                }
            }
            let top = x.iter().position(|v| v.abs() as f64 == amax(x)).unwrap();
            if s > 0.0 {
                assert_eq!((a[top] as i32 - 128).abs(), 127);
            }
            #[cfg(target_arch = "x86_64")]
            if available() {
                let mut b = vec![0u8; x.len()];
                // SAFETY: the processor has AVX-512 F, BW and VNNI.
                let t = unsafe { vnni::quantise_row(x, &mut b) };
                assert_eq!((a, s), (b, t));
            }
        }
    }

    /// Through tensors, against candle's f32 `Linear` (and its GELU) on a
    /// (batch, len, k) input: within the quantisation bound.
    #[test]
    fn int8_linear_matches_the_f32_linear() {
        let device = Device::Cpu;
        let (bt, t, n, k) = (3, 11, 96, 77);
        let (x, w, b) = inputs(bt * t, n, k, 42);
        let wt = Tensor::from_vec(w.clone(), (n, k), &device).unwrap();
        let lin =
            candle_nn::Linear::new(wt, Some(Tensor::from_vec(b.clone(), n, &device).unwrap()));
        let q = QuantLinear::from_linear(&lin).unwrap();
        let xt = Tensor::from_vec(x.clone(), (bt, t, k), &device).unwrap();
        let f32_out = lin.forward(&xt).unwrap();
        let got = q.forward(&xt).unwrap();
        assert_eq!(got.dims(), &[bt, t, n]);
        let want = reference(&x, &w, &b, k);
        let f: Vec<f32> = f32_out.flatten_all().unwrap().to_vec1().unwrap();
        let g: Vec<f32> = got.flatten_all().unwrap().to_vec1().unwrap();
        for ((f, g), (_, bound)) in f.iter().zip(&g).zip(&want) {
            assert!(
                ((f - g).abs() as f64) <= bound + 1e-5 * f.abs() as f64,
                "{f} {g} {bound}"
            );
        }
        // GELU is 1-Lipschitz up to 1.13: the same bound, scaled.
        let f = f32_out
            .gelu_erf()
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let g = q
            .forward_gelu(&xt)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        for ((f, g), (_, bound)) in f.iter().zip(&g).zip(&want) {
            assert!(
                ((f - g).abs() as f64) <= 1.13 * bound + 1e-5 * f.abs() as f64,
                "{f} {g}"
            );
        }
        // Shapes that do not fit are errors, not panics.
        assert!(q
            .forward(&Tensor::zeros((2, k + 1), candle_core::DType::F32, &device).unwrap())
            .is_err());
        assert!(QuantLinear::new(&[1.0, f32::NAN], 1, 2, None).is_err());
        assert!(QuantLinear::new(&[1.0, 2.0], 1, 3, None).is_err());
    }

    /// The whole encoder on two sentences: int8 against f32, the same tag
    /// for every word, probabilities close.
    #[test]
    fn encoder_with_int8_stays_close_to_f32() {
        if !available() {
            eprintln!("no AVX-512 VNNI here: the model runs f32 only");
            return;
        }
        let mut model =
            crate::ner::NerModel::load_from(&crate::ner::ModelSource::shipped()).unwrap();
        let text = [
            "Russia and Ukraine exchanged 372 prisoners on Friday , the Kremlin said , after talks in Istanbul brokered by Turkey .",
            "Shares of Apple Inc. fell 3 percent in New York after Tim Cook warned of weaker iPhone demand in China .",
        ];
        let seqs: Vec<Vec<&str>> = text.iter().map(|t| t.split(' ').collect()).collect();
        model.set_int8(false).unwrap();
        assert!(!model.is_int8());
        let f = model.word_scores(&seqs).unwrap();
        model.set_int8(true).unwrap();
        assert!(model.is_int8());
        let q = model.word_scores(&seqs).unwrap();
        let argmax = |v: &[f32]| (0..v.len()).max_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut worst = 0f32;
        for (fs, qs) in f.iter().zip(&q) {
            for (fw, qw) in fs.iter().zip(qs) {
                assert_eq!(argmax(fw), argmax(qw), "{fw:?} {qw:?}");
                for (a, b) in fw.iter().zip(qw) {
                    worst = worst.max((a.exp() - b.exp()).abs());
                }
            }
        }
        eprintln!("largest probability difference {worst}");
        assert!(worst < 0.05, "largest probability difference {worst}");
    }
}
