//! # marsad-coder — actors and events
//!
//! From an analysed Arabic document to entities with canonical ids and CAMEO actor codes, and to
//! coded events (CAMEO code, QuadClass, Goldstein, PLOVER, source, target, place, date, mood).
//! Pure: no I/O; dictionaries are data files embedded at build time.

pub mod code;
pub mod dict;
pub mod eval;
pub mod model;
pub mod ner;
pub mod patterns;

pub use code::NerSpan;
pub use model::*;

use marsad_ner::Tagger;
use marsad_text::{Analyzer, Document};

/// The full analysis pipeline (text → named entities → entities → events). Keep one per thread.
pub struct Pipeline {
    analyzer: Analyzer,
    /// the statistical NER tagger (names the dictionaries do not know); `None`: dictionaries only
    tagger: Option<&'static Tagger>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self::new()
    }
}

impl Pipeline {
    pub fn new() -> Self {
        Pipeline {
            analyzer: Analyzer::new(),
            tagger: Some(Tagger::builtin()),
        }
    }

    /// A pipeline that finds actors by the dictionaries alone, without the NER tagger (faster;
    /// names the dictionaries do not know are not found).
    pub fn dictionary_only() -> Self {
        Pipeline {
            analyzer: Analyzer::new(),
            tagger: None,
        }
    }

    /// Analyse one document. Never fails; a document without actors has no events.
    pub fn analyze(&mut self, doc: &Document) -> DocAnalysis {
        let a = self.analyzer.analyze(doc);
        let mut spans = match self.tagger {
            Some(t) => ner::to_ner_spans(&a, &t.tag(doc.text(), &a)),
            None => Vec::new(),
        };
        // the outlet's name in a header line (`مرصد مينا – الولايات المتحدة`) is the
        // document's source, not a name the article mentions (مينا is no person)
        if let Some((start, end)) = header_source_span(doc) {
            spans.retain(|s| {
                let (first, last) = (&a.tokens[s.first_token], &a.tokens[s.last_token]);
                last.end <= start || first.start >= end
            });
        }
        let (entities, events) = code::code_document(doc, &a, &spans);
        DocAnalysis {
            document: DocumentInfo {
                id: doc.meta.id.clone(),
                title: doc.meta.title.clone(),
                source: doc.meta.source.clone(),
                dateline: doc.meta.dateline.clone(),
                date: doc.meta.date.clone(),
            },
            sentences: a
                .sentences
                .iter()
                .map(|s| SentenceSpan {
                    start: s.start,
                    end: s.end,
                })
                .collect(),
            entities,
            events,
        }
    }
}

/// The code-point span of the outlet's name in the document's header line, when the text
/// begins with one (`SOURCE – DATELINE`, as [`Document::from_article`] reads it) and it names
/// the document's source. Documents whose source comes from elsewhere (a JSONL field) have none.
fn header_source_span(doc: &Document) -> Option<(u32, u32)> {
    let source = doc.meta.source.as_deref()?;
    let line = doc.text().lines().next()?;
    let (s, _) = marsad_text::parse_header(line)?;
    if s != source {
        return None;
    }
    let at = line.find(source)?;
    let start = line[..at].chars().count() as u32;
    Some((start, start + source.chars().count() as u32))
}

/// Spelling variants and aliases of a search query: every alias of every actor whose name or
/// alias the query matches (ترمب → ترامب, دونالد ترامب …). The query itself comes first.
pub fn expand_query(query: &str) -> Vec<String> {
    dict::Dictionaries::builtin().expand(query)
}
