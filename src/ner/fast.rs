//! Fused element-wise kernels for inference: bias + GELU (erf form) and
//! scale + mask + softmax over the last dimension (the syntax head's; the
//! encoder's attention has its own, `super::attend`).
//!
//! candle computes GELU with libm's `erff` one element at a time, and the
//! attention softmax in three passes (scale, mask, softmax) with a scalar
//! `expf`. Here each is one pass over contiguous `f32` data, with `erf` and
//! `exp` as branch-free polynomials written so that LLVM vectorises the
//! loops; the loops are compiled three times (AVX-512, AVX2+FMA, baseline)
//! and the widest the processor has is chosen at run time.
//!
//! These ops have no backward pass: training keeps the differentiable path
//! of `model.rs`.

use candle_core::{CpuStorage, CustomOp2, Layout, Result, Shape, Tensor};
use rayon::prelude::*;

/// erf(x), absolute error below 4e-7 (tests): a rational approximation (odd numerator of
/// degree 9, even denominator of degree 12; Eigen's and XLA's coefficients)
/// on |x| < erfinv(1 − 2⁻²³), beyond which erf is ±1 in f32.
#[inline(always)]
fn erf(x: f32) -> f32 {
    const EDGE: f32 = 3.832_507;
    let xc = x.clamp(-EDGE, EDGE);
    let x2 = xc * xc;
    let mut p = x2 * 2.290_506_6e-4 + 3.408_291e-3;
    p = x2 * p + 5.095_569_5e-2;
    p = x2 * p + 1.852_083_2e-1;
    p = x2 * p + std::f32::consts::FRAC_2_SQRT_PI;
    let mut q = x2 * -1.179_160_3e-7 + 2.354_796_6e-5;
    q = x2 * q + 1.017_962_5e-3;
    q = x2 * q + 1.407_047e-2;
    q = x2 * q + 1.109_850_5e-1;
    q = x2 * q + 4.974_692_5e-1;
    q = x2 * q + 1.0;
    let r = xc * p / q;
    if x.abs() >= EDGE {
        1f32.copysign(x)
    } else {
        r
    }
}

/// exp(x) for x <= 0 (Cephes' polynomial after range reduction by ln 2):
/// relative error about 2 ulp. Results below the smallest normal f32,
/// which would be denormal, are flushed to 0: a denormal probability makes
/// the next matrix product many times slower.
#[inline(always)]
pub(super) fn exp_nonpositive(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    /// ln of the smallest normal f32.
    const LOWEST: f32 = -87.336_54;
    // 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits.
    const MAGIC: f32 = 12_582_912.0;
    let xc = x.max(LOWEST);
    let t = xc * LOG2E + MAGIC;
    let n = t - MAGIC;
    let r = xc - n * LN2_HI - n * LN2_LO;
    let mut p = 1.987_569_1e-4f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let y = p * r * r + r + 1.0;
    // n is in [-126, 0]: 2^n is a normal number built from its exponent bits.
    let ni = (t.to_bits() as i32).wrapping_sub(MAGIC.to_bits() as i32);
    let pow2 = f32::from_bits(((ni + 127) << 23) as u32);
    let e = y * pow2;
    if x < LOWEST || e < f32::MIN_POSITIVE {
        0.0
    } else {
        e
    }
}

#[inline(always)]
fn bias_gelu_kernel(x: &[f32], bias: &[f32], out: &mut [f32]) {
    let n = bias.len();
    for (xr, or) in x.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        for ((o, &v), &b) in or.iter_mut().zip(xr).zip(bias) {
            let v = v + b;
            *o = (erf(v * std::f32::consts::FRAC_1_SQRT_2) + 1.0) * 0.5 * v;
        }
    }
}

#[inline(always)]
fn gelu_kernel(x: &mut [f32]) {
    for o in x {
        let v = *o;
        *o = (erf(v * std::f32::consts::FRAC_1_SQRT_2) + 1.0) * 0.5 * v;
    }
}

/// Lanes of the partial maxima and sums (a multiple of every vector width).
const LANES: usize = 16;

#[inline(always)]
fn softmax_kernel(scores: &[f32], mask: &[f32], scale: f32, out: &mut [f32]) {
    let n = mask.len();
    for (sr, or) in scores.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        // Scaled and masked scores, with their maximum.
        let mut mx = [f32::NEG_INFINITY; LANES];
        let mut sc = sr.chunks_exact(LANES);
        let mut mc = mask.chunks_exact(LANES);
        let mut oc = or.chunks_exact_mut(LANES);
        for ((s, m), o) in (&mut sc).zip(&mut mc).zip(&mut oc) {
            for l in 0..LANES {
                let v = s[l] * scale + m[l];
                o[l] = v;
                mx[l] = if v > mx[l] { v } else { mx[l] };
            }
        }
        let mut max = mx.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        for ((s, m), o) in sc
            .remainder()
            .iter()
            .zip(mc.remainder())
            .zip(oc.into_remainder())
        {
            let v = s * scale + m;
            *o = v;
            max = max.max(v);
        }
        // Exponentials and their sum.
        let mut sm = [0f32; LANES];
        let mut oc = or.chunks_exact_mut(LANES);
        for o in &mut oc {
            for l in 0..LANES {
                let e = exp_nonpositive(o[l] - max);
                o[l] = e;
                sm[l] += e;
            }
        }
        let mut sum: f32 = sm.iter().sum();
        for o in oc.into_remainder() {
            let e = exp_nonpositive(*o - max);
            *o = e;
            sum += e;
        }
        // Normalised, with would-be denormals flushed.
        for o in or.iter_mut() {
            let p = *o / sum;
            *o = if p < f32::MIN_POSITIVE { 0.0 } else { p };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod arch {
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn bias_gelu_avx512(x: &[f32], bias: &[f32], out: &mut [f32]) {
        super::bias_gelu_kernel(x, bias, out)
    }
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn bias_gelu_avx2(x: &[f32], bias: &[f32], out: &mut [f32]) {
        super::bias_gelu_kernel(x, bias, out)
    }
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn gelu_avx512(x: &mut [f32]) {
        super::gelu_kernel(x)
    }
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn gelu_avx2(x: &mut [f32]) {
        super::gelu_kernel(x)
    }
    #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
    pub unsafe fn softmax_avx512(s: &[f32], mask: &[f32], scale: f32, out: &mut [f32]) {
        super::softmax_kernel(s, mask, scale, out)
    }
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn softmax_avx2(s: &[f32], mask: &[f32], scale: f32, out: &mut [f32]) {
        super::softmax_kernel(s, mask, scale, out)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Isa {
    Avx512,
    Avx2,
    Baseline,
}

pub(super) fn isa() -> Isa {
    static ISA: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
    *ISA.get_or_init(|| {
        if std::env::var_os("TALLY_NO_SIMD").is_some() {
            return Isa::Baseline;
        }
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512vl")
                && is_x86_feature_detected!("avx2")
                && is_x86_feature_detected!("fma")
            {
                return Isa::Avx512;
            }
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                return Isa::Avx2;
            }
        }
        Isa::Baseline
    })
}

/// gelu(x + bias) over the rows of `x` (each of `bias.len()` values) into
/// `out`, on this thread.
pub(crate) fn bias_gelu_slice(x: &[f32], bias: &[f32], out: &mut [f32]) {
    match isa() {
        // SAFETY: the processor has the features these builds enable.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { arch::bias_gelu_avx512(x, bias, out) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { arch::bias_gelu_avx2(x, bias, out) },
        _ => bias_gelu_kernel(x, bias, out),
    }
}

/// gelu(x) in place, GELU in its erf form: the function of [`bias_gelu`]
/// once the bias is added (the int8 products add it themselves).
pub(crate) fn gelu_in_place(x: &mut [f32]) {
    match isa() {
        // SAFETY: the processor has the features these builds enable.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { arch::gelu_avx512(x) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { arch::gelu_avx2(x) },
        _ => gelu_kernel(x),
    }
}

/// softmax(s * scale + mask) over the rows of `s` (each of `mask.len()`
/// values) into `out`, on this thread.
pub(crate) fn softmax_slice(s: &[f32], mask: &[f32], scale: f32, out: &mut [f32]) {
    match isa() {
        // SAFETY: the processor has the features these builds enable.
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => unsafe { arch::softmax_avx512(s, mask, scale, out) },
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => unsafe { arch::softmax_avx2(s, mask, scale, out) },
        _ => softmax_kernel(s, mask, scale, out),
    }
}

/// Elements per parallel task: large enough that splitting costs nothing.
const TASK: usize = 1 << 15;

/// The f32 values of a contiguous input of a custom op (`what` names the op
/// in errors).
pub(super) fn contiguous<'a>(s: &'a CpuStorage, l: &Layout, what: &str) -> Result<&'a [f32]> {
    let CpuStorage::F32(data) = s else {
        candle_core::bail!("{what}: expected f32 data")
    };
    match l.contiguous_offsets() {
        Some((a, b)) => Ok(&data[a..b]),
        None => candle_core::bail!("{what}: input has to be contiguous"),
    }
}

struct BiasGelu;

impl CustomOp2 for BiasGelu {
    fn name(&self) -> &'static str {
        "bias-gelu-erf"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        let x = contiguous(s1, l1, "bias_gelu")?;
        let bias = contiguous(s2, l2, "bias_gelu")?;
        let n = bias.len();
        if l1.dims().last() != Some(&n) {
            candle_core::bail!("bias_gelu: bias of {n} for input {:?}", l1.dims())
        }
        let mut out = vec![0f32; x.len()];
        let rows = (TASK / n.max(1)).max(1) * n;
        x.par_chunks(rows)
            .zip(out.par_chunks_mut(rows))
            .for_each(|(x, o)| bias_gelu_slice(x, bias, o));
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

/// gelu(x + bias) with GELU in its erf form, for `x` of any rank whose last
/// dimension is the length of `bias`.
pub fn bias_gelu(x: &Tensor, bias: &Tensor) -> Result<Tensor> {
    x.contiguous()?
        .apply_op2_no_bwd(&bias.contiguous()?, &BiasGelu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, D};
    use rand::{Rng, SeedableRng};

    fn random(n: usize, lo: f32, hi: f32, seed: u64) -> Vec<f32> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        (0..n).map(|_| rng.gen_range(lo..hi)).collect()
    }

    /// Every build of a kernel that this processor can run.
    fn isas() -> Vec<Isa> {
        let mut v = vec![Isa::Baseline];
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                v.push(Isa::Avx2);
            }
            if isa() == Isa::Avx512 {
                v.push(Isa::Avx512);
            }
        }
        v
    }

    fn gelu_with(isa: Isa, x: &[f32], b: &[f32], o: &mut [f32]) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { arch::bias_gelu_avx512(x, b, o) },
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { arch::bias_gelu_avx2(x, b, o) },
            _ => bias_gelu_kernel(x, b, o),
        }
    }

    fn softmax_with(isa: Isa, s: &[f32], m: &[f32], scale: f32, o: &mut [f32]) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => unsafe { arch::softmax_avx512(s, m, scale, o) },
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => unsafe { arch::softmax_avx2(s, m, scale, o) },
            _ => softmax_kernel(s, m, scale, o),
        }
    }

    #[test]
    fn erf_is_accurate_everywhere() {
        let mut worst = (0f64, 0f32);
        for i in -200_000..=200_000 {
            let x = i as f32 * 5e-5;
            let exact = libm::erf(x as f64);
            let err = (erf(x) as f64 - exact).abs();
            if err > worst.0 {
                worst = (err, x);
            }
        }
        assert!(worst.0 < 4e-7, "worst absolute error {worst:?}");
        assert_eq!(erf(100.0), 1.0);
        assert_eq!(erf(-100.0), -1.0);
    }

    #[test]
    fn exp_is_accurate_and_never_denormal() {
        for i in 0..=2_000_000 {
            let x = -(i as f32) * 1e-4;
            let got = exp_nonpositive(x);
            let exact = (x as f64).exp();
            if exact < f32::MIN_POSITIVE as f64 * 1.01 {
                assert!(got == 0.0 || got >= f32::MIN_POSITIVE, "{x}: {got:e}");
            } else {
                let rel = ((got as f64 - exact) / exact).abs();
                assert!(rel < 3e-7, "{x}: {got:e} against {exact:e}");
            }
        }
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-1e4), 0.0);
        assert_eq!(exp_nonpositive(f32::NEG_INFINITY), 0.0);
    }

    /// Against candle's gelu_erf (libm erff): |fast − reference| ≤ 3e-7 ·
    /// max(1, |x|), for every build of the kernel.
    #[test]
    fn bias_gelu_matches_candle() {
        let device = Device::Cpu;
        let (rows, n) = (37, 96);
        let mut x = random(rows * n, -12.0, 12.0, 1);
        x[..n].copy_from_slice(&random(n, -1e-3, 1e-3, 2));
        x[5] = 0.0;
        x[6] = -1e30;
        x[7] = 1e30;
        let b = random(n, -1.0, 1.0, 3);
        let xt = Tensor::from_vec(x.clone(), (rows, n), &device).unwrap();
        let bt = Tensor::from_vec(b.clone(), n, &device).unwrap();
        let want: Vec<f32> = xt
            .broadcast_add(&bt)
            .unwrap()
            .gelu_erf()
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap();
        let via_op: Vec<f32> = bias_gelu(&xt, &bt)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap();
        for isa in isas() {
            let mut got = vec![0f32; x.len()];
            gelu_with(isa, &x, &b, &mut got);
            let worst = got
                .iter()
                .zip(&want)
                .enumerate()
                .map(|(i, (g, w))| (g - w).abs() / (x[i] + b[i % n]).abs().max(1.0))
                .fold(0f32, f32::max);
            assert!(worst <= 3e-7, "{isa:?}: worst scaled difference {worst:e}");
        }
        let mut got = vec![0f32; x.len()];
        bias_gelu_slice(&x, &b, &mut got);
        assert_eq!(got, via_op);
    }

    /// Against candle's path (affine scale, broadcast mask, softmax_last_dim),
    /// on random scores with padding, fully masked rows, very negative
    /// scores and a row length that is not a multiple of the vector width:
    /// |fast − reference| ≤ 1e-6, rows sum to 1, no denormal.
    #[test]
    fn softmax_slice_matches_candle() {
        let device = Device::Cpu;
        let (b, h, t) = (3, 4, 45);
        let mut s = random(b * h * t * t, -30.0, 30.0, 4);
        // A row of very negative scores with a spread that would underflow.
        for (j, v) in s[t..2 * t].iter_mut().enumerate() {
            *v = -1e3 - 30.0 * j as f32;
        }
        // Real positions then padding; the last item is fully masked.
        let mut att = vec![1f32; b * t];
        for a in &mut att[t - 7..t] {
            *a = 0.0;
        }
        for a in &mut att[2 * t..] {
            *a = 0.0;
        }
        let scale = 1.0 / (32f32).sqrt();
        let st = Tensor::from_vec(s.clone(), (b, h, t, t), &device).unwrap();
        let mask =
            ((Tensor::from_vec(att, (b, 1, 1, t), &device).unwrap() - 1.0).unwrap() * 1e4).unwrap();
        let want: Vec<f32> = candle_nn::ops::softmax_last_dim(
            &(st.clone() * scale as f64)
                .unwrap()
                .broadcast_add(&mask)
                .unwrap(),
        )
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1()
        .unwrap();
        let m = mask.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let mut got = vec![0f32; s.len()];
        for (k, (sr, or)) in s
            .chunks(h * t * t)
            .zip(got.chunks_mut(h * t * t))
            .enumerate()
        {
            softmax_slice(sr, &m[k * t..(k + 1) * t], scale, or);
        }
        for isa in isas() {
            let mut alt = vec![0f32; s.len()];
            for (k, (sr, or)) in s
                .chunks(h * t * t)
                .zip(alt.chunks_mut(h * t * t))
                .enumerate()
            {
                softmax_with(isa, sr, &m[k * t..(k + 1) * t], scale, or);
            }
            let worst = alt
                .iter()
                .zip(&want)
                .map(|(a, w)| (a - w).abs())
                .fold(0f32, f32::max);
            assert!(worst <= 1e-6, "{isa:?}: worst difference {worst:e}");
        }
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, w)| (a - w).abs())
            .fold(0f32, f32::max);
        assert!(worst <= 1e-6, "worst difference {worst:e}");
        for row in got.chunks(t) {
            let sum: f32 = row.iter().sum();
            assert!((sum - 1.0).abs() < 1e-5, "row sum {sum}");
            assert!(row.iter().all(|p| *p == 0.0 || *p >= f32::MIN_POSITIVE));
        }
        // Padding gets exactly nothing.
        let g = Tensor::from_vec(got, (b, h, t, t), &device).unwrap();
        let pad: f32 = g
            .narrow(0, 0, 1)
            .unwrap()
            .narrow(D::Minus1, t - 7, 7)
            .unwrap()
            .sum_all()
            .unwrap()
            .to_scalar()
            .unwrap();
        assert_eq!(pad, 0.0);
    }
}
