//! From the statistical tagger's spans ([`marsad_ner::EntitySpan`]) to the coder's
//! [`NerSpan`]s.
//!
//! The tagger reports a mention as code-point offsets into the original text, end exclusive,
//! with the first token's proclitics left out (لإيران → إيران; a written-out article stays:
//! والعراق → العراق, للعراق → عراق) and the last token whole (a name takes no pronoun
//! suffix: كوباني, not كوبا). The coder
//! wants the first and last (inclusive) token of the mention, as indices into
//! `Analysis::tokens` (the whole document, not per sentence): it matches them against
//! dictionary mentions token by token.
//!
//! The mapping goes by the offsets alone and checks that they fall on the boundaries a mention
//! may have: the start at a token's start or inside its proclitics (up to the stem's start),
//! the end at a token's end (or at its stem's end, before an enclitic, as other taggers may
//! report it). A span that does not
//! align (from a tagger and an analysis that do not belong together, or an empty span) is
//! dropped.

use crate::code::NerSpan;
use crate::model::EntityType;
use marsad_ner::{EntitySpan, NerLabel};
use marsad_text::Analysis;

/// The coder's entity type of a tagger label.
pub fn entity_type(l: NerLabel) -> EntityType {
    match l {
        NerLabel::Pers => EntityType::PER,
        NerLabel::Org => EntityType::ORG,
        NerLabel::Loc => EntityType::LOC,
        NerLabel::Misc => EntityType::MISC,
    }
}

/// The token range of one tagger span, or `None` when its offsets do not fall on token
/// boundaries of `a` (see the module documentation).
pub fn to_ner_span(a: &Analysis, s: &EntitySpan) -> Option<NerSpan> {
    let toks = &a.tokens;
    if s.end <= s.start {
        return None;
    }
    // first token: the one containing `start`
    let first = toks.partition_point(|t| t.end <= s.start);
    let t = toks.get(first)?;
    let start_ok = s.start == t.start || (s.start > t.start && s.start <= t.stem_start);
    if !start_ok || s.start >= t.end {
        return None;
    }
    // last token: the one containing the last code point (`end - 1`)
    let last = toks.partition_point(|t| t.end < s.end);
    let u = toks.get(last)?;
    let end_ok = s.end == u.end || (s.end < u.end && s.end >= u.stem_end && u.stem_end > u.start);
    if !end_ok || s.end <= u.start || last < first {
        return None;
    }
    Some(NerSpan {
        first_token: first,
        last_token: last,
        kind: entity_type(s.label),
    })
}

/// The token ranges of the tagger's spans (in their order), dropping those that do not align.
pub fn to_ner_spans(a: &Analysis, spans: &[EntitySpan]) -> Vec<NerSpan> {
    spans.iter().filter_map(|s| to_ner_span(a, s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_text::{Analyzer, Document};

    fn analysis(text: &str) -> Analysis {
        Analyzer::new().analyze(&Document::new(text))
    }

    /// Code-point offsets of the `nth` occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str) -> (u32, u32) {
        let b = text.find(needle).expect("needle in text");
        let s = text[..b].chars().count() as u32;
        (s, s + needle.chars().count() as u32)
    }

    fn span(start: u32, end: u32, label: NerLabel) -> EntitySpan {
        EntitySpan {
            start,
            end,
            label,
            // deliberately wrong: the mapping goes by the offsets
            first_token: usize::MAX,
            last_token: usize::MAX,
        }
    }

    fn token_index(a: &Analysis, text: &str, word: &str) -> usize {
        let (s, _) = find(text, word);
        a.tokens
            .iter()
            .position(|t| t.start == s)
            .expect("token starts at word")
    }

    #[test]
    fn whole_tokens() {
        let text = "قال المتحدث خالد العتيبي إن الشركة ستواصل العمل.";
        let a = analysis(text);
        let (s, e) = find(text, "خالد العتيبي");
        let n = to_ner_span(&a, &span(s, e, NerLabel::Pers)).expect("aligned");
        assert_eq!(n.first_token, token_index(&a, text, "خالد"));
        assert_eq!(n.last_token, token_index(&a, text, "العتيبي"));
        assert_eq!(n.last_token, n.first_token + 1);
        assert_eq!(n.kind, EntityType::PER);
    }

    #[test]
    fn span_after_a_proclitic() {
        // لإيران: the tagger's span is إيران, the token is the whole word with its ل
        let text = "وجه الوزير انتقادات لإيران أمس.";
        let a = analysis(text);
        let (s, e) = find(text, "إيران");
        let ti = token_index(&a, text, "لإيران");
        assert!(a.tokens[ti].stem_start == s, "the analyser splits ل off");
        let n = to_ner_span(&a, &span(s, e, NerLabel::Loc)).expect("aligned");
        assert_eq!((n.first_token, n.last_token), (ti, ti));
        assert_eq!(n.kind, EntityType::LOC);
        // the whole token, clitic included, is a token boundary too
        let (s2, _) = find(text, "لإيران");
        assert!(to_ner_span(&a, &span(s2, e, NerLabel::Loc)).is_some());
    }

    #[test]
    fn article_kept_after_conjunction_and_enclitic_left_out() {
        let text = "زار الوفد بغداد والعراق يرحب بوزيرها.";
        let a = analysis(text);
        // والعراق → العراق: the span starts inside the proclitics, on the article
        let (s, e) = find(text, "العراق");
        let ti = token_index(&a, text, "والعراق");
        let n = to_ner_span(&a, &span(s, e, NerLabel::Loc)).expect("aligned");
        assert_eq!((n.first_token, n.last_token), (ti, ti));
        // بوزيرها → وزير: proclitic and enclitic both left out
        let tj = token_index(&a, text, "بوزيرها");
        let t = &a.tokens[tj];
        assert!(t.seg.enclitic().is_some(), "the analyser splits ها off");
        let n = to_ner_span(&a, &span(t.stem_start, t.stem_end, NerLabel::Pers)).expect("aligned");
        assert_eq!((n.first_token, n.last_token), (tj, tj));
    }

    #[test]
    fn unaligned_spans_are_dropped() {
        let text = "قال المتحدث خالد العتيبي إن الشركة ستواصل العمل.";
        let a = analysis(text);
        let (s, e) = find(text, "خالد العتيبي");
        let n = text.chars().count() as u32;
        for (start, end) in [
            (s + 1, e),     // starts inside a stem
            (s, e - 1),     // ends inside a stem
            (s, s),         // empty
            (e, s),         // reversed
            (s + 4, s + 5), // the space between two tokens
            (n + 3, n + 9), // past the end of the text
            (s, n + 9),     // ends past the end of the text
            (u32::MAX - 1, u32::MAX),
        ] {
            assert_eq!(
                to_ner_span(&a, &span(start, end, NerLabel::Pers)),
                None,
                "{start}..{end}"
            );
        }
        // a mixed list keeps only the aligned span
        let spans = [
            span(s + 1, e, NerLabel::Pers),
            span(s, e, NerLabel::Pers),
            span(n + 3, n + 9, NerLabel::Org),
        ];
        assert_eq!(to_ner_spans(&a, &spans).len(), 1);
        // and nothing at all in an empty analysis
        assert!(to_ner_spans(&Analysis::default(), &spans).is_empty());
    }

    #[test]
    fn agrees_with_the_taggers_own_token_indices() {
        let text = "التقى الرئيس اللبناني ميشال عون في بيروت بوزير الخارجية الإيراني، وقال لإيران إن والعراق.";
        let a = analysis(text);
        let spans = marsad_ner::Tagger::builtin().tag(text, &a);
        for s in &spans {
            let n = to_ner_span(&a, s).expect("the tagger's spans align");
            assert_eq!((n.first_token, n.last_token), (s.first_token, s.last_token));
            assert_eq!(n.kind, entity_type(s.label));
        }
    }

    #[test]
    fn labels() {
        assert_eq!(entity_type(NerLabel::Pers), EntityType::PER);
        assert_eq!(entity_type(NerLabel::Org), EntityType::ORG);
        assert_eq!(entity_type(NerLabel::Loc), EntityType::LOC);
        assert_eq!(entity_type(NerLabel::Misc), EntityType::MISC);
    }
}
