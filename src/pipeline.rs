//! The pipeline: the stages in order over a batch of documents, in parallel.

use crate::doc::Doc;
use crate::ner::NerModel;
use crate::{attach, canon, numbers, segment};
use anyhow::Result;
use rayon::prelude::*;

/// Documents per entity-model call: windows of these documents are batched
/// together by length.
const NER_CHUNK: usize = 16;

pub struct Pipeline {
    ner: NerModel,
}

impl Pipeline {
    pub fn new(ner: NerModel) -> Self {
        Pipeline { ner }
    }

    /// Loads the shipped model from `models/` (or `$TALLY_MODELS`).
    pub fn load_default() -> Result<Self> {
        let dir = crate::ner::default_model_dir();
        Ok(Pipeline::new(NerModel::load(&dir)?))
    }

    pub fn ner(&self) -> &NerModel {
        &self.ner
    }

    /// Runs every stage over `docs`: tokens and sentences, entities,
    /// canonical names, counts, parties.
    pub fn process(&self, docs: &mut [Doc]) -> Result<()> {
        docs.par_iter_mut().for_each(segment::segment);
        docs.par_chunks_mut(NER_CHUNK)
            .try_for_each(|chunk| self.ner.tag_docs(chunk))?;
        docs.par_iter_mut().for_each(|d| {
            canon::tickers_as_orgs(d);
            canon::canonicalize(d);
            d.counts = numbers::find_counts(d);
            attach::attach(d);
        });
        Ok(())
    }

    /// The rule stages alone, over documents whose entities (with their
    /// canonical names) are given: gold entities, to measure the rules.
    pub fn process_with_entities(docs: &mut [Doc]) {
        docs.par_iter_mut().for_each(|d| {
            segment::segment(d);
            d.counts = numbers::find_counts(d);
            attach::attach(d);
        });
    }
}
