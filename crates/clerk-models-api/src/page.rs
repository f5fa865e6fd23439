//! The rule by which a list operation's request finds its next page, for both answers a list
//! has: the `data`/`total_count` envelope, and a bare array.

use clerk_models::PaginatedList;

/// A page of a list answer.
pub(crate) trait Page {
    type Item;

    /// How many items it holds.
    fn len(&self) -> usize;

    /// The total the answer states, if it states one.
    fn total(&self) -> Option<u64>;

    fn into_items(self) -> Vec<Self::Item>;
}

impl<T> Page for PaginatedList<T> {
    type Item = T;

    fn len(&self) -> usize {
        self.data.len()
    }

    fn total(&self) -> Option<u64> {
        Some(self.total_count)
    }

    fn into_items(self) -> Vec<T> {
        self.data
    }
}

impl<T> Page for Vec<T> {
    type Item = T;

    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn total(&self) -> Option<u64> {
        None
    }

    fn into_items(self) -> Vec<T> {
        self
    }
}

/// The offset of the page after `page`, which a request at `offset` with `limit` answered,
/// or `None` when `page` was the last.
///
/// - An empty page is the last, whatever a total says, so paging always ends.
/// - A stated total that the items so far fall short of means another page.
/// - A full page means another page when the total is unknown, or when it is no more than
///   the page: a bare array decodes into a `PaginatedList` with the array's length as its
///   total, and a full page of an envelope whose total is exactly one page costs one more
///   request that comes back empty.
/// - Anything else (a short page) is the last.
pub(crate) fn next_offset<P: Page>(offset: i64, limit: i64, page: &P) -> Option<i64> {
    let len = page.len();
    if len == 0 {
        return None;
    }
    let next = offset.checked_add(i64::try_from(len).ok()?)?;
    let full = i64::try_from(len).is_ok_and(|len| len >= limit);
    let more = match page.total() {
        Some(total) if total > u64::try_from(len).unwrap_or(u64::MAX) => {
            u64::try_from(next).is_ok_and(|next| next < total)
        }
        _ => full,
    };
    more.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_end_by_total_or_by_a_short_page() {
        let list = |n: usize, total: u64| PaginatedList::new(vec![0_u8; n], total);
        // The envelope: its total decides.
        assert_eq!(next_offset(0, 10, &list(10, 25)), Some(10));
        assert_eq!(next_offset(10, 10, &list(10, 25)), Some(20));
        assert_eq!(next_offset(20, 10, &list(5, 25)), None);
        assert_eq!(next_offset(0, 10, &list(10, 20)), Some(10));
        assert_eq!(next_offset(10, 10, &list(10, 20)), None);
        // A bare array read as a list (total = its length): a full page goes on.
        assert_eq!(next_offset(500, 500, &list(500, 500)), Some(1000));
        assert_eq!(next_offset(1000, 500, &list(3, 3)), None);
        // A bare array: only its length.
        assert_eq!(next_offset(0, 2, &vec![1, 2]), Some(2));
        assert_eq!(next_offset(2, 2, &vec![3]), None);
        // An empty page ends paging, even if the total says otherwise.
        assert_eq!(next_offset(0, 10, &list(0, 99)), None);
        assert_eq!(next_offset(i64::MAX, 10, &vec![1]), None);
    }
}
