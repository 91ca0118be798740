//! The pipeline: the stages in order over a batch of documents, in parallel.

use crate::attach::RuleSet;
use crate::doc::Doc;
use crate::ner::NerModel;
use crate::{attach, canon, numbers, segment};
use anyhow::{Context, Result};
use rayon::prelude::*;

/// Documents per entity-model call: windows of these documents are batched
/// together by length.
const NER_CHUNK: usize = 16;

/// The whole of tally over documents: tokens and sentences, named
/// entities (the MiniLM model), canonical party names, counts, and the
/// parties of each count. Load it once ([`Pipeline::load_default`]) and
/// call [`Pipeline::process`] on batches of [`Doc`]s; it is `Sync`, and
/// runs a batch in parallel on rayon's threads.
///
/// ```
/// use tally::doc::{Doc, Role};
/// use tally::pipeline::Pipeline;
///
/// let pipeline = Pipeline::load_default()?;
/// let mut docs = vec![Doc::new(
///     "swap",
///     "Moscow and Kyiv each returned 175 prisoners.",
/// )];
/// pipeline.process(&mut docs)?;
/// let count = &docs[0].counts[0];
/// assert_eq!(count.value, 175.0);
/// assert_eq!(count.unit.as_deref(), Some("prisoner"));
/// assert!(count.distributive);
/// let agents: Vec<&str> = count
///     .parties
///     .iter()
///     .filter(|p| p.role == Role::Agent)
///     .map(|p| p.party.as_str())
///     .collect();
/// assert_eq!(agents, ["Russia", "Ukraine"]);
/// # Ok::<(), anyhow::Error>(())
/// ```
///
/// `examples/extract.rs` prints every entity and count of a document.
pub struct Pipeline {
    ner: NerModel,
    /// The syntax head, when tags and trees are asked for
    /// ([`Pipeline::with_syntax`]); it runs on the entity model's own pass.
    syntax: Option<crate::syntax::SyntaxModel>,
}

impl Pipeline {
    /// A pipeline around an entity model loaded by the caller (say with
    /// [`NerModel::load`] from a folder).
    pub fn new(ner: NerModel) -> Self {
        Pipeline { ner, syntax: None }
    }

    /// The pipeline that also fills each document's `syntax` (UPOS, head
    /// and relation per token) from the same encoder pass as the entities.
    pub fn with_syntax(mut self, syntax: crate::syntax::SyntaxModel) -> Self {
        self.syntax = Some(syntax);
        self
    }

    /// The syntax head, if the pipeline runs one.
    pub fn syntax(&self) -> Option<&crate::syntax::SyntaxModel> {
        self.syntax.as_ref()
    }

    /// Loads the default model: the folder in `$TALLY_MODEL` if set, else
    /// the shipped one (built into the binary with the default feature
    /// `embed-model`).
    pub fn load_default() -> Result<Self> {
        let source = crate::ner::ModelSource::resolve(None);
        let ner = NerModel::load_from(&source)
            .with_context(|| format!("loading the entity model from {source}"))?;
        Ok(Pipeline::new(ner))
    }

    /// The entity model.
    pub fn ner(&self) -> &NerModel {
        &self.ner
    }

    /// Runs every stage over `docs`: tokens and sentences, entities,
    /// canonical names, counts, parties. The results are in each document's
    /// `entities` and `counts` ([`crate::format::doc_to_json`] writes them
    /// as the JSONL of `docs/FORMAT.md`). An error comes from the entity
    /// model; the rule stages do not fail.
    pub fn process(&self, docs: &mut [Doc]) -> Result<()> {
        self.process_with_rules(docs, &RuleSet::all())
    }

    /// [`Pipeline::process`] with only the attachment rules that `rules`
    /// leaves on.
    pub fn process_with_rules(&self, docs: &mut [Doc], rules: &RuleSet) -> Result<()> {
        self.entities(docs)?;
        Self::counts_and_parties(docs, rules);
        Ok(())
    }

    /// The stages up to the entities and their canonical names.
    pub fn entities(&self, docs: &mut [Doc]) -> Result<()> {
        docs.par_iter_mut().for_each(segment::segment);
        match &self.syntax {
            None => docs
                .par_chunks_mut(NER_CHUNK)
                .try_for_each(|chunk| self.ner.tag_docs(chunk))?,
            Some(syn) => docs.par_chunks_mut(NER_CHUNK).try_for_each(|chunk| {
                let feats = self
                    .ner
                    .tag_docs_with_features(chunk, &syn.config().layers)?;
                syn.annotate(chunk, &feats)
            })?,
        }
        docs.par_iter_mut().for_each(|d| {
            canon::tickers_as_orgs(d);
            canon::canonicalize(d);
        });
        Ok(())
    }

    /// The stages after the entities: counts and their parties (tokens and
    /// sentences must be there already).
    pub fn counts_and_parties(docs: &mut [Doc], rules: &RuleSet) {
        docs.par_iter_mut().for_each(|d| {
            d.counts = numbers::find_counts(d);
            attach::attach_with(d, rules);
        });
    }

    /// The rule stages alone, over documents whose entities (with their
    /// canonical names) are given: gold entities, to measure the rules.
    pub fn process_with_entities(docs: &mut [Doc]) {
        Self::process_with_entities_and_rules(docs, &RuleSet::all());
    }

    /// [`Pipeline::process_with_entities`] with only the attachment rules
    /// that `rules` leaves on.
    pub fn process_with_entities_and_rules(docs: &mut [Doc], rules: &RuleSet) {
        docs.par_iter_mut().for_each(segment::segment);
        Self::counts_and_parties(docs, rules);
    }
}
