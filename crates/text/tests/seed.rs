//! The seed article (`../shared/seed/`): the splits the foundation issue names, with offsets
//! that slice back to each surface form. Skips, saying so, when ../shared is missing.

use marsad_text::{Analyzer, Document, TokenKind};

const SEED: &str = "../../../shared/seed/000_c30fb58d7c41ca5d.txt";

#[test]
fn seed_article_splits() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} is missing (the seed article lives in ../shared beside the repository)",
            path.display()
        );
        return;
    };
    let doc = Document::from_article(text.as_str());
    assert_eq!(doc.meta.source.as_deref(), Some("مرصد مينا"));
    assert_eq!(doc.meta.dateline.as_deref(), Some("الولايات المتحدة"));
    let a = Analyzer::new().analyze(&doc);
    let chars: Vec<char> = text.chars().collect();
    let seg_of = |surface: &str| -> Vec<String> {
        a.tokens
            .iter()
            .filter(|t| {
                chars[t.start as usize..t.end as usize]
                    .iter()
                    .collect::<String>()
                    == surface
            })
            .map(|t| a.segments_in(&text, t))
            .collect()
    };
    for (w, want) in [
        ("بالرئيس", "ب+ال+رئيس"),
        ("لإيران", "ل+إيران"),
        ("وطهران", "و+طهران"),
        ("لقاآني", "ل+قاآني"),
        ("سيجتمع", "س+يجتمع"),
        ("بغداد", "بغداد"),
        ("لقاء", "لقاء"),
        ("الكاظمي", "ال+كاظمي"),
    ] {
        let got = seg_of(w);
        assert!(!got.is_empty(), "{w} not found in the seed");
        assert!(got.iter().all(|g| g == want), "{w}: {got:?}");
    }
    // every Arabic token's stem slices back to the right letters
    for t in a.tokens.iter().filter(|t| t.kind == TokenKind::Arabic) {
        let surface = doc.slice(t.start, t.end);
        let stem = doc.slice(t.stem_start, t.stem_end);
        assert!(surface.contains(stem));
    }
    // the paragraphs are lines: sentences never cross a line break
    for s in &a.sentences {
        assert!(!doc.slice(s.start, s.end).contains('\n'));
    }
}
