//! A loaded model's emission table held as its non-zero rows only, one byte a weight.
//!
//! Why: tagging sums, for every token, the rows of some 70 hashed features in each of two stages. A dense
//! table is 2^18 rows × 9 tags per stage (2.4 MB as bytes), far bigger than the CPU's caches, so nearly
//! every one of those reads missed them: profiles put most of the scoring time on the load instructions.
//! The shipped model has non-zero weights in about one row in eight; most features a token fires fall in
//! empty rows. Here a bitset of the rows that have weights (32 KB per stage, which stays in cache) answers
//! "empty?" without touching the weights, and the non-empty rows lie packed, found by the bitset's rank
//! (a popcount and a per-word running count). The whole table is a few hundred KB instead of 2.4 MB, and
//! a page load allocates and touches that much less memory. The sums are the same as the dense table's.

use super::N_TAGS;

/// Non-zero rows of a `rows × N_TAGS` table of `i8` weights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByteRows {
    rows: usize,
    /// Bit r: row r has a weight.
    present: Vec<u64>,
    /// Per word of `present` that has a row: how many rows before it have weights.
    rank: Vec<u32>,
    /// The rows that have weights, in row order, `N_TAGS` bytes each.
    weights: Vec<i8>,
    /// The lowest row [`ByteRows::push`] accepts next.
    next: usize,
}

impl ByteRows {
    /// An empty table of `rows` rows; fill it with [`ByteRows::push`] in increasing row order.
    pub fn new(rows: usize) -> ByteRows {
        let words = rows.div_ceil(64);
        ByteRows {
            rows,
            present: vec![0; words],
            rank: vec![0; words],
            weights: Vec::new(),
            next: 0,
        }
    }

    /// Packs a dense `rows × N_TAGS` table.
    pub fn from_dense(dense: &[i8]) -> ByteRows {
        let mut t = ByteRows::new(dense.len() / N_TAGS);
        for (r, row) in dense.chunks_exact(N_TAGS).enumerate() {
            if row.iter().any(|&w| w != 0) {
                t.push(r, row.try_into().expect("N_TAGS bytes"));
            }
        }
        t
    }

    /// Appends row `r`, which must come after every row pushed before (the model file stores rows in
    /// increasing order; the loader checks it). A row of zeros is not stored.
    pub fn push(&mut self, r: usize, row: [i8; N_TAGS]) {
        assert!(r < self.rows, "row {r} of a table of {}", self.rows);
        assert!(r >= self.next, "rows are pushed in increasing order");
        if row.iter().all(|&w| w == 0) {
            return;
        }
        self.next = r + 1;
        let (w, b) = (r / 64, r % 64);
        if self.present[w] == 0 {
            // First row in this word: every row pushed before lies in an earlier word. (Words without
            // rows keep 0: their count is never read, since their bits say every row is empty.)
            self.rank[w] = (self.weights.len() / N_TAGS) as u32;
        }
        self.present[w] |= 1 << b;
        self.weights.extend_from_slice(&row);
    }

    /// Number of rows (the dense table's).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Where row `r`'s weights start in the packed weights, if it has any.
    #[inline(always)]
    fn slot(&self, r: usize) -> Option<usize> {
        let (w, b) = (r / 64, r % 64);
        let word = *self.present.get(w)?;
        if word >> b & 1 == 0 {
            return None;
        }
        let k = self.rank[w] as usize + (word & ((1u64 << b) - 1)).count_ones() as usize;
        Some(k * N_TAGS)
    }

    /// Weight of row `r`, tag `t` (0 for an empty row).
    pub fn get(&self, r: usize, t: usize) -> i8 {
        self.slot(r).map_or(0, |k| self.weights[k + t])
    }

    /// Number of non-zero weights.
    pub fn nonzero(&self) -> usize {
        self.weights.iter().filter(|&&w| w != 0).count()
    }

    /// Bytes held in memory (bitset, running counts and packed rows).
    pub fn heap_bytes(&self) -> usize {
        self.present.len() * 8 + self.rank.len() * 4 + self.weights.len()
    }

    /// Adds the rows of `feats` and `extra` to `acc`.
    #[inline(always)]
    pub fn accumulate(&self, feats: &[u32], extra: &[u32], acc: &mut [i32; N_TAGS]) {
        for &f in feats.iter().chain(extra) {
            if let Some(k) = self.slot(f as usize) {
                let row: &[i8; N_TAGS] = self.weights[k..k + N_TAGS]
                    .try_into()
                    .expect("N_TAGS bytes");
                for t in 0..N_TAGS {
                    acc[t] += row[t] as i32;
                }
            }
        }
    }
}

/// Two stages' tables over the same rows, held side by side: one bitset of the rows where either stage
/// has a weight, and for each such row the first stage's `N_TAGS` bytes followed by the second's.
///
/// Why: both stages read the same feature ids of a token (the second adds a few of its own). Scoring the
/// two from one table costs one rank and one row load per feature instead of two of each, and the two
/// rows share a cache line; the profile put the row loads' cache misses at most of the scoring time. The
/// second stage's sums over a token's own features are then kept as nine integers instead of keeping the
/// feature ids (about 300 bytes a token) until the second stage runs. Integer sums do not depend on the
/// order they are taken in, so the scores are exactly those of [`ByteRows::accumulate`] on each stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairedRows {
    present: Vec<u64>,
    rank: Vec<u32>,
    /// `2 * N_TAGS` bytes a present row: the first table's row, then the second's (zeros where empty).
    weights: Vec<i8>,
}

impl PairedRows {
    /// The two tables side by side; `None` when their row counts differ.
    pub fn new(a: &ByteRows, b: &ByteRows) -> Option<PairedRows> {
        if a.rows != b.rows {
            return None;
        }
        let words = a.present.len();
        let (mut present, mut rank) = (vec![0u64; words], vec![0u32; words]);
        let mut weights = Vec::with_capacity(a.weights.len() + b.weights.len());
        let mut count = 0u32;
        for w in 0..words {
            let word = a.present[w] | b.present[w];
            present[w] = word;
            rank[w] = count;
            count += word.count_ones();
            let mut bits = word;
            while bits != 0 {
                let r = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for t in [a, b] {
                    match t.slot(r) {
                        Some(k) => weights.extend_from_slice(&t.weights[k..k + N_TAGS]),
                        None => weights.extend_from_slice(&[0; N_TAGS]),
                    }
                }
            }
        }
        Some(PairedRows {
            present,
            rank,
            weights,
        })
    }

    /// Bytes held in memory.
    pub fn heap_bytes(&self) -> usize {
        self.present.len() * 8 + self.rank.len() * 4 + self.weights.len()
    }

    /// Adds the first table's rows of `feats` to `first` and the second's to `second`.
    ///
    /// In two passes: the rows' places first (from the bitset and counts, small enough to stay in
    /// cache), then the sums. The second loop is a few instructions a row, so the CPU has many of the
    /// row loads (which miss the cache) in flight at once.
    #[inline(always)]
    pub fn accumulate(&self, feats: &[u32], first: &mut [i32; N_TAGS], second: &mut [i32; N_TAGS]) {
        const BATCH: usize = 64;
        for feats in feats.chunks(BATCH) {
            let mut at = [0u32; BATCH];
            let mut m = 0;
            for &f in feats {
                let r = f as usize;
                let (w, b) = (r / 64, r % 64);
                let Some(&word) = self.present.get(w) else {
                    continue;
                };
                at[m] = self.rank[w] + (word & ((1u64 << b) - 1)).count_ones();
                m += (word >> b & 1) as usize;
            }
            for &k in &at[..m] {
                let k = k as usize * 2 * N_TAGS;
                let row: &[i8; 2 * N_TAGS] = self.weights[k..k + 2 * N_TAGS]
                    .try_into()
                    .expect("2 N_TAGS bytes");
                for t in 0..N_TAGS {
                    first[t] += row[t] as i32;
                    second[t] += row[N_TAGS + t] as i32;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pseudo-random dense table with about one row in five non-empty.
    fn dense(rows: usize) -> Vec<i8> {
        let mut x = 12345u64;
        let mut v = vec![0i8; rows * N_TAGS];
        for row in v.chunks_exact_mut(N_TAGS) {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if x >> 61 == 0 {
                for (t, w) in row.iter_mut().enumerate() {
                    *w = ((x >> (8 * t % 56)) as i8).max(-127);
                }
            }
        }
        v
    }

    #[test]
    fn packed_rows_read_as_the_dense_table() {
        for rows in [1, 63, 64, 65, 1000, 4096] {
            let d = dense(rows);
            let p = ByteRows::from_dense(&d);
            assert_eq!(p.rows(), rows);
            for r in 0..rows {
                for t in 0..N_TAGS {
                    assert_eq!(
                        p.get(r, t),
                        d[r * N_TAGS + t],
                        "rows {rows}, row {r}, tag {t}"
                    );
                }
            }
            assert_eq!(p.nonzero(), d.iter().filter(|&&w| w != 0).count());
            let feats: Vec<u32> = (0..rows as u32).step_by(3).collect();
            let extra: Vec<u32> = (0..rows as u32).rev().step_by(7).collect();
            let mut want = [0i32; N_TAGS];
            for &f in feats.iter().chain(&extra) {
                for t in 0..N_TAGS {
                    want[t] += d[f as usize * N_TAGS + t] as i32;
                }
            }
            let mut got = [0i32; N_TAGS];
            p.accumulate(&feats, &extra, &mut got);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn rows_far_apart_and_an_empty_table() {
        let mut p = ByteRows::new(10_000);
        p.push(3, [1; N_TAGS]);
        p.push(9_000, [-2; N_TAGS]);
        p.push(9_999, [0; N_TAGS]); // zeros are not stored
        assert_eq!((p.get(3, 0), p.get(9_000, 8), p.get(9_999, 0)), (1, -2, 0));
        assert_eq!(p.get(4_000, 4), 0);
        assert_eq!(p.nonzero(), 2 * N_TAGS);
        let empty = ByteRows::new(128);
        assert_eq!(empty.get(127, 8), 0);
        let mut acc = [0; N_TAGS];
        empty.accumulate(&[0, 127], &[], &mut acc);
        assert_eq!(acc, [0; N_TAGS]);
    }

    #[test]
    fn paired_rows_sum_as_each_table() {
        for rows in [1, 64, 65, 1000, 4096] {
            let a = ByteRows::from_dense(&dense(rows));
            // Another pattern over the same rows: shift the dense table by a few rows.
            let mut db = dense(rows + 5);
            db.drain(..5 * N_TAGS);
            let b = ByteRows::from_dense(&db);
            let p = PairedRows::new(&a, &b).expect("same rows");
            let feats: Vec<u32> = (0..rows as u32).rev().step_by(3).chain([0, 0]).collect();
            let (mut wa, mut wb) = ([0i32; N_TAGS], [0i32; N_TAGS]);
            a.accumulate(&feats, &[], &mut wa);
            b.accumulate(&feats, &[], &mut wb);
            let (mut ga, mut gb) = ([0i32; N_TAGS], [0i32; N_TAGS]);
            p.accumulate(&feats, &mut ga, &mut gb);
            assert_eq!((ga, gb), (wa, wb), "rows {rows}");
        }
        assert!(PairedRows::new(&ByteRows::new(64), &ByteRows::new(128)).is_none());
    }
}
