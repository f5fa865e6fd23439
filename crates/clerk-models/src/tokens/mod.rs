//! The token form: the claims of every token a backend receives, a signed-in browser's
//! session token ([`SessionClaims`](crate::SessionClaims)) and a machine's M2M and OAuth
//! tokens ([`M2mTokenClaims`](crate::M2mTokenClaims),
//! [`OAuthAccessTokenClaims`](crate::OAuthAccessTokenClaims)), their fail-closed views
//! (validity, organization, roles, permissions, scopes), and (feature `jwt`) their
//! networkless verification, public as [`crate::jwt`].

pub(crate) mod claims;
#[cfg(feature = "jwt")]
pub mod jwt;
