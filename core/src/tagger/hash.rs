//! The fixed hash functions every tagger artefact agrees on: FNV-1a over bytes, a 64-bit mixer and CRC-32.
//!
//! They sit below everything else in `tagger` (features, lexicon, clusters, model all use them and none of
//! them is used here), so the modules' dependencies point one way.

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a of a byte string (the atom of a piece of text).
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    fnv(FNV_OFFSET, bytes)
}

/// Combines two hashes (order matters) with the splitmix64 finaliser.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let mut x = a.rotate_left(23) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// CRC-32 (IEEE, reflected, as zlib computes it), the checksum of every data file and of a rendered
/// article's text (the DOM contract's `data-sahifa-text`). Native builds use `crc32fast` (SIMD where the
/// target has it). The wasm builds use the `crc` crate with one 1 kB table instead of `crc32fast`'s 16 kB
/// (about 15 kB gzipped in each of the page's two wasms); there it only checks the data files once a page.
#[cfg(not(target_arch = "wasm32"))]
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}

/// See the native [`crc32`].
#[cfg(target_arch = "wasm32")]
pub fn crc32(data: &[u8]) -> u32 {
    crc32_small_table(data)
}

/// [`crc32`] with one 256-entry table (the wasm's).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn crc32_small_table(data: &[u8]) -> u32 {
    const CRC: crc::Crc<u32, crc::Table<1>> = crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);
    CRC.checksum(data)
}

/// A `BuildHasher` for in-memory maps keyed by words: FNV-1a rather than the standard library's SipHash,
/// which is made to resist chosen keys and costs several times more on a short word. Nothing it hashes is
/// stored or compared across runs.
#[derive(Default, Clone, Copy)]
pub struct WordHasher;

/// The hasher [`WordHasher`] builds.
pub struct WordHash(u64);

impl std::hash::BuildHasher for WordHasher {
    type Hasher = WordHash;
    fn build_hasher(&self) -> WordHash {
        WordHash(FNV_OFFSET)
    }
}

impl std::hash::Hasher for WordHash {
    fn finish(&self) -> u64 {
        // Spread the high bits into the low ones, which pick a map's bucket.
        (self.0 ^ self.0 >> 29).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_crc32_equals_the_native_one() {
        let model = include_bytes!("../../models/names.bin");
        for data in [&b""[..], b"123456789", &model[..], &model[1..977]] {
            assert_eq!(crc32_small_table(data), crc32fast::hash(data));
        }
        assert_eq!(crc32_small_table(b"123456789"), 0xCBF4_3926);
    }
}
