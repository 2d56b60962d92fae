//! Stable 64-bit hashing for feature and dictionary keys.
//!
//! The model file stores hashes (of cluster words, gazetteer names and features), so the hash
//! must never change with a compiler or crate version: this is our own, fixed function.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Combine a running hash with one more value.
#[inline(always)]
pub fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(26) ^ x).wrapping_mul(K)
}

/// Final avalanche (MurmurHash3's fmix64), so that the top bits are usable as a table index.
#[inline(always)]
pub fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Hash of a byte string.
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(buf));
    }
    fmix(h)
}

/// Hash of a string.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn stable() {
        // the model file depends on these values: they must never change
        assert_eq!(hash_str(""), 0xefd0_1f60_ba99_2926);
        assert_eq!(hash_str("بغداد"), 0x4cd1_5714_cb4a_80aa);
        assert_ne!(hash_str("بغداد"), hash_str("بغدا"));
        assert_ne!(mix(1, 2), mix(2, 1));
    }
}
