//! Dictionaries of names as sequences of token keys (gazetteers, the training entity lexicon).
//!
//! A name is stored as the hash of its token keys (see [`crate::features::token_key`]) with a
//! 31-bit set of flags (what kind of name it is); every proper prefix is stored too, marked
//! [`PREFIX`], so that matching stops as soon as no longer name can follow. Matching reports,
//! for every token, the flags of the names that begin there and of the names that cover it.

use crate::hash::{fmix, mix};
use rustc_hash::FxHashMap;

/// Flag of a stored proper prefix of a longer name.
pub const PREFIX: u32 = 1 << 31;
/// Longest name matched, in tokens.
pub const MAX_LEN: usize = 8;

const SEED: u64 = 0x5EED_D1C7_0000_0001;

/// Hash of a key sequence (as stored in a [`Dict`]).
pub fn seq_hash(keys: &[u64]) -> u64 {
    let mut h = SEED;
    for &k in keys {
        h = mix(h, k);
    }
    fmix(h)
}

/// Names (as key sequences) with flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dict {
    pub(crate) map: FxHashMap<u64, u32>,
}

impl Dict {
    pub fn new() -> Self {
        Self::default()
    }
    /// Add a name with `flags` (bit 31 is reserved). Names longer than [`MAX_LEN`] are ignored.
    pub fn insert(&mut self, keys: &[u64], flags: u32) {
        if keys.is_empty() || keys.len() > MAX_LEN {
            return;
        }
        let flags = flags & !PREFIX;
        let mut h = SEED;
        for (i, &k) in keys.iter().enumerate() {
            h = mix(h, k);
            let e = self.map.entry(fmix(h)).or_insert(0);
            if i + 1 == keys.len() {
                *e |= flags;
            } else {
                *e |= PREFIX;
            }
        }
    }
    /// Flags of exactly this name (0 if absent).
    pub fn get(&self, keys: &[u64]) -> u32 {
        self.map.get(&seq_hash(keys)).map_or(0, |f| f & !PREFIX)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// For each position of `keys`: (flags of names beginning here, flags of names covering
    /// it without beginning here). `out` is cleared first.
    pub fn marks(&self, keys: &[u64], out: &mut Vec<(u32, u32)>) {
        out.clear();
        out.resize(keys.len(), (0, 0));
        if self.map.is_empty() {
            return;
        }
        for i in 0..keys.len() {
            let mut h = SEED;
            for len in 1..=MAX_LEN.min(keys.len() - i) {
                h = mix(h, keys[i + len - 1]);
                let Some(&f) = self.map.get(&fmix(h)) else {
                    break;
                };
                let f2 = f & !PREFIX;
                if f2 != 0 {
                    out[i].0 |= f2;
                    for o in &mut out[i + 1..i + len] {
                        o.1 |= f2;
                    }
                }
                if f & PREFIX == 0 {
                    break;
                }
            }
        }
    }
    /// Entries sorted by hash (for writing a model file).
    pub(crate) fn sorted(&self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self.map.iter().map(|(&k, &f)| (k, f)).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn longest_and_all() {
        let mut d = Dict::new();
        d.insert(&[1, 2], 1);
        d.insert(&[2], 2);
        d.insert(&[1, 2, 3], 4);
        let mut m = Vec::new();
        d.marks(&[9, 1, 2, 3, 2], &mut m);
        assert_eq!(m, vec![(0, 0), (5, 0), (2, 5), (0, 4), (2, 0)]);
        assert_eq!(d.get(&[1, 2]), 1);
        assert_eq!(d.get(&[1]), 0);
    }
}
