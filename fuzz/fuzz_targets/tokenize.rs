//! Fuzz the text core: any UTF-8 input must analyse without panic, with offsets that slice back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use marsad_text::{match_form, Analyzer, Document};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Document::new(text);
    let a = Analyzer::new().analyze(&doc);
    for t in &a.tokens {
        assert_eq!(doc.slice(t.start, t.end), &text[t.byte_start as usize..t.byte_end as usize]);
        assert!(t.start <= t.stem_start && t.stem_end <= t.end);
    }
    let m = match_form(text);
    assert_eq!(match_form(&m), m);
});
