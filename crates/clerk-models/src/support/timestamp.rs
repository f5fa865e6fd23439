//! Checked conversions of Unix timestamps (milliseconds or seconds), used by the
//! `Timestamps` derive. None of them panics, for any `i64`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A field type the `Timestamps` derive accepts: `i64` or `Option<i64>`.
pub trait RawTimestamp: Copy {
    /// The Unix time, if there is one.
    fn get(self) -> Option<i64>;
}

impl RawTimestamp for i64 {
    #[inline]
    fn get(self) -> Option<i64> {
        Some(self)
    }
}

impl RawTimestamp for Option<i64> {
    #[inline]
    fn get(self) -> Option<i64> {
        self
    }
}

/// The unit of a timestamp field, from its schema (`x-clerk-timestamp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Unix milliseconds: the Backend API and webhooks.
    Millis,
    /// Unix seconds: a JWT's `iat`, `exp` and `nbf`.
    Seconds,
}

/// `value` after (or before, if negative) the Unix epoch, if `SystemTime` can hold it.
#[inline]
pub fn system_time<T: RawTimestamp>(value: T, unit: Unit) -> Option<SystemTime> {
    let value = value.get()?;
    let offset = match unit {
        Unit::Millis => Duration::from_millis(value.unsigned_abs()),
        Unit::Seconds => Duration::from_secs(value.unsigned_abs()),
    };
    if value >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    }
}

/// `value` as a `chrono::DateTime<Utc>`, if chrono's range holds it.
#[cfg(feature = "chrono")]
#[inline]
pub fn chrono<T: RawTimestamp>(value: T, unit: Unit) -> Option<::chrono::DateTime<::chrono::Utc>> {
    match unit {
        Unit::Millis => ::chrono::DateTime::from_timestamp_millis(value.get()?),
        Unit::Seconds => ::chrono::DateTime::from_timestamp(value.get()?, 0),
    }
}

/// `value` as a `time::OffsetDateTime` in UTC, if the `time` crate's range holds it.
#[cfg(feature = "time")]
#[inline]
pub fn offset_date_time<T: RawTimestamp>(value: T, unit: Unit) -> Option<::time::OffsetDateTime> {
    match unit {
        // i64 milliseconds times 10^6 always fits in i128.
        Unit::Millis => {
            ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(value.get()?) * 1_000_000)
                .ok()
        }
        Unit::Seconds => ::time::OffsetDateTime::from_unix_timestamp(value.get()?).ok(),
    }
}

/// `value` as a `jiff::Timestamp`, if jiff's range holds it.
#[cfg(feature = "jiff")]
#[inline]
pub fn jiff<T: RawTimestamp>(value: T, unit: Unit) -> Option<::jiff::Timestamp> {
    match unit {
        Unit::Millis => ::jiff::Timestamp::from_millisecond(value.get()?).ok(),
        Unit::Seconds => ::jiff::Timestamp::from_second(value.get()?).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_is_total() {
        for unit in [Unit::Millis, Unit::Seconds] {
            assert_eq!(system_time(0_i64, unit), Some(UNIX_EPOCH));
            assert_eq!(system_time(None::<i64>, unit), None);
            // The extremes must not panic; whether they fit depends on the platform.
            for value in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
                let _ = system_time(value, unit);
            }
        }
        assert_eq!(
            system_time(1_500_i64, Unit::Millis),
            Some(UNIX_EPOCH + Duration::from_millis(1_500))
        );
        assert_eq!(
            system_time(-1_i64, Unit::Millis),
            UNIX_EPOCH.checked_sub(Duration::from_millis(1))
        );
        assert_eq!(
            system_time(1_500_i64, Unit::Seconds),
            Some(UNIX_EPOCH + Duration::from_secs(1_500))
        );
        assert_eq!(
            system_time(-1_i64, Unit::Seconds),
            UNIX_EPOCH.checked_sub(Duration::from_secs(1))
        );
        // Seconds that no millisecond count can hold still convert exactly.
        let far = i64::MAX / 1_000 + 1;
        assert_eq!(
            system_time(far, Unit::Seconds),
            UNIX_EPOCH.checked_add(Duration::from_secs(far.unsigned_abs()))
        );
    }
}
