//! Times the int8 product of `tally::ner::int8` against candle's f32 matrix
//! product on the encoder's dense shapes (a batch of 16 windows of 128
//! positions: m = 2048), on the rayon pool both use.
//!
//! ```sh
//! cargo run --release --example int8_matmul
//! ```

use anyhow::Result;
use candle_core::{Device, Tensor};
use std::time::Instant;
use tally::ner::int8::{self, QuantLinear};

/// Seconds per call of `f`, the best of 5 runs of `reps` calls.
fn time(reps: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..reps {
            f()?;
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64);
    }
    Ok(best)
}

fn main() -> Result<()> {
    if !int8::available() {
        anyhow::bail!("this processor has neither AVX-512 VNNI nor AVX-VNNI");
    }
    let device = Device::Cpu;
    println!("{} threads", rayon::current_num_threads());
    println!("m × n × k               int8 ms  GMAC/s    f32 ms  GMAC/s  speed-up");
    let shapes = [(2048, 384, 384), (2048, 1536, 384), (2048, 384, 1536)];
    for (m, n, k) in shapes {
        let x: Vec<f32> = (0..m * k)
            .map(|i| ((i * 7919) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        let w: Vec<f32> = (0..n * k)
            .map(|i| ((i * 104_729) % 1000) as f32 / 5e3 - 0.1)
            .collect();
        let q = QuantLinear::new(&w, n, k, None)?;
        let mut out = vec![0f32; m * n];
        let xt = Tensor::from_vec(x.clone(), (m, k), &device)?;
        let wt = Tensor::from_vec(w, (n, k), &device)?.t()?;
        let i8s = time(10, || Ok(q.matmul(&x, &mut out, false)?))?;
        let f32s = time(10, || Ok(xt.matmul(&wt).map(|_| ())?))?;
        let gmac = (m * n * k) as f64 / 1e9;
        println!(
            "{:<20} {:>10.2} {:>7.0} {:>9.2} {:>7.0} {:>8.2}×",
            format!("{m} × {n} × {k}"),
            i8s * 1e3,
            gmac / i8s,
            f32s * 1e3,
            gmac / f32s,
            f32s / i8s
        );
    }
    Ok(())
}
