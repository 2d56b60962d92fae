//! The tagger: weights, Viterbi decoding, the model file, and the public tagging API.

use crate::features::group::{self, DOC};
use crate::features::{
    doc_codes, extend_doc, extract, Dyn, FeatCfg, Resources, Scratch, CL_LEVELS,
};
use crate::{lab_pos, lab_to_tag, lab_type, EntitySpan, Tag, N_TAGS};
use marsad_text::{Analysis, Analyzer, Proclitic, Token, TokenKind};
use std::sync::OnceLock;

/// Bumped whenever the feature templates change (a model must be retrained). Version 2 added
/// the embedding classes (more cluster levels per word, the `embeddings` feature group); a
/// version 1 file still reads (3 cluster levels; its feature mask leaves the new group off).
/// Files written since 2026-12-05 end with the fingerprints of the training sentences (an
/// optional section: a file without it reads as before; [`Tagger::seen_in_training`]).
pub const FEATURE_VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"MRSDNER1";

static BUILTIN_MODEL: &[u8] = include_bytes!("../../../models/ner.bin");

/// A model file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a marsad NER model (bad magic bytes)")]
    Magic,
    #[error("model made for feature version {0}, this build reads version {FEATURE_VERSION}: retrain it with `marsad ner train`")]
    Version(u32),
    #[error("model file truncated or corrupt at byte {0}")]
    Corrupt(usize),
}

/// Weights of the hashed feature table, one row of `N_TAGS` per bucket.
#[derive(Clone, Debug)]
pub(crate) enum Weights {
    F32(Vec<f32>),
    I16 {
        w: Vec<i16>,
        scale: f32,
    },
    /// What a loaded model tags with: each row less its `O` weight (adding the same number to
    /// every tag's score at a token changes no decision), so a row is the 16 other tags' and
    /// fills half a cache line exactly — one memory read per feature instead of 1.5.
    Rel {
        rows: Vec<RelRow>,
        scale: f32,
    },
}

/// The weights of the tags after `O` (labels 1..N_TAGS), less the row's `O` weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct RelRow(pub(crate) [i16; N_TAGS - 1]);

const _: () = assert!(
    std::mem::size_of::<RelRow>() == 32,
    "a row is half a cache line"
);

/// The relative rows of quantised rows `w` (`N_TAGS` each): exact when every difference
/// fits 16 bits, otherwise on a grid coarser by the smallest integer factor that makes it fit.
fn relative_rows(w: &[i16], scale: f32) -> (Vec<RelRow>, f32) {
    let diff = |r: &[i16], k: usize| r[k] as i32 - r[0] as i32;
    let max = w
        .chunks_exact(N_TAGS)
        .flat_map(|r| (1..N_TAGS).map(move |k| diff(r, k).abs()))
        .max()
        .unwrap_or(0);
    let factor = ((max + 32766) / 32767).max(1);
    let rows = w
        .chunks_exact(N_TAGS)
        .map(|r| {
            let mut out = RelRow::default();
            for (k, x) in out.0.iter_mut().enumerate() {
                let d = diff(r, k + 1);
                *x = ((d as f64 / factor as f64).round() as i32).clamp(-32767, 32767) as i16;
            }
            out
        })
        .collect();
    (rows, scale * factor as f32)
}

/// The full rows (`O` weight 0) of relative rows: an equivalent model, as a file writes it.
fn full_rows(rows: &[RelRow]) -> Vec<i16> {
    let mut w = Vec::with_capacity(rows.len() * N_TAGS);
    for r in rows {
        w.push(0);
        w.extend_from_slice(&r.0);
    }
    w
}

/// A trained tagger (weights and the dictionaries its features read).
#[derive(Clone, Debug)]
pub struct Tagger {
    pub(crate) res: Resources,
    pub(crate) cfg: FeatCfg,
    pub(crate) weights: Weights,
    /// `trans[prev][cur]`
    pub(crate) trans: [[f32; N_TAGS]; N_TAGS],
    pub(crate) start: [f32; N_TAGS],
    /// subtracted from the score of `O` at each token when tagging (trades precision for
    /// recall; chosen on held-out data, not learned)
    pub(crate) o_penalty: f32,
    /// the first-stage tagger whose tags give the document features (its dictionaries are
    /// this tagger's)
    pub(crate) first: Option<Box<Tagger>>,
    /// copy found names to their all-`O` recurrences nearby after decoding (a decoding rule,
    /// not stored in the model file; see [`crate::discourse`])
    pub(crate) discourse: bool,
    /// fingerprints of the sentences the model was trained on ([`sentence_fingerprint`],
    /// sorted; empty when unknown, as in files written before 2026-12-05), so that an
    /// evaluation can say when its test sentences are not held out
    pub(crate) trained_on: Vec<u64>,
}

/// A fingerprint of a sentence's tokens (the words as written, in order): equal sentences have
/// equal fingerprints, and a model file keeps those of its training sentences.
pub fn sentence_fingerprint<S: AsRef<str>>(tokens: &[S]) -> u64 {
    let mut h = 0x5e47_e4ce_u64 ^ tokens.len() as u64;
    for t in tokens {
        h = crate::hash::mix(h, crate::hash::hash_str(t.as_ref()));
    }
    crate::hash::fmix(h)
}

/// May label `cur` follow `prev` (`None` = sentence start)? BILOU: I-X and L-X continue a
/// B-X or I-X; O, B and U follow O, L, U or the start.
#[inline]
pub(crate) fn allowed(prev: Option<usize>, cur: usize) -> bool {
    let open = |p: Option<usize>| p.is_some_and(|p| p != 0 && lab_pos(p) <= 1);
    match lab_pos(cur) {
        1 | 2 => open(prev) && lab_type(prev.unwrap_or(0)) == lab_type(cur),
        _ => !open(prev),
    }
}

/// May a sequence end with label `k` (not inside an open span)?
#[inline]
pub(crate) fn allowed_end(k: usize) -> bool {
    k == 0 || lab_pos(k) >= 2
}

/// Best tag sequence (indices) for emission scores `em` (one row per token).
pub(crate) fn viterbi(
    em: &[[f32; N_TAGS]],
    trans: &[[f32; N_TAGS]; N_TAGS],
    start: &[f32; N_TAGS],
    back: &mut Vec<[u8; N_TAGS]>,
    out: &mut Vec<u8>,
) {
    out.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    const NEG: f32 = -1e30;
    // the BILOU constraints folded into the scores once (a forbidden step costs NEG), so the
    // inner loop has no branches; ties still go to the lowest previous label
    let mut tr = [[NEG; N_TAGS]; N_TAGS];
    for (p, row) in tr.iter_mut().enumerate() {
        for (k, x) in row.iter_mut().enumerate() {
            if allowed(Some(p), k) {
                *x = trans[p][k];
            }
        }
    }
    back.clear();
    back.resize(n, [0; N_TAGS]);
    let mut score = [NEG; N_TAGS];
    for (k, s) in score.iter_mut().enumerate() {
        if allowed(None, k) {
            *s = start[k] + em[0][k];
        }
    }
    for i in 1..n {
        let mut best = [NEG; N_TAGS];
        let mut arg = [0u8; N_TAGS];
        for (p, row) in tr.iter().enumerate() {
            let sp = score[p];
            for k in 0..N_TAGS {
                let v = sp + row[k];
                if v > best[k] {
                    best[k] = v;
                    arg[k] = p as u8;
                }
            }
        }
        for k in 0..N_TAGS {
            score[k] = best[k] + em[i][k];
        }
        back[i] = arg;
    }
    let mut k = (0..N_TAGS)
        .filter(|&k| allowed_end(k))
        .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    out.resize(n, 0);
    for i in (0..n).rev() {
        out[i] = k as u8;
        k = back[i][k] as usize;
    }
}

/// How many features ahead [`Tagger::emissions`] asks for a weight row: the table is larger
/// than the cache and the rows are read in hash order, so most reads would wait on memory.
const PREFETCH: usize = 24;

/// Ask the CPU to start loading `x` into the cache (a hint: no effect on results; a no-op
/// off x86-64).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults and changes nothing the program can observe; the
        // address is that of a live reference
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast()) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub(crate) struct TagScratch {
    pub(crate) fx: Scratch,
    pub(crate) feats: Vec<u32>,
    pub(crate) offs: Vec<u32>,
    pub(crate) em: Vec<[f32; N_TAGS]>,
    pub(crate) back: Vec<[u8; N_TAGS]>,
    pub(crate) out: Vec<u8>,
}

impl Tagger {
    /// The model shipped in the binary (`models/ner.bin`), loaded on first use.
    ///
    /// If the embedded model cannot be read (a build made without one), this is an empty
    /// tagger that finds nothing; the test suite checks that the shipped model loads.
    pub fn builtin() -> &'static Tagger {
        static T: OnceLock<Tagger> = OnceLock::new();
        T.get_or_init(|| Tagger::load(BUILTIN_MODEL).unwrap_or_else(|_| Tagger::empty(16)))
    }

    /// Whether this tagger has any weights (false for an empty or missing model).
    pub fn is_trained(&self) -> bool {
        match &self.weights {
            Weights::F32(w) => w.iter().any(|&x| x != 0.0),
            Weights::I16 { w, .. } => w.iter().any(|&x| x != 0),
            Weights::Rel { rows, .. } => rows.iter().any(|r| r.0.iter().any(|&x| x != 0)),
        }
    }

    /// A tagger with all weights zero (tags nothing).
    pub fn empty(bits: u32) -> Tagger {
        Tagger {
            res: Resources::default(),
            cfg: FeatCfg {
                bits,
                mask: group::ALL,
            },
            weights: Weights::I16 {
                w: vec![0; (1usize << bits) * N_TAGS],
                scale: 1.0,
            },
            trans: [[0.0; N_TAGS]; N_TAGS],
            start: [0.0; N_TAGS],
            o_penalty: 0.0,
            first: None,
            discourse: true,
            trained_on: Vec::new(),
        }
    }

    /// A one-stage tagger with these float weights and no dictionaries (what a training
    /// pass produces; the trainer adds the dictionaries and the first stage).
    pub(crate) fn linear(
        cfg: FeatCfg,
        weights: Vec<f32>,
        trans: [[f32; N_TAGS]; N_TAGS],
        start: [f32; N_TAGS],
        o_penalty: f32,
    ) -> Tagger {
        Tagger {
            res: Resources::default(),
            cfg,
            weights: Weights::F32(weights),
            trans,
            start,
            o_penalty,
            first: None,
            discourse: true,
            trained_on: Vec::new(),
        }
    }

    /// Change the O penalty (subtracted from the score of O at each token: > 0 finds more
    /// entities, at some cost in precision).
    pub fn set_o_penalty(&mut self, p: f32) {
        self.o_penalty = p;
    }

    /// Record the sentences this model was trained on (their fingerprints go into the model
    /// file; see [`Tagger::seen_in_training`]).
    pub fn set_trained_on<S: AsRef<str>>(&mut self, sentences: &[&[S]]) {
        let mut v: Vec<u64> = sentences.iter().map(|t| sentence_fingerprint(t)).collect();
        v.sort_unstable();
        v.dedup();
        self.trained_on = v;
    }

    /// Was a sentence with these tokens among the training sentences? `None` when the model
    /// does not know what it was trained on (a file written before fingerprints were kept).
    pub fn seen_in_training<S: AsRef<str>>(&self, tokens: &[S]) -> Option<bool> {
        if self.trained_on.is_empty() {
            return None;
        }
        Some(
            self.trained_on
                .binary_search(&sentence_fingerprint(tokens))
                .is_ok(),
        )
    }

    /// Switch the one-sense-per-discourse step ([`crate::discourse`]) on (the default) or off.
    pub fn set_discourse(&mut self, on: bool) {
        self.discourse = on;
    }

    /// The dictionaries of this model.
    pub fn resources(&self) -> &Resources {
        &self.res
    }

    /// Bytes of memory held by the model (weights and dictionaries, estimated for the hash
    /// maps).
    pub fn memory_bytes(&self) -> usize {
        let w = match &self.weights {
            Weights::F32(w) => w.len() * 4,
            Weights::I16 { w, .. } => w.len() * 2,
            Weights::Rel { rows, .. } => std::mem::size_of_val(&rows[..]),
        };
        // hashbrown: key + value + 1 control byte per bucket, buckets = capacity rounded up
        let map = |entries: usize, cap: usize, entry: usize| cap.max(entries) * (entry + 1);
        w + map(
            self.res.clusters.len(),
            self.res.clusters.capacity(),
            8 + 2 * CL_LEVELS,
        ) + map(self.res.gaz.map.len(), self.res.gaz.map.capacity(), 12)
            + map(self.res.lex.map.len(), self.res.lex.map.capacity(), 12)
            + map(self.res.priors.len(), self.res.priors.capacity(), 9)
            + self.first.as_ref().map_or(0, |f| f.memory_bytes())
    }

    pub(crate) fn emissions(&self, feats: &[u32], offs: &[u32], em: &mut Vec<[f32; N_TAGS]>) {
        self.raw_emissions(feats, offs, em);
        if self.o_penalty != 0.0 {
            for e in em.iter_mut() {
                e[0] -= self.o_penalty;
            }
        }
    }

    fn raw_emissions(&self, feats: &[u32], offs: &[u32], em: &mut Vec<[f32; N_TAGS]>) {
        em.clear();
        let n = offs.len().saturating_sub(1);
        em.reserve(n);
        match &self.weights {
            Weights::F32(w) => {
                for i in 0..n {
                    let mut acc = [0f32; N_TAGS];
                    for &f in &feats[offs[i] as usize..offs[i + 1] as usize] {
                        let row = &w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
                        for k in 0..N_TAGS {
                            acc[k] += row[k];
                        }
                    }
                    em.push(acc);
                }
            }
            Weights::I16 { w, scale } => {
                for i in 0..n {
                    let mut acc = [0i32; N_TAGS];
                    for &f in &feats[offs[i] as usize..offs[i + 1] as usize] {
                        let row = &w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
                        for k in 0..N_TAGS {
                            acc[k] += row[k] as i32;
                        }
                    }
                    em.push(acc.map(|x| x as f32 * scale));
                }
            }
            Weights::Rel { rows, scale } => {
                for i in 0..n {
                    let mut acc = [0i32; N_TAGS - 1];
                    let (a, b) = (offs[i] as usize, offs[i + 1] as usize);
                    for (j, &f) in feats[a..b].iter().enumerate() {
                        if let Some(&g) = feats.get(a + j + PREFETCH) {
                            if let Some(r) = rows.get(g as usize) {
                                prefetch(r);
                            }
                        }
                        let row = &rows[f as usize].0;
                        for k in 0..N_TAGS - 1 {
                            acc[k] += row[k] as i32;
                        }
                    }
                    let mut e = [0f32; N_TAGS];
                    for k in 1..N_TAGS {
                        e[k] = acc[k - 1] as f32 * scale;
                    }
                    em.push(e);
                }
            }
        }
    }

    /// Tag indices of a token sequence into `sc.out` (features with `res` and `d`).
    pub(crate) fn decode_with(
        &self,
        res: &Resources,
        d: Dyn,
        a: &Analysis,
        toks: &[Token],
        sc: &mut TagScratch,
    ) {
        self.emit_with(res, d, a, toks, sc);
        viterbi(&sc.em, &self.trans, &self.start, &mut sc.back, &mut sc.out);
    }

    /// The final stage's decoding: [`Tagger::decode_with`] with [`decoding_rules`].
    fn decode_final(&self, d: Dyn, a: &Analysis, toks: &[Token], sc: &mut TagScratch) {
        self.emit_with(&self.res, d, a, toks, sc);
        self.finish_final(a, toks, sc);
    }

    /// The final stage's decoding of the emission scores in `sc.em`: [`decoding_rules`], then
    /// Viterbi into `sc.out` (every final-stage decoding ends here, training's dev score too).
    pub(crate) fn finish_final(&self, a: &Analysis, toks: &[Token], sc: &mut TagScratch) {
        decoding_rules(&mut sc.em, a, toks);
        viterbi(&sc.em, &self.trans, &self.start, &mut sc.back, &mut sc.out);
    }

    /// Features and emission scores of a token sequence into `sc.em`.
    fn emit_with(
        &self,
        res: &Resources,
        d: Dyn,
        a: &Analysis,
        toks: &[Token],
        sc: &mut TagScratch,
    ) {
        sc.feats.clear();
        extract(
            res,
            d,
            a,
            toks,
            self.cfg,
            &mut sc.fx,
            &mut sc.feats,
            &mut sc.offs,
        );
        self.emissions(&sc.feats, &sc.offs, &mut sc.em);
    }

    /// Tag indices of a token sequence with this tagger's own dictionaries, no document codes.
    pub(crate) fn decode(&self, d: Dyn, a: &Analysis, toks: &[Token], sc: &mut TagScratch) {
        self.decode_with(&self.res, d, a, toks, sc)
    }

    /// Tag indices of a document's sentences (each a text, its analysis and a token range):
    /// with a first stage, it tags everything first and its tags give the document codes of
    /// the second.
    pub(crate) fn decode_doc(
        &self,
        seqs: &[(&str, &Analysis, std::ops::Range<usize>)],
        sc: &mut TagScratch,
    ) -> Vec<Vec<u8>> {
        let base = self.res.dyn_();
        let Some(first) = self.first.as_deref() else {
            return seqs
                .iter()
                .map(|(_, a, r)| {
                    self.decode_final(base, a, &a.tokens[r.clone()], sc);
                    sc.out.clone()
                })
                .collect();
        };
        // the second stage's features are the first's plus the document group, when the two
        // stages were trained that way (they are): keep the first's and add the rest
        let reuse = first.cfg.bits == self.cfg.bits && first.cfg.mask == self.cfg.mask & !DOC;
        let mut keys = Vec::with_capacity(seqs.len());
        let mut labels = Vec::with_capacity(seqs.len());
        let mut kept = Vec::with_capacity(if reuse { seqs.len() } else { 0 });
        for (_, a, r) in seqs {
            first.decode_with(&self.res, base, a, &a.tokens[r.clone()], sc);
            keys.push(sc.fx.keys.clone());
            labels.push(sc.out.clone());
            if reuse {
                kept.push((sc.feats.clone(), sc.offs.clone(), sc.fx.atoms.clone()));
            }
        }
        let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        let lr: Vec<&[u8]> = labels.iter().map(Vec::as_slice).collect();
        let codes = doc_codes(&kr, &lr, &self.res.gaz);
        let mut out: Vec<Vec<u8>> = Vec::with_capacity(seqs.len());
        for (i, ((_, a, r), c)) in seqs.iter().zip(&codes).enumerate() {
            match kept.get_mut(i) {
                Some((bf, bo, atoms)) => {
                    std::mem::swap(&mut sc.fx.atoms, atoms);
                    sc.feats.clear();
                    extend_doc(&mut sc.fx, c, self.cfg, bf, bo, &mut sc.feats, &mut sc.offs);
                    self.emissions(&sc.feats, &sc.offs, &mut sc.em);
                    self.finish_final(a, &a.tokens[r.clone()], sc);
                }
                None => {
                    let d = Dyn { doc: c, ..base };
                    self.decode_final(d, a, &a.tokens[r.clone()], sc);
                }
            }
            out.push(sc.out.clone());
        }
        self.after_decoding(seqs, &keys, &mut out);
        out
    }

    /// What follows the final stage's Viterbi over a whole document: the discourse step (when
    /// it is on), then [`quoted_names`]. `ner eval`, tagging and training's dev score all end here.
    pub(crate) fn after_decoding(
        &self,
        seqs: &[(&str, &Analysis, std::ops::Range<usize>)],
        keys: &[impl AsRef<[u64]>],
        out: &mut [Vec<u8>],
    ) {
        self.discourse_step(seqs, keys, out);
        quoted_names(seqs, out);
    }

    /// The one-sense-per-discourse step over a document's tags (when it is on): `keys` are the
    /// [`token_keys`](crate::features::token_keys) of each sequence's tokens.
    pub(crate) fn discourse_step(
        &self,
        seqs: &[(&str, &Analysis, std::ops::Range<usize>)],
        keys: &[impl AsRef<[u64]>],
        out: &mut [Vec<u8>],
    ) {
        if !self.discourse {
            return;
        }
        let dk: Vec<Vec<u64>> = seqs
            .iter()
            .zip(keys)
            .map(|((text, a, r), ks)| {
                a.tokens[r.clone()]
                    .iter()
                    .zip(ks.as_ref())
                    .map(|(t, &k)| discourse_key(text, t, k))
                    .collect()
            })
            .collect();
        let dr: Vec<&[u64]> = dk.iter().map(Vec::as_slice).collect();
        let dates = date_keys();
        crate::discourse::trim_dates(&dr, |k| dates.contains(&k), out);
        crate::discourse::propagate(&dr, out);
    }

    /// Tag an analysed text: entity spans in text order. `analysis` must be the analysis of
    /// `text` (a mismatched pair gives meaningless spans but never panics).
    pub fn tag(&self, text: &str, analysis: &Analysis) -> Vec<EntitySpan> {
        let mut sc = TagScratch::default();
        let mut out = Vec::new();
        let seqs: Vec<(&str, &Analysis, std::ops::Range<usize>)> = sentence_ranges(analysis)
            .into_iter()
            .map(|(a, b)| (text, analysis, a..b))
            .collect();
        let preds = self.decode_doc(&seqs, &mut sc);
        let mut tags = Vec::new();
        for ((_, _, r), pred) in seqs.iter().zip(&preds) {
            let toks = &analysis.tokens[r.clone()];
            tags.clear();
            tags.extend(pred.iter().map(|&k| lab_to_tag(k as usize)));
            for (s, e, label) in crate::score::spans(&tags) {
                let (first, last) = (&toks[s], &toks[e - 1]);
                let start = span_start(text, first);
                // the whole last token: a name takes no pronoun suffix, so a suffix the
                // segmenter split off a name is part of it (كوباني is not كوبا+ني)
                out.push(EntitySpan {
                    start,
                    end: last.end.max(start),
                    label,
                    first_token: r.start + s,
                    last_token: r.start + e - 1,
                });
            }
        }
        out
    }

    /// Tag the sentences of a CoNLL file (a document, in order): one tag per given token. Each
    /// sentence is rebuilt as text by joining its tokens with spaces, analysed, tagged and
    /// projected back to the given tokens.
    pub fn tag_sentences(&self, sents: &[Vec<String>], an: &mut Analyzer) -> Vec<Vec<Tag>> {
        let al: Vec<crate::train::Aligned> = sents
            .iter()
            .map(|t| crate::train::Aligned::new(t, an))
            .collect();
        let seqs: Vec<_> = al.iter().map(crate::train::Aligned::seq).collect();
        let mut sc = TagScratch::default();
        let preds = self.decode_doc(&seqs, &mut sc);
        al.iter().zip(&preds).map(|(a, p)| a.project(p)).collect()
    }

    /// Tag the tokens of one CoNLL sentence on its own (see [`Tagger::tag_sentences`]).
    pub fn tag_tokens(&self, tokens: &[String], an: &mut Analyzer) -> Vec<Tag> {
        self.tag_sentences(&[tokens.to_vec()], an)
            .pop()
            .unwrap_or_default()
    }
}

/// Decoding rules of the final stage (the model is unchanged):
/// - a person's name does not go on across the conjunction: a token the segmenter reads as و +
///   word (وعمرو, ورايس) cannot continue a PERS span, so `بوش ورايس` is two people and
///   `فتحي عبد الوهاب وجومانا مراد` two names. Names that begin with و are whole words to the
///   segmenter (وليد, وقاص, ويلكس) and unaffected. Other types are left alone: a conjunction
///   inside an organisation's or a place's name is common (`وزارة العمل والتدريب`, `البوسنة
///   والهرسك`);
/// - a preposition with a pronoun (لي "to me", له, بها: a one-letter stem and a pronoun suffix)
///   is no name by itself; it may still be part of one (لي تشاو شينغ, بروس لي).
fn decoding_rules(em: &mut [[f32; N_TAGS]], a: &Analysis, toks: &[Token]) {
    // I-PERS and L-PERS (labels 1 + 4 × type + position; PERS is type 0)
    const CONTINUE_PERS: [usize; 2] = [2, 3];
    // U- of each type
    const UNITS: [usize; 4] = [4, 8, 12, 16];
    for (e, t) in em.iter_mut().zip(toks) {
        if t.seg.proclitics().next() == Some(Proclitic::Wa) {
            for k in CONTINUE_PERS {
                e[k] = -1e9;
            }
        }
        if t.seg.enclitic().is_some() && a.match_stem(t).chars().count() == 1 {
            for k in UNITS {
                e[k] = -1e9;
            }
        }
    }
}

/// The match-form stems of the cue words of `data/dict/quote_cues.tsv` (برنامج, فيلم, صحيفة,
/// حركة …), analysed as the text core analyses them in running text, with their labels.
fn quote_cues() -> &'static rustc_hash::FxHashMap<String, crate::NerLabel> {
    static CUES: OnceLock<rustc_hash::FxHashMap<String, crate::NerLabel>> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut cues = rustc_hash::FxHashMap::default();
        one_word_rows(
            include_str!("../../../data/dict/quote_cues.tsv"),
            |f, a, t| {
                // the header's `label` parses as no label
                if let Some(label) = f.get(1).copied().and_then(crate::NerLabel::parse) {
                    cues.insert(a.match_stem(t).to_string(), label);
                }
            },
        );
        cues
    })
}

/// Each row of an embedded TSV data file whose first field is one word (comment and blank
/// lines skipped; so are rows of several words), with that word analysed as running text:
/// `each(fields, analysis, token)`. The header row comes too: `each` tells it by its fields.
fn one_word_rows(tsv: &str, mut each: impl FnMut(&[&str], &Analysis, &Token)) {
    let mut an = Analyzer::new();
    for line in tsv
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        let a = an.analyze(&marsad_text::Document::new(f[0]));
        if let [t] = a.tokens.as_slice() {
            each(&f, &a, t);
        }
    }
}

/// Is the token nothing but quotation marks of `marks`? (Punctuation tokens only: the test
/// runs on every token of every document.)
fn is_quote(text: &str, t: &Token, marks: &str) -> bool {
    t.kind == TokenKind::Punct
        && text
            .get(t.byte_start as usize..t.byte_end as usize)
            .is_some_and(|w| !w.is_empty() && w.chars().all(|c| marks.contains(c)))
}

/// Quoted names after a cue word of [`quote_cues`]: a quoted run of one to six tokens right
/// after the word (`برنامج « الناس وأنا »`, `فيلم "حلم"`, `صحيفة " الشرق الأوسط "`) takes the
/// word's type (MISC: a title; ORG: an organisation) where the tagger left all of it `O`, or
/// found exactly that run as one span of another type (the newspaper `الشرق الأوسط` is no
/// region). A title is made of common words (`حكايات`, `أصل الكلمة`), which the tagger
/// leaves untagged. A span the tagger found inside the quotes, or across them, is left as it
/// is. In 5-fold cross-validation over ANERcorp-train (out-of-fold predictions) the rule finds
/// 29 more correct spans and loses one, F1 78.98 → 79.19 (most of its wrong spans are titles
/// some annotators left untagged, `مسلسل " قلب حبيبة "`; the lost one is a hospital's name,
/// `مستشفى " شهداء الأقصى "`, which ANERcorp tags MISC).
fn quoted_names(seqs: &[(&str, &Analysis, std::ops::Range<usize>)], out: &mut [Vec<u8>]) {
    const MAX_WORDS: usize = 6;
    let cues = quote_cues();
    for ((text, a, r), lab) in seqs.iter().zip(out.iter_mut()) {
        let Some(toks) = a.tokens.get(r.clone()) else {
            continue;
        };
        if toks.len() != lab.len() {
            continue;
        }
        // opening and closing marks (straight quotes are both; « … » and “ … ” each one)
        let opening = |i: usize| is_quote(text, &toks[i], "«“„\"'");
        let closing = |i: usize| is_quote(text, &toks[i], "»”\"'");
        for i in 1..toks.len() {
            // a cue word, then opening quotation marks (checked first: they are rarer)
            if !opening(i) {
                continue;
            }
            let Some(&label) = cues.get(a.match_stem(&toks[i - 1])) else {
                continue;
            };
            // the words up to the closing marks
            let mut s = i + 1;
            while s < toks.len() && opening(s) {
                s += 1;
            }
            let mut e = s;
            while e < toks.len() && e - s <= MAX_WORDS && !closing(e) && !opening(e) {
                e += 1;
            }
            if e == s || e - s > MAX_WORDS || e == toks.len() || !closing(e) {
                continue;
            }
            if lab[s..e].iter().all(|&k| k == 0) || one_span_of_another_type(&lab[s..e], label) {
                crate::put_span(&mut lab[s..e], label);
            }
        }
    }
}

/// Are `labs` (BILOU label indices) exactly one span, of a type other than `label`?
fn one_span_of_another_type(labs: &[u8], label: crate::NerLabel) -> bool {
    let Some(ty) = labs.first().and_then(|&k| lab_type(k as usize)) else {
        return false;
    };
    // one span: U alone, or B, I …, L (positions 3; 0, 1 …, 2)
    let last = labs.len() - 1;
    let one = labs.iter().enumerate().all(|(j, &k)| {
        let want = match (j == 0, j == last) {
            (true, true) => 3,
            (true, false) => 0,
            (false, true) => 2,
            (false, false) => 1,
        };
        lab_type(k as usize) == Some(ty) && lab_pos(k as usize) == want
    });
    ty != label && one
}

/// Token ranges of the sentences of an analysis, covering every token once (tokens outside
/// any sentence form ranges of their own).
pub(crate) fn sentence_ranges(analysis: &Analysis) -> Vec<(usize, usize)> {
    let n = analysis.tokens.len();
    let mut ranges = Vec::with_capacity(analysis.sentences.len() + 1);
    let mut pos = 0usize;
    for s in &analysis.sentences {
        let a = analysis
            .tokens
            .partition_point(|t| t.start < s.start)
            .max(pos);
        let b = analysis.tokens.partition_point(|t| t.start < s.end).max(a);
        if a > pos {
            ranges.push((pos, a));
        }
        if b > a {
            ranges.push((a, b));
        }
        pos = pos.max(b);
    }
    if pos < n {
        ranges.push((pos, n));
    }
    ranges
}

/// The key by which the discourse step finds a word again: the word as written, less the
/// one-letter proclitics. `k` is its [`token_key`](crate::features::token_key) hash; the
/// article and a pronoun suffix stay part of the key (العربي the club is not عربي, an Arab),
/// and so does a final ى, which the match form folds to ي (على "on" is not علي, Ali).
fn discourse_key(text: &str, t: &Token, k: u64) -> u64 {
    let al = t.seg.proclitics().any(|p| p == Proclitic::Al);
    let ya = ends_in_alef_maqsura(text, t);
    crate::hash::mix(
        crate::hash::mix(k, al as u64 | (ya as u64) << 1),
        t.seg.enclitic().map_or(0, crate::hash::hash_str),
    )
}

/// The discourse keys of the one-word weekday and relative-day words of
/// `data/events/dates.tsv` (the coder's date list: `الخميس`, `أمس`, `اليوم`).
fn date_keys() -> &'static rustc_hash::FxHashSet<u64> {
    static KEYS: std::sync::OnceLock<rustc_hash::FxHashSet<u64>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut buf = String::new();
        let mut keys = rustc_hash::FxHashSet::default();
        one_word_rows(include_str!("../../../data/events/dates.tsv"), |f, a, t| {
            if matches!(f.get(1), Some(&"weekday" | &"relative")) {
                let k = crate::hash::hash_str(crate::features::token_key(a, t, &mut buf));
                keys.insert(discourse_key(f[0], t, k));
            }
        });
        keys
    })
}

/// Does the token, as written in `text`, end in ى (alef maqsura; marks and tatweel aside)?
/// False where the token's offsets do not slice `text`.
fn ends_in_alef_maqsura(text: &str, t: &Token) -> bool {
    text.get(t.byte_start as usize..t.byte_end as usize)
        .and_then(|w| {
            w.chars()
                .rev()
                .find(|&c| !marsad_text::normalize::is_ignorable(c))
        })
        == Some('ى')
}

/// Start of a mention on its first token: after the proclitics, but keeping a written-out
/// article (والعراق → العراق; للعراق → عراق), and the whole word where what follows the
/// proclitics has two letters or fewer, which is no name (بان of بان كي مون is no ب+ان, كيا
/// no ك+يا).
fn span_start(text: &str, t: &Token) -> u32 {
    if t.kind != TokenKind::Arabic || t.stem_start <= t.start || t.stem_start > t.end {
        return t.stem_start.clamp(t.start, t.end.max(t.start));
    }
    let Some(surface) = text.get(t.byte_start as usize..t.byte_end as usize) else {
        return t.stem_start;
    };
    let rel = (t.stem_start - t.start) as usize;
    let al = t.seg.proclitics().any(|p| p == Proclitic::Al);
    let rest = surface
        .chars()
        .skip(rel)
        .filter(|c| !marsad_text::normalize::is_ignorable(*c))
        .count();
    if rest <= 2 && !al {
        return t.start;
    }
    if !al {
        return t.stem_start;
    }
    let before: Vec<(usize, char)> = surface
        .chars()
        .take(rel)
        .enumerate()
        .filter(|(_, c)| !marsad_text::normalize::is_ignorable(*c))
        .collect();
    match before.as_slice() {
        [.., (i, 'ا' | 'ٱ'), (_, 'ل')] => t.start + *i as u32,
        _ => t.stem_start,
    }
}

// ---------------------------------------------------------------- model file

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(ModelError::Corrupt(self.pos))?;
        let s = self
            .b
            .get(self.pos..end)
            .ok_or(ModelError::Corrupt(self.pos))?;
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2")))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8")))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let v = f32::from_le_bytes(self.take(4)?.try_into().expect("4"));
        if v.is_finite() {
            Ok(v)
        } else {
            Err(ModelError::Corrupt(self.pos))
        }
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            v |= ((b & 0x7F) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt(self.pos))
    }
    /// A count of items of `size` bytes each, checked against the bytes left.
    fn count(&mut self, size: usize) -> Result<usize, ModelError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(size) > self.b.len() - self.pos {
            return Err(ModelError::Corrupt(self.pos));
        }
        Ok(n)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Read one stage: feature mask, O penalty, weights (quantised rows), start and transitions.
fn read_stage(r: &mut Reader, bits: u32) -> Result<Tagger, ModelError> {
    let mask = r.u32()?;
    let o_penalty = r.f32()?;
    let scale = r.f32()?;
    let mut start = [0f32; N_TAGS];
    for s in &mut start {
        *s = r.f32()?;
    }
    let mut trans = [[0f32; N_TAGS]; N_TAGS];
    for row in &mut trans {
        for x in row.iter_mut() {
            *x = r.f32()?;
        }
    }
    let rows = 1usize << bits;
    let mut w = vec![0i16; rows * N_TAGS];
    let n = r.count(1 + 2 * N_TAGS)?;
    let mut row = 0u64;
    for i in 0..n {
        let d = r.varint()?;
        row = if i == 0 { d } else { row.saturating_add(d) };
        if row >= rows as u64 {
            return Err(ModelError::Corrupt(r.pos));
        }
        let base = row as usize * N_TAGS;
        for k in 0..N_TAGS {
            w[base + k] = r.u16()? as i16;
        }
    }
    let (rows, scale) = relative_rows(&w, scale);
    Ok(Tagger {
        res: Resources::default(),
        cfg: FeatCfg { bits, mask },
        weights: Weights::Rel { rows, scale },
        trans,
        start,
        o_penalty,
        first: None,
        discourse: true,
        trained_on: Vec::new(),
    })
}

fn write_stage(t: &Tagger, out: &mut Vec<u8>) {
    let q = t.quantized();
    let (w, scale) = match q.weights {
        Weights::I16 { w, scale } => (w, scale),
        Weights::Rel { rows, scale } => (full_rows(&rows), scale),
        Weights::F32(_) => unreachable!("quantized"),
    };
    out.extend_from_slice(&t.cfg.mask.to_le_bytes());
    out.extend_from_slice(&t.o_penalty.to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for s in &t.start {
        out.extend_from_slice(&s.to_le_bytes());
    }
    for row in &t.trans {
        for x in row {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    let rows: Vec<usize> = (0..w.len() / N_TAGS)
        .filter(|&r| w[r * N_TAGS..(r + 1) * N_TAGS].iter().any(|&x| x != 0))
        .collect();
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    let mut prev = 0usize;
    for (i, &r) in rows.iter().enumerate() {
        put_varint(out, if i == 0 { r } else { r - prev } as u64);
        prev = r;
        for &x in &w[r * N_TAGS..(r + 1) * N_TAGS] {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

impl Tagger {
    /// Read a model file (as written by [`Tagger::to_bytes`]).
    pub fn load(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(8).map_err(|_| ModelError::Magic)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let ver = r.u32()?;
        let levels = match ver {
            1 => crate::features::EX_LEVELS,
            FEATURE_VERSION => CL_LEVELS,
            _ => return Err(ModelError::Version(ver)),
        };
        let bits = r.u32()?;
        let n_tags = r.u32()? as usize;
        if !(8..=24).contains(&bits) || n_tags != N_TAGS {
            return Err(ModelError::Corrupt(r.pos));
        }
        let mut res = Resources::default();
        let n = r.count(8 + 2 * levels)?;
        res.clusters.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let mut ids = [0u16; CL_LEVELS];
            for id in &mut ids[..levels] {
                *id = r.u16()?;
            }
            res.clusters.insert(k, ids);
        }
        for d in [&mut res.gaz, &mut res.lex] {
            let n = r.count(12)?;
            d.map.reserve(n);
            for _ in 0..n {
                let k = r.u64()?;
                let f = r.u32()?;
                d.map.insert(k, f);
            }
        }
        let n = r.count(9)?;
        res.priors.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let p = r.take(1)?[0];
            res.priors.insert(k, p);
        }
        let mut t = read_stage(&mut r, bits)?;
        t.res = res;
        match r.u32()? {
            0 => {}
            1 => t.first = Some(Box::new(read_stage(&mut r, bits)?)),
            _ => return Err(ModelError::Corrupt(r.pos)),
        }
        // optional (files since 2026-12-05): the training sentences' fingerprints, sorted
        if r.pos < bytes.len() {
            let n = r.count(8)?;
            t.trained_on.reserve(n);
            for _ in 0..n {
                t.trained_on.push(r.u64()?);
            }
            if !t.trained_on.is_sorted() {
                return Err(ModelError::Corrupt(r.pos));
            }
        }
        if r.pos != bytes.len() {
            return Err(ModelError::Corrupt(r.pos));
        }
        Ok(t)
    }

    /// Quantise the weights to 16 bits (what a model file holds).
    pub fn quantized(&self) -> Tagger {
        let mut t = self.clone();
        if let Weights::F32(w) = &self.weights {
            let max = w.iter().fold(0f32, |m, &x| m.max(x.abs()));
            let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
            let q = w
                .iter()
                .map(|&x| (x / scale).round().clamp(-32767.0, 32767.0) as i16)
                .collect();
            t.weights = Weights::I16 { w: q, scale };
        }
        t.first = self.first.as_ref().map(|f| Box::new(f.quantized()));
        t
    }

    /// The model file: header, dictionaries, then each stage's non-zero weight rows.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&self.cfg.bits.to_le_bytes());
        out.extend_from_slice(&(N_TAGS as u32).to_le_bytes());
        let mut cl: Vec<(u64, [u16; CL_LEVELS])> =
            self.res.clusters.iter().map(|(&k, &v)| (k, v)).collect();
        cl.sort_unstable();
        out.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (k, ids) in cl {
            out.extend_from_slice(&k.to_le_bytes());
            for id in ids {
                out.extend_from_slice(&id.to_le_bytes());
            }
        }
        for d in [&self.res.gaz, &self.res.lex] {
            let v = d.sorted();
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            for (k, f) in v {
                out.extend_from_slice(&k.to_le_bytes());
                out.extend_from_slice(&f.to_le_bytes());
            }
        }
        let mut pr: Vec<(u64, u8)> = self.res.priors.iter().map(|(&k, &v)| (k, v)).collect();
        pr.sort_unstable();
        out.extend_from_slice(&(pr.len() as u32).to_le_bytes());
        for (k, p) in pr {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(p);
        }
        write_stage(self, &mut out);
        match &self.first {
            None => out.extend_from_slice(&0u32.to_le_bytes()),
            Some(f) => {
                out.extend_from_slice(&1u32.to_le_bytes());
                write_stage(f, &mut out);
            }
        }
        if !self.trained_on.is_empty() {
            out.extend_from_slice(&(self.trained_on.len() as u32).to_le_bytes());
            for h in &self.trained_on {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NerLabel;

    #[test]
    fn a_quoted_run_is_retyped_only_when_it_is_exactly_one_name_of_another_type() {
        // BILOU label indices: 1 + 4 × type + position (B 0, I 1, L 2, U 3); LOC is type 1
        let (b, i, l, u) = (5u8, 6u8, 7u8, 8u8);
        let org_u = 1 + 4 * 2 + 3;
        for (labs, want) in [
            (vec![u], true),             // one word, a place
            (vec![b, l], true),          // two words, one place
            (vec![b, i, l], true),       // three
            (vec![org_u], false),        // already an organisation
            (vec![u, u], false),         // two names
            (vec![0, u], false),         // a name inside the quotes, not all of them
            (vec![b, i], false),         // a name that runs on past the quotes
            (vec![1 + 3, 5 + 2], false), // two types
            (vec![], false),
        ] {
            assert_eq!(
                one_span_of_another_type(&labs, NerLabel::Org),
                want,
                "{labs:?}"
            );
        }
    }

    #[test]
    fn the_conjunction_ends_a_person_but_not_a_place() {
        let text = "بوش ورايس";
        let a = Analyzer::new().analyze(&marsad_text::Document::new(text));
        assert_eq!(a.tokens[1].seg.proclitics().next(), Some(Proclitic::Wa));
        // scores that want one span over both words: B then L of a type, U of it a little less
        let decode = |ty: usize, ban: bool| {
            let (b, l, u) = (1 + 4 * ty, 3 + 4 * ty, 4 + 4 * ty);
            let mut em = vec![[0f32; N_TAGS]; 2];
            (em[0][b], em[0][u], em[1][l], em[1][u]) = (10.0, 9.0, 10.0, 8.0);
            if ban {
                decoding_rules(&mut em, &a, &a.tokens);
            }
            let (mut back, mut out) = (Vec::new(), Vec::new());
            let zero = [[0f32; N_TAGS]; N_TAGS];
            viterbi(&em, &zero, &[0.0; N_TAGS], &mut back, &mut out);
            out.iter()
                .map(|&k| (lab_type(k as usize), lab_pos(k as usize)))
                .collect::<Vec<_>>()
        };
        let pers = Some(NerLabel::Pers);
        assert_eq!(decode(0, false), [(pers, 0), (pers, 2)]);
        assert_eq!(decode(0, true), [(pers, 3), (pers, 3)]);
        let loc = Some(NerLabel::Loc);
        assert_eq!(decode(1, true), [(loc, 0), (loc, 2)]);
    }

    #[test]
    fn a_preposition_with_a_pronoun_is_no_name_by_itself() {
        let text = "قال لي";
        let a = Analyzer::new().analyze(&marsad_text::Document::new(text));
        assert_eq!(a.match_stem(&a.tokens[1]), "ل");
        let decode = |em: Vec<[f32; N_TAGS]>| {
            let mut em = em;
            decoding_rules(&mut em, &a, &a.tokens);
            let (mut back, mut out) = (Vec::new(), Vec::new());
            let zero = [[0f32; N_TAGS]; N_TAGS];
            viterbi(&em, &zero, &[0.0; N_TAGS], &mut back, &mut out);
            out
        };
        // U-PERS on لي alone is wanted most: it is O
        let mut em = vec![[0f32; N_TAGS]; 2];
        em[1][4] = 10.0;
        assert_eq!(decode(em), [0, 0]);
        // the end of a longer name it may be: B-PERS قال, L-PERS لي
        let mut em = vec![[0f32; N_TAGS]; 2];
        (em[0][1], em[1][3]) = (10.0, 10.0);
        assert_eq!(decode(em), [1, 3]);
    }

    #[test]
    fn relative_rows_are_exact_when_they_fit_and_coarser_by_a_factor_when_not() {
        let mut w = vec![0i16; 2 * N_TAGS];
        w[0] = 100; // O
        w[1] = -200;
        w[2] = 100;
        w[N_TAGS] = -30000;
        w[N_TAGS + 3] = 30000; // 60,000 above O: does not fit 16 bits
        let (rows, scale) = relative_rows(&w, 0.5);
        assert_eq!(scale, 1.0, "the grid is twice as coarse");
        assert_eq!(rows[0].0[0], -150);
        assert_eq!(rows[0].0[1], 0);
        assert_eq!(rows[1].0[2], 30000);
        assert_eq!(rows[1].0[0], 15000, "0 - (-30000) = 30000, halved");
        let w = [7i16; N_TAGS];
        let (rows, scale) = relative_rows(&w, 0.25);
        assert_eq!((rows[0], scale), (RelRow::default(), 0.25));
        assert_eq!(full_rows(&rows), vec![0; N_TAGS]);
    }

    #[test]
    fn relative_rows_tag_as_the_full_rows_do() {
        let t = Tagger::builtin();
        assert!(
            matches!(t.weights, Weights::Rel { .. }),
            "a loaded model tags with Rel"
        );
        let full = |t: &Tagger| {
            let mut f = t.clone();
            if let Weights::Rel { rows, scale } = &t.weights {
                f.weights = Weights::I16 {
                    w: full_rows(rows),
                    scale: *scale,
                };
            }
            f
        };
        let mut slow = full(t);
        slow.first = t.first.as_deref().map(|f| Box::new(full(f)));
        let text = "قال وزير الخارجية السعودي الأمير فيصل بن فرحان في الرياض إن المملكة تدعم \
                    جهود الأمم المتحدة في اليمن، فيما التقى الرئيس الأمريكي دونالد ترامب \
                    نظيره الفرنسي إيمانويل ماكرون في باريس.";
        let mut an = Analyzer::new();
        let a = an.analyze(&marsad_text::Document::new(text));
        let fast = t.tag(text, &a);
        assert!(fast.len() >= 5, "{fast:?}");
        assert_eq!(fast, slow.tag(text, &a));
        // the em rows differ by a constant per token: O is 0 in the relative rows
        let mut sc = TagScratch::default();
        t.decode(t.res.dyn_(), &a, &a.tokens, &mut sc);
        let rel = sc.em.clone();
        slow.decode(slow.res.dyn_(), &a, &a.tokens, &mut sc);
        for (r, s) in rel.iter().zip(&sc.em) {
            for k in 0..N_TAGS {
                assert!((r[k] - r[0] - (s[k] - s[0])).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn the_discourse_key_keeps_the_article_the_suffix_and_a_final_alef_maqsura() {
        let text = "على علي وعلي علىٰ العربي عربي كتابه كتاب";
        let mut an = Analyzer::new();
        let a = an.analyze(&marsad_text::Document::new(text));
        let keys = crate::features::token_keys(&a, &a.tokens);
        let dk: Vec<u64> = a
            .tokens
            .iter()
            .zip(&keys)
            .map(|(t, &k)| discourse_key(text, t, k))
            .collect();
        assert_eq!(dk.len(), 8);
        assert_eq!(keys[0], keys[1], "the match form folds ى to ي");
        assert_ne!(dk[0], dk[1], "على (on) is not علي (Ali)");
        assert_eq!(dk[1], dk[2], "a conjunction is not part of the key");
        assert_eq!(dk[0], dk[3], "a mark after ى changes nothing");
        assert_ne!(dk[4], dk[5], "the article stays");
        assert_ne!(dk[6], dk[7], "the pronoun suffix stays");
    }
}
