//! The session token form: claims, permissions, token classes and JWT verification.

mod claims;
mod jwt;
mod permissions_v1;
mod token_classes;
