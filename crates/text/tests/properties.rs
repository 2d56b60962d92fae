//! Property tests: analysis never panics, offsets round-trip to the original text, the normal
//! forms are idempotent.

use marsad_text::{match_form, normalize_match, search_fold, Analyzer, Document};
use proptest::prelude::*;

/// Strings biased towards Arabic: letters, marks, tatweel, digits, punctuation, controls,
/// presentation forms, Latin.
fn arabicish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[\u{0621}-\u{064A}]{1,8}",
        "[\u{064B}-\u{0652}\u{0640}\u{0670}]{1,3}",
        "[\u{0660}-\u{0669}\u{06F0}-\u{06F9}0-9]{1,4}",
        "[ .،؛؟!«»\"\n\u{200c}\u{200f}\u{202b}#@:/%-]{1,3}",
        "[\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFC}]{1,3}",
        "[a-zA-Z]{1,6}",
        Just("https://a.example/x".to_string()),
        Just("a@b.org".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..20).prop_map(|v| v.concat())
}

fn check(text: &str) {
    let doc = Document::new(text);
    let a = Analyzer::new().analyze(&doc);
    let chars: Vec<char> = text.chars().collect();
    let mut prev_end = 0;
    for t in &a.tokens {
        assert!(t.start < t.end, "empty token");
        assert!(t.start >= prev_end, "tokens overlap or go backwards");
        prev_end = t.end;
        // code-point offsets and byte offsets name the same text
        let by_chars: String = chars[t.start as usize..t.end as usize].iter().collect();
        assert_eq!(by_chars, &text[t.byte_start as usize..t.byte_end as usize]);
        assert_eq!(doc.slice(t.start, t.end), by_chars);
        // the stem lies inside the token
        assert!(t.start <= t.stem_start && t.stem_start <= t.stem_end && t.stem_end <= t.end);
        // the token's match form is the match form of its surface
        assert_eq!(a.match_form(t), match_form(&by_chars));
        let _ = a.search_stem(t);
        let _ = a.segments_in(text, t);
    }
    let mut prev = 0;
    for s in &a.sentences {
        assert!(s.start < s.end && s.start >= prev && (s.end as usize) <= chars.len());
        prev = s.end;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn analysis_never_panics_and_offsets_round_trip(s in arabicish()) {
        check(&s);
    }

    #[test]
    fn match_form_is_idempotent(s in arabicish()) {
        let m = match_form(&s);
        prop_assert_eq!(match_form(&m), m.clone());
        let f = search_fold(&s);
        prop_assert_eq!(search_fold(&f), f);
    }

    #[test]
    fn normalized_map_points_into_the_original(s in arabicish()) {
        let n = normalize_match(&s);
        let len = s.chars().count() as u32;
        prop_assert_eq!(n.map.len(), n.text.chars().count() + 1);
        prop_assert_eq!(*n.map.last().unwrap(), len);
        prop_assert!(n.map.windows(2).all(|w| w[0] <= w[1]));
        // every normalised char maps to an original char whose own match form contains it
        let orig: Vec<char> = s.chars().collect();
        for (i, c) in n.text.chars().enumerate() {
            let o = orig[n.map[i] as usize];
            prop_assert!(match_form(&o.to_string()).contains(c));
        }
    }
}

#[test]
fn messy_inputs() {
    for s in [
        "",
        " ",
        "...؟؟!!",
        "\u{064E}\u{064E}محمد",
        "\u{0640}\u{0640}",
        "\u{200f}\u{202b}العراق\u{202c}",
        "Trump قال إن",
        "٣٫٥ و3.5 و۱۴۰۰",
        "«قال «لا",
        "http://",
        "@",
        "#",
        "\u{FDFA}\u{FEFB}",
    ] {
        check(s);
    }
}

#[test]
fn long_single_line() {
    // 5 MB on one line: no panic, linear time (the CLI handles 50 MB the same way)
    let line = "قال الرئيس والكاظمي في بغداد لإيران ".repeat(80_000);
    let doc = Document::new(line.as_str());
    let a = Analyzer::new().analyze(&doc);
    assert_eq!(a.tokens.len(), 80_000 * 6);
    assert_eq!(a.sentences.len(), 1);
}

#[test]
fn results_do_not_depend_on_what_was_analysed_before() {
    // the same match form with different original letters: ألمانيا / المانيا, معنى / معني
    let words = [
        "ألمانيا",
        "المانيا",
        "معنى",
        "معني",
        "سأكون",
        "ساكون",
        "الحق",
        "واضافت",
        "وأضافت",
    ];
    let fresh: Vec<String> = words
        .iter()
        .map(|w| Analyzer::new().segment_word(w))
        .collect();
    let mut shared = Analyzer::new();
    for order in [words.to_vec(), words.iter().rev().copied().collect()] {
        for w in order {
            let i = words.iter().position(|x| *x == w).unwrap();
            assert_eq!(shared.segment_word(w), fresh[i], "{w}");
        }
    }
}
