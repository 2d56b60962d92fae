//! Features of a token in its sentence, hashed into a fixed-size table.
//!
//! Each token is first reduced to a few *atoms* (hashes of its match form, clitic-free stem,
//! search stem, clitic pattern, affixes and shape; its word-cluster ids; gazetteer and lexicon
//! flags). Feature templates combine the atoms of the token and its ±2 window; a feature is the
//! top `bits` bits of a hash of (template, values), so the model is a dense table of
//! `2^bits × tags` weights and needs no feature dictionary.

use crate::dict::Dict;
use crate::hash::{fmix, hash_str, mix};
use marsad_text::{Analysis, Analyzer, Document, Proclitic, Token, TokenKind};
use rustc_hash::FxHashMap;

/// Number of word-cluster granularities: the exchange clusters (coarse to fine), then the
/// k-means classes of our word embeddings (coarse to fine, see [`crate::embed`]).
pub const CL_LEVELS: usize = EX_LEVELS + EMB_LEVELS;
/// Granularities of the exchange clusters (`models/clusters.tsv`).
pub const EX_LEVELS: usize = 3;
/// Granularities of the embedding classes (`models/embclusters.tsv`).
pub const EMB_LEVELS: usize = 3;

/// Gazetteer flags.
pub mod gaz {
    /// ANERGazet person-name word
    pub const AG_PERS: u32 = 1 << 0;
    /// ANERGazet location
    pub const AG_LOC: u32 = 1 << 1;
    /// ANERGazet organisation
    pub const AG_ORG: u32 = 1 << 2;
    /// country name (CLDR, ISO)
    pub const COUNTRY: u32 = 1 << 3;
    /// city name (GeoNames)
    pub const CITY: u32 = 1 << 4;
    /// continent or region (CLDR, GeoNames)
    pub const REGION: u32 = 1 << 5;
    /// WikiFANE entity names by coarse type (PER ORG GPE LOC FAC PRO VEH WEA)
    pub const WF_PER: u32 = 1 << 6;
    pub const WF_ORG: u32 = 1 << 7;
    pub const WF_GPE: u32 = 1 << 8;
    pub const WF_LOC: u32 = 1 << 9;
    pub const WF_FAC: u32 = 1 << 10;
    pub const WF_PRO: u32 = 1 << 11;
    pub const WF_OTHER: u32 = 1 << 12;
    /// a word of a WikiFANE person name (first names, family names)
    pub const WF_PER_WORD: u32 = 1 << 13;
    /// a word of a WikiFANE organisation name
    pub const WF_ORG_WORD: u32 = 1 << 14;
    /// a Universal-PETRARCH Arabic actor (people, organisations, places; lemma forms)
    pub const ACTOR: u32 = 1 << 15;
    /// a Universal-PETRARCH Arabic agent (roles: minister, army, rebels …)
    pub const AGENT: u32 = 1 << 16;
    /// our actor dictionary (`data/dict/actors.tsv`) by type, and the words of its person names
    pub const DICT_PER: u32 = 1 << 17;
    pub const DICT_ORG: u32 = 1 << 18;
    pub const DICT_LOC: u32 = 1 << 19;
    pub const DICT_PER_WORD: u32 = 1 << 20;
    /// our agent dictionary (`data/dict/agents.tsv`: role words)
    pub const DICT_AGENT: u32 = 1 << 21;
    /// a nationality adjective in any inflection (`data/dict/nationalities.tsv`): after a
    /// name it marks a club or a person (هامبورغ الألماني, البرازيلي فريد), not a place
    pub const NATIONALITY: u32 = 1 << 22;
    /// WikiFANE fine classes: sports teams and media (newspapers, channels)
    pub const WF_SPORTS: u32 = 1 << 23;
    pub const WF_MEDIA: u32 = 1 << 24;
    /// topic cue words (`data/dict/topics.tsv`): sports, arts and media, economy
    pub const TOPIC_SPORTS: u32 = 1 << 25;
    pub const TOPIC_ARTS: u32 = 1 << 26;
    pub const TOPIC_ECONOMY: u32 = 1 << 27;
    /// our organisation names that are not actors (`data/dict/organisations.tsv`): sports clubs,
    /// news outlets (a title in quotes, a paper that is also a word with its head noun),
    /// companies
    pub const ORG_CLUB: u32 = 1 << 28;
    pub const ORG_MEDIA: u32 = 1 << 29;
    pub const ORG_COMPANY: u32 = 1 << 30;
    /// the topic flags in order (bit k of a document's topic code)
    pub const TOPICS: [u32; 3] = [TOPIC_SPORTS, TOPIC_ARTS, TOPIC_ECONOMY];
}

/// The dictionaries the features read: word clusters, gazetteers and the training entity
/// lexicon (flags `type * 4 + reliability bucket`, see [`crate::train`]).
#[derive(Clone, Debug, Default)]
pub struct Resources {
    /// token-key hash → cluster id + 1 per granularity (0 = not clustered)
    pub clusters: FxHashMap<u64, [u16; CL_LEVELS]>,
    pub gaz: Dict,
    pub lex: Dict,
    /// token-key hash → how an earlier model tagged the word across unlabelled news: 2 bits per
    /// type (PERS LOC ORG MISC; share of its occurrences < 5%, < 30%, < 70%, more)
    pub priors: Priors,
}

/// Label priors of words (see [`Resources::priors`]).
pub type Priors = FxHashMap<u64, u8>;

/// The per-model dictionaries that training replaces by out-of-fold versions.
#[derive(Clone, Copy)]
pub(crate) struct Dyn<'a> {
    pub lex: &'a Dict,
    pub priors: &'a Priors,
    /// document codes of the tokens (see [`doc_codes`]); empty = none
    pub doc: &'a [u32],
}

impl Resources {
    pub(crate) fn dyn_(&self) -> Dyn<'_> {
        Dyn {
            lex: &self.lex,
            priors: &self.priors,
            doc: &[],
        }
    }
}

/// Sentences on each side whose first-stage tags count as the document context of a word.
pub const DOC_WINDOW: usize = 20;

/// Document codes: for each token of each sentence, how a first-stage tagger labelled the
/// same word (key) elsewhere within [`DOC_WINDOW`] sentences on either side. Bit 0: seen
/// elsewhere; bits 1-2: how often (1, 2-3, 4-7, more); then 2 bits per type (PERS LOC ORG
/// MISC): share of those occurrences with that type (none, < 1/3, < 2/3, more); bits 16-20:
/// the first stage's own label of the token + 1; bits 21-23: the topics of the sentence's
/// neighbourhood (see [`topic_codes`]).
pub(crate) fn doc_codes(keys: &[&[u64]], labels: &[&[u8]], gaz: &Dict) -> Vec<Vec<u32>> {
    let topics = topic_codes(keys, gaz);
    let mut counts: FxHashMap<u64, [u32; 5]> = FxHashMap::default();
    let ty = |t: u8| crate::lab_type(t as usize).map_or(0, |l| l as usize + 1);
    let add = |counts: &mut FxHashMap<u64, [u32; 5]>, s: usize, sign: i32| {
        for (&k, &t) in keys[s].iter().zip(labels[s]) {
            let e = counts.entry(k).or_insert([0; 5]);
            e[ty(t)] = (e[ty(t)] as i32 + sign) as u32;
        }
    };
    let n = keys.len();
    let mut out = Vec::with_capacity(n);
    // the window [lo, hi) around sentence i
    let (mut lo, mut hi) = (0usize, 0usize);
    for i in 0..n {
        let want_hi = (i + DOC_WINDOW + 1).min(n);
        while hi < want_hi {
            add(&mut counts, hi, 1);
            hi += 1;
        }
        let want_lo = i.saturating_sub(DOC_WINDOW);
        while lo < want_lo {
            add(&mut counts, lo, -1);
            lo += 1;
        }
        let codes = keys[i]
            .iter()
            .zip(labels[i])
            .map(|(k, &t)| {
                let mut c = counts.get(k).copied().unwrap_or([0; 5]);
                c[ty(t)] = c[ty(t)].saturating_sub(1);
                let total: u32 = c.iter().sum();
                let own = (t as u32 + 1) << 16 | topics[i] << 21;
                if total == 0 {
                    return own;
                }
                let tb = match total {
                    1 => 0,
                    2..=3 => 1,
                    4..=7 => 2,
                    _ => 3,
                };
                let mut code = 1 | tb << 1;
                for t in 0..4 {
                    let share = c[t + 1] as f64 / total as f64;
                    let b = if c[t + 1] == 0 {
                        0
                    } else if share < 0.34 {
                        1
                    } else if share < 0.67 {
                        2
                    } else {
                        3
                    };
                    code |= b << (3 + 2 * t);
                }
                code | own
            })
            .collect();
        out.push(codes);
    }
    out
}

/// Sentences on each side that count for a sentence's topics.
pub const TOPIC_WINDOW: usize = 3;

/// Topic code of each sentence: bit k is set when the sentence and its [`TOPIC_WINDOW`]
/// neighbours on either side hold at least 3 cue words of topic k ([`gaz::TOPICS`]). A
/// city in a sports report is usually a club (ستيوا بوخارست, برشلونة), a title in an arts
/// report a programme.
pub(crate) fn topic_codes(keys: &[&[u64]], gaz: &Dict) -> Vec<u32> {
    let per: Vec<[u32; 3]> = keys
        .iter()
        .map(|ks| {
            let mut c = [0u32; 3];
            for &k in ks.iter() {
                let f = gaz.get(&[k]);
                for (n, t) in c.iter_mut().zip(gaz::TOPICS) {
                    *n += (f & t != 0) as u32;
                }
            }
            c
        })
        .collect();
    (0..keys.len())
        .map(|i| {
            let lo = i.saturating_sub(TOPIC_WINDOW);
            let hi = (i + TOPIC_WINDOW + 1).min(keys.len());
            let mut code = 0;
            for k in 0..3 {
                if per[lo..hi].iter().map(|c| c[k]).sum::<u32>() >= 3 {
                    code |= 1 << k;
                }
            }
            code
        })
        .collect()
}

/// A problem in a data table.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Resources {
    /// Load a word-cluster table: `key<TAB>id<TAB>id<TAB>id` lines (coarse to fine; `#`
    /// comments), as written by `marsad ner clusters`, into the first granularities.
    pub fn load_clusters(&mut self, tsv: &str, file: &str) -> Result<usize, DataError> {
        self.load_clusters_at(tsv, file, 0)
    }

    /// Load a word-cluster table into the granularities from `first` on (the embedding
    /// classes go to [`EX_LEVELS`]).
    pub fn load_clusters_at(
        &mut self,
        tsv: &str,
        file: &str,
        first: usize,
    ) -> Result<usize, DataError> {
        let mut n = 0;
        for (i, line) in tsv.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: String| DataError {
                file: file.to_string(),
                line: i + 1,
                message: m,
            };
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or("");
            let mut ids = [0u16; CL_LEVELS];
            let mut k = first;
            for c in cols {
                if k == CL_LEVELS {
                    return Err(err(format!(
                        "more than {} cluster columns",
                        CL_LEVELS - first
                    )));
                }
                let v: u16 = c
                    .parse()
                    .ok()
                    .filter(|&v: &u16| v < u16::MAX)
                    .ok_or_else(|| err(format!("bad cluster id `{c}`")))?;
                ids[k] = v + 1;
                k += 1;
            }
            if word.is_empty() || k == first {
                return Err(err("expected `word<TAB>cluster ids`".into()));
            }
            let e = self
                .clusters
                .entry(hash_str(word))
                .or_insert([0; CL_LEVELS]);
            e[first..k].copy_from_slice(&ids[first..k]);
            n += 1;
        }
        Ok(n)
    }

    /// Add names (one per item; lines without a letter are skipped) to the gazetteer with
    /// `flags` ([`gaz`]). Names are analysed like running text, so they match its keys.
    pub fn add_names<'a>(
        &mut self,
        names: impl IntoIterator<Item = &'a str>,
        flags: u32,
        an: &mut Analyzer,
    ) -> usize {
        let mut n = 0;
        for name in names {
            let name = name.trim();
            if !name.chars().any(char::is_alphabetic) {
                continue;
            }
            let a = an.analyze(&Document::new(name));
            let keys = token_keys(&a, &a.tokens);
            if !keys.is_empty() {
                self.gaz.insert(&keys, flags);
                n += 1;
            }
        }
        n
    }
}

impl Resources {
    /// Add the names of one of our own dictionaries (`data/dict/actors.tsv`: `name_ar` and
    /// `aliases` by `type`, and the words of person names; `data/dict/agents.tsv`: the
    /// `pattern` column) as gazetteer flags; returns the number of names added.
    pub fn add_dict(&mut self, file_name: &str, text: &str, an: &mut Analyzer) -> usize {
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty());
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = |n: &str| header.iter().position(|h| *h == n);
        let mut n = 0;
        if file_name.ends_with("topics.tsv") {
            let (Some(cw), Some(ct)) = (col("word"), col("topic")) else {
                return 0;
            };
            for l in lines {
                let f: Vec<&str> = l.split('\t').collect();
                let flag = match f.get(ct).map(|t| t.trim()) {
                    Some("sports") => gaz::TOPIC_SPORTS,
                    Some("arts") => gaz::TOPIC_ARTS,
                    Some("economy") => gaz::TOPIC_ECONOMY,
                    _ => continue,
                };
                if let Some(w) = f.get(cw) {
                    n += self.add_names([w.trim()], flag, an);
                }
            }
            return n;
        }
        if file_name.ends_with("organisations.tsv") {
            let (Some(ck), Some(cn), Some(ca)) = (col("kind"), col("name_ar"), col("aliases"))
            else {
                return 0;
            };
            for l in lines {
                let f: Vec<&str> = l.split('\t').collect();
                let flag = match f.get(ck).map(|t| t.trim()) {
                    Some("club") => gaz::ORG_CLUB,
                    Some("media") => gaz::ORG_MEDIA,
                    Some("company") => gaz::ORG_COMPANY,
                    _ => continue,
                };
                n += self.add_names(row_names(&f, cn, ca), flag, an);
            }
            return n;
        }
        if file_name.ends_with("nationalities.tsv") {
            let Some(c) = col("adjective") else { return 0 };
            let mut names = Vec::new();
            for l in lines {
                let Some(base) = l.split('\t').nth(c).map(str::trim) else {
                    continue;
                };
                names.push(base.to_string());
                for suf in marsad_text::stem::NISBA_SUFFIXES {
                    names.push(format!("{base}{suf}"));
                }
            }
            return self.add_names(names.iter().map(String::as_str), gaz::NATIONALITY, an);
        }
        if file_name.ends_with("agents.tsv") {
            let Some(c) = col("pattern") else { return 0 };
            let names: Vec<&str> = lines.filter_map(|l| l.split('\t').nth(c)).collect();
            return self.add_names(names, gaz::DICT_AGENT, an);
        }
        let (Some(ct), Some(cn), Some(ca)) = (col("type"), col("name_ar"), col("aliases")) else {
            return 0;
        };
        for l in lines {
            let f: Vec<&str> = l.split('\t').collect();
            let flag = match f.get(ct).copied() {
                Some("PER") => gaz::DICT_PER,
                Some("ORG") => gaz::DICT_ORG,
                Some("LOC") => gaz::DICT_LOC,
                _ => continue,
            };
            let names = row_names(&f, cn, ca);
            n += self.add_names(names.iter().copied(), flag, an);
            if flag == gaz::DICT_PER {
                for name in &names {
                    if name.contains(' ') {
                        self.add_names(name.split(' '), gaz::DICT_PER_WORD, an);
                    }
                }
            }
        }
        n
    }
}

/// The name and the `|`-separated aliases of a dictionary row (columns `cn`, `ca`); a
/// contextual alias (`عمان?`, a club's `الريان?`) is a name like any other here.
fn row_names<'a>(f: &[&'a str], cn: usize, ca: usize) -> Vec<&'a str> {
    let mut names: Vec<&str> = f.get(cn).into_iter().copied().collect();
    if let Some(a) = f.get(ca) {
        names.extend(
            a.split('|')
                .map(|x| x.trim().trim_end_matches('?').trim())
                .filter(|x| !x.is_empty()),
        );
    }
    names
}

/// The gazetteer files the tagger reads, by layout (all in `../shared/data`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GazFile {
    /// `anergazet/pers.txt`: one name word a line
    AnerPers,
    /// `anergazet/loc.txt`: one name a line, separator lines (`====`, `****`, `*`, `-`) skipped
    AnerLoc,
    /// `anergazet/org.txt`
    AnerOrg,
    /// `gazetteer/countries_ar.tsv`: CLDR, ISO and official names (capitals count as cities)
    Countries,
    /// `gazetteer/cities_ar.tsv`: the `|`-separated Arabic name candidates
    Cities,
    /// `gazetteer/cldr_territories_ar.tsv` and `gazetteer/continents_ar.tsv`: regions
    Territories,
    Continents,
    /// `wikifane/wikifane_all.conll`: the entity names of WikiFANE gold (coarse types)
    Wikifane,
    /// `petrarch-ar/actors_ar.tsv` and `agents_ar.tsv`: the `actor_text`/`agent_text` column
    Actors,
    Agents,
}

impl GazFile {
    /// Every gazetteer file with its path under `../shared/data`.
    pub const ALL: [(GazFile, &'static str); 10] = [
        (GazFile::AnerPers, "anergazet/pers.txt"),
        (GazFile::AnerLoc, "anergazet/loc.txt"),
        (GazFile::AnerOrg, "anergazet/org.txt"),
        (GazFile::Countries, "gazetteer/countries_ar.tsv"),
        (GazFile::Cities, "gazetteer/cities_ar.tsv"),
        (GazFile::Territories, "gazetteer/cldr_territories_ar.tsv"),
        (GazFile::Continents, "gazetteer/continents_ar.tsv"),
        (GazFile::Wikifane, "wikifane/wikifane_all.conll"),
        (GazFile::Actors, "petrarch-ar/actors_ar.tsv"),
        (GazFile::Agents, "petrarch-ar/agents_ar.tsv"),
    ];
}

impl Resources {
    /// Add the names of one gazetteer file (its text) with the flags of its kind; returns the
    /// number of names added.
    pub fn add_gazetteer(&mut self, kind: GazFile, text: &str, an: &mut Analyzer) -> usize {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let tsv_col = |names: &[&str], flag: u32, this: &mut Resources, an: &mut Analyzer| {
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
            let cols: Vec<usize> = names
                .iter()
                .filter_map(|n| header.iter().position(|h| h == n))
                .collect();
            let mut all = Vec::new();
            for l in lines {
                let f: Vec<&str> = l.split('\t').collect();
                for &c in &cols {
                    if let Some(v) = f.get(c) {
                        all.extend(v.split('|').map(str::trim).filter(|x| !x.is_empty()));
                    }
                }
            }
            this.add_names(all, flag, an)
        };
        match kind {
            GazFile::AnerPers => self.add_names(text.lines(), gaz::AG_PERS, an),
            GazFile::AnerLoc => self.add_names(text.lines(), gaz::AG_LOC, an),
            GazFile::AnerOrg => self.add_names(text.lines(), gaz::AG_ORG, an),
            GazFile::Countries => {
                tsv_col(
                    &[
                        "name_ar_cldr",
                        "name_ar_isocodes",
                        "official_name_ar_isocodes",
                    ],
                    gaz::COUNTRY,
                    self,
                    an,
                ) + tsv_col(&["capital_ar_candidates"], gaz::CITY, self, an)
            }
            GazFile::Cities => tsv_col(&["names_ar_candidates"], gaz::CITY, self, an),
            GazFile::Territories => tsv_col(&["name_ar"], gaz::REGION, self, an),
            GazFile::Continents => tsv_col(&["names_ar_candidates"], gaz::REGION, self, an),
            GazFile::Actors => tsv_col(&["actor_text"], gaz::ACTOR, self, an),
            GazFile::Agents => tsv_col(&["agent_text"], gaz::AGENT, self, an),
            GazFile::Wikifane => {
                let mut by_flag: Vec<(String, u32)> = Vec::new();
                // coarse classes in the third column, sports teams and media in the second
                iob_names(text, 2, &mut by_flag, |ty| match ty {
                    "PER" => gaz::WF_PER,
                    "ORG" => gaz::WF_ORG,
                    "GPE" => gaz::WF_GPE,
                    "LOC" => gaz::WF_LOC,
                    "FAC" => gaz::WF_FAC,
                    "PRO" => gaz::WF_PRO,
                    _ => gaz::WF_OTHER,
                });
                iob_names(text, 1, &mut by_flag, |ty| match ty {
                    "Sports" => gaz::WF_SPORTS,
                    "Media" => gaz::WF_MEDIA,
                    _ => 0,
                });
                by_flag.sort();
                by_flag.dedup();
                let mut n = 0;
                for (name, flag) in &by_flag {
                    n += self.add_names([name.as_str()], *flag, an);
                    let word_flag = match *flag {
                        gaz::WF_PER => gaz::WF_PER_WORD,
                        gaz::WF_ORG => gaz::WF_ORG_WORD,
                        _ => 0,
                    };
                    if word_flag != 0 && name.contains(' ') {
                        self.add_names(name.split(' '), word_flag, an);
                    }
                }
                n
            }
        }
    }
}

/// The names of a CoNLL text's IOB2 column `col` (B- starts a name, I- of the same flag
/// continues it), each with the flag `flag_of` gives its type (0: not a name), appended to
/// `out`.
fn iob_names(text: &str, col: usize, out: &mut Vec<(String, u32)>, flag_of: impl Fn(&str) -> u32) {
    let mut cur: Option<(String, u32)> = None;
    for line in text.lines().chain(std::iter::once("")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (begin, flag) = match f.get(col).and_then(|t| t.split_once('-')) {
            Some(("B", t)) => (true, flag_of(t)),
            Some(("I", t)) => (false, flag_of(t)),
            _ => (false, 0),
        };
        match cur.as_mut() {
            Some(c) if !begin && flag != 0 && c.1 == flag => {
                c.0.push(' ');
                c.0.push_str(f[0]);
            }
            _ => {
                out.extend(cur.take());
                if flag != 0 {
                    cur = Some((f[0].to_string(), flag));
                }
            }
        }
    }
}

/// The hashed [`token_key`] of each of `toks` (tokens of `a`): what dictionaries, clusters
/// and the document features look words up by.
pub(crate) fn token_keys(a: &Analysis, toks: &[Token]) -> Vec<u64> {
    let mut buf = String::new();
    toks.iter()
        .map(|t| hash_str(token_key(a, t, &mut buf)))
        .collect()
}

/// The key of a token for clusters and dictionaries: the match form of its stem (clitics
/// removed) with ة folded to ه; Latin words lower-cased; digits folded to 0.
pub fn token_key<'b>(a: &Analysis, t: &Token, buf: &'b mut String) -> &'b str {
    buf.clear();
    match t.kind {
        TokenKind::Arabic => {
            let s = a.match_stem(t);
            let s = if s.is_empty() { a.match_form(t) } else { s };
            buf.extend(s.chars().map(|c| if c == 'ة' { 'ه' } else { c }));
        }
        TokenKind::Number => {
            buf.extend(a.match_form(t).chars().take(8).map(|c| {
                if c.is_ascii_digit() {
                    '0'
                } else {
                    c
                }
            }));
        }
        TokenKind::Url => buf.push_str("<URL>"),
        TokenKind::Email => buf.push_str("<EMAIL>"),
        _ => buf.extend(a.match_form(t).chars().flat_map(char::to_lowercase)),
    }
    if buf.is_empty() {
        buf.push_str("<E>");
    }
    buf
}

/// Feature groups (bits of a feature mask); a model records the groups it was trained with.
pub mod group {
    pub const WORDS: u32 = 1 << 0;
    pub const CLITICS: u32 = 1 << 1;
    pub const AFFIXES: u32 = 1 << 2;
    pub const SHAPES: u32 = 1 << 3;
    pub const CLUSTERS: u32 = 1 << 4;
    pub const GAZETTEERS: u32 = 1 << 5;
    pub const LEXICON: u32 = 1 << 6;
    pub const PRIORS: u32 = 1 << 7;
    pub const NGRAMS: u32 = 1 << 8;
    pub const DOC: u32 = 1 << 9;
    pub const EMBED: u32 = 1 << 10;
    pub const ALL: u32 = (1 << 11) - 1;
    /// Names for the command line.
    pub const NAMES: [(&str, u32); 11] = [
        ("words", WORDS),
        ("clitics", CLITICS),
        ("affixes", AFFIXES),
        ("shapes", SHAPES),
        ("clusters", CLUSTERS),
        ("gazetteers", GAZETTEERS),
        ("lexicon", LEXICON),
        ("priors", PRIORS),
        ("ngrams", NGRAMS),
        ("doc", DOC),
        ("embeddings", EMBED),
    ];
}

/// Which features, hashed into how many rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatCfg {
    pub bits: u32,
    pub mask: u32,
}

/// Number of features that name the token itself, right after the bias feature (when the
/// word group is on); word dropout in training hides them to simulate unseen words.
pub(crate) const N_IDENTITY: usize = 5;

/// Per-token atoms.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct Atoms {
    w: u64,
    s: u64,
    ss: u64,
    clit: u64,
    pre: u64,
    shape: u64,
    aff: [u64; 6],
    cl: [u64; CL_LEVELS],
    gb: u32,
    gi: u32,
    lb: u32,
    li: u32,
    /// label prior code + 1 (0 = none)
    pr: u64,
    /// document code (0 = none)
    doc: u64,
}

fn sentinel(tag: &str) -> Atoms {
    let h = hash_str(tag);
    Atoms {
        w: h,
        s: h,
        ss: h,
        clit: h,
        pre: h,
        shape: h,
        aff: [h; 6],
        cl: [h; CL_LEVELS],
        ..Default::default()
    }
}

/// Reusable buffers for feature extraction.
#[derive(Default)]
pub(crate) struct Scratch {
    pub(crate) atoms: Vec<Atoms>,
    pub(crate) keys: Vec<u64>,
    gm: Vec<(u32, u32)>,
    lm: Vec<(u32, u32)>,
    key: String,
    chars: Vec<char>,
    /// character 3-grams of each token's key (`ng[ng_offs[i]..ng_offs[i + 1]]`)
    ng: Vec<u64>,
    ng_offs: Vec<u32>,
}

fn proclitic_code(t: &Token) -> u64 {
    let mut c = 0u64;
    for p in t.seg.proclitics() {
        c = c * 8
            + match p {
                Proclitic::Wa => 1,
                Proclitic::Fa => 2,
                Proclitic::Bi => 3,
                Proclitic::Ka => 4,
                Proclitic::Li => 5,
                Proclitic::Sa => 6,
                Proclitic::Al => 7,
            };
    }
    c
}

fn len_bucket(n: usize) -> u64 {
    match n {
        0..=5 => n as u64,
        6..=7 => 6,
        _ => 7,
    }
}

fn atoms_of(res: &Resources, d: Dyn, a: &Analysis, t: &Token, sc: &mut Scratch) -> Atoms {
    let key = token_key(a, t, &mut sc.key);
    let s = hash_str(key);
    sc.chars.clear();
    sc.chars.extend(key.chars());
    let n = sc.chars.len();
    let mut at = Atoms {
        w: hash_str(a.match_form(t)),
        s,
        ..Default::default()
    };
    let kind = t.kind as u64;
    match t.kind {
        TokenKind::Arabic => {
            let ss = marsad_text::stem::search_stem(a.match_stem(t));
            at.ss = hash_str(&ss);
            let pre = proclitic_code(t);
            let enc = t.seg.enclitic().map_or(0, |e| hash_str(e) & 0xFFFF);
            at.pre = pre;
            at.clit = mix(pre, enc);
            at.shape = mix(kind, len_bucket(n));
        }
        TokenKind::Latin => {
            let form = a.match_form(t);
            let first_upper = form.chars().next().is_some_and(char::is_uppercase);
            let all_upper = form.chars().all(|c| !c.is_lowercase());
            at.ss = s;
            at.shape = mix(
                kind,
                len_bucket(n) * 4 + first_upper as u64 * 2 + all_upper as u64,
            );
        }
        TokenKind::Punct => {
            at.ss = s;
            at.shape = mix(kind, s & 0xFFFF_FFFF);
        }
        _ => {
            at.ss = s;
            at.shape = mix(kind, len_bucket(n));
        }
    }
    // affixes of the key: 1-3 characters at each end
    let mut h = 0x1234u64;
    for k in 0..3 {
        if k < n {
            h = mix(h, sc.chars[k] as u64);
            at.aff[k] = h;
        } else {
            at.aff[k] = 1;
        }
    }
    let mut h = 0x5678u64;
    for k in 0..3 {
        if k < n {
            h = mix(h, sc.chars[n - 1 - k] as u64);
            at.aff[3 + k] = h;
        } else {
            at.aff[3 + k] = 1;
        }
    }
    // character 3-grams of ^key$ (Arabic words only)
    if t.kind == TokenKind::Arabic && n >= 2 {
        let ch = |i: usize| -> u64 {
            if i == 0 || i > n {
                0x24
            } else {
                sc.chars[i - 1] as u64
            }
        };
        for i in 0..n {
            sc.ng
                .push(mix(mix(mix(0x3A3A, ch(i)), ch(i + 1)), ch(i + 2)));
        }
    }
    if let Some(ids) = res.clusters.get(&s) {
        for (c, &id) in at.cl.iter_mut().zip(ids) {
            *c = id as u64;
        }
    }
    if let Some(&p) = d.priors.get(&s) {
        at.pr = p as u64 + 1;
    }
    at
}

/// Extract the features of a token sequence. `lex` replaces `res.lex` (training uses an
/// out-of-fold lexicon). Features of token `i` are `feats[offs[i]..offs[i + 1]]`, as table rows.
#[allow(clippy::too_many_arguments)] // the hot path: plain arguments, no bundling struct
pub(crate) fn extract(
    res: &Resources,
    d: Dyn,
    a: &Analysis,
    toks: &[Token],
    cfg: FeatCfg,
    sc: &mut Scratch,
    feats: &mut Vec<u32>,
    offs: &mut Vec<u32>,
) {
    let n = toks.len();
    sc.atoms.clear();
    sc.keys.clear();
    sc.ng.clear();
    sc.ng_offs.clear();
    for t in toks {
        sc.ng_offs.push(sc.ng.len() as u32);
        let at = atoms_of(res, d, a, t, sc);
        sc.keys.push(at.s);
        sc.atoms.push(at);
    }
    res.gaz.marks(&sc.keys, &mut sc.gm);
    d.lex.marks(&sc.keys, &mut sc.lm);
    for i in 0..n {
        let (gb, gi) = sc.gm[i];
        let (lb, li) = sc.lm[i];
        let at = &mut sc.atoms[i];
        at.gb = gb;
        at.gi = gi;
        at.lb = lb;
        at.li = li;
        at.doc = d.doc.get(i).map_or(0, |&c| c as u64);
    }
    sc.ng_offs.push(sc.ng.len() as u32);
    let bos2 = sentinel("<S2>");
    let bos = sentinel("<S>");
    let eos = sentinel("</S>");
    let eos2 = sentinel("</S2>");
    let shift = 64 - cfg.bits;
    let on = |g: u32| cfg.mask & g != 0;
    offs.clear();
    offs.push(feats.len() as u32);
    for i in 0..n {
        let get = |o: isize| -> &Atoms {
            let j = i as isize + o;
            if j < 0 {
                if j == -1 {
                    &bos
                } else {
                    &bos2
                }
            } else if j as usize >= n {
                if j as usize == n {
                    &eos
                } else {
                    &eos2
                }
            } else {
                &sc.atoms[j as usize]
            }
        };
        let (p2, p1, c, n1, n2) = (get(-2), get(-1), get(0), get(1), get(2));
        let mut emit = |tid: u64, v: u64| {
            feats.push(feature_row(tid, v, shift));
        };
        emit(0, 0);
        if on(group::WORDS) {
            // the token's identity first (training may drop these: see N_IDENTITY)
            emit(1, c.w);
            emit(2, c.s);
            emit(3, c.ss);
            emit(10, mix(p1.s, c.s));
            emit(11, mix(c.s, n1.s));
            emit(4, p1.s);
            emit(5, n1.s);
            emit(6, p2.s);
            emit(7, n2.s);
            emit(8, p1.w);
            emit(9, n1.w);
        }
        if on(group::CLITICS) {
            emit(12, c.clit);
            emit(13, p1.clit);
            emit(14, n1.pre);
            emit(15, mix(c.pre, p1.s));
        }
        if on(group::AFFIXES) {
            for (k, &x) in c.aff.iter().enumerate() {
                emit(16 + k as u64, x);
            }
        }
        if on(group::NGRAMS) {
            for &g in &sc.ng[sc.ng_offs[i] as usize..sc.ng_offs[i + 1] as usize] {
                emit(25, g);
            }
        }
        if on(group::SHAPES) {
            emit(22, c.shape);
            emit(23, mix(mix(p1.shape, c.shape), n1.shape));
            emit(24, mix(p1.shape, c.shape));
        }
        if on(group::CLUSTERS) {
            // every level at 0 and ±1, the middle level at ±2, coarse pairs, fine × word
            for l in 0..EX_LEVELS {
                emit(30 + l as u64, c.cl[l]);
                emit(33 + l as u64, p1.cl[l]);
                emit(36 + l as u64, n1.cl[l]);
            }
            emit(39, p2.cl[1]);
            emit(40, n2.cl[1]);
            emit(41, mix(p1.cl[0], c.cl[0]));
            emit(42, mix(c.cl[0], n1.cl[0]));
            emit(43, mix(p1.s, c.cl[2]));
            emit(44, mix(c.cl[2], n1.s));
        }
        if on(group::EMBED) {
            // the embedding classes: every level at 0 and ±1
            for l in EX_LEVELS..CL_LEVELS {
                emit(80 + l as u64, c.cl[l]);
                emit(90 + l as u64, p1.cl[l]);
                emit(100 + l as u64, n1.cl[l]);
            }
        }
        // gazetteers and lexicon: each flag, at 0 (begin/inside) and ±1
        if on(group::GAZETTEERS) {
            flags(c.gb, 50, &mut emit);
            flags(c.gi, 51, &mut emit);
            flags(p1.gb | p1.gi, 52, &mut emit);
            flags(n1.gb, 53, &mut emit);
        }
        if on(group::LEXICON) {
            flags(c.lb, 54, &mut emit);
            flags(c.li, 55, &mut emit);
            flags(p1.lb | p1.li, 56, &mut emit);
            flags(n1.lb, 57, &mut emit);
        }
        if on(group::PRIORS) {
            if c.pr == 0 {
                emit(60, 0xFFFF);
            } else {
                let code = c.pr - 1;
                for t in 0..4 {
                    emit(60, t * 4 + (code >> (2 * t) & 3));
                }
            }
            emit(61, p1.pr);
            emit(62, n1.pr);
            emit(63, mix(p1.pr, c.pr));
        }
        if on(group::DOC) {
            doc_features(c, p1, n1, &mut emit);
        }
        offs.push(feats.len() as u32);
    }
}

/// The table row of feature `v` of template `tid` (`shift` = 64 − the table's bits): the one
/// hash that [`extract`] and [`extend_doc`] share, so their rows agree.
#[inline]
fn feature_row(tid: u64, v: u64, shift: u32) -> u32 {
    (fmix(mix(mix(0xFEA7, tid), v)) >> shift) as u32
}

/// Each set bit of `x` as a feature of template `base`.
fn flags(x: u32, base: u64, emit: &mut dyn FnMut(u64, u64)) {
    let mut x = x;
    while x != 0 {
        let b = x.trailing_zeros() as u64;
        emit(base, b);
        x &= x - 1;
    }
}

/// The document features of a token (group [`group::DOC`]; the last group of a token).
fn doc_features(c: &Atoms, p1: &Atoms, n1: &Atoms, emit: &mut dyn FnMut(u64, u64)) {
    // the first stage's label (bits 16-20; the topics sit above)
    let own = |x: u64| x >> 16 & 31;
    let code = c.doc & 0xFFFF;
    if code == 0 {
        emit(70, 0xFFFF);
    } else {
        for t in 0..4 {
            emit(70, t * 4 + (code >> (3 + 2 * t) & 3));
        }
        emit(71, code >> 1 & 3);
    }
    emit(72, p1.doc & 0xFFFF);
    emit(73, n1.doc & 0xFFFF);
    // stacking: the first stage's labels around the token
    let topic = c.doc >> 21 & 7;
    if topic != 0 {
        flags(c.gb | c.gi, 77 + (topic << 8), emit);
        emit(78, mix(topic, c.cl[0]));
        emit(79, mix(topic, own(c.doc)));
        emit(69, mix(topic, c.s));
    }
    emit(74, own(c.doc));
    emit(75, mix(own(p1.doc), own(c.doc)));
    emit(76, mix(own(c.doc), own(n1.doc)));
}

/// The features of a sentence whose features without the document group were extracted
/// just before into `base` (`base_feats`, `base_offs`, with `sc` as [`extract`] left it):
/// for each token, its base features followed by its document features from `doc`. The
/// same rows as [`extract`] with `cfg` and `doc` gives, without computing the rest again.
pub(crate) fn extend_doc(
    sc: &mut Scratch,
    doc: &[u32],
    cfg: FeatCfg,
    base_feats: &[u32],
    base_offs: &[u32],
    feats: &mut Vec<u32>,
    offs: &mut Vec<u32>,
) {
    let n = sc.atoms.len();
    for (i, at) in sc.atoms.iter_mut().enumerate() {
        at.doc = doc.get(i).map_or(0, |&c| c as u64);
    }
    let none = Atoms::default();
    let shift = 64 - cfg.bits;
    offs.clear();
    offs.push(feats.len() as u32);
    for i in 0..n {
        let (a, b) = (base_offs[i] as usize, base_offs[i + 1] as usize);
        feats.extend_from_slice(&base_feats[a..b]);
        if cfg.mask & group::DOC != 0 {
            let p1 = if i > 0 { &sc.atoms[i - 1] } else { &none };
            let n1 = sc.atoms.get(i + 1).unwrap_or(&none);
            let mut emit = |tid: u64, v: u64| {
                feats.push(feature_row(tid, v, shift));
            };
            doc_features(&sc.atoms[i], p1, n1, &mut emit);
        }
        offs.push(feats.len() as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(text: &str, an: &mut Analyzer) -> Vec<u64> {
        let a = an.analyze(&Document::new(text));
        token_keys(&a, &a.tokens)
    }

    #[test]
    fn dictionaries_as_gazetteer_flags() {
        let mut an = Analyzer::new();
        let mut res = Resources::default();
        let topics =
            "# comment\nword\ttopic\nمباراة\tsports\nالفنانة\tarts\nشركة\teconomy\nمباراة\tnone\n";
        assert_eq!(res.add_dict("data/dict/topics.tsv", topics, &mut an), 3);
        let nats = "adjective\tiso3\nألماني\tDEU\n";
        assert_eq!(
            res.add_dict("data/dict/nationalities.tsv", nats, &mut an),
            8
        );
        // a cue word with a clitic, an inflected nationality with the article
        let k = keys_of("وبالمباراة الألمانية والفنانات", &mut an);
        assert_eq!(res.gaz.get(&k[0..1]), gaz::TOPIC_SPORTS);
        assert_eq!(res.gaz.get(&k[1..2]), gaz::NATIONALITY);
        assert_eq!(res.gaz.get(&k[2..3]), 0, "فنانات is not listed");
        // organisations: a kind per flag, `?` (sports reports only) read as a name
        let orgs =
            "kind\tname_ar\taliases\tcountry\tname_en\nclub\tنادي السد\tالسد?\tQAT\tAl Sadd\n\
                    company\tتويوتا\t\tJPN\tToyota\nteam\tx\t\tQAT\tX\n";
        assert_eq!(
            res.add_dict("data/dict/organisations.tsv", orgs, &mut an),
            3
        );
        let k = keys_of("للسد وتويوتا", &mut an);
        assert_eq!(res.gaz.get(&k[0..1]), gaz::ORG_CLUB);
        assert_eq!(res.gaz.get(&k[1..2]), gaz::ORG_COMPANY);
    }

    #[test]
    fn topics_need_three_cues_within_the_window() {
        let mut an = Analyzer::new();
        let mut res = Resources::default();
        res.add_dict(
            "topics.tsv",
            "word\ttopic\nمباراة\tsports\nالدوري\tsports\nهدف\tsports\nشركة\teconomy\n",
            &mut an,
        );
        let s = |t: &str, an: &mut Analyzer| keys_of(t, an);
        let sents: Vec<Vec<u64>> = vec![
            s("انتهت المباراة", &mut an),           // 0: one cue
            s("في الدوري سجل هدف", &mut an),        // 1: two cues
            s("قال الوزير", &mut an),               // 2
            s("قال الوزير", &mut an),               // 3
            s("قال الوزير", &mut an),               // 4
            s("قالت الشركة إن شركة أخرى", &mut an), // 5: economy, two cues
            s("قال الوزير", &mut an),               // 6
        ];
        let refs: Vec<&[u64]> = sents.iter().map(Vec::as_slice).collect();
        let codes = topic_codes(&refs, &res.gaz);
        // sentences 0-3 see both 0 and 1 (3 sports cues) within ±3; 4 sees only 1 (2 cues);
        // two economy cues are not enough either
        assert_eq!(codes, vec![1, 1, 1, 1, 0, 0, 0]);
    }

    #[test]
    fn document_features_added_to_the_first_stage_rows_equal_a_full_extract() {
        let mut an = Analyzer::new();
        let res = &crate::Tagger::builtin().res;
        let a = an.analyze(&Document::new(
            "التقى وزير الخارجية القطري محمد بن عبدالرحمن آل ثاني في الدوحة بنظيره الأمريكي.",
        ));
        let n = a.tokens.len();
        // varied codes: a first-stage label, counts, types and topics
        let doc: Vec<u32> = (0..n as u32)
            .map(|i| {
                if i % 3 == 0 {
                    0
                } else {
                    (i * 0x9E37) & 0x00FF_FFFF | 1
                }
            })
            .collect();
        let d = Dyn {
            doc: &doc,
            ..res.dyn_()
        };
        let all = FeatCfg {
            bits: 18,
            mask: group::ALL,
        };
        let base = FeatCfg {
            mask: group::ALL & !group::DOC,
            ..all
        };
        let mut sc = Scratch::default();
        let (mut full, mut full_offs) = (Vec::new(), Vec::new());
        extract(
            res,
            d,
            &a,
            &a.tokens,
            all,
            &mut sc,
            &mut full,
            &mut full_offs,
        );
        let (mut bf, mut bo) = (Vec::new(), Vec::new());
        extract(
            res,
            res.dyn_(),
            &a,
            &a.tokens,
            base,
            &mut sc,
            &mut bf,
            &mut bo,
        );
        assert!(bf.len() < full.len(), "the document group adds rows");
        let (mut f, mut o) = (Vec::new(), Vec::new());
        extend_doc(&mut sc, &doc, all, &bf, &bo, &mut f, &mut o);
        assert_eq!((f, o), (full, full_offs));
    }
}
