//! Training: CoNLL sentences aligned with the text core's tokens, the out-of-fold entity
//! lexicon, and the averaged structured perceptron.
//!
//! **Alignment.** A CoNLL sentence is rebuilt as text (tokens joined by spaces) and analysed;
//! our tokeniser may split a CoNLL token (`(د` → `(` `د`). Each CoNLL token's *head* is its first
//! word sub-token (else its first sub-token): the head carries the token's tag, sub-tokens after
//! it continue an entity (`I-`), punctuation before it stays outside. Predictions are projected
//! back through the heads, so scores are over the file's own tokens.
//!
//! **The entity lexicon.** Every gold span of the training data is a lexicon entry (its token
//! keys), flagged with its type and how reliable it is: the share of the entry's occurrences in
//! the training text that are tagged with that type (buckets ≥ 0.8, ≥ 0.5, ≥ 0.2, lower). For
//! training, the lexicon of each sentence is built *out of fold* — from the other folds only
//! (contiguous blocks of sentences) — so the model learns how much to trust an entry on text
//! the lexicon was not built from, which is the situation at test time. The shipped model
//! carries the lexicon of all training sentences.
//!
//! **Label priors.** With unlabelled news, first-stage models (no lexicon) tag it and each
//! word's share of PERS/LOC/ORG/MISC tags becomes a feature — what the news says about a word
//! the labelled data never showed. The priors of each fold's training sentences come from a
//! model trained without that fold; the shipped model carries those of a model trained on all.
//!
//! **Document features.** A first stage (all features but these) tags the document; the second
//! stage reads, for each word, how the first stage tagged the same word within 20 sentences
//! either side, the first stage's own labels, and the topics of the passage (cue words of
//! `data/dict/topics.tsv` within 3 sentences either side: a city in a sports report is
//! usually a club). For training, each fold's first-stage tags
//! come from a first stage trained without that fold, so the second stage learns how far to
//! trust them on unseen text.
//!
//! **Learning.** Averaged structured perceptrons (Collins 2002) with constrained BILOU Viterbi
//! decoding; the identity features of a token are hidden with probability 0.4 in each pass
//! (word dropout, which teaches the model to use context, clusters and dictionaries); each stage
//! averages the weights of 8 perceptrons trained with different seeds. Sentence order is
//! shuffled with fixed seeds, so training is deterministic. The shipped model subtracts an O
//! penalty (10, chosen by 5-fold cross-validation over the training part) from the score of O
//! when tagging, which trades a little precision for recall. A CRF learner (SGD, L2) is there
//! too (`Learner::Crf`); it did not beat the perceptron here.

use crate::conll::Sentence;
use crate::dict::{Dict, MAX_LEN, PREFIX};
use crate::features::{extract, group, Dyn, FeatCfg, Priors, Resources, Scratch, N_IDENTITY};
use crate::hash::{fmix, mix};
use crate::model::{allowed, allowed_end, viterbi, TagScratch, Tagger, Weights};
use crate::score::{spans, Score};
use crate::{Tag, N_TAGS};
use marsad_text::{Analysis, Analyzer, Document};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// A CoNLL sentence aligned with its analysis.
pub(crate) struct Aligned {
    /// the sentence as text (its tokens joined by spaces)
    pub(crate) text: String,
    pub(crate) analysis: Analysis,
    /// CoNLL token of each analysis token
    gold_of: Vec<u32>,
    /// head analysis token of each CoNLL token
    head: Vec<Option<u32>>,
    /// last analysis token of each CoNLL token
    last: Vec<Option<u32>>,
}

impl Aligned {
    pub(crate) fn new(tokens: &[String], an: &mut Analyzer) -> Aligned {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        let mut pos = 0u32;
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                pos += 1;
            }
            starts.push(pos);
            text.push_str(t);
            pos += t.chars().count() as u32;
        }
        let analysis = an.analyze(&Document::new(text.as_str()));
        let mut gold_of = Vec::with_capacity(analysis.tokens.len());
        let mut head: Vec<Option<u32>> = vec![None; tokens.len()];
        let mut last: Vec<Option<u32>> = vec![None; tokens.len()];
        let mut first: Vec<Option<u32>> = vec![None; tokens.len()];
        for (j, t) in analysis.tokens.iter().enumerate() {
            let g = starts.partition_point(|&s| s <= t.start).saturating_sub(1);
            gold_of.push(g as u32);
            if first[g].is_none() {
                first[g] = Some(j as u32);
            }
            if head[g].is_none() && (t.kind.is_word() || t.kind == marsad_text::TokenKind::Number) {
                head[g] = Some(j as u32);
            }
            last[g] = Some(j as u32);
        }
        for g in 0..tokens.len() {
            if head[g].is_none() {
                head[g] = first[g];
            }
        }
        Aligned {
            text,
            analysis,
            gold_of,
            head,
            last,
        }
    }

    /// Tags of the CoNLL tokens from tag indices of the analysis tokens.
    pub(crate) fn project(&self, pred: &[u8]) -> Vec<Tag> {
        self.head
            .iter()
            .map(|h| match h {
                Some(j) => crate::lab_to_tag(pred[*j as usize] as usize),
                None => Tag::O,
            })
            .collect()
    }

    /// Internal labels of the analysis tokens from the CoNLL tokens' tags.
    fn labels(&self, gold: &[Tag]) -> Vec<u8> {
        let tags: Vec<Tag> = self
            .gold_of
            .iter()
            .enumerate()
            .map(|(j, &g)| {
                let h = self.head[g as usize].unwrap_or(0) as usize;
                match gold[g as usize] {
                    Tag::O => Tag::O,
                    Tag::B(l) if j == h => Tag::B(l),
                    Tag::B(_) if j < h => Tag::O,
                    Tag::B(l) | Tag::I(l) => Tag::I(l),
                }
            })
            .collect();
        // (an I- that cannot continue begins a span: conlleval's rule, kept by tags_to_labs)
        crate::tags_to_labs(&tags)
    }

    /// The sentence as a document sequence: its text, its analysis and all of its tokens.
    pub(crate) fn seq(&self) -> (&str, &Analysis, std::ops::Range<usize>) {
        (&self.text, &self.analysis, 0..self.analysis.tokens.len())
    }

    fn keys(&self) -> Vec<u64> {
        crate::features::token_keys(&self.analysis, &self.analysis.tokens)
    }

    /// Gold spans as analysis-token ranges with labels.
    fn entity_ranges(&self, gold: &[Tag]) -> Vec<(usize, usize, crate::NerLabel)> {
        spans(gold)
            .into_iter()
            .filter_map(|(s, e, l)| {
                let a = self.head[s]? as usize;
                let b = self.last[e - 1]? as usize + 1;
                (b > a && b - a <= MAX_LEN).then_some((a, b, l))
            })
            .collect()
    }
}

/// Training options.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    pub epochs: usize,
    /// the feature table has `2^bits` rows
    pub bits: u32,
    /// folds of the out-of-fold lexicon
    pub folds: usize,
    pub seed: u64,
    /// feature groups ([`crate::features::group`])
    pub mask: u32,
    /// subtracted from the score of `O` when tagging (not in training)
    pub o_penalty: f32,
    /// probability of hiding a token's identity features in a training pass (simulates the
    /// unseen words of new text)
    pub word_dropout: f32,
    /// the learner of the final stage (first stages are always perceptrons)
    pub learner: Learner,
    /// the final stage averages the weights of this many models trained with different seeds
    pub ensemble: usize,
    /// CRF: L2 regularisation (per data set) and initial learning rate
    pub c2: f64,
    pub eta: f64,
}

/// How the final stage is trained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learner {
    Perceptron,
    Crf,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 6,
            bits: 18,
            folds: 10,
            seed: 20_240_601,
            mask: group::ALL,
            o_penalty: 0.0,
            word_dropout: 0.4,
            learner: Learner::Perceptron,
            ensemble: 8,
            c2: 1.0,
            eta: 0.1,
        }
    }
}

/// Progress reports of [`train`].
#[derive(Debug)]
pub enum Progress<'a> {
    /// features are extracted (sentences, tokens of the training data)
    Prepared { sentences: usize, tokens: usize },
    /// a first-stage model for the document features is trained
    FirstStage { model: usize, models: usize },
    /// a first-stage model has tagged the unlabelled texts for label priors
    Priors {
        model: usize,
        models: usize,
        words: usize,
    },
    /// an epoch is done; `dev` is the score of the averaged model on the dev set, if any
    Epoch {
        epoch: usize,
        epochs: usize,
        mistakes: usize,
        dev: Option<&'a Score>,
    },
}

/// The result of [`train`].
pub struct Trained {
    pub tagger: Tagger,
    /// the dev score after each epoch (of the first model of an ensemble), then the
    /// ensemble's
    pub dev_scores: Vec<Score>,
}

fn bucket(ratio: f64) -> u32 {
    if ratio >= 0.8 {
        3
    } else if ratio >= 0.5 {
        2
    } else if ratio >= 0.2 {
        1
    } else {
        0
    }
}

/// Entity lexicons: one per fold (built from the other folds) and one from everything.
fn lexicons(
    keys: &[Vec<u64>],
    ents: &[Vec<(usize, usize, crate::NerLabel)>],
    fold_of: &[usize],
    folds: usize,
) -> (Vec<Dict>, Dict) {
    // candidate names: hash → keys
    let mut cand: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
    let mut cdict = Dict::new();
    for (k, es) in keys.iter().zip(ents) {
        for &(a, b, _) in es {
            let h = crate::dict::seq_hash(&k[a..b]);
            if cand.insert(h, k[a..b].to_vec()).is_none() {
                cdict.insert(&k[a..b], 1);
            }
        }
    }
    // occurrences per fold, entity counts per fold and label
    let mut occ: Vec<FxHashMap<u64, u32>> = vec![FxHashMap::default(); folds];
    let mut ent: Vec<FxHashMap<(u64, u8), u32>> = vec![FxHashMap::default(); folds];
    for ((k, es), &f) in keys.iter().zip(ents).zip(fold_of) {
        for i in 0..k.len() {
            let mut h = 0x5EED_D1C7_0000_0001u64;
            for len in 1..=MAX_LEN.min(k.len() - i) {
                h = mix(h, k[i + len - 1]);
                let Some(&fl) = cdict.map.get(&fmix(h)) else {
                    break;
                };
                if fl & !PREFIX != 0 {
                    *occ[f].entry(fmix(h)).or_insert(0) += 1;
                }
                if fl & PREFIX == 0 {
                    break;
                }
            }
        }
        for &(a, b, l) in es {
            let h = crate::dict::seq_hash(&k[a..b]);
            *ent[f].entry((h, l as u8)).or_insert(0) += 1;
        }
    }
    let total_occ = |skip: Option<usize>, h: u64| -> u32 {
        (0..folds)
            .filter(|&f| Some(f) != skip)
            .map(|f| occ[f].get(&h).copied().unwrap_or(0))
            .sum()
    };
    let mut all_ent: Vec<((u64, u8), u32)> = FxHashMap::default().into_iter().collect::<Vec<_>>();
    {
        let mut m: FxHashMap<(u64, u8), u32> = FxHashMap::default();
        for e in &ent {
            for (&k, &v) in e {
                *m.entry(k).or_insert(0) += v;
            }
        }
        all_ent.extend(m);
        all_ent.sort_unstable();
    }
    let build = |skip: Option<usize>| -> Dict {
        let mut d = Dict::new();
        for &((h, l), n) in &all_ent {
            let n_in = skip.map_or(0, |f| ent[f].get(&(h, l)).copied().unwrap_or(0));
            let n_ent = n - n_in;
            if n_ent == 0 {
                continue;
            }
            let o = total_occ(skip, h).max(n_ent);
            let b = bucket(n_ent as f64 / o as f64);
            d.insert(&cand[&h], 1 << (l as u32 * 4 + b));
        }
        d
    };
    let per_fold = (0..folds).map(|f| build(Some(f))).collect();
    (per_fold, build(None))
}

/// A small deterministic random generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// One training sentence: features of each token and gold tag indices.
struct Example {
    feats: Vec<u32>,
    offs: Vec<u32>,
    labels: Vec<u8>,
}

fn features_of(
    res: &Resources,
    d: Dyn,
    al: &Aligned,
    cfg: FeatCfg,
    sc: &mut Scratch,
) -> (Vec<u32>, Vec<u32>) {
    let (mut feats, mut offs) = (Vec::new(), Vec::new());
    extract(
        res,
        d,
        &al.analysis,
        &al.analysis.tokens,
        cfg,
        sc,
        &mut feats,
        &mut offs,
    );
    (feats, offs)
}

/// Every feature also gets a domain-specific copy (one-sided feature augmentation).
fn augment(feats: &[u32], offs: &[u32], bits: u32) -> (Vec<u32>, Vec<u32>) {
    let shift = 64 - bits;
    let mut f2 = Vec::with_capacity(feats.len() * 2);
    let mut o2 = vec![0u32];
    for i in 0..offs.len().saturating_sub(1) {
        let r = &feats[offs[i] as usize..offs[i + 1] as usize];
        f2.extend_from_slice(r);
        f2.extend(
            r.iter()
                .map(|&b| (fmix(b as u64 ^ 0xD0D0_0E17_A11E_0001) >> shift) as u32),
        );
        o2.push(f2.len() as u32);
    }
    (f2, o2)
}

/// A dev sentence ready to score.
struct DevEx<'a> {
    al: Aligned,
    feats: Vec<u32>,
    offs: Vec<u32>,
    gold: &'a [Tag],
    /// the tokens' keys, for the discourse step
    keys: Vec<u64>,
}

/// The averaged structured perceptron over `examples` (those with `use_ex[i]`), scoring `dev`
/// after each epoch. Returns weights and transitions in a tagger without dictionaries.
/// Word dropout: in each training pass a token's identity features are hidden with
/// probability `opts.word_dropout`, so that context, clusters and dictionaries carry weight.
struct Dropout {
    /// hide when a draw of the generator falls below this
    threshold: u64,
    on: bool,
}

impl Dropout {
    fn new(cfg: FeatCfg, opts: &TrainOptions) -> Self {
        let threshold = (opts.word_dropout.clamp(0.0, 1.0) as f64 * u64::MAX as f64) as u64;
        Dropout {
            threshold,
            on: cfg.mask & group::WORDS != 0 && threshold > 0,
        }
    }

    /// The features of each token of `ex` this pass, as two ranges of `ex.feats` to chain
    /// (the second empty when nothing is hidden). Draws from `rng` only for tokens that have
    /// identity features to hide.
    fn ranges(&self, ex: &Example, rng: &mut Rng, out: &mut Vec<(usize, usize, usize, usize)>) {
        out.clear();
        for i in 0..ex.labels.len() {
            let (a, b) = (ex.offs[i] as usize, ex.offs[i + 1] as usize);
            if self.on && b - a > 1 + N_IDENTITY && rng.next() < self.threshold {
                out.push((a, a + 1, a + 1 + N_IDENTITY, b));
            } else {
                out.push((a, b, b, b));
            }
        }
    }
}

/// The score of `tagger` on the dev examples; `None` without any.
/// The dev sentences are one document, decoded as the final stage decodes (with its decoding
/// rules and the discourse step), so the score matches what `ner eval` gives the written model.
fn score_dev(tagger: &Tagger, dev: &[DevEx]) -> Option<Score> {
    (!dev.is_empty()).then(|| {
        let mut tsc = TagScratch::default();
        let mut preds = Vec::with_capacity(dev.len());
        for d in dev {
            tagger.emissions(&d.feats, &d.offs, &mut tsc.em);
            tagger.finish_final(&d.al.analysis, &d.al.analysis.tokens, &mut tsc);
            preds.push(tsc.out.clone());
        }
        let seqs: Vec<_> = dev.iter().map(|d| d.al.seq()).collect();
        let keys: Vec<&[u64]> = dev.iter().map(|d| d.keys.as_slice()).collect();
        tagger.after_decoding(&seqs, &keys, &mut preds);
        let mut score = Score::default();
        for (d, p) in dev.iter().zip(&preds) {
            score.add(d.gold, &d.al.project(p));
        }
        score
    })
}

/// What a learner reports after each epoch: progress, and the dev score of the model so far.
struct EpochLog<'d, 'p> {
    dev: &'d [DevEx<'d>],
    epochs: usize,
    progress: &'p mut dyn FnMut(Progress),
    scores: Vec<Score>,
}

impl EpochLog<'_, '_> {
    fn end(&mut self, tagger: &Tagger, epoch: usize, mistakes: usize) {
        let score = score_dev(tagger, self.dev);
        (self.progress)(Progress::Epoch {
            epoch: epoch + 1,
            epochs: self.epochs,
            mistakes,
            dev: score.as_ref(),
        });
        self.scores.extend(score);
    }
}

fn perceptron(
    examples: &[Example],
    use_ex: &[bool],
    cfg: FeatCfg,
    opts: &TrainOptions,
    dev: &[DevEx],
    progress: &mut dyn FnMut(Progress),
) -> (Tagger, Vec<Score>) {
    let rows = 1usize << cfg.bits;
    let mut w = vec![0f32; rows * N_TAGS];
    let mut acc = vec![0f32; rows * N_TAGS];
    let mut tw = [[0f32; N_TAGS]; N_TAGS];
    let mut tacc = [[0f32; N_TAGS]; N_TAGS];
    let mut sw = [0f32; N_TAGS];
    let mut sacc = [0f32; N_TAGS];
    let mut c = 1f32;
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut order: Vec<usize> = (0..examples.len()).filter(|&i| use_ex[i]).collect();
    let mut tsc = TagScratch::default();
    let mut log = EpochLog {
        dev,
        epochs: opts.epochs,
        progress,
        scores: Vec::new(),
    };
    let mut tagger = Tagger::empty(8);
    let mut ranges: Vec<(usize, usize, usize, usize)> = Vec::new();
    let dropout = Dropout::new(cfg, opts);
    for epoch in 0..opts.epochs {
        rng.shuffle(&mut order);
        let mut mistakes = 0;
        for &e in &order {
            let ex = &examples[e];
            let m = ex.labels.len();
            if m == 0 {
                continue;
            }
            // the features of token i this time (identity features possibly hidden)
            dropout.ranges(ex, &mut rng, &mut ranges);
            let feats_of = |i: usize| {
                let (a, b, c, d) = ranges[i];
                ex.feats[a..b].iter().chain(&ex.feats[c..d])
            };
            tsc.em.clear();
            for i in 0..m {
                let mut a = [0f32; N_TAGS];
                for &f in feats_of(i) {
                    let row = &w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
                    for k in 0..N_TAGS {
                        a[k] += row[k];
                    }
                }
                tsc.em.push(a);
            }
            viterbi(&tsc.em, &tw, &sw, &mut tsc.back, &mut tsc.out);
            let pred = &tsc.out;
            if pred[..] == ex.labels[..] {
                c += 1.0;
                continue;
            }
            mistakes += 1;
            for i in 0..m {
                let (g, p) = (ex.labels[i] as usize, pred[i] as usize);
                if g != p {
                    for &f in feats_of(i) {
                        let b = f as usize * N_TAGS;
                        w[b + g] += 1.0;
                        acc[b + g] += c;
                        w[b + p] -= 1.0;
                        acc[b + p] -= c;
                    }
                }
                let (gp, pp) = if i == 0 {
                    (None, None)
                } else {
                    (Some(ex.labels[i - 1] as usize), Some(pred[i - 1] as usize))
                };
                if (gp, g) != (pp, p) {
                    match gp {
                        None => {
                            sw[g] += 1.0;
                            sacc[g] += c;
                        }
                        Some(q) => {
                            tw[q][g] += 1.0;
                            tacc[q][g] += c;
                        }
                    }
                    match pp {
                        None => {
                            sw[p] -= 1.0;
                            sacc[p] -= c;
                        }
                        Some(q) => {
                            tw[q][p] -= 1.0;
                            tacc[q][p] -= c;
                        }
                    }
                }
            }
            c += 1.0;
        }
        // the averaged model
        let avg: Vec<f32> = w.iter().zip(&acc).map(|(&x, &a)| x - a / c).collect();
        let trans: [[f32; N_TAGS]; N_TAGS] =
            std::array::from_fn(|p| std::array::from_fn(|k| tw[p][k] - tacc[p][k] / c));
        let start: [f32; N_TAGS] = std::array::from_fn(|k| sw[k] - sacc[k] / c);
        tagger = Tagger::linear(cfg, avg, trans, start, opts.o_penalty);
        log.end(&tagger, epoch, mistakes);
    }
    (tagger, log.scores)
}

/// A linear-chain CRF trained by stochastic gradient descent with L2 regularisation (the
/// scheme of CRFsuite's `l2sgd`: weight decay through a global scale, a learning rate that
/// falls with the number of examples seen), then averaged over the last epochs' iterates.
/// Same inputs and result as [`perceptron`].
fn crf_sgd(
    examples: &[Example],
    use_ex: &[bool],
    cfg: FeatCfg,
    opts: &TrainOptions,
    dev: &[DevEx],
    progress: &mut dyn FnMut(Progress),
) -> (Tagger, Vec<Score>) {
    const L: usize = N_TAGS;
    let rows = 1usize << cfg.bits;
    let mut v = vec![0f32; rows * L];
    let mut tv = [[0f64; L]; L];
    let mut sv = [0f64; L];
    let mut scale = 1f64;
    let mut order: Vec<usize> = (0..examples.len()).filter(|&i| use_ex[i]).collect();
    let n_ex = order.len().max(1) as f64;
    let lambda = opts.c2 / n_ex;
    let eta0 = opts.eta;
    let mut t = 0f64;
    let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut log = EpochLog {
        dev,
        epochs: opts.epochs,
        progress,
        scores: Vec::new(),
    };
    let mut tagger = Tagger::empty(8);
    let mut ranges: Vec<(usize, usize, usize, usize)> = Vec::new();
    let dropout = Dropout::new(cfg, opts);
    let neg = f64::NEG_INFINITY;
    let mut alpha: Vec<[f64; L]> = Vec::new();
    let mut beta: Vec<[f64; L]> = Vec::new();
    let mut em: Vec<[f64; L]> = Vec::new();
    // averaged iterates (over the second half of the epochs)
    let avg_from = opts.epochs / 2;
    let mut avg = vec![0f64; 0];
    let mut tavg = [[0f64; L]; L];
    let mut savg = [0f64; L];
    let mut n_avg = 0f64;
    let lse = |xs: &mut dyn Iterator<Item = f64>| -> f64 {
        let v: Vec<f64> = xs.collect();
        let m = v.iter().cloned().fold(neg, f64::max);
        if m == neg {
            return neg;
        }
        m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
    };
    for epoch in 0..opts.epochs {
        rng.shuffle(&mut order);
        let mut loss = 0f64;
        for &e in &order {
            let ex = &examples[e];
            let m = ex.labels.len();
            if m == 0 {
                continue;
            }
            let eta = eta0 / (1.0 + t / n_ex);
            t += 1.0;
            dropout.ranges(ex, &mut rng, &mut ranges);
            let feats_of = |i: usize| {
                let (a, b, c, d) = ranges[i];
                ex.feats[a..b].iter().chain(&ex.feats[c..d])
            };
            em.clear();
            for i in 0..m {
                let mut a = [0f64; L];
                for &f in feats_of(i) {
                    let row = &v[f as usize * L..f as usize * L + L];
                    for k in 0..L {
                        a[k] += row[k] as f64;
                    }
                }
                em.push(a.map(|x| x * scale));
            }
            // forward-backward in log space, with the BILOU constraints
            alpha.clear();
            alpha.resize(m, [neg; L]);
            beta.clear();
            beta.resize(m, [neg; L]);
            for k in 0..L {
                if allowed(None, k) {
                    alpha[0][k] = sv[k] + em[0][k];
                }
            }
            for i in 1..m {
                for k in 0..L {
                    let x = lse(&mut (0..L)
                        .filter(|&p| allowed(Some(p), k) && alpha[i - 1][p] > neg)
                        .map(|p| alpha[i - 1][p] + tv[p][k]));
                    alpha[i][k] = x + em[i][k];
                }
            }
            for (k, b) in beta[m - 1].iter_mut().enumerate() {
                if allowed_end(k) {
                    *b = 0.0;
                }
            }
            for i in (0..m - 1).rev() {
                for p in 0..L {
                    beta[i][p] = lse(&mut (0..L)
                        .filter(|&k| allowed(Some(p), k) && beta[i + 1][k] > neg)
                        .map(|k| tv[p][k] + em[i + 1][k] + beta[i + 1][k]));
                }
            }
            let z = lse(&mut (0..L).map(|k| alpha[m - 1][k] + beta[m - 1][k]));
            // log-likelihood of the gold path
            let mut gold = 0f64;
            for i in 0..m {
                let g = ex.labels[i] as usize;
                gold += em[i][g]
                    + if i == 0 {
                        sv[g]
                    } else {
                        tv[ex.labels[i - 1] as usize][g]
                    };
            }
            loss += z - gold;
            // weight decay, then the gradient step
            scale *= 1.0 - eta * lambda;
            if scale < 1e-6 {
                for x in v.iter_mut() {
                    *x = (*x as f64 * scale) as f32;
                }
                scale = 1.0;
            }
            let step = eta / scale;
            for i in 0..m {
                let mut g = [0f64; L];
                for k in 0..L {
                    g[k] = -(alpha[i][k] + beta[i][k] - z).exp();
                }
                g[ex.labels[i] as usize] += 1.0;
                for &f in feats_of(i) {
                    let row = &mut v[f as usize * L..f as usize * L + L];
                    for k in 0..L {
                        if g[k].abs() > 1e-6 {
                            row[k] += (step * g[k]) as f32;
                        }
                    }
                }
            }
            // transitions and starts (not regularised)
            for k in 0..L {
                let pk = (alpha[0][k] + beta[0][k] - z).exp();
                sv[k] -= eta * pk;
            }
            sv[ex.labels[0] as usize] += eta;
            for i in 1..m {
                for p in 0..L {
                    if alpha[i - 1][p] == neg {
                        continue;
                    }
                    for k in 0..L {
                        if !allowed(Some(p), k) {
                            continue;
                        }
                        let pp = (alpha[i - 1][p] + tv[p][k] + em[i][k] + beta[i][k] - z).exp();
                        tv[p][k] -= eta * pp;
                    }
                }
                tv[ex.labels[i - 1] as usize][ex.labels[i] as usize] += eta;
            }
        }
        if epoch >= avg_from {
            if avg.is_empty() {
                avg = vec![0f64; v.len()];
            }
            for (a, &x) in avg.iter_mut().zip(&v) {
                *a += x as f64 * scale;
            }
            for p in 0..L {
                for k in 0..L {
                    tavg[p][k] += tv[p][k];
                }
                savg[p] += sv[p];
            }
            n_avg += 1.0;
        }
        let (w, trans, start) = if n_avg > 0.0 {
            (
                avg.iter()
                    .map(|&x| (x / n_avg) as f32)
                    .collect::<Vec<f32>>(),
                std::array::from_fn(|p| std::array::from_fn(|k| (tavg[p][k] / n_avg) as f32)),
                std::array::from_fn(|k| (savg[k] / n_avg) as f32),
            )
        } else {
            (
                v.iter().map(|&x| (x as f64 * scale) as f32).collect(),
                std::array::from_fn(|p| std::array::from_fn(|k| tv[p][k] as f32)),
                std::array::from_fn(|k| sv[k] as f32),
            )
        };
        tagger = Tagger::linear(cfg, w, trans, start, opts.o_penalty);
        log.end(&tagger, epoch, loss as usize);
    }
    (tagger, log.scores)
}

fn final_stage(
    examples: &[Example],
    use_ex: &[bool],
    cfg: FeatCfg,
    opts: &TrainOptions,
    dev: &[DevEx],
    progress: &mut dyn FnMut(Progress),
) -> (Tagger, Vec<Score>) {
    let one = |opts: &TrainOptions, progress: &mut dyn FnMut(Progress)| match opts.learner {
        Learner::Perceptron => perceptron(examples, use_ex, cfg, opts, dev, progress),
        Learner::Crf => crf_sgd(examples, use_ex, cfg, opts, dev, progress),
    };
    if opts.ensemble <= 1 {
        return one(opts, progress);
    }
    // an ensemble: the weights of models trained with other seeds, averaged. The other members
    // train on rayon's threads while this thread trains the first (which reports progress);
    // they are summed in seed order, so the model does not depend on the number of threads.
    let mut others: Vec<Tagger> = Vec::new();
    let (mut t, mut scores) = rayon::in_place_scope(|s| {
        s.spawn(|_| {
            others = (1..opts.ensemble)
                .into_par_iter()
                .map(|m| {
                    let o = TrainOptions {
                        seed: opts.seed.wrapping_add(m as u64 * 7919),
                        ..opts.clone()
                    };
                    one(&o, &mut |_| {}).0
                })
                .collect();
        });
        one(opts, progress)
    });
    let Weights::F32(w) = &mut t.weights else {
        unreachable!("training gives f32 weights")
    };
    for u in &others {
        let Weights::F32(wu) = &u.weights else {
            unreachable!("training gives f32 weights")
        };
        for (a, b) in w.iter_mut().zip(wu) {
            *a += b;
        }
        for p in 0..N_TAGS {
            for k in 0..N_TAGS {
                t.trans[p][k] += u.trans[p][k];
            }
            t.start[p] += u.start[p];
        }
    }
    let k = opts.ensemble as f32;
    w.iter_mut().for_each(|x| *x /= k);
    t.trans.iter_mut().flatten().for_each(|x| *x /= k);
    t.start.iter_mut().for_each(|x| *x /= k);
    // the dev score of the ensemble
    scores.extend(score_dev(&t, dev));
    (t, scores)
}

/// Label priors of words: tag `docs` with `tagger` and share out each word's occurrences by
/// type (words seen at least twice).
fn priors_from(tagger: &Tagger, d: Dyn, docs: &[Analysis]) -> Priors {
    let mut counts: FxHashMap<u64, [u32; 5]> = FxHashMap::default();
    let mut sc = TagScratch::default();
    for a in docs {
        for (s, e) in crate::model::sentence_ranges(a) {
            tagger.decode(d, a, &a.tokens[s..e], &mut sc);
            for (&k, &t) in sc.fx.keys.iter().zip(&sc.out) {
                let ty = crate::lab_type(t as usize).map_or(0, |l| l as usize + 1);
                counts.entry(k).or_insert([0; 5])[ty] += 1;
            }
        }
    }
    let mut out = Priors::default();
    for (k, c) in counts {
        let total: u32 = c.iter().sum();
        if total < 2 {
            continue;
        }
        let mut code = 0u8;
        for t in 0..4 {
            let share = c[t + 1] as f64 / total as f64;
            let b = if share < 0.05 {
                0
            } else if share < 0.3 {
                1
            } else if share < 0.7 {
                2
            } else {
                3
            };
            code |= b << (2 * t);
        }
        out.insert(k, code);
    }
    out
}

/// Train a tagger on `train` (news, the in-domain data) and `extra` (other domains, whose
/// features get a domain-specific copy), reporting the dev score after each epoch. `base` holds
/// the word clusters and gazetteers; the entity lexicon is built here from `train`, and label
/// priors from `unlabeled` texts (when given and the priors group is on).
/// The model records the sentences it was trained on ([`Tagger::set_trained_on`]).
pub fn train(
    train: &[Sentence],
    extra: &[Sentence],
    unlabeled: &[String],
    dev: &[Sentence],
    base: &Resources,
    opts: &TrainOptions,
    progress: &mut dyn FnMut(Progress),
) -> Trained {
    let mut t = train_stages(train, extra, unlabeled, dev, base, opts, progress);
    let sentences: Vec<&[String]> = train
        .iter()
        .chain(extra)
        .map(|s| s.tokens.as_slice())
        .collect();
    t.tagger.set_trained_on(&sentences);
    t
}

/// [`train`] less the record of the training sentences.
fn train_stages(
    train: &[Sentence],
    extra: &[Sentence],
    unlabeled: &[String],
    dev: &[Sentence],
    base: &Resources,
    opts: &TrainOptions,
    progress: &mut dyn FnMut(Progress),
) -> Trained {
    let mut an = Analyzer::new();
    let folds = opts.folds.max(2);
    let n = train.len();
    let aligned: Vec<Aligned> = train
        .iter()
        .map(|s| Aligned::new(&s.tokens, &mut an))
        .collect();
    let keys: Vec<Vec<u64>> = aligned.iter().map(Aligned::keys).collect();
    let ents: Vec<_> = aligned
        .iter()
        .zip(train)
        .map(|(a, s)| a.entity_ranges(&s.tags))
        .collect();
    let fold_of: Vec<usize> = (0..n).map(|i| i * folds / n.max(1)).collect();
    let (fold_lex, full_lex) = lexicons(&keys, &ents, &fold_of, folds);
    drop(keys);
    let extra_al: Vec<Aligned> = extra
        .iter()
        .map(|s| Aligned::new(&s.tokens, &mut an))
        .collect();
    let dev_al: Vec<Aligned> = dev
        .iter()
        .map(|s| Aligned::new(&s.tokens, &mut an))
        .collect();
    let mut sc = Scratch::default();
    let cfg = FeatCfg {
        bits: opts.bits,
        mask: opts.mask,
    };
    let mut res = base.clone();
    res.lex = full_lex;
    res.priors = Priors::default();

    // label priors: first-stage models (no lexicon, no priors) tag the unlabelled texts; the
    // priors of each fold's sentences come from a model trained without that fold
    let no_priors = Priors::default();
    let mut fold_priors: Vec<Priors> = vec![Priors::default(); folds];
    if opts.mask & group::PRIORS != 0 && !unlabeled.is_empty() {
        let docs: Vec<Analysis> = unlabeled
            .iter()
            .map(|t| an.analyze(&Document::new(t.as_str())))
            .collect();
        let cfg1 = FeatCfg {
            bits: opts.bits,
            mask: opts.mask & !(group::LEXICON | group::PRIORS | group::DOC),
        };
        let empty = Dict::new();
        let d1 = Dyn {
            lex: &empty,
            priors: &no_priors,
            doc: &[],
        };
        let mut ex1: Vec<Example> = Vec::with_capacity(n + extra.len());
        for (al, s) in aligned.iter().zip(train) {
            let (feats, offs) = features_of(&res, d1, al, cfg1, &mut sc);
            ex1.push(Example {
                feats,
                offs,
                labels: al.labels(&s.tags),
            });
        }
        for (al, s) in extra_al.iter().zip(extra) {
            let (feats, offs) = features_of(&res, d1, al, cfg1, &mut sc);
            let (feats, offs) = augment(&feats, &offs, opts.bits);
            ex1.push(Example {
                feats,
                offs,
                labels: al.labels(&s.tags),
            });
        }
        for f in 0..=folds {
            let use_ex: Vec<bool> = (0..ex1.len())
                .map(|i| i >= n || f == folds || fold_of[i] != f)
                .collect();
            let (mut t1, _) = perceptron(&ex1, &use_ex, cfg1, opts, &[], &mut |_| {});
            t1.res = res.clone();
            t1.res.lex = Dict::new();
            t1.o_penalty = 0.0;
            let p = priors_from(&t1, d1, &docs);
            progress(Progress::Priors {
                model: f + 1,
                models: folds + 1,
                words: p.len(),
            });
            match fold_priors.get_mut(f) {
                Some(slot) => *slot = p,
                None => res.priors = p,
            }
        }
    }

    // base examples: every feature but the document features
    let doc_on = opts.mask & group::DOC != 0;
    let cfg_base = FeatCfg {
        bits: opts.bits,
        mask: opts.mask & !group::DOC,
    };
    let build =
        |cfg: FeatCfg, codes: Option<&Vec<Vec<u32>>>, sc: &mut Scratch| -> (Vec<Example>, usize) {
            let mut examples = Vec::with_capacity(n + extra.len());
            let mut n_tokens = 0;
            for (i, ((al, s), &f)) in aligned.iter().zip(train).zip(&fold_of).enumerate() {
                let d = Dyn {
                    lex: &fold_lex[f],
                    priors: &fold_priors[f],
                    doc: codes.map_or(&[][..], |c| &c[i][..]),
                };
                let (feats, offs) = features_of(&res, d, al, cfg, sc);
                n_tokens += al.analysis.tokens.len();
                examples.push(Example {
                    feats,
                    offs,
                    labels: al.labels(&s.tags),
                });
            }
            for (al, s) in extra_al.iter().zip(extra) {
                let (feats, offs) = features_of(&res, res.dyn_(), al, cfg, sc);
                let (feats, offs) = augment(&feats, &offs, opts.bits);
                n_tokens += al.analysis.tokens.len();
                examples.push(Example {
                    feats,
                    offs,
                    labels: al.labels(&s.tags),
                });
            }
            (examples, n_tokens)
        };
    let (examples, n_tokens) = build(cfg_base, None, &mut sc);
    progress(Progress::Prepared {
        sentences: examples.len(),
        tokens: n_tokens,
    });
    let dev_base: Vec<(Vec<u32>, Vec<u32>)> = dev_al
        .iter()
        .map(|al| features_of(&res, res.dyn_(), al, cfg_base, &mut sc))
        .collect();
    let all = vec![true; examples.len()];
    let mut tsc = TagScratch::default();
    if !doc_on {
        let dev_ex: Vec<DevEx> = dev_al
            .into_iter()
            .zip(dev_base)
            .zip(dev)
            .map(|((al, (feats, offs)), s)| DevEx {
                keys: al.keys(),
                al,
                feats,
                offs,
                gold: &s.tags,
            })
            .collect();
        let (mut tagger, dev_scores) = final_stage(&examples, &all, cfg, opts, &dev_ex, progress);
        tagger.res = res;
        return Trained { tagger, dev_scores };
    }

    // document features: a first stage tags each fold's sentences (trained without that fold)
    let mut pred1: Vec<Vec<u8>> = vec![Vec::new(); n];
    let opts1 = TrainOptions {
        learner: Learner::Perceptron,
        ..opts.clone()
    };
    let stage1 = |use_ex: &[bool]| {
        let (mut t, _) = final_stage(&examples, use_ex, cfg_base, &opts1, &[], &mut |_| {});
        t.o_penalty = 0.0;
        t
    };
    for f in 0..folds {
        let use_ex: Vec<bool> = (0..examples.len())
            .map(|i| i >= n || fold_of[i] != f)
            .collect();
        let t1 = stage1(&use_ex);
        for i in (0..n).filter(|&i| fold_of[i] == f) {
            t1.emissions(&examples[i].feats, &examples[i].offs, &mut tsc.em);
            viterbi(&tsc.em, &t1.trans, &t1.start, &mut tsc.back, &mut tsc.out);
            pred1[i] = tsc.out.clone();
        }
        progress(Progress::FirstStage {
            model: f + 1,
            models: folds + 1,
        });
    }
    let first = stage1(&all);
    progress(Progress::FirstStage {
        model: folds + 1,
        models: folds + 1,
    });
    drop(examples);
    let keys: Vec<Vec<u64>> = aligned.iter().map(Aligned::keys).collect();
    let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
    let lr: Vec<&[u8]> = pred1.iter().map(Vec::as_slice).collect();
    let codes = crate::features::doc_codes(&kr, &lr, &base.gaz);
    let (examples, _) = build(cfg, Some(&codes), &mut sc);
    // dev: the full first stage tags it, its document codes, then the second-stage features
    let mut dkeys = Vec::with_capacity(dev_al.len());
    let mut dpred = Vec::with_capacity(dev_al.len());
    for (al, (feats, offs)) in dev_al.iter().zip(&dev_base) {
        first.emissions(feats, offs, &mut tsc.em);
        viterbi(
            &tsc.em,
            &first.trans,
            &first.start,
            &mut tsc.back,
            &mut tsc.out,
        );
        dpred.push(tsc.out.clone());
        dkeys.push(al.keys());
    }
    let kr: Vec<&[u64]> = dkeys.iter().map(Vec::as_slice).collect();
    let lr: Vec<&[u8]> = dpred.iter().map(Vec::as_slice).collect();
    let dcodes = crate::features::doc_codes(&kr, &lr, &base.gaz);
    let dev_ex: Vec<DevEx> = dev_al
        .into_iter()
        .zip(&dcodes)
        .zip(dev)
        .zip(dkeys)
        .map(|(((al, c), s), keys)| {
            let d = Dyn {
                doc: c,
                ..res.dyn_()
            };
            let (feats, offs) = features_of(&res, d, &al, cfg, &mut sc);
            DevEx {
                al,
                feats,
                offs,
                gold: &s.tags,
                keys,
            }
        })
        .collect();
    let (mut tagger, dev_scores) = final_stage(&examples, &all, cfg, opts, &dev_ex, progress);
    tagger.res = res;
    tagger.first = Some(Box::new(first));
    Trained { tagger, dev_scores }
}

/// Score a tagger on CoNLL sentences (in order: they are one document for the document
/// features).
pub fn evaluate(tagger: &Tagger, sents: &[Sentence]) -> Score {
    score_tags(sents, &predict(tagger, sents))
}

/// A tagger's tags for CoNLL sentences (in order: one document).
pub fn predict(tagger: &Tagger, sents: &[Sentence]) -> Vec<Vec<Tag>> {
    let toks: Vec<Vec<String>> = sents.iter().map(|s| s.tokens.clone()).collect();
    tagger.tag_sentences(&toks, &mut Analyzer::new())
}

/// Score predicted tags against the sentences' gold tags.
pub fn score_tags(sents: &[Sentence], preds: &[Vec<Tag>]) -> Score {
    let mut score = Score::default();
    for (s, p) in sents.iter().zip(preds) {
        score.add(&s.tags, p);
    }
    score
}

#[cfg(test)]
mod oracle_tests {
    use super::*;
    #[test]
    fn projection_round_trip_on_anercorp() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/anercorp/train.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED: {path} is missing");
            return;
        };
        let sents = crate::conll::parse(&text, path, &crate::TagMap::Anercorp).unwrap();
        let mut an = Analyzer::new();
        let mut score = Score::default();
        for s in &sents {
            let al = Aligned::new(&s.tokens, &mut an);
            let labels = al.labels(&s.tags);
            let back = al.project(&labels);
            if back != s.tags {
                eprintln!("{:?}\n{:?}\n{:?}", s.tokens, s.tags, back);
            }
            score.add(&s.tags, &back);
        }
        assert!(score.f1() > 99.9, "{}", score.report());
    }
}
