//! The learned word lexicon (match-form word → corpus count) and the closed-class exceptions
//! table used by the segmenter.
//!
//! `data/lexicon.tsv` is produced by `marsad lexicon build` (see the README) from the training
//! texts in `../shared`: facts only, words and counts. `data/clitic_exceptions.tsv` is written by
//! hand: function words whose segmentation is fixed.

use crate::normalize::match_form;
use crate::segment::{parse_exception, Segmentation};
use crate::tokenize::{tokenize_with, TokenKind};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

static LEXICON_TSV: &str = include_str!("../data/lexicon.tsv");
static EXCEPTIONS_TSV: &str = include_str!("../data/clitic_exceptions.tsv");

/// Word counts plus fixed segmentations.
#[derive(Debug, Default)]
pub struct Lexicon {
    counts: FxHashMap<Box<str>, u32>,
    /// words of place and person names from the gazetteers (third column `name`)
    names: rustc_hash::FxHashSet<Box<str>>,
    exceptions: FxHashMap<Box<str>, Segmentation>,
}

/// A problem found while loading a data file.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Lexicon {
    /// The lexicon shipped inside the binary (parsed once, on first use).
    pub fn builtin() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| {
            Lexicon::from_tsv(LEXICON_TSV, EXCEPTIONS_TSV)
                .expect("the shipped lexicon files are valid (tested)")
        })
    }

    /// Parse a lexicon (`word<TAB>count` lines) and an exceptions table (`word<TAB>segments`).
    /// Lines starting with `#` are comments.
    pub fn from_tsv(lexicon: &str, exceptions: &str) -> Result<Lexicon, DataError> {
        let mut counts = FxHashMap::default();
        let mut names = rustc_hash::FxHashSet::default();
        counts.reserve(lexicon.len() / 14);
        for (i, line) in lexicon.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: &str| DataError {
                file: "lexicon.tsv".into(),
                line: i + 1,
                message: m.into(),
            };
            let mut cols = line.split('\t');
            let w = cols.next().unwrap_or("");
            let c = cols
                .next()
                .ok_or_else(|| err("expected word<TAB>count[<TAB>name]"))?;
            let c: u32 = c.trim().parse().map_err(|_| err("count is not a number"))?;
            match cols.next() {
                Some("name") => {
                    names.insert(w.into());
                }
                Some(other) => {
                    return Err(err(&format!("unknown flag {other:?} (expected `name`)")))
                }
                None => {}
            }
            if c > 0 {
                counts.insert(w.into(), c);
            }
        }
        let mut lex = Lexicon {
            counts,
            names,
            exceptions: FxHashMap::default(),
        };
        for (i, line) in exceptions.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: &str| DataError {
                file: "clitic_exceptions.tsv".into(),
                line: i + 1,
                message: m.into(),
            };
            let mut cols = line.split('\t');
            let w = cols.next().ok_or_else(|| err("empty line"))?;
            let segs = cols
                .next()
                .ok_or_else(|| err("expected word<TAB>segments"))?;
            let mw = match_form(w);
            let ms = match_form(segs);
            let seg =
                parse_exception(&mw, &ms).ok_or_else(|| err("segments do not spell the word"))?;
            lex.exceptions.insert(mw.into(), seg);
        }
        Ok(lex)
    }

    /// Corpus count of a match-form word (0 if unseen).
    #[inline]
    pub fn count(&self, w: &str) -> u32 {
        self.counts.get(w).copied().unwrap_or(0)
    }

    /// Is this match-form word part of a gazetteer name?
    #[inline]
    pub fn is_name(&self, w: &str) -> bool {
        self.names.contains(w)
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    pub(crate) fn exception(&self, w: &str) -> Option<&Segmentation> {
        if self.exceptions.is_empty() {
            return None;
        }
        self.exceptions.get(w)
    }

    /// Evidence that `x` is a stem: how often it occurs with the common proclitics, plus
    /// `bare_weight` × its bare count. `definite` says `x` starts with the article ال.
    /// `exclude` is a surface form not to count (the word being segmented).
    ///
    /// For a candidate stem (`whole == false`) inflected forms (x+ة, x+ات, x+ت …) count too.
    /// For the unsegmented word (`whole == true`) they do not — a clitic-bearing word inflects
    /// as freely as its stem (وأوضح, وأوضحت) — but imperfect prefixes do (يوافق supports
    /// وافق as a stem: no clitic can follow ي).
    pub fn evidence(
        &self,
        x: &str,
        definite: bool,
        bare_weight: f32,
        exclude: &str,
        whole: bool,
    ) -> f32 {
        let mut b = String::with_capacity(x.len() + 8);
        let mut form = |p: &str, rest: &str, s: &str| -> u64 {
            b.clear();
            b.push_str(p);
            b.push_str(rest);
            b.push_str(s);
            if b == exclude {
                0
            } else {
                self.count(&b) as u64
            }
        };
        let bare = if x == exclude { 0 } else { self.count(x) };
        let mut total = 0u64;
        if definite {
            let bare = x.strip_prefix("ال").unwrap_or(x);
            for p in ["و", "ف", "ب", "ك"] {
                total += form(p, x, "");
            }
            total += form("لل", bare, "");
        } else if whole {
            for p in ["و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "ي", "ت"]
            {
                total += form(p, x, "");
            }
        } else {
            for p in ["ال", "وال", "بال", "لل"] {
                total += form(p, x, "");
            }
        }
        if !whole && !definite {
            // A form with a one-letter proclitic far more frequent than the stem bare or with
            // the article is mostly a word of its own (ليبيريا is no ل+يبيريا, بين no ب+ين):
            // each counts at most PROCLITIC_CAP × (those + 1).
            let cap = PROCLITIC_CAP * (total + bare as u64 + 1);
            for p in ["و", "ف", "ب", "ل", "ك"] {
                total += form(p, x, "").min(cap);
            }
        }
        if !whole && x.chars().count() >= 3 {
            for s in SUFFIXES {
                if s == "ة" && x.ends_with('ة') {
                    continue;
                }
                total += form("", x, s);
            }
        }
        total as f32 + bare_weight * bare as f32
    }
}

/// See [`Lexicon::evidence`].
const PROCLITIC_CAP: u64 = 3;

const SUFFIXES: [&str; 7] = ["ة", "ات", "ت", "وا", "ها", "ه", "هم"];

/// Count the match forms of the Arabic words of `text` into `counts` (the lexicon builder).
pub fn count_words(text: &str, counts: &mut FxHashMap<String, u32>) {
    tokenize_with(text, |t| {
        if t.kind == TokenKind::Arabic {
            let m = match_form(&text[t.byte_start as usize..t.byte_end as usize]);
            *counts.entry(m).or_insert(0) += 1;
        }
    });
}

/// Add the words of the Arabic names in a gazetteer line (fields split on TAB and `|`; names of
/// at most three words; words of three letters or less are skipped).
pub fn add_name_words(line: &str, names: &mut rustc_hash::FxHashSet<String>) {
    for field in line.split(['\t', '|']) {
        if !field
            .chars()
            .any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        {
            continue;
        }
        let words: Vec<&str> = field.split_whitespace().collect();
        if words.len() > 3 {
            continue;
        }
        for w in words {
            let m = match_form(w.trim_matches(|c: char| !c.is_alphabetic()));
            if m.chars().count() >= 4 && m.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
                names.insert(m);
            }
        }
    }
}

/// Write counts as a lexicon TSV: words seen at least `min_count` times, and name words,
/// most frequent first (ties in code-point order, so the output is deterministic).
pub fn lexicon_tsv(
    counts: &FxHashMap<String, u32>,
    names: &rustc_hash::FxHashSet<String>,
    min_count: u32,
    header: &str,
) -> String {
    let mut v: Vec<(&String, u32)> = counts
        .iter()
        .filter(|(w, c)| **c >= min_count || names.contains(*w))
        .map(|(w, c)| (w, *c))
        .collect();
    for n in names {
        if !counts.contains_key(n) {
            v.push((n, 0));
        }
    }
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut s = String::new();
    for h in header.lines() {
        s.push_str("# ");
        s.push_str(h);
        s.push('\n');
    }
    for (w, c) in v {
        s.push_str(w);
        s.push('\t');
        s.push_str(&c.to_string());
        if names.contains(w) {
            s.push_str("\tname");
        }
        s.push('\n');
    }
    s
}
