//! Word embeddings learned without labels, and their k-means classes.
//!
//! Each word is described by the words seen just before and just after it (positive pointwise
//! mutual information with context-distribution smoothing, Levy, Goldberg & Dagan 2015); a
//! randomised SVD (Halko, Martinsson & Tropp 2011) reduces those sparse rows to a few dozen
//! dimensions, and k-means over the unit-length vectors gives word classes at several
//! granularities (Guo et al. 2014: k-means of embeddings as discrete features of a linear
//! tagger). These classes complement the exchange clusters ([`crate::clusters`]): exchange
//! optimises a class bigram model over the word to the right only, the embeddings see both
//! sides and a wider window. Everything is single-threaded with fixed seeds, so the result is
//! the same on every run.

/// A small deterministic random generator (splitmix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Options of [`embeddings`].
#[derive(Clone, Debug)]
pub struct EmbedOptions {
    /// context words on each side
    pub window: usize,
    /// the most frequent words serve as contexts (left and right apart)
    pub contexts: usize,
    pub dim: usize,
    /// context-distribution smoothing exponent
    pub alpha: f64,
    /// power iterations of the randomised SVD
    pub power_iters: usize,
    pub seed: u64,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            window: 2,
            contexts: 5000,
            dim: 64,
            alpha: 0.75,
            power_iters: 3,
            seed: 0x5EED_E3BE_D000_0001,
        }
    }
}

/// A sparse matrix (compressed rows).
struct Csr {
    cols: usize,
    ix: Vec<usize>,
    col: Vec<u32>,
    val: Vec<f64>,
}

impl Csr {
    /// `self · x` for a dense `cols × k` matrix (row-major); `rows × k`.
    fn mul(&self, x: &[f64], k: usize) -> Vec<f64> {
        let rows = self.ix.len() - 1;
        let mut y = vec![0f64; rows * k];
        for r in 0..rows {
            let yr = &mut y[r * k..r * k + k];
            for e in self.ix[r]..self.ix[r + 1] {
                let (c, v) = (self.col[e] as usize, self.val[e]);
                for (a, &b) in yr.iter_mut().zip(&x[c * k..c * k + k]) {
                    *a += v * b;
                }
            }
        }
        y
    }
    /// `selfᵀ · x` for a dense `rows × k` matrix; `cols × k`.
    fn tmul(&self, x: &[f64], k: usize) -> Vec<f64> {
        let rows = self.ix.len() - 1;
        let mut y = vec![0f64; self.cols * k];
        for r in 0..rows {
            let xr = &x[r * k..r * k + k];
            for e in self.ix[r]..self.ix[r + 1] {
                let (c, v) = (self.col[e] as usize, self.val[e]);
                for (a, &b) in y[c * k..c * k + k].iter_mut().zip(xr) {
                    *a += v * b;
                }
            }
        }
        y
    }
}

/// Orthonormalise the columns of a row-major `n × k` matrix in place (modified Gram-Schmidt,
/// twice for stability).
fn orthonormalize(a: &mut [f64], n: usize, k: usize) {
    for _ in 0..2 {
        for j in 0..k {
            for p in 0..j {
                let mut d = 0.0;
                for i in 0..n {
                    d += a[i * k + j] * a[i * k + p];
                }
                for i in 0..n {
                    a[i * k + j] -= d * a[i * k + p];
                }
            }
            let norm = (0..n).map(|i| a[i * k + j].powi(2)).sum::<f64>().sqrt();
            let inv = if norm > 1e-300 { 1.0 / norm } else { 0.0 };
            for i in 0..n {
                a[i * k + j] *= inv;
            }
        }
    }
}

/// Eigen-decomposition of a symmetric `k × k` matrix (cyclic Jacobi): eigenvalues in
/// decreasing order and the eigenvectors as columns of a row-major matrix.
fn sym_eigen(mut a: Vec<f64>, k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; k * k];
    for i in 0..k {
        v[i * k + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * k + j].powi(2))
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                let apq = a[p * k + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * k + q] - a[p * k + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let (arp, arq) = (a[r * k + p], a[r * k + q]);
                    a[r * k + p] = c * arp - s * arq;
                    a[r * k + q] = s * arp + c * arq;
                }
                for r in 0..k {
                    let (apr, aqr) = (a[p * k + r], a[q * k + r]);
                    a[p * k + r] = c * apr - s * aqr;
                    a[q * k + r] = s * apr + c * aqr;
                }
                for r in 0..k {
                    let (vrp, vrq) = (v[r * k + p], v[r * k + q]);
                    v[r * k + p] = c * vrp - s * vrq;
                    v[r * k + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&x, &y| a[y * k + y].total_cmp(&a[x * k + x]).then(x.cmp(&y)));
    let vals = order.iter().map(|&i| a[i * k + i]).collect();
    let mut vecs = vec![0f64; k * k];
    for (j, &o) in order.iter().enumerate() {
        for r in 0..k {
            vecs[r * k + j] = v[r * k + o];
        }
    }
    (vals, vecs)
}

/// Embeddings of the words `0..vocab` of a corpus of word ids (ids ≥ `vocab` are rare words
/// or markers: they count as contexts of nothing and have no vector). Words are ordered by
/// frequency (id 0 the most frequent), so the first `opts.contexts` ids are the context words.
/// Returns `vocab × dim` values, row-major, each row of unit length (zero for a word never
/// seen with a context).
pub fn embeddings(corpus: &[Vec<u32>], vocab: usize, opts: &EmbedOptions) -> Vec<f32> {
    let nc = opts.contexts.min(vocab);
    let cols = 2 * nc;
    // co-occurrence counts, weighted by 1/distance
    let mut rows: Vec<rustc_hash::FxHashMap<u32, f64>> =
        vec![rustc_hash::FxHashMap::default(); vocab];
    for s in corpus {
        for (i, &w) in s.iter().enumerate() {
            if w as usize >= vocab {
                continue;
            }
            for d in 1..=opts.window {
                let wt = 1.0 / d as f64;
                if i >= d {
                    let c = s[i - d] as usize;
                    if c < nc {
                        *rows[w as usize].entry(c as u32).or_insert(0.0) += wt;
                    }
                }
                if let Some(&c) = s.get(i + d) {
                    if (c as usize) < nc {
                        *rows[w as usize]
                            .entry((nc + c as usize) as u32)
                            .or_insert(0.0) += wt;
                    }
                }
            }
        }
    }
    let mut row_sum = vec![0f64; vocab];
    let mut col_sum = vec![0f64; cols];
    let mut total = 0f64;
    for (w, r) in rows.iter().enumerate() {
        for (&c, &n) in r {
            row_sum[w] += n;
            col_sum[c as usize] += n;
            total += n;
        }
    }
    let col_alpha: Vec<f64> = col_sum.iter().map(|&n| n.powf(opts.alpha)).collect();
    let alpha_total: f64 = col_alpha.iter().sum();
    // PPMI rows, columns sorted (deterministic order)
    let mut m = Csr {
        cols,
        ix: vec![0],
        col: Vec::new(),
        val: Vec::new(),
    };
    for (w, r) in rows.iter().enumerate() {
        let mut e: Vec<(u32, f64)> = r.iter().map(|(&c, &n)| (c, n)).collect();
        e.sort_unstable_by_key(|x| x.0);
        for (c, n) in e {
            let pmi =
                ((n / total) / ((row_sum[w] / total) * (col_alpha[c as usize] / alpha_total))).ln();
            if pmi > 0.0 {
                m.col.push(c);
                m.val.push(pmi);
            }
        }
        m.ix.push(m.col.len());
    }
    drop(rows);
    // randomised SVD: range of M by a Gaussian sketch and power iterations
    let k = opts.dim + 16;
    let mut rng = Rng(opts.seed);
    let omega: Vec<f64> = (0..cols * k).map(|_| rng.normal()).collect();
    let mut q = m.mul(&omega, k);
    orthonormalize(&mut q, vocab, k);
    for _ in 0..opts.power_iters {
        let mut z = m.tmul(&q, k);
        orthonormalize(&mut z, cols, k);
        q = m.mul(&z, k);
        orthonormalize(&mut q, vocab, k);
    }
    // B = Qᵀ M (k × cols), stored transposed (cols × k); B Bᵀ = its Gram matrix
    let bt = m.tmul(&q, k);
    let mut g = vec![0f64; k * k];
    for r in 0..cols {
        let row = &bt[r * k..r * k + k];
        for i in 0..k {
            for j in 0..k {
                g[i * k + j] += row[i] * row[j];
            }
        }
    }
    let (vals, vecs) = sym_eigen(g, k);
    // U = Q · eigenvectors; the word vector is U Σ^½ (Levy et al.'s eigenvalue weighting), taken
    // to unit length
    let d = opts.dim;
    let mut out = vec![0f32; vocab * d];
    for w in 0..vocab {
        let qr = &q[w * k..w * k + k];
        let mut v = vec![0f64; d];
        for (j, x) in v.iter_mut().enumerate() {
            let s = vals[j].max(0.0).sqrt().sqrt();
            *x = (0..k).map(|i| qr[i] * vecs[i * k + j]).sum::<f64>() * s;
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-12 {
            for (o, x) in out[w * d..w * d + d].iter_mut().zip(&v) {
                *o = (x / norm) as f32;
            }
        }
    }
    out
}

/// k-means (spherical: dot product with unit-length centroids) of `n` vectors of `dim`
/// values, seeded by k-means++ with a fixed seed; returns the class of each vector. Zero
/// vectors are assigned to class 0 and do not move centroids.
pub fn kmeans(x: &[f32], dim: usize, k: usize, iters: usize, seed: u64) -> Vec<u16> {
    let n = x.len() / dim;
    let k = k.min(n).max(1);
    let row = |i: usize| &x[i * dim..i * dim + dim];
    let live: Vec<usize> = (0..n)
        .filter(|&i| row(i).iter().any(|&v| v != 0.0))
        .collect();
    let mut cent = vec![0f32; k * dim];
    if live.is_empty() {
        return vec![0; n];
    }
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    // k-means++ (distance on the unit sphere: 1 - cos)
    let mut rng = Rng(seed);
    let mut best = vec![f32::MAX; live.len()];
    let mut pick = live[0];
    for c in 0..k {
        cent[c * dim..c * dim + dim].copy_from_slice(row(pick));
        let cc = &cent[c * dim..c * dim + dim];
        let mut sum = 0f64;
        for (b, &i) in best.iter_mut().zip(&live) {
            let d = (1.0 - dot(row(i), cc)).max(0.0);
            if d < *b {
                *b = d;
            }
            sum += *b as f64;
        }
        let mut r = rng.unit() * sum;
        pick = live[live.len() - 1];
        for (b, &i) in best.iter().zip(&live) {
            r -= *b as f64;
            if r <= 0.0 {
                pick = i;
                break;
            }
        }
    }
    let mut assign = vec![0u16; n];
    for _ in 0..iters {
        let mut moved = 0usize;
        for &i in &live {
            let r = row(i);
            let (mut bc, mut bs) = (0usize, f32::MIN);
            for c in 0..k {
                let s = dot(r, &cent[c * dim..c * dim + dim]);
                if s > bs {
                    bs = s;
                    bc = c;
                }
            }
            if assign[i] as usize != bc {
                moved += 1;
            }
            assign[i] = bc as u16;
        }
        let mut sums = vec![0f64; k * dim];
        for &i in &live {
            let c = assign[i] as usize;
            for (s, &v) in sums[c * dim..c * dim + dim].iter_mut().zip(row(i)) {
                *s += v as f64;
            }
        }
        for c in 0..k {
            let s = &sums[c * dim..c * dim + dim];
            let norm = s.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm > 1e-12 {
                for (o, v) in cent[c * dim..c * dim + dim].iter_mut().zip(s) {
                    *o = (v / norm) as f32;
                }
            }
        }
        if moved == 0 {
            break;
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_diagonal_and_rotated() {
        let (vals, _) = sym_eigen(vec![1.0, 0.0, 0.0, 3.0], 2);
        assert!((vals[0] - 3.0).abs() < 1e-9 && (vals[1] - 1.0).abs() < 1e-9);
        let (vals, vecs) = sym_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
        assert!((vals[0] - 3.0).abs() < 1e-9 && (vals[1] - 1.0).abs() < 1e-9);
        assert!((vecs[0].abs() - 0.5f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn words_used_alike_share_a_class() {
        // two families of words that occur in different frames
        let mut corpus = Vec::new();
        for i in 0..200u32 {
            let a = 10 + i % 3; // "cities"
            let b = 13 + i % 3; // "verbs"
            corpus.push(vec![0, 1, a, 2, 3]);
            corpus.push(vec![4, b, 5, 6, 7]);
        }
        let opts = EmbedOptions {
            dim: 4,
            ..EmbedOptions::default()
        };
        let e = embeddings(&corpus, 16, &opts);
        let e2 = embeddings(&corpus, 16, &opts);
        assert_eq!(e, e2, "deterministic");
        let cl = kmeans(&e, 4, 2, 20, 1);
        assert_eq!(cl[10], cl[11]);
        assert_eq!(cl[11], cl[12]);
        assert_eq!(cl[13], cl[14]);
        assert_ne!(cl[10], cl[13]);
    }
}
