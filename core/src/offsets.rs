//! The one place where offsets change unit.
//!
//! The public unit is the Unicode code point (W3C Web Annotation's `TextPositionSelector` counts them);
//! Rust slices by UTF-8 byte and the DOM counts UTF-16 code units. Converting anywhere else invites the
//! off-by-one-emoji bugs this module's tests pin down.

/// Precomputed conversions for one text. Building it is O(n); each lookup is O(log n) or O(1).
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// Byte offset of every code point, plus the text length at the end.
    cp_to_byte: Vec<usize>,
    /// UTF-16 offset of every code point, plus the UTF-16 length at the end; `None` when the text has no
    /// character outside the Basic Multilingual Plane, where the two offsets are equal (almost every
    /// article: the mount of a 100,000-word one built this second table for nothing).
    cp_to_utf16: Option<Vec<usize>>,
}

impl OffsetMap {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut cp_to_byte = Vec::with_capacity(text.chars().count() + 1);
        // A code point starts at every byte that is not a continuation byte (10xxxxxx): a byte scan, much
        // cheaper than decoding each character.
        cp_to_byte.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| (b as i8) >= -0x40)
                .map(|(i, _)| i),
        );
        cp_to_byte.push(text.len());
        // Only four-byte sequences (lead byte 0xF0 and above) are two UTF-16 units.
        let cp_to_utf16 = bytes.iter().any(|&b| b >= 0xF0).then(|| {
            let mut u16 = 0;
            let mut table: Vec<usize> = text
                .chars()
                .map(|c| {
                    let at = u16;
                    u16 += c.len_utf16();
                    at
                })
                .collect();
            table.push(u16);
            table
        });
        OffsetMap {
            cp_to_byte,
            cp_to_utf16,
        }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.cp_to_byte.len() - 1
    }

    pub fn len_utf16(&self) -> usize {
        self.cp_to_utf16
            .as_ref()
            .map_or(self.len_chars(), |t| *t.last().unwrap())
    }

    /// Byte offset of code point `cp`; `None` past the end.
    pub fn cp_to_byte(&self, cp: usize) -> Option<usize> {
        self.cp_to_byte.get(cp).copied()
    }

    /// Code point at byte offset `b`; `None` if `b` is not on a char boundary or out of range.
    pub fn byte_to_cp(&self, b: usize) -> Option<usize> {
        self.cp_to_byte.binary_search(&b).ok()
    }

    /// UTF-16 offset of code point `cp` (only the tests need this direction: the DOM hands the widget
    /// UTF-16 offsets, never the reverse).
    #[cfg(test)]
    fn cp_to_utf16(&self, cp: usize) -> Option<usize> {
        match &self.cp_to_utf16 {
            Some(t) => t.get(cp).copied(),
            None => (cp <= self.len_chars()).then_some(cp),
        }
    }

    /// Code point at UTF-16 offset `u`. An offset inside a surrogate pair rounds down to the pair's start,
    /// as a DOM selection can land there.
    pub fn utf16_to_cp(&self, u: usize) -> Option<usize> {
        if u > self.len_utf16() {
            return None;
        }
        let Some(table) = &self.cp_to_utf16 else {
            return Some(u);
        };
        Some(match table.binary_search(&u) {
            Ok(i) => i,
            Err(i) => i - 1,
        })
    }

    /// The byte range of a code-point range, or `None` when it is out of bounds or reversed.
    pub fn byte_range(&self, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        if start > end {
            return None;
        }
        Some(self.cp_to_byte(start)?..self.cp_to_byte(end)?)
    }
}

/// The text between code points `start` and `end`, or `None` if the range is invalid.
pub fn slice_chars(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let s = it.nth(start)?;
    let e = if end == start {
        s
    } else {
        it.nth(end - start - 1)?
    };
    Some(&text[s..e])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Diacritics (kasra, shadda), tatweel, an emoji outside the BMP, Latin digits and a Latin word.
    const MIXED: &str = "مُحمّد ـــ 😀 في 2020 Paris";

    #[test]
    fn round_trips_every_code_point() {
        let m = OffsetMap::new(MIXED);
        for (cp, (b, c)) in MIXED.char_indices().enumerate() {
            assert_eq!(m.cp_to_byte(cp), Some(b));
            assert_eq!(m.byte_to_cp(b), Some(cp));
            let u = m.cp_to_utf16(cp).unwrap();
            assert_eq!(m.utf16_to_cp(u), Some(cp));
            assert_eq!(&MIXED[b..b + c.len_utf8()], c.to_string());
        }
        assert_eq!(m.len_chars(), MIXED.chars().count());
        assert_eq!(m.len_utf16(), MIXED.encode_utf16().count());
    }

    #[test]
    fn a_text_without_astral_characters_maps_like_one_with_them() {
        // No character outside the BMP: the map keeps no UTF-16 table, and must answer as if it did.
        let bmp = MIXED.replace('😀', "٪");
        let m = OffsetMap::new(&bmp);
        assert!(m.cp_to_utf16.is_none());
        for (cp, (b, _)) in bmp.char_indices().enumerate() {
            assert_eq!(m.cp_to_byte(cp), Some(b));
            assert_eq!(m.byte_to_cp(b), Some(cp));
            assert_eq!(m.cp_to_utf16(cp), Some(bmp[..b].encode_utf16().count()));
            assert_eq!(m.utf16_to_cp(cp), Some(cp));
        }
        let n = bmp.chars().count();
        assert_eq!((m.len_chars(), m.len_utf16()), (n, bmp.encode_utf16().count()));
        assert_eq!(m.cp_to_utf16(n), Some(n));
        assert_eq!((m.cp_to_utf16(n + 1), m.utf16_to_cp(n + 1)), (None, None));
        assert_eq!(m.cp_to_byte(n), Some(bmp.len()));
        let empty = OffsetMap::new("");
        assert_eq!((empty.len_chars(), empty.len_utf16(), empty.cp_to_byte(0)), (0, 0, Some(0)));
    }

    #[test]
    fn emoji_counts_once_in_code_points_twice_in_utf16() {
        let m = OffsetMap::new(MIXED);
        let emoji_cp = MIXED.chars().position(|c| c == '😀').unwrap();
        let u = m.cp_to_utf16(emoji_cp).unwrap();
        assert_eq!(m.cp_to_utf16(emoji_cp + 1), Some(u + 2));
        // A DOM offset inside the surrogate pair rounds to the emoji's start.
        assert_eq!(m.utf16_to_cp(u + 1), Some(emoji_cp));
        assert_eq!(slice_chars(MIXED, emoji_cp, emoji_cp + 1), Some("😀"));
    }

    #[test]
    fn diacritics_are_their_own_code_points() {
        // م + damma + ح + م + shadda + د: six code points, one visible word of four letters.
        assert_eq!("مُحمّد".chars().count(), 6);
        assert_eq!(slice_chars(MIXED, 0, 6), Some("مُحمّد"));
        let d = slice_chars(MIXED, 7, 10).unwrap();
        assert_eq!(d, "ـــ");
    }

    #[test]
    fn digits_and_latin_slice_exactly() {
        let start = MIXED.chars().position(|c| c == '2').unwrap();
        assert_eq!(slice_chars(MIXED, start, start + 4), Some("2020"));
        let p = MIXED.chars().position(|c| c == 'P').unwrap();
        assert_eq!(slice_chars(MIXED, p, p + 5), Some("Paris"));
    }

    #[test]
    fn rejects_bad_ranges() {
        let m = OffsetMap::new(MIXED);
        let n = m.len_chars();
        assert_eq!(slice_chars(MIXED, 3, 2), None);
        assert_eq!(slice_chars(MIXED, 0, n + 1), None);
        assert_eq!(slice_chars(MIXED, n, n), Some(""));
        assert!(m.byte_range(0, n + 1).is_none());
        assert_eq!(m.byte_to_cp(1), None, "inside a two-byte Arabic letter");
        assert_eq!(m.utf16_to_cp(m.len_utf16() + 1), None);
    }
}
