//! # marsad-text — the Arabic text core
//!
//! The document owns the text; everything else is a view. A [`Document`] holds the original
//! text and its metadata; [`Analyzer::analyze`] returns an [`Analysis`] whose tokens and
//! sentences are spans into that text. **Every public offset is a Unicode code-point offset into
//! the original text, end exclusive**; byte offsets are also given, for slicing.
//!
//! ```
//! use marsad_text::{Analyzer, Document};
//! let doc = Document::new("والكاظمي في بغداد.");
//! let a = Analyzer::new().analyze(&doc);
//! let t = &a.tokens[0];
//! assert_eq!(a.segments(t), "و+ال+كاظمي");
//! assert_eq!(doc.slice(t.stem_start, t.stem_end), "كاظمي");
//! ```

pub mod lexicon;
pub mod normalize;
pub mod segeval;
pub mod segment;
pub mod sentences;
pub mod stem;
pub mod tokenize;

pub use lexicon::Lexicon;
pub use normalize::{match_form, normalize_match, normalize_search, search_fold, Normalized};
pub use segment::{Proclitic, Segmentation};
pub use sentences::Span;
pub use tokenize::{RawToken, TokenKind};

use serde::{Deserialize, Serialize};

/// Metadata of a document. All optional: analysis never requires them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// the outlet, e.g. from a header line `مرصد مينا – الولايات المتحدة`
    pub source: Option<String>,
    /// the place named in the header line
    pub dateline: Option<String>,
    /// publication date, `YYYY-MM-DD`
    pub date: Option<String>,
}

/// A document: the original text (owned, never modified) and its metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub meta: DocMeta,
    text: String,
    /// byte offset of each code point, computed on demand for slicing by code points
    #[serde(skip)]
    char_index: std::sync::OnceLock<Vec<u32>>,
}

impl Document {
    pub fn new(text: impl Into<String>) -> Self {
        Document {
            meta: DocMeta::default(),
            text: text.into(),
            char_index: Default::default(),
        }
    }
    pub fn with_meta(text: impl Into<String>, meta: DocMeta) -> Self {
        Document {
            meta,
            text: text.into(),
            char_index: Default::default(),
        }
    }
    /// The original text.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// Length in code points.
    pub fn char_len(&self) -> usize {
        self.index().len() - 1
    }
    fn index(&self) -> &Vec<u32> {
        self.char_index.get_or_init(|| {
            let mut v: Vec<u32> = self.text.char_indices().map(|(b, _)| b as u32).collect();
            v.push(self.text.len() as u32);
            v
        })
    }
    /// Byte offset of a code-point offset (clamped to the text).
    pub fn byte_of(&self, char_offset: u32) -> usize {
        let ix = self.index();
        ix[(char_offset as usize).min(ix.len() - 1)] as usize
    }
    /// The original text of a code-point span (clamped; empty if reversed).
    pub fn slice(&self, start: u32, end: u32) -> &str {
        let (s, e) = (self.byte_of(start), self.byte_of(end));
        if e <= s {
            ""
        } else {
            &self.text[s..e]
        }
    }

    /// Build a document from an article like the seed: a header line `SOURCE – DATELINE`
    /// (en dash, em dash, hyphen or colon), then paragraphs. The header line stays in the text
    /// (offsets are into the whole file); `source` and `dateline` are filled when it parses.
    pub fn from_article(text: impl Into<String>) -> Self {
        let text = text.into();
        let mut meta = DocMeta::default();
        if let Some((s, d)) = parse_header(text.lines().next().unwrap_or("")) {
            meta.source = Some(s);
            meta.dateline = Some(d);
        }
        Document::with_meta(text, meta)
    }
}

/// Parse a header line `SOURCE – DATELINE`. Returns `None` when the line does not look like a
/// header (too long, a full sentence, no separator).
pub fn parse_header(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 || line.ends_with(['.', '؟', '!']) {
        return None;
    }
    for sep in [" – ", " — ", " - ", "–", "—", ": ", " -", "- "] {
        if let Some((a, b)) = line.split_once(sep) {
            let (a, b) = (a.trim(), b.trim().trim_end_matches([':', '،']));
            let words = |s: &str| s.split_whitespace().count();
            if !a.is_empty() && !b.is_empty() && words(a) <= 5 && words(b) <= 5 {
                return Some((a.to_string(), b.to_string()));
            }
        }
    }
    None
}

/// A token of an analysed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// code-point span in the original text
    pub start: u32,
    pub end: u32,
    /// byte span in the original text
    pub byte_start: u32,
    pub byte_end: u32,
    /// code-point span of the stem in the original text (clitics excluded)
    pub stem_start: u32,
    pub stem_end: u32,
    /// byte range of the token's match form in [`Analysis::norm`]
    pub norm_start: u32,
    pub norm_end: u32,
    /// byte range of the stem's match form in [`Analysis::norm`]
    pub norm_stem_start: u32,
    pub norm_stem_end: u32,
    pub seg: Segmentation,
}

impl Token {
    /// A token whose stem is the whole token (no clitics split off).
    fn whole(r: &RawToken, norm_start: u32, norm_end: u32, seg: Segmentation) -> Token {
        Token {
            kind: r.kind,
            start: r.start,
            end: r.end,
            byte_start: r.byte_start,
            byte_end: r.byte_end,
            stem_start: r.start,
            stem_end: r.end,
            norm_start,
            norm_end,
            norm_stem_start: norm_start,
            norm_stem_end: norm_end,
            seg,
        }
    }
}

/// A non-fatal problem met during analysis (analysis never fails).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub start: u32,
    pub end: u32,
    pub message: String,
}

/// The analysis of one document: views into its text.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Span>,
    /// the match forms of all tokens, concatenated; tokens index into it
    pub norm: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Match form of a token.
    pub fn match_form(&self, t: &Token) -> &str {
        &self.norm[t.norm_start as usize..t.norm_end as usize]
    }
    /// Match form of a token's stem (clitics removed).
    pub fn match_stem(&self, t: &Token) -> &str {
        &self.norm[t.norm_stem_start as usize..t.norm_stem_end as usize]
    }
    /// Search-form stem of a token (ta marbuta folded, light suffixes stripped).
    pub fn search_stem(&self, t: &Token) -> String {
        if t.kind == TokenKind::Arabic {
            stem::search_stem(self.match_stem(t))
        } else {
            self.match_form(t).to_string()
        }
    }
    /// Segments joined with `+`, stem in the original spelling (without marks).
    pub fn segments_in(&self, doc_text: &str, t: &Token) -> String {
        if t.kind != TokenKind::Arabic {
            return doc_text[t.byte_start as usize..t.byte_end as usize].to_string();
        }
        let stem = char_slice(
            &doc_text[t.byte_start as usize..t.byte_end as usize],
            t.stem_start - t.start,
            t.stem_end - t.start,
        );
        let stem: String = stem
            .chars()
            .filter(|c| !normalize::is_ignorable(*c))
            .collect();
        t.seg.join(&stem)
    }
    /// Like [`Analysis::segments_in`], with the text kept by the analysis of `doc`.
    pub fn segments(&self, t: &Token) -> String {
        // The stem's original spelling is reconstructed from the match form when the text is not
        // at hand; prefer `segments_in` with the document text.
        t.seg.join(self.match_stem(t))
    }
    /// Tokens of a sentence.
    pub fn sentence_tokens(&self, s: &Span) -> &[Token] {
        let a = self.tokens.partition_point(|t| t.start < s.start);
        let b = self.tokens.partition_point(|t| t.start < s.end);
        &self.tokens[a..b]
    }
}

fn char_slice(s: &str, a: u32, b: u32) -> &str {
    let mut it = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()));
    let sa = it.by_ref().nth(a as usize).unwrap_or(s.len());
    let sb = if b > a {
        it.nth((b - a - 1) as usize).unwrap_or(s.len())
    } else {
        sa
    };
    &s[sa..sb]
}

/// Analyses documents. Cheap to create; holds a segmentation cache, so keep one per thread.
pub struct Analyzer {
    lex: &'static Lexicon,
    /// match form → (segmentation, is the word rare in the lexicon)
    cache: SegCache,
    /// a small direct-mapped cache in front of `cache` for the most frequent words (it fits the
    /// processor's L2 cache; the big table does not)
    hot: Vec<(u64, u32)>,
    chars: Vec<char>,
    orig: Vec<(char, u32)>,
    rare: Vec<usize>,
    doc_rare: rustc_hash::FxHashSet<Box<str>>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

const CACHE_MAX: usize = 300_000;
const HOT_SLOTS: usize = 1 << 14;

/// The segmentation cache is keyed by a 64-bit hash of the match form and holds a packed
/// value: entries are 16 bytes, so the table stays small enough for the processor's caches
/// (a measured hot spot). Two of 300,000 words share a 64-bit hash with probability ~2·10⁻⁹;
/// the cache is an optimisation of a pure function, so that is the whole risk.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type SegCache = std::collections::HashMap<u64, u32, std::hash::BuildHasherDefault<IdHasher>>;

/// The original letters segmentation depends on: a hamza-alef at one of the first six letters,
/// and a final alef maqsura.
fn orig_signature(surface: &str) -> u64 {
    let mut sig = 0u64;
    let mut last = ' ';
    for (i, c) in surface
        .chars()
        .filter(|c| !normalize::is_ignorable(*c))
        .enumerate()
    {
        if i < 6 && matches!(c, 'أ' | 'إ' | 'آ' | 'ٱ') {
            sig |= 1 << i;
        }
        last = c;
    }
    if last == 'ى' {
        sig |= 1 << 6;
    }
    sig + 1
}

#[inline]
fn key_of(m: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(m.as_bytes());
    // spread the bits for the table's low-bit indexing
    let x = h.finish();
    x ^ (x >> 29).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Words seen fewer times than this in the lexicon count as rare.
const RARE: u32 = 3;

/// Split a rare word whose rest after a proclitic occurs on its own in the same document.
fn doc_split(m: &str, doc_rare: &rustc_hash::FxHashSet<Box<str>>) -> Option<Segmentation> {
    for p in ["و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"] {
        if let Some(rest) = m.strip_prefix(p) {
            if rest.chars().count() >= 3 && doc_rare.contains(rest) {
                let n = m.chars().count();
                return Some(Segmentation::with_proclitics(p, n));
            }
        }
    }
    None
}

impl Analyzer {
    /// An analyzer over the built-in lexicon.
    pub fn new() -> Self {
        Self::with_lexicon(Lexicon::builtin())
    }
    pub fn with_lexicon(lex: &'static Lexicon) -> Self {
        Analyzer {
            lex,
            cache: SegCache::default(),
            hot: vec![(0, 0); HOT_SLOTS],
            chars: Vec::new(),
            orig: Vec::new(),
            rare: Vec::new(),
            doc_rare: Default::default(),
        }
    }

    /// Segment one word given in any form (a convenience for tests and tools): returns the
    /// segments joined with `+`.
    pub fn segment_word(&mut self, word: &str) -> String {
        let doc = Document::new(word);
        let a = self.analyze(&doc);
        a.tokens
            .iter()
            .map(|t| a.segments_in(word, t))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Analyse a document: tokens (with match forms and segmentation) and sentences.
    pub fn analyze(&mut self, doc: &Document) -> Analysis {
        let text = doc.text();
        let raw = tokenize::tokenize(text);
        let mut norm = String::with_capacity(text.len());
        let mut tokens = Vec::with_capacity(raw.len());
        self.rare.clear();
        for (i, r) in raw.iter().enumerate() {
            let t = self.token(text, r, &mut norm, i);
            tokens.push(t);
        }
        // document evidence: a rare word (unknown to the lexicon) after a proclitic splits when
        // its rest stands alone in the same document (لقاآني when قاآني occurs elsewhere)
        if !self.rare.is_empty() {
            self.doc_rare.clear();
            for &i in &self.rare {
                let t = &tokens[i];
                self.doc_rare
                    .insert(norm[t.norm_start as usize..t.norm_end as usize].into());
            }
            for k in 0..self.rare.len() {
                let i = self.rare[k];
                let t = tokens[i];
                let m = &norm[t.norm_start as usize..t.norm_end as usize];
                if let Some(seg) = doc_split(m, &self.doc_rare) {
                    let surface = &text[t.byte_start as usize..t.byte_end as usize];
                    self.fill_orig(surface, None);
                    tokens[i] = self.finish(&raw[i], seg, t.norm_start, m, false);
                }
            }
        }
        let sentences = sentences::split_sentences(text, &raw);
        Analysis {
            tokens,
            sentences,
            norm,
            diagnostics: Vec::new(),
        }
    }

    /// Match chars of `surface` with the original char index of each; optionally appended to `norm`.
    fn fill_orig(&mut self, surface: &str, mut norm: Option<&mut String>) {
        self.orig.clear();
        for (i, c) in surface.chars().enumerate() {
            let orig = &mut self.orig;
            normalize::fold_char(c, |m| {
                orig.push((m, i as u32));
                if let Some(n) = norm.as_deref_mut() {
                    n.push(m);
                }
            });
        }
    }

    fn token(&mut self, text: &str, r: &RawToken, norm: &mut String, index: usize) -> Token {
        let surface = &text[r.byte_start as usize..r.byte_end as usize];
        let norm_start = norm.len() as u32;
        if r.kind != TokenKind::Arabic {
            normalize::match_form_into(surface, norm);
            let ne = norm.len() as u32;
            return Token::whole(r, norm_start, ne, Segmentation::whole(0));
        }
        let identity = Self::fold_norm(surface, norm);
        let m = &norm[norm_start as usize..];
        // segmentation also looks at original letters the match form folds away (a hamza on
        // the alef of ال, a final ى): they are part of the cache key, so results never depend
        // on which spelling was analysed first
        let key = if identity {
            key_of(m)
        } else {
            key_of(m) ^ orig_signature(surface).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        };
        let slot = (key as usize) & (HOT_SLOTS - 1);
        let hot = self.hot[slot];
        let cached = if hot.0 == key && hot.1 != 0 {
            Some(hot.1)
        } else {
            let v = self.cache.get(&key).copied();
            if let Some(v) = v {
                self.hot[slot] = (key, v);
            }
            v
        };
        let (seg, rare) = match cached.and_then(Segmentation::unpack) {
            Some(s) => s,
            None => {
                self.fill_orig(surface, None);
                self.chars.clear();
                self.chars.extend(self.orig.iter().map(|x| x.0));
                let orig = &self.orig;
                let orig_char = |i: usize| {
                    orig.get(i)
                        .and_then(|&(_, oi)| surface.chars().nth(oi as usize))
                        .unwrap_or(' ')
                };
                let s = segment::segment(self.lex, m, &self.chars, &orig_char);
                let rare = self.lex.count(m) < RARE && self.chars.len() >= 3;
                if self.cache.len() < CACHE_MAX {
                    if let Some(v) = s.pack(rare) {
                        self.cache.insert(key, v);
                    }
                }
                (s, rare)
            }
        };
        if rare {
            self.rare.push(index);
        }
        if !identity && !seg.is_whole() {
            self.fill_orig(surface, None);
        }
        self.finish(r, seg, norm_start, m, identity)
    }

    /// Append the match form of `surface` to `norm`; true when every character was a plain
    /// Arabic letter that folds to itself (then match char `i` is original char `i`, and
    /// takes two bytes).
    #[inline]
    fn fold_norm(surface: &str, norm: &mut String) -> bool {
        let mut identity = true;
        for c in surface.chars() {
            if matches!(c, '\u{0627}'..='\u{063A}' | '\u{0641}'..='\u{0648}' | '\u{064A}' | '\u{0621}')
            {
                norm.push(c);
            } else {
                identity = false;
                normalize::fold_char(c, |m| norm.push(m));
            }
        }
        identity
    }

    /// Token fields from a segmentation. When `identity` is false, `self.orig` must hold the
    /// token's match chars with their original offsets.
    fn finish(
        &self,
        r: &RawToken,
        seg: Segmentation,
        norm_start: u32,
        m: &str,
        identity: bool,
    ) -> Token {
        let (ss, se) = (seg.stem_start as usize, seg.stem_end as usize);
        if seg.is_whole() {
            return Token::whole(r, norm_start, norm_start + m.len() as u32, seg);
        }
        if identity {
            let n = r.end - r.start;
            let (a, b) = ((ss as u32).min(n), (se as u32).min(n));
            return Token {
                kind: r.kind,
                start: r.start,
                end: r.end,
                byte_start: r.byte_start,
                byte_end: r.byte_end,
                stem_start: r.start + a,
                stem_end: r.start + b,
                norm_start,
                norm_end: norm_start + m.len() as u32,
                norm_stem_start: norm_start + 2 * a,
                norm_stem_end: norm_start + 2 * b,
                seg,
            };
        }
        let n = self.orig.len();
        // stem span in original chars: from the origin of the first stem char to the origin of
        // the first enclitic char (so marks after the stem stay with it)
        let (stem_start, stem_end) = if n == 0 || ss >= se || ss >= n {
            (r.start, r.start)
        } else {
            let a = self.orig[ss].1;
            let b = if se < n {
                self.orig[se].1
            } else {
                r.end - r.start
            };
            (r.start + a, r.start + b)
        };
        let (nss, nse) = if seg.is_whole() {
            (0, m.len() as u32)
        } else {
            let byte_of =
                |k: usize| -> u32 { m.char_indices().nth(k).map_or(m.len(), |(b, _)| b) as u32 };
            (byte_of(ss), byte_of(se))
        };
        Token {
            kind: r.kind,
            start: r.start,
            end: r.end,
            byte_start: r.byte_start,
            byte_end: r.byte_end,
            stem_start,
            stem_end,
            norm_start,
            norm_end: norm_start + m.len() as u32,
            norm_stem_start: norm_start + nss,
            norm_stem_end: norm_start + nse,
            seg,
        }
    }
}
