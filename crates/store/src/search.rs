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
    let toks: Vec<(String, u32, u32)> = a
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Punct)
        .map(|t| (a.search_stem(t), t.start, t.end))
        .filter(|t| !t.0.is_empty())
        .collect();
    let mut marked = vec![false; toks.len()];
    for alt in &q.alternatives {
        for term in alt {
            match term {
                Term::Word(stems) => {
                    for (i, t) in toks.iter().enumerate() {
                        if stems.contains(&t.0) {
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
                        if toks[i..i + n].iter().zip(stems).all(|(t, s)| &t.0 == s) {
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

/// A snippet of about `width` code points around the densest cluster of highlights, cut at
/// white space: `(start, end)` code-point offsets into `text`.
pub fn snippet_span(text: &str, hl: &[[u32; 2]], width: u32) -> (u32, u32) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len() as u32;
    if n <= width {
        return (0, n);
    }
    // the window [h.start - lead, h.start - lead + width) holding the most highlights
    let lead = width / 5;
    let mut best = (0u32, 0usize);
    for (i, h) in hl.iter().enumerate() {
        let s = h[0].saturating_sub(lead);
        let count = hl[i..].iter().take_while(|x| x[1] <= s + width).count();
        if count > best.1 {
            best = (s, count);
        }
    }
    let mut start = best.0.min(n.saturating_sub(width));
    // move start forward to a word start (unless at 0)
    if start > 0 {
        let mut s = start;
        while s < n && s < start + 20 && !chars[s as usize - 1].is_whitespace() {
            s += 1;
        }
        if s < n && chars[s as usize - 1].is_whitespace() {
            start = s;
        }
    }
    let mut end = (start + width).min(n);
    if end < n {
        let mut e = end;
        while e > start + width / 2 && !chars[e as usize].is_whitespace() {
            e -= 1;
        }
        if chars[e as usize].is_whitespace() {
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

    #[test]
    fn snippet_is_cut_at_spaces() {
        let text = "a ".repeat(100) + "target " + &"b ".repeat(100);
        let pos = 200u32;
        let (s, e) = snippet_span(&text, &[[pos, pos + 6]], 60);
        assert!(s <= pos && e >= pos + 6, "{s} {e}");
        assert!(e - s <= 70);
    }
}
