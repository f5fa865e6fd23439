//! The fast path of [`SessionClaims::has_permission`](crate::SessionClaims::has_permission)
//! for version 2 claims. The first time a check reads a [`ClaimList`](super::ClaimList),
//! [`Index::new`] reads it eight bytes at a time into bit sets (one bit per byte: where the
//! commas and colons are) and finds with bit arithmetic which bytes are the names of the
//! organization's entries. [`grants`] then only compares the few entries that could match.
//!
//! It applies the same rule as the general path in `claims.rs`, and only to lists it can
//! read exactly: shorter than 64 bytes (one bit set) and made of graphic ASCII only (`!`
//! to `~`: no space to trim, nothing JS would trim differently). Other lists have no
//! index, and the general path decides. `both_paths_agree` (in `claims.rs`) compares the
//! two paths directly, and the property `has_permission_agrees_with_permissions` compares
//! `has_permission` with `permissions()`.

use core::num::NonZeroU64;

use super::{is_org_scope, mask_grants_any, same};

/// Bit 63 of [`Index::commas`], always set: no comma can be there (a list with an index is
/// shorter), and the cache in `ClaimList` tells a found index from its own states by it.
const MARK: u64 = 1 << 63;
/// [`MARK`] alone.
const MARKED: NonZeroU64 = NonZeroU64::MIN.saturating_add(MARK - 1);

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

/// Whether any byte seen is outside `!`..=`~`, accumulated over words: a high bit of any
/// byte flags one.
#[derive(Clone, Copy)]
struct Unusual(u64);

impl Unusual {
    const NONE: Self = Self(0);

    fn add(&mut self, word: u64) {
        // A byte of `0x80` or more has its high bit; a DEL gets it from `0x7f + 1`; a byte
        // below `!` lacks it after `+ 0x5f`. Carries out of a byte with its high bit set may
        // spoil its neighbours' sums, but that byte is already flagged, so the answer stays
        // right.
        self.0 |= word | word.wrapping_add(ONES) | !word.wrapping_add(ONES * (0x80 - 0x21));
    }

    fn any(self) -> bool {
        self.0 & HIGH != 0
    }
}

/// Where the commas and the colons of a claim are, one bit per byte.
struct Separators {
    commas: u64,
    colons: u64,
}

/// The separators of `text`, or `None` if it has 64 bytes or more or any byte that is not
/// graphic ASCII.
fn separators(text: &[u8]) -> Option<Separators> {
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
        found.colons |= equal_bits(word, b':') << at;
    };
    let mut words = text.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        if let Some(word) = word.first_chunk::<8>() {
            scan(u64::from_le_bytes(*word), at);
        }
        at += 8;
    }
    if !words.remainder().is_empty() {
        match text.last_chunk::<8>() {
            // The last eight bytes, overlapping the word before: its repeated bytes give the
            // same bits again, so no mask is needed.
            Some(word) => scan(u64::from_le_bytes(*word), len - 8),
            // Fewer than 8 bytes: padded with `~`, which is graphic and no separator.
            None => scan(
                text.iter()
                    .rev()
                    .fold(ONES * u64::from(b'~'), |word, b| word << 8 | u64::from(*b)),
                0,
            ),
        }
    }
    (!unusual.any()).then_some(found)
}

/// Where the entries of a claim list are, found once, by the first check that reads it (see
/// [`ClaimList`](super::ClaimList)), so that each permission check only compares the few
/// entries that could match. Exists only for lists this path reads exactly: under 64 bytes
/// of graphic ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Index {
    /// The commas, and [`MARK`].
    commas: NonZeroU64,
    /// The bytes of the organization entries' names (scope `o`, `ou` or `uo`; the name is
    /// what follows the first colon, up to a comma, a second colon or the end): one run of
    /// bits per entry, in order. None at all when an entry has no colon, since Clerk's JS
    /// SDK then grants nothing.
    org_names: u64,
}

impl Index {
    /// The commas.
    fn commas(&self) -> u64 {
        self.commas.get() & !MARK
    }

    /// The index as two words, the first with bit 63 set, for a cache.
    pub(super) fn to_parts(self) -> (u64, u64) {
        (self.commas.get(), self.org_names)
    }

    /// The index [`to_parts`](Self::to_parts) gave; `None` for a first word without bit 63.
    pub(super) fn from_parts(commas: u64, org_names: u64) -> Option<Self> {
        (commas & MARK != 0)
            .then(|| NonZeroU64::new(commas))
            .flatten()
            .map(|commas| Self { commas, org_names })
    }

    /// The index of `text`, or `None` if it has 64 bytes or more, any byte that is not
    /// graphic ASCII, or an organization entry with an empty name (which has no run of
    /// bits, so the entries after it could not be counted).
    pub(super) fn new(text: &[u8]) -> Option<Self> {
        let Separators { commas, colons } = separators(text)?;
        // Each entry's first colon, found by adding: a carry that enters a run of plain
        // bytes stops at the first byte after it that is not plain.
        let end = 1_u64 << text.len();
        let stops = commas | end;
        let plain = !(colons | stops) & (end - 1);
        let starts = commas << 1 | 1;
        let first = plain.wrapping_add(starts) & !plain;
        // The organization's entries, marked at their first colon; none if an entry's
        // first stop is a comma or the end (it has no `:`), which is where `per`
        // ends.
        let mut org = 0_u64;
        if first & stops == 0 {
            // Scopes of one or two bytes are the only candidates.
            let mut short_scopes = starts & (first >> 1 | first >> 2);
            while short_scopes != 0 {
                // Below 64: a bit of a `u64`.
                let start = short_scopes.trailing_zeros() as usize;
                short_scopes &= short_scopes - 1;
                let colon = if first >> start & 0b10 != 0 {
                    start + 1
                } else {
                    start + 2
                };
                if text.get(start..colon).is_some_and(is_org_scope) {
                    org |= 1 << colon;
                }
            }
        }
        // Their names: from the byte after the colon to the next byte that is not plain.
        let name_starts = org << 1;
        let name_ends = plain.wrapping_add(name_starts) & !plain;
        if name_ends & name_starts != 0 {
            return None;
        }
        // The runs are apart (an entry's scope and colon lie between two names), so one
        // subtraction fills them all without a borrow.
        Some(Self {
            commas: MARKED.saturating_add(commas),
            org_names: name_ends.wrapping_sub(name_starts),
        })
    }
}

/// A claim list with its index.
#[derive(Clone, Copy)]
pub(super) struct Listed<'a> {
    pub(super) text: &'a [u8],
    pub(super) index: Index,
}

/// A name looked for at several places: from 4 bytes on, its first and last words are read
/// once, and each place compares two words (overlapping for names under 8 or 16 bytes, so
/// every byte is compared).
struct Needle<'a> {
    key: &'a [u8],
    words: Words,
}

enum Words {
    /// Up to 3 bytes: compared byte by byte.
    Short,
    /// 4 to 7 bytes.
    Four(u32, u32),
    /// 8 to 16 bytes; longer names compare the rest byte by byte too.
    Eight(u64, u64),
}

impl<'a> Needle<'a> {
    fn new(key: &'a [u8]) -> Self {
        let words = match (
            key.first_chunk::<8>(),
            key.last_chunk::<8>(),
            key.first_chunk::<4>(),
            key.last_chunk::<4>(),
        ) {
            (Some(head), Some(tail), _, _) => {
                Words::Eight(u64::from_ne_bytes(*head), u64::from_ne_bytes(*tail))
            }
            (_, _, Some(head), Some(tail)) => {
                Words::Four(u32::from_ne_bytes(*head), u32::from_ne_bytes(*tail))
            }
            _ => Words::Short,
        };
        Self { key, words }
    }

    /// Whether the needle is at `at` in `text`.
    fn is_at(&self, text: &[u8], at: usize) -> bool {
        let Some(found) = text.get(at..).and_then(|rest| rest.get(..self.key.len())) else {
            return false;
        };
        match self.words {
            Words::Eight(head, tail) => {
                found.first_chunk::<8>().map(|w| u64::from_ne_bytes(*w)) == Some(head)
                    && found.last_chunk::<8>().map(|w| u64::from_ne_bytes(*w)) == Some(tail)
                    && (found.len() <= 16 || same(found, self.key))
            }
            Words::Four(head, tail) => {
                found.first_chunk::<4>().map(|w| u32::from_ne_bytes(*w)) == Some(head)
                    && found.last_chunk::<4>().map(|w| u32::from_ne_bytes(*w)) == Some(tail)
            }
            Words::Short => same(found, self.key),
        }
    }
}

/// Where the first `:` of `text` is, eight bytes at a time.
pub(super) fn first_colon(text: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut rest = text;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        let x = u64::from_le_bytes(*word) ^ (ONES * u64::from(b':'));
        // The lowest flagged byte is the first zero byte of `x` (a borrow can flag bytes
        // only above a true zero).
        let found = x.wrapping_sub(ONES) & !x & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
        rest = tail;
    }
    rest.iter().position(|b| *b == b':').map(|i| at + i)
}

/// How many bits of `bits` are below bit `at` (< 64). The sets are sparse, and the
/// target may lack a population count instruction.
fn count_below(bits: u64, at: usize) -> u32 {
    let mut below = bits & shift_left(1, at).wrapping_sub(1);
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

/// `bits << by`, and nothing when `by` is past the width.
fn shift_left(bits: u64, by: usize) -> u64 {
    u32::try_from(by)
        .ok()
        .and_then(|by| bits.checked_shl(by))
        .unwrap_or(0)
}

/// Whether `fea`, `per` and `fpm` grant `name` in `feature`, from the indexes of `fea` and
/// `per`. `feature` is what precedes the permission's first `:`.
pub(super) fn grants(
    fea: Listed<'_>,
    per: Listed<'_>,
    fpm: &[u8],
    feature: &[u8],
    name: &[u8],
) -> bool {
    if feature.is_empty() || name.is_empty() || fea.index.org_names == 0 {
        return false;
    }
    // `per`: the fields equal to `name`. A field of `name`'s length starts right after a
    // comma (or at 0) and ends `name.len()` later at a comma (or at the end).
    let commas = per.index.commas();
    let starts = commas << 1 | 1;
    let ends = commas | shift_left(1, per.text.len());
    let mut candidates = starts & shift_right(ends, name.len());
    let mut wanted = 0_u64;
    let needle = Needle::new(name);
    while candidates != 0 {
        let start = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if needle.is_at(per.text, start) {
            wanted |= shift_left(1, count_below(commas, start) as usize);
        }
    }
    if wanted == 0 {
        return false;
    }
    // `fea`: the organization's entries named `feature`: runs of name bytes that end
    // `feature.len()` after they start.
    let names = fea.index.org_names;
    let starts = names & !(names << 1);
    let ends = names.wrapping_add(starts) & !names;
    let mut candidates = starts & shift_right(ends, feature.len());
    let mut hits = 0_u64;
    let needle = Needle::new(feature);
    while candidates != 0 {
        let start = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if needle.is_at(fea.text, start) {
            hits |= shift_left(1, count_below(starts, start) as usize);
        }
    }
    // The mask of each such entry, by its place among the organization's entries.
    while hits != 0 {
        let index = hits.trailing_zeros() as usize;
        hits &= hits - 1;
        match fpm.split(|b| *b == b',').nth(index) {
            Some(mask) if mask_grants_any(mask, wanted) => return true,
            Some(_) => {}
            // No mask from here on: nothing more is granted.
            None => return false,
        }
    }
    false
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
                    assert!(separators(&text).is_none(), "{bad:#x} at {at} of {len}");
                }
            }
        }
        assert!(separators(&[b'a'; 64]).is_none());
        let text = b"o:a,u:b:c,uo:d,x";
        let found = separators(text).map(|s| (s.commas, s.colons));
        assert_eq!(
            found,
            Some((
                1 << 3 | 1 << 9 | 1 << 14,
                1 << 1 | 1 << 5 | 1 << 7 | 1 << 12
            ))
        );
    }

    #[test]
    fn indexes_entries_scopes_and_names() {
        // `o:a` (name at 2), `u:b:c`, `uo:dd` (13 and 14), `ou:e:f` (19).
        let index = Index::new(b"o:a,u:b:c,uo:dd,ou:e:f").map(|i| i.org_names);
        assert_eq!(index, Some(1 << 2 | 1 << 13 | 1 << 14 | 1 << 19));
        // An entry without a colon voids every organization entry.
        assert_eq!(Index::new(b"o:a,x").map(|i| i.org_names), Some(0));
        assert_eq!(Index::new(b"oo:a,o:b").map(|i| i.org_names), Some(1 << 7));
        // An organization entry without a name: left to the general path.
        assert_eq!(Index::new(b"o:,o:b"), None);
        assert_eq!(Index::new(b"o:b,uo:"), None);
        let user_without_name = Index::new(b"o:b,u:").map(|i| (i.commas(), i.org_names));
        assert_eq!(user_without_name, Some((1 << 3, 1 << 2)));
    }

    /// The word comparison of a needle agrees with a byte comparison at every length it
    /// treats differently, for a difference at every position, at every place.
    #[test]
    fn needles_compare_every_byte() {
        let text: Vec<u8> = (0..40).map(|i| b'a' + i % 26).collect();
        for len in 1..=20 {
            for at in 0..text.len() {
                let Some(key) = text.get(at..at + len) else {
                    assert!(!Needle::new(&text[..len]).is_at(&text, at), "{len} {at}");
                    continue;
                };
                assert!(Needle::new(key).is_at(&text, at), "{len} {at}");
                for wrong in 0..len {
                    let mut other = key.to_vec();
                    other[wrong] = b'-';
                    assert!(!Needle::new(&other).is_at(&text, at), "{len} {at} {wrong}");
                }
            }
        }
    }

    #[test]
    fn finds_the_first_colon() {
        for len in 0..20 {
            for colon in 0..len {
                let mut text = vec![b'a'; len];
                text[colon] = b':';
                if let Some(later) = text.get_mut(colon + 1) {
                    *later = b':';
                }
                assert_eq!(first_colon(&text), Some(colon), "{len} {colon}");
                // Bytes just above and below a colon, and non-ASCII, are not one.
                text[colon] = 0xba;
                assert_eq!(
                    first_colon(&text).is_some(),
                    colon + 1 < len,
                    "{len} {colon}"
                );
            }
            assert_eq!(first_colon(&vec![b';'; len]), None);
        }
    }

    #[test]
    fn counts_and_shifts_without_overflow() {
        assert_eq!(count_below(0b1011, 3), 2);
        assert_eq!(count_below(u64::MAX, 0), 0);
        assert_eq!(shift_right(u64::MAX, 64), 0);
        assert_eq!(shift_right(0b100, 2), 1);
        assert_eq!(shift_left(1, 64), 0);
        assert_eq!(shift_left(1, 63), 1 << 63);
    }
}
