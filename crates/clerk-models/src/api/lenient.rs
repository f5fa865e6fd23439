//! Lists that keep what decodes: one odd item does not cost the whole page.

use core::fmt;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::value::RawValue;

use crate::{Error, PaginatedList};

/// A list of the Backend API (a bare array or a page `{"data", "total_count"}`) decoded
/// item by item: every item that decodes is kept, in order, and every one that does not
/// is reported with its index and the path of the failure.
///
/// [`PaginatedList`] stays strict: one bad item fails it. Use `LenientList` where losing a
/// page to one record you cannot read is worse than skipping that record, and look at
/// [`errors`](Self::errors) to log what was skipped. Input that is not a list at all is
/// still an error.
///
/// ```
/// use clerk_models::{LenientList, Session};
///
/// let json = r#"{"data": [
///   {"object": "session", "id": "sess_1", "user_id": "user_1", "client_id": "client_1",
///    "status": "active", "last_active_at": 1, "expire_at": 2, "abandon_at": 3,
///    "updated_at": 4, "created_at": 5},
///   {"object": "session", "id": "sess_2", "user_id": "user_2", "client_id": "client_2",
///    "status": "active", "last_active_at": 1, "expire_at": null, "abandon_at": 3,
///    "updated_at": 4, "created_at": 5}
/// ], "total_count": 2}"#;
/// let page = LenientList::<Session>::from_str(json)?;
/// assert_eq!(page.items().len(), 1);
/// assert_eq!(page.total_count(), 2);
/// let skipped = &page.errors()[0];
/// assert_eq!(skipped.index(), 1);
/// assert!(skipped.to_string().starts_with("data[1].expire_at: invalid type: null, expected i64"));
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct LenientList<T> {
    items: Vec<T>,
    errors: Vec<ItemError>,
    total_count: u64,
}

/// An item of a [`LenientList`] that did not decode.
#[derive(Debug)]
pub struct ItemError {
    index: usize,
    /// `data` for a page, empty for a bare array.
    member: &'static str,
    error: Error,
}

impl ItemError {
    /// The item's position in the list, counting every item.
    #[must_use]
    pub const fn index(&self) -> usize {
        self.index
    }

    /// Why the item did not decode, with the path inside the item.
    #[must_use]
    pub const fn error(&self) -> &Error {
        &self.error
    }

    /// The full path of the failure, such as `data[3].expire_at`.
    #[must_use]
    pub fn path(&self) -> String {
        let inner = self.error.path();
        let sep = if inner.is_empty() || inner.starts_with('[') {
            ""
        } else {
            "."
        };
        format!("{}[{}]{sep}{inner}", self.member, self.index)
    }
}

impl fmt::Display for ItemError {
    /// `data[3].expire_at: invalid type: null, expected i64 at line 1 column 12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.error.to_string();
        let message = inner
            .strip_prefix(self.error.path())
            .and_then(|rest| rest.strip_prefix(": "))
            .unwrap_or(&inner);
        write!(f, "{}: {message}", self.path())
    }
}

impl std::error::Error for ItemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<T> LenientList<T> {
    /// The items that decoded, in the list's order.
    #[must_use]
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items that did not decode, in the list's order.
    #[must_use]
    pub fn errors(&self) -> &[ItemError] {
        &self.errors
    }

    /// The page's `total_count` (for a bare array, its length, bad items included).
    #[must_use]
    pub const fn total_count(&self) -> u64 {
        self.total_count
    }

    /// Whether every item decoded.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty()
    }

    /// The items that decoded and the errors of the others.
    #[must_use]
    pub fn into_parts(self) -> (Vec<T>, Vec<ItemError>) {
        (self.items, self.errors)
    }
}

impl<T> From<LenientList<T>> for Vec<T> {
    fn from(list: LenientList<T>) -> Self {
        list.items
    }
}

impl<T> IntoIterator for LenientList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a LenientList<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: DeserializeOwned> LenientList<T> {
    /// Decodes a list from JSON text. A list whose items all decode costs what
    /// [`PaginatedList`] costs: it is decoded strictly first, and item by item only when
    /// that fails.
    ///
    /// # Errors
    ///
    /// An [`Error`] with its path when the text is not JSON or not a list in either form;
    /// never because of an item.
    #[allow(clippy::should_implement_trait)] // `FromStr` has no type parameter to decode into.
    pub fn from_str(json: &str) -> Result<Self, Error> {
        match serde_json::from_str::<PaginatedList<T>>(json) {
            Ok(page) => Ok(Self::complete(page)),
            Err(_) => Self::item_by_item(crate::from_str(json)?, json.as_bytes()),
        }
    }

    /// [`from_str`](Self::from_str) for bytes.
    ///
    /// # Errors
    ///
    /// As [`from_str`](Self::from_str); invalid UTF-8 is an error too.
    pub fn from_slice(json: &[u8]) -> Result<Self, Error> {
        match serde_json::from_slice::<PaginatedList<T>>(json) {
            Ok(page) => Ok(Self::complete(page)),
            Err(_) => Self::item_by_item(crate::from_slice(json)?, json),
        }
    }

    fn complete(page: PaginatedList<T>) -> Self {
        Self {
            items: page.data,
            errors: Vec::new(),
            total_count: page.total_count,
        }
    }

    /// Decodes each captured item on its own. `json` tells the page form (`data[i]`) from
    /// the bare array (`[i]`).
    fn item_by_item(raw: PaginatedList<Box<RawValue>>, json: &[u8]) -> Result<Self, Error> {
        let member = match json.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => "data",
            _ => "",
        };
        Ok(Self::decode_items(raw, member))
    }

    fn decode_items(raw: PaginatedList<Box<RawValue>>, member: &'static str) -> Self {
        let mut items = Vec::with_capacity(raw.data.len());
        let mut errors = Vec::new();
        for (index, item) in raw.data.iter().enumerate() {
            match crate::from_str::<T>(item.get()) {
                Ok(value) => items.push(value),
                Err(error) => errors.push(ItemError {
                    index,
                    member,
                    error,
                }),
            }
        }
        Self {
            items,
            errors,
            total_count: raw.total_count,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for LenientList<T> {
    /// Item by item, from `serde_json` only (each item is captured as raw JSON). Slower
    /// than [`LenientList::from_str`], which tries the strict decode first; the path of an
    /// item's failure is `[i]…` here, without the `data` of the page form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = PaginatedList::<Box<RawValue>>::deserialize(deserializer)?;
        Ok(Self::decode_items(raw, ""))
    }
}
