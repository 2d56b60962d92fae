//! `marsad ner`: train, evaluate and run the named-entity tagger; learn its word clusters.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use marsad_ner::clusters::{exchange, Bigrams};
use marsad_ner::conll::{self, Sentence, TagMap};
use marsad_ner::features::{token_key, GazFile};
use marsad_ner::train::{evaluate, predict, score_tags, train, Progress, TrainOptions};
use marsad_ner::{Resources, Tagger};
use marsad_text::{Analyzer, Document};
use rustc_hash::FxHashMap;
use std::io::Write;
use std::time::Instant;

const TRAIN_EXAMPLE: &str = "A model with the current dictionaries and one file of annotated news (a few minutes on 2\n\
    cores), from the repository root with ../shared beside it (it reads models/clusters.tsv,\n\
    models/embclusters.tsv (`marsad ner clusters --help`) and the --dicts files; the shipped\n\
    models/ner.bin is trained on all of train.txt, without --dev-split, with all three\n\
    data/ner/news_annotations*.tsv and the dictionaries of commit 0b36b46: see README \"Reproduce\"):\n  \
    marsad ner train --train ../shared/data/anercorp/train.txt --dev-split \\\n    \
    --unlabeled ../shared/data/news/saudinewsnet-early.jsonl \\\n    \
    --annotations data/ner/news_annotations.tsv --out /tmp/ner.bin\n\n\
    FILE@MAP reads another tag set: FILE@wikifane, FILE@wikifane-fine, FILE@wojood, or\n\
    FILE@'PER=PERS,GPE=LOC,X=O,…' (every type of the file must be mapped; PERS LOC ORG MISC or O).\n\
    Ablations: --without GROUP,… (words clitics affixes shapes clusters gazetteers lexicon priors\n\
    ngrams doc embeddings), --no-clusters, --no-gazetteers; --cv K for K-fold cross-validation,\n\
    with --cv-o-penalties 0,10,25 to score each fold's model at several O penalties at once and
    --cv-output FILE for the out-of-fold predictions (conlleval lines).";

// parsed once per run: the size of the largest variant does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum NerCmd {
    /// Train a tagger (averaged perceptron) on CoNLL files; deterministic.
    #[command(after_help = TRAIN_EXAMPLE)]
    Train {
        /// training files, `token TAG` lines (ANERcorp); FILE@MAP for other tag sets
        #[arg(long, num_args = 1.., required = true)]
        train: Vec<String>,
        /// other-domain training files (e.g. FILE@wikifane-fine): their features also get a
        /// domain-specific copy, so the model learns what carries over to news
        #[arg(long)]
        extra: Vec<String>,
        /// unlabelled news (JSON Lines, `title` and `content`), tagged by first-stage models to
        /// learn each word's label priors
        #[arg(long)]
        unlabeled: Vec<String>,
        /// stand-off annotations of sentences of the --unlabeled news (article id, sentence
        /// and entity offsets; format: `cargo doc -p marsad-ner`, module `standoff`), added to
        /// the training sentences (in --cv, to every fold's)
        #[arg(long)]
        annotations: Vec<String>,
        /// a development file, scored after each epoch (the ensemble's first model, decoded as
        /// the written model is: decoding rules and discourse step included)
        #[arg(long, conflicts_with = "dev_split")]
        dev: Option<String>,
        /// hold out the last 10% of the sentences of the first --train file as the dev set
        #[arg(long)]
        dev_split: bool,
        #[arg(long)]
        out: String,
        /// word-cluster tables (from `marsad ner clusters`): the exchange clusters, then the
        /// embedding classes
        #[arg(long, num_args = 1..=2, default_values = ["models/clusters.tsv", "models/embclusters.tsv"])]
        clusters: Vec<String>,
        /// the shared data folder holding anergazet/ and gazetteer/
        #[arg(long, default_value = "../shared/data")]
        gazetteers: String,
        /// train without gazetteers (ablation)
        #[arg(long)]
        no_gazetteers: bool,
        /// our own dictionaries read as gazetteers (actors, agents, nationalities, topic cues;
        /// data/dict/organisations.tsv may be added: clubs, outlets, companies)
        #[arg(long, default_values = ["data/dict/actors.tsv", "data/dict/agents.tsv", "data/dict/nationalities.tsv", "data/dict/topics.tsv"])]
        dicts: Vec<String>,
        /// train without word clusters (ablation)
        #[arg(long)]
        no_clusters: bool,
        #[arg(long, default_value_t = TrainOptions::default().epochs)]
        epochs: usize,
        /// the feature table has 2^bits rows
        #[arg(long, default_value_t = TrainOptions::default().bits)]
        bits: u32,
        /// folds of the out-of-fold entity lexicon
        #[arg(long, default_value_t = TrainOptions::default().folds)]
        folds: usize,
        #[arg(long, default_value_t = TrainOptions::default().seed)]
        seed: u64,
        /// subtracted from the score of O when tagging: > 0 finds more entities (the default
        /// was chosen by 5-fold cross-validation for the perceptron's weight scale; 0 for
        /// --learner crf)
        #[arg(long, default_value_t = 10.0)]
        o_penalty: f32,
        /// the learner of the final stage: perceptron or crf
        #[arg(long, default_value = "perceptron", value_parser = ["perceptron", "crf"])]
        learner: String,
        /// average the final stage's weights over this many seeds
        #[arg(long, default_value_t = TrainOptions::default().ensemble)]
        ensemble: usize,
        /// CRF: L2 regularisation
        #[arg(long, default_value_t = TrainOptions::default().c2)]
        c2: f64,
        /// CRF: initial learning rate
        #[arg(long, default_value_t = TrainOptions::default().eta)]
        eta: f64,
        /// probability of hiding a token's own word features in a training pass
        #[arg(long, default_value_t = TrainOptions::default().word_dropout)]
        word_dropout: f32,
        /// leave out feature groups (ablation): words, clitics, affixes, shapes, clusters,
        /// gazetteers, lexicon
        #[arg(long, value_delimiter = ',')]
        without: Vec<String>,
        /// instead of training one model: K-fold cross-validation over the training sentences
        /// (contiguous blocks), printing each fold's F1 and the mean; writes no model
        #[arg(long)]
        cv: Option<usize>,
        /// with --cv: also score each fold's model with these O penalties (one training run
        /// gives the pooled F1 of each; decoding only, the models are the same)
        #[arg(long, value_delimiter = ',', requires = "cv")]
        cv_o_penalties: Vec<f32>,
        /// with --cv: write every fold's out-of-fold predictions to FILE (conlleval lines
        /// `token gold predicted`, as `ner eval --output`), for error analysis on 8× the dev split
        #[arg(long, requires = "cv")]
        cv_output: Option<String>,
    },
    /// Score a model on a CoNLL file (conlleval exact spans); the last line is `F1 <value>`.
    #[command(after_help = "Examples:\n  \
        marsad ner eval --test held-out.txt                 # the built-in model on a held-out file\n  \
        marsad ner train --train ../shared/data/anercorp/train.txt --dev-split \\\n      \
        --unlabeled ../shared/data/news/saudinewsnet-early.jsonl --out /tmp/dev.bin\n  \
        marsad ner eval --test ../shared/data/anercorp/train.txt --dev-split --model /tmp/dev.bin   # the dev F1\n\n\
        The built-in model was trained on all of ANERcorp-train, the dev split included (the\n\
        test part of the CAMeL split follows it); the dev F1 is that of the same recipe\n\
        trained without it, as above (the README's commands add the --dicts the shipped\n\
        model was trained with). A model file keeps fingerprints of its training\n\
        sentences, and eval says how many of the test sentences are among them.")]
    Eval {
        /// the test file (FILE@MAP for other tag sets)
        #[arg(long)]
        test: String,
        /// a model file; the built-in model by default
        #[arg(long)]
        model: Option<String>,
        /// score only the last 10% of the sentences (the dev split of a training file)
        #[arg(long)]
        dev_split: bool,
        /// print each sentence with a wrong span: gold [x/TYPE], predicted {x/TYPE}
        #[arg(long)]
        errors: bool,
        /// write `token gold predicted` lines (conlleval's input) to this file
        #[arg(long)]
        output: Option<String>,
        /// override the model's O penalty (> 0 finds more entities)
        #[arg(long)]
        o_penalty: Option<f32>,
        /// leave out the one-sense-per-discourse step (names found are not copied to their
        /// untagged recurrences nearby), for comparison
        #[arg(long)]
        no_discourse: bool,
    },
    /// Tag raw text: one line per entity, `start end label text` (code-point offsets into the
    /// original text, clitics excluded).
    #[command(
        after_help = "Example:\n  echo 'التقى عون بوزير الخارجية لإيران في بيروت' | marsad ner tag -"
    )]
    Tag {
        #[arg(default_value = "-")]
        input: String,
        #[arg(long)]
        model: Option<String>,
        /// replace invalid UTF-8 with U+FFFD instead of failing
        #[arg(long)]
        lossy: bool,
        /// print every token with its IOB2 tag instead (`token TAG`, a blank line after each
        /// sentence: the training format)
        #[arg(long)]
        conll: bool,
    },
    /// Learn the word-cluster table from raw texts (exchange clustering, or with --kmeans
    /// k-means classes of word embeddings).
    #[command(
        after_help = "The shipped tables (models/clusters.tsv, models/embclusters.tsv):\n  \
        marsad ner clusters --jsonl ../shared/data/news/saudinewsnet-early.jsonl \\\n    \
        --conll ../shared/data/wikifane/wikifane_all.conll --out models/clusters.tsv\n  \
        marsad ner clusters --jsonl ../shared/data/news/saudinewsnet-early.jsonl \\\n    \
        --conll ../shared/data/wikifane/wikifane_all.conll --kmeans 64,256,1024 --out models/embclusters.tsv"
    )]
    Clusters {
        /// JSON Lines files; the `title` and `content` fields are read
        #[arg(long)]
        jsonl: Vec<String>,
        /// CoNLL files; the first column is read, sentences as in the file
        #[arg(long)]
        conll: Vec<String>,
        #[arg(long)]
        out: String,
        /// number of classes at each granularity, coarse to fine
        #[arg(long, value_delimiter = ',', default_value = "64,256,1024")]
        k: Vec<usize>,
        #[arg(long, default_value_t = 12)]
        iters: usize,
        /// words seen fewer times are not clustered
        #[arg(long, default_value_t = 5)]
        min_count: u32,
        /// instead of exchange clusters: k-means classes (these granularities) of word
        /// embeddings (PPMI of left and right context words, randomised SVD)
        #[arg(long, value_delimiter = ',')]
        kmeans: Vec<usize>,
        /// embeddings: dimensions, context window, number of context words
        #[arg(long, default_value_t = marsad_ner::embed::EmbedOptions::default().dim)]
        dim: usize,
        #[arg(long, default_value_t = marsad_ner::embed::EmbedOptions::default().window)]
        window: usize,
        #[arg(long, default_value_t = marsad_ner::embed::EmbedOptions::default().contexts)]
        contexts: usize,
    },
}

pub fn run(cmd: NerCmd) -> Result<()> {
    match cmd {
        NerCmd::Train {
            train,
            extra,
            unlabeled,
            annotations,
            dev,
            dev_split,
            out,
            clusters,
            gazetteers,
            no_gazetteers,
            dicts,
            no_clusters,
            epochs,
            bits,
            folds,
            seed,
            o_penalty,
            word_dropout,
            learner,
            ensemble,
            c2,
            eta,
            without,
            cv,
            cv_o_penalties,
            cv_output,
        } => {
            let mut mask = marsad_ner::features::group::ALL;
            for w in &without {
                match marsad_ner::features::group::NAMES
                    .iter()
                    .find(|(n, _)| n == w)
                {
                    Some((_, g)) => mask &= !g,
                    None => bail!("--without: unknown feature group `{w}`"),
                }
            }
            if !(12..=24).contains(&bits) {
                bail!("--bits must be between 12 and 24");
            }
            let opts = TrainOptions {
                epochs,
                bits,
                folds,
                seed,
                mask,
                o_penalty,
                word_dropout,
                learner: if learner == "crf" {
                    marsad_ner::train::Learner::Crf
                } else {
                    marsad_ner::train::Learner::Perceptron
                },
                ensemble,
                c2,
                eta,
            };
            let res = resources(
                if no_clusters { &[] } else { &clusters },
                (!no_gazetteers).then_some(gazetteers.as_str()),
                if no_gazetteers { &[] } else { &dicts },
            )?;
            let inputs = Inputs {
                train: &train,
                extra: &extra,
                unlabeled: &unlabeled,
                annotations: &annotations,
                dev_split,
            };
            match cv {
                Some(k) => cv_cmd(
                    &inputs,
                    k,
                    &cv_o_penalties,
                    cv_output.as_deref(),
                    res,
                    &opts,
                ),
                None => train_cmd(&inputs, dev.as_deref(), &out, res, &opts),
            }
        }
        NerCmd::Eval {
            test,
            model,
            dev_split,
            errors,
            output,
            o_penalty,
            no_discourse,
        } => eval_cmd(
            &test,
            model.as_deref(),
            dev_split,
            errors,
            output.as_deref(),
            o_penalty,
            no_discourse,
        ),
        NerCmd::Tag {
            input,
            model,
            lossy,
            conll,
        } => tag_cmd(&input, model.as_deref(), lossy, conll),
        NerCmd::Clusters {
            jsonl,
            conll,
            out,
            k,
            iters,
            min_count,
            kmeans,
            dim,
            window,
            contexts,
        } => {
            let emb = (!kmeans.is_empty()).then(|| {
                (
                    kmeans,
                    marsad_ner::embed::EmbedOptions {
                        dim,
                        window,
                        contexts,
                        ..Default::default()
                    },
                )
            });
            clusters_cmd(&jsonl, &conll, &out, &k, iters, min_count, emb)
        }
    }
}

/// Read a CoNLL file given as `PATH` or `PATH@MAP`.
fn read_conll(spec: &str) -> Result<Vec<Sentence>> {
    let (path, map) = match spec.rsplit_once('@') {
        Some((p, m)) if !m.contains('/') => (p, TagMap::parse(m).map_err(anyhow::Error::msg)?),
        _ => (spec, TagMap::Anercorp),
    };
    let text = crate::input::read_text(path, false)?;
    Ok(conll::parse(&text, path, &map)?)
}

fn resources(clusters: &[String], gaz_dir: Option<&str>, dicts: &[String]) -> Result<Resources> {
    let mut res = Resources::default();
    for (i, path) in clusters.iter().enumerate() {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("cannot read the cluster table {path} (make it with `marsad ner clusters`, or pass --no-clusters)")
        })?;
        let first = if i == 0 {
            0
        } else {
            marsad_ner::features::EX_LEVELS
        };
        let n = res.load_clusters_at(&text, path, first)?;
        eprintln!("clusters: {n} words from {path}");
    }
    if let Some(dir) = gaz_dir {
        let mut an = Analyzer::new();
        for (kind, rel) in GazFile::ALL {
            let path = format!("{dir}/{rel}");
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("cannot read the gazetteer {path} (is ../shared beside the repository? or pass --no-gazetteers)")
            })?;
            let n = res.add_gazetteer(kind, &text, &mut an);
            eprintln!("gazetteer: {n} names from {path}");
        }
        for path in dicts {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the dictionary {path}"))?;
            let n = res.add_dict(path, &text, &mut an);
            eprintln!("dictionary: {n} names from {path}");
        }
    }
    Ok(res)
}

/// The records of JSON Lines files, one JSON value a non-empty line.
fn json_records(files: &[String]) -> Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for f in files {
        let text = crate::input::read_text(f, false)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            out.push(
                serde_json::from_str(line)
                    .with_context(|| format!("{f}:{}: not a JSON object", i + 1))?,
            );
        }
    }
    Ok(out)
}

/// The sentences of stand-off annotation files, their texts looked up by article id in the
/// records of the news (the `content` field).
fn read_annotations(files: &[String], news: &[serde_json::Value]) -> Result<Vec<Sentence>> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // borrowed from the records: the articles' text is not copied
    let contents: std::collections::HashMap<&str, &str> = news
        .iter()
        .filter_map(|v| Some((v.get("id")?.as_str()?, v.get("content")?.as_str()?)))
        .collect();
    let mut out = Vec::new();
    for f in files {
        let text = crate::input::read_text(f, false)?;
        let s = marsad_ner::standoff::parse(&text, f, &contents)?;
        eprintln!("{f}: {} annotated sentences", s.len());
        out.extend(s);
    }
    Ok(out)
}

/// The `title` and `content` (or `text`) of each record of the news.
fn jsonl_texts(news: &[serde_json::Value]) -> Vec<String> {
    news.iter()
        .map(|v| {
            let mut doc = String::new();
            for field in ["title", "content", "text"] {
                if let Some(s) = v.get(field).and_then(|x| x.as_str()) {
                    doc.push_str(s);
                    doc.push('\n');
                }
            }
            doc
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
/// The data files of `ner train`: CoNLL training files (the first one may give the dev
/// split), other-domain CoNLL files, unlabelled JSONL texts, stand-off annotations of them.
struct Inputs<'a> {
    train: &'a [String],
    extra: &'a [String],
    unlabeled: &'a [String],
    annotations: &'a [String],
    dev_split: bool,
}

fn train_cmd(
    inputs: &Inputs,
    dev: Option<&str>,
    out: &str,
    res: Resources,
    opts: &TrainOptions,
) -> Result<()> {
    let Inputs {
        train: train_files,
        extra: extra_files,
        unlabeled: unlabeled_files,
        annotations,
        dev_split,
    } = *inputs;
    let t0 = Instant::now();
    let mut train_sents = Vec::new();
    let mut dev_sents = Vec::new();
    for (i, f) in train_files.iter().enumerate() {
        let s = read_conll(f)?;
        if i == 0 && dev_split {
            let (tr, dv) = conll::dev_split(s);
            eprintln!(
                "{f}: {} training sentences, the last {} held out as dev",
                tr.len(),
                dv.len()
            );
            train_sents.extend(tr);
            dev_sents = dv;
        } else {
            eprintln!("{f}: {} sentences", s.len());
            train_sents.extend(s);
        }
    }
    // the news is read once: its texts give the label priors, its contents the annotations
    let news = json_records(unlabeled_files)?;
    train_sents.extend(read_annotations(annotations, &news)?);
    if let Some(d) = dev {
        dev_sents = read_conll(d)?;
    }
    let mut extra = Vec::new();
    for f in extra_files {
        let s = read_conll(f)?;
        eprintln!("{f}: {} sentences (other domain)", s.len());
        extra.extend(s);
    }
    let pb = ProgressBar::new(opts.epochs as u64);
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} epoch {pos}/{len} {msg}",
        )
        .expect("valid template"),
    );
    pb.set_message("extracting features");
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    let unlabeled = jsonl_texts(&news);
    drop(news);
    let trained = train(
        &train_sents,
        &extra,
        &unlabeled,
        &dev_sents,
        &res,
        opts,
        &mut |p| match p {
            Progress::Prepared { sentences, tokens } => {
                pb.set_message(format!(
                    "training on {sentences} sentences, {tokens} tokens"
                ));
            }
            Progress::FirstStage { model, models } => {
                pb.set_message(format!(
                    "document features: first-stage model {model}/{models}"
                ));
            }
            Progress::Priors {
                model,
                models,
                words,
            } => {
                pb.set_message(format!("label priors: model {model}/{models} tagged the unlabelled texts ({words} words)"));
            }
            Progress::Epoch {
                epoch,
                mistakes,
                dev,
                ..
            } => {
                let msg = match dev {
                    Some(s) => {
                        format!("dev F1 {:.2} (sentences with mistakes: {mistakes})", s.f1())
                    }
                    None => format!("sentences with mistakes: {mistakes}"),
                };
                pb.set_position(epoch as u64);
                if pb.is_hidden() {
                    eprintln!("epoch {epoch}: {msg}");
                } else {
                    pb.println(format!("epoch {epoch}: {msg}"));
                }
                pb.set_message(msg);
            }
        },
    );
    pb.finish_and_clear();
    let bytes = trained.tagger.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {out}"))?;
    let model = Tagger::load(&bytes)?;
    eprintln!(
        "wrote {out}: {:.2} MB on disk, {:.1} MB in memory; trained in {:.1} s",
        bytes.len() as f64 / 1e6,
        model.memory_bytes() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );
    if !dev_sents.is_empty() {
        let score = evaluate(&model, &dev_sents);
        println!(
            "dev ({} sentences), the written model:\n{}",
            dev_sents.len(),
            score.report()
        );
    }
    Ok(())
}

fn cv_cmd(
    inputs: &Inputs,
    k: usize,
    penalties: &[f32],
    output: Option<&str>,
    res: Resources,
    opts: &TrainOptions,
) -> Result<()> {
    let Inputs {
        train: train_files,
        extra: extra_files,
        unlabeled: unlabeled_files,
        annotations,
        dev_split,
    } = *inputs;
    let k = k.max(2);
    let mut first = Vec::new();
    let mut extra = Vec::new();
    for (i, f) in train_files.iter().enumerate() {
        let s = read_conll(f)?;
        if i == 0 {
            first = if dev_split { conll::dev_split(s).0 } else { s };
        } else {
            extra.extend(s);
        }
    }
    let news = json_records(unlabeled_files)?;
    extra.extend(read_annotations(annotations, &news)?);
    let mut other = Vec::new();
    for f in extra_files {
        other.extend(read_conll(f)?);
    }
    let unlabeled = jsonl_texts(&news);
    drop(news);
    let n = first.len();
    let mut f1s = Vec::new();
    let mut total = marsad_ner::Score::default();
    let mut by_penalty = vec![marsad_ner::Score::default(); penalties.len()];
    let mut conll_out = String::new();
    let mut without_discourse = marsad_ner::Score::default();
    for fold in 0..k {
        let (a, b) = (fold * n / k, (fold + 1) * n / k);
        let mut tr: Vec<Sentence> = first[..a].iter().chain(&first[b..]).cloned().collect();
        tr.extend(extra.iter().cloned());
        let trained = train(&tr, &other, &unlabeled, &[], &res, opts, &mut |_| {});
        let preds = predict(&trained.tagger, &first[a..b]);
        let score = score_tags(&first[a..b], &preds);
        eprintln!("fold {}: F1 {:.2}", fold + 1, score.f1());
        if output.is_some() {
            conll_out.push_str(&conll_lines(&first[a..b], &preds));
        }
        for (&p, pooled) in penalties.iter().zip(&mut by_penalty) {
            let mut t = trained.tagger.clone();
            t.set_o_penalty(p);
            pooled.merge(&evaluate(&t, &first[a..b]));
        }
        let mut plain = trained.tagger.clone();
        plain.set_discourse(false);
        without_discourse.merge(&evaluate(&plain, &first[a..b]));
        f1s.push(score.f1());
        total.merge(&score);
    }
    let mean = f1s.iter().sum::<f64>() / k as f64;
    println!(
        "{k}-fold cross-validation over {n} sentences, pooled:\n{}",
        total.report()
    );
    for (p, s) in penalties.iter().zip(&by_penalty) {
        println!(
            "O penalty {p}: pooled P {:.2} R {:.2} F1 {:.2} (gold {}, predicted {}, correct {})",
            100.0 * s.micro.precision(),
            100.0 * s.micro.recall(),
            s.f1(),
            s.micro.gold,
            s.micro.pred,
            s.micro.correct
        );
    }
    println!(
        "without the discourse step: pooled P {:.2} R {:.2} F1 {:.2}",
        100.0 * without_discourse.micro.precision(),
        100.0 * without_discourse.micro.recall(),
        without_discourse.f1()
    );
    println!("mean fold F1 {mean:.2}");
    if let Some(path) = output {
        std::fs::write(path, conll_out).with_context(|| format!("cannot write {path}"))?;
    }
    Ok(())
}

fn load_model(path: Option<&str>) -> Result<std::borrow::Cow<'static, Tagger>> {
    Ok(match path {
        None => {
            let t = Tagger::builtin();
            if !t.is_trained() {
                bail!("this build has no NER model (models/ner.bin): train one with `marsad ner train` and pass --model");
            }
            std::borrow::Cow::Borrowed(t)
        }
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("cannot read {p}"))?;
            std::borrow::Cow::Owned(Tagger::load(&b).with_context(|| p.to_string())?)
        }
    })
}

fn eval_cmd(
    test: &str,
    model: Option<&str>,
    dev_split: bool,
    errors: bool,
    output: Option<&str>,
    o_penalty: Option<f32>,
    no_discourse: bool,
) -> Result<()> {
    let mut model = load_model(model)?;
    if no_discourse {
        model.to_mut().set_discourse(false);
    }
    if let Some(p) = o_penalty {
        model.to_mut().set_o_penalty(p);
    }
    let mut sents = read_conll(test)?;
    if dev_split {
        sents = conll::dev_split(sents).1;
    }
    let preds = (errors || output.is_some()).then(|| predict(&model, &sents));
    if let (true, Some(p)) = (errors, &preds) {
        print_errors(&sents, p);
    }
    if let (Some(path), Some(p)) = (output, &preds) {
        std::fs::write(path, conll_lines(&sents, p))
            .with_context(|| format!("cannot write {path}"))?;
    }
    let ntok: usize = sents.iter().map(|s| s.tokens.len()).sum();
    // load the segmenter's lexicon before timing (the model is loaded already)
    let _ = marsad_text::Lexicon::builtin();
    let t = Instant::now();
    let score = evaluate(&model, &sents);
    let secs = t.elapsed().as_secs_f64();
    let out = std::io::stdout();
    let mut out = out.lock();
    writeln!(
        out,
        "{test}{}: {} sentences, {ntok} tokens; {:.0} tokens/s (analysis + tagging, one thread, model loaded)",
        if dev_split { " (last 10%)" } else { "" },
        sents.len(),
        ntok as f64 / secs
    )?;
    if let Some(note) = overlap_note(&model, &sents) {
        writeln!(out, "{note}")?;
    }
    writeln!(out, "{}", score.report())?;
    Ok(())
}

/// How many test sentences the model was trained on (from the fingerprints in its file), when
/// any: a score on them is no held-out score.
fn overlap_note(model: &Tagger, sents: &[Sentence]) -> Option<String> {
    let seen: Vec<&Sentence> = sents
        .iter()
        .filter(|s| model.seen_in_training(&s.tokens) == Some(true))
        .collect();
    if seen.is_empty() {
        return None;
    }
    let tokens: usize = seen.iter().map(|s| s.tokens.len()).sum();
    let all: usize = sents.iter().map(|s| s.tokens.len()).sum();
    Some(format!(
        "note: {} of these {} sentences ({tokens} of {all} tokens) are sentences the model was trained on{}",
        seen.len(),
        sents.len(),
        if 2 * tokens > all {
            ": this is no held-out score (the dev F1 is that of a model trained with --dev-split; see the README)"
        } else {
            " (lines that recur in the corpus, or a test file that overlaps the training data)"
        }
    ))
}

/// conlleval lines (`token gold predicted`, a blank line after each sentence) of predictions
/// on `sents`
fn conll_lines(sents: &[Sentence], preds: &[Vec<marsad_ner::Tag>]) -> String {
    let mut o = String::new();
    for (s, pred) in sents.iter().zip(preds) {
        for ((t, g), p) in s.tokens.iter().zip(&s.tags).zip(pred) {
            o.push_str(&format!("{t} {} {}\n", g.as_string(), p.as_string()));
        }
        o.push('\n');
    }
    o
}

fn print_errors(sents: &[Sentence], preds: &[Vec<marsad_ner::Tag>]) {
    use marsad_ner::score::spans;
    for (s, pred) in sents.iter().zip(preds) {
        let (g, p) = (spans(&s.tags), spans(pred));
        if g == p {
            continue;
        }
        let mut line = String::new();
        for (i, t) in s.tokens.iter().enumerate() {
            for &(a, _, l) in &g {
                if a == i && !p.contains(&(a, g.iter().find(|x| x.0 == a).map_or(0, |x| x.1), l)) {
                    line.push('[');
                }
            }
            for &(a, _, _) in &p {
                if a == i && !g.iter().any(|x| x.0 == a && p.contains(x)) {
                    line.push('{');
                }
            }
            line.push_str(t);
            for &(a, b, l) in &g {
                if b == i + 1 && !p.contains(&(a, b, l)) {
                    line.push_str(&format!("/{}]", l.as_str()));
                }
            }
            for &(a, b, l) in &p {
                if b == i + 1 && !g.contains(&(a, b, l)) {
                    line.push_str(&format!("/{}}}", l.as_str()));
                }
            }
            line.push(' ');
        }
        println!("{line}");
    }
}

fn tag_cmd(input: &str, model: Option<&str>, lossy: bool, conll: bool) -> Result<()> {
    let model = load_model(model)?;
    let text = crate::input::read_text(input, lossy)?;
    let doc = Document::new(text);
    let a = Analyzer::new().analyze(&doc);
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if conll {
        let mut tags = vec![marsad_ner::Tag::O; a.tokens.len()];
        for e in model.tag(doc.text(), &a) {
            for (i, t) in tags[e.first_token..=e.last_token].iter_mut().enumerate() {
                *t = if i == 0 {
                    marsad_ner::Tag::B(e.label)
                } else {
                    marsad_ner::Tag::I(e.label)
                };
            }
        }
        for s in &a.sentences {
            let i0 = a.tokens.partition_point(|t| t.start < s.start);
            let i1 = a.tokens.partition_point(|t| t.start < s.end);
            for (t, tag) in a.tokens[i0..i1].iter().zip(&tags[i0..i1]) {
                let surface = &doc.text()[t.byte_start as usize..t.byte_end as usize];
                writeln!(out, "{surface} {}", tag.as_string())?;
            }
            if i1 > i0 {
                writeln!(out)?;
            }
        }
        return Ok(());
    }
    writeln!(out, "start\tend\tlabel\ttext")?;
    for e in model.tag(doc.text(), &a) {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            e.start,
            e.end,
            e.label.as_str(),
            doc.slice(e.start, e.end)
        )?;
    }
    Ok(())
}

fn clusters_cmd(
    jsonl: &[String],
    conll_files: &[String],
    out: &str,
    ks: &[usize],
    iters: usize,
    min_count: u32,
    emb: Option<(Vec<usize>, marsad_ner::embed::EmbedOptions)>,
) -> Result<()> {
    let t0 = Instant::now();
    let mut an = Analyzer::new();
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    let mut sents: Vec<Vec<u32>> = Vec::new();
    let mut buf = String::new();
    let mut add_text = |text: &str, sents: &mut Vec<Vec<u32>>| {
        let doc = Document::new(text);
        let a = an.analyze(&doc);
        for s in &a.sentences {
            let mut v = Vec::new();
            for t in a.sentence_tokens(s) {
                let k = token_key(&a, t, &mut buf);
                let id = match ids.get(k) {
                    Some(&i) => i,
                    None => {
                        let i = words.len() as u32;
                        ids.insert(k.to_string(), i);
                        words.push(k.to_string());
                        i
                    }
                };
                v.push(id);
            }
            if !v.is_empty() {
                sents.push(v);
            }
        }
    };
    for f in jsonl {
        let text = crate::input::read_text(f, false)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{f}:{}: not a JSON object", i + 1))?;
            for field in ["title", "content"] {
                if let Some(s) = v.get(field).and_then(|x| x.as_str()) {
                    add_text(s, &mut sents);
                }
            }
        }
        eprintln!("{f}: read; {} sentences so far", sents.len());
    }
    for f in conll_files {
        let text = crate::input::read_text(f, false)?;
        let mut cur: Vec<&str> = Vec::new();
        for line in text.lines().chain(std::iter::once("")) {
            match line.split_whitespace().next() {
                Some(tok) => cur.push(tok),
                None => {
                    if !cur.is_empty() {
                        add_text(&cur.join(" "), &mut sents);
                        cur.clear();
                    }
                }
            }
        }
        eprintln!("{f}: read; {} sentences so far", sents.len());
    }
    // vocabulary: words seen at least min_count times; the rest share one id
    let mut count = vec![0u64; words.len()];
    for s in &sents {
        for &w in s {
            count[w as usize] += 1;
        }
    }
    let mut kept: Vec<u32> = (0..words.len() as u32)
        .filter(|&w| count[w as usize] >= min_count as u64)
        .collect();
    kept.sort_by(|&a, &b| {
        count[b as usize]
            .cmp(&count[a as usize])
            .then_with(|| words[a as usize].cmp(&words[b as usize]))
    });
    let mut remap = vec![u32::MAX; words.len()];
    for (i, &w) in kept.iter().enumerate() {
        remap[w as usize] = i as u32;
    }
    let (rare, boundary) = (kept.len() as u32, kept.len() as u32 + 1);
    let corpus: Vec<Vec<u32>> = sents
        .iter()
        .map(|s| {
            s.iter()
                .map(|&w| match remap[w as usize] {
                    u32::MAX => rare,
                    x => x,
                })
                .collect()
        })
        .collect();
    drop(sents);
    let ntok: usize = corpus.iter().map(Vec::len).sum();
    let bg = Bigrams::new(
        corpus.iter().map(|s| s.as_slice()),
        kept.len() + 2,
        boundary,
    );
    eprintln!(
        "{ntok} tokens, {} word types kept (min count {min_count}), {} distinct bigrams; read in {:.1} s",
        kept.len(),
        bg.len(),
        t0.elapsed().as_secs_f64()
    );
    let mut tables = Vec::new();
    if let Some((kms, opts)) = &emb {
        let e = marsad_ner::embed::embeddings(&corpus, kept.len(), opts);
        eprintln!(
            "embeddings ({} dimensions): {:.1} s",
            opts.dim,
            t0.elapsed().as_secs_f64()
        );
        for (j, &k) in kms.iter().enumerate() {
            let c = marsad_ner::embed::kmeans(&e, opts.dim, k, 30, 0x6B6D_0000 + j as u64);
            eprintln!("k-means {k}: {:.1} s", t0.elapsed().as_secs_f64());
            tables.push(c);
        }
    }
    let ks: &[usize] = if emb.is_some() { &[] } else { ks };
    for &k in ks {
        let pb = ProgressBar::new(iters as u64);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} pass {pos}/{len} {msg}",
            )
            .expect("valid template"),
        );
        pb.set_message(format!("{k} classes"));
        pb.enable_steady_tick(std::time::Duration::from_millis(200));
        let t = Instant::now();
        let c = exchange(&bg, k, iters, &mut |pass, moved| {
            pb.set_position(pass as u64);
            pb.set_message(format!("{k} classes, {moved} words moved"));
        });
        pb.finish_and_clear();
        eprintln!("{k} classes: {:.1} s", t.elapsed().as_secs_f64());
        tables.push(c);
    }
    let mut o = String::new();
    let (how, ks) = match &emb {
        Some((kms, o)) => (
            format!(
                "k-means of PPMI-SVD word embeddings, {} dimensions, window {}, {} context words",
                o.dim, o.window, o.contexts
            ),
            kms.as_slice(),
        ),
        None => ("exchange clustering".to_string(), ks),
    };
    o.push_str(&format!(
        "# marsad word clusters ({how}, classes {}), learned by `marsad ner clusters`\n# from: {}\n# word key (match-form stem, ة→ه)<TAB>class id per granularity, coarse to fine; by frequency\n",
        ks.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(","),
        jsonl.iter().chain(conll_files).map(|f| f.rsplit('/').next().unwrap_or(f)).collect::<Vec<_>>().join(", ")
    ));
    for (i, &w) in kept.iter().enumerate() {
        o.push_str(&words[w as usize]);
        for t in &tables {
            o.push('\t');
            o.push_str(&t[i].to_string());
        }
        o.push('\n');
    }
    std::fs::write(out, o).with_context(|| format!("cannot write {out}"))?;
    eprintln!(
        "wrote {out}: {} words in {:.1} s",
        kept.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
