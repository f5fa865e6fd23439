//! [`SecretKey`]: the instance's Backend API key, which no output ever shows.

use core::fmt;
use core::str::FromStr;

use crate::generated::SECRET_KEY_PREFIXES;

/// A Clerk instance's secret key (`sk_test_…` or `sk_live_…`, from the dashboard's API keys
/// page), which authorizes every request to the Backend API.
///
/// It refuses anything else, so a publishable key (`pk_…`) or an empty variable fails at
/// startup, not at the first request. Its `Debug` and `Display` never show it (only whether
/// it is a test or a live key), nor does any error of this crate.
///
/// ```
/// use clerk_models_api::SecretKey;
///
/// let key: SecretKey = "sk_test_abcDEF123".parse()?;
/// assert_eq!(format!("{key:?}"), "SecretKey(sk_test_…)");
/// assert!(key.is_test());
/// assert!("pk_test_abc".parse::<SecretKey>().is_err());
/// # Ok::<(), clerk_models_api::InvalidSecretKey>(())
/// ```
///
/// It has no `PartialEq`: a comparison that is not constant-time is no way to check a
/// secret.
#[derive(Clone)]
pub struct SecretKey {
    key: String,
    /// Which of [`SECRET_KEY_PREFIXES`] it has.
    prefix: &'static str,
}

/// Why a value is no secret key. Never contains the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidSecretKey {
    /// It does not start with `sk_test_` or `sk_live_` (a publishable key starts `pk_`).
    Prefix,
    /// Nothing follows the prefix, or something that cannot be in a header (a space, a line
    /// break, a non-ASCII character).
    Characters,
}

impl fmt::Display for InvalidSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a Clerk secret key: ")?;
        match self {
            Self::Prefix => write!(f, "it must start with one of {SECRET_KEY_PREFIXES:?}")?,
            Self::Characters => {
                f.write_str("after its prefix it must be visible ASCII, without spaces")?;
            }
        }
        f.write_str(" (the value is not shown)")
    }
}

impl std::error::Error for InvalidSecretKey {}

impl SecretKey {
    /// Checks and keeps a secret key.
    ///
    /// # Errors
    ///
    /// [`InvalidSecretKey`] when it is no Clerk secret key.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidSecretKey> {
        let key = key.into();
        let (prefix, rest) = SECRET_KEY_PREFIXES
            .iter()
            .find_map(|p| key.strip_prefix(p).map(|rest| (*p, rest)))
            .ok_or(InvalidSecretKey::Prefix)?;
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidSecretKey::Characters);
        }
        Ok(Self { key, prefix })
    }

    /// Whether it is a development instance's key (`sk_test_`).
    #[must_use]
    pub fn is_test(&self) -> bool {
        SECRET_KEY_PREFIXES.first() == Some(&self.prefix)
    }

    /// The key itself, for the `Authorization` header of a request you build yourself.
    /// Nothing of this crate prints it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({}…)", self.prefix)
    }
}

impl fmt::Display for SecretKey {
    /// Only the kind of key: `sk_test_…` or `sk_live_…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}…", self.prefix)
    }
}

impl FromStr for SecretKey {
    type Err = InvalidSecretKey;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Self::new(key)
    }
}

impl TryFrom<String> for SecretKey {
    type Error = InvalidSecretKey;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

impl TryFrom<&str> for SecretKey {
    type Error = InvalidSecretKey;

    fn try_from(key: &str) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_secret_keys_pass_and_none_is_ever_shown() {
        for bad in [
            "",
            "sk_test_",
            "pk_test_abc",
            "sk_prod_abc",
            "sk_test_a b",
            "sk_live_é",
        ] {
            assert!(SecretKey::new(bad).is_err(), "{bad:?}");
        }
        let key = SecretKey::new("sk_live_secretvalue").unwrap_or_else(|e| panic!("{e}"));
        assert!(!key.is_test());
        for shown in [format!("{key}"), format!("{key:?}")] {
            assert!(!shown.contains("secretvalue"), "{shown}");
        }
        let err = SecretKey::new("sk_nope_secretvalue")
            .map(|_| ())
            .unwrap_err();
        assert!(!err.to_string().contains("secretvalue"));
    }
}
