//! Scoring clitic segmentation against a gold table (`word<TAB>segments[<TAB>note]`).

use crate::{match_form, Analyzer};

/// Which rows of the table to score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    All,
    /// odd data rows (1st, 3rd …): the rows the scorer's weights were tuned on
    Odd,
    /// even data rows: never looked at while tuning
    Even,
}

/// Accuracy figures.
#[derive(Clone, Debug, Default)]
pub struct SegScore {
    pub total: usize,
    pub correct: usize,
    pub whole_total: usize,
    pub whole_correct: usize,
    pub split_total: usize,
    pub split_correct: usize,
    pub light10_correct: usize,
    pub greedy_correct: usize,
    /// (word, gold, ours) for each error
    pub errors: Vec<(String, String, String)>,
}

impl SegScore {
    pub fn accuracy(&self) -> f64 {
        self.correct as f64 / self.total.max(1) as f64
    }
    pub fn report(&self) -> String {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        format!(
            "words {}\naccuracy {:.2}% ({} / {})\nstay-whole words {:.2}% ({} / {})\nsegmented words {:.2}% ({} / {})\n\
             baseline light10 prefixes (و ال وال بال كال فال لل) {:.2}%\nbaseline greedy proclitics, no lexicon {:.2}%",
            self.total,
            pct(self.correct, self.total),
            self.correct,
            self.total,
            pct(self.whole_correct, self.whole_total),
            self.whole_correct,
            self.whole_total,
            pct(self.split_correct, self.split_total),
            self.split_correct,
            self.split_total,
            pct(self.light10_correct, self.total),
            pct(self.greedy_correct, self.total),
        )
    }
}

/// Score `analyzer` on the gold table text.
pub fn score(gold: &str, analyzer: &mut Analyzer, rows: Rows) -> SegScore {
    let mut s = SegScore::default();
    let mut k = 0usize;
    for line in gold.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        k += 1;
        let take = match rows {
            Rows::All => true,
            Rows::Odd => k % 2 == 1,
            Rows::Even => k.is_multiple_of(2),
        };
        if !take {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(word), Some(gold_seg)) = (cols.next(), cols.next()) else {
            continue;
        };
        let ours = analyzer.segment_word(word);
        let whole = gold_seg == word;
        let eq = |a: &str| match_form(a) == match_form(gold_seg);
        s.total += 1;
        if whole {
            s.whole_total += 1;
        } else {
            s.split_total += 1;
        }
        if eq(&ours) {
            s.correct += 1;
            if whole {
                s.whole_correct += 1;
            } else {
                s.split_correct += 1;
            }
        } else {
            s.errors
                .push((word.to_string(), gold_seg.to_string(), ours));
        }
        if eq(&light10_segments(word)) {
            s.light10_correct += 1;
        }
        if eq(&greedy_segments(word)) {
            s.greedy_correct += 1;
        }
    }
    s
}

/// What Lucene's light10 prefix rules would split off (it has no notion of ب ل ك alone, س, or
/// pronouns).
pub fn light10_segments(word: &str) -> String {
    let m = match_form(word);
    let n = m.chars().count();
    for (p, parts, min) in [
        ("وال", "و+ال+", 2),
        ("بال", "ب+ال+", 2),
        ("كال", "ك+ال+", 2),
        ("فال", "ف+ال+", 2),
        ("لل", "ل+ال+", 2),
        ("ال", "ال+", 2),
        ("و", "و+", 3),
        // (Lucene's condition for و: the word has at least four letters)
    ] {
        if m.starts_with(p) && n >= p.chars().count() + min {
            let rest: String = word.chars().skip(p.chars().count()).collect();
            return format!("{parts}{rest}");
        }
    }
    word.to_string()
}

/// Guessing by prefix alone: strip every proclitic chain that leaves at least three letters.
pub fn greedy_segments(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let m: Vec<char> = match_form(word).chars().collect();
    if m.len() != chars.len() {
        return word.to_string();
    }
    let mut i = 0;
    let mut parts = Vec::new();
    if matches!(m.first(), Some('و' | 'ف')) && m.len() - i > 3 {
        parts.push(m[0].to_string());
        i += 1;
    }
    if matches!(m.get(i), Some('ب' | 'ك' | 'ل')) && m.len() - i > 3 {
        if m[i] == 'ل' && m.get(i + 1) == Some(&'ل') {
            parts.push("ل".into());
            parts.push("ال".into());
            i += 2;
        } else {
            parts.push(m[i].to_string());
            i += 1;
        }
    }
    if m.len() > i + 3 && m[i] == 'ا' && m[i + 1] == 'ل' {
        parts.push("ال".into());
        i += 2;
    }
    let rest: String = chars[i..].iter().collect();
    parts.push(rest);
    parts.join("+")
}
