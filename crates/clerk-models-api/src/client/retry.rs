//! When the [`Client`](super::Client) tries again: [`RetryPolicy`], and the one decision it
//! makes after each attempt, a pure function of what happened.

use std::time::Duration;

/// How the client retries: how often, how long in all, and how it backs off.
///
/// The defaults are 3 retries within 30 s in all, backing off exponentially from 500 ms
/// (to at most 8 s a wait) with jitter: the first retry waits 250 ms to 500 ms, the second
/// 0.5 s to 1 s, the third 1 s to 2 s. Clerk rate-limits per instance (1000 requests per
/// 10 s in production, 100 in development), so a 429 usually clears within seconds; three
/// retries ride out a short outage, and the 30 s bound keeps a request from waiting longer
/// than a user would. A `Retry-After` from Clerk replaces the backoff; when honouring it
/// would pass the bound, the client returns the error at once, with
/// [`ApiError::retry_after`](crate::ApiError::retry_after) set.
///
/// What is retried: an operation that is [`IDEMPOTENT`](crate::Endpoint::IDEMPOTENT)
/// (every `GET`, `PUT`, `DELETE`, and the `verify` `POST`s), after a 429, 502, 503 or 504 or
/// a failed exchange; any operation after a connection that was never made (the request
/// provably never left).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    budget: Duration,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            budget: Duration::from_secs(30),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// The defaults: 3 retries, 30 s in all, backoff from 500 ms to at most 8 s.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// No retry: each request is sent once.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most `retries` retries after the first attempt.
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The time a request may take in all, its attempts and waits together: no wait starts
    /// that would end past it.
    #[must_use]
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The backoff before the first retry, of which jitter waits half to all; each later
    /// retry doubles it, up to [`max_delay`](Self::max_delay).
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff between two attempts (a `Retry-After` may ask for longer, within
    /// the budget).
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The time a request may take in all.
    #[must_use]
    pub fn total_budget(&self) -> Duration {
        self.budget
    }
}

/// What an attempt came to, as far as retrying goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// An answer with this status.
    Status(u16),
    /// No connection was made: the request never left.
    NotConnected,
    /// The exchange failed or timed out after the request may have left.
    Failed,
    /// An answer no retry changes (one too large to read).
    Final,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then send again.
    Retry(Duration),
    /// Return what the attempt gave.
    Stop,
}

/// The statuses that say "later": rate-limited, or a gateway that could not reach Clerk.
const RETRY_STATUSES: [u16; 4] = [429, 502, 503, 504];

impl RetryPolicy {
    /// After `retries` retries and `elapsed` in all, with `retry_after` from the answer and
    /// `jitter` drawn from `[0, 1)`: whether and when to try again.
    pub(crate) fn decide(
        &self,
        idempotent: bool,
        outcome: Outcome,
        retry_after: Option<Duration>,
        retries: u32,
        elapsed: Duration,
        jitter: f64,
    ) -> Decision {
        let retryable = match outcome {
            Outcome::Status(status) => idempotent && RETRY_STATUSES.contains(&status),
            Outcome::NotConnected => true,
            Outcome::Failed => idempotent,
            Outcome::Final => false,
        };
        if !retryable || retries >= self.max_retries {
            return Decision::Stop;
        }
        let delay = retry_after.unwrap_or_else(|| self.backoff(retries, jitter));
        match elapsed.checked_add(delay) {
            Some(end) if end <= self.budget => Decision::Retry(delay),
            _ => Decision::Stop,
        }
    }

    /// The wait before retry number `retries + 1`: half to all of the base doubled per
    /// retry, capped at the maximum.
    fn backoff(&self, retries: u32, jitter: f64) -> Duration {
        let doubled = self
            .base_delay
            .checked_mul(1u32.checked_shl(retries).unwrap_or(u32::MAX))
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        doubled / 2 + (doubled / 2).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn only_later_statuses_of_idempotent_operations_are_retried() {
        let policy = RetryPolicy::new();
        for status in [429, 502, 503, 504] {
            let retry = policy.decide(true, Outcome::Status(status), None, 0, S, 0.5);
            assert!(matches!(retry, Decision::Retry(_)), "{status}");
            let post = policy.decide(false, Outcome::Status(status), None, 0, S, 0.5);
            assert_eq!(post, Decision::Stop, "a POST after {status}");
        }
        for status in [200, 400, 401, 403, 404, 409, 422, 500, 501] {
            let stop = policy.decide(true, Outcome::Status(status), None, 0, S, 0.5);
            assert_eq!(stop, Decision::Stop, "{status}");
        }
        // A connection never made is retried for any operation; a failed exchange only
        // for an idempotent one.
        assert!(matches!(
            policy.decide(false, Outcome::NotConnected, None, 0, S, 0.5),
            Decision::Retry(_)
        ));
        assert_eq!(
            policy.decide(false, Outcome::Failed, None, 0, S, 0.5),
            Decision::Stop
        );
        assert!(matches!(
            policy.decide(true, Outcome::Failed, None, 0, S, 0.5),
            Decision::Retry(_)
        ));
        assert_eq!(
            policy.decide(true, Outcome::Final, None, 0, S, 0.5),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_count_and_the_budget() {
        let policy = RetryPolicy::new();
        let wait = |retries, jitter| match policy.decide(
            true,
            Outcome::Status(503),
            None,
            retries,
            S,
            jitter,
        ) {
            Decision::Retry(d) => d,
            Decision::Stop => Duration::MAX,
        };
        assert_eq!(wait(0, 0.0), Duration::from_millis(250));
        assert_eq!(wait(0, 1.0), Duration::from_millis(500));
        assert_eq!(wait(1, 0.0), Duration::from_millis(500));
        assert_eq!(wait(2, 1.0), Duration::from_secs(2));
        assert_eq!(wait(3, 0.5), Duration::MAX, "3 retries, then no more");
        let long = RetryPolicy::new().max_retries(40);
        let capped = long.decide(true, Outcome::Status(503), None, 39, S, 1.0);
        assert_eq!(capped, Decision::Retry(Duration::from_secs(8)));
        // Past the budget, no wait starts.
        let late = policy.decide(true, Outcome::Status(503), None, 0, 30 * S, 0.0);
        assert_eq!(late, Decision::Stop);
        assert_eq!(
            RetryPolicy::none().decide(true, Outcome::Status(503), None, 0, S, 0.0),
            Decision::Stop
        );
    }

    #[test]
    fn retry_after_replaces_the_backoff_within_the_budget_only() {
        let policy = RetryPolicy::new();
        let honoured = policy.decide(true, Outcome::Status(429), Some(7 * S), 0, S, 0.0);
        assert_eq!(honoured, Decision::Retry(7 * S));
        let too_long = policy.decide(true, Outcome::Status(429), Some(30 * S), 0, S, 0.0);
        assert_eq!(too_long, Decision::Stop);
        let overflow = policy.decide(true, Outcome::Status(429), Some(Duration::MAX), 0, S, 0.0);
        assert_eq!(overflow, Decision::Stop);
    }
}
