//! One sense per discourse: a name the tagger found in a passage is a name wherever the same
//! words recur nearby.
//!
//! A news report names its subject in full once and then repeats it, often where the
//! sentence alone does not show that it is a name (`وكان بنفيكا الافضل`, `البنك التجاري`
//! seventeen times in one report). The second stage's document features already *lean*
//! towards the labels a word has elsewhere; this step, after decoding, *copies* them: every
//! span the final stage found (its words by [`token_key`](crate::features::token_key) with
//! the article, a pronoun suffix and a final ى kept, so the one-letter proclitics do not
//! matter — `البنك التجاري` also matches `وللبنك التجاري` — but `على` "on" is no `علي`, Ali;
//! the keys are made in `model.rs`) is tagged with the
//! same type wherever the same key sequence recurs within [`DOC_WINDOW`] sentences and the
//! tagger left all of it `O`, provided the tagger found it at least [`MIN_FOUND`] times there. A string found with several types takes the most frequent in
//! the window; longer strings are placed first. Only the spans decoded by the tagger are
//! copied (copies are not copied again), and no decoded label is changed.
//!
//! Gale, Church & Yarowsky (1992) observed the property for word senses; for NER it is the
//! usual "label consistency" post-process (e.g. Krishnan & Manning 2006 learn it; here it is a
//! fixed rule, switched off by `marsad ner eval --no-discourse` for comparison).

use crate::features::DOC_WINDOW;
use crate::{lab_to_tag, put_span, NerLabel};
use rustc_hash::FxHashMap;

/// How many times the tagger must have found a string (with one type) in the window before
/// it is copied. Chosen by 5-fold cross-validation over ANERcorp-train (out-of-fold
/// predictions, `ner train … --cv 5 --cv-output`): copying strings found once adds recall
/// (+1.2) but costs more precision (−1.5), F1 78.68 → 78.65; found at least twice, 78.93
/// (+0.25; dev split 74.35 → 74.69). A name tagged once among many mentions is more often
/// a word the tagger rightly left alone elsewhere.
pub const MIN_FOUND: u32 = 2;

/// Spans `(start, end, type index)` of a BILOU label sequence (by conlleval's rule, as scored).
fn spans(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let tags: Vec<crate::Tag> = labels.iter().map(|&k| lab_to_tag(k as usize)).collect();
    crate::score::spans(&tags)
        .into_iter()
        .map(|(s, e, l)| (s, e, l as usize))
        .collect()
}

/// The strings found in the window, by first key: (key sequence, times found per type).
type Window<'k> = FxHashMap<u64, Vec<(&'k [u64], [u32; 4])>>;

/// Copy the spans of `labels` (BILOU label indices of each sentence; `keys` are the
/// sentences' token keys, same lengths) to the all-`O` recurrences of their key sequences
/// within [`DOC_WINDOW`] sentences, in place.
pub(crate) fn propagate<'k>(keys: &[&'k [u64]], labels: &mut [Vec<u8>]) {
    let n = keys.len().min(labels.len());
    let found: Vec<Vec<(usize, usize, usize)>> = labels.iter().take(n).map(|l| spans(l)).collect();
    if found.iter().all(Vec::is_empty) {
        return;
    }
    // the window's strings: first key → (key sequence, counts per type)
    let mut window: Window<'k> = FxHashMap::default();
    let add = |w: &mut Window<'k>, s: usize, sign: i32| {
        for &(a, b, t) in &found[s] {
            let Some(ks) = keys[s].get(a..b) else {
                continue;
            };
            let list = w.entry(ks[0]).or_default();
            match list.iter_mut().find(|(k, _)| *k == ks) {
                Some((_, c)) => c[t] = (c[t] as i32 + sign) as u32,
                None if sign > 0 => list.push((ks, {
                    let mut c = [0; 4];
                    c[t] = 1;
                    c
                })),
                None => {}
            }
        }
    };
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for i in 0..n {
        while hi < (i + DOC_WINDOW + 1).min(n) {
            add(&mut window, hi, 1);
            hi += 1;
        }
        while lo < i.saturating_sub(DOC_WINDOW) {
            add(&mut window, lo, -1);
            lo += 1;
        }
        let ks = keys[i];
        let lab = &mut labels[i];
        if lab.len() != ks.len() || lab.iter().all(|&k| k != 0) {
            continue;
        }
        // every match at every position: (start, length, type)
        cands.clear();
        for p in 0..ks.len() {
            if lab[p] != 0 {
                continue;
            }
            let Some(list) = window.get(&ks[p]) else {
                continue;
            };
            for (seq, c) in list {
                let total: u32 = c.iter().sum();
                if total == 0 || !ks[p..].starts_with(seq) {
                    continue;
                }
                // the most frequent type (the first of equals), found often enough
                let t = (0..4).fold(0, |b, t| if c[t] > c[b] { t } else { b });
                if c[t] >= MIN_FOUND {
                    cands.push((p, seq.len(), t));
                }
            }
        }
        // longer strings first, then left to right
        cands.sort_by_key(|&(p, len, _)| (std::cmp::Reverse(len), p));
        for &(p, len, t) in &cands {
            if lab[p..p + len].iter().any(|&k| k != 0) {
                continue;
            }
            put_span(&mut lab[p..p + len], NerLabel::ALL[t]);
        }
    }
}

/// Take a final date word (`الخميس`, `أمس`: the keys for which `is_date` holds) out of a
/// decoded span when the words before it were found as a name of the same type elsewhere
/// within [`DOC_WINDOW`] sentences: `دونالد ترمب الخميس` ("Donald Trump on Thursday") where
/// `دونالد ترمب` is found on its own nearby. A name that ends in such a word and is not found
/// without it keeps it (`بدر الخميس`, a footballer). In place; run before [`propagate`].
pub(crate) fn trim_dates(keys: &[&[u64]], is_date: impl Fn(u64) -> bool, labels: &mut [Vec<u8>]) {
    let n = keys.len().min(labels.len());
    if !keys.iter().any(|ks| ks.iter().any(|&k| is_date(k))) {
        return;
    }
    let found: Vec<Vec<(usize, usize, usize)>> = labels.iter().take(n).map(|l| spans(l)).collect();
    for i in 0..n {
        for &(a, b, t) in &found[i] {
            if b - a < 2 || !keys[i].get(b - 1).is_some_and(|&k| is_date(k)) {
                continue;
            }
            let Some(prefix) = keys[i].get(a..b - 1) else {
                continue;
            };
            let near = i.saturating_sub(DOC_WINDOW)..(i + DOC_WINDOW + 1).min(n);
            let alone = near.clone().any(|j| {
                found[j].iter().any(|&(c, d, u)| {
                    u == t && (j, c, d) != (i, a, b) && keys[j].get(c..d) == Some(prefix)
                })
            });
            if alone {
                put_span(&mut labels[i][a..b - 1], NerLabel::ALL[t]);
                labels[i][b - 1] = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_date_word_leaves_a_name_found_without_it() {
        // PERS B1 I2 L3 U4; key 9 is a date word. [1 2] is found alone in sentence 1, so
        // [1 2 9] loses the 9; [5 9] is found nowhere else and keeps it
        let keys: Vec<Vec<u64>> = vec![vec![1, 2, 9, 0], vec![1, 2], vec![5, 9]];
        let mut labels = vec![vec![1, 2, 3, 0], vec![1, 3], vec![1, 3]];
        let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        trim_dates(&kr, |k| k == 9, &mut labels);
        assert_eq!(labels, vec![vec![1, 3, 0, 0], vec![1, 3], vec![1, 3]]);
    }

    // labels: O 0; PERS B1 I2 L3 U4; LOC 5..8; ORG 9..12
    #[test]
    fn copies_found_names_to_recurrences_nearby() {
        let keys: Vec<Vec<u64>> = vec![
            vec![1, 2, 3, 4],
            vec![9, 2, 3, 8, 4],
            vec![4, 7, 2, 3],
            vec![7, 7],
        ];
        let mut labels = vec![
            vec![0, 9, 11, 0],
            vec![0, 0, 0, 0, 0],
            vec![8, 0, 9, 11],
            vec![4, 0],
        ];
        let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        propagate(&kr, &mut labels);
        // [2 3] was found twice as an ORG: copied; 4 once as a LOC and 7 once as a PERS:
        // not copied
        assert_eq!(labels[0], vec![0, 9, 11, 0]);
        assert_eq!(labels[1], vec![0, 9, 11, 0, 0]);
        assert_eq!(labels[2], vec![8, 0, 9, 11]);
        assert_eq!(labels[3], vec![4, 0]);
    }

    #[test]
    fn never_overwrites_and_never_copies_copies() {
        // 2 is PERS in sentences 0 and 1; in sentence 2 it sits inside a decoded LOC span:
        // kept; copied to sentence 3, and 6 (a copy's neighbour) is left alone
        let keys: Vec<Vec<u64>> = vec![vec![2], vec![2], vec![5, 2], vec![2, 6]];
        let mut labels = vec![vec![4], vec![4], vec![5, 7], vec![0, 0]];
        let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        propagate(&kr, &mut labels);
        assert_eq!(labels, vec![vec![4], vec![4], vec![5, 7], vec![4, 0]]);
    }

    #[test]
    fn only_within_the_window() {
        // key 1 is a PERS twice in sentence 0, recurs DOC_WINDOW and DOC_WINDOW + 1 sentences later
        let mut keys: Vec<Vec<u64>> = vec![vec![0]; DOC_WINDOW + 2];
        keys[0] = vec![1, 1];
        keys[DOC_WINDOW] = vec![1];
        keys[DOC_WINDOW + 1] = vec![1];
        let mut labels: Vec<Vec<u8>> = vec![vec![0]; DOC_WINDOW + 2];
        labels[0] = vec![4, 4];
        let kr: Vec<&[u64]> = keys.iter().map(Vec::as_slice).collect();
        propagate(&kr, &mut labels);
        assert_eq!(labels[DOC_WINDOW], vec![4]);
        assert_eq!(labels[DOC_WINDOW + 1], vec![0]);
        assert!(labels[1..DOC_WINDOW].iter().all(|l| l == &vec![0]));
    }
}
