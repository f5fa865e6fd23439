//! The version 2 permission rule: how `fea`, `o.per` and `o.fpm` grant permissions, as
//! Clerk's JS `jwtPayloadParser` computes them. The masks of `fpm` line up with the
//! organization-scoped entries of `fea` only, bit *i* (least significant first) granting
//! permission *i* of `per`; anything malformed grants nothing. One rule: [`grants`] checks
//! one permission and [`MaskPermissions`] lists them, both over [`feature_masks`].

use super::is_org_scope;
use super::list::{Fields, fields};
use super::permission::OrgPermission;

/// One `fea` entry as `(scope, name)`, spaces trimmed as Clerk's JS trims them; `None`
/// without a `:`. The name ends at a second `:`, as Clerk's JS reads `entry.split(':')[1]`.
pub(super) fn scoped(entry: &str) -> Option<(&str, &str)> {
    let entry = entry.trim_matches(' ');
    let colon = entry.bytes().position(|b| b == b':')?;
    let rest = entry.get(colon + 1..)?;
    Some((entry.get(..colon)?, rest.split(':').next()?))
}

/// Whether `fea` can be lined up with `fpm` exactly as Clerk's JS does: every entry has a
/// `:` (JS throws otherwise), and every byte is printable ASCII or a space, so that no
/// whitespace JS would trim and Rust would not (or the reverse) can shift an entry's scope
/// and with it every mask after it. Anything else grants nothing.
fn well_formed(features: &str) -> bool {
    !features.is_empty() && printable(features) && fields(features).all(|entry| entry.contains(':'))
}

/// Whether `per` can be read as Clerk's JS reads it: printable ASCII and spaces only, so
/// that trimming a name means the same in both (JS trims tabs and Unicode blanks too).
/// Anything else grants nothing.
fn well_formed_per(per: &str) -> bool {
    printable(per)
}

/// The permission names of `per`, trimmed, in order.
fn permission_names(per: &str) -> impl Iterator<Item = &str> + Clone {
    fields(per).map(|name| name.trim_matches(' '))
}

/// Every byte is printable ASCII or a space (see [`well_formed`]).
fn printable(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// The organization features of `fea` paired with their masks in `fpm`, in order, each
/// feature with a name: nothing if `fea` or `per` is malformed. What both
/// [`MaskPermissions`] and [`grants`] read, so that listing and checking are one rule.
fn feature_masks<'a>(features: &'a str, per: &'a str, fpm: &'a str) -> FeatureMasks<'a> {
    FeatureMasks(
        (well_formed(features) && well_formed_per(per))
            .then(|| OrgFeatures(fields(features)).zip(fields(fpm))),
    )
}

/// The iterator of [`feature_masks`].
#[derive(Clone, Debug)]
struct FeatureMasks<'a>(Option<core::iter::Zip<OrgFeatures<'a>, Fields<'a>>>);

impl<'a> Iterator for FeatureMasks<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        self.0.as_mut()?.find(|(feature, _)| !feature.is_empty())
    }
}

/// Whether `mask` grants permission `i` of `per`, named `name`: a name, and bit `i` set.
fn grants_bit(mask: &str, i: usize, name: &str) -> bool {
    !name.is_empty() && mask_bit(mask.as_bytes(), i)
}

/// Whether `fea`, `per` and `fpm` grant `name` in `feature` (version 2): some pair of
/// [`feature_masks`] names `feature`, and its mask grants the permission `name` of `per`.
/// The one rule of [`SessionClaims::has_permission`](crate::SessionClaims::has_permission);
/// [`MaskPermissions`] lists exactly what it grants.
pub(super) fn grants(features: &str, per: &str, fpm: &str, feature: &str, name: &str) -> bool {
    feature_masks(features, per, fpm)
        .filter(|(f, _)| *f == feature)
        .any(|(_, mask)| {
            permission_names(per)
                .enumerate()
                .any(|(i, n)| n == name && grants_bit(mask, i, n))
        })
}

/// Version 2 permissions as an iterator: each pair of [`feature_masks`], each permission of
/// `per` its mask grants.
#[derive(Clone, Debug)]
pub(super) struct MaskPermissions<'a> {
    /// The `(feature, mask)` pairs still to visit.
    pairs: FeatureMasks<'a>,
    per: &'a str,
    /// The current feature and mask, and the next bit to test.
    current: Option<(&'a str, &'a str, usize)>,
}

/// The organization-scoped entries of a well-formed `fea`, in order.
#[derive(Clone, Debug)]
struct OrgFeatures<'a>(Fields<'a>);

impl<'a> Iterator for OrgFeatures<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some((scope, name)) = scoped(self.0.next()?)
                && is_org_scope(scope.as_bytes())
            {
                return Some(name);
            }
        }
    }
}

impl<'a> MaskPermissions<'a> {
    pub(super) fn new(features: &'a str, per: &'a str, fpm: &'a str) -> Self {
        Self {
            pairs: feature_masks(features, per, fpm),
            per,
            current: None,
        }
    }
}

impl<'a> Iterator for MaskPermissions<'a> {
    type Item = OrgPermission<'a>;

    fn next(&mut self) -> Option<OrgPermission<'a>> {
        loop {
            if let Some((feature, mask, bit)) = &mut self.current {
                let granted = permission_names(self.per)
                    .enumerate()
                    .skip(*bit)
                    .find(|(i, name)| grants_bit(mask, *i, name));
                match granted {
                    Some((i, name)) => {
                        *bit = i + 1;
                        return Some(OrgPermission::parts(feature, name));
                    }
                    None => self.current = None,
                }
            }
            let (feature, mask) = self.pairs.next()?;
            self.current = Some((feature, mask, 0));
        }
    }
}

/// The widest mask handled exactly, in 64-bit words: bits 0 to 1023, so up to 1024
/// permissions in `per`. A higher bit grants nothing.
const MASK_WORDS: usize = 16;

/// The most significant digits a mask of bits 0 to 1023 can have: `2^1024 - 1` has 309.
const MAX_MASK_DIGITS: usize = 309;

/// Bit `bit` (least significant first) of the decimal number `mask`, exactly: the digits
/// are folded modulo `2^(64·w)`, enough words `w` to hold the bit.
/// Anything but ASCII digits (after trimming spaces) is no mask and grants nothing.
fn mask_bit(mask: &[u8], bit: usize) -> bool {
    let mask = mask.trim_ascii();
    if mask.is_empty() || !mask.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // A number of more than 309 significant digits is at least 10^309 > 2^1024: it sets a
    // bit past every permission this reads, so it is no mask Clerk sends, and it grants
    // nothing (which also bounds the work below).
    let significant = mask.iter().skip_while(|d| **d == b'0').count();
    if significant > MAX_MASK_DIGITS {
        return false;
    }
    // Up to 19 digits fit a u64: the usual mask.
    if bit < 64
        && mask.len() <= 19
        && let Some(value) = mask.iter().try_fold(0_u64, |acc, b| {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
    {
        return value >> bit & 1 == 1;
    }
    let word_count = bit / 64 + 1;
    if word_count > MASK_WORDS {
        return false;
    }
    let mut words = [0_u64; MASK_WORDS];
    for digit in mask.iter().map(|b| u64::from(b - b'0')) {
        let mut carry = digit;
        for word in words.iter_mut().take(word_count) {
            let wide = u128::from(*word) * 10 + u128::from(carry);
            // Truncation keeps the low 64 bits; the rest carries into the next word.
            *word = (wide & u128::from(u64::MAX)) as u64;
            carry = (wide >> 64) as u64;
        }
    }
    words
        .get(bit / 64)
        .is_some_and(|word| (word >> (bit % 64)) & 1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random sequence (xorshift), so that the comparison below is the same
    /// on every run and needs no dependency.
    struct Draw(u64);

    impl Draw {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
        }
    }

    /// Bit `bit` of a decimal number by schoolbook halving: slow, and obviously right.
    fn reference_bit(mask: &str, bit: usize) -> bool {
        let mask = mask.trim_matches(|c: char| c.is_ascii_whitespace());
        if mask.is_empty() || !mask.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let mut digits: Vec<u8> = mask.bytes().map(|b| b - b'0').collect();
        for _ in 0..bit {
            let mut rest = 0;
            for d in &mut digits {
                let value = rest * 10 + *d;
                *d = value / 2;
                rest = value % 2;
            }
        }
        digits.last().is_some_and(|d| d % 2 == 1)
    }

    /// Clerk's JS rule written plainly from its source (`jwtPayloadParser`): split `fea` on
    /// commas, trim each entry, give up if one has no `:`, keep the organization-scoped
    /// entries, pair the n-th with the n-th mask of `fpm`, and grant permission i of `per`
    /// (split and trimmed) where bit i of the mask is set. On top, as this crate does:
    /// only printable ASCII, no empty names, masks under 2^1024.
    fn reference(fea: &str, per: &str, fpm: &str, feature: &str, name: &str) -> bool {
        let printable = |s: &str| s.bytes().all(|b| (b' '..=b'~').contains(&b));
        if fea.is_empty() || !printable(fea) || !printable(per) || feature.is_empty() {
            return false;
        }
        let entries: Vec<&str> = fea.split(',').map(str::trim).collect();
        if entries.iter().any(|e| !e.contains(':')) {
            return false;
        }
        let org: Vec<&str> = entries
            .iter()
            .filter_map(|e| {
                let mut parts = e.split(':');
                let scope = parts.next()?;
                let slug = parts.next()?;
                ["o", "ou", "uo"].contains(&scope).then_some(slug)
            })
            .collect();
        let masks: Vec<&str> = if fpm.is_empty() {
            vec![]
        } else {
            fpm.split(',').collect()
        };
        let names: Vec<&str> = per.split(',').map(str::trim).collect();
        org.iter().zip(&masks).any(|(slug, mask)| {
            *slug == feature
                && names.iter().enumerate().any(|(i, n)| {
                    *n == name
                        && !n.is_empty()
                        && mask.trim().len() <= MAX_MASK_DIGITS
                        && i < 64 * MASK_WORDS
                        && reference_bit(mask, i)
                })
        })
    }

    /// The rule and the plain reference give one answer, and every listed permission is
    /// granted, over claims of every shape: well-formed entries mostly, with odd ones (no
    /// colon, empty, a second colon, unknown scopes), spaces, tabs, DEL, non-ASCII, and
    /// masks that are not plain numbers.
    #[test]
    fn the_rule_agrees_with_a_plain_reference() {
        let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
        let names = ["a", "bb", "ccc", "dddddddd", "a:x", ""];
        let scopes = ["o:", "u:", "ou:", "uo:", "x:", "", "o", ":"];
        let odd = [" ", "\t", "\u{7f}", "\u{e9}", ","];
        let masks = [
            "1",
            "3",
            "7",
            "15",
            "0",
            "",
            " 3",
            "x",
            "18446744073709551617",
        ];
        let pick = |draw: &mut Draw, from: &[&'static str], common: usize| -> &'static str {
            // The first `common` choices come up far more often than the rest.
            let at = if draw.below(8) == 0 {
                draw.below(from.len())
            } else {
                draw.below(common)
            };
            from.get(at).copied().unwrap_or("")
        };
        let mut granted = 0;
        for round in 0..20_000 {
            let entries = 1 + draw.below(2 + round % 12);
            let mut fea: Vec<String> = (0..entries)
                .map(|_| {
                    format!(
                        "{}{}",
                        pick(&mut draw, &scopes, 4),
                        pick(&mut draw, &names, 3)
                    )
                })
                .collect();
            let mut per: Vec<&str> = (0..1 + draw.below(2 + round % 10))
                .map(|_| pick(&mut draw, &names, 4))
                .collect();
            let fpm: Vec<&str> = (0..draw.below(entries + 2))
                .map(|_| pick(&mut draw, &masks, 4))
                .collect();
            if draw.below(16) == 0 {
                fea.push(pick(&mut draw, &odd, odd.len()).to_owned());
            }
            if draw.below(16) == 0 {
                per.push(pick(&mut draw, &odd, odd.len()));
            }
            let (fea, per, fpm) = (fea.join(","), per.join(","), fpm.join(","));
            let feature = pick(&mut draw, &["a", "bb", "ccc", "a,o"], 3);
            let name = pick(&mut draw, &names, 3);
            let rule = grants(&fea, &per, &fpm, feature, name);
            assert_eq!(
                rule,
                reference(&fea, &per, &fpm, feature, name),
                "{fea:?} {per:?} {fpm:?} {feature:?}:{name:?}"
            );
            granted += usize::from(rule);
            for permission in MaskPermissions::new(&fea, &per, &fpm) {
                let (Some(f), Some(n)) = (permission.feature(), permission.name()) else {
                    panic!("a v2 permission has a feature and a name: {permission}");
                };
                assert!(
                    grants(&fea, &per, &fpm, f, n),
                    "listed, not granted: {permission}"
                );
            }
        }
        // Many rounds grant, so the comparison is not only of refusals.
        assert!(granted > 2_000, "{granted}");
    }

    #[test]
    fn mask_bits_are_exact_for_any_length() {
        assert!(mask_bit(b"5", 0) && !mask_bit(b"5", 1) && mask_bit(b"5", 2));
        // 2^53 + 1: a float would lose the low bit.
        assert!(mask_bit(b"9007199254740993", 0));
        assert!(mask_bit(b"9007199254740993", 53));
        // 2^64 and 2^100 (decimal), across words.
        assert!(mask_bit(b"18446744073709551616", 64) && !mask_bit(b"18446744073709551616", 0));
        assert!(mask_bit(b"1267650600228229401496703205376", 100));
        assert!(!mask_bit(b"1267650600228229401496703205376", 99));
        for bad in ["", " ", "-1", "+1", "1e3", "0x3", "3.0", "\u{663}"] {
            assert!(!mask_bit(bad.as_bytes(), 0), "{bad:?}");
        }
        assert!(mask_bit(b" 3 ", 1));
        assert!(!mask_bit(b"1", 64 * MASK_WORDS));
        for (mask, bit) in [("12345678901234567890123", 70), ("5", 2), ("1024", 10)] {
            assert_eq!(
                mask_bit(mask.as_bytes(), bit),
                reference_bit(mask, bit),
                "{mask} {bit}"
            );
        }
    }
}
