//! The session lifecycle: is this session valid now, and what is its real state?
//!
//! Every helper takes the current time as a parameter, so a check is repeatable and
//! testable; `is_active_now` is the one convenience that reads the clock. Comparisons are
//! exact (nanoseconds in `i128`), so no timestamp overflows or rounds across a boundary.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::{Session, SessionStatus, TaskKey};

/// `t` as nanoseconds since the Unix epoch (negative before it), exactly.
pub(crate) fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => i128::try_from(before.duration().as_nanos()).map_or(i128::MIN, |n| -n),
    }
}

/// `t` in whole Unix milliseconds rounded toward negative infinity, if that fits an `i64`.
///
/// For a whole-millisecond deadline `d`, `t < d` holds exactly when `floor_millis(t) < d`:
/// this compares with 64-bit arithmetic only.
fn floor_millis(t: SystemTime) -> Option<i64> {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs())
            .ok()?
            .checked_mul(1_000)?
            .checked_add(i64::from(after.subsec_millis())),
        Err(before) => {
            let before = before.duration();
            let ceil = i64::from(before.subsec_nanos().div_ceil(1_000_000));
            let ms = i64::try_from(before.as_secs())
                .ok()?
                .checked_mul(1_000)?
                .checked_add(ceil)?;
            Some(-ms)
        }
    }
}

/// Where `now` stands against whole-millisecond deadlines, exactly.
#[derive(Clone, Copy)]
enum Now {
    /// Whole milliseconds, rounded down (the usual case).
    Floor(i64),
    /// Nanoseconds, for an instant outside the `i64` millisecond range.
    Exact(i128),
}

impl Now {
    fn of(t: SystemTime) -> Self {
        floor_millis(t).map_or_else(|| Self::Exact(unix_nanos(t)), Self::Floor)
    }

    /// `now < deadline_ms`, exactly.
    fn is_before(self, deadline_ms: i64) -> bool {
        match self {
            Self::Floor(ms) => ms < deadline_ms,
            Self::Exact(nanos) => nanos < millis_to_nanos(deadline_ms),
        }
    }
}

/// Unix milliseconds as nanoseconds; cannot overflow.
fn millis_to_nanos(ms: i64) -> i128 {
    i128::from(ms) * 1_000_000
}

/// A non-negative span of nanoseconds as a `Duration`, if it fits.
fn duration(nanos: i128) -> Option<Duration> {
    if nanos < 0 {
        return None;
    }
    // Spans up to 584 years avoid the 128-bit division below.
    if let Ok(short) = u64::try_from(nanos) {
        return Some(Duration::from_nanos(short));
    }
    let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
    let subsec = u32::try_from(nanos % 1_000_000_000).ok()?;
    Some(Duration::new(secs, subsec))
}

impl Session {
    /// Whether this session lets its user in at `now`: its status is `active`, and `now`
    /// is before both `expire_at` and `abandon_at`.
    ///
    /// Fails closed: `pending` (signed in, tasks outstanding), every terminal status and
    /// any status this version does not know are never active; nor is a session at or past
    /// either deadline, whatever its status says.
    ///
    /// ```
    /// # let json = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000}"#;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let session: clerk_models::Session = clerk_models::from_str(json)?;
    /// let at = |ms| UNIX_EPOCH + Duration::from_millis(ms);
    /// assert!(session.is_active_at(at(4_999)));
    /// assert!(!session.is_active_at(at(5_000))); // expire_at itself is too late
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn is_active_at(&self, now: SystemTime) -> bool {
        if !self.status.is_active() {
            return false;
        }
        let now = Now::of(now);
        now.is_before(self.expire_at) && now.is_before(self.abandon_at)
    }

    /// [`is_active_at`](Self::is_active_at) with the system clock's current time.
    ///
    /// ```
    /// # let json = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":9000000000000,"abandon_at":9000000000000,"updated_at":1000,"created_at":1000}"#;
    /// let session: clerk_models::Session = clerk_models::from_str(json)?;
    /// assert!(session.is_active_now()); // until the year 2255
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn is_active_now(&self) -> bool {
        self.is_active_at(SystemTime::now())
    }

    /// The status the session really has at `now`: `expired` once `expire_at` has passed,
    /// `abandoned` once `abandon_at` has passed (the earlier of the two if both have), else
    /// the reported status.
    ///
    /// A terminal status (revoked, ended, expired, removed, abandoned, replaced) stays as
    /// reported, and so does a status this version does not know, because its meaning is
    /// unknown. `effective_status_at(now).is_active()` equals
    /// [`is_active_at(now)`](Self::is_active_at). It returns a reference (to the session's
    /// own status, or to a constant), so it never allocates.
    ///
    /// ```
    /// # let json = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000}"#;
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use clerk_models::SessionStatus;
    ///
    /// let session: clerk_models::Session = clerk_models::from_str(json)?;
    /// let at = |ms| UNIX_EPOCH + Duration::from_millis(ms);
    /// assert_eq!(session.effective_status_at(at(4_000)), &SessionStatus::Active);
    /// assert_eq!(session.effective_status_at(at(6_000)), &SessionStatus::Expired);
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn effective_status_at(&self, now: SystemTime) -> &SessionStatus {
        static EXPIRED: SessionStatus = SessionStatus::Expired;
        static ABANDONED: SessionStatus = SessionStatus::Abandoned;
        if self.status.is_terminal() || !self.status.is_known() {
            return &self.status;
        }
        let now = Now::of(now);
        let expired = !now.is_before(self.expire_at);
        let abandoned = !now.is_before(self.abandon_at);
        match (expired, abandoned) {
            (true, true) if self.abandon_at < self.expire_at => &ABANDONED,
            (true, _) => &EXPIRED,
            (false, true) => &ABANDONED,
            (false, false) => &self.status,
        }
    }

    /// How long until `expire_at`, or `None` once it has come (or if the span does not fit
    /// a `Duration`).
    ///
    /// ```
    /// # let json = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000}"#;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let session: clerk_models::Session = clerk_models::from_str(json)?;
    /// let now = UNIX_EPOCH + Duration::from_millis(4_000);
    /// assert_eq!(session.time_until_expiry_at(now), Some(Duration::from_secs(1)));
    /// assert_eq!(session.time_until_abandon_at(now), Some(Duration::from_secs(5)));
    /// assert_eq!(session.idle_time_at(now), Some(Duration::from_secs(3)));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn time_until_expiry_at(&self, now: SystemTime) -> Option<Duration> {
        remaining(self.expire_at, now)
    }

    /// How long until `abandon_at`, or `None` once it has come (or if the span does not
    /// fit a `Duration`). See [`time_until_expiry_at`](Self::time_until_expiry_at).
    #[must_use]
    pub fn time_until_abandon_at(&self, now: SystemTime) -> Option<Duration> {
        remaining(self.abandon_at, now)
    }

    /// How long the session has been idle: the time since `last_active_at`, or `None` if
    /// `last_active_at` is after `now` (or the span does not fit a `Duration`). See
    /// [`time_until_expiry_at`](Self::time_until_expiry_at).
    #[must_use]
    pub fn idle_time_at(&self, now: SystemTime) -> Option<Duration> {
        duration(unix_nanos(now) - millis_to_nanos(self.last_active_at))
    }

    /// The impersonation claims, when someone (typically an admin in Clerk's dashboard) is
    /// acting as the user; `None` for an ordinary session.
    ///
    /// ```
    /// # let json = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000,
    /// #   "actor":{"sub":"user_admin","iss":"https://dashboard.clerk.com","sid":"sess_admin","reason":"support"}}"#;
    /// let session: clerk_models::Session = clerk_models::from_str(json)?;
    /// assert!(session.is_impersonated());
    /// let actor = session.actor().unwrap();
    /// assert_eq!(actor.sub(), Some("user_admin"));
    /// assert_eq!(actor.get("reason").and_then(|v| v.as_str()), Some("support"));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn actor(&self) -> Option<Actor<'_>> {
        self.actor.as_ref().map(|claims| Actor { claims })
    }

    /// Whether someone else is acting as the user: true for any non-null `actor`, even one
    /// without the documented claims, so that an odd payload is flagged rather than missed.
    #[must_use]
    pub fn is_impersonated(&self) -> bool {
        self.actor.is_some()
    }

    /// The keys of the tasks the user must complete before the session becomes active
    /// (a `pending` session's `tasks`), in Clerk's order; empty when there are none.
    ///
    /// ```
    /// use clerk_models::TaskKey;
    ///
    /// # let json = format!(r#"{{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"pending","last_active_at":1000,"expire_at":5000,"abandon_at":9000,"updated_at":1000,"created_at":1000,
    /// #   "tasks":[{{"key":"{}"}},{{"key":"accept-terms"}}]}}"#, TaskKey::ChooseOrganization);
    /// let session: clerk_models::Session = clerk_models::from_str(&json)?;
    /// let tasks: Vec<&TaskKey> = session.pending_tasks().collect();
    /// assert!(tasks[0].is_choose_organization());
    /// assert_eq!(tasks[1].as_str(), "accept-terms"); // a key this version does not know
    /// assert!(!tasks[1].is_known());
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    pub fn pending_tasks(&self) -> impl Iterator<Item = &TaskKey> + '_ {
        self.tasks.iter().flatten().map(|task| &task.key)
    }
}

fn remaining(deadline_ms: i64, now: SystemTime) -> Option<Duration> {
    let nanos = millis_to_nanos(deadline_ms) - unix_nanos(now);
    if nanos == 0 {
        return None;
    }
    duration(nanos)
}

/// The impersonation claims of a [`Session`] (its `actor` object), borrowed.
///
/// Clerk documents `sub` (the impersonating user), `iss` (who issued the impersonation)
/// and `sid` (the impersonator's own session); every other claim is kept and reachable
/// through [`get`](Self::get) and [`claims`](Self::claims).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    claims: &'a Map<String, Value>,
}

impl<'a> Actor<'a> {
    /// `sub`: the ID of the user acting as the session's user, if it is a string.
    #[must_use]
    pub fn sub(&self) -> Option<&'a str> {
        self.claims.get("sub").and_then(Value::as_str)
    }

    /// `iss`: who issued the impersonation, if it is a string.
    #[must_use]
    pub fn iss(&self) -> Option<&'a str> {
        self.claims.get("iss").and_then(Value::as_str)
    }

    /// `sid`: the impersonator's own session ID, if it is a string.
    #[must_use]
    pub fn sid(&self) -> Option<&'a str> {
        self.claims.get("sid").and_then(Value::as_str)
    }

    /// Any claim, by name.
    #[must_use]
    pub fn get(&self, claim: &str) -> Option<&'a Value> {
        self.claims.get(claim)
    }

    /// Every claim, as Clerk sent them.
    #[must_use]
    pub fn claims(&self) -> &'a Map<String, Value> {
        self.claims
    }
}
