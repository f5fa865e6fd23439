//! The verified-token cache: a token string verified once is not RSA-verified again until
//! its `exp`, while its time checks still run at every use and its key must still be in the
//! key set.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::ValidityError;
use clerk_models::jwt::Verifier;

use crate::auth::Verified;

/// Tokens longer than this are verified every time rather than kept: a bound on the
/// cache's memory (10,000 entries × 16 KiB at most). Clerk's session tokens are 1 to 2 KiB.
pub(crate) const MAX_CACHED_TOKEN_BYTES: usize = 16 * 1024;

struct Entry {
    verified: Verified,
    /// The `kid` the token was verified with: the entry dies when a refresh removes it.
    kid: Option<String>,
}

/// A bounded map from token text to what verifying it gave.
pub(crate) struct TokenCache {
    capacity: usize,
    entries: Mutex<HashMap<Box<str>, Entry>>,
}

/// What the cache knows of a token.
pub(crate) enum Lookup {
    /// Verified before, its key still present, and its time checks pass now.
    Valid(Verified),
    /// Verified before, but its time checks fail now (the entry is dropped).
    Invalid(ValidityError),
    /// Not in the cache, or its key is gone (the entry is dropped): verify it.
    Miss,
}

impl TokenCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn lookup(
        &self,
        token: &str,
        keys: Option<&Verifier>,
        now: SystemTime,
        leeway: Duration,
    ) -> Lookup {
        if self.capacity == 0 {
            return Lookup::Miss;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(entry) = entries.get(token) else {
            return Lookup::Miss;
        };
        if !keys.is_some_and(|keys| keys.has_key(entry.kid.as_deref())) {
            entries.remove(token);
            return Lookup::Miss;
        }
        match entry.verified.validate_at(now, leeway) {
            Ok(()) => Lookup::Valid(entry.verified.clone()),
            Err(e) => {
                // Expired stays expired; a token not valid yet is verified again later.
                entries.remove(token);
                Lookup::Invalid(e)
            }
        }
    }

    /// Keeps `verified` for `token`. When full, expired entries go first, then an arbitrary
    /// one: the cache only saves work, and an evicted token is verified again.
    pub(crate) fn insert(
        &self,
        token: &str,
        verified: &Verified,
        kid: Option<String>,
        now: SystemTime,
    ) {
        if self.capacity == 0 || token.len() > MAX_CACHED_TOKEN_BYTES {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= self.capacity && !entries.contains_key(token) {
            let now_secs = now
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            entries.retain(|_, entry| entry.verified.expires() > now_secs);
            if entries.len() >= self.capacity {
                if let Some(victim) = entries.keys().next().cloned() {
                    entries.remove(&victim);
                }
            }
        }
        let entry = Entry {
            verified: verified.clone(),
            kid,
        };
        entries.insert(token.into(), entry);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use clerk_models::SessionClaims;

    use super::*;
    use crate::auth::Auth;

    fn verified(exp: i64) -> Verified {
        let claims: SessionClaims = clerk_models::from_str(&format!(
            r#"{{"sub":"user_1","sid":"sess_1","iat":0,"exp":{exp},"iss":"i","v":2}}"#
        ))
        .unwrap_or_else(|e| unreachable!("{e}"));
        Verified::Session(Auth::new(claims))
    }

    #[test]
    fn full_caches_drop_expired_entries_first_and_never_grow() {
        let cache = TokenCache::new(3);
        let now = UNIX_EPOCH + Duration::from_secs(100);
        cache.insert("expired", &verified(50), None, now);
        cache.insert("a", &verified(1000), None, now);
        cache.insert("b", &verified(1000), None, now);
        cache.insert("c", &verified(1000), None, now);
        assert_eq!(cache.len(), 3);
        assert!(matches!(
            cache.lookup("expired", None, now, Duration::ZERO),
            Lookup::Miss
        ));
        for i in 0..100 {
            cache.insert(&format!("t{i}"), &verified(1000), None, now);
        }
        assert_eq!(cache.len(), 3);
        let huge = "x".repeat(MAX_CACHED_TOKEN_BYTES + 1);
        let roomy = TokenCache::new(10);
        roomy.insert(&huge, &verified(1000), None, now);
        assert_eq!(roomy.len(), 0, "a token over the size bound is not kept");
        let off = TokenCache::new(0);
        off.insert("a", &verified(1000), None, now);
        off.insert(&huge, &verified(1000), None, now);
        assert_eq!(off.len(), 0);
    }
}
