//! Sorted sets of short hash fingerprints, Rice-coded: how the lexicon and the cluster table store which
//! stems they list (a few bits a stem instead of the stem).

/// The top `bits` bits of a 64-bit hash.
#[inline]
pub fn of(hash: u64, bits: u32) -> u32 {
    (hash >> (64 - bits)) as u32
}

/// Rice-codes the gaps between sorted, distinct fingerprints below `2^fp_bits`: `(k, payload)`.
pub fn encode(fps: &[u32], fp_bits: u32) -> (u32, Vec<u8>) {
    // Rice parameter: about log2 of the mean gap.
    let n = fps.len().max(1) as u64;
    let mean = ((1u64 << fp_bits) / n).max(1);
    let k = (63 - mean.leading_zeros()).min(fp_bits - 1);
    let mut bits = BitWriter::default();
    let mut prev = 0u32;
    for &fp in fps {
        let gap = (fp - prev) as u64;
        prev = fp;
        for _ in 0..gap >> k {
            bits.push(1);
        }
        bits.push(0);
        for b in (0..k).rev() {
            bits.push((gap >> b) as u8 & 1);
        }
    }
    (k, bits.finish())
}

/// Decodes `count` fingerprints that [`encode`] wrote with parameter `k`; says what is wrong with a
/// damaged payload.
pub fn decode(
    payload: &[u8],
    count: usize,
    k: u32,
    fp_bits: u32,
) -> Result<Vec<u32>, &'static str> {
    if k >= fp_bits {
        return Err("bad Rice parameter");
    }
    let mut bits = BitReader::new(payload);
    let mut fps = Vec::with_capacity(count);
    let mut prev = 0u64;
    for _ in 0..count {
        let mut q = 0u64;
        loop {
            match bits.next() {
                Some(1) => q += 1,
                Some(_) => break,
                None => return Err("fingerprints end early"),
            }
            if q > 1 << fp_bits {
                return Err("a gap is too long");
            }
        }
        let mut gap = q << k;
        for b in (0..k).rev() {
            gap |= (bits.next().ok_or("fingerprints end early")? as u64) << b;
        }
        prev += gap;
        if (!fps.is_empty() && gap == 0) || prev >= 1 << fp_bits {
            return Err("fingerprints out of order");
        }
        fps.push(prev as u32);
    }
    Ok(fps)
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    n: usize,
}

impl BitWriter {
    fn push(&mut self, bit: u8) {
        if self.n.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if bit != 0 {
            *self.bytes.last_mut().unwrap() |= 0x80 >> (self.n % 8);
        }
        self.n += 1;
    }

    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

struct BitReader<'a> {
    bytes: &'a [u8],
    n: usize,
}

impl<'a> BitReader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        BitReader { bytes, n: 0 }
    }

    fn next(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.n / 8)?;
        let bit = (b >> (7 - self.n % 8)) & 1;
        self.n += 1;
        Some(bit)
    }
}
