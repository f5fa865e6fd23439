//! Checked conversions of Unix-millisecond timestamps, used by the `Timestamps` derive.
//! None of them panics, for any `i64`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A field type the `Timestamps` derive accepts: `i64` or `Option<i64>`.
pub trait Millis: Copy {
    /// The Unix time in milliseconds, if there is one.
    fn millis(self) -> Option<i64>;
}

impl Millis for i64 {
    #[inline]
    fn millis(self) -> Option<i64> {
        Some(self)
    }
}

impl Millis for Option<i64> {
    #[inline]
    fn millis(self) -> Option<i64> {
        self
    }
}

/// `ms` after (or before, if negative) the Unix epoch, if `SystemTime` can hold it.
#[inline]
pub fn system_time<T: Millis>(ms: T) -> Option<SystemTime> {
    let ms = ms.millis()?;
    let offset = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    }
}

/// `ms` as a `chrono::DateTime<Utc>`, if chrono's range holds it.
#[cfg(feature = "chrono")]
#[inline]
pub fn chrono<T: Millis>(ms: T) -> Option<::chrono::DateTime<::chrono::Utc>> {
    ::chrono::DateTime::from_timestamp_millis(ms.millis()?)
}

/// `ms` as a `time::OffsetDateTime` in UTC, if the `time` crate's range holds it.
#[cfg(feature = "time")]
#[inline]
pub fn offset_date_time<T: Millis>(ms: T) -> Option<::time::OffsetDateTime> {
    // i64 milliseconds times 10^6 always fits in i128.
    ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms.millis()?) * 1_000_000).ok()
}

/// `ms` as a `jiff::Timestamp`, if jiff's range holds it.
#[cfg(feature = "jiff")]
#[inline]
pub fn jiff<T: Millis>(ms: T) -> Option<::jiff::Timestamp> {
    ::jiff::Timestamp::from_millisecond(ms.millis()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_is_total() {
        assert_eq!(system_time(0_i64), Some(UNIX_EPOCH));
        assert_eq!(
            system_time(1_500_i64),
            Some(UNIX_EPOCH + Duration::from_millis(1_500))
        );
        assert_eq!(
            system_time(-1_i64),
            UNIX_EPOCH.checked_sub(Duration::from_millis(1))
        );
        assert_eq!(system_time(None::<i64>), None);
        // The extremes must not panic; whether they fit depends on the platform.
        for ms in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let _ = system_time(ms);
        }
    }
}
