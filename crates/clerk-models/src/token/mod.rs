//! The session token form: the claims of the JWT a signed-in browser sends on every
//! request ([`SessionClaims`](crate::SessionClaims)) and of the machine tokens
//! ([`M2mTokenClaims`](crate::M2mTokenClaims),
//! [`OAuthAccessTokenClaims`](crate::OAuthAccessTokenClaims)), their fail-closed views
//! (validity, organization, roles, permissions, scopes), and (feature `jwt`) their
//! networkless verification, public as [`crate::jwt`].

pub(crate) mod claims;
#[cfg(feature = "jwt")]
pub mod jwt;
