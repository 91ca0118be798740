//! The pipeline: named stages in order over a batch of documents, in parallel.
//!
//! As with spaCy's pipeline components, each [`Stage`] has a name, the
//! fields of [`Doc`] it fills (`assigns`) and the stages whose output it
//! needs (`requires`). `tally extract --disable NAME` leaves stages out
//! ([`Stages::without`], which refuses to leave out a stage that another
//! one left on requires), and [`Pipeline::process_timed`] gives each
//! stage's time to `tally bench`.

use crate::attach::RuleSet;
use crate::doc::Doc;
use crate::ner::NerModel;
use crate::{attach, canon, counts, segment};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::fmt;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Documents per entity-model call: windows of these documents are batched
/// together by length.
pub(crate) const NER_CHUNK: usize = 16;

/// One stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Word tokens and sentences.
    Segment,
    /// Named entities: the MiniLM token classifier.
    Ner,
    /// Ticker entities and canonical party names (the gazetteer).
    Canon,
    /// Counts: numbers, values, ranges, units, head nouns.
    Counts,
    /// The parties of each count, restatements and sums, the setting.
    Attach,
}

impl Stage {
    /// Every stage, in the order they run.
    pub const ALL: [Stage; 5] = [
        Stage::Segment,
        Stage::Ner,
        Stage::Canon,
        Stage::Counts,
        Stage::Attach,
    ];

    /// The stage's name, as `--disable` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Segment => "segment",
            Stage::Ner => "ner",
            Stage::Canon => "canon",
            Stage::Counts => "counts",
            Stage::Attach => "attach",
        }
    }

    /// The stage of a name.
    pub fn parse(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The stages whose output this one needs: it cannot run without them.
    /// (Counts and attachment also read the entities when there are any;
    /// without them they run, with fewer parties.)
    pub fn requires(self) -> &'static [Stage] {
        match self {
            Stage::Segment => &[],
            Stage::Ner => &[Stage::Segment],
            Stage::Canon => &[Stage::Ner],
            Stage::Counts => &[Stage::Segment],
            Stage::Attach => &[Stage::Counts],
        }
    }

    /// What the stage fills in a [`Doc`].
    pub fn assigns(self) -> &'static str {
        match self {
            Stage::Segment => "tokens, sentences",
            Stage::Ner => "entities",
            Stage::Canon => "entities (tickers, canonical names, labels)",
            Stage::Counts => "counts",
            Stage::Attach => "count parties, mention_of, sum_of, setting",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The stages a run leaves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stages {
    on: [bool; Stage::ALL.len()],
}

impl Default for Stages {
    fn default() -> Self {
        Stages::all()
    }
}

impl Stages {
    /// Every stage.
    pub fn all() -> Self {
        Stages {
            on: [true; Stage::ALL.len()],
        }
    }

    /// Only `stages`, unchecked: for documents that already hold what the
    /// others would fill (say segmented documents with gold entities).
    pub fn only(stages: &[Stage]) -> Self {
        let mut on = [false; Stage::ALL.len()];
        for s in stages {
            on[s.index()] = true;
        }
        Stages { on }
    }

    /// Every stage but those named in `disabled`. An unknown name is an
    /// error that lists the names; so is leaving out a stage that a stage
    /// left on requires.
    pub fn without<S: AsRef<str>>(disabled: &[S]) -> Result<Self, String> {
        let mut stages = Stages::all();
        for name in disabled {
            let name = name.as_ref();
            let stage = Stage::parse(name).ok_or_else(|| {
                format!(
                    "no pipeline stage named {name:?}; the stages are: {}",
                    Stage::ALL.map(Stage::name).join(", ")
                )
            })?;
            stages.on[stage.index()] = false;
        }
        for s in stages.enabled() {
            if let Some(r) = s.requires().iter().find(|r| !stages.on(**r)) {
                return Err(format!(
                    "cannot disable {r}: {s} requires it (disable {s} too)"
                ));
            }
        }
        Ok(stages)
    }

    /// Whether `stage` runs.
    pub fn on(&self, stage: Stage) -> bool {
        self.on[stage.index()]
    }

    /// The stages left on, in order.
    pub fn enabled(&self) -> impl Iterator<Item = Stage> + '_ {
        Stage::ALL.into_iter().filter(|s| self.on(*s))
    }
}

/// How long each stage of a run took (wall-clock, all threads at work),
/// and the entity model's work.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    seconds: [f64; Stage::ALL.len()],
    /// Encoder positions the entity model computed: windows with `[CLS]`
    /// and `[SEP]`, overlap and padding included. Read from the model's
    /// counter, so a run on the same model in another thread at the same
    /// time adds its own.
    pub encoder_positions: usize,
}

impl Timings {
    /// The seconds `stage` took (0 when it did not run).
    pub fn seconds(&self, stage: Stage) -> f64 {
        self.seconds[stage.index()]
    }

    /// The seconds of every stage together.
    pub fn total(&self) -> f64 {
        self.seconds.iter().sum()
    }

    /// Per stage, the shorter of these times and `other`'s (the best of
    /// several passes); the encoder positions of the pass with the shorter
    /// entity stage.
    pub fn best_of(&self, other: &Timings) -> Timings {
        let mut best = self.clone();
        for (a, b) in best.seconds.iter_mut().zip(other.seconds) {
            *a = a.min(b);
        }
        if other.seconds(Stage::Ner) < self.seconds(Stage::Ner) {
            best.encoder_positions = other.encoder_positions;
        }
        best
    }
}

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
/// Stages can be left out, as `tally extract --disable` does:
///
/// ```
/// use tally::doc::Doc;
/// use tally::pipeline::{Pipeline, Stages};
///
/// let stages = Stages::without(&["ner", "canon"]).map_err(anyhow::Error::msg)?;
/// let pipeline = Pipeline::load_default()?.with_stages(stages);
/// let mut docs = vec![Doc::new("d", "Police in Lagos arrested 12 men.")];
/// pipeline.process(&mut docs)?;
/// assert!(docs[0].entities.is_empty());
/// assert_eq!(docs[0].counts[0].value, 12.0);
/// # Ok::<(), anyhow::Error>(())
/// ```
///
/// `examples/extract.rs` prints every entity and count of a document.
pub struct Pipeline {
    ner: NerModel,
    stages: Stages,
    /// The syntax head, when tags and trees are asked for
    /// ([`Pipeline::with_syntax`]); it runs on the entity model's own pass.
    syntax: Option<crate::syntax::SyntaxModel>,
}

impl Pipeline {
    /// A pipeline around an entity model loaded by the caller (say with
    /// [`NerModel::load`] from a folder), with every stage on.
    pub fn new(ner: NerModel) -> Self {
        Pipeline {
            ner,
            stages: Stages::all(),
            syntax: None,
        }
    }

    /// The pipeline that also fills each document's `syntax` (UPOS, head
    /// and relation per token) from the same encoder pass as the entities,
    /// in the ner stage.
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

    /// The same pipeline with only `stages` on ([`Pipeline::process`] and
    /// [`Pipeline::process_timed`] run those).
    pub fn with_stages(mut self, stages: Stages) -> Self {
        self.stages = stages;
        self
    }

    /// The stages [`Pipeline::process`] runs.
    pub fn stages(&self) -> Stages {
        self.stages
    }

    /// The entity model.
    pub fn ner(&self) -> &NerModel {
        &self.ner
    }

    /// Runs the pipeline's stages (every stage unless
    /// [`Pipeline::with_stages`] says otherwise) over `docs`: tokens and
    /// sentences, entities, canonical names, counts, parties. The results
    /// are in each document's `entities` and `counts`
    /// ([`crate::format::doc_to_json`] writes them as the JSONL of
    /// `docs/FORMAT.md`). An error comes from the entity model; the rule
    /// stages do not fail.
    pub fn process(&self, docs: &mut [Doc]) -> Result<()> {
        self.process_with_rules(docs, &RuleSet::shipped())
    }

    /// [`Pipeline::process`] with only the attachment rules that `rules`
    /// leaves on.
    pub fn process_with_rules(&self, docs: &mut [Doc], rules: &RuleSet) -> Result<()> {
        run(
            Some((&self.ner, self.syntax.as_ref())),
            docs,
            self.stages,
            rules,
        )
        .map(|_| ())
    }

    /// [`Pipeline::process`], with the time each stage took.
    pub fn process_timed(&self, docs: &mut [Doc]) -> Result<Timings> {
        run(
            Some((&self.ner, self.syntax.as_ref())),
            docs,
            self.stages,
            &RuleSet::shipped(),
        )
    }

    /// The stages up to the entities and their canonical names.
    pub fn entities(&self, docs: &mut [Doc]) -> Result<()> {
        let stages = Stages::only(&[Stage::Segment, Stage::Ner, Stage::Canon]);
        run(
            Some((&self.ner, self.syntax.as_ref())),
            docs,
            stages,
            &RuleSet::shipped(),
        )
        .map(|_| ())
    }

    /// Tokens and sentences alone, the stage that needs no model.
    pub fn segment(docs: &mut [Doc]) {
        run_rules(docs, Stages::only(&[Stage::Segment]), &RuleSet::all());
    }

    /// The stages after the entities: counts and their parties (tokens and
    /// sentences must be there already).
    pub fn counts_and_parties(docs: &mut [Doc], rules: &RuleSet) {
        run_rules(docs, Stages::only(&[Stage::Counts, Stage::Attach]), rules);
    }

    /// The rule stages alone, over documents whose entities (with their
    /// canonical names) are given: gold entities, to measure the rules.
    pub fn process_with_entities(docs: &mut [Doc]) {
        Self::process_with_entities_and_rules(docs, &RuleSet::shipped());
    }

    /// [`Pipeline::process_with_entities`] with only the attachment rules
    /// that `rules` leaves on.
    pub fn process_with_entities_and_rules(docs: &mut [Doc], rules: &RuleSet) {
        let stages = Stages::only(&[Stage::Segment, Stage::Counts, Stage::Attach]);
        run_rules(docs, stages, rules);
    }
}

/// [`run`] without the entity model, over stages that need none.
fn run_rules(docs: &mut [Doc], stages: Stages, rules: &RuleSet) {
    debug_assert!(!stages.on(Stage::Ner), "the ner stage needs the model");
    // Without the model no stage fails.
    let _ = run(None, docs, stages, rules);
}

/// Runs the stages of `stages` in order over `docs`, each over the whole
/// batch in parallel, and times them. The ner stage runs only with a model
/// (and fills the syntax too when a syntax head comes with it).
fn run(
    models: Option<(&NerModel, Option<&crate::syntax::SyntaxModel>)>,
    docs: &mut [Doc],
    stages: Stages,
    rules: &RuleSet,
) -> Result<Timings> {
    let mut timings = Timings::default();
    for stage in stages.enabled() {
        let started = Instant::now();
        match stage {
            Stage::Segment => docs.par_iter_mut().for_each(segment::segment),
            Stage::Ner => {
                if let Some((ner, syntax)) = models {
                    let before = ner.computed.load(Ordering::Relaxed);
                    match syntax {
                        None => docs
                            .par_chunks_mut(NER_CHUNK)
                            .try_for_each(|chunk| ner.tag_docs(chunk))?,
                        Some(syn) => docs.par_chunks_mut(NER_CHUNK).try_for_each(|chunk| {
                            let feats = ner.tag_docs_with_features(chunk, &syn.config().layers)?;
                            syn.annotate(chunk, &feats)
                        })?,
                    }
                    docs.par_iter_mut().for_each(Doc::update_view);
                    timings.encoder_positions =
                        ner.computed.load(Ordering::Relaxed).saturating_sub(before);
                }
            }
            Stage::Canon => docs.par_iter_mut().for_each(|d| {
                canon::tickers_as_orgs(d);
                canon::canonicalize(d);
                d.update_view();
            }),
            Stage::Counts => docs.par_iter_mut().for_each(|d| {
                // Entities given by hand (gold ones) since segmentation.
                d.update_view();
                d.counts = counts::find_counts(d);
            }),
            Stage::Attach => docs.par_iter_mut().for_each(|d| {
                d.update_view();
                attach::attach_with(d, rules);
            }),
        }
        timings.seconds[stage.index()] = started.elapsed().as_secs_f64();
    }
    Ok(timings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_left_out_by_name_and_requirements_hold() {
        assert_eq!(Stages::without::<&str>(&[]).unwrap(), Stages::all());
        let s = Stages::without(&["attach"]).unwrap();
        assert!(!s.on(Stage::Attach) && s.on(Stage::Counts));
        let s = Stages::without(&["ner", "canon"]).unwrap();
        assert_eq!(
            s.enabled().collect::<Vec<_>>(),
            [Stage::Segment, Stage::Counts, Stage::Attach]
        );
        let e = Stages::without(&["parser"]).unwrap_err();
        assert!(
            e.contains("\"parser\"") && e.contains("segment, ner, canon, counts, attach"),
            "{e}"
        );
        let e = Stages::without(&["ner"]).unwrap_err();
        assert_eq!(
            e,
            "cannot disable ner: canon requires it (disable canon too)"
        );
        let e = Stages::without(&["segment", "ner", "canon", "attach"]).unwrap_err();
        assert!(e.contains("counts requires it"), "{e}");
        let everything: Vec<&str> = Stage::ALL.map(Stage::name).to_vec();
        assert_eq!(Stages::without(&everything).unwrap().enabled().count(), 0);
    }

    #[test]
    fn every_stage_requires_only_stages_before_it() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.name()), Some(s));
            for r in s.requires() {
                assert!(r < &s, "{s} requires {r}, which runs after it");
            }
        }
    }

    #[test]
    fn the_rule_stages_run_and_are_timed_without_the_model() {
        let mut docs = vec![Doc::new("d", "Police arrested 12 men.")];
        let t = run(
            None,
            &mut docs,
            Stages::without(&["ner", "canon"]).unwrap(),
            &RuleSet::all(),
        )
        .unwrap();
        assert!(!docs[0].tokens.is_empty());
        assert_eq!(docs[0].counts.len(), 1);
        assert_eq!((t.seconds(Stage::Ner), t.encoder_positions), (0.0, 0));
        assert!(t.seconds(Stage::Counts) > 0.0 && t.total() >= t.seconds(Stage::Counts));
        let mut only_segment = vec![Doc::new("d", "Police arrested 12 men.")];
        Pipeline::segment(&mut only_segment);
        assert!(!only_segment[0].tokens.is_empty() && only_segment[0].counts.is_empty());
    }
}
