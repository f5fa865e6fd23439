//! Lists as the Backend API returns them: a bare array, or a page `{"data", "total_count"}`.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// A list of models, decoded from either form the Backend API uses:
///
/// - a page, `{"data": [...], "total_count": N}`: `total_count` is the number of items on
///   the server across all pages, which may exceed `data.len()`;
/// - a bare array, `[...]`: `total_count` is its length.
///
/// Both `data` and `total_count` are required in a page (other keys are ignored). It always
/// serializes as a page.
///
/// ```
/// use clerk_models::SessionList;
///
/// let page: SessionList = clerk_models::from_str(r#"{"data": [], "total_count": 42}"#)?;
/// assert_eq!((page.data.len(), page.total_count), (0, 42));
///
/// let bare: SessionList = clerk_models::from_str("[]")?;
/// assert_eq!(bare.total_count, 0);
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PaginatedList<T> {
    /// The items of this page, in the order Clerk sent them.
    pub data: Vec<T>,
    /// How many items exist in total on the server (for a bare array: its length).
    pub total_count: u64,
}

/// A list of [`Session`](crate::Session)s, as `GET /sessions` returns it.
pub type SessionList = PaginatedList<crate::Session>;

/// A list of [`Client`](crate::Client)s, as `GET /clients` returns it.
pub type ClientList = PaginatedList<crate::Client>;

impl<T> PaginatedList<T> {
    /// A page holding `data`, out of `total_count` items in all.
    #[must_use]
    pub fn new(data: Vec<T>, total_count: u64) -> Self {
        Self { data, total_count }
    }

    /// The number of items on this page.
    #[must_use]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether this page holds no items.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Iterates over the items of this page.
    pub fn iter(&self) -> core::slice::Iter<'_, T> {
        self.data.iter()
    }
}

impl<T> Default for PaginatedList<T> {
    fn default() -> Self {
        Self::new(Vec::new(), 0)
    }
}

impl<T> From<Vec<T>> for PaginatedList<T> {
    /// A complete list: `total_count` is the length.
    fn from(data: Vec<T>) -> Self {
        let total_count = u64::try_from(data.len()).unwrap_or(u64::MAX);
        Self { data, total_count }
    }
}

impl<T> From<PaginatedList<T>> for Vec<T> {
    fn from(list: PaginatedList<T>) -> Self {
        list.data
    }
}

impl<T> IntoIterator for PaginatedList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a PaginatedList<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.data.iter()
    }
}

impl<T: Serialize> Serialize for PaginatedList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut page = serializer.serialize_struct("PaginatedList", 2)?;
        page.serialize_field("data", &self.data)?;
        page.serialize_field("total_count", &self.total_count)?;
        page.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PaginatedList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

/// serde's own guard against a hostile length hint.
const MAX_PREALLOCATED: usize = 4096;

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = PaginatedList<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"an array, or an object {"data": [...], "total_count": N}"#)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_PREALLOCATED));
        while let Some(item) = seq.next_element()? {
            data.push(item);
        }
        Ok(PaginatedList::from(data))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data: Option<Vec<T>> = None;
        let mut total_count: Option<u64> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Data => {
                    if data.is_some() {
                        return Err(de::Error::duplicate_field("data"));
                    }
                    data = Some(map.next_value()?);
                }
                Key::TotalCount => {
                    if total_count.is_some() {
                        return Err(de::Error::duplicate_field("total_count"));
                    }
                    total_count = Some(map.next_value()?);
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let data = data.ok_or_else(|| de::Error::missing_field("data"))?;
        let total_count = total_count.ok_or_else(|| de::Error::missing_field("total_count"))?;
        Ok(PaginatedList { data, total_count })
    }
}

enum Key {
    Data,
    TotalCount,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "data" => Key::Data,
            "total_count" => Key::TotalCount,
            _ => Key::Other,
        })
    }
}
