//! De-duplication keys: the exact content hash and the near-duplicate MinHash fingerprint.
//!
//! * **Exact**: xxh3-128 of the text with every run of white space collapsed to one space and
//!   the ends trimmed, so a copy re-wrapped or re-indented is still the same text.
//! * **Near**: MinHash over *match-form word 3-grams* (`marsad_text` match form: hamza, alef,
//!   ya, diacritics and tatweel folded, so a copy re-spelled by another desk still matches).
//!   [`NUM_HASHES`] 16-bit minima (b-bit one-permutation MinHash, see [`minhash`]);
//!   locality-sensitive hashing over
//!   [`LSH_BANDS`] bands of 2 minima finds the candidates, and the full signature estimates the
//!   Jaccard similarity of the shingle sets. A document whose estimate with an earlier one
//!   reaches [`NEAR_DUP_THRESHOLD`] joins that document's story cluster.
//!
//! Why these numbers: on the demo corpus the three syndicated pairs (one sentence changed, dates
//! re-anchored) have 3-gram Jaccard 0.54–0.68 and every other pair ≤ 0.18; with 128 minima the
//! estimate's standard error is ≤ 0.045, so 0.40 sits > 3 σ from both. With 32 bands of 2, a
//! pair at Jaccard 0.4 becomes a candidate with probability 1 − (1 − 0.4²)³² > 0.99.

use marsad_text::{Analysis, TokenKind};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

/// Number of minima in a signature.
pub const NUM_HASHES: usize = 128;
/// LSH bands (each of [`ROWS_PER_BAND`] minima, taken from the start of the signature).
pub const LSH_BANDS: usize = 32;
pub const ROWS_PER_BAND: usize = 2;
/// Estimated Jaccard similarity from which a document is a near duplicate.
pub const NEAR_DUP_THRESHOLD: f32 = 0.40;
/// Documents with fewer shingles than this are too short to call near duplicates.
pub const MIN_SHINGLES: usize = 8;
/// Shingle length in words.
pub const SHINGLE: usize = 3;

/// A MinHash signature (empty when the text is too short to fingerprint).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinHash(pub Vec<u16>);

impl MinHash {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Little-endian bytes (the stored form).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }
    pub fn from_bytes(b: &[u8]) -> Self {
        MinHash(
            b.chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
        )
    }
    /// Estimated Jaccard similarity of the two shingle sets (0 when either is empty).
    /// b-bit minima collide by chance with probability 2⁻¹⁶; the estimate corrects for it.
    pub fn similarity(&self, other: &MinHash) -> f32 {
        if self.0.len() != NUM_HASHES || other.0.len() != NUM_HASHES {
            return 0.0;
        }
        let eq = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        let p = eq as f64 / NUM_HASHES as f64;
        let c = 1.0 / 65536.0;
        (((p - c) / (1.0 - c)).max(0.0)) as f32
    }
    /// LSH band keys: band index in the high bits, the band's two minima below. Empty for an
    /// empty signature.
    pub fn band_keys(&self) -> Vec<i64> {
        if self.0.len() != NUM_HASHES {
            return Vec::new();
        }
        (0..LSH_BANDS)
            .map(|b| {
                let r = &self.0[b * ROWS_PER_BAND..(b + 1) * ROWS_PER_BAND];
                ((b as i64) << 32) | ((r[0] as i64) << 16) | r[1] as i64
            })
            .collect()
    }
}

/// The exact-duplicate key of a text.
pub fn content_hash(text: &str) -> [u8; 16] {
    let mut s = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    xxh3_128(s.as_bytes()).to_le_bytes()
}

/// Hash of each word token's match form (Arabic, Latin, numbers, hashtags), in order.
pub fn word_hashes(a: &Analysis) -> Vec<u64> {
    a.tokens
        .iter()
        .filter(|t| t.kind.is_word() || t.kind == TokenKind::Number)
        .map(|t| xxh3_64(a.match_form(t).as_bytes()))
        .collect()
}

/// MinHash signature of the word 3-grams of a sequence of word hashes: one-permutation
/// hashing (each shingle's 64-bit hash picks one of [`NUM_HASHES`] bins by its top bits and
/// competes for that bin's minimum with the rest), with *optimal densification* (Shrivastava,
/// ICML 2017) for empty bins — the Jaccard estimate of classic MinHash at the cost of one hash
/// per shingle instead of 128.
pub fn minhash(words: &[u64]) -> MinHash {
    if words.len() < SHINGLE + MIN_SHINGLES - 1 {
        return MinHash::default();
    }
    const BITS: u32 = NUM_HASHES.trailing_zeros();
    let mut bins = [u64::MAX; NUM_HASHES];
    for w in words.windows(SHINGLE) {
        let mut h = 0u64;
        for &x in w {
            h = (h.rotate_left(23) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
        let h = splitmix(h);
        let bin = (h >> (64 - BITS)) as usize;
        let v = h << BITS;
        if v < bins[bin] {
            bins[bin] = v;
        }
    }
    let filled: Vec<bool> = bins.iter().map(|&b| b != u64::MAX).collect();
    if filled.iter().filter(|&&f| f).count() < MIN_SHINGLES {
        return MinHash::default();
    }
    let mut out = [0u16; NUM_HASHES];
    for i in 0..NUM_HASHES {
        let mut v = bins[i];
        if !filled[i] {
            // the same probe sequence for every document: bin i borrows from bin j
            let mut attempt = 0u64;
            loop {
                let j = (splitmix(((i as u64) << 32) | attempt) >> (64 - BITS)) as usize;
                if filled[j] {
                    v = bins[j];
                    break;
                }
                attempt += 1;
            }
        }
        out[i] = (v >> 48) as u16;
    }
    MinHash(out.to_vec())
}

#[inline]
fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<u64> {
        s.split_whitespace()
            .map(|w| xxh3_64(w.as_bytes()))
            .collect()
    }

    #[test]
    fn identical_and_disjoint() {
        let a = minhash(&words("a b c d e f g h i j k l m n o p q r s t u v w"));
        let b = minhash(&words("a b c d e f g h i j k l m n o p q r s t u v w"));
        let c = minhash(&words("z y x w v u t s r q p o n m l k j i h g f e d c"));
        assert_eq!(a.similarity(&b), 1.0);
        assert!(a.similarity(&c) < 0.1);
        assert_eq!(a.band_keys().len(), LSH_BANDS);
        assert_eq!(MinHash::from_bytes(&a.to_bytes()), a);
    }

    #[test]
    fn estimate_tracks_jaccard() {
        // 40 shared 3-grams out of 60 distinct: Jaccard 2/3 … roughly
        let base: Vec<String> = (0..50).map(|i| format!("w{i}")).collect();
        let mut other = base.clone();
        for w in other.iter_mut().skip(40) {
            w.push('x');
        }
        let h =
            |v: &Vec<String>| minhash(&v.iter().map(|w| xxh3_64(w.as_bytes())).collect::<Vec<_>>());
        let s = h(&base).similarity(&h(&other));
        // true: 38 shared of 48+48-38 = 58 → 0.655
        assert!((s - 0.655).abs() < 0.15, "{s}");
    }

    #[test]
    fn short_texts_have_no_fingerprint() {
        assert!(minhash(&words("a b c d")).is_empty());
        assert!(minhash(&words("a b c d")).band_keys().is_empty());
    }

    #[test]
    fn content_hash_ignores_spacing() {
        assert_eq!(content_hash("a  b\n c "), content_hash("a b c"));
        assert_ne!(content_hash("a b c"), content_hash("a b d"));
    }
}
