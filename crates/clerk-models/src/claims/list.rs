//! [`ClaimList`]: a comma-separated claim, kept as received and indexed once, when a
//! permission check first reads it.

use core::borrow::Borrow;
use core::cmp::Ordering;
use core::convert::Infallible;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;
use core::sync::atomic::{AtomicU64, Ordering as Memory};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scan::{Index, Listed};

/// A comma-separated claim of a session token that permission checks read: `fea`
/// (`o:invoices,u:avatars`) and the organization's `per` (`read,manage`). The text exactly
/// as received, with the places of its separators found the first time
/// [`SessionClaims::has_permission`](crate::SessionClaims::has_permission) reads it, and kept.
///
/// A check has to read every byte of `fea` and `per` (a malformed entry anywhere voids the
/// claim); with the index that happens once per token, not once per check, and decoding
/// does none of it. A list is compared, hashed, ordered, displayed and serialized as its
/// text; the index is derived from the text and never shows, so a list is a sound key of a
/// map or set even though the cache inside it is filled in place (clippy's
/// `mutable_key_type` cannot see that). A clone keeps the index already found.
///
/// ```
/// use clerk_models::ClaimList;
///
/// let features = ClaimList::from("o:invoices,u:avatars");
/// assert_eq!(features.as_str(), "o:invoices,u:avatars");
/// assert_eq!(features.fields().collect::<Vec<_>>(), ["o:invoices", "u:avatars"]);
/// assert_eq!(features, "o:invoices,u:avatars");
/// assert_eq!(ClaimList::default().fields().count(), 0);
/// ```
pub struct ClaimList {
    /// Not a `String`: a list is not grown, and a smaller list makes smaller claims to move.
    text: Box<str>,
    /// The index, found on first use.
    cache: Cache,
}

/// [`Index::to_parts`], kept once found. Threads that find it at once store the same
/// values, so plain atomic stores are enough: no lock, no allocation.
struct Cache {
    /// [`NOT_YET`], [`NO_INDEX`], or the index's first part (bit 63 set).
    commas: AtomicU64,
    /// The index's second part, stored before `commas`.
    org_names: AtomicU64,
}

/// The index has not been looked for.
const NOT_YET: u64 = 0;
/// The list has no index: lists the fast path cannot read exactly (64 bytes or more, bytes
/// other than graphic ASCII, an organization entry without a name). The general path reads
/// those.
const NO_INDEX: u64 = 1;

impl Cache {
    const fn new() -> Self {
        Self {
            commas: AtomicU64::new(NOT_YET),
            org_names: AtomicU64::new(0),
        }
    }
}

impl Clone for Cache {
    fn clone(&self) -> Self {
        // `commas` first: what it says found, `org_names` holds.
        let commas = self.commas.load(Memory::Acquire);
        Self {
            commas: AtomicU64::new(commas),
            org_names: AtomicU64::new(self.org_names.load(Memory::Relaxed)),
        }
    }
}

impl ClaimList {
    /// The list as received.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The list as received, taking it out.
    #[must_use]
    pub fn into_string(self) -> String {
        self.text.into_string()
    }

    /// Whether the list is the empty text.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The comma-separated fields, in order and as written (untrimmed); none for the empty
    /// text.
    pub fn fields(&self) -> impl Iterator<Item = &str> + '_ {
        super::fields(&self.text)
    }

    /// The list with its index, for the fast path; `None` if it has no index.
    pub(super) fn listed(&self) -> Option<Listed<'_>> {
        self.index().map(|index| Listed {
            text: self.text.as_bytes(),
            index,
        })
    }

    /// The index, found now if this is the first use; `None` if the list has none.
    fn index(&self) -> Option<Index> {
        match self.cache.commas.load(Memory::Acquire) {
            NOT_YET => self.find_index(),
            NO_INDEX => None,
            commas => Index::from_parts(commas, self.cache.org_names.load(Memory::Relaxed)),
        }
    }

    #[cold]
    fn find_index(&self) -> Option<Index> {
        let index = Index::new(self.text.as_bytes());
        match index {
            Some(index) => {
                let (commas, org_names) = index.to_parts();
                self.cache.org_names.store(org_names, Memory::Relaxed);
                self.cache.commas.store(commas, Memory::Release);
            }
            None => self.cache.commas.store(NO_INDEX, Memory::Release),
        }
        index
    }
}

impl Clone for ClaimList {
    fn clone(&self) -> Self {
        Self {
            text: self.text.clone(),
            cache: self.cache.clone(),
        }
    }
}

impl Default for ClaimList {
    fn default() -> Self {
        Self::from(String::new())
    }
}

impl From<String> for ClaimList {
    fn from(text: String) -> Self {
        Self {
            text: text.into_boxed_str(),
            cache: Cache::new(),
        }
    }
}

impl From<&str> for ClaimList {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

impl From<ClaimList> for String {
    fn from(list: ClaimList) -> Self {
        list.text.into_string()
    }
}

impl FromStr for ClaimList {
    type Err = Infallible;

    /// Any text is a list; what it grants is decided when it is read.
    fn from_str(text: &str) -> Result<Self, Infallible> {
        Ok(Self::from(text))
    }
}

impl AsRef<str> for ClaimList {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Borrow<str> for ClaimList {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for ClaimList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClaimList").field(&self.text).finish()
    }
}

impl fmt::Display for ClaimList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for ClaimList {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for ClaimList {}

impl PartialEq<str> for ClaimList {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl PartialEq<&str> for ClaimList {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl PartialEq<ClaimList> for str {
    fn eq(&self, other: &ClaimList) -> bool {
        self == &*other.text
    }
}

impl PartialEq<ClaimList> for &str {
    fn eq(&self, other: &ClaimList) -> bool {
        *self == &*other.text
    }
}

impl PartialOrd for ClaimList {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ClaimList {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl Hash for ClaimList {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As `str` hashes, so that `Borrow<str>` holds for maps and sets.
        self.text.hash(state);
    }
}

impl Serialize for ClaimList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for ClaimList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_empty_text() {
        assert_eq!(ClaimList::default(), ClaimList::from(""));
        assert!(ClaimList::default().is_empty());
        assert_eq!(ClaimList::default().index(), Index::new(b""));
    }

    #[test]
    fn indexes_on_first_use_and_keeps_it_in_clones() {
        let list = ClaimList::from("o:a,u:b");
        assert_eq!(list.cache.commas.load(Memory::Relaxed), NOT_YET);
        let index = list.index();
        assert!(index.is_some());
        assert_eq!(list.index(), index);
        assert_eq!(
            list.cache.commas.load(Memory::Relaxed),
            index.map_or(0, |i| i.to_parts().0)
        );
        let copy = list.clone();
        assert_ne!(copy.cache.commas.load(Memory::Relaxed), NOT_YET);
        assert_eq!(copy.index(), index);
        let long = ClaimList::from("a".repeat(64));
        assert_eq!(long.index(), None);
        assert_eq!(long.cache.commas.load(Memory::Relaxed), NO_INDEX);
        assert_eq!(long.index(), None);
        assert_eq!(
            ClaimList::from("o:a,u:b")
                .clone()
                .cache
                .commas
                .load(Memory::Relaxed),
            NOT_YET
        );
    }

    #[test]
    fn threads_that_index_at_once_agree() {
        for text in ["o:invoices,u:avatars,uo:reports", "read,manage", "o:a, u:b"] {
            let list = ClaimList::from(text);
            let expected = Index::new(text.as_bytes());
            std::thread::scope(|scope| {
                let found: Vec<_> = (0..4)
                    .map(|_| scope.spawn(|| (0..100).map(|_| list.index()).collect::<Vec<_>>()))
                    .collect();
                for thread in found {
                    let seen = thread.join().unwrap_or_default();
                    assert_eq!(seen.len(), 100, "{text}");
                    assert!(seen.iter().all(|index| *index == expected), "{text}");
                }
            });
        }
    }

    #[test]
    fn indexes_only_what_the_fast_path_reads() {
        assert!(ClaimList::from("o:a,u:b").index().is_some());
        assert!(ClaimList::from("a".repeat(63)).index().is_some());
        assert!(ClaimList::from("a".repeat(64)).index().is_none());
        for odd in ["o:a, u:b", "o:a,\tu:b", "o:\u{e9}", "o:a\u{7f}"] {
            assert!(ClaimList::from(odd).index().is_none(), "{odd:?}");
        }
    }

    #[test]
    fn behaves_as_its_text() {
        let list = ClaimList::from("read,manage");
        assert_eq!(list.to_string(), "read,manage");
        assert_eq!(format!("{list:?}"), r#"ClaimList("read,manage")"#);
        assert_eq!("read,manage".parse::<ClaimList>(), Ok(list.clone()));
        let mut sorted = [ClaimList::from("write"), list.clone()];
        sorted.sort();
        assert_eq!(sorted.first(), Some(&list));
        assert_eq!(String::from(list.clone()), "read,manage");
        #[allow(
            clippy::mutable_key_type,
            reason = "hash and equality read the text only, never the cached index"
        )]
        let set: std::collections::HashSet<ClaimList> = [list.clone()].into();
        assert!(set.contains("read,manage"));
        let json = serde_json::to_string(&list).ok();
        assert_eq!(json.as_deref(), Some(r#""read,manage""#));
        let back: Option<ClaimList> = json.and_then(|j| serde_json::from_str(&j).ok());
        assert_eq!(back, Some(list));
        assert!(serde_json::from_str::<ClaimList>("3").is_err());
    }
}
