//! Search-form stems: ta marbuta folded, then Lucene light10-style suffix stripping.
//!
//! marsad's stem starts from the clitic segmenter's stem (so و/ب/ل/ال are removed only when the
//! lexicon supports it — وزير keeps its و, where light10 would strip it to زير), then strips the
//! light10 suffixes in light10's order: ها ان ات ون ين يه ية ه ة ي, each only if at least two
//! letters remain.

/// The endings that inflect a nisba adjective from its masculine singular (عراقي → عراقية,
/// عراقيون, عراقيين, عراقيان, عراقيات, عراقيتان, عراقيتين), in match form. The coder folds
/// nationality adjectives with them and the NER tagger's nationality flags list them.
pub const NISBA_SUFFIXES: [&str; 7] = ["ة", "ون", "ين", "ان", "ات", "تان", "تين"];

const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/// Search stem from a match-form stem.
pub fn search_stem(match_stem: &str) -> String {
    let mut s: String = match_stem
        .chars()
        .map(|c| if c == 'ة' { 'ه' } else { c })
        .collect();
    strip_suffixes(&mut s);
    s
}

fn strip_suffixes(s: &mut String) {
    for suf in SUFFIXES {
        if s.ends_with(suf) && s.chars().count() >= suf.chars().count() + 2 {
            let new_len = s.len() - suf.len();
            s.truncate(new_len);
        }
    }
}

/// Lucene ArabicStemmer (light10) on a match-form word, prefixes included: the anchor we compare
/// with in the segmentation table (it does not know which و is a clitic).
pub fn light10(word: &str) -> String {
    let mut s: String = word
        .chars()
        .map(|c| if c == 'ة' { 'ه' } else { c })
        .collect();
    for p in ["ال", "وال", "بال", "كال", "فال", "لل", "و"] {
        let (n, pl) = (s.chars().count(), p.chars().count());
        // Lucene: a one-letter prefix needs a word of four letters, others two letters left
        let long_enough = if pl == 1 { n >= 4 } else { n >= pl + 2 };
        if s.starts_with(p) && long_enough {
            s = s[p.len()..].to_string();
            break;
        }
    }
    strip_suffixes(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn table() {
        for (i, o) in [
            ("مدرسة", "مدرس"),
            ("معلمون", "معلم"),
            ("سيارات", "سيار"),
            ("كاظمي", "كاظم"),
            ("ايران", "اير"),
            ("بغداد", "بغداد"),
            ("هو", "هو"),
        ] {
            assert_eq!(search_stem(i), o, "{i}");
        }
        assert_eq!(light10("والمعلمون"), "معلم");
        assert_eq!(light10("وزير"), "زير");
    }
}
