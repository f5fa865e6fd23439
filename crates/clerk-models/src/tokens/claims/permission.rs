//! [`OrgPermission`]: one permission in an organization, as a version 1 entry or a version
//! 2 grant, which both the listing ([`organization`](super::organization)) and the v2 rule
//! ([`masks`](super::masks)) produce.

use core::fmt;

/// The prefix of Clerk's organization roles and permissions.
pub(super) const ORG: &str = "org:";

/// A permission in an organization. It displays as `org:<feature>:<permission>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OrgPermission<'a>(PermissionRepr<'a>);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum PermissionRepr<'a> {
    /// A version 1 entry, as written.
    Text(&'a str),
    /// A version 2 grant.
    Parts { feature: &'a str, name: &'a str },
}

impl<'a> OrgPermission<'a> {
    /// A version 1 entry, as written (`org:invoices:read`).
    pub(super) const fn text(text: &'a str) -> Self {
        Self(PermissionRepr::Text(text))
    }

    /// A version 2 grant of `name` in `feature`.
    pub(super) const fn parts(feature: &'a str, name: &'a str) -> Self {
        Self(PermissionRepr::Parts { feature, name })
    }

    /// The feature, such as `invoices` in `org:invoices:read`, if the permission has that
    /// form.
    #[must_use]
    pub fn feature(&self) -> Option<&'a str> {
        match self.0 {
            PermissionRepr::Text(text) => text.strip_prefix(ORG)?.split_once(':').map(|(f, _)| f),
            PermissionRepr::Parts { feature, .. } => Some(feature),
        }
    }

    /// The permission's own name, such as `read` in `org:invoices:read`, if the permission
    /// has that form.
    #[must_use]
    pub fn name(&self) -> Option<&'a str> {
        match self.0 {
            PermissionRepr::Text(text) => text.strip_prefix(ORG)?.split_once(':').map(|(_, n)| n),
            PermissionRepr::Parts { name, .. } => Some(name),
        }
    }
}

impl fmt::Display for OrgPermission<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            PermissionRepr::Text(text) => f.write_str(text),
            PermissionRepr::Parts { feature, name } => write!(f, "{ORG}{feature}:{name}"),
        }
    }
}
