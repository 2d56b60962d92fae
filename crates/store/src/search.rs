//! Arabic search, the backend-independent part: the search form that is indexed, the parsing
//! of a query into search-form terms, and snippets with highlights at original offsets.
//!
//! **The search form of a token** is `marsad_text::Analysis::search_stem`: match form (hamza,
//! alef, ya, diacritics, tatweel folded), clitics removed where the lexicon supports it,
//! ة → ه, light10 suffixes stripped. The index holds, for the title and the text, the search
//! stems of all tokens except punctuation, separated by spaces; a query is analysed the same
//! way, so إيران, ايران and لإيران meet on one stem.
//!
//! The segmenter splits a proclitic only on evidence (the rest is a known word, or stands alone
//! in the same document). A rare name glued to a clitic (وقاآني in an article that never writes
//! قاآني alone) stays whole; so each query word also tries its clitic forms — و ف ب ل ك ال وال
//! بال لل فال وب ول + word — **but only those the lexicon has never seen as words**, which keeps
//! لبنان out of a search for بنان and كمال out of a search for مال.

use marsad_text::{stem, Analysis, Analyzer, Document, Lexicon, TokenKind};
use rustc_hash::FxHashSet;

/// The search form of an analysed text: search stems of all non-punctuation tokens.
pub fn index_form(a: &Analysis) -> String {
    let mut out = String::new();
    for t in &a.tokens {
        if t.kind == TokenKind::Punct {
            continue;
        }
        let s = a.search_stem(t);
        if s.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s);
    }
    out
}

/// One term of a query: a word (any of its alternative stems) or a phrase (a sequence of
/// stems that must be adjacent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Word(Vec<String>),
    Phrase(Vec<String>),
}

/// A parsed query: alternatives OR-ed, each an AND of terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub alternatives: Vec<Vec<Term>>,
}

const CLITICS: [&str; 12] = [
    "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "فال", "وب", "ول",
];

impl ParsedQuery {
    /// Parse `q` (words AND-ed; `"double-quoted phrases"`) and its `variants` (aliases, each a
    /// phrase), analysing every word into its search form.
    pub fn parse(q: &str, variants: &[String], an: &mut Analyzer) -> Self {
        let mut alternatives = Vec::new();
        let mut main = Vec::new();
        for (i, part) in q.split('"').enumerate() {
            if i % 2 == 1 {
                let stems = stems_of(part, an);
                if !stems.is_empty() {
                    main.push(Term::Phrase(stems));
                }
            } else {
                let doc = Document::new(part);
                let a = an.analyze(&doc);
                for t in &a.tokens {
                    if t.kind == TokenKind::Punct {
                        continue;
                    }
                    let s = a.search_stem(t);
                    if s.is_empty() {
                        continue;
                    }
                    let mut alts = vec![s];
                    if t.kind == TokenKind::Arabic {
                        clitic_forms(a.match_stem(t), &mut alts);
                    }
                    main.push(Term::Word(alts));
                }
            }
        }
        if !main.is_empty() {
            alternatives.push(main);
        }
        for v in variants {
            let stems = stems_of(v, an);
            if stems.is_empty() {
                continue;
            }
            let term = if stems.len() == 1 {
                Term::Word(stems)
            } else {
                Term::Phrase(stems)
            };
            let alt = vec![term];
            if !alternatives.contains(&alt) {
                alternatives.push(alt);
            }
        }
        ParsedQuery { alternatives }
    }

    pub fn is_empty(&self) -> bool {
        self.alternatives.is_empty()
    }

    /// Drop the stems the index does not hold (`indexed` says whether a stem occurs in any
    /// document): a word keeps the alternatives that occur, and an AND-alternative with a word
    /// or phrase that cannot match is dropped whole. Matches are unchanged; the engine merges
    /// fewer posting lists (a query word has up to 13 clitic forms, most never written).
    pub fn prune(&mut self, mut indexed: impl FnMut(&str) -> bool) {
        self.alternatives.retain_mut(|terms| {
            terms.iter_mut().all(|t| match t {
                Term::Word(alts) => {
                    alts.retain(|a| indexed(a));
                    !alts.is_empty()
                }
                Term::Phrase(stems) => stems.iter().all(|s| indexed(s)),
            })
        });
    }

    /// Drop the alternatives that match only where another, a single word, matches too: an
    /// alias phrase «جماعة الحوثي» beside the word الحوثي (its stem is one of the word's
    /// forms). The documents found are the same; the engine checks fewer phrases, and the
    /// ranking follows the shorter alternative (highlights are made with the whole query).
    pub fn drop_subsumed(&mut self) {
        let words: Vec<(usize, FxHashSet<&str>)> = self
            .alternatives
            .iter()
            .enumerate()
            .filter_map(|(i, terms)| match terms.as_slice() {
                [Term::Word(alts)] => Some((i, alts.iter().map(String::as_str).collect())),
                _ => None,
            })
            .collect();
        let implies = |terms: &[Term], forms: &FxHashSet<&str>| {
            terms.iter().any(|t| match t {
                Term::Word(alts) => alts.iter().all(|a| forms.contains(a.as_str())),
                Term::Phrase(stems) => stems.iter().any(|s| forms.contains(s.as_str())),
            })
        };
        // one at a time, against the words still kept (of two that imply each other, one stays)
        let mut keep = vec![true; self.alternatives.len()];
        for (i, terms) in self.alternatives.iter().enumerate() {
            keep[i] = !words
                .iter()
                .any(|(j, forms)| *j != i && keep[*j] && implies(terms, forms));
        }
        let mut k = keep.iter();
        self.alternatives.retain(|_| *k.next().unwrap_or(&true));
    }

    /// The query in FTS5 syntax (every term quoted: no user text reaches FTS5 unquoted).
    pub fn fts5(&self) -> String {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let alts: Vec<String> = self
            .alternatives
            .iter()
            .map(|terms| {
                let parts: Vec<String> = terms
                    .iter()
                    .map(|t| match t {
                        Term::Word(alts) if alts.len() == 1 => q(&alts[0]),
                        Term::Word(alts) => format!(
                            "({})",
                            alts.iter().map(|a| q(a)).collect::<Vec<_>>().join(" OR ")
                        ),
                        Term::Phrase(stems) => q(&stems.join(" ")),
                    })
                    .collect();
                format!("({})", parts.join(" AND "))
            })
            .collect();
        alts.join(" OR ")
    }

    /// Every stem that counts as a match (for highlighting).
    pub fn stems(&self) -> FxHashSet<String> {
        let mut s = FxHashSet::default();
        for terms in &self.alternatives {
            for t in terms {
                match t {
                    Term::Word(v) | Term::Phrase(v) => s.extend(v.iter().cloned()),
                }
            }
        }
        s
    }
}

fn stems_of(text: &str, an: &mut Analyzer) -> Vec<String> {
    let doc = Document::new(text);
    let a = an.analyze(&doc);
    a.tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| a.search_stem(t))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Clitic forms of a match-form stem never seen as words, as search stems.
fn clitic_forms(match_stem: &str, out: &mut Vec<String>) {
    if match_stem.chars().count() < 3 {
        return;
    }
    let lex = Lexicon::builtin();
    for c in CLITICS {
        // ال before a word starting with ل is written لل (للبنان), not الل
        let form = format!("{c}{match_stem}");
        if lex.count(&form) > 0 {
            continue;
        }
        let s = stem::search_stem(&form);
        if !out.contains(&s) {
            out.push(s);
        }
    }
}

/// Highlights: the tokens of `text` that match the query, as code-point spans — a word
/// where any of its stems matches, a phrase only where all its stems follow each other.
pub fn highlights(text: &str, q: &ParsedQuery, an: &mut Analyzer) -> Vec<[u32; 2]> {
    if text.is_empty() || q.is_empty() {
        return Vec::new();
    }
    let doc = Document::new(text);
    let a = an.analyze(&doc);
    let toks: Vec<(Option<String>, u32, u32)> = a
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| (a.search_stem(t), t.start, t.end))
        .filter(|t| !t.0.is_empty())
        .map(|(s, b, e)| (Some(s), b, e))
        .collect();
    mark(&toks, q)
}

/// The spans of the tokens (search stem or `None` for one that cannot match, span) that match
/// the query.
fn mark(toks: &[(Option<String>, u32, u32)], q: &ParsedQuery) -> Vec<[u32; 2]> {
    let is = |t: &(Option<String>, u32, u32), s: &String| t.0.as_ref() == Some(s);
    let mut marked = vec![false; toks.len()];
    for alt in &q.alternatives {
        for term in alt {
            match term {
                Term::Word(stems) => {
                    for (i, t) in toks.iter().enumerate() {
                        if t.0.as_ref().is_some_and(|x| stems.contains(x)) {
                            marked[i] = true;
                        }
                    }
                }
                Term::Phrase(stems) => {
                    let n = stems.len();
                    if n == 0 || n > toks.len() {
                        continue;
                    }
                    for i in 0..=toks.len() - n {
                        if toks[i..i + n].iter().zip(stems).all(|(t, s)| is(t, s)) {
                            marked[i..i + n].iter_mut().for_each(|m| *m = true);
                        }
                    }
                }
            }
        }
    }
    toks.iter()
        .zip(marked)
        .filter(|(_, m)| *m)
        .map(|(t, _)| [t.1, t.2])
        .collect()
}

/// [`highlights`] of a part of a long text, analysing only the tokens where a stem of the
/// query was found as a substring (`hits`: code-point offsets into `text`, sorted); a token
/// is analysed alone, without the rest of its document.
fn highlights_at(text: &str, hits: &[u32], q: &ParsedQuery, an: &mut Analyzer) -> Vec<[u32; 2]> {
    let mut toks: Vec<(Option<String>, u32, u32)> = Vec::new();
    let mut h = 0usize;
    marsad_text::tokenize::tokenize_with(text, |r| {
        if r.kind == TokenKind::Punct {
            return;
        }
        while h < hits.len() && hits[h] < r.start {
            h += 1;
        }
        let stem = if h < hits.len() && hits[h] < r.end {
            let word = &text[r.byte_start as usize..r.byte_end as usize];
            let a = an.analyze(&Document::new(word));
            a.tokens
                .iter()
                .find(|t| t.kind != TokenKind::Punct)
                .map(|t| a.search_stem(t))
                .filter(|s| !s.is_empty())
        } else {
            None
        };
        toks.push((stem, r.start, r.end));
    });
    mark(&toks, q)
}

/// Snippets with highlights for one query over many texts.
///
/// A long text is not analysed whole: the query's stems are found as substrings of the text's
/// match form (a search stem is a piece of its token's match form, ة read as ه), the window
/// with the most such places is analysed with a margin, and only if that finds no highlight is
/// the whole text analysed. Search pages stay cheap with long articles.
pub struct Snippets<'q> {
    q: &'q ParsedQuery,
    /// a piece of each stem that is a piece of its token's match form (see [`needle`]); `None`
    /// when one is too short to look for
    needles: Option<aho_corasick::AhoCorasick>,
}

/// The longest run of a search stem without ه: ه in a stem may stand for ة in the match form
/// (the search form folds ة into ه), every other letter is the match form's own, so the run is a
/// piece of the match form of any token with that stem.
fn needle(stem: &str) -> String {
    stem.split('ه')
        .max_by_key(|p| p.chars().count())
        .unwrap_or("")
        .to_string()
}

impl<'q> Snippets<'q> {
    pub fn new(q: &'q ParsedQuery) -> Self {
        let mut needles: Vec<String> = Vec::new();
        let mut ok = true;
        for st in q.stems() {
            let n = needle(&st);
            if n.chars().count() < 2 {
                ok = false;
                break;
            }
            needles.push(n);
        }
        let needles = if ok && !needles.is_empty() {
            aho_corasick::AhoCorasick::new(&needles).ok()
        } else {
            None
        };
        Snippets { q, needles }
    }

    /// A snippet of about `width` code points of `text`: `(start, end, highlights inside it)`,
    /// code-point offsets into `text`; the same as [`snippet_span`] over [`highlights`] of the
    /// whole text, except that a long text's snippet is looked for where the query's stems
    /// occur most densely.
    pub fn snippet(&self, text: &str, width: u32, an: &mut Analyzer) -> (u32, u32, Vec<[u32; 2]>) {
        let inside = |hl: Vec<[u32; 2]>, s: u32, e: u32| -> Vec<[u32; 2]> {
            hl.into_iter().filter(|h| h[0] >= s && h[1] <= e).collect()
        };
        match self.likely_region(text, width) {
            // the stems occur nowhere: no token can match
            Some(None) => {
                let (s, e) = snippet_span(text, &[], width);
                return (s, e, Vec::new());
            }
            Some(Some((base, region, hits))) => {
                let hl: Vec<[u32; 2]> = highlights_at(region, &hits, self.q, an)
                    .into_iter()
                    .map(|h| [h[0] + base, h[1] + base])
                    .collect();
                if !hl.is_empty() {
                    let (s, e) = snippet_span(text, &hl, width);
                    return (s, e, inside(hl, s, e));
                }
            }
            None => {}
        }
        // the first mentions were other words' pieces: every place, then the whole analysis
        let hl = self.highlights(text, an);
        let (s, e) = snippet_span(text, &hl, width);
        (s, e, inside(hl, s, e))
    }

    /// [`highlights`] of a whole text (a title; a snippet's last resort), analysing only the tokens where
    /// the query's stems occur as substrings; the whole text when that finds none.
    pub fn highlights(&self, text: &str, an: &mut Analyzer) -> Vec<[u32; 2]> {
        if let Some(hits) = self.places(text, u32::MAX) {
            if hits.is_empty() {
                return Vec::new();
            }
            let hl = highlights_at(text, &hits, self.q, an);
            if !hl.is_empty() {
                return hl;
            }
        }
        highlights(text, self.q, an)
    }

    /// Original code-point offsets of the places where the query's stems occur in the match
    /// form of `text`, in order (none: no token of `text` can match, since a stem's [`needle`]
    /// is a piece of its token's match form); `None` when they cannot be looked for. The text
    /// is read in pieces cut at white space, and no further than `enough` code points
    /// past the first place (a snippet is looked for near the first mention).
    fn places(&self, text: &str, enough: u32) -> Option<Vec<u32>> {
        let ac = self.needles.as_ref()?;
        let mut hits: Vec<u32> = Vec::new();
        let (mut b, mut c) = (0usize, 0u32);
        while b < text.len() {
            let mut e = (b + 2048).min(text.len());
            while !text.is_char_boundary(e) {
                e += 1;
            }
            e = text[e..]
                .find(char::is_whitespace)
                .map_or(text.len(), |k| e + k);
            let norm = marsad_text::normalize_match(&text[b..e]);
            let mut chars = norm.text.char_indices().enumerate();
            for m in ac.find_iter(&norm.text) {
                for (ci, (bi, _)) in chars.by_ref() {
                    if bi == m.start() {
                        hits.push(c + norm.map[ci]);
                        break;
                    }
                }
            }
            c += norm.map.last().copied().unwrap_or(0);
            b = e;
            if hits.first().is_some_and(|&h| c >= h.saturating_add(enough)) {
                break;
            }
        }
        Some(hits)
    }

    /// The part of `text` most likely to hold the snippet: code-point offset of its start, the
    /// part itself (cut at white space) and the places found in it (offsets into the part);
    /// `Some(None)` when the stems occur nowhere, `None` when they cannot be looked for.
    #[allow(clippy::type_complexity)]
    fn likely_region<'t>(
        &self,
        text: &'t str,
        width: u32,
    ) -> Option<Option<(u32, &'t str, Vec<u32>)>> {
        let hits = self.places(text, width * 2)?;
        if hits.is_empty() {
            return Some(None);
        }
        // the window with the most places, as snippet_span chooses it
        let points: Vec<[u32; 2]> = hits.iter().map(|&h| [h, h + 1]).collect();
        let best = densest_window(&points, width);
        // analyse it with a margin on both sides, from and to white space
        let from = best.0.saturating_sub(width / 4) as usize;
        let to = (best.0 + width + width / 4) as usize;
        let (mut start_b, mut start_c, mut end_b) = (0usize, 0usize, text.len());
        for (ci, (bi, c)) in text.char_indices().enumerate() {
            if ci <= from && c.is_whitespace() {
                start_b = bi + c.len_utf8();
                start_c = ci + 1;
            }
            if ci >= to && c.is_whitespace() {
                end_b = bi;
                break;
            }
        }
        let (s, e) = (
            start_c as u32,
            start_c as u32 + text[start_b..end_b].chars().count() as u32,
        );
        let local = hits
            .iter()
            .filter(|&&h| h >= s && h < e)
            .map(|h| h - s)
            .collect();
        Some(Some((s, &text[start_b..end_b], local)))
    }
}

/// The window `[h.start - lead, h.start - lead + width)` (lead = width / 5) holding the most of
/// the sorted `spans`: its start and how many it holds; `(0, 0)` without spans.
fn densest_window(spans: &[[u32; 2]], width: u32) -> (u32, usize) {
    let lead = width / 5;
    let mut best = (0u32, 0usize);
    for (i, h) in spans.iter().enumerate() {
        let s = h[0].saturating_sub(lead);
        let count = spans[i..].iter().take_while(|x| x[1] <= s + width).count();
        if count > best.1 {
            best = (s, count);
        }
    }
    best
}

/// A snippet of about `width` code points around the densest cluster of highlights, cut at
/// white space: `(start, end)` code-point offsets into `text`.
pub fn snippet_span(text: &str, hl: &[[u32; 2]], width: u32) -> (u32, u32) {
    let n = text.chars().count() as u32;
    if n <= width {
        return (0, n);
    }
    let mut start = densest_window(hl, width).0.min(n - width);
    // the characters the cuts below look at: from start - 1 to start + 20 + width
    let lo = start.saturating_sub(1);
    let win: Vec<char> = text
        .chars()
        .skip(lo as usize)
        .take(width as usize + 22)
        .collect();
    let at = |i: u32| win[(i - lo) as usize];
    // move start forward to a word start (unless at 0)
    if start > 0 {
        let mut s = start;
        while s < n && s < start + 20 && !at(s - 1).is_whitespace() {
            s += 1;
        }
        if s < n && at(s - 1).is_whitespace() {
            start = s;
        }
    }
    let mut end = (start + width).min(n);
    if end < n {
        let mut e = end;
        while e > start + width / 2 && !at(e).is_whitespace() {
            e -= 1;
        }
        if at(e).is_whitespace() {
            end = e;
        }
    }
    // never cut a highlight
    for h in hl {
        if h[0] < end && h[1] > end {
            end = h[1];
        }
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_forms_meet() {
        let mut an = Analyzer::new();
        let q = ParsedQuery::parse("إيران", &[], &mut an);
        for w in ["لإيران", "ايران", "إيران", "وإيران"] {
            let hl = highlights(w, &q, &mut an);
            assert_eq!(hl.len(), 1, "{w} {:?}", q);
        }
        assert!(q.fts5().starts_with("((\""), "{}", q.fts5());
    }

    #[test]
    fn phrases_highlight_whole() {
        let mut an = Analyzer::new();
        let q = ParsedQuery::parse("x", &["الجمهورية الإسلامية".to_string()], &mut an);
        let text = "قالت الجمهورية الإسلامية إن الثورة الإسلامية";
        let hl = highlights(text, &q, &mut an);
        assert_eq!(hl, vec![[5, 14], [15, 24]], "{hl:?}");
    }

    #[test]
    fn quotes_are_escaped() {
        let mut an = Analyzer::new();
        let q = ParsedQuery::parse("abc\"", &[], &mut an);
        let f = q.fts5();
        assert!(f.contains("\"abc\""), "{f}");
        let q = ParsedQuery::parse("\"", &[], &mut an);
        assert!(q.is_empty());
    }

    /// The snippet of a long text found through substrings agrees with analysing it whole:
    /// same highlights inside the window, never one that the whole analysis lacks.
    #[test]
    fn snippets_agree_with_whole_analysis() {
        let mut an = Analyzer::new();
        let filler =
            "وقال المسؤولون في بيان إن الاجتماع تناول الأوضاع الاقتصادية والسياسية في المنطقة. ";
        let texts = [
            filler.repeat(12)
                + "وزار وزير الخارجية الإيراني العاصمة لبحث العلاقات مع إيران وقطر. "
                + &filler.repeat(9),
            filler.repeat(3)
                + "وأعلنت الجمهورية الإسلامية الإيرانية أن ايران لن تتراجع. "
                + &filler.repeat(20),
            filler.repeat(25) + "قالت وزارة الخارجيّة إنّ إيرانَ ترحّب بالحوار مع الرياض. ",
            filler.repeat(15),
        ];
        let queries: [(&str, &[&str]); 5] = [
            ("إيران", &["الجمهورية الإسلامية الإيرانية"]),
            ("وزير الخارجية", &[]),
            ("الرياض", &[]),
            ("قطر", &[]),
            ("الاقتصادية", &[]),
        ];
        for (q, vars) in queries {
            let vars: Vec<String> = vars.iter().map(|v| v.to_string()).collect();
            let pq = ParsedQuery::parse(q, &vars, &mut an);
            let snip = Snippets::new(&pq);
            for t in &texts {
                let whole = highlights(t, &pq, &mut an);
                let (s, e, hl) = snip.snippet(t, 220, &mut an);
                assert!(e > s && e - s <= 240, "{q}: window {s}..{e}");
                let want: Vec<[u32; 2]> = whole
                    .iter()
                    .copied()
                    .filter(|h| h[0] >= s && h[1] <= e)
                    .collect();
                assert_eq!(hl, want, "{q}: window {s}..{e}");
                assert_eq!(whole.is_empty(), hl.is_empty(), "{q}");
                assert_eq!(snip.highlights(t, &mut an), whole, "{q}");
            }
        }
    }

    /// What [`Snippets`] rests on: the longest ه-free run of a search stem is a piece of its
    /// token's match form, for every token of the demo corpus.
    #[test]
    fn search_stems_are_pieces_of_match_forms() {
        let mut an = Analyzer::new();
        let mut tokens = 0;
        for line in include_str!("../../../data/demo/corpus.jsonl").lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let a = an.analyze(&Document::new(text));
            for t in &a.tokens {
                let stem = a.search_stem(t);
                let needle = needle(&stem);
                assert!(
                    a.match_form(t).contains(&needle),
                    "{:?} → {stem:?}",
                    a.match_form(t)
                );
                tokens += 1;
            }
        }
        assert!(tokens > 10_000, "{tokens}");
    }

    #[test]
    fn subsumed_alternatives_go() {
        let mut an = Analyzer::new();
        let vars: Vec<String> = ["الحوثي", "جماعة الحوثي", "أنصار الله", "ميليشيا الحوثي"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let mut q = ParsedQuery::parse("الحوثيين", &vars, &mut an);
        let before = q.fts5();
        q.drop_subsumed();
        let after = q.fts5();
        assert!(before.contains("جماع حوث"), "{before}");
        assert!(
            !after.contains("جماع حوث") && !after.contains("ميليشي"),
            "{after}"
        );
        assert!(
            after.contains("انصار الل") && after.contains("حوث"),
            "{after}"
        );
        // two words that imply each other: one stays
        let mut q = ParsedQuery::parse("x", &["x".to_string()], &mut an);
        q.drop_subsumed();
        assert_eq!(q.alternatives.len(), 1, "{q:?}");
    }

    #[test]
    fn prune_keeps_what_occurs() {
        let mut an = Analyzer::new();
        let mut q = ParsedQuery::parse("مجلس الوزراء", &["رئيس الحكومة".to_string()], &mut an);
        let before = q.alternatives.len();
        assert_eq!(before, 2);
        let occurs = ["مجلس", "وزراء", "فمجلس"];
        q.prune(|t| occurs.contains(&t));
        assert_eq!(q.alternatives.len(), 1, "{q:?}");
        assert_eq!(q.fts5(), "((\"مجلس\" OR \"فمجلس\") AND \"وزراء\")");
        q.prune(|_| false);
        assert!(q.is_empty());
    }

    #[test]
    fn snippet_is_cut_at_spaces() {
        let text = "a ".repeat(100) + "target " + &"b ".repeat(100);
        let pos = 200u32;
        let (s, e) = snippet_span(&text, &[[pos, pos + 6]], 60);
        assert!(s <= pos && e >= pos + 6, "{s} {e}");
        assert!(e - s <= 70);
    }
}
