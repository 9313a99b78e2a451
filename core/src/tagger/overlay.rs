//! Online learning: weight deltas over the shipped model, learned from an annotator's corrections.
//!
//! Why an overlay and not a changed model: the shipped model is embedded, immutable and shared (one per
//! page, one per process); what a team teaches it belongs to that team's collection, must be undoable and
//! resettable, and must be small enough to keep in browser storage. So the corrections live in a sparse map
//! `(stage, feature) → one delta per tag`, added to the model's emission scores while tagging
//! ([`super::Tagger::spans_in_with`]). [`Overlay::fold_into`] writes them into a model's weights, which is how
//! `sahifa train --continue-from` ships a team's corrections.
//!
//! Learning is a passive-aggressive perceptron step on each sentence the annotator reviewed
//! ([`super::Tagger::learn`]): where the tagger's tag differs from the annotator's, the token's features
//! move towards the right tag by just enough (plus a margin) that this sentence now decodes as corrected —
//! "weighted so one correction matters" — rather than by a fixed step lost among the model's large weights.
//!
//! Bytes (little-endian): magic `SAHIFALO` | version u32 | n u32 | n × (key u32 | 9 × f32) | crc32 u32 of
//! every byte before it. [`Overlay::from_bytes`] rejects anything else with an [`OverlayError`].

use super::hash::crc32;
use super::N_TAGS;
use std::collections::BTreeMap;

const MAGIC: &[u8; 8] = b"SAHIFALO";
/// Version of the overlay's byte layout.
pub const OVERLAY_VERSION: u32 = 1;
const ENTRY: usize = 4 + 4 * N_TAGS;

/// The step of the grid shared learned weights are kept on ([`Overlay::on_grid`]): 2^-12 score units, far
/// below a learning step's margin (the tagger's temperature × 0.05, 1.6 units for the shipped model).
pub const GRID: f32 = 1.0 / 4096.0;
/// The largest delta one tab contributes on the grid (larger ones are held at it).
pub const GRID_LIMIT: f32 = 2048.0;
/// Sums of grid values stay exact while below this (an `f32` holds 24 bits: 2^12 steps of 2^-12 a unit).
pub const GRID_SUM_LIMIT: f32 = 4096.0;

/// Why overlay bytes were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverlayError {
    #[error("not Sahifa learned weights (bad magic header)")]
    BadMagic,
    #[error("learned weights of format version {0}; this build reads version {OVERLAY_VERSION}")]
    Version(u32),
    #[error("learned weights are truncated or have trailing bytes: {len} bytes for {n} entries")]
    Length { len: usize, n: usize },
    #[error("learned weights are corrupted: checksum {computed:08x} does not match the stored {stored:08x}")]
    Checksum { stored: u32, computed: u32 },
    #[error("learned weights hold a value that is not a finite number")]
    NotFinite,
}

/// Weight deltas by `(stage, feature)`, in real score units. Ordered, so its bytes are deterministic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlay {
    deltas: BTreeMap<u32, [f32; N_TAGS]>,
}

/// The entries of `entries` that are not all zeros, as a map. Built by inserts only: dropping entries in
/// place (`BTreeMap::remove`, `retain`) or collecting (a sort, then a bulk build) would each bring their own
/// code into the widget's wasm, about 3 kB gzipped in all, for maps of a few thousand entries.
fn nonzero(entries: impl IntoIterator<Item = (u32, [f32; N_TAGS])>) -> BTreeMap<u32, [f32; N_TAGS]> {
    let mut map = BTreeMap::new();
    for (k, d) in entries {
        if d.iter().any(|v| *v != 0.0) {
            map.insert(k, d);
        }
    }
    map
}

/// The map key of feature `f` in stage `k` (feature ids are below 2^22).
fn key(k: usize, f: u32) -> u32 {
    (k as u32) << 24 | f
}

impl Overlay {
    pub fn new() -> Overlay {
        Overlay::default()
    }

    pub fn is_empty(&self) -> bool {
        self.deltas.is_empty()
    }

    /// Number of features with a delta.
    pub fn len(&self) -> usize {
        self.deltas.len()
    }

    /// Adds the deltas of `feats` (stage `k`) to `out`.
    pub(crate) fn add_to(&self, k: usize, feats: &[u32], extra: &[u32], out: &mut [f32; N_TAGS]) {
        if self.deltas.is_empty() {
            return;
        }
        for &f in feats.iter().chain(extra) {
            if let Some(d) = self.deltas.get(&key(k, f)) {
                for t in 0..N_TAGS {
                    out[t] += d[t];
                }
            }
        }
    }

    /// Moves the features of one token (stage `k`) by `step` towards the type of tag `to` and away from
    /// the type of tag `from` (both B and I of a type, or O): a word's evidence is about what it names, and
    /// where a name begins is left to the context (a B/I confusion within one type teaches nothing).
    /// Returns whether anything moved.
    pub(crate) fn nudge(
        &mut self,
        k: usize,
        feats: &[u32],
        extra: &[u32],
        to: usize,
        from: usize,
        step: f32,
    ) -> bool {
        let group = |t: usize| t.div_ceil(2);
        if group(to) == group(from) {
            return false;
        }
        for &f in feats.iter().chain(extra) {
            let d = self.deltas.entry(key(k, f)).or_insert([0.0; N_TAGS]);
            for (t, v) in d.iter_mut().enumerate() {
                if group(t) == group(to) {
                    *v += step;
                } else if group(t) == group(from) {
                    *v -= step;
                }
            }
        }
        true
    }

    /// Adds another overlay's deltas (what two collections learned, together).
    pub fn merge(&mut self, other: &Overlay) {
        self.add_scaled(other, 1.0);
    }

    /// Adds `sign` times `other`'s deltas; an entry left all zeros is dropped.
    fn add_scaled(&mut self, other: &Overlay, sign: f32) {
        let mut zeroed = false;
        for (k, d) in &other.deltas {
            let mine = self.deltas.entry(*k).or_insert([0.0; N_TAGS]);
            for t in 0..N_TAGS {
                // `+ 0.0` turns a -0.0 into 0.0: the same bytes whichever way a zero was reached.
                mine[t] = mine[t] + sign * d[t] + 0.0;
            }
            zeroed |= mine.iter().all(|v| *v == 0.0);
        }
        if zeroed {
            self.deltas = nonzero(std::mem::take(&mut self.deltas));
        }
    }

    /// The same deltas on the exact grid [`GRID`] (each rounded to the nearest multiple, held within
    /// ±[`GRID_LIMIT`]; an entry rounded to all zeros is dropped). Why: two tabs add their learning into one
    /// stored total and later take their own part out again ([`crate::session::LearnedShare`]); in plain
    /// `f32` `(x + a) - a` need not be `x`, so a tab's undo would leave crumbs and the total would depend on
    /// the order the tabs saved in. On the grid every sum below [`GRID_SUM_LIMIT`] is exact, so adding and
    /// taking away commute and undo removes exactly what was added.
    pub fn on_grid(&self) -> Overlay {
        let snap = |v: f32| (v.clamp(-GRID_LIMIT, GRID_LIMIT) / GRID).round() * GRID + 0.0;
        Overlay {
            deltas: nonzero(self.deltas.iter().map(|(k, d)| (*k, d.map(snap)))),
        }
    }

    /// Whether every delta is on the grid [`GRID`] within ±[`GRID_LIMIT`] (see [`Overlay::on_grid`]).
    pub fn is_on_grid(&self) -> bool {
        *self == self.on_grid()
    }

    /// Takes another overlay's deltas away (the inverse of [`Overlay::merge`]; exact on the grid). An entry
    /// left all zeros is dropped, so taking away everything that was added leaves the overlay as it was.
    pub fn take(&mut self, other: &Overlay) {
        self.add_scaled(other, -1.0);
    }

    /// `self` plus `other`, as a new overlay.
    pub fn plus(&self, other: &Overlay) -> Overlay {
        let mut sum = self.clone();
        sum.merge(other);
        sum
    }

    /// `self` minus `other`, as a new overlay (see [`Overlay::take`]).
    pub fn minus(&self, other: &Overlay) -> Overlay {
        let mut rest = self.clone();
        rest.take(other);
        rest
    }

    /// `(stage, feature, deltas)` for every entry, in order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, u32, &[f32; N_TAGS])> {
        self.deltas
            .iter()
            .map(|(k, d)| ((k >> 24) as usize, k & 0xFF_FFFF, d))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.deltas.len() * ENTRY + 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&OVERLAY_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.deltas.len() as u32).to_le_bytes());
        for (k, d) in &self.deltas {
            out.extend_from_slice(&k.to_le_bytes());
            for v in d {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Overlay, OverlayError> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(OverlayError::BadMagic);
        }
        let u32_at = |o: usize| {
            bytes
                .get(o..o + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let version = u32_at(8).ok_or(OverlayError::Length {
            len: bytes.len(),
            n: 0,
        })?;
        if version != OVERLAY_VERSION {
            return Err(OverlayError::Version(version));
        }
        let n = u32_at(12).ok_or(OverlayError::Length {
            len: bytes.len(),
            n: 0,
        })? as usize;
        let expected = n.checked_mul(ENTRY).and_then(|b| b.checked_add(20));
        if expected != Some(bytes.len()) {
            return Err(OverlayError::Length {
                len: bytes.len(),
                n,
            });
        }
        let body = bytes.len() - 4;
        let (stored, computed) = (u32_at(body).expect("length checked"), crc32(&bytes[..body]));
        if stored != computed {
            return Err(OverlayError::Checksum { stored, computed });
        }
        let mut deltas = BTreeMap::new();
        for e in 0..n {
            let o = 16 + e * ENTRY;
            let k = u32_at(o).expect("length checked");
            let mut d = [0f32; N_TAGS];
            for (t, v) in d.iter_mut().enumerate() {
                *v = f32::from_bits(u32_at(o + 4 + 4 * t).expect("length checked"));
                if !v.is_finite() {
                    return Err(OverlayError::NotFinite);
                }
            }
            deltas.insert(k, d);
        }
        Ok(Overlay { deltas })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Overlay {
        let mut o = Overlay::new();
        o.nudge(0, &[3, 70_000], &[], 1, 0, 0.5);
        o.nudge(1, &[3], &[9], 3, 1, 1.25);
        o.nudge(1, &[3], &[9], 2, 1, 9.0); // B-PER vs I-PER: nothing to learn
        o
    }

    #[test]
    fn bytes_round_trip_and_corruption_is_refused() {
        let o = sample();
        let bytes = o.to_bytes();
        assert_eq!(Overlay::from_bytes(&bytes), Ok(o.clone()));
        assert_eq!(
            Overlay::from_bytes(&Overlay::new().to_bytes()),
            Ok(Overlay::new())
        );
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(matches!(
            Overlay::from_bytes(&flipped),
            Err(OverlayError::Checksum { .. })
        ));
        assert!(matches!(
            Overlay::from_bytes(&bytes[..bytes.len() - 1]),
            Err(OverlayError::Length { .. })
        ));
        assert_eq!(
            Overlay::from_bytes(b"not weights"),
            Err(OverlayError::BadMagic)
        );
        let mut v2 = bytes;
        v2[8] = 2;
        assert_eq!(Overlay::from_bytes(&v2), Err(OverlayError::Version(2)));
    }

    #[test]
    fn deltas_add_up_per_stage() {
        let o = sample();
        let mut out = [0f32; N_TAGS];
        o.add_to(0, &[3], &[], &mut out);
        assert_eq!(
            (out[0], out[1], out[2]),
            (-0.5, 0.5, 0.5),
            "O down, B-PER and I-PER up"
        );
        let mut out = [0f32; N_TAGS];
        o.add_to(1, &[3], &[9], &mut out);
        assert_eq!((out[1], out[2], out[3], out[4]), (-2.5, -2.5, 2.5, 2.5));
        let mut both = sample();
        both.merge(&sample());
        let mut out = [0f32; N_TAGS];
        both.add_to(0, &[70_000], &[], &mut out);
        assert_eq!(out[1], 1.0);
    }
}
