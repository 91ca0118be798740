//! The entity network: a BERT encoder (all-MiniLM-L6-v2) with a word-shape
//! embedding added to its input embeddings, and a linear BIO tag head.
//!
//! Written from candle's primitive ops so that training back-propagates into
//! every parameter: candle-nn's fused LayerNorm and softmax kernels have no
//! backward pass, so both are built here from differentiable ops.
//! Inference uses fused kernels instead (`fast.rs`) and, once
//! [`Tagger::set_int8`] is on, int8 products for the six dense layers of
//! each encoder layer (`int8.rs`); the tag head stays f32.

use super::int8::QuantLinear;
use super::{attend, fast};
use crate::tokens::Shape;
use candle_core::{DType, Device, Module, Result, Tensor, D};
use candle_nn::{Embedding, Linear, VarBuilder};
use serde::{Deserialize, Serialize};

/// The encoder's shape, as in a Hugging Face BERT `config.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
}

fn default_eps() -> f64 {
    1e-12
}

/// Word-shape classes, the casing signal that the uncased encoder lacks.
pub const SHAPES: usize = 7;
pub const SHAPE_PAD: u32 = 0;

/// The shape class of a word: 1 lower, 2 Title, 3 ALLCAPS, 4 mixed,
/// 5 has a digit, 6 no letters.
pub fn word_shape(word: &str) -> u32 {
    match Shape::of(word) {
        Shape::Lower => 1,
        Shape::Title => 2,
        Shape::AllCaps => 3,
        Shape::Mixed => 4,
        Shape::Digit => 5,
        Shape::NoLetters => 6,
    }
}

/// LayerNorm from primitive ops (differentiable).
pub struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl LayerNorm {
    fn load(vb: VarBuilder, size: usize, eps: f64) -> Result<Self> {
        Ok(LayerNorm {
            weight: vb.get_with_hints(size, "weight", candle_nn::Init::Const(1.0))?,
            bias: vb.get_with_hints(size, "bias", candle_nn::Init::Const(0.0))?,
            eps,
        })
    }
}

impl LayerNorm {
    /// Training builds the norm from differentiable ops; inference uses
    /// candle's fused kernel, which computes the same function faster.
    fn forward_t(&self, x: &Tensor, train: bool) -> Result<Tensor> {
        if train {
            self.forward(x)
        } else {
            candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps as f32)
        }
    }
}

impl Module for LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centred.broadcast_div(&(var + self.eps)?.sqrt()?)?;
        normed
            .broadcast_mul(&self.weight)?
            .broadcast_add(&self.bias)
    }
}

/// Softmax over the last dimension from primitive ops (differentiable).
fn softmax_last(x: &Tensor) -> Result<Tensor> {
    let max = x.max_keepdim(D::Minus1)?.detach();
    let e = x.broadcast_sub(&max)?.exp()?;
    e.broadcast_div(&e.sum_keepdim(D::Minus1)?)
}

/// Dropout: each value is zeroed with probability `p` and the others scaled
/// by `1 / (1 - p)`, by uniform draws in [0, 1) from the caller's source (a
/// seeded generator when training, so that a run is repeatable). The model
/// itself draws nothing: inference never builds one.
pub struct Dropout<'a> {
    pub p: f32,
    /// Fills a buffer with uniform draws in [0, 1), one per value.
    pub uniform: std::cell::RefCell<Uniform<'a>>,
}

/// A source of uniform draws in [0, 1): fills the buffer it is given.
pub type Uniform<'a> = &'a mut dyn FnMut(&mut [f32]);

impl Dropout<'_> {
    /// `x` with the mask applied (differentiable in `x`).
    pub fn apply(&self, x: &Tensor) -> Result<Tensor> {
        if self.p <= 0.0 {
            return Ok(x.clone());
        }
        let keep = 1.0 / (1.0 - self.p);
        let mut mask = vec![0f32; x.elem_count()];
        (self.uniform.borrow_mut())(&mut mask);
        for m in &mut mask {
            *m = if *m < self.p { 0.0 } else { keep };
        }
        let mask = Tensor::from_vec(mask, x.shape(), x.device())?.to_dtype(x.dtype())?;
        x.mul(&mask)
    }
}

fn dropout(x: &Tensor, d: Option<&Dropout>) -> Result<Tensor> {
    match d {
        Some(d) => d.apply(x),
        None => Ok(x.clone()),
    }
}

struct Attention {
    query: Linear,
    key: Linear,
    value: Linear,
    output: Linear,
    norm: LayerNorm,
    heads: usize,
    head_dim: usize,
    /// The int8 forms of query, key, value and output, when set
    /// ([`Tagger::set_int8`]); used at inference only.
    int8: Option<[QuantLinear; 4]>,
}

/// `lin` applied to `x`: through its int8 form `q` when given.
fn dense(lin: &Linear, q: Option<&QuantLinear>, x: &Tensor) -> Result<Tensor> {
    match q {
        Some(q) => q.forward(x),
        None => lin.forward(x),
    }
}

impl Attention {
    fn load(vb: VarBuilder, c: &BertConfig) -> Result<Self> {
        let h = c.hidden_size;
        Ok(Attention {
            query: candle_nn::linear(h, h, vb.pp("self.query"))?,
            key: candle_nn::linear(h, h, vb.pp("self.key"))?,
            value: candle_nn::linear(h, h, vb.pp("self.value"))?,
            output: candle_nn::linear(h, h, vb.pp("output.dense"))?,
            norm: LayerNorm::load(vb.pp("output.LayerNorm"), h, c.layer_norm_eps)?,
            heads: c.num_attention_heads,
            head_dim: h / c.num_attention_heads,
            int8: None,
        })
    }

    fn set_int8(&mut self, on: bool) -> Result<()> {
        self.int8 = match on {
            true => Some([
                QuantLinear::from_linear(&self.query)?,
                QuantLinear::from_linear(&self.key)?,
                QuantLinear::from_linear(&self.value)?,
                QuantLinear::from_linear(&self.output)?,
            ]),
            false => None,
        };
        Ok(())
    }

    /// Inference (`drop` None) attends over each window's `lengths` with
    /// [`attend::attention`]; training over the padded batch with `mask`.
    fn forward(
        &self,
        x: &Tensor,
        mask: &Tensor,
        lengths: &[usize],
        drop: Option<&Dropout>,
    ) -> Result<Tensor> {
        let (b, t, h) = x.dims3()?;
        let q8 = |i: usize| self.int8.as_ref().filter(|_| drop.is_none()).map(|q| &q[i]);
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        if drop.is_none() {
            let q = dense(&self.query, q8(0), x)?;
            let k = dense(&self.key, q8(1), x)?;
            let v = dense(&self.value, q8(2), x)?;
            let ctx = attend::attention(&q, &k, &v, lengths, self.heads, scale as f32)?;
            let out = dense(&self.output, q8(3), &ctx)?;
            return self.norm.forward_t(&(out + x)?, false);
        }
        let split = |y: Tensor| -> Result<Tensor> {
            y.reshape((b, t, self.heads, self.head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        // Training: differentiable ops over the padded batch, f32.
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = q.matmul(&k.t()?)?;
        let probs = dropout(
            &softmax_last(&(scores * scale)?.broadcast_add(mask)?)?,
            drop,
        )?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, t, h))?;
        let out = dropout(&self.output.forward(&ctx)?, drop)?;
        self.norm.forward_t(&(out + x)?, true)
    }
}

/// `x · Wᵀ` of a linear layer, without its bias, computed as candle's
/// `Linear` computes it (one matrix product over all positions).
fn matmul_weight(lin: &Linear, x: &Tensor) -> Result<Tensor> {
    let w = lin.weight().t()?;
    match *x.dims() {
        [b, m, k] if x.is_contiguous() => x.reshape((b * m, k))?.matmul(&w)?.reshape((b, m, ())),
        [b, _, _] => x.matmul(&lin.weight().broadcast_left(b)?.t()?),
        _ => x.matmul(&w),
    }
}

struct Layer {
    attention: Attention,
    intermediate: Linear,
    output: Linear,
    norm: LayerNorm,
    /// The int8 forms of intermediate and output, when set.
    int8: Option<[QuantLinear; 2]>,
}

impl Layer {
    fn load(vb: VarBuilder, c: &BertConfig) -> Result<Self> {
        Ok(Layer {
            attention: Attention::load(vb.pp("attention"), c)?,
            intermediate: candle_nn::linear(
                c.hidden_size,
                c.intermediate_size,
                vb.pp("intermediate.dense"),
            )?,
            output: candle_nn::linear(c.intermediate_size, c.hidden_size, vb.pp("output.dense"))?,
            norm: LayerNorm::load(vb.pp("output.LayerNorm"), c.hidden_size, c.layer_norm_eps)?,
            int8: None,
        })
    }

    fn set_int8(&mut self, on: bool) -> Result<()> {
        self.attention.set_int8(on)?;
        self.int8 = match on {
            true => Some([
                QuantLinear::from_linear(&self.intermediate)?,
                QuantLinear::from_linear(&self.output)?,
            ]),
            false => None,
        };
        Ok(())
    }

    fn forward(
        &self,
        x: &Tensor,
        mask: &Tensor,
        lengths: &[usize],
        drop: Option<&Dropout>,
    ) -> Result<Tensor> {
        let a = self.attention.forward(x, mask, lengths, drop)?;
        let q8 = self.int8.as_ref().filter(|_| drop.is_none());
        let i = match (drop, q8) {
            (Some(_), _) => self.intermediate.forward(&a)?.gelu_erf()?,
            (None, Some(q)) => q[0].forward_gelu(&a)?,
            (None, None) => match self.intermediate.bias() {
                Some(bias) => fast::bias_gelu(&matmul_weight(&self.intermediate, &a)?, bias)?,
                None => self.intermediate.forward(&a)?.gelu_erf()?,
            },
        };
        let o = dropout(&dense(&self.output, q8.map(|q| &q[1]), &i)?, drop)?;
        self.norm.forward_t(&(o + a)?, drop.is_some())
    }
}

/// Encoder plus tag head.
pub struct Tagger {
    word: Embedding,
    position: Embedding,
    token_type: Tensor,
    shape: Embedding,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
    head: Linear,
    pub config: BertConfig,
    pub num_labels: usize,
}

/// One batch of windows, padded to the same length.
pub struct Batch {
    /// (batch, len) u32 word-piece ids.
    pub ids: Tensor,
    /// (batch, len) u32 shape classes.
    pub shapes: Tensor,
    /// (batch, len) f32, 1 for real positions and 0 for padding.
    pub attention: Tensor,
    /// The real length of each window.
    pub lengths: Vec<usize>,
}

impl Batch {
    pub fn new(ids: &[Vec<u32>], shapes: &[Vec<u32>], device: &Device) -> Result<Self> {
        let len = ids.iter().map(Vec::len).max().unwrap_or(0);
        let b = ids.len();
        let mut flat_ids = Vec::with_capacity(b * len);
        let mut flat_shapes = Vec::with_capacity(b * len);
        let mut att = Vec::with_capacity(b * len);
        for (i, s) in ids.iter().zip(shapes) {
            flat_ids.extend_from_slice(i);
            flat_shapes.extend_from_slice(s);
            att.extend(std::iter::repeat_n(1f32, i.len()));
            let pad = len - i.len();
            flat_ids.extend(std::iter::repeat_n(0u32, pad));
            flat_shapes.extend(std::iter::repeat_n(SHAPE_PAD, pad));
            att.extend(std::iter::repeat_n(0f32, pad));
        }
        Ok(Batch {
            ids: Tensor::from_vec(flat_ids, (b, len), device)?,
            shapes: Tensor::from_vec(flat_shapes, (b, len), device)?,
            attention: Tensor::from_vec(att, (b, len), device)?,
            lengths: ids.iter().map(Vec::len).collect(),
        })
    }
}

impl Tagger {
    /// Builds the network from `vb`. With `frozen_words`, the word-piece
    /// embedding is a constant (not trained) taken from that tensor.
    pub fn load(
        vb: VarBuilder,
        config: &BertConfig,
        num_labels: usize,
        frozen_words: Option<Tensor>,
    ) -> Result<Self> {
        let h = config.hidden_size;
        let e = vb.pp("embeddings");
        let word = match frozen_words {
            Some(w) => Embedding::new(w, h),
            None => candle_nn::embedding(config.vocab_size, h, e.pp("word_embeddings"))?,
        };
        let shape_w = e.get_with_hints(
            (SHAPES, h),
            "shape_embeddings.weight",
            candle_nn::Init::Const(0.0),
        )?;
        let token_type = e.get((config.type_vocab_size, h), "token_type_embeddings.weight")?;
        Ok(Tagger {
            word,
            position: candle_nn::embedding(
                config.max_position_embeddings,
                h,
                e.pp("position_embeddings"),
            )?,
            token_type: token_type.narrow(0, 0, 1)?,
            shape: Embedding::new(shape_w, h),
            embed_norm: LayerNorm::load(e.pp("LayerNorm"), h, config.layer_norm_eps)?,
            layers: (0..config.num_hidden_layers)
                .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), config))
                .collect::<Result<_>>()?,
            head: candle_nn::linear(h, num_labels, vb.pp("classifier"))?,
            config: config.clone(),
            num_labels,
        })
    }

    /// Inference with int8 products for the six dense layers of each
    /// encoder layer (`on`), or with the f32 ones (`!on`): the weights
    /// are quantised here, once (`super::int8`). Training
    /// ([`Tagger::forward`] with dropout) always runs f32.
    pub fn set_int8(&mut self, on: bool) -> Result<()> {
        for l in &mut self.layers {
            l.set_int8(on)?;
        }
        Ok(())
    }

    /// The tag head's weight (tags × hidden) and bias.
    pub fn head_weights(&self) -> (&Tensor, Option<&Tensor>) {
        (self.head.weight(), self.head.bias())
    }

    /// Whether the dense layers run int8 at inference.
    pub fn is_int8(&self) -> bool {
        self.layers.iter().any(|l| l.int8.is_some())
    }

    /// The encoder's input, (batch, len, hidden): word, position, token
    /// type and shape embeddings, normalised (dropout in training), and
    /// the additive attention mask: 0 where attended, a large negative
    /// where padding.
    fn embed(&self, batch: &Batch, drop: Option<&Dropout>) -> Result<(Tensor, Tensor)> {
        let (_, len) = batch.ids.dims2()?;
        let device = batch.ids.device();
        let positions = Tensor::arange(0u32, len as u32, device)?;
        let x = self
            .word
            .forward(&batch.ids)?
            .broadcast_add(&self.position.forward(&positions)?)?
            .broadcast_add(&self.token_type)?
            .add(&self.shape.forward(&batch.shapes)?)?;
        let x = dropout(&self.embed_norm.forward_t(&x, drop.is_some())?, drop)?;
        let mask =
            ((batch.attention.unsqueeze(1)?.unsqueeze(1)? - 1.0)? * 1e4)?.to_dtype(DType::F32)?;
        Ok((x, mask))
    }

    /// Tag logits, (batch, len, labels).
    pub fn forward(&self, batch: &Batch, drop: Option<&Dropout>) -> Result<Tensor> {
        let (mut x, mask) = self.embed(batch, drop)?;
        for layer in &self.layers {
            x = layer.forward(&x, &mask, &batch.lengths, drop)?;
        }
        match drop {
            Some(_) => self.head.forward(&x),
            None => attend::linear_by_rows(&x, &self.head),
        }
    }

    /// Inference only: the tag logits as [`Tagger::forward`] computes them
    /// (the same ops in the same order), and the hidden states after the
    /// encoder layers `keep` (1-based: layer 2 is the output of the second
    /// block), each (batch, len, hidden). One pass serves the entity tags
    /// and the features of the syntax head (`crate::syntax`).
    pub fn forward_with_hidden(
        &self,
        batch: &Batch,
        keep: &[usize],
    ) -> Result<(Tensor, Vec<Tensor>)> {
        let (mut x, mask) = self.embed(batch, None)?;
        let mut hidden = vec![None; keep.len()];
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(&x, &mask, &batch.lengths, None)?;
            for (k, &l) in keep.iter().enumerate() {
                if l == i + 1 {
                    hidden[k] = Some(x.clone());
                }
            }
        }
        let hidden = hidden
            .into_iter()
            .zip(keep)
            .map(|(h, l)| {
                h.ok_or_else(|| {
                    candle_core::Error::Msg(format!(
                        "the encoder has {} layers; layer {l} was asked for",
                        self.layers.len()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((attend::linear_by_rows(&x, &self.head)?, hidden))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_words() {
        assert_eq!(word_shape("prisoners"), 1);
        assert_eq!(word_shape("Russia"), 2);
        assert_eq!(word_shape("UAE"), 3);
        assert_eq!(word_shape("McDonald"), 4);
        assert_eq!(word_shape("1,000"), 5);
        assert_eq!(word_shape("·"), 6);
        assert_eq!(word_shape("U.S."), 3);
        assert_eq!(word_shape("I"), 2);
    }

    #[test]
    fn fused_inference_ops_match_the_trainable_ones() {
        let device = Device::Cpu;
        let x = Tensor::new(
            &[[[0.5f32, -1.0, 2.0, 0.25], [3.0, 1.0, -2.0, 0.0]]],
            &device,
        )
        .unwrap();
        let ln = LayerNorm {
            weight: Tensor::new(&[1.0f32, 2.0, 0.5, 1.5], &device).unwrap(),
            bias: Tensor::new(&[0.1f32, 0.0, -0.1, 0.2], &device).unwrap(),
            eps: 1e-12,
        };
        let a = ln
            .forward_t(&x, true)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let b = ln
            .forward_t(&x, false)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(
            a.iter().zip(&b).all(|(a, b)| (a - b).abs() < 1e-4),
            "{a:?} {b:?}"
        );
        let s1 = softmax_last(&x)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let s2 = candle_nn::ops::softmax_last_dim(&x)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(s1.iter().zip(&s2).all(|(a, b)| (a - b).abs() < 1e-6));
    }

    #[test]
    fn every_parameter_receives_a_gradient() {
        let device = Device::Cpu;
        let config = BertConfig {
            vocab_size: 50,
            hidden_size: 16,
            num_hidden_layers: 2,
            num_attention_heads: 4,
            intermediate_size: 32,
            max_position_embeddings: 32,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
        };
        let varmap = candle_nn::VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
        let model = Tagger::load(vb, &config, 5, None).unwrap();
        // The shape embedding starts at zero; give it values so that its
        // gradient is not trivially blocked.
        let batch = Batch::new(
            &[vec![1, 2, 3, 4], vec![5, 6]],
            &[vec![1, 2, 3, 4], vec![5, 6]],
            &device,
        )
        .unwrap();
        // Training mode (dropout given, here with p = 0): the differentiable ops.
        let mut half = |u: &mut [f32]| u.fill(0.5);
        let drop = Dropout {
            p: 0.0,
            uniform: std::cell::RefCell::new(&mut half),
        };
        let logits = model.forward(&batch, Some(&drop)).unwrap();
        let loss = logits.sqr().unwrap().mean_all().unwrap();
        let grads = loss.backward().unwrap();
        let vars = varmap.all_vars();
        assert!(vars.len() > 20);
        let data = varmap.data().lock().unwrap();
        for (name, var) in data.iter() {
            let g = grads.get(var.as_tensor());
            assert!(g.is_some(), "no gradient for {name}");
            let norm = g
                .unwrap()
                .sqr()
                .unwrap()
                .sum_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            if name != "embeddings.token_type_embeddings.weight" {
                assert!(norm > 0.0, "zero gradient for {name}");
            }
        }
    }
}

#[cfg(test)]
mod batch_invariance {
    use super::*;

    /// An encoder with random weights, of the shipped model's widths (the
    /// f32 products' `gemm` sums rows of narrow layers differently for
    /// fewer than five rows) and two layers.
    fn small_tagger() -> Tagger {
        let device = Device::Cpu;
        let config = BertConfig {
            vocab_size: 60,
            hidden_size: 384,
            num_hidden_layers: 2,
            num_attention_heads: 12,
            intermediate_size: 1536,
            max_position_embeddings: 160,
            type_vocab_size: 2,
            layer_norm_eps: 1e-12,
        };
        let varmap = candle_nn::VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &device);
        Tagger::load(vb, &config, 5, None).unwrap()
    }

    fn window(len: usize, seed: u32) -> (Vec<u32>, Vec<u32>) {
        let ids = (0..len as u32).map(|i| (i * 7 + seed * 13) % 60).collect();
        let shapes = (0..len as u32).map(|i| (i + seed) % 4).collect();
        (ids, shapes)
    }

    /// The logits of `windows[at]` (its real positions only), computed in
    /// one batch with all of `windows`.
    fn logits_in_batch(t: &Tagger, windows: &[(Vec<u32>, Vec<u32>)], at: usize) -> Vec<f32> {
        let ids: Vec<_> = windows.iter().map(|w| w.0.clone()).collect();
        let shapes: Vec<_> = windows.iter().map(|w| w.1.clone()).collect();
        let batch = Batch::new(&ids, &shapes, &Device::Cpu).unwrap();
        let logits = t.forward(&batch, None).unwrap();
        logits
            .get(at)
            .unwrap()
            .narrow(0, 0, ids[at].len())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap()
    }

    /// A window's output does not depend, to the last bit, on the windows
    /// batched with it (their number, their lengths, its place): under
    /// int8 a last-bit difference can move a value across a quantisation
    /// step and change a tag.
    fn check(t: &Tagger) {
        // Windows have at least [CLS] and [SEP]: two rows (`gemm` sums a
        // product of one row otherwise than of several).
        for len in [2, 5, 16, 17, 40, 126] {
            let w = window(len, 1);
            let alone = logits_in_batch(t, std::slice::from_ref(&w), 0);
            for (others, at) in [
                (vec![window(150, 2)], 0),
                (vec![window(33, 3), window(127, 4)], 1),
                (vec![window(len + 1, 5), window(3, 6)], 2),
            ] {
                let mut batch = others.clone();
                batch.insert(at, w.clone());
                let with = logits_in_batch(t, &batch, at);
                assert!(
                    alone
                        .iter()
                        .zip(&with)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "window of {len} pieces, int8 {}: alone and batched with {:?} differ",
                    t.is_int8(),
                    others.iter().map(|o| o.0.len()).collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn a_window_s_output_is_independent_of_its_batch_in_f32() {
        check(&small_tagger());
    }

    #[test]
    fn a_window_s_output_is_independent_of_its_batch_in_int8() {
        let mut t = small_tagger();
        t.set_int8(true).unwrap();
        check(&t);
    }
}
