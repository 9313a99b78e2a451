//! The tagger's weights and their file format.
//!
//! Why a hand-made binary format: the model ships inside the wasm bundle, so it must be small (well under
//! 2 MB) and loading it must never panic on a bad file. Weights are quantised to `i16` with one scale per
//! stage, coarse enough (see [`Model::coarsen`]) that most values fit in one byte; zero weights are pruned,
//! and the rest are stored sparse, row by row (a feature's row usually has several non-zero tags, so one
//! delta-encoded row index and a tag mask serve them all). Row deltas, mask bytes and values go in separate
//! streams, since gzip (what the page downloads) packs each alone about 11% smaller than interleaved; the
//! shipped model's values also lie on a logarithmic grid ([`Model::snap_to_levels`]), which gzip packs
//! about 9% smaller again without a change to the format. A
//! magic, a version, the feature-set version, counts and a CRC-32 over everything let
//! [`Model::from_bytes`] reject a truncated or corrupted file with an error that says what is wrong.
//!
//! Layout (little-endian):
//! ```text
//! magic "SAHIFATG" | version u32 | feature_version u32 | n_tags u32 | bits u32 | temperature f32 | n_stages u32
//! vocab_bits u32 | vocabulary bitset (1 << vocab_bits) / 64 × u64
//! per stage: scale f32 | transitions (n_tags + 1) * n_tags × i16 (last row: start)
//!            | n_rows u32 | payload_len u32
//!            | payload: deltas_len u32 | per non-empty row a varint row delta | n_rows mask low bytes
//!              | n_rows mask high bytes | per non-zero weight, row by row, a varint zigzag value
//! crc32 u32 (of every byte before it)
//! ```
//! Stage 1 tags from the word features; stage 2 adds what stage 1 predicted across the document.

use super::byte_rows::ByteRows;
use super::features::{Vocab, FEATURE_VERSION};
pub use super::hash::crc32;
use super::N_TAGS;
use std::fmt;

pub const MAGIC: &[u8; 8] = b"SAHIFATG";
pub const VERSION: u32 = 5;
// A row's tag mask is stored in two bytes.
const _: () = assert!(N_TAGS <= 16);

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    BadMagic,
    UnsupportedVersion(u32),
    FeatureVersion { file: u32, code: u32 },
    Truncated { needed: usize, got: usize },
    Checksum { stored: u32, computed: u32 },
    Corrupt(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a Sahifa tagger model (bad magic header)"),
            ModelError::UnsupportedVersion(v) => {
                write!(f, "unsupported model format version {v} (this build reads {VERSION})")
            }
            ModelError::FeatureVersion { file, code } => {
                write!(f, "model was trained with feature set {file}, this build extracts feature set {code}")
            }
            ModelError::Truncated { needed, got } => {
                write!(f, "model file is truncated: needs {needed} bytes, has {got}")
            }
            ModelError::Checksum { stored, computed } => write!(
                f,
                "model file is corrupted: checksum {computed:08x} does not match the stored {stored:08x}"
            ),
            ModelError::Corrupt(m) => write!(f, "model file is corrupted: {m}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// One stage's quantised weights, dense in memory for fast lookup: row `bucket` holds one weight per tag.
#[derive(Clone, PartialEq)]
pub struct Stage {
    /// Real weight = stored value × scale.
    pub(crate) scale: f32,
    pub(crate) weights: Weights,
    pub(crate) trans: Vec<i16>,
}

/// A stage's emission table. A loaded model whose values all fit in a byte (the shipped one's largest is
/// 111 steps) keeps only its non-zero rows, as `i8` ([`ByteRows`]).
///
/// Why: the dense table is 2^18 rows of 9 tags per stage; packed, the shipped model's two stages take a
/// few hundred KB instead of 9.4 MB as `i16`, a page load allocates and touches that much less memory, and
/// tagging's row reads mostly hit the cache (see [`super::byte_rows`]).
#[derive(Clone)]
pub(crate) enum Weights {
    Wide(Vec<i16>),
    Narrow(ByteRows),
}

impl Weights {
    pub(crate) fn get(&self, i: usize) -> i16 {
        match self {
            Weights::Wide(v) => v[i],
            Weights::Narrow(v) => v.get(i / N_TAGS, i % N_TAGS) as i16,
        }
    }

    fn len(&self) -> usize {
        match self {
            Weights::Wide(v) => v.len(),
            Weights::Narrow(v) => v.rows() * N_TAGS,
        }
    }

    /// Holds the table as `i16` from now on (a test compares packed and dense scoring).
    #[cfg(test)]
    pub(crate) fn widen(&mut self) {
        self.wide();
    }

    /// The table as `i16`, for edits (training and tools work on the wide form).
    fn wide(&mut self) -> &mut Vec<i16> {
        if let Weights::Narrow(v) = self {
            let dense = (0..v.rows() * N_TAGS).map(|i| v.get(i / N_TAGS, i % N_TAGS) as i16);
            *self = Weights::Wide(dense.collect());
        }
        match self {
            Weights::Wide(v) => v,
            Weights::Narrow(_) => unreachable!("widened above"),
        }
    }

    /// Row `r`'s weights.
    fn row(&self, r: usize) -> [i16; N_TAGS] {
        std::array::from_fn(|t| self.get(r * N_TAGS + t))
    }

    fn nonzero(&self) -> usize {
        match self {
            Weights::Wide(v) => v.iter().filter(|w| **w != 0).count(),
            Weights::Narrow(v) => v.nonzero(),
        }
    }
}

/// The same values, whether stored wide or narrow.
impl PartialEq for Weights {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

/// Sums the rows of `feats` and `extra` into `acc`.
#[inline(always)]
fn accumulate<T: Copy + Into<i32>>(w: &[T], feats: &[u32], extra: &[u32], acc: &mut [i32; N_TAGS]) {
    for &f in feats.iter().chain(extra) {
        let row = &w[f as usize * N_TAGS..f as usize * N_TAGS + N_TAGS];
        for t in 0..N_TAGS {
            acc[t] += row[t].into();
        }
    }
}

/// A tagger model: one or two stages over the same hashed feature table size.
#[derive(Clone, PartialEq)]
pub struct Model {
    pub(crate) bits: u32,
    /// Divides final scores before the softmax that gives confidences (chosen on the dev set by training).
    pub(crate) temperature: f32,
    pub(crate) stages: Vec<Stage>,
    pub(crate) vocab: Vocab,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("bits", &self.bits)
            .field("stages", &self.stages.len())
            .field("temperature", &self.temperature)
            .field("nonzero", &self.nonzero())
            .finish()
    }
}

const HEADER: usize = 8 + 4 * 6;
const TRANS: usize = (N_TAGS + 1) * N_TAGS;

impl Stage {
    fn quantize(weights: &[f32], trans: &[f32]) -> Stage {
        let max = weights
            .iter()
            .chain(trans)
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let q = |w: &f32| {
            (w / scale)
                .round()
                .clamp(i16::MIN as f32 + 1.0, i16::MAX as f32) as i16
        };
        Stage {
            scale,
            weights: Weights::Wide(weights.iter().map(q).collect()),
            trans: trans.iter().map(q).collect(),
        }
    }

    /// Adds the emission scores of one token's features (sum of their rows), in real units, to `out`.
    #[inline]
    pub fn emit(&self, feats: &[u32], extra: &[u32], out: &mut [f32; N_TAGS]) {
        let mut acc = [0i32; N_TAGS];
        self.add_rows(feats, extra, &mut acc);
        self.real(&acc, out);
    }

    /// Adds the rows of `feats` and `extra` to `acc`, in quantisation steps.
    #[inline]
    pub(crate) fn add_rows(&self, feats: &[u32], extra: &[u32], acc: &mut [i32; N_TAGS]) {
        match &self.weights {
            Weights::Wide(w) => accumulate(w, feats, extra, acc),
            Weights::Narrow(w) => w.accumulate(feats, extra, acc),
        }
    }

    /// Sums of rows `acc` (in steps) as real scores, into `out`.
    #[inline]
    pub(crate) fn real(&self, acc: &[i32; N_TAGS], out: &mut [f32; N_TAGS]) {
        for t in 0..N_TAGS {
            out[t] = acc[t] as f32 * self.scale;
        }
    }

    /// The table as packed byte rows, when it is held so.
    pub(crate) fn byte_rows(&self) -> Option<&ByteRows> {
        match &self.weights {
            Weights::Narrow(w) => Some(w),
            Weights::Wide(_) => None,
        }
    }

    /// Transition scores: rows 0..N_TAGS are previous tags, row N_TAGS is the sentence start.
    pub fn transitions(&self) -> [[f32; N_TAGS]; N_TAGS + 1] {
        let mut t = [[0f32; N_TAGS]; N_TAGS + 1];
        for (i, row) in t.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.trans[i * N_TAGS + j] as f32 * self.scale;
            }
        }
        t
    }
}

impl Model {
    /// Quantises real weights: per stage `(1 << bits) * N_TAGS` emissions and `(N_TAGS + 1) * N_TAGS`
    /// transitions.
    pub fn quantize(
        bits: u32,
        stages: &[(&[f32], &[f32])],
        vocab: Vocab,
        temperature: f32,
    ) -> Model {
        for (w, t) in stages {
            assert_eq!(w.len(), (1usize << bits) * N_TAGS);
            assert_eq!(t.len(), TRANS);
        }
        Model {
            bits,
            temperature,
            stages: stages.iter().map(|(w, t)| Stage::quantize(w, t)).collect(),
            vocab,
        }
    }

    /// Number of non-zero emission weights (what the file stores).
    pub fn nonzero(&self) -> usize {
        self.stages.iter().map(|s| s.weights.nonzero()).sum()
    }

    /// Whether every stage's table is held as bytes (see [`Weights`]).
    pub fn narrow(&self) -> bool {
        self.stages
            .iter()
            .all(|s| matches!(s.weights, Weights::Narrow(_)))
    }

    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// Lowers the last stage's score of tag O by `delta` at every token, by lowering every transition into O
    /// (each token's tag is entered through exactly one transition, the start row for the first token).
    ///
    /// Why: a perceptron trained on text that is mostly O ends up cautious (precision well above recall on
    /// unseen names); a margin against O, chosen on dev, trades some of that precision for recall.
    pub fn shift_o(&mut self, delta: f32) {
        self.shift_tag(0, -delta);
    }

    /// Raises the last stage's score of tag index `tag` by `delta` at every token (see [`Model::shift_o`]).
    pub fn shift_tag(&mut self, tag: usize, delta: f32) {
        if let Some(s) = self.stages.last_mut() {
            let units = (delta / s.scale).round() as i32;
            for row in 0..=N_TAGS {
                let t = &mut s.trans[row * N_TAGS + tag];
                *t = (*t as i32 + units).clamp(i16::MIN as i32 + 1, i16::MAX as i32) as i16;
            }
        }
    }

    /// Requantises every stage to a step of at least `step` real units (weights under half a step become
    /// zero). Why: the file stores each value as a varint, so a step of a fraction of the pruning threshold
    /// keeps nearly all the accuracy while most values take one byte instead of two or three.
    pub fn coarsen(&mut self, step: f32) {
        for s in &mut self.stages {
            if step <= s.scale {
                continue;
            }
            let f = s.scale / step;
            let q = |w: &mut i16| *w = (*w as f32 * f).round() as i16;
            s.weights.wide().iter_mut().for_each(q);
            s.trans.iter_mut().for_each(q);
            s.scale = step;
        }
    }

    /// Clamps emission values beyond ±127 steps, so that the table loads as bytes (see [`Weights`]);
    /// returns how many were. (A model trained with WikiFANE at full weight has a handful, on features
    /// that fire on nearly every token.)
    pub fn clamp_to_bytes(&mut self) -> usize {
        let mut clamped = 0;
        for s in &mut self.stages {
            if s.weights.nonzero() == 0 || matches!(s.weights, Weights::Narrow(_)) {
                continue;
            }
            for w in s.weights.wide().iter_mut() {
                if w.unsigned_abs() > 127 {
                    clamped += 1;
                    *w = (*w).clamp(-127, 127);
                }
            }
        }
        clamped
    }

    /// Moves every emission value to the nearest of a logarithmic grid with `per_octave` levels per
    /// doubling (1, 2, 3, 4, 6, 8, 11, 16, … steps for 2), keeping its sign; 0 leaves the values as they
    /// are. Returns how many values changed.
    ///
    /// Why: the file's values are what gzip packs worst (five bits each, more than half the download),
    /// and a weight of 45 steps needs no more precision than one of 4 does relative to its size. With
    /// fewer distinct values gzip's Huffman codes get shorter, and the bytes saved buy lower pruning
    /// thresholds (README). The in-memory table is unchanged: the levels are ordinary `i8` steps.
    pub fn snap_to_levels(&mut self, per_octave: u32) -> usize {
        if per_octave == 0 {
            return 0;
        }
        let levels = log_levels(per_octave);
        let mut changed = 0;
        for s in &mut self.stages {
            if s.weights.nonzero() == 0 {
                continue;
            }
            for w in s.weights.wide().iter_mut().filter(|w| **w != 0) {
                let a = w.unsigned_abs();
                // The first level at or above `a`, or the one below it if that is nearer.
                let i = levels.partition_point(|&l| l < a);
                let up = levels.get(i).copied();
                let down = i.checked_sub(1).map(|j| levels[j]);
                let snapped = match (down, up) {
                    (Some(d), Some(u)) if a - d < u - a => d,
                    (_, Some(u)) => u,
                    (Some(d), None) => d,
                    (None, None) => a,
                };
                if snapped != a {
                    changed += 1;
                    *w = snapped as i16 * w.signum();
                }
            }
        }
        changed
    }

    /// Zeroes every emission weight whose real magnitude times the square root of how often its feature
    /// fired in training (`counts`, one per row) is below `min[k]` for stage k (the last value serves
    /// any further stage).
    ///
    /// Why weigh by use: a large weight on a feature seen once in training (one rare word's trigram)
    /// hardly ever fires on new text, while a modest weight on a shape or context feature fires on every
    /// page. At the same file size this keeps about half a point more F1 than pruning by magnitude alone.
    /// Why per stage: the second stage repeats the first one's word features and leans on its memory
    /// features, so it loses little when pruned three times as hard, and the bytes are better spent on
    /// the first stage (README).
    pub fn prune(&mut self, min: &[f32], counts: &[u32]) {
        for (k, s) in self.stages.iter_mut().enumerate() {
            let Some(&min) = min.get(k).or(min.last()) else {
                return;
            };
            for (row, ws) in s.weights.wide().chunks_mut(N_TAGS).enumerate() {
                let use_ = (counts.get(row).copied().unwrap_or(0) as f32).sqrt();
                for w in ws {
                    if (*w as f32 * s.scale).abs() * use_ < min {
                        *w = 0;
                    }
                }
            }
        }
    }

    /// Writes learned deltas ([`super::Overlay`]) into the weights, quantised to each stage's scale
    /// (and clamped to its range): the model then tags as the model with the overlay did, up to rounding.
    /// How `sahifa train --continue-from` ships what a team taught the widget.
    pub fn fold(&mut self, overlay: &super::Overlay) {
        // Learned deltas are finer than the shipped model's steps (most of its weights fit in a byte):
        // spread every touched stage over the i16 range first, so they survive the rounding.
        let touched: std::collections::BTreeSet<usize> =
            overlay.entries().map(|(k, _, _)| k).collect();
        for &k in &touched {
            let Some(stage) = self.stages.get_mut(k) else {
                continue;
            };
            let w = stage.weights.wide();
            let max = w
                .iter()
                .chain(&stage.trans)
                .map(|v| v.unsigned_abs())
                .max()
                .unwrap_or(0);
            let factor = (30_000 / max.max(1)).max(1) as i16;
            w.iter_mut().for_each(|v| *v *= factor);
            stage.trans.iter_mut().for_each(|v| *v *= factor);
            stage.scale /= factor as f32;
        }
        for (k, f, d) in overlay.entries() {
            let Some(stage) = self.stages.get_mut(k) else {
                continue;
            };
            let scale = stage.scale;
            let w = stage.weights.wide();
            for (t, delta) in d.iter().enumerate() {
                let Some(slot) = w.get_mut(f as usize * N_TAGS + t) else {
                    continue;
                };
                let v = *slot as f32 + (delta / scale).round();
                *slot = v.clamp(i16::MIN as f32 + 1.0, i16::MAX as f32) as i16;
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 << 20);
        out.extend_from_slice(MAGIC);
        for v in [VERSION, FEATURE_VERSION, N_TAGS as u32, self.bits] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&(self.stages.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.vocab.bits().to_le_bytes());
        for w in self.vocab.words() {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for s in &self.stages {
            out.extend_from_slice(&s.scale.to_le_bytes());
            for t in &s.trans {
                out.extend_from_slice(&t.to_le_bytes());
            }
            let (mut deltas, mut lo, mut hi, mut values) = (vec![], vec![], vec![], vec![]);
            let mut prev = 0u64;
            for row in 0..s.weights.len() / N_TAGS {
                let ws = s.weights.row(row);
                let mask = ws
                    .iter()
                    .enumerate()
                    .fold(0u16, |m, (t, &w)| m | u16::from(w != 0) << t);
                if mask == 0 {
                    continue;
                }
                put_varint(&mut deltas, row as u64 - prev);
                lo.push(mask as u8);
                hi.push((mask >> 8) as u8);
                for &w in ws.iter().filter(|w| **w != 0) {
                    put_varint(&mut values, zigzag(w));
                }
                prev = row as u64;
            }
            let mut payload = (deltas.len() as u32).to_le_bytes().to_vec();
            for part in [&deltas, &lo, &hi, &values] {
                payload.extend_from_slice(part);
            }
            out.extend_from_slice(&(lo.len() as u32).to_le_bytes());
            out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            out.extend_from_slice(&payload);
        }
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < MAGIC.len() || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let trunc = |needed: usize| ModelError::Truncated {
            needed,
            got: bytes.len(),
        };
        if bytes.len() < HEADER + 8 {
            return Err(trunc(HEADER + 8));
        }
        let u32_at =
            |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        let version = u32_at(8);
        if version != VERSION {
            return Err(ModelError::UnsupportedVersion(version));
        }
        // Walk the section lengths first so that a short file is reported as truncated, not corrupted.
        let n_stages = u32_at(28) as usize;
        let stage_fixed = 4 + TRANS * 2 + 8;
        let vocab_bits = u32_at(32);
        if vocab_bits > 24 {
            return Err(ModelError::Corrupt(format!(
                "vocabulary size 2^{vocab_bits} out of range"
            )));
        }
        let vocab_words = if vocab_bits == 0 {
            0
        } else {
            (1usize << vocab_bits) / 64
        };
        let vocab_at = HEADER + 4;
        let mut pos = vocab_at + 8 * vocab_words;
        let mut sections = Vec::new();
        for _ in 0..n_stages.min(4) {
            if bytes.len() < pos + stage_fixed + 4 {
                return Err(trunc(pos + stage_fixed + 4));
            }
            let payload_len = u32_at(pos + stage_fixed - 4) as usize;
            sections.push(pos);
            pos += stage_fixed + payload_len;
        }
        let needed = pos + 4;
        if bytes.len() < needed {
            return Err(trunc(needed));
        }
        if bytes.len() > needed && (1..=4).contains(&n_stages) {
            return Err(ModelError::Corrupt(format!(
                "{} trailing bytes after the checksum",
                bytes.len() - needed
            )));
        }
        let stored = u32_at(bytes.len() - 4);
        let computed = crc32(&bytes[..bytes.len() - 4]);
        if stored != computed {
            return Err(ModelError::Checksum { stored, computed });
        }
        if !(1..=4).contains(&n_stages) {
            return Err(ModelError::Corrupt(format!("{n_stages} stages")));
        }
        let fv = u32_at(12);
        if fv != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                file: fv,
                code: FEATURE_VERSION,
            });
        }
        let n_tags = u32_at(16);
        if n_tags as usize != N_TAGS {
            return Err(ModelError::Corrupt(format!(
                "{n_tags} tags, expected {N_TAGS}"
            )));
        }
        let bits = u32_at(20);
        if !(8..=24).contains(&bits) {
            return Err(ModelError::Corrupt(format!(
                "table size 2^{bits} out of range"
            )));
        }
        let temperature = f32::from_bits(u32_at(24));
        if !temperature.is_finite() || temperature <= 0.0 {
            return Err(ModelError::Corrupt("bad temperature".into()));
        }
        let size = (1usize << bits) * N_TAGS;
        let mut stages = Vec::with_capacity(n_stages);
        for &start in &sections {
            let scale = f32::from_bits(u32_at(start));
            if !scale.is_finite() || scale <= 0.0 {
                return Err(ModelError::Corrupt("bad scale".into()));
            }
            let t0 = start + 4;
            let trans = (0..TRANS)
                .map(|i| i16::from_le_bytes([bytes[t0 + 2 * i], bytes[t0 + 2 * i + 1]]))
                .collect();
            let n = u32_at(start + stage_fixed - 8) as usize;
            let payload_len = u32_at(start + stage_fixed - 4) as usize;
            if n > size / N_TAGS {
                return Err(ModelError::Corrupt(format!(
                    "{n} rows for a table of {}",
                    size / N_TAGS
                )));
            }
            let begin = start + stage_fixed;
            let end = begin + payload_len;
            // The streams: deltas in begin+4..masks, mask bytes in masks..masks + 2n, values after.
            let masks = (payload_len >= 4)
                .then(|| (begin + 4).checked_add(u32_at(begin) as usize))
                .flatten()
                .filter(|&m| m.checked_add(2 * n).is_some_and(|v| v <= end))
                .ok_or_else(|| ModelError::Corrupt("stream lengths do not add up".into()))?;
            let (mut pos, mut vpos) = (begin + 4, masks + 2 * n);
            let mut weights = if fits_a_byte(bytes, vpos, end) {
                Weights::Narrow(ByteRows::new(size / N_TAGS))
            } else {
                Weights::Wide(vec![0i16; size])
            };
            let mut row = 0u64;
            for k in 0..n {
                let delta = get_varint(bytes, &mut pos, masks)?;
                let mask = bytes[masks + k] as u64 | (bytes[masks + n + k] as u64) << 8;
                row = row
                    .checked_add(delta)
                    .ok_or_else(|| ModelError::Corrupt("row overflow".into()))?;
                if (k > 0 && delta == 0)
                    || mask == 0
                    || mask >> N_TAGS != 0
                    || row as usize >= size / N_TAGS
                {
                    return Err(ModelError::Corrupt(format!("row entry {k} is malformed")));
                }
                let mut values = [0i16; N_TAGS];
                for t in (0..N_TAGS).filter(|t| mask & (1 << t) != 0) {
                    let v = get_varint(bytes, &mut vpos, end)?;
                    values[t] = unzigzag(v).filter(|w| *w != 0).ok_or_else(|| {
                        ModelError::Corrupt(format!("row entry {k} has a bad value"))
                    })?;
                }
                match &mut weights {
                    Weights::Wide(w) => {
                        let r = row as usize * N_TAGS;
                        w[r..r + N_TAGS].copy_from_slice(&values);
                    }
                    // Rows arrive in increasing order (checked above: every delta after the first is
                    // positive), as `push` needs; `fits_a_byte` checked every value fits.
                    Weights::Narrow(w) => w.push(row as usize, values.map(|v| v as i8)),
                }
            }
            if pos != masks || vpos != end {
                return Err(ModelError::Corrupt(
                    "payload length does not match its entries".into(),
                ));
            }
            stages.push(Stage {
                scale,
                weights,
                trans,
            });
        }
        let set = (0..vocab_words)
            .map(|i| {
                let o = vocab_at + 8 * i;
                u64::from_le_bytes(bytes[o..o + 8].try_into().expect("8 bytes"))
            })
            .collect();
        let vocab = Vocab::from_words(vocab_bits, set).ok_or_else(|| {
            ModelError::Corrupt(format!("vocabulary size 2^{vocab_bits} out of range"))
        })?;
        Ok(Model {
            bits,
            temperature,
            stages,
            vocab,
        })
    }
}

/// The positive steps of [`Model::snap_to_levels`]'s grid: `round(2^(i / per_octave))` for i = 0, 1, …
/// up to the largest value a byte row holds (127, always a level), without repeats.
pub fn log_levels(per_octave: u32) -> Vec<u16> {
    let mut levels: Vec<u16> = (0..)
        .map(|i| 2f64.powf(i as f64 / per_octave.max(1) as f64).round() as u16)
        .take_while(|&l| l < 127)
        .collect();
    levels.push(127);
    levels.dedup();
    levels
}

/// Whether every value in the stream `bytes[pos..end]` fits in an `i8` (false too if the stream is
/// malformed: the full decode then says why).
fn fits_a_byte(bytes: &[u8], mut pos: usize, end: usize) -> bool {
    while pos < end {
        match get_varint(bytes, &mut pos, end).map(unzigzag) {
            Ok(Some(w)) if i8::try_from(w).is_ok() => {}
            _ => return false,
        }
    }
    true
}

fn zigzag(v: i16) -> u64 {
    (((v as i32) << 1) ^ ((v as i32) >> 31)) as u32 as u64
}

fn unzigzag(u: u64) -> Option<i16> {
    let u = u32::try_from(u).ok()?;
    let v = ((u >> 1) as i32) ^ -((u & 1) as i32);
    i16::try_from(v).ok()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize, end: usize) -> Result<u64, ModelError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        if *pos >= end {
            return Err(ModelError::Corrupt("payload ends inside an entry".into()));
        }
        let b = bytes[*pos];
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ModelError::Corrupt("varint too long".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_zlib() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn zigzag_round_trip() {
        for v in [0i16, 1, -1, 300, -300, i16::MAX, i16::MIN + 1] {
            assert_eq!(unzigzag(zigzag(v)), Some(v));
        }
    }

    #[test]
    fn bytes_round_trip_and_rejections() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * N_TAGS];
        w[5] = 1.5;
        w[700] = -0.25;
        let t = vec![0.1f32; TRANS];
        let mut t2 = vec![0f32; (1 << bits) * N_TAGS];
        t2[9] = -3.0;
        let vocab = Vocab::build(&[vec!["a", "b", "a"]], 2, 8);
        let m = Model::quantize(bits, &[(&w, &t), (&t2, &t)], vocab, 2.0);
        let b = m.to_bytes();
        assert_eq!(Model::from_bytes(&b).unwrap(), m);
        assert!(matches!(
            Model::from_bytes(&b[..b.len() - 1]),
            Err(ModelError::Truncated { .. })
        ));
        let mut c = b.clone();
        c[HEADER + 7] ^= 0x10;
        assert!(matches!(
            Model::from_bytes(&c),
            Err(ModelError::Checksum { .. })
        ));
        assert_eq!(Model::from_bytes(b"nope"), Err(ModelError::BadMagic));
    }

    fn one_stage(bits: u32, w: &[f32]) -> Model {
        Model::quantize(bits, &[(w, &[0.0; TRANS])], Vocab::default(), 1.0)
    }

    #[test]
    fn coarsen_rounds_to_the_step_and_drops_what_is_under_half_of_it() {
        let mut w = vec![0f32; (1 << 8) * N_TAGS];
        (w[0], w[1], w[2]) = (10.0, 0.2, -1.26);
        let mut m = one_stage(8, &w);
        m.coarsen(0.5);
        let s = &m.stages[0];
        assert_eq!(s.scale, 0.5);
        assert_eq!(s.weights.row(0)[..3], [20, 0, -3]);
        // Coarse values are what the file stores, and they survive it.
        assert_eq!(Model::from_bytes(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn prune_weighs_magnitude_by_use() {
        let mut w = vec![0f32; (1 << 8) * N_TAGS];
        // Row 0 fired 100 times, row 1 once: the same weight survives only in the row that is used.
        w[0] = 1.0;
        w[N_TAGS] = 1.0;
        w[2 * N_TAGS] = 9.0;
        let mut counts = vec![0u32; 1 << 8];
        (counts[0], counts[1], counts[2]) = (100, 1, 1);
        let mut m = one_stage(8, &w);
        m.prune(&[5.0], &counts);
        let s = &m.stages[0];
        assert_ne!(s.weights.get(0), 0);
        assert_eq!(s.weights.get(N_TAGS), 0);
        assert_ne!(s.weights.get(2 * N_TAGS), 0);
        assert_eq!(m.nonzero(), 2);
    }

    #[test]
    fn a_loaded_table_is_narrow_when_every_value_fits_a_byte() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * N_TAGS];
        (w[3], w[2 * N_TAGS + 2]) = (10.0, -2.5);
        let mut m = one_stage(bits, &w);
        m.coarsen(0.5);
        let loaded = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!(matches!(loaded.stages[0].weights, Weights::Narrow(_)));
        assert_eq!(loaded, m, "the same values either way");
        let (mut a, mut b) = ([0f32; N_TAGS], [0f32; N_TAGS]);
        m.stages[0].emit(&[0, 2], &[], &mut a);
        loaded.stages[0].emit(&[0, 2], &[], &mut b);
        assert_eq!(a, b);
        assert_eq!((b[3], b[2]), (10.0, -2.5));
        // Edits widen it again: a coarser step halves the values.
        let mut edited = loaded.clone();
        edited.coarsen(1.0);
        assert_eq!(edited.stages[0].weights.row(0)[3], 10);
        // 200 steps do not fit in a byte: the table stays wide.
        w[3] = 100.0;
        let mut m = one_stage(bits, &w);
        m.coarsen(0.5);
        let loaded = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!(matches!(loaded.stages[0].weights, Weights::Wide(_)));
        assert_eq!(loaded, m);
    }

    #[test]
    fn clamping_makes_a_wide_table_load_narrow() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * N_TAGS];
        (w[3], w[4]) = (100.0, 2.0);
        let mut m = one_stage(bits, &w);
        m.coarsen(0.5);
        assert_eq!(m.clamp_to_bytes(), 1);
        let loaded = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!(matches!(loaded.stages[0].weights, Weights::Narrow(_)));
        assert_eq!(loaded.stages[0].weights.row(0)[3..5], [127, 4]);
    }

    #[test]
    fn log_levels_double_every_per_octave_steps() {
        assert_eq!(log_levels(1), [1, 2, 4, 8, 16, 32, 64, 127]);
        assert_eq!(log_levels(2)[..8], [1, 2, 3, 4, 6, 8, 11, 16]);
        assert_eq!(*log_levels(3).last().unwrap(), 127);
    }

    #[test]
    fn snapping_keeps_sign_and_zeros_and_moves_to_the_nearest_level() {
        let mut w = vec![0f32; (1 << 8) * N_TAGS];
        (w[0], w[1], w[2], w[3], w[4]) = (2.5, -7.0, 60.0, 0.0, -0.5);
        let mut m = one_stage(8, &w);
        m.coarsen(0.5);
        assert_eq!(m.stages[0].weights.row(0)[..5], [5, -14, 120, 0, -1]);
        // Levels for 2 per octave: … 4, 6, 8, 11, 16, … 91, 127.
        assert_eq!(m.snap_to_levels(2), 3);
        assert_eq!(m.stages[0].weights.row(0)[..5], [6, -16, 127, 0, -1]);
        assert_eq!(m.snap_to_levels(0), 0, "0 leaves the values alone");
        // Snapped values are ordinary steps: they survive the file and load as bytes.
        let loaded = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!(loaded.narrow());
        assert_eq!(loaded, m);
    }

    #[test]
    fn each_stage_has_its_own_threshold() {
        let mut w = vec![0f32; (1 << 8) * N_TAGS];
        w[0] = 4.0;
        let t = [0.0; TRANS];
        let mut counts = vec![0u32; 1 << 8];
        counts[0] = 1;
        let mut m = Model::quantize(8, &[(&w, &t), (&w, &t)], Vocab::default(), 1.0);
        m.prune(&[3.0, 9.0], &counts);
        assert_ne!(m.stages[0].weights.get(0), 0, "4 × √1 passes 3");
        assert_eq!(m.stages[1].weights.get(0), 0, "but not 9");
    }

    #[test]
    fn shift_o_lowers_o_at_every_position() {
        let w = vec![0f32; (1 << 8) * N_TAGS];
        let mut m = one_stage(8, &w);
        m.stages[0].scale = 0.5;
        m.shift_o(3.0);
        let t = m.stages[0].transitions();
        for (row, r) in t.iter().enumerate() {
            assert_eq!(r[0], -3.0, "row {row}");
            assert!(r[1..].iter().all(|v| *v == 0.0));
        }
    }
}
