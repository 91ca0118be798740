//! tally: who did what to how many, in English news.
//!
//! A document flows one way through plain functions over one [`doc::Doc`]:
//! [`segment`] (tokens, sentences) → [`ner`] (entities) → [`canon`]
//! (canonical party names) → [`counts`] (counts, values, units) →
//! [`attach`] (parties of each count). [`format`](mod@format) reads and writes the JSONL
//! of `docs/FORMAT.md`, [`input`] turns files into documents, [`eval`] scores.

pub mod attach;
pub mod canon;
pub mod commands;
pub mod counts;
pub mod doc;
pub mod eval;
pub mod format;
pub mod input;
pub mod lexicon;
pub mod ner;
pub mod offsets;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod show;
pub mod signals;
pub mod syntax;
pub mod tokens;

/// The version `tally --version` prints: the crate's, and the entity model
/// shipped with it (the first 12 hex digits of its SHA-256).
#[cfg(feature = "embed-model")]
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (entity model sha256 ",
    env!("TALLY_MODEL_ID"),
    ", built in)"
);
/// The version `tally --version` prints: the crate's, and the entity model
/// shipped with it (the first 12 hex digits of its SHA-256).
#[cfg(not(feature = "embed-model"))]
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (entity model sha256 ",
    env!("TALLY_MODEL_ID"),
    ", read from models/ner)"
);
