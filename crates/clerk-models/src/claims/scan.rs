//! The fast path of [`SessionClaims::has_permission`](crate::SessionClaims::has_permission)
//! for version 2 claims: `fea` and `per` are read eight bytes at a time into bit sets (one
//! bit per byte: where the commas and colons are), and the entries are found with bit
//! arithmetic instead of a byte-by-byte split.
//!
//! It applies the same rule as the general path in `claims.rs`, and only to claims it can
//! read exactly: each of `fea` and `per` shorter than 64 bytes (one bit set) and made of
//! graphic ASCII only (`!` to `~`: no space to trim, nothing JS would trim differently).
//! Anything else returns `None`, and the general path decides. `both_paths_agree` (in
//! `claims.rs`) compares the two paths directly, and the property
//! `has_permission_agrees_with_permissions` compares `has_permission` with `permissions()`.

use super::{mask_grants_any, same};

/// `0x01` in every byte.
const ONES: u64 = u64::MAX / 0xff;
/// `0x80` in every byte.
const HIGH: u64 = ONES * 0x80;
/// Multiplying a word whose bytes are `0x00` or `0x80` by this gathers their high bits into
/// the top byte, byte `i` at bit `56 + i` (no two products meet there, so nothing carries).
const GATHER: u64 = 0x0002_0408_1020_4081;

/// One bit per byte of `word` (little-endian) equal to `byte`. Exact when no byte of `word`
/// has its high bit set, which [`Unusual`] checks for the whole claim.
fn equal_bits(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    // `0x80 - x` keeps its high bit only where `x` is zero (x ≤ 0x7f: nothing borrows).
    (HIGH.wrapping_sub(x) & HIGH).wrapping_mul(GATHER) >> 56
}

/// Whether any byte seen is outside `!`..=`~`, accumulated over words.
#[derive(Clone, Copy)]
struct Unusual {
    /// Any high bit: a byte of `0x80` or more, or a DEL (`0x7f + 1` sets it).
    or: u64,
    /// Every high bit: each byte is at least `!` (`0x21 + 0x5f` sets it).
    and: u64,
}

impl Unusual {
    const NONE: Self = Self { or: 0, and: HIGH };

    fn add(&mut self, word: u64) {
        // Carries out of a byte with its high bit set may spoil its neighbours' sums, but
        // that byte's own high bit is already in `or`, so the answer stays right.
        self.or |= word | word.wrapping_add(ONES);
        self.and &= word.wrapping_add(ONES * (0x80 - 0x21));
    }

    fn any(self) -> bool {
        (self.or | !self.and) & HIGH != 0
    }
}

/// Where the commas and the colons of a claim are, one bit per byte.
struct Separators {
    commas: u64,
    colons: u64,
}

/// The separators of `text`, or `None` if it has 64 bytes or more or any byte that is not
/// graphic ASCII. Colons are looked for only when `COLONS` is set.
#[inline(never)]
fn separators<const COLONS: bool>(text: &[u8]) -> Option<Separators> {
    let len = text.len();
    if len >= 64 {
        return None;
    }
    let mut unusual = Unusual::NONE;
    let mut found = Separators {
        commas: 0,
        colons: 0,
    };
    let mut scan = |word: u64, at: usize| {
        unusual.add(word);
        found.commas |= equal_bits(word, b',') << at;
        if COLONS {
            found.colons |= equal_bits(word, b':') << at;
        }
    };
    match len.checked_sub(8) {
        // Word by word; the last one ends at the end of the text and may overlap the one
        // before it. Its repeated bytes give the same bits again, so no mask is needed.
        Some(last) => {
            let mut at = 0;
            while at < len {
                let start = at.min(last);
                let word = text
                    .get(start..start + 8)
                    .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
                    .map(u64::from_le_bytes)?;
                scan(word, start);
                at += 8;
            }
        }
        // Fewer than 8 bytes: padded with `~`, which is graphic and no separator.
        None => scan(
            text.iter()
                .rev()
                .fold(ONES * u64::from(b'~'), |word, b| word << 8 | u64::from(*b)),
            0,
        ),
    }
    (!unusual.any()).then_some(found)
}

/// Whether `key` is at `at` in `text`.
fn same_at(text: &[u8], at: usize, key: &[u8]) -> bool {
    at.checked_add(key.len())
        .and_then(|end| text.get(at..end))
        .is_some_and(|found| same(found, key))
}

/// How many bits of `bits` are below bit `at` (< 64). The sets are sparse, and the
/// target may lack a population count instruction.
fn count_below(bits: u64, at: usize) -> u32 {
    let mut below = bits & ((1_u64 << at) - 1);
    let mut count = 0;
    while below != 0 {
        below &= below - 1;
        count += 1;
    }
    count
}

/// `bits >> by`, and nothing when `by` is past the width.
fn shift_right(bits: u64, by: usize) -> u64 {
    u32::try_from(by)
        .ok()
        .and_then(|by| bits.checked_shr(by))
        .unwrap_or(0)
}

/// Whether `fea`, `per` and `fpm` grant `name` in `feature`, for claims this path can read
/// exactly; `None` for the others. `feature` is what precedes the permission's first `:`.
pub(super) fn grants(
    fea: &[u8],
    per: &[u8],
    fpm: &[u8],
    feature: &[u8],
    name: &[u8],
) -> Option<bool> {
    if feature.is_empty() || name.is_empty() {
        return Some(false);
    }
    if fea.len() >= 64 {
        return None;
    }
    // `per`: the fields equal to `name`. A field of `name`'s length starts right after a
    // comma (or at 0) and ends `name.len()` later at a comma (or at the end).
    let Separators { commas, .. } = separators::<false>(per)?;
    let starts = commas << 1 | 1;
    let ends = commas | 1 << per.len();
    let mut candidates = starts & shift_right(ends, name.len());
    let mut wanted = 0_u64;
    while candidates != 0 {
        let start = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if same_at(per, start, name) {
            wanted |= 1 << count_below(commas, start);
        }
    }
    if wanted == 0 {
        return Some(false);
    }
    // `fea`: each entry's first colon and the end of its name, found by adding: a carry
    // that enters a run of plain bytes stops at the first byte after it that is not plain.
    let Separators { commas, colons } = separators::<true>(fea)?;
    let end = 1_u64 << fea.len();
    let stops = commas | end;
    let plain = !(colons | stops) & (end - 1);
    let starts = commas << 1 | 1;
    let first = plain.wrapping_add(starts) & !plain;
    // An entry whose first stop is a comma or the end has no `:`: the claim grants nothing.
    if first & stops != 0 {
        return Some(false);
    }
    let name_ends = plain.wrapping_add(first << 1) & !plain;
    // The organization's entries (`o:`, `ou:`, `uo:`), marked at their first colon.
    let mut short_scopes = starts & (first >> 1 | first >> 2);
    let mut org = 0_u64;
    while short_scopes != 0 {
        let start = short_scopes.trailing_zeros() as usize;
        short_scopes &= short_scopes - 1;
        let colon = if first >> (start + 1) & 1 == 1 {
            start + 1
        } else {
            start + 2
        };
        if matches!(fea.get(start..colon), Some(b"o" | b"ou" | b"uo")) {
            org |= 1 << colon;
        }
    }
    // Those named `feature`: their name ends `feature.len()` after the colon's next byte.
    let mut candidates = org & shift_right(name_ends, feature.len() + 1);
    let mut hits = 0_u64;
    while candidates != 0 {
        let colon = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if same_at(fea, colon + 1, feature) {
            hits |= 1 << count_below(org, colon);
        }
    }
    // The mask of each such entry, by its place among the organization's entries.
    while hits != 0 {
        let index = hits.trailing_zeros() as usize;
        hits &= hits - 1;
        match fpm.split(|b| *b == b',').nth(index) {
            Some(mask) if mask_grants_any(mask, wanted) => return Some(true),
            Some(_) => {}
            // No mask from here on: nothing more is granted.
            None => return Some(false),
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathers_each_byte_to_its_bit() {
        for pattern in 0_u32..256 {
            let word = (0..8).fold(0_u64, |word, i| {
                word | u64::from(if pattern >> i & 1 == 1 { b',' } else { b'a' }) << (8 * i)
            });
            assert_eq!(equal_bits(word, b','), u64::from(pattern), "{pattern:08b}");
        }
    }

    #[test]
    fn finds_unusual_bytes_anywhere() {
        for bad in [b' ', b'\t', 0, 0x7f, 0x80, 0xff] {
            for len in [1, 7, 8, 9, 63] {
                for at in 0..len {
                    let mut text = vec![b'a'; len];
                    if let Some(b) = text.get_mut(at) {
                        *b = bad;
                    }
                    assert!(
                        separators::<true>(&text).is_none(),
                        "{bad:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(separators::<true>(&[b'a'; 64]).is_none());
        let text = b"o:a,u:b:c,uo:d,x";
        let found = separators::<true>(text).map(|s| (s.commas, s.colons));
        assert_eq!(
            found,
            Some((
                1 << 3 | 1 << 9 | 1 << 14,
                1 << 1 | 1 << 5 | 1 << 7 | 1 << 12
            ))
        );
    }

    #[test]
    fn counts_and_shifts_without_overflow() {
        assert_eq!(count_below(0b1011, 3), 2);
        assert_eq!(count_below(u64::MAX, 0), 0);
        assert_eq!(shift_right(u64::MAX, 64), 0);
        assert_eq!(shift_right(0b100, 2), 1);
    }
}
