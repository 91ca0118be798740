use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use tally::attach::RuleSet;
use tally::commands;
use tally::eval::Format;
#[cfg(feature = "train")]
use tally::ner::train::{train, TrainArgs};
use tally::pipeline::Stages;

/// tally: who did what to how many, in English news.
///
/// Reads documents, finds named entities and counts ("372 prisoners",
/// "twenty-two soldiers"), attaches each count to its parties, and writes
/// one JSONL line per document.
#[derive(Parser)]
#[command(name = "tally", version = tally::VERSION, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and counts with their parties, one JSONL line per document.
    ///
    /// INPUT is a .txt file (its id is the file name without extension), a
    /// directory (every .txt and .jsonl file under it, recursively, in sorted
    /// order), a .jsonl file of {"id", "text"} records (other fields are
    /// carried through), or - for JSONL on standard input. Output lines come
    /// in input order. A document that cannot be read is reported on standard
    /// error with its file, line and reason (and as a record in --errors, or
    /// in the output with --errors-inline); the run goes on, and the exit
    /// status is 1 if any document failed (0 with --errors-inline).
    ///
    /// Examples:
    ///   tally extract corpus/ -o out.jsonl
    ///   tally extract article.txt
    ///   cat docs.jsonl | tally extract - --errors errors.jsonl > out.jsonl
    ///   cat docs.jsonl | tally extract - --errors-inline > results.jsonl
    #[command(verbatim_doc_comment)]
    Extract(ExtractArgs),
    /// Tag and parse documents: UPOS tags and dependency trees (UD v2).
    ///
    /// Runs tally's tokens and sentences, the entity model and the syntax
    /// head over FILE (any input `extract` takes) and prints each sentence:
    /// one token a line with its tag, relation and head, or CoNLL-U with
    /// --conllu (MISC: TokenRange=START:END in code points, SpaceAfter=No).
    ///
    /// Examples:
    ///   tally parse article.txt
    ///   tally parse corpus/ --conllu > corpus.conllu
    #[command(verbatim_doc_comment)]
    Parse {
        /// Files, directories, or - for standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write CoNLL-U.
        #[arg(long)]
        conllu: bool,
        /// Folder of another entity model (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Folder of another syntax head, like models/syntax (default: the built-in one).
        #[arg(long)]
        syntax_model: Option<PathBuf>,
    },
    /// Score predictions against gold (docs/FORMAT.md), or the entity model on CoNLL-2003.
    ///
    /// With GOLD and PRED: scores PRED against GOLD, documents matched by id.
    /// With GOLD alone: runs the pipeline on GOLD's texts and scores that.
    /// GOLD or PRED may be - for standard input.
    /// With --by-file GOLD...: runs the pipeline on each gold file and prints
    /// one row per file (entities, counts, attachments per role), so that
    /// dev, train and blind figures sit side by side.
    /// With --conll FILE: runs the pipeline on a CoNLL-2003 file (tokens
    /// joined by spaces, sentences by newlines, one document per -DOCSTART-)
    /// and scores entities with conlleval semantics (exact spans, per type).
    ///
    /// Examples:
    ///   tally eval eval/gold/seed.jsonl out.jsonl
    ///   tally eval eval/gold/dev.jsonl --errors
    ///   tally eval eval/gold/dev.jsonl --errors mistakes.txt --format json
    ///   tally extract corpus/ | tally eval eval/gold/dev.jsonl -
    ///   tally eval eval/gold/dev.jsonl --gold-entities
    ///   tally eval --by-file eval/gold/*.jsonl
    ///   tally eval --conll conll2003/dev.txt
    ///   tally eval --conllu ud/en_ewt-ud-test.conllu
    #[command(verbatim_doc_comment)]
    Eval(EvalArgs),
    /// Show documents as one self-contained HTML page, to read.
    ///
    /// Each text with its entities coloured by label and its counts
    /// numbered (parties on hover), and a table per document: who, did
    /// what, how many, of what, whose, where. With GOLD and PRED, PRED is
    /// shown against GOLD: false positives outlined in red, misses dashed
    /// in blue. With --run, the pipeline runs on FILE's texts and its output
    /// is shown against FILE. The page has no scripts and no external
    /// references.
    ///
    /// Examples:
    ///   tally show out.jsonl -o view.html
    ///   tally show eval/gold/dev.jsonl out.jsonl -o diff.html
    ///   tally show eval/gold/seed.jsonl --run -o seed.html
    #[command(verbatim_doc_comment)]
    Show {
        /// Annotated JSONL (tally's output or a gold file); with a second
        /// file, the first is the gold and the second the predictions.
        #[arg(required = true, num_args = 1..=2, value_name = "FILE [PRED]")]
        files: Vec<PathBuf>,
        /// Run the pipeline on FILE's texts and show its output against FILE.
        #[arg(long)]
        run: bool,
        /// Where to write the page (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Folder of the entity model (default: the built-in model).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Learn the ranker that adds to the attachment rules' proposals, from
    /// gold files' attachments (on the pipeline's own entities and counts),
    /// and write it as JSON.
    ///
    /// Its thresholds are chosen by cross-validation over the documents
    /// (the table of held-out F1 goes to standard error). The ranker tally
    /// runs by default is built into the binary from
    /// models/attach/ranker.json: write there and rebuild, or try a file
    /// with `tally eval GOLD --ranker FILE`.
    ///
    /// Example:
    ///   tally train-ranker eval/gold/train.jsonl -o models/attach/ranker.json
    ///   tally train-ranker eval/gold/train.jsonl -o /tmp/r.json && tally eval eval/gold/dev.jsonl --ranker /tmp/r.json
    #[command(verbatim_doc_comment)]
    TrainRanker {
        /// Gold JSONL files to learn from.
        #[arg(required = true)]
        golds: Vec<PathBuf>,
        /// Where to write the ranker.
        #[arg(short, long)]
        output: PathBuf,
        /// Passes over the candidates.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// L2 penalty of the weights.
        #[arg(long, default_value_t = 0.01)]
        l2: f32,
        /// Folds of the cross-validation that chooses the thresholds.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Parse the texts too (as `extract --syntax`), so that the
        /// ranker learns from the dependency paths.
        #[arg(long)]
        syntax: bool,
        /// Folder of another entity model, like models/ner.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Let the cross-validation choose the keep threshold too, so that
        /// the ranker may drop proposals of the rules it scores unlikely (by
        /// default the keep threshold is 0: every proposal stands, and only
        /// the add threshold is chosen).
        #[arg(long)]
        choose_keep: bool,
    },
    /// Measure speed: words per second of each stage and of the whole pipeline.
    ///
    /// The entity model's dense layers run in int8 where the processor has
    /// AVX-512 VNNI or AVX-VNNI, in f32 elsewhere; TALLY_INT8=0 forces f32
    /// (for every command), so that one binary times both. The first line
    /// says which.
    ///
    /// Example:
    ///   tally bench corpus/ --repeat 3
    ///   TALLY_INT8=0 tally bench corpus/ --repeat 3
    #[command(verbatim_doc_comment)]
    Bench {
        /// Documents to run on (files or directories).
        #[arg(default_value = "corpus")]
        inputs: Vec<PathBuf>,
        /// Passes over the documents; the best pass is reported.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Folder of another entity model, like models/ner (default:
        /// $TALLY_MODEL if set, else the model built into tally).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Fine-tune the entity model on CoNLL-2003 and write models/ner/.
    ///
    /// Starts from the base encoder (all-MiniLM-L6-v2), adds a word-shape
    /// embedding and a BIO tag head, trains with AdamW (warm-up, linear
    /// decay, fixed seed), scores the dev file after each epoch and keeps
    /// the best epoch's weights (f16) with config, tags and tokenizer.
    ///
    /// Example:
    ///   tally train --train conll2003/train.txt --dev conll2003/dev.txt --base minilm/ --out models/ner
    #[cfg(feature = "train")]
    #[command(verbatim_doc_comment)]
    Train {
        #[command(flatten)]
        args: TrainArgs,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Refit the entity model's tag head to gold news, the encoder untouched.
    ///
    /// Computes once, with the model's own windowed pass, the encoder's last
    /// hidden state at each word of the CoNLL-2003 files (--conll: what the
    /// model already knows) and of the gold files (--gold: the news to adapt
    /// to, entities from the gold), then refits the linear tag head on them
    /// (softmax regression with Adam, from the model's head, held near it by
    /// --l2). The encoder's tensors are written unchanged, so the syntax head
    /// still runs on it. Writes a model folder like models/ner.
    ///
    /// Example:
    ///   tally train-head --conll conll2003/train.txt --gold eval/gold/train.jsonl --out run-head
    ///   tally eval --by-file eval/gold/dev.jsonl --model run-head
    #[cfg(feature = "train")]
    #[command(verbatim_doc_comment)]
    TrainHead {
        #[command(flatten)]
        args: tally::ner::head::HeadArgs,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Train the syntax head (UPOS tags and dependency trees) on CoNLL-U treebanks.
    ///
    /// The entity model's encoder stays frozen: each treebank's word
    /// features (its hidden states after layers 2, 4 and 6) are computed
    /// once and cached in --cache. The head (two transformer layers, a UPOS
    /// classifier, biaffine arc and relation scorers) trains with AdamW; the
    /// dev file is scored after every epoch, a checkpoint goes to
    /// OUT/checkpoint (--resume OUT carries on), the best epoch by dev LAS
    /// to OUT (f16 weights and config.json, like models/syntax), and the
    /// wall time of every epoch to standard error and OUT/train.log.
    ///
    /// Example:
    ///   tally train-syntax --train ud/en_ewt-ud-train.conllu --train ud/gum-en.conllu \
    ///       --dev ud/en_ewt-ud-dev.conllu --out run-syntax --cache /tmp/syntax-cache
    #[cfg(feature = "train")]
    #[command(verbatim_doc_comment)]
    TrainSyntax {
        #[command(flatten)]
        args: tally::syntax::train::TrainSyntaxArgs,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Average the weights of trained entity models (checkpoint averaging).
    ///
    /// The models must share config and tags; the result takes the first
    /// model's config, tags and tokenizer.
    ///
    /// Example:
    ///   tally average run2 run3 --out models/ner
    #[cfg(feature = "train")]
    #[command(verbatim_doc_comment)]
    Average {
        /// Model folders (config.json, labels.json, tokenizer.json, model.safetensors).
        #[arg(required = true, num_args = 2..)]
        models: Vec<PathBuf>,
        /// Where to write the averaged model.
        #[arg(long)]
        out: PathBuf,
    },
}

// The options of `tally extract` (its help is the variant's).
#[derive(clap::Args)]
struct ExtractArgs {
    /// Files, directories, or - for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file; - or none for standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write one JSON record per unreadable document here:
    /// {"file", "line", "id", "error"}.
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Write each document's error record into the output, in the
    /// document's place (input order), so that every input document
    /// yields exactly one line; a document that fails no longer makes
    /// the exit status 1 (bad arguments, a missing model or an
    /// unwritable output still exit 2). An error record has "error"
    /// and no "text". For workers under Spark, Ray or Dask.
    #[arg(long)]
    errors_inline: bool,
    /// Write with each party of a count the attachment rule that
    /// proposed it, as "rule" (docs/FORMAT.md); "ranker" for a party the
    /// ranker added.
    #[arg(long)]
    explain: bool,
    /// Let every proposal of the attachment rules stand: no ranker
    /// (the rules alone; the ranker is models/attach/ranker.json).
    #[arg(long)]
    no_ranker: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Documents held in memory at once.
    #[arg(long, default_value_t = 64)]
    window: usize,
    /// The largest document read, in bytes (a JSONL line or a text
    /// file); a larger one is not read into memory but reported as an
    /// error, and the run goes on. 0: no limit (memory grows with the
    /// document, about 120 bytes per byte of text).
    #[arg(long, value_name = "BYTES", default_value_t = tally::input::DEFAULT_MAX_DOC_BYTES)]
    max_doc_bytes: usize,
    /// Folder of another entity model, like models/ner (default:
    /// $TALLY_MODEL if set, else the model built into tally).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Leave a pipeline stage out (repeatable): segment, ner, canon,
    /// counts or attach. A stage that another one left on requires cannot
    /// be left out (--disable ner needs --disable canon too); the output
    /// keeps its layout, with what the stage fills left empty.
    #[arg(long, value_name = "STAGE")]
    disable: Vec<String>,
    /// Also tag and parse: each document gets a "tokens" field (span in
    /// code points, text, UPOS "pos", "head" token index or null for a
    /// root, "deprel"; docs/FORMAT.md), and the attachment rules that read
    /// the parse run. Off, the output is unchanged.
    #[arg(long)]
    syntax: bool,
}

// The options of `tally eval` (its help is the variant's).
#[derive(clap::Args)]
struct EvalArgs {
    /// Gold JSONL file, then optionally the predictions JSONL file
    /// (default: run the pipeline on the gold texts); with --by-file,
    /// any number of gold files.
    #[arg(
        required_unless_present_any = ["conll", "conllu"],
        conflicts_with_all = ["conll", "conllu"],
        value_name = "GOLD [PRED]"
    )]
    files: Vec<PathBuf>,
    /// Every FILE is a gold file: run the pipeline on each and print one
    /// table with a row per file.
    #[arg(long)]
    by_file: bool,
    /// Every FILE is a gold file: for each, print what switching each
    /// attachment rule off changes (dP, dR, dF1 of attachments, dF1 per
    /// role; negative means the rule helps). The entity model runs once.
    #[arg(long, conflicts_with = "by_file")]
    ablate: bool,
    /// Switch an attachment rule off (repeatable); `--disable-rule list`
    /// prints the rules.
    #[arg(long = "disable-rule", value_name = "NAME")]
    disable_rule: Vec<String>,
    /// Decide among the rules' proposals with this ranker (a file from
    /// `tally train-ranker`) instead of the one built into tally.
    #[arg(long, value_name = "FILE", conflicts_with = "no_ranker")]
    ranker: Option<PathBuf>,
    /// Let every proposal of the rules stand: no ranker (the rules alone).
    #[arg(long)]
    no_ranker: bool,
    /// Score the entity model on this CoNLL-2003 file instead.
    #[arg(long, conflicts_with = "conllu")]
    conll: Option<PathBuf>,
    /// Score the tagger and parser on this CoNLL-U treebank instead
    /// (its own words: gold tokenisation): UPOS accuracy, UAS and LAS
    /// as the CoNLL 2018 scorer computes them, punctuation included.
    #[arg(long)]
    conllu: Option<PathBuf>,
    /// With --conllu: folder of another syntax head, like models/syntax.
    #[arg(long, requires = "conllu")]
    syntax_model: Option<PathBuf>,
    /// How to print the figures: table (aligned columns, with macro
    /// averages over entity labels and attachment roles), json, or
    /// conlleval (the layout of CoNLL's conlleval script; GOLD [PRED]
    /// and --conll only).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
    /// List every false positive and miss with its context: with no
    /// value or -, on standard output after the figures (with --format
    /// json, as a "mistakes" list in the JSON); with FILE, in FILE
    /// instead, one mistake a line (JSON lines with --format json).
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        default_missing_value = "-"
    )]
    errors: Option<PathBuf>,
    /// With --errors: name the attachment rule that proposed each false
    /// positive attachment ("; rule NAME", or "rule" in JSON).
    #[arg(long, requires = "errors")]
    explain: bool,
    /// When running the pipeline, use GOLD's entities instead of the
    /// entity model (measures the count and attachment rules alone).
    #[arg(long)]
    gold_entities: bool,
    /// Also tag and parse the gold texts (the syntax head on the entity
    /// model's pass, as `extract --syntax` does), so that the attachment
    /// rules that read the dependency parse run too.
    #[arg(long, conflicts_with_all = ["gold_entities", "conll", "conllu"])]
    syntax: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Folder of another entity model, like models/ner (default:
    /// $TALLY_MODEL if set, else the model built into tally).
    #[arg(long)]
    model: Option<PathBuf>,
}

/// More threads than this many per core only cost memory and switching.
const MAX_THREADS_PER_CORE: usize = 8;

fn set_threads(n: Option<usize>) {
    if let Some(mut n) = n {
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        let max = cores * MAX_THREADS_PER_CORE;
        if n > max {
            tally::say!(
                "tally: warning: --threads {n} is more than {MAX_THREADS_PER_CORE} per core \
                 ({cores} cores): using {max}"
            );
            n = max;
        }
        // Ignored when the pool is already built.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
}

/// The attachment rules left on by `--disable-rule` options; `None` after
/// printing the list when asked for it (`--disable-rule list`).
fn rule_set(disabled: &[String]) -> Result<Option<RuleSet>> {
    if disabled.iter().any(|d| d == "list") {
        for r in tally::attach::RULES {
            println!("{:<28} {}", r.name, r.doc);
        }
        return Ok(None);
    }
    RuleSet::without(disabled)
        .map(Some)
        .map_err(|e| anyhow::anyhow!(e))
}

/// The ranker `--ranker FILE` and `--no-ranker` ask for: that file's, none,
/// or the one built into tally.
fn ranker_choice(
    file: Option<&std::path::Path>,
    none: bool,
) -> Result<Option<std::sync::Arc<tally::attach::rank::Ranker>>> {
    use tally::attach::rank::Ranker;
    Ok(match (file, none) {
        (_, true) => None,
        (Some(path), false) => Some(std::sync::Arc::new(
            Ranker::load(path).map_err(anyhow::Error::msg)?,
        )),
        (None, false) => Some(Ranker::shipped()),
    })
}

/// Lets a closed pipe end the process the usual way (SIGPIPE) instead of a
/// panic in `println!`. `extract` keeps the signal ignored and ends quietly
/// on its own, so that its errors file is still written.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of a signal, before any
    // other thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// `tally extract`.
fn extract(a: ExtractArgs) -> Result<bool> {
    // Checked first: a bad stage name costs no model loading.
    let stages = Stages::without(&a.disable).map_err(anyhow::Error::msg)?;
    set_threads(a.threads);
    commands::extract_command(
        a.model.as_deref(),
        &a.inputs,
        a.output.as_deref(),
        a.errors.as_deref(),
        commands::ExtractOptions {
            errors_inline: a.errors_inline,
            window: a.window,
            explain: a.explain,
            syntax: a.syntax,
            max_doc_bytes: match a.max_doc_bytes {
                0 => usize::MAX - 1,
                n => n,
            },
            no_ranker: a.no_ranker,
        },
        stages,
    )
}

/// `tally eval`: checks that the options go together, then the command.
fn eval(a: EvalArgs) -> Result<bool> {
    set_threads(a.threads);
    let format = match (a.json, a.format) {
        (false, f) => f,
        (true, Format::Table | Format::Json) => Format::Json,
        (true, Format::Conlleval) => {
            anyhow::bail!("--json means --format json: it cannot go with --format conlleval")
        }
    };
    let model = a.model.as_deref();
    if let Some(c) = a.conllu {
        anyhow::ensure!(
            a.errors.is_none() && format != Format::Conlleval,
            "--conllu prints UPOS, UAS and LAS as a table or json; --errors and --format conlleval are not for it"
        );
        return tally::syntax::cli::eval_conllu_command(
            model,
            a.syntax_model.as_deref(),
            &c,
            format == Format::Json,
        );
    }
    if let Some(c) = a.conll {
        anyhow::ensure!(
            a.errors.is_none(),
            "--errors lists mistakes against a gold JSONL file, not --conll"
        );
        return commands::eval_conll_command(model, &c, format);
    }
    if (a.by_file || a.ablate) && a.errors.is_some() {
        anyhow::bail!(
            "--errors lists the mistakes of one GOLD [PRED] pair, not of --by-file or --ablate"
        );
    }
    if (a.by_file || a.ablate) && format == Format::Conlleval {
        anyhow::bail!("--format conlleval is for GOLD [PRED] and --conll; --by-file and --ablate print a table or json");
    }
    let json = format == Format::Json;
    let Some(rules) = rule_set(&a.disable_rule)? else {
        return Ok(true);
    };
    let rules = rules.with_ranker(ranker_choice(a.ranker.as_deref(), a.no_ranker)?);
    if a.ablate {
        return commands::eval_ablate_command(
            model,
            &a.files,
            a.gold_entities,
            a.syntax,
            &rules,
            json,
        );
    }
    if a.by_file {
        return commands::eval_by_file_command(
            model,
            &a.files,
            a.gold_entities,
            a.syntax,
            &rules,
            json,
        );
    }
    let out = commands::EvalOutput {
        format,
        errors: a.errors,
        explain: a.explain,
    };
    match a.files.as_slice() {
        [gold] => commands::eval_command(
            model,
            gold,
            None,
            a.gold_entities,
            a.syntax,
            &rules,
            &out,
        ),
        [gold, pred]
            if !a.gold_entities
                && !a.syntax
                && a.disable_rule.is_empty()
                && a.ranker.is_none()
                && !a.no_ranker =>
        {
            commands::eval_command(model, gold, Some(pred), false, false, &rules, &out)
        }
        [_, _] => anyhow::bail!(
            "--gold-entities, --syntax, --disable-rule, --ranker and --no-ranker run the pipeline on GOLD's texts: give no PRED file"
        ),
        _ => anyhow::bail!(
            "eval takes GOLD and at most one PRED file; to score several gold files, add --by-file"
        ),
    }
}

fn run() -> Result<bool> {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Extract(_)) {
        default_sigpipe();
    }
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Eval(args) => eval(args),
        Command::Show {
            files,
            run,
            output,
            model,
        } => commands::show_command(model.as_deref(), &files, run, output.as_deref()),
        Command::TrainRanker {
            golds,
            output,
            epochs,
            l2,
            folds,
            syntax,
            model,
            choose_keep,
        } => commands::rank::train_ranker_command(
            model.as_deref(),
            &golds,
            &output,
            &commands::rank::RankerOptions {
                epochs,
                l2,
                folds,
                syntax,
                choose_keep,
            },
        ),
        Command::Bench {
            inputs,
            repeat,
            model,
        } => commands::bench_command(model.as_deref(), &inputs, repeat),
        Command::Parse {
            inputs,
            conllu,
            model,
            syntax_model,
        } => tally::syntax::cli::parse_command(
            model.as_deref(),
            syntax_model.as_deref(),
            &inputs,
            conllu,
        ),
        #[cfg(feature = "train")]
        Command::TrainSyntax { args, threads } => {
            set_threads(threads);
            tally::syntax::train::train_syntax(&args)?;
            Ok(true)
        }
        #[cfg(feature = "train")]
        Command::Average { models, out } => {
            tally::ner::train::average(&models, &out)?;
            tally::say!(
                "tally: averaged {} models into {}",
                models.len(),
                out.display()
            );
            Ok(true)
        }
        #[cfg(feature = "train")]
        Command::Train { args, threads } => {
            set_threads(threads);
            train(&args)?;
            Ok(true)
        }
        #[cfg(feature = "train")]
        Command::TrainHead { args, threads } => {
            set_threads(threads);
            tally::ner::head::train_head(&args)?;
            Ok(true)
        }
    }
}

/// Keeps freed tensor buffers in the heap instead of returning them to the
/// kernel after every operation: candle allocates and frees large buffers at
/// a high rate, and the default thresholds make that cost more system time
/// than the arithmetic.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any
    // other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TOP_PAD, 256 << 20);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // The reader of the output went away (`tally extract … | head`):
        // nothing is wrong, and nobody is left to tell.
        Err(e) if commands::is_broken_pipe(&e) => ExitCode::SUCCESS,
        // SIGINT or SIGTERM: what was written is kept (extract said so);
        // the status is the shell's 128 + the signal's number.
        Err(e) if e.downcast_ref::<tally::signals::Interrupted>().is_some() => {
            let signal = e
                .downcast_ref::<tally::signals::Interrupted>()
                .map_or(0, |i| i.signal);
            ExitCode::from((128 + signal).clamp(0, 255) as u8)
        }
        Err(e) => {
            tally::say!("tally: {e:#}");
            ExitCode::from(2)
        }
    }
}
