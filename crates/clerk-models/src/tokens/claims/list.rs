//! [`ClaimList`]: a comma-separated claim, kept as received.

use core::borrow::Borrow;
use core::convert::Infallible;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A comma-separated claim of a session token that permission checks read: `fea`
/// (`o:invoices,u:avatars`) and the organization's `per` (`read,manage`), exactly as
/// received. A list is compared, hashed, ordered, displayed and serialized as its text.
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
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClaimList {
    /// Not a `String`: a list is not grown, and a smaller list makes smaller claims to move.
    text: Box<str>,
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
        fields(&self.text)
    }
}

impl From<String> for ClaimList {
    fn from(text: String) -> Self {
        Self {
            text: text.into_boxed_str(),
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

    /// Any text is a list; what it grants is decided when a check reads it.
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

/// The comma-separated fields of a claim, split on the byte (the claims are short, and
/// `str::split`'s searcher costs more than the scan).
#[derive(Clone, Debug)]
pub(super) struct Fields<'a> {
    rest: Option<&'a str>,
}

pub(super) fn fields(text: &str) -> Fields<'_> {
    Fields {
        rest: (!text.is_empty()).then_some(text),
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == b',') {
            Some(comma) => {
                self.rest = rest.get(comma + 1..);
                rest.get(..comma)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_empty_text() {
        assert_eq!(ClaimList::default(), ClaimList::from(""));
        assert!(ClaimList::default().is_empty());
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
        let set: std::collections::HashSet<ClaimList> = [list.clone()].into();
        assert!(set.contains("read,manage"));
        let json = serde_json::to_string(&list).ok();
        assert_eq!(json.as_deref(), Some(r#""read,manage""#));
        let back: Option<ClaimList> = json.and_then(|j| serde_json::from_str(&j).ok());
        assert_eq!(back, Some(list));
        assert!(serde_json::from_str::<ClaimList>("3").is_err());
    }
}
